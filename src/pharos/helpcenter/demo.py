"""Loads the demo help center (our own content, in demo_content/) into the database."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import indexing, services
from .models import Announcement, Article, ArticleStatus, Category, Tag

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"


def read_content_file(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def demo_articles() -> list[dict[str, Any]]:
    """Every demo article file, read (the bot's demo reads their example questions too)."""
    return [read_content_file(path) for path in sorted((CONTENT_DIR / "articles").glob("*/*.toml"))]


@transaction.atomic
def load_demo_help_center() -> dict[str, int]:
    """Create the demo categories, tags, articles and announcements (idempotent: existing
    slugs are left as they are)."""
    counts = {"categories": 0, "tags": 0, "articles": 0, "announcements": 0}
    for position, entry in enumerate(
        read_content_file(CONTENT_DIR / "categories.toml")["category"]
    ):
        _, created = Category.objects.get_or_create(
            slug=entry["slug"], defaults={**{k: v for k, v in entry.items() if k != "slug"},
                                          "position": (position + 1) * 10},
        )  # fmt: skip
        counts["categories"] += created
    for slug, (name_en, name_zh) in read_content_file(CONTENT_DIR / "tags.toml").items():
        _, created = Tag.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_zh_hans": name_zh}
        )
        counts["tags"] += created
    categories = {category.slug: category for category in Category.objects.all()}
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    entries = demo_articles()
    created_articles: list[tuple[Article, dict[str, Any]]] = []
    for entry in entries:
        if Article.objects.filter(slug=entry["slug"]).exists():
            continue
        english, chinese = entry["en"], entry["zh-hans"]
        article = Article(
            slug=entry["slug"],
            category=categories[entry["category"]],
            status=ArticleStatus.PUBLISHED,
            promoted=entry.get("promoted", False),
            position=entry.get("position", 100),
            title_en=english["title"],
            title_zh_hans=chinese["title"],
            summary_en=english.get("summary", ""),
            summary_zh_hans=chinese.get("summary", ""),
            body_en=english["body"].strip(),
            body_zh_hans=chinese["body"].strip(),
            keywords_en="\n".join(english.get("keywords", [])),
            keywords_zh_hans="\n".join(chinese.get("keywords", [])),
        )
        services.render_article(article)
        article.published_at = timezone.now()
        article.save()
        article.tags.set([tags[slug] for slug in entry.get("tags", [])])
        created_articles.append((article, entry))
        counts["articles"] += 1
    by_slug = {article.slug: article for article in Article.objects.all()}
    for article, entry in created_articles:
        article.related.set([by_slug[slug] for slug in entry.get("related", []) if slug in by_slug])
    counts["announcements"] = _load_announcements()
    indexing.bump_content_version(rebuild=True)
    return counts


def _load_announcements() -> int:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for entry in read_content_file(CONTENT_DIR / "announcements.toml")["announcement"]:
        if Announcement.objects.filter(slug=entry["slug"]).exists():
            continue
        ends = entry.get("ends_in_hours")
        announcement = Announcement(
            slug=entry["slug"],
            kind=entry["kind"],
            title_en=entry["title_en"],
            title_zh_hans=entry["title_zh_hans"],
            body_en=entry["body_en"].strip(),
            body_zh_hans=entry["body_zh_hans"].strip(),
            affected_products=entry.get("affected_products", []),
            affected_coins=entry.get("affected_coins", []),
            starts_at=now + timedelta(hours=entry["starts_in_hours"]),
            ends_at=now + timedelta(hours=ends) if ends is not None else None,
        )
        services.save_announcement(announcement)
        created += 1
    return created
