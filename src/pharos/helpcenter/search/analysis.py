"""Turning text into index terms, the same way for articles and for queries.

Chinese has no spaces, so a CJK run is segmented with jieba (to drop particles such as
了/的/怎么办 that would otherwise match everything) and indexed as character bigrams,
which find words jieba splits differently. Traditional characters are folded to
simplified first, so 提幣 finds 提币. English words are lower-cased and stemmed
(withdrawals → withdraw). Synonym groups add one shared concept term wherever any of
their phrases appears, in either language, so 提现 in an article answers a query for 提币
or "withdraw".
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc
import rjieba
import snowballstemmer

MAX_ANALYZED_CHARACTERS = 200_000

_to_simplified = opencc.OpenCC("t2s")
_stemmer = snowballstemmer.stemmer("english")

# Variants OpenCC leaves alone that users write interchangeably.
_CHARACTER_FOLDS = str.maketrans({"帐": "账", "幣": "币", "鍊": "链", "錬": "链"})

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _expanding() -> re.Pattern[str]:
    """Every character of the Basic Multilingual Plane that NFKC turns into more than one
    (worked out on first use: it takes a tenth of a second)."""
    characters = "".join(
        re.escape(chr(code))
        for code in range(0x80, 0x10000)
        if not 0xD800 <= code <= 0xDFFF and len(unicodedata.normalize("NFKC", chr(code))) > 1
    )
    return re.compile(f"([{characters}])")


ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be been but by can could do does did for from had has have how i
    if in into is it its me my of on or our so than that the their them then there these
    this to us was we were what when where which who why will with would you your i'm im
    dont don't cant can't pls please help hi hello""".split()
)
CHINESE_STOPWORDS = frozenset(
    """的 了 吗 呢 吧 啊 呀 么 嘛 哦 是 在 和 与 或 及 我 我的 你 你们 您 他 她 它 我们 这 那
    这个 那个 怎么 怎么办 怎样 如何 为什么 什么 为何 请问 一下 一直 还 还是 也 都 就 又 被
    把 给 让 可以 能 能否 会 要 想 需要 有 没 没有 已经 现在 时候 问题 一个 个 请 谢谢 你好
    您好 啥 咋 咋办 哪里 哪 里""".split()
)

# Built-in synonym groups for an exchange; admins add more in the admin (SynonymGroup).
BUILTIN_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("提币", "提现", "提款", "出金", "withdraw", "withdrawal", "cash out", "提不出来", "提不了"),
    ("充币", "充值", "入金", "deposit", "top up", "充进来", "充不进去"),
    (
        "2fa",
        "双重验证",
        "二次验证",
        "两步验证",
        "谷歌验证",
        "谷歌验证器",
        "谷歌身份验证器",
        "google authenticator",
        "authenticator",
        "two factor",
        "two-factor",
        "totp",
    ),
    ("防钓鱼码", "anti-phishing code", "anti phishing code", "antiphishing"),
    ("冻结", "锁定", "封号", "被锁", "locked", "frozen", "freeze", "lock", "suspended account"),
    ("被盗", "盗号", "被黑", "stolen", "hacked", "compromised", "unauthorized"),
    ("验证码", "verification code", "sms code", "otp", "security code", "短信码", "code"),
    ("密码", "password", "passcode", "登录密码"),
    ("忘记密码", "重置密码", "找回密码", "forgot password", "reset password", "lost password"),
    ("实名认证", "身份认证", "身份验证", "kyc", "identity verification", "verify identity", "认证"),
    ("到账", "arrive", "arrived", "credited", "not received", "没到账", "未到账"),
    ("网络", "链", "主网", "公链", "network", "chain", "blockchain"),
    ("充错链", "转错链", "错链", "wrong network", "wrong chain"),
    ("memo", "tag", "标签", "备注", "destination tag"),
    ("手续费", "费用", "费率", "fee", "fees", "commission"),
    ("限额", "额度", "上限", "limit", "limits", "quota"),
    ("合约", "永续", "futures", "perpetual", "contract", "derivatives"),
    ("杠杆", "leverage", "margin", "保证金"),
    ("强平", "爆仓", "清算", "liquidation", "liquidated", "margin call"),
    ("现货", "币币", "spot"),
    ("p2p", "c2c", "otc", "场外", "法币交易"),
    ("api", "接口", "api key", "api密钥", "apikey"),
    ("频率限制", "限频", "rate limit", "too many requests", "429"),
    ("客服", "人工", "人工客服", "support", "customer service", "agent", "human"),
    ("工单", "ticket", "request", "submit a request", "提交请求"),
    ("邮箱", "邮件", "email", "mail", "e-mail", "mailbox"),
    ("注册", "开户", "sign up", "signup", "register", "registration", "create account"),
    ("登录", "登陆", "log in", "login", "sign in", "signin"),
    ("审核", "审查", "review", "under review", "pending", "处理中", "processing", "卡住", "stuck"),
    ("诈骗", "骗子", "骗局", "scam", "scammer", "fraud", "phishing", "钓鱼"),
    ("官方", "official", "真假", "genuine", "legit", "fake", "假冒", "冒充", "impersonat"),
    ("交易对", "币对", "pair", "trading pair", "market"),
    ("下架", "delist", "delisting"),
    ("关闭", "解绑", "停用", "turn off", "disable", "remove", "unbind", "deactivate"),
    ("丢失", "丢了", "换手机", "lost", "lose", "new phone", "reset"),
    ("订单", "挂单", "委托", "order", "orders"),
    ("地址", "address", "钱包地址", "wallet address"),
    ("白名单", "whitelist", "allowlist", "address book", "地址簿"),
    ("账户", "账号", "account"),
    ("手机", "手机号", "phone", "mobile", "sms", "短信"),
    ("维护", "升级", "maintenance", "upgrade", "暂停", "suspend"),
    ("vip", "大客户", "客户经理", "account manager"),
    ("注销", "销户", "close account", "delete account"),
    ("交易记录", "账单", "流水", "statement", "history", "export"),
    ("app", "应用", "客户端", "application", "download"),
)


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    start: int
    end: int


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, traditional to simplified Chinese.

    Keeps the length of the text, so offsets found in the normalised text point at the
    same characters of the original (snippet highlighting relies on it).
    """
    text = text[:MAX_ANALYZED_CHARACTERS]
    if text.isascii():
        return text.lower()
    # Characters NFKC would expand (… → ..., ﬁ → fi) are kept as they are; the runs between
    # them are folded whole, which is much faster than one character at a time.
    pieces = _expanding().split(text)
    for index, piece in enumerate(pieces):
        folded_piece = unicodedata.normalize("NFKC", piece).lower() if index % 2 == 0 else piece
        if len(folded_piece) != len(piece):  # combining marks, or a lower case that grows
            folded_piece = "".join(_fold_character(character) for character in piece)
        pieces[index] = folded_piece
    folded = "".join(pieces)
    if _CJK.search(folded):
        simplified = _to_simplified.convert(folded)
        if len(simplified) == len(folded):
            folded = simplified
    return folded.translate(_CHARACTER_FOLDS)


@lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    folded = unicodedata.normalize("NFKC", character).lower()
    # One character in, one character out: anything that expands keeps its original.
    return folded if len(folded) == 1 else character


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if any(character.isdigit() for character in word):
        return word
    return str(_stemmer.stemWord(word))


def _is_cjk(text: str) -> bool:
    return "\u3400" <= text[0] <= "\ufaff"


@dataclass(frozen=True, slots=True)
class _Word:
    stem: str
    start: int
    end: int
    stopword: bool


def latin_words(normalized: str) -> list[_Word]:
    return [
        _Word(stem(match.group()), match.start(), match.end(), match.group() in ENGLISH_STOPWORDS)
        for match in _LATIN.finditer(normalized)
        if len(match.group()) <= 40
    ]


def base_tokens(normalized: str, words: Sequence[_Word]) -> list[Token]:
    """Stemmed English words and Chinese bigrams (unigrams for one-character words),
    with their offsets in the normalised text."""
    tokens = [Token(word.stem, word.start, word.end) for word in words if not word.stopword]
    for match in _CJK_RUN.finditer(normalized):
        run, offset = match.group(), match.start()
        for piece_start, piece_end in _content_pieces(run):
            start = offset + piece_start
            if piece_end - piece_start == 1:
                tokens.append(Token(run[piece_start], start, start + 1))
                continue
            for index in range(piece_start, piece_end - 1):
                tokens.append(Token(run[index : index + 2], offset + index, offset + index + 2))
    return tokens


def _content_pieces(run: str) -> Iterable[tuple[int, int]]:
    """Spans of a CJK run left after removing stop words found by jieba."""
    piece_start: int | None = None
    for word, start, _ in rjieba.tokenize(run):
        if word in CHINESE_STOPWORDS:
            if piece_start is not None:
                yield piece_start, start
                piece_start = None
        elif piece_start is None:
            piece_start = start
    if piece_start is not None:
        yield piece_start, len(run)


class SynonymMatcher:
    """Finds synonym phrases in normalised text and names their group's concept term.

    Chinese phrases are found with one regular expression over the text; English phrases
    with one over the text's stems joined by spaces, so "withdrawals" matches "withdraw".
    """

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self.concept_of: dict[str, str] = {}
        self.phrases_of: dict[str, list[str]] = {}
        cjk_phrases: set[str] = set()
        latin_phrases: set[str] = set()
        for number, group in enumerate(groups):
            concept = f"~{number}"
            for phrase in group:
                normalized = normalize(phrase.strip())
                if not normalized:
                    continue
                if _is_cjk(normalized):
                    key = normalized
                    cjk_phrases.add(key)
                else:
                    key = " ".join(stem(word) for word in _LATIN.findall(normalized))
                    if not key:
                        continue
                    latin_phrases.add(key)
                self.concept_of.setdefault(key, concept)
                self.phrases_of.setdefault(concept, []).append(normalized)
        self.cjk_pattern = _alternation(cjk_phrases, r"", r"")
        self.latin_pattern = _alternation(latin_phrases, r"(?<![^ ])", r"(?![^ ])")

    def concept_tokens(self, normalized: str, words: Sequence[_Word]) -> list[Token]:
        found: list[Token] = []
        if self.cjk_pattern is not None:
            for match in self.cjk_pattern.finditer(normalized):
                found.append(Token(self.concept_of[match.group()], match.start(), match.end()))
        if self.latin_pattern is not None and words:
            starts, position = [], 0
            for word in words:
                starts.append(position)
                position += len(word.stem) + 1
            for match in self.latin_pattern.finditer(" ".join(word.stem for word in words)):
                first = bisect.bisect_right(starts, match.start()) - 1
                last = bisect.bisect_right(starts, match.end() - 1) - 1
                found.append(
                    Token(self.concept_of[match.group()], words[first].start, words[last].end)
                )
        return found


def _alternation(phrases: Iterable[str], before: str, after: str) -> re.Pattern[str] | None:
    ordered = sorted(phrases, key=len, reverse=True)  # longest phrase wins at a position
    if not ordered:
        return None
    return re.compile(before + "(?:" + "|".join(map(re.escape, ordered)) + ")" + after)


class Analyzer:
    def __init__(self, synonym_groups: Sequence[Sequence[str]]) -> None:
        self.synonyms = SynonymMatcher(synonym_groups)

    def tokens(self, text: str) -> list[Token]:
        normalized = normalize(text)
        words = latin_words(normalized)
        return base_tokens(normalized, words) + self.synonyms.concept_tokens(normalized, words)

    def needles(self, terms: Iterable[str]) -> set[str]:
        """Plain strings that betray a term in normalised text: the term itself (a bigram,
        or a stem, which begins its words) or the phrases of a synonym group. Cheap to
        look for with `in`, for choosing which passage of a long text to show."""
        found: set[str] = set()
        for term in terms:
            if term.startswith("~"):
                found.update(self.synonyms.phrases_of.get(term, ()))
            else:
                found.add(term)
        return found

    def terms(self, text: str) -> list[str]:
        """The same terms as tokens(), without offsets: the fast path for indexing."""
        normalized = normalize(text)
        words = [word for word in _LATIN.findall(normalized) if len(word) <= 40]
        stems = [stem(word) for word in words]
        terms = [
            stemmed
            for stemmed, word in zip(stems, words, strict=True)
            if word not in ENGLISH_STOPWORDS
        ]
        for run in _CJK_RUN.findall(normalized):
            for start, end in _content_pieces(run):
                if end - start == 1:
                    terms.append(run[start])
                else:
                    terms.extend(run[index : index + 2] for index in range(start, end - 1))
        synonyms = self.synonyms
        if synonyms.cjk_pattern is not None:
            terms.extend(synonyms.concept_of[m] for m in synonyms.cjk_pattern.findall(normalized))
        if synonyms.latin_pattern is not None and stems:
            terms.extend(
                synonyms.concept_of[m] for m in synonyms.latin_pattern.findall(" ".join(stems))
            )
        return terms
