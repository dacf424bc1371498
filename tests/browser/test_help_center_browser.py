"""The help center as a visitor sees it in a real browser (headless Debian chromium):
browsing, search and results as you type, voting without a reload, switching language,
the announcement banner, a phone-sized window and the 404 page.

Screenshots of the main steps go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pharos.helpcenter.models import Announcement, Article, ArticleVote, Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHDRAW = "how-to-withdraw"
MAINTENANCE = "usdt-trc20-wallet-maintenance"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def _no_horizontal_scroll(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    scroll_width, inner_width, body_width = sizes
    assert scroll_width <= inner_width, f"page scrolls sideways: {sizes}"
    assert body_width <= inner_width, f"page scrolls sideways: {sizes}"


def test_visitor_browses_a_category_and_searches(page: Page, artifacts: Path) -> None:
    page.goto("/en/")
    expect(page).to_have_title(re.compile("Help center"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How can we help?")
    page.screenshot(path=artifacts / "desktop-en-home.png", full_page=True)

    page.locator(".category-card", has_text="Deposits & withdrawals").click()
    expect(page).to_have_url(re.compile(r"/en/categories/deposits-withdrawals/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deposits & withdrawals")
    crumbs = page.get_by_role("navigation", name="Breadcrumbs").get_by_role("listitem")
    expect(crumbs).to_have_text(["Help center", "Deposits & withdrawals"])
    expect(crumbs.last).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="How to withdraw crypto")).to_be_visible()
    page.screenshot(path=artifacts / "desktop-en-category.png", full_page=True)

    # A Chinese query on the English page: the English article, its match highlighted.
    box = page.get_by_role("searchbox")
    box.fill("提币")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q="))
    expect(page.get_by_role("searchbox")).to_have_value("提币")
    expect(page.locator(".result-count")).to_contain_text("提币")
    result = page.locator(".search-results > li").filter(
        has=page.locator(".result-title", has_text="How to withdraw crypto")
    )
    expect(result).to_have_count(1)
    expect(result.locator(".result-title")).to_have_attribute("href", f"/en/articles/{WITHDRAW}/")
    expect(result.locator("mark").first).to_be_visible()
    page.screenshot(path=artifacts / "desktop-en-search-results.png", full_page=True)

    box = page.get_by_role("searchbox")
    box.fill("withdraw")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q=withdraw$"))
    titles = page.locator(".search-results .result-title")
    expect(titles.first).to_be_visible()
    found = titles.all_inner_texts()
    assert "How to withdraw crypto" in found, found
    assert "My withdrawal is pending or under review" in found, found
    assert sum("withdraw" in title.lower() for title in found) >= 4, found
    expect(page.locator(".search-results mark").first).to_be_visible()

    # Results as you type: suggestions appear while typing, nothing is submitted.
    page.goto("/en/")
    suggestions = page.locator("#search-suggestions")
    expect(suggestions).to_be_hidden()
    page.get_by_role("searchbox").press_sequentially("withdr", delay=40)
    expect(suggestions).to_be_visible()
    links = suggestions.get_by_role("link")
    expect(links.first).to_be_visible()
    assert links.count() >= 1
    expect(links.first).to_contain_text(re.compile("withdr", re.IGNORECASE))
    expect(links.first).to_have_attribute("href", re.compile(r"^/en/(articles|announcements)/"))
    assert _path(page) == "/en/"
    page.screenshot(path=artifacts / "desktop-en-suggestions.png")


def test_vote_is_recorded_without_a_reload_and_can_be_changed(page: Page, artifacts: Path) -> None:
    article = Article.objects.get(slug=WITHDRAW)
    page.goto(f"/en/articles/{WITHDRAW}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How to withdraw crypto")
    url = page.url
    page.evaluate("() => { window.__samePage = true; }")  # gone if the page reloads
    status = page.locator(".feedback-form [role=status]")
    expect(status).to_have_text("")

    # The buttons' names, whatever icon (emoji or SVG) precedes the word.
    yes = page.get_by_role("button", name=re.compile(r"^\W*Yes$"))
    no = page.get_by_role("button", name=re.compile(r"^\W*No$"))
    yes.click()
    expect(status).to_have_text("Thank you for your feedback.")
    expect(yes).to_have_class(re.compile(r"\bchosen\b"))
    assert page.url == url
    assert page.evaluate("() => window.__samePage === true"), "the page reloaded"
    votes = ArticleVote.objects.filter(article=article)
    assert [vote.helpful for vote in votes] == [True]
    page.screenshot(path=artifacts / "desktop-en-article-voted.png")

    no.click()
    expect(no).to_have_class(re.compile(r"\bchosen\b"))
    expect(yes).not_to_have_class(re.compile(r"\bchosen\b"))
    expect(status).to_have_text("Thank you for your feedback.")
    assert page.url == url
    assert page.evaluate("() => window.__samePage === true"), "the page reloaded"
    assert [vote.helpful for vote in votes.all()] == [False]
    article.refresh_from_db()
    assert (article.helpful_yes_count, article.helpful_no_count) == (0, 1)

    # The visitor's cookie remembers the vote: the page says so after a reload.
    page.reload()
    expect(page.locator(".feedback-done")).to_contain_text("You told us this did not help.")
    expect(no).to_have_class(re.compile(r"\bchosen\b"))


def test_language_switch_shows_the_same_article_in_chinese_and_back(
    page: Page, artifacts: Path
) -> None:
    article = Article.objects.get(slug=WITHDRAW)
    page.goto(f"/en/articles/{WITHDRAW}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_test_id("language-switch")
    expect(switch).to_have_text("中文")

    switch.click()
    expect(page).to_have_url(re.compile(rf"/zh-hans/articles/{WITHDRAW}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title_zh_hans)
    crumbs = page.locator(".breadcrumbs li")
    expect(crumbs.nth(1)).to_have_text(article.category.name_zh_hans)
    expect(page.get_by_test_id("language-switch")).to_have_text("English")
    page.screenshot(path=artifacts / "desktop-zh-article.png", full_page=True)

    page.get_by_test_id("language-switch").click()
    expect(page).to_have_url(re.compile(rf"/en/articles/{WITHDRAW}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title_en)


def test_active_maintenance_banner_is_on_every_page(page: Page) -> None:
    maintenance = Announcement.objects.get(slug=MAINTENANCE)
    assert maintenance.kind == "maintenance" and maintenance.is_active()
    for path in ("/en/", f"/en/articles/{WITHDRAW}/", "/en/search/?q=withdraw"):
        page.goto(path)
        banner = page.get_by_role("complementary", name="Active announcements")
        expect(banner).to_be_visible()
        link = banner.get_by_role("link", name=maintenance.title_en)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", f"/en/announcements/{MAINTENANCE}/")
        expect(banner.locator(".banner-maintenance .banner-kind")).to_have_text(
            re.compile("maintenance", re.IGNORECASE)
        )

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(maintenance.title_en)


def test_phone_menu_category_grid_and_article(phone_page: Page, artifacts: Path) -> None:
    page = phone_page
    page.goto("/en/")
    assert page.viewport_size == {"width": 390, "height": 844}
    menu = page.locator("#site-menu")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(menu).to_be_hidden()
    _no_horizontal_scroll(page)

    cards = page.locator(".category-card")
    expect(cards).to_have_count(Category.objects.count())
    inner_width = page.evaluate("() => window.innerWidth")
    for card in cards.all():
        box = card.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= inner_width, box
    page.screenshot(path=artifacts / "phone-home.png", full_page=True)

    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Announcements")).to_be_visible()
    expect(page.get_by_test_id("language-switch")).to_be_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "phone-menu.png")
    toggle.click()
    expect(menu).to_be_hidden()

    cards.filter(has_text="Deposits & withdrawals").click()
    page.get_by_role("link", name="How to withdraw crypto").click()
    expect(page).to_have_url(re.compile(rf"/en/articles/{WITHDRAW}/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("How to withdraw crypto")
    expect(heading).to_be_in_viewport()
    body = page.locator(".article-body")
    expect(body).to_contain_text("Before you start")
    _no_horizontal_scroll(page)
    readable = page.evaluate(
        """() => {
            const body = document.querySelector('.article-body');
            const paragraph = body.querySelector('p, li');
            const box = body.getBoundingClientRect();
            return {
                left: box.left, right: box.right,
                fontSize: parseFloat(getComputedStyle(paragraph).fontSize),
            };
        }"""
    )
    assert readable["left"] >= 0 and readable["right"] <= inner_width, readable
    assert readable["right"] - readable["left"] >= 300, readable  # not squeezed to a sliver
    assert readable["fontSize"] >= 14, readable
    page.screenshot(path=artifacts / "phone-article.png", full_page=True)


def test_unknown_page_shows_the_chinese_404_with_a_search_box(page: Page, artifacts: Path) -> None:
    maintenance = Announcement.objects.get(slug=MAINTENANCE)
    response = page.goto("/zh-hans/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".error-page h1")).to_have_text(CHINESE)  # translated, not English
    expect(page.get_by_test_id("language-switch")).to_have_text("English")
    # The layout is the Chinese one: content comes in Chinese (here the banner).
    expect(page.get_by_role("link", name=maintenance.title_zh_hans)).to_be_visible()
    box = page.locator(".error-page").get_by_role("searchbox")
    expect(box).to_be_visible()
    expect(page.locator(".error-page form.search-box")).to_have_attribute(
        "action", "/zh-hans/search/"
    )
    page.screenshot(path=artifacts / "desktop-zh-404.png", full_page=True)

    box.fill("提币")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zh-hans/search/\?q="))
    title = Article.objects.get(slug=WITHDRAW).title_zh_hans
    expect(page.locator(".search-results .result-title", has_text=title)).to_be_visible()
