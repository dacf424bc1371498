from __future__ import annotations

import io

import pytest
from django.core import mail
from PIL import Image

from pharos.accounts.models import StaffMember, StaffRole, Team
from pharos.accounts.services import create_staff_member
from pharos.conversations import services
from pharos.conversations.models import Conversation, Topic

from ..conftest import PASSWORD, run_queued_tasks


@pytest.fixture
def general_agent(agent: StaffMember) -> StaffMember:
    agent.teams.add(Team.objects.get(slug="general-support"))
    return agent


@pytest.fixture
def security_team_agent(security_agent: StaffMember) -> StaffMember:
    security_agent.teams.add(Team.objects.get(slug="security"))
    return security_agent


@pytest.fixture
def other_team_agent(db: None) -> StaffMember:
    staff = create_staff_member(
        email="otto.other@tidewell.example", role=StaffRole.AGENT, password=PASSWORD
    )
    staff.teams.add(Team.objects.get(slug="complaints-feedback"))
    return staff


@pytest.fixture
def ticket(customer) -> Conversation:  # type: ignore[no-untyped-def]
    """A new ticket, its follow-up task done (acknowledged, first SLA check queued)."""
    conversation = services.open_ticket(
        customer,
        services.TicketRequest(
            topic=Topic.objects.get(slug="deposits-withdrawals"),
            subject="USDT deposit not arrived",
            description="I sent 500 USDT on TRC20 two hours ago. TxID abc123.",
            related_ids=["abc123"],
        ),
    )
    run_queued_tasks()
    mail.outbox.clear()
    return conversation


def png_bytes(size: tuple[int, int] = (40, 30), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 32), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (22.0, 17.0, 0.0)}  # GPS IFD
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()
