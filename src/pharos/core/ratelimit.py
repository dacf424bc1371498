"""Fixed-window rate limits kept in Django's cache (per process in the embedded set-up,
shared through Redis when REDIS_URL is set)."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limiting. Behind a proxy, uvicorn puts the real one in
    REMOTE_ADDR (PHAROS_TRUSTED_PROXIES); the header itself is never trusted here, or anyone
    could pick their own key. An IPv6 client is keyed by its /64, which one subscriber
    usually has whole."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


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
