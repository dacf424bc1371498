"""Passwords, one-time codes and card numbers. Passwords and codes are redacted only when
given after a label ("password: …", "验证码 …"), and only the value goes: talking about a
password or a code is not giving one. A card number needs a valid Luhn digit, a prefix and
length that a card network issues, and no order, UID or transaction label nearer than a
card label, so that support keeps order numbers and UIDs."""

from __future__ import annotations

import re

from .labels import END, GIVES, LABEL_REACH, QUALIFIER, label_matches, last_label, mentions
from .view import Span

# Passwords -----------------------------------------------------------------------------

# A value given after a label: printable ASCII without spaces, or quoted.
_VALUE = (
    r"""(?P<value>"[^"\n]{1,64}"|'[^'\n]{1,64}'|“[^”\n]{1,64}”"""
    r"|[\x21-\x7e]{4,64}(?![\x21-\x7e]))"
)
_PASSWORD = re.compile(
    # An English label is followed by a space, quote, ":" or "=" ("password.label" and
    # "[password](link)" are code and markup, not a password given). "动态密码" and
    # "一次性密码" are one-time codes.
    r"(?:(?:password|passwd|passphrase|pass[\s_-]word|pwd|pw)s?(?=[\s:=\"'`])"
    r"|密(?<!动态密)(?<!動態密)(?<!一次性密)[码碼])"
    f"{QUALIFIER}{GIVES}{_VALUE}"
)
_PASSWORD_WORDS = ("pass", "pw", "密码", "密碼")
_TRAILING_PUNCTUATION = ".,;:?)]}>\"'`"
_SYMBOLS = frozenset("!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~")
_DATE_OR_TIME = re.compile(r"\d{1,4}[-/.:]\d{1,2}(?:[-/.:]\d{1,4})*")


def password_spans(text: str, lowered: str) -> list[Span]:
    if not mentions(lowered, _PASSWORD_WORDS):
        return []
    spans: list[Span] = []
    for found in label_matches(_PASSWORD, lowered):
        start, end = found.span("value")
        value = text[start:end]
        if value[0] in "\"'“":
            start, end, value = start + 1, end - 1, value[1:-1]
            quoted = True
        else:
            quoted = False
            stripped = value.rstrip(_TRAILING_PUNCTUATION)
            end -= len(value) - len(stripped)
            value = stripped
        if _looks_like_password(value, quoted):
            spans.append((start, end, "password"))
    return spans


def _looks_like_password(value: str, quoted: bool) -> bool:
    if len(value) < 4 or _DATE_OR_TIME.fullmatch(value):
        return False
    if value[0] in "([{<)]}>.,;:|/\\~":
        return False  # markup, code or a path: '["Password", "密码"]', "(article:…)", "/home"
    if quoted:
        return True
    letters = sum(character.isalpha() for character in value)
    digits = sum(character.isdigit() for character in value)
    symbols = sum(character in _SYMBOLS for character in value)
    if digits == len(value):
        return digits >= 6  # a trading password, "资金密码是 135790"; not "2024"
    if letters and digits:
        return True
    return bool(letters and symbols and len(value) >= 6)


# One-time codes ------------------------------------------------------------------------

# The nouns of a one-time code. "code", "pin" and "token" need a word before them that
# makes them one ("SMS code", "Google Authenticator code"), or, for "code", a given six
# digits ("the code is 120398").
_CODE_VALUE = (
    rf"(?P<gives>{GIVES})"
    r"(?<![0-9])(?P<value>[0-9]{3}[ -][0-9]{3}|[0-9]{4,8})(?![0-9]|[.,:/-][0-9])"
)
_ONE_TIME_CODE = re.compile(
    rf"(?P<noun>passcode|code|pin|token|otp|2fa|totp|mfa|authenticator)s?{END}{_CODE_VALUE}"
)
_ONE_TIME_CODE_CHINESE = re.compile(
    r"(?:验证码|驗證碼|校验码|校驗碼|动态码|動態碼|动态密码|動態密碼|安全码|認證碼|认证码"
    rf"|一次性密码|谷歌验证器?|谷歌驗證器?){_CODE_VALUE}"
)
_ONE_TIME_CODE_WORDS = (
    "code", "otp", "2fa", "pin", "token", "authenticator", "mfa", "码", "碼", "谷歌验证",
    "谷歌驗證", "動態密碼", "动态密码",
)  # fmt: skip
_CODE_QUALIFIER = re.compile(
    r"(?:2fa|mfa|otp|totp|sms|text|phone|mobile|e-?mail|google|ga|authenticator|auth"
    r"|verification|verify|security|confirmation|login|sign[\s-]?in|reset|withdrawal"
    r"|one[\s-]?time|2[\s-]?step|two[\s-]?factor)[\s_-]+"
    r"(?:(?:authenticator|auth|verification|2fa|security|login)[\s_-]+)?$"
)
_OTHER_CODES = frozenset(
    "promo promotion promotional referral refer invite invitation coupon voucher gift reward "
    "discount redeem redemption error status response http post postal zip country area sort "
    "swift bank branch reason tracking order product source qr bar".split()
)
_LAST_WORD = re.compile(r"([a-z]+)[\s_-]+$")


def one_time_code_spans(text: str, lowered: str) -> list[Span]:
    if not mentions(lowered, _ONE_TIME_CODE_WORDS):
        return []
    spans: list[Span] = []
    for found in label_matches(_ONE_TIME_CODE, lowered):
        if found.group("noun") in ("code", "pin", "token") and not _qualified_code(found, lowered):
            continue
        spans.append((found.start("value"), found.end("value"), "one_time_code"))
    if not text.isascii():
        spans.extend(
            (found.start("value"), found.end("value"), "one_time_code")
            for found in _ONE_TIME_CODE_CHINESE.finditer(lowered)
        )
    return spans


def _qualified_code(found: re.Match[str], lowered: str) -> bool:
    """Whether a "code", "pin" or "token" given digits is a one-time code: a word before
    it says so ("SMS code"), or it is a bare "code" given six digits ("the code is
    120398", not "referral code: 884422")."""
    before = max(0, found.start() - LABEL_REACH)
    if _CODE_QUALIFIER.search(lowered, before, found.start()):
        return True
    if found.group("noun") != "code" or not found.group("gives").strip(" \"'`"):
        return False
    if len(found.group("value").replace(" ", "").replace("-", "")) != 6:
        return False
    last = _LAST_WORD.search(lowered, before, found.start())
    return last is None or last.group(1) not in _OTHER_CODES


# Card numbers --------------------------------------------------------------------------

# Groups as printed (4-4-4-4, 4-6-5, 4-4-5, 4-4-4-4-3) with one kind of separator, or the
# digits run together. (What may not come before is checked by `card_number_spans`: a
# look-behind first would keep the engine from skipping ahead to the digits.)
_CARD_NUMBER = re.compile(
    r"(?:[0-9]{4}(?P<separator>[ -])[0-9]{3,6}(?:(?P=separator)[0-9]{1,6}){1,3}|[0-9]{13,19})"
    r"(?![0-9A-Za-z]|[.,][0-9])"
)
_NOT_BEFORE_CARD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,/-")
_CARD_LABELS = (
    re.compile(rf"(?:card|cards|visa|mastercard|master\s+card|amex|debit|credit|cvv){END}"),
    re.compile("卡号|卡號|银行卡|銀行卡|信用卡|借记卡|储蓄卡|卡"),
)
_NOT_CARD_LABELS = (
    re.compile(
        r"(?:order|orders|uid|id|ref|reference|invoice|ticket|tx|txid|transaction|phone"
        rf"|mobile|tel|case|withdrawal|deposit|trade){END}"
    ),
    re.compile(
        "订单|訂單|单号|單號|编号|編號|交易|账号|帳號|账户|帳戶|手机|手機|电话|電話|工单|工單"
    ),
)
_CARD_CONTEXT_BEFORE = 30
_FOUR_DIGITS = re.compile(r"[0-9]{4}")


def card_number_spans(text: str, lowered: str) -> list[Span]:
    if _FOUR_DIGITS.search(text) is None:
        return []
    spans: list[Span] = []
    for found in _CARD_NUMBER.finditer(text):
        if found.start() and text[found.start() - 1] in _NOT_BEFORE_CARD:
            continue
        digits = found.group().replace(" ", "").replace("-", "")
        if not (_luhn_is_valid(digits) and _issuer_accepts(digits)):
            continue
        start = found.start()
        card = last_label(_CARD_LABELS, lowered, start - _CARD_CONTEXT_BEFORE, start)
        other = last_label(_NOT_CARD_LABELS, lowered, start - _CARD_CONTEXT_BEFORE, start)
        if other is not None and (card is None or other > card):
            continue  # an order number, a UID, a phone number
        unbroken = len(digits) == len(found.group())
        if unbroken and card is None and not _usual_card_length(digits):
            continue
        spans.append((start, found.end(), "card_number"))
    return spans


def _luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        digit = ord(character) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _issuer_accepts(digits: str) -> bool:
    """Whether a card network issues numbers with this prefix and length."""
    length = len(digits)
    two, three, four = int(digits[:2]), int(digits[:3]), int(digits[:4])
    if digits[0] == "4":  # Visa
        return length in (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:  # Mastercard
        return length == 16
    if two in (34, 37):  # American Express
        return length == 15
    if two == 62 or 2200 <= four <= 2204:  # UnionPay, Mir
        return 16 <= length <= 19
    if four == 6011 or two == 65 or 644 <= three <= 649:  # Discover
        return 16 <= length <= 19
    if 3528 <= four <= 3589:  # JCB
        return 16 <= length <= 19
    if two in (36, 38, 39) or 300 <= three <= 305:  # Diners Club
        return 14 <= length <= 16
    if two in (50, 56, 57, 58, 63, 67):  # Maestro
        return 13 <= length <= 19
    return False


def _usual_card_length(digits: str) -> bool:
    return len(digits) == 16 or (len(digits) == 15 and digits[:2] in ("34", "37"))
