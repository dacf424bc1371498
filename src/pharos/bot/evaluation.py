"""`pharos bot-eval`: a temporary knowledge base from a labelled CSV file (one entry per
label, whose example questions are the training texts), every test text answered, and
the figures. The test labels are read only after all the answers are in."""

from __future__ import annotations

import csv
import itertools
import random
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pharos.helpcenter.search.analysis import BUILTIN_SYNONYM_GROUPS, Analyzer

from .embedding import Embedder
from .matcher import Entry, Matcher, MatcherParams, Ranking
from .policy import ANSWER, CHOOSE, Thresholds, decide

TEXT_COLUMNS = ("text", "question")
LABEL_COLUMNS = ("label", "category", "intent")
_CJK = re.compile(r"[\u3400-\u9fff]")


class EvaluationError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def read_texts_and_labels(path: Path) -> list[Example]:
    """A CSV file with a header: a text column (text) and a label column (label, or
    category as in BANKING77)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            columns = {name.strip().lower(): name for name in reader.fieldnames or []}
            text_column = next((columns[name] for name in TEXT_COLUMNS if name in columns), None)
            label_column = next((columns[name] for name in LABEL_COLUMNS if name in columns), None)
            if text_column is None or label_column is None:
                raise EvaluationError(
                    f"{path}: the header needs a text column ({', '.join(TEXT_COLUMNS)}) and a "
                    f"label column ({', '.join(LABEL_COLUMNS)}); found {reader.fieldnames}"
                )
            rows = [
                Example(
                    " ".join((row[text_column] or "").split()), (row[label_column] or "").strip()
                )
                for row in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise EvaluationError(f"{path}: {problem}") from problem
    rows = [row for row in rows if row.text and row.label]
    if not rows:
        raise EvaluationError(f"{path}: no rows with both a text and a label")
    return rows


def limit_per_label(examples: Sequence[Example], per_label: int, seed: int) -> list[Example]:
    """At most `per_label` examples of each label, drawn with a seeded generator."""
    by_label: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example)
    generator = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    chosen: list[Example] = []
    for label in sorted(by_label):
        group = list(by_label[label])
        generator.shuffle(group)
        chosen.extend(group[:per_label])
    return chosen


def label_title(label: str) -> str:
    """A label such as card_arrival named as an entry's title would be: "card arrival"."""
    return " ".join(re.split(r"[_\-\s]+", label)).strip()


def build_matcher(
    training: Sequence[Example],
    embedder: Embedder,
    params: MatcherParams,
    query_embedder: Embedder | None = None,
    *,
    label_titles: bool = True,
) -> Matcher:
    by_label: dict[str, list[str]] = defaultdict(list)
    for example in training:
        by_label[example.label].append(example.text)
    entries = [
        Entry(label, tuple(texts), (label_title(label),) if label_titles else ())
        for label, texts in sorted(by_label.items())
    ]
    return Matcher(
        entries, embedder, Analyzer(BUILTIN_SYNONYM_GROUPS), params, query_embedder=query_embedder
    )


def guess_language(texts: Sequence[str]) -> str:
    chinese = sum(1 for text in texts if _CJK.search(text))
    return "zh-hans" if chinese * 2 > len(texts) else "en"


def evaluate(
    matcher: Matcher, test_texts: Sequence[str], thresholds: Thresholds
) -> list[tuple[Ranking, float]]:
    """Every test text answered, with the time each took (embedding included)."""
    answers = []
    for text in test_texts:
        started = time.perf_counter()
        ranking = matcher.rank(text, limit=3)
        decide(ranking, thresholds)
        answers.append((ranking, time.perf_counter() - started))
    return answers


def score(
    answers: Sequence[tuple[Ranking, float]],
    test_labels: Sequence[str],
    thresholds: Thresholds,
    none_label: str = "none",
    params: MatcherParams | None = None,
) -> dict[str, Any]:
    """The figures, once every answer is in. Test rows labelled `none_label` are questions
    the knowledge base does not answer: the right outcome for them is not to answer."""
    known = [
        (ranking, label)
        for (ranking, _), label in zip(answers, test_labels, strict=True)
        if label != none_label
    ]
    unknown = [
        ranking
        for (ranking, _), label in zip(answers, test_labels, strict=True)
        if label == none_label
    ]
    top1 = [ranking.candidates[0].key == label for ranking, label in known]
    top3 = [
        label in [candidate.key for candidate in ranking.candidates[:3]] for ranking, label in known
    ]
    decisions = [decide(ranking, thresholds) for ranking, _ in known]
    answered = [
        decision.candidates[0].key == label
        for decision, (_, label) in zip(decisions, known, strict=True)
        if decision.kind == ANSWER
    ]
    choices = [
        label in [candidate.key for candidate in decision.candidates]
        for decision, (_, label) in zip(decisions, known, strict=True)
        if decision.kind == CHOOSE
    ]
    milliseconds = sorted(seconds * 1000 for _, seconds in answers)
    semantic_only, lexical_only = _single_signal_accuracy(known, params)
    figures: dict[str, Any] = {
        "n_test": len(answers),
        "accuracy_at_1": _share(top1),
        "accuracy_at_3": _share(top3),
        # Each kind of matching alone, for comparison with the combination above.
        "accuracy_at_1_semantic_only": semantic_only,
        "accuracy_at_1_lexical_only": lexical_only,
        "coverage": _share(answered, len(known)),
        "accuracy_when_answered": _share(answered),
        "choice_rate": _share(choices, len(known)),
        "choice_contains_answer": _share(choices),
        "hand_off_rate": round(1 - (len(answered) + len(choices)) / len(known), 4)
        if known
        else None,
        "expected_calibration_error": _calibration_error(
            [ranking.candidates[0].confidence for ranking, _ in known], top1
        ),
        "p50_ms": round(statistics.median(milliseconds), 2) if milliseconds else None,
        "p95_ms": round(_percentile(milliseconds, 95), 2) if milliseconds else None,
    }
    if unknown:
        figures["n_unanswerable"] = len(unknown)
        figures["unanswerable_answered"] = _share(
            [decide(ranking, thresholds).kind == ANSWER for ranking in unknown]
        )
    return figures


def _single_signal_accuracy(
    known: Sequence[tuple[Ranking, str]], params: MatcherParams | None
) -> tuple[float | None, float | None]:
    if params is None or not known or any(ranking.signals is None for ranking, _ in known):
        return None, None
    semantic, lexical = [], []
    for ranking, label in known:
        assert ranking.signals is not None and ranking.keys is not None
        semantic.append(ranking.keys[int(ranking.signals.semantic_only(params).argmax())] == label)
        lexical.append(ranking.keys[int(ranking.signals.lexical.argmax())] == label)
    return _share(semantic), _share(lexical)


def coverage_curve(
    answers: Sequence[tuple[Ranking, float]], test_labels: Sequence[str], steps: Sequence[float]
) -> list[dict[str, float]]:
    """Coverage and accuracy of the answered part if the bot answered only at or above each
    confidence: how the answer threshold is chosen."""
    pairs = [
        (ranking.candidates[0].confidence, ranking.candidates[0].key == label)
        for (ranking, _), label in zip(answers, test_labels, strict=True)
        if label != "none"
    ]
    curve = []
    for threshold in steps:
        kept = [right for confidence, right in pairs if confidence >= threshold]
        curve.append(
            {
                "threshold": threshold,
                "coverage": round(len(kept) / len(pairs), 4) if pairs else 0.0,
                "accuracy": _share(kept) or 0.0,
            }
        )
    return curve


def _share(values: Sequence[bool], total: int | None = None) -> float | None:
    denominator = len(values) if total is None else total
    if not denominator:
        return None
    return round(sum(values) / denominator, 4)


def _percentile(sorted_values: Sequence[float], percent: float) -> float:
    return float(np.percentile(np.asarray(sorted_values), percent))


def _calibration_error(
    confidences: Sequence[float], right: Sequence[bool], bins: int = 10
) -> float | None:
    """Expected calibration error of the top answer's confidence: how far "80 % sure" is
    from being right 80 % of the time, averaged over ten bins."""
    if not confidences:
        return None
    confidence = np.asarray(confidences)
    correct = np.asarray(right, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            error += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return round(float(error), 4)
