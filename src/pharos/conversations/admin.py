from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from pharos.trust import screening as trust

from .models import CannedReply, Conversation, SlaPolicy, Topic


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["topic", "priority", "first_response_minutes", "resolution_minutes"]


class CannedReplyForm(forms.ModelForm[CannedReply]):
    """A canned reply passes the agent guard in both languages before it is saved: one
    that asks for a secret would be sent by every agent who uses it."""

    author: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for field in ("body_en", "body_zh_hans"):
            try:
                trust.check_outgoing(cleaned.get(field) or "", source="canned", author=self.author)
            except trust.Refused as refused:
                self.add_error(field, str(refused))
        return cleaned


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "team"]
    list_filter = ["team"]
    form = CannedReplyForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change, **kwargs)
        form.author = request.user  # whose attempt the guard's log names
        return form


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "default_team", "urgent", "position"]
    list_editable = ["default_team", "urgent", "position"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """A read-only overview for admins; agents work in the console, through the services."""

    list_display = [
        "reference",
        "subject",
        "channel",
        "status",
        "priority",
        "team",
        "assignee",
        "updated_at",
    ]
    list_filter = ["status", "channel", "priority", "team"]
    search_fields = ["reference", "subject", "customer__uid"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
