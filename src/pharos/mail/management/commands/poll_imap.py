from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from pharos.mail import imap


class Command(BaseCommand):
    help = (
        "Fetch new mail from the mailboxes that have an IMAP server, once, or with "
        "--forever every PHAROS_IMAP_POLL_SECONDS until interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--forever", action="store_true", help="Keep polling until interrupted (Ctrl+C)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["forever"]:
            self.stdout.write(f"Stored {imap.poll_all()} message(s) from IMAP.")
            return
        self.stdout.write(
            f"Polling IMAP mailboxes every {settings.MAIL_IMAP_POLL_SECONDS} s; Ctrl+C stops."
        )
        try:
            while True:
                # A long-running loop: a connection the database closed meanwhile is replaced.
                close_old_connections()
                stored = imap.poll_all()
                if stored:
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} stored {stored}.")
                time.sleep(settings.MAIL_IMAP_POLL_SECONDS)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
