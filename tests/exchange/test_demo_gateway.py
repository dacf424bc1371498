"""The built-in demo exchange, read and acted on through the gateway interface."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pharos.exchange.demo import DEMO_ACCOUNTS, DemoExchangeGateway, seed_demo_exchange
from pharos.exchange.gateway import (
    Account,
    AccountNotFound,
    LockState,
    OrderStatus,
    TransferStatus,
    get_gateway,
)
from pharos.exchange.http_gateway import HttpExchangeGateway
from pharos.exchange.models import DemoAccount, DemoAccountAction, DemoBalance

pytestmark = pytest.mark.django_db

DEMO_UIDS = [row[0] for row in DEMO_ACCOUNTS]
ASSETS = ["BTC", "ETH", "SOL", "TRX", "USDT"]


@pytest.fixture
def gateway() -> DemoExchangeGateway:
    return DemoExchangeGateway()


def test_demo_exchange_has_the_five_demo_accounts() -> None:
    assert DEMO_UIDS == ["10000001", "10000002", "10000003", "10000004", "10000005"]
    assert set(DemoAccount.objects.values_list("uid", flat=True)) >= set(DEMO_UIDS)


def test_seeding_again_creates_nothing() -> None:
    before = DemoBalance.objects.count()
    assert seed_demo_exchange() == 0
    assert DemoBalance.objects.count() == before


def test_account_fields(gateway: DemoExchangeGateway) -> None:
    account = gateway.get_account("10000001")
    assert isinstance(account, Account)
    assert account.uid == "10000001"
    assert account.kyc_name == "Lin Mei"
    assert account.kyc_level == 2
    assert account.vip_tier == 2  # 2.45 million USDT traded in 30 days
    assert gateway.get_account("10000002").vip_tier == 0
    assert account.lock_state is LockState.ACTIVE
    assert account.lock_reason == ""
    assert account.volume_30d_usdt == Decimal("2450000")
    assert account.registered_at.tzinfo is not None


@pytest.mark.parametrize(
    ("uid", "state", "reason"),
    [
        ("10000002", LockState.ACTIVE, ""),
        ("10000003", LockState.LOCKED, "5 wrong passwords"),
        ("10000005", LockState.FROZEN, "Frozen by owner: suspected theft"),
    ],
)
def test_account_lock_states(
    gateway: DemoExchangeGateway, uid: str, state: LockState, reason: str
) -> None:
    account = gateway.get_account(uid)
    assert account.lock_state is state
    assert account.lock_reason == reason


def test_balances_one_per_asset_in_asset_order(gateway: DemoExchangeGateway) -> None:
    account = gateway.get_account("10000002")
    assert [balance.asset for balance in account.balances] == ASSETS
    stored = {b.asset: b for b in DemoBalance.objects.filter(account_id="10000002")}
    for balance in account.balances:
        assert isinstance(balance.available, Decimal)
        assert balance.available == stored[balance.asset].available
        assert balance.locked == stored[balance.asset].locked


def test_total_assets_are_the_balances_valued_in_usdt(gateway: DemoExchangeGateway) -> None:
    DemoBalance.objects.filter(account_id="10000004", asset="BTC").update(
        available=Decimal("0.5"), locked=Decimal("0.25"), usdt_price=Decimal("64000")
    )
    expected = sum(
        (
            (b.available + b.locked) * b.usdt_price
            for b in DemoBalance.objects.filter(account_id="10000004")
        ),
        Decimal(0),
    ).quantize(Decimal("0.01"))
    account = gateway.get_account("10000004")
    assert account.total_assets_usdt == expected
    assert account.total_assets_usdt >= Decimal("48000")  # the 0.75 BTC alone
    assert account.total_assets_usdt.as_tuple().exponent == -2


def test_account_without_balances_has_zero_total(gateway: DemoExchangeGateway) -> None:
    DemoAccount.objects.create(uid="10000099", kyc_name="Empty")
    account = gateway.get_account("10000099")
    assert account.balances == ()
    assert account.total_assets_usdt == Decimal("0.00")


def _newest_first(items: list[Any]) -> bool:
    times = [item.created_at for item in items]
    return times == sorted(times, reverse=True)


def test_deposits_newest_first(gateway: DemoExchangeGateway) -> None:
    deposits = gateway.list_deposits("10000001")
    assert len(deposits) == 6
    assert _newest_first(deposits)
    assert all(d.id.startswith("D") for d in deposits)
    assert {d.status for d in deposits} <= set(TransferStatus)
    for deposit in deposits:
        if deposit.status is TransferStatus.COMPLETED:
            assert deposit.completed_at is not None
            assert deposit.confirmations == deposit.required_confirmations
        else:
            assert deposit.completed_at is None
            assert deposit.confirmations < deposit.required_confirmations


def test_withdrawals_newest_first(gateway: DemoExchangeGateway) -> None:
    withdrawals = gateway.list_withdrawals("10000001")
    assert len(withdrawals) == 4
    assert _newest_first(withdrawals)
    assert all(w.id.startswith("W") for w in withdrawals)
    assert sorted(w.status for w in withdrawals) == sorted(
        [
            TransferStatus.COMPLETED,
            TransferStatus.COMPLETED,
            TransferStatus.UNDER_REVIEW,
            TransferStatus.REJECTED,
        ]
    )
    assert all(isinstance(w.fee, Decimal) for w in withdrawals)


def test_orders_newest_first(gateway: DemoExchangeGateway) -> None:
    orders = gateway.list_orders("10000001")
    assert len(orders) == 5
    assert _newest_first(orders)
    assert all(o.id.startswith("O") for o in orders)
    for order in orders:
        assert order.market.endswith("/USDT")
        assert order.side in {"buy", "sell"}
        assert isinstance(order.status, OrderStatus)
        if order.status is OrderStatus.FILLED:
            assert order.filled_quantity == order.quantity
        if order.status is OrderStatus.OPEN:
            assert order.filled_quantity == 0


@pytest.mark.parametrize("method", ["list_deposits", "list_withdrawals", "list_orders"])
def test_history_is_limited_to_the_newest(gateway: DemoExchangeGateway, method: str) -> None:
    everything = getattr(gateway, method)("10000002")
    newest_two = getattr(gateway, method)("10000002", limit=2)
    assert newest_two == everything[:2]


@pytest.mark.parametrize("method", ["list_deposits", "list_withdrawals", "list_orders"])
def test_history_belongs_to_the_account(gateway: DemoExchangeGateway, method: str) -> None:
    first = {item.id for item in getattr(gateway, method)("10000001")}
    second = {item.id for item in getattr(gateway, method)("10000002")}
    assert first
    assert second
    assert not first & second


def test_freeze_then_unlock(gateway: DemoExchangeGateway) -> None:
    frozen = gateway.freeze_account("10000002", "Suspected theft, ticket 77", "carol@tidewell")
    assert frozen.lock_state is LockState.FROZEN
    assert frozen.lock_reason == "Suspected theft, ticket 77"
    assert DemoAccount.objects.get(uid="10000002").lock_state == LockState.FROZEN

    unlocked = gateway.unlock_account("10000002", "Owner verified by video", "sam@tidewell")
    assert unlocked.lock_state is LockState.ACTIVE
    assert unlocked.lock_reason == ""
    assert gateway.get_account("10000002").lock_state is LockState.ACTIVE

    actions = list(
        DemoAccountAction.objects.filter(account_id="10000002")
        .order_by("pk")
        .values_list("action", "reason", "requested_by")
    )
    assert actions == [
        ("freeze", "Suspected theft, ticket 77", "carol@tidewell"),
        ("unlock", "Owner verified by video", "sam@tidewell"),
    ]


def test_unlock_lifts_a_risk_control_lock(gateway: DemoExchangeGateway) -> None:
    assert gateway.get_account("10000003").lock_state is LockState.LOCKED
    account = gateway.unlock_account("10000003", "Identity confirmed", "carol")
    assert account.lock_state is LockState.ACTIVE
    assert account.lock_reason == ""


def test_freeze_keeps_long_reasons_within_the_columns(gateway: DemoExchangeGateway) -> None:
    account = gateway.freeze_account("10000004", "x" * 900, "y" * 300)
    assert account.lock_reason == "x" * 200
    action = DemoAccountAction.objects.get(account_id="10000004")
    assert action.reason == "x" * 500
    assert action.requested_by == "y" * 200


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
def test_unknown_uid_raises_account_not_found(
    gateway: DemoExchangeGateway, method: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(AccountNotFound):
        getattr(gateway, method)("99999999", *args)
    assert not DemoAccountAction.objects.filter(account_id="99999999").exists()


def test_get_gateway_returns_the_demo_gateway_by_default() -> None:
    assert isinstance(get_gateway(), DemoExchangeGateway)


def test_get_gateway_returns_the_http_gateway_when_configured(settings: Any) -> None:
    settings.EXCHANGE_GATEWAY = "http"
    settings.EXCHANGE_API_URL = "https://exchange.example/support-api/"
    settings.EXCHANGE_API_KEY = "pharos"
    settings.EXCHANGE_API_SECRET = "s3cret"
    gateway = get_gateway()
    assert isinstance(gateway, HttpExchangeGateway)
    assert gateway.base_url == "https://exchange.example/support-api"
    assert gateway.base_path == "/support-api"
    assert gateway.api_key == "pharos"
