"""Which active announcements concern a question, so that the bot says so first.

An announcement names the products and coins it affects ("withdrawals", "USDT-TRC20").
It concerns a question that names one of its coins (the symbol, its network or its base
coin) and, if the question or the answer it gets is about a product, one of its products;
an announcement without coins concerns a question about one of its products whose words
share at least two terms with its title."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from pharos.helpcenter import services as helpcenter
from pharos.helpcenter.models import Announcement, Article
from pharos.helpcenter.search.analysis import BUILTIN_SYNONYM_GROUPS, Analyzer, normalize
from pharos.livechat.bot import ArticleLink

from . import knowledge

# Words that put a question about a product, in both languages.
PRODUCT_WORDS = {
    "deposits": r"deposit|top ?up|充币|充值|入金|充进|到账|转入",
    "withdrawals": r"withdraw|cash ?out|提币|提现|出金|提款|转出|提不",
    "futures": r"futures|perpetual|leverage|合约|永续|杠杆",
    "spot": r"\bspot\b|现货",
    "p2p": r"p2p|otc|法币|c2c",
    "api": r"\bapi\b|websocket",
    "app": r"\bapp\b|客户端",
    "account": r"account|login|log in|sign in|password|账户|账号|登录|密码",
}
# The products an article is about, by its tags.
TAG_PRODUCTS = {
    "deposit": "deposits",
    "withdrawal": "withdrawals",
    "futures": "futures",
    "leverage": "futures",
    "liquidation": "futures",
    "spot": "spot",
    "orders": "spot",
    "p2p": "p2p",
    "api": "api",
    "api-keys": "api",
    "rate-limits": "api",
    "mobile-app": "app",
}
_PRODUCT_PATTERNS = {product: re.compile(words) for product, words in PRODUCT_WORDS.items()}
_analyzer = Analyzer(BUILTIN_SYNONYM_GROUPS)


@dataclass(frozen=True)
class Notice:
    text: str
    link: ArticleLink


def products_named(text: str) -> set[str]:
    folded = normalize(text)
    return {product for product, pattern in _PRODUCT_PATTERNS.items() if pattern.search(folded)}


def coin_names(coin: str) -> set[str]:
    """USDT-TRC20 is named as "usdt-trc20", "usdt trc20" or its network "trc20"; TRX as
    "trx". "USDT" alone does not name USDT-TRC20: USDT runs on many networks."""
    symbol = coin.lower()
    names = {symbol, symbol.replace("-", " ")}
    parts = re.split(r"[-_ /]", symbol)
    if len(parts) > 1 and len(parts[-1]) >= 3:
        names.add(parts[-1])
    return names


def _names_coin(folded: str, coin: str) -> bool:
    return any(
        re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", folded)
        for name in coin_names(coin)
    )


def concerns(announcement: Announcement, question: str, answer_products: set[str]) -> bool:
    folded = normalize(question)
    asked_about = products_named(question) | answer_products
    affected = set(announcement.affected_products)
    if announcement.affected_coins:
        if not any(_names_coin(folded, coin) for coin in announcement.affected_coins):
            return False
        return not affected or not asked_about or bool(affected & asked_about)
    if not affected & asked_about:
        return False
    title_terms = {
        term
        for language in ("en", "zh-hans")
        for term in _analyzer.terms(announcement.localized("title", language))
    }
    return len(title_terms & set(_analyzer.terms(question))) >= 2


def notices_for(question: str, answer_keys: Sequence[str], language: str) -> list[Notice]:
    """The active announcements that concern the question, as the bot's first words."""
    active = helpcenter.active_announcements()
    if not active:
        return []
    slugs = [
        key.removeprefix(knowledge.ARTICLE)
        for key in answer_keys
        if key.startswith(knowledge.ARTICLE)
    ]
    answer_products = {
        TAG_PRODUCTS[slug]
        for slug in Article.objects.filter(slug__in=slugs).values_list("tags__slug", flat=True)
        if slug in TAG_PRODUCTS
    }
    notices = []
    for announcement in active:
        if concerns(announcement, question, answer_products):
            title = announcement.localized("title", language)
            notices.append(
                Notice(
                    _("Please note, this is happening now: %(title)s.") % {"title": title},
                    ArticleLink(
                        title=title,
                        url=reverse("helpcenter:announcement", kwargs={"slug": announcement.slug}),
                        excerpt="",
                    ),
                )
            )
    return notices
