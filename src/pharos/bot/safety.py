"""The bot never asks for a secret and never tells anyone to send funds anywhere.

The bot's own lines are ours, but its answers also carry text that admins write (FAQ
answers, article excerpts): every reply is checked here before it goes out, and an FAQ
answer that fails is refused when it is saved. The agent guard of the trust issue covers
people's replies; this is the bot's own, narrower rule."""

from __future__ import annotations

import re

from pharos.helpcenter.search.analysis import normalize

_PRIVATE_EN = (  # what only the customer may know
    r"(password|passcode|pass ?phrase|seed( phrase)?|recovery phrase|mnemonic|private key|"
    r"secret key|api secret|2fa code|two[- ]factor code|authenticator code|verification code|"
    r"sms code|email code|one[- ]time (pass)?code|otp|pin|\d[- ]?digit code"
    r"|code (from|in|on|sent to) your (authenticator|phone|app|sms|email|google))"
)
_ASK_EN = (
    r"(send|give|tell|share|provide|reply with|paste|dm|message|read out)"
    r"( (us|me|it|them|the agent|support))?( (your|the))?"
)
_HERE_EN = r"(here|in (this|the) chat|below|to (us|me))"
_TRANSFER_EN = (
    r"(transfer|send|move|deposit|withdraw)( (all|your|the|some))?( \w+){0,3} "
    r"(funds|coins|crypto|assets|balance|usdt|btc|eth|money|tokens)?"
    r" ?(to|into) (this|the following|our|a (safe|secure|new)|the safe|the secure|my)"
    r"( \w+){0,2} (address|wallet|account)"
)
_PRIVATE_ZH = (
    r"(密码|助记词|私钥|验证码|谷歌验证码|短信验证码|邮箱验证码|动态码|api ?secret|密钥|支付密码)"
)
_ASK_ZH = r"(发给|发送给|告诉|提供|输入|回复|私信|报给|发一下|给我|发我)"
_TRANSFER_ZH = r"(转账|转入|转到|转至|打币|充到|提到|转移资金|资金转移)"

_PATTERNS = (
    re.compile(_ASK_EN + r"( \w+){0,3} " + _PRIVATE_EN),
    re.compile(r"(enter|type|write) (your|the)( \w+){0,2} " + _PRIVATE_EN + r" " + _HERE_EN),
    re.compile(r"(what is|what's) your " + _PRIVATE_EN),
    re.compile(_TRANSFER_EN),
    re.compile(_ASK_ZH + r".{0,8}" + _PRIVATE_ZH),
    re.compile(_PRIVATE_ZH + r".{0,6}(发给|发送给|告诉|提供给)(我|我们|客服)"),
    re.compile(r"(请|需要|麻烦|立即|马上).{0,10}" + _TRANSFER_ZH + r".{0,12}(地址|钱包|账户)"),
    re.compile(r"(安全账户|安全钱包|安全地址)"),
)

# Text that warns against the very thing: "we never ask for your password".
_NEGATED = re.compile(
    r"(never|not|don't|do not|won't|will not|no one|nobody"
    r"|绝不|不会|从不|永远不|切勿|不要|别|谨防|警惕)"
)


def asks_for_secrets_or_transfers(text: str) -> bool:
    """True if the text asks for a secret or a transfer, outside a warning against it."""
    folded = " ".join(normalize(text).split())
    for clause in re.split(r"[.!?。！？;；\n]", folded):
        if not clause.strip():
            continue
        if any(pattern.search(clause) for pattern in _PATTERNS) and not _NEGATED.search(clause):
            return True
    return False
