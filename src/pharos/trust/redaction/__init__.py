"""The secret-redaction filter: every message a customer sends passes `redact` before it
is stored or shown, and each secret pasted by mistake is replaced by a marker of its
kind, `[redacted:seed_phrase]`. Pure Python; no database, no settings.

Matching happens on a view of the text normalised with NFKC and stripped of invisible
format characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen,
variation selectors), so full-width letters and hidden characters cannot smuggle a
secret past it; each match is mapped back to the original text, which is left intact
outside the secret.

Decisions, because every kind trades a leaked secret against a mangled message:

- Seed phrases (BIP39, English and Chinese lists, 12-24 words). A run of list words
  whose checksum is valid is redacted wherever it is. When several windows of one run
  are valid (a shifted window is, one time in 16), their union goes: a list word next to
  the phrase ("please help") may go with it, but no word of the phrase stays. A valid
  window with three or more list words left over in a run of at most 27 takes the whole
  run (a 24-word phrase with a typo holds chance-valid 12-word windows). A run whose
  checksum fails passes as ordinary text unless a label ("seed phrase", "助记词", …)
  comes just before it: a labelled phrase with one word mistyped is still the
  customer's secret.
- Chinese written without spaces is made of the same common characters as ordinary
  Chinese, so unspaced characters count only as whole groups (delimited by punctuation,
  spaces or line ends, never a window slid along a sentence) of an exact phrase length,
  made only of list characters, with a valid checksum (or a label), and looking random
  (`prose.looks_random`: character frequency and jieba's word pairs). After a label the
  phrase may run on into the sentence ("我的助记词是…请帮我找回资产"): there the longest
  valid window wins unless what it adds clearly reads like prose, erring on the long
  side.
- 64 hex digits are a private key only when labelled as one ("private key", "私钥",
  "secret key") nearer than any transaction label ("tx", "hash", "交易哈希", an explorer
  URL). Unlabelled they are kept: customers paste transaction hashes all day and support
  needs them. WIF keys are redacted when their base58check checksum holds (or when
  labelled); extended private keys (xprv, yprv, zprv, tprv, …) by their shape alone,
  checksum or not, since the prefix is itself the label and one typo leaves the key
  recoverable. Addresses and xpubs pass.
- Exchange API secrets are redacted when labelled ("api secret", "secret key",
  "API 密钥", "secretKey=") and followed by a token of 24 characters or more with letters
  and digits. A bare API key is the public half of the pair and is kept.
- Passwords and one-time codes are redacted only when given: a label, an optional "is",
  ":" or "是", then the value (a password must look like one: quoted, six digits or more,
  or letters with digits or symbols; a code is 4-8 digits). Only the value is replaced. A
  bare "code" counts when given six digits ("the code is 120398") unless it is a promo,
  referral, error or other such code. "I forgot my password" and "验证码收不到" pass.
- Card numbers: 13-19 digits, Luhn-valid, with a known issuer prefix. A number right
  after an order, UID or transaction label is kept; an unlabelled unbroken run must have
  a card's usual length (16, or 15 for American Express) so long numeric order IDs pass.

`redact` looks for secrets in the normalised view of the text (`view`), one finder per
kind: `seed_phrases` (with `prose`, which tells random Chinese characters from a
sentence), `keys` (private keys and exchange API secrets) and `credentials` (passwords,
one-time codes, card numbers), all built on the label matching of `labels`. Overlapping
findings are merged, the kind first in `KINDS` winning, and the text goes through again
until nothing more is found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .credentials import card_number_spans, one_time_code_spans, password_spans
from .keys import api_secret_spans, private_key_spans
from .seed_phrases import seed_phrase_spans
from .view import ASCII_LOWER, MASK, Span, normalised_view

__all__ = ["KINDS", "MARKER", "Redaction", "marker", "redact"]

KINDS = ("seed_phrase", "private_key", "api_secret", "password", "one_time_code", "card_number")
"""Every kind of secret, also the order of precedence when two findings overlap."""

MARKER = re.compile(
    r"\[redacted:(seed_phrase|private_key|api_secret|password|one_time_code|card_number)\]"
)
"""Finds the markers in stored text; group 1 is the kind."""

_PASSES = 4
"""`redact` runs again over its own output until nothing more is found (a redaction can
bring a label nearer to a secret), this many times at most."""


@dataclass(frozen=True)
class Redaction:
    text: str
    """The input with each secret replaced by `marker(kind)`."""
    kinds: tuple[str, ...]
    """The kinds found, in order of first appearance, no repeats."""

    @property
    def found(self) -> bool:
        return bool(self.kinds)


def marker(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of secret: {kind!r}")
    return f"[redacted:{kind}]"


def redact(text: str) -> Redaction:
    """Replace every secret in `text` by its marker. Idempotent; never raises on a str."""
    kinds: list[str] = []
    for _ in range(_PASSES):
        findings = _find_secrets(text)
        if not findings:
            break
        parts: list[str] = []
        position = 0
        for start, end, kind in findings:
            parts.append(text[position:start])
            parts.append(marker(kind))
            position = end
            if kind not in kinds:
                kinds.append(kind)
        parts.append(text[position:])
        text = "".join(parts)
    return Redaction(text, tuple(kinds))


_FINDERS: tuple[Callable[[str, str], list[Span]], ...] = (
    seed_phrase_spans,
    private_key_spans,
    api_secret_spans,
    password_spans,
    one_time_code_spans,
    card_number_spans,
)


def _find_secrets(text: str) -> list[Span]:
    """The secrets of `text`: (start, end, kind) in the original, sorted, not overlapping."""
    view = normalised_view(text)
    searched = view.text
    if "[redacted:" in searched:
        searched = MARKER.sub(lambda found: MASK * len(found.group()), searched)
    lowered = searched.lower()
    if len(lowered) != len(searched):
        lowered = searched.translate(ASCII_LOWER)
    spans: list[Span] = []
    for finder in _FINDERS:
        spans.extend(finder(searched, lowered))
    if not spans:
        return []
    original = sorted(
        (*view.original_span(start, end), kind)
        for start, end, kind in spans
        if start < end and MASK not in searched[start:end]
    )
    merged: list[Span] = []
    for start, end, kind in original:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            winner = min(kind, last_kind, key=KINDS.index)
            merged[-1] = (last_start, max(end, last_end), winner)
        else:
            merged.append((start, end, kind))
    return merged
