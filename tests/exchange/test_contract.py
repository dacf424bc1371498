"""The JSON contract shared by the HTTP gateway and the demo exchange's server: every
dataclass survives to_json → JSON text → from_json unchanged, and JSON that breaks the
contract is refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from pharos.exchange.contract import ContractError, from_json, signature, to_json
from pharos.exchange.gateway import (
    Account,
    Balance,
    Deposit,
    LockState,
    Order,
    OrderStatus,
    TransferStatus,
    Withdrawal,
)

BEIJING = timezone(timedelta(hours=8))
NEW_YORK = timezone(timedelta(hours=-5))

ACCOUNT = Account(
    uid="10000001",
    kyc_name="林美 Lin Mei",
    kyc_level=2,
    vip_tier=3,
    lock_state=LockState.FROZEN,
    lock_reason="Frozen by owner: suspected theft",
    registered_at=datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=BEIJING),
    volume_30d_usdt=Decimal("2450000.00"),
    total_assets_usdt=Decimal("123456789012.34"),
    balances=(
        Balance("BTC", Decimal("0.00000001"), Decimal("1.23456789")),
        Balance("USDT", Decimal("1000000"), Decimal("0")),
        Balance("SHIB", Decimal("123456789012345678.12345678"), Decimal("0.00000050")),
    ),
)
DEPOSIT = Deposit(
    id="D42",
    asset="USDT",
    network="TRC20",
    amount=Decimal("99.99000001"),
    address="TXyz",
    memo="",
    txid="0xabc",
    confirmations=19,
    required_confirmations=20,
    status=TransferStatus.CONFIRMING,
    created_at=datetime(2025, 1, 1, 0, 0, tzinfo=UTC),
    completed_at=None,
)
WITHDRAWAL = Withdrawal(
    id="W7",
    asset="XRP",
    network="XRP Ledger",
    amount=Decimal("12.5"),
    fee=Decimal("0.2"),
    address="rEXAMPLE",
    memo="1234567",
    txid="",
    status=TransferStatus.UNDER_REVIEW,
    created_at=datetime(2025, 6, 1, 12, 30, tzinfo=NEW_YORK),
    completed_at=datetime(2025, 6, 1, 13, 5, 1, tzinfo=NEW_YORK),
)
LIMIT_ORDER = Order(
    id="O1",
    market="BTC/USDT",
    side="buy",
    type="limit",
    price=Decimal("64000.12345678"),
    quantity=Decimal("0.00010000"),
    filled_quantity=Decimal("0.00005"),
    status=OrderStatus.PARTIALLY_FILLED,
    created_at=datetime(2025, 3, 3, 3, 3, 3, tzinfo=UTC),
)
MARKET_ORDER = replace(LIMIT_ORDER, id="O2", type="market", price=None, status=OrderStatus.FILLED)

EXAMPLES = {
    "account": (Account, ACCOUNT),
    "deposit": (Deposit, DEPOSIT),
    "withdrawal": (Withdrawal, WITHDRAWAL),
    "limit order": (Order, LIMIT_ORDER),
    "market order": (Order, MARKET_ORDER),
}


def round_trip(cls: type[Any], value: Any) -> Any:
    return from_json(cls, json.loads(json.dumps(to_json(value))))


@pytest.mark.parametrize(("cls", "value"), EXAMPLES.values(), ids=EXAMPLES.keys())
def test_round_trip_gives_back_the_same_dataclass(cls: type[Any], value: Any) -> None:
    back = round_trip(cls, value)
    assert back == value
    assert type(back) is cls


def test_round_trip_keeps_decimal_digits_and_offsets() -> None:
    back = round_trip(Account, ACCOUNT)
    for original, returned in zip(ACCOUNT.balances, back.balances, strict=True):
        assert isinstance(returned.available, Decimal)
        assert str(returned.available) == str(original.available)
        assert str(returned.locked) == str(original.locked)
    assert back.registered_at.utcoffset() == timedelta(hours=8)
    assert back.registered_at.microsecond == 123456
    assert back.lock_state is LockState.FROZEN
    assert back.balances[2].available == Decimal("123456789012345678.12345678")

    withdrawal = round_trip(Withdrawal, WITHDRAWAL)
    assert withdrawal.completed_at is not None
    assert withdrawal.completed_at.utcoffset() == timedelta(hours=-5)
    assert withdrawal.status is TransferStatus.UNDER_REVIEW


def test_decimals_travel_as_plain_strings() -> None:
    data = to_json(ACCOUNT)
    assert data["volume_30d_usdt"] == "2450000"
    assert data["total_assets_usdt"] == "123456789012.34"
    assert data["balances"][0] == {
        "asset": "BTC",
        "available": "0.00000001",
        "locked": "1.23456789",
    }
    assert data["balances"][1]["available"] == "1000000"
    assert data["balances"][2]["locked"] == "0.00000050"
    assert to_json(Decimal("1E+3")) == "1000"
    assert to_json(Decimal("-0.0000001")) == "-0.0000001"


def test_times_travel_as_iso_8601_with_an_offset() -> None:
    data = to_json(ACCOUNT)
    assert data["registered_at"] == "2024-02-29T23:59:59.123456+08:00"
    assert to_json(DEPOSIT)["completed_at"] is None
    assert to_json(DEPOSIT)["created_at"] == "2025-01-01T00:00:00+00:00"


def test_enums_travel_as_their_values() -> None:
    assert to_json(ACCOUNT)["lock_state"] == "frozen"
    assert to_json(WITHDRAWAL)["status"] == "under_review"
    assert to_json(LIMIT_ORDER)["status"] == "partially_filled"
    assert to_json(MARKET_ORDER)["price"] is None


def test_from_json_accepts_z_for_utc_and_integers_for_decimals() -> None:
    data = to_json(DEPOSIT) | {"created_at": "2025-01-01T00:00:00Z", "amount": 100}
    deposit = from_json(Deposit, data)
    assert deposit.created_at == datetime(2025, 1, 1, tzinfo=UTC)
    assert deposit.amount == Decimal(100)


def account_json(**change: Any) -> dict[str, Any]:
    return to_json(ACCOUNT) | change


WITHOUT_KYC_LEVEL = {key: value for key, value in to_json(ACCOUNT).items() if key != "kyc_level"}

BROKEN = {
    "not an object": ([], "must be a JSON object"),
    "missing field": (WITHOUT_KYC_LEVEL, "Account.kyc_level is missing"),
    "float decimal": (account_json(volume_30d_usdt=1.5), "decimal string"),
    "bool decimal": (account_json(volume_30d_usdt=True), "decimal string"),
    "word decimal": (account_json(volume_30d_usdt="lots"), "volume_30d_usdt"),
    "comma decimal": (account_json(volume_30d_usdt="1,5"), "volume_30d_usdt"),
    "nan decimal": (account_json(volume_30d_usdt="NaN"), "finite"),
    "infinite decimal": (account_json(total_assets_usdt="-Infinity"), "finite"),
    "naive time": (account_json(registered_at="2024-01-01T00:00:00"), "offset"),
    "not a time": (account_json(registered_at="yesterday"), "offset"),
    "impossible time": (account_json(registered_at="2024-02-30T00:00:00+00:00"), "registered_at"),
    "number time": (account_json(registered_at=1700000000), "offset"),
    "unknown enum": (account_json(lock_state="melted"), "lock_state"),
    "string int": (account_json(kyc_level="2"), "must be a int"),
    "bool int": (account_json(kyc_level=True), "must be a int"),
    "number str": (account_json(uid=10000001), "must be a str"),
    "balances not a list": (account_json(balances={"BTC": "1"}), "must be a list"),
    "balance not an object": (account_json(balances=["BTC"]), "Balance must be a JSON object"),
    "balance missing field": (
        account_json(balances=[{"asset": "BTC"}]),
        "Balance.available is missing",
    ),
}


@pytest.mark.parametrize(("data", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_json_breaking_the_contract_is_refused(data: Any, message: str) -> None:
    with pytest.raises(ContractError, match=message):
        from_json(Account, data)


def test_null_is_refused_where_a_value_is_required() -> None:
    with pytest.raises(ContractError):
        from_json(Deposit, to_json(DEPOSIT) | {"amount": None})
    with pytest.raises(ContractError):
        from_json(Deposit, to_json(DEPOSIT) | {"created_at": None})


def test_signature_is_hex_hmac_sha256_over_the_lines() -> None:
    import hashlib
    import hmac

    body = b'{"reason":"theft","requested_by":"carol"}'
    expected = hmac.new(
        b"secret",
        b"1700000000\nPOST\n/v1/accounts/10000001/freeze\n" + body,
        hashlib.sha256,
    ).hexdigest()
    assert signature("secret", "1700000000", "post", "/v1/accounts/10000001/freeze", body) == (
        expected
    )
    assert signature("secret", "1700000000", "GET", "/v1/accounts/1/orders?limit=5", b"") != (
        signature("secret", "1700000000", "GET", "/v1/accounts/1/orders?limit=6", b"")
    )
