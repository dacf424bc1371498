"""Background work of conversations (django-tasks: the database queue embedded, Redis at
scale)."""

from __future__ import annotations

from django_tasks import task

from . import sla


@task()
def check_sla(conversation_id: int) -> None:
    """Scheduled for a warning or due moment of a conversation's SLA (sla._schedule)."""
    sla.check(conversation_id)
