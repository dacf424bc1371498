"""Background work of email (django-tasks): processing each stored message, and sending."""

from __future__ import annotations

from django_tasks import task


@task()
def process_inbound_mail(inbound_id: int) -> None:
    from . import services

    services.process(inbound_id)


@task()
def send_acknowledgement(conversation_id: int) -> None:
    from . import outbound

    outbound.send_acknowledgement(conversation_id)


@task()
def deliver_agent_message(message_id: int) -> None:
    """An agent's answer in an email conversation (settings.CONVERSATION_DELIVERY_TASKS)."""
    from . import outbound

    outbound.deliver_agent_message(message_id)
