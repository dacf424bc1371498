"""The chat's first responder: an answer with its link when one article stands out, a
choice when two are close, a person when it finds nothing, when asked, or when it is
urgent, in the customer's language; guests sign in before a person takes over."""

from __future__ import annotations

import pytest

from pharos.conversations.models import Topic
from pharos.livechat.bot import ANSWER, CHOOSE, HAND_OFF, SIGN_IN, SMALL_TALK, HelpCenterBot

pytestmark = pytest.mark.django_db

bot = HelpCenterBot()


def test_one_clear_article_is_the_answer_with_its_link() -> None:
    reply = bot.reply("提币一直在审核中", "zh-hans", None, signed_in=True)
    assert reply.kind == ANSWER
    assert reply.text == "这篇文章应该能帮到您："
    (link,) = reply.links
    assert link.url == "/zh-hans/articles/withdrawal-pending-or-under-review/"
    assert link.title and "<" not in link.excerpt


def test_two_close_answers_are_offered_as_a_choice() -> None:
    # The USDT maintenance notice and the withdrawal guide score within 15 % here.
    reply = bot.reply("how do I withdraw USDT", "en", None, signed_in=True)
    assert reply.kind == CHOOSE
    assert len(reply.links) == 2
    assert "/en/articles/how-to-withdraw/" in [link.url for link in reply.links]


def test_nothing_that_fits_goes_to_a_person() -> None:
    reply = bot.reply("what is your favourite colour", "en", None, signed_in=True)
    assert (reply.kind, reply.reason, reply.links) == (HAND_OFF, "not_confident", [])


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
    assert bot.reply("account locked", "en", None, signed_in=False).kind == ANSWER


def test_greetings_and_thanks_get_a_reply_not_an_article() -> None:
    assert bot.reply("你好", "zh-hans", None, signed_in=False).kind == SMALL_TALK
    thanks = bot.reply("thanks!", "en", None, signed_in=True)
    assert (thanks.kind, thanks.links) == (SMALL_TALK, [])
