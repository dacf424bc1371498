"""`{{ body|readable_markers }}`: where a secret was removed, the customer reads it in
words of their language ("[password removed]"), not the stored marker."""

from __future__ import annotations

from django import template

from pharos.trust.screening import readable_markers as _readable_markers

register = template.Library()


@register.filter
def readable_markers(text: str) -> str:
    return _readable_markers(str(text))
