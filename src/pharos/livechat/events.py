"""Telling the chat's open sockets what happened, from any code: consumers, request
threads, the task worker. Events go out only once the change they describe is committed,
and a lost event loses nothing: every chat message is stored with its sequence number and
a client that reconnects asks for what it missed."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .layer import BrokerChannelLayer

logger = logging.getLogger("pharos.livechat.events")


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def publish_after_commit(group: str, message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: publish(group, message))


def publish(group: str, message: dict[str, Any]) -> None:
    """group_send from sync code."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if isinstance(layer, BrokerChannelLayer):
            layer.publish_blocking(group, message)
        else:
            async_to_sync(layer.group_send)(group, message)
    except OSError as failure:
        logger.warning(
            "Chat event for %s not sent (%s); clients catch up on reconnect.", group, failure
        )
