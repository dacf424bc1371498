"""Mail over real SMTP to the built-in server: routing per mailbox, the acknowledgement
(reference, response time, anti-phishing code), known and unknown senders, threading
both ways, charsets, attachments, loop protection, the spoof flag, duplicates, malformed
input, refusals at the door (unknown mailbox, size, floods) and failures kept for admins."""

from __future__ import annotations

import base64
import smtplib
from email.header import Header
from email.message import EmailMessage

import pytest
from django.core import mail

from pharos.accounts.models import Customer, StaffMember
from pharos.conversations import services as conversations
from pharos.conversations.models import (
    Attachment,
    AuthorKind,
    Channel,
    Conversation,
    Message,
    Status,
)
from pharos.mail import services
from pharos.mail.models import EmailThread, InboundMail, InboundState, Mailbox, OutboundMail

from ..conftest import run_queued_tasks
from ..conversations.conftest import png_bytes
from .conftest import DOMAIN, SmtpServer, make_mail, running_smtp_server

pytestmark = pytest.mark.django_db(transaction=True)


def conversation_of(inbound: InboundMail) -> Conversation:
    assert inbound.state == InboundState.PROCESSED, inbound.reason
    assert inbound.conversation is not None
    return Conversation.objects.select_related("team", "customer").get(pk=inbound.conversation.pk)


def customer_messages(conversation: Conversation) -> list[Message]:
    return list(conversation.messages.filter(author_kind=AuthorKind.CUSTOMER).order_by("sequence"))


# --- routing and the acknowledgement -------------------------------------------------------------
@pytest.mark.parametrize(
    ("purpose", "team"),
    [("support", "general-support"), ("security", "security"), ("feedback", "complaints-feedback")],
)
def test_each_mailbox_opens_a_conversation_for_its_team(
    smtp: SmtpServer, customer: Customer, purpose: str, team: str
) -> None:
    inbound = smtp.deliver(make_mail(to=f"{purpose}@{DOMAIN}"))
    conversation = conversation_of(inbound)
    assert conversation.team.slug == team
    assert conversation.channel == Channel.EMAIL
    assert conversation.status == Status.QUEUED
    assert f"mail:{purpose}" in conversation.tags
    assert conversation.customer == customer
    (first,) = customer_messages(conversation)
    assert first.body == "I sent 500 USDT on TRC20 two hours ago."
    assert first.author == customer.user
    assert conversation.first_response_due_at is not None


def test_the_acknowledgement_replies_in_the_thread_with_reference_code_and_warning(
    smtp: SmtpServer, customer: Customer
) -> None:
    sent = make_mail()
    conversation = conversation_of(smtp.deliver(sent))
    (ack,) = mail.outbox
    assert ack.to == ["alice@example.com"]
    assert f"[{conversation.reference}]" in ack.subject
    assert ack.subject.startswith("Re: My deposit has not arrived")
    assert ack.extra_headers["In-Reply-To"] == sent["Message-ID"]
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "support@tidewell.example" in ack.from_email
    lines = ack.body.strip().splitlines()
    assert lines[0] == "Your anti-phishing code: ALICE-OK"  # the very first line
    assert "never asks for your password" in ack.body
    assert conversation.reference in ack.body
    assert "An agent will answer by" in ack.body
    assert OutboundMail.objects.get(kind="ack").state == "sent"


def test_an_unknown_mailbox_is_refused_at_the_door(smtp: SmtpServer) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        smtp.send(make_mail(to=f"ceo@{DOMAIN}"))
    assert refused.value.recipients[f"ceo@{DOMAIN}"][0] == 550
    assert not InboundMail.objects.exists()


def test_mail_to_two_addresses_only_one_of_them_ours_is_accepted(smtp: SmtpServer) -> None:
    message = make_mail(to=f"support@{DOMAIN}")
    refused = smtp.send(message, recipients=[f"support@{DOMAIN}", f"nobody@{DOMAIN}"])
    assert refused[f"nobody@{DOMAIN}"][0] == 550
    run_queued_tasks()
    assert InboundMail.objects.get().state == InboundState.PROCESSED


def test_an_unknown_sender_gets_a_conversation_of_their_own_and_is_asked_for_their_uid(
    smtp: SmtpServer,
) -> None:
    inbound = smtp.deliver(
        make_mail(sender="stranger@example.net", body="Please help, my UID: 12345678")
    )
    conversation = conversation_of(inbound)
    assert conversation.customer is None
    assert EmailThread.objects.get(conversation=conversation).address == "stranger@example.net"
    notes = conversation.messages.filter(internal=True).values_list("body", flat=True)
    assert any("not linked to any account" in note and "12345678" in note for note in notes)
    (ack,) = mail.outbox
    assert "not linked to a Tidewell account" in ack.body.splitlines()[0]
    assert "reply with your UID" in ack.body
    assert "never asks for your password" in ack.body


def test_a_chinese_email_gets_a_chinese_acknowledgement(
    smtp: SmtpServer, customer: Customer
) -> None:
    conversation = conversation_of(
        smtp.deliver(make_mail(subject="充值没到账", body="我两小时前充值了 500 USDT，还没到账。"))
    )
    assert conversation.language == "zh-hans"
    (ack,) = mail.outbox
    assert ack.body.splitlines()[0] == "您的防钓鱼码：ALICE-OK"
    assert conversation.reference in ack.body


# --- threading -----------------------------------------------------------------------------------
def test_threading_both_ways_reply_answer_and_reply_again(
    smtp: SmtpServer, customer: Customer, agent: StaffMember
) -> None:
    first = make_mail()
    conversation = conversation_of(smtp.deliver(first))
    agent.teams.add(conversation.team)
    mail.outbox.clear()

    conversations.post_agent_reply(conversation, agent.user, "Please send the TxID.")
    run_queued_tasks()
    (answer,) = mail.outbox
    assert answer.to == ["alice@example.com"]
    assert f"[{conversation.reference}]" in answer.subject
    assert answer.extra_headers["In-Reply-To"] == first["Message-ID"]
    assert first["Message-ID"] in answer.extra_headers["References"]
    assert "Auto-Submitted" not in answer.extra_headers  # a person wrote it
    assert answer.body.splitlines()[0] == "Your anti-phishing code: ALICE-OK"
    assert "Please send the TxID." in answer.body

    reply = make_mail(
        subject=f"Re: {answer.subject}",
        body="TxID 0xabc123\n\nOn Mon, 23 Nov 2026 at 10:02, Tidewell <support@tidewell.example> "
        "wrote:\n> Please send the TxID.",
        In_Reply_To=answer.extra_headers["Message-ID"],
        References=f"{first['Message-ID']} {answer.extra_headers['Message-ID']}",
    )
    inbound = smtp.deliver(reply)
    assert conversation_of(inbound) == conversation
    conversation.refresh_from_db()
    assert conversation.status == Status.ASSIGNED  # back from waiting on the customer
    latest = customer_messages(conversation)[-1]
    assert latest.body == "TxID 0xabc123"  # the quoted history trimmed for display
    assert latest.payload["email"]["trimmed"] is True
    assert len(mail.outbox) == 1  # no second acknowledgement for a reply


def test_the_reference_in_the_subject_continues_the_conversation(
    smtp: SmtpServer, customer: Customer
) -> None:
    conversation = conversation_of(smtp.deliver(make_mail()))
    again = smtp.deliver(
        make_mail(subject=f"Another detail [{conversation.reference}]", body="It was TRC20.")
    )
    assert conversation_of(again) == conversation
    assert [m.body for m in customer_messages(conversation)][-1] == "It was TRC20."


def test_a_reference_from_someone_else_opens_a_conversation_of_its_own(
    smtp: SmtpServer, customer: Customer
) -> None:
    victim = conversation_of(smtp.deliver(make_mail()))
    intruder = smtp.deliver(
        make_mail(sender="mallory@example.net", subject=f"Re: [{victim.reference}]", body="hi")
    )
    opened = conversation_of(intruder)
    assert opened != victim
    assert len(customer_messages(victim)) == 1
    notes = opened.messages.filter(internal=True).values_list("body", flat=True)
    assert any(victim.reference in note for note in notes)


def test_a_reply_to_a_closed_conversation_opens_a_follow_up(
    smtp: SmtpServer, customer: Customer, support_admin: StaffMember
) -> None:
    conversation = conversation_of(smtp.deliver(make_mail()))
    conversations.change_status(conversation, Status.CLOSED, support_admin.user)
    follow_up = conversation_of(
        smtp.deliver(make_mail(subject=f"Re: [{conversation.reference}]", body="Still waiting"))
    )
    assert follow_up != conversation
    notes = follow_up.messages.filter(internal=True).values_list("body", flat=True)
    assert any(f"Follow-up to {conversation.reference}" in note for note in notes)


# --- charsets and attachments --------------------------------------------------------------------
def test_gb2312_big5_and_encoded_headers_arrive_readable(smtp: SmtpServer) -> None:
    raw = (
        "From: =?gb2312?B?" + _b64("张伟".encode("gb2312")) + "?= <zhang@example.cn>\r\n"
        f"To: support@{DOMAIN}\r\n"
        "Subject: =?gb2312?B?" + _b64("提币一直在审核中".encode("gb2312")) + "?=\r\n"
        "Message-ID: <gb-1@example.cn>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=gb2312\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        + _b64("您好，我的提币已经审核了一天。".encode("gb2312"))
        + "\r\n"
    ).encode("ascii")
    conversation = conversation_of(smtp.deliver(raw, sender="zhang@example.cn",
                                                recipients=[f"support@{DOMAIN}"]))  # fmt: skip
    assert conversation.subject == "提币一直在审核中"
    assert customer_messages(conversation)[0].body == "您好，我的提币已经审核了一天。"

    big5 = EmailMessage()
    big5["From"] = "chen@example.tw"
    big5["To"] = f"support@{DOMAIN}"
    big5["Subject"] = Header("帳戶被鎖定", "big5").encode()
    big5.set_content("我的帳戶被鎖定了，請幫忙。", charset="big5")
    conversation = conversation_of(smtp.deliver(big5))
    assert conversation.subject == "帳戶被鎖定"
    assert customer_messages(conversation)[0].body == "我的帳戶被鎖定了，請幫忙。"


def test_attachments_pass_the_upload_checks_and_bad_ones_are_named(
    smtp: SmtpServer, customer: Customer
) -> None:
    message = make_mail(body="Screenshots attached.")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="screen.png")
    message.add_attachment(b"MZ\x90\x00fake", maintype="image", subtype="png", filename="x.png")
    conversation = conversation_of(smtp.deliver(message))
    (kept,) = Attachment.objects.filter(conversation=conversation)
    assert kept.original_name == "screen.png"
    assert kept.content_type == "image/png"
    notes = conversation.messages.filter(internal=True).values_list("body", flat=True)
    assert any("x.png" in note and "not kept" in note.lower() for note in notes)


# --- loops, spoofs, duplicates -------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [{"Auto_Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"X_Autoreply": "yes"}],
)
def test_automatic_mail_never_gets_an_automatic_answer(
    smtp: SmtpServer, headers: dict[str, str]
) -> None:
    conversation = conversation_of(smtp.deliver(make_mail(subject="Out of office", **headers)))
    assert mail.outbox == []
    assert "automatic" in conversation.tags


def test_mail_with_an_empty_return_path_gets_no_answer(smtp: SmtpServer) -> None:
    conversation_of(smtp.deliver(make_mail(), sender=""))
    assert mail.outbox == []


def test_a_bounce_of_our_mail_is_noted_on_its_conversation_and_never_answered(
    smtp: SmtpServer, customer: Customer
) -> None:
    conversation = conversation_of(smtp.deliver(make_mail()))
    ack_id = OutboundMail.objects.get(kind="ack").message_id
    mail.outbox.clear()
    bounce = (
        f"From: MAILER-DAEMON@example.com\r\nTo: support@{DOMAIN}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; alice@example.com\r\n"
        "Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ack_id}>\r\n"
        "Subject: anything\r\n--B--\r\n"
    ).encode()
    inbound = smtp.deliver(bounce, sender="", recipients=[f"support@{DOMAIN}"])
    assert inbound.state == InboundState.IGNORED
    assert Conversation.objects.count() == 1
    assert mail.outbox == []
    notes = conversation.messages.filter(internal=True).values_list("body", flat=True)
    assert any("could not be delivered" in note and "mailbox unknown" in note for note in notes)


def test_mail_claiming_our_domain_from_outside_is_flagged_and_not_answered(
    smtp: SmtpServer,
) -> None:
    inbound = smtp.deliver(make_mail(sender=f"support@{DOMAIN}", body="Please verify here"))
    conversation = conversation_of(inbound)
    assert inbound.spoof_suspected
    assert "possible-spoof" in conversation.tags
    assert conversation.customer is None
    assert mail.outbox == []
    notes = conversation.messages.filter(internal=True).values_list("body", flat=True)
    assert any("Possible spoof" in note for note in notes)


def test_mail_from_our_own_servers_is_not_a_spoof(smtp: SmtpServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAIL_INTERNAL_NETWORKS = ["127.0.0.0/8"]
    inbound = smtp.deliver(make_mail(sender=f"alerts@{DOMAIN}"))
    assert not inbound.spoof_suspected
    assert "possible-spoof" not in conversation_of(inbound).tags


def test_the_same_message_id_twice_is_processed_once(smtp: SmtpServer, customer: Customer) -> None:
    message = make_mail(message_id="<same-1@example.com>")
    first = smtp.deliver(message)
    second = smtp.deliver(message)
    assert first.state == InboundState.PROCESSED
    assert second.state == InboundState.DUPLICATE
    assert Conversation.objects.count() == 1
    assert len(mail.outbox) == 1


# --- bad input -----------------------------------------------------------------------------------
def test_malformed_mime_becomes_a_ticket_with_what_could_be_read(smtp: SmtpServer) -> None:
    raw = (
        f"From: broken@example.com\r\nTo: support@{DOMAIN}\r\nSubject: broken\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never"\r\n\r\n'
        "This text has no boundary around it.\r\n"
    ).encode()
    inbound = smtp.deliver(raw, sender="broken@example.com", recipients=[f"support@{DOMAIN}"])
    conversation = conversation_of(inbound)
    assert "no boundary" in customer_messages(conversation)[0].body


def test_a_subject_with_a_header_injection_stays_one_line(smtp: SmtpServer) -> None:
    raw = (
        f"From: sneaky@example.com\r\nTo: support@{DOMAIN}\r\n"
        "Subject: =?utf-8?B?" + _b64(b"Hello\r\nBcc: victim@example.org") + "?=\r\n"
        "Message-ID: <inj-1@example.com>\r\n\r\nbody\r\n"
    ).encode()
    conversation = conversation_of(
        smtp.deliver(raw, sender="sneaky@example.com", recipients=[f"support@{DOMAIN}"])
    )
    assert "\n" not in conversation.subject and "\r" not in conversation.subject
    (ack,) = mail.outbox
    assert ack.recipients() == ["sneaky@example.com"]
    assert "\n" not in ack.subject
    assert "Bcc" not in ack.message().as_string().split("\n\n", 1)[0].replace(ack.subject, "")


def test_mail_without_any_sender_is_kept_as_failed_with_the_reason(smtp: SmtpServer) -> None:
    raw = f"To: support@{DOMAIN}\r\nSubject: who am I\r\n\r\nno sender\r\n".encode()
    inbound = smtp.deliver(raw, sender="", recipients=[f"support@{DOMAIN}"])
    assert inbound.state == InboundState.FAILED
    assert "No sender" in inbound.reason
    assert inbound.raw.read() == raw  # the original is kept
    assert not Conversation.objects.exists()


def test_a_message_over_the_size_limit_is_refused_at_smtp_time(mailboxes, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAIL_MAX_BYTES = 200_000  # read when the server starts
    with running_smtp_server() as server, pytest.raises(smtplib.SMTPException) as refused:
        server.send(make_mail(body="x" * 300_000))
    assert "552" in str(refused.value)
    assert not InboundMail.objects.exists()


def test_a_flooding_sender_is_refused_for_a_while(smtp: SmtpServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mail_sender": (3, 600)}
    for number in range(3):
        smtp.send(make_mail(subject=f"spam {number}"))
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        smtp.send(make_mail(subject="spam 4"))
    assert refused.value.recipients[f"support@{DOMAIN}"][0] == 451  # try later: nothing lost
    assert InboundMail.objects.count() == 3
    smtp.send(make_mail(sender="someone.else@example.com"))  # others are not affected
    assert InboundMail.objects.count() == 4


def test_a_failure_while_processing_is_kept_and_can_be_retried(
    smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(conversations, "open_from_channel", broken)
    inbound = smtp.deliver(make_mail())
    assert inbound.state == InboundState.FAILED
    assert "database went away" in inbound.reason
    assert not Conversation.objects.exists()
    monkeypatch.undo()
    retried = services.retry(inbound)
    assert retried.state == InboundState.PROCESSED
    assert Conversation.objects.count() == 1


def test_the_stored_message_waits_for_the_worker(smtp: SmtpServer) -> None:
    """Accepted means stored and queued: nothing is processed in the SMTP conversation,
    and the queued task does it later (after a restart too: it is a database row)."""
    smtp.send(make_mail())
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.RECEIVED
    assert not Conversation.objects.exists()
    assert run_queued_tasks()[0].endswith("process_waiting_mail")
    inbound.refresh_from_db()
    assert inbound.state == InboundState.PROCESSED


def test_the_mailboxes_are_listed_for_everyone(client, mailboxes: dict[str, Mailbox]) -> None:  # type: ignore[no-untyped-def]
    listed = client.get("/api/v1/mail/mailboxes").json()
    assert [(m["address"], m["purpose"], m["team"]) for m in listed] == [
        (f"support@{DOMAIN}", "support", "general-support"),
        (f"security@{DOMAIN}", "security", "security"),
        (f"feedback@{DOMAIN}", "feedback", "complaints-feedback"),
    ]
    page = client.get("/zh-hans/contact/").content.decode()
    assert f"security@{DOMAIN}" in page and "防钓鱼码" in page


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_agents_see_who_an_email_conversation_is_with(smtp: SmtpServer, support_admin) -> None:  # type: ignore[no-untyped-def]
    from ..conftest import signed_in

    conversation = conversation_of(smtp.deliver(make_mail(sender="stranger@example.net")))
    page = signed_in(support_admin.user).get(f"/en/console/c/{conversation.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Writes from stranger@example.net to support@tidewell.example" in text
    assert "Sender not linked to a customer yet." in text
