"""The chat's WebSocket: one socket per person per conversation, at
/ws/chat/<reference>/, for the customer who owns the conversation and the staff who may
see it.

What a client sends (JSON objects with a "type"):
- {"type": "hello", "last_sequence": N}: the messages after N it has not seen;
- {"type": "message", "body": "...", "client_message_id": "..."}: stored once per id,
  answered with {"type": "ack", ...}; everyone in the conversation gets it;
- {"type": "typing"} and {"type": "read", "sequence": N}: passed on, not stored.
Anything else gets {"type": "error", "code": ..., "detail": ...}; the socket stays open."""

from __future__ import annotations

import json
import time
from collections import deque
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils.translation import gettext as _

from pharos.accounts import services as accounts
from pharos.conversations import services
from pharos.conversations.models import Conversation, Message, Status

from .events import conversation_group, publish_after_commit

MAX_FRAME_CHARACTERS = 32_000
MAX_RESEND = 500
# A person may send this many messages within the window; more get a notice instead.
MESSAGES_PER_WINDOW = 10
WINDOW_SECONDS = 10.0
CLOSE_NOT_FOUND = 4404


def message_event(message: Message, client_message_id: str | None = None) -> dict[str, Any]:
    return {
        "type": "chat.message",
        "sequence": message.sequence,
        "author_kind": message.author_kind,
        "body": message.body,
        "internal": message.internal,
        "created_at": message.created_at.isoformat(),
        "client_message_id": client_message_id or message.client_message_id,
    }


class ChatConsumer(AsyncWebsocketConsumer):
    conversation: Conversation
    staff: bool

    async def connect(self) -> None:
        found = await self._find_conversation(self.scope["url_route"]["kwargs"]["reference"])
        if found is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.conversation, self.staff = found
        self.group = conversation_group(self.conversation.pk)
        self.sent_at: deque[float] = deque()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARACTERS:
            await self._error("too_large", _("That message is too long."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error("malformed", _("That was not understood."))
            return
        if not isinstance(content, dict):
            await self._error("malformed", _("That was not understood."))
            return
        kind = content.get("type")
        if kind == "hello":
            await self._resend(content.get("last_sequence"))
        elif kind == "message":
            await self._post(content.get("body"), content.get("client_message_id"))
        elif kind in {"typing", "read"}:
            event = {"type": f"chat.{kind}", "from_staff": self.staff}
            if kind == "read" and isinstance(content.get("sequence"), int):
                event["sequence"] = content["sequence"]
            await self.channel_layer.group_send(self.group, event)
        else:
            await self._error("unknown_type", _("That was not understood."))

    # --- events of the conversation's group --------------------------------------------------
    async def chat_message(self, event: dict[str, Any]) -> None:
        if event.get("internal") and not self.staff:
            return  # internal notes never reach the customer
        await self.send(text_data=json.dumps(event, ensure_ascii=False))

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event.get("from_staff") != self.staff:
            await self.send(text_data=json.dumps(event))

    async def chat_read(self, event: dict[str, Any]) -> None:
        if event.get("from_staff") != self.staff:
            await self.send(text_data=json.dumps(event))

    # --- the client's requests ------------------------------------------------------------------
    async def _resend(self, last_sequence: Any) -> None:
        if not isinstance(last_sequence, int) or last_sequence < 0:
            await self._error("malformed", _("That was not understood."))
            return
        for event in await self._messages_after(last_sequence):
            await self.send(text_data=json.dumps(event, ensure_ascii=False))

    async def _post(self, body: Any, client_message_id: Any) -> None:
        if not isinstance(body, str) or not (
            client_message_id is None
            or (isinstance(client_message_id, str) and 0 < len(client_message_id) <= 64)
        ):
            await self._error("malformed", _("That was not understood."))
            return
        now = time.monotonic()
        while self.sent_at and now - self.sent_at[0] > WINDOW_SECONDS:
            self.sent_at.popleft()
        if len(self.sent_at) >= MESSAGES_PER_WINDOW:
            await self._error(
                "too_fast", _("You are sending messages too fast. Please wait a moment.")
            )
            return
        self.sent_at.append(now)
        try:
            sequence = await self._store(body, client_message_id)
        except services.ConversationError as refused:
            await self._error("refused", str(refused))
            return
        await self.send(
            text_data=json.dumps(
                {"type": "ack", "client_message_id": client_message_id, "sequence": sequence}
            )
        )

    async def _error(self, code: str, detail: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": code, "detail": detail}))

    # --- the database, in a thread ------------------------------------------------------------
    @database_sync_to_async
    def _find_conversation(self, reference: str) -> tuple[Conversation, bool] | None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        try:
            if accounts.staff_role(user) is not None:
                return services.conversation_for_staff(user, reference), True
            customer = getattr(user, "customer", None)
            if customer is None:
                return None
            return services.conversation_for_customer(customer, reference), False
        except services.ConversationNotFound:
            return None

    @database_sync_to_async
    def _messages_after(self, sequence: int) -> list[dict[str, Any]]:
        messages = (
            services.messages_for_staff(self.conversation)
            if self.staff
            else services.messages_for_customer(self.conversation)
        )
        return [message_event(m) for m in messages.filter(sequence__gt=sequence)[:MAX_RESEND]]

    @database_sync_to_async
    def _store(self, body: str, client_message_id: str | None) -> int:
        user = self.scope["user"]
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        if self.staff:
            message = services.post_agent_reply(
                conversation, user, body, status_after=Status.ASSIGNED
            )
        else:
            message = services.post_customer_message(
                conversation, user.customer, body, client_message_id=client_message_id
            )
        # Out once committed (post_* commit before returning, so this goes at once).
        publish_after_commit(self.group, message_event(message, client_message_id))
        return message.sequence
