"""Mail fixtures: the three default mailboxes and the built-in SMTP server listening on a
free port in a thread of the test process. The server stores messages from its own
threads, so tests that use it are transactional (they see committed rows)."""

from __future__ import annotations

import asyncio
import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from pharos.accounts.models import Team
from pharos.mail import services
from pharos.mail.models import InboundMail, Mailbox
from pharos.mail.smtp import start_server

from ..conftest import run_queued_tasks

DOMAIN = "tidewell.example"
TEAMS = {
    "support": ("general-support", "General support", "综合客服"),
    "security": ("security", "Security", "安全团队"),
    "feedback": ("complaints-feedback", "Complaints & feedback", "投诉与建议"),
}


@pytest.fixture
def mailboxes(transactional_db: None) -> dict[str, Mailbox]:
    """The mailboxes as the migration makes them (a transactional test's flush empties
    the tables, so they are made again here)."""
    made = {}
    for position, (purpose, (slug, english, chinese)) in enumerate(TEAMS.items()):
        team, _ = Team.objects.get_or_create(
            slug=slug, defaults={"name_en": english, "name_zh_hans": chinese}
        )
        made[purpose], _ = Mailbox.objects.get_or_create(
            address=f"{purpose}@{DOMAIN}",
            defaults={
                "purpose": purpose,
                "team": team,
                "description_en": f"{english} questions",
                "description_zh_hans": f"{chinese}问题",
                "position": position,
            },
        )
    services.forget_mailboxes()
    return made


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port

    def send(
        self,
        message: EmailMessage | bytes,
        *,
        sender: str | None = None,
        recipients: list[str] | None = None,
    ) -> dict[str, tuple[int, bytes]]:
        """Send over SMTP; the envelope defaults to the message's From and To."""
        if isinstance(message, EmailMessage):
            sender = message["From"].addresses[0].addr_spec if sender is None else sender
            recipients = recipients or [a.addr_spec for a in message["To"].addresses]
            raw = message.as_bytes()
        else:
            raw = message
        assert sender is not None and recipients
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            return client.sendmail(sender, recipients, raw)

    def deliver(self, message: EmailMessage | bytes, **envelope: object) -> InboundMail:
        """Send, then run the queued processing as the worker would; the stored message."""
        before = set(InboundMail.objects.values_list("pk", flat=True))
        self.send(message, **envelope)  # type: ignore[arg-type]
        run_queued_tasks()
        (inbound,) = InboundMail.objects.exclude(pk__in=before)
        return inbound


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """The built-in server on a free port, its event loop in a thread of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(start_server("127.0.0.1", 0), loop).result(10)
    try:
        yield SmtpServer(server.sockets[0].getsockname()[1])
    finally:

        async def stop() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.fixture
def smtp(mailboxes: dict[str, Mailbox]) -> Iterator[SmtpServer]:
    with running_smtp_server() as server:
        yield server


def make_mail(
    subject: str = "My deposit has not arrived",
    body: str = "I sent 500 USDT on TRC20 two hours ago.",
    *,
    sender: str = "alice@example.com",
    to: str = f"support@{DOMAIN}",
    message_id: str | None = None,
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message
