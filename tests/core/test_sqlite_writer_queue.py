"""SQLite writers queue on a lock file (pharos.core.sqlite_backend): a second writer
gets in as soon as the first commits or rolls back, rather than sleeping in SQLite's
busy handler; readers are never held up."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from pharos.core.sqlite_backend.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="this suite run is on PostgreSQL"
)


@pytest.fixture
def database_file(tmp_path: Path, django_db_blocker: pytest.FixtureRequest) -> Iterator[Path]:
    path = tmp_path / "queue.sqlite3"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        setup = open_connection(path)
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, who TEXT)")
        setup.close()
        yield path


def open_connection(path: Path) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA busy_timeout=20000",
            "transaction_mode": "IMMEDIATE",
        },
    }
    return DatabaseWrapper(settings, alias=f"queue-{path.name}")


def begin(wrapper: DatabaseWrapper) -> None:
    """What transaction.atomic() does first on SQLite."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(wrapper: DatabaseWrapper, *, commit: bool) -> None:
    wrapper.commit() if commit else wrapper.rollback()
    wrapper.set_autocommit(True)


def insert(wrapper: DatabaseWrapper, who: str) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO entry (who) VALUES (%s)", [who])


def second_writer(path: Path, started: list[float], in_transaction: bool) -> threading.Thread:
    def write() -> None:
        other = open_connection(path)
        if in_transaction:
            begin(other)
            started.append(time.monotonic())
            insert(other, "second")
            end(other, commit=True)
        else:  # one statement in autocommit mode, e.g. a save() outside atomic()
            insert(other, "second")
            started.append(time.monotonic())
        other.close()

    return threading.Thread(target=write)


@pytest.mark.parametrize("in_transaction", [True, False], ids=["transaction", "statement"])
@pytest.mark.parametrize("finish", ["commit", "rollback", "close"])
def test_a_second_writer_waits_until_the_first_is_done(
    database_file, finish, in_transaction
) -> None:
    first = open_connection(database_file)
    begin(first)
    insert(first, "first")
    started: list[float] = []
    thread = second_writer(database_file, started, in_transaction)
    thread.start()
    time.sleep(0.3)
    assert started == []  # queued behind the first transaction
    # A reader is not held up by the queue.
    reader = open_connection(database_file)
    with reader.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM entry")
        assert cursor.fetchone()[0] == 0
    reader.close()

    finished = time.monotonic()
    if finish == "close":
        first.close()
    else:
        end(first, commit=finish == "commit")
        first.close()
    thread.join(timeout=5)
    assert started, "the second writer never got in"
    assert started[0] >= finished
    check = open_connection(database_file)
    with check.cursor() as cursor:
        cursor.execute("SELECT who FROM entry ORDER BY id")
        expected = ["first", "second"] if finish == "commit" else ["second"]
        assert [row[0] for row in cursor.fetchall()] == expected
    check.close()


def test_no_writer_starves_while_others_keep_writing(database_file) -> None:
    """Four writers, 25 short transactions each, and a fifth writing single statements.
    With SQLite's busy handler a waiting writer sleeps in slices of up to 100 ms while the
    others take turns, and waits of 200-300 ms are common here; queued, each waits only
    for the transactions ahead of it."""
    waits: list[float] = []

    def write(name: str) -> None:
        wrapper = open_connection(database_file)
        for _ in range(25):
            asked = time.monotonic()
            begin(wrapper)
            waits.append(time.monotonic() - asked)
            insert(wrapper, name)
            time.sleep(0.002)  # a transaction's own work
            end(wrapper, commit=True)
        wrapper.close()

    def write_statements(name: str) -> None:
        wrapper = open_connection(database_file)
        for _ in range(25):
            asked = time.monotonic()
            insert(wrapper, name)
            waits.append(time.monotonic() - asked)
        wrapper.close()

    threads = [threading.Thread(target=write, args=(f"writer-{n}",)) for n in range(4)]
    threads.append(threading.Thread(target=write_statements, args=("statements",)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(waits) == 125
    assert max(waits) < 0.15, f"longest wait {max(waits) * 1000:.0f} ms"
