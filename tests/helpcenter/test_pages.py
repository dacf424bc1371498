"""The help-center pages as a visitor sees them, in both languages."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pharos.helpcenter import services
from pharos.helpcenter.models import Announcement, AnnouncementKind, Article, ArticleStatus

from ..conftest import signed_in
from .factories import make_article

pytestmark = pytest.mark.django_db


def test_home_lists_every_category_in_english_and_chinese(stranger: Client) -> None:
    english = stranger.get("/en/").content.decode()
    chinese = stranger.get("/zh-hans/").content.decode()
    english_names = ["Getting started", "Trading rules", "Account security", "FAQ", "API"]
    for name in [*english_names, "Deposits &amp; withdrawals", "Announcements"]:
        assert name in english
    for name in ("新手入门", "交易规则", "账户安全", "充币与提币", "常见问题", "公告中心"):
        assert name in chinese


def test_the_root_address_sends_a_chinese_browser_to_the_chinese_site(stranger: Client) -> None:
    response = stranger.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_category_page_has_breadcrumbs_and_its_articles(stranger: Client) -> None:
    page = stranger.get("/zh-hans/categories/deposits-withdrawals/").content.decode()
    assert 'class="breadcrumbs"' in page
    assert "充币与提币" in page
    assert "如何提币" in page
    assert "/zh-hans/articles/how-to-withdraw/" in page


def test_article_page_shows_body_tags_related_and_breadcrumbs(stranger: Client) -> None:
    page = stranger.get("/en/articles/withdrawal-pending-or-under-review/").content.decode()
    assert "<h1>My withdrawal is pending or under review</h1>" in page
    assert '<a href="/en/categories/deposits-withdrawals/">Deposits &amp; withdrawals</a>' in page
    assert "/en/tags/withdrawal/" in page
    assert 'id="related-heading"' in page
    assert page.count("/en/articles/") >= 3


def test_viewing_an_article_counts_a_view(stranger: Client) -> None:
    before = Article.objects.get(slug="how-to-withdraw").view_count
    stranger.get("/en/articles/how-to-withdraw/")
    stranger.get("/zh-hans/articles/how-to-withdraw/")
    assert Article.objects.get(slug="how-to-withdraw").view_count == before + 2


def test_related_articles_start_with_the_editors_picks() -> None:
    article = Article.objects.get(slug="deposit-wrong-network")
    picks = set(article.related.values_list("slug", flat=True))
    related = [a.slug for a in services.related_articles(article)]
    assert set(related[: len(picks)]) == picks
    assert "deposit-wrong-network" not in related


def test_a_draft_is_hidden_from_visitors_but_previewable_by_support_admins(
    stranger: Client, agent, support_admin
) -> None:
    make_article("draft-notes", title_en="Draft notes", status=ArticleStatus.DRAFT)
    assert stranger.get("/en/articles/draft-notes/").status_code == 404
    assert stranger.get("/en/articles/draft-notes/?preview=1").status_code == 404
    assert signed_in(agent.user).get("/en/articles/draft-notes/?preview=1").status_code == 404
    preview = signed_in(support_admin.user).get("/en/articles/draft-notes/?preview=1")
    assert preview.status_code == 200
    assert "Preview" in preview.content.decode()


def test_an_active_announcement_is_a_banner_on_every_page(stranger: Client) -> None:
    title = "USDT (TRC20) and TRX deposits and withdrawals paused for wallet maintenance"
    for path in ("/en/", "/en/articles/how-to-withdraw/", "/en/search/?q=fees", "/en/guide/",
                 "/en/categories/faq/", "/en/accounts/login/"):  # fmt: skip
        page = stranger.get(path).content.decode()
        assert 'class="banner"' in page, path
        assert title in page, path
    assert "USDT（TRC20）与 TRX 充提暂停" in stranger.get("/zh-hans/").content.decode()


def test_only_announcements_inside_their_window_make_the_banner() -> None:
    now = timezone.now()
    for slug, starts, ends in (
        ("ended", now - timedelta(days=3), now - timedelta(days=1)),
        ("upcoming", now + timedelta(days=1), now + timedelta(days=2)),
        ("open-ended", now - timedelta(hours=1), None),
    ):
        services.save_announcement(
            Announcement(
                slug=slug, kind=AnnouncementKind.EVENT, title_en=slug, title_zh_hans=slug,
                body_en="x", body_zh_hans="x", starts_at=starts, ends_at=ends,
            )
        )  # fmt: skip
    banner = {a.slug for a in services.banner_announcements()}
    assert "open-ended" in banner
    assert "usdt-trc20-wallet-maintenance" in banner
    assert not {"ended", "upcoming", "futures-grid-bot-launch"} & banner


def test_announcement_page_shows_its_window_and_what_it_affects(stranger: Client) -> None:
    page = stranger.get("/en/announcements/usdt-trc20-wallet-maintenance/").content.decode()
    assert "In effect now" in page
    assert "Deposits, Withdrawals" in page
    assert "USDT-TRC20" in page


def test_the_announcements_category_lists_announcements(stranger: Client) -> None:
    page = stranger.get("/en/categories/announcements/").content.decode()
    assert "/en/announcements/beware-fake-support-accounts/" in page


def test_scenario_guide_matches_problems_to_channels(stranger: Client) -> None:
    page = html.unescape(stranger.get("/en/guide/").content.decode())
    assert "My deposit hasn't arrived or my withdrawal is late" in page
    assert "Freeze your account now" in page
    assert "security@tidewell.example" in page
    assert "Community forum" in page
    assert "forgot my password" in page


def test_unknown_pages_are_a_404_in_the_visitors_language(stranger: Client) -> None:
    chinese = stranger.get("/zh-hans/no-such-page/")
    assert chinese.status_code == 404
    assert '<html lang="zh-hans">' in chinese.content.decode()
    english = stranger.get("/en/articles/no-such-article/")
    assert english.status_code == 404
    assert "We can't find that page" in html.unescape(english.content.decode())
    unprefixed = stranger.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert unprefixed.status_code == 404
    assert '<html lang="zh-hans">' in unprefixed.content.decode()


def test_the_language_switch_keeps_the_reader_on_the_same_page(stranger: Client) -> None:
    page = stranger.get("/en/articles/how-to-withdraw/").content.decode()
    assert 'href="/zh-hans/articles/how-to-withdraw/"' in page
    search = stranger.get("/zh-hans/search/", {"q": "提币"}).content.decode()
    assert 'href="/en/search/?q=%E6%8F%90%E5%B8%81"' in search


def test_the_chosen_language_is_remembered_for_the_next_visit(stranger: Client) -> None:
    stranger.get("/zh-hans/articles/how-to-withdraw/")
    response = stranger.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/zh-hans/"


def test_pages_carry_security_headers(stranger: Client) -> None:
    response = stranger.get("/en/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/en/search/?page=abc&q=fees",
        "/en/search/?page=-5&q=fees",
        "/en/search/?page=99999999999999999999&q=fees",
        "/en/search/?q=%00%01",
        "/en/search/?category=../../etc&q=fees",
        "/en/announcements/?page=zzz",
        "/en/articles/%F0%9F%9A%80/",
        "/en/categories/..%2F..%2F/",
        "/en/tags/no-such-tag/",
        "/api/v1/helpcenter/search?limit=abc",
        "/api/v1/helpcenter/search?lang=fr",
        "/api/v1/helpcenter/search?q=" + "a" * 20_000,
    ],
)
def test_nothing_a_visitor_sends_raises_a_server_error(stranger: Client, path: str) -> None:
    assert stranger.get(path).status_code < 500


def test_view_counts_are_written_in_batches(stranger: Client, settings) -> None:
    from pharos.helpcenter.view_counter import view_counter

    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    view_counter.flush()
    before = Article.objects.get(slug="order-types").view_count
    for _ in range(3):
        stranger.get("/en/articles/order-types/")
    assert Article.objects.get(slug="order-types").view_count == before
    view_counter.flush()
    assert Article.objects.get(slug="order-types").view_count == before + 3
