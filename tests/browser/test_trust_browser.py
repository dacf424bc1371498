"""Trust and safety in a real browser (headless Debian chromium): a trader on a phone asks,
in Chinese, whether an account that wrote to them is ours, sees that it imitates our
Telegram channel and reports it in one click; a trader who fears theft freezes their
account in two clicks and lands in a top-priority conversation with the security team;
a locked-out trader sends a complete unlock appeal from a phone in Chinese, a security
agent reviews it and approves, and the account is unlocked. Screenshots go to
test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pharos.accounts.models import Customer, StaffRole, Team
from pharos.accounts.services import create_customer, create_staff_member
from pharos.conversations.models import Priority
from pharos.exchange.demo import seed_demo_exchange
from pharos.exchange.gateway import LockState, get_gateway
from pharos.trust.models import (
    AccountFreeze,
    AppealState,
    ImpostorReport,
    OfficialChannel,
    UnlockAppeal,
)

from ..conftest import PASSWORD
from ..conversations.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(help_center: str) -> None:
    """The official channels the migration makes (the flush after earlier transactional
    tests removed them)."""
    for kind, value, english, chinese in [
        ("domain", "tidewell.example", "Our website", "官方网站"),
        ("telegram", "@tidewell_exchange", "Official Telegram channel", "官方 Telegram 频道"),
        ("email", "support@tidewell.example", "Support mailbox", "客服邮箱"),
    ]:
        OfficialChannel.objects.get_or_create(
            kind=kind,
            value=value,
            defaults={"description_en": english, "description_zh_hans": chinese},
        )


@pytest.fixture
def trader(help_center: str, settings: pytest.FixtureRequest, tmp_path: Path) -> Customer:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    seed_demo_exchange()
    Team.objects.get_or_create(
        slug="security", defaults={"name_en": "Security", "name_zh_hans": "安全团队"}
    )
    return create_customer(
        uid="10000002", email="daniel@example.com", display_name="Daniel", password=PASSWORD
    )


def test_a_trader_checks_an_account_on_a_phone_in_chinese_and_reports_it(
    phone_page: Page, registry: None, artifacts: Path
) -> None:
    page = phone_page
    page.goto("/zh-hans/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("这是官方的吗？")
    page.get_by_label("网站、邮箱、电话、账号或客服工号").fill("t.me/tidewell_exchange_help")
    page.get_by_role("button", name="核验").click()
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "lookalike")
    expect(verdict).to_contain_text("非官方")
    expect(verdict).to_contain_text("@tidewell_exchange")
    page.screenshot(path=str(artifacts / "trust-verify-lookalike-phone-zh.png"), full_page=True)
    page.get_by_test_id("report-impostor").click()
    expect(page.locator(".messages")).to_contain_text("谢谢")
    (report,) = ImpostorReport.objects.all()
    assert report.imitated is not None and report.imitated.value == "@tidewell_exchange"

    page.get_by_label("网站、邮箱、电话、账号或客服工号").fill("https://www.tidewell.example/login")
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "official")
    expect(page.get_by_test_id("report-impostor")).to_have_count(0)


def test_a_trader_freezes_their_account_in_two_clicks(
    page: Page, trader: Customer, artifacts: Path
) -> None:
    page.goto("/en/accounts/login/")
    page.locator("#id_username").fill(trader.uid)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()

    page.goto("/en/security/freeze/")
    expect(page.get_by_test_id("freeze-explain")).to_contain_text(
        "Do you think someone else has access to your account?"
    )
    page.get_by_test_id("freeze-start").click()  # click 1
    expect(page.get_by_test_id("freeze-confirm")).to_be_visible()
    page.screenshot(path=str(artifacts / "trust-freeze-confirm-desktop-en.png"), full_page=True)
    page.get_by_test_id("freeze-now").click()  # click 2

    expect(page.get_by_test_id("frozen")).to_have_attribute("data-confirmed", "yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is frozen")
    page.screenshot(path=str(artifacts / "trust-frozen-desktop-en.png"), full_page=True)
    assert get_gateway().get_account(trader.uid).lock_state == LockState.FROZEN

    page.get_by_test_id("freeze-conversation").click()
    expect(page).to_have_url(re.compile(r"/en/requests/PH-\d{4}-\d{6}/$"))
    expect(page.locator(".thread")).to_contain_text("A security agent answers you here first")
    (freeze,) = AccountFreeze.objects.all()
    assert freeze.conversation is not None and freeze.conversation.priority == Priority.URGENT

    page.go_back()
    page.go_back()
    page.get_by_test_id("freeze-now").click()  # the used confirmation, sent again
    expect(page.locator(".messages")).to_contain_text("Please confirm again")
    assert AccountFreeze.objects.count() == 1


def _sign_in(page: Page, login: str, language: str = "en") -> None:
    page.goto(f"/{language}/accounts/login/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages, main h1").first).to_be_visible()


def test_a_locked_out_trader_appeals_and_the_security_team_unlocks(
    phone_page: Page,
    second_page: Page,
    help_center: str,
    settings: pytest.FixtureRequest,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    settings.STAFF_TWO_FACTOR_REQUIRED = False  # type: ignore[attr-defined]
    seed_demo_exchange()
    team, _ = Team.objects.get_or_create(
        slug="security", defaults={"name_en": "Security", "name_zh_hans": "安全团队"}
    )
    locked = create_customer(
        uid="10000003", email="zhang@example.com", display_name="Zhang Wei", password=PASSWORD,
        language="zh-hans",
    )  # fmt: skip
    reviewer = create_staff_member(
        email="sam@tidewell.example", role=StaffRole.SECURITY_AGENT, display_name="Sam",
        password=PASSWORD,
    )  # fmt: skip
    reviewer.teams.add(team)
    picture = tmp_path / "id.png"
    picture.write_bytes(png_bytes((80, 50)))

    customer = phone_page
    _sign_in(customer, locked.uid, "zh-hans")
    customer.goto("/zh-hans/security/appeal/")
    expect(customer.get_by_role("heading", level=1)).to_have_text("申请解锁我的账户")
    expect(customer.get_by_label("UID")).to_have_value("10000003")
    customer.get_by_label("注册邮箱或手机号").fill("zhang@example.com")
    customer.get_by_label("姓名（与实名认证证件一致）").fill("Zhang Wei")
    customer.get_by_label("证件号码").fill("G12345678")
    customer.get_by_label("据您所知，账户为什么被锁定？").fill("密码输错了五次")
    customer.get_by_label("登录").check()
    customer.get_by_test_id("appeal-submit").click()  # the documents are missing
    expect(customer.get_by_test_id("appeal-sent")).to_have_count(0)  # the browser holds it
    for label in ("证件正面", "证件反面", "手持证件和字条的自拍照"):
        customer.get_by_label(label).set_input_files(picture)
    customer.get_by_test_id("appeal-submit").click()
    expect(customer.get_by_test_id("appeal-sent")).to_have_attribute("data-state", "submitted")
    customer.screenshot(path=str(artifacts / "trust-appeal-sent-phone-zh.png"), full_page=True)
    appeal = UnlockAppeal.objects.get()

    agent = second_page
    _sign_in(agent, "sam@tidewell.example")
    agent.goto(f"/en/console/c/{appeal.conversation.reference}/")
    agent.get_by_test_id("open-appeal").click()
    expect(agent.get_by_test_id("appeal-documents").get_by_role("link")).to_have_count(3)
    agent.get_by_label("Approve and unlock the account").check()
    agent.screenshot(path=str(artifacts / "trust-appeal-review-desktop-en.png"), full_page=True)
    agent.get_by_role("button", name="Send the decision").click()
    expect(agent.get_by_test_id("appeal-state")).to_have_text("Approved: account unlocked")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.APPROVED
    assert get_gateway().get_account("10000003").lock_state == LockState.ACTIVE

    customer.goto(f"/zh-hans/requests/{appeal.conversation.reference}/")
    expect(customer.locator(".thread")).to_contain_text("您的申诉已通过，账户已解锁")
