"""The trust filter on the one path every message takes: secrets customers paste are
removed before anything is stored (and the customer warned, the security team told), and
outgoing text that asks for what support never asks for is stopped (and logged for
admins). conversations.services calls these; they only write through
conversations.writing, so that the two never import each other's services."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pharos.accounts.models import User
from pharos.conversations.errors import ConversationError
from pharos.conversations.models import AuthorKind, Conversation
from pharos.conversations.writing import append_message, system_note

from . import guard, redaction
from .models import GuardBlock

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Screened = TypeVar("Screened", bound="DataclassInstance")

# --- secrets customers paste ---------------------------------------------------------------------
SECURITY_TAGS = ("secret-shared", "security-review")
SECRET_NAMES = {
    "seed_phrase": gettext_lazy("seed phrase"),
    "private_key": gettext_lazy("private key"),
    "api_secret": gettext_lazy("API secret"),
    "password": gettext_lazy("password"),
    "one_time_code": gettext_lazy("verification code"),
    "card_number": gettext_lazy("card number"),
}
SECRET_ADVICE = {
    "seed_phrase": gettext_lazy(
        "Anyone who has your seed phrase can take everything in that wallet. If you have "
        "typed it anywhere else, create a new wallet yourself and move your funds to it now."
    ),
    "private_key": gettext_lazy(
        "Anyone who has a private key can spend from that address. If you have shared it "
        "anywhere else, move the funds to a new address of your own now."
    ),
    "api_secret": gettext_lazy(
        "Delete that API key in your account settings and create a new one: the secret "
        "lets anyone trade with your account."
    ),
    "password": gettext_lazy(
        "Change your password on the sign-in page now, and use it nowhere else."
    ),
    "one_time_code": gettext_lazy(
        "Codes are for you alone, typed into our app or website, never given to a person. "
        "If you did not ask for that code, change your password now."
    ),
    "card_number": gettext_lazy(
        "If you gave that card number to anyone else, ask your bank to block the card."
    ),
}


def screen_customer_text(text: str) -> redaction.Redaction:
    """Customer text with any secret replaced by a marker of its kind: what is stored,
    shown, indexed, emailed and logged from then on."""
    return redaction.redact(text)


def screen_fields(record: Screened, *names: str) -> tuple[Screened, tuple[str, ...]]:
    """A copy of the dataclass `record` with the text of each named field screened (an
    empty or missing field stays as it is), and the kinds of secret removed, each once."""
    found: list[str] = []
    changes: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if value:
            redacted = screen_customer_text(value)
            found.extend(redacted.kinds)
            changes[name] = redacted.text
    return dataclasses.replace(record, **changes), tuple(dict.fromkeys(found))


def secrets_removed(conversation: Conversation, kinds: tuple[str, ...]) -> None:
    """Call in the transaction that stored a customer's message from which secrets were
    removed: the conversation is flagged for the security team (tags and a note), and
    the customer is warned at once, in their language, by the bot."""
    if not kinds:
        return
    # The stored tags, not the caller's copy: an agent may have changed them meanwhile.
    tags = Conversation.objects.values_list("tags", flat=True).get(pk=conversation.pk)
    missing = [tag for tag in SECURITY_TAGS if tag not in tags]
    if missing:
        conversation.tags = [*tags, *missing]
        Conversation.objects.filter(pk=conversation.pk).update(tags=conversation.tags)
    with translation.override("en"):
        names = ", ".join(str(SECRET_NAMES[kind]) for kind in kinds)
    system_note(
        conversation,
        f"Security: the customer's message contained a {names}. It was removed before it "
        "was stored or shown; the customer was warned. Check the account for activity "
        "they did not make.",
    )
    with translation.override(conversation.language):
        append_message(
            conversation,
            AuthorKind.BOT,
            None,
            secret_warning(kinds),
            payload={"warning": "secret_removed", "kinds": list(kinds)},
        )


def removed_label(kind: str) -> str:
    """What a customer reads where a secret was removed, in the active language."""
    return _("[%(secret)s removed]") % {"secret": SECRET_NAMES[kind]}


def readable_markers(text: str) -> str:
    """Stored text as a customer reads it: each marker in words of their language."""
    return redaction.MARKER.sub(lambda found: removed_label(found.group(1)), text)


def secret_warning(kinds: tuple[str, ...]) -> str:
    """The warning to the customer, in the active language."""
    names = _(", ").join(str(SECRET_NAMES[kind]) for kind in kinds)
    lines = [
        _(
            "For your safety we removed your %(secrets)s from your message before anyone "
            "could see it. Our staff will never ask for it."
        )
        % {"secrets": names},
        *(str(SECRET_ADVICE[kind]) for kind in kinds),
    ]
    return "\n\n".join(lines)


# --- the agent guard -----------------------------------------------------------------------------
class Refused(ConversationError):
    """Outgoing text that asks the customer for something support never asks for."""

    def __init__(self, verdict: guard.GuardVerdict) -> None:
        self.verdict = verdict
        super().__init__(explain(verdict))


def explain(verdict: guard.GuardVerdict, language: str | None = None) -> str:
    """Why it was stopped, in the agent's language (both languages exist for every reason)."""
    chinese = (language or get_language() or "en").startswith("zh")
    reasons = [guard.EXPLANATIONS[reason][1 if chinese else 0] for reason in verdict.reasons]
    with translation.override("zh-hans" if chinese else "en"):
        heading = _("This message was not sent.")
    return " ".join([heading, *reasons])


def check_outgoing(
    text: str,
    *,
    source: str,
    author: User | None = None,
    conversation: Conversation | None = None,
) -> None:
    """Raise Refused (and log the block for admins) if `text` asks for a password, seed
    phrase, private key, a code, remote access or a transfer."""
    verdict = guard.check_outgoing(text)
    if not verdict.blocked:
        return
    GuardBlock.objects.create(
        source=source,
        author=author,
        conversation=conversation,
        text=text[:10000],
        excerpt=verdict.excerpt[:2000],
        reasons=list(verdict.reasons),
    )
    raise Refused(verdict)
