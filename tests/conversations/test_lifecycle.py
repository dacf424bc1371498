"""A ticket's life: opened with a reference, answered, waiting, reopened by a customer
reply, resolved, rated, closed; merges; sequence numbers; double submissions."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from pharos.accounts.models import AuditEvent, Team
from pharos.conversations import services
from pharos.conversations.models import AuthorKind, Conversation, Priority, Status, Topic

pytestmark = pytest.mark.django_db


def test_a_ticket_gets_a_reference_its_topics_team_and_the_customers_words(ticket) -> None:
    assert re.fullmatch(r"PH-\d{4}-\d{6}", ticket.reference)
    assert ticket.status == Status.QUEUED
    assert ticket.team.slug == "general-support"
    assert ticket.related_ids == ["abc123"]
    first = ticket.messages.get()
    assert (first.sequence, first.author_kind) == (1, AuthorKind.CUSTOMER)
    assert "TxID abc123" in first.body


def test_references_count_up_within_the_year(customer) -> None:
    topic = Topic.objects.get(slug="other")
    references = [
        services.open_ticket(
            customer, services.TicketRequest(topic, f"Question {n}", "Hello")
        ).reference
        for n in range(3)
    ]
    numbers = [int(reference.rsplit("-", 1)[1]) for reference in references]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_suspected_theft_starts_urgent_with_the_security_team(customer) -> None:
    topic = Topic.objects.get(slug="suspected-theft")
    theft = services.open_ticket(customer, services.TicketRequest(topic, "Hacked", "Help now"))
    assert theft.priority == Priority.URGENT
    assert theft.team.slug == "security"


def test_the_same_form_submitted_twice_opens_one_ticket(customer) -> None:
    request = services.TicketRequest(
        Topic.objects.get(slug="other"), "Once", "Only once", submission_key="form-123"
    )
    first = services.open_ticket(customer, request)
    second = services.open_ticket(customer, request)
    assert first.pk == second.pk
    assert Conversation.objects.filter(customer=customer).count() == 1


def test_the_first_agent_reply_assigns_and_waits_on_the_customer(ticket, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "We are checking the TxID.")
    ticket.refresh_from_db()
    assert ticket.assignee == general_agent.user
    assert ticket.status == Status.WAITING_ON_CUSTOMER
    assert ticket.first_response_at is not None


def test_a_customer_reply_reopens_a_waiting_or_resolved_ticket(
    ticket, customer, general_agent
) -> None:
    services.post_agent_reply(ticket, general_agent.user, "Please send a screenshot.")
    services.post_customer_message(ticket, customer, "Here it is.")
    assert ticket.status == Status.ASSIGNED
    services.change_status(ticket, Status.RESOLVED, general_agent.user)
    assert ticket.resolved_at is not None
    services.post_customer_message(ticket, customer, "It arrived, but the fee?")
    assert ticket.status == Status.ASSIGNED
    assert ticket.resolved_at is None


def test_a_closed_ticket_takes_no_more_messages(ticket, customer) -> None:
    services.close_by_customer(ticket, customer)
    with pytest.raises(services.ConversationError, match="closed"):
        services.post_customer_message(ticket, customer, "One more thing")


def test_status_changes_follow_the_lifecycle(ticket, general_agent) -> None:
    services.change_status(ticket, Status.CLOSED, general_agent.user)
    with pytest.raises(services.ConversationError):
        services.change_status(ticket, Status.QUEUED, general_agent.user)


def test_a_chinese_customer_reads_the_resolution_in_chinese(ticket, general_agent) -> None:
    ticket.language = "zh-hans"
    ticket.save(update_fields=["language"])
    with translation.override("en"):  # the agent works in English
        services.change_status(ticket, Status.RESOLVED, general_agent.user)
    shown = [m.body for m in services.messages_for_customer(ticket)]
    assert shown[-1] == "状态：排队中 → 已解决"


def test_internal_notes_are_hidden_from_the_customer(ticket, general_agent) -> None:
    services.add_internal_note(ticket, general_agent.user, "Customer sounds like a VIP.")
    services.post_agent_reply(ticket, general_agent.user, "Hello!")
    customer_view = [m.body for m in services.messages_for_customer(ticket)]
    staff_view = [m.body for m in services.messages_for_staff(ticket)]
    assert "Customer sounds like a VIP." not in customer_view
    assert "Customer sounds like a VIP." in staff_view
    assert "Hello!" in customer_view


def test_every_message_has_the_next_sequence_number(ticket, customer, general_agent) -> None:
    services.post_agent_reply(ticket, general_agent.user, "One")
    services.post_customer_message(ticket, customer, "Two")
    services.add_internal_note(ticket, general_agent.user, "Three")
    sequences = list(ticket.messages.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    ticket.refresh_from_db()
    assert ticket.last_sequence == sequences[-1]


def test_a_retried_customer_message_is_stored_once(ticket, customer) -> None:
    first = services.post_customer_message(ticket, customer, "Retry me", client_message_id="c-1")
    again = services.post_customer_message(ticket, customer, "Retry me", client_message_id="c-1")
    assert first.pk == again.pk
    assert ticket.messages.filter(body="Retry me").count() == 1


def test_transfer_to_another_team_requeues_and_is_audited(ticket, general_agent) -> None:
    services.post_agent_reply(
        ticket, general_agent.user, "Passing to security.", status_after=Status.ASSIGNED
    )
    security = Team.objects.get(slug="security")
    services.transfer_to_team(ticket, security, general_agent.user)
    assert (ticket.team, ticket.assignee, ticket.status) == (security, None, Status.QUEUED)
    assert AuditEvent.objects.filter(action="transferred", detail__to="security").exists()


def test_assignment_priority_and_status_changes_are_audited(ticket, general_agent) -> None:
    services.assign(ticket, general_agent.user, general_agent.user)
    services.change_priority(ticket, Priority.HIGH, general_agent.user)
    services.change_status(ticket, Status.RESOLVED, general_agent.user)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assigned", "changed_priority", "changed_status"} <= actions


def test_merging_a_duplicate_moves_its_messages_and_closes_it(
    customer, general_agent, ticket
) -> None:
    duplicate = services.open_ticket(
        customer,
        services.TicketRequest(
            Topic.objects.get(slug="deposits-withdrawals"), "Again", "Same USDT deposit"
        ),
    )
    services.merge(duplicate, ticket, general_agent.user)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == ticket
    assert duplicate.status == Status.CLOSED
    assert ticket.messages.filter(body="Same USDT deposit").exists()
    assert duplicate not in services.conversations_of_customer(customer)


def test_merging_needs_the_same_customer(ticket, other_customer, general_agent) -> None:
    theirs = services.open_ticket(
        other_customer, services.TicketRequest(Topic.objects.get(slug="other"), "Mine", "Mine")
    )
    with pytest.raises(services.ConversationError, match="same customer"):
        services.merge(theirs, ticket, general_agent.user)


def test_rating_comes_after_resolution_and_stays_between_one_and_five(
    ticket, customer, general_agent
) -> None:
    with pytest.raises(services.ConversationError):
        services.rate(ticket, customer, 5)
    services.change_status(ticket, Status.RESOLVED, general_agent.user)
    with pytest.raises(services.ConversationError):
        services.rate(ticket, customer, 6)
    services.rate(ticket, customer, 4, "Quick and clear")
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Quick and clear")


@pytest.mark.parametrize("subject", ["", "   ", "x" * 201])
def test_empty_or_oversized_subjects_are_refused_and_nothing_is_created(customer, subject) -> None:
    with pytest.raises(services.ConversationError):
        services.open_ticket(
            customer, services.TicketRequest(Topic.objects.get(slug="other"), subject, "Body")
        )
    assert not Conversation.objects.exists()


def test_a_one_megabyte_description_is_refused_clearly(customer) -> None:
    with pytest.raises(services.ConversationError, match="too long"):
        services.open_ticket(
            customer, services.TicketRequest(Topic.objects.get(slug="other"), "Big", "x" * 2**20)
        )
