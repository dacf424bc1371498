"""The learning loop in a real browser: a support admin opens the answer bot's page, sees
the questions the bot missed grouped with the deflection figures, attaches a group to the
right article in one step, and a guest asking the same thing in the chat panel gets that
article at once. In English on a desktop and in Chinese on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pharos.accounts.models import StaffRole
from pharos.accounts.services import create_staff_member
from pharos.bot.demo import load_demo_questions
from pharos.bot.models import BotExchange, Outcome

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSED = ["can I get a paper invoice for my trading fees", "I need an invoice for the fees I paid"]
ADMIN = "ada.admin@tidewell.example"


@pytest.fixture
def missed(help_center: str, settings: pytest.FixtureRequest) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
    load_demo_questions()
    create_staff_member(
        email=ADMIN, role=StaffRole.SUPPORT_ADMIN, display_name="Ada", password=PASSWORD
    )
    for question in MISSED:
        BotExchange.objects.create(
            question=question, language="en", outcome=Outcome.HANDED_OFF, reason="not_confident"
        )


def sign_in(page: Page) -> None:
    page.goto("/en/accounts/login/")
    page.locator("#id_username").fill(ADMIN)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()


def test_an_admin_attaches_missed_questions_and_the_bot_knows_them_at_once(
    missed: None, page: Page, second_page: Page, artifacts: Path
) -> None:
    sign_in(page)
    page.get_by_role("link", name="Answer bot").click()
    expect(page.get_by_role("heading", name="Deflection")).to_be_visible()
    group = page.get_by_test_id("miss-group")
    expect(group).to_have_count(1)  # the two invoice questions are one group
    expect(group).to_contain_text(MISSED[0])
    expect(group).to_contain_text(MISSED[1])
    page.screenshot(path=artifacts / "desktop-en-bot-misses.png", full_page=True)

    group.get_by_label("Right answer").select_option(
        label="Export your trade, deposit and withdrawal history"
    )
    group.get_by_role("button", name="Attach").click()
    expect(page.locator(".messages")).to_contain_text("2 question(s) added")
    expect(page.get_by_test_id("no-misses")).to_be_visible()

    guest = second_page
    guest.goto("/en/chat/")
    guest.get_by_label("Your message").fill("could you give me an invoice for the fees")
    guest.get_by_role("button", name="Send").click()
    answer = guest.locator(".chat-bot").last
    expect(answer.locator(".chat-links a").first).to_have_attribute(
        "href", "/en/articles/account-statement-and-history/"
    )


def test_the_bots_page_in_chinese_on_a_phone(
    missed: None, phone_page: Page, artifacts: Path
) -> None:
    sign_in(phone_page)
    phone_page.goto("/zh-hans/console/bot/")
    expect(phone_page.get_by_role("heading", name="机器人分流")).to_be_visible()
    expect(phone_page.get_by_test_id("miss-group")).to_contain_text(MISSED[0])
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    phone_page.screenshot(path=artifacts / "phone-zh-bot-misses.png", full_page=True)
