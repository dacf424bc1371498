"""The unified conversation: one model for every channel (web ticket, chat, email,
Telegram, X, Facebook). State changes only through services.py."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pharos.accounts.models import Customer, Team, User


class Channel(models.TextChoices):
    WEB = "web", _("Web ticket")
    CHAT = "chat", _("Live chat")
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    X = "x", _("X")
    FACEBOOK = "facebook", _("Facebook")


class Status(models.TextChoices):
    BOT = "bot", _("With the bot")
    QUEUED = "queued", _("Queued")
    ASSIGNED = "assigned", _("Assigned")
    WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# A conversation in one of these has ended (a customer's reply reopens a resolved one).
ENDED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Topic(models.Model):
    """What a conversation is about, as the customer chose it; decides the default team."""

    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    default_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="topics")
    urgent = models.BooleanField(
        default=False, help_text=_("Conversations on this topic start at urgent priority.")
    )
    position = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh_hans}"


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year (PH-YYYY-NNNNNN)."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Conversation(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
        help_text=_("Empty while the sender is not known (e.g. an email from a new address)."),
    )
    topic = models.ForeignKey(Topic, null=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.QUEUED)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="conversations")
    assignee = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    tags = models.JSONField(default=list, blank=True)
    related_ids = models.JSONField(
        default=list, blank=True, help_text=_("Order and transaction IDs the customer gave.")
    )
    language = models.CharField(max_length=8, default="en")
    # The ticket form's one-time key: submitting the same form twice opens one ticket.
    submission_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    # Every message and event of the conversation has the next number (clients resume from it).
    last_sequence = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Service-level targets (sla.py): due times move by the time spent waiting on the customer.
    first_response_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    sla_warned = models.JSONField(default=list, blank=True)  # targets already warned about
    sla_breached = models.JSONField(default=list, blank=True)  # targets missed
    # The moment of the one SLA check queued (tasks.check_sla); a check for another
    # moment was replaced and does nothing.
    sla_next_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Live chat's queue: when the chat was handed to people, and the customer's VIP tier at
    # the exchange then (higher tiers are served first).
    queued_at = models.DateTimeField(null=True, blank=True)
    vip_tier = models.PositiveSmallIntegerField(default=0)

    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["team", "status", "-updated_at"]),
            models.Index(fields=["assignee", "status", "-updated_at"]),
            models.Index(fields=["customer", "-updated_at"]),
            # The inbox's order: most urgent first, then the longest waiting.
            models.Index(fields=["-priority", "updated_at"], name="conversation_inbox_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_from_one_to_five",
            ),
            models.UniqueConstraint(
                fields=["customer", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_ticket_per_form_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED_STATUSES


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    BOT = "bot", _("Bot")
    SYSTEM = "system", _("System")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sequence = models.PositiveIntegerField()
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=20_000)
    internal = models.BooleanField(default=False, help_text=_("A note only staff see."))
    # A client's retry of the same message carries the same ID and is stored once.
    client_message_id = models.CharField(max_length=64, null=True, blank=True)
    # What a client needs to draw more than text: a bot answer's article links and buttons,
    # or the event a system message stands for (an agent joined), in no language.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sequence"], name="one_message_per_sequence"
            ),
            models.UniqueConstraint(
                fields=["conversation", "client_message_id"],
                condition=models.Q(client_message_id__isnull=False),
                name="client_message_stored_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.sequence}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the customer's file name is kept in the row, never in the path.
    return f"attachments/{timezone.now():%Y/%m}/{instance.storage_key}"


class Attachment(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    storage_key = models.CharField(max_length=64, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class CannedReply(models.Model):
    """A prepared answer agents insert and adjust. Variables: {customer_name}, {reference},
    {uid}, and {article:slug} for a link to a help-center article."""

    title = models.CharField(max_length=100)
    body_en = models.TextField(_("text (English)"))
    body_zh_hans = models.TextField(_("text (Chinese)"))
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="canned_replies",
        help_text=_("Empty: every team can use it."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.title


class SlaPolicy(models.Model):
    """First-response and resolution targets. The most specific policy applies: topic and
    priority, then topic, then priority, then the catch-all (both empty)."""

    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, null=True, blank=True)
    first_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["topic", "priority"]

    def __str__(self) -> str:
        return f"{self.topic or '*'} / {self.get_priority_display() or '*'}"
