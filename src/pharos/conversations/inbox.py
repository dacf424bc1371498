"""The agent's inbox: filters and their counts over the conversations the agent may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pharos.accounts.models import Team, User

from .models import Channel, Conversation, Priority, Status
from .services import conversations_visible_to_staff

OPEN_STATUSES = [Status.QUEUED, Status.ASSIGNED, Status.WAITING_ON_CUSTOMER, Status.BOT]
VIEWS = ("open", "mine", "unassigned", "team", "due_soon", "waiting", "resolved", "all")
DUE_SOON = timedelta(hours=1)


@dataclass(frozen=True)
class InboxFilter:
    view: str = "open"
    status: str = ""
    channel: str = ""
    priority: int | None = None
    query: str = ""

    @classmethod
    def from_params(cls, params: dict[str, str]) -> InboxFilter:
        view = params.get("view", "open")
        status = params.get("status", "")
        channel = params.get("channel", "")
        try:
            priority = int(params.get("priority", "")) if params.get("priority") else None
        except ValueError:
            priority = None
        return cls(
            view=view if view in VIEWS else "open",
            status=status if status in Status.values else "",
            channel=channel if channel in Channel.values else "",
            priority=priority if priority in Priority.values else None,
            query=params.get("q", "").strip()[:100],
        )


def _view_condition(view: str, user: User) -> Q:
    soon = timezone.now() + DUE_SOON
    return {
        "open": Q(status__in=OPEN_STATUSES),
        "mine": Q(assignee=user, status__in=OPEN_STATUSES),
        "unassigned": Q(assignee__isnull=True, status__in=OPEN_STATUSES),
        "team": Q(team__in=Team.objects.filter(members__user=user), status__in=OPEN_STATUSES),
        "due_soon": Q(status__in=OPEN_STATUSES)
        & (
            Q(first_response_at__isnull=True, first_response_due_at__lte=soon)
            | Q(sla_paused_at__isnull=True, resolution_due_at__lte=soon)
        ),
        "waiting": Q(status=Status.WAITING_ON_CUSTOMER),
        "resolved": Q(status__in=[Status.RESOLVED, Status.CLOSED]),
        "all": Q(),
    }[view]


def conversations_for(user: User, inbox: InboxFilter) -> QuerySet[Conversation]:
    """The conversations of one inbox page, most urgent and oldest-waiting first."""
    conversations = conversations_visible_to_staff(user).filter(
        _view_condition(inbox.view, user), merged_into__isnull=True
    )
    if inbox.status:
        conversations = conversations.filter(status=inbox.status)
    if inbox.channel:
        conversations = conversations.filter(channel=inbox.channel)
    if inbox.priority:
        conversations = conversations.filter(priority=inbox.priority)
    if inbox.query:
        conversations = conversations.filter(
            Q(reference__iexact=inbox.query)
            | Q(subject__icontains=inbox.query)
            | Q(customer__uid=inbox.query)
        )
    return conversations.select_related("customer__user", "team", "assignee", "topic").order_by(
        "-priority", "updated_at"
    )


COUNTS_CACHE_SECONDS = 15


def view_counts(user: User) -> dict[str, int]:
    """How many conversations each inbox view holds: one query over everything the agent
    may see, so it is kept for a few seconds rather than run on every page."""
    key = f"conversations:inbox-counts:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        visible = conversations_visible_to_staff(user).filter(merged_into__isnull=True)
        counts = visible.aggregate(
            **{view: Count("pk", filter=_view_condition(view, user)) for view in VIEWS}
        )
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts
