"""The agent guard (trust/guard/): an outgoing message that asks the customer for a
password, a seed phrase, a private key, a one-time code, remote access or a transfer is
blocked with its reasons; warnings, the customer's own steps, questions about what happened
and what support may legitimately ask for pass. Most of it is the labelled messages of
guard_cases.py."""

from __future__ import annotations

import time
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pharos.trust.guard import EXPLANATIONS, REASONS, GuardVerdict, check_outgoing

from .guard_cases import BLOCKED, PASSED


def test_the_data_set_is_large_and_covers_every_reason_several_times() -> None:
    assert len(BLOCKED) >= 70
    assert len(PASSED) >= 70
    counts = Counter(reason for _, reasons in BLOCKED for reason in reasons)
    assert set(counts) == set(REASONS)
    assert min(counts.values()) >= 8, counts
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in text) for text, _ in BLOCKED) >= 25
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in text) for text in PASSED) >= 20


def test_every_request_for_a_secret_or_a_transfer_is_blocked_with_its_reasons() -> None:
    wrong = []
    for text, reasons in BLOCKED:
        verdict = check_outgoing(text)
        if not verdict.blocked or verdict.reasons != reasons:
            wrong.append(f"{text!r}: expected {reasons}, got {verdict.reasons}")
    assert not wrong, f"{len(wrong)} of {len(BLOCKED)} not blocked as expected:\n" + "\n".join(
        wrong
    )


def test_warnings_own_steps_and_legitimate_asks_pass() -> None:
    wrong = []
    for text in PASSED:
        verdict = check_outgoing(text)
        if verdict != GuardVerdict(False, (), ""):
            wrong.append(f"{text!r}: blocked for {verdict.reasons} at {verdict.excerpt!r}")
    assert not wrong, f"{len(wrong)} of {len(PASSED)} wrongly blocked:\n" + "\n".join(wrong)


def test_the_excerpt_is_the_clause_that_asked_as_the_agent_wrote_it() -> None:
    verdict = check_outgoing(
        "Thanks for waiting!\nYour withdrawal is under review. To speed it up, Send Me The "
        "SMS Code you just got. Anything else?"
    )
    assert verdict.blocked
    assert verdict.excerpt == "To speed it up, Send Me The SMS Code you just got"


def test_the_reasons_come_in_the_order_they_appear_without_repeats() -> None:
    verdict = check_outgoing(
        "Please send me the code from your authenticator, your password and your seed phrase. "
        "If the code has expired, send me your password again with a fresh code."
    )
    assert verdict.reasons == ("one_time_code", "password", "seed_phrase")


def test_dont_worry_does_not_excuse_a_request_but_never_does() -> None:
    assert check_outgoing("Don't worry, send me your password.").blocked
    assert check_outgoing("不用担心，直接把密码发我。").blocked
    assert not check_outgoing("Never send your password to anyone.").blocked
    assert not check_outgoing("千万不要把密码发给任何人。").blocked


def test_a_request_for_the_secret_named_in_the_sentence_before_is_blocked() -> None:
    verdict = check_outgoing("We have just sent a code to your phone. Please send it to me.")
    assert verdict.reasons == ("one_time_code",)
    assert not check_outgoing(
        "We have just sent a code to your phone. Please enter it in the app."
    ).blocked


def test_the_customers_own_deposit_address_is_fine_any_other_address_is_not() -> None:
    own = "Your deposit address is under Assets > Deposit. Send the USDT to this address."
    assert not check_outgoing(own).blocked
    other = "Send the USDT to this address: TXJ8m4hWqX1Hk2gYrS3nQ6aB9cD7eF5gLp"
    assert check_outgoing(other).reasons == ("transfer",)


def test_every_reason_is_explained_calmly_in_both_languages() -> None:
    assert set(EXPLANATIONS) == set(REASONS)
    for english, chinese in EXPLANATIONS.values():
        assert english.startswith("Support never") and english.endswith(".")
        assert chinese.startswith("客服") and chinese.endswith("。")
        assert any("\u4e00" <= c <= "\u9fff" for c in chinese)


def test_nothing_to_check_passes() -> None:
    for text in ("", " ", "\n\n", "\u200b", "ok", "好的"):
        assert check_outgoing(text) == GuardVerdict(False, (), "")


_FRAGMENTS = [
    "send me", "your", "password", "seed phrase", "the code", " it", "please", "never",
    "don't", "转到", "安全账户", "发给我", "验证码", "助记词", "不要", "，", "。", ". ", "?", "\n",
    "\u200b", "\u3000", "p@ss", "s e e d", "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE",
    '"', "“", "」", "anydesk", "to our safe wallet", "0.1 BTC", "|", ":", "(", "-",
]  # fmt: skip


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_FRAGMENTS),
            st.text(alphabet=st.characters(exclude_categories=[]), max_size=20),
        ),
        max_size=60,
    ).map("".join)
)
def test_any_text_gets_a_verdict_without_error(text: str) -> None:
    verdict = check_outgoing(text)
    assert set(verdict.reasons) <= set(REASONS)
    assert len(set(verdict.reasons)) == len(verdict.reasons)
    assert verdict.blocked == bool(verdict.reasons) == bool(verdict.excerpt)


def test_a_very_long_message_is_checked_quickly_to_the_end() -> None:
    filler = "Your withdrawal is being reviewed and will be processed soon. "
    text = filler * (100_000 // len(filler))
    started = time.perf_counter()
    assert not check_outgoing(text).blocked
    assert check_outgoing(text + "Now send me your seed phrase.").reasons == ("seed_phrase",)
    assert check_outgoing(("密码" + "的" * 99 + "\n") * 1000).blocked is False
    assert time.perf_counter() - started < 10
