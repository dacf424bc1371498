"""What agents and customers do to a conversation once it exists: assignment, hand-off
from the bot, transfer, status, priority, tags, merging; the customer closing and
rating it. Each checks who may do it, changes the conversation under its lock, and
leaves an audit entry or a note."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pharos.accounts import services as accounts
from pharos.accounts.models import Customer, Team, User
from pharos.core.tasks import enqueue_with_transaction
from pharos.trust import screening as trust

from . import sla, tasks
from .access import require_visible
from .errors import ConversationError, ConversationNotFound
from .models import Channel, Conversation, Priority, Status
from .writing import (
    announce_change,
    append_message,
    assign_to,
    audit,
    lock,
    set_status,
    system_note,
)


# --- agents' actions -----------------------------------------------------------------------------
def assign(conversation: Conversation, assignee: User | None, by: User) -> Conversation:
    """Give the conversation to an agent (None: back to the team's queue)."""
    require_visible(by, conversation)
    if assignee is not None and accounts.staff_role(assignee) is None:
        raise ConversationError(_("Only staff can be assigned a conversation."))
    with transaction.atomic():
        locked = lock(conversation)
        assign_to(locked, assignee, by)
    conversation.refresh_from_db()
    return conversation


def hand_off_to_people(
    conversation: Conversation, reason: str, vip_tier: int = 0, urgent_team: Team | None = None
) -> Conversation:
    """The bot gives a chat to the people: it joins its team's queue (urgent first, then
    higher VIP tiers, then by the time it joined). An urgent chat goes to `urgent_team`
    at top priority. A chat already with the people is left as it is."""
    with transaction.atomic():
        locked = lock(conversation)
        if locked.status == Status.BOT:
            locked.queued_at = timezone.now()
            locked.vip_tier = vip_tier
            fields = ["queued_at", "vip_tier", "updated_at"]
            if urgent_team is not None:
                if locked.priority != Priority.URGENT:
                    locked.priority = Priority.URGENT
                    sla.apply_targets(locked)
                locked.team = urgent_team
                fields += ["priority", "team"]
            locked.save(update_fields=fields)
            set_status(locked, Status.QUEUED, None, reason=reason)
    conversation.refresh_from_db()
    return conversation


def assign_by_routing(conversation: Conversation, agent: User) -> bool:
    """Give a queued, unassigned chat to `agent` (chosen by routing). False when someone
    else took it first. Call inside the transaction that checked the agent's capacity."""
    locked = lock(conversation)
    if locked.status != Status.QUEUED or locked.assignee_id is not None:
        return False
    locked.assignee = agent
    locked.save(update_fields=["assignee", "updated_at"])
    announce_change(locked, "assignee")
    set_status(locked, Status.ASSIGNED, None, reason="routed")
    system_note(locked, f"Routed to {agent}.")
    audit(None, "routed", locked, {"to": str(agent)})
    conversation.refresh_from_db()
    return True


def leave_chat_as_ticket(conversation: Conversation, customer: Customer) -> Conversation:
    """Nobody can take the chat soon: the customer leaves their message instead. The chat
    leaves the live queue and becomes a ticket in their requests, with its service levels
    and the acknowledgement email."""
    if conversation.customer_id != customer.pk:
        raise ConversationNotFound(conversation.reference)
    with transaction.atomic():
        locked = lock(conversation)
        if locked.channel != Channel.CHAT or locked.status not in {Status.BOT, Status.QUEUED}:
            raise ConversationError(_("This chat is already with a person."))
        locked.channel = Channel.WEB
        locked.save(update_fields=["channel", "updated_at"])
        announce_change(locked, "channel")
        if locked.status == Status.BOT:
            set_status(locked, Status.QUEUED, None, reason="left as a message")
        system_note(locked, "The customer left the chat as a message (now a ticket).")
        # Due times from now on, as for a new ticket; ticket_opened queues the first check.
        sla.set_due_times(locked, start=timezone.now())
        locked.save(
            update_fields=[
                "first_response_due_at", "resolution_due_at", "sla_warned", "sla_next_check_at",
            ]
        )  # fmt: skip
        enqueue_with_transaction(tasks.ticket_opened, locked.pk)
    conversation.refresh_from_db()
    return conversation


def email_transcript(conversation: Conversation, customer: Customer) -> None:
    """Send the customer the chat's transcript (from the worker, after this commits)."""
    if conversation.customer_id != customer.pk:
        raise ConversationNotFound(conversation.reference)
    with transaction.atomic():
        enqueue_with_transaction(tasks.send_chat_transcript, conversation.pk)


def transfer_to_team(conversation: Conversation, team: Team, by: User) -> Conversation:
    """Hand the conversation to another team's queue."""
    require_visible(by, conversation)
    with transaction.atomic():
        locked = lock(conversation)
        if locked.team_id == team.pk:
            return locked
        previous = locked.team
        locked.team = team
        locked.assignee = None
        if locked.is_open and locked.status != Status.BOT:
            locked.status = Status.QUEUED
        locked.save(update_fields=["team", "assignee", "status", "updated_at"])
        system_note(locked, f"Transferred from {previous.slug} to {team.slug} by {by}.")
        announce_change(locked, "team", "assignee", "status")
        audit(by, "transferred", locked, {"from": previous.slug, "to": team.slug})
    conversation.refresh_from_db()
    return conversation


def change_status(conversation: Conversation, status: str, by: User) -> Conversation:
    require_visible(by, conversation)
    if status not in Status.values:
        raise ConversationError(_("Unknown status."))
    with transaction.atomic():
        set_status(lock(conversation), status, by)
    conversation.refresh_from_db()
    return conversation


def change_priority(conversation: Conversation, priority: int, by: User) -> Conversation:
    require_visible(by, conversation)
    if priority not in Priority.values:
        raise ConversationError(_("Unknown priority."))
    with transaction.atomic():
        locked = lock(conversation)
        if locked.priority != priority:
            audit(by, "changed_priority", locked, {"from": locked.priority, "to": priority})
            locked.priority = priority
            locked.save(update_fields=["priority", "updated_at"])
            sla.apply_targets(locked)
            announce_change(locked, "priority")
    conversation.refresh_from_db()
    return conversation


def set_tags(conversation: Conversation, tags: Sequence[str], by: User) -> Conversation:
    require_visible(by, conversation)
    cleaned = sorted({tag.strip().lower()[:40] for tag in tags if tag.strip()})[:20]
    Conversation.objects.filter(pk=conversation.pk).update(tags=cleaned, updated_at=timezone.now())
    conversation.refresh_from_db()
    return conversation


def merge(duplicate: Conversation, into: Conversation, by: User) -> Conversation:
    """Fold a duplicate into another conversation of the same customer: its messages are
    copied across (marked as merged), and the duplicate is closed and points to the other."""
    require_visible(by, duplicate)
    require_visible(by, into)
    if duplicate.pk == into.pk:
        raise ConversationError(_("A conversation cannot be merged into itself."))
    if duplicate.customer_id != into.customer_id:
        raise ConversationError(_("Only conversations of the same customer can be merged."))
    if into.merged_into_id is not None:
        raise ConversationError(_("That conversation was itself merged; merge into its target."))
    with transaction.atomic():
        target = lock(into)
        source = lock(duplicate)
        for message in source.messages.order_by("sequence"):
            copy = append_message(
                target,
                message.author_kind,
                message.author,
                message.body,
                internal=message.internal,
                created_at=message.created_at,
            )
            source.attachments.filter(message=message).update(conversation=target, message=copy)
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        set_status(
            source,
            Status.CLOSED,
            by,
            reason=format_lazy(gettext_lazy("merged into {reference}"), reference=target.reference),
        )
        system_note(target, f"{source.reference} was merged into this conversation by {by}.")
        audit(by, "merged", source, {"into": target.reference})
    into.refresh_from_db()
    return into


# --- the customer's actions ----------------------------------------------------------------------
SOLVED_BY_BOT_TAG = "solved-by-bot"


def close_by_customer(
    conversation: Conversation, customer: Customer, *, solved_by_bot: bool = False
) -> Conversation:
    """The customer is done. `solved_by_bot`: they said the bot's answer solved it (the
    tag counts the chats the bot resolved alone)."""
    if conversation.customer_id != customer.pk:
        raise ConversationNotFound(conversation.reference)
    with transaction.atomic():
        locked = lock(conversation)
        if solved_by_bot:
            locked.tags = sorted({*locked.tags, SOLVED_BY_BOT_TAG})
            locked.save(update_fields=["tags", "updated_at"])
        reason = (
            gettext_lazy("solved by the bot")
            if solved_by_bot
            else gettext_lazy("closed by customer")
        )
        set_status(locked, Status.CLOSED, customer.user, reason=reason)
    conversation.refresh_from_db()
    return conversation


def rate(conversation: Conversation, customer: Customer, rating: int, comment: str = "") -> None:
    """The customer's satisfaction rating, once the conversation is resolved or closed."""
    if conversation.customer_id != customer.pk:
        raise ConversationNotFound(conversation.reference)
    if conversation.status not in {Status.RESOLVED, Status.CLOSED}:
        raise ConversationError(_("You can rate the service once your request is resolved."))
    if not 1 <= rating <= 5:
        raise ConversationError(_("Choose a rating from 1 to 5."))
    comment = trust.screen_customer_text(comment.strip()[:2000]).text
    Conversation.objects.filter(pk=conversation.pk).update(rating=rating, rating_comment=comment)
    conversation.refresh_from_db()
