"""Small builders for help-center content in tests, going through the services."""

from __future__ import annotations

from typing import Any

from pharos.helpcenter import services
from pharos.helpcenter.models import Article, ArticleStatus, Category


def make_article(slug: str, *, category: str = "faq", **fields: Any) -> Article:
    values: dict[str, Any] = {
        "title_en": f"Article {slug}",
        "title_zh_hans": f"文章 {slug}",
        "body_en": "Body.",
        "body_zh_hans": "正文。",
        "status": ArticleStatus.PUBLISHED,
    }
    values.update(fields)
    article = Article(slug=slug, category=Category.objects.get(slug=category), **values)
    return services.save_article(article)
