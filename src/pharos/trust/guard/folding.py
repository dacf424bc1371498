"""Text folding: how a message is normalised before any pattern looks at it.

`fold` works on the whole message and keeps its length (NFKC, lower case, simplified
Chinese), so that a clause found in the folded text is the same characters of the original.
`canonical` then undoes, clause by clause, the tricks that hide words: invisible and
combining characters, look-alike letters, spaced-out letters ("p a s s w o r d"), leetspeak
and separators ("p@ss-w0rd", "密 码"), and harmless phrases that only look negative ("don't
worry"). `pattern` compiles every pattern of the guard, with the ASCII rules that suit the
folded text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pharos.helpcenter.search.analysis import MAX_ANALYZED_CHARACTERS, normalize


def pattern(source: str) -> re.Pattern[str]:
    # ASCII rules for \b and \w: a Chinese character is not part of an English word, so
    # "下载anydesk" has a word boundary before "anydesk" (under Unicode rules it has none).
    return re.compile(source, re.ASCII)


# Look-alike letters (Cyrillic, Greek) used to slip "раssword" past a filter, and the
# typographic quotes and apostrophes that would otherwise split words.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "к": "k", "м": "m", "т": "t", "н": "h", "в": "b", "ԁ": "d",
        "α": "a", "ε": "e", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "τ": "t",
        "υ": "u", "χ": "x", "ω": "w",
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "，": ",", "：": ":", "—": " - ", "–": " - ", "－": "-",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _invisible() -> re.Pattern[str]:
    """Format, control and combining characters of the Basic Multilingual Plane (zero-width
    spaces and joiners, direction marks, soft hyphens, accents): worked out on first use."""
    characters = "".join(
        re.escape(chr(code))
        for code in range(0x80, 0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and unicodedata.category(chr(code)) in {"Cf", "Cc", "Mn", "Me"}
        and not chr(code).isspace()
    )
    return re.compile(f"[{characters}]+")


_LONE_SURROGATE = pattern("[\ud800-\udfff]")


def fold(text: str) -> str:
    """Lower case, NFKC and simplified Chinese, keeping the length of the text (so that a
    clause found here is the same characters of the original)."""
    if not text.isascii():
        text = _LONE_SURROGATE.sub("\ufffd", text)  # from broken JSON; cannot be encoded
    if len(text) <= MAX_ANALYZED_CHARACTERS:
        return normalize(text)
    return "".join(
        normalize(text[start : start + MAX_ANALYZED_CHARACTERS])
        for start in range(0, len(text), MAX_ANALYZED_CHARACTERS)
    )


# "p a s s w o r d", "s.e.e.d", "o-t-p": three or more single characters with separators
# (looked for before spaces are collapsed, so that "s e n d  y o u r" stays two words).
_SPACED_LETTERS = pattern(
    r"(?<![a-z0-9])(?:[a-z0-9@$](?: ?[.\-_*/·|+~] ?| )){2,}[a-z0-9@$](?![a-z0-9])"
)
_SPACING = pattern(r"[ .\-_*/·|+~]")
# A word with a digit or a symbol among its letters, or a separator inside it: "p@ssw0rd",
# "s33d", "pass-word", "pr1vate". Undone only when the result is one of the key words, so
# "trc20" or "anti-phishing" stay as they are.
_DISGUISE_HINT = pattern(r"[a-z][0-9@$!|\-_.*/·+~=]|[0-9@$!|\-_*/·+~=][a-z]")
_DISGUISED_WORD = pattern(r"(?<!\S)\S*?(?:[a-z][0-9@$!|\-_.*/·+~=]|[0-9@$!|\-_*/·+~=][a-z])\S*")
_WORD_SEPARATORS = pattern(r"[\-_.*/·+~=]")
_UNLEET = str.maketrans("013457@$!|", "oieastasil")
_KEY_WORDS = frozenset(
    """password passcode passphrase mnemonic seed phrase seedphrase private privatekey key
    secret recovery anydesk teamviewer authenticator verification otp code 2fa pin sms
    keystore transfer wallet""".split()
)
_SPELLED = {"seedphrase": "seed phrase", "privatekey": "private key"}
_CJK_SEPARATORS = r"[\s\-_.*·/|~+=,']{0,3}"
# Written with separators ("密 码", "助-记-词") or a look-alike character, and what they are.
_CJK_KEY_WORDS = {
    "密码": "密码", "助记词": "助记词", "私钥": "私钥", "验证码": "验证码", "远程": "远程",
    "种子词": "种子词", "蜜码": "密码", "秘码": "密码", "密玛": "密码", "私匙": "私钥",
    "验证马": "验证码", "验正码": "验证码", "助记辞": "助记词",
}  # fmt: skip
_OBFUSCATED_CJK = pattern(
    "|".join(
        _CJK_SEPARATORS.join(re.escape(character) for character in word) for word in _CJK_KEY_WORDS
    )
)
_CJK_HINT = pattern(r"[密助私验远种蜜秘]")

# Phrases that look negative but do not forbid anything ("don't worry, just send...").
_NOT_A_NEGATION = pattern(
    r"(?:don't|dont|do not|no need to|never) (?:worry|panic|stress|fret|delay|wait"
    r"|be (?:afraid|scared|alarmed|nervous|shy|worried)|hesitate to|forget to)\b"
    r"|no (?:problem|worries|worry|rush)\b|not (?:a problem|to worry|sure)\b"
    r"|nothing to worry about\b|why not\b|if not\b|or not\b"
    r"|(?:不要|别|不用|不必|无需|没必要|用不着)太?(?:担心|害怕|着急|紧张|慌|怕|客气|犹豫|忘记?了?)"
    r"|没问题|没关系|不客气|别忘了|不要忘记|不要忘了|别忘记|不着急|不急"
)
_NEUTRAL_HINT = pattern(r"n't|dont|no |not |never|[不别没]|无需|用不着")


def canonical(clause: str) -> str:
    """One clause of the folded text, with the tricks that hide words undone."""
    if not clause.isascii():
        clause = _invisible().sub("", clause).translate(_LOOKALIKES)
        if _CJK_HINT.search(clause):
            clause = _OBFUSCATED_CJK.sub(
                lambda match: _CJK_KEY_WORDS[_strip_cjk(match.group())], clause
            )
    if _SPACED_LETTERS.search(clause):
        clause = _SPACED_LETTERS.sub(lambda match: _SPACING.sub("", match.group()), clause)
    clause = " ".join(clause.split())
    if _DISGUISE_HINT.search(clause):
        clause = _DISGUISED_WORD.sub(_undisguised, clause)
    if _NEUTRAL_HINT.search(clause):
        clause = _NOT_A_NEGATION.sub(" ", clause)
    return clause


def _strip_cjk(text: str) -> str:
    return "".join(character for character in text if "\u4e00" <= character <= "\u9fff")


def _undisguised(match: re.Match[str]) -> str:
    word = match.group()
    core = word.rstrip(".,:;?!\"')]").lstrip("\"'([")
    squashed = _WORD_SEPARATORS.sub("", core).translate(_UNLEET)
    plural = squashed.endswith("s") and squashed[:-1] in _KEY_WORDS
    if squashed not in _KEY_WORDS and not plural:
        return word
    if plural:
        squashed = squashed[:-1]
    spelled = _SPELLED.get(squashed, squashed) + ("s" if plural else "")
    start = word.index(core)
    return word[:start] + spelled + word[start + len(core) :]
