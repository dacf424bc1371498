"""Background work of conversations (django-tasks: the database queue embedded, Redis at
scale)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django_tasks import task

from . import notifications, sla
from .models import Conversation


@task()
def check_sla(conversation_id: int, scheduled_for: str | None = None) -> None:
    """Runs at a warning or due moment of a conversation's SLA (sla.schedule_next_check);
    `scheduled_for` (ISO 8601) tells a live check from one since replaced."""
    moment = datetime.fromisoformat(scheduled_for) if scheduled_for else None
    sla.check(conversation_id, scheduled_for=moment)


@task()
def ticket_opened(conversation_id: int) -> None:
    """What follows a new ticket, out of the customer's request: the acknowledgement with
    its reference number, and the first SLA check queued (one task row written with the
    ticket instead of two)."""
    notifications.send_ticket_received(conversation_id)
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is not None:
            sla.schedule_next_check(conversation)


@task()
def send_chat_transcript(conversation_id: int) -> None:
    notifications.send_chat_transcript(conversation_id)
