"""Staff sessions expire: after STAFF_SESSION_IDLE_MINUTES without a request, and in any
case STAFF_SESSION_MAX_HOURS after signing in, a staff member signs in again (with their
second factor). Customers' sessions follow Django's own age."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import services

SIGNED_IN_AT = "pharos:staff_signed_in_at"
LAST_SEEN_AT = "pharos:staff_last_seen_at"
# Writing the session on every request costs a database write; a minute's precision does.
TOUCH_EVERY_SECONDS = 60


class StaffSessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and services.staff_role(user) is not None
            and staff_session_expired(request.session)
        ):
            logout(request)
            messages.info(request, _("Your session ended. Please sign in again."))
        return self.get_response(request)


def staff_session_expired(session: SessionBase) -> bool:
    """True when the staff session is too old or was idle too long; otherwise it is
    marked as seen now."""
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        session[SIGNED_IN_AT] = signed_in_at or now
        session[LAST_SEEN_AT] = now
        return False
    if now - float(signed_in_at) > settings.STAFF_SESSION_MAX_HOURS * 3600:
        return True
    if now - float(last_seen_at) > settings.STAFF_SESSION_IDLE_MINUTES * 60:
        return True
    if now - float(last_seen_at) > TOUCH_EVERY_SECONDS:
        session[LAST_SEEN_AT] = now
    return False


def staff_session_deadline(session: SessionBase | None) -> float | None:
    """For sockets, which cannot sign anyone out or mark the session seen: None when the
    staff session has expired, else the time (epoch seconds) it expires at the latest."""
    if session is None:
        return None
    now = time.time()
    signed_in_at = float(session.get(SIGNED_IN_AT) or now)
    last_seen_at = float(session.get(LAST_SEEN_AT) or now)
    deadline = signed_in_at + settings.STAFF_SESSION_MAX_HOURS * 3600
    if now > deadline or now - last_seen_at > settings.STAFF_SESSION_IDLE_MINUTES * 60:
        return None
    return deadline
