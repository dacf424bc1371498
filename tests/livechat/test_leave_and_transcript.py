"""When nobody can take the chat soon, the customer leaves the message as a ticket; and
the customer can have the chat's transcript emailed, with their anti-phishing code and
without the agents' internal notes."""

from __future__ import annotations

import pytest
from django.core import mail

from pharos.accounts.models import Team
from pharos.conversations import services
from pharos.conversations.models import AuthorKind, Channel, Conversation, Status, Topic
from pharos.livechat import routing

from ..conftest import run_queued_tasks, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(customer) -> Conversation:  # type: ignore[no-untyped-def]
    conversation = Conversation.objects.create(
        reference=services.next_reference(),
        channel=Channel.CHAT,
        customer=customer,
        topic=Topic.objects.get(slug="deposits-withdrawals"),
        subject="Deposit missing",
        status=Status.BOT,
        team=Team.objects.get(slug="general-support"),
        language="en",
    )
    services.post_customer_message(conversation, customer, "My deposit has not arrived.")
    return services.hand_off_to_people(conversation, "asked for a person")


def test_a_waiting_chat_left_as_a_message_becomes_a_ticket(chat, customer) -> None:
    services.leave_chat_as_ticket(chat, customer)
    chat.refresh_from_db()
    assert (chat.channel, chat.status) == (Channel.WEB, Status.QUEUED)
    assert chat.first_response_due_at is not None
    # No longer in the live queue; in the customer's requests, acknowledged by email.
    assert chat not in routing.waiting_chats(chat.team)
    assert chat.reference in signed_in(customer.user).get("/en/requests/").content.decode()
    assert "pharos.conversations.tasks.ticket_opened" in run_queued_tasks()
    assert [m.subject for m in mail.outbox if chat.reference in m.subject]


def test_a_chat_with_a_person_cannot_be_left_and_others_cannot_touch_it(
    chat, customer, other_customer, agent
) -> None:
    with pytest.raises(services.ConversationNotFound):
        services.leave_chat_as_ticket(chat, other_customer)
    agent.teams.add(chat.team)
    services.assign(chat, agent.user, agent.user)
    with pytest.raises(services.ConversationError):
        services.leave_chat_as_ticket(chat, customer)


def test_the_transcript_email_has_the_chat_but_not_the_internal_notes(
    chat, customer, agent
) -> None:
    agent.teams.add(chat.team)
    services.post_agent_reply(chat, agent.user, "Please send the TxID.")
    services.add_internal_note(chat, agent.user, "Customer seems nervous; check the address.")
    services.email_transcript(chat, customer)
    assert "pharos.conversations.tasks.send_chat_transcript" in run_queued_tasks()
    (email,) = [m for m in mail.outbox if "transcript" in m.subject]
    assert email.to == [customer.user.email]
    assert email.body.index("ALICE-OK") < email.body.index("My deposit has not arrived.")
    assert "Please send the TxID." in email.body
    assert "nervous" not in email.body
    assert chat.messages.filter(author_kind=AuthorKind.AGENT).count() == 2


def test_only_the_chats_customer_can_ask_for_its_transcript(chat, other_customer) -> None:
    with pytest.raises(services.ConversationNotFound):
        services.email_transcript(chat, other_customer)


def test_the_transcript_is_in_the_customers_language(chat, customer) -> None:
    Conversation.objects.filter(pk=chat.pk).update(language="zh-hans")
    services.email_transcript(chat, customer)
    run_queued_tasks()
    (email,) = [m for m in mail.outbox if chat.reference in m.subject]
    assert "您的聊天记录" in email.subject
    assert "您的防钓鱼码" in email.body or "ALICE-OK" in email.body
