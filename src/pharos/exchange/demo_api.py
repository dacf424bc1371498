"""The demo exchange answering the HTTP contract (docs/exchange-gateway.md), so the HTTP
gateway can be tried and tested against a live server without a real exchange."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .contract import MAX_CLOCK_SKEW_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, to_json
from .demo import DemoExchangeGateway
from .gateway import AccountNotFound

View = Callable[..., JsonResponse]


def signed(view: View) -> View:
    """Only requests signed with the demo secret, within the allowed clock skew."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not settings.DEMO_EXCHANGE_API_ENABLED:
            return JsonResponse({"error": "not_found"}, status=404)
        timestamp = request.headers.get(TIMESTAMP_HEADER, "")
        given = request.headers.get(SIGNATURE_HEADER, "")
        if (
            not (timestamp.isascii() and timestamp.isdigit())
            or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS
        ):
            return JsonResponse({"error": "stale_or_missing_timestamp"}, status=401)
        expected = signature(
            settings.DEMO_EXCHANGE_API_SECRET,
            timestamp,
            request.method or "GET",
            request.get_full_path(),
            request.body,
        )
        # As bytes: compare_digest raises TypeError on a non-ASCII str (a 500, not a 401).
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return JsonResponse({"error": "bad_signature"}, status=401)
        try:
            return view(request, *args, **kwargs)
        except AccountNotFound:
            return JsonResponse({"error": "account_not_found"}, status=404)

    return checked


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", "20")), 100))
    except ValueError:
        return 20


@csrf_exempt
@require_GET
@signed
def account(request: HttpRequest, uid: str) -> JsonResponse:
    return JsonResponse(to_json(DemoExchangeGateway().get_account(uid)))


@csrf_exempt
@require_GET
@signed
def deposits(request: HttpRequest, uid: str) -> JsonResponse:
    items = DemoExchangeGateway().list_deposits(uid, _limit(request))
    return JsonResponse({"items": to_json(items)})


@csrf_exempt
@require_GET
@signed
def withdrawals(request: HttpRequest, uid: str) -> JsonResponse:
    items = DemoExchangeGateway().list_withdrawals(uid, _limit(request))
    return JsonResponse({"items": to_json(items)})


@csrf_exempt
@require_GET
@signed
def orders(request: HttpRequest, uid: str) -> JsonResponse:
    items = DemoExchangeGateway().list_orders(uid, _limit(request))
    return JsonResponse({"items": to_json(items)})


def _action_payload(request: HttpRequest) -> tuple[str, str] | None:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    reason, requested_by = payload.get("reason"), payload.get("requested_by")
    if not isinstance(reason, str) or not isinstance(requested_by, str) or not reason.strip():
        return None
    return reason, requested_by


@csrf_exempt
@require_POST
@signed
def freeze(request: HttpRequest, uid: str) -> JsonResponse:
    if (payload := _action_payload(request)) is None:
        return JsonResponse({"error": "reason_and_requested_by_required"}, status=400)
    return JsonResponse(to_json(DemoExchangeGateway().freeze_account(uid, *payload)))


@csrf_exempt
@require_POST
@signed
def unlock(request: HttpRequest, uid: str) -> JsonResponse:
    if (payload := _action_payload(request)) is None:
        return JsonResponse({"error": "reason_and_requested_by_required"}, status=400)
    return JsonResponse(to_json(DemoExchangeGateway().unlock_account(uid, *payload)))
