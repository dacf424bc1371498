"""Seed phrases: BIP39 phrases of 12 to 24 words from the English and the Chinese
(simplified and traditional) lists, written apart, numbered, or, in Chinese, without
spaces. A run of list words is a phrase when its checksum holds, or when a label comes just
before it (a labelled phrase with one word mistyped is still the customer's secret).
Unspaced Chinese must also look random (`prose`), since ordinary Chinese is made of the
same common characters."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache

from pharos.trust import bip39

from .labels import END, LABEL_REACH, label_matches, mentions
from .prose import looks_random, reads_like_prose
from .view import Span

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
    rf"|12[\s_-]*words?|24[\s_-]*words?|twelve[\s_-]*words?|twenty[\s-]*four[\s_-]*words?){END}"
)
_SEED_LABEL_CHINESE = re.compile(
    r"助[记記][词詞]|种子(?:短语|词|码)|種子(?:短語|詞|碼)|恢复(?:短语|词)|恢復(?:短語|詞)"
    r"|备份(?:短语|词)|備份(?:短語|詞)|钱包(?:短语|词)|錢包(?:短語|詞)"
)
_SEED_LABEL_WORDS = (
    "seed", "recovery", "mnemonic", "backup", "wallet", "words", "助记", "助記",
    "种子", "種子", "恢复", "恢復", "备份", "備份", "钱包", "錢包",
)  # fmt: skip
_LABELLED_WORDS = 36  # after a label: a few words of the sentence, then up to 24 of a phrase
# "is", "是", ":" and the like between a label and an unspaced Chinese phrase.
_HAN_FILLER = re.compile(r"(?:[^\w]|is|are|是|为|為|如下|就是)*")

_Token = tuple[int, int, int | None]  # start, end, index in the word list (None: not in it)


def seed_phrase_spans(text: str, lowered: str) -> list[Span]:
    """English phrases, and Chinese ones in either list, spaced or not."""
    spans: list[tuple[int, int]] = []
    labels: list[int] = []
    if mentions(lowered, _SEED_LABEL_WORDS):
        labels.extend(label.end() for label in label_matches(_SEED_LABEL, lowered))
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
            han_labels = [end for end in labels if _HAN_RUN.search(text, end, end + LABEL_REACH)]
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
        if first is None or tokens[first][0] - label_end > LABEL_REACH:
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
        if indexes is not None and bip39.checksum_is_valid(indexes) and looks_random(indexes):
            spans.append((groups[0][0], groups[-1][1]))
    for label_end in labels:
        filler = _HAN_FILLER.match(text, label_end, label_end + LABEL_REACH)
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
            if length == len(positions) or looks_random(known):
                chosen = length
        elif not reads_like_prose(known[chosen:]):
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
            if indexes is not None and looks_random(indexes):
                return block.start(), group_end
    return None
