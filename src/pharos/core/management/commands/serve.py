from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from pharos.bot import knowledge
from pharos.core.server import ServerOptions, default_worker_count, die_with_parent, serve
from pharos.livechat.layer import broker_socket


class Command(BaseCommand):
    help = (
        "Serve Pharos with uvicorn. On first start the database is migrated and, when empty, "
        "loaded with the demo data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_worker_count(),
            help="Server processes (default: PHAROS_WEB_WORKERS, or cores + 1, at most 8).",
        )
        parser.add_argument("--no-demo", action="store_true", help="Never load demo data.")
        parser.add_argument("--log-level", default="info")
        parser.add_argument(
            "--no-mail",
            action="store_true",
            help="Do not receive mail (the SMTP server on PHAROS_SMTP_HOST:PHAROS_SMTP_PORT and "
            "IMAP polling); run `pharos mail_server` elsewhere.",
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=settings.TASK_WORKERS,
            help="Background task workers to start (default: PHAROS_TASK_WORKERS, or 1).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background task worker (run `pharos db_worker` elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        _refresh_query_planner_statistics()
        if _database_is_empty():
            if settings.DEMO_MODE and not options["no_demo"]:
                self.stdout.write("Empty database: loading the demo data…")
                call_command("demo")
            else:
                self.stdout.write(
                    "Empty database, demo data not loaded (PHAROS_DEMO is off). Create staff "
                    "with `pharos createagent EMAIL --role support_admin`."
                )
        self.stdout.write("Preparing the answer bot (the first start embeds its questions)…")
        self.stdout.write(f"The answer bot knows {knowledge.warm_up()} entries.")
        self.stdout.write(
            f"Pharos is serving http://{options['host']}:{options['port']} "
            f"(database: {connection.vendor})"
        )
        socket_path = broker_socket()
        helpers = [_start_chat_broker(socket_path)] if socket_path else []
        if not options["no_worker"]:
            helpers += [_start_task_worker() for _ in range(max(1, options["task_workers"]))]
        if settings.MAIL_SMTP_HOST and not options["no_mail"]:
            helpers.append(_start_mail_server())
            self.stdout.write(
                f"Receiving mail on smtp://{settings.MAIL_SMTP_HOST}:{settings.MAIL_SMTP_PORT}"
            )
        try:
            self._serve(options)
        finally:
            for helper in helpers:
                helper.terminate()
                helper.wait(timeout=15)

    def _serve(self, options: dict[str, Any]) -> None:
        serve(
            ServerOptions(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                log_level=options["log_level"],
                trusted_proxies=tuple(settings.TRUSTED_PROXIES),
            )
        )


def _start_chat_broker(socket_path: Path) -> subprocess.Popen[bytes]:
    """Without Redis, the chat's events travel between processes through our broker
    (decision 0003); it is listening before the first request. (A socket file left by
    the last run is no sign of that: it is removed first.)"""
    socket_path.unlink(missing_ok=True)
    broker = subprocess.Popen(
        [sys.executable, "-m", "pharos.cli", "chat_broker"], preexec_fn=die_with_parent
    )
    deadline = time.monotonic() + 15
    while broker.poll() is None and time.monotonic() < deadline:
        if socket_path.exists():
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                if probe.connect_ex(str(socket_path)) == 0:
                    break
        time.sleep(0.05)
    return broker


def _start_task_worker() -> subprocess.Popen[bytes]:
    """The background task worker (SLA checks, emails) beside the web server, so one
    command runs everything; a larger deployment runs `pharos db_worker` on its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "pharos.cli", "db_worker", "--interval", "1", "--no-startup-delay"],
        preexec_fn=die_with_parent,
    )


def _start_mail_server() -> subprocess.Popen[bytes]:
    """Mail in (the SMTP server and IMAP polling) in a process of its own: it only stores
    each message and queues it; the task worker does the rest."""
    return subprocess.Popen(
        [sys.executable, "-m", "pharos.cli", "mail_server"], preexec_fn=die_with_parent
    )


def _refresh_query_planner_statistics() -> None:
    """SQLite keeps no statistics unless asked, and then picks poor indexes for the inbox;
    PostgreSQL's autovacuum does this by itself."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _database_is_empty() -> bool:
    from pharos.accounts.models import User
    from pharos.helpcenter.models import Article

    return not User.objects.exists() and not Article.objects.exists()
