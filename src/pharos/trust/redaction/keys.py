"""Private keys and exchange API secrets. 64 hex digits are a private key only when
labelled as one, nearer than any transaction label (customers paste transaction hashes
all day and support needs them); WIF keys by their base58check checksum (or a label),
extended private keys (xprv, yprv, zprv, tprv, …) by their shape alone. An API secret is
a labelled token of letters and digits; the API key, its public half, is kept, and so are
addresses and xpubs."""

from __future__ import annotations

import hashlib
import re

from .labels import END, GIVES, QUALIFIER, first_label, label_matches, last_label, mentions
from .view import Span

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUES = {character: value for value, character in enumerate(_BASE58_ALPHABET)}
_BASE58 = re.compile(f"[{_BASE58_ALPHABET}]+")
_HEXADECIMAL = re.compile(r"[0-9a-fA-F]+")
# Every key shape is a run of 44 letters and digits or more; hashes and addresses too.
_LONG_TOKEN = re.compile(r"[0-9A-Za-z]{44,}")
_PRIVATE_KEY_NAME = rf"priv(?:ate)?[\s_-]*keys?{END}|私[钥鑰匙]|私人密[钥鑰]"
# An exchange calls its API secret a "secret key" too: 64 hex digits after it are a
# private key, unless "API" comes first; any other token is an API secret.
_KEY_LABELS = (re.compile(rf"{_PRIVATE_KEY_NAME}|secret[\s_-]*keys?{END}"),)
_TRANSACTION_LABELS = (
    re.compile(
        r"(?:tx|txid|txn|txhash|tx[\s_-]*(?:id|hash)|transactions?|hash|hashes|blocks?|explorer"
        rf"|etherscan|bscscan|tronscan|polygonscan|solscan|arbiscan|oklink|mempool|blockchair){END}"
    ),
    re.compile("交易|哈希|区块|區塊|转账|轉賬|记录|記錄"),
)
_API_BEFORE = re.compile(r"api[\s_-]?$")
_LABELLED_PRIVATE_KEY = re.compile(
    rf"(?:{_PRIVATE_KEY_NAME}){GIVES}(?P<value>(?:0x)?[0-9a-z+/=]{{44,256}})(?![0-9a-z+/=])"
)
_PUBLIC_PREFIXES = ("xpub", "ypub", "zpub", "tpub", "upub", "vpub", "bc1", "tb1")
_EXTENDED_PRIVATE_PREFIXES = tuple(f"{letter}prv" for letter in "xyztuvXYZUV")
_CONTEXT_BEFORE = 80
_CONTEXT_AFTER = 40


def private_key_spans(text: str, lowered: str) -> list[Span]:
    spans: list[Span] = []
    for token in _LONG_TOKEN.finditer(text):
        value, start, end = token.group(), token.start(), token.end()
        if value[:2] in ("0x", "0X") and len(value) == 66:
            value, start = value[2:], start + 2
        if len(value) == 64 and _HEXADECIMAL.fullmatch(value):
            if _hex_is_labelled_as_key(lowered, token.start(), end):
                spans.append((start, end, "private_key"))
        elif _BASE58.fullmatch(value) and (_is_wif(value) or _is_extended_private_key(value)):
            spans.append((start, end, "private_key"))
    if mentions(lowered, ("priv", "私")):
        for found in label_matches(_LABELLED_PRIVATE_KEY, lowered):
            if not found.group("value").startswith(_PUBLIC_PREFIXES):
                spans.append((found.start("value"), found.end("value"), "private_key"))
    return spans


def _hex_is_labelled_as_key(lowered: str, start: int, end: int) -> bool:
    """Whether the nearest label of 64 hex digits calls them a key: before them, or
    failing that just after ("… is my private key"). A hex string in a URL is a hash."""
    if start > 0 and lowered[start - 1] in "/=#?&":
        return False
    key = last_label(_KEY_LABELS, lowered, start - _CONTEXT_BEFORE, start)
    transaction = last_label(_TRANSACTION_LABELS, lowered, start - _CONTEXT_BEFORE, start)
    if key is None and transaction is None:
        key = first_label(_KEY_LABELS, lowered, end, end + _CONTEXT_AFTER)
        transaction = first_label(_TRANSACTION_LABELS, lowered, end, end + _CONTEXT_AFTER)
        if transaction is not None and (key is None or transaction < key):
            return False
    elif transaction is not None and (key is None or transaction > key):
        return False
    return key is not None and not _API_BEFORE.search(lowered, max(0, key - 4), key)


def _is_extended_private_key(encoded: str) -> bool:
    """Whether a base58 string has the shape of an extended private key (BIP32, with the
    SLIP-132 prefixes), checksum or not."""
    return 104 <= len(encoded) <= 116 and encoded.startswith(_EXTENDED_PRIVATE_PREFIXES)


def _base58_decode(encoded: str) -> bytes:
    number = 0
    for character in encoded:
        number = number * 58 + _BASE58_VALUES[character]
    leading_zeros = len(encoded) - len(encoded.lstrip("1"))
    return b"\0" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _base58check_payload(encoded: str) -> bytes | None:
    """The payload of a base58check string, or None if its checksum fails."""
    raw = _base58_decode(encoded)
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


def _is_wif(encoded: str) -> bool:
    """Whether a string is a private key in wallet import format (mainnet or testnet,
    compressed or not) with a valid checksum."""
    if len(encoded) not in (51, 52) or encoded[0] not in "5KLc9":
        return False
    payload = _base58check_payload(encoded)
    if payload is None or payload[0] not in (0x80, 0xEF):
        return False
    return len(payload) == 33 or (len(payload) == 34 and payload[-1] == 0x01)


# Exchange API secrets ------------------------------------------------------------------

_API_SECRET = re.compile(
    r"(?:api[\s_-]*(?:secret(?:[\s_-]*key)?|private[\s_-]*key|私[钥鑰]|密[钥鑰]|秘[钥鑰])"
    rf"|secret[\s_-]*keys?{END}|client[\s_-]*secret|app[\s_-]*secret|secret{END}"
    rf"|密[钥鑰]|秘[钥鑰]){QUALIFIER}{GIVES}"
    r"[\"'`]?(?P<value>[a-z0-9+/=_-]{24,256})(?![a-z0-9+/=_-])"
)
_API_SECRET_WORDS = ("secret", "密钥", "密鑰", "秘钥", "秘鑰", "私钥", "私鑰")


def api_secret_spans(text: str, lowered: str) -> list[Span]:
    if not mentions(lowered, _API_SECRET_WORDS):
        return []
    spans: list[Span] = []
    for found in label_matches(_API_SECRET, lowered):
        value = found.group("value")
        if any(character.isdigit() for character in value) and any(
            character.isalpha() for character in value
        ):
            spans.append((found.start("value"), found.end("value"), "api_secret"))
    return spans
