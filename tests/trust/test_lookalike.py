"""Is this official? A customer pastes a link, an address, a number or an account and
learns whether it is one of ours, a look-alike of one of ours (which, and why), or
simply not ours. The registry is the demo one; no database is involved."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharos.trust.lookalike import (
    MAX_INPUT,
    OfficialValue,
    Verdict,
    candidates_in_text,
    normalise,
    verify,
)

SITE = OfficialValue("domain", "tidewell.example", key="site")
HELP_SITE = OfficialValue("domain", "help.tidewell.example", key="help-site")
SUPPORT_MAIL = OfficialValue("email", "support@tidewell.example", key="support-mail")
SECURITY_MAIL = OfficialValue("email", "security@tidewell.example", key="security-mail")
FEEDBACK_MAIL = OfficialValue("email", "feedback@tidewell.example", key="feedback-mail")
TELEGRAM = OfficialValue("telegram", "@tidewell_exchange", key="telegram")
X_ACCOUNT = OfficialValue("x", "@tidewell_exchange", key="x")
FACEBOOK = OfficialValue("facebook", "facebook.com/tidewell.exchange", key="facebook")
PHONE = OfficialValue("phone", "+65 6123 4567", key="phone")
AGENT_1024 = OfficialValue("agent_id", "TW-1024", key="agent-1024")
AGENT_2048 = OfficialValue("agent_id", "TW-2048", key="agent-2048")

REGISTRY = (
    SITE,
    HELP_SITE,
    SUPPORT_MAIL,
    SECURITY_MAIL,
    FEEDBACK_MAIL,
    TELEGRAM,
    X_ACCOUNT,
    FACEBOOK,
    PHONE,
    AGENT_1024,
    AGENT_2048,
)

DOMAINS = {SITE, HELP_SITE}
HANDLES = {TELEGRAM, X_ACCOUNT}
MAILS = {SUPPORT_MAIL, SECURITY_MAIL, FEEDBACK_MAIL}


# -- Official values, however they are spelled ---------------------------------------------

OFFICIAL_SPELLINGS = [
    # the site
    ("tidewell.example", SITE),
    ("TIDEWELL.EXAMPLE", SITE),
    ("https://tidewell.example", SITE),
    ("https://tidewell.example/", SITE),
    ("http://www.tidewell.example/login?next=/wallet#top", SITE),
    ("tidewell.example.", SITE),
    ("https://tidewell.example.:443/markets", SITE),
    ("HTTPS://WWW.TIDEWELL.EXAMPLE:8443", SITE),
    ("  <https://tidewell.example/>  ", SITE),
    ('"tidewell.example"', SITE),
    ("(tidewell.example)", SITE),
    ("「tidewell.example」", SITE),
    ("tidewell.example/zh-hans/help/", SITE),
    ("ｔｉｄｅｗｅｌｌ．ｅｘａｍｐｌｅ", SITE),
    ("ｈｔｔｐｓ：／／ｔｉｄｅｗｅｌｌ．ｅｘａｍｐｌｅ／", SITE),
    ("tidewell。example", SITE),
    ("tide\u200bwell.example", SITE),
    ("tide\u200cwe\u200dll.exa\u2060mple", SITE),
    ("\ufefftidewell.example", SITE),
    ("tide\u00adwell.example", SITE),
    ("https://someone@tidewell.example/", SITE),
    ("https://tidewell.example\\login", SITE),
    # any sub-domain of an official domain is official
    ("docs.tidewell.example", SITE),
    ("https://api.eu.tidewell.example/v1", SITE),
    ("help.tidewell.example", HELP_SITE),
    ("https://help.tidewell.example/articles/42", HELP_SITE),
    ("www.help.tidewell.example", HELP_SITE),
    ("zh.help.tidewell.example", HELP_SITE),
    # e-mail
    ("support@tidewell.example", SUPPORT_MAIL),
    ("SUPPORT@TIDEWELL.EXAMPLE", SUPPORT_MAIL),
    ("mailto:support@tidewell.example", SUPPORT_MAIL),
    ("mailto:support@tidewell.example?subject=help", SUPPORT_MAIL),
    ("<security@tidewell.example>", SECURITY_MAIL),
    ("Feedback@Tidewell.Example.", FEEDBACK_MAIL),
    ("ｓｅｃｕｒｉｔｙ＠ｔｉｄｅｗｅｌｌ．ｅｘａｍｐｌｅ", SECURITY_MAIL),
    ("sup\u200bport@tidewell.example", SUPPORT_MAIL),
    # Telegram
    ("t.me/tidewell_exchange", TELEGRAM),
    ("https://t.me/tidewell_exchange", TELEGRAM),
    ("https://t.me/s/tidewell_exchange", TELEGRAM),
    ("http://telegram.me/tidewell_exchange", TELEGRAM),
    ("https://telegram.dog/Tidewell_Exchange/", TELEGRAM),
    ("t.me/@tidewell_exchange", TELEGRAM),
    ("https://t.me/tidewell_exchange/123", TELEGRAM),
    # X
    ("x.com/tidewell_exchange", X_ACCOUNT),
    ("https://twitter.com/tidewell_exchange", X_ACCOUNT),
    ("https://x.com/Tidewell_Exchange?s=20", X_ACCOUNT),
    ("mobile.twitter.com/tidewell_exchange", X_ACCOUNT),
    ("https://www.x.com/tidewell_exchange/status/1", X_ACCOUNT),
    # Facebook (dots and case do not count in Facebook names)
    ("facebook.com/tidewell.exchange", FACEBOOK),
    ("https://www.facebook.com/tidewell.exchange/", FACEBOOK),
    ("fb.com/tidewell.exchange", FACEBOOK),
    ("m.facebook.com/tidewell.exchange", FACEBOOK),
    ("https://facebook.com/TideWell.Exchange?ref=page", FACEBOOK),
    ("facebook.com/tidewellexchange", FACEBOOK),
    # phone
    ("+65 6123 4567", PHONE),
    ("+6561234567", PHONE),
    ("+65-6123-4567", PHONE),
    ("0065-6123-4567", PHONE),
    ("0065 6123 4567", PHONE),
    ("(65) 61234567", PHONE),
    ("65 6123 4567", PHONE),
    ("6123 4567", PHONE),
    ("6123-4567", PHONE),
    ("tel:+6561234567", PHONE),
    ("+65 (6123) 4567", PHONE),
    ("＋６５ ６１２３ ４５６７", PHONE),
    # agents
    ("TW-1024", AGENT_1024),
    ("tw1024", AGENT_1024),
    ("tw-1024", AGENT_1024),
    ("TW 1024", AGENT_1024),
    ("tw_2048", AGENT_2048),
    ("ＴＷ－１０２４", AGENT_1024),
    ("TW.2048", AGENT_2048),
]


@pytest.mark.parametrize(("pasted", "channel"), OFFICIAL_SPELLINGS)
def test_a_customer_pasting_an_official_value_in_any_spelling_learns_it_is_official(
    pasted: str, channel: OfficialValue
) -> None:
    verdict = verify(pasted, REGISTRY)
    assert verdict.verdict == "official", verdict
    assert verdict.channel == channel
    assert verdict.kind == channel.kind
    assert verdict.reasons == ()


@pytest.mark.parametrize(
    "pasted", ["@tidewell_exchange", "@TIDEWELL_EXCHANGE", "tidewell_exchange"]
)
def test_a_bare_handle_is_checked_against_telegram_and_x(pasted: str) -> None:
    assert normalise(pasted) == [("telegram", "@tidewell_exchange"), ("x", "@tidewell_exchange")]
    verdict = verify(pasted, REGISTRY)
    assert verdict.verdict == "official"
    assert verdict.channel in HANDLES


def test_a_bare_handle_is_official_when_only_the_x_account_is_registered() -> None:
    verdict = verify("@tidewell_exchange", [X_ACCOUNT])
    assert (verdict.verdict, verdict.channel) == ("official", X_ACCOUNT)


def test_the_official_key_is_handed_back_and_an_unhashable_key_still_works() -> None:
    row = OfficialValue("domain", "tidewell.example", key={"id": 7})
    assert verify("https://tidewell.example", [row]).channel is row


def test_an_official_number_entered_without_country_code_matches_with_one() -> None:
    national = OfficialValue("phone", "6123 4567", key="national")
    for pasted in ("+65 6123 4567", "0065 6123 4567", "61234567"):
        assert verify(pasted, [national]).channel == national, pasted


def test_numbers_with_another_country_code_or_other_digits_are_not_official() -> None:
    for pasted in ("+44 6123 4567", "+65 6123 4568", "+1 650 6123 4567", "6123 4568"):
        assert verify(pasted, REGISTRY).verdict == "not_official", pasted


def test_normalise_reads_the_host_the_browser_would_open() -> None:
    assert normalise("https://tidewell.example@evil.example/") == [("domain", "evil.example")]
    assert normalise("https://tidewell.example:pw@evil.example:8080/x") == [
        ("domain", "evil.example")
    ]
    assert normalise("https://evil.example\\@tidewell.example") == [("domain", "evil.example")]
    assert normalise("xn--tdewell-rog.example") == [("domain", "tіdewell.example")]
    assert normalise("(65) 61234567") == [("phone", "6561234567")]
    assert normalise("0065-6123-4567") == [("phone", "+6561234567")]
    assert normalise("tw_1024")[0] == ("agent_id", "TW-1024")
    assert normalise("https://m.facebook.com/Tidewell.Exchange") == [
        ("facebook", "facebook.com/tidewellexchange")
    ]
    assert normalise("") == []


# -- Look-alikes ---------------------------------------------------------------------------

BRAND = "tidewell"
# Characters that look like the letters of the brand: digits, letter pairs, Cyrillic,
# Greek, accented letters.
LOOK_ALIKE_CHARACTERS = {
    "t": ["\u0442", "\u03c4"],
    "i": ["1", "l", "\u0456", "\u03b9", "í", "\u0131"],
    "d": ["cl", "\u0501"],
    "e": ["\u0435", "3", "é", "\u03b5"],
    "w": ["vv", "\u051d", "\u03c9", "ŵ"],
    "l": ["1", "I", "i", "\u04cf"],
}
EXTRA = ["support", "help", "helpdesk", "official", "service", "team", "care", "desk"]
EXTRA += ["verify", "secure", "login", "wallet", "app", "global", "cs", "客服"]


def homoglyph_names() -> list[str]:
    names = []
    for position, letter in enumerate(BRAND):
        for look_alike in LOOK_ALIKE_CHARACTERS.get(letter, []):
            names.append(BRAND[:position] + look_alike + BRAND[position + 1 :])
    names += ["tidewe11", "t1dewe11", "tidevve11", "tіdеwеll", "ticlewell"]
    return list(dict.fromkeys(names))


def typo_names() -> list[str]:
    swaps = [
        BRAND[:i] + BRAND[i + 1] + BRAND[i] + BRAND[i + 2 :]
        for i in range(len(BRAND) - 1)
        if BRAND[i] != BRAND[i + 1]
    ]
    doubled = [BRAND[: i + 1] + BRAND[i:] for i in range(len(BRAND))]
    inserted = [BRAND[:i] + "x" + BRAND[i:] for i in (1, 4, 7)]
    dropped = [BRAND[:i] + BRAND[i + 1 :] for i in range(len(BRAND))]
    two_edits = ["tiddewelll", "tidwel", "itdewlel", "tidewellll"]
    return list(dict.fromkeys(swaps + doubled + inserted + dropped + two_edits))


def punycode(host: str) -> str:
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in host.split(".")
    )


def generated_lookalikes() -> list[tuple[str, set[OfficialValue]]]:
    cases: list[tuple[str, set[OfficialValue]]] = []
    for name in homoglyph_names() + typo_names():
        cases.append((f"{name}.example", DOMAINS))
        cases.append((f"https://{name}.com/login", DOMAINS))
    for name in homoglyph_names():
        if not name.isascii():
            cases.append((punycode(f"{name}.example"), DOMAINS))
    for word in EXTRA:
        for separator in ("-", "", "."):
            cases.append((f"{BRAND}{separator}{word}.example", DOMAINS))
        cases.append((f"{word}-{BRAND}.com", DOMAINS))
    for top_level in ("com", "co", "net", "io", "org", "app", "xyz", "exchange", "com.sg"):
        cases.append((f"{BRAND}.{top_level}", DOMAINS))
    cases += [
        (host, DOMAINS)
        for host in (
            "tidewell.example.ru",
            "tidewell.example.com",
            "https://tidewell.example.evil.com/",
            "tidewell-example.evil.io",
            "login.tidewell.example.secure-check.net",
            "https://help.tidewell.example.verify-account.xyz/",
            "tidewell.evil.com",
            "secure.tidewe11-login.com",
            "tide.well.com",
            # the user information trick: the browser opens the host after "@"
            "https://tidewell.example@evil.example/",
            "http://help.tidewell.example:443@phish.io/login",
            # the brand in the path of another domain
            "evil.com/tidewell.example/login",
            "https://secure-check.net/tidewell/login",
            "https://bit-verify.io/tidewell-example/wallet/connect",
        )
    ]
    telegram_or_x = HANDLES
    for handle in (
        "tidewell_exchange_support",
        "tidewelI_exchange",
        "tidewell_exchange_official",
        "official_tidewell_exchange",
        "tidewell_exchange_cs",
        "tidewell_support",
        "tidewel_exchange",
        "tidewell__exchange",
        "tidewellexchange",
        "tidewell_exchnage",
        "tidewell_exchangee",
        "tіdewell_exchange",
        "tidewe11_exchange",
        "tidewell_exchange_bot",
        "tidewell_exchange_help_desk",
        "tidewell_exchange_kefu",
        "tidewellexchange_guanfang",
        "tidewell",
        "tidewell_official",
    ):
        cases.append((f"@{handle}", telegram_or_x))
    for word in ("support", "help", "official", "service", "team", "care", "admin"):
        cases.append((f"@tidewell_exchange_{word}", telegram_or_x))
        cases.append((f"@tidewell_exchange{word}", telegram_or_x))
    cases += [
        ("t.me/tidewell_exchanges", {TELEGRAM}),
        ("https://t.me/s/tidewell_exchange_help", {TELEGRAM}),
        ("telegram.me/tidewell_exchange_vip", {TELEGRAM}),
        ("https://t.me/tidevvell_exchange", {TELEGRAM}),
        ("x.com/tidewell_support", {X_ACCOUNT}),
        ("twitter.com/tidewell_exchange_cs", {X_ACCOUNT}),
        ("https://x.com/tidewell_exchnge", {X_ACCOUNT}),
        ("facebook.com/tidewell.exchange.support", {FACEBOOK}),
        ("fb.com/tidewellexchange.official", {FACEBOOK}),
        ("facebook.com/tidewel.exchange", {FACEBOOK}),
        ("m.facebook.com/tidewell_exchange", {FACEBOOK}),
        ("support@tidewe11.example", {SUPPORT_MAIL}),
        ("support@tidewell-support.com", {SUPPORT_MAIL}),
        ("security@tidewell.co", {SECURITY_MAIL}),
        ("feedback@tidewell.example.evil.com", {FEEDBACK_MAIL}),
        ("support@tіdewell.example", {SUPPORT_MAIL}),
        (f"support@{punycode('tіdewell.example')}", {SUPPORT_MAIL}),
        ("tidewell.support@gmail.com", {SUPPORT_MAIL}),
        ("tidewellhelp@outlook.com", MAILS),
        ("security-tidewell@proton.me", {SECURITY_MAIL}),
        ("TW-1O24", {AGENT_1024}),
    ]
    return cases


def test_every_generated_lookalike_is_caught_and_names_what_it_imitates() -> None:
    cases = generated_lookalikes()
    assert len(cases) >= 120
    misses = []
    for pasted, imitated in cases:
        verdict = verify(pasted, REGISTRY)
        if verdict.verdict != "lookalike" or verdict.channel not in imitated or not verdict.reasons:
            misses.append((pasted, verdict))
    detection_rate = 1 - len(misses) / len(cases)
    assert misses == [], f"detection rate {detection_rate:.1%}"


@pytest.mark.parametrize(
    ("pasted", "reasons"),
    [
        ("tidewe11.example", {"homoglyph"}),
        ("tіdewell.example", {"homoglyph", "mixed_scripts"}),
        (punycode("tіdewell.example"), {"homoglyph", "punycode", "mixed_scripts"}),
        ("tdiewell.example", {"swapped_characters"}),
        ("tidewelll.example", {"added_letters"}),
        ("tidwell.example", {"dropped_letters"}),
        ("tidewell-support.example", {"extra_words"}),
        ("tidewellhelp.com", {"extra_words", "other_tld"}),
        ("tidewell.com", {"other_tld"}),
        ("tidewell.example.ru", {"other_tld"}),
        ("tidewell.example.evil.com", {"subdomain_of_other_domain"}),
        ("https://tidewell.example@evil.example/", {"official_name_in_userinfo"}),
        ("evil.com/tidewell.example/login", {"official_name_in_path"}),
        ("@tidewell_exchange_support", {"extra_words"}),
        ("x.com/tidewellexchange", {"separators"}),
        ("tidewell.support@gmail.com", {"extra_words", "official_name_in_local_part"}),
    ],
)
def test_a_lookalike_says_why(pasted: str, reasons: set[str]) -> None:
    verdict = verify(pasted, REGISTRY)
    assert verdict.verdict == "lookalike"
    assert set(verdict.reasons) == reasons


def test_a_lookalike_reports_the_host_it_really_opens() -> None:
    verdict = verify("https://tidewell.example@evil.example/login", REGISTRY)
    assert (verdict.kind, verdict.normalised, verdict.channel) == ("domain", "evil.example", SITE)


# -- Unrelated values ----------------------------------------------------------------------

UNRELATED = [
    # other exchanges and everyday sites
    "google.com", "binance.com", "https://www.binance.com/en/support", "okx.com", "coinbase.com",
    "kraken.com", "bybit.com", "kucoin.com", "gate.io", "mexc.com", "bitget.com", "crypto.com",
    "github.com", "github.com/tidewell-labs", "example.com", "example.org", "wikipedia.org",
    "etherscan.io", "tronscan.org", "metamask.io", "youtube.com", "baidu.com", "weixin.qq.com",
    "tidewater.com", "wellness.com", "tide.com", "twitter.com", "t.me",
    "https://coinmarketcap.com/exchanges/tidewell/",
    # addresses
    "support@binance.com", "help@coinbase.com", "support@gmail.com", "noreply@github.com",
    # accounts
    "@binance", "@coinbase_support", "@exchange_support_help", "@elonmusk", "@crypto_news_daily",
    "t.me/durov", "x.com/binance", "facebook.com/coinbase", "@wallet_support", "@support",
    # phone numbers, agents, transactions, words
    "+1 415 555 0100", "+44 20 7946 0958", "+65 6999 0000", "13800138000", "TW-9999", "AB-1024",
    "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "hello", "退款", "bitcoin", "tidewell",
]  # fmt: skip


def test_unrelated_values_are_not_official_and_never_lookalikes() -> None:
    assert len(UNRELATED) >= 40
    wrong = [
        (pasted, verdict)
        for pasted in UNRELATED
        if (verdict := verify(pasted, REGISTRY)).verdict != "not_official"
    ]
    assert wrong == []


def test_an_unregistered_address_on_our_own_domain_is_not_official() -> None:
    for pasted in (
        "noreply@tidewell.example",
        "supp0rt@tidewell.example",
        "a@help.tidewell.example",
    ):
        verdict = verify(pasted, REGISTRY)
        assert (verdict.verdict, verdict.kind) == ("not_official", "email"), pasted


def test_a_registry_with_only_an_email_does_not_call_its_own_domain_a_lookalike() -> None:
    assert verify("tidewell.example", [SUPPORT_MAIL]).verdict == "not_official"
    assert verify("tidewe11.example", [SUPPORT_MAIL]).verdict == "lookalike"


# -- Candidates in a question --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "candidates"),
    [
        ("is @exchange_support_help real?", ["@exchange_support_help"]),
        ("是官方的吗 https://tidewe11.example/login", ["https://tidewe11.example/login"]),
        ("是官方的吗https://tidewe11.example/login。", ["https://tidewe11.example/login"]),
        ("客服@tidewell_exchange吗？", ["@tidewell_exchange"]),
        ("联系@tidewell_exchange客服", ["@tidewell_exchange"]),
        (
            "Someone from support@tidewell-help.com asked for my seed.",
            ["support@tidewell-help.com"],
        ),
        (
            "He called from +65 6123 4567 and said he is agent TW-1024, see tidewell.example.",
            ["+65 6123 4567", "TW-1024", "tidewell.example"],
        ),
        ("网站ｔｉｄｅｗｅｌｌ．ｅｘａｍｐｌｅ是真的吗", ["tidewell.example"]),
        (
            "电话0065-6123-4567，邮箱security@tidewell.example",
            ["0065-6123-4567", "security@tidewell.example"],
        ),
        (
            "t.me/tidewell_exchanges (the one in the ad), or x.com/tidewell_support?",
            ["t.me/tidewell_exchanges", "x.com/tidewell_support"],
        ),
        ("I sent 0.5 BTC on 2024-05-01, e.g. order 12345678. Why?", []),
        ("", []),
    ],
)
def test_candidates_are_found_in_english_and_chinese_questions(
    question: str, candidates: list[str]
) -> None:
    assert candidates_in_text(question) == candidates


def test_a_pasted_sentence_is_verified_by_the_value_in_it() -> None:
    verdict = verify("is https://tidewe11.example/login real?", REGISTRY)
    assert (verdict.verdict, verdict.channel) == ("lookalike", SITE)


# -- Hostile input -------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "https://" + "a." * 5_000 + "com",
    "@" * 10_000,
    "+" + "1" * 10_000,
    "!!!???...,,,;;;",
    "😀🚀💰",
    "tіdеwеll 客服 تيدويل",
    "\x00\x01\x02tidewell\x7f",
    "\u202etidewell.example\u202c",
    "\u200b" * 10_000,
    "xn--" + "a" * 600 + ".com",
    "xn--zzzzzzz-.com",
    "https://[::1]/",
    "https://tidewell.example:99999999999/",
    "http://%zz%e2%80%8b.com",
    "tel:",
    "mailto:",
    "@",
    "a@",
    "@b.c",
]


@pytest.mark.parametrize("pasted", HOSTILE)
def test_hostile_input_gets_a_verdict_and_bounded_work(pasted: str) -> None:
    verdict = verify(pasted, REGISTRY)
    assert isinstance(verdict, Verdict)
    assert verdict.verdict in ("official", "not_official", "lookalike")
    assert len(verdict.normalised) <= MAX_INPUT
    assert all(len(canonical) <= MAX_INPUT for _, canonical in normalise(pasted))
    assert len(candidates_in_text(pasted * 3)) <= 20


def test_a_long_phishing_link_is_cut_after_its_host_is_read() -> None:
    verdict = verify("https://tidewe11.example/login?" + "x" * 10_000, REGISTRY)
    assert (verdict.verdict, verdict.channel) == ("lookalike", SITE)


def test_invisible_padding_cannot_push_the_host_out_of_reach() -> None:
    verdict = verify("\u200b" * 2_000 + "tidewe11.example", REGISTRY)
    assert verdict.verdict == "lookalike"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=700) | st.text(string.printable, max_size=80))
def test_no_input_makes_verify_raise(pasted: str) -> None:
    verdict = verify(pasted, REGISTRY)
    assert verdict.verdict in ("official", "not_official", "lookalike")
    candidates_in_text(pasted)


def test_a_registry_entry_that_cannot_be_read_is_skipped() -> None:
    registry = [
        OfficialValue("domain", "not a domain"),
        OfficialValue("pager", "12345"),
        OfficialValue("phone", "call us"),
        SITE,
    ]
    assert verify("tidewell.example", registry).channel == SITE
    assert verify("tidewe11.example", registry).channel == SITE


def test_an_official_address_on_a_shared_mail_domain_makes_no_brand_of_it() -> None:
    registry = [SITE, OfficialValue("email", "tidewell.desk@gmail.com", key="gmail")]
    assert verify("tidewell.desk@gmail.com", registry).verdict == "official"
    assert verify("someone@gmail.com", registry).verdict == "not_official"
    assert verify("gmai1.com", registry).verdict == "not_official"
    assert verify("tidewell.help@gmail.com", registry).verdict == "lookalike"
