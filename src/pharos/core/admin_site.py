"""The admin site: sign-in attempts are rate-limited like the public sign-in page, and
when staff two-factor sign-in is required, only sessions verified with an authenticator
code get in (accounts/two_factor.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pharos.accounts import two_factor

from .ratelimit import allow_request


class StaffSignInForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PharosAdminSite(admin.AdminSite):
    site_header = "Pharos"
    site_title = "Pharos"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return not two_factor.is_required() or two_factor.is_verified(request.user)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not allow_request("login", request):
            return HttpResponse(
                _("Too many sign-in attempts. Please wait a few minutes."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        if not two_factor.is_required():
            return super().login(request, extra_context)
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        form = StaffSignInForm(request, data=request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            user = form.get_user()
            if two_factor.confirmed_device(user) is None:
                # First sign-in since 2FA became required: set up the app, then come back.
                auth_login(request, user)
                setup = reverse("accounts:two-factor-setup")
                return redirect(f"{setup}?{REDIRECT_FIELD_NAME}={next_url}")
            token = form.cleaned_data["otp_token"]
            if not token:
                form.add_error(
                    "otp_token", _("Enter the 6-digit code from your authenticator app.")
                )
            elif (device := two_factor.verify_sign_in(user, token)) is not None:
                auth_login(request, user)
                two_factor.mark_verified(request, device)
                return redirect(next_url)
            else:
                form.add_error(
                    "otp_token", _("That code is not right, or too many tries were made.")
                )
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "form": form,
            "next": next_url,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/pharos_login.html", context)
