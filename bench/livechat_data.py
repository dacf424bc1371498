"""The data of the live-chat benchmark (bench/livechat_load.py), made by this script in a
process of its own under Django, in the database of its environment: agents with a
confirmed authenticator, customers, one assigned and already greeted chat per customer,
and a signed-in session for everyone (the agents' verified). Prints the references and
sessions as one JSON line after RESULT_MARKER.

    DJANGO_SETTINGS_MODULE=pharos.settings PHAROS_DATA_DIR=... python livechat_data.py N M
"""

from __future__ import annotations

import json
import sys
from typing import Any

from harness import RESULT_MARKER

SESSION_BACKEND = "pharos.accounts.backends.EmailOrUidBackend"  # what the sign-in views use


# --- the data --------------------------------------------
def prepare_data(customer_count: int, agent_count: int) -> dict[str, Any]:
    """Agents, customers, one assigned chat per customer and a session for everyone, in the
    database of the environment. Returns what the client needs (references and sessions)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pharos.accounts import services as accounts
    from pharos.accounts.models import StaffRole, Team, User
    from pharos.accounts.two_factor import DEVICE_NAME
    from pharos.conversations.models import (
        AuthorKind,
        Channel,
        Conversation,
        Message,
        ReferenceCounter,
        Status,
        Topic,
    )

    def signed_in(user: User, device: TOTPDevice | None = None) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = SESSION_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:  # what django_otp.login records after the code was checked
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return str(session.session_key)

    team = Team.objects.get(slug="general-support")  # both made by the migrations
    topic = Topic.objects.get(slug="deposits-withdrawals")
    with transaction.atomic():
        agents, agent_sessions = [], []
        for number in range(agent_count):
            staff = accounts.create_staff_member(
                email=f"agent{number}@bench.example",
                role=StaffRole.AGENT,
                display_name=f"Agent {number}",
            )
            staff.teams.add(team)
            device = TOTPDevice.objects.create(user=staff.user, name=DEVICE_NAME, confirmed=True)
            agents.append(staff.user)
            agent_sessions.append(signed_in(staff.user, device))
        customers = [
            accounts.create_customer(
                uid=f"L{number:09d}",
                email=f"chatter{number}@bench.example",
                display_name=f"Chatter {number}",
            )
            for number in range(customer_count)
        ]
        customer_sessions = [signed_in(customer.user) for customer in customers]
        now = timezone.now()
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            year=now.year
        )
        first_number = counter.last_number + 1
        chats = Conversation.objects.bulk_create(
            Conversation(
                reference=f"PH-{now.year}-{first_number + index:06d}",
                channel=Channel.CHAT,
                customer=customer,
                topic=topic,
                subject="Withdrawal pending",
                status=Status.ASSIGNED,
                team=team,
                assignee=agents[index % agent_count],
                language="en",
                queued_at=now,
                # Accepted and greeted: the first response is behind, as in a chat under way.
                first_response_at=now,
                last_sequence=1,
            )
            for index, customer in enumerate(customers)
        )
        Message.objects.bulk_create(
            Message(
                conversation=chat,
                sequence=1,
                author_kind=AuthorKind.AGENT,
                author=agents[index % agent_count],
                body=f"Hi, I am {agents[index % agent_count].display_name}. How can I help?",
                created_at=now,
            )
            for index, chat in enumerate(chats)
        )
        counter.last_number = first_number + customer_count - 1
        counter.save(update_fields=["last_number"])
    return {
        "chats": [
            [chat.reference, session, index % agent_count]
            for index, (chat, session) in enumerate(zip(chats, customer_sessions, strict=True))
        ],
        "agent_sessions": agent_sessions,
    }


def prepare_main(arguments: list[str]) -> None:
    """`livechat_data.py CUSTOMERS AGENTS`."""
    customers, agents = (int(value) for value in arguments)
    print(RESULT_MARKER + json.dumps(prepare_data(customers, agents)), flush=True)


if __name__ == "__main__":
    prepare_main(sys.argv[1:])
