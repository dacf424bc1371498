"""The customer's side: submitting a ticket (with files, some refused), the email with the
reference and anti-phishing code, My requests, replying, closing, rating; and nobody else
reaching any of it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pharos.conversations.models import Attachment, Conversation, Status, Topic

from ..conftest import run_queued_tasks, signed_in
from .conftest import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def ticket_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "topic": Topic.objects.get(slug="deposits-withdrawals").pk,
        "subject": "Deposit missing",
        "description": "Sent 100 USDT on TRC20 at 10:00.",
        "related_ids": "tx-1, tx-2",
        "submission_key": "key-1",
    }
    data.update(overrides)
    return data


def submit(client: Client, files: list[SimpleUploadedFile] | None = None, **overrides: object):  # type: ignore[no-untyped-def]
    data = ticket_form(**overrides)
    if files:
        data["attachments"] = files
    return client.post("/en/requests/new/", data, follow=True)


def test_a_customer_submits_a_ticket_and_gets_the_reference_on_screen_and_by_email(
    customer,
) -> None:
    browser = signed_in(customer.user)
    page = submit(browser)
    conversation = Conversation.objects.get(customer=customer)
    text = page.content.decode()
    assert conversation.reference in text
    assert "Sent 100 USDT on TRC20" in text
    assert conversation.related_ids == ["tx-1", "tx-2"]
    # The acknowledgement is the worker's job, queued with the ticket.
    assert mail.outbox == []
    assert "pharos.conversations.tasks.ticket_opened" in run_queued_tasks()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert conversation.reference in email.subject
    assert email.body.index("ALICE-OK") < email.body.index(conversation.reference)
    assert "never asks for your password" in email.body


def test_a_good_file_is_attached_and_a_disguised_one_refused_without_losing_the_ticket(
    customer,
) -> None:
    files = [
        SimpleUploadedFile("screen.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("invoice.png", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/png"),
    ]
    page = submit(signed_in(customer.user), files=files)
    conversation = Conversation.objects.get(customer=customer)
    assert [a.original_name for a in Attachment.objects.filter(conversation=conversation)] == [
        "screen.png"
    ]
    assert "Not attached: invoice.png is not a PNG" in page.content.decode()


def test_a_fifty_megabyte_file_is_refused_before_it_is_read(customer) -> None:
    big = SimpleUploadedFile(
        "huge.png", b"\x89PNG" + b"\x00" * (50 * 2**20), content_type="image/png"
    )
    page = submit(signed_in(customer.user), files=[big])
    assert "larger than 10 MB" in page.content.decode()
    assert Conversation.objects.filter(customer=customer).count() == 1
    assert not Attachment.objects.exists()


def test_double_submission_opens_one_ticket(customer) -> None:
    browser = signed_in(customer.user)
    submit(browser)
    submit(browser)
    assert Conversation.objects.filter(customer=customer).count() == 1


def test_script_in_the_form_is_shown_as_text(customer) -> None:
    page = submit(
        signed_in(customer.user),
        subject="<script>alert(1)</script>",
        description="<img src=x onerror=alert(2)>",
    )
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x" not in text


def test_an_empty_form_keeps_what_was_typed_and_says_what_is_missing(customer) -> None:
    page = submit(signed_in(customer.user), subject="", description="Something I typed")
    assert page.status_code == 200
    assert "Something I typed" in page.content.decode()
    assert not Conversation.objects.exists()


def test_my_requests_lists_only_my_own(customer, other_customer, ticket) -> None:
    mine = signed_in(customer.user).get("/en/requests/").content.decode()
    theirs = signed_in(other_customer.user).get("/en/requests/").content.decode()
    assert ticket.reference in mine
    assert ticket.reference not in theirs


def test_another_customers_reference_or_attachment_is_a_404(customer, other_customer) -> None:
    submit(signed_in(customer.user), files=[SimpleUploadedFile("s.png", png_bytes())])
    conversation = Conversation.objects.get(customer=customer)
    key = Attachment.objects.get().storage_key
    stranger_customer = signed_in(other_customer.user)
    assert stranger_customer.get(f"/en/requests/{conversation.reference}/").status_code == 404
    assert (
        stranger_customer.post(
            f"/en/requests/{conversation.reference}/reply/", {"body": "hi"}
        ).status_code
        == 404
    )
    assert stranger_customer.get(f"/attachments/{key}").status_code == 404
    assert Client().get(f"/attachments/{key}").status_code == 302  # sign in first
    owner = signed_in(customer.user).get(f"/attachments/{key}")
    assert owner.status_code == 200
    assert owner["Content-Type"] == "image/png"
    assert "sandbox" in owner["Content-Security-Policy"]


def test_staff_see_attachments_of_their_teams_only_and_it_is_audited(
    customer, general_agent, other_team_agent
) -> None:
    from pharos.accounts.models import AuditEvent

    submit(signed_in(customer.user), files=[SimpleUploadedFile("s.png", png_bytes())])
    key = Attachment.objects.get().storage_key
    assert signed_in(other_team_agent.user).get(f"/attachments/{key}").status_code == 404
    assert signed_in(general_agent.user).get(f"/attachments/{key}").status_code == 200
    assert AuditEvent.objects.filter(action="viewed_attachment", actor=general_agent.user).exists()


def test_customer_replies_closes_and_rates(customer, ticket, general_agent) -> None:
    from pharos.conversations import services

    browser = signed_in(customer.user)
    url = f"/en/requests/{ticket.reference}/"
    browser.post(url + "reply/", {"body": "Any news?", "client_message_id": "c-9"})
    browser.post(url + "reply/", {"body": "Any news?", "client_message_id": "c-9"})
    assert ticket.messages.filter(body="Any news?").count() == 1
    services.post_agent_reply(
        ticket, general_agent.user, "Credited now.", status_after=Status.RESOLVED
    )
    page = browser.get(url).content.decode()
    assert "Credited now." in page
    assert "How was our service?" in page
    browser.post(url + "rate/", {"rating": "5", "comment": "Fast"})
    browser.post(url + "close/")
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.status) == (5, Status.CLOSED)


def test_internal_notes_never_reach_the_customer_page(customer, ticket, general_agent) -> None:
    from pharos.conversations import services

    services.add_internal_note(ticket, general_agent.user, "Secret staff note")
    page = signed_in(customer.user).get(f"/en/requests/{ticket.reference}/").content.decode()
    assert "Secret staff note" not in page


def test_staff_accounts_have_no_customer_requests(general_agent) -> None:
    assert signed_in(general_agent.user).get("/en/requests/").status_code == 404


def test_the_request_pages_speak_chinese(customer, ticket) -> None:
    page = signed_in(customer.user).get(f"/zh-hans/requests/{ticket.reference}/").content.decode()
    assert "排队中" in page
