"""Seed phrases: English ones of every length, numbered, with any separator, in capitals,
full-width or hidden; labelled ones with a word mistyped; Chinese ones in the simplified
and traditional lists, spaced, numbered, grouped or unspaced."""

from __future__ import annotations

from .generated import (
    EN,
    EN_15,
    EN_18,
    EN_21,
    EN_24,
    TW,
    ZH,
    ZH_24,
    Case,
    full_width,
    hidden,
    mistyped,
    unspaced,
)


def _numbered(words: str, style: str) -> str:
    return " ".join(style.format(number, word) for number, word in enumerate(words.split(), 1))


SEED_PHRASE_CASES = [
    Case(
        f"Hi, someone emptied my wallet last night. My seed phrase is {EN[0]} — was your site hacked?",
        ("seed_phrase",),
        (EN[0],),
    ),
    Case(
        f"I can't withdraw to my Trust Wallet, here are my words so you can check: {EN[1]}",
        ("seed_phrase",),
        (EN[1],),
    ),
    Case(EN[2], ("seed_phrase",), (EN[2],)),
    Case(
        f"please help {EN[3]} I typed this into the app and it says invalid",
        ("seed_phrase",),
        (EN[3],),
    ),
    Case(_numbered(EN[4], "{}. {}"), ("seed_phrase",), (_numbered(EN[4], "{}. {}"),)),
    Case(
        "My backup, numbered like the card:\n" + "\n".join(_numbered(EN[5], "{}){}").split(" ")),
        ("seed_phrase",),
        ("\n".join(_numbered(EN[5], "{}){}").split(" ")),),
    ),
    Case(
        "recovery words " + _numbered(EN[6], "#{} {}"),
        ("seed_phrase",),
        (_numbered(EN[6], "#{} {}"),),
    ),
    Case(
        f"wallet words: {', '.join(EN[7].split())}. Is that enough to restore it?",
        ("seed_phrase",),
        (", ".join(EN[7].split()),),
    ),
    Case(
        f"Here they are; {'; '.join(EN[8].split())}",
        ("seed_phrase",),
        ("; ".join(EN[8].split()),),
    ),
    Case(
        "MY SEED WORDS ARE " + EN[9].upper() + " PLEASE RESTORE MY ACCOUNT",
        ("seed_phrase",),
        (EN[9].upper(),),
    ),
    Case(
        "mnemonic " + " ".join(word.capitalize() for word in EN[10].split()),
        ("seed_phrase",),
        (" ".join(word.capitalize() for word in EN[10].split()),),
    ),
    Case(
        f"I hid it so scammers can't read it: {hidden(EN[11])} can you verify my wallet?",
        ("seed_phrase",),
        (hidden(EN[11]),),
    ),
    Case(
        f"my phrase {full_width(EN[0])} deposit missing",
        ("seed_phrase",),
        (full_width(EN[0]),),
    ),
    Case(
        "The support agent on Telegram asked for my phrase so I sent:   "
        + "   ".join(EN[1].split())
        + "   \nwas that you?",
        ("seed_phrase",),
        ("   ".join(EN[1].split()),),
    ),
    Case(f"15 words: {EN_15}", ("seed_phrase",), (EN_15,)),
    Case(f"Imported {EN_18} into MetaMask, balance is 0??", ("seed_phrase",), (EN_18,)),
    Case(f"{EN_21}\n\nthat is my ledger backup", ("seed_phrase",), (EN_21,)),
    Case(
        f"Secret Recovery Phrase: {EN_24[0]}\nI need the USDT back urgently",
        ("seed_phrase",),
        (EN_24[0],),
    ),
    Case(
        "24 words:\n" + _numbered(EN_24[1], "{}.{}").replace(" ", "\n"),
        ("seed_phrase",),
        (_numbered(EN_24[1], "{}.{}").replace(" ", "\n"),),
    ),
    Case(
        f"old wallet: {EN[2]} new wallet: {EN[3]}",
        ("seed_phrase",),
        (EN[2], EN[3]),
    ),
    # Labelled, with a word mistyped: the checksum fails but it is still the secret.
    Case(
        f"my seed phrase is {mistyped(EN[4])} but the wallet says the phrase is invalid",
        ("seed_phrase",),
        (mistyped(EN[4]),),
    ),
    Case(
        f"Seed words (I think I wrote one wrong): {mistyped(EN_24[2])}",
        ("seed_phrase",),
        (mistyped(EN_24[2]),),
    ),
    Case(
        "recovery phrase: "
        + " ".join([*EN[5].split()[:6], EN[5].split()[6] + "x", *EN[5].split()[7:]]),
        ("seed_phrase",),
        (" ".join(EN[5].split()[7:]), " ".join(EN[5].split()[:6])),
    ),
    # Chinese: simplified and traditional, spaced, numbered, unspaced, grouped, labelled.
    Case(f"我的助记词是 {ZH[0]} 请帮我找回资产", ("seed_phrase",), (ZH[0],)),
    Case(f"助记词：{unspaced(ZH[1])}", ("seed_phrase",), (unspaced(ZH[1]),)),
    Case(unspaced(ZH[2]), ("seed_phrase",), (unspaced(ZH[2]),)),
    Case(f"你好\n{unspaced(ZH[3])}\n这个能恢复钱包吗？", ("seed_phrase",), (unspaced(ZH[3]),)),
    Case(
        f"我的助记词是{unspaced(ZH[4])}钱包里的币不见了",
        ("seed_phrase",),
        (unspaced(ZH[4]),),
    ),
    Case(
        "这是我钱包的备份：" + "，".join(ZH[5].split()),
        ("seed_phrase",),
        ("，".join(ZH[5].split()),),
    ),
    Case(
        _numbered(ZH[6], "{}、{}"),
        ("seed_phrase",),
        (_numbered(ZH[6], "{}、{}"),),
    ),
    Case(
        "客服说要核对一下，我发给你："
        + " ".join(unspaced(ZH[7])[i : i + 3] for i in range(0, 12, 3)),
        ("seed_phrase",),
        (" ".join(unspaced(ZH[7])[i : i + 3] for i in range(0, 12, 3)),),
    ),
    Case(
        f"助记词 {hidden(ZH[8])} 麻烦看看",
        ("seed_phrase",),
        (hidden(ZH[8]),),
    ),
    Case(f"种子短语：{unspaced(ZH_24)}", ("seed_phrase",), (unspaced(ZH_24),)),
    Case(f"{ZH[9]}", ("seed_phrase",), (ZH[9],)),
    Case(
        f"我在别的平台导入了这个 {unspaced(ZH[10])} 为什么资产是零",
        ("seed_phrase",),
        (unspaced(ZH[10]),),
    ),
    Case(f"助記詞：{unspaced(TW[0])}", ("seed_phrase",), (unspaced(TW[0]),)),
    Case(f"我的錢包 {TW[1]} 幣不見了", ("seed_phrase",), (TW[1],)),
    Case(unspaced(TW[2]), ("seed_phrase",), (unspaced(TW[2]),)),
    Case(
        f"助记词是 {unspaced(mistyped(ZH[11], 'chinese_simplified'))} 可是钱包说不对",
        ("seed_phrase",),
        (unspaced(mistyped(ZH[11], "chinese_simplified")),),
    ),
    Case(
        f"my seed phrase: {mistyped(ZH[0], 'chinese_simplified')}",
        ("seed_phrase",),
        (mistyped(ZH[0], "chinese_simplified"),),
    ),
]
