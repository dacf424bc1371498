"""Service-level targets: when a conversation must get its first answer and be resolved.

The clock pauses while the conversation waits on the customer: the time spent waiting is
added to the due times. Checks run as background tasks scheduled for the warning and due
moments (tasks.check_sla); each check looks at the conversation as it is then, so a
check for a moment that has moved, or a target already met, does nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pharos.accounts import services as accounts

from .models import AuthorKind, Conversation, Message, Priority, SlaPolicy, Status

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


def targets(conversation: Conversation) -> tuple[int, int]:
    """(first response, resolution) in minutes, from the most specific policy."""
    # SQL's IN never matches NULL, so "this value or any" is spelt out.
    candidates = SlaPolicy.objects.filter(
        Q(topic_id=conversation.topic_id) | Q(topic__isnull=True),
        Q(priority=conversation.priority) | Q(priority__isnull=True),
    )
    best = sorted(
        candidates, key=lambda p: (p.topic_id is not None, p.priority is not None), reverse=True
    )
    if best:
        return best[0].first_response_minutes, best[0].resolution_minutes
    return settings.SLA_DEFAULT_MINUTES


def apply_targets(conversation: Conversation) -> None:
    """Set the due times from the policy (again, after a priority change) and schedule the
    checks. Call inside the transaction that changed the conversation."""
    first_minutes, resolution_minutes = targets(conversation)
    paused = timedelta(seconds=conversation.sla_paused_seconds)
    conversation.first_response_due_at = (
        conversation.created_at + timedelta(minutes=first_minutes) + paused
    )
    conversation.resolution_due_at = (
        conversation.created_at + timedelta(minutes=resolution_minutes) + paused
    )
    conversation.sla_warned = []
    conversation.save(
        update_fields=["first_response_due_at", "resolution_due_at", "sla_warned", "updated_at"]
    )
    _schedule(conversation)


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
    conversation.save(
        update_fields=[
            "sla_paused_at",
            "sla_paused_seconds",
            "first_response_due_at",
            "resolution_due_at",
        ]
    )
    _schedule(conversation)


def _warning_before(due: datetime, created: datetime) -> datetime:
    # Warn a quarter of the target ahead, at most SLA_WARNING_MINUTES before it.
    lead = min((due - created) / 4, timedelta(minutes=settings.SLA_WARNING_MINUTES))
    return due - lead


def _schedule(conversation: Conversation) -> None:
    from .tasks import check_sla

    moments = []
    if conversation.first_response_at is None and conversation.first_response_due_at:
        due = conversation.first_response_due_at
        moments += [_warning_before(due, conversation.created_at), due]
    if conversation.resolution_due_at:
        due = conversation.resolution_due_at
        moments += [_warning_before(due, conversation.created_at), due]
    conversation_id = conversation.pk

    def enqueue() -> None:
        for moment in moments:
            check_sla.using(run_after=moment).enqueue(conversation_id)

    transaction.on_commit(enqueue)


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


def check(conversation_id: int, now: datetime | None = None) -> list[tuple[str, str]]:
    """Warn about targets close to being missed; escalate missed ones (priority up one
    step, a note in the conversation, the team lead told by email). Each warning and each
    breach happens once."""
    now = now or timezone.now()
    done = []
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().filter(pk=conversation_id).first()
        if conversation is None:
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
        if done:
            conversation.save(
                update_fields=["sla_warned", "sla_breached", "priority", "updated_at"]
            )
    return done


def _note(conversation: Conversation, text: str) -> None:
    from django.db.models import F

    Conversation.objects.filter(pk=conversation.pk).update(last_sequence=F("last_sequence") + 1)
    conversation.refresh_from_db(fields=["last_sequence"])
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
