"""Highlighted snippets: the part of a text where the query's terms meet, HTML-escaped,
with matches wrapped in <mark>."""

from __future__ import annotations

import re
from collections.abc import Collection

from django.utils.html import escape

from .analysis import Analyzer, normalize

SNIPPET_LENGTH = 160


def _matched_spans(analyzer: Analyzer, text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    spans = sorted(
        (token.start, token.end) for token in analyzer.tokens(text) if token.term in terms
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(analyzer: Analyzer, text: str, terms: Collection[str]) -> str:
    """All of `text`, escaped, with every match marked (for titles)."""
    return _mark(text, _matched_spans(analyzer, text, terms))


def snippet(analyzer: Analyzer, text: str, terms: Collection[str]) -> str:
    """About SNIPPET_LENGTH characters of `text` where most of the query's terms meet.

    The text is cut into passages at sentence ends; each passage is scored by the plain
    strings that betray the query's terms, and only the winner is analysed with offsets
    for highlighting.
    """
    if len(text) <= SNIPPET_LENGTH:
        return highlight(analyzer, text, terms)
    needles = analyzer.needles(terms)
    normalized = normalize(text)
    best_start, best_score = 0, 0
    for start, end in _passages(text):
        passage = normalized[start:end]
        score = sum(1 for needle in needles if needle in passage)
        if score > best_score:
            best_start, best_score = start, score
    if not best_score:
        return escape(text[:SNIPPET_LENGTH].rstrip()) + "…"
    window_end = min(len(text), best_start + SNIPPET_LENGTH)
    window = text[best_start:window_end]
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    return prefix + highlight(analyzer, window, terms) + suffix


def _passages(text: str) -> list[tuple[int, int]]:
    """Consecutive spans of about SNIPPET_LENGTH characters ending at sentence breaks."""
    breaks = [match.end() for match in _SENTENCE_END.finditer(text)]
    spans: list[tuple[int, int]] = []
    start, position = 0, 0
    while start < len(text):
        limit = start + SNIPPET_LENGTH
        end = min(len(text), limit)
        # The last sentence end within the window, if it leaves a passage worth showing.
        while position < len(breaks) and breaks[position] <= limit:
            position += 1
        if end < len(text) and position and breaks[position - 1] > start + SNIPPET_LENGTH // 3:
            end = breaks[position - 1]
        spans.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    return spans


_SENTENCE_END = re.compile(r"[。！？；\n]|[.!?;] ")
