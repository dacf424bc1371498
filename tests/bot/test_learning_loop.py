"""The learning loop: every exchange logged with its outcome and the customer's feedback;
admins see the misses grouped and attach a group to the right article in one step, which
the bot uses at once; deflection is reported. Only support admins reach it."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.accounts.models import AuditEvent, Customer, StaffMember
from pharos.bot import services
from pharos.bot.answerer import KnowledgeBot
from pharos.bot.models import BotExchange, ExampleQuestion, Feedback, Outcome, QuestionSource
from pharos.conversations.models import Topic
from pharos.livechat import services as chat
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

bot = KnowledgeBot()
# Not about anything in the help center as written, but something a trader asks.
MISSED = ["can I get a paper invoice for my trading fees", "I need an invoice for the fees I paid"]


def unanswered(question: str) -> BotExchange:
    return BotExchange.objects.create(
        question=question, language="en", outcome=Outcome.HANDED_OFF, reason="not_confident"
    )


def test_chat_buttons_record_the_customers_feedback(customer: Customer) -> None:
    topic = Topic.objects.get(slug="deposits-withdrawals")
    conversation = chat.start_chat(
        customer, topic, "my BTC deposit has not arrived after 3 hours", language="en"
    )
    exchange = BotExchange.objects.get(conversation=conversation)
    assert exchange.outcome == Outcome.ANSWERED and exchange.feedback == ""
    chat.customer_action(conversation, customer, "not_solved")
    exchange.refresh_from_db()
    assert exchange.feedback == Feedback.NOT_SOLVED
    assert [group.question for group in services.grouped_misses()] == [exchange.question]


def test_solved_counts_as_deflection(customer: Customer) -> None:
    topic = Topic.objects.get(slug="deposits-withdrawals")
    solved = chat.start_chat(
        customer, topic, "how long do BTC deposits take to confirm", language="en"
    )
    chat.customer_action(solved, customer, "solved")
    report = services.deflection_report(30)
    assert (report.chats, report.ended, report.solved_by_bot, report.ended_without_person) == (
        1,
        1,
        1,
        1,
    )
    assert report.deflection_rate == 1.0
    assert report.feedback_solved == 1 and report.answered >= 1


def test_a_guest_says_whether_the_answer_helped_once(client: Client) -> None:
    answer = client.post(
        "/en/chat/ask/", {"body": "how do I reset my password"}, content_type="application/json"
    ).json()
    assert answer["feedback"]
    sent = client.post(
        "/en/chat/ask/feedback/", {"token": answer["feedback"], "feedback": "not_solved"},
        content_type="application/json",
    )  # fmt: skip
    assert sent.status_code == 200
    replay = {"token": answer["feedback"], "feedback": "solved"}
    client.post("/en/chat/ask/feedback/", replay, content_type="application/json")
    exchange = BotExchange.objects.get(conversation=None, question="how do I reset my password")
    assert exchange.feedback == Feedback.NOT_SOLVED  # the first word stands
    forged = {"token": answer["feedback"] + "x", "feedback": "solved"}
    refused = client.post("/en/chat/ask/feedback/", forged, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]


def test_similar_misses_are_one_group_and_attaching_it_teaches_the_bot(
    support_admin: StaffMember,
) -> None:
    exchanges = [unanswered(text) for text in MISSED] + [unanswered("how do I change my nickname")]
    groups = services.grouped_misses()
    assert sorted(len(group.exchanges) for group in groups) == [1, 2]
    invoices = next(group for group in groups if len(group.exchanges) == 2)
    admin = signed_in(support_admin.user)
    page = admin.get("/en/console/bot/")
    assert page.status_code == 200
    html = page.content.decode()
    assert MISSED[0] in html and "Attach" in html and "Deflection" in html
    assert AuditEvent.objects.filter(action="bot.misses_viewed", actor=support_admin.user).exists()

    response = admin.post(
        "/en/console/bot/attach/",
        {
            "exchanges": invoices.ids,
            "answer": "article:account-statement-and-history",
            "days": "30",
        },
    )
    assert response.status_code == 302
    reply = bot.reply("could you give me an invoice for the fees", "en", None, True)
    assert reply.links and reply.links[0].url == "/en/articles/account-statement-and-history/"
    assert [group.question for group in services.grouped_misses()] == [
        "how do I change my nickname"
    ]
    assert AuditEvent.objects.filter(
        action="bot.questions_attached", actor=support_admin.user
    ).exists()
    learned = ExampleQuestion.objects.filter(source=QuestionSource.LEARNED)
    assert sorted(learned.values_list("text", flat=True)) == sorted(MISSED)
    assert exchanges[0].question in MISSED


def test_dismissed_misses_leave_the_list(support_admin: StaffMember) -> None:
    exchange = unanswered("asdfgh")
    admin = signed_in(support_admin.user)
    admin.post("/en/console/bot/dismiss/", {"exchanges": str(exchange.pk)})
    assert services.grouped_misses() == []


def test_attaching_to_something_that_is_not_a_published_answer_is_refused(
    support_admin: StaffMember,
) -> None:
    exchange = unanswered(MISSED[0])
    with pytest.raises(services.BotError):
        services.attach_questions([exchange.pk], "article:no-such-article", support_admin.user)
    exchange.refresh_from_db()
    assert exchange.reviewed_at is None  # nothing lost


def test_only_support_admins_reach_the_bots_page(
    agent: StaffMember, customer: Customer, stranger: Client
) -> None:
    exchange = unanswered(MISSED[0])
    assert signed_in(agent.user).get("/en/console/bot/").status_code == 404
    assert (
        signed_in(agent.user)
        .post("/en/console/bot/dismiss/", {"exchanges": str(exchange.pk)})
        .status_code
        == 404
    )
    assert signed_in(customer.user).get("/en/console/bot/").status_code == 404
    assert stranger.get("/en/console/bot/").status_code == 302  # to sign in
    exchange.refresh_from_db()
    assert exchange.reviewed_at is None


def test_the_page_and_its_figures_in_chinese(support_admin: StaffMember) -> None:
    unanswered(MISSED[0])
    html = signed_in(support_admin.user).get("/zh-hans/console/bot/").content.decode()
    assert "机器人未能解决的问题" in html and "分流" in html


def test_an_off_topic_question_is_shown_without_the_bots_guess() -> None:
    BotExchange.objects.create(
        question="what's the weather in London",
        language="en",
        outcome=Outcome.OFF_TOPIC,
        best_guess="article:account-settings-and-language",
    )
    (group,) = services.grouped_misses()
    assert (group.kind, group.guess) == ("off_topic", "")  # nothing preselected to attach
