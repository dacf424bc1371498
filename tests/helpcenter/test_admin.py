"""Support admins edit the help center in the admin; the change is live at once."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.helpcenter import services
from pharos.helpcenter.models import Announcement, Article, Category, Tag

from ..conftest import signed_in

pytestmark = pytest.mark.django_db


def article_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": Category.objects.get(slug="faq").pk,
        "slug": "gecko-support-hours",
        "status": "published",
        "position": 10,
        "title_en": "Gecko support hours",
        "title_zh_hans": "壁虎客服时间",
        "summary_en": "When the gecko desk answers.",
        "summary_zh_hans": "壁虎服务台的服务时间。",
        "body_en": "We answer **7x24**.",
        "body_zh_hans": "我们 **7x24** 小时在线。",
        "keywords_en": "gecko hours",
        "keywords_zh_hans": "壁虎",
        "tags": [Tag.objects.get(slug="live-chat").pk],
        "related": [Article.objects.get(slug="live-chat-guide").pk],
        # The answer bot's example questions, edited on the article's page.
        "example_questions-TOTAL_FORMS": "2",
        "example_questions-INITIAL_FORMS": "0",
        "example_questions-0-language": "en",
        "example_questions-0-text": "when is the gecko desk open",
        "example_questions-1-language": "zh-hans",
        "example_questions-1-text": "壁虎服务台几点上班",
    }
    data.update(overrides)
    return data


def test_the_editor_shows_both_languages_side_by_side(support_admin) -> None:
    page = signed_in(support_admin.user).get("/admin/helpcenter/article/add/").content.decode()
    assert "side-by-side" in page
    assert 'name="title_en"' in page and 'name="title_zh_hans"' in page
    assert 'name="body_en"' in page and 'name="body_zh_hans"' in page
    assert "helpcenter/admin/editor.js" in page


def test_an_article_saved_in_the_admin_is_rendered_and_searchable_at_once(support_admin) -> None:
    response = signed_in(support_admin.user).post("/admin/helpcenter/article/add/", article_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="gecko-support-hours")
    assert "<strong>7x24</strong>" in article.body_html_en
    assert article.published_at is not None
    assert [hit.slug for hit in services.search("gecko", "en").hits] == ["gecko-support-hours"]
    assert [hit.slug for hit in services.search("壁虎", "zh-hans").hits] == ["gecko-support-hours"]
    assert list(article.tags.values_list("slug", flat=True)) == ["live-chat"]


def test_publish_and_unpublish_actions(support_admin) -> None:
    client = signed_in(support_admin.user)
    client.post("/admin/helpcenter/article/add/", article_form(status="draft"))
    article = Article.objects.get(slug="gecko-support-hours")
    assert services.search("gecko", "en").total == 0
    client.post(
        "/admin/helpcenter/article/",
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert services.search("gecko", "en").total == 1
    assert Client().get("/en/articles/gecko-support-hours/").status_code == 200
    client.post(
        "/admin/helpcenter/article/",
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert services.search("gecko", "en").total == 0
    assert Client().get("/en/articles/gecko-support-hours/").status_code == 404


def test_an_announcement_saved_in_the_admin_shows_in_the_banner(support_admin) -> None:
    response = signed_in(support_admin.user).post(
        "/admin/helpcenter/announcement/add/",
        {
            "slug": "eth-node-upgrade",
            "kind": "maintenance",
            "starts_at_0": "2020-01-01",
            "starts_at_1": "00:00:00",
            "ends_at_0": "2099-01-01",
            "ends_at_1": "00:00:00",
            "show_banner": "on",
            "published": "on",
            "title_en": "ETH node upgrade",
            "title_zh_hans": "以太坊节点升级",
            "body_en": "Deposits of **ETH** pause.",
            "body_zh_hans": "**ETH** 充值暂停。",
            "affected_products": ["deposits"],
            "affected_coins": "eth-erc20, usdt-erc20",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    announcement = Announcement.objects.get(slug="eth-node-upgrade")
    assert announcement.affected_coins == ["ETH-ERC20", "USDT-ERC20"]
    assert "ETH node upgrade" in Client().get("/en/").content.decode()


def test_an_announcement_with_an_odd_coin_name_is_refused(support_admin) -> None:
    response = signed_in(support_admin.user).post(
        "/admin/helpcenter/announcement/add/",
        {
            "slug": "bad-coins", "kind": "event", "starts_at_0": "2026-01-01",
            "starts_at_1": "00:00:00", "title_en": "x", "title_zh_hans": "x",
            "body_en": "x", "body_zh_hans": "x", "affected_coins": "<script>",
            "published": "on",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Use coin or coin-network names" in response.content.decode()
    assert not Announcement.objects.filter(slug="bad-coins").exists()


def test_agents_and_customers_cannot_edit_the_help_center(agent, customer) -> None:
    for user in (agent.user, customer.user):
        response = signed_in(user).get("/admin/helpcenter/article/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_admins_see_searches_that_found_nothing(support_admin) -> None:
    services.search("zorblax quuxly", "en")
    page = signed_in(support_admin.user).get("/admin/helpcenter/searchmiss/").content.decode()
    assert "zorblax quuxly" in page
