"""When the bot steps aside: the customer asks for a person, or the problem cannot wait
(account stolen, a withdrawal the customer did not make). The bot's own confidence and a
"Not solved" are decided where the bot answers."""

from __future__ import annotations

import re
import unicodedata

# Asking for a person. Chinese by substring (no spaces between words); English by whole
# words, so "agent" matches "an agent please" but not "reagent" or "user-agent header".
PERSON_ZH = ("转人工", "人工客服", "人工服务", "人工", "真人", "客服人员", "找客服", "接人工")
PERSON_EN = re.compile(
    r"(?<![\w-])(human|humans|agent|real person|live person|a person|someone real|"
    r"representative|operator|customer service|support staff|talk to (?:a |some)?one)(?![\w-])"
)
# Urgent whatever the topic: the account taken over, or money leaving without the owner.
URGENT_ZH = (
    "被盗",
    "被黑",
    "盗号",
    "账号被",
    "不是我操作",
    "非本人操作",
    "未授权",
    "被转走",
    "资金被转",
)
URGENT_EN = re.compile(
    r"\b(stolen|stole|hacked|hijacked|compromised|unauthori[sz]ed (?:withdrawal|transfer|login)|"
    r"someone (?:withdrew|logged in|took)|not me who|didn'?t make (?:this|that|the) withdrawal)\b"
)


def _normalised(text: str) -> str:
    # Full-width letters and digits to ASCII, one case, single spaces.
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def asks_for_a_person(text: str) -> bool:
    plain = _normalised(text)
    compact = plain.replace(" ", "")
    return any(phrase in compact for phrase in PERSON_ZH) or bool(PERSON_EN.search(plain))


def sounds_urgent(text: str) -> bool:
    plain = _normalised(text)
    compact = plain.replace(" ", "")
    return any(phrase in compact for phrase in URGENT_ZH) or bool(URGENT_EN.search(plain))
