from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import services, two_factor
from .models import ApiToken, AuditEvent, Customer, StaffMember, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "preferred_language", "is_staff", "is_active"]
    search_fields = ["email", "display_name", "customer__uid"]
    list_filter = ["is_staff", "is_active", "preferred_language"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "preferred_language")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["uid", "user", "phone", "created_at"]
    search_fields = ["uid", "user__email", "phone"]
    readonly_fields = ["user", "uid", "phone", "anti_phishing_code", "created_at"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        customer = self.get_object(request, object_id)
        if customer is not None and self.has_view_permission(request, customer):
            services.record_audit_event(
                request.user,
                "viewed_customer",
                customer,
                detail={"via": "admin"},
                request=request,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        # The list shows emails and phones too: record who looked, and for what.
        if response.status_code == 200 and self.has_view_permission(request):
            services.record_audit_event(
                request.user,
                "listed_customers",
                Customer,
                detail={"via": "admin", "query": request.GET.urlencode()[:500]},
                request=request,
            )
        return response


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "lead"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "languages", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset the authenticator app (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[StaffMember]) -> None:
        for staff in queryset.select_related("user"):
            two_factor.reset(staff.user)
            services.record_audit_event(request.user, "reset_two_factor", staff, request=request)
        self.message_user(request, _("They set up their app again at their next sign-in."))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "actor__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
