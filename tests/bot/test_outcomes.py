"""The three outcomes (answer, a choice of two, a person), small talk and off-topic
messages, urgent problems and requests for a person, guests, and the language of the
reply; every reply is logged with its outcome."""

from __future__ import annotations

from typing import Any as SettingsWrapper

import pytest

from pharos.bot import knowledge
from pharos.bot.answerer import KnowledgeBot
from pharos.bot.models import BotExchange, Outcome
from pharos.conversations.models import Topic
from pharos.livechat.bot import ANSWER, CHOOSE, HAND_OFF, SIGN_IN, SMALL_TALK

pytestmark = pytest.mark.django_db

bot = KnowledgeBot()


def test_a_clear_question_is_answered_with_its_article_in_the_customers_language() -> None:
    reply = bot.reply("提币一直显示审核中，已经等了三个小时了", "zh-hans", None, signed_in=True)
    assert reply.kind == ANSWER
    assert reply.text == "这篇文章应该能帮到您："
    (link,) = reply.links
    assert link.url == "/zh-hans/articles/withdrawal-pending-or-under-review/"
    assert link.title == "提币一直在处理中或审核中怎么办" and "<" not in link.excerpt
    exchange = BotExchange.objects.get(pk=reply.exchange_id)
    assert exchange.outcome == Outcome.ANSWERED
    assert exchange.answers == ["article:withdrawal-pending-or-under-review"]
    assert 0 < exchange.confidence <= 1


def test_two_close_answers_are_offered_as_a_choice(settings: SettingsWrapper) -> None:
    # A question that sits between two articles: neither alone is sure enough, both are.
    question = "I sent my coins on the wrong network and they have not arrived"
    first, second, *_ = knowledge.current_matcher().rank(question).candidates
    settings.BOT_ANSWER_CONFIDENCE = first.confidence + 0.01
    settings.BOT_CHOICE_CONFIDENCE = first.confidence + second.confidence - 0.01
    settings.BOT_CHOICE_SECOND_CONFIDENCE = second.confidence - 0.01
    reply = bot.reply(question, "en", None, True)
    assert reply.kind == CHOOSE
    assert reply.text == "Which of these is closest to your question?"
    urls = [link.url for link in reply.links]
    assert len(urls) == 2 and "/en/articles/deposit-wrong-network/" in urls
    assert BotExchange.objects.get(pk=reply.exchange_id).outcome == Outcome.CHOICE


def test_an_unsure_answer_goes_to_a_person(settings: SettingsWrapper) -> None:
    settings.BOT_ANSWER_CONFIDENCE = 0.999
    settings.BOT_CHOICE_CONFIDENCE = 0.999
    settings.BOT_OFF_TOPIC_SIMILARITY = 0.0
    reply = bot.reply("my futures position and my p2p order both look wrong", "en", None, True)
    assert (reply.kind, reply.reason, reply.links) == (HAND_OFF, "not_confident", [])
    exchange = BotExchange.objects.get(pk=reply.exchange_id)
    assert (exchange.outcome, exchange.reason) == (Outcome.HANDED_OFF, "not_confident")


@pytest.mark.parametrize(
    ("message", "language", "expected"),
    [
        ("你好", "zh-hans", "您好！请告诉我遇到了什么问题，我来帮您查找。"),
        ("hi there, anyone around?", "en", "Hello! Tell me what happened and I will look it up."),
        ("thanks a lot!", "en", "You are welcome. Anything else?"),
        ("多谢啦", "zh-hans", "不客气。还有其他问题吗？"),
        ("is this a bot?", "en", "I am Tidewell's support assistant, a bot."),
    ],
)
def test_small_talk_gets_a_line_not_an_article(message: str, language: str, expected: str) -> None:
    reply = bot.reply(message, language, None, signed_in=True)
    assert reply.kind == SMALL_TALK and reply.links == []
    assert reply.text.startswith(expected)


@pytest.mark.parametrize(
    "message",
    [
        "what's the weather in London tomorrow",
        "帮我写一篇800字的作文",
        "write a poem about the sea",
    ],
)
def test_off_topic_messages_get_told_what_the_bot_can_do(message: str) -> None:
    reply = bot.reply(message, "en", None, signed_in=True)
    assert reply.kind == SMALL_TALK and reply.links == []
    assert "deposits and withdrawals" in reply.text
    assert BotExchange.objects.get(pk=reply.exchange_id).outcome == Outcome.OFF_TOPIC


def test_asking_for_a_person_or_an_urgent_topic_hands_off_at_once() -> None:
    assert bot.reply("转人工", "zh-hans", None, signed_in=True).reason == "asked"
    stolen = Topic.objects.get(slug="suspected-theft")
    reply = bot.reply("how do I withdraw", "en", stolen, signed_in=True)
    assert (reply.kind, reply.reason) == (HAND_OFF, "urgent")
    assert bot.reply("我的账号被盗了", "zh-hans", None, signed_in=True).reason == "urgent"


def test_a_guest_is_asked_to_sign_in_before_a_person_takes_over() -> None:
    reply = bot.reply("human please", "en", None, signed_in=False)
    assert (reply.kind, reply.reason) == (SIGN_IN, "asked")
    assert "sign in" in reply.text
    # General questions are answered all the same.
    assert bot.reply("my account is locked, why?", "en", None, signed_in=False).kind == ANSWER
