"""Demo conversations, canned replies and team memberships (listed in the README)."""

from __future__ import annotations

from django.db import transaction

from pharos.accounts.models import Customer, StaffMember, Team

from . import services
from .models import CannedReply, Conversation, Status, Topic

TEAM_OF_STAFF = {
    "agent@tidewell.example": ["general-support"],
    "agent.zh@tidewell.example": ["general-support", "complaints-feedback"],
    "security@tidewell.example": ["security"],
    "vip@tidewell.example": ["vip-account-managers", "general-support"],
    "admin@tidewell.example": ["general-support", "security", "complaints-feedback"],
}

CANNED = [
    (
        "Deposit: ask for the TxID",
        "Hello {customer_name}, thank you for contacting us about {reference}. Please send the "
        "TxID and the network you used; you can find it as shown here: {article:find-your-txid}",
        "{customer_name} 您好，关于工单 {reference}，请提供交易哈希（TxID）和您使用的网络，"
        "查找方法见：{article:find-your-txid}",
    ),
    (
        "Withdrawal under review",
        "Hello {customer_name}, your withdrawal is in a routine risk review, which usually "
        "finishes within 24 hours. Details: {article:withdrawal-pending-or-under-review}",
        "{customer_name} 您好，您的提币正在进行常规风控审核，一般 24 小时内完成。"
        "详情：{article:withdrawal-pending-or-under-review}",
    ),
    (
        "We never ask for codes",
        "Please never share your password, verification codes or seed phrase with anyone, "
        "including us. {article:support-never-asks}",
        "请不要向任何人（包括我们）提供密码、验证码或助记词。{article:support-never-asks}",
    ),
]

TICKETS = [
    # customer UID, topic, subject, description, (agent reply or "")
    ("10000001", "deposits-withdrawals", "USDT 充值没到账",
     "我两小时前通过 TRC20 充值了 500 USDT，交易哈希 0xabc123，还没到账。", ""),
    ("10000002", "deposits-withdrawals", "Withdrawal under review for a day",
     "My BTC withdrawal W12 has been under review since yesterday.",
     "Hello Daniel, we are checking it with the risk team and will update you today."),
    ("10000003", "account-locked", "账户被锁定", "输错了几次密码，账户被锁了，怎么解锁？", ""),
]  # fmt: skip


@transaction.atomic
def load_demo_conversations() -> int:
    for email, team_slugs in TEAM_OF_STAFF.items():
        staff = StaffMember.objects.filter(user__email=email).first()
        if staff:
            staff.teams.add(*Team.objects.filter(slug__in=team_slugs))
    for title, english, chinese in CANNED:
        CannedReply.objects.get_or_create(
            title=title, defaults={"body_en": english, "body_zh_hans": chinese}
        )
    if Conversation.objects.exists():
        return 0
    agent = StaffMember.objects.filter(user__email="agent@tidewell.example").first()
    created = 0
    for uid, topic, subject, description, reply in TICKETS:
        customer = Customer.objects.filter(uid=uid).first()
        if customer is None:
            continue
        language = "zh-hans" if not subject.isascii() else "en"
        conversation = services.open_ticket(
            customer,
            services.TicketRequest(
                Topic.objects.get(slug=topic), subject, description, language=language
            ),
        )
        if reply and agent:
            services.post_agent_reply(
                conversation, agent.user, reply, status_after=Status.WAITING_ON_CUSTOMER
            )
        created += 1
    return created
