"""The chat's first responder, behind a small interface the answer-bot issue will replace.

This one answers from help-center search: a short answer with the article's link when
one article stands out, a choice between two when they score close, and a hand-off to a
person when nothing fits, when the customer asks for one, or when the problem is urgent.
Guests are asked to sign in before anything goes to a person, who would need to know the
account."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from pharos.conversations.models import Topic
from pharos.helpcenter import services as helpcenter
from pharos.helpcenter.search.engine import SearchHit

from .handoff import asks_for_a_person, sounds_urgent

ANSWER = "answer"
CHOOSE = "choose"
HAND_OFF = "hand_off"
SIGN_IN = "sign_in"
SMALL_TALK = "small_talk"

GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|你好|您好|在吗|哈喽)\W*$", re.I
)
THANKS = re.compile(r"^\s*(thanks|thank you|thx|ok thanks|谢谢|多谢|感谢|好的谢谢)\W*$", re.I)


@dataclass(frozen=True)
class ArticleLink:
    title: str
    url: str
    excerpt: str  # plain text


@dataclass(frozen=True)
class BotReply:
    kind: str  # ANSWER, CHOOSE, HAND_OFF, SIGN_IN or SMALL_TALK
    text: str  # in the customer's language
    links: list[ArticleLink] = field(default_factory=list)
    reason: str = ""  # why it hands off: "asked", "urgent", "not_confident"


class AnswerBot(Protocol):
    def reply(self, question: str, language: str, topic: Topic | None, signed_in: bool) -> BotReply:
        """The bot's answer to one customer message."""
        ...


class HelpCenterBot:
    def reply(self, question: str, language: str, topic: Topic | None, signed_in: bool) -> BotReply:
        with translation.override(language):
            return self._reply(question, language, topic, signed_in)

    def _reply(
        self, question: str, language: str, topic: Topic | None, signed_in: bool
    ) -> BotReply:
        if (topic is not None and topic.urgent) or sounds_urgent(question):
            return self._hand_off(
                _("This is urgent: a person from our security team will take over now."),
                "urgent",
                signed_in,
            )
        if asks_for_a_person(question):
            return self._hand_off(_("Connecting you with a person."), "asked", signed_in)
        if GREETING.match(question):
            return BotReply(SMALL_TALK, _("Hello! Tell me what happened and I will look it up."))
        if THANKS.match(question):
            return BotReply(SMALL_TALK, _("You are welcome. Anything else?"))
        hits = [
            hit
            for hit in helpcenter.search(question, language, limit=3, record_miss=True).hits
            if hit.score >= settings.BOT_MIN_SCORE
        ]
        if not hits:
            return self._hand_off(
                _("I could not find an answer to that. Let me find a person for you."),
                "not_confident",
                signed_in,
            )
        first = hits[0]
        if len(hits) > 1 and hits[1].score >= first.score * settings.BOT_CLOSE_RATIO:
            return BotReply(
                CHOOSE,
                _("Which of these is closest to your question?"),
                [_link(first), _link(hits[1])],
            )
        return BotReply(ANSWER, _("This should help:"), [_link(first)])

    def _hand_off(self, text: str, reason: str, signed_in: bool) -> BotReply:
        if not signed_in:
            return BotReply(
                SIGN_IN,
                _("Please sign in first, so that the person helping you can see your account."),
                reason=reason,
            )
        return BotReply(HAND_OFF, text, reason=reason)


def _link(hit: SearchHit) -> ArticleLink:
    name = "helpcenter:article" if hit.kind == "article" else "helpcenter:announcement"
    return ArticleLink(
        title=hit.title,
        url=reverse(name, kwargs={"slug": hit.slug}),
        excerpt=" ".join(strip_tags(hit.snippet_html).split())[:300],
    )
