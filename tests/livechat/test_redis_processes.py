"""Two real `pharos serve` processes sharing one database, with the chat's events going
between them through Redis: a customer connected to one and an agent connected to the
other chat live both ways, and each sees the other typing.

Needs Redis on 127.0.0.1:6379 (it runs on the development machines and in CI); the test
uses one of its databases and removes the keys the servers left there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

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
    server_environment,
)

REDIS_URL = "redis://127.0.0.1:6379/7"
CHANNEL_LAYER_PREFIX = "asgi"  # channels_redis' default
DJANGO_CACHE_PREFIX = b":1:"  # the servers' cache is in the same Redis database

CARD = "My card payment failed twice, can you check?"
LOOKING = "I am looking at it now."
STILL = "It says 'declined by issuer'."
ANSWER = "Your bank declined it; please call the number on the card."
THANKS = "Thanks, I will call them."


@pytest.fixture(scope="module")
def redis_client() -> Iterator[redis.Redis]:
    """The Redis database the servers use; the keys the servers' channel layer and cache
    add to it during the tests are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as failure:
        client.close()
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({failure}); start redis-server")
    before = set(client.scan_iter(count=1000))
    try:
        yield client
    finally:
        created = [
            key
            for key in set(client.scan_iter(count=1000)) - before
            if key.startswith((CHANNEL_LAYER_PREFIX.encode(), DJANGO_CACHE_PREFIX))
        ]
        if created:
            client.delete(*created)
        client.close()


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    folder = new_data_dir()
    yield folder
    remove_data_dir(folder)


@pytest.fixture(scope="module")
def environment(data_dir: Path, redis_client: redis.Redis) -> dict[str, str]:
    return server_environment(data_dir, redis_url=REDIS_URL)


@pytest.fixture(scope="module")
def chat(environment: dict[str, str]) -> PreparedChat:
    return prepare_chat(environment)


@pytest.fixture
def two_servers(environment: dict[str, str], chat: PreparedChat) -> Iterator[tuple[Server, Server]]:
    """Both on the same data folder; the second started once the first has migrated and
    answers (each runs `migrate` as it starts)."""
    first = Server(environment, free_port(), name="first")
    second = Server(environment, free_port(), name="second")
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()


def test_a_customer_and_an_agent_on_two_processes_chat_live_through_redis(
    two_servers: tuple[Server, Server], chat: PreparedChat, redis_client: redis.Redis
) -> None:
    first, second = two_servers
    s0 = chat.last_sequence
    customer_page, agent_page = ChatPage(rendered_up_to=s0), ChatPage(rendered_up_to=s0)
    group_key = f"{CHANNEL_LAYER_PREFIX}:group:conversation.{chat.conversation_id}"

    conversation = [  # what both people should end up reading
        (s0 + 1, "customer", CARD),
        (s0 + 2, "agent", LOOKING),
        (s0 + 3, "customer", STILL),
        (s0 + 4, "agent", ANSWER),
        (s0 + 5, "customer", THANKS),
    ]

    async def scenario() -> None:
        customer = await ChatSocket.open(first, chat.reference, chat.customer_cookie, customer_page)
        agent = await ChatSocket.open(second, chat.reference, chat.agent_cookie, agent_page)
        # Both sockets joined the chat's group in Redis (not in a process of their own).
        assert redis_client.zcard(group_key) == 2

        # The customer types on the first process: the agent on the second sees it.
        await customer.send({"type": "typing"})
        assert (await agent.next_of("chat.typing"))["from_staff"] is False
        resent, ack = await customer.hello_and_send(s0, CARD, "c-1")
        assert (events(resent), ack["sequence"]) == ([], s0 + 1)
        heard = await agent.message(s0 + 1)
        assert (heard["author_kind"], heard["body"], heard["client_message_id"]) == (
            "customer",
            CARD,
            "c-1",
        )

        # And the other way: the agent types and answers; the customer sees both.
        await agent.send({"type": "typing"})
        assert (await customer.next_of("chat.typing"))["from_staff"] is True
        assert (await agent.say(LOOKING, "a-1"))["sequence"] == s0 + 2
        assert (await customer.message(s0 + 2))["body"] == LOOKING

        assert (await customer.say(STILL, "c-2"))["sequence"] == s0 + 3
        assert (await agent.message(s0 + 3))["body"] == STILL
        assert (await agent.say(ANSWER, "a-2"))["sequence"] == s0 + 4
        assert (await customer.message(s0 + 4))["body"] == ANSWER
        assert (await customer.say(THANKS, "c-3"))["sequence"] == s0 + 5
        assert (await agent.message(s0 + 5))["body"] == THANKS

        await customer.nothing_more()
        await agent.nothing_more()
        await customer.close()
        await agent.close()

        # The customer's page opened again on the other process shows the same chat.
        elsewhere = await ChatSocket.open(second, chat.reference, chat.customer_cookie)
        resent, ack = await elsewhere.hello_and_send(s0, THANKS, "c-3")  # a retry: stored once
        assert ack["sequence"] == s0 + 5
        assert events(resent) == conversation
        await elsewhere.close()

    run_in_own_loop(scenario)

    # Each person saw every message once, live, in order.
    assert customer_page.transcript() == conversation
    assert agent_page.transcript() == conversation
    assert customer_page.repeats == [] and agent_page.repeats == []
