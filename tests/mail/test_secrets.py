"""Secrets in email, over real SMTP: a seed phrase or a password in a mail is removed
from everything Pharos keeps (the conversation, the received-mail record, even the stored
original), the sender is warned by email at once in their language, and the
conversation is flagged for the security team."""

from __future__ import annotations

import pytest
from django.core import mail
from mnemonic import Mnemonic

from pharos.accounts.models import Customer, StaffMember
from pharos.conversations.models import AuthorKind, Conversation, Message
from pharos.mail.models import EmailThread, InboundMail, InboundState, OutboundMail

from ..conftest import signed_in
from .conftest import SmtpServer, make_mail

pytestmark = pytest.mark.django_db(transaction=True)

SEED = Mnemonic("english").to_mnemonic(bytes(range(100, 132)))  # 24 valid words


def test_a_seed_phrase_in_an_email_is_kept_nowhere(
    smtp: SmtpServer, customer: Customer, support_admin: StaffMember
) -> None:
    inbound = smtp.deliver(make_mail(subject=f"wallet {SEED}", body=f"Help! My words: {SEED}"))
    conversation = Conversation.objects.get(pk=inbound.conversation_id)
    first = conversation.messages.get(sequence=1)
    assert SEED not in first.body and "[redacted:seed_phrase]" in first.body
    assert first.payload["redacted"] == ["seed_phrase"]
    assert SEED not in conversation.subject
    record = InboundMail.objects.get(pk=inbound.pk)
    assert SEED not in record.subject
    original = b"".join(
        signed_in(support_admin.user)
        .get(f"/admin/mail/inboundmail/{inbound.pk}/original/")
        .streaming_content  # type: ignore[attr-defined]
    ).decode()
    assert SEED.split()[5] not in original and "[redacted:seed_phrase]" in original
    assert {"secret-shared", "security-review"} <= set(conversation.tags)
    (acknowledgement,) = mail.outbox
    assert SEED not in acknowledgement.body and SEED not in acknowledgement.subject
    assert "we removed your seed phrase" in acknowledgement.body


def test_a_password_in_a_reply_brings_a_warning_in_the_thread_in_chinese(
    smtp: SmtpServer, customer: Customer
) -> None:
    first = make_mail(subject="充值没到账", body="您好，我的 USDT 充值两小时了还没到账。")
    conversation = Conversation.objects.get(pk=smtp.deliver(first).conversation_id)
    (acknowledgement,) = mail.outbox
    reply = make_mail(
        subject=acknowledgement.subject,
        body="登录密码是 Hx8#kq2Lm9 您帮我登录看看",
        In_Reply_To=acknowledgement.extra_headers["Message-ID"],
    )
    smtp.deliver(reply)
    stored = conversation.messages.filter(author_kind=AuthorKind.CUSTOMER).order_by("sequence")
    assert "Hx8#kq2Lm9" not in stored.last().body  # type: ignore[union-attr]
    warning = OutboundMail.objects.get(kind=OutboundMail.Kind.WARNING)
    assert warning.state == OutboundMail.State.SENT
    sent = mail.outbox[-1]
    assert sent.extra_headers["In-Reply-To"] == reply["Message-ID"]
    assert "Hx8#kq2Lm9" not in sent.body
    assert "密码" in sent.body and conversation.reference in sent.body
    assert "ALICE-OK" in sent.body.splitlines()[0]  # the anti-phishing code first


def test_a_duplicate_with_a_seed_phrase_keeps_no_original_with_it(
    smtp: SmtpServer, customer: Customer
) -> None:
    """The same mail to support@ and, again, to security@ (a customer in a hurry): the
    copy is a duplicate, and its stored original loses the phrase too."""
    message = make_mail(
        subject="stolen", body=f"My words: {SEED}", message_id="<twice@example.com>"
    )
    smtp.deliver(message)
    copy = smtp.deliver(message)
    assert copy.state == InboundState.DUPLICATE
    with copy.raw.open("rb") as stored:
        original = stored.read().decode()
    assert SEED.split()[5] not in original and "[redacted:seed_phrase]" in original


def test_a_password_in_the_senders_display_name_is_not_kept(
    smtp: SmtpServer, customer: Customer
) -> None:
    message = make_mail(sender='"my password is Hx8#kq2Lm9" <alice@example.com>')
    inbound = smtp.deliver(message)
    thread = EmailThread.objects.get(conversation_id=inbound.conversation_id)
    assert "Hx8#kq2Lm9" not in thread.name and "[redacted:password]" in thread.name
    first = Message.objects.get(conversation_id=inbound.conversation_id, sequence=1)
    assert "Hx8#kq2Lm9" not in str(first.payload)
