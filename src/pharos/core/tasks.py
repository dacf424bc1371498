"""Enqueueing background work (django-tasks) so that it happens if and only if the change
that asked for it is committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks import task_backends
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend


def enqueue_with_transaction(
    task: Task[Any, Any], *args: Any, run_after: datetime | None = None
) -> None:
    """Enqueue `task(*args)` as part of the current transaction. With the queue in our own
    database (the default) the task row is written in the transaction: stored or rolled
    back with the rows it is about, and no second write. With an outside queue, once the
    transaction commits, so that its worker never looks for rows not yet committed."""
    bound = task.using(run_after=run_after) if run_after is not None else task
    if isinstance(task_backends[bound.backend], DatabaseBackend):
        bound.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound.enqueue(*args))
