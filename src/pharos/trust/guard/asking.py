"""Whether a clause asks for what it mentions: a secret joined to a request directed at the
customer (before it or, in Chinese, after it), a short question that is nothing but the
secret, a placeholder ("send it to me") for a secret named nearby, remote access the
customer is asked to go along with, or a transfer."""

from __future__ import annotations

from collections.abc import Iterator

from .clauses import ONLY_US, REACH, Part, Parts, excused, warns_next
from .cues import (
    ASKING_BY_ITSELF,
    FIRST_PERSON,
    GOING_ON,
    LIST_GLUE,
    NEED_EN,
    NEED_ZH,
    ONLY_DETERMINERS,
    PLACEHOLDER_EN,
    PLACEHOLDER_FILLER_ZH,
    PLEASE_AFTER,
    QUESTION_AFTER_ZH,
    QUESTION_EN,
    REMOTE_CUE,
    REMOTE_CUE_ZH,
    VERB_CUE_EN,
    VERB_CUE_ZH,
    WINDOW_BREAK_EN,
    WINDOW_BREAK_ZH,
    WITHOUT_EN,
    YOUR,
    YOUR_ZH,
    led,
    points_here,
)
from .mentions import Mention, Message
from .transfers import TRANSFER_HINT, TRANSFER_PLACE_HINT, transfer_requested


def clause_reasons(message: Message, index: int) -> list[str]:
    """What clause `index` of the message asks for (of REASONS), in the order asked."""
    clause = message.clauses[index]
    mentions = message.mentions(index)
    secrets_near = message.secrets_near(index)
    transfer_hint = bool(TRANSFER_HINT.search(clause) and TRANSFER_PLACE_HINT.search(clause))
    if not (mentions or secrets_near or transfer_hint):
        return []
    parts = Parts(clause)
    only_us = bool(ONLY_US.search(clause))
    found: dict[str, int] = {}  # reason -> where it was first asked for
    asked_until: int | None = None  # the end of the last secret asked for
    for mention in mentions:
        if asked_until is not None and LIST_GLUE.fullmatch(clause, asked_until, mention.start):
            found.setdefault(mention.reason, mention.start)  # "send me X, your Y and your Z"
            asked_until = mention.end
            continue
        if mention.reason in found:
            continue  # asked for already, earlier in the clause
        part = parts.at(mention.start)
        start, end = mention.start - part.offset, mention.end - part.offset
        if mention.reason == "remote_access":
            asked = _asks_for_remote_access(clause, parts, mention, only_us)
        else:
            asked = _asks_for(part, start, end, mention.reason, only_us)
            asked = asked or (
                index in message.questions
                and not warns_next(message, index)
                and _asks_in_few_words(part, start, end, only_us)
            )
        if asked:
            found[mention.reason] = mention.start
            asked_until = mention.end
    if secrets_near:
        for position, reason in _placeholder_requests(message, index, parts, only_us, found):
            found[reason] = min(position, found.get(reason, position))
    transfer_at = transfer_requested(message, index, parts, only_us) if transfer_hint else None
    if transfer_at is not None:
        found["transfer"] = transfer_at
    return sorted(found, key=found.__getitem__)


def _asks_in_few_words(part: Part, start: int, end: int, only_us: bool) -> bool:
    """ "And your seed words?": a question that is nothing but the customer's secret."""
    before = part.text[:start]
    return (
        start < 80
        and not part.text[end:].strip()
        and bool(ONLY_DETERMINERS.fullmatch(before.lstrip()))
        and bool(YOUR.search(before) or GOING_ON.match(before.lstrip()))
        and not excused(part, start, end, only_us)
    )


def _asks_for(part: Part, start: int, end: int, reason: str, only_us: bool) -> bool:
    """Whether the secret at part.text[start:end] is asked for in this part of the clause."""
    text = part.text
    if ASKING_BY_ITSELF.match(text, start):
        return not excused(part, start, end, only_us)
    if start < 80 and PLEASE_AFTER.match(text, end) and ONLY_DETERMINERS.fullmatch(text, 0, start):
        return not excused(part, start, end, only_us)
    low = max(0, start - REACH)
    for cue in VERB_CUE_EN.finditer(text, low, start):
        window = text[cue.end() : start]
        if len(window.split()) > 8 or WINDOW_BREAK_EN.search(window):
            continue
        if not led(text[max(0, cue.start() - 60) : cue.start()]):
            continue
        if cue.lastgroup == "put" and not points_here(text[cue.end() : cue.end() + REACH], reason):
            continue
        if not excused(part, cue.start(), cue.end(), only_us):
            return True
    for pattern, words in ((NEED_EN, 5), (QUESTION_EN, 4), (WITHOUT_EN, 3)):
        for cue in pattern.finditer(text, low, start):
            window = text[cue.end() : start]
            if len(window.split()) > words or WINDOW_BREAK_EN.search(window):
                continue
            if not excused(part, cue.start(), cue.end(), only_us, pattern is not WITHOUT_EN):
                return True
    return _asks_for_in_chinese(part, start, end, reason, only_us)


def _asks_for_in_chinese(part: Part, start: int, end: int, reason: str, only_us: bool) -> bool:
    text = part.text
    # 把验证码发给我 / 验证码报一下: the request after the secret.
    after = text[end : end + 14]
    cue = VERB_CUE_ZH.search(after)
    if (
        cue
        and cue.start() <= 10
        and not WINDOW_BREAK_ZH.search(after[: cue.start()])
        and (cue.lastgroup == "give" or points_here(text[end : end + REACH], reason))
        and not excused(part, end + cue.start(), end + cue.end(), only_us)
    ):
        return True
    # 发给我你的密码 / 告诉我你手机上收到的那串数字: the request before it, but not
    # 发到邮箱的验证码 (the code sent to the mailbox).
    offset = max(0, start - 16)
    near = text[offset:start]
    for cue in VERB_CUE_ZH.finditer(near):
        window = near[cue.end() :]
        if len(window) > 10 or WINDOW_BREAK_ZH.search(window):
            continue
        if cue.group().startswith("发") and window.endswith("的") and not YOUR_ZH.search(window):
            continue  # 发到邮箱的验证码: the code that was sent, not a request
        around = text[max(0, start - REACH) : end + REACH]  # 在这里输入你的...
        if cue.lastgroup == "put" and not points_here(around, reason):
            continue
        if not excused(part, offset + cue.start(), offset + cue.end(), only_us):
            return True
    need = NEED_ZH.search(text[max(0, start - 24) : start])
    if need and not excused(part, start - len(need.group()), start, only_us):
        return True
    question = QUESTION_AFTER_ZH.match(text, end + (text[end : end + 1] == " "))
    if not question or (
        question.group("what") and not YOUR_ZH.search(text, max(0, start - 3), start)
    ):
        return False
    return not excused(part, start, end, only_us)


def _asks_for_remote_access(clause: str, parts: Parts, mention: Mention, only_us: bool) -> bool:
    """A remote-access tool or action mentioned, and the customer asked to go along with it
    anywhere near in the clause ("AnyDesk is quickest, please install it"), or we say we
    will."""
    part = parts.at(mention.start)
    start, end = mention.start - part.offset, mention.end - part.offset
    if excused(part, start, end, only_us):
        return False
    if FIRST_PERSON.search(part.text, max(0, start - REACH), end + REACH):
        return True
    low, high = max(0, mention.start - REACH), mention.end + REACH
    for pattern, needs_lead in ((REMOTE_CUE, True), (REMOTE_CUE_ZH, False)):
        for cue in pattern.finditer(clause, low, high):
            cue_part = parts.at(cue.start())
            at, until = cue.start() - cue_part.offset, cue.end() - cue_part.offset
            if needs_lead and not led(cue_part.text[max(0, at - 60) : at]):
                continue
            if not excused(cue_part, at, until, only_us):
                return True
    return False


def _placeholder_requests(
    message: Message, index: int, parts: Parts, only_us: bool, found: dict[str, int]
) -> Iterator[tuple[int, str]]:
    """ "Send it to me", "what is it?", "发给我": a request whose object was named in this
    clause or the one before (or is listed just after: "send me the following"). Reasons in
    `found` before a placeholder are not looked for again."""
    clause = message.clauses[index]
    for cue in PLACEHOLDER_EN.finditer(clause):
        ahead = (cue.group("what") or "") in {"the following", "these", "this", "everything"}
        reason = _antecedent(message, index, cue.start(), ahead)
        if reason is None or found.get(reason, cue.end()) < cue.start():
            continue
        part = parts.at(cue.start())
        start, end = cue.start() - part.offset, cue.end() - part.offset
        if cue.lastgroup != "question" and not led(part.text[max(0, start - 60) : start]):
            continue
        if cue.group("put") and not points_here(part.text[end : end + REACH], "one_time_code"):
            continue
        if not excused(part, start, end, only_us):
            yield cue.start(), reason
    for cue in VERB_CUE_ZH.finditer(clause):
        reason = _antecedent(message, index, cue.start(), ahead=False)
        if reason is None or found.get(reason, cue.end()) < cue.start():
            continue
        part = parts.at(cue.start())
        start, end = cue.start() - part.offset, cue.end() - part.offset
        if len(part.text) - (end - start) > 40:
            continue  # the part says more than "请发给我", so the request has its own object
        rest = part.text[:start] + part.text[end:]
        if len(PLACEHOLDER_FILLER_ZH.sub("", rest)) > 1:
            continue
        if cue.lastgroup == "put" and not points_here(rest, "one_time_code"):
            continue
        if not excused(part, start, end, only_us):
            yield cue.start(), reason


def _antecedent(message: Message, index: int, position: int, ahead: bool) -> str | None:
    """The secret a placeholder at `position` of clause `index` stands for: the last one
    named before it in the clause or in the two clauses before, or (`ahead`) the next one."""
    if before := message.secret_before(index, position):
        return before.reason
    for previous in range(index - 1, max(-1, index - 3), -1):
        if secrets := message.secrets(previous):
            return secrets[-1].reason
    if ahead:
        if later := message.secrets(index):
            return later[0].reason
        for following in range(index + 1, min(index + 4, len(message.clauses))):
            if later := message.secrets(following):
                return later[0].reason
    return None
