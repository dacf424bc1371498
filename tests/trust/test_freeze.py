"""The emergency freeze: two clicks freeze the account at the exchange at once and open a
top-priority conversation with the security team; a request without a fresh confirmation
(missing, used before, or too old) freezes nothing; when the exchange does not answer,
the security team is told to do it by hand. The chat offers the freeze when a customer
says their account was stolen."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from pharos.accounts import services as accounts
from pharos.accounts.models import AuditEvent, Customer
from pharos.bot.answerer import KnowledgeBot
from pharos.conversations.models import AuthorKind, Priority
from pharos.exchange.gateway import LockState, get_gateway
from pharos.trust import services
from pharos.trust.models import AccountFreeze

from ..conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def trader(db: None) -> Customer:
    """A customer whose account the demo exchange knows (UID 10000002, active)."""
    return accounts.create_customer(
        uid="10000002", email="daniel.test@example.com", display_name="Daniel", password=PASSWORD
    )


def two_clicks(client: Client, language: str = "en") -> str:
    """Click "Freeze my account", then "Yes, freeze it now"; the last page's HTML."""
    confirm = client.post(f"/{language}/security/freeze/confirm/", {"source": "page"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    token = page.split('name="confirmation" value="', 1)[1].split('"', 1)[0]
    done = client.post(f"/{language}/security/freeze/", {"confirmation": token}, follow=True)
    return done.content.decode()


def test_two_clicks_freeze_the_account_and_reach_the_security_team(trader: Customer) -> None:
    client = signed_in(trader.user)
    assert get_gateway().get_account(trader.uid).lock_state == LockState.ACTIVE
    page = two_clicks(client)
    assert 'data-testid="frozen"' in page and 'data-confirmed="yes"' in page
    assert get_gateway().get_account(trader.uid).lock_state == LockState.FROZEN
    (freeze,) = AccountFreeze.objects.all()
    conversation = freeze.conversation
    assert conversation is not None
    assert conversation.priority == Priority.URGENT
    assert conversation.team.slug == "security"
    assert "account-frozen" in conversation.tags
    assert conversation.reference in page
    next_steps = conversation.messages.get(author_kind=AuthorKind.BOT)
    assert "frozen" in next_steps.body and not next_steps.internal
    assert AuditEvent.objects.filter(action="trust.account_frozen").exists()


def test_the_pages_are_in_chinese_too(trader: Customer) -> None:
    client = signed_in(trader.user)
    assert "冻结" in client.get("/zh-hans/security/freeze/").content.decode()
    assert "冻结" in two_clicks(client, "zh-hans")


def test_no_freeze_without_a_fresh_confirmation(trader: Customer) -> None:
    client = signed_in(trader.user)
    page = client.post("/en/security/freeze/", {"confirmation": "guessed"}, follow=True)
    assert "confirm again" in page.content.decode()
    assert not AccountFreeze.objects.exists()
    assert get_gateway().get_account(trader.uid).lock_state == LockState.ACTIVE


def test_a_confirmation_works_once(trader: Customer) -> None:
    client = signed_in(trader.user)
    confirm = client.post("/en/security/freeze/confirm/").content.decode()
    token = confirm.split('name="confirmation" value="', 1)[1].split('"', 1)[0]
    client.post("/en/security/freeze/", {"confirmation": token})
    client.post("/en/security/freeze/", {"confirmation": token})  # replayed
    assert AccountFreeze.objects.count() == 1


def test_a_confirmation_from_another_session_is_refused(trader: Customer) -> None:
    first = signed_in(trader.user)
    confirm = first.post("/en/security/freeze/confirm/").content.decode()
    token = confirm.split('name="confirmation" value="', 1)[1].split('"', 1)[0]
    signed_in(trader.user).post("/en/security/freeze/", {"confirmation": token})
    assert not AccountFreeze.objects.exists()


def test_a_double_click_freezes_once(trader: Customer) -> None:
    """Two requests sent at once load the same session, token and all: one freezes."""
    first = SessionStore()
    token = services.freeze_confirmation(first)
    second = SessionStore()
    second.update(dict(first.items()))
    services.freeze_account(trader, session=first, confirmation=token)
    with pytest.raises(services.FreezeNotConfirmed):
        services.freeze_account(trader, session=second, confirmation=token)
    assert AccountFreeze.objects.count() == 1


def test_an_old_confirmation_is_refused(trader: Customer, monkeypatch: pytest.MonkeyPatch) -> None:
    client = signed_in(trader.user)
    confirm = client.post("/en/security/freeze/confirm/").content.decode()
    token = confirm.split('name="confirmation" value="', 1)[1].split('"', 1)[0]
    later = time.time() + services.FREEZE_CONFIRMATION_SECONDS + 1
    monkeypatch.setattr(services.time, "time", lambda: later)
    client.post("/en/security/freeze/", {"confirmation": token})
    assert not AccountFreeze.objects.exists()


def test_when_the_exchange_does_not_answer_the_security_team_does_it_by_hand(
    customer: Customer,
) -> None:
    # UID 20000001 is unknown to the demo exchange: the freeze is not confirmed.
    page = two_clicks(signed_in(customer.user))
    assert 'data-confirmed="no"' in page
    (freeze,) = AccountFreeze.objects.all()
    assert not freeze.confirmed_by_exchange and freeze.exchange_error
    assert freeze.conversation is not None
    note = freeze.conversation.messages.get(author_kind=AuthorKind.SYSTEM, body__contains="by hand")
    assert note.internal


def test_a_second_freeze_joins_the_open_conversation(trader: Customer) -> None:
    client = signed_in(trader.user)
    two_clicks(client)
    two_clicks(client)
    first, second = AccountFreeze.objects.order_by("created_at")
    assert first.conversation == second.conversation


def test_strangers_and_staff_cannot_freeze(stranger: Client, agent: object) -> None:
    assert stranger.post("/en/security/freeze/confirm/").status_code == 302  # sign in first
    assert signed_in(agent.user).post("/en/security/freeze/confirm/").status_code == 404  # type: ignore[attr-defined]


def test_the_chat_offers_the_freeze_when_the_account_was_stolen() -> None:
    bot = KnowledgeBot()
    for question, language in [
        ("My account was stolen, someone withdrew all my BTC", "en"),
        ("我的账号被盗了", "zh-hans"),
        ("there was an unauthorised withdrawal from my account", "en"),
    ]:
        reply = bot.reply(question, language, None, True)
        assert reply.kind == "hand_off" and reply.reason == "urgent", question
        assert reply.links[0].url == f"/{language}/security/freeze/?source=chat", question
