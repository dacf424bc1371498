from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import services


def help_center(request: HttpRequest) -> dict[str, Any]:
    """The category menu and the banner of active announcements, shown on every page."""
    return {
        "navigation_categories": services.navigation_categories(),
        "banner_announcements": services.banner_announcements(),
    }
