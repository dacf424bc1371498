"""Conversations over the JSON API: a customer's requests (/api/v1/requests) and the
agent console's actions (/api/v1/console). Token or session auth; the same services and
permission checks as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja import Status as Answer
from ninja.errors import HttpError
from pydantic import BaseModel

from pharos.accounts import services as accounts
from pharos.accounts import two_factor
from pharos.accounts.api import API_AUTH
from pharos.accounts.models import Customer, StaffMember, Team, User

from . import inbox, lookups, services
from .attachments import AttachmentRejected, clean_uploads
from .models import Conversation, Message

customer_router = Router(tags=["requests (customers)"], auth=API_AUTH)
console_router = Router(tags=["console (agents)"], auth=API_AUTH)


class MessageOut(Schema):
    sequence: int
    author_kind: str
    body: str
    internal: bool
    created_at: datetime
    attachments: list[str] = Field(description="Download URLs.")
    redacted: list[str] = Field(
        description="Kinds of secret removed from the message before it was stored "
        "(seed_phrase, private_key, api_secret, password, one_time_code, card_number)."
    )

    @staticmethod
    def of(message: Message) -> MessageOut:
        return MessageOut(
            sequence=message.sequence,
            author_kind=message.author_kind,
            body=message.body,
            internal=message.internal,
            created_at=message.created_at,
            attachments=[f"/attachments/{a.storage_key}" for a in message.attachments.all()],
            redacted=list(message.payload.get("redacted", [])),
        )


class ConversationOut(BaseModel):
    """Built from explicit values (`of`, or the inbox's rows): a plain pydantic model checks
    them several times faster than ninja's Schema, which expects model instances."""

    reference: str
    channel: str
    subject: str
    status: str
    priority: int
    topic: str | None
    team: str
    assignee: str | None
    tags: list[str]
    related_ids: list[str]
    created_at: datetime
    updated_at: datetime
    last_sequence: int
    rating: int | None

    @staticmethod
    def of(conversation: Conversation) -> ConversationOut:
        return ConversationOut(
            reference=conversation.reference,
            channel=conversation.channel,
            subject=conversation.subject,
            status=conversation.status,
            priority=conversation.priority,
            topic=conversation.topic.slug if conversation.topic else None,
            team=conversation.team.slug,
            assignee=conversation.assignee.email if conversation.assignee else None,
            tags=conversation.tags,
            related_ids=conversation.related_ids,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            last_sequence=conversation.last_sequence,
            rating=conversation.rating,
        )


class ThreadOut(Schema):
    conversation: ConversationOut
    messages: list[MessageOut]


class Problem(Schema):
    detail: str


ERRORS: dict[int, Any] = {400: Problem, 404: Problem}


def _customer(request: HttpRequest) -> Customer:
    customer = getattr(request.auth, "customer", None)  # type: ignore[attr-defined]
    if customer is None:
        raise HttpError(404, "Requests belong to customer accounts.")
    return customer


def _thread(conversation: Conversation, messages: Any) -> ThreadOut:
    return ThreadOut(
        conversation=ConversationOut.of(conversation),
        messages=[MessageOut.of(message) for message in messages],
    )


def _own(request: HttpRequest, reference: str) -> tuple[Customer, Conversation]:
    customer = _customer(request)
    try:
        return customer, services.conversation_for_customer(customer, reference)
    except services.ConversationNotFound as missing:
        raise HttpError(404, "No such request.") from missing


# --- customers ------------------------------------------------------------------------------------
class TicketIn(Schema):
    topic: str = Field(description="A topic slug, e.g. deposits-withdrawals.")
    subject: str = Field(max_length=200)
    description: str = Field(max_length=20_000)
    related_ids: list[str] = Field(default_factory=list, max_length=10)
    submission_key: str | None = Field(
        None, max_length=64, description="Retries with the same key open one request."
    )


class MessageIn(Schema):
    body: str = Field(max_length=20_000)
    client_message_id: str | None = Field(None, max_length=64)


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


@customer_router.get("", response=list[ConversationOut], summary="My requests")
def my_requests(request: HttpRequest) -> list[ConversationOut]:
    conversations = services.conversations_of_customer(_customer(request)).select_related(
        "topic", "team", "assignee"
    )
    return [ConversationOut.of(c) for c in conversations.order_by("-updated_at")[:100]]


@customer_router.post("", response={201: ConversationOut, **ERRORS}, summary="Submit a request")
def submit_request(request: HttpRequest, payload: TicketIn) -> Answer:
    customer = _customer(request)
    topic = lookups.topic_by_slug(payload.topic)
    if topic is None:
        raise HttpError(400, "Unknown topic.")
    try:
        conversation = services.open_ticket(
            customer,
            services.TicketRequest(
                topic, payload.subject, payload.description, payload.related_ids,
                language=customer.user.preferred_language, submission_key=payload.submission_key,
            ),
        )  # fmt: skip
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error
    return Answer(201, ConversationOut.of(conversation))


@customer_router.get(
    "/{reference}", response={200: ThreadOut, **ERRORS}, summary="A request and its messages"
)
def request_thread(request: HttpRequest, reference: str) -> ThreadOut:
    _, conversation = _own(request, reference)
    return _thread(conversation, services.messages_for_customer(conversation))


@customer_router.post(
    "/{reference}/messages", response={201: MessageOut, **ERRORS}, summary="Write in a request"
)
def write(request: HttpRequest, reference: str, payload: MessageIn) -> Answer:
    customer, conversation = _own(request, reference)
    try:
        message = services.post_customer_message(
            conversation, customer, payload.body, client_message_id=payload.client_message_id
        )
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error
    return Answer(201, MessageOut.of(message))


@customer_router.post(
    "/{reference}/close", response={200: ConversationOut, **ERRORS}, summary="Close a request"
)
def close_request(request: HttpRequest, reference: str) -> ConversationOut:
    customer, conversation = _own(request, reference)
    try:
        return ConversationOut.of(services.close_by_customer(conversation, customer))
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error


@customer_router.post(
    "/{reference}/rating", response={200: ConversationOut, **ERRORS}, summary="Rate the service"
)
def rate_request(request: HttpRequest, reference: str, payload: RatingIn) -> ConversationOut:
    customer, conversation = _own(request, reference)
    try:
        services.rate(conversation, customer, payload.rating, payload.comment)
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error
    return ConversationOut.of(conversation)


# --- agents ---------------------------------------------------------------------------------------
def _staff(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if accounts.staff_role(user) is None:
        raise HttpError(404, "Not found.")
    # A personal token is a credential of its own; a browser session must be verified.
    signed_in_by_session = (
        getattr(request, "user", None) == user and "_auth_user_id" in request.session
    )
    if (
        signed_in_by_session
        and two_factor.is_required()
        and not two_factor.is_verified(request.user)
    ):
        raise HttpError(403, "Confirm your sign-in with your authenticator app first.")
    return user


def _visible(request: HttpRequest, reference: str) -> tuple[User, Conversation]:
    user = _staff(request)
    try:
        return user, services.conversation_for_staff(user, reference)
    except services.ConversationNotFound as missing:
        raise HttpError(404, "No such conversation.") from missing


class InboxParameters(Schema):
    view: Literal["open", "mine", "unassigned", "team", "waiting", "resolved", "all"] = "open"
    status: str = ""
    channel: str = ""
    priority: int | None = None
    q: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


# ConversationOut's fields, and the columns they come from
INBOX_COLUMNS = {
    field: {"topic": "topic__slug", "team": "team__slug", "assignee": "assignee__email"}.get(
        field, field
    )
    for field in ConversationOut.model_fields
}


class InboxOut(BaseModel):
    counts: dict[str, int]
    conversations: list[ConversationOut]


@console_router.get("/conversations", response=InboxOut, summary="The agent's inbox")
def inbox_list(request: HttpRequest, parameters: Query[InboxParameters]) -> InboxOut:
    user = _staff(request)
    chosen = inbox.InboxFilter.from_params(
        {key: str(value) for key, value in parameters.dict().items() if value not in (None, "")}
    )
    rows = inbox.conversations_for(user, chosen).values(*INBOX_COLUMNS.values())[
        parameters.offset : parameters.offset + parameters.limit
    ]
    # Plain rows, not model instances: building 50 conversations with their related
    # objects cost more than the query (the schema checks the answer all the same).
    conversations = [
        {field: row[column] for field, column in INBOX_COLUMNS.items()} for row in rows
    ]
    return InboxOut.model_validate(
        {"counts": inbox.view_counts(user), "conversations": conversations}
    )


@console_router.get(
    "/conversations/{reference}",
    response={200: ThreadOut, **ERRORS},
    summary="A conversation, notes included",
)
def conversation_thread(request: HttpRequest, reference: str) -> ThreadOut:
    user, conversation = _visible(request, reference)
    accounts.record_audit_event(
        user, "viewed_conversation", conversation, detail={"via": "api"}, request=request
    )
    return _thread(conversation, services.messages_for_staff(conversation))


class ReplyIn(Schema):
    body: str = Field(max_length=20_000)
    status_after: Literal["waiting_on_customer", "assigned", "resolved"] = "waiting_on_customer"


class NoteIn(Schema):
    body: str = Field(max_length=20_000)


class ActionIn(Schema):
    assignee_email: str | None = None
    team: str | None = None
    status: str | None = None
    priority: int | None = None
    tags: list[str] | None = None
    merge_into: str | None = None


@console_router.post(
    "/conversations/{reference}/replies",
    response={201: MessageOut, **ERRORS},
    summary="Reply to the customer",
)
def reply(request: HttpRequest, reference: str, payload: ReplyIn) -> Answer:
    user, conversation = _visible(request, reference)
    try:
        message = services.post_agent_reply(
            conversation, user, payload.body, status_after=payload.status_after
        )
        return Answer(201, MessageOut.of(message))
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error


@console_router.post(
    "/conversations/{reference}/notes",
    response={201: MessageOut, **ERRORS},
    summary="Add an internal note",
)
def note(request: HttpRequest, reference: str, payload: NoteIn) -> Answer:
    user, conversation = _visible(request, reference)
    try:
        return Answer(
            201, MessageOut.of(services.add_internal_note(conversation, user, payload.body))
        )
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error


@console_router.patch(
    "/conversations/{reference}",
    response={200: ConversationOut, **ERRORS},
    summary="Assign, transfer, change status, priority or tags, or merge into another",
)
def change(request: HttpRequest, reference: str, payload: ActionIn) -> ConversationOut:
    user, conversation = _visible(request, reference)
    fields = payload.dict(exclude_unset=True)
    try:
        if "assignee_email" in fields:
            assignee = None
            if payload.assignee_email:
                staff = (
                    StaffMember.objects.select_related("user")
                    .filter(user__email=payload.assignee_email.lower())
                    .first()
                )
                if staff is None:
                    raise HttpError(400, "No staff member with that email.")
                assignee = staff.user
            services.assign(conversation, assignee, user)
        if payload.status:
            services.change_status(conversation, payload.status, user)
        if payload.priority is not None:
            services.change_priority(conversation, payload.priority, user)
        if payload.tags is not None:
            services.set_tags(conversation, payload.tags, user)
        # Last: after a transfer the agent may no longer see the conversation.
        if payload.team:
            team = Team.objects.filter(slug=payload.team).first()
            if team is None:
                raise HttpError(400, "Unknown team.")
            services.transfer_to_team(conversation, team, user)
        if payload.merge_into:
            target = services.conversation_for_staff(user, payload.merge_into)
            return ConversationOut.of(services.merge(conversation, target, user))
    except services.ConversationNotFound as missing:
        raise HttpError(404, "No such conversation.") from missing
    except services.ConversationError as error:
        raise HttpError(400, str(error)) from error
    conversation.refresh_from_db()
    return ConversationOut.of(conversation)


# --- files ----------------------------------------------------------------------------------------
class MessageWithFilesOut(Schema):
    message: MessageOut
    rejected: list[str] = Field(description="Files not attached, with the reason.")


@customer_router.post(
    "/{reference}/messages/with-files",
    response={201: MessageWithFilesOut, **ERRORS},
    summary="Write in a request with screenshots or documents (multipart)",
)
def write_with_files(
    request: HttpRequest,
    reference: str,
    body: Form[str],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Answer:
    customer, conversation = _own(request, reference)
    accepted, rejected = clean_uploads(files or [])
    try:
        message = services.post_customer_message(conversation, customer, body, files=accepted)
    except (services.ConversationError, AttachmentRejected) as error:
        raise HttpError(400, str(error)) from error
    return Answer(201, MessageWithFilesOut(message=MessageOut.of(message), rejected=rejected))


@console_router.post(
    "/conversations/{reference}/replies/with-files",
    response={201: MessageWithFilesOut, **ERRORS},
    summary="Reply with files (multipart)",
)
def reply_with_files(
    request: HttpRequest,
    reference: str,
    body: Form[str],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Answer:
    user, conversation = _visible(request, reference)
    accepted, rejected = clean_uploads(files or [])
    try:
        message = services.post_agent_reply(conversation, user, body, files=accepted)
    except (services.ConversationError, AttachmentRejected) as error:
        raise HttpError(400, str(error)) from error
    return Answer(201, MessageWithFilesOut(message=MessageOut.of(message), rejected=rejected))
