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
  (`_looks_random`: character frequency and jieba's word pairs). After a label the
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
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import rjieba

from pharos.trust import bip39

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


# The normalised view -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """The text secrets are looked for in, and where its characters came from: segments
    starting at `breaks` (positions in the view) are either copied from `origins` on
    (`copied`) or the expansion of the one original character at `origins`."""

    text: str
    breaks: list[int]
    origins: list[int]
    copied: list[bool]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.breaks:
            return start, end
        return self._original(start)[0], self._original(end - 1)[1]

    def _original(self, position: int) -> tuple[int, int]:
        segment = bisect.bisect_right(self.breaks, position) - 1
        origin = self.origins[segment]
        if self.copied[segment]:
            origin += position - self.breaks[segment]
        return origin, origin + 1


_VARIATION_SELECTORS = frozenset(
    [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x034F, 0x180B, 0x180C, 0x180D]
)


@lru_cache(maxsize=8192)
def _replacement(character: str) -> str:
    """What one character becomes in the view: nothing if invisible, else its NFKC form."""
    if unicodedata.category(character) == "Cf" or ord(character) in _VARIATION_SELECTORS:
        return ""
    return unicodedata.normalize("NFKC", character)


@cache
def _changing_characters() -> re.Pattern[str]:
    """Runs of characters that the view changes. Built once, from the Basic Multilingual
    Plane (a few tens of milliseconds); every character beyond it is handled one by one,
    which costs nothing for the emoji of a chat message."""
    ranges: list[tuple[int, int]] = []
    for code_point in range(0x80, 0x10000):
        character = chr(code_point)
        if _replacement(character) != character:
            if ranges and ranges[-1][1] == code_point - 1:
                ranges[-1] = (ranges[-1][0], code_point)
            else:
                ranges.append((code_point, code_point))
    _replacement.cache_clear()
    members = "".join(
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )
    return re.compile(f"[{members}\\U00010000-\\U0010ffff]+")


@lru_cache(maxsize=8192)
def _same_length_replacement(run: str) -> str | None:
    """What a run of changing characters becomes, if character for character (full-width
    punctuation, compatibility ideographs); None if it hides or expands characters."""
    replacements = [_replacement(character) for character in run]
    if any(len(replacement) != 1 for replacement in replacements):
        return None
    return "".join(replacements)


def _view(text: str) -> _View:
    if text.isascii():
        return _View(text, [], [], [])
    changing = _changing_characters()
    if changing.search(text) is None:
        return _View(text, [], [], [])
    parts: list[str] = []
    breaks: list[int] = [0]
    origins: list[int] = [0]
    copied: list[bool] = [True]
    length = 0  # of the view so far
    position = 0  # in the original
    for run in changing.finditer(text):
        parts.append(text[position : run.start()])
        length += run.start() - position
        position = run.end()
        same_length = _same_length_replacement(run.group())
        if same_length is not None:
            parts.append(same_length)  # the copied segment goes on, one for one
            length += len(same_length)
            continue
        for index in range(run.start(), run.end()):
            replacement = _replacement(text[index])
            if replacement:
                parts.append(replacement)
                breaks.append(length)
                origins.append(index)
                copied.append(False)
                length += len(replacement)
        breaks.append(length)
        origins.append(run.end())
        copied.append(True)
    parts.append(text[position:])
    if len(breaks) == 1:
        breaks, origins, copied = [], [], []
    return _View("".join(parts), breaks, origins, copied)


# A character that no pattern below can match or step over: existing markers are
# overwritten with it, so a second pass finds nothing in them.
_MASK = "\u02b0"
# Labels are matched in a lowered copy, which spares the patterns IGNORECASE (a fivefold
# slowdown). It must keep every position: when str.lower does not ("İ" becomes two
# characters), only ASCII letters are lowered, which is slower.
_ASCII_LOWER = {upper: upper + 32 for upper in range(ord("A"), ord("Z") + 1)}

_Span = tuple[int, int, str]


def _find_secrets(text: str) -> list[_Span]:
    """The secrets of `text`: (start, end, kind) in the original, sorted, not overlapping."""
    view = _view(text)
    searched = view.text
    if "[redacted:" in searched:
        searched = MARKER.sub(lambda found: _MASK * len(found.group()), searched)
    lowered = searched.lower()
    if len(lowered) != len(searched):
        lowered = searched.translate(_ASCII_LOWER)
    spans: list[_Span] = []
    for finder in _FINDERS:
        spans.extend(finder(searched, lowered))
    if not spans:
        return []
    original = sorted(
        (*view.original_span(start, end), kind)
        for start, end, kind in spans
        if start < end and _MASK not in searched[start:end]
    )
    merged: list[_Span] = []
    for start, end, kind in original:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_kind = merged[-1]
            winner = min(kind, last_kind, key=KINDS.index)
            merged[-1] = (last_start, max(end, last_end), winner)
        else:
            merged.append((start, end, kind))
    return merged


def _mentions(lowered: str, words: Iterable[str]) -> bool:
    return any(word in lowered for word in words)


# Label patterns begin each alternative with a literal, which lets the regular
# expression engine skip ahead to the characters that can start one; a word boundary at
# the start would defeat that. So they end English words with (?![a-z0-9]), and
# `_labels` drops matches that begin inside an ASCII word. (\b would not do anyway: a
# Chinese character is a word character too, and "我的UID是" has no \b before "UID".)
_END = "(?![a-z0-9])"


def _is_alphanumeric(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _labels(
    pattern: re.Pattern[str], lowered: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match[str]]:
    """The matches of a label pattern in `lowered` that start a word."""
    for found in pattern.finditer(lowered, start, len(lowered) if end is None else end):
        position = found.start()
        inside_a_word = (
            position > 0
            and _is_alphanumeric(lowered[position])
            and _is_alphanumeric(lowered[position - 1])
        )
        if inside_a_word:
            continue
        yield found


def _last_label(
    patterns: Iterable[re.Pattern[str]], lowered: str, start: int, end: int
) -> int | None:
    """Where the last label of these patterns in lowered[start:end] begins, if any."""
    starts = [
        found.start()
        for pattern in patterns
        for found in _labels(pattern, lowered, max(0, start), end)
    ]
    return max(starts, default=None)


def _first_label(
    patterns: Iterable[re.Pattern[str]], lowered: str, start: int, end: int
) -> int | None:
    """Where the first label of these patterns in lowered[start:end] begins, if any."""
    starts = [
        found.start()
        for pattern in patterns
        for found in itertools.islice(_labels(pattern, lowered, start, end), 1)
    ]
    return min(starts, default=None)


# Between a label and the value it gives: quotes, "is", ":", "=", "是", "为".
_GIVES = rf"""["'`]?\s*(?:(?:is|was|are){_END}|:|=|是|为|為|->|=>)?[\s:=]*"""
# What a label may be of: "password for my binance account is …", "secret for the bot: …".
_QUALIFIER = r"(?:\s+(?:for|of|on|to)\s+(?:(?:my|the|your|this|that)\s+)?[a-z]+(?:\s+[a-z]+)?)?"


# Seed phrases --------------------------------------------------------------------------

_LATIN_WORD = re.compile(r"[a-z]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
# What may stand between two words of a phrase: spaces, punctuation, line breaks and the
# numbering customers add ("1. abandon 2) ability #3 …"), never another word.
_WORD_SEPARATOR = re.compile(r"(?:[\W_]|(?<![0-9])[0-9]{1,2}(?![0-9]))*")
_LONGEST_SEPARATOR = 16
_LONGEST_RUN = 27  # a 24-word phrase and a few list words around it
# A line of Chinese characters in groups separated by spaces: "的一是在 不了有和 …". A
# phrase written without spaces, or in groups, is one or more whole groups.
_HAN_BLOCK = re.compile(f"[{_HAN}]+(?:[ \\t]+[{_HAN}]+)*")
# Patterns mixing English and Chinese alternatives run twice as slowly: two patterns.
_SEED_LABEL = re.compile(
    r"(?:secret\s+recovery[\s_-]*(?:phrase|words?|seed)|recovery[\s_-]*(?:phrase|words?|seed)"
    r"|seed(?:[\s_-]*(?:phrase|words?))?|mnemonic(?:[\s_-]*(?:phrase|words?))?"
    r"|backup[\s_-]*(?:phrase|words|seed)|wallet[\s_-]*(?:phrase|words)"
    rf"|12[\s_-]*words?|24[\s_-]*words?|twelve[\s_-]*words?|twenty[\s-]*four[\s_-]*words?){_END}"
)
_SEED_LABEL_CHINESE = re.compile(
    r"助[记記][词詞]|种子(?:短语|词|码)|種子(?:短語|詞|碼)|恢复(?:短语|词)|恢復(?:短語|詞)"
    r"|备份(?:短语|词)|備份(?:短語|詞)|钱包(?:短语|词)|錢包(?:短語|詞)"
)
_SEED_LABEL_WORDS = (
    "seed", "recovery", "mnemonic", "backup", "wallet", "words", "助记", "助記",
    "种子", "種子", "恢复", "恢復", "备份", "備份", "钱包", "錢包",
)  # fmt: skip
_LABEL_REACH = 40  # characters between a label and the secret it announces
_LABELLED_WORDS = 36  # after a label: a few words of the sentence, then up to 24 of a phrase
# "is", "是", ":" and the like between a label and an unspaced Chinese phrase.
_HAN_FILLER = re.compile(r"(?:[^\w]|is|are|是|为|為|如下|就是)*")

_Token = tuple[int, int, int | None]  # start, end, index in the word list (None: not in it)


def _seed_phrase_spans(text: str, lowered: str) -> list[_Span]:
    """English phrases, and Chinese ones in either list, spaced or not."""
    spans: list[tuple[int, int]] = []
    labels: list[int] = []
    if _mentions(lowered, _SEED_LABEL_WORDS):
        labels.extend(label.end() for label in _labels(_SEED_LABEL, lowered))
        if not text.isascii():
            labels.extend(label.end() for label in _SEED_LABEL_CHINESE.finditer(lowered))
    if len(text) >= 12 * 4:
        english = bip39.english()
        # Half the words of ordinary English are list words; twelve in a row are rare.
        listed = bytes(map(english.__contains__, _LATIN_WORD.findall(lowered)))
        if b"\x01" * 12 in listed:
            spans.extend(_phrases_in_tokens(text, _english_words(lowered), labels))
        elif listed.count(1) >= 11:
            for label_end in labels:
                # A labelled phrase, even mistyped, has 11 list words in 12 somewhere.
                words = _LATIN_WORD.findall(lowered, label_end, label_end + 12 * _LABELLED_WORDS)
                following = bytes(map(english.__contains__, words[:_LABELLED_WORDS]))
                if any(following[i : i + 12].count(1) >= 11 for i in range(len(following) - 10)):
                    tokens = _english_words(lowered, label_end, _LABELLED_WORDS)
                    spans.extend(_phrases_in_tokens(text, tokens, [label_end]))
    if not text.isascii():
        runs = [run.span() for run in _HAN_RUN.finditer(text)]
        if sum(end - start for start, end in runs) >= 12:
            candidates = _unspaced_candidates(text, runs)
            # A label followed by Chinese characters, for a phrase written unspaced.
            han_labels = [end for end in labels if _HAN_RUN.search(text, end, end + _LABEL_REACH)]
            word_lists = [bip39.chinese_simplified()]
            if _traditional_characters().search(text):
                word_lists.append(bip39.chinese_traditional())
            for word_list in word_lists:
                # Characters standing alone, as in "的 一 是 …" or "1.的 2.一 …".
                characters = [
                    (start, end, word_list.get(text[start]))
                    for start, end in runs
                    if end - start == 1
                ]
                if sum(index is not None for _, _, index in characters) >= 11:
                    spans.extend(_phrases_in_tokens(text, characters, labels))
                spans.extend(_unspaced_chinese_phrases(text, candidates, word_list, han_labels))
    return [(start, end, "seed_phrase") for start, end in spans]


@cache
def _traditional_characters() -> re.Pattern[str]:
    """The characters of the traditional list that the simplified one lacks ("這", "為"):
    a phrase in the traditional list has four or five of them on average (and one that
    has none is in the simplified list too)."""
    only = sorted(set(bip39.chinese_traditional()) - set(bip39.chinese_simplified()))
    return re.compile(f"[{''.join(only)}]")


def _english_words(lowered: str, start: int = 0, most: int | None = None) -> list[_Token]:
    """The words of the text from `start` on (`most` of them at most), each with its
    index in the English list."""
    english = bip39.english()
    return [
        (word.start(), word.end(), english.get(word.group()))
        for word in itertools.islice(_LATIN_WORD.finditer(lowered, start), most)
    ]


def _phrases_in_tokens(
    text: str, tokens: Sequence[_Token], labels: Sequence[int]
) -> list[tuple[int, int]]:
    """Phrases among words written apart (English, or Chinese characters one by one)."""
    linked: dict[int, bool] = {}

    def separated(position: int) -> bool:
        """Whether only separators stand between token `position` and the next one."""
        if position not in linked:
            gap = text[tokens[position][1] : tokens[position + 1][0]]
            linked[position] = gap == " " or (
                len(gap) <= _LONGEST_SEPARATOR and _WORD_SEPARATOR.fullmatch(gap) is not None
            )
        return linked[position]

    spans: list[tuple[int, int]] = []
    # Unlabelled: every window of a run of list words whose checksum holds.
    runs: list[list[int]] = [[]]
    for position, (_, _, index) in enumerate(tokens):
        if index is None or (runs[-1] and not separated(position - 1)):
            runs.append([])
        if index is not None:
            runs[-1].append(position)
    for run in runs:
        if len(run) < 12:
            continue
        known = [index for _, _, index in map(tokens.__getitem__, run) if index is not None]
        windows = [
            (start, start + length)
            for length in bip39.PHRASE_LENGTHS
            for start in range(len(run) - length + 1)
            if bip39.checksum_is_valid(known[start : start + length])
        ]
        covered = {position for start, end in windows for position in range(start, end)}
        if windows and len(run) <= _LONGEST_RUN and len(run) - len(covered) >= 3:
            # A chance 12-word window inside a 24-word phrase with a typo: the whole run
            # is the secret, not the window.
            windows = [(0, len(run))]
        spans.extend((tokens[run[start]][0], tokens[run[end - 1]][1]) for start, end in windows)
    # Labelled: the words right after a label, even if the checksum fails.
    for label_end in labels:
        first = next(
            (
                position
                for position, (start, _, index) in enumerate(tokens)
                if start >= label_end and index is not None
            ),
            None,
        )
        if first is None or tokens[first][0] - label_end > _LABEL_REACH:
            continue
        last = first
        while last + 1 < len(tokens) and last - first < 26 and separated(last):
            last += 1
        span = _labelled_phrase([index for _, _, index in tokens[first : last + 1]])
        if span is not None:
            spans.append((tokens[first + span[0]][0], tokens[first + span[1] - 1][1]))
    return spans


def _labelled_phrase(indexes: Sequence[int | None]) -> tuple[int, int] | None:
    """Which of the words following a label are the phrase: (first, end) positions.

    The longest checksum-valid phrase starting at one of the first three words (a list
    word such as "account" may stand between label and phrase). Failing that, the longest
    phrase length whose words are all in the list but one in twelve (a typo).
    """
    for length in reversed(bip39.PHRASE_LENGTHS):
        for first in range(min(3, len(indexes))):
            window = indexes[first : first + length]
            known = [index for index in window if index is not None]
            if len(known) == length and bip39.checksum_is_valid(known):
                return first, first + length
    for length in reversed(bip39.PHRASE_LENGTHS):
        window = indexes[:length]
        if len(window) < length or window[0] is None or window[-1] is None:
            continue
        if sum(index is None for index in window) <= length // 12:
            return 0, length
    return None


def _unspaced_candidates(
    text: str, runs: Sequence[tuple[int, int]]
) -> list[Sequence[tuple[int, int]]]:
    """Where an unspaced Chinese phrase could be: consecutive runs of Chinese characters,
    separated by nothing but spaces, that together have a phrase's length."""
    candidates: list[Sequence[tuple[int, int]]] = []
    longest = max(bip39.PHRASE_LENGTHS)
    for first in range(len(runs)):
        length = 0
        for last in range(first, len(runs)):
            if last > first and text[runs[last - 1][1] : runs[last][0]].strip(" \t"):
                break  # not in one line of space-separated groups
            length += runs[last][1] - runs[last][0]
            if length > longest:
                break
            if length in bip39.PHRASE_LENGTHS:
                candidates.append(runs[first : last + 1])
    return candidates


def _unspaced_chinese_phrases(
    text: str,
    candidates: Sequence[Sequence[tuple[int, int]]],
    word_list: dict[str, int],
    labels: Sequence[int],
) -> list[tuple[int, int]]:
    """Chinese phrases written without spaces, or in groups separated by spaces."""
    spans: list[tuple[int, int]] = []
    for groups in candidates:
        indexes = _indexes(text, groups, word_list)
        if indexes is not None and bip39.checksum_is_valid(indexes) and _looks_random(indexes):
            spans.append((groups[0][0], groups[-1][1]))
    for label_end in labels:
        filler = _HAN_FILLER.match(text, label_end, label_end + _LABEL_REACH)
        starts = [label_end] if filler is None else [filler.end(), label_end]
        # The filler may have swallowed a "是" that begins the phrase, or not.
        starts.extend(
            position
            for position in range(label_end, starts[0])
            if "\u3400" <= text[position] <= "\u9fff"
        )
        for start in dict.fromkeys(starts):
            span = _labelled_unspaced_phrase(text, start, word_list)
            if span is not None:
                spans.append(span)
                break
    return spans


def _indexes(
    text: str, groups: Sequence[tuple[int, int]], word_list: dict[str, int]
) -> list[int] | None:
    """The list indexes of the characters of these groups, or None if one is not listed."""
    indexes = []
    for start, end in groups:
        for character in text[start:end]:
            index = word_list.get(character)
            if index is None:
                return None
            indexes.append(index)
    return indexes


def _labelled_unspaced_phrase(
    text: str, start: int, word_list: dict[str, int]
) -> tuple[int, int] | None:
    """The phrase right after a label: the first 12-24 characters if their checksum holds
    (the phrase may run on into the sentence), else whole groups of a phrase's length
    that look random (a mistyped phrase)."""
    block = _HAN_BLOCK.match(text, start)
    if block is None:
        return None
    # The first characters of the block, and one more to tell whether it goes on.
    positions = list(
        itertools.islice(
            (index for index in range(block.start(), block.end()) if not text[index].isspace()),
            max(bip39.PHRASE_LENGTHS) + 1,
        )
    )
    leading = [word_list.get(text[position]) for position in positions[:24]]
    # Of the valid windows, the longest, unless what it adds to a shorter one reads like
    # prose: a 24-character phrase starts with a valid 12 one time in 16 (stopping there
    # would leak the rest), and a 12-character phrase followed by "请帮我找回资" makes a
    # valid 18-character window one time in 64.
    chosen = 0
    for length in bip39.PHRASE_LENGTHS:
        known = [index for index in leading[:length] if index is not None]
        if len(known) < length or not bip39.checksum_is_valid(known):
            continue
        if chosen == 0:
            if length == len(positions) or _looks_random(known):
                chosen = length
        elif not _reads_like_prose(known[chosen:]):
            chosen = length
    if chosen:
        return block.start(), positions[chosen - 1] + 1
    groups: list[tuple[int, int]] = []
    length = 0
    for group in _HAN_RUN.finditer(text, block.start(), block.end()):
        group_start, group_end = group.span()
        groups.append((group_start, group_end))
        length += group_end - group_start
        if length > max(bip39.PHRASE_LENGTHS):
            break
        if length in bip39.PHRASE_LENGTHS:
            indexes = _indexes(text, groups, word_list)
            if indexes is not None and _looks_random(indexes):
                return block.start(), group_end
    return None


@cache
def _prose_weights() -> tuple[float, ...]:
    # Log-likelihood ratio of a character of the given rank under Zipf's law (ordinary
    # text: P ∝ 1/rank, normalised over 2048 ranks by H(2048) ≈ 8.2) against the uniform
    # draw of a phrase (P = 1/2048): positive for common characters.
    harmonic = sum(1 / rank for rank in range(1, bip39.WORDS_PER_LIST + 1))
    return tuple(
        math.log(bip39.WORDS_PER_LIST / (harmonic * rank))
        for rank in range(1, bip39.WORDS_PER_LIST + 1)
    )


@cache
def _simplified_characters() -> tuple[str, ...]:
    # The traditional list is the simplified one character for character ("这" and "這"
    # share an index), so one dictionary of simplified words serves both.
    characters = [""] * bip39.WORDS_PER_LIST
    for character, index in bip39.chinese_simplified().items():
        characters[index] = character
    return tuple(characters)


def _prose_signs(indexes: Sequence[int]) -> tuple[float, int]:
    """How much Chinese characters (indexes in the word list) lean on the most frequent
    ones, as a log-likelihood ratio of prose against a random draw, and how many of their
    neighbouring pairs make a word in jieba's dictionary."""
    weights = _prose_weights()
    characters = _simplified_characters()
    words = sum(
        rjieba.has_word(characters[first] + characters[second])
        for first, second in itertools.pairwise(indexes)
    )
    return sum(weights[index] for index in indexes), words


def _looks_random(indexes: Sequence[int]) -> bool:
    """Whether Chinese characters look drawn at random rather than taken from a sentence:
    prose leans on the most frequent characters, where a phrase draws from all 2048
    alike, and in prose neighbouring characters form words (4 in 11 adjacent pairs of a
    12-character clause of the help center, 1 in 5 of a random phrase at most).
    Together the two let through 0.3 % of the help center's 12-character clauses made
    only of list characters, and reject 0.2 % of random phrases."""
    likelihood, words = _prose_signs(indexes)
    return likelihood < 0 and words <= (len(indexes) - 1) // 5


def _reads_like_prose(indexes: Sequence[int]) -> bool:
    """Whether a few Chinese characters clearly read like a sentence: in the help center,
    this holds for a third of 3-character and 92 % of 6-character starts of a sentence,
    and for 0.2 % and 0.5 % of random ones."""
    likelihood, words = _prose_signs(indexes)
    return words >= 2 or (words >= 1 and likelihood > 3) or likelihood > 6


# Private keys --------------------------------------------------------------------------

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUES = {character: value for value, character in enumerate(_BASE58_ALPHABET)}
_BASE58 = re.compile(f"[{_BASE58_ALPHABET}]+")
_HEXADECIMAL = re.compile(r"[0-9a-fA-F]+")
# Every key shape is a run of 44 letters and digits or more; hashes and addresses too.
_LONG_TOKEN = re.compile(r"[0-9A-Za-z]{44,}")
_PRIVATE_KEY_NAME = rf"priv(?:ate)?[\s_-]*keys?{_END}|私[钥鑰匙]|私人密[钥鑰]"
# An exchange calls its API secret a "secret key" too: 64 hex digits after it are a
# private key, unless "API" comes first; any other token is an API secret.
_KEY_LABELS = (re.compile(rf"{_PRIVATE_KEY_NAME}|secret[\s_-]*keys?{_END}"),)
_TRANSACTION_LABELS = (
    re.compile(
        r"(?:tx|txid|txn|txhash|tx[\s_-]*(?:id|hash)|transactions?|hash|hashes|blocks?|explorer"
        rf"|etherscan|bscscan|tronscan|polygonscan|solscan|arbiscan|oklink|mempool|blockchair){_END}"
    ),
    re.compile("交易|哈希|区块|區塊|转账|轉賬|记录|記錄"),
)
_API_BEFORE = re.compile(r"api[\s_-]?$")
_LABELLED_PRIVATE_KEY = re.compile(
    rf"(?:{_PRIVATE_KEY_NAME}){_GIVES}(?P<value>(?:0x)?[0-9a-z+/=]{{44,256}})(?![0-9a-z+/=])"
)
_PUBLIC_PREFIXES = ("xpub", "ypub", "zpub", "tpub", "upub", "vpub", "bc1", "tb1")
_EXTENDED_PRIVATE_PREFIXES = tuple(f"{letter}prv" for letter in "xyztuvXYZUV")
_CONTEXT_BEFORE = 80
_CONTEXT_AFTER = 40


def _private_key_spans(text: str, lowered: str) -> list[_Span]:
    spans: list[_Span] = []
    for token in _LONG_TOKEN.finditer(text):
        value, start, end = token.group(), token.start(), token.end()
        if value[:2] in ("0x", "0X") and len(value) == 66:
            value, start = value[2:], start + 2
        if len(value) == 64 and _HEXADECIMAL.fullmatch(value):
            if _hex_is_labelled_as_key(lowered, token.start(), end):
                spans.append((start, end, "private_key"))
        elif _BASE58.fullmatch(value) and (_is_wif(value) or _is_extended_private_key(value)):
            spans.append((start, end, "private_key"))
    if _mentions(lowered, ("priv", "私")):
        for found in _labels(_LABELLED_PRIVATE_KEY, lowered):
            if not found.group("value").startswith(_PUBLIC_PREFIXES):
                spans.append((found.start("value"), found.end("value"), "private_key"))
    return spans


def _hex_is_labelled_as_key(lowered: str, start: int, end: int) -> bool:
    """Whether the nearest label of 64 hex digits calls them a key: before them, or
    failing that just after ("… is my private key"). A hex string in a URL is a hash."""
    if start > 0 and lowered[start - 1] in "/=#?&":
        return False
    key = _last_label(_KEY_LABELS, lowered, start - _CONTEXT_BEFORE, start)
    transaction = _last_label(_TRANSACTION_LABELS, lowered, start - _CONTEXT_BEFORE, start)
    if key is None and transaction is None:
        key = _first_label(_KEY_LABELS, lowered, end, end + _CONTEXT_AFTER)
        transaction = _first_label(_TRANSACTION_LABELS, lowered, end, end + _CONTEXT_AFTER)
        if transaction is not None and (key is None or transaction < key):
            return False
    elif transaction is not None and (key is None or transaction > key):
        return False
    return key is not None and not _API_BEFORE.search(lowered, max(0, key - 4), key)


def _is_extended_private_key(encoded: str) -> bool:
    """Whether a base58 string has the shape of an extended private key (BIP32, with the
    SLIP-132 prefixes), checksum or not."""
    return 104 <= len(encoded) <= 116 and encoded.startswith(_EXTENDED_PRIVATE_PREFIXES)


def _base58_decode(encoded: str) -> bytes:
    number = 0
    for character in encoded:
        number = number * 58 + _BASE58_VALUES[character]
    leading_zeros = len(encoded) - len(encoded.lstrip("1"))
    return b"\0" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _base58check_payload(encoded: str) -> bytes | None:
    """The payload of a base58check string, or None if its checksum fails."""
    raw = _base58_decode(encoded)
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def _is_wif(encoded: str) -> bool:
    """Whether a string is a private key in wallet import format (mainnet or testnet,
    compressed or not) with a valid checksum."""
    if len(encoded) not in (51, 52) or encoded[0] not in "5KLc9":
        return False
    payload = _base58check_payload(encoded)
    if payload is None or payload[0] not in (0x80, 0xEF):
        return False
    return len(payload) == 33 or (len(payload) == 34 and payload[-1] == 0x01)


# Exchange API secrets ------------------------------------------------------------------

_API_SECRET = re.compile(
    r"(?:api[\s_-]*(?:secret(?:[\s_-]*key)?|private[\s_-]*key|私[钥鑰]|密[钥鑰]|秘[钥鑰])"
    rf"|secret[\s_-]*keys?{_END}|client[\s_-]*secret|app[\s_-]*secret|secret{_END}"
    rf"|密[钥鑰]|秘[钥鑰]){_QUALIFIER}{_GIVES}"
    r"[\"'`]?(?P<value>[a-z0-9+/=_-]{24,256})(?![a-z0-9+/=_-])"
)
_API_SECRET_WORDS = ("secret", "密钥", "密鑰", "秘钥", "秘鑰", "私钥", "私鑰")


def _api_secret_spans(text: str, lowered: str) -> list[_Span]:
    if not _mentions(lowered, _API_SECRET_WORDS):
        return []
    spans: list[_Span] = []
    for found in _labels(_API_SECRET, lowered):
        value = found.group("value")
        if any(character.isdigit() for character in value) and any(
            character.isalpha() for character in value
        ):
            spans.append((found.start("value"), found.end("value"), "api_secret"))
    return spans


# Passwords -----------------------------------------------------------------------------

# A value given after a label: printable ASCII without spaces, or quoted.
_VALUE = (
    r"""(?P<value>"[^"\n]{1,64}"|'[^'\n]{1,64}'|“[^”\n]{1,64}”"""
    r"|[\x21-\x7e]{4,64}(?![\x21-\x7e]))"
)
_PASSWORD = re.compile(
    # An English label is followed by a space, quote, ":" or "=" ("password.label" and
    # "[password](link)" are code and markup, not a password given). "动态密码" and
    # "一次性密码" are one-time codes.
    r"(?:(?:password|passwd|passphrase|pass[\s_-]word|pwd|pw)s?(?=[\s:=\"'`])"
    r"|密(?<!动态密)(?<!動態密)(?<!一次性密)[码碼])"
    f"{_QUALIFIER}{_GIVES}{_VALUE}"
)
_PASSWORD_WORDS = ("pass", "pw", "密码", "密碼")
_TRAILING_PUNCTUATION = ".,;:?)]}>\"'`"
_SYMBOLS = frozenset("!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~")
_DATE_OR_TIME = re.compile(r"\d{1,4}[-/.:]\d{1,2}(?:[-/.:]\d{1,4})*")


def _password_spans(text: str, lowered: str) -> list[_Span]:
    if not _mentions(lowered, _PASSWORD_WORDS):
        return []
    spans: list[_Span] = []
    for found in _labels(_PASSWORD, lowered):
        start, end = found.span("value")
        value = text[start:end]
        if value[0] in "\"'“":
            start, end, value = start + 1, end - 1, value[1:-1]
            quoted = True
        else:
            quoted = False
            stripped = value.rstrip(_TRAILING_PUNCTUATION)
            end -= len(value) - len(stripped)
            value = stripped
        if _looks_like_password(value, quoted):
            spans.append((start, end, "password"))
    return spans


def _looks_like_password(value: str, quoted: bool) -> bool:
    if len(value) < 4 or _DATE_OR_TIME.fullmatch(value):
        return False
    if value[0] in "([{<)]}>.,;:|/\\~":
        return False  # markup, code or a path: '["Password", "密码"]', "(article:…)", "/home"
    if quoted:
        return True
    letters = sum(character.isalpha() for character in value)
    digits = sum(character.isdigit() for character in value)
    symbols = sum(character in _SYMBOLS for character in value)
    if digits == len(value):
        return digits >= 6  # a trading password, "资金密码是 135790"; not "2024"
    if letters and digits:
        return True
    return bool(letters and symbols and len(value) >= 6)


# One-time codes ------------------------------------------------------------------------

# The nouns of a one-time code. "code", "pin" and "token" need a word before them that
# makes them one ("SMS code", "Google Authenticator code"), or, for "code", a given six
# digits ("the code is 120398").
_CODE_VALUE = (
    rf"(?P<gives>{_GIVES})"
    r"(?<![0-9])(?P<value>[0-9]{3}[ -][0-9]{3}|[0-9]{4,8})(?![0-9]|[.,:/-][0-9])"
)
_ONE_TIME_CODE = re.compile(
    rf"(?P<noun>passcode|code|pin|token|otp|2fa|totp|mfa|authenticator)s?{_END}{_CODE_VALUE}"
)
_ONE_TIME_CODE_CHINESE = re.compile(
    r"(?:验证码|驗證碼|校验码|校驗碼|动态码|動態碼|动态密码|動態密碼|安全码|認證碼|认证码"
    rf"|一次性密码|谷歌验证器?|谷歌驗證器?){_CODE_VALUE}"
)
_ONE_TIME_CODE_WORDS = (
    "code", "otp", "2fa", "pin", "token", "authenticator", "mfa", "码", "碼", "谷歌验证",
    "谷歌驗證", "動態密碼", "动态密码",
)  # fmt: skip
_CODE_QUALIFIER = re.compile(
    r"(?:2fa|mfa|otp|totp|sms|text|phone|mobile|e-?mail|google|ga|authenticator|auth"
    r"|verification|verify|security|confirmation|login|sign[\s-]?in|reset|withdrawal"
    r"|one[\s-]?time|2[\s-]?step|two[\s-]?factor)[\s_-]+"
    r"(?:(?:authenticator|auth|verification|2fa|security|login)[\s_-]+)?$"
)
_OTHER_CODES = frozenset(
    "promo promotion promotional referral refer invite invitation coupon voucher gift reward "
    "discount redeem redemption error status response http post postal zip country area sort "
    "swift bank branch reason tracking order product source qr bar".split()
)
_LAST_WORD = re.compile(r"([a-z]+)[\s_-]+$")


def _one_time_code_spans(text: str, lowered: str) -> list[_Span]:
    if not _mentions(lowered, _ONE_TIME_CODE_WORDS):
        return []
    spans: list[_Span] = []
    for found in _labels(_ONE_TIME_CODE, lowered):
        if found.group("noun") in ("code", "pin", "token") and not _qualified_code(found, lowered):
            continue
        spans.append((found.start("value"), found.end("value"), "one_time_code"))
    if not text.isascii():
        spans.extend(
            (found.start("value"), found.end("value"), "one_time_code")
            for found in _ONE_TIME_CODE_CHINESE.finditer(lowered)
        )
    return spans


def _qualified_code(found: re.Match[str], lowered: str) -> bool:
    """Whether a "code", "pin" or "token" given digits is a one-time code: a word before
    it says so ("SMS code"), or it is a bare "code" given six digits ("the code is
    120398", not "referral code: 884422")."""
    before = max(0, found.start() - _LABEL_REACH)
    if _CODE_QUALIFIER.search(lowered, before, found.start()):
        return True
    if found.group("noun") != "code" or not found.group("gives").strip(" \"'`"):
        return False
    if len(found.group("value").replace(" ", "").replace("-", "")) != 6:
        return False
    last = _LAST_WORD.search(lowered, before, found.start())
    return last is None or last.group(1) not in _OTHER_CODES


# Card numbers --------------------------------------------------------------------------

# Groups as printed (4-4-4-4, 4-6-5, 4-4-5, 4-4-4-4-3) with one kind of separator, or the
# digits run together. (What may not come before is checked by `_card_number_spans`: a
# look-behind first would keep the engine from skipping ahead to the digits.)
_CARD_NUMBER = re.compile(
    r"(?:[0-9]{4}(?P<separator>[ -])[0-9]{3,6}(?:(?P=separator)[0-9]{1,6}){1,3}|[0-9]{13,19})"
    r"(?![0-9A-Za-z]|[.,][0-9])"
)
_NOT_BEFORE_CARD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,/-")
_CARD_LABELS = (
    re.compile(rf"(?:card|cards|visa|mastercard|master\s+card|amex|debit|credit|cvv){_END}"),
    re.compile("卡号|卡號|银行卡|銀行卡|信用卡|借记卡|储蓄卡|卡"),
)
_NOT_CARD_LABELS = (
    re.compile(
        r"(?:order|orders|uid|id|ref|reference|invoice|ticket|tx|txid|transaction|phone"
        rf"|mobile|tel|case|withdrawal|deposit|trade){_END}"
    ),
    re.compile(
        "订单|訂單|单号|單號|编号|編號|交易|账号|帳號|账户|帳戶|手机|手機|电话|電話|工单|工單"
    ),
)
_CARD_CONTEXT_BEFORE = 30
_FOUR_DIGITS = re.compile(r"[0-9]{4}")


def _card_number_spans(text: str, lowered: str) -> list[_Span]:
    if _FOUR_DIGITS.search(text) is None:
        return []
    spans: list[_Span] = []
    for found in _CARD_NUMBER.finditer(text):
        if found.start() and text[found.start() - 1] in _NOT_BEFORE_CARD:
            continue
        digits = found.group().replace(" ", "").replace("-", "")
        if not (_luhn_is_valid(digits) and _issuer_accepts(digits)):
            continue
        start = found.start()
        card = _last_label(_CARD_LABELS, lowered, start - _CARD_CONTEXT_BEFORE, start)
        other = _last_label(_NOT_CARD_LABELS, lowered, start - _CARD_CONTEXT_BEFORE, start)
        if other is not None and (card is None or other > card):
            continue  # an order number, a UID, a phone number
        unbroken = len(digits) == len(found.group())
        if unbroken and card is None and not _usual_card_length(digits):
            continue
        spans.append((start, found.end(), "card_number"))
    return spans


def _luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        digit = ord(character) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _issuer_accepts(digits: str) -> bool:
    """Whether a card network issues numbers with this prefix and length."""
    length = len(digits)
    two, three, four = int(digits[:2]), int(digits[:3]), int(digits[:4])
    if digits[0] == "4":  # Visa
        return length in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return length == 16
    if two in (34, 37):  # American Express
        return length == 15
    if two == 62 or 2200 <= four <= 2204:  # UnionPay, Mir
        return 16 <= length <= 19
    if four == 6011 or two == 65 or 644 <= three <= 649:  # Discover
        return 16 <= length <= 19
    if 3528 <= four <= 3589:  # JCB
        return 16 <= length <= 19
    if two in (36, 38, 39) or 300 <= three <= 305:  # Diners Club
        return 14 <= length <= 16
    if two in (50, 56, 57, 58, 63, 67):  # Maestro
        return 13 <= length <= 19
    return False


def _usual_card_length(digits: str) -> bool:
    return len(digits) == 16 or (len(digits) == 15 and digits[:2] in ("34", "37"))


_FINDERS: tuple[Callable[[str, str], list[_Span]], ...] = (
    _seed_phrase_spans,
    _private_key_spans,
    _api_secret_spans,
    _password_spans,
    _one_time_code_spans,
    _card_number_spans,
)
