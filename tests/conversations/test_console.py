"""The agent console: the inbox with its filters and counts, a conversation with the
customer panel, and every action, for the right staff only."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.accounts.models import AuditEvent, Team
from pharos.conversations import services
from pharos.conversations.models import CannedReply, Conversation, Priority, Status, Topic

from ..conftest import signed_in

pytestmark = pytest.mark.django_db


def open_tickets(customer, count: int) -> list[Conversation]:  # type: ignore[no-untyped-def]
    topic = Topic.objects.get(slug="deposits-withdrawals")
    return [
        services.open_ticket(
            customer, services.TicketRequest(topic, f"Deposit {n}", "Where is it?")
        )
        for n in range(count)
    ]


def test_the_inbox_lists_the_teams_open_conversations_with_counts(customer, general_agent) -> None:
    tickets = open_tickets(customer, 3)
    services.post_agent_reply(
        tickets[0], general_agent.user, "Checking", status_after=Status.ASSIGNED
    )
    page = signed_in(general_agent.user).get("/en/console/")
    assert page.status_code == 200
    text = page.content.decode()
    for ticket in tickets:
        assert ticket.reference in text
    counts = page.context["counts"]
    assert (counts["open"], counts["mine"], counts["unassigned"]) == (3, 1, 2)


def test_inbox_filters_by_view_status_and_search(customer, general_agent) -> None:
    first, second = open_tickets(customer, 2)
    services.post_agent_reply(first, general_agent.user, "Hi")
    browser = signed_in(general_agent.user)
    waiting = browser.get("/en/console/", {"view": "waiting"}).content.decode()
    assert first.reference in waiting and second.reference not in waiting
    found = browser.get("/en/console/", {"view": "all", "q": second.reference}).content.decode()
    assert second.reference in found and first.reference not in found
    by_uid = browser.get("/en/console/", {"view": "all", "q": customer.uid}).content.decode()
    assert first.reference in by_uid


def test_the_inbox_pages_keep_the_view_and_filters(customer, general_agent) -> None:
    tickets = open_tickets(customer, 53)
    browser = signed_in(general_agent.user)
    first = browser.get("/en/console/", {"view": "open", "status": "queued"})
    text = first.content.decode()
    assert text.count('<tr class="priority-') == 50
    assert 'href="?view=open&amp;status=queued&amp;page=2"' in text
    assert "Previous" not in text
    second = browser.get("/en/console/", {"view": "open", "status": "queued", "page": "2"})
    text = second.content.decode()
    assert text.count('<tr class="priority-') == 3
    assert 'href="?view=open&amp;status=queued"' in text  # back to page 1
    assert "Next" not in text
    # Oldest waiting first: the first ticket opened is on page 1, the last on page 2.
    assert tickets[0].reference not in text and tickets[-1].reference in text
    # A page number that is not one shows the first page.
    assert browser.get("/en/console/", {"page": "x"}).status_code == 200


def test_the_inbox_costs_the_same_queries_for_many_conversations(
    customer, general_agent, django_assert_max_num_queries
) -> None:
    open_tickets(customer, 30)
    browser = signed_in(general_agent.user)
    with django_assert_max_num_queries(12):
        assert browser.get("/en/console/").status_code == 200


def test_an_agent_of_another_team_and_customers_cannot_open_it(
    ticket, other_team_agent, customer
) -> None:
    url = f"/en/console/c/{ticket.reference}/"
    assert (
        ticket.reference
        not in signed_in(other_team_agent.user).get("/en/console/").content.decode()
    )
    assert signed_in(other_team_agent.user).get(url).status_code == 404
    assert signed_in(customer.user).get(url).status_code == 404
    assert signed_in(customer.user).get("/en/console/").status_code == 404
    assert Client().get(url).status_code == 302


def test_opening_a_conversation_shows_the_customer_panel_and_is_audited(
    customer, general_agent
) -> None:
    from pharos.accounts.services import create_customer

    exchange_customer = create_customer(
        uid="10000003", email="z@example.com"
    )  # a locked demo account
    ticket = services.open_ticket(
        exchange_customer,
        services.TicketRequest(Topic.objects.get(slug="other"), "Locked", "Why locked?"),
    )
    page = signed_in(general_agent.user).get(f"/en/console/c/{ticket.reference}/").content.decode()
    assert "Zhang Wei" in page  # KYC name from the exchange
    assert "locked" in page
    assert "VIP tier" in page and "Regular" in page
    assert "Recent deposits" in page
    actions = set(
        AuditEvent.objects.filter(actor=general_agent.user).values_list("action", flat=True)
    )
    assert {"viewed_conversation", "viewed_customer_profile"} <= actions


def test_the_customer_panel_shows_the_exchanges_vip_tier(general_agent) -> None:
    from pharos.accounts.services import create_customer

    vip = create_customer(uid="10000001", email="lin@example.com")  # VIP 2 at the demo exchange
    ticket = services.open_ticket(
        vip, services.TicketRequest(Topic.objects.get(slug="other"), "Fees", "VIP fee rate?")
    )
    page = signed_in(general_agent.user).get(f"/zh-hans/console/c/{ticket.reference}/")
    assert '<span class="vip">VIP 2</span>' in page.content.decode()
    assert "VIP 等级" in page.content.decode()


def test_the_conversation_page_uses_a_bounded_number_of_queries(
    ticket, customer, general_agent, django_assert_max_num_queries
) -> None:
    for n in range(15):
        services.post_customer_message(ticket, customer, f"Message {n}")
    browser = signed_in(general_agent.user)
    browser.get("/en/console/")  # fills the per-process caches every page shares
    with django_assert_max_num_queries(20):
        browser.get(f"/en/console/c/{ticket.reference}/")


def test_console_actions_change_the_conversation(ticket, general_agent, customer) -> None:
    browser = signed_in(general_agent.user)
    base = f"/en/console/c/{ticket.reference}/"
    json = {"HTTP_ACCEPT": "application/json"}
    assert browser.post(
        base + "reply/", {"body": "We found it.", "status_after": "waiting_on_customer"}, **json
    ).json()["ok"]
    assert browser.post(base + "note/", {"body": "Internal only"}, **json).json()["ok"]
    security = Team.objects.get(slug="security")
    browser.post(base + "priority/", {"priority": Priority.HIGH}, **json)
    browser.post(base + "tags/", {"tags": "trc20, Deposit"}, **json)
    browser.post(base + "status/", {"status": "resolved"}, **json)
    ticket.refresh_from_db()
    assert ticket.priority == Priority.HIGH
    assert ticket.tags == ["deposit", "trc20"]
    assert ticket.status == Status.RESOLVED
    assert ticket.messages.filter(body="Internal only", internal=True).exists()
    browser.post(base + "transfer/", {"team": security.pk}, **json)
    ticket.refresh_from_db()
    assert ticket.team == security


def test_a_refused_action_explains_itself(ticket, general_agent) -> None:
    browser = signed_in(general_agent.user)
    base = f"/en/console/c/{ticket.reference}/"
    response = browser.post(base + "reply/", {"body": "   "}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "Please write" in response.json()["message"]
    assert browser.post(base + "team-nonsense/", {}).status_code == 404
    assert (
        browser.post(base + "transfer/", {"team": "x"}, HTTP_ACCEPT="application/json").status_code
        == 400
    )


def test_merging_from_the_console_goes_to_the_target(customer, general_agent) -> None:
    first, duplicate = open_tickets(customer, 2)
    response = signed_in(general_agent.user).post(
        f"/en/console/c/{duplicate.reference}/merge/", {"into": first.reference}
    )
    assert response["Location"].endswith(f"/console/c/{first.reference}/")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == first


def test_canned_replies_fill_in_the_variables(ticket, general_agent) -> None:
    reply = CannedReply.objects.create(
        title="Deposit check",
        body_en="Hi {customer_name}, about {reference} (UID {uid}): see {article:deposit-not-arrived}",
        body_zh_hans="您好 {customer_name}",
    )
    text = (
        signed_in(general_agent.user)
        .get(f"/en/console/c/{ticket.reference}/canned/{reply.pk}/")
        .json()["text"]
    )
    assert text == (
        f"Hi Alice, about {ticket.reference} (UID 20000001): see "
        "http://127.0.0.1:8000/en/articles/deposit-not-arrived/"
    )


def test_with_two_factor_required_an_unverified_session_is_sent_to_sign_in(
    ticket, general_agent, settings
) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    response = signed_in(general_agent.user).get("/en/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
