"""The built-in demo exchange: the gateway over the demo tables, and its seed data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .gateway import (
    Account,
    AccountNotFound,
    Balance,
    Deposit,
    LockState,
    Order,
    OrderStatus,
    TransferStatus,
    Withdrawal,
)
from .models import (
    DemoAccount,
    DemoAccountAction,
    DemoBalance,
    DemoDeposit,
    DemoOrder,
    DemoWithdrawal,
)


class DemoExchangeGateway:
    def _account(self, uid: str) -> DemoAccount:
        try:
            return DemoAccount.objects.get(uid=uid)
        except DemoAccount.DoesNotExist as missing:
            raise AccountNotFound(uid) from missing

    def get_account(self, uid: str) -> Account:
        account = self._account(uid)
        balances = list(account.balances.order_by("asset"))
        return Account(
            uid=account.uid,
            kyc_name=account.kyc_name,
            kyc_level=account.kyc_level,
            vip_tier=account.vip_tier,
            lock_state=LockState(account.lock_state),
            lock_reason=account.lock_reason,
            registered_at=account.registered_at,
            volume_30d_usdt=account.volume_30d_usdt,
            total_assets_usdt=sum(
                ((b.available + b.locked) * b.usdt_price for b in balances), Decimal(0)
            ).quantize(Decimal("0.01")),
            balances=tuple(Balance(b.asset, b.available, b.locked) for b in balances),
        )

    def list_deposits(self, uid: str, limit: int = 20) -> list[Deposit]:
        account = self._account(uid)
        return [
            Deposit(
                id=f"D{d.pk}",
                asset=d.asset,
                network=d.network,
                amount=d.amount,
                address=d.address,
                memo=d.memo,
                txid=d.txid,
                confirmations=d.confirmations,
                required_confirmations=d.required_confirmations,
                status=TransferStatus(d.status),
                created_at=d.created_at,
                completed_at=d.completed_at,
            )
            for d in account.deposits.order_by("-created_at", "-pk")[:limit]
        ]

    def list_withdrawals(self, uid: str, limit: int = 20) -> list[Withdrawal]:
        account = self._account(uid)
        return [
            Withdrawal(
                id=f"W{w.pk}",
                asset=w.asset,
                network=w.network,
                amount=w.amount,
                fee=w.fee,
                address=w.address,
                memo=w.memo,
                txid=w.txid,
                status=TransferStatus(w.status),
                created_at=w.created_at,
                completed_at=w.completed_at,
            )
            for w in account.withdrawals.order_by("-created_at", "-pk")[:limit]
        ]

    def list_orders(self, uid: str, limit: int = 20) -> list[Order]:
        account = self._account(uid)
        return [
            Order(
                id=f"O{o.pk}",
                market=o.market,
                side=o.side,
                type=o.type,
                price=o.price,
                quantity=o.quantity,
                filled_quantity=o.filled_quantity,
                status=OrderStatus(o.status),
                created_at=o.created_at,
            )
            for o in account.orders.order_by("-created_at", "-pk")[:limit]
        ]

    def freeze_account(self, uid: str, reason: str, requested_by: str) -> Account:
        return self._set_lock_state(uid, LockState.FROZEN, "freeze", reason, requested_by)

    def unlock_account(self, uid: str, reason: str, requested_by: str) -> Account:
        return self._set_lock_state(uid, LockState.ACTIVE, "unlock", reason, requested_by)

    def _set_lock_state(
        self, uid: str, state: LockState, action: str, reason: str, requested_by: str
    ) -> Account:
        with transaction.atomic():
            account = self._account(uid)
            DemoAccount.objects.filter(pk=uid).update(
                lock_state=state, lock_reason="" if state == LockState.ACTIVE else reason[:200]
            )
            DemoAccountAction.objects.create(
                account=account, action=action, reason=reason[:500], requested_by=requested_by[:200]
            )
        return self.get_account(uid)


# --- seed data --------------------------------------------------------------------------------
DEMO_ACCOUNTS = [
    # uid, KYC name, KYC level, lock state, lock reason, 30-day volume (USDT)
    ("10000001", "Lin Mei", 2, LockState.ACTIVE, "", Decimal("2450000")),
    ("10000002", "Daniel Okafor", 1, LockState.ACTIVE, "", Decimal("18250")),
    ("10000003", "Zhang Wei", 1, LockState.LOCKED, "5 wrong passwords", Decimal("3200")),
    ("10000004", "Sofia Marin", 0, LockState.ACTIVE, "", Decimal("0")),
    (
        "10000005",
        "Chen Jing",
        2,
        LockState.FROZEN,
        "Frozen by owner: suspected theft",
        Decimal("640000"),
    ),
]

PRICES = {
    "BTC": Decimal("64000"),
    "ETH": Decimal("3100"),
    "USDT": Decimal("1"),
    "TRX": Decimal("0.12"),
    "SOL": Decimal("145"),
}
NETWORKS = {
    "BTC": ("Bitcoin", 2),
    "ETH": ("ERC20", 64),
    "USDT": ("TRC20", 20),
    "TRX": ("TRC20", 20),
    "SOL": ("Solana", 32),
}


# The demo exchange's VIP levels, by 30-day trading volume in USDT (highest first).
DEMO_VIP_TIERS = [(Decimal("2000000"), 2), (Decimal("500000"), 1)]


def demo_vip_tier(volume_30d_usdt: Decimal) -> int:
    return next((tier for floor, tier in DEMO_VIP_TIERS if volume_30d_usdt >= floor), 0)


@transaction.atomic
def seed_demo_exchange(seed: int = 7) -> int:
    """Create the demo exchange's accounts with balances and history (idempotent)."""
    rng = random.Random(seed)  # noqa: S311 (deterministic demo data, not a secret)
    now = timezone.now()
    created = 0
    for uid, name, level, state, reason, volume in DEMO_ACCOUNTS:
        account, is_new = DemoAccount.objects.get_or_create(
            uid=uid,
            defaults={
                "kyc_name": name,
                "kyc_level": level,
                "lock_state": state,
                "lock_reason": reason,
                "volume_30d_usdt": volume,
                "vip_tier": demo_vip_tier(volume),
                "registered_at": now - timedelta(days=rng.randint(40, 900)),
            },
        )
        if not is_new:
            continue
        created += 1
        for asset, price in PRICES.items():
            amount = Decimal(str(round(rng.uniform(0.01, 5) * 1000 / float(price), 6)))
            DemoBalance.objects.create(
                account=account, asset=asset, available=amount, locked=Decimal(0), usdt_price=price
            )
        _seed_history(account, rng, now)
    return created


def _seed_history(account: DemoAccount, rng: random.Random, now: datetime) -> None:
    assets = list(PRICES)
    statuses = [TransferStatus.COMPLETED] * 4 + [TransferStatus.CONFIRMING, TransferStatus.PENDING]
    for number in range(6):
        asset = rng.choice(assets)
        network, required = NETWORKS[asset]
        status = statuses[number]
        created_at = now - timedelta(hours=rng.randint(1, 24 * 30))
        DemoDeposit.objects.create(
            account=account,
            asset=asset,
            network=network,
            amount=Decimal(str(round(rng.uniform(10, 2000) / float(PRICES[asset]), 6))),
            address=f"demo-{asset.lower()}-{account.uid}",
            txid=f"0x{rng.getrandbits(128):032x}",
            confirmations=required if status == TransferStatus.COMPLETED else required // 2,
            required_confirmations=required,
            status=status,
            created_at=created_at,
            completed_at=created_at + timedelta(minutes=20)
            if status == TransferStatus.COMPLETED
            else None,
        )
    withdrawal_statuses = [
        TransferStatus.COMPLETED,
        TransferStatus.COMPLETED,
        TransferStatus.UNDER_REVIEW,
        TransferStatus.REJECTED,
    ]
    for status in withdrawal_statuses:
        asset = rng.choice(assets)
        network, _ = NETWORKS[asset]
        created_at = now - timedelta(hours=rng.randint(1, 24 * 30))
        DemoWithdrawal.objects.create(
            account=account,
            asset=asset,
            network=network,
            amount=Decimal(str(round(rng.uniform(10, 1500) / float(PRICES[asset]), 6))),
            fee=Decimal("1") if asset == "USDT" else Decimal("0.0002"),
            address=f"ext-{rng.getrandbits(64):016x}",
            txid=f"0x{rng.getrandbits(128):032x}" if status == TransferStatus.COMPLETED else "",
            status=status,
            created_at=created_at,
            completed_at=created_at + timedelta(minutes=35)
            if status == TransferStatus.COMPLETED
            else None,
        )
    for order_status in (
        OrderStatus.FILLED,
        OrderStatus.FILLED,
        OrderStatus.OPEN,
        OrderStatus.CANCELLED,
        OrderStatus.PARTIALLY_FILLED,
    ):
        asset = rng.choice(["BTC", "ETH", "SOL"])
        quantity = Decimal(str(round(rng.uniform(50, 3000) / float(PRICES[asset]), 5)))
        filled = {OrderStatus.FILLED: quantity, OrderStatus.PARTIALLY_FILLED: quantity / 2}.get(
            order_status, Decimal(0)
        )
        DemoOrder.objects.create(
            account=account,
            market=f"{asset}/USDT",
            side=rng.choice(["buy", "sell"]),
            type=rng.choice(["limit", "market"]),
            price=PRICES[asset],
            quantity=quantity,
            filled_quantity=filled,
            status=order_status,
            created_at=now - timedelta(hours=rng.randint(1, 24 * 30)),
        )
