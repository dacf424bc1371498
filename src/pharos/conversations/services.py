"""Every change to conversations goes through here: opening and messages are in this
module; who sees what (`access.py`) and what agents and customers do to a conversation
(`actions.py`) are imported here too, so views, the API and channel adapters call
`services.<name>` for all of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pharos.accounts.models import Customer, Team, User
from pharos.core.tasks import enqueue_with_transaction
from pharos.trust import screening as trust

from . import sla, tasks
from .access import ALL_CONVERSATIONS_ROLES as ALL_CONVERSATIONS_ROLES
from .access import conversation_for_customer as conversation_for_customer
from .access import conversation_for_staff as conversation_for_staff
from .access import conversations_of_customer as conversations_of_customer
from .access import conversations_visible_to_staff as conversations_visible_to_staff
from .access import require_visible
from .actions import SOLVED_BY_BOT_TAG as SOLVED_BY_BOT_TAG
from .actions import assign as assign
from .actions import assign_by_routing as assign_by_routing
from .actions import change_priority as change_priority
from .actions import change_status as change_status
from .actions import close_by_customer as close_by_customer
from .actions import email_transcript as email_transcript
from .actions import hand_off_to_people as hand_off_to_people
from .actions import leave_chat_as_ticket as leave_chat_as_ticket
from .actions import merge as merge
from .actions import rate as rate
from .actions import set_tags as set_tags
from .actions import transfer_to_team as transfer_to_team
from .attachments import CleanFile
from .errors import ConversationError as ConversationError
from .errors import ConversationNotFound as ConversationNotFound
from .models import (
    ENDED_STATUSES,
    Attachment,
    AuthorKind,
    Channel,
    Conversation,
    Message,
    Priority,
    ReferenceCounter,
    Status,
    Topic,
)
from .sequence import Numbered, lock_for_message
from .writing import (
    announce_change,
    append_message,
    assign_to,
    check_file_count,
    clean_text,
    discard_files,
    lock,
    set_status,
    store_attachment,
    take_state,
)

MAX_SUBJECT_CHARACTERS = 200
MAX_BODY_CHARACTERS = 20_000
MAX_RELATED_IDS = 10


# --- opening -------------------------------------------------------------------------------------
def next_reference(moment: datetime | None = None) -> str:
    """PH-YYYY-NNNNNN, numbered per year. Outside a transaction the number is taken in a
    statement of its own: a ticket transaction holding the counter row would make every
    other new ticket wait for it (PostgreSQL row lock). A ticket that then fails leaves a
    gap in the numbers, which is harmless."""
    year = (moment or timezone.now()).year
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 WHERE year = %s "  # noqa: S608
            "RETURNING last_number",
            [year],
        )
        row = cursor.fetchone()
    if row is None:  # the year's first reference
        ReferenceCounter.objects.get_or_create(year=year)
        return next_reference(moment)
    return f"PH-{year}-{row[0]:06d}"


@dataclass(frozen=True)
class TicketRequest:
    topic: Topic
    subject: str
    description: str
    related_ids: Sequence[str] = ()
    files: Sequence[CleanFile] = ()
    language: str = "en"
    submission_key: str | None = None


def open_ticket(customer: Customer, request: TicketRequest) -> Conversation:
    """Open a web ticket for `customer`: the conversation, the description as its first
    message and its SLA due times; the acknowledgement and the first SLA check follow
    from a task. Submitting
    the same form twice (same submission key) returns the ticket opened the first time."""
    subject = trust.screen_customer_text(
        clean_text(request.subject, MAX_SUBJECT_CHARACTERS, _("a subject"))
    )
    description = trust.screen_customer_text(
        clean_text(request.description, MAX_BODY_CHARACTERS, _("a description"))
    )
    secrets = _kinds(subject.kinds, description.kinds)
    check_file_count(request.files)
    # Everything that can be worked out beforehand is, to keep the write transaction short.
    now = timezone.now()
    conversation = Conversation(
        channel=Channel.WEB,
        customer=customer,
        topic=request.topic,
        subject=subject.text,
        status=Status.QUEUED,
        priority=Priority.URGENT if request.topic.urgent else Priority.NORMAL,
        team=request.topic.default_team,
        related_ids=_clean_ids(request.related_ids),
        language=request.language,
        submission_key=request.submission_key,
        last_sequence=1,
        created_at=now,
        last_customer_message_at=now,
    )
    sla.set_due_times(conversation)
    first_message = Message(
        sequence=1, author_kind=AuthorKind.CUSTOMER, author=customer.user,
        body=description.text, payload=_redacted(secrets), created_at=now,
    )  # fmt: skip
    stored: list[Attachment] = []
    conversation.reference = next_reference(now)
    try:
        with transaction.atomic():
            conversation.save(force_insert=True)
            first_message.conversation = conversation
            first_message.save(force_insert=True)
            for clean in request.files:
                stored.append(store_attachment(conversation, first_message, clean, customer.user))
            trust.secrets_removed(conversation, secrets)
            enqueue_with_transaction(tasks.ticket_opened, conversation.pk)
    except Exception as failure:
        discard_files(stored)  # their rows were rolled back
        # A form sent again (a double click, a retry) breaks the one-ticket-per-submission
        # constraint: the ticket of the first submission stands. (Not looked up beforehand:
        # that would cost every ticket a query for the rare repeat.)
        if isinstance(failure, IntegrityError) and request.submission_key:
            existing = _submitted_before(customer, request)
            if existing is not None:
                return existing
        raise
    return conversation


def _submitted_before(customer: Customer, request: TicketRequest) -> Conversation | None:
    return Conversation.objects.filter(
        customer=customer, submission_key=request.submission_key
    ).first()


def open_chat(
    customer: Customer,
    topic: Topic,
    first_message: str,
    *,
    language: str = "en",
    client_message_id: str | None = None,
) -> tuple[Conversation, Message]:
    """A signed-in customer starts a live chat; it is with the bot until handed off."""
    screened = trust.screen_customer_text(
        clean_text(first_message, MAX_BODY_CHARACTERS, _("a message"))
    )
    body = screened.text
    now = timezone.now()
    conversation = Conversation(
        channel=Channel.CHAT, customer=customer, topic=topic,
        subject=" ".join(body.split())[:MAX_SUBJECT_CHARACTERS], status=Status.BOT,
        priority=Priority.URGENT if topic.urgent else Priority.NORMAL,
        team=topic.default_team, language=language, created_at=now,
    )  # fmt: skip
    # No service-level clock yet: the bot answers at once; a hand-off is measured live.
    conversation.reference = next_reference(now)
    with transaction.atomic():
        conversation.save(force_insert=True)
        message = append_message(
            conversation, AuthorKind.CUSTOMER, customer.user, body,
            client_message_id=client_message_id, customer_spoke=True,
            payload=_redacted(screened.kinds),
        )  # fmt: skip
        trust.secrets_removed(conversation, screened.kinds)
    return conversation, message


def open_chat_of(customer: Customer) -> Conversation | None:
    """The customer's live chat that has not ended, if any."""
    return (
        Conversation.objects.filter(customer=customer, channel=Channel.CHAT)
        .exclude(status__in=ENDED_STATUSES)
        .order_by("-created_at")
        .first()
    )


# --- messages ------------------------------------------------------------------------------------
def post_customer_message(
    conversation: Conversation,
    customer: Customer,
    body: str,
    *,
    files: Sequence[CleanFile] = (),
    client_message_id: str | None = None,
) -> Message:
    """A customer writes in their conversation. A resolved or waiting conversation goes
    back to the agents; a closed one takes no more messages."""
    if conversation.customer_id != customer.pk:
        raise ConversationNotFound(conversation.reference)
    text = clean_text(body, MAX_BODY_CHARACTERS, _("a message"))
    return _append_customer_message(
        conversation, customer.user, text, files=files, client_message_id=client_message_id
    )


def _kinds(*found: Sequence[str]) -> tuple[str, ...]:
    """The kinds of secret removed from several texts, each once."""
    return tuple(dict.fromkeys(kind for kinds in found for kind in kinds))


def _redacted(kinds: Sequence[str], payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """A message's payload, noting the kinds of secret removed from it (the API and the
    pages show them)."""
    return {**(payload or {}), "redacted": list(kinds)} if kinds else dict(payload or {})


@dataclass(frozen=True)
class InboundMessage:
    """A message a channel adapter received (an email, a social message): from a known
    customer, or from an address alone until the sender is identified."""

    body: str
    customer: Customer | None = None
    files: Sequence[CleanFile] = ()
    payload: dict[str, Any] | None = None


def open_from_channel(
    channel: str,
    team: Team,
    subject: str,
    message: InboundMessage,
    *,
    language: str = "en",
    tags: Sequence[str] = (),
    priority: int = Priority.NORMAL,
) -> tuple[Conversation, Message]:
    """A channel adapter opens a conversation in `team`'s queue with its first message,
    due times and first SLA check (queued with it: one task row, run when it is due).
    Acknowledging it is the channel's business: it answers in its own thread. Call inside
    the adapter's transaction to write everything at once."""
    screened = trust.screen_customer_text(
        clean_text(message.body, MAX_BODY_CHARACTERS, _("a message"))
    )
    screened_subject = trust.screen_customer_text(subject)
    secrets = _kinds(screened_subject.kinds, screened.kinds)
    text = screened.text
    title = " ".join(screened_subject.text.split())[:MAX_SUBJECT_CHARACTERS] or text[:80]
    check_file_count(message.files)
    now = timezone.now()
    conversation = Conversation(
        channel=channel, customer=message.customer, subject=title, status=Status.QUEUED,
        priority=priority, team=team, tags=list(tags), language=language, last_sequence=1,
        created_at=now, last_customer_message_at=now,
    )  # fmt: skip
    sla.set_due_times(conversation)
    author = message.customer.user if message.customer else None
    first = Message(
        sequence=1, author_kind=AuthorKind.CUSTOMER, author=author, body=text,
        payload=_redacted(secrets, message.payload), created_at=now,
    )  # fmt: skip
    conversation.reference = next_reference(now)
    with transaction.atomic():
        conversation.save(force_insert=True)
        first.conversation = conversation
        first.save(force_insert=True)
        for clean in message.files:
            store_attachment(conversation, first, clean, author)
        trust.secrets_removed(conversation, secrets)
        sla.schedule_next_check(conversation)
    return conversation, first


def receive_from_channel(conversation: Conversation, message: InboundMessage) -> Message:
    """A channel adapter adds what the conversation's customer (or correspondent) sent;
    the adapter decided that the sender belongs to this conversation."""
    text = clean_text(message.body, MAX_BODY_CHARACTERS, _("a message"))
    author = message.customer.user if message.customer else None
    return _append_customer_message(
        conversation, author, text, files=message.files, payload=message.payload
    )


def _append_customer_message(
    conversation: Conversation,
    author: User | None,
    text: str,
    *,
    files: Sequence[CleanFile] = (),
    client_message_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Message:
    if conversation.status == Status.CLOSED:
        raise ConversationError(_("This request is closed. Please open a new one."))
    screened = trust.screen_customer_text(text)
    check_file_count(files)
    now = timezone.now()
    try:
        with transaction.atomic():
            numbered = lock_for_message(conversation.pk, now, customer_spoke=True)
            if numbered.status == Status.CLOSED:
                raise _Closed(_("This request is closed. Please open a new one."))
            _take_numbered(conversation, numbered, now, customer_spoke=True)
            message = append_message(
                conversation, AuthorKind.CUSTOMER, author, screened.text, files=files,
                client_message_id=client_message_id, sequence=numbered.sequence,
                payload=_redacted(screened.kinds, payload),
            )  # fmt: skip
            trust.secrets_removed(conversation, screened.kinds)
            if numbered.status in {Status.WAITING_ON_CUSTOMER, Status.RESOLVED}:
                locked = lock(conversation)  # the whole row (already locked) to change it
                reopened = Status.ASSIGNED if locked.assignee_id else Status.QUEUED
                set_status(locked, reopened, None, reason="customer replied")
                take_state(conversation, locked)
    except (IntegrityError, _Closed) as refused:
        return _stored_before_or_raise(conversation, client_message_id, refused)
    return message


def require_answerable(conversation: Conversation, agent: User) -> None:
    """Raise unless `agent` may answer the conversation now: for a caller that must know
    before it does something it cannot take back (an unlock at the exchange)."""
    require_visible(agent, conversation)
    if conversation.status == Status.CLOSED:
        raise ConversationError(_("This conversation is closed."))


def post_agent_reply(
    conversation: Conversation,
    agent: User,
    body: str,
    *,
    files: Sequence[CleanFile] = (),
    status_after: str = Status.WAITING_ON_CUSTOMER,
    client_message_id: str | None = None,
    visibility_checked: bool = False,
) -> Message:
    """An agent answers the customer. The first answer stops the first-response clock; an
    unassigned conversation becomes the replying agent's. A retry with the same client
    message ID returns the message stored the first time. `visibility_checked`: the caller
    (the chat's socket) checked that the agent may see the conversation, and checks again
    whenever it changes hands."""
    if not visibility_checked:
        require_visible(agent, conversation)
    if conversation.status == Status.CLOSED:
        raise ConversationError(_("This conversation is closed."))
    text = clean_text(body, MAX_BODY_CHARACTERS, _("a reply"))
    trust.check_outgoing(text, source="reply", author=agent, conversation=conversation)
    check_file_count(files)
    now = timezone.now()
    try:
        with transaction.atomic():
            numbered = lock_for_message(conversation.pk, now)
            if numbered.status == Status.CLOSED:
                raise _Closed(_("This conversation is closed."))
            _take_numbered(conversation, numbered, now)
            message = append_message(
                conversation, AuthorKind.AGENT, agent, text, files=files,
                client_message_id=client_message_id, sequence=numbered.sequence,
            )  # fmt: skip
            if (
                not numbered.has_first_response
                or numbered.assignee_id is None
                or status_after != numbered.status
            ):
                locked = lock(conversation)  # the whole row (already locked) to change it
                if locked.first_response_at is None:
                    locked.first_response_at = now
                    locked.save(update_fields=["first_response_at", "updated_at"])
                    announce_change(locked, "first_response")
                if locked.assignee_id is None:
                    assign_to(locked, agent, agent)
                if status_after != locked.status:
                    set_status(locked, status_after, agent)
                take_state(conversation, locked)
    except (IntegrityError, _Closed) as refused:
        return _stored_before_or_raise(conversation, client_message_id, refused)
    return message


def post_bot_message(
    conversation: Conversation, text: str, payload: dict[str, Any] | None = None
) -> Message:
    """The chat's bot speaks; `payload` carries its article links and buttons."""
    with transaction.atomic():
        locked = lock(conversation)
        if locked.status == Status.CLOSED:
            raise ConversationError(_("This conversation is closed."))
        return append_message(locked, AuthorKind.BOT, None, text, payload=payload)


def add_internal_note(conversation: Conversation, staff: User, body: str) -> Message:
    """A note for colleagues; customers never see it."""
    require_visible(staff, conversation)
    text = clean_text(body, MAX_BODY_CHARACTERS, _("a note"))
    with transaction.atomic():
        return append_message(lock(conversation), AuthorKind.AGENT, staff, text, internal=True)


def messages_for_customer(conversation: Conversation) -> QuerySet[Message]:
    return (
        conversation.messages.filter(internal=False)
        .select_related("author")
        .prefetch_related("attachments")
    )


def messages_for_staff(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("author").prefetch_related("attachments")


# --- internals -----------------------------------------------------------------------------------
def _take_numbered(
    conversation: Conversation, numbered: Numbered, now: datetime, *, customer_spoke: bool = False
) -> None:
    """The caller's object as lock_for_message left the row (the columns it touched and
    read); anything more is read in full before it is changed."""
    conversation.last_sequence = numbered.sequence
    conversation.status = numbered.status
    conversation.assignee_id = numbered.assignee_id
    conversation.channel = numbered.channel
    conversation.updated_at = now
    if customer_spoke:
        conversation.last_customer_message_at = now


class _Closed(ConversationError):
    """A message for a closed conversation (unless it is a retry of one stored before)."""


def _stored_before_or_raise(
    conversation: Conversation, client_message_id: str | None, refused: Exception
) -> Message:
    """A message refused by the database (its client ID is taken) or by a closed
    conversation: a client's retry of one stored before gets that one, anything else is
    refused. The transaction that tried was rolled back, sequence number included."""
    if client_message_id:
        repeated = conversation.messages.filter(client_message_id=client_message_id).first()
        if repeated is not None:
            return repeated
    raise refused


def _clean_ids(ids: Sequence[str]) -> list[str]:
    cleaned = []
    for value in ids:
        if trust.screen_customer_text(str(value)[:200]).found:
            continue  # a card number or key given as an "ID" is not kept
        value = "".join(c for c in str(value) if c.isalnum() or c in "-_:.")[:100]
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned[:MAX_RELATED_IDS]
