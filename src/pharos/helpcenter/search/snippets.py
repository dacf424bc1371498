"""Highlighted snippets: the part of a text where the query's terms meet, HTML-escaped,
with matches wrapped in <mark>."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.html import escape

from .analysis import Analyzer

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


def _mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(analyzer: Analyzer, text: str, terms: Collection[str]) -> str:
    """All of `text`, escaped, with every match marked (for titles)."""
    return _mark(text, _matched_spans(analyzer, text, terms))


def snippet(analyzer: Analyzer, text: str, terms: Collection[str]) -> str:
    """About SNIPPET_LENGTH characters of `text` around its densest cluster of matches."""
    if len(text) <= SNIPPET_LENGTH:
        return highlight(analyzer, text, terms)
    spans = _matched_spans(analyzer, text, terms)
    if not spans:
        return escape(text[:SNIPPET_LENGTH].rstrip()) + "…"
    best_start, best_count = spans[0][0], 0
    for index, (start, _) in enumerate(spans):
        count = sum(1 for other, _ in spans[index:] if other < start + SNIPPET_LENGTH)
        if count > best_count:
            best_start, best_count = start, count
    window_start = max(0, best_start - 30)
    # Start at a word or sentence boundary when one is close.
    for boundary in ("。", ". ", "，", ", ", " "):
        cut = text.rfind(boundary, max(0, window_start - 20), best_start)
        if cut != -1:
            window_start = cut + len(boundary)
            break
    window_end = min(len(text), window_start + SNIPPET_LENGTH)
    window = text[window_start:window_end]
    inside = [(s, e) for s, e in spans if s < window_end and e > window_start]
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    return prefix + _mark(window, inside, offset=window_start) + suffix
