"""Live chat's own state: whether each agent takes chats now, and how many at once. The
chats themselves are conversations (channel "chat") of the conversations app."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pharos.accounts.models import User


class Availability(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFFLINE = "offline", _("Offline")


class AgentPresence(models.Model):
    """An agent's chat availability, set by the agent (online / away) and by their
    connection (offline when the last console closes)."""

    agent = models.OneToOneField(User, on_delete=models.CASCADE, related_name="chat_presence")
    availability = models.CharField(
        max_length=10, choices=Availability.choices, default=Availability.OFFLINE
    )
    max_concurrent_chats = models.PositiveSmallIntegerField(
        _("most chats at once"), default=3, help_text=_("Routing gives no more than this.")
    )
    # Routing's tie-break between equally loaded agents: the one waiting longest.
    last_chat_assigned_at = models.DateTimeField(null=True, blank=True)
    # The console's socket says so every half minute: an agent whose console is closed
    # gets no chats even if they left themselves online.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agent chat presence")
        verbose_name_plural = _("agent chat presence")

    def __str__(self) -> str:
        return f"{self.agent}: {self.availability}"
