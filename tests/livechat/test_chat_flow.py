"""A chat from the first question to the rating, through livechat.services and the
pages around it: the bot's answer and buttons, the hand-off (asked, not solved, urgent),
the queue the customer sees, routing once a change is committed (an agent coming online,
a place freed), accepting, ending, rating, files with the tickets' checks, and who may
see what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pharos.accounts.models import Customer, StaffMember, Team
from pharos.conversations import services as conversations
from pharos.conversations.models import AuthorKind, Conversation, Priority, Status, Topic
from pharos.livechat import announce, routing, services
from pharos.livechat.models import AgentPresence

from ..conftest import signed_in
from ..conversations.conftest import png_bytes

pytestmark = pytest.mark.django_db

QUESTION = "How do I withdraw USDT on the TRC20 network?"


@pytest.fixture(autouse=True)
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """What went out to the sockets (the channel layer itself is tested in test_layer and
    test_socket)."""
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(announce, "publish", lambda group, event: sent.append((group, event)))
    return sent


@pytest.fixture
def help_center(db: None) -> None:
    from pharos.helpcenter.demo import load_demo_help_center

    load_demo_help_center()


@pytest.fixture
def general() -> Team:
    return Team.objects.get(slug="general-support")


@pytest.fixture
def online_agent(agent: StaffMember, general: Team) -> StaffMember:
    agent.teams.add(general)
    agent.user.display_name = "Ava"
    agent.user.save()
    routing.set_availability(agent.user, "online")
    return agent


def start(customer: Customer, question: str = QUESTION, topic: str = "deposits-withdrawals",
          language: str = "en", client_message_id: str | None = None) -> Conversation:  # fmt: skip
    return services.start_chat(
        customer, Topic.objects.get(slug=topic), question, language=language,
        client_message_id=client_message_id,
    )  # fmt: skip


def bot_messages(chat: Conversation) -> list[Any]:
    return list(chat.messages.filter(author_kind=AuthorKind.BOT))


# --- the bot first ---------------------------------------------------------------------------
def test_the_bot_answers_at_once_with_an_article_and_the_three_buttons(
    help_center: None, customer: Customer
) -> None:
    chat = start(customer)
    assert chat.status == Status.BOT
    [answer] = bot_messages(chat)
    assert answer.payload["kind"] in {"answer", "choose"}
    # The TRC20 maintenance going on comes first, then the article.
    notice, article, *_ = [link["url"] for link in answer.payload["links"]]
    assert notice == "/en/announcements/usdt-trc20-wallet-maintenance/"
    assert article.startswith("/en/articles/")
    assert answer.payload["buttons"] == ["solved", "not_solved", "person"]


def test_a_retried_first_message_is_answered_once(help_center: None, customer: Customer) -> None:
    first = start(customer, client_message_id="m-1")
    again = start(customer, client_message_id="m-1")
    assert first.pk == again.pk
    assert first.messages.filter(author_kind=AuthorKind.CUSTOMER).count() == 1
    assert len(bot_messages(first)) == 1


def test_asking_for_a_person_in_chinese_hands_off(help_center: None, customer: Customer) -> None:
    chat = start(customer, "充值没到账", language="zh-hans")
    services.customer_writes(chat, customer, "转人工", "m-2")
    chat.refresh_from_db()
    assert chat.status == Status.QUEUED and chat.queued_at is not None
    assert bot_messages(chat)[-1].body == "正在为您转接人工客服。"


def test_solved_ends_the_chat_as_the_bots_and_not_solved_goes_to_a_person(
    help_center: None, customer: Customer, other_customer: Customer
) -> None:
    chat = start(customer)
    with pytest.raises(conversations.ConversationNotFound):
        services.customer_action(chat, other_customer, "solved")
    services.customer_action(chat, customer, "solved")
    assert (chat.status, chat.tags) == (Status.CLOSED, ["solved-by-bot"])
    with pytest.raises(conversations.ConversationError):
        services.customer_action(chat, customer, "person")  # it has ended

    second = start(customer, "Where is my deposit?")
    services.customer_action(second, customer, "not_solved")
    assert second.status == Status.QUEUED
    assert "Sorry that did not help" in bot_messages(second)[-1].body


def test_an_urgent_problem_goes_to_security_at_once_and_ahead_of_the_queue(
    help_center: None, customer: Customer, other_customer: Customer
) -> None:
    earlier = start(other_customer, "I need help with an order", topic="other")
    services.customer_action(earlier, other_customer, "person")
    chat = start(customer, "Someone stole my account and withdrew everything", topic="other")
    security = Team.objects.get(slug="security")
    assert (chat.status, chat.team, chat.priority) == (Status.QUEUED, security, Priority.URGENT)
    vip_chat = Conversation.objects.create(
        reference=conversations.next_reference(), channel="chat", customer=other_customer,
        topic=Topic.objects.get(slug="other"), subject="x", status=Status.BOT, team=security,
    )  # fmt: skip
    conversations.hand_off_to_people(vip_chat, "asked", vip_tier=5)
    # Urgent before a VIP that joined the same queue later or earlier.
    assert routing.waiting_chats(security).first() == chat


# --- the queue the customer sees, and routing after each change ---------------------------
def test_a_waiting_customer_sees_their_place_and_may_leave_a_message_when_nobody_is_online(
    help_center: None, customer: Customer
) -> None:
    chat = start(customer)
    services.customer_action(chat, customer, "person")
    state = services.chat_state(chat)
    assert (state["status"], state["position"], state["agents_online"]) == ("queued", 1, 0)
    assert state["can_leave_message"] is True
    services.customer_action(chat, customer, "leave_message")
    assert services.chat_state(chat)["channel"] == "web"  # now a ticket in their requests


def test_an_agent_coming_online_gets_the_waiting_chat_and_the_customer_hears_it(
    help_center: None,
    customer: Customer,
    agent: StaffMember,
    general: Team,
    django_capture_on_commit_callbacks: Any,
    published: list[tuple[str, dict[str, Any]]],
) -> None:
    agent.teams.add(general)
    chat = start(customer)
    services.customer_action(chat, customer, "person")
    with django_capture_on_commit_callbacks(execute=True):
        routing.set_availability(agent.user, "online")
    chat.refresh_from_db()
    assert (chat.status, chat.assignee) == (Status.ASSIGNED, agent.user)
    states = [
        e for g, e in published if g == f"conversation.{chat.pk}" and e["type"] == "chat.state"
    ]
    assert states[-1]["status"] == "assigned" and states[-1]["accepted"] is False
    assert (f"agent.{agent.user.pk}", "console.refresh") in [(g, e["type"]) for g, e in published]


def test_accepting_greets_the_customer_in_their_language(
    help_center: None, customer: Customer, online_agent: StaffMember
) -> None:
    chat = start(customer, "充值没到账", language="zh-hans")
    services.hand_off(chat, "asked")
    routing.route_waiting_chats(chat.team)
    chat.refresh_from_db()
    greeting = services.accept(chat, online_agent.user)
    assert greeting.body.startswith("您好，我是Ava")
    assert services.chat_state(chat)["accepted"] is True


def test_a_place_freed_by_an_ended_chat_goes_to_the_next_in_the_queue(
    help_center: None,
    customer: Customer,
    other_customer: Customer,
    online_agent: StaffMember,
    django_capture_on_commit_callbacks: Any,
) -> None:
    routing.set_max_concurrent_chats(online_agent.user, 1)
    with django_capture_on_commit_callbacks(execute=True):
        first = start(customer, "I want a person", topic="other")
        services.customer_action(first, customer, "person")
        second = start(other_customer, "A person please", topic="other")
        services.customer_action(second, other_customer, "person")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.assignee, second.status) == (online_agent.user, Status.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        services.end_by_agent(first, online_agent.user)
    second.refresh_from_db()
    assert second.assignee == online_agent.user


def test_an_agent_whose_console_is_closed_gets_no_chats(
    help_center: None, customer: Customer, online_agent: StaffMember
) -> None:
    AgentPresence.objects.filter(agent=online_agent.user).update(
        last_seen_at=timezone.now() - timedelta(minutes=5)
    )
    chat = start(customer)
    services.hand_off(chat, "asked")
    assert routing.route_waiting_chats(chat.team) == []
    services.console_opened(online_agent.user)  # the console connects again: routed at once
    chat.refresh_from_db()
    assert chat.assignee == online_agent.user


def test_only_the_agent_who_has_the_chat_accepts_it(
    help_center: None, customer: Customer, online_agent: StaffMember, security_agent: StaffMember
) -> None:
    chat = start(customer)
    services.hand_off(chat, "asked")
    routing.route_waiting_chats(chat.team)
    chat.refresh_from_db()
    security_agent.teams.add(chat.team)
    with pytest.raises(conversations.ConversationError):
        services.accept(chat, security_agent.user)


# --- the end: rating ----------------------------------------------------------------------------
def test_the_rating_comes_after_the_end_and_only_as_a_number_from_1_to_5(
    help_center: None, customer: Customer
) -> None:
    chat = start(customer)
    with pytest.raises(conversations.ConversationError):
        services.rate_chat(chat, customer, 5, "")
    services.customer_action(chat, customer, "end")
    for bad in (0, 6, "5", True, None):
        with pytest.raises(conversations.ConversationError):
            services.rate_chat(chat, customer, bad, "")
    services.rate_chat(chat, customer, 4, "Fast.")
    chat.refresh_from_db()
    assert (chat.rating, chat.rating_comment) == (4, "Fast.")


# --- the pages ----------------------------------------------------------------------------------
def test_the_widget_script_and_the_panel_for_a_guest(client: Client, help_center: None) -> None:
    script = client.get("/widget.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    assert b"pharos-chat-button" in script.content
    panel = client.get("/zh-hans/chat/")
    page = panel.content.decode()
    assert "充币与提币" in page and "/zh-hans/accounts/login/" in page
    assert "frame-ancestors 'self'" in panel["Content-Security-Policy"]
    assert "X-Frame-Options" not in panel


def test_a_guest_asks_the_bot_and_is_asked_to_sign_in_for_a_person(
    client: Client, help_center: None, settings: Any
) -> None:
    answer = client.post(
        "/en/chat/ask/", {"body": QUESTION, "topic": "deposits-withdrawals"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert answer["links"] and answer["buttons"] == ["solved", "not_solved"]
    person = client.post("/en/chat/ask/", {"body": "human please"}, content_type="application/json")
    assert person.json()["kind"] == "sign_in"
    assert (
        client.post("/en/chat/ask/", {"body": " "}, content_type="application/json").status_code
        == 400
    )
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "chat_ask": (2, 60)}
    for _ in range(2):
        client.post("/en/chat/ask/", {"body": "fees"}, content_type="application/json")
    flood = client.post("/en/chat/ask/", {"body": "fees"}, content_type="application/json")
    assert flood.status_code == 429 and flood.json()["error"]


def test_starting_a_chat_needs_a_signed_in_customer_and_a_topic(
    help_center: None, customer: Customer, agent: StaffMember
) -> None:
    body = {"topic": "deposits-withdrawals", "body": QUESTION}
    assert (
        Client().post("/en/chat/start/", body, content_type="application/json").status_code == 403
    )
    as_staff = signed_in(agent.user).post("/en/chat/start/", body, content_type="application/json")
    assert as_staff.status_code == 403
    mine = signed_in(customer.user)
    bad = mine.post("/en/chat/start/", {**body, "topic": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == "Please choose a topic."
    started = mine.post("/en/chat/start/", body, content_type="application/json")
    assert started.status_code == 201
    assert started.json()["reference"] in mine.get("/en/chat/").content.decode()  # resumed


def test_files_in_a_chat_get_the_tickets_checks(
    help_center: None, customer: Customer, other_customer: Customer
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    chat = start(customer)
    url = f"/en/chat/{chat.reference}/files/"
    disguised = SimpleUploadedFile("screenshot.png", b"<html><script>alert(1)</script></html>")
    refused = signed_in(customer.user).post(url, {"files": disguised})
    assert refused.status_code == 400 and refused.json()["error"]
    assert chat.attachments.count() == 0
    picture = SimpleUploadedFile("screenshot.png", png_bytes(), content_type="image/png")
    assert signed_in(other_customer.user).post(url, {"files": picture}).status_code == 404
    picture.seek(0)
    sent = signed_in(customer.user).post(url, {"files": picture})
    assert sent.status_code == 201
    assert chat.attachments.get().message.sequence == sent.json()["sequence"]


def test_the_live_chats_page_is_for_staff_and_shows_their_chats_and_queue(
    help_center: None, customer: Customer, online_agent: StaffMember
) -> None:
    chat = start(customer)
    services.hand_off(chat, "asked")
    assert Client().get("/en/console/chats/").status_code == 302
    assert signed_in(customer.user).get("/en/console/chats/").status_code == 404
    console = signed_in(online_agent.user)
    routing.set_availability(online_agent.user, "away")
    assert chat.reference in console.get("/en/console/chats/").content.decode()  # queued
    answer = console.post("/en/console/chats/presence/", {"availability": "online"},
                          HTTP_ACCEPT="application/json")  # fmt: skip
    assert answer.json()["ok"] is True
    routing.route_waiting_chats(chat.team)
    page = console.get("/en/console/chats/").content.decode()
    assert "New: accept it" in page and chat.reference in page
    accepted = console.post(
        f"/en/console/chats/{chat.reference}/accept/", HTTP_ACCEPT="application/json"
    )
    assert accepted.json()["ok"] is True
    assert console.post("/en/console/chats/presence/", {"availability": "busy"}).status_code == 302
