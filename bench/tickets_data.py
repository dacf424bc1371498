"""Data for bench/tickets_http.py: run under Django as a helper process,
`tickets_data.py CONVERSATIONS CUSTOMERS TOKEN_CUSTOMERS`, it bulk-creates customers, staff
and conversations and prints what the benchmark needs after RESULT_MARKER."""

from __future__ import annotations

import json
import random
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

from harness import RESULT_MARKER

CONVERSATIONS_PER_CUSTOMER = 50

# --- the data (runs in a helper process, under Django) --------------------------------------------
TOPIC_WEIGHTS = {
    "deposits-withdrawals": 30, "other": 16, "getting-started": 10, "trading-rules": 10,
    "account-security": 8, "account-locked": 8, "complaint": 6, "api": 5, "suggestion": 4,
    "suspected-theft": 3,
}  # fmt: skip
STATUS_WEIGHTS = {
    "closed": 50, "resolved": 20, "queued": 10, "assigned": 8, "waiting_on_customer": 8,
    "bot": 4,
}  # fmt: skip
PRIORITY_WEIGHTS = {1: 15, 2: 55, 3: 20, 4: 10}
CHANNEL_WEIGHTS = {"web": 70, "chat": 15, "email": 10, "telegram": 5}
# (first response, resolution) minutes, as the default SLA policies of the migrations say
SLA_MINUTES = {1: (1440, 4320), 2: (240, 1440), 3: (60, 720), 4: (15, 240)}
SUBJECTS = [
    "Withdrawal pending for hours",
    "Deposit not credited",
    "Sent USDT on the wrong network",
    "Forgot the memo tag",
    "Cannot receive SMS code",
    "Lost my authenticator phone",
    "Account locked after password reset",
    "KYC verification failed",
    "API key rate limit",
    "Futures position liquidated unexpectedly",
    "P2P seller did not release coins",
    "Suspicious login from unknown device",
    "Fee charged twice",
    "How do I change my email",
    "提币一直在审核中",
    "充值没到账",
    "账户被锁了怎么解锁",
    "谷歌验证器丢了",
    "合约爆仓问题",
]
COLLEAGUES = [  # assignees besides the measured agent: (team, count)
    ("general-support", 5), ("security", 2), ("complaints-feedback", 1),
    ("vip-account-managers", 1),
]  # fmt: skip


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def prepare_data(conversation_count: int, customer_count: int, token_customers: int) -> dict:
    """Create the data set in the database of the environment; return the credentials."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.utils import timezone

    from pharos.accounts import services as accounts
    from pharos.accounts.models import Team
    from pharos.conversations.models import Conversation, Message, ReferenceCounter, Topic

    rng = random.Random(20261121)
    clock = time.perf_counter()
    teams = {team.slug: team for team in Team.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.select_related("default_team")}
    missing = {"general-support"} - set(teams) or set(TOPIC_WEIGHTS) - set(topics)
    if missing:
        raise RuntimeError(f"the migrations did not create {sorted(missing)}")

    with transaction.atomic():
        customers = [
            accounts.create_customer(
                uid=f"B{number:09d}",
                email=f"trader{number}@bench.example",
                display_name=f"Trader {number}",
                language="zh-hans" if number % 5 < 2 else "en",
            )
            for number in range(customer_count)
        ]
        agent = accounts.create_staff_member(
            email="agent@bench.example", role="agent", display_name="Bench Agent"
        )
        agent.teams.add(teams["general-support"])
        members: dict[str, list[Any]] = {slug: [agent.user] for slug in ["general-support"]}
        for slug, count in COLLEAGUES:
            for number in range(count):
                colleague = accounts.create_staff_member(
                    email=f"{slug}-{number}@bench.example", role="agent"
                )
                colleague.teams.add(teams[slug])
                members.setdefault(slug, []).append(colleague.user)
    people_s = time.perf_counter() - clock

    # bulk_create sets auto_now fields to "now"; here updated_at is the last activity.
    Conversation._meta.get_field("updated_at").auto_now = False
    now = timezone.now()
    span = timedelta(days=180)
    last_numbers: dict[int, int] = {}
    clock = time.perf_counter()
    batch_size = 2000
    for start in range(0, conversation_count, batch_size):
        batch: list[Conversation] = []
        first_messages: list[tuple[int, str]] = []  # (author, body)
        for index in range(start, min(start + batch_size, conversation_count)):
            # Spread evenly over the last six months, oldest first, so references grow.
            created = now - span + span * (index / conversation_count)
            created += timedelta(seconds=rng.random() * 60)
            year = created.year
            last_numbers[year] = last_numbers.get(year, 0) + 1
            topic = topics[_pick(rng, TOPIC_WEIGHTS)]
            team_slug = topic.default_team.slug
            if rng.random() < 0.08:  # transferred to another team
                team_slug = rng.choice(list(teams))
            status = _pick(rng, STATUS_WEIGHTS)
            priority = 4 if topic.urgent else _pick(rng, PRIORITY_WEIGHTS)
            channel = _pick(rng, CHANNEL_WEIGHTS)
            customer = customers[rng.randrange(len(customers))]
            first_minutes, resolution_minutes = SLA_MINUTES[priority]
            if topic.slug == "suspected-theft":
                first_minutes, resolution_minutes = 10, 120
            answered = status not in {"queued", "bot"}
            first_response_at = (
                created + timedelta(minutes=rng.uniform(1, first_minutes * 1.5))
                if answered
                else None
            )
            resolved_at = closed_at = None
            if status in {"resolved", "closed"}:
                resolved_at = created + timedelta(minutes=rng.uniform(5, resolution_minutes * 2))
                if status == "closed":
                    closed_at = resolved_at + timedelta(hours=rng.uniform(0, 72))
            last_activity = closed_at or resolved_at or first_response_at or created
            updated = min(last_activity + timedelta(minutes=rng.uniform(0, 30)), now)
            assignee = None
            if status != "bot" and (answered or rng.random() < 0.2):
                assignee = rng.choice(members.get(team_slug) or members["general-support"])
            batch.append(
                Conversation(
                    reference=f"PH-{year}-{last_numbers[year]:06d}",
                    channel=channel,
                    customer=customer,
                    topic=topic,
                    subject=rng.choice(SUBJECTS),
                    status=status,
                    priority=priority,
                    team=teams[team_slug],
                    assignee=assignee,
                    language=customer.user.preferred_language,
                    submission_key=uuid.UUID(int=rng.getrandbits(128)).hex
                    if channel == "web"
                    else None,
                    last_sequence=1,
                    created_at=created,
                    updated_at=updated,
                    last_customer_message_at=created,
                    first_response_at=first_response_at,
                    resolved_at=resolved_at,
                    closed_at=closed_at,
                    first_response_due_at=created + timedelta(minutes=first_minutes),
                    resolution_due_at=created + timedelta(minutes=resolution_minutes),
                    sla_paused_at=updated if status == "waiting_on_customer" else None,
                )
            )
            body = (
                f"Hello, {rng.choice(SUBJECTS).lower()}. Order {rng.getrandbits(40):x}, "
                "tried the help center already, please check my account. "
                + "Details follow. "
                * rng.randint(1, 8)
            )
            first_messages.append((customer.user_id, body))
        with transaction.atomic():
            Conversation.objects.bulk_create(batch)
            Message.objects.bulk_create(
                Message(
                    conversation=conversation,
                    sequence=1,
                    author_kind="customer",
                    author_id=author,
                    body=body,
                    created_at=conversation.created_at,
                )
                for conversation, (author, body) in zip(batch, first_messages, strict=True)
            )
    for year, number in last_numbers.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": number})
    conversations_s = time.perf_counter() - clock

    agent_token = accounts.issue_api_token(agent.user, "bench")
    token_holders = rng.sample(customers, min(token_customers, len(customers)))
    customer_tokens = [accounts.issue_api_token(c.user, "bench") for c in token_holders]
    session = SessionStore()
    session[SESSION_KEY] = str(agent.user.pk)
    session[BACKEND_SESSION_KEY] = "pharos.accounts.backends.EmailOrUidBackend"
    session[HASH_SESSION_KEY] = agent.user.get_session_auth_hash()
    session.create()

    clock = time.perf_counter()
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load; the planner needs it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - clock
    open_statuses = ["queued", "assigned", "waiting_on_customer", "bot"]
    visible_open = Conversation.objects.filter(
        team__slug="general-support", status__in=open_statuses
    ).count()
    return {
        "agent_token": agent_token,
        "customer_tokens": customer_tokens,
        "session_key": session.session_key,
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
        "customers": len(customers),
        "agent_open_conversations": visible_open,
        "people_s": round(people_s, 1),
        "conversations_s": round(conversations_s, 1),
        "analyze_s": round(analyze_s, 1),
    }


def prepare_main(arguments: list[str]) -> None:
    """The helper process: `tickets_data.py CONVERSATIONS CUSTOMERS TOKEN_CUSTOMERS`."""
    conversations, customers, token_customers = (int(value) for value in arguments)
    result = prepare_data(conversations, customers, token_customers)
    print(RESULT_MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    prepare_main(sys.argv[1:])
