"""Which entry of the knowledge base answers a question, and how sure that is.

Three signals, each over the entries' example questions (and titles):
- a softmax regression on the semantic embeddings, centred on the examples' mean (the
  e5 vectors share a large common direction that says nothing about intent);
- the semantic similarity of the nearest example of each entry;
- the lexical similarity of the nearest example of each entry (lexical.py).
They are added as logits and turned into one probability per entry with a temperature.
The weights and the temperature were fitted on validation data (`pharos bot-eval`,
docs/bot.md) and live in settings.BOT_MATCHER. Pure computation: no database here, so
the evaluation command builds the same thing from a CSV file."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pharos.helpcenter.search.analysis import Analyzer

from .embedding import Embedder
from .lexical import LexicalIndex


@dataclass(frozen=True)
class Entry:
    key: str  # "article:<slug>", "faq:<id>", "smalltalk:<name>", or a label in evaluation
    examples: tuple[str, ...]
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatcherParams:
    scale: float = 10.0  # of the unit vectors fed to the regression (its inverse temperature)
    epochs: int = 300
    learning_rate: float = 0.02
    l2: float = 1e-3
    title_copies: int = 3  # a title counts as this many examples
    semantic_weight: float = 0.0
    lexical_weight: float = 0.0
    temperature: float = 1.0

    @classmethod
    def from_settings(cls, values: dict[str, float]) -> MatcherParams:
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Candidate:
    key: str
    confidence: float  # calibrated probability that this entry answers the question


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]  # best first
    similarity: float  # cosine of the question with the best candidate's nearest example
    signals: Signals | None = None  # for the evaluation's comparison of the signals
    keys: list[str] | None = None  # the entries the signals are about, in their order

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class _Trained:
    weights: np.ndarray
    bias: np.ndarray
    mean: np.ndarray


class Matcher:
    def __init__(
        self,
        entries: Sequence[Entry],
        embedder: Embedder,
        analyzer: Analyzer,
        params: MatcherParams,
        query_embedder: Embedder | None = None,
    ) -> None:
        started = time.perf_counter()
        self.entries = [entry for entry in entries if entry.examples or entry.titles]
        self.keys = [entry.key for entry in self.entries]
        self.embedder = embedder
        # The evaluation times each question with the model itself, not the disk cache.
        self.query_embedder = query_embedder or embedder
        self.params = params
        texts: list[str] = []
        owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for text in (*entry.examples, *entry.titles):
                texts.append(text)
                owners.append(number)
        self.texts = texts
        self.owner = np.asarray(owners, np.int32)
        vectors = embedder.embed(texts) if texts else np.zeros((0, 384), np.float32)
        self.vectors = vectors
        self.lexical = LexicalIndex(analyzer, texts)
        # Rows of each entry are contiguous: the nearest example per entry is one reduceat.
        self.starts = (
            np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]])
            if texts
            else np.zeros(0, np.int64)
        )
        self.trained = self._train(vectors) if len(self.entries) > 1 else None
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self.entries)

    def _train(self, vectors: np.ndarray) -> _Trained:
        """Softmax regression by full-batch Adam; titles weigh as several examples."""
        params = self.params
        mean = vectors.mean(axis=0)
        rows = _unit(vectors - mean) * params.scale
        labels = self.owner.copy()
        title_rows = [
            index
            for index, (text, owner) in enumerate(zip(self.texts, self.owner, strict=True))
            if text in self.entries[owner].titles
        ]
        if title_rows and params.title_copies > 1:
            extra = np.repeat(np.asarray(title_rows), params.title_copies - 1)
            rows = np.vstack([rows, rows[extra]])
            labels = np.concatenate([labels, labels[extra]])
        count, classes = len(labels), len(self.entries)
        targets = np.zeros((count, classes), np.float32)
        targets[np.arange(count), labels] = 1.0
        weights = np.zeros((rows.shape[1], classes), np.float32)
        bias = np.zeros(classes, np.float32)
        moments = [np.zeros_like(weights), np.zeros_like(bias)]
        squares = [np.zeros_like(weights), np.zeros_like(bias)]
        for step in range(1, params.epochs + 1):
            probabilities = _softmax(rows @ weights + bias)
            error = (probabilities - targets) / count
            gradients = [rows.T @ error + params.l2 * weights, error.sum(axis=0)]
            for parameter, gradient, moment, square in zip(
                (weights, bias), gradients, moments, squares, strict=True
            ):
                moment *= 0.9
                moment += 0.1 * gradient
                square *= 0.999
                square += 0.001 * gradient * gradient
                corrected = moment / (1 - 0.9**step)
                parameter -= (
                    params.learning_rate * corrected / (np.sqrt(square / (1 - 0.999**step)) + 1e-8)
                )
        return _Trained(weights, bias, mean)

    def rank(self, question: str, limit: int = 3) -> Ranking:
        if not self.entries:
            return Ranking([], 0.0)
        signals = self.signals(question)
        confidence = _softmax((signals.combined(self.params) / self.params.temperature)[None, :])[0]
        order = np.argsort(-confidence)[:limit]
        best = int(order[0])
        return Ranking(
            [Candidate(self.keys[index], float(confidence[index])) for index in order],
            similarity=float(signals.semantic[best]),
            signals=signals,
            keys=self.keys,
        )

    def signals(self, question: str) -> Signals:
        """The three signals for every entry, before they are combined."""
        vector = self.query_embedder.embed([question])[0]
        semantic = _nearest_per_entry(self.vectors @ vector, self.starts)
        lexical = _nearest_per_entry(self.lexical.similarities(question), self.starts)
        regression = np.zeros(len(self.entries), np.float32)
        if self.trained is not None:
            centred = _unit((vector - self.trained.mean)[None, :])[0] * self.params.scale
            scores = centred @ self.trained.weights + self.trained.bias
            regression = np.log(_softmax(scores[None, :])[0] + 1e-9)
        return Signals(regression, semantic, lexical)


@dataclass(frozen=True)
class Signals:
    regression: np.ndarray  # log-probability per entry
    semantic: np.ndarray  # nearest example's cosine similarity per entry
    lexical: np.ndarray  # nearest example's TF-IDF cosine per entry

    def combined(self, params: MatcherParams) -> np.ndarray:
        return (
            self.regression
            + params.semantic_weight * self.semantic
            + params.lexical_weight * self.lexical
        )

    def semantic_only(self, params: MatcherParams) -> np.ndarray:
        return self.regression + params.semantic_weight * self.semantic


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-9)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _nearest_per_entry(similarities: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.maximum.reduceat(similarities, starts).astype(np.float32)
