"""The help-center search engine of this process: an index built from the database and
brought up to date whenever the content version moves, so an edit made in any process is
searchable on the next query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .analysis import BUILTIN_SYNONYM_GROUPS, Analyzer, normalize
from .index import Alternative, InvertedIndex
from .snippets import highlight, snippet

KINDS = ("article", "announcement")
LANGUAGES = ("en", "zh-hans")
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "tags": 2.0, "summary": 1.5, "body": 1.0}
MAX_QUERY_CHARACTERS = 200
MAX_QUERY_SLOTS = 24
# A document in the reader's language outranks the same one in the other language.
OTHER_LANGUAGE_FACTOR = 0.85
SYNONYM_WEIGHT = 0.8
CORRECTION_WEIGHT = 0.6
COMPLETION_WEIGHT = 0.7


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What the engine knows of one article or announcement in one language."""

    kind: str  # "article" or "announcement"
    object_id: int
    language: str
    slug: str
    category_id: int | None
    title: str
    summary: str
    keywords: str
    tags: str
    body_text: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind, self.object_id, self.language)


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    object_id: int
    slug: str
    category_id: int | None
    title: str
    title_html: str
    snippet_html: str
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    total: int


class SearchEngine:
    def __init__(self, synonym_groups: Iterable[Iterable[str]] = ()) -> None:
        groups = [tuple(group) for group in (*BUILTIN_SYNONYM_GROUPS, *synonym_groups)]
        self.analyzer = Analyzer(groups)
        self.index = InvertedIndex(self.analyzer, FIELD_WEIGHTS)
        self.documents: dict[tuple[str, int, str], SearchDocument] = {}
        # Per document number, for filtering and grouping hits without Python loops.
        self._kind_codes = np.zeros(0, dtype=np.int8)
        self._object_ids = np.zeros(0, dtype=np.int64)
        self._category_ids = np.zeros(0, dtype=np.int64)
        self._language_codes = np.zeros(0, dtype=np.int8)

    def _reserve(self, size: int) -> None:
        if size <= len(self._kind_codes):
            return
        capacity = max(size, 2 * len(self._kind_codes), 1024)
        self._kind_codes = np.resize(self._kind_codes, capacity)
        self._object_ids = np.resize(self._object_ids, capacity)
        self._category_ids = np.resize(self._category_ids, capacity)
        self._language_codes = np.resize(self._language_codes, capacity)

    # --- content -------------------------------------------------------------------------
    def put(self, document: SearchDocument) -> None:
        self.documents[document.key] = document
        number = len(self.index.keys)
        self._reserve(number + 1)
        self._kind_codes[number] = KINDS.index(document.kind)
        self._object_ids[number] = document.object_id
        self._category_ids[number] = document.category_id or -1
        self._language_codes[number] = LANGUAGES.index(document.language)
        self.index.add(
            document.key,
            {
                "title": document.title,
                "keywords": document.keywords,
                "tags": document.tags,
                "summary": document.summary,
                "body": document.body_text,
            },
        )

    def discard(self, key: tuple[str, int, str]) -> None:
        self.documents.pop(key, None)
        self.index.remove(key)

    # --- queries ---------------------------------------------------------------------------
    def query_slots(self, query: str, *, as_you_type: bool = False) -> list[list[Alternative]]:
        tokens = self.analyzer.tokens(query[:MAX_QUERY_CHARACTERS])
        slots: list[list[Alternative]] = []
        seen: set[str] = set()
        last_base = max(
            (index for index, token in enumerate(tokens) if not token.term.startswith("~")),
            default=-1,
        )
        for position, token in enumerate(tokens):
            if token.term in seen:
                continue
            seen.add(token.term)
            if token.term.startswith("~"):
                slots.append([Alternative(token.term, SYNONYM_WEIGHT)])
                continue
            alternatives = [Alternative(token.term, 1.0)]
            if as_you_type and position == last_base:
                alternatives += [
                    Alternative(term, COMPLETION_WEIGHT)
                    for term in self._completions(query, token.term, token.start)
                    if term != token.term
                ]
            if token.term not in self.index:
                if len(token.term) == 1:
                    alternatives += [
                        Alternative(term, COMPLETION_WEIGHT)
                        for term in self.index.bigrams_containing(token.term)
                    ]
                else:
                    alternatives += [
                        Alternative(term, CORRECTION_WEIGHT)
                        for term in self.index.similar_terms(token.term)
                    ]
            slots.append(alternatives)
        return slots[:MAX_QUERY_SLOTS]

    def _completions(self, query: str, term: str, start: int) -> list[str]:
        typed = normalize(query[:MAX_QUERY_CHARACTERS])[start:].split(" ")[0]
        if not typed.isascii() or len(typed) < 2:
            return []
        return self.index.terms_with_prefix(typed) or self.index.terms_with_prefix(term)

    def search(
        self,
        query: str,
        language: str,
        *,
        category_id: int | None = None,
        kinds: Iterable[str] = KINDS,
        limit: int = 10,
        offset: int = 0,
        as_you_type: bool = False,
    ) -> SearchPage:
        slots = self.query_slots(query, as_you_type=as_you_type)
        numbers, scores = self.index.score(slots)
        size = len(self.index.keys)
        kind_codes = self._kind_codes[:size][numbers]
        wanted = np.isin(kind_codes, [KINDS.index(kind) for kind in kinds])
        if category_id is not None:
            wanted &= self._category_ids[:size][numbers] == category_id
        numbers, scores, kind_codes = numbers[wanted], scores[wanted], kind_codes[wanted]
        in_language = self._language_codes[:size][numbers] == LANGUAGES.index(language)
        scores = np.where(in_language, scores, scores * OTHER_LANGUAGE_FACTOR)
        # Best-scoring language version of each article or announcement, in rank order.
        # An item has at most one document per language, so the best 2 × (offset + limit)
        # documents hold at least offset + limit distinct items: only those are sorted.
        identities = kind_codes.astype(np.int64) << 40 | self._object_ids[:size][numbers]
        ordered = np.sort(identities)
        total = int(len(ordered) and 1 + np.count_nonzero(ordered[1:] != ordered[:-1]))
        wanted_documents = min(len(scores), 2 * (offset + limit))
        candidates = (
            np.argpartition(-scores, wanted_documents - 1)[:wanted_documents]
            if 0 < wanted_documents < len(scores)
            else np.arange(len(scores))
        )
        candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
        seen: set[int] = set()
        ranked = []
        for position, identity in zip(
            candidates.tolist(), identities[candidates].tolist(), strict=True
        ):
            if identity not in seen:
                seen.add(identity)
                ranked.append(position)
        terms = {alternative.term for slot in slots for alternative in slot}
        hits = []
        for position in ranked[offset : offset + limit]:
            matched = self.documents[self.index.keys[int(numbers[position])]]  # type: ignore[index]
            # Show the reader's language even when the other language matched best.
            shown = self.documents.get((matched.kind, matched.object_id, language), matched)
            hits.append(
                SearchHit(
                    kind=shown.kind,
                    object_id=shown.object_id,
                    slug=shown.slug,
                    category_id=shown.category_id,
                    title=shown.title,
                    title_html=highlight(self.analyzer, shown.title, terms),
                    snippet_html=snippet(
                        self.analyzer, shown.summary + " " + shown.body_text, terms
                    ),
                    score=round(float(scores[position]), 4),
                )
            )
        return SearchPage(query=query, hits=hits, total=total)
