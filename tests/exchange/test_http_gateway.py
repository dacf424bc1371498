"""The HTTP gateway, against the demo exchange served by a live server (the contract of
docs/exchange-gateway.md end to end), and against exchanges that break the contract
(httpx.MockTransport)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from django.test import Client

from pharos.exchange.contract import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
    to_json,
)
from pharos.exchange.demo import DEMO_ACCOUNTS, DemoExchangeGateway, seed_demo_exchange
from pharos.exchange.gateway import (
    Account,
    AccountNotFound,
    Balance,
    ExchangeUnavailable,
    LockState,
)
from pharos.exchange.http_gateway import HttpExchangeGateway
from pharos.exchange.models import DemoAccount, DemoAccountAction

DEMO_UIDS = [row[0] for row in DEMO_ACCOUNTS]
live = pytest.mark.django_db(transaction=True)


# --- against the demo exchange on a live server --------------------------------------------------
@pytest.fixture
def demo_exchange_url(live_server: Any, transactional_db: None) -> str:
    # The transactional flush of earlier tests wiped the session's demo data.
    seed_demo_exchange()
    return f"{live_server.url}/demo-exchange"


@pytest.fixture
def http_gateway(demo_exchange_url: str) -> HttpExchangeGateway:
    return HttpExchangeGateway(
        base_url=demo_exchange_url,
        api_key="pharos-test",
        secret=django_settings.DEMO_EXCHANGE_API_SECRET,
    )


def signed_request(
    url: str,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    timestamp: int | None = None,
    secret: str | None = None,
    sent_body: bytes | None = None,
    signature_override: str | None = None,
) -> httpx.Response:
    """Call the demo exchange directly: `path` is the full path under the server root."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        KEY_HEADER: "pharos-test",
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature_override
        or signature(secret or django_settings.DEMO_EXCHANGE_API_SECRET, stamp, method, path, body),
        "Content-Type": "application/json",
    }
    base = url.removesuffix("/demo-exchange")
    content = body if sent_body is None else sent_body
    return httpx.request(method, base + path, content=content, headers=headers, timeout=10)


@live
def test_every_read_returns_the_same_data_as_the_demo_gateway(
    http_gateway: HttpExchangeGateway,
) -> None:
    demo = DemoExchangeGateway()
    for uid in DEMO_UIDS:
        assert http_gateway.get_account(uid) == demo.get_account(uid)
        assert http_gateway.list_deposits(uid) == demo.list_deposits(uid)
        assert http_gateway.list_withdrawals(uid) == demo.list_withdrawals(uid)
        assert http_gateway.list_orders(uid) == demo.list_orders(uid)


@live
def test_limits_travel_to_the_exchange(http_gateway: HttpExchangeGateway) -> None:
    demo = DemoExchangeGateway()
    assert http_gateway.list_deposits("10000001", limit=2) == demo.list_deposits("10000001", 2)
    assert http_gateway.list_withdrawals("10000001", limit=1) == demo.list_withdrawals(
        "10000001", 1
    )
    assert http_gateway.list_orders("10000001", limit=3) == demo.list_orders("10000001", 3)
    assert len(http_gateway.list_orders("10000001", limit=1000)) == 5


@live
def test_amounts_and_times_arrive_as_decimals_and_aware_datetimes(
    http_gateway: HttpExchangeGateway,
) -> None:
    account = http_gateway.get_account("10000001")
    assert isinstance(account.volume_30d_usdt, Decimal)
    assert account.registered_at.tzinfo is not None
    assert all(isinstance(balance, Balance) for balance in account.balances)
    deposit = http_gateway.list_deposits("10000001")[0]
    assert isinstance(deposit.amount, Decimal)
    assert deposit.created_at.tzinfo is not None


@live
def test_freeze_and_unlock_over_http_change_the_demo_account(
    http_gateway: HttpExchangeGateway,
) -> None:
    frozen = http_gateway.freeze_account("10000002", "Suspected theft, ticket 88", "carol")
    assert frozen.lock_state is LockState.FROZEN
    assert frozen.lock_reason == "Suspected theft, ticket 88"
    assert DemoAccount.objects.get(uid="10000002").lock_state == LockState.FROZEN
    assert frozen == DemoExchangeGateway().get_account("10000002")

    unlocked = http_gateway.unlock_account("10000002", "Owner verified", "sam")
    assert unlocked.lock_state is LockState.ACTIVE
    assert DemoAccount.objects.get(uid="10000002").lock_state == LockState.ACTIVE
    assert list(
        DemoAccountAction.objects.filter(account_id="10000002")
        .order_by("pk")
        .values_list("action", "reason", "requested_by")
    ) == [
        ("freeze", "Suspected theft, ticket 88", "carol"),
        ("unlock", "Owner verified", "sam"),
    ]


@live
@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("get_account", ()),
        ("list_deposits", ()),
        ("list_withdrawals", ()),
        ("list_orders", ()),
        ("freeze_account", ("reason", "carol")),
        ("unlock_account", ("reason", "carol")),
    ],
)
def test_unknown_uid_over_http_raises_account_not_found(
    http_gateway: HttpExchangeGateway, method: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(AccountNotFound):
        getattr(http_gateway, method)("99999999", *args)


@live
def test_wrong_secret_makes_the_exchange_unavailable(demo_exchange_url: str) -> None:
    gateway = HttpExchangeGateway(demo_exchange_url, "pharos-test", "not-the-secret")
    with pytest.raises(ExchangeUnavailable, match="401"):
        gateway.get_account("10000001")
    with pytest.raises(ExchangeUnavailable, match="401"):
        gateway.freeze_account("10000001", "theft", "carol")
    assert DemoAccount.objects.get(uid="10000001").lock_state == LockState.ACTIVE


@live
def test_wrong_base_url_is_unavailable_not_a_missing_account(live_server: Any) -> None:
    seed_demo_exchange()
    gateway = HttpExchangeGateway(
        f"{live_server.url}/not-the-exchange", "k", django_settings.DEMO_EXCHANGE_API_SECRET
    )
    with pytest.raises(ExchangeUnavailable):
        gateway.get_account("10000001")


@live
def test_switched_off_demo_exchange_is_unavailable(
    http_gateway: HttpExchangeGateway, settings: Any
) -> None:
    settings.DEMO_EXCHANGE_API_ENABLED = False
    with pytest.raises(ExchangeUnavailable):
        http_gateway.get_account("10000001")


@live
def test_correctly_signed_direct_request_is_answered(demo_exchange_url: str) -> None:
    response = signed_request(demo_exchange_url, "GET", "/demo-exchange/v1/accounts/10000001")
    assert response.status_code == 200
    assert response.json()["uid"] == "10000001"
    listing = signed_request(
        demo_exchange_url, "GET", "/demo-exchange/v1/accounts/10000001/orders?limit=2"
    )
    assert listing.status_code == 200
    assert len(listing.json()["items"]) == 2


@live
def test_stale_timestamp_is_refused_by_the_server(demo_exchange_url: str) -> None:
    ten_minutes_ago = int(time.time()) - 600
    response = signed_request(
        demo_exchange_url, "GET", "/demo-exchange/v1/accounts/10000001", timestamp=ten_minutes_ago
    )
    assert response.status_code == 401
    assert response.json() == {"error": "stale_or_missing_timestamp"}


@live
def test_timestamp_from_the_future_is_refused_by_the_server(demo_exchange_url: str) -> None:
    response = signed_request(
        demo_exchange_url,
        "GET",
        "/demo-exchange/v1/accounts/10000001",
        timestamp=int(time.time()) + 600,
    )
    assert response.status_code == 401


@live
def test_missing_headers_are_refused_by_the_server(demo_exchange_url: str) -> None:
    response = httpx.get(f"{demo_exchange_url}/v1/accounts/10000001", timeout=10)
    assert response.status_code == 401


@live
def test_tampered_body_is_refused_and_changes_nothing(demo_exchange_url: str) -> None:
    path = "/demo-exchange/v1/accounts/10000001/freeze"
    signed_body = json.dumps({"reason": "harmless", "requested_by": "carol"}).encode()
    sent_body = json.dumps({"reason": "tampered", "requested_by": "mallory"}).encode()
    response = signed_request(demo_exchange_url, "POST", path, signed_body, sent_body=sent_body)
    assert response.status_code == 401
    assert response.json() == {"error": "bad_signature"}
    assert DemoAccount.objects.get(uid="10000001").lock_state == LockState.ACTIVE
    assert not DemoAccountAction.objects.exists()


@live
def test_tampered_signature_is_refused(demo_exchange_url: str) -> None:
    path = "/demo-exchange/v1/accounts/10000001"
    stamp = int(time.time())
    good = signature(django_settings.DEMO_EXCHANGE_API_SECRET, str(stamp), "GET", path, b"")
    flipped = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = signed_request(
        demo_exchange_url, "GET", path, timestamp=stamp, signature_override=flipped
    )
    assert response.status_code == 401


@live
def test_signature_for_another_account_is_refused(demo_exchange_url: str) -> None:
    stamp = int(time.time())
    other = signature(
        django_settings.DEMO_EXCHANGE_API_SECRET,
        str(stamp),
        "GET",
        "/demo-exchange/v1/accounts/10000002",
        b"",
    )
    response = signed_request(
        demo_exchange_url,
        "GET",
        "/demo-exchange/v1/accounts/10000001",
        timestamp=stamp,
        signature_override=other,
    )
    assert response.status_code == 401


@live
def test_signature_for_another_limit_is_refused(demo_exchange_url: str) -> None:
    stamp = int(time.time())
    for_two = signature(
        django_settings.DEMO_EXCHANGE_API_SECRET,
        str(stamp),
        "GET",
        "/demo-exchange/v1/accounts/10000001/orders?limit=2",
        b"",
    )
    response = signed_request(
        demo_exchange_url,
        "GET",
        "/demo-exchange/v1/accounts/10000001/orders?limit=100",
        timestamp=stamp,
        signature_override=for_two,
    )
    assert response.status_code == 401


@live
@pytest.mark.parametrize(
    "payload",
    [b"", b"not json", b"[]", b'{"reason": "", "requested_by": "carol"}', b'{"reason": "x"}'],
)
def test_freeze_without_reason_and_requester_is_refused(
    demo_exchange_url: str, payload: bytes
) -> None:
    path = "/demo-exchange/v1/accounts/10000001/freeze"
    response = signed_request(demo_exchange_url, "POST", path, payload)
    assert response.status_code == 400
    assert DemoAccount.objects.get(uid="10000001").lock_state == LockState.ACTIVE


@pytest.mark.django_db
def test_non_ascii_signature_is_refused_not_a_server_error() -> None:
    client = Client(raise_request_exception=False)
    response = client.get(
        "/demo-exchange/v1/accounts/10000001",
        headers={TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "é" * 64},
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_demo_exchange_only_answers_the_right_methods() -> None:
    client = Client()
    assert client.post("/demo-exchange/v1/accounts/10000001").status_code == 405
    assert client.get("/demo-exchange/v1/accounts/10000001/freeze").status_code == 405


# --- exchanges that break the contract -----------------------------------------------------------
Handler = Callable[[httpx.Request], httpx.Response]
SAMPLE_ACCOUNT = Account(
    uid="10000001",
    kyc_name="Lin Mei",
    kyc_level=2,
    vip_tier=0,
    lock_state=LockState.ACTIVE,
    lock_reason="",
    registered_at=datetime(2024, 1, 1, tzinfo=UTC),
    volume_30d_usdt=Decimal("100.5"),
    total_assets_usdt=Decimal("10"),
    balances=(Balance("USDT", Decimal("10"), Decimal("0")),),
)


def gateway_answering(handler: Handler) -> HttpExchangeGateway:
    return HttpExchangeGateway(
        "https://exchange.example/support/",
        "pharos",
        "shared-secret",
        transport=httpx.MockTransport(handler),
    )


def answer(response: httpx.Response) -> HttpExchangeGateway:
    return gateway_answering(lambda request: response)


def test_well_formed_answers_are_read() -> None:
    assert answer(httpx.Response(200, json=to_json(SAMPLE_ACCOUNT))).get_account("10000001") == (
        SAMPLE_ACCOUNT
    )
    assert answer(httpx.Response(200, json={"items": []})).list_orders("10000001") == []


def test_requests_are_signed_as_the_contract_says() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith(("/freeze", "/unlock")) or request.url.path.endswith(
            "/10000001"
        ):
            return httpx.Response(200, json=to_json(SAMPLE_ACCOUNT))
        return httpx.Response(200, json={"items": []})

    gateway = gateway_answering(handler)
    gateway.get_account("10000001")
    gateway.list_deposits("10000001", limit=0)
    gateway.list_withdrawals("10000001", limit=500)
    gateway.list_orders("10000001")
    gateway.freeze_account("10000001", "theft", "carol@tidewell")
    gateway.unlock_account("10000001", "verified", "sam@tidewell")

    assert [(r.method, r.url.raw_path.decode()) for r in seen] == [
        ("GET", "/support/v1/accounts/10000001"),
        ("GET", "/support/v1/accounts/10000001/deposits?limit=1"),
        ("GET", "/support/v1/accounts/10000001/withdrawals?limit=100"),
        ("GET", "/support/v1/accounts/10000001/orders?limit=20"),
        ("POST", "/support/v1/accounts/10000001/freeze"),
        ("POST", "/support/v1/accounts/10000001/unlock"),
    ]
    for request in seen:
        stamp = request.headers[TIMESTAMP_HEADER]
        assert abs(int(stamp) - time.time()) < 5
        assert request.headers[KEY_HEADER] == "pharos"
        assert request.headers[SIGNATURE_HEADER] == signature(
            "shared-secret", stamp, request.method, request.url.raw_path.decode(), request.content
        )
    assert json.loads(seen[4].content) == {"reason": "theft", "requested_by": "carol@tidewell"}
    assert seen[4].headers["Content-Type"] == "application/json"
    assert seen[0].content == b""


BROKEN_ANSWERS = {
    "missing fields": httpx.Response(200, json={"uid": "10000001", "kyc_name": "Lin Mei"}),
    "invalid decimal": httpx.Response(
        200, json=to_json(SAMPLE_ACCOUNT) | {"volume_30d_usdt": "1.2.3"}
    ),
    "float decimal": httpx.Response(200, json=to_json(SAMPLE_ACCOUNT) | {"total_assets_usdt": 1.5}),
    "naive time": httpx.Response(
        200, json=to_json(SAMPLE_ACCOUNT) | {"registered_at": "2024-01-01T00:00:00"}
    ),
    "unknown lock state": httpx.Response(
        200, json=to_json(SAMPLE_ACCOUNT) | {"lock_state": "melted"}
    ),
    "not an object": httpx.Response(200, json=["10000001"]),
    "not json": httpx.Response(200, text="<html>Service temporarily unavailable</html>"),
    "empty body": httpx.Response(200, content=b""),
    "server error": httpx.Response(500, json={"error": "internal"}),
    "bad gateway": httpx.Response(502, text="Bad Gateway"),
    "unauthorised": httpx.Response(401, json={"error": "bad_signature"}),
    "forbidden": httpx.Response(403),
    "redirect": httpx.Response(302, headers={"Location": "https://elsewhere.example/"}),
    "bare 404": httpx.Response(404, text="Not Found"),
    "404 of another kind": httpx.Response(404, json={"error": "not_found"}),
}


@pytest.mark.parametrize("response", BROKEN_ANSWERS.values(), ids=BROKEN_ANSWERS.keys())
def test_exchange_breaking_the_contract_is_unavailable(response: httpx.Response) -> None:
    with pytest.raises(ExchangeUnavailable):
        answer(response).get_account("10000001")
    with pytest.raises(ExchangeUnavailable):
        answer(response).freeze_account("10000001", "theft", "carol")


BROKEN_LISTINGS = {
    "items missing": {"orders": []},
    "items not a list": {"items": {"O1": {}}},
    "not an object": [],
    "an item missing fields": {"items": [{"id": "O1"}]},
    "an item with a bad decimal": {
        "items": [
            {
                "id": "O1",
                "market": "BTC/USDT",
                "side": "buy",
                "type": "limit",
                "price": "cheap",
                "quantity": "1",
                "filled_quantity": "0",
                "status": "open",
                "created_at": "2025-01-01T00:00:00+00:00",
            }
        ]
    },
}


@pytest.mark.parametrize("body", BROKEN_LISTINGS.values(), ids=BROKEN_LISTINGS.keys())
def test_listing_breaking_the_contract_is_unavailable(body: Any) -> None:
    with pytest.raises(ExchangeUnavailable):
        answer(httpx.Response(200, json=body)).list_orders("10000001")


def test_account_not_found_answer_raises_account_not_found() -> None:
    gateway = answer(httpx.Response(404, json={"error": "account_not_found"}))
    with pytest.raises(AccountNotFound):
        gateway.get_account("10000001")
    with pytest.raises(AccountNotFound):
        gateway.list_deposits("10000001")


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("x")],
)
def test_unreachable_exchange_is_unavailable(error: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(ExchangeUnavailable, match="unreachable"):
        gateway_answering(handler).get_account("10000001")


@pytest.mark.parametrize(
    "uid",
    ["../10000001", "..", "1/2", "10000001/freeze", "", " ", "a b", "10000001?limit=1", "%2e%2e",
     "10000001#x", "１２３", "uid\n"],
)  # fmt: skip
def test_uid_that_could_change_the_path_never_reaches_the_network(uid: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=to_json(SAMPLE_ACCOUNT))

    gateway = gateway_answering(handler)
    calls: list[Callable[[], Any]] = [
        lambda: gateway.get_account(uid),
        lambda: gateway.list_deposits(uid),
        lambda: gateway.list_withdrawals(uid),
        lambda: gateway.list_orders(uid),
        lambda: gateway.freeze_account(uid, "theft", "carol"),
        lambda: gateway.unlock_account(uid, "verified", "carol"),
    ]
    for call in calls:
        with pytest.raises(AccountNotFound):
            call()
    assert seen == []
