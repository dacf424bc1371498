"""Labelled customer messages for the redaction filter: what a customer of the exchange
writes in chat, mail and tickets, in English and Chinese, with the secrets (if any) each
one holds. Written for Pharos; every secret is generated here from fixed seeds, so none
of them is anyone's real key, card or phrase.

Each case records the kinds the filter must find and the secret values, exactly as they
appear in the text, that must not survive redaction. Messages without a kind are the hard
negatives: transaction hashes, addresses, xpubs, order numbers, UIDs, amounts, phone
numbers, and ordinary English and Chinese that only looks like a secret.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cache

from mnemonic import Mnemonic


@dataclass(frozen=True)
class Case:
    text: str
    kinds: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()


# Generated secrets ---------------------------------------------------------------------


@cache
def _mnemonic(language: str) -> Mnemonic:
    return Mnemonic(language)


def phrase(seed: int, words: int = 12, language: str = "english") -> str:
    """A valid BIP39 phrase from fixed entropy, words separated by single spaces."""
    entropy = random.Random(seed).randbytes(words // 3 * 4)
    return str(_mnemonic(language).to_mnemonic(entropy))


def mistyped(valid: str, language: str = "english") -> str:
    """The phrase with its last word swapped for another list word so the checksum fails."""
    words = valid.split(" ")
    word_list = _mnemonic(language).wordlist
    start = word_list.index(words[-1])
    for step in range(1, 2048):
        candidate = " ".join([*words[:-1], word_list[(start + step) % 2048]])
        if not _mnemonic(language).check(candidate):
            return candidate
    raise AssertionError("unreachable")


def hidden(text: str) -> str:
    """Zero-width characters slipped inside every word, as a customer hiding it would."""
    invisible = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
    return " ".join(
        word[:1] + invisible[position % len(invisible)] + word[1:]
        for position, word in enumerate(text.split(" "))
    )


def full_width(text: str) -> str:
    return "".join(
        chr(ord(character) + 0xFEE0)
        if "!" <= character <= "~"
        else "\u3000"
        if character == " "
        else character
        for character in text
    )


def hex_digits(seed: int, count: int = 64) -> str:
    return random.Random(seed).randbytes(count // 2).hex()


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _BASE58[remainder] + encoded
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + encoded


def wif(seed: int, compressed: bool = True) -> str:
    key = random.Random(seed).randbytes(32)
    return base58check(b"\x80" + key + (b"\x01" if compressed else b""))


EXTENDED_VERSIONS = {
    "xprv": "0488ade4",
    "yprv": "049d7878",
    "zprv": "04b2430c",
    "tprv": "04358394",
    "xpub": "0488b21e",
    "zpub": "04b24746",
}


def extended_key(seed: int, prefix: str) -> str:
    rng = random.Random(seed)
    body = bytes(9) + rng.randbytes(32)  # depth, parent fingerprint, child number; chain code
    key = (b"\0" if prefix.endswith("prv") else b"\x02") + rng.randbytes(32)
    encoded = base58check(bytes.fromhex(EXTENDED_VERSIONS[prefix]) + body + key)
    assert encoded.startswith(prefix), encoded
    return encoded


def api_token(seed: int, length: int = 64) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def _luhn_check_digit(body: str) -> str:
    total = 0
    for position, character in enumerate(reversed(body)):
        digit = int(character)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def card(prefix: str, length: int, seed: int) -> str:
    """A Luhn-valid number with this prefix and length."""
    rng = random.Random(seed)
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + _luhn_check_digit(body)


def not_luhn(prefix: str, length: int, seed: int) -> str:
    valid = card(prefix, length, seed)
    return valid[:-1] + str((int(valid[-1]) + 3) % 10)


def grouped(number: str, sizes: tuple[int, ...] = (4, 4, 4, 4), separator: str = " ") -> str:
    parts, position = [], 0
    for size in sizes:
        parts.append(number[position : position + size])
        position += size
    if position < len(number):
        parts.append(number[position:])
    return separator.join(parts)


def unspaced(text: str) -> str:
    return text.replace(" ", "")


# The secrets of the cases --------------------------------------------------------------

EN = [phrase(seed) for seed in range(100, 112)]
EN_15 = phrase(201, 15)
EN_18 = phrase(202, 18)
EN_21 = phrase(203, 21)
EN_24 = [phrase(seed, 24) for seed in range(210, 214)]
ZH = [phrase(seed, 12, "chinese_simplified") for seed in range(300, 312)]
ZH_24 = phrase(320, 24, "chinese_simplified")
TW = [phrase(seed, 12, "chinese_traditional") for seed in range(400, 403)]
KEYS = [hex_digits(seed) for seed in range(500, 510)]
TX = [hex_digits(seed) for seed in range(600, 620)]
ETH_ADDRESS = "0x" + hex_digits(700, 40)
ETH_ADDRESS_2 = "0x" + hex_digits(701, 40)
BTC_ADDRESS = "bc1qkx8v3h5ps7ga9wrl2ypd6m0ftxe4cnj3uhwq7z"
TRON_ADDRESS = "TQx7Xy9fGmB2cNq4LzVw8RkP3sHdJ6eT5a"
SECRETS = [api_token(seed) for seed in range(800, 812)]
API_KEYS = [api_token(seed) for seed in range(850, 854)]

_english_words = _mnemonic("english").wordlist
# Ordinary list words in an order whose checksum fails: a vocabulary list, not a phrase.
VOCABULARY = "apple banana orange lemon mango grape cherry garlic onion potato pepper tomato"
assert all(word in _english_words for word in VOCABULARY.split())
assert not _mnemonic("english").check(VOCABULARY)


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

PRIVATE_KEY_CASES = [
    Case(f"my private key is {KEYS[0]}", ("private_key",), (KEYS[0],)),
    Case(f"Private Key: 0x{KEYS[1]} can you import it for me", ("private_key",), (KEYS[1],)),
    Case(f"私钥 {KEYS[2]} 钱包被盗了", ("private_key",), (KEYS[2],)),
    Case(f"这是我的私钥：0x{KEYS[3]}，帮我看看资产去哪了", ("private_key",), (KEYS[3],)),
    Case(
        f"{KEYS[4]} <- this is the private key of the wallet I deposited from",
        ("private_key",),
        (KEYS[4],),
    ),
    Case(f"priv key={KEYS[5]}", ("private_key",), (KEYS[5],)),
    Case(f"secret key: {KEYS[6]}", ("private_key",), (KEYS[6],)),
    Case(
        f"txid {TX[0]} and the key that signed it, private key {KEYS[7]}",
        ("private_key",),
        (KEYS[7],),
    ),
    Case(f"WIF {wif(1)} from my old paper wallet", ("private_key",), (wif(1),)),
    Case(f"{wif(2, compressed=False)}", ("private_key",), (wif(2, compressed=False),)),
    Case(
        f"Electrum export gave me {wif(3)} is it safe to send here?",
        ("private_key",),
        (wif(3),),
    ),
    Case(f"导出的私钥是 {wif(4, compressed=False)}", ("private_key",), (wif(4, compressed=False),)),
    Case(f"xprv: {extended_key(1, 'xprv')}", ("private_key",), (extended_key(1, "xprv"),)),
    Case(
        f"My account extended key {extended_key(2, 'zprv')} shows zero balance",
        ("private_key",),
        (extended_key(2, "zprv"),),
    ),
    Case(
        f"{extended_key(3, 'yprv')}\nwhy doesn't it work on your site",
        ("private_key",),
        (extended_key(3, "yprv"),),
    ),
    Case(f"testnet {extended_key(4, 'tprv')}", ("private_key",), (extended_key(4, "tprv"),)),
    Case(
        f"扩展私钥 {extended_key(5, 'xprv')[:60] + 'Q' + extended_key(5, 'xprv')[61:]}",
        ("private_key",),
        (extended_key(5, "xprv")[:60], extended_key(5, "xprv")[61:]),
    ),
    Case(
        f"Solana private key: {'5' + api_token(901, 87)}",
        ("private_key",),
        ("5" + api_token(901, 87),),
    ),
    Case(f"私鑰：{KEYS[8]}", ("private_key",), (KEYS[8],)),
    Case(
        f"I never shared my private key, here it is to prove it: {KEYS[9].upper()}",
        ("private_key",),
        (KEYS[9].upper(),),
    ),
]

API_SECRET_CASES = [
    Case(
        f"API Key: {API_KEYS[0]}\nSecret Key: {SECRETS[0]}\nthe bot stopped trading",
        ("api_secret",),
        (SECRETS[0],),
    ),
    Case(f"api secret = {SECRETS[1]}", ("api_secret",), (SECRETS[1],)),
    Case(
        f'my config: {{"apiKey": "{API_KEYS[1]}", "secretKey": "{SECRETS[2]}"}}',
        ("api_secret",),
        (SECRETS[2],),
    ),
    Case(f"secretKey={SECRETS[3]}&recvWindow=5000", ("api_secret",), (SECRETS[3],)),
    Case(f"API 密钥：{SECRETS[4]}", ("api_secret",), (SECRETS[4],)),
    Case(f"我的 API 密钥是 {SECRETS[5][:32]} 为什么下单报错", ("api_secret",), (SECRETS[5][:32],)),
    Case(f"密钥: {hex_digits(950, 32).upper()}", ("api_secret",), (hex_digits(950, 32).upper(),)),
    Case(
        f"The secret for my grid bot is {SECRETS[6][:40]}, please check the permissions",
        ("api_secret",),
        (SECRETS[6][:40],),
    ),
    Case(f"API_SECRET='{SECRETS[7]}'", ("api_secret",), (SECRETS[7],)),
    Case(
        f"client secret: {SECRETS[8][:24]}-{SECRETS[8][24:36]}",
        ("api_secret",),
        (f"{SECRETS[8][:24]}-{SECRETS[8][24:36]}",),
    ),
    Case(f"api secret key is {SECRETS[9]}", ("api_secret",), (SECRETS[9],)),
    Case(
        f"秘钥 {SECRETS[10][:48]} 这个是不是泄露了，需要重新生成吗",
        ("api_secret",),
        (SECRETS[10][:48],),
    ),
]

PASSWORD_CASES = [
    Case("my password is hunter2!", ("password",), ("hunter2!",)),
    Case("password: Abc12345", ("password",), ("Abc12345",)),
    Case("login: trader88@mail.com pwd=Qx!9vLm#2", ("password",), ("Qx!9vLm#2",)),
    Case("密码是 abc123456", ("password",), ("abc123456",)),
    Case("登录密码：Sunny2024#，帮我登一下看看", ("password",), ("Sunny2024#",)),
    Case("资金密码是 135790", ("password",), ("135790",)),
    Case("交易密码 Tr@de7788 我忘了是不是这个", ("password",), ("Tr@de7788",)),
    Case(
        "My password for the exchange is Moonshot$99, I changed it yesterday",
        ("password",),
        ("Moonshot$99",),
    ),
    Case('the new password was "correct horse 42"', ("password",), ("correct horse 42",)),
    Case("Password = P@ssw0rd!! please log in and check my orders", ("password",), ("P@ssw0rd!!",)),
    Case("pw: Lily_0908", ("password",), ("Lily_0908",)),
    Case("密码123qweASD 你们登录试试", ("password",), ("123qweASD",)),
    Case("我的登录密码为 Zz88990011", ("password",), ("Zz88990011",)),
    Case(
        "email is mia.wong@example.com and passwd is mia1988wong", ("password",), ("mia1988wong",)
    ),
    Case("The password is 'Kx7-Rain-Fall' without the quotes.", ("password",), ("Kx7-Rain-Fall",)),
    Case("passphrase: blue-Tiger-2077", ("password",), ("blue-Tiger-2077",)),
    Case("支付密码：885201", ("password",), ("885201",)),
    Case("password Hk2020abc", ("password",), ("Hk2020abc",)),
]

ONE_TIME_CODE_CASES = [
    Case("my 2FA code is 123456", ("one_time_code",), ("123456",)),
    Case("the SMS code 482910", ("one_time_code",), ("482910",)),
    Case("验证码 382910", ("one_time_code",), ("382910",)),
    Case("谷歌验证码是 123 456", ("one_time_code",), ("123 456",)),
    Case("短信验证码：604217，快点帮我提现", ("one_time_code",), ("604217",)),
    Case("Google Authenticator code: 771 902, it expires soon", ("one_time_code",), ("771 902",)),
    Case("email verification code 5531 — does that help?", ("one_time_code",), ("5531",)),
    Case("OTP = 90817263", ("one_time_code",), ("90817263",)),
    Case("邮箱验证码是309155", ("one_time_code",), ("309155",)),
    Case("谷歌验证器 441-208", ("one_time_code",), ("441-208",)),
    Case(
        "You asked for my verification code: 286031. Can you unlock now?",
        ("one_time_code",),
        ("286031",),
    ),
    Case("2fa 918273 please reset my withdrawal address", ("one_time_code",), ("918273",)),
    Case("動態密碼 452310", ("one_time_code",), ("452310",)),
    Case("withdrawal code is 330918", ("one_time_code",), ("330918",)),
    Case("security code 7712 from the app", ("one_time_code",), ("7712",)),
]

CARD_NUMBER_CASES = [
    Case(
        f"I bought USDT with card {grouped(card('4', 16, 1))} but nothing arrived",
        ("card_number",),
        (grouped(card("4", 16, 1)),),
    ),
    Case(f"{card('5', 16, 2)} was charged twice", ("card_number",), (card("5", 16, 2),)),
    Case(
        f"卡号 {grouped(card('62', 19, 3), (4, 4, 4, 4))} 扣款了但是没到账",
        ("card_number",),
        (grouped(card("62", 19, 3), (4, 4, 4, 4)),),
    ),
    Case(
        f"Amex {grouped(card('37', 15, 4), (4, 6, 5))}, refund please",
        ("card_number",),
        (grouped(card("37", 15, 4), (4, 6, 5)),),
    ),
    Case(
        f"my visa is {grouped(card('4', 16, 5), separator='-')}",
        ("card_number",),
        (grouped(card("4", 16, 5), separator="-"),),
    ),
    Case(
        f"银行卡号：{card('62', 19, 6)}，充值失败",
        ("card_number",),
        (card("62", 19, 6),),
    ),
    Case(f"Mastercard {card('2221', 16, 7)} declined", ("card_number",), (card("2221", 16, 7),)),
    Case(
        f"信用卡 {grouped(card('3530', 16, 8))} 被拒绝了",
        ("card_number",),
        (grouped(card("3530", 16, 8)),),
    ),
    Case(f"Card: {card('6011', 16, 9)} exp 08/27", ("card_number",), (card("6011", 16, 9),)),
    Case(
        f"debit card {grouped(card('4', 13, 10), (4, 4, 5))} - is it supported?",
        ("card_number",),
        (grouped(card("4", 13, 10), (4, 4, 5)),),
    ),
    Case(
        f"The payment page took {grouped(card('5', 16, 11))} and then failed",
        ("card_number",),
        (grouped(card("5", 16, 11)),),
    ),
    Case(f"用这张卡 {card('4', 16, 12)} 买的币", ("card_number",), (card("4", 16, 12),)),
    Case(
        f"{full_width(grouped(card('4', 16, 13)))} 这张卡可以绑定吗",
        ("card_number",),
        (full_width(grouped(card("4", 16, 13))),),
    ),
]

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

# Hard negatives ------------------------------------------------------------------------

TRANSACTIONS_AND_ADDRESSES = [
    Case(f"txid: {TX[3]}"),
    Case(f"My deposit hasn't arrived, tx hash 0x{TX[4]}"),
    Case(f"{TX[5]}"),
    Case(f"https://etherscan.io/tx/0x{TX[6]}"),
    Case(f"https://tronscan.org/#/transaction/{TX[7]} still pending after 2 hours"),
    Case(f"交易哈希 {TX[8]}，已经过了二十个确认了"),
    Case(f"交易ID：{TX[9]}"),
    Case(f"Withdrawal done on your side but I don't see it: {TX[10]}. Network BEP20."),
    Case(f"hash {TX[11]} amount 250 USDT"),
    Case(f"the transaction {TX[12]} shows success on the explorer"),
    Case(f"0x{TX[13]} <- this one, sent to your deposit address"),
    Case(f"{TX[14]}\n{TX[15]}\nboth deposits are missing"),
    Case(f"TXID {TX[16].upper()}"),
    Case(f"区块浏览器上显示 {TX[17]} 已确认"),
    Case(f"Deposit address {ETH_ADDRESS}, sent from {ETH_ADDRESS_2}"),
    Case(f"BTC to {BTC_ADDRESS} not credited"),
    Case(f"我的 TRC20 地址是 {TRON_ADDRESS}，为什么提现失败"),
    Case(f"xpub for my watch-only wallet: {extended_key(6, 'xpub')}"),
    Case(f"zpub {extended_key(7, 'zpub')} is my public key, right?"),
    Case(f"public key {extended_key(8, 'xpub')}"),
    Case(f"Is this a scam site? Their address is {ETH_ADDRESS} and they want a 'tax'"),
    Case(f"memo 104829 tag 8821 address {TRON_ADDRESS}"),
    Case(f"I pasted {TX[18][:40]} but the search finds nothing"),
    Case(f"API key {API_KEYS[2]} — is it enabled for withdrawals?"),
    Case(f"my API key is {API_KEYS[3]}, I deleted the secret already"),
    Case(f"Solana signature {'4' + api_token(902, 87)} not found on the explorer"),
    Case(f"Transfer {TX[19]} from my private wallet failed"),
]

MORE_NEGATIVES = [
    Case("My password has 12 characters and 2 numbers, why is it rejected?"),
    Case("sms code: didn't arrive yet"),
    Case("secret key expired, new key created 2024-05-01T10:00:00Z"),
    Case("我的UID是 35281234567890123，帮我查一下"),
    Case("银行卡尾号 1234 的那张卡扣款了"),
    Case("Referral code: 884422"),
    Case("error code: 100012 when I withdraw"),
    Case("The promo code WELCOME2024 doesn't work"),
    Case("我的密码是对的，但是登录不了"),
    Case("验证码是多少位的"),
    Case("谷歌验证码和短信验证码有什么区别"),
    Case("身份证号 110101199003071234 需要重新上传吗"),
    Case(f"你好，我的充值 {TX[0]} 还没到"),
]

NUMBERS = [
    Case("UID 20481736, order 4829301847"),
    Case("Order ID: 1734829201847562039, the limit order hasn't filled since Monday"),
    Case(f"order no. {card('4', 16, 30)} was cancelled automatically"),
    Case(f"订单号 {card('5', 16, 31)} 显示已完成，但是币没有到"),
    Case(f"{not_luhn('4', 16, 32)} is my reference for the bank transfer"),
    Case(f"{card('4', 19, 33)} still processing, please check"),
    Case(f"{not_luhn('62', 19, 34)}"),
    Case("I sent 1,250.75 USDT on 2024-03-18 at 14:32 UTC+8"),
    Case("phone +86 138 1234 5678, UID 30018842"),
    Case("我的手机号是 13912345678，UID 是 66120934"),
    Case("I deposited 0.04512 BTC, about 2,950 USD"),
    Case("Ticket PH-2024-000183 was closed without an answer"),
    Case("提现了 5000 USDT，手续费扣了 1 USDT，到账 4999"),
    Case("withdrawal id 987654321012 and deposit id 123450987612"),
    Case(f"uid: {card('4', 16, 35)}"),
    Case("Timestamp 1710748320123 in the API error, code -1021"),
    Case("The code 403 keeps showing when I log in"),
    Case("error code 100012, what does it mean?"),
    Case("I have 123456 DOGE, can I withdraw all of it at once?"),
    Case("验证码发到了 13800138000 但是我换号了"),
    Case("My 2FA was reset on 2024-06-01, code sent at 10:00"),
    Case("交易对 BTC/USDT 在 2024年5月1日 价格 60123.5"),
    Case(f"bank transfer reference {grouped(not_luhn('4', 16, 36))}"),
    Case("Account number 6214 8301 2233 4455 at my bank, is the transfer in?"),
]

ENGLISH_PROSE = [
    Case("I forgot my password"),
    Case("my password is not working since yesterday"),
    Case("Password must be 8-20 characters? Mine is shorter"),
    Case("I reset my password 3 times and still can't log in"),
    Case("What is a seed phrase? Do I need one for the exchange?"),
    Case("I lost my seed phrase, can you recover my account please?"),
    Case("Do you ever ask customers for their private key or seed words?"),
    Case("Someone on Telegram asked for my 2FA code, is that your team?"),
    Case("I didn't get the SMS code"),
    Case("The verification code expired before I could type it"),
    Case("The SMS code never arrives, my phone number is correct"),
    Case("2FA code not accepted, my phone time is synced"),
    Case("Where do I find my API key and secret? The page is blank."),
    Case("My account is locked after too many wrong password attempts"),
    Case("Can you please help me with a withdrawal that has been pending for two days"),
    Case("Please check the deposit I made this morning, the amount was wrong and I need help"),
    Case(f"I'm practising English words: {VOCABULARY}"),
    Case(
        "Shopping list for the office party: apple banana orange lemon mango grape cherry "
        "melon garlic onion potato tomato carrot pepper"
    ),
    Case(
        "actor actress adult advice aerobic affair afford afraid again agent agree ahead "
        "are all words from the list, is that a coincidence?"
    ),
    Case("Your app says 'invalid mnemonic', what does that mean?"),
    Case("How long does KYC review take? I uploaded my passport on Monday."),
    Case("Why was my account frozen? I only deposited from my own bank."),
    Case("The password reset link goes to a page that says expired."),
    Case("Change password: the button is grey and I can't click it"),
    Case("password reset email never arrived, checked spam too"),
    Case("I think my secret key leaked, how do I delete the API?"),
    Case("Is the private key stored on your servers or only in my wallet?"),
    Case("Can I use a passphrase with my hardware wallet when withdrawing?"),
    Case("Thanks, the issue is solved now. Have a great day!"),
    Case("My card was declined when buying crypto, what cards do you accept?"),
    Case("The code in the email is for a different account"),
    Case("I entered the wrong 2FA code five times, now it's locked"),
    Case("seed phrase backup tips? I wrote twelve words on paper"),
    Case("ok"),
    Case(""),
]

CHINESE_PROSE = [
    Case("你好，我昨天充值的USDT到现在还没到账，麻烦帮我查一下。"),
    Case("我的账户被冻结了，请问需要提交什么材料才能解冻？"),
    Case("提现一直显示审核中，已经等了三个小时了。"),
    Case("请问实名认证失败是什么原因？我上传的是身份证正反面。"),
    Case("为什么我的谷歌验证器换手机之后就用不了了"),
    Case("我忘记了资金密码，怎么重置？"),
    Case("验证码收不到"),
    Case("验证码收不到，手机号是对的，能帮我看看吗"),
    Case("助记词是什么意思？我没有用过钱包。"),
    Case("我的助记词丢了，钱包里的币还能找回来吗？"),
    Case("我把币转错了网络，还能找回来吗？交易哈希已经发给你们了。"),
    Case("今天下午三点左右我在合约账户里开了一笔多单，结果被强平了，我想了解一下原因。"),
    Case("你们的客服什么时候上班？周末也可以处理提现吗？"),
    Case("我在手机上登录的时候一直提示密码错误，但是我确定没有输错。"),
    Case("有人冒充你们的客服加我微信，让我把私钥发给他，这是骗子吧？"),
    Case("提币地址填错了一个字母，系统为什么没有提示？"),
    Case("密码错误次数太多，账户被锁了"),
    Case("密码是不是必须包含大写字母？"),
    Case("重置密码以后24小时不能提现吗"),
    Case("短信验证码发送太频繁是什么意思"),
    Case("谷歌验证码一直提示错误，我的手机时间是自动的"),
    Case("API 密钥在哪里创建？"),
    # Clauses of exactly a phrase's length, every character in the word list.
    Case("请问这个问题什么时候处理"),
    Case("我在手机上看不到我的资产"),
    Case("你们能不能快一点处理一下"),
    Case("我的钱到底什么时候能回来"),
    Case("麻烦你们帮我看一下这个单"),
    Case("我已经等了很长时间了真的"),
    Case("现在可以正常提现了吗我想取出来"),
    Case("上次的问题还没有解决请再看一下"),
    Case("能不能帮我查一下这笔交易的状态"),
    Case("我的合约仓位为什么被强制平仓了"),
    Case("我想了解一下你们平台的安全措施"),
    Case("你好\n请问这个问题什么时候处理\n谢谢"),
    # Each of these has a valid BIP39 checksum, and is still an ordinary sentence.
    Case("我刚才充值的资金还没有到"),
    Case("我上午提现的资金被冻结了"),
    Case("我们今天提现的钱一直没到"),
    Case("我前天转入的资金去哪里了"),
    Case("我们昨天充值的一千元怎么不见了"),
    Case("你好\n我们上午充值的钱还没有到\n麻烦看一下"),
    Case("我的助记词没有丢。我刚才提现的资金还在审核"),
    Case("我们上午提现的五百块怎么不见了"),
    Case("我 想 问 一 下 提 现 的 问 题"),
    Case("好的，谢谢，问题已经解决了"),
    Case("我想注销这个账户，需要怎么操作？"),
    Case("你好，请问人民币买币的渠道现在还能用吗"),
    Case("我的身份证过期了，需要重新认证吗？"),
    Case("我收到一条短信说我的账户有异常登录，是你们发的吗？"),
    Case("我想知道现在的提现手续费是多少，在哪里可以看到？"),
    Case("他们说可以帮我把钱拿回来是真的吗"),
    Case("為什麼我的帳戶不能提現了，請幫我看一下"),
    Case("我的錢包地址沒有問題，可是幣一直沒有到"),
    Case("客服你好，我想问一下邀请返佣这个月为什么少了很多，之前每个月都有两三百"),
]

CASES: list[Case] = [
    *SEED_PHRASE_CASES,
    *PRIVATE_KEY_CASES,
    *API_SECRET_CASES,
    *PASSWORD_CASES,
    *ONE_TIME_CODE_CASES,
    *CARD_NUMBER_CASES,
    *MORE_CASES,
    *MIXED_CASES,
    *TRANSACTIONS_AND_ADDRESSES,
    *MORE_NEGATIVES,
    *NUMBERS,
    *ENGLISH_PROSE,
    *CHINESE_PROSE,
]
