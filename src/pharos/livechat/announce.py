"""What the chat's sockets and the agents' consoles hear, once a change is committed
(conversations.signals): each new message of a chat, the chat's state (queue place, who
has it, ended), and for the consoles "your chats or your team's queue changed". A change
that may move the queue (a chat waiting, a place freed, a transfer) routes the team's
waiting chats and tells every waiting customer their new place."""

from __future__ import annotations

import threading
from typing import Any

from django.urls import reverse

from pharos.accounts.models import Team
from pharos.conversations import signals
from pharos.conversations.models import Attachment, AuthorKind, Channel, Conversation, Message

from . import routing
from .events import agent_group, conversation_group, publish, team_group
from .services import chat_state

_routing = threading.local()


def connect() -> None:
    signals.message_stored.connect(message_stored, dispatch_uid="livechat.message_stored")
    signals.conversation_changed.connect(
        conversation_changed, dispatch_uid="livechat.conversation_changed"
    )


def message_event(message: Message, attachments: list[Attachment] | None = None) -> dict[str, Any]:
    """A message as the chat's clients draw it (internal notes reach only staff sockets)."""
    if attachments is None:
        attachments = list(message.attachments.all())
    # People's names (staff see the customer's; the customer sees the agent's).
    author = (
        message.author if message.author_kind in {AuthorKind.AGENT, AuthorKind.CUSTOMER} else None
    )
    return {
        "type": "chat.message",
        "sequence": message.sequence,
        "author_kind": message.author_kind,
        "author_name": (author.display_name if author else "") or "",
        "body": message.body,
        "internal": message.internal,
        "payload": message.payload,
        "attachments": [
            {
                "name": attachment.original_name,
                "url": reverse("attachment", kwargs={"key": attachment.storage_key}),
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
            for attachment in attachments
        ],
        "created_at": message.created_at.isoformat(),
        "client_message_id": message.client_message_id,
    }


def message_stored(
    sender: Any,
    message: Message,
    conversation: Conversation,
    attachments: list[Attachment],
    **kwargs: Any,
) -> None:
    if conversation.channel == Channel.CHAT:
        publish(conversation_group(conversation.pk), message_event(message, attachments))


def conversation_changed(
    sender: Any, conversation: Conversation, changes: frozenset[str], **kwargs: Any
) -> None:
    if conversation.channel != Channel.CHAT and "channel" not in changes:
        return
    current = Conversation.objects.select_related("team").filter(pk=conversation.pk).first()
    if current is None:
        return
    publish(conversation_group(current.pk), chat_state(current))
    refresh = {"type": "console.refresh", "reference": current.reference}
    publish(team_group(current.team_id), refresh)
    if current.assignee_id:
        publish(agent_group(current.assignee_id), refresh)
    if changes & {"status", "team", "assignee"}:
        refresh_queue(current.team)


def refresh_queue(team: Team) -> None:
    """Route the team's waiting chats, then tell each waiting customer their place. The
    changes routing makes come back here; the outer call finishes the job."""
    if getattr(_routing, "busy", False):
        return
    _routing.busy = True
    try:
        routing.route_waiting_chats(team)
    finally:
        _routing.busy = False
    places = routing.queue_places(team)
    for chat in Conversation.objects.filter(pk__in=places):
        publish(conversation_group(chat.pk), chat_state(chat, places))
