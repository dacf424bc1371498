"""The "is this official?" verifier as people use it: the public registry, the API, the
page in both languages, the bot's answer in the chat, every check logged, an impostor
reported in one step, and strangers rate limited."""

from __future__ import annotations

import pytest
from django.test import Client

from pharos.accounts.models import Customer, StaffMember
from pharos.bot.answerer import KnowledgeBot
from pharos.bot.models import BotExchange, Outcome
from pharos.trust import services
from pharos.trust.models import ImpostorReport, OfficialChannel, VerificationCheck

from ..conftest import signed_in

pytestmark = pytest.mark.django_db


def verdict(client: Client, value: str) -> dict[str, object]:
    response = client.get("/api/v1/trust/verify", {"value": value})
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_the_registry_is_public_and_starts_with_the_brand_channels(stranger: Client) -> None:
    listed = stranger.get("/api/v1/trust/official").json()
    values = {(channel["kind"], channel["value"]) for channel in listed}
    assert {
        ("domain", "tidewell.example"),
        ("email", "security@tidewell.example"),
        ("telegram", "@tidewell_exchange"),
        ("x", "@tidewell_exchange"),
        ("facebook", "facebook.com/tidewell.exchange"),
    } <= values
    assert all(channel["description_zh_hans"] for channel in listed)


def test_official_values_in_any_spelling_are_official(stranger: Client) -> None:
    for value in [
        "https://WWW.tidewell.example/login",
        "t.me/tidewell_exchange",
        "SECURITY@tidewell.example",
    ]:
        found = verdict(stranger, value)
        assert found["verdict"] == "official", (value, found)
        assert found["channel"] is not None


def test_a_lookalike_names_the_channel_it_imitates(stranger: Client) -> None:
    found = verdict(stranger, "@tidewell_exchange_support")
    assert found["verdict"] == "lookalike"
    assert found["channel"]["value"] == "@tidewell_exchange"  # type: ignore[index]
    found = verdict(stranger, "https://tidewe11.example/login")
    assert found["verdict"] == "lookalike"
    assert found["channel"]["kind"] == "domain"  # type: ignore[index]
    assert found["reasons"]


def test_something_unrelated_is_not_official(stranger: Client) -> None:
    found = verdict(stranger, "github.com")
    assert found["verdict"] == "not_official"
    assert found["channel"] is None


def test_an_admin_adds_a_channel_and_it_is_official_within_the_minute(
    stranger: Client, support_admin: StaffMember
) -> None:
    assert verdict(stranger, "TW-1024")["verdict"] == "not_official"
    response = signed_in(support_admin.user).post(
        "/admin/trust/officialchannel/add/",
        {
            "kind": "agent_id",
            "value": "TW-1024",
            "description_en": "Agent Carol",
            "description_zh_hans": "客服 Carol",
            "active": "on",
            "position": 5,
        },
    )
    assert response.status_code == 302, response.content
    found = verdict(stranger, "tw1024")
    assert found["verdict"] == "official"
    assert found["channel"]["description_en"] == "Agent Carol"  # type: ignore[index]


def test_each_check_is_logged(stranger: Client, customer: Customer) -> None:
    verdict(stranger, "tidewell-support.example")
    signed_in(customer.user).get("/en/verify/", {"value": "tidewell.example"})
    checks = list(VerificationCheck.objects.order_by("created_at"))
    assert [(c.value, c.verdict, c.source) for c in checks] == [
        ("tidewell-support.example", "lookalike", "api"),
        ("tidewell.example", "official", "page"),
    ]
    assert checks[0].user is None and checks[1].user == customer.user
    assert checks[0].channel == OfficialChannel.objects.get(kind="domain", value="tidewell.example")


def test_the_page_gives_the_verdict_in_both_languages(stranger: Client) -> None:
    english = stranger.get("/en/verify/", {"value": "@tidewell_help"}).content.decode()
    assert 'data-verdict="lookalike"' in english
    assert "Report this impostor" in english
    chinese = stranger.get("/zh-hans/verify/", {"value": "tidewell.example"}).content.decode()
    assert 'data-verdict="official"' in chinese
    assert "官方" in chinese
    assert "@tidewell_exchange" in chinese  # the whole registry is listed


def test_script_in_the_value_is_shown_as_text(stranger: Client) -> None:
    page = stranger.get("/en/verify/", {"value": "<script>alert(1)</script>.com"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_an_impostor_is_reported_in_one_step_and_counted(stranger: Client) -> None:
    page = stranger.post("/en/verify/report/", {"value": "@tidewell_support_help"}, follow=True)
    assert "Thank you" in page.content.decode()
    stranger.post("/en/verify/report/", {"value": "@TIDEWELL_SUPPORT_HELP"})
    (report,) = ImpostorReport.objects.all()
    assert report.times_reported == 2
    assert report.verdict == "lookalike"
    assert report.imitated is not None and report.imitated.value == "@tidewell_exchange"


def test_an_official_channel_cannot_be_reported(stranger: Client) -> None:
    response = stranger.post(
        "/api/v1/trust/reports", {"value": "tidewell.example"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not ImpostorReport.objects.exists()


def test_strangers_are_rate_limited(stranger: Client, settings: object) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "trust_verify": (3, 3600)}  # type: ignore[attr-defined]
    for _ in range(3):
        assert stranger.get("/api/v1/trust/verify", {"value": "x.com"}).status_code == 200
    assert stranger.get("/api/v1/trust/verify", {"value": "x.com"}).status_code == 429
    assert VerificationCheck.objects.count() == 3


def test_very_long_hostile_input_gets_a_clear_answer(stranger: Client) -> None:
    response = stranger.get("/api/v1/trust/verify", {"value": "a" * 5000})
    assert response.status_code == 422  # longer than a value can be
    found = verdict(stranger, "ｔｉｄｅｗｅｌｌ.example\u200b")  # full-width, a zero-width space
    assert found["verdict"] == "official"


def test_the_bot_answers_is_this_official_in_the_chat(customer: Customer) -> None:
    bot = KnowledgeBot()
    reply = bot.reply("Is @tidewell_exchange_help real? They DMed me", "en", None, True)
    assert "NOT ours" in reply.text and "@tidewell_exchange" in reply.text
    assert reply.links and reply.links[0].url == "/en/verify/"
    chinese = bot.reply("tidewell.example 是官方的吗？", "zh-hans", None, True)
    assert "官方" in chinese.text
    assert BotExchange.objects.filter(outcome=Outcome.VERIFIED).count() == 2
    assert VerificationCheck.objects.filter(source="bot").count() == 2


def test_a_question_without_a_value_is_left_to_the_knowledge_base() -> None:
    assert services.checks_asked_in_chat("Is the withdrawal fee real?") == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("tidewall.example", "改动了字母"),
        ("tidewell.support@gmail.com", "在别家邮箱服务的地址里使用我们的名字"),
    ],
)
def test_every_reason_for_a_lookalike_is_given_in_chinese(
    stranger: Client, value: str, reason: str
) -> None:
    page = stranger.get("/zh-hans/verify/", {"value": value}).content.decode()
    assert 'data-verdict="lookalike"' in page and reason in page
    for code in services.REASON_LABELS:
        assert code.replace("_", " ") not in page


def test_what_a_victim_pastes_into_a_report_is_not_stored(stranger: Client) -> None:
    stranger.post(
        "/api/v1/trust/reports",
        {"value": "@tidewell_help", "details": "He told me: my password is Tide!Secret-4471"},
        content_type="application/json",
    )
    (report,) = ImpostorReport.objects.all()
    assert "Tide!Secret-4471" not in report.details and "[redacted:password]" in report.details
