"""Tables of the built-in demo exchange. A real deployment talks to its exchange over
HTTP instead and leaves these empty."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .gateway import LockState, OrderStatus, TransferStatus


class DemoAccount(models.Model):
    uid = models.CharField(max_length=32, primary_key=True)
    kyc_name = models.CharField(max_length=120, blank=True)
    kyc_level = models.PositiveSmallIntegerField(default=0)
    vip_tier = models.PositiveSmallIntegerField(default=0)
    lock_state = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in LockState], default=LockState.ACTIVE
    )
    lock_reason = models.CharField(max_length=200, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    volume_30d_usdt = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    def __str__(self) -> str:
        return f"demo account {self.uid}"


class DemoBalance(models.Model):
    account = models.ForeignKey(DemoAccount, on_delete=models.CASCADE, related_name="balances")
    asset = models.CharField(max_length=12)
    available = models.DecimalField(max_digits=30, decimal_places=8)
    locked = models.DecimalField(max_digits=30, decimal_places=8, default=0)
    usdt_price = models.DecimalField(max_digits=20, decimal_places=6, default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "asset"], name="one_balance_per_asset")
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.available}"


class DemoDeposit(models.Model):
    account = models.ForeignKey(DemoAccount, on_delete=models.CASCADE, related_name="deposits")
    asset = models.CharField(max_length=12)
    network = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=30, decimal_places=8)
    address = models.CharField(max_length=120)
    memo = models.CharField(max_length=60, blank=True)
    txid = models.CharField(max_length=120, blank=True)
    confirmations = models.PositiveIntegerField(default=0)
    required_confirmations = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=[(s.value, s.value) for s in TransferStatus])
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"deposit {self.pk} {self.asset}"


class DemoWithdrawal(models.Model):
    account = models.ForeignKey(DemoAccount, on_delete=models.CASCADE, related_name="withdrawals")
    asset = models.CharField(max_length=12)
    network = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=30, decimal_places=8)
    fee = models.DecimalField(max_digits=30, decimal_places=8, default=0)
    address = models.CharField(max_length=120)
    memo = models.CharField(max_length=60, blank=True)
    txid = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=16, choices=[(s.value, s.value) for s in TransferStatus])
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"withdrawal {self.pk} {self.asset}"


class DemoOrder(models.Model):
    account = models.ForeignKey(DemoAccount, on_delete=models.CASCADE, related_name="orders")
    market = models.CharField(max_length=20)
    side = models.CharField(max_length=4)
    type = models.CharField(max_length=12)
    price = models.DecimalField(max_digits=30, decimal_places=8, null=True, blank=True)
    quantity = models.DecimalField(max_digits=30, decimal_places=8)
    filled_quantity = models.DecimalField(max_digits=30, decimal_places=8, default=0)
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in OrderStatus])
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"order {self.pk} {self.market}"


class DemoAccountAction(models.Model):
    """What support asked the demo exchange to do (freeze, unlock), as a real one would log."""

    account = models.ForeignKey(DemoAccount, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=10)
    reason = models.CharField(max_length=500)
    requested_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.action} {self.account_id}"
