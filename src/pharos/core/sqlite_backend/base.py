"""Django's SQLite backend, with writers queued on a lock file.

SQLite lets one writer in at a time. A second writer that finds the database locked is
put to sleep by SQLite's busy handler for 1, 2, 5, 10 … 100 ms before it tries again,
however soon the lock is free: under load most of a request's time goes to those sleeps,
and an unlucky writer sleeps for hundreds of milliseconds. Here a writer first takes an
exclusive `flock` on a file beside the database, and the kernel wakes the next one the
moment the holder is done: writers queue instead of polling. What takes the lock: every
transaction (atomic blocks begin IMMEDIATE, i.e. as writers) and every write statement
run outside one. Readers never take it (WAL lets them read beside the writer). The busy
timeout remains for other programs writing to the file.

A process that dies releases its lock with its file descriptors. Each connection opens
the file itself: flock locks belong to an open file, so threads of one process queue
too. See docs/decisions/0002-sqlite-writer-queue.md."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends import utils
from django.db.backends.sqlite3 import base

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._holds_write_lock = False

    # --- transactions: the lock from BEGIN to COMMIT or ROLLBACK ------------------------------
    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            # After a failed COMMIT Django rolls back; until then SQLite's own lock keeps
            # other writers out, so the queue can move on now.
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None

    # --- a write statement outside a transaction: the lock for that statement ----------------
    def make_cursor(self, cursor: Any) -> utils.CursorWrapper:
        return QueuedWritesCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> utils.CursorDebugWrapper:
        return QueuedWritesCursorDebugWrapper(cursor, self)

    @contextmanager
    def queued_if_writing(self, sql: str) -> Iterator[None]:
        if self._holds_write_lock or not sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
            yield
            return
        self._take_write_lock()
        try:
            yield
        finally:
            self._release_write_lock()

    # --- the lock file ---------------------------------------------------------------------------
    def _take_write_lock(self) -> None:
        if self._holds_write_lock or self.is_in_memory_db():
            return
        if self._write_lock_fd is None:
            path = f"{self.settings_dict['NAME']}.write-lock"
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
        self._holds_write_lock = True

    def _release_write_lock(self) -> None:
        if self._holds_write_lock and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._holds_write_lock = False


class QueuedWritesCursorWrapper(utils.CursorWrapper):
    db: DatabaseWrapper

    def _execute(self, sql: str, params: Any, *ignored: Any) -> Any:
        with self.db.queued_if_writing(sql):
            return super()._execute(sql, params, *ignored)  # type: ignore[misc]

    def _executemany(self, sql: str, param_list: Any, *ignored: Any) -> Any:
        with self.db.queued_if_writing(sql):
            return super()._executemany(sql, param_list, *ignored)  # type: ignore[misc]


class QueuedWritesCursorDebugWrapper(QueuedWritesCursorWrapper, utils.CursorDebugWrapper):
    """The same, for DEBUG and tests that capture queries."""
