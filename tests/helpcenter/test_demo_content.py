"""The demo help center covers what the product promises, in both languages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pharos.helpcenter import services
from pharos.helpcenter.models import Announcement, AnnouncementKind, Article, Category

pytestmark = pytest.mark.django_db

REQUIRED_TOPICS = [
    "register-an-account", "kyc-levels-and-limits", "reset-your-password",
    "verification-code-not-received", "set-up-google-authenticator", "lost-2fa-device",
    "anti-phishing-code", "recognise-official-channels", "account-locked",
    "account-stolen-freeze-now", "deposit-not-arrived", "deposit-wrong-network",
    "deposit-missing-memo-tag", "withdrawal-pending-or-under-review",
    "withdrawal-fees-and-limits", "choose-the-right-network", "order-types", "trading-fees",
    "leverage-and-margin", "liquidation-risk", "p2p-trading-guide", "create-api-key",
    "api-rate-limits", "vip-programme", "support-channels-overview", "submit-a-ticket",
    "support-mailboxes",
]  # fmt: skip


def test_at_least_sixty_articles_each_in_both_languages() -> None:
    articles = Article.objects.filter(status="published")
    assert articles.count() >= 60
    for article in articles:
        for field in ("title", "summary", "body", "keywords", "body_html"):
            assert getattr(article, f"{field}_en").strip(), (article.slug, field)
            assert getattr(article, f"{field}_zh_hans").strip(), (article.slug, field)


def test_the_required_topics_are_covered() -> None:
    present = set(Article.objects.values_list("slug", flat=True))
    assert not set(REQUIRED_TOPICS) - present


def test_every_category_has_content() -> None:
    for category in Category.objects.all():
        if category.lists_announcements:
            assert Announcement.objects.exists()
        else:
            assert services.articles_in_category(category).count() >= 5, category.slug


def test_five_announcements_with_one_active_maintenance() -> None:
    assert Announcement.objects.count() >= 5
    active = [a for a in Announcement.objects.all() if a.is_active(timezone.now())]
    assert [a.kind for a in active].count(AnnouncementKind.MAINTENANCE) == 1
    assert {a.kind for a in Announcement.objects.all()} == set(AnnouncementKind.values)
