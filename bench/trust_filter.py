"""The trust filter's speed on one core: customer messages through the secret redaction
(trust/redaction/) and agent replies through the agent guard (trust/guard/), the two
checks every chat message passes. Target: at least 5,000 messages/s each, so that they
never slow a chat.

    .venv/bin/python bench/trust_filter.py [--messages 50000] [--seed 7]

The messages are a realistic mix written for this bench: English and Chinese, 20 to 500
characters, tx hashes, addresses, order numbers and amounts, and about one in twenty
with a secret (seed phrase, password, code, card number, private key) or, for agents,
an ask the guard must stop. Each run is single-threaded (one core); the figures are
messages per second over the whole set and the slowest 1 % of messages. The last line
is one JSON object."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mnemonic import Mnemonic

from pharos.trust import guard, redaction

CUSTOMER_EN = [
    "Hi, I deposited {amount} USDT on TRC20 about two hours ago and it still has not arrived. "
    "TxID {txid}",
    "My withdrawal {order} has been under review since yesterday, can you check please?",
    "I can't log in, it says my account is locked after too many attempts.",
    "Why was my order {order} cancelled? I had enough balance.",
    "I sent BTC to {address} but the wrong network, is it lost?",
    "How long does KYC level 2 take? I uploaded my passport on Monday.",
    "The SMS code never arrives when I try to withdraw.",
    "Is there a fee for withdrawing ETH to an external wallet?",
]
CUSTOMER_ZH = [
    "您好，我两小时前通过 TRC20 充值了 {amount} USDT，还没到账，交易哈希 {txid}",
    "我的提币 {order} 一直在审核中，麻烦帮我看一下。",
    "账户被锁了，提示密码错误次数太多，怎么解锁？",
    "为什么我的订单 {order} 被取消了？余额是够的。",
    "我把币转到了 {address}，但是网络选错了，还能找回吗？",
    "验证码收不到，换了手机号也不行。",
    "实名认证二级要多久？周一就上传了护照。",
]
SECRETS = [
    "my password is {password}",
    "seed phrase: {seed}",
    "验证码 {code}",
    "card {card}",
    "private key {key}",
    "登录密码是 {password}",
]
AGENT_OK = [
    "Thanks for waiting. Your deposit {txid} has 12 of 20 confirmations; it will arrive soon.",
    "We will never ask for your password or codes. Please reset your password on the sign-in "
    "page if you think someone knows it.",
    "Could you send a screenshot of the error and the TxID of the transfer?",
    "您好，您的提币 {order} 已经审核通过，预计 30 分钟内到账。",
    "请不要向任何人透露验证码，包括自称客服的人。",
    "Your account is unlocked now. Please turn on 2FA in Settings > Security.",
]
AGENT_BLOCKED = [
    "To verify your identity please send me your password.",
    "请把手机收到的验证码发给我，我帮您操作。",
    "Move your funds to this safe wallet {address} while we investigate.",
    "Install AnyDesk and give me the code so I can fix it for you.",
]


def messages(count: int, seed: int) -> tuple[list[str], list[str]]:
    chooser = random.Random(seed)
    words = Mnemonic("english")

    def fill(template: str) -> str:
        return template.format(
            amount=chooser.randint(10, 50_000),
            txid="0x" + "".join(chooser.choice("0123456789abcdef") for _ in range(64)),
            order=chooser.randint(10**11, 10**12),
            address="T"
            + "".join(chooser.choice("ABCDEFGHJKLMNPQRSTUVWXYZ123456789") for _ in range(33)),
            password=f"Tide{chooser.randint(1000, 9999)}!x",
            seed=words.to_mnemonic(bytes(chooser.getrandbits(8) for _ in range(16))),
            code=chooser.randint(100_000, 999_999),
            card="4111 1111 1111 1111",
            key="".join(chooser.choice("0123456789abcdef") for _ in range(64)),
        )

    customers, agents = [], []
    for _ in range(count):
        base = fill(chooser.choice(CUSTOMER_EN if chooser.random() < 0.5 else CUSTOMER_ZH))
        if chooser.random() < 0.05:
            base += " " + fill(chooser.choice(SECRETS))
        customers.append(base)
        agent = AGENT_BLOCKED if chooser.random() < 0.05 else AGENT_OK
        agents.append(fill(chooser.choice(agent)))
    return customers, agents


def measure(check: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    for text in texts[:200]:  # warm up (word lists, compiled patterns)
        check(text)
    durations = []
    started = time.perf_counter()
    for text in texts:
        began = time.perf_counter()
        check(text)
        durations.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - started
    durations.sort()
    return {
        "msgs_per_s": round(len(texts) / elapsed),
        "mean_us": round(statistics.fmean(durations) * 1e6, 1),
        "p99_us": round(durations[int(len(durations) * 0.99)] * 1e6, 1),
        "max_us": round(durations[-1] * 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    customers, agents = messages(options.messages, options.seed)
    redacted = sum(1 for text in customers if redaction.redact(text).found)
    blocked = sum(1 for text in agents if guard.check_outgoing(text).blocked)
    filtering = measure(redaction.redact, customers)
    guarding = measure(guard.check_outgoing, agents)
    print(f"{'messages (each check)':<40}{options.messages:>22}")
    print(f"{'customer messages with a secret':<40}{redacted:>22}")
    print(f"{'agent messages stopped':<40}{blocked:>22}")
    for name, figures in (("redaction filter", filtering), ("agent guard", guarding)):
        print(f"{name + ', messages/s':<40}{figures['msgs_per_s']:>22}")
        timings = f"{figures['mean_us']} / {figures['p99_us']} / {figures['max_us']}"
        print(f"{name + ', mean / p99 / max µs':<40}{timings:>22}")
    print(
        json.dumps(
            {
                "messages": options.messages,
                "redacted": redacted,
                "blocked": blocked,
                "filter_msgs_per_s": filtering["msgs_per_s"],
                "filter_p99_us": filtering["p99_us"],
                "guard_msgs_per_s": guarding["msgs_per_s"],
                "guard_p99_us": guarding["p99_us"],
            }
        )
    )


if __name__ == "__main__":
    main()
