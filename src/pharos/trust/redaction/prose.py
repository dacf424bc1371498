"""Whether Chinese characters look drawn at random or read like a sentence. A phrase of
the Chinese word lists is made of the same common characters as ordinary Chinese, and a
valid checksum alone would let through one 12-character clause in sixteen; so unspaced
Chinese is also weighed by how much it leans on the most frequent characters (Zipf's law
against a uniform draw) and by how many neighbouring pairs make a word in jieba's
dictionary."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import cache

import rjieba

from pharos.trust import bip39


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


def looks_random(indexes: Sequence[int]) -> bool:
    """Whether Chinese characters look drawn at random rather than taken from a sentence:
    prose leans on the most frequent characters, where a phrase draws from all 2048
    alike, and in prose neighbouring characters form words (4 in 11 adjacent pairs of a
    12-character clause of the help center, 1 in 5 of a random phrase at most).
    Together the two let through 0.3 % of the help center's 12-character clauses made
    only of list characters, and reject 0.2 % of random phrases."""
    likelihood, words = _prose_signs(indexes)
    return likelihood < 0 and words <= (len(indexes) - 1) // 5


def reads_like_prose(indexes: Sequence[int]) -> bool:
    """Whether a few Chinese characters clearly read like a sentence: in the help center,
    this holds for a third of 3-character and 92 % of 6-character starts of a sentence,
    and for 0.2 % and 0.5 % of random ones."""
    likelihood, words = _prose_signs(indexes)
    return words >= 2 or (words >= 1 and likelihood > 3) or likelihood > 6
