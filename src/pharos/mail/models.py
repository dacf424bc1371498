"""Email support: the mailboxes customers write to, every message that arrived (kept raw,
before anything else happens to it), the Message-IDs that tie mail to conversations, and
every email sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pharos.accounts.models import Team
from pharos.conversations.models import Conversation, Message


class MailboxPurpose(models.TextChoices):
    SUPPORT = "support", _("General support")
    SECURITY = "security", _("Security: theft, password, 2FA, suspicious activity")
    FEEDBACK = "feedback", _("Complaints and suggestions")


class Mailbox(models.Model):
    """An address customers write to; its mail becomes conversations of its team."""

    address = models.EmailField(_("address"), unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=MailboxPurpose.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="mailboxes")
    description_en = models.CharField(_("what to write about (English)"), max_length=200)
    description_zh_hans = models.CharField(_("what to write about (Chinese)"), max_length=200)
    active = models.BooleanField(_("receives mail"), default=True)
    position = models.PositiveIntegerField(default=100)
    # Polling a real mailbox (imap.py). The password is never stored here: it is read from
    # the environment variable named below.
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port (TLS)"), default=993)
    imap_username = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password_variable = models.CharField(
        _("environment variable holding the IMAP password"),
        max_length=100,
        blank=True,
        help_text=_("For example PHAROS_IMAP_PASSWORD_SUPPORT."),
    )
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")

    class Meta:
        ordering = ["position", "address"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.address

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1].lower()

    @property
    def polls_imap(self) -> bool:
        return bool(self.imap_host and self.imap_username)


class InboundState(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    PROCESSING = "processing", _("Being processed")
    PROCESSED = "processed", _("Processed")
    DUPLICATE = "duplicate", _("Duplicate of a message already processed")
    IGNORED = "ignored", _("Not a conversation (bounce or automatic mail)")
    HELD = "held", _("Held: the sender sent too much")
    FAILED = "failed", _("Failed")


def raw_mail_path(instance: InboundMail, filename: str) -> str:
    return f"mail/raw/{timezone.now():%Y/%m/%d}/{filename}"


class InboundMail(models.Model):
    """One message as it arrived. The raw bytes are stored before any processing, so a
    message that cannot be processed is never lost: it stays here with the reason."""

    class Source(models.TextChoices):
        SMTP = "smtp", _("SMTP")
        IMAP = "imap", _("IMAP")

    mailbox = models.ForeignKey(
        Mailbox, null=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    raw = models.FileField(upload_to=raw_mail_path, max_length=200)
    size = models.PositiveIntegerField()
    # sha256 of the Message-ID (or of the bytes when there is none): one processed per key.
    message_key = models.CharField(max_length=64, db_index=True)
    message_id = models.CharField(max_length=255, blank=True)
    envelope_sender = models.CharField(max_length=320, blank=True)
    recipients = models.JSONField(default=list)
    peer = models.CharField(_("sent from"), max_length=64, blank=True)
    state = models.CharField(max_length=12, choices=InboundState.choices, default="received")
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker took it (state "processing"): one left there long was interrupted.
    claimed_at = models.DateTimeField(null=True, blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    spoof_suspected = models.BooleanField(default=False)
    automatic = models.BooleanField(default=False, help_text=_("Auto-reply, list mail or bounce."))
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conversation_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("received email")
        verbose_name_plural = _("received emails")
        indexes = [models.Index(fields=["state", "-received_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["message_key"],
                condition=models.Q(state="processed"),
                name="one_processed_mail_per_message_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_address or self.envelope_sender or '?'}: {self.subject}"


class ThreadMessageId(models.Model):
    """A Message-ID seen in (or sent from) a conversation: replies name it in In-Reply-To
    or References, which is how they find their conversation."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of the Message-ID
    message_id = models.CharField(max_length=255)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="mail_message_ids"
    )
    outbound = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.message_id


class EmailThread(models.Model):
    """Who an email conversation is with, and where answers go out from."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="email_thread"
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="threads")
    address = models.CharField(_("customer's address"), max_length=320)
    name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=250)
    # The last message that came in: our answers reply to it.
    last_inbound_message_id = models.CharField(max_length=255, blank=True)
    references = models.JSONField(default=list)  # the thread's Message-IDs, oldest first

    def __str__(self) -> str:
        return f"{self.conversation_id} ↔ {self.address}"


class OutboundMail(models.Model):
    """An email Pharos sent (or tried to) about a conversation."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", _("Acknowledgement")
        REPLY = "reply", _("Agent reply")
        WARNING = "warning", _("Security warning (a secret was removed)")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="outbound_mail"
    )
    # An agent's message is sent at most once, however often its task runs.
    conversation_message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="outbound_mail"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    to_address = models.CharField(max_length=320)
    message_id = models.CharField(max_length=255)
    subject = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default="pending")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=models.Q(kind="ack"),
                name="one_acknowledgement_per_conversation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
