"""Is this official? A value a user pasted (a link, an address, a phone number, an
account, an agent ID) compared with the registry of official channels: `official` (which
channel), `not_official`, or `lookalike` (not official and imitating one: which, and why).

Pure Python: no database, no Django; the caller passes the registry. Input is untrusted:
work is bounded by `MAX_INPUT` and nothing here raises on odd input.

The rules:

- Official means the canonical forms are equal (see `normalise`), with two widenings. Any
  sub-domain of an official domain is official: we control the domain, so
  help.tidewell.example and anything.help.tidewell.example are ours. Phone numbers match
  with or without a country code (`normalise.phones_match`).
- A bare "@handle" may be a Telegram or an X account: both registries are checked.
- An e-mail address is official only when the whole address is registered. An
  unregistered address on one of our own domains is `not_official`, never a look-alike:
  only we can create it.
- Look-alikes are found by comparing confusable skeletons (`normalise.skeleton`): the
  brand label of each official domain and e-mail domain ("tidewell" of
  help.tidewell.example; never a shared domain such as gmail.com) against every label of
  a host, a handle and the local part of an address; official handles against handles
  on every platform. A name imitates another when its skeleton is equal (homoglyphs),
  within 1 edit (names of 5 to 7 characters) or 2 edits (8 or more), contains it, or
  becomes it once extra words ("support", "help", "official", "客服"...) are removed.
  Names shorter than 5 characters must match exactly or by skeleton. Where the brand
  stands then says how: on another top-level domain, in a sub-domain of another domain,
  in the user information before "@", or in the path, when the path holds the whole
  official domain or the brand next to a sign-in word ("login", "verify", "wallet"...),
  so that a news site's /exchanges/tidewell page is not a look-alike.
- The price of edit distance: unrelated names within 2 edits of the brand ("tideswell",
  "sidewell") are look-alikes too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from .normalise import (
    CHANNEL_KINDS,
    MAX_INPUT,
    TWO_LABEL_SUFFIXES,
    Reading,
    candidates_in_text,
    clean,
    has_mixed_scripts,
    phones_match,
    read,
    read_as,
    skeleton,
)

__all__ = [
    "CHANNEL_KINDS",
    "MAX_INPUT",
    "OfficialValue",
    "Verdict",
    "candidates_in_text",
    "normalise",
    "verify",
]

HANDLE_KINDS = ("telegram", "x", "facebook")

# Words that impersonators add to a brand: "tidewell-support", "tidewellhelp",
# "official_tidewell_exchange", "tidewell客服".
EXTRA_WORDS = (
    "support", "help", "helpdesk", "helpcenter", "helpline", "official", "offical",
    "service", "services", "team", "care", "desk", "verify", "verification", "secure",
    "security", "login", "signin", "wallet", "app", "apps", "global", "cs", "customer",
    "client", "online", "live", "chat", "admin", "bot", "news", "info", "hq", "center",
    "centre", "contact", "recovery", "refund", "claim", "airdrop", "promo", "bonus", "vip",
    "pro", "web", "mobile", "account", "accounts", "auth", "update", "real", "the", "my",
    "get", "exchange", "trade", "trading", "crypto", "group", "channel", "community",
    "hk", "sg", "cn", "zh", "en", "io", "net", "com", "org", "us", "uk",
    "kefu", "guanfang", "客服", "官方", "支持", "帮助", "中文", "认证", "安全", "钱包",
    "交易所", "服务", "在线", "热线", "团队", "社区", "群",
)  # fmt: skip

# Words that make the brand in a path a phishing page rather than a mention.
SIGN_IN_WORDS = (
    "login", "signin", "logon", "verify", "verification", "wallet", "account", "auth",
    "secure", "security", "recover", "recovery", "unlock", "kyc", "reset", "password",
    "connect", "claim", "airdrop", "withdraw", "2fa", "seed", "support",
)  # fmt: skip

# Domains that are not ours even when an official address or link is on them: their
# name is no brand to imitate, and their other addresses are not ours.
SHARED_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
        "icloud.com", "proton.me", "protonmail.com", "qq.com", "163.com", "126.com",
        "foxmail.com", "t.me", "x.com", "twitter.com", "facebook.com", "fb.com",
    }
)  # fmt: skip

_MIN_CONTAINED = 5  # a brand shorter than this is only matched whole
_MAX_CORES = 32
_SEPARATORS = re.compile(r"[^\w]+|_+")
_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"  # kana and ideographs
_CHINESE = re.compile(f"[{_CJK}]+|[^{_CJK}]+")


@dataclass(frozen=True)
class OfficialValue:
    kind: str  # one of CHANNEL_KINDS
    value: str  # as the admin typed it: "tidewell.example", "+65 6123 4567", "TW-1024"...
    key: object = None  # the registry row's id, returned in the verdict


@dataclass(frozen=True)
class Verdict:
    verdict: str  # "official" | "not_official" | "lookalike"
    kind: str  # what the input was read as: one of CHANNEL_KINDS, or "unknown"
    normalised: str  # the canonical form that was compared
    channel: OfficialValue | None  # official: the one matched; lookalike: the one imitated
    reasons: tuple[str, ...]  # lookalike: machine codes of why ("homoglyph", "other_tld"...)


def normalise(value: str) -> list[tuple[str, str]]:
    """The (kind, canonical) readings of an input, most likely first."""
    return [(reading.kind, reading.canonical) for reading in read(value)]


def verify(value: str, official: Sequence[OfficialValue]) -> Verdict:
    """The verdict on a pasted value. An official match under any reading wins over a
    look-alike under another."""
    readings = read(value)
    registry = _registry_for(official)
    for reading in readings:
        entry = registry.official_match(reading)
        if entry:
            return Verdict("official", reading.kind, reading.canonical, entry.channel, ())
    for reading in readings:
        imitated = registry.lookalike(reading)
        if imitated:
            entry, reasons = imitated
            return Verdict("lookalike", reading.kind, reading.canonical, entry.channel, reasons)
    if readings:
        return Verdict("not_official", readings[0].kind, readings[0].canonical, None, ())
    return Verdict("not_official", "unknown", clean(value), None, ())


# -- Names and how one imitates another ----------------------------------------------------


@dataclass(frozen=True)
class _Name:
    """A name that others may imitate: a brand label, an official handle, a local part."""

    raw: str
    plain: str  # without separators
    skeleton: str  # without separators, confusables folded

    @classmethod
    def of(cls, raw: str) -> _Name:
        tokens = _tokens(raw)
        return cls(raw, "".join(tokens), "".join(skeleton(token) for token in tokens))


def _tokens(name: str) -> list[str]:
    """The words of a name: split at separators and where Chinese meets other letters."""
    return [
        part
        for word in _SEPARATORS.split(name[:MAX_INPUT])
        if word
        for part in _CHINESE.findall(word)
    ]


@functools.cache
def _extra_words() -> frozenset[str]:
    return frozenset(EXTRA_WORDS) | frozenset(skeleton(word) for word in EXTRA_WORDS)


@functools.cache
def _extra_words_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_extra_words(), key=len, reverse=True))


def _tolerance(length: int) -> int:
    """How many edits still imitate a name of this length."""
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def _edits(candidate: str, target: str) -> tuple[str, ...] | None:
    """Why candidate is target with a few edits (added, dropped, changed, swapped
    letters), or None when it is too far."""
    tolerance = _tolerance(len(target))
    if tolerance == 0 or abs(len(candidate) - len(target)) > tolerance:
        return None
    distance = OSA.distance(candidate, target, score_cutoff=tolerance)
    if distance > tolerance:
        return None
    reasons: list[str] = []
    if distance < Levenshtein.distance(candidate, target):
        reasons.append("swapped_characters")
        if distance > 1:
            if len(candidate) == len(target):
                reasons.append("changed_letters")
            else:
                reasons.append(
                    "added_letters" if len(candidate) > len(target) else "dropped_letters"
                )
    else:
        names = {"insert": "added_letters", "delete": "dropped_letters"}
        for operation in Levenshtein.editops(target, candidate):
            reasons.append(names.get(operation.tag, "changed_letters"))
    return tuple(dict.fromkeys(reasons))


def _word_cores(tokens: list[str]) -> Iterator[str]:
    """The name without whole extra words: at its start, at its end ("tidewell_exchange"
    of "tidewell_exchange_cs", where "exchange" is an extra word too), or anywhere."""
    extra = _extra_words()
    tokens = tokens[:16]
    first = next((i for i, token in enumerate(tokens) if token not in extra), len(tokens))
    last = next((i for i in range(len(tokens), 0, -1) if tokens[i - 1] not in extra), 0)
    seen = {"".join(tokens)}
    for start in range(first + 1):
        for end in range(len(tokens), last - 1, -1):
            core = "".join(tokens[start:end])
            if core and core not in seen:
                seen.add(core)
                yield core
    core = "".join(token for token in tokens if token not in extra)
    if core and core not in seen:
        yield core


def _cores(tokens: list[str]) -> Iterator[str]:
    """What is left of a name once extra words glued on at either end are peeled off
    ("tidewelhelpdesk"), after removing the whole ones ("tidewel_support")."""
    extra = _extra_words()
    joined = "".join(token for token in tokens if token not in extra)
    if not joined:
        return
    seen = {joined}
    frontier = [joined]
    for _ in range(3):
        following = []
        for core in frontier:
            for word in _extra_words_longest_first():
                if len(core) < len(word) + 4:
                    continue
                for shorter in (
                    core[len(word) :] if core.startswith(word) else "",
                    core[: -len(word)] if core.endswith(word) else "",
                ):
                    if shorter and shorter not in seen and len(seen) < _MAX_CORES:
                        seen.add(shorter)
                        following.append(shorter)
                        yield shorter
        frontier = following


def _match(tokens: list[str], target: str) -> tuple[str, ...] | None:
    candidate = "".join(tokens)
    if candidate == target:
        return ()
    if len(target) >= _MIN_CONTAINED:
        # Whole extra words first, so "tidewell-cs" is extra words, not added letters.
        for core in _word_cores(tokens):
            edits = () if core == target else _edits(core, target)
            if edits is not None:
                return ("extra_words", *edits)
    edits = _edits(candidate, target)
    if edits is not None:
        return edits
    if len(target) < _MIN_CONTAINED or len(candidate) < len(target):
        return None
    if target in candidate:
        return ("extra_words",)
    for core in _cores(tokens):
        if core == target:
            return ("extra_words",)
        edits = _edits(core, target)
        if edits is not None:
            return ("extra_words", *edits)
    return None


def _imitation(raw: str, target: _Name) -> tuple[str, ...] | None:
    """Why the name `raw` imitates `target`; () when it is the same name; None when it
    does not imitate it."""
    tokens = _tokens(raw)
    folded = _match([skeleton(token) for token in tokens], target.skeleton)
    if folded is None:
        return None
    if not folded:
        if "".join(tokens) != target.plain:
            return ("homoglyph",)
        return ("separators",) if raw != target.raw else ()
    # Only the skeleton matched, or it matched for other reasons: look-alike characters.
    return folded if _match(tokens, target.plain) == folded else (*folded, "homoglyph")


# -- The registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    channel: OfficialValue
    reading: Reading
    name: _Name


@dataclass(frozen=True)
class _Brand:
    """The name in an official domain: "tidewell" of help.tidewell.example."""

    name: _Name
    registrable: str  # tidewell.example
    suffix: str  # example
    entry: _Entry  # the official channel a look-alike of it imitates


def _suffix_length(labels: list[str]) -> int:
    return 2 if len(labels) > 2 and ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 1


def _is_suffix(labels: list[str]) -> bool:
    return len(labels) == 1 or (len(labels) == 2 and ".".join(labels) in TWO_LABEL_SUFFIXES)


def _host_of(reading: Reading) -> str:
    return reading.canonical.rpartition("@")[2] if reading.kind == "email" else reading.canonical


class _Registry:
    def __init__(self, official: Sequence[OfficialValue]) -> None:
        self.entries: dict[str, list[_Entry]] = {kind: [] for kind in CHANNEL_KINDS}
        for channel in official:
            if channel.kind not in CHANNEL_KINDS:
                continue
            reading = read_as(channel.kind, channel.value)
            if reading:
                name = reading.canonical if reading.kind == "domain" else reading.name
                self.entries[channel.kind].append(_Entry(channel, reading, _Name.of(name)))
        # Longest first: help.tidewell.example is matched before tidewell.example.
        self.entries["domain"].sort(key=lambda entry: -len(entry.reading.canonical))
        self.domain_skeletons = [
            (entry, ".".join(skeleton(label) for label in entry.reading.canonical.split(".")))
            for entry in self.entries["domain"]
        ]
        self.brands = self._brands()
        self.handles = [entry for kind in HANDLE_KINDS for entry in self.entries[kind]]

    def _brands(self) -> list[_Brand]:
        brands: dict[str, _Brand] = {}
        # Shortest domain first, so that a brand stands for tidewell.example rather than
        # help.tidewell.example; then the e-mail domains.
        domains = sorted(self.entries["domain"], key=lambda entry: len(entry.reading.canonical))
        for entry in domains + self.entries["email"]:
            labels = _host_of(entry.reading).split(".")
            suffix_length = _suffix_length(labels)
            if len(labels) <= suffix_length or labels[-1].isdigit():
                continue
            registrable = ".".join(labels[-suffix_length - 1 :])
            if registrable not in brands and registrable not in SHARED_DOMAINS:
                suffix = ".".join(labels[-suffix_length:])
                label = labels[-suffix_length - 1]
                brands[registrable] = _Brand(_Name.of(label), registrable, suffix, entry)
        return list(brands.values())

    def _owned(self, host: str) -> bool:
        """Whether the host is one of our registered domains or below one."""
        return any(host == b.registrable or host.endswith("." + b.registrable) for b in self.brands)

    # Official

    def official_match(self, reading: Reading) -> _Entry | None:
        entries = self.entries.get(reading.kind, [])
        if reading.kind == "phone":
            number = reading.canonical
            return next((e for e in entries if phones_match(e.reading.canonical, number)), None)
        if reading.kind == "domain":
            host = reading.canonical
            return next(
                (
                    e
                    for e in entries
                    if host == e.reading.canonical or host.endswith("." + e.reading.canonical)
                ),
                None,
            )
        return next((e for e in entries if e.reading.canonical == reading.canonical), None)

    # Look-alikes

    def lookalike(self, reading: Reading) -> tuple[_Entry, tuple[str, ...]] | None:
        if reading.kind == "domain":
            return self._domain_lookalike(reading)
        if reading.kind == "email":
            return self._email_lookalike(reading)
        if reading.kind in HANDLE_KINDS:
            return self._handle_lookalike(reading)
        if reading.kind == "agent_id":
            folded = skeleton(reading.canonical)
            for entry in self.entries["agent_id"]:
                if skeleton(entry.reading.canonical) == folded:
                    return entry, ("homoglyph",)
        return None

    def _domain_lookalike(self, reading: Reading) -> tuple[_Entry, tuple[str, ...]] | None:
        host = reading.canonical
        if self._owned(host):
            return None
        found = self._host_imitation(host) or self._url_imitation(reading)
        if found is None:
            return None
        entry, reasons = found
        if reading.punycode:
            reasons += ("punycode",)
        if any(has_mixed_scripts(label) for label in host.split(".")):
            reasons += ("mixed_scripts",)
        return entry, tuple(dict.fromkeys(reasons))

    def _host_imitation(self, host: str) -> tuple[_Entry, tuple[str, ...]] | None:
        labels = host.split(".")
        folded = ".".join(skeleton(label) for label in labels)
        # The whole host looks like an official one, or like a sub-domain of one.
        for entry, official in self.domain_skeletons:
            if folded == official or folded.endswith("." + official):
                return entry, ("homoglyph",)
        # An official domain inside the host: tidewell.example.ru, login.tidewell.example.evil.com
        for entry, official in self.domain_skeletons:
            dotted = f".{folded}."
            position = dotted.find(f".{official}.")
            if position < 0:
                continue
            before = dotted[: position + 1].count(".") - 1  # labels before the official
            after = labels[before + official.count(".") + 1 :]
            on_other_tld = before == 0 and _is_suffix(after)
            where = "other_tld" if on_other_tld else "subdomain_of_other_domain"
            official_host = entry.reading.canonical
            homoglyph = () if f".{official_host}." in f".{host}." else ("homoglyph",)
            return entry, (where, *homoglyph)
        # The brand in one label: tidewell.com, tidewe11-support.example, tidewell-example.evil.io
        suffix_length = _suffix_length(labels)
        suffix = ".".join(labels[-suffix_length:])
        registrable_index = len(labels) - suffix_length - 1
        for index in range(registrable_index, -1, -1):
            for brand in self.brands:
                reasons = _imitation(labels[index], brand.name)
                if reasons is None:
                    continue
                if index < registrable_index:
                    reasons += ("subdomain_of_other_domain",)
                elif suffix != brand.suffix:
                    reasons += ("other_tld",)
                return brand.entry, reasons
        # The brand cut by dots: tide.well.com
        joined = "".join(skeleton(label) for label in labels[: max(registrable_index + 1, 0)])
        for brand in self.brands:
            if len(brand.name.skeleton) >= _MIN_CONTAINED and brand.name.skeleton in joined:
                return brand.entry, ("separators",)
        return None

    def _url_imitation(self, reading: Reading) -> tuple[_Entry, tuple[str, ...]] | None:
        """The brand where the host is not: https://tidewell.example@evil.example/ opens
        evil.example; evil.com/tidewell.example/login is a sign-in page on evil.com."""
        userinfo = "".join(skeleton(token) for token in _tokens(reading.userinfo))
        path = "".join(skeleton(token) for token in _tokens(reading.path))
        if not userinfo and not path:
            return None
        signs_in = any(skeleton(word) in path for word in SIGN_IN_WORDS)
        for brand in self.brands:
            mark = brand.name.skeleton
            if len(mark) < _MIN_CONTAINED:
                mark = "".join(skeleton(token) for token in _tokens(brand.registrable))
            if mark in userinfo:
                return brand.entry, ("official_name_in_userinfo",)
            domain = "".join(skeleton(token) for token in _tokens(brand.registrable))
            if domain in path or (mark in path and signs_in):
                return brand.entry, ("official_name_in_path",)
        return None

    def _email_lookalike(self, reading: Reading) -> tuple[_Entry, tuple[str, ...]] | None:
        host = _host_of(reading)
        local = reading.name
        if self._owned(host):
            return None  # an unregistered address on our own domain: only we can make it
        domain = Reading("domain", host, name=host, punycode=reading.punycode)
        imitated = self._domain_lookalike(domain)
        if imitated:
            brand_entry, reasons = imitated
            return self._email_for(local, _host_of(brand_entry.reading)) or brand_entry, reasons
        # The brand in the local part of another domain: tidewell.support@gmail.com
        for brand in self.brands:
            in_local_part = _imitation(local, brand.name)
            if in_local_part is not None:
                entry = self._email_for(local, brand.registrable) or brand.entry
                reasons = (*in_local_part, "official_name_in_local_part")
                return entry, self._with_scripts(reasons, local)
        return None

    def _email_for(self, local: str, host: str) -> _Entry | None:
        """The official address an address with this local part imitates: the one whose
        local part it contains on the imitated domain, else the first on that domain."""
        emails = [
            entry
            for entry in self.entries["email"]
            if f".{host}".endswith(f".{_host_of(entry.reading)}")
            or f".{_host_of(entry.reading)}".endswith(f".{host}")
        ]
        words = set(_tokens(local)) | {local}
        return next((e for e in emails if e.reading.name in words), emails[0] if emails else None)

    def _handle_lookalike(self, reading: Reading) -> tuple[_Entry, tuple[str, ...]] | None:
        same_kind = self.entries[reading.kind]
        for entry in same_kind + [e for e in self.handles if e.channel.kind != reading.kind]:
            reasons = _imitation(reading.name, entry.name)
            if reasons is None:
                continue
            if entry.channel.kind != reading.kind:
                reasons += ("other_platform",)
            return entry, self._with_scripts(reasons or ("homoglyph",), reading.name)
        for brand in self.brands:
            reasons = _imitation(reading.name, brand.name)
            if reasons is None or (not reasons and not reading.written_as_handle):
                continue  # a bare "tidewell" is the brand's name, not an account
            entry = next(iter(same_kind or self.handles), brand.entry)
            return entry, self._with_scripts(reasons or ("official_name",), reading.name)
        return None

    @staticmethod
    def _with_scripts(reasons: tuple[str, ...], name: str) -> tuple[str, ...]:
        return (*reasons, "mixed_scripts") if has_mixed_scripts(name) else reasons


@functools.lru_cache(maxsize=16)
def _cached_registry(official: tuple[OfficialValue, ...]) -> _Registry:
    return _Registry(official)


def _registry_for(official: Sequence[OfficialValue]) -> _Registry:
    """The compiled registry, cached while the caller passes the same values."""
    values = tuple(official)
    try:
        return _cached_registry(values)
    except TypeError:  # an unhashable key: compile it for this call only
        return _Registry(values)
