"""Article view counts, batched: counted in memory, written together every few seconds.

A view count is a popularity figure, not a record anyone relies on; losing the last few
seconds of views if a process dies is the price of not writing on every page view.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F

logger = logging.getLogger(__name__)


class ViewCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Counter[int] = Counter()
        self._last_flush = time.monotonic()

    def record(self, article_id: int) -> None:
        with self._lock:
            self._pending[article_id] += 1
            due = time.monotonic() - self._last_flush >= settings.VIEW_COUNT_FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        if not batch:
            return
        from .models import Article

        try:
            with transaction.atomic():
                for article_id, views in sorted(batch.items()):
                    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + views)
        except DatabaseError:
            logger.warning("could not write %d article view counts; keeping them", len(batch))
            with self._lock:
                self._pending.update(batch)


view_counter = ViewCounter()


@atexit.register
def _flush_on_exit() -> None:
    try:
        view_counter.flush()
    except Exception:  # the database may already be gone at interpreter exit
        logger.exception("could not write article view counts at exit")
