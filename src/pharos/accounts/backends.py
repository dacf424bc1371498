"""Authentication and role-based permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from .models import StaffRole, User

_EDIT = ("add", "change", "delete", "view")
_CONTENT_MODELS = ("article", "category", "tag", "announcement", "synonymgroup")
_BOT_KNOWLEDGE_MODELS = ("faqentry", "examplequestion")
_READ_HELP_CENTER = frozenset(["helpcenter.view_article", "helpcenter.view_announcement"])
_IMPOSTOR_REPORTS = ("trust.view_impostorreport", "trust.change_impostorreport")

# What each staff role may do, as Django permissions ("app.action_model"). Roles are code,
# not data, so a deployment cannot drift from what the tests check.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    StaffRole.SUPPORT_ADMIN: frozenset(
        [f"helpcenter.{action}_{model}" for action in _EDIT for model in _CONTENT_MODELS]
        + [
            "helpcenter.view_articlevote",
            "helpcenter.view_searchmiss",
            "helpcenter.delete_searchmiss",
            "accounts.view_customer",
            "accounts.view_staffmember",
            "accounts.change_staffmember",
            "accounts.view_team",
            "accounts.change_team",
            "conversations.view_topic",
            "conversations.change_topic",
            "conversations.view_conversation",
            *(f"conversations.{action}_cannedreply" for action in _EDIT),
            *(f"conversations.{action}_slapolicy" for action in _EDIT),
            "accounts.view_auditevent",
            *(f"bot.{action}_{model}" for action in _EDIT for model in _BOT_KNOWLEDGE_MODELS),
            "bot.view_botexchange",
            "bot.change_botexchange",  # the learning loop: attach or dismiss the bot's misses
            *(f"mail.{action}_mailbox" for action in ("add", "change", "view")),
            "mail.view_inboundmail",
            "mail.change_inboundmail",  # process a failed or held email again
            "mail.view_outboundmail",
            "mail.change_outboundmail",  # send a failed email again
            *(f"trust.{action}_officialchannel" for action in _EDIT),
            "trust.view_verificationcheck",
            *_IMPOSTOR_REPORTS,
            "trust.view_guardblock",  # every outgoing message the agent guard stopped
            "trust.view_accountfreeze",
        ]
    ),
    StaffRole.AGENT: _READ_HELP_CENTER,
    StaffRole.SECURITY_AGENT: _READ_HELP_CENTER
    | {*_IMPOSTOR_REPORTS, "trust.view_verificationcheck", "trust.view_accountfreeze"},
    StaffRole.VIP_MANAGER: _READ_HELP_CENTER,
}


class EmailOrUidBackend(ModelBackend):
    """Password sign-in with an email address or, for customers, the exchange UID."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        login = username.strip()
        user = (
            User.objects.filter(Q(email__iexact=login) | Q(customer__uid=login))
            .select_related(None)
            .first()
        )
        if user is None:
            # Spend the same time as a real check, so timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class RolePermissionBackend(ModelBackend):
    """Grants each staff member the permissions of their role."""

    def authenticate(self, *args: Any, **kwargs: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = getattr(user_obj, "_role_permissions", None)
        if cached is None:
            role = getattr(getattr(user_obj, "staff", None), "role", None)
            cached = set(ROLE_PERMISSIONS.get(role, frozenset())) if role else set()
            user_obj._role_permissions = cached
        return cached
