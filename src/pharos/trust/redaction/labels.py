"""Labels, the words that announce a secret ("password", "private key", "助记词"): most
kinds are redacted only when labelled, and a label also tells a transaction hash or an
order number from a key or a card. Every finder uses these: a keyword prefilter
(`mentions`) that spares most messages the patterns, the label matches that start a word
(`label_matches`, `last_label`, `first_label`), and the pieces of pattern around a label
and the value it gives (`END`, `GIVES`, `QUALIFIER`, `LABEL_REACH`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator


def mentions(lowered: str, words: Iterable[str]) -> bool:
    return any(word in lowered for word in words)


# Label patterns begin each alternative with a literal, which lets the regular
# expression engine skip ahead to the characters that can start one; a word boundary at
# the start would defeat that. So they end English words with (?![a-z0-9]), and
# `label_matches` drops matches that begin inside an ASCII word. (\b would not do
# anyway: a Chinese character is a word character too, and "我的UID是" has no \b before
# "UID".)
END = "(?![a-z0-9])"


def _is_alphanumeric(character: str) -> bool:
    return character.isascii() and character.isalnum()


def label_matches(
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


def last_label(
    patterns: Iterable[re.Pattern[str]], lowered: str, start: int, end: int
) -> int | None:
    """Where the last label of these patterns in lowered[start:end] begins, if any."""
    starts = [
        found.start()
        for pattern in patterns
        for found in label_matches(pattern, lowered, max(0, start), end)
    ]
    return max(starts, default=None)


def first_label(
    patterns: Iterable[re.Pattern[str]], lowered: str, start: int, end: int
) -> int | None:
    """Where the first label of these patterns in lowered[start:end] begins, if any."""
    starts = [
        found.start()
        for pattern in patterns
        for found in itertools.islice(label_matches(pattern, lowered, start, end), 1)
    ]
    return min(starts, default=None)


# Between a label and the value it gives: quotes, "is", ":", "=", "是", "为".
GIVES = rf"""["'`]?\s*(?:(?:is|was|are){END}|:|=|是|为|為|->|=>)?[\s:=]*"""
# What a label may be of: "password for my binance account is …", "secret for the bot: …".
QUALIFIER = r"(?:\s+(?:for|of|on|to)\s+(?:(?:my|the|your|this|that)\s+)?[a-z]+(?:\s+[a-z]+)?)?"
LABEL_REACH = 40  # characters between a label and the secret it announces
