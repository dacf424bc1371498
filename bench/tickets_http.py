"""Tickets over HTTP at scale: customers opening requests and an agent reading the inbox,
on SQLite and then on PostgreSQL, against `pharos serve` (uvicorn, N worker processes)
loaded by a small asyncio client (raw streams, HTTP/1.1 keep-alive) on the same machine.

    .venv/bin/python bench/tickets_http.py [--conversations 100000] [--duration 15]
                                           [--skip-postgres]

For each database:

1. Prepare: `pharos migrate`, then (a helper process of this script under Django) one
   customer per 50 conversations, the measured agent in team general-support (and a few
   colleagues as assignees), and the conversations with one message each, bulk-created,
   spread over six months, topics, teams, channels, statuses and priorities, with unique
   references PH-YYYY-NNNNNN (the ReferenceCounter set to the last number used). Personal
   API tokens for the agent and a set of customers; a signed-in session for the agent.
2. Serve: `pharos serve --workers 2 --no-demo --no-worker` with rate limits off
   (PHAROS_RATE_LIMITS=false) and emails kept in memory (rendered, not sent).
3. Ticket creation: POST /api/v1/requests (JSON, a new submission key each time) with the
   tokens of rotating customers, 16 connections; only 201 answers count.
4. Agent inbox: GET /api/v1/console/conversations?view=open&limit=50 with the agent's token,
   and the console page /en/console/?view=open with the agent's session, 8 connections.

SQLite is a fresh file in a throw-away folder; PostgreSQL is the database `pharos_bench`
on 127.0.0.1, created at the start and dropped at the end (only that one is touched).
Prints a table per database and, as its very last line, one JSON object
{"sqlite": {...}, "postgresql": {...}}. The server and the databases are removed at the
end, on errors and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOST = "127.0.0.1"
PROJECT_DIR = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "pharos_bench"  # the only PostgreSQL database this script creates or drops
MIGRATE_TIMEOUT_SECONDS = 300
PREPARE_TIMEOUT_SECONDS = 1200
STARTUP_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 10
GRACE_SECONDS = 10  # requests still unanswered this long after a phase ends are errors
CONVERSATIONS_PER_CUSTOMER = 50
RESULT_MARKER = "PHAROS-BENCH-PREPARED "

TARGET_CREATE_PER_S = 300.0
TARGET_INBOX_P95_MS = 50.0


# --- the data (runs in a helper process, under Django) --------------------------------------------
TOPIC_WEIGHTS = {
    "deposits-withdrawals": 30, "other": 16, "getting-started": 10, "trading-rules": 10,
    "account-security": 8, "account-locked": 8, "complaint": 6, "api": 5, "suggestion": 4,
    "suspected-theft": 3,
}  # fmt: skip
STATUS_WEIGHTS = {
    "closed": 50, "resolved": 20, "queued": 10, "assigned": 8, "waiting_on_customer": 8,
    "bot": 4,
}  # fmt: skip
PRIORITY_WEIGHTS = {1: 15, 2: 55, 3: 20, 4: 10}
CHANNEL_WEIGHTS = {"web": 70, "chat": 15, "email": 10, "telegram": 5}
# (first response, resolution) minutes, as the default SLA policies of the migrations say
SLA_MINUTES = {1: (1440, 4320), 2: (240, 1440), 3: (60, 720), 4: (15, 240)}
SUBJECTS = [
    "Withdrawal pending for hours",
    "Deposit not credited",
    "Sent USDT on the wrong network",
    "Forgot the memo tag",
    "Cannot receive SMS code",
    "Lost my authenticator phone",
    "Account locked after password reset",
    "KYC verification failed",
    "API key rate limit",
    "Futures position liquidated unexpectedly",
    "P2P seller did not release coins",
    "Suspicious login from unknown device",
    "Fee charged twice",
    "How do I change my email",
    "提币一直在审核中",
    "充值没到账",
    "账户被锁了怎么解锁",
    "谷歌验证器丢了",
    "合约爆仓问题",
]
COLLEAGUES = [  # assignees besides the measured agent: (team, count)
    ("general-support", 5), ("security", 2), ("complaints-feedback", 1),
    ("vip-account-managers", 1),
]  # fmt: skip


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def prepare_data(conversation_count: int, customer_count: int, token_customers: int) -> dict:
    """Create the data set in the database of the environment; return the credentials."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.utils import timezone

    from pharos.accounts import services as accounts
    from pharos.accounts.models import Team
    from pharos.conversations.models import Conversation, Message, ReferenceCounter, Topic

    rng = random.Random(20261121)
    clock = time.perf_counter()
    teams = {team.slug: team for team in Team.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.select_related("default_team")}
    missing = {"general-support"} - set(teams) or set(TOPIC_WEIGHTS) - set(topics)
    if missing:
        raise RuntimeError(f"the migrations did not create {sorted(missing)}")

    with transaction.atomic():
        customers = [
            accounts.create_customer(
                uid=f"B{number:09d}",
                email=f"trader{number}@bench.example",
                display_name=f"Trader {number}",
                language="zh-hans" if number % 5 < 2 else "en",
            )
            for number in range(customer_count)
        ]
        agent = accounts.create_staff_member(
            email="agent@bench.example", role="agent", display_name="Bench Agent"
        )
        agent.teams.add(teams["general-support"])
        members: dict[str, list[Any]] = {slug: [agent.user] for slug in ["general-support"]}
        for slug, count in COLLEAGUES:
            for number in range(count):
                colleague = accounts.create_staff_member(
                    email=f"{slug}-{number}@bench.example", role="agent"
                )
                colleague.teams.add(teams[slug])
                members.setdefault(slug, []).append(colleague.user)
    people_s = time.perf_counter() - clock

    # bulk_create sets auto_now fields to "now"; here updated_at is the last activity.
    Conversation._meta.get_field("updated_at").auto_now = False
    now = timezone.now()
    span = timedelta(days=180)
    last_numbers: dict[int, int] = {}
    clock = time.perf_counter()
    batch_size = 2000
    for start in range(0, conversation_count, batch_size):
        batch: list[Conversation] = []
        first_messages: list[tuple[int, str]] = []  # (author, body)
        for index in range(start, min(start + batch_size, conversation_count)):
            # Spread evenly over the last six months, oldest first, so references grow.
            created = now - span + span * (index / conversation_count)
            created += timedelta(seconds=rng.random() * 60)
            year = created.year
            last_numbers[year] = last_numbers.get(year, 0) + 1
            topic = topics[_pick(rng, TOPIC_WEIGHTS)]
            team_slug = topic.default_team.slug
            if rng.random() < 0.08:  # transferred to another team
                team_slug = rng.choice(list(teams))
            status = _pick(rng, STATUS_WEIGHTS)
            priority = 4 if topic.urgent else _pick(rng, PRIORITY_WEIGHTS)
            channel = _pick(rng, CHANNEL_WEIGHTS)
            customer = customers[rng.randrange(len(customers))]
            first_minutes, resolution_minutes = SLA_MINUTES[priority]
            if topic.slug == "suspected-theft":
                first_minutes, resolution_minutes = 10, 120
            answered = status not in {"queued", "bot"}
            first_response_at = (
                created + timedelta(minutes=rng.uniform(1, first_minutes * 1.5))
                if answered
                else None
            )
            resolved_at = closed_at = None
            if status in {"resolved", "closed"}:
                resolved_at = created + timedelta(minutes=rng.uniform(5, resolution_minutes * 2))
                if status == "closed":
                    closed_at = resolved_at + timedelta(hours=rng.uniform(0, 72))
            last_activity = closed_at or resolved_at or first_response_at or created
            updated = min(last_activity + timedelta(minutes=rng.uniform(0, 30)), now)
            assignee = None
            if status != "bot" and (answered or rng.random() < 0.2):
                assignee = rng.choice(members.get(team_slug) or members["general-support"])
            batch.append(
                Conversation(
                    reference=f"PH-{year}-{last_numbers[year]:06d}",
                    channel=channel,
                    customer=customer,
                    topic=topic,
                    subject=rng.choice(SUBJECTS),
                    status=status,
                    priority=priority,
                    team=teams[team_slug],
                    assignee=assignee,
                    language=customer.user.preferred_language,
                    submission_key=uuid.UUID(int=rng.getrandbits(128)).hex
                    if channel == "web"
                    else None,
                    last_sequence=1,
                    created_at=created,
                    updated_at=updated,
                    last_customer_message_at=created,
                    first_response_at=first_response_at,
                    resolved_at=resolved_at,
                    closed_at=closed_at,
                    first_response_due_at=created + timedelta(minutes=first_minutes),
                    resolution_due_at=created + timedelta(minutes=resolution_minutes),
                    sla_paused_at=updated if status == "waiting_on_customer" else None,
                )
            )
            body = (
                f"Hello, {rng.choice(SUBJECTS).lower()}. Order {rng.getrandbits(40):x}, "
                "tried the help center already, please check my account. "
                + "Details follow. "
                * rng.randint(1, 8)
            )
            first_messages.append((customer.user_id, body))
        with transaction.atomic():
            Conversation.objects.bulk_create(batch)
            Message.objects.bulk_create(
                Message(
                    conversation=conversation,
                    sequence=1,
                    author_kind="customer",
                    author_id=author,
                    body=body,
                    created_at=conversation.created_at,
                )
                for conversation, (author, body) in zip(batch, first_messages, strict=True)
            )
    for year, number in last_numbers.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": number})
    conversations_s = time.perf_counter() - clock

    agent_token = accounts.issue_api_token(agent.user, "bench")
    token_holders = rng.sample(customers, min(token_customers, len(customers)))
    customer_tokens = [accounts.issue_api_token(c.user, "bench") for c in token_holders]
    session = SessionStore()
    session[SESSION_KEY] = str(agent.user.pk)
    session[BACKEND_SESSION_KEY] = "pharos.accounts.backends.EmailOrUidBackend"
    session[HASH_SESSION_KEY] = agent.user.get_session_auth_hash()
    session.create()

    clock = time.perf_counter()
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load; the planner needs it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - clock
    open_statuses = ["queued", "assigned", "waiting_on_customer", "bot"]
    visible_open = Conversation.objects.filter(
        team__slug="general-support", status__in=open_statuses
    ).count()
    return {
        "agent_token": agent_token,
        "customer_tokens": customer_tokens,
        "session_key": session.session_key,
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
        "customers": len(customers),
        "agent_open_conversations": visible_open,
        "people_s": round(people_s, 1),
        "conversations_s": round(conversations_s, 1),
        "analyze_s": round(analyze_s, 1),
    }


def prepare_main(arguments: list[str]) -> None:
    """The helper process: `tickets_http.py _prepare N CUSTOMERS TOKEN_CUSTOMERS`."""
    conversations, customers, token_customers = (int(value) for value in arguments)
    result = prepare_data(conversations, customers, token_customers)
    print(RESULT_MARKER + json.dumps(result), flush=True)


# --- databases and the server under test ----------------------------------------------------------
def pharos_command() -> Path:
    """`pharos` of the running interpreter's venv (else the project's .venv)."""
    beside = Path(sys.executable).parent / "pharos"
    return beside if beside.exists() else PROJECT_DIR / ".venv" / "bin" / "pharos"


def venv_python() -> Path:
    beside = pharos_command().parent / "python"
    return beside if beside.exists() else Path(sys.executable)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def checked_postgres_server(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in {HOST, "localhost"}:
        raise SystemExit(f"--postgres-server must be a PostgreSQL URL on {HOST}, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _admin(server: str, statement: str) -> None:
    import psycopg  # a dependency of pharos (psycopg[binary])

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=10) as admin:
        admin.execute(statement)


def drop_bench_database(server: str) -> None:
    """DROP DATABASE pharos_bench, ending the sessions still connected to it."""
    import psycopg

    try:
        _admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
    except psycopg.errors.SyntaxError:  # PostgreSQL before 13: no FORCE
        _admin(
            server,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608
            f"WHERE datname = '{BENCH_DATABASE}' AND pid <> pg_backend_pid()",
        )
        _admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


@contextlib.contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A fresh `pharos_bench` database, dropped on the way out (connections and all)."""
    drop_bench_database(server)  # left over by a run that was killed
    _admin(server, f'CREATE DATABASE "{BENCH_DATABASE}"')
    try:
        yield f"{server}/{BENCH_DATABASE}"
    finally:
        try:
            drop_bench_database(server)
        except Exception as failure:  # report it, and let the real error through
            print(f"Could not drop {BENCH_DATABASE}: {failure}", file=sys.stderr)


def server_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        PHAROS_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        PHAROS_RATE_LIMITS="false",
        PHAROS_DEBUG="false",
        PHAROS_LOG_LEVEL="WARNING",
        PHAROS_STAFF_2FA="false",  # the console page with a plain session
        PHAROS_EXCHANGE_GATEWAY="demo",
        # Acknowledgements are rendered and kept in memory, not printed to the log.
        PHAROS_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    environment.pop("PHAROS_REQUEST_THREADS", None)
    return environment


def prepare_database(
    environment: dict[str, str], conversations: int, customers: int, token_customers: int
) -> dict[str, Any]:
    subprocess.run(
        [str(pharos_command()), "migrate", "--verbosity", "0"],
        env=environment,
        check=True,
        timeout=MIGRATE_TIMEOUT_SECONDS,
        stdout=subprocess.DEVNULL,
    )
    environment = {**environment, "DJANGO_SETTINGS_MODULE": "pharos.settings"}
    finished = subprocess.run(
        [
            str(venv_python()),
            str(Path(__file__).resolve()),
            "_prepare",
            str(conversations),
            str(customers),
            str(token_customers),
        ],
        env=environment,
        check=True,
        timeout=PREPARE_TIMEOUT_SECONDS,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in reversed(finished.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line.removeprefix(RESULT_MARKER))
    raise RuntimeError("the data helper printed no result")


@contextlib.contextmanager
def running_server(
    environment: dict[str, str], port: int, workers: int, log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`pharos serve` in its own process group, stopped (group and all) on the way out."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(pharos_command()),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-demo",
                "--no-worker",
                "--log-level",
                "warning",
            ],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(process, port)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT_SECONDS), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # the server and its uvicorn workers
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
            return


def wait_until_healthy(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    request = f"GET /healthz HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pharos serve exited with status {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection((HOST, port), timeout=2) as connection,
        ):
            connection.sendall(request.encode())
            if connection.recv(64).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.2)
    raise RuntimeError(f"pharos serve did not answer /healthz within {STARTUP_TIMEOUT_SECONDS}s")


# --- CPU accounting (Linux /proc; figures are None elsewhere) ---------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_group_cpu_seconds(group: int) -> float | None:
    """User + system CPU of every live process in a process group (the server and its
    uvicorn workers)."""
    total = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat[2]) == group:  # fields after the name: state, ppid, pgrp, …
            total += int(stat[11]) + int(stat[12])  # utime, stime
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float | None:
    """CPU time spent by everything on the machine (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def measure(run: Callable[[], Tally], server_group: int) -> Tally:
    """Run one phase and attach the CPU it cost: server, client, whole machine."""
    server_before = process_group_cpu_seconds(server_group)
    machine_before = machine_busy_seconds()
    client_before = time.process_time()
    tally = run()
    tally.client_cpu_s = time.process_time() - client_before
    server_after = process_group_cpu_seconds(server_group)
    machine_after = machine_busy_seconds()
    if server_before is not None and server_after is not None:
        tally.server_cpu_s = server_after - server_before
    if machine_before is not None and machine_after is not None:
        tally.machine_busy_s = machine_after - machine_before
    return tally


# --- the load generator ----------------------------------------------------------------------
class ProtocolError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """One response: (status, keep the connection, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"bad status line {lines[0][:80]!r}")
    status = int(parts[1])
    length = -1
    chunked = False
    keep_alive = parts[0] == b"HTTP/1.1"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    body = b""
    if chunked:
        pieces = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            pieces.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(pieces)
    elif length >= 0:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()  # body until the server closes
        keep_alive = False
    return status, keep_alive, body


@dataclass
class Tally:
    expected: int = 200
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    samples: dict[int, bytes] = field(default_factory=dict)  # a body per unexpected status
    elapsed_s: float = 0.0
    server_cpu_s: float | None = None  # the server's processes, user + system
    client_cpu_s: float = 0.0
    machine_busy_s: float | None = None  # every process on the machine

    @property
    def successes(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        unexpected = sum(n for status, n in self.statuses.items() if status != self.expected)
        return unexpected + sum(self.failures.values())


RequestFactory = Callable[[int], bytes]


async def connection_loop(
    port: int, make_request: RequestFactory, start: int, deadline: float, tally: Tally
) -> None:
    """One keep-alive connection sending requests back to back until the deadline."""
    clock = time.perf_counter  # uvloop's loop.time() has only millisecond resolution
    index = start
    writer: asyncio.StreamWriter | None = None
    try:
        while clock() < deadline:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(HOST, port)
                except OSError as failure:
                    tally.failures[f"connect: {type(failure).__name__}"] += 1
                    await asyncio.sleep(0.05)
                    continue
            request = make_request(index)
            index += 1
            began = clock()
            try:
                writer.write(request)
                status, keep_alive, body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as failure:
                tally.failures[type(failure).__name__] += 1
                writer.close()
                writer = None
                continue
            if status == tally.expected:
                tally.latencies_ms.append((clock() - began) * 1000)
            else:
                tally.samples.setdefault(status, body[:300])
            tally.statuses[status] += 1
            if not keep_alive:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


async def drive(
    port: int, make_request: RequestFactory, connections: int, seconds: float, expected: int
) -> Tally:
    tally = Tally(expected=expected)
    began = time.perf_counter()
    deadline = began + seconds
    tasks = [
        asyncio.create_task(connection_loop(port, make_request, n * 7919, deadline, tally))
        for n in range(connections)
    ]
    _, stuck = await asyncio.wait(tasks, timeout=seconds + GRACE_SECONDS)
    for task in stuck:
        task.cancel()
        tally.failures["timeout"] += 1
    await asyncio.gather(*tasks, return_exceptions=True)
    tally.elapsed_s = time.perf_counter() - began
    return tally


def ticket_requests(port: int, customer_tokens: list[str]) -> RequestFactory:
    """POST /api/v1/requests; every request a new submission key (a new ticket)."""
    serial = itertools.count()
    run = uuid.uuid4().hex[:12]

    def make(index: int) -> bytes:
        number = next(serial)
        body = json.dumps(
            {
                "topic": "other",
                "subject": f"Benchmark request {number}",
                "description": "My withdrawal has been pending for two hours. "
                f"Order {number:08d}; please check.",
                "submission_key": f"{run}-{number}",
            }
        ).encode()
        token = customer_tokens[index % len(customer_tokens)]
        head = (
            f"POST /api/v1/requests HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"User-Agent: pharos-bench\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode("ascii") + body

    return make


def get_request(port: int, path: str, header: str) -> RequestFactory:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: pharos-bench\r\n"
        f"{header}\r\nAccept: */*\r\nAccept-Encoding: identity\r\n\r\n"
    ).encode("ascii")
    return lambda _index: request


# --- figures -----------------------------------------------------------------------------------
def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    rank = max(0, math.ceil(fraction * len(ordered)) - 1)  # nearest rank
    return ordered[min(rank, len(ordered) - 1)]


def summarise(tally: Tally) -> dict[str, float | int]:
    ordered = sorted(tally.latencies_ms)
    return {
        "requests": tally.successes + tally.errors,
        "ok": tally.successes,
        "errors": tally.errors,
        "rps": tally.successes / tally.elapsed_s if tally.elapsed_s else 0.0,
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
        "p99_ms": percentile(ordered, 0.99),
        "server_cpu_ms": (
            tally.server_cpu_s * 1000 / tally.successes
            if tally.server_cpu_s is not None and tally.successes
            else float("nan")
        ),
        "client_cpu_ms": (
            tally.client_cpu_s * 1000 / tally.successes if tally.successes else float("nan")
        ),
        # CPU used meanwhile by everything but the server and this client, in cores (the
        # PostgreSQL server included).
        "other_cores": (
            max(0.0, tally.machine_busy_s - (tally.server_cpu_s or 0.0) - tally.client_cpu_s)
            / tally.elapsed_s
            if tally.machine_busy_s is not None and tally.elapsed_s
            else float("nan")
        ),
    }


def figure(value: float | int, digits: int = 2) -> float | None:
    """A number for the JSON line (null when there was nothing to measure)."""
    return None if math.isnan(value) else round(float(value), digits)


def print_table(title: str, rows: dict[str, dict[str, float | int]]) -> None:
    header = f"{'scenario':<16}{'requests':>9}{'ok':>8}{'errors':>8}{'per s':>9}"
    header += f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'srv CPU ms':>12}{'other cores':>13}"
    print(f"\n{title}")
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(
            f"{name:<16}{row['requests']:>9}{row['ok']:>8}{row['errors']:>8}{row['rps']:>9.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['server_cpu_ms']:>12.2f}{row['other_cores']:>13.2f}"
        )


def describe_failures(name: str, tally: Tally) -> None:
    odd = {status: n for status, n in tally.statuses.items() if status != tally.expected}
    if odd or tally.failures:
        print(f"  {name}: unexpected statuses {odd or '{}'}; failures {dict(tally.failures)}")
        for status, body in tally.samples.items():
            print(f"    {status}: {body.decode(errors='replace')[:200]!r}")


# --- one database ---------------------------------------------------------------------------------
def new_event_loop_factory() -> tuple[Callable[[], asyncio.AbstractEventLoop], str]:
    try:
        import uvloop  # installed with uvicorn[standard]; a cheaper client
    except ImportError:
        return asyncio.new_event_loop, "asyncio"
    return uvloop.new_event_loop, "uvloop"


def run_database(label: str, database_url: str | None, options: argparse.Namespace) -> dict:
    """Prepare, serve and load one database; the figures for the JSON line."""
    loop_factory, loop_name = new_event_loop_factory()
    data_dir = Path(tempfile.mkdtemp(prefix=f"pharos-bench-tickets-{label}-"))
    try:
        url = database_url or f"sqlite:///{data_dir / 'pharos.sqlite3'}"
        environment = server_environment(data_dir, url)
        customers = options.customers or max(1, options.conversations // CONVERSATIONS_PER_CUSTOMER)
        where = (
            data_dir if database_url is None else f"{BENCH_DATABASE} on {urlsplit(url).hostname}"
        )
        print(
            f"\n[{label}] Preparing {options.conversations:,} conversations and {customers:,} "
            f"customers in {where} …",
            flush=True,
        )
        began = time.perf_counter()
        prepared = prepare_database(
            environment, options.conversations, customers, options.token_customers
        )
        prepare_s = time.perf_counter() - began
        print(
            f"[{label}] Prepared in {prepare_s:.0f} s (people {prepared['people_s']} s, "
            f"conversations {prepared['conversations_s']} s, analyze {prepared['analyze_s']} s): "
            f"{prepared['conversations']:,} conversations, {prepared['messages']:,} messages; "
            f"the agent's team has {prepared['agent_open_conversations']:,} open ones.",
            flush=True,
        )
        port = free_port()
        agent_auth = f"Authorization: Bearer {prepared['agent_token']}"
        session_cookie = f"Cookie: sessionid={prepared['session_key']}"
        scenarios: dict[str, tuple[RequestFactory, int, int]] = {
            "create ticket": (
                ticket_requests(port, prepared["customer_tokens"]),
                options.create_connections,
                201,
            ),
            "inbox API": (
                get_request(port, "/api/v1/console/conversations?view=open&limit=50", agent_auth),
                options.inbox_connections,
                200,
            ),
        }
        if not options.skip_html:
            scenarios["inbox page"] = (
                get_request(port, "/en/console/?view=open", session_cookie),
                options.inbox_connections,
                200,
            )
        print(
            f"[{label}] Serving on http://{HOST}:{port} with {options.workers} workers, rate "
            f"limits OFF; client {loop_name}, {options.warmup:g} s warm-up then "
            f"{options.duration:g} s per scenario.",
            flush=True,
        )
        tallies: dict[str, Tally] = {}
        with (
            running_server(environment, port, options.workers, data_dir / "server.log") as server,
            asyncio.Runner(loop_factory=loop_factory) as runner,
        ):
            for name, (make_request, connections, expected) in scenarios.items():
                if options.warmup > 0:
                    runner.run(drive(port, make_request, connections, options.warmup, expected))
                load = drive(port, make_request, connections, options.duration, expected)
                tallies[name] = measure(partial(runner.run, load), server_group=server.pid)
                print(
                    f"[{label}] {name}: {tallies[name].successes} ok, "
                    f"{tallies[name].errors} errors",
                    flush=True,
                )
        rows = {name: summarise(tally) for name, tally in tallies.items()}
        print_table(
            f"{label} ({options.conversations:,} conversations, {connections_note(options)})", rows
        )
        for name, tally in tallies.items():
            describe_failures(name, tally)
        if any(tally.errors for tally in tallies.values()):
            log_tail = (data_dir / "server.log").read_text(errors="replace")[-3000:]
            print("Server log (end):\n" + log_tail)
        return figures(rows, prepared, prepare_s)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def connections_note(options: argparse.Namespace) -> str:
    return (
        f"{options.create_connections} connections creating, {options.inbox_connections} "
        f"reading, {options.workers} workers"
    )


def figures(rows: dict[str, dict[str, float | int]], prepared: dict, prepare_s: float) -> dict:
    create, api = rows["create ticket"], rows["inbox API"]
    result: dict[str, Any] = {
        "create_per_s": figure(create["rps"], 1),
        "create_p50_ms": figure(create["p50_ms"]),
        "create_p95_ms": figure(create["p95_ms"]),
        "create_p99_ms": figure(create["p99_ms"]),
        "create_created": create["ok"],
        "create_errors": create["errors"],
        "create_server_cpu_ms": figure(create["server_cpu_ms"]),
        "inbox_rps": figure(api["rps"], 1),
        "inbox_p50_ms": figure(api["p50_ms"]),
        "inbox_p95_ms": figure(api["p95_ms"]),
        "inbox_p99_ms": figure(api["p99_ms"]),
        "inbox_errors": api["errors"],
        "inbox_server_cpu_ms": figure(api["server_cpu_ms"]),
    }
    if page := rows.get("inbox page"):
        result.update(
            inbox_page_rps=figure(page["rps"], 1),
            inbox_page_p50_ms=figure(page["p50_ms"]),
            inbox_page_p95_ms=figure(page["p95_ms"]),
            inbox_page_errors=page["errors"],
            inbox_page_server_cpu_ms=figure(page["server_cpu_ms"]),
        )
    result.update(
        errors=sum(int(row["errors"]) for row in rows.values()),
        other_load_cores=figure(max(float(row["other_cores"]) for row in rows.values())),
        conversations=prepared["conversations"],
        agent_open_conversations=prepared["agent_open_conversations"],
        prepare_s=round(prepare_s, 1),
        create_target_met=bool(create["rps"] >= TARGET_CREATE_PER_S),
        inbox_target_met=bool(api["p95_ms"] <= TARGET_INBOX_P95_MS),
    )
    return result


# --- main ----------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument(
        "--customers", type=int, default=0, help="default: one per 50 conversations"
    )
    parser.add_argument("--token-customers", type=int, default=200, help="customers posting")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each scenario")
    parser.add_argument("--create-connections", type=int, default=16)
    parser.add_argument("--inbox-connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-html", action="store_true", help="no console page scenario")
    parser.add_argument("--postgres-server", default=POSTGRES_SERVER, help="on 127.0.0.1")
    options = parser.parse_args()
    if (
        options.conversations < 1
        or options.duration <= 0
        or options.warmup < 0
        or options.token_customers < 1
        or min(options.create_connections, options.inbox_connections, options.workers) < 1
    ):
        parser.error("counts, connections, workers and --duration must be positive")
    server = checked_postgres_server(options.postgres_server)

    # Ctrl-C raises KeyboardInterrupt; a SIGTERM goes through the same clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    results: dict[str, dict[str, Any]] = {}
    failed = False
    try:
        for label in ("sqlite", "postgresql"):
            if label == "postgresql" and options.skip_postgres:
                results[label] = {"skipped": True}
                continue
            try:
                if label == "sqlite":
                    results[label] = run_database(label, None, options)
                else:
                    with postgres_database(server) as url:
                        results[label] = run_database(label, url, options)
            except Exception as failure:  # the other database still runs
                traceback.print_exc()
                results[label] = {"error": f"{type(failure).__name__}: {failure}"[:500]}
                failed = True
    except KeyboardInterrupt:
        print("Interrupted; the server was stopped and the databases removed.", file=sys.stderr)
        return 130
    print()
    for label, result in results.items():
        if "create_per_s" in result:
            print(
                f"{label}: {result['create_per_s']} tickets/s (target >= {TARGET_CREATE_PER_S:g}: "
                f"{'met' if result['create_target_met'] else 'MISSED'}), inbox p95 "
                f"{result['inbox_p95_ms']} ms (target <= {TARGET_INBOX_P95_MS:g}: "
                f"{'met' if result['inbox_target_met'] else 'MISSED'})"
            )
    print(
        json.dumps(
            {"sqlite": results.get("sqlite", {}), "postgresql": results.get("postgresql", {})}
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_prepare"]:
        prepare_main(sys.argv[2:])
    else:
        sys.exit(main())
