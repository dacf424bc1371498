"""Automatic mail (auto-replies, lists, robots) and bounces (delivery status notifications)."""

from __future__ import annotations

import re
from email.message import Message

from .mime import _Contents, _message_ids, _one_line, _parse_entity

# --- Automatic mail and bounces -------------------------------------------------------

_ROBOT_LOCAL_PARTS = frozenset(
    {"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply"}
)
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_BOUNCE_SUBJECT_WORDS = (
    "undelivered",
    "undeliverable",
    "delivery status notification",
    "returned mail",
    "delivery failure",
    "failure notice",
    "退信",
    "投递失败",
)


def _local_part(address: str | None) -> str:
    return address.rpartition("@")[0].split("+", 1)[0] if address else ""


def _is_automatic(headers: Message, from_address: str | None) -> bool:
    """Mail no person wrote: answering it automatically could start a loop of robots."""
    auto_submitted = headers.get("auto-submitted")
    if auto_submitted is not None and auto_submitted.split(";")[0].strip().lower() != "no":
        return True
    if headers.get("precedence", "").strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    suppress = {
        token.strip().lower() for token in headers.get("x-auto-response-suppress", "").split(",")
    }
    if suppress & {"all", "autoreply", "oof"}:
        return True
    present = ("x-autoreply", "x-autorespond", "list-id", "list-unsubscribe", "x-loop")
    if any(name in headers for name in present):
        return True
    return _local_part(from_address) in _ROBOT_LOCAL_PARTS


def _is_bounce(contents: _Contents, from_address: str | None, subject: str) -> bool:
    if contents.delivery_report or contents.delivery_statuses:
        return True
    lowered = subject.lower()
    return _local_part(from_address) in _BOUNCE_SENDERS and any(
        word in lowered for word in _BOUNCE_SUBJECT_WORDS
    )


def _bounced_message_id(contents: _Contents) -> str | None:
    for headers in contents.returned_headers:
        message_ids = _message_ids(headers.get("message-id", ""))
        if message_ids:
            return message_ids[0]
    return None


_BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")


def _bounce_reason(statuses: list[bytes], notes: list[str]) -> str:
    """The Diagnostic-Code (or Status) of the first failed recipient in the delivery status
    reports: groups of fields, the first about the message, then one per recipient."""
    groups = [
        _parse_entity(group.strip(b"\r\n"), notes)[0].headers
        for status in statuses
        for group in _BLANK_LINE.split(status)
    ]
    reported = [fields for fields in groups if "status" in fields or "diagnostic-code" in fields]
    failed = [fields for fields in reported if fields.get("action", "").strip().lower() == "failed"]
    candidates = failed or reported
    if not candidates:
        return ""
    return _one_line(candidates[0].get("diagnostic-code") or candidates[0].get("status") or "")
