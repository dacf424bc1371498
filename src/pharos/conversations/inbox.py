"""The agent's inbox: filters and their counts over the conversations the agent may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
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
    return conversations.order_by("-priority", "updated_at")


PAGE_SIZE = 50
LINK_PLACEHOLDER = "PH-0000-000000"


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox page, ready to show."""

    reference: str
    link: str
    subject: str
    customer: str  # name or email, and UID; empty while the sender is unknown
    status: str
    status_label: str
    priority: int
    priority_label: str
    team: str
    assignee: str
    due: str  # "m-d H:i", empty for none
    due_iso: str
    due_paused: bool
    overdue: bool
    updated: str
    updated_iso: str


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    number: int
    has_previous: bool
    has_next: bool


ROW_COLUMNS = (
    "reference", "subject", "status", "priority", "updated_at", "customer__uid",
    "customer__user__display_name", "customer__user__email", "team__name_en",
    "team__name_zh_hans", "assignee__display_name", "assignee__email", "sla_paused_at",
    "first_response_at", "first_response_due_at", "resolution_due_at", "sla_breached",
)  # fmt: skip


def inbox_page(user: User, inbox: InboxFilter, number: int, chinese: bool) -> InboxPage:
    """A page of the inbox from the columns it shows: no model instances, and no count of
    the whole view (the view counts are cached; a page only needs to know if one follows)."""
    start = (number - 1) * PAGE_SIZE
    found = list(conversations_for(user, inbox).values(*ROW_COLUMNS)[start : start + PAGE_SIZE + 1])
    statuses = {value: str(label) for value, label in Status.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    # One reverse() for the page, not one per row (references are [A-Z0-9-]).
    link = reverse("console:conversation", kwargs={"reference": LINK_PLACEHOLDER})
    rows = [_row(values, statuses, priorities, chinese, link) for values in found[:PAGE_SIZE]]
    return InboxPage(rows, number, has_previous=number > 1, has_next=len(found) > PAGE_SIZE)


def _row(
    values: dict[str, Any],
    statuses: dict[str, str],
    priorities: dict[int, str],
    chinese: bool,
    link: str,
) -> InboxRow:
    due, target = None, ""
    if values["sla_paused_at"] is None:
        if values["first_response_at"] is None and values["first_response_due_at"]:
            due, target = values["first_response_due_at"], "first_response"
        elif values["resolution_due_at"]:
            due, target = values["resolution_due_at"], "resolution"
    customer = ""
    if values["customer__uid"]:
        name = values["customer__user__display_name"] or values["customer__user__email"] or ""
        customer = f"{name} · {values['customer__uid']}"
    return InboxRow(
        reference=values["reference"],
        link=link.replace(LINK_PLACEHOLDER, values["reference"]),
        subject=values["subject"],
        customer=customer,
        status=values["status"],
        status_label=statuses.get(values["status"], values["status"]),
        priority=values["priority"],
        priority_label=priorities.get(values["priority"], str(values["priority"])),
        team=values["team__name_zh_hans"] if chinese else values["team__name_en"],
        assignee=values["assignee__display_name"] or values["assignee__email"] or "",
        due=_short(due),
        due_iso=due.isoformat() if due else "",
        due_paused=values["sla_paused_at"] is not None,
        overdue=bool(target) and target in (values["sla_breached"] or []),
        updated=_short(values["updated_at"]),
        updated_iso=values["updated_at"].isoformat(),
    )


def _short(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else ""


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
