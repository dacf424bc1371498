"""Telling the chat's open sockets what happened, from any code: consumers, request
threads, the task worker. announce.py calls it from the conversations' after-commit
signals, so events go out only once the change they describe is committed,
and a lost event loses nothing: every chat message is stored with its sequence number and
a client that reconnects asks for what it missed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from .layer import BrokerChannelLayer

logger = logging.getLogger("pharos.livechat.events")


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def agent_group(user_id: int) -> str:
    """An agent's consoles: chats given to them."""
    return f"agent.{user_id}"


def team_group(team_id: int) -> str:
    """The consoles of a team's agents: its queue changed."""
    return f"team.{team_id}"


def publish(group: str, message: dict[str, Any]) -> None:
    """group_send from sync code. In a consumer's database thread the event is handed to
    the consumer's own event loop and its layer connection (not waited for); elsewhere
    (request threads, the task worker) it is sent there and then."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:  # sync code called from a coroutine of this very thread
        asyncio.get_running_loop().create_task(_send(layer, group, message))
        return
    except RuntimeError:
        pass
    loop = _event_loop_of_this_thread()
    if loop is not None:
        loop.call_soon_threadsafe(lambda: loop.create_task(_send(layer, group, message)))
        return
    try:
        if isinstance(layer, BrokerChannelLayer):
            layer.publish_blocking(group, message)
        else:
            async_to_sync(layer.group_send)(group, message)
    except OSError as failure:
        _not_sent(group, failure)


async def _send(layer: Any, group: str, message: dict[str, Any]) -> None:
    try:
        await layer.group_send(group, message)
    except OSError as failure:
        _not_sent(group, failure)


def _event_loop_of_this_thread() -> asyncio.AbstractEventLoop | None:
    """The event loop that called into this thread with sync_to_async, if one did."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop


def _not_sent(group: str, failure: Exception) -> None:
    logger.warning(
        "Chat event for %s not sent (%s); clients catch up on reconnect.", group, failure
    )
