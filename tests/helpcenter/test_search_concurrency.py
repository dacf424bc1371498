"""Searches in several request threads while editors publish and unpublish: no search
fails, and the index ends in step with the database."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from pharos.helpcenter import services
from pharos.helpcenter.demo import load_demo_help_center
from pharos.helpcenter.models import Article

from .factories import make_article


@pytest.mark.django_db(transaction=True)
def test_searches_keep_working_while_content_changes() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite test databases are not shared between threads")
    load_demo_help_center()
    article = make_article("toggling", title_en="Walrus withdrawals")
    failures: list[BaseException] = []
    stop = threading.Event()

    def search_until_stopped() -> None:
        try:
            while not stop.is_set():
                for query in ("walrus", "withdraw", "提币", "deposit not arrived"):
                    services.search(query, "en", as_you_type=True)
        except BaseException as error:  # the test reports any failure
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=search_until_stopped) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for round_number in range(30):
            published = round_number % 2 == 1
            services.set_articles_published(Article.objects.filter(pk=article.pk), published)
            time.sleep(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert failures == []
    assert [hit.slug for hit in services.search("walrus", "en").hits] == ["toggling"]
