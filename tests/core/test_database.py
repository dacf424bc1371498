"""The embedded SQLite default is set up for concurrent use."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_with_a_busy_timeout_and_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("this suite run is on PostgreSQL")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL: safe with WAL, one fsync per checkpoint
    # The test database lives in memory, where WAL does not apply; the file database asks
    # for it in its connection set-up.
    assert "PRAGMA journal_mode=WAL" in options["init_command"]


def test_postgres_is_chosen_by_database_url_alone() -> None:
    import environ

    config = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/test")
    assert config["ENGINE"].startswith("django.db.backends.postgresql")


@pytest.mark.django_db
def test_postgres_plans_a_repeated_statement_once() -> None:
    """Prepared statements: planning the inbox query cost PostgreSQL more CPU than running it."""
    if connection.vendor != "postgresql":
        pytest.skip("this suite run is on SQLite")
    from pharos.accounts.models import User

    for _ in range(2):
        list(User.objects.filter(email="nobody@example.com"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "accounts_user"%'],
        )
        assert cursor.fetchone()[0] >= 1
