from __future__ import annotations

from django.contrib import admin

from .models import CannedReply, Conversation, SlaPolicy, Topic


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["topic", "priority", "first_response_minutes", "resolution_minutes"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "team"]
    list_filter = ["team"]


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
