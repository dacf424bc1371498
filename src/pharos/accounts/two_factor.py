"""Two-factor sign-in for staff: a time-based code from an authenticator app (TOTP,
RFC 6238) after the password. Staff enrol once; the admin site (and later the agent
console) lets only verified sessions in when STAFF_TWO_FACTOR_REQUIRED is on."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "authenticator"


def is_required() -> bool:
    return bool(settings.STAFF_TWO_FACTOR_REQUIRED)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def enrollment_device(user: User) -> TOTPDevice:
    """The device being set up: the unconfirmed one already started, or a new secret."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps ask for it when typed by hand."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_code_svg(device: TOTPDevice) -> str:
    """An inline SVG of the otpauth:// address, to scan with the authenticator app."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # without the XML declaration


def confirm_enrollment(request: HttpRequest, user: User, token: str) -> bool:
    """Finish set-up with a first code: the device becomes the user's, the session verified.
    A previously confirmed device is replaced (a lost phone is re-enrolled by an admin)."""
    device = enrollment_device(user)
    if not device.verify_token(_digits(token)):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def verify_sign_in(user: User, token: str) -> TOTPDevice | None:
    """The staff member's device if `token` is its current code (each code works once; the
    device throttles repeated wrong codes itself)."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(_digits(token)):
        return None
    return device


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Record in the (already signed-in) session that its second factor was checked."""
    otp_login(request, device)


def is_verified(user: object) -> bool:
    verified = getattr(user, "is_verified", None)  # added by django_otp's middleware
    return bool(verified and verified())


def session_is_verified(user: User, session: object) -> bool:
    """For connections django_otp's middleware does not see (the chat's sockets): the
    session confirmed a device of this user."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.models import Device

    persistent_id = getattr(session, "get", lambda key: None)(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk


def staff_may_work(user: User, session: object) -> bool:
    """Staff reach the console (and its sockets) with a verified session when two-factor
    sign-in is required."""
    return not is_required() or session_is_verified(user, session)


def reset(user: User) -> int:
    """Forget a staff member's authenticator (lost phone); they enrol again at next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def _digits(token: str) -> str:
    return "".join(character for character in token if character.isdigit())[:8]
