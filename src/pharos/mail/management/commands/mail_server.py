from __future__ import annotations

import asyncio
import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from pharos.mail.smtp import start_server

logger = logging.getLogger(__name__)
INTAKE_WATCH_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Receive mail: the built-in SMTP server (PHAROS_SMTP_HOST/PORT) and, for mailboxes "
        "with an IMAP server, polling every PHAROS_IMAP_POLL_SECONDS. `pharos serve` runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.MAIL_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.MAIL_SMTP_PORT)
        parser.add_argument("--no-imap", action="store_true", help="Do not poll IMAP mailboxes.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        threading.Thread(target=_watch_intake_until, args=(stop,), daemon=True).start()
        if not options["no_imap"]:
            threading.Thread(target=_poll_imap_until, args=(stop,), daemon=True).start()
        try:
            asyncio.run(self._serve(options["host"], options["port"]))
        finally:
            stop.set()

    async def _serve(self, host: str, port: int) -> None:
        server = await start_server(host, port)
        self.stdout.write(f"Receiving mail on smtp://{host}:{port}")
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopped.set)
        async with server:
            await stopped.wait()


def _watch_intake_until(stop: threading.Event) -> None:
    """Every minute (and at start, after a restart): queue the intake for messages that
    wait with none queued (services.wake_intake)."""
    from django.db import close_old_connections

    from pharos.mail import services

    while not stop.is_set():
        close_old_connections()
        try:
            services.wake_intake()
        except Exception:  # the database is away for a moment: try at the next round
            logger.exception("Could not look for waiting mail")
        stop.wait(INTAKE_WATCH_SECONDS)


def _poll_imap_until(stop: threading.Event) -> None:
    from django.db import close_old_connections

    from pharos.mail import imap

    while not stop.is_set():
        close_old_connections()
        imap.poll_all()
        stop.wait(settings.MAIL_IMAP_POLL_SECONDS)
