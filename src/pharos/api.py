"""The JSON API: one Ninja instance, documented at /api/docs (OpenAPI at /api/openapi.json)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.functional import Promise
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer

from pharos.accounts.api import router as accounts_router
from pharos.conversations.api import console_router, customer_router
from pharos.helpcenter.api import router as helpcenter_router
from pharos.mail.api import router as mail_router
from pharos.trust.api import router as trust_router


class FastJSONRenderer(BaseRenderer):
    """orjson: several times faster than the standard encoder on answers such as a page of
    the inbox. Times come out as RFC 3339 with microseconds."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=_plain)


def _plain(value: Any) -> Any:
    """What orjson does not know: lazy translations and decimals become strings."""
    if isinstance(value, Promise | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


api = NinjaAPI(
    title="Pharos API",
    version="1",
    description="Help center search, accounts, customers' requests and the agent console.",
    urls_namespace="api",
    renderer=FastJSONRenderer(),
)
api.add_router("/v1/helpcenter/", helpcenter_router)
api.add_router("/v1/accounts/", accounts_router)
api.add_router("/v1/requests", customer_router)
api.add_router("/v1/console", console_router)
api.add_router("/v1/mail/", mail_router)
api.add_router("/v1/trust/", trust_router)
