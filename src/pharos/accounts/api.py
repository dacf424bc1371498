"""Account endpoints (mounted under /api/v1/accounts/) and API authentication."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from . import services


class PersonalTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `pharos token EMAIL`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [PersonalTokenAuth(), SessionAuth()]

router = Router(tags=["accounts"])


class MeResponse(Schema):
    id: int
    email: str | None
    name: str
    preferred_language: str
    kind: str
    uid: str | None
    role: str | None


@router.get(
    "/me",
    auth=API_AUTH,
    response=MeResponse,
    summary="Who the request is signed in as",
    url_name="me",
)
def me(request: HttpRequest) -> MeResponse:
    user = request.auth  # type: ignore[attr-defined]
    # A missing reverse one-to-one raises an AttributeError subclass, so getattr's default works.
    customer = getattr(user, "customer", None)
    uid = customer.uid if customer else None
    role = services.staff_role(user)
    return MeResponse(
        id=user.pk,
        email=user.email,
        name=str(user),
        preferred_language=user.preferred_language,
        kind="staff" if role else "customer" if uid else "user",
        uid=uid,
        role=role,
    )
