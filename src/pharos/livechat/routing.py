"""Who answers a chat waiting for a person, and how long the customer will wait.

A handed-off chat waits in its team's queue: urgent ones first, then higher VIP tiers,
then the one that has waited longest. It goes to an online agent of that team (whose
console is open) who speaks the customer's language and has fewer chats than their
maximum; among those, the least loaded, then the one whose last chat was given longest
ago."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from pharos.accounts.models import StaffMember, Team, User
from pharos.conversations import services as conversations
from pharos.conversations.models import Channel, Conversation, Status

from .models import AgentPresence, Availability

# Open chats that take an agent's attention.
CHAT_LOAD_STATUSES = [Status.ASSIGNED, Status.WAITING_ON_CUSTOMER]
# Until a team has finished chats to learn from: how long one takes.
DEFAULT_CHAT_MINUTES = 6.0
RECENT_CHATS_FOR_ESTIMATE = 50
NEVER = datetime.min.replace(tzinfo=timezone.get_fixed_timezone(0))


@dataclass(frozen=True)
class Candidate:
    agent: User
    load: int
    capacity: int
    last_chat_assigned_at: datetime | None

    @property
    def has_room(self) -> bool:
        return self.load < self.capacity


@dataclass(frozen=True)
class QueuePlace:
    position: int  # 1: next to be served
    agents_online: int
    estimated_wait_seconds: int | None  # None: nobody online to wait for


# --- presence ------------------------------------------------------------------------------------
def presence_of(agent: User) -> AgentPresence:
    presence, _created = AgentPresence.objects.get_or_create(agent=agent)
    return presence


def set_availability(agent: User, availability: str) -> list[tuple[Conversation, User]]:
    """An agent goes online, away or offline. Going online may give them waiting chats at
    once: the chats routed are returned."""
    if availability not in Availability.values:
        raise ValueError(availability)
    now = timezone.now()
    AgentPresence.objects.update_or_create(
        agent=agent, defaults={"availability": availability, "changed_at": now, "last_seen_at": now}
    )
    if availability != Availability.ONLINE:
        return []
    routed = []
    for team in Team.objects.filter(members__user=agent):
        routed += route_waiting_chats(team)
    return routed


def set_max_concurrent_chats(agent: User, count: int) -> AgentPresence:
    if not 1 <= count <= 20:
        raise ValueError(count)
    presence = presence_of(agent)
    presence.max_concurrent_chats = count
    presence.save(update_fields=["max_concurrent_chats"])
    return presence


# --- the queue -----------------------------------------------------------------------------------
def waiting_chats(team: Team) -> QuerySet[Conversation]:
    """The team's queue, in the order it is served."""
    return Conversation.objects.filter(
        channel=Channel.CHAT,
        team=team,
        status=Status.QUEUED,
        assignee__isnull=True,
        merged_into__isnull=True,
    ).order_by("-priority", "-vip_tier", "queued_at", "pk")


def candidates(team: Team, language: str) -> list[Candidate]:
    """Online agents of the team who speak `language` (an agent with no languages set
    takes any), with their current chat load."""
    staff = (
        StaffMember.objects.filter(
            teams=team,
            user__is_active=True,
            user__chat_presence__availability=Availability.ONLINE,
            user__chat_presence__last_seen_at__gte=timezone.now()
            - timedelta(seconds=settings.CHAT_PRESENCE_TIMEOUT_SECONDS),
        )
        .select_related("user__chat_presence")
        .annotate(
            load=Count(
                "user__assigned_conversations",
                filter=Q(
                    user__assigned_conversations__channel=Channel.CHAT,
                    user__assigned_conversations__status__in=CHAT_LOAD_STATUSES,
                ),
            )
        )
    )
    found = []
    for member in staff:
        if member.languages and language not in member.languages:
            continue
        presence: AgentPresence = member.user.chat_presence
        load: int = member.load  # the annotation
        found.append(
            Candidate(
                member.user, load, presence.max_concurrent_chats, presence.last_chat_assigned_at
            )
        )
    return found


def pick_agent(conversation: Conversation) -> User | None:
    """The agent who should take this chat now, or None when nobody has room."""
    free = [c for c in candidates(conversation.team, conversation.language) if c.has_room]
    if not free:
        return None
    best = min(free, key=lambda c: (c.load, c.last_chat_assigned_at or NEVER, c.agent.pk))
    return best.agent


def route_waiting_chats(team: Team) -> list[tuple[Conversation, User]]:
    """Give the team's waiting chats to free agents, in queue order, until no waiting chat
    has a free agent. Called when a chat is handed off, an agent comes online, or a chat
    ends."""
    routed = []
    for chat in waiting_chats(team):
        with transaction.atomic():
            agent = pick_agent(chat)
            if agent is None:
                continue  # a later chat in another language may still find someone
            # The agent's row locked: two routers cannot both fill their last place.
            presence = AgentPresence.objects.select_for_update().get(agent=agent)
            if _load(agent) >= presence.max_concurrent_chats:
                continue
            if conversations.assign_by_routing(chat, agent):
                presence.last_chat_assigned_at = timezone.now()
                presence.save(update_fields=["last_chat_assigned_at"])
                routed.append((chat, agent))
    return routed


def _load(agent: User) -> int:
    return Conversation.objects.filter(
        channel=Channel.CHAT, assignee=agent, status__in=CHAT_LOAD_STATUSES
    ).count()


def queue_place(conversation: Conversation) -> QueuePlace | None:
    """Where a waiting chat stands, and a rough wait."""
    if conversation.status != Status.QUEUED or conversation.queued_at is None:
        return None
    return queue_places(conversation.team).get(conversation.pk)


def queue_places(team: Team) -> dict[int, QueuePlace]:
    """Every waiting chat of the team: its place, and a rough wait (the chats ahead
    shared among the places online agents have, times how long the team's recent chats
    took). An agent must speak the chat's language to count for it."""
    queue = list(waiting_chats(team).values_list("pk", "language"))
    if not queue:
        return {}
    online_by_language: dict[str, list[Candidate]] = {}
    minutes = average_chat_minutes(team)
    places = {}
    for ahead, (pk, language) in enumerate(queue):
        if language not in online_by_language:
            online_by_language[language] = candidates(team, language)
        online = online_by_language[language]
        if not online:
            places[pk] = QueuePlace(ahead + 1, 0, None)
            continue
        capacity = sum(c.capacity for c in online)
        free_now = sum(max(0, c.capacity - c.load) for c in online)
        if ahead < free_now:
            places[pk] = QueuePlace(ahead + 1, len(online), 0)
            continue
        rounds = math.ceil((ahead + 1 - free_now) / capacity)
        places[pk] = QueuePlace(ahead + 1, len(online), int(rounds * minutes * 60))
    return places


def average_chat_minutes(team: Team) -> float:
    """How long the team's last finished chats lasted, from joining the queue."""
    recent = (
        Conversation.objects.filter(
            channel=Channel.CHAT,
            team=team,
            queued_at__isnull=False,
            resolved_at__isnull=False,
        )
        .order_by("-resolved_at")
        .values("pk")[:RECENT_CHATS_FOR_ESTIMATE]
    )
    average = Conversation.objects.filter(pk__in=recent).aggregate(
        took=Avg(ExpressionWrapper(F("resolved_at") - F("queued_at"), output_field=DurationField()))
    )["took"]
    if not average:
        return DEFAULT_CHAT_MINUTES
    return max(1.0, average / timedelta(minutes=1))
