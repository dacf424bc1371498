"""Keeps this process's search engine in step with the database.

Each search reads the content version (one single-row query by primary key). When it moved,
only the articles and announcements whose `updated_at` changed are analysed again; a
change that affects every document (synonyms, tag names) bumps `rebuild_version`
and the engine is rebuilt from scratch.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.utils import translation

from .markdown import html_to_text
from .models import (
    LANGUAGE_SUFFIXES,
    Announcement,
    Article,
    ArticleStatus,
    ContentVersion,
    SynonymGroup,
)
from .search.engine import SearchDocument, SearchEngine

CONTENT_VERSION_ID = 1


@dataclass
class _IndexState:
    engine: SearchEngine
    version: int
    rebuild_version: int
    indexed: dict[tuple[str, int], datetime] = field(default_factory=dict)


_search_lock = threading.Lock()  # guards _state and its engine: searches and refreshes
_build_lock = threading.Lock()  # one full build at a time, made outside _search_lock
_state: _IndexState | None = None
T = TypeVar("T")


def bump_content_version(*, rebuild: bool = False) -> None:
    """Tell every process its index is stale. Call in the transaction of the change.

    The version is a fresh random number, not a counter: a database restored from a backup
    (or a test rolled back) never repeats a version a process has already seen."""
    updates = {"version": secrets.randbits(62)}
    if rebuild:
        updates["rebuild_version"] = secrets.randbits(62)
    if not ContentVersion.objects.filter(pk=CONTENT_VERSION_ID).update(**updates):
        ContentVersion.objects.update_or_create(pk=CONTENT_VERSION_ID, defaults=updates)


def content_versions() -> tuple[int, int]:
    row = (
        ContentVersion.objects.filter(pk=CONTENT_VERSION_ID)
        .values_list("version", "rebuild_version")
        .first()
    )
    return row or (0, 0)


def with_current_engine(use: Callable[[SearchEngine], T]) -> T:
    """Run `use` with this process's engine, brought up to date with the database first.

    Refreshes change the engine in place, so every use holds `_search_lock` (request threads
    take turns; they would anyway, for the GIL). A full rebuild is made on a new engine
    outside that lock and swapped in, so searches go on with the old one meanwhile."""
    global _state
    version, rebuild_version = content_versions()
    state = _state
    if state is None or state.rebuild_version != rebuild_version:
        with _build_lock:
            state = _state
            if state is None or state.rebuild_version != rebuild_version:
                fresh = _build(version, rebuild_version)
                with _search_lock:
                    _state = fresh
    with _search_lock:
        state = _state
        assert state is not None
        if state.version != version:
            _refresh(state)
            state.version = version
            if state.engine.index.dead_count > max(1000, state.engine.index.alive_count // 4):
                state.rebuild_version = -1  # too many dead documents: rebuild on next use
        return use(state.engine)


def reset() -> None:
    """Forget the index (tests switch databases under the same process)."""
    global _state
    with _build_lock, _search_lock:
        _state = None


def _build(version: int, rebuild_version: int) -> _IndexState:
    synonym_groups = [group.term_list() for group in SynonymGroup.objects.all()]
    state = _IndexState(SearchEngine(synonym_groups), version, rebuild_version)
    for article in _published_articles():
        _put_article(state, article)
    for announcement in Announcement.objects.filter(published=True):
        _put_announcement(state, announcement)
    return state


def _refresh(state: _IndexState) -> None:
    article_stamps = {
        ("article", pk): updated
        for pk, updated in Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list(
            "id", "updated_at"
        )
    }
    announcement_stamps = {
        ("announcement", pk): updated
        for pk, updated in Announcement.objects.filter(published=True).values_list(
            "id", "updated_at"
        )
    }
    current = article_stamps | announcement_stamps
    for identity in [identity for identity in state.indexed if identity not in current]:
        _discard(state, identity)
    changed = [
        identity for identity, stamp in current.items() if state.indexed.get(identity) != stamp
    ]
    changed_articles = [pk for kind, pk in changed if kind == "article"]
    changed_announcements = [pk for kind, pk in changed if kind == "announcement"]
    for article in _published_articles().filter(pk__in=changed_articles):
        _put_article(state, article)
    for announcement in Announcement.objects.filter(pk__in=changed_announcements):
        _put_announcement(state, announcement)


def _published_articles():  # type: ignore[no-untyped-def]
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .only(
            "id", "slug", "category_id", "updated_at",
            *(f"{name}_{suffix}" for name in ("title", "summary", "keywords", "body_html")
              for suffix in LANGUAGE_SUFFIXES.values()),
        )
        .prefetch_related("tags")
        .order_by("id")
    )  # fmt: skip


def _discard(state: _IndexState, identity: tuple[str, int]) -> None:
    for language in LANGUAGE_SUFFIXES:
        state.engine.discard((identity[0], identity[1], language))
    state.indexed.pop(identity, None)


def _put_article(state: _IndexState, article: Article) -> None:
    tags = list(article.tags.all())
    for language, suffix in LANGUAGE_SUFFIXES.items():
        state.engine.put(
            SearchDocument(
                kind="article",
                object_id=article.pk,
                language=language,
                slug=article.slug,
                category_id=article.category_id,
                title=getattr(article, f"title_{suffix}"),
                summary=getattr(article, f"summary_{suffix}"),
                keywords=getattr(article, f"keywords_{suffix}"),
                tags=" ".join(tag.localized("name", language) for tag in tags),
                body_text=html_to_text(getattr(article, f"body_html_{suffix}")),
            )
        )
    state.indexed[("article", article.pk)] = article.updated_at


def _put_announcement(state: _IndexState, announcement: Announcement) -> None:
    kind_names = {}
    for language in LANGUAGE_SUFFIXES:
        with translation.override(language):
            kind_names[language] = str(announcement.get_kind_display())
    for language, suffix in LANGUAGE_SUFFIXES.items():
        state.engine.put(
            SearchDocument(
                kind="announcement",
                object_id=announcement.pk,
                language=language,
                slug=announcement.slug,
                category_id=None,
                title=getattr(announcement, f"title_{suffix}"),
                summary="",
                keywords=" ".join([*announcement.affected_products, *announcement.affected_coins]),
                tags=kind_names[language],
                body_text=html_to_text(getattr(announcement, f"body_html_{suffix}")),
            )
        )
    state.indexed[("announcement", announcement.pk)] = announcement.updated_at
