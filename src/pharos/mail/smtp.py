"""The built-in SMTP server (aiosmtpd): mail for our mailboxes is accepted, stored raw and
queued for processing before the sender hears "250"; anything else is refused at the
door: unknown recipients (550), messages over the size limit (552), a sender or a
connection sending too much (451, a temporary refusal a real mail server retries).

Messages that arrive at the same moment in different sessions are stored together, in
one transaction (GroupCommit): under a flood the database sees a few large writes
instead of one per message, and each sender still hears 250 only once its message is
committed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from pharos.core import ratelimit

from . import services
from .screening import in_networks

logger = logging.getLogger(__name__)


MAX_GROUP = 50  # messages stored in one transaction


class GroupCommit:
    """Stores messages for the sessions of one server: the first message that arrives
    while no store is running is stored at once; those that arrive meanwhile wait and
    go together in the next transaction."""

    def __init__(self) -> None:
        self._waiting: list[tuple[services.Arrival, asyncio.Future[Any]]] = []
        self._storing: asyncio.Task[None] | None = None

    async def store(self, arrival: services.Arrival) -> Any:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((arrival, future))
        if self._storing is None:
            self._storing = asyncio.create_task(self._store_waiting())
        return await future

    async def _store_waiting(self) -> None:
        try:
            while self._waiting:
                group, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
                try:
                    stored = await asyncio.to_thread(_accept_all, [a for a, _ in group])
                except Exception as failure:
                    for _, future in group:
                        if not future.done():
                            future.set_exception(failure)
                    continue
                for (_, future), inbound in zip(group, stored, strict=True):
                    if not future.done():  # done: the session went away; the mail is kept
                        future.set_result(inbound)
        finally:
            self._storing = None


class MailboxHandler:
    def __init__(self, group_commit: GroupCommit) -> None:
        self.group_commit = group_commit

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        peer = _peer(session)
        # A mail server relaying to us sends everyone's mail from one address.
        relayed = in_networks(peer, settings.MAIL_RELAY_NETWORKS)
        if not relayed and not ratelimit.allow("mail_peer", peer):
            return "451 4.7.1 Too many messages from your address; please try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        mailbox = await asyncio.to_thread(_mailbox_for, address)
        if mailbox is None:
            return "550 5.1.1 No such mailbox here"
        sender = (envelope.mail_from or "").lower() or _peer(session)
        if not ratelimit.allow("mail_sender", f"{mailbox.pk}:{sender}"):
            return "451 4.7.1 Too many messages from this sender; please try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        arrival = services.Arrival(
            raw,
            source="smtp",
            envelope_sender=envelope.mail_from or "",
            recipients=list(envelope.rcpt_tos),
            peer=_peer(session),
        )
        try:
            inbound = await self.group_commit.store(arrival)
        except Exception:
            logger.exception("A message could not be stored")
            return "451 4.3.0 The message could not be stored; please try again later"
        return f"250 2.0.0 Queued as {inbound.pk}"


def _mailbox_for(address: str) -> Any:
    close_old_connections()
    return services.mailbox_for([address])


def _accept_all(arrivals: list[services.Arrival]) -> list[Any]:
    close_old_connections()
    return services.accept_all(arrivals)


def _peer(session: Session) -> str:
    peer = session.peer
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return str(peer or "")


def smtp_protocol(group_commit: GroupCommit) -> SMTP:
    return SMTP(
        MailboxHandler(group_commit),
        data_size_limit=settings.MAIL_MAX_BYTES,
        enable_SMTPUTF8=True,
        decode_data=False,
        hostname=settings.MAIL_SMTP_HOSTNAME,
        ident="Pharos",
    )


async def start_server(host: str, port: int) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    group_commit = GroupCommit()
    return await loop.create_server(lambda: smtp_protocol(group_commit), host=host, port=port)
