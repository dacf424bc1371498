"""What a clause mentions: the secrets (password, seed phrase, private key, one-time code),
named or described, and remote access, in English and Chinese, with the trigger words that
keep most clauses from running any of these patterns; and `Message`, the clauses of one
message with their mentions, worked out when first needed."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from .folding import pattern


# Each secret, named or described, in English and Chinese. A pattern runs only if the clause
# contains one of its trigger words (most clauses contain none), and starts at the word
# that names the thing, so that a clause is read quickly.
@dataclass(frozen=True)
class _Finder:
    reason: str
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]
    # Where the mention really starts (words before the match that complete it), or None
    # when the match is not a secret after all.
    start: Callable[[str, re.Match[str]], int | None] | None = None


_DEVICE = (
    r"(?:phone|computer|pc|laptop|device|screen|mac|desktop|mobile|tablet|ipad|iphone|mouse"
    r"|keyboard)"
)
_REMOTE_TOOLS = (
    r"\b(?:any ?desk|team ?viewer|rust ?desk|ultra ?viewer|supremo|splashtop|quick ?assist"
    r"|chrome remote desktop|logmein|screenconnect|connectwise|ammyy|airdroid|remotepc|to ?desk"
    r"|sunlogin|aeroadmin|(?:real)?vnc)\b(?: (?:id|code|address|number|password|app|session|link))?"
)
_REMOTE_WORDS = (
    r"\bremote[- ]?(?:control|access|desktop|session|support|assistance|connection|login|help"
    r"|tool|app|software|program)s?\b|\bremote (?:into|in to|onto|in on) (?:your|the)\b"
)
_CONTROL = (
    rf"\b(?:control|access) (?:of|over|to|into) your {_DEVICE}"
    r"|\bscreen ?shar\w* (?:with|and|plus) (?:remote )?control"
    r"|\b(?:give|grant|hand) (?:me|us) (?:full |remote )?(?:control|access)\b"
    rf"|\btak(?:e|ing) (?:over|control of) (?:your|the) {_DEVICE}"
    r"|\b(?:let|allow) (?:me|us) (?:to )?(?:take over|control|operate|access)\b"
)
_INSTALL_SO_WE_CAN = (
    r"\b(?:install|download|set up) (?:this|the following|that|our|my|an|a|the) (?:\S+ ){0,2}?"
    r"(?:app|application|software|program|tool|apk|extension|plugin|add-on|client|file)(?: \S+)?"
    r" (?:so (?:that )?(?:i|we) can|and (?:i|we)(?:'ll| will| can)|to let (?:me|us)|for me to"
    r"|that lets (?:me|us)|which lets (?:me|us)|so (?:i|we)'ll)"
)
_REMOTE_ZH = (
    r"远程(?:协助|控制|桌面|连接|操作|操控|帮你|帮您|处理|指导|软件|工具|会话|一下)?|向日葵|todesk"
    r"|共享(?:你的|您的)?屏幕|屏幕共享|控制(?:你|您)的(?:手机|电脑|设备)|(?:手机|电脑|设备)(?:交给|给)我"
)
_PRIVATE_KEY = (
    r"\bprivate[ _-]?keys?\b|\bpriv ?key\b|\bsecret keys?\b|\bapi secret(?: key)?\b"
    r"|\bkeystore(?: file| json)?\b|\bwallet\.dat\b"
    r"|\bkey (?:you|your wallet) (?:exported|exports|export)\b|\bexported (?:private )?key\b"
    r"|(?:私钥|私匙|密钥|秘钥)(?!的?(?:备注|名称|标签|权限|管理|设置|页面|列表|创建))|钱包文件"
)
_SEED_WORDS = (
    r"\b(?:recovery|seed|backup|mnemonic|restore|secret|wallet) (?:phrase|words|sentence)\b"
    r"|\bseed ?phrase\b"
    r"|\b(?:12|twelve|18|eighteen|24|twenty[- ]?four)[- ](?:word )?"
    r"(?:(?:secret|recovery|seed|backup|mnemonic|wallet) )?(?:words|phrase)\b"
    r"|\b(?:words?|phrase|sentence) (?:that )?you (?:wrote|write|written|noted|jotted|copied"
    r"|saved|backed|got|were given|received|kept|stored|were shown|saw)(?: down| up)?"
    r"|\b(?:phrase|words|sentence)(?: that| which)? (?:restores?|recovers?|unlocks?|backs? up"
    r"|opens?|controls?|can restore|can recover|(?:was|were) shown)\b"
    r"|\b(?:phrase|words) (?:for|of|from) (?:your |the )?(?:wallet|metamask|trust wallet|ledger"
    r"|trezor|backup|recovery)\b"
)
_SEED_ZH = (
    r"助记词|助记|种子词|种子短语|恢复短语|恢复词|备份词|(?:十二|12|二十四|24|十八|18)个?(?:英文)?单?词"
    r"|(?:恢复|找回|导入|备份|打开)钱包(?:用)?的(?:那些|那串|那几个)?(?:英文)?(?:单词|词|短语)"
    r"|(?:抄|写|记|备份|保存)(?:下来|下)?的(?:那些|那串|那几个|那组)?(?:英文)?单?词"
    r"|钱包的?(?:那些|那串|那组)(?:英文)?单?词"
)
# Codes that are not secrets: "the error code", "a referral code".
_NOT_A_SECRET_CODE = frozenset(
    """error order promo referral invite invitation qr phishing anti-phishing country area zip
    postal status reference tracking coupon voucher discount source bonus gift tag""".split()
)
# What makes "code", "pin" or "token" a one-time code: "google code", "sms pin", "2fa token".
_CODE_KINDS = frozenset(
    """google authenticator auth 2fa mfa sms text email e-mail mail phone verification verify
    security confirmation login signin sign-in withdrawal otp totp dynamic one-time 6-digit
    six-digit 6digit 2-step two-step two-factor""".split()
)
_CODE_KINDS_OF_TWO_WORDS = frozenset(
    {"two factor", "2 step", "two step", "one time", "sign in", "log in", "6 digit", "six digit"}
)
_CODE_SOURCE = (
    r"(?:google(?: authenticator)?(?: app)?|authenticator(?: app)?|2fa app|app|phone|screen|sms"
    r"|text(?: message)?|message|email|inbox|mailbox)"
)
_CODE_DESCRIBED = (
    r"\b(?:codes?|digits|numbers?)(?: that| which)?"
    rf" (?:(?:your |the )?{_CODE_SOURCE}"
    r" (?:shows?|displays?|gives?|generates?|is showing|says|sent)"
    rf"|(?:on|in|from) (?:your |the )?{_CODE_SOURCE}\b"
    r"|(?:we|i|the system|tidewell|they|it) (?:just )?(?:sent|texted|emailed|messaged|shows?"
    r"|displays?)"
    r"|you (?:just )?(?:got|get|received|receive|were sent|have received|see|can see|are seeing)"
    r"|(?:just )?(?:popped up|pops up|appeared|appears|came|comes|arrived|showed up|shows up)"
    rf" (?:on|in) (?:your |the )?{_CODE_SOURCE})"
)
_CODE_SENT = (
    r"\b(?:sms|text(?: message)?|email|message) (?:with|containing) (?:the |your )?(?:\S+ )?code\b"
    r"|\b(?:we|i)(?: have|'ve)? (?:just )?(?:sent|texted|emailed) (?:you )?(?:a|the) (?:\S+ )?"
    r"code\b"
)
_CODE_ASKED = (
    r"(?<=what )(?:your |the )?(?:google(?: authenticator)?|authenticator|2fa app|google app)"
    r"(?: app)? (?:says|shows|displays|is showing)"
    r"|\bwhat does (?:your |the )?(?:google(?: authenticator)?|authenticator|2fa app|app)(?: app)?"
    r" (?:show|say|display)"
    r"|\b(?:what|which) (?:code|digits|numbers?) (?:did|do|does|have|has)"
    r" (?:you|your \w+|the app|it) (?:get|got|receive|see|show)"
)
_CODE_NAMES = (
    r"\b(?:otp|totp)s?\b|\b(?:one[- ]time|dynamic) pass(?:word|code)s?\b"
    r"|\b2fa\b(?! (?:settings?|page|setup|set-up|app|device|reset|status|method|binding|option"
    r"|section|menu|tab|screen|error|issue|problem|request|removal|change|is|was|has|will|on|off"
    r"|enabled|disabled|authentication|security|protection|verification))"
)
_CODE_ZH = (
    r"验证码|校验码|动态码|动态口令|动态密码|短信码|安全码|确认码|谷歌码|谷歌验证码?(?!器)|otp"
    r"|(?:6|六)位(?:数字|数|码|验证码|动态码)"
    r"|(?:手机|短信|邮箱|邮件|谷歌|验证器|app|软件)(?:上|里|中)?(?:现在|当前|刚才|刚刚)?"
    r"(?:收到|显示|看到|弹出|生成|出现)?的"
    r"(?:那串|那个|那几个|那组|那6个|那六个|6个|六个)?(?:数字|号码|码|验证码)"
    r"|(?:收到|显示)的(?:那串|那个|那几个|那组)(?:数字|号码|码)|那串数字|那几个数字|那六位数|那6位数"
)
_SIGN_IN_WORDS = (
    r"(?<!teamviewer )(?<!anydesk )\b(?:pass[ _-]?word|passcode|pass ?phrase|pwd|pw)s?\b"
    r"(?! ?(?:reset|change|page|field|settings?|manager|polic(?:y|ies)|rules?|requirements?"
    r"|strength|recovery|screen|form|box|link|e-?mail|update|expir\w*|error|issue|problem|prompt"
    r"|hint|section|tab|option|button|length|reminder|protection|input|entry|attempts?|checker"
    r"|generator|less))"
)
_LOGIN_DETAILS = (
    r"\b(?:login|log-in|sign[- ]?in|account) (?:credentials|details|info|information|data)\b"
    r"|\bcredentials\b|\blog ?in details\b"
)
_SIGN_IN_DESCRIBED = (
    r"\b(?:characters|letters|word|secret|thing|string|combination) you (?:type|enter|use)"
    r" (?:when you |to )(?:log|sign) ?in"
)
_LOGGING_IN_AS_THEM = (
    r"\b(?:let (?:me|us)|allow (?:me|us) to|(?:i|we) (?:need|have|want) to|i can|i'll|i will|we'll"
    r"|we will) (?:log|sign) (?:in|into|on)(?: to)?(?: your)? account"
)
_SIGN_IN_ZH = (
    r"(?:登录|登陆|交易|资金|支付|提现|提币|账户|账号|邮箱|原|旧|新|钱包)?(?:密码|口令|mima)"
    r"(?!错误|重置|修改|找回|页面|设置|强度|规则|要求|输入框|框|提示|管理|保护|已|不对|输错|过期|失败|锁定"
    r"|的?(?:页面|界面|提示|错误|时间|记录|邮件|短信|链接|入口|按钮|选项|规则|要求))"
    r"|账密|帐密"
)


def _previous_word(clause: str, position: int) -> tuple[str, str]:
    words = clause[max(0, position - 40) : position].split()
    return (words[-1] if words else "", words[-2] if len(words) > 1 else "")


def _code_with_its_kind(clause: str, match: re.Match[str]) -> int | None:
    """ "sms code", "google authenticator code", "2fa token": the words before make "code"
    a one-time code; alone ("the code") it may be anything."""
    start = match.start()
    if clause[start - 1 : start] == "-":  # "sms-code"
        before = clause[max(0, start - 40) : start - 1] + " "
    else:
        before = clause[max(0, start - 40) : start]
    words = before.split()
    if not before.endswith(" ") or not words or words[-1] in _NOT_A_SECRET_CODE:
        return None
    if len(words) > 1 and f"{words[-2]} {words[-1]}" in _CODE_KINDS_OF_TWO_WORDS:
        return start - len(before) + before.rindex(words[-2])
    if words[-1] in _CODE_KINDS or words[-1].rsplit("-", 1)[-1] in _CODE_KINDS:
        return start - len(before) + before.rindex(words[-1])
    return None


def _not_a_code_of_something_else(clause: str, match: re.Match[str]) -> int | None:
    last, _ = _previous_word(clause, match.start())
    return None if last in _NOT_A_SECRET_CODE else match.start()


_FINDERS = (
    _Finder(
        "remote_access",
        ("desk", "viewer", "assist", "supremo", "splashtop", "logmein", "screenconnect",
         "connectwise", "ammyy", "airdroid", "remote", "sunlogin", "aeroadmin", "vnc"),
        pattern(_REMOTE_TOOLS),
    ),
    _Finder("remote_access", ("remote",), pattern(_REMOTE_WORDS)),
    _Finder(
        "remote_access", ("control", "access", "take over", "taking over"), pattern(_CONTROL)
    ),
    _Finder("remote_access", ("install", "download", "set up"), pattern(_INSTALL_SO_WE_CAN)),
    _Finder("remote_access", (".apk",), pattern(r"\S+\.apk\b")),
    _Finder(
        "remote_access",
        ("远程", "向日葵", "todesk", "屏幕", "控制", "交给我", "给我"),
        pattern(_REMOTE_ZH),
    ),
    _Finder(
        "private_key",
        ("priv", "secret", "key", "wallet", "私钥", "私匙", "密钥", "秘钥", "钱包文件"),
        pattern(_PRIVATE_KEY),
    ),
    _Finder("seed_phrase", ("phrase", "word", "sentence"), pattern(_SEED_WORDS)),
    _Finder("seed_phrase", ("seed",), pattern(r"\bseeds?\b(?! (?:round|funding|investors?))")),
    _Finder("seed_phrase", ("mnemonic",), pattern(r"\bmnemonics?(?: phrase| words?| code)?\b")),
    _Finder("seed_phrase", ("助记", "种子", "恢复", "词", "备份"), pattern(_SEED_ZH)),
    _Finder(
        "one_time_code",
        ("code", "pin", "token", "passcode"),
        pattern(r"\b(?:codes?|pins?|tokens?|passcodes?)\b"),
        _code_with_its_kind,
    ),
    _Finder(
        "one_time_code",
        ("number", "digit"),
        pattern(r"\b(?:google|authenticator|2fa|sms|verification) (?:numbers?|digits)\b"),
    ),
    _Finder(
        "one_time_code",
        ("code", "digit", "number"),
        pattern(_CODE_DESCRIBED),
        _not_a_code_of_something_else,
    ),
    _Finder("one_time_code", ("digit",), pattern(r"\b(?:6|six) digits\b")),
    _Finder("one_time_code", ("code",), pattern(_CODE_SENT)),
    _Finder("one_time_code", ("what ", "which "), pattern(_CODE_ASKED)),
    _Finder(
        "one_time_code", ("otp", "2fa", "one-time", "one time", "dynamic"), pattern(_CODE_NAMES)
    ),
    _Finder("one_time_code", ("码", "数字", "口令", "otp", "位数", "动态"), pattern(_CODE_ZH)),
    _Finder("password", ("pass", "pw"), pattern(_SIGN_IN_WORDS)),
    _Finder("password", ("pin",), pattern(r"\bpin(?: code| number)?s?\b(?! (?:the|it|to)\b)")),
    _Finder("password", ("credential", "detail", "info", "data"), pattern(_LOGIN_DETAILS)),
    _Finder("password", ("you type", "you enter", "you use"), pattern(_SIGN_IN_DESCRIBED)),
    _Finder("password", ("account",), pattern(_LOGGING_IN_AS_THEM)),
    _Finder("password", ("密码", "口令", "mima", "账密", "帐密"), pattern(_SIGN_IN_ZH)),
)  # fmt: skip
# Every trigger word in one scan of the clause, longest first where two start together.
_TRIGGERS = pattern(
    "|".join(
        re.escape(trigger)
        for trigger in sorted(
            {trigger for finder in _FINDERS for trigger in finder.triggers}, key=len, reverse=True
        )
    )
)
# Where two mentions overlap, the one starting first wins, then this order ("anydesk
# password" is remote access, "动态密码" a one-time code, "one-time passcode" a code).
_PRIORITY = {
    "remote_access": 0,
    "private_key": 1,
    "seed_phrase": 2,
    "one_time_code": 3,
    "password": 4,
}


# A secret that is the object of something the customer does to it ("修改密码后截图发我").
_SELF_ACTION_BEFORE_ZH = pattern(
    r"(?:修改|重置|找回|忘记|设置|更改|更换|设定|忘了|改|开启|关闭|绑定|解绑)"
    r"(?:登录|登陆|交易|资金|支付|提现|账户|账号|邮箱|原|旧|新|谷歌|短信)?$"
)

# The customer's own deposit address, anywhere in the message: then an address pointed to is
# theirs, not ours (see transfers.py).
_OWN_ADDRESS_CONTEXT = pattern(
    r"\byour (?:\w+ ){0,2}deposit address|\bdeposit address (?:shown|displayed|listed)"
    r"|\b(?:assets|wallet|funds) ?> ?deposit|\bdeposit page|充(?:币|值)地址|充(?:币|值)页面?"
    r"|资产 ?> ?充"
)


@dataclass(frozen=True)
class Mention:
    reason: str
    start: int
    end: int


class Message:
    """The clauses of one message, with what each mentions (worked out when first needed)."""

    def __init__(self, folded: str, clauses: list[str], questions: set[int]) -> None:
        self.folded = folded
        self.clauses = clauses
        self.questions = questions  # the clauses that end with a question mark
        self._mentions: dict[int, list[Mention]] = {}
        self._secrets: dict[int, list[Mention]] = {}
        self._secret_starts: dict[int, list[int]] = {}
        self._named: list[bool] | None = None
        self._own_address: bool | None = None

    def mentions(self, index: int) -> list[Mention]:
        if index not in self._mentions:
            self._mentions[index] = _mentions(self.clauses[index])
        return self._mentions[index]

    def secrets(self, index: int) -> list[Mention]:
        """The secrets named in a clause (not remote access), in order."""
        if index not in self._secrets:
            self._secrets[index] = [m for m in self.mentions(index) if m.reason != "remote_access"]
        return self._secrets[index]

    def secret_before(self, index: int, position: int) -> Mention | None:
        """The last secret named in a clause before `position`."""
        if index not in self._secret_starts:
            self._secret_starts[index] = [mention.start for mention in self.secrets(index)]
        before = bisect_right(self._secret_starts[index], position)
        return self.secrets(index)[before - 1] if before else None

    def secrets_near(self, index: int) -> bool:
        """Whether a secret is named in this clause, the two before or the three after
        (what "send it to me" or "send me the following" may point to)."""
        if self._named is None:
            self._named = [bool(self.secrets(near)) for near in range(len(self.clauses))]
        return any(self._named[max(0, index - 2) : index + 4])

    def speaks_of_own_deposit_address(self) -> bool:
        if self._own_address is None:
            self._own_address = bool(_OWN_ADDRESS_CONTEXT.search(self.folded))
        return self._own_address


def _mentions(clause: str) -> list[Mention]:
    found: list[tuple[int, int, int, str]] = []
    present = set(_TRIGGERS.findall(clause))
    if not present:
        return []
    for finder in _FINDERS:
        if present.isdisjoint(finder.triggers):
            continue
        for match in finder.pattern.finditer(clause):
            start = match.start() if finder.start is None else finder.start(clause, match)
            if start is None or _SELF_ACTION_BEFORE_ZH.search(clause[max(0, start - 6) : start]):
                continue
            found.append((start, _PRIORITY[finder.reason], -match.end(), finder.reason))
    mentions: list[Mention] = []
    for start, _, negative_end, reason in sorted(found):
        end = -negative_end
        if not mentions or start >= mentions[-1].end:
            mentions.append(Mention(reason, start, end))
    return mentions
