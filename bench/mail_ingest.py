"""Email in at volume: N messages sent concurrently over SMTP to the built-in server of one
`pharos serve` (its SMTP server and its task worker, on SQLite by default), then waited
for until each is a ticket.

    .venv/bin/python bench/mail_ingest.py [--messages 1000] [--concurrency 20]
                                          [--database sqlite|postgres]

The messages are a realistic mix: English and Chinese (GB2312, base64), one in ten with a
screenshot (a PNG, re-encoded by the upload checks), every sender different (as from a
relay: the connecting address is listed in PHAROS_MAIL_RELAYS, the per-sender limit
applies). Acknowledgements are rendered and handed to Django's in-memory mail backend.

Figures: "accepted" is what the SMTP server answered 250 to; "ticketed" the messages that
became a conversation; messages/s is ticketed messages over the time from the first
accept to the last ticket (the database's own timestamps), so it is the whole path:
SMTP, storing the raw message, the queue, parsing, threading, the conversation, the
acknowledgement. The last line is one JSON object."""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import json
import os
import shutil
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from harness import (
    BOT_CACHE_DIR,
    HOST,
    free_port,
    migrate,
    pharos_command,
    stop,
    wait_until_healthy,
)

DOMAIN = "tidewell.example"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
MIGRATE_TIMEOUT_SECONDS = 300
DRAIN_TIMEOUT_SECONDS = 300


def build_message(number: int, screenshot: bytes) -> tuple[str, bytes]:
    sender = f"trader{number}@example.com"
    message = EmailMessage()
    message["From"] = f"Trader {number} <{sender}>"
    message["To"] = f"{('support', 'security', 'feedback')[number % 3]}@{DOMAIN}"
    message["Message-ID"] = make_msgid(domain="example.com")
    if number % 2:
        message["Subject"] = f"充值没到账 #{number}"
        message.set_content(
            f"您好，我在两小时前通过 TRC20 充值了 {number} USDT，"
            f"交易哈希 0x{number:064x}，还没到账。",
            charset="gb2312",
        )
    else:
        message["Subject"] = f"Withdrawal under review #{number}"
        message.set_content(
            f"Hello, my BTC withdrawal W{number} has been under review since yesterday.\n\n"
            "On Mon, Tidewell support wrote:\n> We are checking it.\n"
        )
    if number % 10 == 0:
        message.add_attachment(screenshot, maintype="image", subtype="png", filename="screen.png")
    return sender, message.as_bytes()


def screenshot_png() -> bytes:
    # A small real PNG made by hand (no Pillow needed on the client side).
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC"
    )


def send_share(port: int, messages: list[tuple[str, bytes, str]]) -> tuple[int, list[str]]:
    """One connection (as a relay keeps one) sending its share; accepted count, errors."""
    accepted, errors = 0, []
    with smtplib.SMTP(HOST, port, timeout=60) as client:
        for sender, raw, recipient in messages:
            try:
                client.sendmail(sender, [recipient], raw)
                accepted += 1
            except smtplib.SMTPException as failure:
                errors.append(str(failure)[:200])
    return accepted, errors


def wait_for_smtp(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), smtplib.SMTP(HOST, port, timeout=5) as client:
            client.noop()
            return
        time.sleep(0.2)
    raise RuntimeError("the SMTP server did not start")


def counts(database: Path | None, url: str) -> dict[str, int]:
    query = "SELECT state, COUNT(*) FROM mail_inboundmail GROUP BY state"
    if database is not None:
        with contextlib.closing(
            sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
        ) as db:
            return dict(db.execute(query).fetchall())
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        return dict(db.execute(query).fetchall())  # type: ignore[arg-type]


def timings(database: Path | None, url: str) -> list[tuple[datetime, datetime]]:
    query = (
        "SELECT received_at, processed_at FROM mail_inboundmail "
        "WHERE state = 'processed' ORDER BY received_at"
    )
    if database is not None:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            rows = db.execute(query).fetchall()
        return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in rows]
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        return list(db.execute(query).fetchall())  # type: ignore[arg-type]


def empty_postgres(url: str) -> None:
    """A new, empty schema: the migrations then make the default mailboxes again (a
    flush would leave the tables empty and the migrations recorded as run)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--task-workers", type=int, default=1)
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="pharos-mail-bench-"))
    if options.database == "sqlite":
        database: Path | None = data_dir / "pharos.sqlite3"
        url = f"sqlite:///{database}"
    else:
        database, url = None, POSTGRES_URL
    smtp_port, http_port = free_port(), free_port()
    environment = {
        **os.environ,
        "PHAROS_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "PHAROS_BOT_CACHE_DIR": str(BOT_CACHE_DIR),
        "PHAROS_DEBUG": "false",
        "PHAROS_SMTP_PORT": str(smtp_port),
        "PHAROS_MAIL_RELAYS": "127.0.0.1/32",
        "PHAROS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    if options.database == "postgres":
        empty_postgres(url)
    migrate(environment, MIGRATE_TIMEOUT_SECONDS)
    screenshot = screenshot_png()
    messages = []
    for number in range(options.messages):
        sender, raw = build_message(number, screenshot)
        messages.append(
            (sender, raw, f"{('support', 'security', 'feedback')[number % 3]}@{DOMAIN}")
        )
    shares = [messages[index :: options.concurrency] for index in range(options.concurrency)]
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(pharos_command()), "serve", "--host", HOST, "--port", str(http_port),
             "--workers", "1", "--task-workers", str(options.task_workers), "--no-demo",
             "--log-level", "warning"],
            env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_healthy(server, http_port)
        wait_for_smtp(smtp_port)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(options.concurrency) as pool:
            results = list(pool.map(lambda share: send_share(smtp_port, share), shares))
        accept_seconds = time.monotonic() - started
        accepted = sum(count for count, _ in results)
        errors = [error for _, errs in results for error in errs]
        deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
        seen, last_progress = {}, time.monotonic()
        while time.monotonic() < deadline:
            now_counts = counts(database, url)
            if now_counts != seen:
                seen, last_progress = now_counts, time.monotonic()
            if sum(v for k, v in seen.items() if k not in {"received", "processing"}) >= accepted:
                break
            if time.monotonic() - last_progress > 60:
                break
            time.sleep(0.25)
        pairs = timings(database, url)
    finally:
        stop(server)
    ticketed = len(pairs)
    if pairs:
        span = (
            max(done for _, done in pairs) - min(received for received, _ in pairs)
        ).total_seconds()
        latencies = [(done - received).total_seconds() * 1000 for received, done in pairs]
    else:
        span, latencies = 0.0, []
    rate = ticketed / span if span else 0.0
    # The workers' pace alone: tickets made after the last message was accepted.
    last_accept = max((received for received, _ in pairs), default=None)
    after = sorted(done for _, done in pairs if last_accept and done > last_accept)
    drain_seconds = (after[-1] - last_accept).total_seconds() if after and last_accept else 0.0
    drain_rate = len(after) / drain_seconds if drain_seconds else 0.0
    figures = {
        "database": options.database,
        "sent": len(messages),
        "accepted": accepted,
        "refused": len(errors),
        "ticketed": ticketed,
        "states": seen,
        "accept_per_s": round(accepted / accept_seconds, 1) if accept_seconds else None,
        "messages_per_s": round(rate, 1),
        "after_last_accept_per_s": round(drain_rate, 1),
        "accept_to_ticket_p50_ms": round(percentile(latencies, 0.5), 1),
        "accept_to_ticket_p95_ms": round(percentile(latencies, 0.95), 1),
    }
    print(f"{'messages sent':<32}{figures['sent']:>10}")
    print(f"{'accepted (250)':<32}{accepted:>10}")
    print(f"{'refused':<32}{len(errors):>10}")
    print(f"{'ticketed':<32}{ticketed:>10}")
    print(f"{'states':<32}{json.dumps(seen):>10}")
    print(f"{'accepted per second':<32}{figures['accept_per_s']:>10}")
    print(f"{'accept to ticket, messages/s':<32}{figures['messages_per_s']:>10}")
    print(f"{'tickets/s after the last accept':<32}{figures['after_last_accept_per_s']:>10}")
    p50, p95 = figures["accept_to_ticket_p50_ms"], figures["accept_to_ticket_p95_ms"]
    print(f"{'accept to ticket p50 / p95 ms':<32}{p50:>10} / {p95}")
    if errors:
        print("first refusal:", errors[0], file=sys.stderr)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
