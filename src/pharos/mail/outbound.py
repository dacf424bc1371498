"""Email out: the acknowledgement of a new email conversation and the agents' answers, as
replies in the customer's thread (In-Reply-To, References, the reference in the
subject). Every one starts with the customer's anti-phishing code and says what support
never asks for. Each is recorded (OutboundMail) and sent at most once."""

from __future__ import annotations

import re
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pharos.conversations.models import Conversation, Message
from pharos.conversations.writing import system_note

from . import threads
from .models import EmailThread, OutboundMail

_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|答复|回复|转发)\s*[:：]\s*)+", re.IGNORECASE)
_REFERENCE = re.compile(r"\s*\[?PH-\d{4}-\d{6}\]?\s*", re.IGNORECASE)
MAX_REFERENCES = 10


def send_acknowledgement(conversation_id: int) -> None:
    conversation = _conversation(conversation_id)
    acknowledge(conversation, conversation.email_thread)


def acknowledge(conversation: Conversation, thread: EmailThread) -> None:
    """Tell the sender of a new email conversation its reference number and when to
    expect an answer; at most one acknowledgement per conversation."""
    try:
        with transaction.atomic():
            outbound = OutboundMail.objects.create(
                conversation=conversation,
                kind=OutboundMail.Kind.ACKNOWLEDGEMENT,
                **_new_outbound(conversation, thread),
            )
    except IntegrityError:  # acknowledged before (or tried): that one is sent, or retried
        outbound = OutboundMail.objects.get(
            conversation=conversation, kind=OutboundMail.Kind.ACKNOWLEDGEMENT
        )
    _send(outbound, conversation, thread, "mail/email/acknowledgement.txt", {}, auto=True)


def deliver_agent_message(message_id: int) -> None:
    message = Message.objects.select_related("author").get(pk=message_id)
    conversation = _conversation(message.conversation_id)
    thread = EmailThread.objects.filter(conversation=conversation).select_related("mailbox").first()
    if thread is None:
        return  # an email channel conversation always has its thread; nothing to answer to
    outbound, _ = OutboundMail.objects.get_or_create(
        conversation_message=message,
        defaults={
            "conversation": conversation,
            "kind": OutboundMail.Kind.REPLY,
            **_new_outbound(conversation, thread),
        },
    )
    _send(
        outbound,
        conversation,
        thread,
        "mail/email/reply.txt",
        {"message": message},
        files=list(message.attachments.all()),
    )


def _conversation(conversation_id: int) -> Conversation:
    return Conversation.objects.select_related("customer__user", "email_thread__mailbox").get(
        pk=conversation_id
    )


def _new_outbound(conversation: Conversation, thread: EmailThread) -> dict[str, str]:
    return {
        "to_address": thread.address,
        "message_id": make_msgid(domain=thread.mailbox.domain).strip("<>"),
        "subject": reply_subject(thread.subject, conversation.reference),
    }


def reply_subject(subject: str, reference: str) -> str:
    """ "Re: <their subject> [PH-…]": one line, their own Re:/回复: and references not
    repeated."""
    base = _REFERENCE.sub(" ", _REPLY_PREFIX.sub("", " ".join(subject.split()))).strip()
    return f"Re: {base[:200]} [{reference}]" if base else f"[{reference}]"


def _send(
    outbound: OutboundMail,
    conversation: Conversation,
    thread: EmailThread,
    template: str,
    context: dict[str, object],
    *,
    files: list[object] | None = None,
    auto: bool = False,
) -> None:
    if outbound.state == OutboundMail.State.SENT:
        return
    with translation.override(conversation.language):
        body = render_to_string(
            template,
            {
                **context,
                "conversation": conversation,
                "customer": conversation.customer,
                "brand": settings.PHAROS_BRAND,
                "mailbox": thread.mailbox,
                "link": settings.SITE_URL
                + reverse("conversations:detail", kwargs={"reference": conversation.reference}),
                "sign_in": settings.SITE_URL + reverse("accounts:login"),
                "due": conversation.first_response_due_at,
                "now": timezone.now(),
            },
        )
    references = [*thread.references[-MAX_REFERENCES:]]
    headers = {
        "Message-ID": f"<{outbound.message_id}>",
        "X-Pharos-Reference": conversation.reference,
    }
    if thread.last_inbound_message_id:
        headers["In-Reply-To"] = f"<{thread.last_inbound_message_id}>"
    if references:
        headers["References"] = " ".join(f"<{value}>" for value in references)
    if auto:
        headers["Auto-Submitted"] = "auto-replied"  # so that auto-responders do not answer
    email = EmailMessage(
        subject=outbound.subject,
        body=body,
        from_email=formataddr((settings.PHAROS_BRAND["name"], thread.mailbox.address)),
        to=[outbound.to_address],
        headers=headers,
    )
    for attachment in files or []:
        with attachment.file.open("rb") as file:  # type: ignore[attr-defined]
            email.attach(attachment.original_name, file.read(), attachment.content_type)  # type: ignore[attr-defined]
    try:
        email.send()
    except Exception as failure:
        outbound.state = OutboundMail.State.FAILED
        outbound.error = f"{type(failure).__name__}: {failure}"[:2000]
        outbound.save(update_fields=["state", "error"])
        with transaction.atomic():
            system_note(
                conversation, f"The email to {outbound.to_address} was not sent: {outbound.error}"
            )
        raise
    with transaction.atomic():
        outbound.state = OutboundMail.State.SENT
        outbound.sent_at = timezone.now()
        outbound.error = ""
        outbound.save(update_fields=["state", "sent_at", "error"])
        threads.remember_message_ids(conversation, [outbound.message_id], outbound=True)
        thread.references = [*thread.references, outbound.message_id][-20:]
        thread.save(update_fields=["references"])
