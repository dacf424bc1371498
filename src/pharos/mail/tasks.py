"""Background work of email (django-tasks): the intake of stored messages, and sending."""

from __future__ import annotations

from django_tasks import task


@task()
def process_waiting_mail() -> int:
    """Queued when a message is stored and none was waiting; takes all that wait."""
    from . import services

    return services.process_waiting()


@task()
def send_recorded_mail(outbound_id: int) -> None:
    """An acknowledgement or warning whose first try failed."""
    from . import outbound
    from .models import OutboundMail

    outbound.send(OutboundMail.objects.select_related("conversation").get(pk=outbound_id))


@task()
def deliver_agent_message(message_id: int) -> None:
    """An agent's answer in an email conversation (settings.CONVERSATION_DELIVERY_TASKS)."""
    from . import outbound

    outbound.deliver_agent_message(message_id)
