"""Live chat over WebSockets at scale: customers and agents chatting through ONE server
process (`pharos serve --workers 1`), loaded by a lean asyncio client on the same machine.

    .venv/bin/python bench/livechat_load.py [--customers 1000] [--agents 50] [--rate 200]
                                            [--duration 30] [--warmup 5] [--grace 5]
                                            [--deflate] [--workers 1] [--server-log PATH]

1. Prepare: `pharos migrate` in a throw-away data folder (SQLite), then (a helper process
   of this script under Django, `livechat_data.py CUSTOMERS AGENTS`) the
   agents (role agent, team general-support, each with a confirmed authenticator), the
   customers, and one live chat per customer, shared round-robin among the agents:
   status "assigned", already accepted and greeted by its agent (message 1), as a chat
   under way is, with references PH-YYYY-NNNNNN (the ReferenceCounter moved past them).
   A signed-in session for everyone; the agents' sessions verified with their
   authenticator, as django-otp records it.
2. Serve: `pharos serve --workers 1 --no-demo --no-worker`, staff two-factor sign-in
   required, rate limits off, no REDIS_URL: the chat's events go through the broker
   process `pharos serve` starts on a Unix socket (the default deployment).
3. Connect: each customer opens /ws/chat/<reference>/ with their session cookie, and each
   agent one socket per chat assigned to them (a console with a tab per chat): 2 sockets
   per chat, at most --connect-concurrency handshakes at a time, a failed one retried
   twice. Every socket then says hello (what it missed since sequence 0), as the chat page
   does. Frames are not compressed unless --deflate (browsers offer permessage-deflate;
   it cost the server 1-2 ms of CPU more per message here).
4. Load: customers write --rate/2 messages per second in all, taking turns in a shuffled
   round-robin, so each writes at an even pace (a message every customers/(rate/2) s, kept
   under the server's 10 per 10 s per socket); the agent's socket of that chat answers
   every customer message it receives at once. So about --rate messages per second.
   --warmup seconds first, then --duration seconds measured.
5. Figures: a message counts when it was sent inside the measured window. Its delivery
   latency is from the sender's send to the OTHER party's receipt of the chat.message
   (matched by client_message_id, unique per message); one still undelivered --grace
   seconds after the window is lost. messages/s is the delivered ones per second of the
   window; "stored" the acks received in it (the server's pace even when deliveries fall
   behind). CPU over the window: the server's process group (uvicorn and the broker), the
   broker alone, this client, and other programs (the machine's busy time less those).

One client process is enough: all sockets in one event loop (uvloop when installed) cost
under 0.1 core at 200 messages/s, measured, so the client does not compete with the
server for the two cores; keeping every socket in one process also lets the send times
be a plain dict.

Prints the phases, a summary table with the target (1,000 customers and 50 agents
connected, 200 messages/s, delivery p99 <= 100 ms, nothing lost) and, as its very last
line, one JSON object. The server and the data folder are removed at the end, on errors
and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from harness import (
    CLOCK_TICKS,
    HOST,
    free_port,
    measure,
    migrate,
    new_event_loop_factory,
    process_group_cpu_seconds,
    run_data_script,
)
from livechat_report import print_summary, summarise, target_checks
from tickets_http import running_server, server_environment
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Origin

MIGRATE_TIMEOUT_SECONDS = 300
PREPARE_TIMEOUT_SECONDS = 600


# The server refuses more than 10 messages per 10 s per socket (livechat/consumers.py);
# an even pace of one per 2 s keeps every socket at half that, jitter included.
MIN_SECONDS_BETWEEN_MESSAGES = 2.0
CONNECT_ATTEMPTS = 3
CONNECT_TIMEOUT_SECONDS = 30
CLOSE_TIMEOUT_SECONDS = 2
CUSTOMER_LINES = [
    "Hi, my withdrawal has been pending for an hour, can you check?",
    "I sent USDT on the wrong network, is it lost?",
    "The deposit is confirmed on chain but not in my balance.",
    "我的提币还在审核中，请帮忙看一下。",
]
AGENT_LINES = [
    "Thanks, I am checking it with the wallet team now.",
    "Could you send me the transaction hash, please?",
    "It is confirmed on our side; it will arrive within 10 minutes.",
    "好的，我们正在为您核实，请稍候。",
]


# --- the server under test ----------------------------------------------------------------------
def chat_server_environment(data_dir: Path) -> dict[str, str]:
    environment = server_environment(data_dir, f"sqlite:///{data_dir / 'pharos.sqlite3'}")
    # Without Redis, `pharos serve` starts the chat's broker: the default deployment.
    environment.pop("REDIS_URL", None)
    environment["PHAROS_STAFF_2FA"] = "true"  # as in production; the agents' sessions are verified
    return environment


def prepare(environment: dict[str, str], customers: int, agents: int) -> dict[str, Any]:
    migrate(environment, MIGRATE_TIMEOUT_SECONDS)
    arguments = [str(customers), str(agents)]
    return dict(
        run_data_script("livechat_data.py", arguments, environment, PREPARE_TIMEOUT_SECONDS)
    )


def raise_open_file_limit(needed: int) -> int:
    """A socket is a file descriptor, on both sides; the server started from here inherits
    this limit. Returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = wanted
    return soft


def broker_pid(server_pid: int) -> int | None:
    """The chat broker `pharos serve` started (a child in the server's process group)."""
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError):
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                command = Path(f"/proc/{entry}/cmdline").read_bytes()
                if int(stat[1]) == server_pid and b"chat_broker" in command:
                    return int(entry)
    return None


def process_cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS  # utime, stime


# --- the clients ---------------------------------------------------------------------------------
@dataclass
class Chat:
    """One conversation: its customer's socket and the socket its agent has open on it."""

    reference: str
    customer_session: str
    agent: int
    customer_socket: ClientConnection | None = None
    agent_socket: ClientConnection | None = None


@dataclass(slots=True)
class Sent:
    at: float  # perf_counter() just before the frame was handed to the socket
    from_customer: bool
    measured: bool  # sent inside the measured window
    acked: bool = False
    delivered: bool = False


@dataclass
class Window:
    """A phase: how long it took and, from `measure`, the CPU it cost."""

    duration_s: float = 0.0
    client_cpu_s: float | None = None
    server_cpu_s: float | None = None  # the server's process group: uvicorn and the broker
    machine_busy_s: float | None = None
    broker_cpu_s: float | None = None

    def cores(self, seconds: float | None) -> float | None:
        return None if seconds is None or not self.duration_s else seconds / self.duration_s

    def other_load_s(self) -> float | None:
        """CPU the rest of the machine took meanwhile: another program competing for the
        two cores makes every figure worse."""
        machine, server, client = self.machine_busy_s, self.server_cpu_s, self.client_cpu_s
        if machine is None or server is None or client is None:
            return None
        return max(0.0, machine - server - client)


async def timed(phase: Awaitable[None], broker: int | None) -> Window:
    broker_before = process_cpu_seconds(broker)
    began = time.perf_counter()
    await phase
    window = Window(duration_s=time.perf_counter() - began)
    broker_after = process_cpu_seconds(broker)
    if broker_before is not None and broker_after is not None:
        window.broker_cpu_s = broker_after - broker_before
    return window


@dataclass
class ChatLoad:
    """Every socket of the run, in one event loop, and what happened to each message."""

    port: int
    chats: list[Chat]
    agent_sessions: list[str]
    connect_concurrency: int
    compression: str | None = None  # "deflate": permessage-deflate, as browsers offer it
    sent: dict[str, Sent] = field(default_factory=dict)  # by client_message_id
    latencies_ms: list[float] = field(default_factory=list)  # of measured messages
    server_errors: Counter[str] = field(default_factory=Counter)  # {"type": "error"} by code
    connect_failures: Counter[str] = field(default_factory=Counter)  # by reason
    dropped: Counter[str] = field(default_factory=Counter)  # closed under way, by close code
    duplicates: int = 0
    send_failures: int = 0
    acks_in_window: int = 0  # the server's pace at storing, even when deliveries fall behind
    measuring: bool = False
    replying: bool = False
    closing: bool = False
    serial: Iterator[int] = field(default_factory=itertools.count)
    readers: set[asyncio.Task[None]] = field(default_factory=set)
    writer: asyncio.Task[None] | None = None

    # --- connecting ------------------------------------------------------------------------------
    async def connect_all(self) -> None:
        gate = asyncio.Semaphore(self.connect_concurrency)
        openings = []
        for chat in self.chats:
            openings.append(self._open(chat, chat.customer_session, customer=True, gate=gate))
            agent_session = self.agent_sessions[chat.agent]
            openings.append(self._open(chat, agent_session, customer=False, gate=gate))
        await asyncio.gather(*openings)

    async def _open(
        self, chat: Chat, session: str, *, customer: bool, gate: asyncio.Semaphore
    ) -> None:
        url = f"ws://{HOST}:{self.port}/ws/chat/{chat.reference}/"
        reason = ""
        for attempt in range(CONNECT_ATTEMPTS):
            async with gate:
                try:
                    socket = await connect(
                        url,
                        # AllowedHostsOriginValidator: a page of an allowed host.
                        origin=Origin(f"http://{HOST}:{self.port}"),
                        additional_headers={"Cookie": f"sessionid={session}"},
                        compression=self.compression,
                        proxy=None,  # loopback, whatever the environment says
                        ping_interval=None,  # browsers do not ping; the server does
                        open_timeout=CONNECT_TIMEOUT_SECONDS,
                        close_timeout=CLOSE_TIMEOUT_SECONDS,
                    )
                except InvalidStatus as refused:
                    # A consumer closing before it accepts (4404: not theirs) and a wrong
                    # Origin both come back as HTTP 403: trying again cannot help.
                    self.connect_failures[f"HTTP {refused.response.status_code}"] += 1
                    return
                except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as failure:
                    reason = type(failure).__name__
                    await asyncio.sleep(0.5 * (attempt + 1))  # a server busy accepting
                    continue
            if customer:
                chat.customer_socket = socket
            else:
                chat.agent_socket = socket
            reader = asyncio.create_task(self._read(socket, customer=customer))
            self.readers.add(reader)  # asyncio keeps only a weak reference to tasks
            with contextlib.suppress(ConnectionClosed):  # then counted as dropped
                await socket.send(json.dumps({"type": "hello", "last_sequence": 0}))
            return
        self.connect_failures[reason] += 1

    # --- receiving -------------------------------------------------------------------------------
    async def _read(self, socket: ClientConnection, *, customer: bool) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for text in socket:
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "chat.message":
                    await self._heard(socket, frame, customer=customer)
                elif kind == "ack":
                    if sent := self.sent.get(frame.get("client_message_id")):
                        sent.acked = True
                    if self.measuring:
                        self.acks_in_window += 1
                elif kind == "error":
                    self.server_errors[str(frame.get("code"))] += 1
                # Other events (the chat's state, typing, read…) are not measured here.
        if not self.closing:
            self.dropped[str(socket.close_code)] += 1

    async def _heard(
        self, socket: ClientConnection, frame: dict[str, Any], *, customer: bool
    ) -> None:
        sent = self.sent.get(frame.get("client_message_id") or "")
        if sent is None or sent.from_customer == customer:
            return  # the sender's own copy, or not one of ours
        if sent.delivered:
            self.duplicates += 1
            return
        sent.delivered = True
        if sent.measured:
            self.latencies_ms.append((time.perf_counter() - sent.at) * 1000)
        if not customer and self.replying:
            await self._send(socket, from_customer=False)

    # --- sending ----------------------------------------------------------------------------------
    async def _send(self, socket: ClientConnection, *, from_customer: bool) -> None:
        number = next(self.serial)
        message_id = f"{'c' if from_customer else 'a'}{number}"
        lines = CUSTOMER_LINES if from_customer else AGENT_LINES
        frame = json.dumps(
            {
                "type": "message",
                "body": f"{lines[number % len(lines)]} (#{number})",
                "client_message_id": message_id,
            },
            ensure_ascii=False,
        )
        self.sent[message_id] = Sent(time.perf_counter(), from_customer, self.measuring)
        try:
            await socket.send(frame)
        except ConnectionClosed:
            self.send_failures += 1

    async def customers_write(self, per_second: float) -> None:
        """Customers take turns in a shuffled round-robin, `per_second` messages in all: an
        even pace for each. The schedule is absolute, so a late wake-up is caught up and
        the rate holds."""
        writers = [  # customers whose agent is there to answer
            socket
            for chat in self.chats
            if (socket := chat.customer_socket) is not None and chat.agent_socket is not None
        ]
        if not writers:
            return
        random.shuffle(writers)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for number in itertools.count():
            delay = start + number / per_second - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await self._send(writers[number % len(writers)], from_customer=True)

    # --- phases -----------------------------------------------------------------------------------
    async def warm_up(self, per_second: float, seconds: float) -> None:
        """Start the conversation; it goes on until `drain`."""
        self.replying = True
        self.writer = asyncio.create_task(self.customers_write(per_second))
        await asyncio.sleep(seconds)

    async def measure_for(self, seconds: float) -> None:
        self.measuring = True
        await asyncio.sleep(seconds)
        self.measuring = False

    async def drain(self, grace: float) -> None:
        """Stop writing, then wait up to `grace` for the measured messages still on their
        way."""
        self.replying = False
        if self.writer is not None:
            self.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.writer
        deadline = time.perf_counter() + grace
        while time.perf_counter() < deadline and any(
            sent.measured and not (sent.delivered and sent.acked) for sent in self.sent.values()
        ):
            await asyncio.sleep(0.05)

    async def close_all(self) -> None:
        self.closing = True
        gate = asyncio.Semaphore(200)

        async def close(socket: ClientConnection) -> None:
            async with gate:
                with contextlib.suppress(Exception):  # closing is all that is left to do
                    await socket.close()

        await asyncio.gather(*(close(socket) for socket in self.sockets()))
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)

    # --- counts -----------------------------------------------------------------------------------
    def sockets(self) -> list[ClientConnection]:
        return [s for c in self.chats for s in (c.customer_socket, c.agent_socket) if s]

    def sockets_open(self) -> int:
        return sum(1 for socket in self.sockets() if socket.close_code is None)

    def customers_connected(self) -> int:
        return sum(1 for chat in self.chats if chat.customer_socket is not None)

    def agents_connected(self) -> int:
        """Agents with every one of their chats' sockets open."""
        missing = {chat.agent for chat in self.chats if chat.agent_socket is None}
        return len(self.agent_sessions) - len(missing)


# --- one run ------------------------------------------------------------------------------------
def writing_rate(options: argparse.Namespace) -> float:
    """Customer messages per second: half the total, capped so no socket writes faster
    than one message per MIN_SECONDS_BETWEEN_MESSAGES."""
    return min(options.rate / 2, options.customers / MIN_SECONDS_BETWEEN_MESSAGES)


def wait_until_idle(server_group: int, timeout: float = 20.0) -> None:
    """Let the server finish with the sockets just closed before it is stopped: stopped
    earlier, its log fills with errors of sockets still leaving the broker's groups."""
    deadline = time.monotonic() + timeout
    before = process_group_cpu_seconds(server_group)
    while before is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        after = process_group_cpu_seconds(server_group)
        if after is None or after - before < 0.05:
            return
        before = after


def run(options: argparse.Namespace) -> dict[str, Any]:
    loop_factory, loop_name = new_event_loop_factory()
    per_second = writing_rate(options)
    if 2 * per_second < options.rate:
        print(
            f"Note: {options.customers:,} customers write at most {per_second:g} messages/s "
            f"between them (one per {MIN_SECONDS_BETWEEN_MESSAGES:g} s each, under the "
            f"server's 10 per 10 s): offering {2 * per_second:g} messages/s, not "
            f"{options.rate:g}.",
            flush=True,
        )
    # Two sockets per chat here and two in the server, the server's other files, room.
    limit = raise_open_file_limit(4 * options.customers + 1024)
    data_dir = Path(tempfile.mkdtemp(prefix="pharos-bench-livechat-"))
    try:
        environment = chat_server_environment(data_dir)
        print(
            f"Preparing {options.customers:,} customers, {options.agents:,} agents and "
            f"{options.customers:,} chats in {data_dir} …",
            flush=True,
        )
        began = time.perf_counter()
        prepared = prepare(environment, options.customers, options.agents)
        print(f"Prepared in {time.perf_counter() - began:.0f} s.", flush=True)
        chats = [Chat(reference, session, agent) for reference, session, agent in prepared["chats"]]
        load = ChatLoad(
            free_port(),
            chats,
            prepared["agent_sessions"],
            options.connect_concurrency,
            compression="deflate" if options.deflate else None,
        )
        server_log = data_dir / "server.log"
        with (
            running_server(environment, load.port, options.workers, server_log) as server,
            asyncio.Runner(loop_factory=loop_factory) as runner,
        ):
            broker = broker_pid(server.pid)
            print(
                f"Serving on http://{HOST}:{load.port} ({options.workers} process(es); chat "
                f"broker pid {broker}); "
                f"client {loop_name}, compression {load.compression}, open files {limit:,}. "
                f"Connecting {2 * len(chats):,} sockets, {options.connect_concurrency} at a "
                "time …",
                flush=True,
            )
            connecting = measure(
                partial(runner.run, timed(load.connect_all(), broker)), server_group=server.pid
            )
            print(
                f"Connected {load.customers_connected():,} customers and "
                f"{load.agents_connected():,} agents ({load.sockets_open():,} sockets) in "
                f"{connecting.duration_s:.1f} s; connect failures: "
                f"{dict(load.connect_failures) or 'none'}. Load: {2 * per_second:g} "
                f"messages/s, {options.warmup:g} s warm-up, {options.duration:g} s measured …",
                flush=True,
            )
            runner.run(load.warm_up(per_second, options.warmup))
            window = measure(
                partial(runner.run, timed(load.measure_for(options.duration), broker)),
                server_group=server.pid,
            )
            runner.run(load.drain(options.grace))
            result = summarise(load, window, connecting)
            result["offered_per_s"] = 2 * per_second
            runner.run(load.close_all())
            wait_until_idle(server.pid)
        if options.server_log:
            shutil.copyfile(server_log, options.server_log)
        if result["lost"] or result["connect_failures"] or result["sockets_dropped"]:
            print("Server log (end):\n" + server_log.read_text(errors="replace")[-3000:])
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- main ----------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1000, help="one chat each")
    parser.add_argument("--agents", type=int, default=50, help="the chats shared among them")
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s, both ways")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds to wait for stragglers")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--server-log", type=Path, help="keep a copy of the server's log here")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (the target is for one)"
    )
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="offer permessage-deflate, as browsers do (default: uncompressed frames)",
    )
    options = parser.parse_args()
    if (
        min(options.customers, options.agents, options.connect_concurrency, options.workers) < 1
        or options.rate <= 0
        or options.duration <= 0
        or min(options.warmup, options.grace) < 0
    ):
        parser.error("counts, --rate and --duration must be positive")
    if options.agents > options.customers:
        parser.error("an agent without a chat would never connect: --agents <= --customers")

    # Ctrl-C raises KeyboardInterrupt; a SIGTERM goes through the same clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        result = run(options)
    except KeyboardInterrupt:
        print("Interrupted; the server was stopped and the data removed.", file=sys.stderr)
        return 130
    except Exception as failure:
        traceback.print_exc()
        print(json.dumps({"error": f"{type(failure).__name__}: {failure}"[:500]}))
        return 1
    checks = target_checks(result)
    print_summary(result, options, checks)
    result["target_met"] = all(checks.values())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
