"""Every message of a conversation has the next number of its sequence: clients resume
from the last number they saw. Taken inside the transaction that adds the message."""

from __future__ import annotations

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


def lock_for_message(
    conversation_id: int, now: datetime, *, customer_spoke: bool = False
) -> Conversation:
    """Lock the conversation's row and take its next sequence number in one statement (a
    chat message's hot path): the row comes back as it is now, its last_sequence the new
    message's number. A transaction rolled back gives the number back."""
    table = Conversation._meta.db_table
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in Conversation._meta.concrete_fields
    )
    customer_moment = ", last_customer_message_at = %s" if customer_spoke else ""
    moment = connection.ops.adapt_datetimefield_value(now)
    parameters: list[Any] = [moment, moment] if customer_spoke else [moment]
    rows = list(
        Conversation.objects.raw(
            f"UPDATE {table} SET last_sequence = last_sequence + 1, "  # noqa: S608
            f"updated_at = %s{customer_moment} WHERE id = %s RETURNING {columns}",
            [*parameters, conversation_id],
        )
    )
    if not rows:
        raise Conversation.DoesNotExist(conversation_id)
    return rows[0]
