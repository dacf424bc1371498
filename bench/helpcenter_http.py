"""The help center over HTTP: `pharos serve` (uvicorn, N worker processes) on a throw-away
SQLite database with the demo data, loaded by a small asyncio client (raw streams, HTTP/1.1
keep-alive) running on the same machine.

    .venv/bin/python bench/helpcenter_http.py [--duration 15] [--connections 32] [--workers N]

Scenarios: (a) article pages, English and Chinese, every published demo article; (b) the
search API with a mix of 40 English and Chinese queries. Rate limits are switched off for
the server under test (PHAROS_RATE_LIMITS=false). Only 200 responses count as successes.
Prints a table and, as its last line, one JSON object (article_rps, article_p50_ms, …).
Only 127.0.0.1 is used; the server is stopped at the end, on errors and on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlencode

from harness import (
    BOT_CACHE_DIR,
    HOST,
    figure,
    free_port,
    measure,
    new_event_loop_factory,
    pharos_command,
    stop,
    wait_until_healthy,
)
from loadclient import RequestFactory, Tally, describe_failures, drive, summarise

from pharos.core.server import default_worker_count

COMMAND_TIMEOUT_SECONDS = 180

QUERIES = [
    ("提币", "zh-hans"), ("钱提不出来", "zh-hans"), ("充错链了", "zh-hans"),
    ("收不到验证码", "zh-hans"), ("提现一直在审核", "zh-hans"), ("提幣審核中", "zh-hans"),
    ("充值没到账", "zh-hans"), ("忘了填memo", "zh-hans"), ("谷歌验证器丢了", "zh-hans"),
    ("防钓鱼码是什么", "zh-hans"), ("账号被盗了", "zh-hans"), ("账户被锁了怎么解锁", "zh-hans"),
    ("忘记密码", "zh-hans"), ("实名认证失败", "zh-hans"), ("合约爆仓", "zh-hans"),
    ("挂单吃单手续费", "zh-hans"), ("卖家不放币", "zh-hans"), ("提币手续费多少", "zh-hans"),
    ("API 限频", "zh-hans"), ("怎么联系人工客服", "zh-hans"),
    ("withdraw", "en"), ("my withdrawal is stuck", "en"), ("withdrawl pending", "en"),
    ("deposit not credited", "en"), ("sent USDT on the wrong network", "en"),
    ("forgot the memo tag", "en"), ("not receiving sms code", "en"),
    ("lost phone with authenticator", "en"), ("anti-phishing code", "en"),
    ("ACCOUNT LOCKED", "en"), ("someone hacked my account", "en"), ("reset password", "en"),
    ("how do I turn off google authenticator", "en"), ("KYC levels limits", "en"),
    ("liquidation price", "en"), ("maker taker fees", "en"), ("api key permissions", "en"),
    ("429 too many requests", "en"), ("提币", "en"), ("withdraw", "zh-hans"),
]  # fmt: skip


# --- the server under test ---------------------------------------------------------------


def server_environment(data_dir: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        PHAROS_DATA_DIR=str(data_dir),
        # The answer bot's embeddings, kept across runs: the server starts in seconds.
        PHAROS_BOT_CACHE_DIR=str(BOT_CACHE_DIR),
        # Never the developer's database (nor PostgreSQL): a fresh SQLite file.
        DATABASE_URL=f"sqlite:///{data_dir / 'pharos.sqlite3'}",
        PHAROS_RATE_LIMITS="false",
        PHAROS_DEBUG="false",
        PHAROS_LOG_LEVEL="WARNING",
    )
    return environment


def prepare_database(environment: dict[str, str]) -> None:
    for arguments in (["migrate", "--verbosity", "0"], ["demo"]):
        subprocess.run(
            [str(pharos_command()), *arguments],
            env=environment,
            check=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL,
        )


def published_slugs(data_dir: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(data_dir / "pharos.sqlite3")) as database:
        rows = database.execute(
            "SELECT slug FROM helpcenter_article WHERE status = 'published' ORDER BY slug"
        ).fetchall()
    return [slug for (slug,) in rows]


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


def get_requests(port: int, paths: list[str]) -> RequestFactory:
    """GET the paths in turn (each connection starts at a different one)."""
    requests = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: pharos-bench\r\n"
            "Accept: */*\r\nAccept-Encoding: identity\r\n\r\n"
        ).encode("ascii")
        for path in paths
    ]
    return lambda index: requests[index % len(requests)]


def article_paths(slugs: list[str]) -> list[str]:
    return [f"/{language}/articles/{slug}/" for slug in slugs for language in ("en", "zh-hans")]


def search_paths() -> list[str]:
    return [
        "/api/v1/helpcenter/search?" + urlencode({"q": query, "lang": lang}, quote_via=quote)
        for query, lang in QUERIES
    ]


# --- figures -----------------------------------------------------------------------------------


def print_table(rows: dict[str, dict[str, float | int]]) -> None:
    header = f"{'scenario':<14}{'requests':>10}{'errors':>8}{'rps':>9}"
    header += f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'server CPU ms/req':>19}"
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(
            f"{name:<14}{row['requests']:>10}{row['errors']:>8}{row['rps']:>9.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['server_cpu_ms']:>19.2f}"
        )
    cores = os.cpu_count() or 1
    for name, row in rows.items():
        note = f"{name}: client CPU {row['client_cpu_ms']:.2f} ms/request"
        if not math.isnan(float(row["other_cores"])):
            note += f"; other processes used {row['other_cores']:.2f} of {cores} cores"
            if row["other_cores"] > 0.25:
                note += " (the machine was busy: rps and latencies are lower than they should be)"
        print(note)


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_worker_count(),
        help="server processes (default: as `pharos serve`, cores + 1)",
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each scenario")
    options = parser.parse_args()
    if options.duration <= 0 or options.connections < 1 or options.workers < 1:
        parser.error("--duration, --connections and --workers must be positive")

    # Ctrl-C raises KeyboardInterrupt; a SIGTERM goes through the same clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    loop_factory, loop_name = new_event_loop_factory()
    data_dir = Path(tempfile.mkdtemp(prefix="pharos-bench-http-"))
    try:
        environment = server_environment(data_dir)
        print(f"Preparing a throw-away SQLite database with the demo data in {data_dir} …")
        prepare_database(environment)
        slugs = published_slugs(data_dir)
        if not slugs:
            raise RuntimeError("the demo data has no published articles")
        port = free_port()
        print(
            f"Serving on http://{HOST}:{port} with {options.workers} uvicorn workers; "
            "rate limits are OFF for this benchmark (PHAROS_RATE_LIMITS=false)."
        )
        print(
            f"Client: {options.connections} keep-alive connections ({loop_name}), "
            f"{options.warmup:g} s warm-up then {options.duration:g} s per scenario; "
            f"{len(slugs)} articles x 2 languages, {len(QUERIES)} search queries."
        )
        scenarios = {
            "article pages": article_paths(slugs),
            "search API": search_paths(),
        }
        tallies: dict[str, Tally] = {}
        with (
            running_server(environment, port, options.workers, data_dir / "server.log") as server,
            asyncio.Runner(loop_factory=loop_factory) as runner,
        ):
            for name, paths in scenarios.items():
                requests = get_requests(port, paths)
                if options.warmup > 0:
                    runner.run(drive(port, requests, options.connections, options.warmup, 200))
                load = drive(port, requests, options.connections, options.duration, 200)
                tallies[name] = measure(partial(runner.run, load), server_group=server.pid)
        rows = {name: summarise(tally) for name, tally in tallies.items()}
        print()
        print_table(rows)
        for name, tally in tallies.items():
            describe_failures(name, tally)
        if any(tally.errors for tally in tallies.values()):
            log_tail = (data_dir / "server.log").read_text(errors="replace")[-2000:]
            print("Server log (end):\n" + log_tail)
        article, search = rows["article pages"], rows["search API"]
        print(
            json.dumps(
                {
                    "article_rps": figure(article["rps"], 1),
                    "article_p50_ms": figure(article["p50_ms"]),
                    "article_p95_ms": figure(article["p95_ms"]),
                    "article_p99_ms": figure(article["p99_ms"]),
                    "article_requests": article["requests"],
                    "search_api_rps": figure(search["rps"], 1),
                    "search_api_p50_ms": figure(search["p50_ms"]),
                    "search_api_p95_ms": figure(search["p95_ms"]),
                    "search_api_p99_ms": figure(search["p99_ms"]),
                    "search_api_requests": search["requests"],
                    "article_server_cpu_ms_per_request": figure(article["server_cpu_ms"]),
                    "search_api_server_cpu_ms_per_request": figure(search["server_cpu_ms"]),
                    "other_load_cores": figure(
                        max(float(article["other_cores"]), float(search["other_cores"]))
                    ),
                    "errors": int(article["errors"]) + int(search["errors"]),
                    "workers": options.workers,
                    "connections": options.connections,
                    "duration_s": options.duration,
                    "rate_limits": False,
                }
            )
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("Interrupted; the server was stopped.", file=sys.stderr)
        sys.exit(130)
