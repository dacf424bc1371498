"""Filling in canned replies: {customer_name}, {reference}, {uid}, {article:slug}."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from pharos.accounts.models import User

from .models import CannedReply, Conversation

_VARIABLE = re.compile(r"\{(customer_name|reference|uid|article:[a-z0-9-]+)\}")


def replies_for(user: User) -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(Q(team__isnull=True) | Q(team__members__user=user)).distinct()


def fill(reply: CannedReply, conversation: Conversation) -> str:
    """The reply in the conversation's language with its variables filled in."""
    language = conversation.language
    text = reply.body_zh_hans if language == "zh-hans" else reply.body_en
    customer = conversation.customer

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "customer_name":
            return str(customer.user) if customer else ""
        if name == "reference":
            return conversation.reference
        if name == "uid":
            return customer.uid if customer else ""
        slug = name.removeprefix("article:")
        with translation.override(language):
            try:
                return settings.SITE_URL + reverse("helpcenter:article", kwargs={"slug": slug})
            except NoReverseMatch:
                return match.group(0)

    return _VARIABLE.sub(value, text)
