"""The chat's WebSockets.

/ws/chat/<reference>/: one socket per person per conversation, for the customer who owns
the conversation and the staff who may see it. What a client sends (JSON objects with a
"type"):
- {"type": "hello", "last_sequence": N}: the messages after N it has not seen, then the
  chat's state;
- {"type": "message", "body": "...", "client_message_id": "..."}: stored once per id,
  answered with {"type": "ack", ...}; everyone in the conversation gets it (while the bot
  has the chat, the bot's answer follows);
- {"type": "action", "name": "solved" | "not_solved" | "person" | "end" |
  "leave_message" | "email_transcript"} (the customer's buttons);
- {"type": "rate", "rating": 1-5, "comment": "..."} once the chat has ended;
- {"type": "typing"} and {"type": "read", "sequence": N}: passed on, not stored;
- {"type": "ping"}: answered with {"type": "pong"}.
Anything else gets {"type": "error", "code": ..., "detail": ...}; the socket stays open.

/ws/console/: an agent's console. It hears "console.refresh" when a chat is given to
the agent or their team's queue changes, and its pings keep the agent available."""

from __future__ import annotations

import time
from collections import deque
from importlib import import_module
from typing import Any

import orjson
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.translation import gettext as _

from pharos.accounts import services as accounts
from pharos.accounts import two_factor
from pharos.accounts.middleware import staff_session_deadline
from pharos.accounts.models import Team, User
from pharos.conversations import services
from pharos.conversations.models import Conversation, Status

from . import services as chat
from .announce import message_event
from .events import agent_group, conversation_group, team_group

MAX_FRAME_CHARACTERS = 32_000
MAX_RESEND = 500
# A person may send this many messages and actions within the window; more get a notice.
MESSAGES_PER_WINDOW = 10
WINDOW_SECONDS = 10.0
CLOSE_NOT_FOUND = 4404
SESSION_RECHECK_SECONDS = 60


def _encode(event: dict[str, Any]) -> str:
    return orjson.dumps(event).decode()


class StaffSession:
    """What a staff socket needs, like a console page: a verified, unexpired session. The
    socket's frames do not mark the session as seen, so it is read again from the store
    at most once a minute (the agent's page requests keep it alive; signing out or an
    idle hour ends it), and the socket closes once it has ended."""

    scope: dict[str, Any]
    session_deadline: float = 0.0
    session_checked_at: float = 0.0

    def open_staff_session(self, user: User) -> bool:
        """At connect, in the database thread."""
        session = self.scope.get("session")
        deadline = staff_session_deadline(session)
        if deadline is None or not two_factor.staff_may_work(user, session):
            return False
        self.session_deadline, self.session_checked_at = deadline, time.time()
        return True

    async def staff_session_open(self) -> bool:
        now = time.time()
        if now > self.session_deadline:
            return False
        if now - self.session_checked_at < SESSION_RECHECK_SECONDS:
            return True
        self.session_checked_at = now
        return await database_sync_to_async(self._session_still_open)()

    def _session_still_open(self) -> bool:
        user: User = self.scope["user"]
        engine = import_module(settings.SESSION_ENGINE)
        stored = engine.SessionStore(self.scope["session"].session_key)
        if str(stored.get(SESSION_KEY)) != str(user.pk):
            return False  # signed out (or someone else's session now)
        deadline = staff_session_deadline(stored)
        if deadline is None or not two_factor.staff_may_work(user, stored):
            return False
        self.session_deadline = deadline
        return True


class ChatConsumer(StaffSession, AsyncWebsocketConsumer):
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

    async def dispatch(self, message: dict[str, Any]) -> None:
        """As Channels' dispatch, without closing old database connections before every
        frame and event (a trip to the database thread each): the database calls below
        do that themselves."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.staff and not await self.staff_session_open():
            await self.close(code=CLOSE_NOT_FOUND)  # the staff session ended: sign in again
            return
        with translation.override(self.conversation.language if not self.staff else None):
            await self._receive(text_data)

    async def _receive(self, text_data: str | None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARACTERS:
            await self._error("too_large", _("That message is too long."))
            return
        try:
            content = orjson.loads(text_data)
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
        elif kind == "action" and not self.staff:
            if await self._within_limit():
                await self._act(content.get("name"))
        elif kind == "rate" and not self.staff:
            await self._rate(content.get("rating"), content.get("comment", ""))
        elif kind in {"typing", "read"}:
            event = {"type": f"chat.{kind}", "from_staff": self.staff}
            if kind == "read" and isinstance(content.get("sequence"), int):
                event["sequence"] = content["sequence"]
            await self.channel_layer.group_send(self.group, event)
        elif kind == "ping":
            await self.send(text_data='{"type": "pong"}')
        else:
            await self._error("unknown_type", _("That was not understood."))

    # --- events of the conversation's group --------------------------------------------------
    async def chat_message(self, event: dict[str, Any]) -> None:
        if event.get("internal") and not self.staff:
            return  # internal notes never reach the customer
        if self.staff and not await self.staff_session_open():
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send(text_data=_encode(event))

    async def chat_state(self, event: dict[str, Any]) -> None:
        if self.staff and not await self._still_visible():
            # Transferred away from the agent: their socket closes, as if never allowed.
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send(text_data=_encode(event))

    async def chat_typing(self, event: dict[str, Any]) -> None:
        if event.get("from_staff") != self.staff:
            await self.send(text_data=_encode(event))

    async def chat_read(self, event: dict[str, Any]) -> None:
        if event.get("from_staff") != self.staff:
            await self.send(text_data=_encode(event))

    # --- the client's requests ------------------------------------------------------------------
    async def _resend(self, last_sequence: Any) -> None:
        if not isinstance(last_sequence, int) or last_sequence < 0:
            await self._error("malformed", _("That was not understood."))
            return
        events, state = await self._catch_up(last_sequence)
        for event in events:
            await self.send(text_data=_encode(event))
        await self.send(text_data=_encode(state))

    async def _post(self, body: Any, client_message_id: Any) -> None:
        if not isinstance(body, str) or not (
            client_message_id is None
            or (isinstance(client_message_id, str) and 0 < len(client_message_id) <= 64)
        ):
            await self._error("malformed", _("That was not understood."))
            return
        if not await self._within_limit():
            return
        try:
            sequence = await self._store(body, client_message_id)
        except services.ConversationError as refused:
            await self._error("refused", str(refused))
            return
        await self.send(
            text_data=_encode(
                {"type": "ack", "client_message_id": client_message_id, "sequence": sequence}
            )
        )

    async def _act(self, name: Any) -> None:
        try:
            await self._customer_action(str(name))
        except services.ConversationError as refused:
            await self._error("refused", str(refused))

    async def _rate(self, rating: Any, comment: Any) -> None:
        try:
            await self._store_rating(rating, comment)
        except services.ConversationError as refused:
            await self._error("refused", str(refused))
            return
        await self.send(text_data=_encode({"type": "rated", "rating": rating}))

    async def _within_limit(self) -> bool:
        now = time.monotonic()
        while self.sent_at and now - self.sent_at[0] > WINDOW_SECONDS:
            self.sent_at.popleft()
        if len(self.sent_at) >= MESSAGES_PER_WINDOW:
            await self._error(
                "too_fast", _("You are sending messages too fast. Please wait a moment.")
            )
            return False
        self.sent_at.append(now)
        return True

    async def _error(self, code: str, detail: str) -> None:
        await self.send(text_data=_encode({"type": "error", "code": code, "detail": detail}))

    # --- the database, in a thread ------------------------------------------------------------
    @database_sync_to_async
    def _find_conversation(self, reference: str) -> tuple[Conversation, bool] | None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        try:
            if accounts.staff_role(user) is not None:
                if not self.open_staff_session(user):
                    return None
                conversation = services.conversation_for_staff(user, reference)
                accounts.record_audit_event(user, "viewed_conversation", conversation)
                return conversation, True
            customer = getattr(user, "customer", None)
            if customer is None:
                return None
            return services.conversation_for_customer(customer, reference), False
        except services.ConversationNotFound:
            return None

    @database_sync_to_async
    def _still_visible(self) -> bool:
        visible = services.conversations_visible_to_staff(self.scope["user"])
        return bool(visible.filter(pk=self.conversation.pk).exists())

    @database_sync_to_async
    def _catch_up(self, sequence: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        messages = (
            services.messages_for_staff(conversation)
            if self.staff
            else services.messages_for_customer(conversation)
        )
        events = [message_event(m) for m in messages.filter(sequence__gt=sequence)[:MAX_RESEND]]
        return events, chat.chat_state(conversation)

    @database_sync_to_async
    def _store(self, body: str, client_message_id: str | None) -> int:
        user = self.scope["user"]
        conversation = self.conversation  # the services lock and read the row themselves
        if self.staff:
            message = services.post_agent_reply(
                conversation, user, body, status_after=Status.ASSIGNED,
                client_message_id=client_message_id, visibility_checked=True,
            )  # fmt: skip
        else:
            message = chat.customer_writes(conversation, user.customer, body, client_message_id)
        return message.sequence

    @database_sync_to_async
    def _customer_action(self, name: str) -> None:
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        chat.customer_action(conversation, self.scope["user"].customer, name)

    @database_sync_to_async
    def _store_rating(self, rating: Any, comment: Any) -> None:
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        chat.rate_chat(conversation, self.scope["user"].customer, rating, comment)


class ConsoleConsumer(StaffSession, AsyncWebsocketConsumer):
    """An agent's console: told when its chats or its team's queue change."""

    async def connect(self) -> None:
        groups = await self._groups()
        if groups is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.groups_joined = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "groups_joined"):
            await database_sync_to_async(chat.console_closed)(self.scope["user"])

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not await self.staff_session_open():
            await self.close(code=CLOSE_NOT_FOUND)  # the staff session ended: sign in again
            return
        if text_data is not None and '"ping"' in text_data[:100]:
            await database_sync_to_async(chat.seen)(self.scope["user"])
            await self.send(text_data='{"type": "pong"}')

    async def console_refresh(self, event: dict[str, Any]) -> None:
        if not await self.staff_session_open():
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send(text_data=_encode(event))

    @database_sync_to_async
    def _groups(self) -> list[str] | None:
        user: User | None = self.scope.get("user")
        if user is None or not user.is_authenticated or accounts.staff_role(user) is None:
            return None
        if not self.open_staff_session(user):
            return None
        chat.console_opened(user)
        teams = Team.objects.filter(members__user=user).values_list("pk", flat=True)
        return [agent_group(user.pk), *(team_group(pk) for pk in teams)]
