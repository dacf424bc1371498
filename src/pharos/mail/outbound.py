"""Email out: the acknowledgement of a new email conversation and the agents' answers, as
replies in the customer's thread (In-Reply-To, References, the reference in the
subject). Every one starts with the customer's anti-phishing code and says what support
never asks for. Each is recorded (OutboundMail) and sent at most once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pharos.conversations.models import Attachment, Conversation, Message
from pharos.conversations.writing import system_note
from pharos.trust import screening

from . import threads
from .models import EmailThread, OutboundMail

_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|答复|回复|转发)\s*[:：]\s*)+", re.IGNORECASE)
_REFERENCE = re.compile(r"\s*\[?PH-\d{4}-\d{6}\]?\s*", re.IGNORECASE)
MAX_REFERENCES = 10  # in the References header
NEVER_SENT_AFTER = timedelta(minutes=5)


def new_acknowledgement(conversation: Conversation, thread: EmailThread) -> OutboundMail:
    """Record the email that tells the sender of a new conversation its reference number
    and when to expect an answer (at most one per conversation), in the caller's
    transaction; send() sends it once that is committed."""
    acknowledgement = OutboundMail.objects.create(
        conversation=conversation,
        kind=OutboundMail.Kind.ACKNOWLEDGEMENT,
        **_new_outbound(conversation, thread),
    )
    _thread_through(acknowledgement, thread)
    return acknowledgement


def new_warning(conversation: Conversation, thread: EmailThread, message: Message) -> OutboundMail:
    """Record the email that warns the customer at once that a secret was removed from
    their `message` (a new conversation's acknowledgement carries the warning itself)."""
    warning = OutboundMail.objects.create(
        conversation=conversation,
        conversation_message=message,
        kind=OutboundMail.Kind.WARNING,
        **_new_outbound(conversation, thread),
    )
    _thread_through(warning, thread)
    return warning


def deliver_agent_message(message_id: int) -> None:
    message = Message.objects.select_related("author").get(pk=message_id)
    conversation = _conversation(message.conversation_id)
    try:
        thread = conversation.email_thread
    except EmailThread.DoesNotExist:
        return  # an email channel conversation always has its thread; nothing to answer to
    with transaction.atomic():
        reply, created = OutboundMail.objects.get_or_create(
            conversation_message=message,
            defaults={
                "conversation": conversation,
                "kind": OutboundMail.Kind.REPLY,
                **_new_outbound(conversation, thread),
            },
        )
        if created:
            _thread_through(reply, thread)
    reply.conversation, reply.conversation_message = conversation, message
    send(reply)


def send(mail: OutboundMail) -> None:
    """Send a recorded email, unless it was sent already."""
    conversation = mail.conversation
    thread = conversation.email_thread
    if mail.kind == OutboundMail.Kind.ACKNOWLEDGEMENT:
        first = conversation.messages.filter(sequence=1).first()
        context = {"warning": _secret_warning(conversation, first)}
        _send(mail, conversation, thread, "mail/email/acknowledgement.txt", context, auto=True)
        return
    message = mail.conversation_message
    assert message is not None, "a reply or a warning is always about a message"
    if mail.kind == OutboundMail.Kind.WARNING:
        context = {"warning": _secret_warning(conversation, message)}
        _send(mail, conversation, thread, "mail/email/secret_warning.txt", context, auto=True)
        return
    files = list(message.attachments.all())
    _send(mail, conversation, thread, "mail/email/reply.txt", {"message": message}, files=files)


def _secret_warning(conversation: Conversation, message: Message | None) -> str:
    """The warning about the secrets removed from `message`, in the conversation's
    language; empty when none were."""
    kinds = tuple((message.payload if message else {}).get("redacted", ()))
    if not kinds:
        return ""
    with translation.override(conversation.language):
        return screening.secret_warning(kinds)


def unsent(mail: QuerySet[OutboundMail]) -> QuerySet[OutboundMail]:
    """The emails that failed, or were recorded and never sent because the worker stopped
    before it sent them (pending for minutes: the sending itself takes a second)."""
    stopped = timezone.now() - NEVER_SENT_AFTER
    return mail.filter(
        Q(state=OutboundMail.State.FAILED)
        | Q(state=OutboundMail.State.PENDING, created_at__lt=stopped)
    ).select_related("conversation__customer__user", "conversation__email_thread__mailbox")


def _thread_through(mail: OutboundMail, thread: EmailThread) -> None:
    """Tie a recorded email's Message-ID to its conversation before it is sent, so that
    the customer's reply to it finds the conversation however soon it comes back."""
    threads.remember_message_ids(mail.conversation, [mail.message_id], outbound=True)
    thread.references = [*thread.references, mail.message_id][-threads.MAX_THREAD_REFERENCES :]
    thread.save(update_fields=["references"])


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
    context: Mapping[str, object],
    *,
    files: Sequence[Attachment] = (),
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
    references = [value for value in thread.references if value != outbound.message_id]
    references = references[-MAX_REFERENCES:]
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
    for attachment in files:
        with attachment.file.open("rb") as file:
            email.attach(attachment.original_name, file.read(), attachment.content_type)
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
    OutboundMail.objects.filter(pk=outbound.pk).update(
        state=OutboundMail.State.SENT, sent_at=timezone.now(), error=""
    )
    outbound.state = OutboundMail.State.SENT
