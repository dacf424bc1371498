"""Service-level targets: when a conversation must get its first answer and be resolved.

The clock pauses while the conversation waits on the customer: the time spent waiting is
added to the due times. A background task (tasks.check_sla) runs at the next warning or
due moment, looks at the conversation as it is then (a target already met needs
nothing) and schedules the check after it; `sla_next_check_at` says which check is the
live one."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from pharos.accounts import services as accounts
from pharos.core.tasks import enqueue_with_transaction

from . import lookups
from .models import AuthorKind, Conversation, Message, Priority, Status
from .sequence import take_sequence

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


def targets(topic_id: int | None, priority: int) -> tuple[int, int]:
    """(first response, resolution) in minutes, from the most specific policy: topic and
    priority, then topic, then priority, then the catch-all."""
    matching = [
        policy
        for policy in lookups.sla_policies()
        if policy.topic_id in (topic_id, None) and policy.priority in (priority, None)
    ]
    if not matching:
        return settings.SLA_DEFAULT_MINUTES
    best = max(matching, key=lambda p: (p.topic_id is not None, p.priority is not None))
    return best.first_response_minutes, best.resolution_minutes


def set_due_times(conversation: Conversation, start: datetime | None = None) -> None:
    """Fill in the due times of a conversation from the policy of its topic and priority,
    counted from `start` (default: when it was opened). Not saved: a new conversation is
    inserted with them."""
    first_minutes, resolution_minutes = targets(conversation.topic_id, conversation.priority)
    paused = timedelta(seconds=conversation.sla_paused_seconds)
    start = start or conversation.created_at
    conversation.first_response_due_at = start + timedelta(minutes=first_minutes) + paused
    conversation.resolution_due_at = start + timedelta(minutes=resolution_minutes) + paused
    conversation.sla_warned = []
    conversation.sla_next_check_at = next_check(conversation, after=None)


def apply_targets(conversation: Conversation) -> None:
    """Set the due times from the policy again (after a priority change) and schedule the
    next check. Call inside the transaction that changed the conversation."""
    set_due_times(conversation)
    conversation.save(
        update_fields=[
            "first_response_due_at",
            "resolution_due_at",
            "sla_warned",
            "sla_next_check_at",
            "updated_at",
        ]
    )
    schedule_next_check(conversation)


def pause(conversation: Conversation, now: datetime) -> None:
    """The conversation waits on the customer: stop its clock."""
    if conversation.sla_paused_at is None:
        conversation.sla_paused_at = now
        conversation.save(update_fields=["sla_paused_at"])


def resume(conversation: Conversation, now: datetime) -> None:
    """The customer answered: start the clock again, with the due times moved by the pause."""
    if conversation.sla_paused_at is None:
        return
    waited = max(now - conversation.sla_paused_at, timedelta(0))
    conversation.sla_paused_at = None
    conversation.sla_paused_seconds += int(waited.total_seconds())
    if conversation.first_response_due_at and conversation.first_response_at is None:
        conversation.first_response_due_at += waited
    if conversation.resolution_due_at:
        conversation.resolution_due_at += waited
    conversation.sla_next_check_at = next_check(conversation, after=now)
    conversation.save(
        update_fields=[
            "sla_paused_at",
            "sla_paused_seconds",
            "first_response_due_at",
            "resolution_due_at",
            "sla_next_check_at",
        ]
    )
    schedule_next_check(conversation)


def _warning_before(due: datetime, created: datetime) -> datetime:
    # Warn a quarter of the target ahead, at most SLA_WARNING_MINUTES before it.
    lead = min((due - created) / 4, timedelta(minutes=settings.SLA_WARNING_MINUTES))
    return due - lead


def _moments(conversation: Conversation) -> list[datetime]:
    """When the clock has something to say: each open target's warning and due moments."""
    moments = []
    if conversation.first_response_at is None and conversation.first_response_due_at:
        due = conversation.first_response_due_at
        moments += [_warning_before(due, conversation.created_at), due]
    if conversation.resolution_due_at:
        due = conversation.resolution_due_at
        moments += [_warning_before(due, conversation.created_at), due]
    return moments


def next_check(conversation: Conversation, after: datetime | None) -> datetime | None:
    """The first warning or due moment later than `after` (all of them when None)."""
    later = [moment for moment in _moments(conversation) if after is None or moment > after]
    return min(later, default=None)


def schedule_next_check(conversation: Conversation) -> None:
    """Enqueue the check for `conversation.sla_next_check_at`, within the transaction that
    set it. One check is queued at a time and each schedules the next, so a conversation
    whose targets move leaves at most a stale check behind, and that one does nothing."""
    from .tasks import check_sla

    moment = conversation.sla_next_check_at
    if moment is not None:
        enqueue_with_transaction(check_sla, conversation.pk, moment.isoformat(), run_after=moment)


def due_now(conversation: Conversation, now: datetime) -> list[tuple[str, str]]:
    """What the conversation's clock says at `now`: (target, "warn" or "breach") pairs."""
    if conversation.status in {Status.RESOLVED, Status.CLOSED} or conversation.merged_into_id:
        return []
    found = []
    checks = [(RESOLUTION, conversation.resolution_due_at)]
    if conversation.first_response_at is None:
        checks.insert(0, (FIRST_RESPONSE, conversation.first_response_due_at))
    for target, due in checks:
        if due is None or (conversation.sla_paused_at and target == RESOLUTION):
            continue
        if now >= due:
            found.append((target, "breach"))
        elif now >= _warning_before(due, conversation.created_at):
            found.append((target, "warn"))
    return found


def check(
    conversation_id: int, now: datetime | None = None, scheduled_for: datetime | None = None
) -> list[tuple[str, str]]:
    """Warn about targets close to being missed; escalate missed ones (priority up one
    step, a note in the conversation, the team lead told by email). Each warning and each
    breach happens once. Then schedule the next check. A check scheduled for a moment
    that has since been replaced (`scheduled_for` is no longer the next check) does
    nothing: the replacing schedule has its own."""
    now = now or timezone.now()
    done = []
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
            return []
        if scheduled_for is not None and conversation.sla_next_check_at != scheduled_for:
            return []
        for target, kind in due_now(conversation, now):
            if kind == "warn" and target not in conversation.sla_warned:
                conversation.sla_warned = [*conversation.sla_warned, target]
                _note(conversation, f"SLA warning: the {target.replace('_', ' ')} is due soon.")
                done.append((target, kind))
            elif kind == "breach" and target not in conversation.sla_breached:
                conversation.sla_breached = [*conversation.sla_breached, target]
                conversation.priority = min(conversation.priority + 1, Priority.URGENT)
                _note(
                    conversation,
                    f"SLA breached: the {target.replace('_', ' ')} is overdue; priority raised.",
                )
                accounts.record_audit_event(
                    None,
                    "sla_breached",
                    conversation,
                    detail={"reference": conversation.reference, "target": target},
                )
                _tell_team_lead(conversation, target)
                done.append((target, kind))
        finished = conversation.status in {Status.RESOLVED, Status.CLOSED}
        following = None if finished else next_check(conversation, after=now)
        if done or following != conversation.sla_next_check_at:
            conversation.sla_next_check_at = following
            fields = ["sla_warned", "sla_breached", "priority", "sla_next_check_at"]
            conversation.save(update_fields=[*fields, "updated_at"] if done else fields)
            schedule_next_check(conversation)
    return done


def _note(conversation: Conversation, text: str) -> None:
    conversation.last_sequence = take_sequence(conversation.pk, timezone.now())
    Message.objects.create(
        conversation=conversation,
        sequence=conversation.last_sequence,
        author_kind=AuthorKind.SYSTEM,
        body=text,
        internal=True,
    )


def _tell_team_lead(conversation: Conversation, target: str) -> None:
    lead = conversation.team.lead
    if lead is None or not lead.email:
        return
    subject = f"[{conversation.reference}] SLA breached: {target.replace('_', ' ')}"
    body = (
        f"{conversation.reference} ({conversation.subject}) missed its {target.replace('_', ' ')} "
        f"target in team {conversation.team.name_en}.\n"
        f"{settings.SITE_URL}/en/console/c/{conversation.reference}/"
    )
    address = lead.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
