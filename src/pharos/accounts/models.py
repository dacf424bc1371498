"""People: customers (known by their exchange UID) and staff (with a role)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. A customer has a `customer` profile, staff a `staff` one.
    Customers signed in by the exchange may have no email (phone-only registrations)."""

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May sign in to the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email or f"user {self.pk}"

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class Customer(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="customer")
    uid = models.CharField(_("exchange UID"), max_length=32, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    anti_phishing_code = models.CharField(
        _("anti-phishing code"),
        max_length=20,
        blank=True,
        help_text=_("Shown in every email we send, so the customer can tell it is genuine."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"UID {self.uid}"


class StaffRole(models.TextChoices):
    AGENT = "agent", _("Agent")
    SECURITY_AGENT = "security_agent", _("Security agent")
    VIP_MANAGER = "vip_manager", _("VIP account manager")
    SUPPORT_ADMIN = "support_admin", _("Support admin")


class Team(models.Model):
    """A group of agents that owns conversations: general support, security, complaints
    and feedback, VIP account managers."""

    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    lead = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_led",
        help_text=_("Told when a conversation of the team breaches its SLA."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh_hans}"


class StaffMember(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_('e.g. ["zh-hans", "en"]')
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="personal")
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class UsedSignInToken(models.Model):
    """IDs of exchange sign-in tokens already used, so a token cannot be replayed."""

    token_id = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.token_id


class AuditEvent(models.Model):
    """Who looked at or changed customer data, and when."""

    actor = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.target_type} {self.target_id}"
