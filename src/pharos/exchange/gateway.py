"""The gateway to the exchange: what support may read about a trader and the two actions
it may take (freeze, unlock). Two implementations: the built-in demo exchange and an
HTTP client for a real exchange (docs/exchange-gateway.md has the JSON contract)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from django.conf import settings


class ExchangeError(Exception):
    """The exchange could not answer."""


class AccountNotFound(ExchangeError):
    pass


class ExchangeUnavailable(ExchangeError):
    pass


class LockState(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"  # by risk control or failed sign-ins; an unlock appeal lifts it
    FROZEN = "frozen"  # by the owner or support after suspected theft


class TransferStatus(StrEnum):
    PENDING = "pending"
    CONFIRMING = "confirming"
    UNDER_REVIEW = "under_review"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REJECTED = "rejected"


class OrderStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Balance:
    asset: str
    available: Decimal
    locked: Decimal


@dataclass(frozen=True)
class Account:
    uid: str
    kyc_name: str
    kyc_level: int
    vip_tier: int  # the exchange's VIP level; 0 = a regular customer
    lock_state: LockState
    lock_reason: str
    registered_at: datetime
    volume_30d_usdt: Decimal
    total_assets_usdt: Decimal
    balances: tuple[Balance, ...]


@dataclass(frozen=True)
class Deposit:
    id: str
    asset: str
    network: str
    amount: Decimal
    address: str
    memo: str
    txid: str
    confirmations: int
    required_confirmations: int
    status: TransferStatus
    created_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class Withdrawal:
    id: str
    asset: str
    network: str
    amount: Decimal
    fee: Decimal
    address: str
    memo: str
    txid: str
    status: TransferStatus
    created_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class Order:
    id: str
    market: str
    side: str  # "buy" or "sell"
    type: str  # "limit", "market", "stop_limit"…
    price: Decimal | None
    quantity: Decimal
    filled_quantity: Decimal
    status: OrderStatus
    created_at: datetime


class ExchangeGateway(Protocol):
    def get_account(self, uid: str) -> Account: ...

    def list_deposits(self, uid: str, limit: int = 20) -> list[Deposit]: ...

    def list_withdrawals(self, uid: str, limit: int = 20) -> list[Withdrawal]: ...

    def list_orders(self, uid: str, limit: int = 20) -> list[Order]: ...

    def freeze_account(self, uid: str, reason: str, requested_by: str) -> Account: ...

    def unlock_account(self, uid: str, reason: str, requested_by: str) -> Account: ...


def get_gateway() -> ExchangeGateway:
    """The gateway this deployment is configured for (PHAROS_EXCHANGE_GATEWAY)."""
    if settings.EXCHANGE_GATEWAY == "http":
        return _http_gateway(
            settings.EXCHANGE_API_URL,
            settings.EXCHANGE_API_KEY,
            settings.EXCHANGE_API_SECRET,
            settings.EXCHANGE_API_TIMEOUT_SECONDS,
        )
    from .demo import DemoExchangeGateway

    return DemoExchangeGateway()


@lru_cache(maxsize=4)
def _http_gateway(base_url: str, api_key: str, secret: str, timeout: float) -> ExchangeGateway:
    # One client (and its connection pool) per process, not one per call.
    from .http_gateway import HttpExchangeGateway

    return HttpExchangeGateway(base_url=base_url, api_key=api_key, secret=secret, timeout=timeout)
