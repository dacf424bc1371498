"""Fixed-window rate limits kept in Django's cache (per process in the embedded set-up,
shared through Redis when REDIS_URL is set)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, deployments set the real address in REMOTE_ADDR (uvicorn
    # --proxy-headers); trusting X-Forwarded-For here would let anyone pick their own key.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow(scope: str, key: str) -> bool:
    """Count one hit for `key` in `scope`; False once the scope's limit is reached."""
    if not settings.RATE_LIMITS_ENABLED:
        return True
    limit, window_seconds = settings.RATE_LIMITS[scope]
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # add() is atomic in every cache backend: the first hit creates the counter.
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return True
    return hits <= limit


def allow_request(scope: str, request: HttpRequest) -> bool:
    return allow(scope, client_address(request))
