"""Routing a chat handed off by the bot: the right team, the customer's language, each
agent's capacity, VIP customers first, and among equals the least loaded, then the
longest idle; the customer's place in the queue and the wait."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pharos.accounts.models import AuditEvent, StaffRole, Team
from pharos.accounts.services import create_customer, create_staff_member
from pharos.conversations import services
from pharos.conversations.models import Channel, Conversation, Status, Topic
from pharos.livechat import routing
from pharos.livechat.models import AgentPresence, Availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def general() -> Team:
    return Team.objects.get(slug="general-support")


def chat_agent(email: str, team: Team, languages: list[str], online: bool = True, most: int = 2):  # type: ignore[no-untyped-def]
    staff = create_staff_member(email=email, role=StaffRole.AGENT, password="x-password-123")
    staff.languages = languages
    staff.save()
    staff.teams.add(team)
    routing.set_max_concurrent_chats(staff.user, most)
    if online:
        routing.set_availability(staff.user, Availability.ONLINE)
    return staff.user


counter = iter(range(30000001, 30009999))


def waiting_chat(language: str = "en", vip_tier: int = 0, topic: str = "other") -> Conversation:
    """A chat the bot has just handed to the people."""
    uid = str(next(counter))
    customer = create_customer(uid=uid, email=f"{uid}@example.com", language=language)
    chat = Conversation.objects.create(
        reference=services.next_reference(),
        channel=Channel.CHAT,
        customer=customer,
        topic=Topic.objects.get(slug=topic),
        subject="Chat",
        status=Status.BOT,
        team=Topic.objects.get(slug=topic).default_team,
        language=language,
    )
    return services.hand_off_to_people(chat, "asked for a person", vip_tier=vip_tier)


def test_a_handed_off_chat_goes_to_an_online_agent_of_its_team(general) -> None:
    security = Team.objects.get(slug="security")
    chat_agent("sec@tidewell.example", security, ["en"])
    away = chat_agent("away@tidewell.example", general, ["en"], online=False)
    ada = chat_agent("ada@tidewell.example", general, ["en"])
    chat = waiting_chat()
    assert routing.route_waiting_chats(general) == [(chat, ada)]
    chat.refresh_from_db()
    assert (chat.status, chat.assignee) == (Status.ASSIGNED, ada)
    assert AuditEvent.objects.filter(action="routed").count() == 1
    assert away not in [a for _, a in routing.route_waiting_chats(general)]


def test_the_agent_must_speak_the_customers_language(general) -> None:
    chat_agent("en.only@tidewell.example", general, ["en"])
    zh = chat_agent("zh@tidewell.example", general, ["zh-hans", "en"])
    chat = waiting_chat(language="zh-hans")
    assert routing.route_waiting_chats(general) == [(chat, zh)]


def test_an_agent_at_capacity_gets_no_more_and_the_chat_waits(general) -> None:
    ada = chat_agent("ada@tidewell.example", general, ["en"], most=2)
    first, second, third = waiting_chat(), waiting_chat(), waiting_chat()
    assert routing.route_waiting_chats(general) == [(first, ada), (second, ada)]
    third.refresh_from_db()
    assert third.status == Status.QUEUED
    place = routing.queue_place(third)
    assert place is not None and place.position == 1 and place.agents_online == 1
    assert place.estimated_wait_seconds == 6 * 60  # one round of the default chat length
    # The agent finishes a chat: the waiting one is theirs.
    services.change_status(first, Status.RESOLVED, ada)
    assert routing.route_waiting_chats(general) == [(third, ada)]


def test_vip_customers_are_served_first(general) -> None:
    regular = waiting_chat()
    vip = waiting_chat(vip_tier=2)
    assert [c.pk for c in routing.waiting_chats(general)] == [vip.pk, regular.pk]
    assert routing.queue_place(vip).position == 1  # type: ignore[union-attr]
    assert routing.queue_place(regular).position == 2  # type: ignore[union-attr]
    ada = chat_agent("ada@tidewell.example", general, ["en"], online=False, most=1)
    assert routing.set_availability(ada, Availability.ONLINE) == [(vip, ada)]


def test_among_equals_the_least_loaded_then_the_longest_idle_agent(general) -> None:
    ada = chat_agent("ada@tidewell.example", general, ["en"], most=3)
    bo = chat_agent("bo@tidewell.example", general, ["en"], most=3)
    AgentPresence.objects.filter(agent=ada).update(
        last_chat_assigned_at=timezone.now() - timedelta(minutes=1)
    )
    AgentPresence.objects.filter(agent=bo).update(
        last_chat_assigned_at=timezone.now() - timedelta(minutes=30)
    )
    first = waiting_chat()
    assert routing.route_waiting_chats(general) == [(first, bo)]  # idle longest
    second = waiting_chat()
    assert routing.route_waiting_chats(general) == [(second, ada)]  # bo now has one more
    waiting_chat(), waiting_chat()
    assigned = [agent for _, agent in routing.route_waiting_chats(general)]
    assert sorted(a.email for a in assigned) == [ada.email, bo.email]  # one each


def test_an_agent_coming_online_takes_the_waiting_chats(general) -> None:
    chat = waiting_chat()
    place = routing.queue_place(chat)
    assert place is not None and place.agents_online == 0 and place.estimated_wait_seconds is None
    ada = chat_agent("ada@tidewell.example", general, ["en"], online=False)
    assert routing.set_availability(ada, Availability.ONLINE) == [(chat, ada)]
    assert routing.set_availability(ada, Availability.AWAY) == []


def test_the_wait_follows_how_long_the_teams_chats_take(general) -> None:
    ada = chat_agent("ada@tidewell.example", general, ["en"], most=1)
    done = waiting_chat()
    routing.route_waiting_chats(general)
    Conversation.objects.filter(pk=done.pk).update(
        queued_at=timezone.now() - timedelta(minutes=10), resolved_at=timezone.now(),
        status=Status.RESOLVED,
    )  # fmt: skip
    busy = waiting_chat()
    routing.route_waiting_chats(general)
    assert Conversation.objects.get(pk=busy.pk).assignee == ada
    later = waiting_chat()
    place = routing.queue_place(later)
    assert place is not None and place.estimated_wait_seconds == 10 * 60


def test_handing_off_twice_keeps_the_first_place_in_the_queue(general) -> None:
    chat = waiting_chat()
    queued_at = chat.queued_at
    services.hand_off_to_people(chat, "again")
    chat.refresh_from_db()
    assert chat.queued_at == queued_at and chat.status == Status.QUEUED


def test_limits_on_availability_and_capacity(general) -> None:
    ada = chat_agent("ada@tidewell.example", general, ["en"])
    with pytest.raises(ValueError):
        routing.set_availability(ada, "asleep")
    with pytest.raises(ValueError):
        routing.set_max_concurrent_chats(ada, 0)
