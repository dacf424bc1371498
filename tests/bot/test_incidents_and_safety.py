"""The bot says first when an active announcement concerns the question, and it never
asks for a secret or tells anyone to move funds, whatever an admin wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pharos.bot import services
from pharos.bot.answerer import KnowledgeBot
from pharos.bot.models import ExampleQuestion, FaqEntry
from pharos.bot.safety import asks_for_secrets_or_transfers
from pharos.helpcenter.models import Announcement
from pharos.livechat.bot import ANSWER, HAND_OFF, SIGN_IN
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

bot = KnowledgeBot()
MAINTENANCE = "/en/announcements/usdt-trc20-wallet-maintenance/"


def test_an_active_maintenance_on_the_network_asked_about_comes_first() -> None:
    reply = bot.reply("how do I withdraw USDT on TRC20", "en", None, True)
    assert reply.kind == ANSWER
    assert reply.text.startswith("Please note, this is happening now: USDT (TRC20) and TRX")
    assert reply.links[0].url == MAINTENANCE
    assert reply.links[1].url.startswith("/en/articles/")  # the notice, then the answer


def test_the_notice_comes_first_when_a_person_takes_over_too() -> None:
    guest = bot.reply("转人工，我的TRC20提币卡住了", "zh-hans", None, signed_in=False)
    assert guest.kind == SIGN_IN and guest.links[0].url == MAINTENANCE.replace("/en/", "/zh-hans/")
    urgent = bot.reply("someone hacked my account and withdrew my TRX", "en", None, True)
    assert urgent.kind == HAND_OFF and urgent.reason == "urgent"  # nothing delays a theft


def test_the_notice_comes_in_chinese_too() -> None:
    reply = bot.reply("TRX充值一直没到账怎么回事", "zh-hans", None, True)
    assert reply.text.startswith("请注意，以下情况正在发生：USDT（TRC20）与 TRX 充提暂停")
    assert reply.links[0].url == MAINTENANCE.replace("/en/", "/zh-hans/")


@pytest.mark.parametrize(
    "question",
    ["how do I withdraw BTC", "my ERC20 USDT deposit has not arrived", "what is the funding rate"],
)
def test_questions_about_other_coins_or_products_get_no_notice(question: str) -> None:
    reply = bot.reply(question, "en", None, True)
    assert MAINTENANCE not in [link.url for link in reply.links]


def test_an_ended_announcement_is_not_mentioned() -> None:
    Announcement.objects.filter(slug="usdt-trc20-wallet-maintenance").update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    reply = bot.reply("my USDT TRC20 withdrawal is stuck", "en", None, True)
    assert MAINTENANCE not in [link.url for link in reply.links]


@pytest.mark.parametrize(
    "text",
    [
        "Please send us your seed phrase so we can verify the wallet.",
        "Tell me the 6-digit code from your authenticator.",
        "What is your password?",
        "Transfer your USDT to this secure wallet address to protect it.",
        "请把短信验证码发给我核实身份",
        "请立即将资金转入以下安全账户地址",
    ],
)
def test_requests_for_secrets_or_transfers_are_recognised(text: str) -> None:
    assert asks_for_secrets_or_transfers(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tidewell support never asks for your password, 2FA codes or seed phrase.",
        "官方客服绝不会索要您的验证码或助记词，也不会要求您转账。",
        "Reset your password from the login page.",
        "To withdraw, enter the address and the amount, then confirm with your 2FA code.",
    ],
)
def test_warnings_and_instructions_are_not_requests(text: str) -> None:
    assert not asks_for_secrets_or_transfers(text)


def test_the_bot_never_sends_an_faq_answer_that_asks_for_a_secret() -> None:
    # Written straight to the database, as if the admin form's check had been bypassed.
    entry = FaqEntry.objects.create(
        question_en="How do I verify my wallet?",
        question_zh_hans="怎么验证钱包",
        answer_en="Send us your seed phrase in this chat and we will verify it.",
        answer_zh_hans="请在聊天里发送您的助记词。",
    )
    ExampleQuestion.objects.create(faq_entry=entry, language="en", text="verify my wallet please")
    services.example_questions_changed()
    reply = bot.reply("how do I verify my wallet", "en", None, True)
    assert reply.kind == HAND_OFF and "seed" not in reply.text
    assert all("seed" not in link.excerpt for link in reply.links)


def test_the_admin_refuses_an_faq_answer_that_asks_for_a_secret(support_admin: object) -> None:
    admin: Client = signed_in(support_admin.user)  # type: ignore[attr-defined]
    form = {
        "question_en": "Verify wallet",
        "question_zh_hans": "验证钱包",
        "answer_en": "Reply with your private key and we will check it.",
        "answer_zh_hans": "我们会帮您检查。",
        "published": "on",
        "example_questions-TOTAL_FORMS": "0",
        "example_questions-INITIAL_FORMS": "0",
    }
    response = admin.post("/admin/bot/faqentry/add/", form)
    assert response.status_code == 200
    assert "never asks for passwords" in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_an_faq_entry_is_answered_in_words(support_admin: object) -> None:
    admin: Client = signed_in(support_admin.user)  # type: ignore[attr-defined]
    form = {
        "question_en": "Do you charge for deposits?",
        "question_zh_hans": "充币收手续费吗",
        "answer_en": "No. Tidewell charges nothing for crypto deposits; the sending network's fee is paid by the sender.",
        "answer_zh_hans": "不收。Tidewell 对加密货币充币不收取任何费用，链上网络费由发送方支付。",
        "published": "on",
        "example_questions-TOTAL_FORMS": "2",
        "example_questions-INITIAL_FORMS": "0",
        "example_questions-0-language": "en",
        "example_questions-0-text": "is there a fee to deposit crypto",
        "example_questions-1-language": "zh-hans",
        "example_questions-1-text": "充值要手续费吗",
    }
    response = admin.post("/admin/bot/faqentry/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    reply = bot.reply("充币要不要手续费", "zh-hans", None, True)
    assert reply.kind == ANSWER
    assert reply.text.startswith("不收。Tidewell 对加密货币充币不收取任何费用")
    assert reply.links == []  # said once, in words
