"""Every message of a conversation has the next number of its sequence: clients resume
from the last number they saw. Taken inside the transaction that adds the message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from .models import Conversation


def take_sequence(conversation_id: int, now: datetime, *, customer_spoke: bool = False) -> int:
    """The conversation's next sequence number, with its last activity moved to `now`: one
    statement (UPDATE … RETURNING, which the ORM's update() cannot do)."""
    table = Conversation._meta.db_table
    customer_moment = ", last_customer_message_at = %s" if customer_spoke else ""
    moment = connection.ops.adapt_datetimefield_value(now)  # as the ORM would store it
    parameters: list[Any] = [moment, moment] if customer_spoke else [moment]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_sequence = last_sequence + 1, "  # noqa: S608
            f"updated_at = %s{customer_moment} WHERE id = %s RETURNING last_sequence",
            [*parameters, conversation_id],
        )
        (sequence,) = cursor.fetchone()
    return int(sequence)


@dataclass(frozen=True)
class Numbered:
    """What a message's hot path needs to know of its conversation, read with the lock."""

    sequence: int  # the new message's number
    status: str
    assignee_id: int | None
    has_first_response: bool
    channel: str


def lock_for_message(
    conversation_id: int, now: datetime, *, customer_spoke: bool = False
) -> Numbered:
    """Lock the conversation's row and take its next sequence number in one statement (a
    chat message's hot path), with the few columns that decide whether more than a
    message is written. A transaction rolled back gives the number back."""
    table = Conversation._meta.db_table
    customer_moment = ", last_customer_message_at = %s" if customer_spoke else ""
    moment = connection.ops.adapt_datetimefield_value(now)
    parameters: list[Any] = [moment, moment] if customer_spoke else [moment]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_sequence = last_sequence + 1, "  # noqa: S608
            f"updated_at = %s{customer_moment} WHERE id = %s RETURNING last_sequence, status, "
            # The column itself: SQLite 3.40 answered `first_response_at IS NOT NULL` with 1
            # for a NULL in RETURNING.
            "assignee_id, first_response_at, channel",
            [*parameters, conversation_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Conversation.DoesNotExist(conversation_id)
    sequence, status, assignee_id, first_response_at, channel = row
    return Numbered(int(sequence), status, assignee_id, first_response_at is not None, channel)
