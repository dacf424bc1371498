"""The intake: messages arriving in many sessions at once are all stored (several per
transaction) and each sender hears 250 with its own number; one intake task takes
everything waiting, a batch at a time; a worker stopped in the middle of a batch loses
nothing (its messages go back to the waiting ones, and one that stops the worker every
time ends in the failed list); an acknowledgement the worker never sent can be sent
from the admin."""

from __future__ import annotations

import concurrent.futures
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pharos.accounts.models import StaffMember
from pharos.conversations.models import Conversation
from pharos.mail import outbound, services
from pharos.mail.models import InboundMail, InboundState, Mailbox, OutboundMail

from ..conftest import run_queued_tasks, signed_in
from .conftest import DOMAIN, SmtpServer, make_mail

pytestmark = pytest.mark.django_db(transaction=True)

INTAKE = "pharos.mail.tasks.process_waiting_mail"


def intakes_queued() -> int:
    return DBTaskResult.objects.filter(task_path=INTAKE, status=TaskResultStatus.READY).count()


def send_in_sessions(smtp: SmtpServer, messages: int, sessions: int) -> list[str]:
    """Send from several connections at once; the server's answers to DATA."""

    def one_session(numbers: range) -> list[str]:
        answers = []
        with smtplib.SMTP("127.0.0.1", smtp.port, timeout=30) as client:
            client.ehlo()
            for number in numbers:
                raw = make_mail(subject=f"Deposit {number}", sender=f"t{number}@example.com")
                client.mail(f"t{number}@example.com")
                client.rcpt(f"support@{DOMAIN}")
                code, answer = client.data(raw.as_bytes())
                assert code == 250, answer
                answers.append(answer.decode())
        return answers

    shares = [range(start, messages, sessions) for start in range(sessions)]
    with concurrent.futures.ThreadPoolExecutor(sessions) as pool:
        return [answer for answers in pool.map(one_session, shares) for answer in answers]


def test_mail_from_many_sessions_at_once_is_all_stored_and_ticketed(smtp: SmtpServer) -> None:
    answers = send_in_sessions(smtp, messages=60, sessions=12)
    stored = set(InboundMail.objects.values_list("pk", flat=True))
    assert len(stored) == 60
    # Each sender was told the number its own message was stored under.
    assert {int(answer.rsplit(" ", 1)[-1]) for answer in answers} == stored
    assert intakes_queued() == 1  # queued by the first; the others found it waiting
    run_queued_tasks()
    assert InboundMail.objects.filter(state=InboundState.PROCESSED).count() == 60
    assert Conversation.objects.count() == 60
    assert len(mail.outbox) == 60  # every sender acknowledged, once


def test_a_flood_is_taken_a_batch_at_a_time_and_the_intake_makes_way(
    mailboxes: dict[str, Mailbox],
) -> None:
    for number in range(services.INTAKE_BATCH + 5):
        raw = make_mail(subject=f"Deposit {number}", sender=f"t{number}@example.com")
        services.accept_raw(raw.as_bytes(), source="smtp", recipients=[f"support@{DOMAIN}"])
    DBTaskResult.objects.all().delete()
    # Out of time after the first batch: the rest is left to the intake it queues again.
    assert services.process_waiting(budget_seconds=0) == services.INTAKE_BATCH
    assert InboundMail.objects.filter(state=InboundState.RECEIVED).count() == 5
    assert run_queued_tasks() == [INTAKE]
    assert not InboundMail.objects.exclude(state=InboundState.PROCESSED).exists()


def test_a_message_left_by_a_stopped_worker_is_processed_again(
    mailboxes: dict[str, Mailbox],
) -> None:
    inbound = services.accept_raw(
        make_mail().as_bytes(), source="smtp", recipients=[f"support@{DOMAIN}"]
    )
    DBTaskResult.objects.all().delete()  # the worker took the intake task, then was killed
    claimed_long_ago = timezone.now() - services.INTERRUPTED_AFTER - timedelta(seconds=1)
    InboundMail.objects.filter(pk=inbound.pk).update(
        state=InboundState.PROCESSING, attempts=1, claimed_at=claimed_long_ago
    )
    assert services.wake_intake() is False  # back to waiting, but it has not waited a minute
    InboundMail.objects.filter(pk=inbound.pk).update(
        received_at=timezone.now() - services.INTAKE_WAKE_AFTER - timedelta(seconds=1)
    )
    assert services.wake_intake() is True  # what the mail server does every minute
    assert run_queued_tasks() == [INTAKE]
    inbound.refresh_from_db()
    assert inbound.state == InboundState.PROCESSED
    assert inbound.attempts == 2


def test_a_message_that_stops_the_worker_every_time_ends_in_the_failed_list(
    mailboxes: dict[str, Mailbox],
) -> None:
    inbound = services.accept_raw(
        make_mail().as_bytes(), source="smtp", recipients=[f"support@{DOMAIN}"]
    )
    InboundMail.objects.filter(pk=inbound.pk).update(
        state=InboundState.PROCESSING,
        attempts=services.MAX_ATTEMPTS,
        claimed_at=timezone.now() - services.INTERRUPTED_AFTER - timedelta(seconds=1),
    )
    services.recover_interrupted()
    inbound.refresh_from_db()
    assert inbound.state == InboundState.FAILED
    assert "interrupted 3 times" in inbound.reason
    assert not Conversation.objects.exists()


def test_a_message_being_processed_is_not_taken_twice(mailboxes: dict[str, Mailbox]) -> None:
    inbound = services.accept_raw(
        make_mail().as_bytes(), source="smtp", recipients=[f"support@{DOMAIN}"]
    )
    InboundMail.objects.filter(pk=inbound.pk).update(
        state=InboundState.PROCESSING, claimed_at=timezone.now()
    )
    assert services.process_waiting() == 0
    assert services.process(inbound.pk).state == InboundState.PROCESSING
    assert not Conversation.objects.exists()


def test_an_acknowledgement_never_sent_can_be_sent_from_the_admin(
    smtp: SmtpServer, support_admin: StaffMember, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker stops between committing the conversation and sending its email.
    monkeypatch.setattr(services, "_send_recorded", lambda recorded: None)
    inbound = smtp.deliver(make_mail())
    monkeypatch.undo()
    acknowledgement = OutboundMail.objects.get(conversation=inbound.conversation)
    assert acknowledgement.state == OutboundMail.State.PENDING
    assert not outbound.unsent(OutboundMail.objects.all()).exists()  # it may be on its way
    OutboundMail.objects.update(created_at=timezone.now() - outbound.NEVER_SENT_AFTER)
    response = signed_in(support_admin.user).post(
        "/admin/mail/outboundmail/",
        {"action": "send_again", "_selected_action": [acknowledgement.pk]},
    )
    assert response.status_code == 302
    acknowledgement.refresh_from_db()
    assert acknowledgement.state == OutboundMail.State.SENT
    (sent,) = mail.outbox
    assert inbound.conversation is not None
    assert inbound.conversation.reference in sent.subject
