"""More messages with a secret, in the words of a customer who has been scammed or mixes
English and Chinese, and messages holding secrets of several kinds."""

from __future__ import annotations

from .generated import EN, KEYS, SECRETS, TX, ZH, Case, card, grouped, phrase, unspaced

MORE_CASES = [
    Case(
        f"I think I got scammed. They asked me to send my private key and I did: {KEYS[2]}",
        ("private_key",),
        (KEYS[2],),
    ),
    Case(
        f"They told me to type my words here to unlock the account: {phrase(120)}",
        ("seed_phrase",),
        (phrase(120),),
    ),
    Case(f"我的 private key 是 {KEYS[3]}", ("private_key",), (KEYS[3],)),
    Case(f"我的API secret是{SECRETS[4][:40]}", ("api_secret",), (SECRETS[4][:40],)),
    Case("我的密码是Abcd1234，能帮我登录看看吗", ("password",), ("Abcd1234",)),
    Case("我的谷歌验证码是384920", ("one_time_code",), ("384920",)),
    Case("验证码：８８３９２１", ("one_time_code",), ("８８３９２１",)),
    Case("Here's the 6 digit code: 120398", ("one_time_code",), ("120398",)),
    Case("the code is 771204, hurry please", ("one_time_code",), ("771204",)),
    Case(f"刷卡用的是 {card('4', 16, 40)} 这张", ("card_number",), (card("4", 16, 40),)),
    Case(
        f"这是我的钱包备份 {unspaced(phrase(330, 12, 'chinese_simplified'))} 请帮我恢复",
        ("seed_phrase",),
        (unspaced(phrase(330, 12, "chinese_simplified")),),
    ),
]

MIXED_CASES = [
    Case(
        "UID 20481736. password: Lock3d0ut! and the SMS code 556012",
        ("password", "one_time_code"),
        ("Lock3d0ut!", "556012"),
    ),
    Case(
        f"验证码 118822，密码是 qwe123456，卡号 {grouped(card('4', 16, 20))}",
        ("one_time_code", "password", "card_number"),
        ("118822", "qwe123456", grouped(card("4", 16, 20))),
    ),
    Case(
        f"Seed: {EN[6]}\nprivate key: {KEYS[0]}\ntx: {TX[1]}",
        ("seed_phrase", "private_key"),
        (EN[6], KEYS[0]),
    ),
    Case(
        f"api secret {SECRETS[11]} and my 2fa code is 090807",
        ("api_secret", "one_time_code"),
        (SECRETS[11], "090807"),
    ),
    Case(
        f"助记词 {unspaced(ZH[1])}\n私钥 {KEYS[5]}\n交易哈希 {TX[2]}",
        ("seed_phrase", "private_key"),
        (unspaced(ZH[1]), KEYS[5]),
    ),
]
