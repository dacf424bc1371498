from __future__ import annotations

from django.contrib import admin

from .models import AgentPresence


@admin.register(AgentPresence)
class AgentPresenceAdmin(admin.ModelAdmin):
    list_display = ["agent", "availability", "max_concurrent_chats", "last_chat_assigned_at"]
    list_filter = ["availability"]
    list_editable = ["max_concurrent_chats"]
