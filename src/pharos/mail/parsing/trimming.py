"""Quoted history and signatures: what `ParsedMail.new_text` leaves out for display (the
whole text is kept). English and Chinese mail programs' markers."""

from __future__ import annotations

import re

from .limits import MAX_TRIM_CANDIDATES
from .text import _collapse_blank_lines

# --- Quoted history and signatures ----------------------------------------------------

_FORWARD_SUBJECT = re.compile(r"\s*(fwd?|转发|轉寄)\s*[:：]", re.IGNORECASE)
_FORWARD_MARKERS = frozenset(
    {
        "forwarded message",
        "begin forwarded message",
        "转发的邮件",
        "转发邮件信息",
        "开始转发的邮件",
        "以下为转发的邮件",
    }
)
_HISTORY_MARKERS = frozenset({"original message", "original", "原始邮件", "原始郵件", "原邮件"})
_MARKER_DECORATION = " \t-_=*:："
_FROM_KEYS = frozenset({"from", "发件人", "寄件者"})
_SENT_KEYS = frozenset({"sent", "date", "发送时间", "时间", "日期", "寄件日期"})
_RECIPIENT_KEYS = frozenset({"to", "cc", "subject", "收件人", "抄送", "主题", "收件者", "主旨"})
_MOBILE_FOOTERS = (
    "sent from my ",
    "sent from mail for windows",
    "sent from outlook",
    "sent from yahoo mail",
    "get outlook for ",
    "发自我的",
    "发自网易邮箱",
    "来自我的",
    "从我的 iphone",
    "从我的iphone",
)
_ATTRIBUTION_ENDINGS = ("wrote:", "writes:", "写道：", "写道:", "寫道：", "寫道:")
# How every line that could hold one of the markers above begins (after decoration).
_CANDIDATE_STARTS = (
    *("on ", "from", "sent ", "get outlook", "begin forwarded", "forwarded", "original"),
    *("发件人", "寄件者", "转发", "开始转发", "以下为转发", "原始", "原邮件", "发自", "来自我的"),
    "从我的",
)
_DIGIT = re.compile(r"\d")


def _trim_history(text: str, subject: str) -> str:
    """`text` without the quoted history and the signature. Text from a forwarding marker
    on is the content and stays whole. In a mail whose subject says it is a forward, an
    Outlook-style header block starts the forwarded mail, not history."""
    is_forward = _FORWARD_SUBJECT.match(subject) is not None
    lines = text.split("\n")
    dropped: set[int] = set()
    cut_at: int | None = None
    forwarded_from = len(lines)
    for index in _candidate_lines(lines):
        if index in dropped:
            continue
        line = lines[index]
        if _marker(line) in _FORWARD_MARKERS or (is_forward and _starts_history(lines, index)):
            forwarded_from = index
            break
        if cut_at is not None:
            continue  # only a forwarded mail further down still counts
        if line.startswith(">"):
            dropped.add(index)
            continue
        attribution = _attribution_length(lines, index)
        if attribution and _next_non_blank(lines, index + attribution).startswith(">"):
            # Above ">" lines the attribution goes alone, so that answers written between
            # the quoted lines stay.
            dropped.update(range(index, index + attribution))
        elif attribution or _starts_history(lines, index) or _is_signature(line):
            cut_at = index
    reply_end = forwarded_from if cut_at is None else cut_at
    reply = [line for index, line in enumerate(lines[:reply_end]) if index not in dropped]
    while reply and not reply[-1].strip(_MARKER_DECORATION):
        reply.pop()  # blank lines and "______" rules left above the cut
    trimmed = _collapse_blank_lines("\n".join(reply)).strip()
    forwarded = "\n".join(lines[forwarded_from:]).strip()
    return "\n\n".join(part for part in (trimmed, forwarded) if part)


def _candidate_lines(lines: list[str]) -> list[int]:
    """Indexes, in order, of the lines that could hold a marker: a cheap test that rules
    out most lines, so that the closer look is spent on few. For a line that ends like an
    attribution, the line before it too (Gmail wraps long attributions). A mail with more
    than MAX_TRIM_CANDIDATES such lines is no conversation: lines after those stay."""
    found: list[int] = []
    for index, line in enumerate(lines):
        if len(found) >= MAX_TRIM_CANDIDATES:
            break
        if line.rstrip().endswith(_ATTRIBUTION_ENDINGS):
            if index and (not found or found[-1] != index - 1):
                found.append(index - 1)
            found.append(index)
        elif (
            line.startswith(">")
            or line in ("-- ", "--")
            or line.lstrip(_MARKER_DECORATION)[:16].lower().startswith(_CANDIDATE_STARTS)
        ):
            found.append(index)
    return found


def _next_non_blank(lines: list[str], start: int) -> str:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return lines[index]
    return ""


def _marker(line: str) -> str:
    return line.strip(_MARKER_DECORATION).lower() if len(line) < 80 else ""


def _starts_history(lines: list[str], index: int) -> bool:
    """An "-----Original Message-----" line, or an Outlook "From: / Sent: / To:" block."""
    line = lines[index]
    if line.lstrip().startswith("--") and _marker(line) in _HISTORY_MARKERS:
        return True
    if _field_key(line) not in _FROM_KEYS:
        return False
    keys = {_field_key(following) for following in lines[index + 1 : index + 6]}
    return bool(keys & _SENT_KEYS) and bool(keys & _RECIPIENT_KEYS)


def _field_key(line: str) -> str:
    """The field name of a header-like line in a quoted block, lower-cased: "from" for
    "*From:* Alice". Chinese mail programs write a full-width colon."""
    head = line.strip().replace("：", ":")[:24]
    key, colon, _rest = head.partition(":")
    return key.strip(" *").lower() if colon else ""


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (0, 1 or 2: Gmail wraps long ones) the "On ... wrote:" line starting
    at `index` takes."""
    line = lines[index].strip()
    if not line:
        return 0
    if _is_attribution(line):
        return 1
    if index + 1 < len(lines) and _is_attribution(f"{line} {lines[index + 1].strip()}"):
        return 2
    return 0


def _is_attribution(line: str) -> bool:
    """Whether `line` introduces a quote: "On Mon, 1 Jan 2026 at 10:00, Bob <b@x.com>
    wrote:", "在 2026年1月1日，张三 <z@x.cn> 写道：", "张三 <z@x.cn> 于2026年1月1日 10:00写道："."""
    if len(line) > 300 or not line.endswith(_ATTRIBUTION_ENDINGS) or not _DIGIT.search(line):
        return False
    if line.endswith(("wrote:", "writes:")):
        return line.lower().startswith("on ")
    return True


def _is_signature(line: str) -> bool:
    if line in ("-- ", "--"):
        return True
    stripped = line.strip().lower()
    return len(stripped) <= 60 and stripped.startswith(_MOBILE_FOOTERS)
