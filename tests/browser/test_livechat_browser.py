"""The live chat as people use it, in chromium against a real `pharos serve` (WebSockets
need the ASGI server; pytest-django's live server speaks only WSGI) with the demo data:

a customer asks the widget a question and gets the bot's answer with an article link,
asks for a person and sees their place in the queue; an agent in another browser goes
online, gets the chat and accepts it; they exchange messages and a screenshot; the server
restarts mid-chat (the customer's socket drops), the customer's message written while it
was down goes out once it is back and both pages show everything; the customer ends the
chat and rates it. Screenshots (desktop and phone, English and Chinese) go to
test-artifacts/."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, expect

from tests.conversations.conftest import png_bytes
from tests.livechat.live_server import (
    PROJECT_DIR,
    Server,
    free_port,
    new_data_dir,
    pharos_command,
    remove_data_dir,
    server_environment,
)

from .conftest import DESKTOP, PHONE, PageProblems, _context, _page

DEMO_PASSWORD = "pharos-demo-2026"
CUSTOMER = "daniel@example.com"
AGENT = "agent@tidewell.example"


@pytest.fixture(scope="module")
def demo_server() -> Iterator[Server]:
    """`pharos serve` (one process, its chat broker) on a data folder with the demo."""
    data_dir = new_data_dir()
    environment = server_environment(data_dir)
    for command in (["migrate", "--verbosity", "0"], ["demo"]):
        subprocess.run(  # noqa: S603 (our own command)
            [str(pharos_command()), *command], env=environment, cwd=PROJECT_DIR, check=True,
            capture_output=True, timeout=300,
        )  # fmt: skip
    server = Server(environment, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        remove_data_dir(data_dir)


def person(browser: Browser, server: Server, problems: PageProblems, **options: object) -> Page:
    context: BrowserContext = _context(browser, server.origin, **{"viewport": DESKTOP, **options})
    return _page(context, problems)


def sign_in(page: Page, email: str, language: str = "en") -> None:
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def chat_frame(page: Page) -> FrameLocator:
    return page.frame_locator("[data-testid=chat-frame]")


def say(chat: FrameLocator, text: str) -> None:
    chat.locator("#chat-input").fill(text)
    chat.locator("#chat-send").click()


def test_a_customer_chats_with_the_bot_then_an_agent_through_a_restart(
    browser: Browser,
    demo_server: Server,
    page_problems: PageProblems,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    agent = person(browser, demo_server, page_problems)
    sign_in(agent, AGENT)
    agent.goto("/en/console/chats/")
    agent.get_by_test_id("presence-away").click()
    expect(agent.get_by_test_id("presence-away")).to_have_attribute("aria-pressed", "true")

    # The customer asks the widget; the bot answers with an article and its buttons.
    customer = person(browser, demo_server, page_problems)
    sign_in(customer, CUSTOMER)
    customer.goto("/en/")
    customer.get_by_test_id("chat-button").click()
    chat = chat_frame(customer)
    say(chat, "How do I withdraw USDT on the TRC20 network?")
    answer = chat.locator(".chat-bot").last
    expect(answer.locator(".chat-links a").first).to_have_attribute("href", re.compile(r"^/en/"))
    expect(answer.get_by_role("button", name="Talk to a person")).to_be_visible()
    customer.screenshot(path=artifacts / "desktop-en-chat-bot-answer.png")

    # A person, please: nobody is online, so the customer sees their place and may leave a
    # message instead.
    answer.get_by_role("button", name="Talk to a person").click()
    expect(chat.get_by_test_id("chat-queue")).to_contain_text("You are number 1 in the queue")
    expect(chat.get_by_test_id("chat-leave")).to_be_visible()
    customer.screenshot(path=artifacts / "desktop-en-chat-queued.png")

    # The agent goes online: the chat is theirs at once, and they accept it.
    agent.get_by_test_id("presence-online").click()
    my_chats = agent.get_by_test_id("my-chats")
    expect(my_chats).to_contain_text("Daniel Okafor")
    expect(chat.get_by_test_id("chat-status")).to_contain_text("Ava Agent")
    my_chats.get_by_role("link").first.click()
    expect(agent.locator(".thread")).to_contain_text("How do I withdraw USDT")  # the bot part
    expect(agent.locator(".console-side")).to_contain_text("10000002")  # the customer panel
    agent.get_by_test_id("chat-accept").click()
    expect(chat.locator(".chat-agent").last).to_contain_text("Hello, this is Ava Agent")
    expect(chat.get_by_test_id("chat-status")).to_contain_text("Chatting with Ava Agent")

    # Messages both ways, live; a screenshot from the customer.
    say(chat, "My withdrawal has been pending for two hours.")
    expect(agent.locator(".thread")).to_contain_text("pending for two hours")
    expect(chat.locator(".chat-read")).to_have_text("Read")  # the agent's page showed it
    agent.locator("#composer-body").fill("Let me check it. Which address did you use?")
    agent.get_by_role("button", name="Send reply").click()
    expect(chat.locator(".chat-agent").last).to_contain_text("Which address did you use?")
    expect(agent.locator("[data-chat-read]")).to_be_visible()
    screenshot = tmp_path / "withdrawal.png"
    screenshot.write_bytes(png_bytes((160, 100)))
    chat.get_by_test_id("chat-file").set_input_files(screenshot)
    expect(chat.locator(".chat-customer .chat-file img")).to_be_visible()
    expect(agent.locator(".thread")).to_contain_text("withdrawal.png")

    # A password pasted into the chat: once stored, the customer's own bubble shows the
    # marker instead, and the agent never sees it.
    say(chat, "My password is Tide!Secret-4471 if you need it")
    mine = chat.locator(".chat-customer .chat-bubble").last
    expect(mine).to_have_text("My password is [password removed] if you need it")
    expect(agent.locator(".thread")).to_contain_text("My password is [redacted:password]")
    expect(agent.locator(".thread")).not_to_contain_text("Secret-4471")
    customer.screenshot(path=artifacts / "desktop-en-chat-with-agent.png")
    agent.screenshot(path=artifacts / "desktop-en-console-live-chat.png", full_page=True)

    # The server restarts mid-chat. What the customer writes meanwhile waits on the page
    # and goes out, once, when the socket is back; nothing before it is lost.
    demo_server.stop()
    expect(chat.get_by_test_id("chat-status")).to_contain_text("Reconnecting")
    say(chat, "Are you still there?")
    demo_server.start()
    expect(agent.locator(".thread")).to_contain_text("Are you still there?", timeout=20_000)
    agent.locator("#composer-body").fill("Yes. Your withdrawal is on its way.")
    agent.get_by_role("button", name="Send reply").click()
    expect(chat.locator(".chat-agent").last).to_contain_text("on its way", timeout=20_000)
    shown = chat.locator(".chat-log .chat-customer .chat-bubble").all_inner_texts()
    assert shown.count("Are you still there?") == 1
    assert "My withdrawal has been pending for two hours." in shown
    expect(chat.locator(".chat-pending")).to_have_count(0)

    # The customer ends the chat and rates it.
    chat.get_by_test_id("chat-end").click()
    chat.get_by_test_id("chat-end").click()  # the second press confirms
    ended = chat.get_by_test_id("chat-ended")
    expect(ended).to_be_visible()
    ended.locator("label").filter(has_text="5").click()
    ended.locator("#chat-comment").fill("Quick and clear.")
    ended.get_by_role("button", name="Send rating").click()
    expect(ended).to_contain_text("Thank you for your rating.")
    customer.screenshot(path=artifacts / "desktop-en-chat-rated.png")

    with sqlite3.connect(Path(demo_server.environment["PHAROS_DATA_DIR"]) / "pharos.sqlite3") as db:
        status, rating, comment, reference = db.execute(
            "SELECT status, rating, rating_comment, reference FROM conversations_conversation "
            "WHERE channel = 'chat' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        stored = db.execute(
            "SELECT COUNT(*) FROM conversations_message m JOIN conversations_conversation c "
            "ON c.id = m.conversation_id WHERE c.reference = ? AND m.body = ?",
            (reference, "Are you still there?"),
        ).fetchone()[0]
    assert (status, rating, comment, stored) == ("closed", 5, "Quick and clear.", 1)

    # The transcript stays in the customer's requests.
    customer.goto(f"/en/requests/{reference}/")
    expect(customer.locator(".thread")).to_contain_text("Your withdrawal is on its way.")
    expect(customer.get_by_test_id("email-transcript")).to_be_visible()


def test_the_chat_on_a_phone_in_chinese_for_a_guest(
    browser: Browser, demo_server: Server, page_problems: PageProblems, artifacts: Path
) -> None:
    """A guest on a phone: the panel fills the screen, the bot answers in Chinese, and
    asking for a person asks them to sign in."""
    guest = person(
        browser, demo_server, page_problems,
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
    )  # fmt: skip
    guest.goto("/zh-hans/")
    guest.get_by_test_id("chat-button").click()
    frame_box = guest.locator("#pharos-chat-panel").bounding_box()
    assert frame_box is not None and frame_box["width"] == PHONE["width"]
    chat = chat_frame(guest)
    say(chat, "提币一直没有到账怎么办")
    answer = chat.locator(".chat-bot").last
    expect(answer.locator(".chat-links a").first).to_have_attribute(
        "href", re.compile(r"^/zh-hans/")
    )
    guest.screenshot(path=artifacts / "phone-zh-chat-guest-answer.png")
    say(chat, "转人工")
    expect(chat.locator(".chat-bot").last.locator(".chat-sign-in")).to_contain_text("登录")
    # The close button gives the page back.
    chat.locator("#chat-close").click()
    expect(guest.locator("#pharos-chat-panel")).to_be_hidden()
    expect(guest.get_by_test_id("chat-button")).to_be_visible()
