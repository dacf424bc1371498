"""Staff confirm their sign-in with an authenticator app when two-factor is required."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pharos.accounts.models import StaffMember

from ..conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db
ADMIN_LOGIN = "/admin/login/"
SETUP = "/en/accounts/two-factor/"


@pytest.fixture(autouse=True)
def _two_factor_required(settings) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the staff member's phone shows now (or a later time step)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead):06d}"


def enrol(browser: Client, staff: StaffMember) -> TOTPDevice:
    response = browser.post(ADMIN_LOGIN, {"username": staff.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    page = browser.get(response["Location"]).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=staff.user, confirmed=False)
    secret = re.search(r'class="secret-key">([A-Z2-7]+)<', page)
    assert secret and len(secret.group(1)) >= 26
    done = browser.post(SETUP, {"token": code(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_first_sign_in_leads_to_setting_up_the_app_then_into_the_admin(support_admin) -> None:
    browser = Client()
    enrol(browser, support_admin)
    assert browser.get("/admin/").status_code == 200


def test_a_wrong_first_code_does_not_turn_two_factor_on(support_admin) -> None:
    browser = Client()
    browser.post(ADMIN_LOGIN, {"username": support_admin.user.email, "password": PASSWORD})
    page = browser.post(SETUP, {"token": "000000"})
    assert "That code is not right" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=support_admin.user, confirmed=True).exists()
    assert browser.get("/admin/").status_code == 302


def test_later_sign_ins_need_the_current_code_once(support_admin) -> None:
    device = enrol(Client(), support_admin)
    credentials = {"username": support_admin.user.email, "password": PASSWORD}

    without_code = Client()
    page = without_code.post(ADMIN_LOGIN, credentials)
    assert page.status_code == 200
    assert "6-digit code" in page.content.decode()
    assert without_code.get("/admin/").status_code == 302

    replayed = Client()  # the code used to enrol cannot be used again
    replayed.post(ADMIN_LOGIN, {**credentials, "otp_token": code(device)})
    assert replayed.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    right = Client()
    response = right.post(ADMIN_LOGIN, {**credentials, "otp_token": code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert right.get("/admin/").status_code == 200


def test_wrong_codes_slow_further_tries_down(support_admin) -> None:
    device = enrol(Client(), support_admin)
    credentials = {"username": support_admin.user.email, "password": PASSWORD}
    Client().post(ADMIN_LOGIN, {**credentials, "otp_token": "123456"})
    # Even the right code is refused while the device is throttled after a wrong one.
    throttled = Client()
    throttled.post(ADMIN_LOGIN, {**credentials, "otp_token": code(device, steps_ahead=1)})
    assert throttled.get("/admin/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_a_password_only_session_is_kept_out_of_the_admin(support_admin) -> None:
    assert signed_in(support_admin.user).get("/admin/helpcenter/article/").status_code == 302


def test_customers_have_no_authenticator_set_up(customer) -> None:
    assert signed_in(customer.user).get(SETUP).status_code == 403
    assert Client().get(SETUP).status_code == 302  # to sign in


def test_without_the_requirement_a_password_is_enough(support_admin, settings) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    browser = Client()
    browser.post(ADMIN_LOGIN, {"username": support_admin.user.email, "password": PASSWORD})
    assert browser.get("/admin/").status_code == 200


def test_an_admin_resets_a_lost_authenticator_and_it_is_audited(support_admin, agent) -> None:
    from pharos.accounts.models import AuditEvent

    enrol(Client(), support_admin)
    admin_browser = Client()
    device = TOTPDevice.objects.get(user=support_admin.user)
    device.throttle_reset()
    admin_browser.post(
        ADMIN_LOGIN,
        {"username": support_admin.user.email, "password": PASSWORD,
         "otp_token": code(device, steps_ahead=1)},
    )  # fmt: skip
    TOTPDevice.objects.create(user=agent.user, name="authenticator", confirmed=True)
    response = admin_browser.post(
        "/admin/accounts/staffmember/",
        {"action": "reset_two_factor", "_selected_action": [agent.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=agent.user).exists()
    assert AuditEvent.objects.filter(action="reset_two_factor", target_id=str(agent.pk)).exists()
