"""Staff accounts from the command line, roles and their permissions, personal API tokens
and the /api/v1/accounts/me endpoint, and the audit trail of staff looking at customers."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pharos.accounts import services
from pharos.accounts.models import ApiToken, AuditEvent, Customer, StaffMember, StaffRole, User
from tests.conftest import signed_in

ME_URL = "/api/v1/accounts/me"
NEW_PASSWORD = "a-long-staff-password"


# --- createagent -----------------------------------------------------------------------------
def create_agent(*args: str) -> str:
    out = StringIO()
    call_command("createagent", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("role", StaffRole.values)
def test_createagent_creates_a_staff_member_with_the_role(
    db: None, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    output = create_agent("New.Person@Tidewell.example", "--role", role, "--name", "New Person")

    staff = StaffMember.objects.select_related("user").get(
        user__email="new.person@tidewell.example"
    )
    assert staff.role == role
    assert staff.user.display_name == "New Person"
    assert "new.person@tidewell.example" in output
    assert authenticate(username="new.person@tidewell.example", password=NEW_PASSWORD) == staff.user


def test_createagent_defaults_to_an_agent_speaking_both_languages(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    create_agent("plain@tidewell.example")
    staff = StaffMember.objects.get(user__email="plain@tidewell.example")
    assert staff.role == StaffRole.AGENT
    assert staff.languages == ["zh-hans", "en"]
    assert not staff.user.is_staff


def test_createagent_reads_languages(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    create_agent("zh@tidewell.example", "--languages", "zh-CN, en")
    staff = StaffMember.objects.select_related("user").get(user__email="zh@tidewell.example")
    assert staff.languages == ["zh-hans", "en"]
    assert staff.user.preferred_language == "zh-hans"


def test_createagent_reads_the_password_from_another_variable(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PHAROS_AGENT_PASSWORD", raising=False)
    monkeypatch.setenv("MY_SECRET_PASSWORD", NEW_PASSWORD)
    create_agent("env@tidewell.example", "--password-env", "MY_SECRET_PASSWORD")
    assert authenticate(username="env@tidewell.example", password=NEW_PASSWORD) is not None


def test_createagent_refuses_an_unknown_role(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError):
        create_agent("who@tidewell.example", "--role", "superhero")
    assert not User.objects.filter(email="who@tidewell.example").exists()


def test_createagent_refuses_a_duplicate_email(
    agent: StaffMember, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError, match="already has an account"):
        create_agent("Carol.Agent@tidewell.example", "--role", StaffRole.SUPPORT_ADMIN)
    assert StaffMember.objects.get(user__email="carol.agent@tidewell.example").role == "agent"


def test_createagent_refuses_the_email_of_a_customer(
    customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError):
        create_agent("alice@example.com")
    assert not StaffMember.objects.filter(user__email="alice@example.com").exists()


@pytest.mark.parametrize(
    ("weak", "reason"),
    [("short", "too short"), ("12345678901234", "entirely numeric"), ("qwertyuiop", "too common")],
)
def test_createagent_refuses_a_weak_password_from_the_environment(
    db: None, monkeypatch: pytest.MonkeyPatch, weak: str, reason: str
) -> None:
    monkeypatch.setenv("PHAROS_AGENT_PASSWORD", weak)
    with translation.override("en"), pytest.raises(CommandError, match=reason):
        create_agent("weak@tidewell.example", "--role", StaffRole.SUPPORT_ADMIN)
    assert not User.objects.filter(email="weak@tidewell.example").exists()


def test_createagent_without_a_password_and_no_terminal_fails(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PHAROS_AGENT_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    with pytest.raises(CommandError, match="No password"):
        create_agent("nopass@tidewell.example")
    assert not User.objects.filter(email="nopass@tidewell.example").exists()


# --- roles -------------------------------------------------------------------------------------
def test_support_admin_gets_the_admin_site_and_help_center_editing(
    support_admin: StaffMember,
) -> None:
    user = User.objects.get(pk=support_admin.user.pk)
    assert user.is_staff
    assert not user.is_superuser
    for model in ("article", "category", "tag", "announcement", "synonymgroup"):
        assert user.has_perm(f"helpcenter.change_{model}")
        assert user.has_perm(f"helpcenter.add_{model}")
    assert user.has_perm("accounts.view_customer")
    assert user.has_module_perms("helpcenter")
    assert not user.has_perm("accounts.change_customer")
    assert not user.has_perm("accounts.change_user")

    response = signed_in(user).get("/admin/")
    assert response.status_code == 200


@pytest.mark.parametrize("fixture", ["agent", "security_agent", "vip_manager"])
def test_front_line_staff_have_no_admin_access(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    staff: StaffMember = request.getfixturevalue(fixture)
    user = User.objects.get(pk=staff.user.pk)
    assert not user.is_staff
    assert not user.has_perm("helpcenter.change_article")
    assert user.has_perm("helpcenter.view_article")

    response = signed_in(user).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_customers_have_no_staff_permissions(customer: Customer) -> None:
    user = User.objects.get(pk=customer.user.pk)
    assert user.get_all_permissions() == set()
    assert signed_in(user).get("/admin/").status_code == 302


def test_disabled_support_admin_loses_permissions(support_admin: StaffMember) -> None:
    User.objects.filter(pk=support_admin.user.pk).update(is_active=False)
    user = User.objects.get(pk=support_admin.user.pk)
    assert not user.has_perm("helpcenter.change_article")


# --- API tokens ----------------------------------------------------------------------------------
def issue_token(email: str, *args: str) -> str:
    out = StringIO()
    call_command("token", email, *args, stdout=out)
    return out.getvalue().strip()


def get_me(token: str | None = None, client: Client | None = None) -> Any:
    client = client or Client()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(ME_URL, headers=headers)


def test_token_command_prints_a_token(customer: Customer) -> None:
    token = issue_token("Alice@Example.com", "--name", "laptop")
    assert token.startswith(services.API_TOKEN_PREFIX)
    assert len(token) > 40
    record = ApiToken.objects.get(user=customer.user)
    assert record.name == "laptop"
    assert record.prefix == token[:12]
    assert len(record.token_hash) == 64  # only a SHA-256 of the token is kept
    assert token[len(services.API_TOKEN_PREFIX) :] not in record.token_hash


def test_token_command_refuses_an_unknown_email(db: None) -> None:
    with pytest.raises(CommandError, match="No active user"):
        issue_token("nobody@example.com")


def test_token_command_refuses_a_disabled_user(customer: Customer) -> None:
    User.objects.filter(pk=customer.user.pk).update(is_active=False)
    with pytest.raises(CommandError):
        issue_token("alice@example.com")


def test_me_with_a_customer_token_returns_the_customer(customer: Customer) -> None:
    response = get_me(issue_token("alice@example.com"))
    assert response.status_code == 200
    assert response.json() == {
        "id": customer.user.pk,
        "email": "alice@example.com",
        "name": "Alice",
        "preferred_language": "en",
        "kind": "customer",
        "uid": "20000001",
        "role": None,
    }


@pytest.mark.parametrize(
    ("fixture", "role"),
    [
        ("agent", "agent"),
        ("security_agent", "security_agent"),
        ("vip_manager", "vip_manager"),
        ("support_admin", "support_admin"),
    ],
)
def test_me_with_a_staff_token_returns_the_role(
    request: pytest.FixtureRequest, fixture: str, role: str
) -> None:
    staff: StaffMember = request.getfixturevalue(fixture)
    body = get_me(issue_token(staff.user.email)).json()
    assert body["kind"] == "staff"
    assert body["role"] == role
    assert body["uid"] is None
    assert body["email"] == staff.user.email


def test_me_records_when_a_token_was_last_used(customer: Customer) -> None:
    token = issue_token("alice@example.com")
    assert ApiToken.objects.get().last_used_at is None
    get_me(token)
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "token", ["phr_not-a-real-token", "not-even-the-prefix", "phr_" + "x" * 300]
)
def test_me_with_a_wrong_token_is_401(customer: Customer, token: str) -> None:
    issue_token("alice@example.com")
    assert get_me(token).status_code == 401


def test_me_with_a_revoked_token_is_401(customer: Customer) -> None:
    token = issue_token("alice@example.com")
    assert get_me(token).status_code == 200
    assert services.revoke_api_tokens(customer.user) == 1
    assert get_me(token).status_code == 401


def test_me_with_the_token_of_a_disabled_user_is_401(customer: Customer) -> None:
    token = issue_token("alice@example.com")
    User.objects.filter(pk=customer.user.pk).update(is_active=False)
    assert get_me(token).status_code == 401


def test_me_for_a_session_signed_in_customer(customer: Customer) -> None:
    response = get_me(client=signed_in(customer.user))
    assert response.status_code == 200
    assert response.json()["uid"] == "20000001"
    assert response.json()["kind"] == "customer"


def test_me_for_an_anonymous_request_is_401(stranger: Client, db: None) -> None:
    assert get_me(client=stranger).status_code == 401


def test_tokens_of_one_user_do_not_sign_in_another(
    customer: Customer, other_customer: Customer
) -> None:
    alice, bob = issue_token("alice@example.com"), issue_token("bob@example.com")
    assert alice != bob
    assert get_me(alice).json()["uid"] == "20000001"
    assert get_me(bob).json()["uid"] == "20000002"


# --- audit ---------------------------------------------------------------------------------------
def test_support_admin_viewing_a_customer_in_the_admin_is_audited(
    support_admin: StaffMember, customer: Customer
) -> None:
    url = reverse("admin:accounts_customer_change", args=[customer.pk])
    response = signed_in(support_admin.user).get(url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert b"20000001" in response.content

    event = AuditEvent.objects.get(action="viewed_customer")
    assert event.actor == support_admin.user
    assert event.target_type == "accounts.customer"
    assert event.target_id == str(customer.pk)
    assert event.detail == {"via": "admin"}
    assert event.ip_address == "203.0.113.9"


def test_support_admin_listing_customers_is_audited(
    support_admin: StaffMember, customer: Customer
) -> None:
    url = reverse("admin:accounts_customer_changelist")
    response = signed_in(support_admin.user).get(url, {"q": "alice"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="listed_customers")
    assert event.actor == support_admin.user
    assert (event.target_type, event.target_id) == ("accounts.customer", "*")
    assert event.detail == {"via": "admin", "query": "q=alice"}


def test_support_admin_cannot_change_a_customer_in_the_admin(
    support_admin: StaffMember, customer: Customer
) -> None:
    url = reverse("admin:accounts_customer_change", args=[customer.pk])
    signed_in(support_admin.user).post(url, {"uid": "99999999"})
    customer.refresh_from_db()
    assert customer.uid == "20000001"


def test_agent_cannot_view_customers_in_the_admin_and_nothing_is_audited(
    agent: StaffMember, customer: Customer
) -> None:
    url = reverse("admin:accounts_customer_change", args=[customer.pk])
    response = signed_in(agent.user).get(url)
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_viewing_a_missing_customer_records_nothing(support_admin: StaffMember) -> None:
    url = reverse("admin:accounts_customer_change", args=[987654])
    signed_in(support_admin.user).get(url)
    assert not AuditEvent.objects.exists()
