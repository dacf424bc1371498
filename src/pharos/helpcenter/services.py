"""Help-center actions. Views, the API and the admin call these; nothing else changes
help-center state."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone, translation

from . import indexing
from .markdown import render_markdown
from .models import (
    LANGUAGE_SUFFIXES,
    Announcement,
    Article,
    ArticleStatus,
    ArticleVote,
    Category,
    SearchMiss,
    SynonymGroup,
    Tag,
)
from .search.engine import MAX_QUERY_CHARACTERS, SearchPage
from .view_counter import view_counter

MAX_VOTE_COMMENT_CHARACTERS = 1000
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
RELATED_ARTICLE_COUNT = 5
BANNER_CACHE_SECONDS = 5
ARTICLE_PAGE_CACHE_SECONDS = 600


class ArticleNotFound(Exception):
    pass


# --- editing (the admin calls these) -----------------------------------------------------
def render_article(article: Article) -> None:
    for language, suffix in LANGUAGE_SUFFIXES.items():
        body = getattr(article, f"body_{suffix}")
        setattr(article, f"body_html_{suffix}", render_markdown(body, language))


def save_article(article: Article) -> Article:
    """Save an article with its HTML rendered; searchable on the next query everywhere."""
    render_article(article)
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    with transaction.atomic():
        article.save()
        indexing.bump_content_version()
    return article


def article_relations_changed(article: Article) -> None:
    """Tags or related articles changed (saved after the article itself)."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    indexing.bump_content_version()


def set_articles_published(articles: QuerySet[Article], published: bool) -> int:
    now = timezone.now()
    with transaction.atomic():
        if published:
            changed = articles.exclude(status=ArticleStatus.PUBLISHED).update(
                status=ArticleStatus.PUBLISHED, updated_at=now
            )
            articles.filter(published_at__isnull=True).update(published_at=now)
        else:
            changed = articles.filter(status=ArticleStatus.PUBLISHED).update(
                status=ArticleStatus.DRAFT, updated_at=now
            )
        indexing.bump_content_version()
    return changed


def delete_articles(articles: QuerySet[Article]) -> None:
    with transaction.atomic():
        articles.delete()
        indexing.bump_content_version()


def save_announcement(announcement: Announcement) -> Announcement:
    for language, suffix in LANGUAGE_SUFFIXES.items():
        body = getattr(announcement, f"body_{suffix}")
        setattr(announcement, f"body_html_{suffix}", render_markdown(body, language))
    with transaction.atomic():
        announcement.save()
        indexing.bump_content_version()
    _forget_banner()
    return announcement


def delete_announcements(announcements: QuerySet[Announcement]) -> None:
    with transaction.atomic():
        announcements.delete()
        indexing.bump_content_version()
    _forget_banner()


def save_category(category: Category) -> Category:
    """Save a category; article pages (breadcrumbs) and menus show the change at once."""
    with transaction.atomic():
        category.save()
        indexing.bump_content_version()
        transaction.on_commit(_forget_categories)
    return category


def _forget_categories() -> None:
    cache.delete_many([f"helpcenter:categories:{language}" for language in LANGUAGE_SUFFIXES])


def save_tag(tag: Tag) -> Tag:
    with transaction.atomic():
        tag.save()
        indexing.bump_content_version(rebuild=True)
    return tag


def delete_tags(tags: QuerySet[Tag]) -> None:
    """Tag names are indexed with their articles: the index is rebuilt without them."""
    with transaction.atomic():
        tags.delete()
        indexing.bump_content_version(rebuild=True)


def save_synonym_group(group: SynonymGroup) -> SynonymGroup:
    with transaction.atomic():
        group.save()
        indexing.bump_content_version(rebuild=True)
    return group


def delete_synonym_groups(groups: QuerySet[SynonymGroup]) -> None:
    with transaction.atomic():
        groups.delete()
        indexing.bump_content_version(rebuild=True)


# --- reading -----------------------------------------------------------------------------
def category_by_slug(slug: str | None) -> Category | None:
    """The category a visitor named, or None for anything that is not a known slug."""
    if not slug or len(slug) > 50 or not _SLUG.fullmatch(slug):
        return None
    return Category.objects.filter(slug=slug).first()


def navigation_categories() -> list[Category]:
    key = f"helpcenter:categories:{translation.get_language()}"
    categories = cache.get(key)
    if categories is None:
        categories = list(Category.objects.all())
        cache.set(key, categories, 60)
    return categories


def published_article(slug: str) -> Article:
    try:
        return Article.objects.select_related("category").get(
            slug=slug, status=ArticleStatus.PUBLISHED
        )
    except Article.DoesNotExist as missing:
        raise ArticleNotFound(slug) from missing


def article_for_preview(slug: str) -> Article:
    """Any article, published or not: only for staff who edit the help center."""
    try:
        return Article.objects.select_related("category").get(slug=slug)
    except Article.DoesNotExist as missing:
        raise ArticleNotFound(slug) from missing


def record_article_view(article: Article) -> None:
    """Count a page view. Views are added up in memory and written in one transaction
    every few seconds (settings.VIEW_COUNT_FLUSH_SECONDS): one write per page view would
    make every reader queue for SQLite's single writer."""
    view_counter.record(article.pk)


def related_articles(article: Article, limit: int = RELATED_ARTICLE_COUNT) -> list[Article]:
    """The editor's picks first, then articles sharing the most tags, then the category."""
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED).exclude(pk=article.pk)
    chosen = list(
        published.filter(pk__in=article.related.values("pk")).only(
            "slug", "title_en", "title_zh_hans", "category_id"
        )[:limit]
    )
    if len(chosen) < limit:
        tag_ids = list(article.tags.values_list("pk", flat=True))
        more = (
            published.exclude(pk__in=[a.pk for a in chosen])
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .filter(Q(shared__gt=0) | Q(category_id=article.category_id))
            .order_by("-shared", "position")
            .only("slug", "title_en", "title_zh_hans", "category_id")
        )
        chosen += list(more[: limit - len(chosen)])
    return chosen


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    tags: list[Tag]
    related: list[Article]
    # Names this exact content for the template's fragment cache; empty: do not cache.
    cache_key: str = ""


def article_page(article: Article, cache_key: str = "") -> ArticlePage:
    return ArticlePage(article, list(article.tags.all()), related_articles(article), cache_key)


def published_article_page(slug: str) -> ArticlePage:
    """A published article with its category, tags and related articles: what its page
    shows. Cached under the content version, which every edit, publication, deletion or
    tag change moves, so a cached page is never stale; a busy article then costs one
    small query instead of five."""
    version, _ = indexing.content_versions()
    key = f"helpcenter:article-page:{version}:{slug[:120]}"
    page = cache.get(key)
    if page is None:
        page = article_page(published_article(slug), cache_key=key)
        cache.set(key, page, ARTICLE_PAGE_CACHE_SECONDS)
    return page


def articles_with_tag(tag: Tag) -> QuerySet[Article]:
    return tag.articles.filter(status=ArticleStatus.PUBLISHED).select_related("category")


def published_articles_by_slug(slugs: set[str]) -> dict[str, Article]:
    return {
        a.slug: a for a in Article.objects.filter(slug__in=slugs, status=ArticleStatus.PUBLISHED)
    }


def articles_in_category(category: Category) -> QuerySet[Article]:
    return category.articles.filter(status=ArticleStatus.PUBLISHED).order_by("position", "id")


def promoted_articles(limit: int = 8) -> QuerySet[Article]:
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, promoted=True)
        .select_related("category")
        .order_by("category__position", "position")[:limit]
    )


# --- announcements -----------------------------------------------------------------------------
def active_announcements(at: datetime | None = None) -> list[Announcement]:
    moment = at or timezone.now()
    return list(
        Announcement.objects.filter(published=True, starts_at__lte=moment)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        .order_by("-starts_at")
    )


def banner_announcements() -> list[Announcement]:
    """Active announcements flagged for the banner, cached for a few seconds because every
    page shows them."""
    banner = cache.get("helpcenter:banner")
    if banner is None:
        banner = [a for a in active_announcements() if a.show_banner]
        cache.set("helpcenter:banner", banner, BANNER_CACHE_SECONDS)
    now = timezone.now()
    return [announcement for announcement in banner if announcement.is_active(now)]


def _forget_banner() -> None:
    # After the commit: a request between the delete and the commit would cache the old list.
    transaction.on_commit(lambda: cache.delete("helpcenter:banner"))


def published_announcements() -> QuerySet[Announcement]:
    return Announcement.objects.filter(published=True).order_by("-starts_at")


# --- feedback ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class VoteResult:
    helpful: bool
    changed: bool


def vote_on_article(
    article: Article, visitor_key: str, helpful: bool, comment: str, language: str
) -> VoteResult:
    """Record one visitor's answer to "was this helpful?". A visitor has one vote per
    article; voting again replaces it and the counters move accordingly."""
    comment = comment.strip()[:MAX_VOTE_COMMENT_CHARACTERS]
    with transaction.atomic():
        existing = (
            ArticleVote.objects.select_for_update()
            .filter(article=article, visitor_key=visitor_key)
            .first()
        )
        if existing is None:
            try:
                with transaction.atomic():
                    ArticleVote.objects.create(
                        article=article,
                        visitor_key=visitor_key,
                        helpful=helpful,
                        comment=comment,
                        language=language,
                    )
            except IntegrityError:
                # The same visitor's other request won the race; theirs stands.
                return VoteResult(helpful=helpful, changed=False)
            _count_vote(article, helpful, +1)
            return VoteResult(helpful=helpful, changed=True)
        if existing.helpful != helpful:
            _count_vote(article, existing.helpful, -1)
            _count_vote(article, helpful, +1)
        existing.helpful = helpful
        if comment:
            existing.comment = comment
        existing.save(update_fields=["helpful", "comment", "updated_at"])
        return VoteResult(helpful=helpful, changed=True)


def _count_vote(article: Article, helpful: bool, delta: int) -> None:
    field = "helpful_yes_count" if helpful else "helpful_no_count"
    Article.objects.filter(pk=article.pk).update(**{field: F(field) + delta})


def visitor_vote(article: Article, visitor_key: str | None) -> ArticleVote | None:
    if not visitor_key:
        return None
    return ArticleVote.objects.filter(article=article, visitor_key=visitor_key).first()


# --- search ------------------------------------------------------------------------------------
def clean_query(query: str) -> str:
    """The query as search sees it: printable, single-spaced, bounded in length."""
    printable = "".join(
        character if unicodedata.category(character)[0] not in "CZ" else " "
        for character in query[: MAX_QUERY_CHARACTERS * 4]
    )
    return " ".join(printable.split())[:MAX_QUERY_CHARACTERS]


def search(
    query: str,
    language: str,
    *,
    category: Category | None = None,
    limit: int = 10,
    offset: int = 0,
    as_you_type: bool = False,
    record_miss: bool = True,
) -> SearchPage:
    """Search published articles and announcements. A search that finds nothing is
    recorded for the content team, unless it is a keystroke of an as-you-type search."""
    cleaned = clean_query(query)
    if not cleaned:
        return SearchPage(query="", hits=[], total=0)
    page = indexing.with_current_engine(
        lambda engine: engine.search(
            cleaned,
            language,
            category_id=category.pk if category else None,
            limit=limit,
            offset=offset,
            as_you_type=as_you_type,
        )
    )
    if not page.total and record_miss and not as_you_type:
        record_search_miss(cleaned, language)
    return page


def record_search_miss(query: str, language: str) -> None:
    normalized = query.lower()[:200]
    now = timezone.now()
    updated = SearchMiss.objects.filter(query=normalized, language=language).update(
        count=F("count") + 1, last_seen_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                SearchMiss.objects.create(query=normalized, language=language)
        except IntegrityError:
            SearchMiss.objects.filter(query=normalized, language=language).update(
                count=F("count") + 1, last_seen_at=now
            )
