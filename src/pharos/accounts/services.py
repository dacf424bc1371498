"""Account actions: creating customers and staff, API tokens, signing customers in from
the exchange, and the audit trail of staff access to customer data."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ApiToken,
    AuditEvent,
    Customer,
    StaffMember,
    StaffRole,
    UsedSignInToken,
    User,
)

API_TOKEN_PREFIX = "phr_"  # noqa: S105 (a marker, not a secret)


class AccountError(Exception):
    """A request about accounts that cannot be carried out; the message says why."""


def normalize_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def _language(value: str | None) -> str:
    value = (value or "").lower()
    if value.startswith("zh"):
        return "zh-hans"
    return value if value in {code for code, _ in settings.LANGUAGES} else "en"


# --- customers and staff -------------------------------------------------------------------
@transaction.atomic
def create_customer(
    *,
    uid: str,
    email: str | None = None,
    phone: str = "",
    display_name: str = "",
    language: str = "en",
    password: str | None = None,
    anti_phishing_code: str = "",
) -> Customer:
    uid = uid.strip()
    if not uid or len(uid) > 32 or not (uid.isascii() and uid.isalnum()):
        raise AccountError("A UID is 1 to 32 letters or digits.")
    if Customer.objects.filter(uid=uid).exists():
        raise AccountError(f"A customer with UID {uid} already exists.")
    email = normalize_email(email)
    if email and User.objects.filter(email=email).exists():
        raise AccountError(f"{email} already belongs to another account.")
    user = User.objects.create_user(
        email, password, display_name=display_name, preferred_language=_language(language)
    )
    return Customer.objects.create(
        user=user, uid=uid, phone=phone.strip(), anti_phishing_code=anti_phishing_code.strip()
    )


@transaction.atomic
def create_staff_member(
    *,
    email: str,
    role: str,
    display_name: str = "",
    password: str | None = None,
    languages: list[str] | None = None,
) -> StaffMember:
    email_address = normalize_email(email)
    if not email_address:
        raise AccountError("Staff need an email address to sign in.")
    if role not in StaffRole.values:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(StaffRole.values)}.")
    if User.objects.filter(email=email_address).exists():
        raise AccountError(f"{email_address} already has an account.")
    user = User.objects.create_user(
        email_address,
        password,
        display_name=display_name,
        preferred_language=_language((languages or ["en"])[0]),
        # Support admins edit the help center in the admin site.
        is_staff=role == StaffRole.SUPPORT_ADMIN,
    )
    return StaffMember.objects.create(
        user=user,
        role=role,
        languages=[_language(language) for language in (languages or ["zh-hans", "en"])],
    )


def staff_role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return str(user.staff.role)
    except StaffMember.DoesNotExist:
        return None


# --- API tokens --------------------------------------------------------------------------------
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, name: str = "personal") -> str:
    """Create a personal API token for `user` and return it. It cannot be shown again."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name[:100], prefix=token[:12], token_hash=_hash_token(token)
    )
    return token


def user_for_api_token(token: str) -> User | None:
    if not token.startswith(API_TOKEN_PREFIX) or len(token) > 200:
        return None
    # The customer or staff record comes along: every API view asks which one it is.
    # A slice, not first(): hashes are unique, and first() would add an ORDER BY.
    found = ApiToken.objects.select_related("user__customer", "user__staff").filter(
        token_hash=_hash_token(token), revoked_at__isnull=True, user__is_active=True
    )[:1]
    record = found[0] if found else None
    if record is None:
        return None
    now = timezone.now()
    # One write a minute at most, not one per request.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def revoke_api_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- signing in from the exchange ----------------------------------------------------------------
class SignInRejected(AccountError):
    pass


@dataclass(frozen=True)
class ExchangeIdentity:
    uid: str
    email: str | None
    phone: str
    display_name: str
    language: str


REQUIRED_CLAIMS = ["sub", "exp", "iat", "jti"]


def read_exchange_token(token: str) -> tuple[ExchangeIdentity, str, int]:
    """Check a sign-in token from the exchange (see docs/exchange-sign-in.md): an HS256
    JWT signed with the shared secret, short-lived. Returns the identity, the token ID
    and its expiry (seconds since the epoch)."""
    secret = settings.EXCHANGE_SSO_SECRET
    if not secret:
        raise SignInRejected(_("Signing in from the exchange is not configured."))
    if len(token) > 4096:
        raise SignInRejected(_("The sign-in token is too long."))
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": REQUIRED_CLAIMS},
            audience="pharos",
            leeway=30,
        )
    except jwt.ExpiredSignatureError as error:
        raise SignInRejected(
            _("The sign-in link has expired; open support again from the exchange.")
        ) from error
    except jwt.InvalidTokenError as error:
        raise SignInRejected(_("The sign-in token is not valid.")) from error
    issued_at, expires_at = int(claims["iat"]), int(claims["exp"])
    if expires_at - issued_at > settings.EXCHANGE_SSO_MAX_AGE_SECONDS:
        raise SignInRejected(_("The sign-in token lives longer than allowed."))
    if issued_at > timezone.now().timestamp() + 30:
        raise SignInRejected(_("The sign-in token was issued in the future."))
    uid = str(claims["sub"]).strip()
    if not (uid.isascii() and uid.isalnum()) or len(uid) > 32:
        raise SignInRejected(_("The sign-in token carries an invalid UID."))
    token_id = str(claims["jti"]).strip()[:128]
    if not token_id:  # an empty ID would make the token's single use meaningless
        raise SignInRejected(_("The sign-in token is not valid."))
    identity = ExchangeIdentity(
        uid=uid,
        email=normalize_email(str(claims.get("email") or "")),
        phone=str(claims.get("phone") or "")[:32],
        display_name=str(claims.get("name") or "")[:150],
        language=_language(str(claims.get("lang") or "")),
    )
    return identity, token_id, expires_at


@transaction.atomic
def sign_in_from_exchange(token: str) -> User:
    """The customer a valid, unused exchange token names, created or updated from the
    token's claims. Each token works once."""
    identity, token_id, expires_at = read_exchange_token(token)
    UsedSignInToken.objects.filter(expires_at__lt=timezone.now() - timedelta(minutes=5)).delete()
    try:
        with transaction.atomic():
            UsedSignInToken.objects.create(
                token_id=token_id,
                expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
            )
    except IntegrityError as replay:
        raise SignInRejected(_("This sign-in link was already used.")) from replay
    customer = Customer.objects.select_related("user").filter(uid=identity.uid).first()
    # An email already used by someone else is not taken over: the UID is the identity.
    email_free = (
        identity.email
        and not User.objects.filter(email=identity.email)
        .exclude(customer__uid=identity.uid)
        .exists()
    )
    if customer is None:
        try:
            with transaction.atomic():
                customer = create_customer(
                    uid=identity.uid,
                    email=identity.email if email_free else None,
                    phone=identity.phone,
                    display_name=identity.display_name,
                    language=identity.language,
                )
            return customer.user
        except (IntegrityError, AccountError):
            # Two first sign-ins of one trader at the same moment: the other one created
            # the customer (or took the email); continue with what is there now.
            customer = Customer.objects.select_related("user").filter(uid=identity.uid).first()
            if customer is None:
                raise SignInRejected(_("The sign-in token is not valid.")) from None
    user = customer.user
    if not user.is_active:
        raise SignInRejected(_("This account is disabled."))
    if email_free and user.email != identity.email:
        user.email = identity.email
    if identity.display_name:
        user.display_name = identity.display_name
    user.save(update_fields=["email", "display_name"])
    if identity.phone and customer.phone != identity.phone:
        customer.phone = identity.phone
        customer.save(update_fields=["phone"])
    return user


# --- audit ---------------------------------------------------------------------------------------
def record_audit_event(
    actor: User | AnonymousUser | None,
    action: str,
    target: Any,
    *,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `target`: a model instance, or a model class
    for actions on many rows (a list view)."""
    meta = getattr(target, "_meta", None)
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        target_type=meta.label_lower if meta else type(target).__name__,
        target_id="*" if isinstance(target, type) else str(getattr(target, "pk", target)),
        detail=detail or {},
        ip_address=request.META.get("REMOTE_ADDR") if request else None,
    )
