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
2. Serve: `pharos serve --no-demo --no-worker` (its default processes: cores + 1) with
   rate limits off (PHAROS_RATE_LIMITS=false). The task worker is not started: the
   acknowledgements and SLA checks the tickets queue stay queued.
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
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import (
    BOT_CACHE_DIR,
    HOST,
    figure,
    free_port,
    measure,
    migrate,
    new_event_loop_factory,
    pharos_command,
    run_data_script,
    stop,
    wait_until_healthy,
)
from loadclient import RequestFactory, Tally, describe_failures, drive, summarise
from tickets_data import CONVERSATIONS_PER_CUSTOMER

from pharos.core.server import default_worker_count

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "pharos_bench"  # the only PostgreSQL database this script creates or drops
MIGRATE_TIMEOUT_SECONDS = 300
PREPARE_TIMEOUT_SECONDS = 1200

TARGET_CREATE_PER_S = 300.0
TARGET_INBOX_P95_MS = 50.0


# --- databases and the server under test ----------------------------------------------------------


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
        # The answer bot's embeddings, kept across runs: the server starts in seconds.
        PHAROS_BOT_CACHE_DIR=str(BOT_CACHE_DIR),
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
    migrate(environment, MIGRATE_TIMEOUT_SECONDS)
    arguments = [str(conversations), str(customers), str(token_customers)]
    return dict(run_data_script("tickets_data.py", arguments, environment, PREPARE_TIMEOUT_SECONDS))


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
                "--no-mail",
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


# --- CPU accounting (Linux /proc; figures are None elsewhere) ---------------------------------


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


# --- one database ---------------------------------------------------------------------------------


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
    parser.add_argument(
        "--workers",
        type=int,
        default=default_worker_count(),
        help="server processes (default: as `pharos serve`, cores + 1)",
    )
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
    sys.exit(main())
