"""Who may see which conversations: customers their own, staff their teams' (support
admins all). Every read and every change starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pharos.accounts import services as accounts
from pharos.accounts.models import Customer, StaffRole, Team, User

from .errors import ConversationNotFound
from .models import Conversation

# Staff who see every conversation, whatever their teams.
ALL_CONVERSATIONS_ROLES = {StaffRole.SUPPORT_ADMIN}


def conversations_of_customer(customer: Customer) -> QuerySet[Conversation]:
    return Conversation.objects.filter(customer=customer, merged_into__isnull=True)


def conversation_for_customer(customer: Customer, reference: str) -> Conversation:
    """The customer's own conversation; anyone else's is reported as not existing."""
    try:
        return Conversation.objects.select_related("topic", "team").get(
            reference=reference, customer=customer
        )
    except Conversation.DoesNotExist as missing:
        raise ConversationNotFound(reference) from missing


def conversations_visible_to_staff(user: User) -> QuerySet[Conversation]:
    """Admins see all; other staff their teams' conversations and those assigned to them."""
    role = accounts.staff_role(user)
    if role is None:
        return Conversation.objects.none()
    if role in ALL_CONVERSATIONS_ROLES:
        return Conversation.objects.all()
    # A subquery, not a join: joining team members repeats each conversation once per
    # member, and the DISTINCT that removes the copies has to compare whole rows.
    return Conversation.objects.filter(Q(team__in=_teams_of(user)) | Q(assignee=user))


def _teams_of(user: User) -> QuerySet[Team]:
    return Team.objects.filter(members__user=user)


def conversation_for_staff(user: User, reference: str) -> Conversation:
    try:
        return (
            conversations_visible_to_staff(user)
            .select_related("topic", "team", "customer__user", "assignee")
            .get(reference=reference)
        )
    except Conversation.DoesNotExist as missing:
        raise ConversationNotFound(reference) from missing


def require_visible(user: User, conversation: Conversation) -> None:
    """Raise ConversationNotFound unless staff `user` may see the conversation."""
    if not conversations_visible_to_staff(user).filter(pk=conversation.pk).exists():
        raise ConversationNotFound(conversation.reference)
