"""Trust and safety actions: checking a value against the official channels (logged),
reporting an impostor, and stopping outgoing text that asks for what support never asks
for (logged for admins)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pharos.accounts.models import Customer, Team, User
from pharos.accounts.services import record_audit_event
from pharos.conversations.errors import ConversationError
from pharos.conversations.models import AuthorKind, Channel, Conversation, Priority, Status
from pharos.conversations.services import InboundMessage, open_from_channel
from pharos.conversations.writing import append_message, system_note
from pharos.exchange.gateway import ExchangeError, get_gateway

from . import lookalike
from .models import AccountFreeze, ImpostorReport, OfficialChannel, Verdict, VerificationCheck
from .screening import SECURITY_TAGS, screen_customer_text

SECURITY_TEAM = "security"
_FREEZE_SESSION_KEY = "trust:freeze_confirmation"
_FREEZE_USED_KEY = "trust:freeze-used:"
REGISTRY_CACHE_SECONDS = 60
MAX_REPORT_DETAILS = 2000
MAX_VALUE = 4096  # a phishing link with its tracking query (the host is read first)


# --- the registry --------------------------------------------------------------------------------
def official_channels() -> list[OfficialChannel]:
    """The listed official channels, cached for a minute (every check reads them)."""
    channels: list[OfficialChannel] | None = cache.get("trust:official")
    if channels is None:
        channels = list(OfficialChannel.objects.filter(active=True))
        cache.set("trust:official", channels, REGISTRY_CACHE_SECONDS)
    return channels


def forget_official_channels() -> None:
    cache.delete("trust:official")


# --- "is this official?" -------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    value: str
    verdict: str
    kind: str
    normalised: str
    channel: OfficialChannel | None  # official: the one matched; lookalike: the one imitated
    reasons: tuple[str, ...]


def verify(value: str, *, source: str, user: User | None = None) -> Check:
    """The verdict on `value`, logged (VerificationCheck) for the security team."""
    channels = official_channels()
    by_pk = {channel.pk: channel for channel in channels}
    found = lookalike.verify(
        value,
        [lookalike.OfficialValue(kind=c.kind, value=c.value, key=c.pk) for c in channels],
    )
    channel = by_pk.get(found.channel.key) if found.channel is not None else None  # type: ignore[call-overload]
    check = Check(
        value=value[: lookalike.MAX_INPUT],
        verdict=found.verdict,
        kind=found.kind,
        normalised=found.normalised[:512],
        channel=channel,
        reasons=tuple(found.reasons),
    )
    VerificationCheck.objects.create(
        value=check.value,
        kind=check.kind,
        normalised=check.normalised,
        verdict=check.verdict,
        channel=channel,
        reasons=list(check.reasons),
        source=source,
        user=user if user is not None and user.is_authenticated else None,
    )
    return check


def verify_in_text(text: str, *, source: str, user: User | None = None) -> list[Check]:
    """Every value worth checking in a question ("is @tidewell_help real?")."""
    return [verify(value, source=source, user=user) for value in lookalike.candidates_in_text(text)]


REASON_LABELS = {
    "homoglyph": gettext_lazy(
        "uses characters that look like ours (0 for o, l for 1, Cyrillic letters)"
    ),
    "swapped_characters": gettext_lazy("has two letters swapped"),
    "added_letters": gettext_lazy("has letters added"),
    "dropped_letters": gettext_lazy("has letters missing"),
    "extra_words": gettext_lazy("adds words such as support, help or official"),
    "other_tld": gettext_lazy("uses another domain ending"),
    "subdomain_of_other_domain": gettext_lazy("puts our name in front of someone else's domain"),
    "punycode": gettext_lazy("is written with look-alike international characters"),
    "mixed_scripts": gettext_lazy("mixes alphabets"),
    "official_name_in_path": gettext_lazy("puts our name in the path of someone else's website"),
    "changed_letters": gettext_lazy("has letters changed"),
    "official_name": gettext_lazy("uses our name for an account that is not ours"),
    "official_name_in_local_part": gettext_lazy(
        "uses our name in an address at someone else's email service"
    ),
    "official_name_in_userinfo": gettext_lazy(
        "puts our name before an @ in a link that really goes to someone else's website"
    ),
    "other_platform": gettext_lazy("copies our account's name on another platform"),
}


def reason_label(reason: str) -> str:
    """Why a value is a look-alike, in words (the active language)."""
    label = REASON_LABELS.get(reason)
    return str(label) if label is not None else reason.replace("_", " ")


_ASKS_IF_OFFICIAL = re.compile(
    r"\b(official|real|legit|legitimate|genuine|fake|scam|scammer|trust|verify|authentic|"
    r"impostor|phishing|yours)\b|官方|真的|真假|是不是|假的|骗|可信|认证|正规|钓鱼",
    re.IGNORECASE,
)


def checks_asked_in_chat(question: str, *, user: User | None = None) -> list[Check]:
    """The chat bot's "is this official?" intent: the values a question asks about, each
    checked (and logged). Empty when the question is not about whether something is ours."""
    values = lookalike.candidates_in_text(question)
    if not values:
        return []
    rest = question
    for value in values:
        rest = rest.replace(value, " ")
    asked = _ASKS_IF_OFFICIAL.search(question) or not re.sub(r"[\W_]+", "", rest)
    if not asked:
        return []
    return [verify(value, source=VerificationCheck.Source.BOT, user=user) for value in values[:3]]


def describe_check(check: Check) -> str:
    """One verdict in a sentence, for the chat (the active language)."""
    if check.verdict == Verdict.OFFICIAL and check.channel is not None:
        return _("Yes, %(value)s is official: our %(kind)s.") % {
            "value": check.value,
            "kind": check.channel.get_kind_display().lower(),
        }
    if check.verdict == Verdict.LOOKALIKE and check.channel is not None:
        return _(
            "No: %(value)s is NOT ours. It imitates our %(kind)s %(official)s. Do not send "
            "it money, codes or passwords, and please report it."
        ) % {
            "value": check.value,
            "kind": check.channel.get_kind_display().lower(),
            "official": check.channel.value,
        }
    return _(
        "No: %(value)s is not one of our official channels. Do not send it money, codes or "
        "passwords."
    ) % {"value": check.value}


class NothingToReport(ValueError):
    """The value reported is one of ours, or empty."""


def report_impostor(
    value: str, *, where_seen: str = "", details: str = "", reporter: User | None = None
) -> ImpostorReport:
    """A user reports an impostor in one step, from a verdict. The verdict is worked out
    again here (never taken from the request); reporting the same value again counts."""
    value = " ".join(value.split())
    if not value:
        raise NothingToReport(_("Give the account, address or website you want to report."))
    found = verify(value, source=VerificationCheck.Source.PAGE, user=reporter)
    if found.verdict == Verdict.OFFICIAL:
        raise NothingToReport(_("That is one of our official channels, not an impostor."))
    reporter = reporter if reporter is not None and reporter.is_authenticated else None
    key = found.normalised or value.lower()
    with transaction.atomic():
        report, created = ImpostorReport.objects.get_or_create(
            value=key,
            defaults={
                "verdict": found.verdict,
                "imitated": found.channel,
                # A victim may paste what the impostor asked for: never stored.
                "where_seen": screen_customer_text(where_seen[:200]).text,
                "details": screen_customer_text(details[:MAX_REPORT_DETAILS]).text,
                "reporter": reporter,
            },
        )
        if not created:
            ImpostorReport.objects.filter(pk=report.pk).update(
                times_reported=F("times_reported") + 1, last_reported_at=timezone.now()
            )
            report.refresh_from_db()
    return report


# --- the emergency freeze ------------------------------------------------------------------------
FREEZE_TAG = "account-frozen"
FREEZE_CONFIRMATION_SECONDS = 300


class FreezeNotConfirmed(ConversationError):
    """A freeze asked for without a fresh confirmation (or with one used before)."""


def freeze_confirmation(session: SessionBase) -> str:
    """The first click: a one-time confirmation for the second, valid for five minutes
    in this session only (a link or a replayed form cannot freeze an account)."""
    token = secrets.token_urlsafe(24)
    session[_FREEZE_SESSION_KEY] = {"token": token, "issued": time.time()}
    return token


def freeze_account(
    customer: Customer, *, session: SessionBase, confirmation: str, source: str = "page"
) -> AccountFreeze:
    """The second click: freeze the account through the exchange at once, open (or
    reuse) a top-priority conversation with the security team, and tell the customer
    what happens next. If the exchange does not answer, the security team is told to
    freeze it by hand, now."""
    issued = session.pop(_FREEZE_SESSION_KEY, None)
    fresh = (
        isinstance(issued, dict)
        and secrets.compare_digest(str(issued.get("token", "")), confirmation or "")
        and time.time() - float(issued.get("issued", 0)) < FREEZE_CONFIRMATION_SECONDS
    )
    # The session is saved only after the response, so a double click would find the
    # token in both requests: the shared cache lets exactly one of them use it.
    if not fresh or not cache.add(
        _FREEZE_USED_KEY + hashlib.sha256(confirmation.encode()).hexdigest(),
        True,
        FREEZE_CONFIRMATION_SECONDS,
    ):
        raise FreezeNotConfirmed(
            _("Please confirm again: the confirmation was missing, used or too old.")
        )
    confirmed, error = True, ""
    try:
        get_gateway().freeze_account(
            customer.uid,
            reason="Frozen by the owner: suspected theft",
            requested_by=f"customer {customer.uid} (Pharos)",
        )
    except ExchangeError as failure:
        confirmed, error = False, f"{type(failure).__name__}: {failure}"
    with transaction.atomic():
        # One freeze conversation per customer, whatever arrives at the same moment.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        conversation = _freeze_conversation(customer, confirmed, error)
        freeze = AccountFreeze.objects.create(
            customer=customer,
            uid=customer.uid,
            conversation=conversation,
            source=source if source in AccountFreeze.Source.values else AccountFreeze.Source.PAGE,
            confirmed_by_exchange=confirmed,
            exchange_error=error[:2000],
        )
        record_audit_event(
            customer.user,
            "trust.account_frozen",
            customer,
            detail={
                "uid": customer.uid,
                "confirmed": confirmed,
                "reference": conversation.reference,
            },
        )
    return freeze


def _freeze_conversation(customer: Customer, confirmed: bool, error: str) -> Conversation:
    note = (
        "The customer froze their account (suspected theft); the exchange confirmed the freeze."
        if confirmed
        else f"The customer asked to freeze their account, but the exchange did not confirm "
        f"({error}). Freeze it by hand now."
    )
    language = customer.user.preferred_language or "en"
    ongoing = (
        Conversation.objects.filter(customer=customer, team__slug=SECURITY_TEAM)
        .exclude(status__in=[Status.CLOSED, Status.RESOLVED])
        .order_by("-created_at")[:20]
    )
    existing = next((c for c in ongoing if FREEZE_TAG in c.tags), None)
    if existing is not None:
        system_note(existing, note)
        return existing
    team = Team.objects.get(slug=SECURITY_TEAM)
    with translation.override(language):
        statement = _("I froze my account because I fear someone else has access to it.")
        subject = _("Account frozen: suspected theft")
        next_steps = freeze_next_steps(confirmed)
    conversation, _first = open_from_channel(
        Channel.WEB,
        team,
        subject,
        InboundMessage(body=statement, customer=customer),
        language=language,
        tags=[FREEZE_TAG, *SECURITY_TAGS[1:]],
        priority=Priority.URGENT,
    )
    system_note(conversation, note)
    append_message(conversation, AuthorKind.BOT, None, next_steps)
    return conversation


def freeze_next_steps(confirmed: bool) -> str:
    """What happens after a freeze, for the customer (the active language)."""
    first = (
        _("Your account is frozen: nobody can sign in, trade or withdraw until it is lifted.")
        if confirmed
        else _(
            "We could not freeze your account automatically. A security agent is freezing "
            "it by hand right now."
        )
    )
    steps = [
        _("What happens next:"),
        _("1. A security agent answers you here first, before everyone else waiting."),
        _(
            "2. Meanwhile, change the password of your email account and sign out of devices "
            "you do not know."
        ),
        _(
            "3. To lift the freeze, the agent checks that you are the owner (ID and recent "
            "activity)."
        ),
        _(
            "Nobody from us will ask for your password, codes or seed phrase, or ask you to "
            "move funds."
        ),
    ]
    return "\n".join([first, *steps])
