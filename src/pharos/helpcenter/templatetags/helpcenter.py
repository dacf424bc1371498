from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def localized(obj: Any, name: str) -> str:
    """`{{ article|localized:"title" }}`: the field in the page's language."""
    return str(obj.localized(name, translation.get_language() or "en"))


@register.filter
def localized_html(obj: Any, name: str) -> SafeString:
    """Stored HTML that services sanitised when it was saved (e.g. body_html)."""
    return mark_safe(obj.localized(name, translation.get_language() or "en"))  # noqa: S308


@register.filter
def marked(value: str) -> SafeString:
    """Search highlights: the engine escaped the text and added only <mark> tags."""
    return mark_safe(value)  # noqa: S308
