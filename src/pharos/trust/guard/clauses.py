"""Clauses and their parts, and what makes a request in them no request: a message is split
into clauses (at sentence ends) and a clause into parts (at commas and conjunctions); a
negation or a warning governs what follows it in the same part. Also the exemptions
worked out on the whole message: quoted examples inside a warning, the items of a list
that follows a warning, and a question answered by a warning right after it."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .cues import TRANSFER_EN, TRANSFER_ZH, VERB_CUE_EN, VERB_CUE_ZH
from .folding import canonical, pattern
from .mentions import Message

# A clause ends at a sentence end or a line break.
_CLAUSE_END = pattern(r"[!?;。！？；\n…]+|\.+(?=\s|$)")


def clause_spans(folded: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _CLAUSE_END.finditer(folded):
        if match.start() > start:
            yield start, match.start()
        start = match.end()
    if start < len(folded):
        yield start, len(folded)


# A quoted request inside a warning ('messages like "send us your seed phrase" are scams')
# is an example, not a request: it is blanked out (with spaces, keeping offsets) before
# matching. A quoted word alone ('send your "seed phrase" to me') is kept.
_QUOTED = pattern(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|「[^」\n]{1,300}」|『[^』\n]{1,300}』')
_WARNING_AROUND_QUOTE = pattern(
    r"scam|fraud|phish|fake|impersonat|imposter|impostor|criminal|beware|warning|red flag|"
    r"suspicious|never|n't|\bnot\b|\bno one\b|nobody|someone|anyone|ignore|report|"
    r"骗|诈|假|冒充|钓鱼|绝不|不会|切勿|请勿|不要|警惕|谨防|可疑|举报|忽略|有人|任何人|对方"
)


def blank_quoted_warnings(folded: str) -> str:
    if '"' not in folded and "“" not in folded and "「" not in folded and "『" not in folded:
        return folded
    pieces = []
    last = 0
    for match in _QUOTED.finditer(folded):
        around = (
            folded[max(0, match.start() - 150) : match.start()]
            + folded[match.end() : match.end() + 150]
        )
        quoted = match.group()
        if _WARNING_AROUND_QUOTE.search(around) and (
            VERB_CUE_EN.search(quoted)
            or TRANSFER_EN.search(quoted)
            or VERB_CUE_ZH.search(quoted)
            or TRANSFER_ZH.search(quoted)
        ):
            pieces.append(folded[last : match.start()])
            pieces.append(" " * (match.end() - match.start()))
            last = match.end()
    pieces.append(folded[last:])
    return "".join(pieces)


# "We will never ask you to:" followed by "- send your seed phrase", "1. 提供验证码": the
# items of a warning's list are what it warns against, not requests.
_LIST_ITEM = pattern(r"[ \t]*(?:[-*•·>]|\d{1,2}[.)、]|[a-z][.)])\s?")
_SCAM_WORDS = pattern(r"scam|fraud|phish|fake|impersonat|imposter|impostor|骗|诈|假冒|冒充|钓鱼")
_CONTRAST = pattern(r"\b(?:but|however|except|instead)\b|但|不过|除了")


def listed_under_a_warning(folded: str) -> Callable[[int], bool] | None:
    """Which positions are on the lines of a list that follows a warning ending with a
    colon (None if there is no such list)."""
    if ":" not in folded or "\n" not in folded:
        return None
    line_starts: list[int] = []
    listed: set[int] = set()
    warning = False
    position = 0
    for number, line in enumerate(folded.split("\n")):
        line_starts.append(position)
        position += len(line) + 1
        if warning and _LIST_ITEM.match(line) and not _CONTRAST.search(line):
            listed.add(number)
            continue
        lead_in = line.rstrip()
        warning = lead_in.endswith(":") and bool(
            _negated(canonical(lead_in[:-1])) or _SCAM_WORDS.search(lead_in)
        )
    if not listed:
        return None
    return lambda at: bisect_right(line_starts, at) - 1 in listed


# What makes a request no request: a negation before it, someone else asking, a scam named
# after it, a question about what happened.
_NEGATION = pattern(
    r"n't\b|\b(?:not|never|no|nobody|noone|no-one|neither|nor|avoid|refuse|stop|none|nothing"
    r"|cannot)\b"
    r"|不要|不能|不可以|不可|不会|不得|不应|不该|不必|不需要|无需|不用|请勿|切勿|勿|千万别|千万不要"
    r"|绝不|绝对不|决不|从不|从来不|永远不|禁止|严禁|避免|拒绝|谨防|警惕|小心|防止|提防|没有人|没人"
    r"|任何人都不|不向|没有|(?<![分区识特告级类差性个鉴辨离派])别(?![人的处名墅扭致])"
)
# Between a negation and a request: words that end what the negation governs.
_NEGATION_BREAK = pattern(
    r"\b(?:but|however|though|although|so|then|just|instead|if|when|once|after|because|since"
    r"|otherwise|unless|anyway|still|now|ok|okay|therefore|please|received?|get|got|arrive[sd]?"
    r"|work(?:s|ed|ing)?|remember|know|find|found|see|lost|lose|forget|forgot|happen\w*)\b"
    r"|但|就|直接|然后|现在|马上|立即|立刻|赶紧|所以|因此|只|如果|收到|记得|忘|知道|看到|找到"
)
_NO_ONE_AFTER = pattern(
    r"^(?: \S+){0,6}? (?:to|with) (?:no one|nobody|noone|anyone|anybody|others|other people"
    r"|third parties|third-party|strangers|someone|somebody|people)\b"
)
# Someone else asking: a warning about scammers, not our request.
_REPORTED = pattern(
    r"\b(?:scammers?|fraudsters?|impostors?|imposters?|impersonators?|criminals?|hackers?"
    r"|attackers?|phishers?|thieves|fake \w+|phishing \w+|someone|somebody|anyone|anybody"
    r"|a stranger|strangers|people|they|he|she|whoever|a caller|callers)\b"
    r"|\b(?:being|been|be|is|are|was|were|get|gets|got)"
    r" (?:asked|told|requested|pressured|instructed)\b"
    r"|^[\s\-*•]*(?:asks?|tells?|wants?|pressures?|urges?|requests?|invites?) you\b"
    r"|(?:^|[\s\-*•,、])(?:让|叫|要求|诱导|引导)(?:你|您)"
    r"|(?:客服|他|她|他们|对方|那个人|那人)(?:让|叫|要|逼|骗|诱导|要求)我"
    r"|有人|别人|他人|任何人|陌生人|骗子|不法分子|诈骗|犯罪分子|冒充|假冒|假客服|钓鱼|对方|自称|所谓|凡是|谁|网友|陌生"
)
_CALLED_A_SCAM = pattern(
    r"\b(?:is|are|was|it's|that's|means|=)(?: always| definitely| probably| likely| clearly)?"
    r" (?:a |an )?(?:scam|scammer|fraud|fraudster|phishing|fake|red flag|trick|lie|criminal"
    r"|impostor|imposter)\b|都?是(?:骗子|骗局|诈骗|假的?|钓鱼)|属于诈骗"
)
# A question about what happened ("did you share your seed phrase with anyone?").
_WHAT_HAPPENED = pattern(
    r"\b(?:did|have|has|had|were|was) (?:you|anyone|anybody|someone|somebody|they|he|she|it|your)\b"
    r"|\b(?:do|does|did|should) (?:i|we)\b"
    r"|有没有|是否|有无|是不是|曾经|之前有|以前有|之前是否"
)
# "...with no one but me": the negation is the request.
ONLY_US = pattern(
    r"\b(?:anyone|anybody|no one|nobody|someone|others|other people) (?:else )?(?:but|except"
    r"|other than|apart from|besides) (?:me|us|this agent|the agent|support|our team|myself)\b"
    r"|\bonly (?:to|with) (?:me|us)\b|除了?(?:我|我们|客服|本人)(?:以外|之外)?"
    r"|只(?:能|可以)?(?:告诉|发给|给|私信|发)(?:我|我们|客服)"
)
_SEGMENT_BREAK = pattern(
    r",|:|\(|\)|\|| - |\b(?:but|however|though|although|otherwise|instead|so that|so|and then|then"
    r"|because|since|whereas)\b|但是|但|不过|可是|然而|除非|否则|所以|因此|因为|然后|而且|并且|同时|另外"
)
# A leading "never," or "under no circumstances," governs the part after the comma.
_CARRIED_NEGATION = pattern(
    r"^(?:please )?(?:never|under no circumstances|at no time|in no case|do not ever|don't ever"
    r"|under any circumstances|ever|at any time|for any reason|not even to us|even to us"
    r"|no matter who asks)$"
)


@dataclass(frozen=True)
class Part:
    """A part of a clause between commas and conjunctions ("don't worry, | just send...")."""

    text: str
    offset: int  # where it starts in the clause
    # Covered by a negation in an earlier part of a list: "we never ask you to make a
    # deposit, | pay a fee or share codes".
    negated_before: bool


_ENUMERATION = pattern(r"\b(?:or|nor)\b|或者?|也不")
# How far around a word the guard looks for what makes it a request (and no further, so
# that a long message costs time in proportion to its length).
REACH = 200


class Parts:
    def __init__(self, clause: str) -> None:
        self.parts = _parts(clause)
        self._offsets = [part.offset for part in self.parts]

    def at(self, position: int) -> Part:
        return self.parts[max(0, bisect_right(self._offsets, position) - 1)]


def _parts(clause: str) -> list[Part]:
    spans: list[tuple[int, int]] = []
    start = 0
    carried: int | None = None  # a leading "never," kept with what it governs
    for match in _SEGMENT_BREAK.finditer(clause):
        piece = clause[start : match.start()].strip()
        if carried is None and _CARRIED_NEGATION.match(piece):
            carried = start
        elif carried is None or (piece and not _CARRIED_NEGATION.match(piece)):
            spans.append((carried if carried is not None else start, match.start()))
            carried = None
        start = match.end()
    spans.append((carried if carried is not None else start, len(clause)))
    parts: list[Part] = []
    last_enumeration = max((match.start() for match in _ENUMERATION.finditer(clause)), default=-1)
    for start, end in spans:
        text = clause[start:end]
        negated_before = bool(
            parts
            and last_enumeration >= start
            and (parts[-1].negated_before or _negated(parts[-1].text[-REACH:]))
            and not _NEGATION_BREAK.match(text.lstrip())
        )
        parts.append(Part(text, start, negated_before))
    return parts


def _negated(text_before: str) -> bool:
    """Whether a negation earlier in the text governs what comes right after it."""
    if text_before.endswith(("不", "没", "无")):  # 不需要你的密码: the negation is in the cue
        return True
    last = None
    for last in _NEGATION.finditer(text_before):  # noqa: B007 - the last one governs
        pass
    if last is None:
        return False
    gap = text_before[last.end() :]
    return len(gap) <= 80 and len(gap.split()) <= 10 and not _NEGATION_BREAK.search(gap)


def excused(part: Part, start: int, end: int, only_us: bool, negation: bool = True) -> bool:
    """Whether the request at part.text[start:end] is a warning, someone else's words, or a
    question about what happened rather than a request."""
    before = part.text[max(0, start - REACH) : start]
    if not only_us:
        if negation and (
            part.negated_before
            or _negated(before)
            or _NO_ONE_AFTER.match(part.text[end : end + 80])
        ):
            return True
        if _REPORTED.search(before):
            return True
    return bool(
        _CALLED_A_SCAM.search(part.text[end : end + REACH])
        or _WHAT_HAPPENED.search(part.text[max(0, start - REACH) : end])
    )


def warns_next(message: Message, index: int) -> bool:
    """ "Your seed phrase? Never share it.": the answer to the question follows."""
    following = message.clauses[index + 1 : index + 2]
    return bool(following) and bool(_NEGATION.match(following[0].lstrip()))
