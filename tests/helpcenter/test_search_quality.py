"""Search quality on the demo help center: each query, the way real traders type it,
must find the right article among the first three results."""

from __future__ import annotations

import pytest

from pharos.helpcenter import services

QUERIES = [
    # (query, language of the reader, the article that answers it, or the ones that do)
    ("钱提不出来", "zh-hans", "withdrawal-pending-or-under-review"),
    ("充错链了", "zh-hans", "deposit-wrong-network"),
    ("收不到验证码", "zh-hans", "verification-code-not-received"),
    ("how do I turn off google authenticator", "en", "turn-off-or-change-2fa"),
    ("提币", "zh-hans", "how-to-withdraw"),
    ("提现一直在审核", "zh-hans", "withdrawal-pending-or-under-review"),
    ("提幣審核中", "zh-hans", "withdrawal-pending-or-under-review"),
    ("充值没到账", "zh-hans", "deposit-not-arrived"),
    ("充幣沒到賬", "zh-hans", "deposit-not-arrived"),
    ("忘了填memo", "zh-hans", "deposit-missing-memo-tag"),
    ("谷歌验证器丢了", "zh-hans", "lost-2fa-device"),
    ("换手机了谷歌验证怎么办", "zh-hans", "lost-2fa-device"),
    ("防钓鱼码是什么", "zh-hans", "anti-phishing-code"),
    ("账号被盗了", "zh-hans", "account-stolen-freeze-now"),
    ("账户被锁了怎么解锁", "zh-hans", "account-locked"),
    ("忘记密码", "zh-hans", "reset-your-password"),
    ("实名认证失败", "zh-hans", "identity-verification-rejected"),
    ("合约爆仓", "zh-hans", "liquidation-risk"),
    ("挂单吃单手续费", "zh-hans", "trading-fees"),
    ("卖家不放币", "zh-hans", "p2p-disputes-and-appeals"),
    ("提币手续费多少", "zh-hans", "withdrawal-fees-and-limits"),
    ("地址填错了", "zh-hans", "withdrawal-to-wrong-address"),
    ("怎么联系人工客服", "zh-hans", "support-channels-overview"),
    ("转人工", "zh-hans", "live-chat-guide"),
    ("客服邮箱", "zh-hans", "support-mailboxes"),
    ("API 限频", "zh-hans", "api-rate-limits"),
    ("官方电报群是真的吗", "zh-hans", "official-social-accounts"),
    ("怎么注册账号", "zh-hans", "register-an-account"),
    ("my withdrawal is stuck", "en", "withdrawal-pending-or-under-review"),
    ("withdrawl pending", "en", "withdrawal-pending-or-under-review"),
    ("deposit not credited", "en", "deposit-not-arrived"),
    ("sent USDT on the wrong network", "en", "deposit-wrong-network"),
    ("forgot the memo tag", "en", "deposit-missing-memo-tag"),
    ("not receiving sms code", "en", "verification-code-not-received"),
    ("lost phone with authenticator", "en", "lost-2fa-device"),
    ("anti-phishing code", "en", "anti-phishing-code"),
    ("ACCOUNT LOCKED", "en", "account-locked"),
    ("someone hacked my account", "en", "account-stolen-freeze-now"),
    ("reset password", "en", "reset-your-password"),
    ("KYC levels limits", "en", "kyc-levels-and-limits"),
    ("liquidation price", "en", "liquidation-risk"),
    ("maker taker fees", "en", "trading-fees"),
    ("stop limit order", "en", "order-types"),
    ("api key permissions", "en", "create-api-key"),
    ("429 too many requests", "en", "api-rate-limits"),
    (
        "is this support account real",
        "en",
        ("recognise-official-channels", "official-social-accounts", "beware-fake-support-accounts"),
    ),
    ("which email address should I write to", "en", "support-mailboxes"),
    ("how to submit a ticket", "en", "submit-a-ticket"),
    ("vip benefits", "en", "vip-programme"),
    ("TxID", "en", "find-your-txid"),
    ("funding fee", "en", "funding-rate"),
    # Across languages: a Chinese query from the English site, and the other way round.
    ("提币", "en", "how-to-withdraw"),
    ("withdraw", "zh-hans", "how-to-withdraw"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "language", "expected"), QUERIES)
def test_query_finds_the_right_article_in_the_top_three(
    query: str, language: str, expected: str | tuple[str, ...]
) -> None:
    page = services.search(query, language, limit=3)
    found = [hit.slug for hit in page.hits]
    answers = {expected} if isinstance(expected, str) else set(expected)
    assert answers & set(found), f"{query!r} ({language}) gave {found}"


def test_the_quality_set_is_large_and_bilingual() -> None:
    languages = [language for _, language, _ in QUERIES]
    assert len(QUERIES) >= 40
    assert languages.count("zh-hans") >= 20
    assert languages.count("en") >= 20
