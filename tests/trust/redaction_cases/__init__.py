"""Labelled customer messages for the redaction filter: what a customer of the exchange
writes in chat, mail and tickets, in English and Chinese, with the secrets (if any) each
one holds. Written for Pharos; every secret is generated here from fixed seeds, so none
of them is anyone's real key, card or phrase.

Each case records the kinds the filter must find and the secret values, exactly as they
appear in the text, that must not survive redaction. Messages without a kind are the hard
negatives: transaction hashes, addresses, xpubs, order numbers, UIDs, amounts, phone
numbers, and ordinary English and Chinese that only looks like a secret.

The cases are grouped by kind, a module each: `seed_phrases`, `keys` (private keys and
exchange API secrets), `passwords_and_codes`, `cards`, `mixed` (more messages, and
messages with secrets of several kinds), `negatives` (hashes, addresses, numbers) and
`prose` (ordinary English and Chinese); `generated` makes their secrets. `CASES` is all
of them, in that order.
"""

from __future__ import annotations

from .cards import CARD_NUMBER_CASES
from .generated import (
    API_KEYS,
    BTC_ADDRESS,
    EN,
    EN_15,
    EN_18,
    EN_21,
    EN_24,
    ETH_ADDRESS,
    ETH_ADDRESS_2,
    EXTENDED_VERSIONS,
    KEYS,
    SECRETS,
    TRON_ADDRESS,
    TW,
    TX,
    VOCABULARY,
    ZH,
    ZH_24,
    Case,
    api_token,
    base58check,
    card,
    extended_key,
    full_width,
    grouped,
    hex_digits,
    hidden,
    mistyped,
    not_luhn,
    phrase,
    unspaced,
    wif,
)
from .keys import API_SECRET_CASES, PRIVATE_KEY_CASES
from .mixed import MIXED_CASES, MORE_CASES
from .negatives import MORE_NEGATIVES, NUMBERS, TRANSACTIONS_AND_ADDRESSES
from .passwords_and_codes import ONE_TIME_CODE_CASES, PASSWORD_CASES
from .prose import CHINESE_PROSE, ENGLISH_PROSE
from .seed_phrases import SEED_PHRASE_CASES

__all__ = [
    "API_KEYS",
    "API_SECRET_CASES",
    "BTC_ADDRESS",
    "CARD_NUMBER_CASES",
    "CASES",
    "CHINESE_PROSE",
    "EN",
    "ENGLISH_PROSE",
    "EN_15",
    "EN_18",
    "EN_21",
    "EN_24",
    "ETH_ADDRESS",
    "ETH_ADDRESS_2",
    "EXTENDED_VERSIONS",
    "KEYS",
    "MIXED_CASES",
    "MORE_CASES",
    "MORE_NEGATIVES",
    "NUMBERS",
    "ONE_TIME_CODE_CASES",
    "PASSWORD_CASES",
    "PRIVATE_KEY_CASES",
    "SECRETS",
    "SEED_PHRASE_CASES",
    "TRANSACTIONS_AND_ADDRESSES",
    "TRON_ADDRESS",
    "TW",
    "TX",
    "VOCABULARY",
    "ZH",
    "ZH_24",
    "Case",
    "api_token",
    "base58check",
    "card",
    "extended_key",
    "full_width",
    "grouped",
    "hex_digits",
    "hidden",
    "mistyped",
    "not_luhn",
    "phrase",
    "unspaced",
    "wif",
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
