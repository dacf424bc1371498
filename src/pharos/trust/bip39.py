"""BIP39 seed phrases: the English and Chinese word lists and the checksum.

The word lists come from the `mnemonic` package (the reference implementation's files),
read once on first use. The checksum is computed here (BIP-0039): a phrase of N words
carries 11·N bits, the first 32·N/3 of them the entropy and the last N/3 bits the first
bits of the SHA-256 of that entropy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

from mnemonic import Mnemonic

PHRASE_LENGTHS = (12, 15, 18, 21, 24)
"""Every length a BIP39 phrase can have, in words."""

WORDS_PER_LIST = 2048


@cache
def _word_indexes(language: str) -> dict[str, int]:
    words: list[str] = list(Mnemonic(language).wordlist)
    assert len(words) == WORDS_PER_LIST, language
    return {word: position for position, word in enumerate(words)}


def english() -> dict[str, int]:
    """Each English word (lower case) and its index."""
    return _word_indexes("english")


def chinese_simplified() -> dict[str, int]:
    """Each simplified Chinese word (one character) and its index. The list is in order
    of how common the character is, "的" first."""
    return _word_indexes("chinese_simplified")


def chinese_traditional() -> dict[str, int]:
    """Each traditional Chinese word (one character) and its index, in the same
    frequency order as the simplified list."""
    return _word_indexes("chinese_traditional")


def checksum_is_valid(indexes: Sequence[int]) -> bool:
    """Whether word indexes (each 0-2047) form a phrase whose checksum is right. A
    sequence of any other length than 12, 15, 18, 21 or 24 is never valid."""
    count = len(indexes)
    if count not in PHRASE_LENGTHS:
        return False
    bits = 0
    for index in indexes:
        bits = (bits << 11) | index
    checksum_bits = count // 3
    entropy = (bits >> checksum_bits).to_bytes(count // 3 * 4, "big")
    expected = hashlib.sha256(entropy).digest()[0] >> (8 - checksum_bits)
    return expected == bits & ((1 << checksum_bits) - 1)
