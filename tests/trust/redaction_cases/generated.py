"""What every case is made of: `Case`, the helpers that generate secrets from fixed
seeds (BIP39 phrases, hex keys, WIF and extended keys, API tokens, Luhn-valid card
numbers) and the ways a customer writes them (hidden, full-width, grouped, unspaced), and
the secrets the cases share."""

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
