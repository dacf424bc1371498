"""The writes every conversation service is made of, under the conversation's row lock:
numbering and storing a message, the status lifecycle and its allowed steps, assignment,
attachments, system notes, the audit trail, and telling the rest of Pharos once a change
is committed (signals.py). services.py decides when; this module knows how."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from pharos.accounts import services as accounts
from pharos.accounts.models import User
from pharos.core.tasks import enqueue_with_transaction

from . import signals, sla
from .attachments import AttachmentRejected, CleanFile
from .errors import ConversationError
from .models import Attachment, AuthorKind, Conversation, Message, Status
from .sequence import take_sequence

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.BOT: {Status.QUEUED, Status.ASSIGNED, Status.RESOLVED, Status.CLOSED},
    Status.QUEUED: {Status.ASSIGNED, Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED},
    Status.ASSIGNED: {Status.QUEUED, Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED},
    Status.WAITING_ON_CUSTOMER: {Status.QUEUED, Status.ASSIGNED, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.QUEUED, Status.ASSIGNED, Status.CLOSED},
    Status.CLOSED: set(),
}


def set_status(
    conversation: Conversation, status: str, by: User | None, reason: str | Promise = ""
) -> None:
    """Call inside a transaction holding the conversation's lock. A lazy `reason` is
    written in the customer's language when they see the line."""
    current = conversation.status
    if status == current:
        return
    if status not in ALLOWED_TRANSITIONS[current]:
        raise ConversationError(
            _("A conversation cannot go from %(from)s to %(to)s.")
            % {"from": Status(current).label, "to": Status(status).label}
        )
    now = timezone.now()
    conversation.status = status
    if status == Status.RESOLVED:
        conversation.resolved_at = now
    elif status == Status.CLOSED:
        conversation.closed_at = now
        conversation.resolved_at = conversation.resolved_at or now
    elif current == Status.RESOLVED:
        conversation.resolved_at = None
    conversation.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    if status == Status.WAITING_ON_CUSTOMER:
        sla.pause(conversation, now)
    elif current == Status.WAITING_ON_CUSTOMER:
        sla.resume(conversation, now)
    announce_change(conversation, "status")
    visible = status in {Status.RESOLVED, Status.CLOSED}
    # The customer reads the visible ones: in their language, not the agent's.
    with translation.override(conversation.language if visible else translation.get_language()):
        change = _("Status: %(before)s → %(after)s") % {
            "before": Status(current).label,
            "after": Status(status).label,
        }
        why = str(reason)
    append_message(
        conversation,
        AuthorKind.SYSTEM,
        None,
        change + (f" ({why})" if why else ""),
        internal=not visible,
    )
    audit(by, "changed_status", conversation, {"from": current, "to": status, "reason": why})


def assign_to(conversation: Conversation, assignee: User | None, by: User) -> None:
    """Call inside a transaction holding the conversation's lock."""
    if conversation.assignee_id == (assignee.pk if assignee else None):
        return
    previous = conversation.assignee
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee", "updated_at"])
    if conversation.status in {Status.QUEUED, Status.ASSIGNED}:
        set_status(conversation, Status.ASSIGNED if assignee else Status.QUEUED, by)
    system_note(conversation, f"Assigned to {assignee or 'the team queue'} by {by}.")
    announce_change(conversation, "assignee")
    audit(by, "assigned", conversation, {"from": str(previous or ""), "to": str(assignee or "")})


def take_state(conversation: Conversation, locked: Conversation) -> None:
    """The caller's object as the transaction left the row (without reading it again)."""
    for field in Conversation._meta.concrete_fields:
        setattr(conversation, field.attname, getattr(locked, field.attname))


def lock(conversation: Conversation) -> Conversation:
    """The conversation row, locked until the transaction ends (PostgreSQL row lock; on
    SQLite the IMMEDIATE transaction already holds the write lock)."""
    # No joins here: PostgreSQL cannot lock the nullable side of an outer join (assignee).
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def append_message(
    conversation: Conversation,
    author_kind: str,
    author: User | None,
    body: str,
    *,
    files: Sequence[CleanFile] = (),
    internal: bool = False,
    client_message_id: str | None = None,
    customer_spoke: bool = False,
    created_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
    sequence: int | None = None,
) -> Message:
    """Add a message with the conversation's next sequence number (or `sequence`, taken
    with the lock by lock_for_message). Call inside a transaction holding the
    conversation's lock."""
    now = timezone.now()
    if sequence is None:
        conversation.last_sequence = take_sequence(
            conversation.pk, now, customer_spoke=customer_spoke
        )
        conversation.updated_at = now
        if customer_spoke:
            conversation.last_customer_message_at = now
    else:
        conversation.last_sequence = sequence
    message = Message.objects.create(
        conversation=conversation,
        sequence=conversation.last_sequence,
        author_kind=author_kind,
        author=author,
        body=body,
        internal=internal,
        client_message_id=client_message_id,
        payload=payload or {},
        created_at=created_at or now,
    )
    stored = [store_attachment(conversation, message, clean, author) for clean in files]
    if author_kind == AuthorKind.AGENT and not internal:
        _deliver_through_channel(conversation, message)
    transaction.on_commit(
        lambda: signals.message_stored.send(
            Message, message=message, conversation=conversation, attachments=stored
        )
    )
    return message


def _deliver_through_channel(conversation: Conversation, message: Message) -> None:
    """An agent's answer in a conversation whose channel delivers answers itself (email)
    goes out from a task written with the message: sent if and only if it is stored."""
    task_path = settings.CONVERSATION_DELIVERY_TASKS.get(conversation.channel)
    if task_path:
        enqueue_with_transaction(import_string(task_path), message.pk)


def store_attachment(
    conversation: Conversation, message: Message, clean: CleanFile, uploader: User | None
) -> Attachment:
    key = f"{secrets.token_hex(16)}.{clean.extension}"
    attachment = Attachment(
        conversation=conversation,
        message=message,
        storage_key=key,
        original_name=clean.name,
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=clean.sha256,
        uploaded_by=uploader,
    )
    attachment.file.save(key, ContentFile(clean.data), save=False)
    attachment.save()
    return attachment


def discard_files(attachments: Sequence[Attachment]) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)


def announce_change(conversation: Conversation, *changes: str) -> None:
    """Announce, once committed, that the conversation changed."""
    # As it is now, not as later statements of the transaction may leave it.
    snapshot = Conversation(
        **{f.attname: getattr(conversation, f.attname) for f in Conversation._meta.concrete_fields}
    )
    transaction.on_commit(
        lambda: signals.conversation_changed.send(
            Conversation, conversation=snapshot, changes=frozenset(changes)
        )
    )


def system_note(conversation: Conversation, text: str) -> None:
    append_message(conversation, AuthorKind.SYSTEM, None, text, internal=True)


def audit(
    by: User | None, action: str, conversation: Conversation, detail: dict[str, object]
) -> None:
    accounts.record_audit_event(
        by, action, conversation, detail={"reference": conversation.reference, **detail}
    )


def check_file_count(files: Sequence[CleanFile]) -> None:
    if len(files) > settings.ATTACHMENT_MAX_PER_MESSAGE:
        raise AttachmentRejected(
            _("Attach at most %(count)d files to one message.")
            % {"count": settings.ATTACHMENT_MAX_PER_MESSAGE}
        )


def clean_text(text: str, limit: int, what: str) -> str:
    cleaned = (text or "").replace("\x00", "").strip()
    if not cleaned:
        raise ConversationError(_("Please write %(what)s.") % {"what": what})
    if len(cleaned) > limit:
        raise ConversationError(
            _("That is too long: %(limit)d characters at most.") % {"limit": limit}
        )
    return cleaned
