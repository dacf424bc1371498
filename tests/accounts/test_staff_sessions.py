"""Staff sessions end: after an idle hour and twelve hours after signing in (both
configurable), the next request finds the staff member signed out. Customers are not
affected. Sign-in attempts on one account are limited however many addresses they
come from."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from pharos.accounts import middleware
from pharos.accounts.models import Customer, StaffMember

from ..conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def age_session(client: Client, *, signed_in_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[middleware.SIGNED_IN_AT] = now - signed_in_ago
    session[middleware.LAST_SEEN_AT] = now - seen_ago
    session.save()


def test_a_staff_session_idle_too_long_ends(agent: StaffMember, settings: object) -> None:
    client = signed_in(agent.user)
    assert client.get("/en/console/").status_code == 200
    idle = settings.STAFF_SESSION_IDLE_MINUTES * 60 + 5  # type: ignore[attr-defined]
    age_session(client, signed_in_ago=idle, seen_ago=idle)
    response = client.get("/en/console/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_staff_session_ends_after_its_maximum_age_even_when_busy(
    agent: StaffMember, settings: object
) -> None:
    client = signed_in(agent.user)
    client.get("/en/console/")
    oldest = settings.STAFF_SESSION_MAX_HOURS * 3600 + 5  # type: ignore[attr-defined]
    age_session(client, signed_in_ago=oldest, seen_ago=10)
    assert client.get("/en/console/").status_code == 302


def test_an_active_staff_session_goes_on(agent: StaffMember) -> None:
    client = signed_in(agent.user)
    client.get("/en/console/")
    age_session(client, signed_in_ago=3600, seen_ago=120)
    assert client.get("/en/console/").status_code == 200


def test_customer_sessions_are_not_cut(customer: Customer) -> None:
    client = signed_in(customer.user)
    age_session(client, signed_in_ago=48 * 3600, seen_ago=48 * 3600)
    assert client.get("/en/requests/").status_code == 200


def test_sign_in_attempts_on_one_account_are_limited_from_any_address(
    customer: Customer, settings: object
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (3, 900)}  # type: ignore[attr-defined]
    for number in range(3):
        client = Client(REMOTE_ADDR=f"198.51.100.{number}")
        client.post("/en/accounts/login/", {"username": "alice@example.com", "password": "wrong"})
    fourth = Client(REMOTE_ADDR="203.0.113.9")
    response = fourth.post(
        "/en/accounts/login/", {"username": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in fourth.session
