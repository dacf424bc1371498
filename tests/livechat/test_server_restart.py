"""A real `pharos serve` restarted in the middle of a chat: nothing the customer or the
agent wrote is lost or shown twice, a message the customer's page could not send while
the server was down is stored once when the page sends it again, and both people go on
chatting live.

The server runs on its own SQLite database in a temporary folder, with the chat broker it
starts itself (no Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from .conftest import run_in_own_loop
from .live_server import (
    ChatPage,
    ChatSocket,
    PreparedChat,
    Server,
    events,
    free_port,
    new_data_dir,
    prepare_chat,
    remove_data_dir,
    reopen,
    server_environment,
)

DEPOSIT = "Hello, my deposit of 0.5 BTC has not arrived."
CHECKING = "Let me check that for you."
TXID = "The transaction id is 0x5f3a9c."
STILL_THERE = "Thanks, I can see it. Are you still there?"
RETRIED = "Yes, still here. Did you find it?"
FOUND = "Found it: it needed one more confirmation. It is in your account now."


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    folder = new_data_dir()
    yield folder
    remove_data_dir(folder)


@pytest.fixture(scope="module")
def environment(data_dir: Path) -> dict[str, str]:
    return server_environment(data_dir)  # no REDIS_URL: the server starts its chat broker


@pytest.fixture(scope="module")
def chat(environment: dict[str, str]) -> PreparedChat:
    return prepare_chat(environment)


@pytest.fixture
def server(environment: dict[str, str], chat: PreparedChat) -> Iterator[Server]:
    running = Server(environment, free_port())
    try:
        running.start()
        yield running
    finally:
        running.stop()


def stored_copies(
    data_dir: Path, conversation_id: int, client_message_ids: list[str]
) -> dict[str, int]:
    """How many messages of the chat the server's database holds for each client id."""
    with contextlib.closing(sqlite3.connect(data_dir / "pharos.sqlite3")) as database:
        return {
            cmid: database.execute(
                "SELECT COUNT(*) FROM conversations_message "
                "WHERE conversation_id = ? AND client_message_id = ?",
                (conversation_id, cmid),
            ).fetchone()[0]
            for cmid in client_message_ids
        }


def test_a_restart_mid_chat_loses_nothing_and_both_sides_resume(
    server: Server, chat: PreparedChat, data_dir: Path
) -> None:
    s0 = chat.last_sequence  # both pages were rendered with the chat up to here
    customer_page, agent_page = ChatPage(rendered_up_to=s0), ChatPage(rendered_up_to=s0)
    refusals: list[str] = []  # reconnections the restarted server turned away
    reference = chat.reference

    conversation = [  # what both people should end up reading
        (s0 + 1, "customer", DEPOSIT),
        (s0 + 2, "agent", CHECKING),
        (s0 + 3, "customer", TXID),
        (s0 + 4, "agent", STILL_THERE),
        (s0 + 5, "customer", RETRIED),
        (s0 + 6, "agent", FOUND),
    ]

    async def scenario() -> None:
        # --- before the restart: the customer writes, the agent picks the chat up --------
        customer = await ChatSocket.open(server, reference, chat.customer_cookie, customer_page)
        resent, ack = await customer.hello_and_send(s0, DEPOSIT, "c-1")
        assert (events(resent), ack["sequence"]) == ([], s0 + 1)

        agent = await ChatSocket.open(server, reference, chat.agent_cookie, agent_page)
        resent, ack = await agent.hello_and_send(s0, CHECKING, "a-1")
        assert events(resent) == [(s0 + 1, "customer", DEPOSIT)]
        assert ack["sequence"] == s0 + 2
        heard = await customer.message(s0 + 2)
        assert (heard["author_kind"], heard["body"]) == ("agent", CHECKING)

        await customer.send({"type": "typing"})
        assert (await agent.next_of("chat.typing"))["from_staff"] is False

        # The agent's laptop goes to sleep; the customer's next message gets through.
        await agent.close()
        assert (await customer.say(TXID, "c-2"))["sequence"] == s0 + 3

        # --- the server stops; the customer's page tries to send, and cannot --------------
        await asyncio.to_thread(server.stop)
        with pytest.raises(ConnectionClosed):
            while True:  # what was already on the wire is still read, then the close
                await customer.receive()
        with pytest.raises(ConnectionClosed):
            await customer.send({"type": "message", "body": RETRIED, "client_message_id": "c-3"})
        with pytest.raises(OSError):  # nobody listens on the port
            await ChatSocket.open(server, reference, chat.customer_cookie)

        # --- the server is back on the same data and port --------------------------------
        await asyncio.to_thread(server.start)

        # The agent comes back first: gets the customer's message it missed, once, and
        # answers while the customer is not connected yet.
        agent = await reopen(server, reference, chat.agent_cookie, agent_page, refusals)
        assert agent_page.last_sequence == s0 + 2
        resent, ack = await agent.hello_and_send(agent_page.last_sequence, STILL_THERE, "a-2")
        assert events(resent) == [(s0 + 3, "customer", TXID)]
        assert ack["sequence"] == s0 + 4

        # The customer's page reconnects, gets the answer it missed, once, and sends the
        # message that failed again with the same id: stored now, heard live by the agent.
        customer = await reopen(server, reference, chat.customer_cookie, customer_page, refusals)
        # Its own message's event may not have left before the stop (the ack did): then it
        # comes now, with what the page missed.
        seen = customer_page.last_sequence
        assert seen in {s0 + 2, s0 + 3}
        resent, ack = await customer.hello_and_send(seen, RETRIED, "c-3")
        assert events(resent) == conversation[seen - s0 : 4]
        assert ack["sequence"] == s0 + 5
        heard = await agent.message(s0 + 5)
        assert (heard["author_kind"], heard["body"], heard["client_message_id"]) == (
            "customer",
            RETRIED,
            "c-3",
        )

        # Not sure the message before the restart got through, the page sends it again
        # too: the ack gives the sequence it was stored with the first time.
        assert (await customer.say(TXID, "c-2"))["sequence"] == s0 + 3

        # And the chat goes on live.
        await agent.send({"type": "typing"})
        assert (await customer.next_of("chat.typing"))["from_staff"] is True
        assert (await agent.say(FOUND, "a-3"))["sequence"] == s0 + 6
        assert (await customer.message(s0 + 6))["body"] == FOUND
        await customer.nothing_more()
        await agent.nothing_more()
        await customer.close()
        await agent.close()

        # A page opened afresh shows each message once, in order.
        reloaded = await ChatSocket.open(server, reference, chat.customer_cookie)
        await reloaded.send({"type": "hello", "last_sequence": s0})
        for _message in range(6):
            await reloaded.next_of("chat.message")
        assert events(await reloaded.nothing_more()) == []
        await reloaded.close()
        assert reloaded.page.transcript() == conversation and reloaded.page.repeats == []

    run_in_own_loop(scenario)

    # Both people see the whole conversation, in order, nothing missing.
    assert customer_page.transcript() == conversation
    assert agent_page.transcript() == conversation
    # Each message the customer's page sent (some twice) is stored once.
    assert stored_copies(data_dir, chat.conversation_id, ["c-1", "c-2", "c-3"]) == {
        "c-1": 1,
        "c-2": 1,
        "c-3": 1,
    }
    # No page was sent a message it already showed, live or on resuming.
    assert customer_page.repeats == [] and agent_page.repeats == []
    # Last, as everything above holds once the pages are back: /healthz answering means
    # the restarted server takes chat sockets (its chat broker is listening).
    assert refusals == [], (
        f"after the restart /healthz answered but {len(refusals)} chat socket "
        f"connection(s) were turned away at first: {refusals[:2]}"
    )
