"""The chat's events between processes without Redis (decision 0003): the broker and its
Channels layer. Each layer instance here stands for one server process."""

from __future__ import annotations

import asyncio
import contextlib
import struct
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from pharos.livechat import broker
from pharos.livechat.layer import BrokerChannelLayer

from .conftest import run_in_own_loop

QUIET = 0.2  # how long "nothing arrives" is watched for


def run(test: Callable[[Path], Awaitable[None]], tmp_path: Path) -> None:
    run_in_own_loop(lambda: test(tmp_path / "chat.sock"))


async def start_broker(path: Path) -> asyncio.Task[None]:
    ready = asyncio.Event()
    task = asyncio.create_task(broker.serve(path, ready))
    await asyncio.wait_for(ready.wait(), 5)
    return task


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def nothing_arrives(layer: BrokerChannelLayer, channel: str) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), QUIET)
    except TimeoutError:
        return True
    return False


def test_a_group_event_reaches_every_process_with_a_member(tmp_path: Path) -> None:
    async def scenario(path: Path) -> None:
        server = await start_broker(path)
        customer_side, agent_side, elsewhere = (BrokerChannelLayer(str(path)) for _ in range(3))
        customer = await customer_side.new_channel()
        agent = await agent_side.new_channel()
        bystander = await elsewhere.new_channel()
        await customer_side.group_add("conversation.7", customer)
        await agent_side.group_add("conversation.7", agent)
        await elsewhere.group_add("conversation.8", bystander)
        event = {"type": "chat.message", "sequence": 3, "body": "你好 <b>"}
        await agent_side.group_send("conversation.7", event)
        assert await asyncio.wait_for(customer_side.receive(customer), 2) == event
        assert await asyncio.wait_for(agent_side.receive(agent), 2) == event
        assert await nothing_arrives(elsewhere, bystander)
        # A socket that leaves the group hears no more of it.
        await customer_side.group_discard("conversation.7", customer)
        await agent_side.group_send("conversation.7", {"type": "chat.typing"})
        assert await asyncio.wait_for(agent_side.receive(agent), 2) == {"type": "chat.typing"}
        assert await nothing_arrives(customer_side, customer)
        # A message to one specific channel of another process.
        await customer_side.send(agent, {"type": "chat.read", "sequence": 3})
        assert (await asyncio.wait_for(agent_side.receive(agent), 2))["sequence"] == 3
        for layer in (customer_side, agent_side, elsewhere):
            await layer.close()
        await stop(server)

    run(scenario, tmp_path)


def test_after_a_broker_restart_the_processes_rejoin_their_groups(tmp_path: Path) -> None:
    async def scenario(path: Path) -> None:
        server = await start_broker(path)
        one, two = BrokerChannelLayer(str(path)), BrokerChannelLayer(str(path))
        first, second = await one.new_channel(), await two.new_channel()
        await one.group_add("conversation.1", first)
        await two.group_add("conversation.1", second)
        await stop(server)
        server = await start_broker(path)
        # Each connection notices, connects again and sends its memberships anew.
        for _ in range(100):
            await asyncio.sleep(0.05)
            await two.group_send("conversation.1", {"type": "ping"})
            with contextlib.suppress(TimeoutError):
                assert await asyncio.wait_for(one.receive(first), 0.05) == {"type": "ping"}
                break
        else:
            pytest.fail("the first process never heard the group again")
        await one.close()
        await two.close()
        await stop(server)

    run(scenario, tmp_path)


def test_sync_code_publishes_from_a_thread(tmp_path: Path) -> None:
    async def scenario(path: Path) -> None:
        server = await start_broker(path)
        layer = BrokerChannelLayer(str(path))
        channel = await layer.new_channel()
        await layer.group_add("conversation.2", channel)
        # A request thread of another process: a blocking connection, no event loop.
        publisher = BrokerChannelLayer(str(path))
        thread = threading.Thread(
            target=publisher.publish_blocking, args=("conversation.2", {"type": "chat.assigned"})
        )
        thread.start()
        assert await asyncio.wait_for(layer.receive(channel), 2) == {"type": "chat.assigned"}
        thread.join()
        await layer.close()
        await stop(server)

    run(scenario, tmp_path)


def test_a_closed_process_leaves_its_groups_and_a_bad_client_harms_no_one(
    tmp_path: Path,
) -> None:
    async def scenario(path: Path) -> None:
        server = await start_broker(path)
        staying, leaving = BrokerChannelLayer(str(path)), BrokerChannelLayer(str(path))
        kept, gone = await staying.new_channel(), await leaving.new_channel()
        await staying.group_add("conversation.3", kept)
        await leaving.group_add("conversation.3", gone)
        await leaving.close()
        # Garbage, then a frame claiming to be huge: the broker drops those connections.
        for junk in (b"\x00\x00\x00\x05nope!", struct.pack("!I", 50_000_000) + b"{}"):
            _reader, writer = await asyncio.open_unix_connection(str(path))
            writer.write(junk)
            await writer.drain()
            writer.close()
        await staying.group_send("conversation.3", {"type": "still.here"})
        assert await asyncio.wait_for(staying.receive(kept), 2) == {"type": "still.here"}
        await staying.close()
        await stop(server)

    run(scenario, tmp_path)


def test_group_and_channel_names_are_checked(tmp_path: Path) -> None:
    async def scenario(path: Path) -> None:
        layer = BrokerChannelLayer(str(path))
        with pytest.raises(TypeError):
            await layer.group_add("no spaces allowed", "specific.abc!def")
        with pytest.raises(TypeError):
            layer.publish_blocking("x" * 200, {})

    run(scenario, tmp_path)
