"""Service levels: due times from the policies, the clock paused while waiting on the
customer, a warning before and an escalation after a missed target, each once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pharos.accounts.models import AuditEvent, Team
from pharos.conversations import services, sla
from pharos.conversations.models import Conversation, Priority, Status, Topic
from pharos.conversations.tasks import check_sla

from ..conftest import run_queued_tasks, signed_in

pytestmark = pytest.mark.django_db


def minutes_between(later, earlier) -> float:  # type: ignore[no-untyped-def]
    return (later - earlier).total_seconds() / 60


def test_due_times_come_from_the_policy_of_topic_and_priority(ticket, customer) -> None:
    assert minutes_between(ticket.first_response_due_at, ticket.created_at) == 240
    assert minutes_between(ticket.resolution_due_at, ticket.created_at) == 1440
    theft = services.open_ticket(
        customer,
        services.TicketRequest(Topic.objects.get(slug="suspected-theft"), "Hacked", "Help"),
    )
    assert minutes_between(theft.first_response_due_at, theft.created_at) == 10


def test_a_priority_change_moves_the_targets(ticket, general_agent) -> None:
    services.change_priority(ticket, Priority.URGENT, general_agent.user)
    assert minutes_between(ticket.first_response_due_at, ticket.created_at) == 15


def test_the_clock_pauses_while_waiting_on_the_customer(ticket, customer, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "Please send the TxID.")
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is not None
    due_before = ticket.resolution_due_at
    # Two hours later the customer answers.
    Conversation.objects.filter(pk=ticket.pk).update(
        sla_paused_at=timezone.now() - timedelta(hours=2)
    )
    services.post_customer_message(ticket, customer, "Here: 0xabc")
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None
    assert round(minutes_between(ticket.resolution_due_at, due_before)) == 120
    assert ticket.sla_paused_seconds >= 7200


def queued_checks(conversation: Conversation) -> list[tuple[datetime, str]]:
    rows = DBTaskResult.objects.filter(
        task_path="pharos.conversations.tasks.check_sla", args_kwargs__args__0=conversation.pk
    ).order_by("enqueued_at")
    return [(row.run_after, row.args_kwargs["args"][1]) for row in rows]


def test_a_new_ticket_queues_one_check_for_its_first_warning(customer) -> None:
    ticket = services.open_ticket(
        customer, services.TicketRequest(Topic.objects.get(slug="other"), "Later", "Check me")
    )
    warning = ticket.first_response_due_at - timedelta(minutes=15)
    assert ticket.sla_next_check_at == warning
    # The ticket's follow-up task queues it (and sends the acknowledgement).
    assert run_queued_tasks() == ["pharos.conversations.tasks.ticket_opened"]
    assert queued_checks(ticket) == [(warning, warning.isoformat())]


def test_each_check_queues_the_next_moment(ticket) -> None:
    warning = ticket.sla_next_check_at
    due = ticket.first_response_due_at
    assert sla.check(ticket.pk, now=warning, scheduled_for=warning) == [("first_response", "warn")]
    ticket.refresh_from_db()
    assert ticket.sla_next_check_at == due
    assert queued_checks(ticket)[-1] == (due, due.isoformat())
    assert sla.check(ticket.pk, now=due, scheduled_for=due) == [("first_response", "breach")]
    ticket.refresh_from_db()
    # Next: the resolution warning, 15 minutes before its due time.
    assert ticket.sla_next_check_at == ticket.resolution_due_at - timedelta(minutes=15)


def test_a_check_replaced_by_a_priority_change_does_nothing(ticket, general_agent) -> None:
    old_moment = ticket.sla_next_check_at
    services.change_priority(ticket, Priority.URGENT, general_agent.user)
    assert ticket.sla_next_check_at != old_moment
    assert len(queued_checks(ticket)) == 2
    # The old check, run at its moment well past the new due time, finds itself replaced.
    late = ticket.first_response_due_at + timedelta(minutes=1)
    assert sla.check(ticket.pk, now=late, scheduled_for=old_moment) == []
    assert sla.check(ticket.pk, now=late, scheduled_for=ticket.sla_next_check_at) == [
        ("first_response", "breach")
    ]


def test_the_chain_ends_when_the_conversation_is_resolved(ticket, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "Done", status_after=Status.RESOLVED)
    ticket.refresh_from_db()
    moment = ticket.sla_next_check_at
    assert sla.check(ticket.pk, now=ticket.resolution_due_at, scheduled_for=moment) == []
    ticket.refresh_from_db()
    assert ticket.sla_next_check_at is None
    assert len(queued_checks(ticket)) == 1


def test_a_warning_then_a_breach_each_happen_once(
    ticket, general_agent, django_capture_on_commit_callbacks
) -> None:
    team = Team.objects.get(slug="general-support")
    team.lead = general_agent.user
    team.save()
    due = ticket.first_response_due_at
    assert sla.check(ticket.pk, now=due - timedelta(minutes=5)) == [("first_response", "warn")]
    assert sla.check(ticket.pk, now=due - timedelta(minutes=4)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.check(ticket.pk, now=due + timedelta(minutes=1)) == [
            ("first_response", "breach")
        ]
    assert sla.check(ticket.pk, now=due + timedelta(minutes=2)) == []
    ticket.refresh_from_db()
    assert ticket.priority == Priority.HIGH
    assert ticket.sla_breached == ["first_response"]
    assert ticket.messages.filter(internal=True, body__startswith="SLA breached").count() == 1
    assert AuditEvent.objects.filter(action="sla_breached").count() == 1
    assert [m.to for m in mail.outbox if "SLA breached" in m.subject] == [
        [general_agent.user.email]
    ]


def test_nothing_happens_once_the_target_is_met(ticket, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "Answered", status_after=Status.RESOLVED)
    assert sla.check(ticket.pk, now=ticket.resolution_due_at + timedelta(hours=1)) == []


def test_a_paused_conversation_does_not_breach_resolution(ticket, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "Waiting for you")
    ticket.refresh_from_db()
    assert sla.check(ticket.pk, now=ticket.resolution_due_at + timedelta(hours=1)) == []


def test_the_task_runs_the_check(ticket) -> None:
    Conversation.objects.filter(pk=ticket.pk).update(
        first_response_due_at=timezone.now() - timedelta(minutes=1)
    )
    check_sla.call(ticket.pk)
    ticket.refresh_from_db()
    assert ticket.sla_breached == ["first_response"]


def test_the_inbox_shows_conversations_due_soon(customer, general_agent, ticket) -> None:
    later = services.open_ticket(
        customer, services.TicketRequest(Topic.objects.get(slug="other"), "Later", "x")
    )
    Conversation.objects.filter(pk=ticket.pk).update(
        first_response_due_at=timezone.now() + timedelta(minutes=30)
    )
    page = signed_in(general_agent.user).get("/en/console/", {"view": "due_soon"}).content.decode()
    assert ticket.reference in page
    assert later.reference not in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_due_check(customer) -> None:
    from django.core.management import call_command

    # An earlier transactional test's flush may have removed what the migrations created.
    team, _ = Team.objects.get_or_create(
        slug="general-support", defaults={"name_en": "G", "name_zh_hans": "G"}
    )
    topic, _ = Topic.objects.get_or_create(
        slug="other", defaults={"name_en": "Other", "name_zh_hans": "其他", "default_team": team}
    )
    ticket = services.open_ticket(customer, services.TicketRequest(topic, "Worker", "Run me"))
    Conversation.objects.filter(pk=ticket.pk).update(
        first_response_due_at=timezone.now() - timedelta(minutes=1)
    )
    check_sla.enqueue(ticket.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    ticket.refresh_from_db()
    assert ticket.sla_breached == ["first_response"]
