"""Signing in: with a password on the login page, and from the exchange with a signed,
short-lived, single-use JWT (docs/exchange-sign-in.md)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from pharos.accounts.models import Customer, StaffMember, UsedSignInToken, User
from tests.conftest import PASSWORD

LOGIN_URL = "/en/accounts/login/"
EXCHANGE_URL = "/en/accounts/exchange/"
HOME = "/en/"
SSO_SECRET = "exchange-sso-test-secret-of-at-least-32-bytes"
MISSING = object()


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


# --- password sign-in --------------------------------------------------------------------------
def sign_in_with_password(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_login_page_renders(stranger: Client, db: None) -> None:
    response = stranger.get(LOGIN_URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_customer_signs_in_with_email_and_password(stranger: Client, customer: Customer) -> None:
    response = sign_in_with_password(stranger, "alice@example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert signed_in_user_id(stranger) == customer.user.pk


def test_email_sign_in_ignores_case_and_surrounding_spaces(
    stranger: Client, customer: Customer
) -> None:
    sign_in_with_password(stranger, "  Alice@Example.COM ", PASSWORD)
    assert signed_in_user_id(stranger) == customer.user.pk


def test_customer_signs_in_with_uid_and_password(stranger: Client, customer: Customer) -> None:
    response = sign_in_with_password(stranger, "20000001", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(stranger) == customer.user.pk


def test_staff_member_signs_in_with_email(stranger: Client, agent: StaffMember) -> None:
    sign_in_with_password(stranger, "carol.agent@tidewell.example", PASSWORD)
    assert signed_in_user_id(stranger) == agent.user.pk


def test_sign_in_follows_a_local_next(stranger: Client, customer: Customer) -> None:
    response = stranger.post(
        LOGIN_URL, {"username": "20000001", "password": PASSWORD, "next": "/zh-hans/"}
    )
    assert response["Location"] == "/zh-hans/"


def test_wrong_password_shows_an_error_and_does_not_sign_in(
    stranger: Client, customer: Customer
) -> None:
    response = sign_in_with_password(stranger, "alice@example.com", "not-the-password")
    assert response.status_code == 200
    assert b"The email/UID or password is not right" in response.content
    assert signed_in_user_id(stranger) is None


def test_unknown_account_shows_the_same_error(stranger: Client, db: None) -> None:
    response = sign_in_with_password(stranger, "nobody@example.com", PASSWORD)
    assert response.status_code == 200
    assert b"The email/UID or password is not right" in response.content
    assert signed_in_user_id(stranger) is None


def test_disabled_account_cannot_sign_in(stranger: Client, customer: Customer) -> None:
    User.objects.filter(pk=customer.user.pk).update(is_active=False)
    sign_in_with_password(stranger, "alice@example.com", PASSWORD)
    assert signed_in_user_id(stranger) is None


def test_customer_without_password_cannot_sign_in_with_an_empty_one(
    stranger: Client, db: None
) -> None:
    from pharos.accounts import services

    services.create_customer(uid="20000099", email="nopass@example.com")
    sign_in_with_password(stranger, "20000099", "")
    assert signed_in_user_id(stranger) is None


def test_login_rate_limit_answers_429_after_too_many_attempts(
    stranger: Client, customer: Customer
) -> None:
    limit, _window = django_settings.RATE_LIMITS["login"]
    for _ in range(limit):
        assert sign_in_with_password(stranger, "20000001", "wrong-password").status_code == 200
    response = sign_in_with_password(stranger, "20000001", "wrong-password")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content


def test_rate_limited_sign_in_neither_signs_in_nor_reveals_the_password(
    stranger: Client, customer: Customer
) -> None:
    limit, _window = django_settings.RATE_LIMITS["login"]
    for _ in range(limit):
        sign_in_with_password(stranger, "20000001", "wrong-password")
    right = sign_in_with_password(stranger, "20000001", PASSWORD)
    wrong = sign_in_with_password(stranger, "20000001", "another-wrong-password")
    assert right.status_code == wrong.status_code == 429
    assert signed_in_user_id(stranger) is None
    # The password is not even checked, so the two answers cannot be told apart.
    assert b"The email/UID or password is not right" not in right.content
    assert b"The email/UID or password is not right" not in wrong.content


def test_production_password_hashers_start_with_argon2() -> None:
    import pharos.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


# --- exchange sign-in --------------------------------------------------------------------------
@pytest.fixture
def sso_secret(settings: Any) -> str:
    settings.EXCHANGE_SSO_SECRET = SSO_SECRET
    return SSO_SECRET


def exchange_token(
    *, secret: str = SSO_SECRET, lifetime: int = 120, issued_ago: int = 0, **claims: Any
) -> str:
    """An HS256 sign-in token as the exchange would mint it; pass `claim=MISSING` to leave
    a claim out."""
    now = int(time.time()) - issued_ago
    payload: dict[str, Any] = {
        "sub": "30000001",
        "email": "trader@example.com",
        "phone": "+1 555 0100",
        "name": "Terry Trader",
        "lang": "en",
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "aud": "pharos",
    }
    payload.update(claims)
    payload = {key: value for key, value in payload.items() if value is not MISSING}
    return jwt.encode(payload, secret, algorithm="HS256")


def sign_in_from_exchange(client: Client, token: str, next_url: str = "", lang: str = "en") -> Any:
    query = {"token": token}
    if next_url:
        query["next"] = next_url
    return client.get(f"/{lang}/accounts/exchange/", query)


def assert_refused(response: Any, client: Client, reason: str) -> None:
    assert response.status_code == 403
    assert escape(reason).encode() in response.content
    assert signed_in_user_id(client) is None


@pytest.mark.usefixtures("sso_secret")
def test_valid_exchange_token_signs_in_and_creates_the_customer(stranger: Client, db: None) -> None:
    response = sign_in_from_exchange(stranger, exchange_token(), next_url="/en/?from=exchange")
    assert response.status_code == 302
    assert response["Location"] == "/en/?from=exchange"
    customer = Customer.objects.select_related("user").get(uid="30000001")
    assert customer.user.email == "trader@example.com"
    assert customer.user.display_name == "Terry Trader"
    assert customer.phone == "+1 555 0100"
    assert customer.user.preferred_language == "en"
    assert not customer.user.has_usable_password()
    assert signed_in_user_id(stranger) == customer.user.pk


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_without_next_goes_to_the_help_center(stranger: Client, db: None) -> None:
    response = sign_in_from_exchange(stranger, exchange_token())
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_takes_the_chinese_language_claim(stranger: Client, db: None) -> None:
    sign_in_from_exchange(stranger, exchange_token(lang="zh-CN"))
    assert Customer.objects.get(uid="30000001").user.preferred_language == "zh-hans"


@pytest.mark.usefixtures("sso_secret")
def test_phone_only_trader_signs_in_without_email(stranger: Client, db: None) -> None:
    sign_in_from_exchange(stranger, exchange_token(email=MISSING, name=MISSING))
    customer = Customer.objects.select_related("user").get(uid="30000001")
    assert customer.user.email is None
    assert signed_in_user_id(stranger) == customer.user.pk


@pytest.mark.usefixtures("sso_secret")
def test_second_exchange_sign_in_updates_the_existing_customer(stranger: Client, db: None) -> None:
    sign_in_from_exchange(stranger, exchange_token())
    first = Customer.objects.get(uid="30000001")

    again = Client()
    response = sign_in_from_exchange(
        again,
        exchange_token(email="Terry.New@Example.com", name="Terry N.", phone="+1 555 0199"),
    )
    assert response.status_code == 302
    assert Customer.objects.filter(uid="30000001").count() == 1
    customer = Customer.objects.select_related("user").get(uid="30000001")
    assert customer.pk == first.pk
    assert customer.user.email == "terry.new@example.com"
    assert customer.user.display_name == "Terry N."
    assert customer.phone == "+1 555 0199"
    assert signed_in_user_id(again) == customer.user.pk


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_of_an_existing_password_customer_keeps_their_password(
    stranger: Client, customer: Customer
) -> None:
    sign_in_from_exchange(stranger, exchange_token(sub="20000001", email="alice@example.com"))
    assert signed_in_user_id(stranger) == customer.user.pk
    customer.user.refresh_from_db()
    assert customer.user.check_password(PASSWORD)
    assert customer.user.display_name == "Terry Trader"


@pytest.mark.usefixtures("sso_secret")
def test_replayed_exchange_token_is_refused(stranger: Client, db: None) -> None:
    token = exchange_token()
    assert sign_in_from_exchange(stranger, token).status_code == 302

    replay = Client()
    response = sign_in_from_exchange(replay, token)
    assert_refused(response, replay, "This sign-in link was already used.")


@pytest.mark.usefixtures("sso_secret")
def test_token_with_a_used_jti_is_refused_even_when_re_signed(stranger: Client, db: None) -> None:
    sign_in_from_exchange(stranger, exchange_token(jti="one-time-id"))
    other = Client()
    response = sign_in_from_exchange(other, exchange_token(jti="one-time-id", name="Someone"))
    assert_refused(response, other, "This sign-in link was already used.")


REFUSALS = {
    "expired": (
        {"issued_ago": 200, "lifetime": 120},
        "The sign-in link has expired; open support again from the exchange.",
    ),
    "wrong signature": (
        {"secret": "a-different-secret-of-at-least-32-bytes!"},
        "The sign-in token is not valid.",
    ),
    "missing jti": ({"jti": MISSING}, "The sign-in token is not valid."),
    "empty jti": ({"jti": ""}, "The sign-in token is not valid."),
    "missing sub": ({"sub": MISSING}, "The sign-in token is not valid."),
    "missing exp": ({"exp": MISSING}, "The sign-in token is not valid."),
    "missing iat": ({"iat": MISSING}, "The sign-in token is not valid."),
    "wrong audience": ({"aud": "someone-else"}, "The sign-in token is not valid."),
    "missing audience": ({"aud": MISSING}, "The sign-in token is not valid."),
    "lives too long": ({"lifetime": 301}, "The sign-in token lives longer than allowed."),
    "issued in the future": (
        {"issued_ago": -600, "lifetime": 60},
        "The sign-in token is not valid.",
    ),
    "uid with a slash": ({"sub": "3000/0001"}, "The sign-in token carries an invalid UID."),
    "uid with dots": ({"sub": "..30000001"}, "The sign-in token carries an invalid UID."),
    "uid with a space": ({"sub": "3000 0001"}, "The sign-in token carries an invalid UID."),
    "uid with a dash": ({"sub": "3000-0001"}, "The sign-in token carries an invalid UID."),
    "non-ascii digits": ({"sub": "３０００"}, "The sign-in token carries an invalid UID."),
    "uid too long": ({"sub": "1" * 33}, "The sign-in token carries an invalid UID."),
    "blank uid": ({"sub": "   "}, "The sign-in token carries an invalid UID."),
}


@pytest.mark.usefixtures("sso_secret")
@pytest.mark.parametrize(("overrides", "reason"), REFUSALS.values(), ids=REFUSALS.keys())
def test_invalid_exchange_token_is_refused_and_creates_nothing(
    stranger: Client, db: None, settings: Any, overrides: dict[str, Any], reason: str
) -> None:
    settings.EXCHANGE_SSO_MAX_AGE_SECONDS = 300
    users, customers = User.objects.count(), Customer.objects.count()
    used = UsedSignInToken.objects.count()

    response = sign_in_from_exchange(stranger, exchange_token(**overrides))

    assert_refused(response, stranger, reason)
    assert User.objects.count() == users
    assert Customer.objects.count() == customers
    assert UsedSignInToken.objects.count() == used


@pytest.mark.usefixtures("sso_secret")
def test_garbage_and_missing_tokens_are_refused(stranger: Client, db: None) -> None:
    assert_refused(
        sign_in_from_exchange(stranger, "not-a-jwt"), stranger, "The sign-in token is not valid."
    )
    response = stranger.get(EXCHANGE_URL)
    assert_refused(response, stranger, "The sign-in token is not valid.")
    assert_refused(
        sign_in_from_exchange(stranger, "x" * 5000), stranger, "The sign-in token is too long."
    )


@pytest.mark.usefixtures("sso_secret")
def test_token_signed_with_none_algorithm_is_refused(stranger: Client, db: None) -> None:
    now = int(time.time())
    claims = {"sub": "30000001", "iat": now, "exp": now + 60, "jti": "x1", "aud": "pharos"}
    token = jwt.encode(claims, None, algorithm="none")
    assert_refused(
        sign_in_from_exchange(stranger, token), stranger, "The sign-in token is not valid."
    )
    assert not Customer.objects.filter(uid="30000001").exists()


@pytest.mark.usefixtures("sso_secret")
def test_max_age_setting_is_honoured(stranger: Client, db: None, settings: Any) -> None:
    settings.EXCHANGE_SSO_MAX_AGE_SECONDS = 60
    response = sign_in_from_exchange(stranger, exchange_token(lifetime=90))
    assert_refused(response, stranger, "The sign-in token lives longer than allowed.")


@pytest.mark.usefixtures("sso_secret")
def test_email_of_another_customer_is_not_taken_over(
    stranger: Client, other_customer: Customer
) -> None:
    response = sign_in_from_exchange(stranger, exchange_token(email="BOB@example.com"))
    assert response.status_code == 302
    newcomer = Customer.objects.select_related("user").get(uid="30000001")
    assert newcomer.user.email is None
    assert signed_in_user_id(stranger) == newcomer.user.pk
    other_customer.user.refresh_from_db()
    assert other_customer.user.email == "bob@example.com"
    assert User.objects.get(email="bob@example.com").pk == other_customer.user.pk


@pytest.mark.usefixtures("sso_secret")
def test_email_of_a_staff_member_is_not_taken_over(stranger: Client, agent: StaffMember) -> None:
    sign_in_from_exchange(stranger, exchange_token(email="carol.agent@tidewell.example"))
    newcomer = Customer.objects.select_related("user").get(uid="30000001")
    assert newcomer.user.email is None
    assert signed_in_user_id(stranger) == newcomer.user.pk
    assert User.objects.get(email="carol.agent@tidewell.example").pk == agent.user.pk


@pytest.mark.usefixtures("sso_secret")
def test_existing_customer_does_not_take_over_an_email_in_use(
    stranger: Client, customer: Customer, other_customer: Customer
) -> None:
    sign_in_from_exchange(stranger, exchange_token(sub="20000001", email="bob@example.com"))
    assert signed_in_user_id(stranger) == customer.user.pk
    customer.user.refresh_from_db()
    assert customer.user.email == "alice@example.com"
    other_customer.user.refresh_from_db()
    assert other_customer.user.email == "bob@example.com"


@pytest.mark.usefixtures("sso_secret")
def test_disabled_customer_cannot_sign_in_from_the_exchange(
    stranger: Client, customer: Customer
) -> None:
    User.objects.filter(pk=customer.user.pk).update(is_active=False)
    response = sign_in_from_exchange(stranger, exchange_token(sub="20000001"))
    assert_refused(response, stranger, "This account is disabled.")


@pytest.mark.usefixtures("sso_secret")
@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_next_pointing_elsewhere_is_ignored(stranger: Client, db: None, next_url: str) -> None:
    response = sign_in_from_exchange(stranger, exchange_token(), next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert signed_in_user_id(stranger) is not None


def test_exchange_sign_in_is_refused_when_not_configured(
    stranger: Client, db: None, settings: Any
) -> None:
    settings.EXCHANGE_SSO_SECRET = ""
    response = sign_in_from_exchange(stranger, exchange_token())
    assert_refused(response, stranger, "Signing in from the exchange is not configured.")
    assert not Customer.objects.filter(uid="30000001").exists()


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_is_rate_limited(stranger: Client, db: None) -> None:
    limit, _window = django_settings.RATE_LIMITS["login"]
    for _ in range(limit):
        sign_in_from_exchange(stranger, "not-a-jwt")
    response = sign_in_from_exchange(stranger, exchange_token())
    assert response.status_code == 429
    assert signed_in_user_id(stranger) is None
    assert not Customer.objects.filter(uid="30000001").exists()


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_refusal_renders_in_chinese(stranger: Client, db: None) -> None:
    response = sign_in_from_exchange(
        stranger, exchange_token(issued_ago=200, lifetime=120), lang="zh-hans"
    )
    assert response.status_code == 403
    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        reason = translation.gettext(
            "The sign-in link has expired; open support again from the exchange."
        )
    assert escape(reason).encode() in response.content
    assert signed_in_user_id(stranger) is None


@pytest.mark.usefixtures("sso_secret")
def test_replay_refusal_renders_in_chinese(stranger: Client, db: None) -> None:
    token = exchange_token()
    sign_in_from_exchange(stranger, token, lang="zh-hans")
    replay = Client()
    response = sign_in_from_exchange(replay, token, lang="zh-hans")
    assert response.status_code == 403
    with translation.override("zh-hans"):
        reason = translation.gettext("This sign-in link was already used.")
    assert escape(reason).encode() in response.content


@pytest.mark.usefixtures("sso_secret")
def test_exchange_sign_in_in_chinese_redirects_to_the_chinese_help_center(
    stranger: Client, db: None
) -> None:
    response = sign_in_from_exchange(stranger, exchange_token(), lang="zh-hans")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


# --- someone else is already signed in ------------------------------------------------------


def test_a_link_for_another_account_asks_before_switching(
    sso_secret: str, customer: Customer
) -> None:
    browser = Client()
    browser.force_login(customer.user)
    token = exchange_token(sub="70000007", email="seven@example.com")
    page = browser.get(EXCHANGE_URL, {"token": token, "next": "/en/guide/"})
    assert page.status_code == 200
    assert "70000007" in page.content.decode()
    assert signed_in_user_id(browser) == customer.user.pk  # nothing changed yet
    response = browser.post(EXCHANGE_URL, {"token": token, "next": "/en/guide/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/guide/"
    assert signed_in_user_id(browser) == Customer.objects.get(uid="70000007").user.pk


def test_a_link_for_the_same_account_signs_in_without_asking(sso_secret: str, db: None) -> None:
    browser = Client()
    sign_in_from_exchange(browser, exchange_token(sub="70000009", email="nine@example.com"))
    again = browser.get(EXCHANGE_URL, {"token": exchange_token(sub="70000009")})
    assert again.status_code == 302


def test_the_switch_needs_the_csrf_token(sso_secret: str, customer: Customer) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer.user)
    response = browser.post(EXCHANGE_URL, {"token": exchange_token(sub="70000008")})
    assert response.status_code == 403
    assert not Customer.objects.filter(uid="70000008").exists()


def test_a_login_page_that_points_back_at_itself_does_not_loop(customer: Customer) -> None:
    browser = Client()
    browser.force_login(customer.user)
    response = browser.get(LOGIN_URL, {"next": LOGIN_URL})
    assert response.status_code == 302
    assert response["Location"] != LOGIN_URL
