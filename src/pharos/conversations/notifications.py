"""Emails to customers about their conversations. Every one shows the customer's
anti-phishing code first and says what support never asks for, in their language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Conversation


def send_ticket_received(conversation_id: int) -> None:
    """Acknowledge a new ticket (run by the worker: tasks.ticket_opened)."""
    _send(conversation_id, "ticket_received")


def send_chat_transcript(conversation_id: int) -> None:
    """The chat's messages the customer saw (no internal notes), as the customer asked."""
    _send(conversation_id, "chat_transcript", with_messages=True)


def _send(conversation_id: int, template: str, *, with_messages: bool = False) -> None:
    conversation = Conversation.objects.select_related("customer__user").get(pk=conversation_id)
    customer = conversation.customer
    if customer is None or not customer.user.email:
        return
    language = conversation.language
    with translation.override(language):
        path = reverse("conversations:detail", kwargs={"reference": conversation.reference})
        context = {
            "conversation": conversation,
            "customer": customer,
            "brand": settings.PHAROS_BRAND,
            "link": settings.SITE_URL + path,
            "messages": (
                conversation.messages.filter(internal=False).order_by("sequence")
                if with_messages
                else []
            ),
        }
        subject = render_to_string(f"conversations/email/{template}_subject.txt", context)
        body = render_to_string(f"conversations/email/{template}.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[customer.user.email],
        headers={"Auto-Submitted": "auto-replied", "X-Pharos-Reference": conversation.reference},
    ).send()
