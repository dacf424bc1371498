"""The customer panel beside a conversation in the console: what the exchange knows of the
customer, and their other conversations. Reading it is audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest

from pharos.accounts import services as accounts
from pharos.accounts.models import User
from pharos.exchange.gateway import (
    Account,
    Deposit,
    ExchangeError,
    Order,
    Withdrawal,
    get_gateway,
)

from .models import Conversation

RECENT = 5


@dataclass
class CustomerPanel:
    account: Account | None = None
    deposits: list[Deposit] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    other_conversations: list[Conversation] = field(default_factory=list)
    problem: str = ""  # why the exchange's side is missing, if it is


def customer_panel(conversation: Conversation, viewer: User, request: HttpRequest) -> CustomerPanel:
    customer = conversation.customer
    if customer is None:
        return CustomerPanel(problem="unknown_customer")
    accounts.record_audit_event(
        viewer, "viewed_customer_profile", customer, detail={"reference": conversation.reference},
        request=request,
    )  # fmt: skip
    panel = CustomerPanel(
        other_conversations=list(
            customer.conversations.exclude(pk=conversation.pk).order_by("-updated_at")[:RECENT]
        )
    )
    gateway = get_gateway()
    try:
        panel.account = gateway.get_account(customer.uid)
        panel.deposits = gateway.list_deposits(customer.uid, RECENT)
        panel.withdrawals = gateway.list_withdrawals(customer.uid, RECENT)
        panel.orders = gateway.list_orders(customer.uid, RECENT)
    except ExchangeError as error:
        panel.problem = type(error).__name__
    return panel
