"""Trust and safety: the registry of official channels and every check against it, the
impostors users report, and the agent replies the guard stopped."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pharos.accounts.models import User
from pharos.conversations.models import Conversation


class ChannelKind(models.TextChoices):
    DOMAIN = "domain", _("Website domain")
    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Phone number")
    TELEGRAM = "telegram", _("Telegram account")
    X = "x", _("X (Twitter) account")
    FACEBOOK = "facebook", _("Facebook page")
    AGENT_ID = "agent_id", _("Support agent ID")


class OfficialChannel(models.Model):
    """A channel that really is ours. The public list and every verdict come from here;
    what is not in it is not official."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("As people see it: tidewell.example, @tidewell_exchange, +65 6123 4567."),
    )
    description_en = models.CharField(_("what it is (English)"), max_length=200, blank=True)
    description_zh_hans = models.CharField(_("what it is (Chinese)"), max_length=200, blank=True)
    active = models.BooleanField(_("listed and official"), default=True)
    position = models.PositiveIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "position", "value"]
        verbose_name = _("official channel")
        verbose_name_plural = _("official channels")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="one_official_channel_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Verdict(models.TextChoices):
    OFFICIAL = "official", _("Official")
    NOT_OFFICIAL = "not_official", _("Not official")
    LOOKALIKE = "lookalike", _("Not official: imitates an official channel")


class VerificationCheck(models.Model):
    """One "is this official?" check (the page, the API or the bot): what was asked and
    the answer, so that the security team sees which impostors people meet."""

    class Source(models.TextChoices):
        PAGE = "page", _("Verification page")
        API = "api", _("API")
        BOT = "bot", _("Chat bot")

    value = models.CharField(max_length=512)
    kind = models.CharField(max_length=20, blank=True)
    normalised = models.CharField(max_length=512, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    channel = models.ForeignKey(
        OfficialChannel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
        help_text=_("The channel matched, or the one imitated."),
    )
    reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")

    def __str__(self) -> str:
        return f"{self.value}: {self.verdict}"


class ImpostorReport(models.Model):
    """Someone pretending to be us, reported by a user from a verdict."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed impostor, being taken down")
        DISMISSED = "dismissed", _("Dismissed")

    value = models.CharField(max_length=512)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    imitated = models.ForeignKey(
        OfficialChannel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    where_seen = models.CharField(_("where it was seen"), max_length=200, blank=True)
    details = models.TextField(_("what happened"), blank=True)
    reporter = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    times_reported = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    last_reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_reported_at"]
        verbose_name = _("impostor report")
        verbose_name_plural = _("impostor reports")
        constraints = [
            models.UniqueConstraint(fields=["value"], name="one_impostor_report_per_value")
        ]

    def __str__(self) -> str:
        return self.value


class GuardBlock(models.Model):
    """An outgoing message the agent guard stopped: what was written, by whom, where, and
    why. Admins read the list; the text is an ask for a secret, never a secret."""

    class Source(models.TextChoices):
        REPLY = "reply", _("Agent reply")
        CANNED = "canned", _("Canned reply")
        BOT = "bot", _("Bot answer")

    source = models.CharField(max_length=10, choices=Source.choices)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    excerpt = models.TextField(blank=True)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("blocked outgoing message")
        verbose_name_plural = _("blocked outgoing messages")

    def __str__(self) -> str:
        return f"{self.get_source_display()} by {self.author or '?'}: {', '.join(self.reasons)}"


class AccountFreeze(models.Model):
    """A customer froze their own account because they fear theft: the exchange was told
    at once, and a top-priority conversation with the security team was opened."""

    class Source(models.TextChoices):
        PAGE = "page", _("Security page")
        CHAT = "chat", _("Offered in the chat")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="freezes"
    )
    uid = models.CharField(max_length=32)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PAGE)
    confirmed_by_exchange = models.BooleanField(default=False)
    exchange_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account freeze")
        verbose_name_plural = _("account freezes")

    def __str__(self) -> str:
        return f"{self.uid} at {self.created_at:%Y-%m-%d %H:%M}"


class AppealState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the security team")
    NEEDS_MORE = "needs_more", _("More information asked for")
    APPROVED = "approved", _("Approved: account unlocked")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn: its conversation was closed")


OPEN_APPEAL_STATES = (AppealState.SUBMITTED, AppealState.NEEDS_MORE)


class BlockedAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signing in")
    WITHDRAW = "withdraw", _("Withdrawals")
    TRADE = "trade", _("Trading")
    DEPOSIT = "deposit", _("Deposits")
    OTHER = "other", _("Something else")


class UnlockAppeal(models.Model):
    """A customer's appeal to unlock their account, with what the security team needs to
    decide. The ID number and the documents are seen by security agents only."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="unlock_appeals"
    )
    conversation = models.OneToOneField(
        Conversation, on_delete=models.PROTECT, related_name="unlock_appeal"
    )
    uid = models.CharField(_("UID"), max_length=32)
    registered_contact = models.CharField(_("registered email or phone"), max_length=254)
    kyc_name = models.CharField(_("full name as verified (KYC)"), max_length=200)
    id_number = models.CharField(_("ID document number"), max_length=64)
    locked_on = models.DateField(_("when it was locked"), null=True, blank=True)
    lock_reason = models.TextField(_("why it was locked, as far as you know"), blank=True)
    blocked = models.JSONField(_("what is blocked"), default=list)
    transactions = models.TextField(_("related transactions"), blank=True)
    details = models.TextField(_("anything else"), blank=True)
    state = models.CharField(
        max_length=12, choices=AppealState.choices, default=AppealState.SUBMITTED
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unlock appeal")
        verbose_name_plural = _("unlock appeals")
        constraints = [
            # One appeal under review per customer, even for a form sent twice at once.
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(state__in=["submitted", "needs_more"]),
                name="one_open_unlock_appeal_per_customer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.uid}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APPEAL_STATES


class DocumentKind(models.TextChoices):
    ERROR_SCREENSHOT = "error_screenshot", _("Screenshot of the error")
    ID_FRONT = "id_front", _("ID document, front")
    ID_BACK = "id_back", _("ID document, back")
    SELFIE = "selfie", _("Selfie holding the ID and the dated note")
    OTHER_PROOF = "other_proof", _("Other proof")


def appeal_document_path(instance: AppealDocument, filename: str) -> str:
    return f"appeals/{timezone.now():%Y/%m}/{filename}"


class AppealDocument(models.Model):
    """A file of an unlock appeal, kept apart from conversation attachments: only
    security agents open it, and each opening is audited."""

    appeal = models.ForeignKey(UnlockAppeal, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    file = models.FileField(upload_to=appeal_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["appeal", "kind", "uploaded_at"]
        verbose_name = _("appeal document")
        verbose_name_plural = _("appeal documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
