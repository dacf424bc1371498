from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Pharos with uvicorn. On first start the database is migrated and, when empty, "
        "loaded with the demo data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="Server processes.")
        parser.add_argument("--no-demo", action="store_true", help="Never load demo data.")
        parser.add_argument("--log-level", default="info")
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
        self.stdout.write(
            f"Pharos is serving http://{options['host']}:{options['port']} "
            f"(database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        worker = None if options["no_worker"] else _start_task_worker()
        try:
            self._serve(options)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=15)

    def _serve(self, options: dict[str, Any]) -> None:
        uvicorn.run(
            "pharos.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            log_level=options["log_level"],
            lifespan="off",
            # Behind a reverse proxy, trust its X-Forwarded-For so rate limits and the
            # audit log see the visitor's address, not the proxy's.
            proxy_headers=bool(settings.TRUSTED_PROXIES),
            forwarded_allow_ips=",".join(settings.TRUSTED_PROXIES) or None,
        )


def _start_task_worker() -> subprocess.Popen[bytes]:
    """The background task worker (SLA checks, emails) beside the web server, so one
    command runs everything; a larger deployment runs `pharos db_worker` on its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "pharos.cli", "db_worker", "--interval", "1", "--no-startup-delay"],
        preexec_fn=_die_with_parent,
    )


def _die_with_parent() -> None:
    """uvicorn ends the server by re-raising SIGTERM, so no `finally` of ours runs: ask the
    kernel to stop the worker when the server process goes (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # elsewhere the worker is stopped by the `finally` above when it runs


def _refresh_query_planner_statistics() -> None:
    """SQLite keeps no statistics unless asked, and then picks poor indexes for the inbox;
    PostgreSQL's autovacuum does this by itself."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _database_is_empty() -> bool:
    from pharos.accounts.models import User
    from pharos.helpcenter.models import Article

    return not User.objects.exists() and not Article.objects.exists()
