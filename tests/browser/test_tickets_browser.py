"""A ticket from both sides in a real browser (headless Debian chromium): the customer
submits a request with a screenshot, an agent answers it in the console with a canned
reply (posted without a page reload), the customer answers back, and once the agent
resolves it the customer rates the service.

The customer and the agent use separate browser contexts (separate cookies), as two people
would. Screenshots of the main steps go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pharos.accounts.models import Customer, StaffMember, StaffRole, Team
from pharos.accounts.services import create_customer, create_staff_member
from pharos.conversations.models import CannedReply, Conversation, Status, Topic

from ..conftest import PASSWORD
from ..conversations.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = re.compile(r"PH-\d{4}-\d{6}")
SUBJECT = "USDT deposit not arrived"
DESCRIPTION = "I sent 500 USDT on TRC20 two hours ago and it is still not in my account."
SCREENSHOT = "deposit-screenshot.png"
CANNED_TITLE = "Ask for TxID"


@dataclass
class Cast:
    customer: Customer
    agent: StaffMember


@pytest.fixture
def cast(help_center: str, settings: pytest.FixtureRequest, tmp_path: Path) -> Cast:
    """What the ticket needs, made here: the flush after earlier transactional tests
    removed the teams and topics the migrations created."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.STAFF_TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
    team, _ = Team.objects.get_or_create(
        slug="general-support",
        defaults={"name_en": "General support", "name_zh_hans": "综合客服"},
    )
    Topic.objects.get_or_create(
        slug="deposits-withdrawals",
        defaults={
            "name_en": "Deposits & withdrawals",
            "name_zh_hans": "充币与提币",
            "default_team": team,
        },
    )
    customer = create_customer(
        uid="30000001", email="mei@example.com", display_name="Mei Lin", password=PASSWORD
    )
    agent = create_staff_member(
        email="carol.agent@tidewell.example",
        role=StaffRole.AGENT,
        display_name="Carol",
        password=PASSWORD,
    )
    agent.teams.add(team)
    CannedReply.objects.get_or_create(
        title=CANNED_TITLE,
        defaults={
            "body_en": "Hello {customer_name}, about {reference}: please send the TxID.",
            "body_zh_hans": "{customer_name}您好，关于 {reference}：请提供交易哈希（TxID）。",
        },
    )
    return Cast(customer=customer, agent=agent)


def _sign_in(page: Page, login: str, name: str) -> None:
    page.goto("/en/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_contain_text(name)


def test_a_ticket_goes_from_the_customer_to_the_agent_and_back_to_a_rating(
    page: Page, second_page: Page, cast: Cast, artifacts: Path, tmp_path: Path
) -> None:
    customer_page, agent_page = page, second_page

    # 1. The customer submits a request with a screenshot.
    _sign_in(customer_page, cast.customer.uid, "Mei Lin")
    customer_page.goto("/en/requests/new/")
    expect(customer_page.get_by_role("heading", level=1)).to_have_text("Submit a request")
    customer_page.get_by_label("What is it about?").select_option(label="Deposits & withdrawals")
    suggestions = customer_page.locator(".article-suggestions")
    expect(suggestions).to_be_hidden()
    customer_page.get_by_label("Subject").press_sequentially(SUBJECT, delay=20)
    expect(suggestions).to_be_visible()
    expect(suggestions).to_contain_text("These articles may already answer your question:")
    expect(suggestions.get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"^/en/articles/")
    )
    customer_page.get_by_label("Describe the problem").fill(DESCRIPTION)
    screenshot = tmp_path / SCREENSHOT
    screenshot.write_bytes(png_bytes((120, 80)))
    customer_page.get_by_label("Screenshots or documents (optional)").set_input_files(screenshot)
    customer_page.get_by_role("button", name="Submit request").click()

    expect(customer_page).to_have_url(re.compile(r"/en/requests/PH-\d{4}-\d{6}/$"))
    found = REFERENCE.search(customer_page.url)
    assert found is not None
    reference = found.group(0)
    expect(customer_page.locator(".messages")).to_contain_text(
        f"We received your request {reference}."
    )
    expect(customer_page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(customer_page.locator(".request-meta strong")).to_have_text(reference)
    expect(customer_page.locator(".request-meta .status")).to_have_text("Queued")
    first = customer_page.locator(".thread .message").first
    expect(first.locator(".message-author")).to_contain_text("You")
    expect(first.locator(".message-body")).to_have_text(DESCRIPTION)
    link = first.locator(".attachments").get_by_role("link", name=SCREENSHOT)
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href is not None
    download = customer_page.request.get(href)  # with the customer's cookies
    assert download.status == 200, download.status
    assert download.headers["content-type"] == "image/png"
    assert download.body().startswith(b"\x89PNG\r\n\x1a\n")
    customer_page.screenshot(path=artifacts / "desktop-en-request-submitted.png", full_page=True)
    conversation = Conversation.objects.get(reference=reference)
    assert conversation.customer == cast.customer
    assert conversation.attachments.count() == 1

    # 2. The agent answers from the console with the canned reply, without a reload.
    _sign_in(agent_page, cast.agent.user.email, "Carol")
    agent_page.goto("/en/console/")
    expect(agent_page.get_by_role("heading", level=1)).to_have_text("Inbox")
    row = agent_page.locator("[data-inbox-rows] tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(SUBJECT)
    expect(row).to_contain_text("Mei Lin")
    row.get_by_role("link", name=reference).click()
    expect(agent_page).to_have_url(re.compile(rf"/en/console/c/{reference}/$"))
    expect(agent_page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    thread = agent_page.locator("#conversation .thread")
    expect(thread.locator(".message-customer .message-body")).to_have_text(DESCRIPTION)
    expect(thread.get_by_role("link", name=SCREENSHOT)).to_be_visible()

    url = agent_page.url
    agent_page.evaluate("() => { window.__marker = 1; }")  # gone if the page reloads
    canned = agent_page.locator("select[data-canned-url]")
    canned.select_option(label=CANNED_TITLE)
    answer = f"Hello Mei Lin, about {reference}: please send the TxID."
    composer = agent_page.locator("#composer-body")
    expect(composer).to_have_value(answer)
    expect(canned).to_have_value("")  # ready for another pick
    agent_page.get_by_role("button", name="Send reply").click()

    replies = agent_page.locator("#conversation .thread .message-agent:not(.message-internal)")
    expect(replies).to_have_count(1)
    expect(replies.locator(".message-body")).to_have_text(answer)
    expect(agent_page.locator("#conversation .request-meta .status")).to_have_text(
        "Waiting on customer"
    )
    expect(agent_page.locator("#composer-body")).to_have_value("")
    assert agent_page.url == url
    assert agent_page.evaluate("() => window.__marker === 1"), "the page reloaded"
    agent_page.screenshot(path=artifacts / "desktop-en-console-replied.png", full_page=True)
    conversation.refresh_from_db()
    assert conversation.status == Status.WAITING_ON_CUSTOMER
    assert conversation.assignee == cast.agent.user
    assert conversation.first_response_at is not None

    # 3. The customer reads the answer and replies; the agent resolves; the customer rates.
    customer_page.reload()
    agent_message = customer_page.locator(".thread .message-agent")
    expect(agent_message.locator(".message-author")).to_contain_text("Support")
    expect(agent_message.locator(".message-body")).to_have_text(answer)
    expect(customer_page.locator(".request-meta .status")).to_have_text("Waiting on customer")
    expect(customer_page.locator(".rating-form")).to_have_count(0)
    txid = "TxID: 7f3c9a1e0b2d4c6e8f0a1b3c5d7e9f1a"
    customer_page.get_by_label("Your reply").fill(f"Here it is. {txid}")
    customer_page.get_by_role("button", name="Send", exact=True).click()
    expect(customer_page).to_have_url(re.compile(rf"/en/requests/{reference}/$"))
    last = customer_page.locator(".thread .message").last
    expect(last).to_have_class(re.compile(r"\bmessage-customer\b"))
    expect(last.locator(".message-body")).to_have_text(f"Here it is. {txid}")
    expect(customer_page.locator(".request-meta .status")).to_have_text("Assigned")

    # The agent resolves it from the console's actions, again without a reload.
    agent_page.reload()
    expect(agent_page.locator("#conversation .thread")).to_contain_text(txid)
    status_form = agent_page.locator("form[action$='/status/']")
    status_form.get_by_label("Status").select_option(label="Resolved")
    status_form.get_by_role("button", name="Change").click()
    expect(agent_page.locator("#conversation .request-meta .status")).to_have_text("Resolved")
    conversation.refresh_from_db()
    assert conversation.status == Status.RESOLVED

    customer_page.reload()
    expect(customer_page.locator(".request-meta .status")).to_have_text("Resolved")
    rating = customer_page.locator(".rating-form")
    expect(rating.get_by_role("group", name="How was our service?")).to_be_visible()
    rating.get_by_label("5★", exact=True).check()
    rating.get_by_label("Anything to add? (optional)").fill("Quick and clear, thank you!")
    rating.get_by_role("button", name="Rate").click()
    expect(customer_page.locator(".messages")).to_contain_text("Thank you for rating our service.")
    expect(customer_page.get_by_text("You rated this service 5 out of 5.")).to_be_visible()
    expect(customer_page.locator(".rating-form")).to_have_count(0)
    customer_page.screenshot(path=artifacts / "desktop-en-request-rated.png", full_page=True)
    conversation.refresh_from_db()
    assert (conversation.rating, conversation.rating_comment) == (5, "Quick and clear, thank you!")
