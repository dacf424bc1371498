"""Recognising mail no person wrote: auto-replies, lists and robot senders by their
headers and addresses, and bounces (delivery status notifications, and the Chinese
kind without a report) with the message they return and why. No database: the parser
works on bytes alone."""

from __future__ import annotations

import pytest

from pharos.mail.parsing import parse_mail

from .parsing_helpers import CUSTOMER_HEADERS, encoded_word, multipart, raw_mail

# --- Robots and bounces ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "automatic"),
    [
        ("", False),
        ("Auto-Submitted: no\n", False),
        ("Auto-Submitted: auto-replied\n", True),
        ("Auto-Submitted: auto-generated; owner-email=x@example.com\n", True),
        ("Precedence: bulk\n", True),
        ("Precedence: junk\n", True),
        ("Precedence: list\n", True),
        ("Precedence: auto_reply\n", True),
        ("Precedence: first-class\n", False),
        ("X-Autoreply: yes\n", True),
        ("X-Autorespond: yes\n", True),
        ("X-Auto-Response-Suppress: OOF, DR\n", True),
        ("X-Auto-Response-Suppress: All\n", True),
        ("X-Auto-Response-Suppress: DR, RN\n", False),
        ("List-Id: <traders.lists.example.com>\n", True),
        ("List-Unsubscribe: <mailto:leave@lists.example.com>\n", True),
        ("X-Loop: support@pharos.test\n", True),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers(extra: str, automatic: bool) -> None:
    assert parse_mail(raw_mail(extra=extra)).auto_submitted is automatic


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.com",
        "postmaster@example.com",
        "noreply@exchange.example",
        "no-reply@x.example",
        "do-not-reply@x.example",
        "DoNotReply@x.example",
    ],
)
def test_mail_from_robot_addresses_is_automatic(sender: str) -> None:
    headers = CUSTOMER_HEADERS.replace("Alice Customer <Alice.Customer@Example.com>", sender)

    assert parse_mail(raw_mail(headers=headers)).auto_submitted


DELIVERY_STATUS_NOTIFICATION = """From: Mail Delivery System <MAILER-DAEMON@mx.pharos.test>
To: support@pharos.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <20260105020001.4F1A2B3C@mx.pharos.test>
Date: Mon,  5 Jan 2026 10:00:01 +0800 (CST)
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1A2B3C.1767578401/mx.pharos.test"

This is a MIME-encapsulated message.

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.pharos.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.pharos.test
X-Postfix-Queue-ID: 4F1A2B3C
Arrival-Date: Mon,  5 Jan 2026 10:00:00 +0800 (CST)

Final-Recipient: rfc822; copy@example.org
Action: delivered
Status: 2.0.0

Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822;gone@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected:
    User unknown in virtual mailbox table

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Pharos Support <support@pharos.test>
To: gone@example.org
Subject: Re: [PH-2026-000123] Withdrawal stuck
Message-ID: <PH-2026-000123.42@pharos.test>
Date: Mon, 05 Jan 2026 09:59:59 +0800

--4F1A2B3C.1767578401/mx.pharos.test--
"""


def test_delivery_status_notification_is_a_bounce_naming_the_returned_message() -> None:
    mail = parse_mail(DELIVERY_STATUS_NOTIFICATION.replace("\n", "\r\n").encode())

    assert mail.is_bounce
    assert mail.auto_submitted
    assert mail.bounced_message_id == "PH-2026-000123.42@pharos.test"
    assert mail.bounce_reason == (
        "smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    assert mail.text.startswith("This is the mail system at host mx.pharos.test.")
    assert mail.attachments == ()
    assert mail.problems == ()


def test_bounce_returning_the_whole_message_names_it() -> None:
    raw = multipart(
        "dsn",
        "Content-Type: text/plain\n\nDelivery failed.",
        "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; x@example.org\nAction: failed\nStatus: 5.2.2",
        "Content-Type: message/rfc822\n\nFrom: support@pharos.test\nMessage-ID: <original@pharos.test>\nSubject: Hello\n\nOriginal body",
        content_type="multipart/report; report-type=delivery-status",
    )

    mail = parse_mail(raw)

    assert mail.is_bounce
    assert mail.bounced_message_id == "original@pharos.test"
    assert mail.bounce_reason == "5.2.2"


def test_chinese_bounce_without_a_report_is_recognised_by_sender_and_subject() -> None:
    headers = CUSTOMER_HEADERS.replace(
        "Alice Customer <Alice.Customer@Example.com>", "postmaster@qq.example"
    ).replace("Subject: Withdrawal stuck", f"Subject: {encoded_word('系统退信', 'gb2312')}")

    mail = parse_mail(
        raw_mail(
            "抱歉，您的邮件无法送达。".encode(),
            headers=headers,
            extra="Content-Type: text/plain; charset=utf-8\n",
        )
    )

    assert mail.is_bounce
    assert mail.bounced_message_id is None
    assert mail.bounce_reason == ""


def test_customer_mail_mentioning_a_bounce_is_no_bounce() -> None:
    headers = CUSTOMER_HEADERS.replace(
        "Subject: Withdrawal stuck", "Subject: Undelivered withdrawal"
    )

    assert not parse_mail(raw_mail(headers=headers)).is_bounce
