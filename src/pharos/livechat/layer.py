"""A Channels layer over the chat broker (broker.py; decision 0003), for installs without
Redis. The consumers see the usual layer interface: send, receive, new_channel,
group_add, group_discard, group_send.

Each event loop has its own connection, and its channels carry that connection's
token. A message for a channel of the same loop stays in the loop; everything else goes
through the broker. Sync code (a request thread, the task worker) publishes with
`publish_blocking` (events.publish), a short blocking connection of its own. If the
broker goes away, the connection is made again and its group memberships are sent anew.
Delivery is best effort, as with any Channels layer: the chat's messages are stored
first, and a client that reconnects asks for what it missed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import socket
from pathlib import Path
from typing import Any, cast

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

from .broker import encode_frame, read_frame, token_of

logger = logging.getLogger("pharos.livechat.layer")

RECONNECT_DELAYS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0)


class _Connection:
    """One event loop's link to the broker, and the queues of the channels it owns."""

    def __init__(self, path: Path, capacity: int) -> None:
        self.path = path
        self.capacity = capacity
        self.token = secrets.token_hex(8)
        self.queues: dict[str, asyncio.Queue[dict[str, Any]]] = {}
        self.groups: dict[str, set[str]] = {}
        self.writer: asyncio.StreamWriter | None = None
        self.connected = asyncio.Event()
        self.reader_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._connect()
        self.reader_task = asyncio.create_task(self._read_forever())

    async def _connect(self) -> None:
        reader, writer = await asyncio.open_unix_connection(str(self.path))
        writer.write(encode_frame({"op": "hello", "token": self.token}))
        for group, channels in self.groups.items():
            for channel in channels:
                writer.write(encode_frame({"op": "group_add", "group": group, "channel": channel}))
        await writer.drain()
        self.reader, self.writer = reader, writer
        self.connected.set()

    async def _read_forever(self) -> None:
        while True:
            try:
                frame = await read_frame(self.reader)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                self.connected.clear()
                await self._reconnect()
                continue
            if frame.get("op") == "deliver":
                for channel in frame.get("channels", []):
                    self.put(channel, frame["message"])

    async def _reconnect(self) -> None:
        attempt = 0
        while True:
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            try:
                await self._connect()
                return
            except OSError:
                attempt += 1

    def put(self, channel: str, message: dict[str, Any]) -> bool:
        queue = self.queues.setdefault(channel, asyncio.Queue(maxsize=self.capacity))
        try:
            queue.put_nowait(message)
            return True
        except asyncio.QueueFull:
            logger.warning("Channel %s is full; an event was dropped.", channel)
            return False

    async def write(self, frame: dict[str, Any]) -> None:
        await asyncio.wait_for(self.connected.wait(), timeout=5)
        assert self.writer is not None
        self.writer.write(encode_frame(frame))
        await self.writer.drain()

    async def close(self) -> None:
        if self.reader_task is not None:
            self.reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.reader_task
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()


class BrokerChannelLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]

    def __init__(self, path: str, expiry: int = 60, capacity: int = 100, **kwargs: Any) -> None:
        super().__init__(expiry=expiry, capacity=capacity, **kwargs)
        self.path = Path(path)
        self._connections: dict[asyncio.AbstractEventLoop, _Connection] = {}

    async def _connection(self) -> _Connection:
        loop = asyncio.get_running_loop()
        for old in [old for old in self._connections if old.is_closed()]:
            del self._connections[old]  # a short-lived loop of async_to_sync, now gone
        connection = self._connections.get(loop)
        if connection is None:
            connection = _Connection(self.path, self.capacity)
            self._connections[loop] = connection
            try:
                await connection.start()
            except BaseException:
                del self._connections[loop]
                raise
        return connection

    async def new_channel(self, prefix: str = "specific") -> str:
        connection = await self._connection()
        return f"{prefix}.{connection.token}!{secrets.token_hex(6)}"

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        self.require_valid_channel_name(channel)
        connection = await self._connection()
        if token_of(channel) == connection.token:
            if not connection.put(channel, message):
                raise ChannelFull(channel)
            return
        await connection.write({"op": "send", "channel": channel, "message": message})

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        connection = await self._connection()
        queue = connection.queues.setdefault(channel, asyncio.Queue(maxsize=self.capacity))
        try:
            return await queue.get()
        except asyncio.CancelledError:
            # The consumer is closing: nothing will read this channel again.
            if queue.empty():
                connection.queues.pop(channel, None)
            raise

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        connection = await self._connection()
        connection.groups.setdefault(group, set()).add(channel)
        if connection.connected.is_set():  # otherwise the reconnection sends it
            await connection.write({"op": "group_add", "group": group, "channel": channel})

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        connection = await self._connection()
        members = connection.groups.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del connection.groups[group]
        # A broker that went away forgot the membership with the connection.
        if connection.connected.is_set():
            await connection.write({"op": "group_discard", "group": group, "channel": channel})

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.require_valid_group_name(group)
        connection = await self._connection()
        await connection.write({"op": "group_send", "group": group, "message": message})

    def publish_blocking(self, group: str, message: dict[str, Any]) -> None:
        """group_send for sync code (request threads, the task worker): one short blocking
        connection, no event loop. Raises OSError when the broker cannot be reached."""
        self.require_valid_group_name(group)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as link:
            link.settimeout(2)
            link.connect(str(self.path))
            link.sendall(
                encode_frame({"op": "hello", "token": secrets.token_hex(8)})
                + encode_frame({"op": "group_send", "group": group, "message": message})
            )

    async def flush(self) -> None:
        loop = asyncio.get_running_loop()
        connection = self._connections.pop(loop, None)
        if connection is not None:
            await connection.close()

    async def close(self) -> None:
        await self.flush()


def broker_socket() -> Path | None:
    """Where the broker listens, or None when the chat's layer is Redis."""
    from django.conf import settings

    config = cast(dict[str, Any], settings.CHANNEL_LAYERS["default"])
    if not str(config["BACKEND"]).endswith("BrokerChannelLayer"):
        return None
    return Path(config["CONFIG"]["path"])
