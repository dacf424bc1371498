"""Retrieval in both languages: questions written differently from every example find
their article, through meaning (the embeddings) and through words (Chinese bigrams,
synonyms, misspellings); a new example question is used from the next question on."""

from __future__ import annotations

import pytest

from pharos.accounts.models import StaffMember
from pharos.bot import knowledge, services
from pharos.bot.embedding import default_embedder
from pharos.bot.lexical import LexicalIndex
from pharos.bot.matcher import Entry, Matcher, MatcherParams
from pharos.helpcenter.models import Article
from pharos.helpcenter.search.analysis import BUILTIN_SYNONYM_GROUPS, Analyzer
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# Paraphrases of real situations, none of them an example question of the demo content.
CHINESE = {
    "我昨天充的USDT到现在余额里还是看不到，交易所那边显示已经发出了": "deposit-not-arrived",
    "提现申请提交好几个小时了一直显示审核中，什么时候能到": "withdrawal-pending-or-under-review",
    "换了新手机，谷歌验证器里的码没了，旧手机也丢了，登不上去": "lost-2fa-device",
    "合约仓位突然被强平了，我想知道爆仓价是怎么算的": "liquidation-risk",
    "有人在电报上说是官方客服，让我把币转到安全账户，是真的吗": "common-scams",
    "充XRP的时候忘记填标签了，钱还能找回来吗": "deposit-missing-memo-tag",
}
ENGLISH = {
    "sent usdt from another exchange yesterday and my balance still shows nothing": "deposit-not-arrived",
    "my withdrawl has been under review for hours when will it go through": "withdrawal-pending-or-under-review",
    "how much does it cost to take BTC out and is there a daily maximum": "withdrawal-fees-and-limits",
    "I want to create a key so my trading bot can place orders": "create-api-key",
    "why was my long closed automatically when the price dropped": "liquidation-risk",
    "someone on telegram claims to be tidewell support, how can I check": "recognise-official-channels",
}


@pytest.mark.parametrize(("question", "slug"), [*CHINESE.items(), *ENGLISH.items()])
def test_a_question_in_either_language_finds_its_article(question: str, slug: str) -> None:
    ranking = knowledge.current_matcher().rank(question)
    assert ranking.candidates[0].key == f"article:{slug}"


def test_traditional_characters_find_the_simplified_article() -> None:
    ranking = knowledge.current_matcher().rank("提幣一直在審核中，要等多久")
    assert ranking.candidates[0].key == "article:withdrawal-pending-or-under-review"


def test_lexical_matching_segments_chinese_and_knows_synonyms() -> None:
    analyzer = Analyzer(BUILTIN_SYNONYM_GROUPS)
    index = LexicalIndex(analyzer, ["提币一直没到账", "修改登录密码", "api key rate limit"])
    scores = index.similarities("提现没到账")  # 提现 and 提币 are one concept
    assert scores.argmax() == 0 and scores[0] > 0.3
    assert index.similarities("rate limits on my api keys").argmax() == 2  # stems
    assert not index.similarities("天气怎么样").any()  # nothing shared, nothing found


def test_combined_scores_rank_a_close_paraphrase_above_a_lexical_lookalike() -> None:
    """The regression on meanings decides where the words mislead: "card" and "limit"
    are shared with the wrong entry, the meaning with the right one."""
    entries = [
        Entry("limits", ("what is the card spending limit", "how much can I spend with my card")),
        Entry("stolen", ("my card was stolen", "someone took my wallet with the card inside")),
        Entry("fees", ("what does a transfer cost", "fee for sending money")),
    ]
    matcher = Matcher(entries, default_embedder(), Analyzer([]), MatcherParams())
    ranking = matcher.rank("a thief has my card, please block it")
    assert ranking.candidates[0].key == "stolen"
    assert abs(sum(c.confidence for c in matcher.rank("fee?", limit=3).candidates) - 1) < 1e-4


def test_an_attached_question_is_known_at_once(support_admin: object) -> None:
    question = "我的资产页面显示的数字和昨天不一样，是不是被人动过"
    before = knowledge.current_matcher()
    article = Article.objects.get(slug="login-history-and-devices")
    services.add_example_question(article, question, "zh-hans")
    after = knowledge.current_matcher()
    assert after is not before  # rebuilt for the new version, no restart
    assert after.rank(question).candidates[0].key == "article:login-history-and-devices"


def test_an_unpublished_article_is_no_longer_an_answer() -> None:
    from pharos.helpcenter import services as helpcenter

    helpcenter.set_articles_published(Article.objects.filter(slug="funding-rate"), False)
    keys = knowledge.current_matcher().keys
    assert "article:funding-rate" not in keys and "article:leverage-and-margin" in keys


def test_an_article_written_in_the_admin_is_answered_by_the_bot_at_once(
    support_admin: StaffMember,
) -> None:
    from tests.helpcenter.test_admin import article_form

    knowledge.current_matcher()  # built before the article exists
    response = signed_in(support_admin.user).post("/admin/helpcenter/article/add/", article_form())
    assert response.status_code == 302
    article = Article.objects.get(slug="gecko-support-hours")
    assert article.example_questions.count() == 2
    for question in ["what time does the gecko desk open?", "壁虎服务台什么时候上班"]:
        assert knowledge.current_matcher().rank(question).candidates[0].key == (
            "article:gecko-support-hours"
        )
