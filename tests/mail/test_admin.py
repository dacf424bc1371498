"""The admin's view of email: failed messages listed with their reason, the original
downloaded (audited), and processed again once the cause is fixed."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from pharos.accounts.models import AuditEvent, StaffMember
from pharos.conversations.models import Conversation
from pharos.mail import services
from pharos.mail.models import InboundMail, InboundState

from ..conftest import run_queued_tasks, signed_in

pytestmark = pytest.mark.django_db

NO_SENDER = b"To: support@tidewell.example\r\nSubject: who am I\r\n\r\nno sender here\r\n"


def failed_mail() -> InboundMail:
    services.accept_raw(NO_SENDER, source="smtp", recipients=["support@tidewell.example"])
    run_queued_tasks()
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.FAILED
    return inbound


def test_admins_see_failed_mail_with_the_reason_and_download_it(
    support_admin: StaffMember,
) -> None:
    inbound = failed_mail()
    admin = signed_in(support_admin.user)
    listing = admin.get("/admin/mail/inboundmail/?state__exact=failed").content.decode()
    assert "who am I" in listing
    detail = admin.get(f"/admin/mail/inboundmail/{inbound.pk}/change/").content.decode()
    assert "No sender address" in detail
    original = admin.get(f"/admin/mail/inboundmail/{inbound.pk}/original/")
    assert b"".join(original.streaming_content) == NO_SENDER  # type: ignore[attr-defined]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"mail.viewed", "mail.original_downloaded"} <= actions


def test_agents_cannot_read_received_mail_in_the_admin(agent: StaffMember) -> None:
    inbound = failed_mail()
    response = signed_in(agent.user).get(f"/admin/mail/inboundmail/{inbound.pk}/original/")
    assert response.status_code in {302, 403}
    assert not AuditEvent.objects.filter(action="mail.original_downloaded").exists()


def test_processing_again_after_the_cause_is_fixed(support_admin: StaffMember) -> None:
    inbound = failed_mail()
    # The sender is found after all (here: the admin knows who it was and fixes the file).
    inbound.raw.save("fixed.eml", ContentFile(b"From: lin@example.com\r\n" + NO_SENDER))
    response = signed_in(support_admin.user).post(
        "/admin/mail/inboundmail/",
        {"action": "process_again", "_selected_action": [inbound.pk]},
    )
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.state == InboundState.PROCESSED
    assert Conversation.objects.filter(pk=inbound.conversation_id).exists()
