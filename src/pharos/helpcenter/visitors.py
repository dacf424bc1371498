"""Who is voting: a signed-in user, or an anonymous visitor known by a signed cookie."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "pharos_visitor"
VISITOR_COOKIE_SALT = "pharos.helpcenter.visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600


def visitor_key(request: HttpRequest) -> str | None:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    value = request.get_signed_cookie(VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT)
    return key_for_visitor_id(value) if value else None


def create_visitor_id() -> str:
    return secrets.token_urlsafe(16)


def key_for_visitor_id(visitor_id: str) -> str:
    return f"visitor:{visitor_id}"


def remember_visitor(response: HttpResponse, visitor_id: str) -> None:
    response.set_signed_cookie(
        VISITOR_COOKIE,
        visitor_id,
        salt=VISITOR_COOKIE_SALT,
        max_age=VISITOR_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )
