"""Lexical similarity between a question and example questions: TF-IDF cosine over the
help center's analysis (stemmed English words, Chinese bigrams after jieba drops the
particles, traditional folded to simplified, synonym concepts such as 提币/提现/withdraw),
plus English word pairs and character 4-grams, which catch misspellings and compounds."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from pharos.helpcenter.search.analysis import Analyzer, normalize

_LATIN_WORD = re.compile(r"[a-z0-9]+")


def features(analyzer: Analyzer, text: str) -> list[str]:
    terms = analyzer.terms(text)
    words = [term for term in terms if term.isascii() and not term.startswith("~")]
    terms += [f"{first}_{second}" for first, second in itertools.pairwise(words)]
    for word in _LATIN_WORD.findall(normalize(text)):
        padded = f" {word} "
        terms += [f"#{padded[index : index + 4]}" for index in range(len(padded) - 3)]
    return terms


class LexicalIndex:
    """Each example as a unit-length TF-IDF vector; a query's cosine with every example in
    one pass over the postings of its terms."""

    def __init__(self, analyzer: Analyzer, examples: Sequence[str]) -> None:
        self.analyzer = analyzer
        self.size = len(examples)
        bags = [Counter(features(analyzer, text)) for text in examples]
        document_frequency: Counter[str] = Counter()
        for bag in bags:
            document_frequency.update(bag.keys())
        self.idf = {
            term: math.log((1 + self.size) / (1 + count)) + 1.0
            for term, count in document_frequency.items()
        }
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, bag in enumerate(bags):
            weights = {term: (1 + math.log(count)) * self.idf[term] for term, count in bag.items()}
            norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
            for term, weight in weights.items():
                rows, values = postings.setdefault(term, ([], []))
                rows.append(row)
                values.append(weight / norm)
        self.postings = {
            term: (np.asarray(rows, np.int32), np.asarray(values, np.float32))
            for term, (rows, values) in postings.items()
        }

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of the text with each example (0 where nothing is shared)."""
        scores = np.zeros(self.size, np.float32)
        bag = Counter(features(self.analyzer, text))
        if not bag:
            return scores
        # Terms no example has count as the rarest: they make the question less like any.
        unseen = math.log(1 + self.size) + 1.0
        weights = {
            term: (1 + math.log(count)) * self.idf.get(term, unseen) for term, count in bag.items()
        }
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        for term, weight in weights.items():
            if term in self.postings:
                rows, values = self.postings[term]
                scores[rows] += values * (weight / norm)
        return scores
