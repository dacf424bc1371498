"""The built-in SMTP server (aiosmtpd): mail for our mailboxes is accepted, stored raw and
queued for processing before the sender hears "250"; anything else is refused at the
door: unknown recipients (550), messages over the size limit (552), a sender or a
connection sending too much (451, a temporary refusal a real mail server retries)."""

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


class MailboxHandler:
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
        try:
            inbound = await asyncio.to_thread(
                _accept,
                raw,
                envelope.mail_from or "",
                list(envelope.rcpt_tos),
                _peer(session),
            )
        except Exception:
            logger.exception("A message could not be stored")
            return "451 4.3.0 The message could not be stored; please try again later"
        return f"250 2.0.0 Queued as {inbound.pk}"


def _mailbox_for(address: str) -> Any:
    close_old_connections()
    return services.mailbox_for([address])


def _accept(raw: bytes, sender: str, recipients: list[str], peer: str) -> Any:
    close_old_connections()
    return services.accept_raw(
        raw, source="smtp", envelope_sender=sender, recipients=recipients, peer=peer
    )


def _peer(session: Session) -> str:
    peer = session.peer
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return str(peer or "")


def smtp_protocol() -> SMTP:
    return SMTP(
        MailboxHandler(),
        data_size_limit=settings.MAIL_MAX_BYTES,
        enable_SMTPUTF8=True,
        decode_data=False,
        hostname=settings.MAIL_SMTP_HOSTNAME,
        ident="Pharos",
    )


async def start_server(host: str, port: int) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    return await loop.create_server(smtp_protocol, host=host, port=port)
