"""The scenario guide: for each common problem, the support channel that fits and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Channel keys the guide template knows how to present (icon, label, where it leads).
HELP_CENTER = "help_center"
LIVE_CHAT = "live_chat"
TICKET = "ticket"
EMAIL_SUPPORT = "email_support"
EMAIL_SECURITY = "email_security"
EMAIL_FEEDBACK = "email_feedback"
FREEZE = "freeze"
FORUM = "forum"
SOCIAL = "social"


# The help-center article that explains each channel (linked when it is published).
CHANNEL_ARTICLES = {
    LIVE_CHAT: "live-chat-guide",
    TICKET: "submit-a-ticket",
    FREEZE: "account-stolen-freeze-now",
    SOCIAL: "official-social-accounts",
}
# How each channel is shown: an icon from core/icons.svg and a label (e-mail channels show
# their address instead).
CHANNEL_PRESENTATION: dict[str, tuple[str, str | Promise]] = {
    HELP_CENTER: ("book", _("Help center guide")),
    LIVE_CHAT: ("chat", _("Live chat, 7x24")),
    TICKET: ("ticket", _("Submit a request (ticket)")),
    EMAIL_SUPPORT: ("mail", ""),
    EMAIL_SECURITY: ("mail", ""),
    EMAIL_FEEDBACK: ("mail", ""),
    FREEZE: ("snowflake", _("Freeze your account now")),
    FORUM: ("people", _("Community forum")),
    SOCIAL: ("megaphone", _("Official social accounts")),
}


@dataclass(frozen=True)
class Scenario:
    key: str
    problem: str | Promise
    channels: tuple[str, ...]
    why: str | Promise
    articles: tuple[str, ...]
    urgent: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="forgot-password",
        problem=_("I forgot my password or I don't receive a verification code"),
        channels=(HELP_CENTER, LIVE_CHAT),
        why=_(
            "You can fix both yourself in a few minutes by following the guide. If the code "
            "still doesn't arrive, the chat bot and our agents can check what is blocking it."
        ),
        articles=("reset-your-password", "verification-code-not-received"),
    ),
    Scenario(
        key="deposit-withdrawal-missing",
        problem=_("My deposit hasn't arrived or my withdrawal is late"),
        channels=(LIVE_CHAT,),
        why=_(
            "An agent can look up the transaction on your account at once and tell you where it "
            "is. Have the TxID, coin and network ready."
        ),
        articles=("deposit-not-arrived", "withdrawal-pending-or-under-review"),
    ),
    Scenario(
        key="cannot-log-in",
        problem=_("I can't log in or my account is locked"),
        channels=(LIVE_CHAT, EMAIL_SECURITY),
        why=_(
            "Chat tells you why the account is locked and what to do next. If you need to prove "
            "your identity with documents, the security team handles it by email."
        ),
        articles=("account-locked", "lost-2fa-device"),
    ),
    Scenario(
        key="account-stolen",
        problem=_("I think someone else has access to my account"),
        channels=(FREEZE, LIVE_CHAT),
        why=_(
            "Every minute counts. Freeze the account first: it stops logins, trading and "
            "withdrawals at once. Then tell us in chat, which is handled as top priority."
        ),
        articles=("account-stolen-freeze-now", "common-scams"),
        urgent=True,
    ),
    Scenario(
        key="formal-appeal",
        problem=_("I need to file a formal appeal with documents"),
        channels=(EMAIL_SECURITY, TICKET),
        why=_(
            "Email and tickets keep a written record and take ID photos, statements and other "
            "files. You get a reference number to follow the case."
        ),
        articles=("support-mailboxes", "submit-a-ticket"),
    ),
    Scenario(
        key="complex-question",
        problem=_("My question is complex and not urgent"),
        channels=(TICKET, EMAIL_SUPPORT),
        why=_(
            "A request lets you describe the problem in full, attach screenshots and come back "
            "to the answer later."
        ),
        articles=("submit-a-ticket", "response-times"),
    ),
    Scenario(
        key="suggestion",
        problem=_("I have a product suggestion or a complaint"),
        channels=(FORUM, SOCIAL, EMAIL_FEEDBACK),
        why=_(
            "Suggestions on the forum can be discussed and voted on by other traders; complaints "
            "sent to the feedback mailbox reach the complaints team directly."
        ),
        articles=("community-forum", "official-social-accounts"),
    ),
    Scenario(
        key="is-it-official",
        problem=_("Someone claims to be support and asks for codes or a transfer"),
        channels=(HELP_CENTER, LIVE_CHAT),
        why=_(
            "Real support never asks for your password, codes, seed phrase or a transfer. Check "
            "the official channels list, and report the impostor to us in chat."
        ),
        articles=("recognise-official-channels", "support-never-asks"),
        urgent=True,
    ),
)


@dataclass(frozen=True)
class ChannelLink:
    icon: str
    label: str | Promise
    href: str | None  # None: shown without a link (its page does not exist)


def channel_links(
    scenario: Scenario, article_urls: dict[str, str], brand: dict[str, Any]
) -> list[ChannelLink]:
    """Where each of a scenario's channels leads: a published article, a mailbox, the forum."""
    mailboxes = brand["mailboxes"]
    links = []
    for channel in scenario.channels:
        icon, label = CHANNEL_PRESENTATION[channel]
        href: str | None
        if channel.startswith("email_"):
            address = mailboxes[channel.removeprefix("email_")]
            label, href = address, f"mailto:{address}"
        elif channel == FORUM:
            href = brand["forum_url"]
        elif channel == HELP_CENTER:
            href = article_urls.get(scenario.articles[0])
        else:
            href = article_urls.get(CHANNEL_ARTICLES[channel])
        links.append(ChannelLink(icon, label, href))
    return links
