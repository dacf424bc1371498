"""The demo articles' example questions (the `questions` lists of the help center's demo
content files), loaded as the bot's knowledge."""

from __future__ import annotations

from django.db import transaction

from pharos.helpcenter.demo import demo_articles
from pharos.helpcenter.models import Article

from . import knowledge
from .models import ExampleQuestion


@transaction.atomic
def load_demo_questions() -> int:
    """Idempotent: an article that already has example questions is left as it is."""
    articles = {article.slug: article for article in Article.objects.all()}
    having = set(
        ExampleQuestion.objects.filter(article__isnull=False).values_list(
            "article__slug", flat=True
        )
    )
    created = []
    for entry in demo_articles():
        article = articles.get(entry["slug"])
        if article is None or article.slug in having:
            continue
        for language in ("en", "zh-hans"):
            for text in dict.fromkeys(entry[language].get("questions", [])):
                created.append(ExampleQuestion(article=article, language=language, text=text))
    ExampleQuestion.objects.bulk_create(created)
    knowledge.bump_knowledge_version()
    return len(created)
