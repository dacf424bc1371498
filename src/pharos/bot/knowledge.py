"""The bot's knowledge, from the database: one entry per published article and FAQ entry
(their titles, the help center's search keywords and the example questions, in both
languages), plus the small-talk entries; and this process's matcher, kept in step.

Like the search index, each use compares version numbers (the help center's content
version and the bot's own) with the ones the matcher was built from; a change builds a
new matcher, outside the lock, while questions go on being answered by the old one.
Embeddings come from the disk cache, so a rebuild after one new question takes about as
long as training the regression (a second for the demo content)."""

from __future__ import annotations

import logging
import secrets
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from pharos.helpcenter import indexing
from pharos.helpcenter.models import Article, ArticleStatus, SynonymGroup
from pharos.helpcenter.search.analysis import BUILTIN_SYNONYM_GROUPS, Analyzer

from . import smalltalk
from .embedding import default_embedder
from .matcher import Entry, Matcher, MatcherParams
from .models import ExampleQuestion, FaqEntry, KnowledgeVersion

log = logging.getLogger(__name__)

KNOWLEDGE_VERSION_ID = 1
ARTICLE = "article:"
FAQ = "faq:"


@dataclass
class _Current:
    matcher: Matcher
    versions: tuple[int, int, int]


_current: _Current | None = None
_build_lock = threading.Lock()


def bump_knowledge_version() -> None:
    """Tell every process that what the bot knows changed. Call in the change's transaction."""
    version = secrets.randbits(62)
    if not KnowledgeVersion.objects.filter(pk=KNOWLEDGE_VERSION_ID).update(version=version):
        KnowledgeVersion.objects.update_or_create(
            pk=KNOWLEDGE_VERSION_ID, defaults={"version": version}
        )


def _versions() -> tuple[int, int, int]:
    content, rebuild = indexing.content_versions()
    knowledge = (
        KnowledgeVersion.objects.filter(pk=KNOWLEDGE_VERSION_ID)
        .values_list("version", flat=True)
        .first()
    )
    return content, rebuild, knowledge or 0


def current_matcher() -> Matcher:
    """This process's matcher, rebuilt first if the knowledge changed since it was built."""
    global _current
    versions = _versions()
    current = _current
    if current is not None and current.versions == versions:
        return current.matcher
    with _build_lock:
        current = _current
        if current is None or current.versions != versions:
            matcher = build_matcher()
            current = _Current(matcher, versions)
            _current = current
            log.info(
                "bot knowledge built: %d entries in %.1f s", len(matcher), matcher.build_seconds
            )
    return current.matcher


def warm_up() -> int:
    """Build the matcher once, so that the disk cache holds every embedding before the
    server's processes start (each then builds its own in about a second)."""
    return len(current_matcher())


def reset() -> None:
    """Forget the matcher (tests switch databases under the same process)."""
    global _current
    with _build_lock:
        _current = None


def build_matcher() -> Matcher:
    analyzer = Analyzer(
        [*BUILTIN_SYNONYM_GROUPS, *(group.term_list() for group in SynonymGroup.objects.all())]
    )
    return Matcher(
        knowledge_entries(),
        default_embedder(),
        analyzer,
        MatcherParams.from_settings(settings.BOT_MATCHER),
    )


def knowledge_entries() -> list[Entry]:
    by_article: dict[int, list[str]] = defaultdict(list)
    by_faq: dict[int, list[str]] = defaultdict(list)
    for article_id, faq_id, text in ExampleQuestion.objects.order_by("id").values_list(
        "article_id", "faq_entry_id", "text"
    ):
        if article_id is not None:
            by_article[article_id].append(text)
        elif faq_id is not None:
            by_faq[faq_id].append(text)
    entries = []
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by("id")
    for article in articles.only(
        "id", "slug", "title_en", "title_zh_hans", "keywords_en", "keywords_zh_hans"
    ):
        keywords = [
            line.strip()
            for line in f"{article.keywords_en}\n{article.keywords_zh_hans}".splitlines()
            if line.strip()
        ]
        entries.append(
            Entry(
                ARTICLE + article.slug,
                tuple(dict.fromkeys([*by_article.get(article.pk, []), *keywords])),
                (article.title_en, article.title_zh_hans),
            )
        )
    for entry in FaqEntry.objects.filter(published=True).order_by("id"):
        entries.append(
            Entry(
                f"{FAQ}{entry.pk}",
                tuple(dict.fromkeys(by_faq.get(entry.pk, []))),
                (entry.question_en, entry.question_zh_hans),
            )
        )
    return entries + smalltalk.entries()
