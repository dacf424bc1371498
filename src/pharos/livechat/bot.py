"""The chat's first responder, behind a small interface: the chat asks it for a reply to
each customer message while the bot has the chat. The bot app's KnowledgeBot is the one in
use (settings.CHAT_ANSWER_BOT); guests are asked to sign in before anything goes to a
person, who would need to know the account."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol

from pharos.conversations.models import Conversation, Topic

ANSWER = "answer"
CHOOSE = "choose"
HAND_OFF = "hand_off"
SIGN_IN = "sign_in"
SMALL_TALK = "small_talk"


@dataclass(frozen=True)
class ArticleLink:
    title: str
    url: str  # empty for an answer given in words (an FAQ entry)
    excerpt: str  # plain text


@dataclass(frozen=True)
class BotReply:
    kind: str  # ANSWER, CHOOSE, HAND_OFF, SIGN_IN or SMALL_TALK
    text: str  # in the customer's language
    links: list[ArticleLink] = field(default_factory=list)
    reason: str = ""  # why it hands off: "asked", "urgent", "not_confident"
    keys: list[str] = field(default_factory=list)  # what was offered ("article:<slug>")
    exchange_id: int | None = None  # the logged exchange, for the customer's feedback

    def with_exchange(self, exchange_id: int) -> BotReply:
        return replace(self, exchange_id=exchange_id)


class AnswerBot(Protocol):
    def reply(
        self,
        question: str,
        language: str,
        topic: Topic | None,
        signed_in: bool,
        conversation: Conversation | None = None,
    ) -> BotReply:
        """The bot's answer to one customer message (in the chat `conversation`, if any)."""
        ...
