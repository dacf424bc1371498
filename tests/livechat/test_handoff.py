"""The bot steps aside when the customer asks for a person, in either language, or when
the problem cannot wait; ordinary questions stay with the bot."""

from __future__ import annotations

import pytest

from pharos.livechat.handoff import asks_for_a_person, sounds_urgent


@pytest.mark.parametrize(
    "text",
    ["转人工", "我要 转 人工", "人工客服在吗？", "请帮我找人工", "有没有真人", "ＨＵＭＡＮ please",
     "Can I talk to a human?", "I want an agent", "real person please", "customer service!!",
     "let me talk to someone"],
)  # fmt: skip
def test_asking_for_a_person(text: str) -> None:
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    ["How do I withdraw USDT?", "提币多久到账", "What is the user-agent header for the API?",
     "Is the reagent fee included?", "充值没到账"],
)  # fmt: skip
def test_ordinary_questions_stay_with_the_bot(text: str) -> None:
    assert not asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    ["我的账号被盗了", "有一笔提币不是我操作的", "资金被转走了", "My account was hacked",
     "someone withdrew my BTC", "I didn't make this withdrawal", "unauthorised withdrawal!"],
)  # fmt: skip
def test_urgent_problems(text: str) -> None:
    assert sounds_urgent(text)


@pytest.mark.parametrize("text", ["How long does a withdrawal take?", "忘记密码怎么办"])
def test_ordinary_problems_are_not_urgent(text: str) -> None:
    assert not sounds_urgent(text)
