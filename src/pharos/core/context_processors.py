from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    language = translation.get_language() or "en"
    brand = settings.PHAROS_BRAND
    return {
        "brand": brand,
        "brand_name": brand["name_zh"] if language.startswith("zh") else brand["name"],
        "current_language": language,
        "other_language": "en" if language.startswith("zh") else "zh-hans",
        # Called only when the footer is rendered (it is cached): no query on most pages.
        "footer_mailboxes": _active_mailboxes,
    }


def _active_mailboxes() -> list[Any]:
    from pharos.mail.services import active_mailboxes

    return active_mailboxes()
