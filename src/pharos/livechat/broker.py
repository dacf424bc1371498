"""The chat's event broker for installs without Redis (decision 0003): a small asyncio
server on a Unix socket in the data folder, started by `pharos serve`.

Each connection speaks for one event loop of one process and names itself with a token;
the channels it creates carry that token (`specific.<token>!<id>`). The broker keeps
which channels are in which group and forwards a message once to each connection that
has members, with the list of its channels. A connection that closes takes its channels
out of every group. Frames are a 4-byte length and a JSON object."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

logger = logging.getLogger("pharos.livechat.broker")

HEADER = struct.Struct("!I")
MAX_FRAME_BYTES = 1_000_000


async def read_frame(reader: asyncio.StreamReader) -> dict[str, Any]:
    (size,) = HEADER.unpack(await reader.readexactly(HEADER.size))
    if size > MAX_FRAME_BYTES:
        raise ValueError(f"frame of {size} bytes")
    frame = orjson.loads(await reader.readexactly(size))
    if not isinstance(frame, dict):
        raise ValueError("a frame is a JSON object")
    return frame


def encode_frame(frame: dict[str, Any]) -> bytes:
    data = orjson.dumps(frame)
    return HEADER.pack(len(data)) + data


def token_of(channel: str) -> str:
    """`specific.<token>!<id>` → `<token>`."""
    return channel.partition("!")[0].rpartition(".")[2]


class Broker:
    def __init__(self) -> None:
        self.writers: dict[str, asyncio.StreamWriter] = {}
        self.groups: dict[str, set[str]] = defaultdict(set)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        token = ""
        try:
            hello = await read_frame(reader)
            token = str(hello.get("token", ""))
            if hello.get("op") != "hello" or not token:
                return
            self.writers[token] = writer
            while True:
                self.apply(await read_frame(reader))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            if token and self.writers.get(token) is writer:
                del self.writers[token]
                self._forget(token)
            writer.close()

    def apply(self, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        if op == "group_add":
            self.groups[frame["group"]].add(frame["channel"])
        elif op == "group_discard":
            members = self.groups.get(frame["group"])
            if members is not None:
                members.discard(frame["channel"])
                if not members:
                    del self.groups[frame["group"]]
        elif op == "send":
            self._deliver([frame["channel"]], frame["message"])
        elif op == "group_send":
            self._deliver(list(self.groups.get(frame["group"], ())), frame["message"])

    def _deliver(self, channels: list[str], message: dict[str, Any]) -> None:
        by_token: dict[str, list[str]] = defaultdict(list)
        for channel in channels:
            by_token[token_of(channel)].append(channel)
        for token, theirs in by_token.items():
            writer = self.writers.get(token)
            if writer is not None and not writer.is_closing():
                writer.write(
                    encode_frame({"op": "deliver", "channels": theirs, "message": message})
                )

    def _forget(self, token: str) -> None:
        for group in list(self.groups):
            self.groups[group] = {c for c in self.groups[group] if token_of(c) != token}
            if not self.groups[group]:
                del self.groups[group]


async def serve(path: Path, ready: asyncio.Event | None = None) -> None:
    """Serve until cancelled. A socket left by a broker that died is replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    broker = Broker()
    server = await asyncio.start_unix_server(broker.handle, path=str(path))
    os.chmod(path, 0o600)  # only this user's processes speak to it
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()
