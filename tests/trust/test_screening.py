"""The trust filter on the one path every message takes: a secret a customer pastes is
never stored (ticket, chat, email), the customer is warned at once in their language,
the conversation is flagged for the security team, and the API says what was removed.
On the way out, an agent's reply or a canned reply that asks for a secret is stopped,
explained in the agent's language, and listed for admins."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.test import Client
from mnemonic import Mnemonic

from pharos.accounts.models import Customer, StaffMember, Team
from pharos.bot.models import BotExchange
from pharos.conversations import services as conversations
from pharos.conversations.models import AuthorKind, CannedReply, Conversation, Message, Topic
from pharos.trust import screening
from pharos.trust.models import GuardBlock

from ..conftest import signed_in

pytestmark = pytest.mark.django_db

SEED = Mnemonic("english").to_mnemonic(bytes(range(16)))  # a valid 12-word phrase


def everything_stored(conversation: Conversation) -> str:
    """Every text of the conversation, as stored."""
    conversation.refresh_from_db()
    texts = [
        conversation.subject,
        *Message.objects.filter(conversation=conversation).values_list("body", flat=True),
    ]
    return "\n".join(texts)


def ticket_with(
    customer: Customer, description: str, subject: str = "Help", language: str = "en"
) -> Conversation:
    topic = Topic.objects.get(slug="deposits-withdrawals")
    request = conversations.TicketRequest(
        topic=topic, subject=subject, description=description, language=language
    )
    return conversations.open_ticket(customer, request)


def test_a_seed_phrase_in_a_ticket_is_never_stored(customer: Customer) -> None:
    conversation = ticket_with(customer, f"My wallet words are: {SEED}. Where is my USDT?")
    stored = everything_stored(conversation)
    assert SEED not in stored and SEED.split()[3] not in stored.split()
    first = conversation.messages.get(sequence=1)
    assert first.body == "My wallet words are: [redacted:seed_phrase]. Where is my USDT?"
    assert first.payload["redacted"] == ["seed_phrase"]
    assert {"secret-shared", "security-review"} <= set(conversation.tags)


def test_the_customer_is_warned_at_once_in_their_language(customer: Customer) -> None:
    conversation = ticket_with(customer, f"助记词 {SEED}", subject="充值", language="zh-hans")
    warning = conversation.messages.get(author_kind=AuthorKind.BOT)
    assert not warning.internal
    assert "助记词" in warning.body and "新钱包" in warning.body
    assert warning.payload == {"warning": "secret_removed", "kinds": ["seed_phrase"]}
    note = conversation.messages.get(author_kind=AuthorKind.SYSTEM)
    assert note.internal and "seed phrase" in note.body


def test_the_customer_reads_what_was_removed_in_words_of_their_language(
    customer: Customer,
) -> None:
    conversation = ticket_with(customer, f"助记词 {SEED}", subject="充值", language="zh-hans")
    client = signed_in(customer.user)
    chinese = client.get(f"/zh-hans/requests/{conversation.reference}/").content.decode()
    assert "助记词 [已移除的助记词]" in chinese and "[redacted:" not in chinese
    english = client.get(f"/en/requests/{conversation.reference}/").content.decode()
    assert "[seed phrase removed]" in english


def test_the_api_returns_the_kinds_removed_with_the_message(customer: Customer) -> None:
    client = signed_in(customer.user)
    conversation = ticket_with(customer, "Deposit missing")
    response = client.post(
        f"/api/v1/requests/{conversation.reference}/messages",
        {"body": "my password is Tr0ub4dor&3 and the sms code is 482910"},
        content_type="application/json",
    )
    assert response.status_code in {200, 201}, response.content
    messages = client.get(f"/api/v1/requests/{conversation.reference}").json()["messages"]
    mine = [m for m in messages if m["author_kind"] == "customer"][-1]
    assert "Tr0ub4dor&3" not in mine["body"] and "482910" not in mine["body"]
    assert set(mine["redacted"]) == {"password", "one_time_code"}


def test_a_secret_in_a_chat_is_removed_before_the_bot_reads_it(customer: Customer) -> None:
    topic = Topic.objects.get(slug="deposits-withdrawals")
    conversation, message = conversations.open_chat(customer, topic, f"seed: {SEED}")
    assert SEED not in message.body and SEED not in conversation.subject
    assert message.payload["redacted"] == ["seed_phrase"]


def test_ordinary_text_passes_untouched(customer: Customer) -> None:
    text = "I sent 500 USDT, txid 0x" + "ab" * 32 + ", order 1234567890123. 验证码收不到"
    conversation = ticket_with(customer, text)
    first = conversation.messages.get(sequence=1)
    assert first.body == text
    assert "redacted" not in first.payload
    assert "secret-shared" not in conversation.tags
    assert not conversation.messages.filter(author_kind=AuthorKind.BOT).exists()


# --- the agent guard -----------------------------------------------------------------------------
def test_an_agent_cannot_ask_for_a_password(customer: Customer, agent: StaffMember) -> None:
    conversation = ticket_with(customer, "Locked out")
    before = conversation.messages.count()
    with pytest.raises(screening.Refused) as refused:
        conversations.post_agent_reply(
            conversation, agent.user, "To verify you, please send me your password here.",
            visibility_checked=True,
        )  # fmt: skip
    assert "password" in str(refused.value).lower()
    assert conversation.messages.count() == before  # nothing was sent
    (block,) = GuardBlock.objects.all()
    assert block.author == agent.user and block.conversation == conversation
    assert block.reasons == ["password"] and block.source == "reply"
    assert len(outbox.outbox) <= 1  # no reply went out by email either


def test_the_refusal_is_explained_in_the_agents_language(
    customer: Customer, agent: StaffMember
) -> None:
    conversation = ticket_with(customer, "Locked out")
    agent.teams.add(Team.objects.get(slug="general-support"))
    client = signed_in(agent.user)
    response = client.post(
        f"/zh-hans/console/c/{conversation.reference}/reply/",
        {"body": "请把你的谷歌验证码发给我"},
        follow=True,
    )
    page = response.content.decode()
    assert "没有发出" in page
    assert not conversation.messages.filter(author_kind=AuthorKind.AGENT).exists()


def test_an_ordinary_answer_goes_out(customer: Customer, agent: StaffMember) -> None:
    conversation = ticket_with(customer, "Locked out")
    message = conversations.post_agent_reply(
        conversation, agent.user,
        "We will never ask for your password. Please reset it on the sign-in page.",
        visibility_checked=True,
    )  # fmt: skip
    assert message.pk and not GuardBlock.objects.exists()


def test_a_canned_reply_that_asks_for_a_seed_phrase_cannot_be_saved(
    support_admin: StaffMember,
) -> None:
    client = signed_in(support_admin.user)
    response = client.post(
        "/admin/conversations/cannedreply/add/",
        {
            "title": "Verify wallet",
            "body_en": "Hi {customer_name}, reply with your 12 recovery words so we can check the wallet.",
            "body_zh_hans": "您好，请放心。",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "This message was not sent." in response.content.decode()
    assert not CannedReply.objects.filter(title="Verify wallet").exists()
    (block,) = GuardBlock.objects.all()
    assert block.source == "canned" and block.author == support_admin.user


def test_admins_see_every_block(
    customer: Customer, agent: StaffMember, support_admin: StaffMember
) -> None:
    conversation = ticket_with(customer, "Locked out")
    with pytest.raises(screening.Refused):
        conversations.post_agent_reply(
            conversation, agent.user, "Install AnyDesk and send me the code so I can fix it.",
            visibility_checked=True,
        )  # fmt: skip
    listing = signed_in(support_admin.user).get("/admin/trust/guardblock/").content.decode()
    assert "remote_access" in listing
    agent_view = signed_in(agent.user).get("/admin/trust/guardblock/")
    assert agent_view.status_code in {302, 403}


def test_strangers_cannot_see_the_guard_log(stranger: Client) -> None:
    assert stranger.get("/admin/trust/guardblock/").status_code == 302


def test_a_guest_who_pastes_a_seed_phrase_is_warned_and_nothing_is_logged(
    stranger: Client,
) -> None:
    response = stranger.post(
        "/zh-hans/chat/ask/",
        {"body": f"我的助记词 {SEED} 怎么找回"},
        content_type="application/json",
    )
    assert response.status_code == 200
    answer = response.json()
    assert "助记词" in answer["text"] and SEED not in answer["text"]
    # The guest's own bubble is redrawn from this: the marker, not the phrase.
    assert SEED.split()[0] not in answer["question"] and "怎么找回" in answer["question"]
    assert not BotExchange.objects.filter(question__contains=SEED.split()[0]).exists()
    assert not BotExchange.objects.exists()


def test_a_secret_in_a_rating_comment_or_a_related_id_is_not_kept(
    customer: Customer, agent: StaffMember
) -> None:
    card = "4111 1111 1111 1111"
    topic = Topic.objects.get(slug="deposits-withdrawals")
    request = conversations.TicketRequest(
        topic=topic, subject="Card payment", description="It failed.",
        related_ids=["ORDER-123", card.replace(" ", "")],
    )  # fmt: skip
    ticket = conversations.open_ticket(customer, request)
    assert ticket.related_ids == ["ORDER-123"]
    agent.teams.add(ticket.team)
    conversations.change_status(ticket, "resolved", agent.user)
    conversations.rate(ticket, customer, 5, f"Thanks! My card is {card} by the way")
    ticket.refresh_from_db()
    assert "4111" not in ticket.rating_comment and "[redacted:card_number]" in ticket.rating_comment
