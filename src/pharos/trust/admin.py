"""Trust and safety in the admin site: the registry of official channels (what the public
list and every verdict come from), the checks people ran, the impostors they reported,
and every outgoing message the agent guard stopped."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AccountFreeze, GuardBlock, ImpostorReport, OfficialChannel, VerificationCheck


@admin.register(OfficialChannel)
class OfficialChannelAdmin(admin.ModelAdmin[OfficialChannel]):
    list_display = ["kind", "value", "description_en", "active", "position"]
    list_filter = ["kind", "active"]
    list_editable = ["active", "position"]
    search_fields = ["value", "description_en", "description_zh_hans"]
    readonly_fields = ["created_at"]

    def save_model(
        self, request: HttpRequest, obj: OfficialChannel, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        services.forget_official_channels()

    def delete_model(self, request: HttpRequest, obj: OfficialChannel) -> None:
        super().delete_model(request, obj)
        services.forget_official_channels()


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records of what happened: looked at, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VerificationCheck)
class VerificationCheckAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "value", "verdict", "channel", "source"]
    list_filter = ["verdict", "source", "kind"]
    search_fields = ["value", "normalised"]
    date_hierarchy = "created_at"


@admin.register(ImpostorReport)
class ImpostorReportAdmin(admin.ModelAdmin[ImpostorReport]):
    list_display = ["last_reported_at", "value", "verdict", "imitated", "times_reported", "state"]
    list_filter = ["state", "verdict"]
    list_editable = ["state"]
    search_fields = ["value", "where_seen", "details"]
    readonly_fields = [
        "value", "verdict", "imitated", "where_seen", "details", "reporter", "times_reported",
        "created_at", "last_reported_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(GuardBlock)
class GuardBlockAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "author", "conversation", "reason_list", "excerpt"]
    list_filter = ["source"]
    search_fields = ["text", "author__email"]
    date_hierarchy = "created_at"

    @admin.display(description=_("why"))
    def reason_list(self, block: GuardBlock) -> str:
        return ", ".join(block.reasons)


@admin.register(AccountFreeze)
class AccountFreezeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "uid", "source", "confirmed_by_exchange", "conversation"]
    list_filter = ["confirmed_by_exchange", "source"]
    search_fields = ["uid"]
    date_hierarchy = "created_at"
