"""Who sees which conversation: a customer only their own; agents their teams' and their
own; admins all. Someone else's conversation does not exist, as far as you can tell."""

from __future__ import annotations

import pytest

from pharos.conversations import services

pytestmark = pytest.mark.django_db


def test_customer_cannot_open_another_customers_ticket(ticket, other_customer) -> None:
    with pytest.raises(services.ConversationNotFound):
        services.conversation_for_customer(other_customer, ticket.reference)
    with pytest.raises(services.ConversationNotFound):
        services.post_customer_message(ticket, other_customer, "Let me in")


def test_an_agent_sees_their_teams_conversations_only(
    ticket, general_agent, other_team_agent
) -> None:
    assert services.conversation_for_staff(general_agent.user, ticket.reference) == ticket
    with pytest.raises(services.ConversationNotFound):
        services.conversation_for_staff(other_team_agent.user, ticket.reference)
    with pytest.raises(services.ConversationNotFound):
        services.post_agent_reply(ticket, other_team_agent.user, "Hi")


def test_an_agent_sees_what_is_assigned_to_them_in_any_team(
    ticket, general_agent, other_team_agent
) -> None:
    services.assign(ticket, other_team_agent.user, general_agent.user)
    assert services.conversation_for_staff(other_team_agent.user, ticket.reference) == ticket


def test_admins_see_every_conversation(ticket, support_admin) -> None:
    assert services.conversation_for_staff(support_admin.user, ticket.reference) == ticket


def test_customers_are_not_staff(ticket, customer) -> None:
    with pytest.raises(services.ConversationNotFound):
        services.conversation_for_staff(customer.user, ticket.reference)


def test_only_staff_can_be_assigned(ticket, general_agent, other_customer) -> None:
    with pytest.raises(services.ConversationError):
        services.assign(ticket, other_customer.user, general_agent.user)
