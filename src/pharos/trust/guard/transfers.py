"""Requests to move funds: a transfer verb asked of the customer, with a destination that is
not their own (ours, a "safe account", an address we give) or a purpose or a fee ("to
unfreeze", "activation fee"), in English and Chinese. The customer's own deposit address
is fine."""

from __future__ import annotations

import re

from .clauses import REACH, Part, Parts, excused
from .cues import NEED_EN, TRANSFER_EN, TRANSFER_ZH, led
from .folding import pattern
from .mentions import Message

_NEEDS_FUNDS = frozenset({"send", "sent", "put", "park", "store"})
_FUNDS_EN = pattern(
    r"\b(?:\d[\d.,]*\s?(?:[a-z]{2,6})?|funds?|money|crypto|coins?|assets?|tokens?|balance"
    r"|holdings|savings|everything|all|the rest|btc|eth|usdt|usdc|bnb|trx|sol|xrp|ltc"
    r"|doge|ada|dot|matic|bitcoin|ether|tether|stablecoins?|a (?:small|test) (?:amount|transfer"
    r"|deposit|payment)|fee|payment)\b"
)
_DESTINATION_EN = pattern(
    r"\b(?:to|into|in|onto|at|towards?) (?P<destination>(?:me|us|our team|the agent|support"
    r"|our support|this agent|my colleague)\b|(?:[a-z0-9'$-]+ ){0,5}?(?:address|wallet|account"
    r"|addr|vault)e?s?\b)"
)
_SCAM_PLACE = pattern(
    r"\b(?:safe|safety|secure|secured|security|protected|protection|insured|escrow|verification"
    r"|verify|holding|temporary|temp|quarantine|isolated|reserve|guarantee|compliance|custody"
    r"|custodial|trust|audit|rescue|recovery|special|official)\b"
)
# "We made a safe account for you. Move your balance there."
_THERE = pattern(r"^(?: \S+){0,3}? (?:there|to it|into it)\b")
_SCAM_PLACE_NAMED = pattern(
    r"\b(?:safe|safety|secure|secured|protected|insured|escrow|verification|holding|temporary"
    r"|quarantine|isolated|custody|custodial|rescue|recovery)(?: \w+){0,2}"
    r" (?:account|wallet|address|vault)"
)
_OWN_PLACE = pattern(r"\b(?:your|ur|yr|own)\b")
_REALLY_OWN = pattern(r"\b(?:your own|you own|only you|you control|you alone|your personal)\b")
_OUR_PLACE = pattern(
    r"^(?:me|us|our team|the agent|support|our support|this agent|my colleague)$"
    r"|\b(?:our|my|the agent's|support's|tidewell's|the company's)\b"
)
_POINTED_PLACE = pattern(
    r"\b(?:this|that|these|the following|following|below|above|given|provided|specified"
    r"|designated|same)\b"
)
_GIVEN_BY_US = pattern(
    r"^(?: below| above|:| (?:that |which )?(?:i|we)(?:'ll| will| just)? (?:sent|gave|shared"
    r"|provided|posted|send|give|provide|share))"
)
# Folded to lower case, so base58's excluded letters cannot be told apart any more.
_CRYPTO_ADDRESS = pattern(
    r"(?<![0-9a-z])(?:0x[0-9a-f]{40}|t[0-9a-z]{33}|bc1[0-9a-z]{11,71}"
    r"|[13](?=[0-9a-z]*[a-z])[0-9a-z]{25,34})(?![0-9a-z])"
)
_PURPOSE_EN = pattern(
    r"\b(?:to|for|in order to|so (?:that )?(?:we|i) can) (?:verify|validate|activate|unlock"
    r"|unfreeze|unblock|release|confirm|prove|protect|secure|safeguard|insure|whitelist"
    r"|reactivate|authenticate|complete (?:the |your )?(?:verification|kyc|check|review)"
    r"|pass (?:the )?(?:verification|check|review)|lift|remove the (?:freeze|lock|hold"
    r"|restriction)|verification|activation|unlocking|unfreezing)\b"
)
_FEE_EN = pattern(
    r"\b(?:unlock|unfreeze|unfreezing|release|activation|verification|clearance|unblock|recovery"
    r"|compliance|insurance|aml|anti-money laundering|tax|registration|audit|security)"
    r"(?: \w+)? (?:fee|tax|charge|payment|guarantee|deposit)\b"
)
_TRANSFER_TAIL_END = pattern(r"\b(?:if|unless|when|after|before|because|until|once)\b")


_PLACE_ZH = r"(?:账户|账号|帐户|帐号|钱包|地址|卡号|银行卡)"
_SCAM_PLACE_NAMED_ZH = pattern(
    r"(?:安全|保护|保险|验证|托管|临时|隔离|监管|专用|指定)的?(?:账户|账号|帐户|钱包|地址)"
)
_DESTINATION_AFTER_ZH = pattern(
    rf"^\s?(?:(?:我们|我|客服|本人)(?![的们])|[^,.!?]{{0,12}}?{_PLACE_ZH})"
)
_DESTINATION_BEFORE_ZH = pattern(
    rf"(?:向|往|给|朝)(?:[^,.!?]{{0,12}}?{_PLACE_ZH}|我们|我|客服)(?:里|中|上|内|先|再|直接|立即|马上|请|\s)*$"
)
_SCAM_PLACE_ZH = pattern(r"安全|保护|保险|验证|审核|托管|临时|隔离|监管|专用|指定")
_OWN_PLACE_ZH = pattern(
    r"(?:你|您)(?:自己)?的|自己的|本人的|(?:现货|合约|资金|理财|杠杆|币币|法币|期货|交易|统一)账户"
    r"|充(?:币|值)地址"
)
_OUR_PLACE_ZH = pattern(
    r"^(?:向|往|给|朝)?(?:我们|我|客服|本人)|我们?(?:提供|给你|给您|发你|发您|发给你|发给您|指定|的)|官方"
)
_POINTED_PLACE_ZH = pattern(r"以下|下面|下方|如下|这个|这|该|此")
_PURPOSE_ZH = pattern(
    r"(?<!谷歌)(?<!身份)(?<!二次)(?<!两步)(?<!实名)验证(?![码器])|激活|解冻|解锁|解封|解除(?:冻结|限制)|验资|证明(?:资金|资产)|核实资金|保证金才能"
    r"|解冻费|激活费|认证费|手续费才能|税费|费用才能|流水|洗白|保证金(?:后|才)"
)


# Words without which a clause asks for no transfer.
TRANSFER_HINT = pattern(
    r"transfer|send|sent|move|deposit|withdraw|wire|pay|paid|remit|put|relocat|migrat|shift"
    r"|top up|sweep|park|store|[转打充汇提存发付缴交放移挪搬]"
)


# ...and without a destination, a purpose or a fee, none either.
TRANSFER_PLACE_HINT = pattern(
    r"address|wallet|account|addr|vault|\bme\b|\bus\b|team|agent|support|there|\bit\b|verif"
    r"|activat|unlock|unfreez|unblock|releas|confirm|prove|protect|secur|safeguard|insur"
    r"|whitelist|authenticat|lift|remove the|fee|tax|charge|guarantee|payment|[0-9a-z]{25}"
    r"|账|钱包|地址|卡|我|客服|本人|验证|激活|解冻|解锁|解封|解除|验资|证明|核实|保证金|费|流水|洗白|过去|进去"
)


def transfer_requested(message: Message, index: int, parts: Parts, only_us: bool) -> int | None:
    """Where the clause asks for funds to go somewhere that is not the customer's own."""
    clause = message.clauses[index]
    for verb in TRANSFER_EN.finditer(clause):
        if _asks_for_transfer(message, index, parts.at(verb.start()), verb, only_us):
            return verb.start()
    for verb in TRANSFER_ZH.finditer(clause):
        if _asks_for_transfer_in_chinese(message, index, parts.at(verb.start()), verb, only_us):
            return verb.start()
    return None


def _earlier_text(message: Message, index: int, position: int) -> str:
    """What was said just before `position` of clause `index`, up to the clause before."""
    earlier = message.clauses[index][max(0, position - REACH) : position]
    if index > 0:
        earlier = message.clauses[index - 1][-REACH:] + " " + earlier
    return earlier


def _asks_for_transfer(
    message: Message, index: int, part: Part, verb: re.Match[str], only_us: bool
) -> bool:
    text = part.text
    start, end = verb.start() - part.offset, verb.end() - part.offset
    tail = text[end : end + REACH]
    if cut := _TRANSFER_TAIL_END.search(tail):
        tail = tail[: cut.start()]
    before = text[max(0, start - REACH) : start]
    is_led = led(before) and (verb.lastgroup == "base" or before.rstrip().endswith(" be"))
    need = None
    for need in NEED_EN.finditer(before):  # noqa: B007 - the last one
        pass
    is_led = is_led or bool(need and len(before[need.end() :].split()) <= 3)  # "we need a deposit"
    destination = _DESTINATION_EN.search(tail)
    ahead_of_destination = tail[: destination.start()] if destination else tail
    if verb.group() in _NEEDS_FUNDS and not _FUNDS_EN.search(ahead_of_destination):
        return False
    unsafe_place = ours = False
    if destination:
        place = destination.group("destination")
        after_place = tail[destination.end() :]
        if _SCAM_PLACE.search(place) and not _REALLY_OWN.search(place + after_place[:40]):
            unsafe_place = True
        elif _OWN_PLACE.search(place):
            return False
        elif _OUR_PLACE.search(place):
            ours = True
        elif (
            _POINTED_PLACE.search(place)
            or _GIVEN_BY_US.match(after_place)
            or _CRYPTO_ADDRESS.search(after_place[:80])
        ):
            ours = not message.speaks_of_own_deposit_address()
    elif _CRYPTO_ADDRESS.search(tail):
        ours = not message.speaks_of_own_deposit_address()
    elif _THERE.match(tail):  # "we made a safe account for you, move your balance there"
        unsafe_place = bool(_SCAM_PLACE_NAMED.search(_earlier_text(message, index, verb.start())))
    purpose = bool(
        (_PURPOSE_EN.search(tail) and _FUNDS_EN.search(tail)) or _FEE_EN.search(before + tail)
    )
    if not (unsafe_place or ((ours or purpose) and is_led)):
        return False
    return not excused(part, start, end, only_us)


def _asks_for_transfer_in_chinese(
    message: Message, index: int, part: Part, verb: re.Match[str], only_us: bool
) -> bool:
    text = part.text
    start, end = verb.start() - part.offset, verb.end() - part.offset
    destination = _DESTINATION_AFTER_ZH.match(text[end : end + 24]) or (
        _DESTINATION_BEFORE_ZH.search(text[max(0, start - 24) : start])
    )
    place = destination.group() if destination else None
    if verb.group() in {"充值", "充币"}:
        place = None  # only "pay a deposit to unfreeze" counts, not a deposit
    unsafe_place = ours = False
    if place:
        if _SCAM_PLACE_ZH.search(place):
            unsafe_place = True
        elif _OWN_PLACE_ZH.search(place):
            return False
        elif _OUR_PLACE_ZH.search(place):
            ours = True
        elif _POINTED_PLACE_ZH.search(place):
            ours = not message.speaks_of_own_deposit_address()
    if _CRYPTO_ADDRESS.search(text[max(0, start - REACH) : end + REACH]):
        ours = ours or not message.speaks_of_own_deposit_address()
    if verb.group("there") and not place:  # 我们给你建了安全钱包，把余额转过去
        earlier = _earlier_text(message, index, verb.start())
        unsafe_place = bool(_SCAM_PLACE_NAMED_ZH.search(earlier))
    purpose = _PURPOSE_ZH.search(text[max(0, start - 16) : end + 20])
    if not (unsafe_place or ours or purpose):
        return False
    return not excused(part, start, end, only_us)
