"""Email in the admin site: the mailboxes, every received email with the failed and held
ones to look at (and process again), and every email sent (a failed one can be sent
again). Opening a received email or its original is audited: it is customer data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pharos.accounts.services import record_audit_event

from . import outbound, services
from .models import InboundMail, InboundState, Mailbox, OutboundMail


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ["address", "purpose", "team", "active", "imap_host"]
    list_editable = ["active"]
    fieldsets = [
        (None, {"fields": ["address", "purpose", "team", "active", "position"]}),
        (_("On the contact page"), {"fields": ["description_en", "description_zh_hans"]}),
        (
            _("Polling a real mailbox (IMAP over TLS)"),
            {
                "fields": [
                    "imap_host", "imap_port", "imap_username", "imap_password_variable",
                    "imap_folder",
                ]
            },
        ),
    ]  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.forget_mailboxes()


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin[InboundMail]):
    list_display = [
        "received_at", "state", "mailbox", "from_address", "subject", "spoof_suspected",
        "conversation_link",
    ]  # fmt: skip
    list_filter = ["state", "mailbox", "source", "spoof_suspected", "automatic"]
    search_fields = ["from_address", "subject", "message_id", "envelope_sender"]
    date_hierarchy = "received_at"
    actions = ["process_again"]
    readonly_fields = [
        "received_at", "source", "mailbox", "state", "reason", "attempts", "message_id",
        "envelope_sender", "recipients", "peer", "from_address", "subject", "size",
        "spoof_suspected", "automatic", "conversation_link", "processed_at", "original",
    ]  # fmt: skip
    exclude = ["raw", "message_key", "conversation", "conversation_message"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("conversation"))
    def conversation_link(self, obj: InboundMail) -> str:
        if obj.conversation is None:
            return "—"
        url = reverse("console:conversation", args=[obj.conversation.reference])
        return format_html('<a href="{}">{}</a>', url, obj.conversation.reference)

    @admin.display(description=_("original email"))
    def original(self, obj: InboundMail) -> str:
        url = reverse("admin:mail_inboundmail_original", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download (.eml)"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/original/",
                self.admin_site.admin_view(self.download_original),
                name="mail_inboundmail_original",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        inbound = self.get_object(request, object_id)
        if inbound is not None:
            record_audit_event(request.user, "mail.viewed", inbound, request=request)
        return super().change_view(request, object_id, form_url, extra_context)

    def download_original(self, request: HttpRequest, pk: int) -> FileResponse:
        inbound = get_object_or_404(InboundMail, pk=pk)
        if not self.has_view_permission(request, inbound):
            raise PermissionDenied
        record_audit_event(request.user, "mail.original_downloaded", inbound, request=request)
        return FileResponse(
            inbound.raw.open("rb"),
            as_attachment=True,
            filename=f"email-{inbound.pk}.eml",
            content_type="message/rfc822",
        )

    def has_process_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mail.change_inboundmail")

    @admin.action(description=_("Process again (failed or held emails)"), permissions=["process"])
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundMail]) -> None:
        states = [InboundState.FAILED, InboundState.HELD]
        done = 0
        for inbound in queryset.filter(state__in=states):
            if services.retry(inbound).state == InboundState.PROCESSED:
                done += 1
        self.message_user(request, _("%(count)d processed.") % {"count": done}, messages.INFO)


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin[OutboundMail]):
    list_display = ["created_at", "kind", "to_address", "subject", "state", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_address", "subject", "message_id"]
    actions = ["send_again"]
    readonly_fields = [
        "created_at", "kind", "conversation", "conversation_message", "to_address",
        "message_id", "subject", "state", "error", "sent_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mail.change_outboundmail")

    @admin.action(description=_("Send again (failed or never sent)"), permissions=["send"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundMail]) -> None:
        sent = 0
        for mail in outbound.unsent(queryset):
            try:
                outbound.send(mail)
                sent += 1
            except Exception as failure:
                self.message_user(request, f"{mail}: {failure}", messages.ERROR)
        self.message_user(request, _("%(count)d sent.") % {"count": sent}, messages.INFO)
