"""Shared fixtures: the demo help center loaded once per session, and the people of our
tests (a customer, another customer, an agent, a security agent, a VIP manager, an
admin, a stranger)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.test import Client
from django.utils import timezone, translation

from pharos.accounts import services as accounts
from pharos.accounts.models import Customer, StaffMember, StaffRole
from pharos.bot.demo import load_demo_questions
from pharos.exchange.demo import seed_demo_exchange
from pharos.helpcenter.demo import load_demo_help_center

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """The demo help center and exchange, loaded once; each test runs in a transaction
    rolled back afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_demo_help_center()
        load_demo_questions()
        seed_demo_exchange()


@pytest.fixture(autouse=True)
def _fresh_cache(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.VIEW_COUNT_FLUSH_SECONDS = 0  # type: ignore[attr-defined]
    cache.clear()
    # A request under /zh-hans/ leaves Chinese active in this thread; start each test in English.
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def customer(db: None) -> Customer:
    return accounts.create_customer(
        uid="20000001",
        email="alice@example.com",
        display_name="Alice",
        language="en",
        password=PASSWORD,
        anti_phishing_code="ALICE-OK",
    )


@pytest.fixture
def other_customer(db: None) -> Customer:
    return accounts.create_customer(
        uid="20000002", email="bob@example.com", display_name="Bob", password=PASSWORD
    )


def _staff(email: str, role: str) -> StaffMember:
    return accounts.create_staff_member(
        email=email, role=role, display_name=email.split("@")[0], password=PASSWORD
    )


@pytest.fixture
def agent(db: None) -> StaffMember:
    return _staff("carol.agent@tidewell.example", StaffRole.AGENT)


@pytest.fixture
def security_agent(db: None) -> StaffMember:
    return _staff("sam.security@tidewell.example", StaffRole.SECURITY_AGENT)


@pytest.fixture
def vip_manager(db: None) -> StaffMember:
    return _staff("vic.vip@tidewell.example", StaffRole.VIP_MANAGER)


@pytest.fixture
def support_admin(db: None) -> StaffMember:
    return _staff("ada.admin@tidewell.example", StaffRole.SUPPORT_ADMIN)


@pytest.fixture
def stranger() -> Client:
    return Client()


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def run_queued_tasks(now: datetime | None = None) -> list[str]:
    """Run the background tasks due by `now` as the worker would (claimed, run, result
    saved), inside the test's transaction; the names of the tasks run, in order. Tasks
    those tasks queue run too if they are due."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    ran: list[str] = []
    while True:
        due = (
            DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
            .order_by("enqueued_at")
            .first()
        )
        if due is None:
            return ran
        due.claim("pytest")
        try:
            value = due.task.call(*due.args_kwargs["args"], **due.args_kwargs["kwargs"])
        except Exception as failure:  # a failing task fails the test that ran it
            due.set_failed(failure)
            raise
        due.set_successful(value)
        ran.append(due.task_path)
