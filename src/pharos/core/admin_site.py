"""The admin site, with sign-in attempts rate-limited like the public sign-in page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .ratelimit import allow_request


class PharosAdminSite(admin.AdminSite):
    site_header = "Pharos"
    site_title = "Pharos"

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not allow_request("login", request):
            return HttpResponse(
                _("Too many sign-in attempts. Please wait a few minutes."),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
        return super().login(request, extra_context)
