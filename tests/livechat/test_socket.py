"""The chat's WebSocket: the customer and the agent exchange messages live, a client that
reconnects gets what it missed, a retried message is stored once, and bad input gets a
clear error while the socket keeps working; only the conversation's people get in."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.test import Client

from pharos.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from pharos.accounts.models import StaffMember, StaffRole, Team, User
from pharos.accounts.services import create_staff_member
from pharos.conversations import services
from pharos.conversations.models import Channel, Conversation, Status, Topic
from pharos.livechat import consumers

from .conftest import run_in_own_loop

pytestmark = pytest.mark.django_db(transaction=True)


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client speaking ASGI to the application (channels.testing's needs
    daphne, which Pharos does not use)."""

    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {
            "type": "websocket", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": headers, "subprotocols": [], "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }  # fmt: skip
        super().__init__(application, scope)

    async def connect(self, timeout: float = 3) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(timeout)
        if answer["type"] == "websocket.close":
            return False, answer.get("code", 1000)
        return True, None

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def receive_from(self, timeout: float = 3) -> str:
        answer = await self.receive_output(timeout)
        assert answer["type"] == "websocket.send", answer
        return str(answer["text"])

    async def disconnect(self, code: int = 1000) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(1)


@pytest.fixture(autouse=True)
def memory_layer(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


@pytest.fixture
def chat(customer: Any) -> Conversation:
    # Transactional tests flush what the migrations created.
    team, _ = Team.objects.get_or_create(
        slug="general-support", defaults={"name_en": "G", "name_zh_hans": "G"}
    )
    topic, _ = Topic.objects.get_or_create(
        slug="other", defaults={"name_en": "Other", "name_zh_hans": "其他", "default_team": team}
    )
    conversation = Conversation.objects.create(
        reference=services.next_reference(), channel=Channel.CHAT, customer=customer,
        topic=topic, subject="Chat", status=Status.BOT, team=team, language="en",
    )  # fmt: skip
    return services.hand_off_to_people(conversation, "asked for a person")


@pytest.fixture
def chat_agent(agent: StaffMember, chat: Conversation) -> User:
    agent.teams.add(chat.team)
    services.assign(chat, agent.user, agent.user)
    return agent.user


@pytest.fixture
def other_team_agent(db: None) -> StaffMember:
    team, _ = Team.objects.get_or_create(
        slug="complaints-feedback", defaults={"name_en": "C", "name_zh_hans": "C"}
    )
    staff = create_staff_member(
        email="otto@tidewell.example", role=StaffRole.AGENT, password="x-password-123"
    )
    staff.teams.add(team)
    return staff


def session_cookie(user: User | None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://127.0.0.1")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def socket(headers: list[tuple[bytes, bytes]], reference: str) -> WebsocketCommunicator:
    from pharos.asgi import application

    return WebsocketCommunicator(application, f"/ws/chat/{reference}/", headers=headers)


async def next_of(communicator: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await communicator.receive_from(timeout=3))
        if frame["type"] == kind:
            return frame


def test_the_customer_and_the_agent_chat_live(
    customer: Any, chat: Conversation, chat_agent: User
) -> None:
    customer_signed_in, agent_signed_in = session_cookie(customer.user), session_cookie(chat_agent)

    async def scenario() -> None:
        theirs = socket(customer_signed_in, chat.reference)
        ours = socket(agent_signed_in, chat.reference)
        assert (await theirs.connect())[0] and (await ours.connect())[0]
        await theirs.send_to(text_data=json.dumps(
            {"type": "message", "body": "My deposit <b>is missing</b>", "client_message_id": "c-1"}
        ))  # fmt: skip
        ack = await next_of(theirs, "ack")
        heard = await next_of(ours, "chat.message")
        assert (heard["sequence"], heard["body"]) == (
            ack["sequence"],
            "My deposit <b>is missing</b>",
        )
        await ours.send_to(text_data=json.dumps({"type": "typing"}))
        assert (await next_of(theirs, "chat.typing"))["from_staff"] is True
        await ours.send_to(text_data=json.dumps({"type": "message", "body": "Checking now."}))
        answer = await next_of(theirs, "chat.message")
        assert (answer["author_kind"], answer["body"]) == ("agent", "Checking now.")
        await theirs.disconnect()
        await ours.disconnect()

    run_in_own_loop(scenario)
    assert list(chat.messages.filter(internal=False).values_list("body", flat=True)) == [
        "My deposit <b>is missing</b>",
        "Checking now.",
    ]


def test_a_client_that_reconnects_gets_what_it_missed_once(
    customer: Any, chat: Conversation, chat_agent: User
) -> None:
    signed_in = session_cookie(customer.user)

    async def scenario() -> None:
        first = socket(signed_in, chat.reference)
        await first.connect()
        for _attempt in range(2):  # the same message sent again after a timeout
            await first.send_to(text_data=json.dumps(
                {"type": "message", "body": "Hello?", "client_message_id": "retry-1"}
            ))  # fmt: skip
            ack = await next_of(first, "ack")
        seen = ack["sequence"]
        await first.disconnect()
        # While the customer is away, the agent answers and notes something internal.
        await asyncio.to_thread(services.post_agent_reply, chat, chat_agent, "Here I am.",
                                status_after=Status.ASSIGNED)  # fmt: skip
        await asyncio.to_thread(services.add_internal_note, chat, chat_agent, "VIP? check")
        again = socket(signed_in, chat.reference)
        await again.connect()
        await again.send_to(text_data=json.dumps({"type": "hello", "last_sequence": seen}))
        missed = json.loads(await again.receive_from())
        assert missed["body"] == "Here I am." and missed["sequence"] > seen
        # Then the chat's state (not the internal note): the agent has it.
        state = json.loads(await again.receive_from())
        assert (state["type"], state["status"]) == ("chat.state", "assigned")
        assert await again.receive_nothing(timeout=0.3)
        await again.disconnect()

    run_in_own_loop(scenario)
    assert chat.messages.filter(client_message_id="retry-1").count() == 1


def test_bad_input_gets_a_clear_error_and_the_socket_keeps_working(
    customer: Any, chat: Conversation
) -> None:
    signed_in = session_cookie(customer.user)

    async def scenario() -> None:
        theirs = socket(signed_in, chat.reference)
        await theirs.connect()
        for frame, code in [
            ("{not json", "malformed"),
            ("[1, 2]", "malformed"),
            (json.dumps({"type": "subscribe", "reference": "PH-2026-000999"}), "unknown_type"),
            (json.dumps({"type": "hello", "last_sequence": "all"}), "malformed"),
            (json.dumps({"type": "message", "body": 42}), "malformed"),
            ("x" * 40_000, "too_large"),
            (json.dumps({"type": "message", "body": "  "}), "refused"),
        ]:
            await theirs.send_to(text_data=frame)
            error = await next_of(theirs, "error")
            assert error["code"] == code and error["detail"]
        await theirs.send_to(text_data=json.dumps({"type": "message", "body": "Still here"}))
        assert (await next_of(theirs, "ack"))["sequence"] > 0
        await theirs.disconnect()

    run_in_own_loop(scenario)


def test_a_flood_is_slowed_with_a_notice(customer: Any, chat: Conversation) -> None:
    signed_in = session_cookie(customer.user)

    async def scenario() -> None:
        theirs = socket(signed_in, chat.reference)
        await theirs.connect()
        for n in range(10):
            await theirs.send_to(text_data=json.dumps({"type": "message", "body": f"m{n}"}))
            await next_of(theirs, "ack")
        await theirs.send_to(text_data=json.dumps({"type": "message", "body": "one more"}))
        assert (await next_of(theirs, "error"))["code"] == "too_fast"
        await theirs.disconnect()

    run_in_own_loop(scenario)
    assert chat.messages.filter(body="one more").count() == 0


def test_only_the_conversations_people_get_in(
    customer: Any, other_customer: Any, chat: Conversation, other_team_agent: StaffMember
) -> None:
    strangers = [session_cookie(u) for u in (other_customer.user, other_team_agent.user, None)]
    signed_in = session_cookie(customer.user)

    async def scenario() -> None:
        for headers in strangers:
            connected, code = await socket(headers, chat.reference).connect()
            assert not connected and code == 4404
        connected, code = await socket(signed_in, "PH-2026-999999").connect()
        assert not connected

    run_in_own_loop(scenario)


@pytest.fixture
def bot_chat(customer: Any, chat: Conversation) -> Conversation:
    """A chat still with the bot."""
    Conversation.objects.filter(pk=chat.pk).update(status=Status.BOT, queued_at=None)
    chat.refresh_from_db()
    return chat


def test_the_bot_answers_over_the_socket_and_a_person_is_one_button_away(
    customer: Any, bot_chat: Conversation
) -> None:
    signed_in = session_cookie(customer.user)

    async def scenario() -> None:
        theirs = socket(signed_in, bot_chat.reference)
        await theirs.connect()
        await theirs.send_to(text_data=json.dumps(
            {"type": "message", "body": "hello", "client_message_id": "b-1"}
        ))  # fmt: skip
        reply = await next_of(theirs, "chat.message")
        while reply["author_kind"] != "bot":
            reply = await next_of(theirs, "chat.message")
        assert reply["payload"]["kind"] == "small_talk" and reply["payload"]["buttons"] == [
            "person"
        ]
        await theirs.send_to(text_data=json.dumps({"type": "action", "name": "person"}))
        state = await next_of(theirs, "chat.state")
        assert (state["status"], state["position"]) == ("queued", 1)
        await theirs.send_to(text_data=json.dumps({"type": "action", "name": "fly"}))
        assert (await next_of(theirs, "error"))["code"] == "refused"
        await theirs.disconnect()

    run_in_own_loop(scenario)


def console(headers: list[tuple[bytes, bytes]]) -> WebsocketCommunicator:
    from pharos.asgi import application

    return WebsocketCommunicator(application, "/ws/console/", headers=headers)


def test_the_console_socket_is_for_staff_with_a_verified_session_when_required(
    customer: Any, agent: StaffMember, settings: Any
) -> None:
    as_customer, as_agent = session_cookie(customer.user), session_cookie(agent.user)

    async def scenario(expect_agent_in: bool) -> None:
        assert (await console(as_customer).connect()) == (False, 4404)
        agents_socket = console(as_agent)
        connected, _code = await agents_socket.connect()
        assert connected is expect_agent_in
        if connected:
            await agents_socket.send_to(text_data='{"type": "ping"}')
            assert json.loads(await agents_socket.receive_from())["type"] == "pong"
            await agents_socket.disconnect()

    run_in_own_loop(lambda: scenario(True))
    settings.STAFF_TWO_FACTOR_REQUIRED = True  # the session has no confirmed device
    run_in_own_loop(lambda: scenario(False))
    chat_socket = socket(as_agent, "PH-2026-000001")
    run_in_own_loop(lambda: _refused(chat_socket))


def staff_session_cookie(
    user: User, signed_in_ago: float, seen_ago: float
) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - signed_in_ago
    session[LAST_SEEN_AT] = time.time() - seen_ago
    session.save()
    return [
        (b"origin", b"http://127.0.0.1"),
        (b"cookie", f"sessionid={session.session_key}".encode()),
    ]


def test_an_expired_staff_session_gets_no_socket_and_an_open_one_closes_at_its_end(
    agent: StaffMember, settings: Any
) -> None:
    hour = 3600.0
    idle = staff_session_cookie(agent.user, signed_in_ago=2 * hour, seen_ago=2 * hour)
    run_in_own_loop(lambda: _refused(console(idle)))
    too_old = staff_session_cookie(agent.user, signed_in_ago=13 * hour, seen_ago=60)
    run_in_own_loop(lambda: _refused(console(too_old)))
    # Half a second before the 12 hours are up: let in, then closed at the next frame.
    ending = staff_session_cookie(agent.user, signed_in_ago=12 * hour - 0.5, seen_ago=60)

    async def scenario() -> None:
        agents_socket = console(ending)
        assert (await agents_socket.connect())[0]
        await asyncio.sleep(0.6)
        await agents_socket.send_to(text_data='{"type": "ping"}')
        closed = await agents_socket.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": 4404}

    run_in_own_loop(scenario)


@pytest.mark.parametrize("ended_by", ["signing out", "an idle hour"])
def test_signing_out_or_an_idle_hour_closes_an_open_staff_socket(
    agent: StaffMember, monkeypatch: pytest.MonkeyPatch, ended_by: str
) -> None:
    """The socket reads the session again (here at every frame, in service once a
    minute): what the agent's pages did meanwhile counts, not the socket's own pings."""
    monkeypatch.setattr(consumers, "SESSION_RECHECK_SECONDS", 0)
    client = Client()
    client.force_login(agent.user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    cookie = f"sessionid={session.session_key}".encode()

    def end_session() -> None:
        if ended_by == "signing out":
            client.logout()
        else:
            stored = client.session
            stored[LAST_SEEN_AT] = time.time() - 2 * 3600
            stored.save()

    async def scenario() -> None:
        agents_socket = console([(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)])
        assert (await agents_socket.connect())[0]
        await agents_socket.send_to(text_data='{"type": "ping"}')
        assert json.loads(await agents_socket.receive_from())["type"] == "pong"
        await database_sync_to_async(end_session)()
        await agents_socket.send_to(text_data='{"type": "ping"}')
        closed = await agents_socket.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": 4404}

    run_in_own_loop(scenario)


async def _refused(communicator: WebsocketCommunicator) -> None:
    assert not (await communicator.connect())[0]


def test_an_agents_socket_closes_when_the_chat_moves_out_of_their_teams(
    customer: Any, chat: Conversation, chat_agent: User, other_team_agent: StaffMember
) -> None:
    """The socket checks the agent's right to the chat when they connect and again each
    time the chat changes hands; their messages are not checked one by one."""
    as_agent = session_cookie(chat_agent)
    other_team = other_team_agent.teams.get()

    async def scenario() -> None:
        ours = socket(as_agent, chat.reference)
        assert (await ours.connect())[0]
        await ours.send_to(text_data=json.dumps({"type": "message", "body": "On it."}))
        assert (await next_of(ours, "ack"))["sequence"] > 0
        # In the consumers' database thread: SQLite's shared in-memory test database
        # refuses two threads at once.
        await database_sync_to_async(services.transfer_to_team)(chat, other_team, chat_agent)
        closed = await ours.receive_output(3)
        while closed["type"] == "websocket.send":  # its own message and the like, first
            closed = await ours.receive_output(3)
        assert (closed["type"], closed.get("code")) == ("websocket.close", 4404)

    run_in_own_loop(scenario)
