from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pharos.livechat.broker import serve
from pharos.livechat.layer import broker_socket


class Command(BaseCommand):
    help = (
        "Run the chat's event broker (installs without Redis; `pharos serve` starts it). "
        "Listens on the Unix socket of CHANNEL_LAYERS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = broker_socket()
        if path is None:
            raise CommandError("The chat uses Redis here (REDIS_URL): no broker is needed.")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(path))
