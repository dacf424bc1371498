from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url as django_translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translate_url(context: dict[str, Any], language: str) -> str:
    """This page's address in `language` (the home page if it has no translation)."""
    request = context["request"]
    here = request.get_full_path()
    translated = django_translate_url(here, language)
    return translated if translated != here else f"/{language}/"
