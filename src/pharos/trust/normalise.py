"""Reading what a user pasted as a channel: a domain or URL, an e-mail address, a phone
number, a Telegram, X or Facebook account, or an agent ID, in the one canonical spelling
that is compared with the registry of official channels; and the confusable "skeleton"
that look-alike detection compares.

Input is untrusted and comes from anyone, so every function here does bounded work
(at most `MAX_INPUT` characters are read), never raises on odd input and never touches
the network or Django.

Canonical forms:

- domain: the host, lower case, Unicode (``xn--`` labels decoded), without ``www.``, port,
  trailing dot, user information, path, query or fragment: ``tidewell.example``;
- email: ``local@domain`` with the domain as above: ``support@tidewell.example``;
- phone: ``+`` and digits when written with a country code (``+65`` or ``0065``), else
  the digits alone: ``+6561234567``, ``6561234567``;
- telegram and x: ``@handle`` (a Telegram invitation: ``t.me/+code``);
- facebook: ``facebook.com/name`` (Facebook ignores dots and case in names, so
  ``tidewell.exchange`` is ``tidewellexchange``);
- agent_id: upper-case letters, one hyphen, digits: ``TW-1024``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

CHANNEL_KINDS = ("domain", "email", "phone", "telegram", "x", "facebook", "agent_id")

# Longer input is cut, not refused: a real phishing link often carries a long tracking
# query, and the part that matters (scheme, host) comes first. Invisible characters are
# removed before the cut so padding cannot push the host out; at most _MAX_RAW raw
# characters are ever looked at.
MAX_INPUT = 512
_MAX_RAW = 16 * MAX_INPUT
_MAX_TEXT = 8 * MAX_INPUT  # a free-text question
_MAX_CANDIDATES = 20
_MAX_LABEL = 63  # DNS; also keeps punycode decoding (quadratic in Python) cheap

# Default-ignorable code points that IDNA (UTS 46) drops and browsers do not show, beyond
# the "Cf" format category: combining grapheme joiner, Hangul fillers, Khmer inherent
# vowels, Mongolian variation selectors, variation selectors.
_IGNORABLE_EXTRA = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IDEOGRAPHIC_DOTS = str.maketrans({"\u3002": ".", "\uff61": ".", "\uff0e": "."})

# Stripped from both ends of a pasted value: spaces, quotes, brackets, sentence
# punctuation (ASCII and Chinese). "@", "+" and "(" are meaningful at the start.
_EDGE = " \t\r\n\"'`<>[]{}«»‘’“”「」『』《》【】〈〉.,;:!?。，；：！？、…·"
_PAIRS = {"(": ")", "（": "）"}

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]{0,15}://")
_HANDLE = re.compile(r"\w{1,64}")  # any script: homoglyph handles must still be read
_FACEBOOK_NAME = re.compile(r"[\w.]{1,64}")
_AGENT = re.compile(r"([a-z]{1,6})[\s_.\-]*(\d[\dol]{0,7})")
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,40}")
_DIGITS = re.compile(r"\D")
_HOST_LABEL = re.compile(r"[\w-]+")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z0-9]")

_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog"})
_X_HOSTS = frozenset({"x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"})
_FACEBOOK_HOSTS = frozenset(
    {
        "facebook.com",
        "fb.com",
        "fb.me",
        "m.facebook.com",
        "web.facebook.com",
        "mbasic.facebook.com",
        "business.facebook.com",
    }
)
_X_RESERVED = frozenset({"i", "home", "intent", "search", "hashtag", "share", "explore"})

# Public suffixes of two labels that an exchange or a phisher is likely to use. Without
# the full public-suffix list, any other host's last label is its suffix.
TWO_LABEL_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "me.uk", "com.au", "net.au", "co.nz", "co.jp", "co.kr",
        "com.sg", "edu.sg", "com.hk", "com.cn", "net.cn", "org.cn", "com.tw", "com.my",
        "co.id", "com.ph", "com.vn", "co.th", "co.in", "com.br", "com.tr", "com.ru",
        "com.ua", "co.za", "com.mx", "com.ar", "github.io", "vercel.app", "netlify.app",
        "pages.dev", "web.app", "firebaseapp.com", "herokuapp.com", "blogspot.com",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """One way of reading an input: its kind and canonical form, plus what look-alike
    detection needs beyond it."""

    kind: str
    canonical: str
    name: str = ""  # telegram/x/facebook: the handle; email: the local part; else canonical
    path: str = ""  # domain read from a URL: its path, for "official name in the path"
    userinfo: str = ""  # domain read from a URL: what stood before "@" in the authority
    punycode: bool = False  # the host had an xn-- label
    written_as_handle: bool = True  # False for a bare word that only may be a handle


def clean(value: str) -> str:
    """The input without invisible characters, in NFKC (full width to ASCII), lower
    case, cut to MAX_INPUT characters, without surrounding spaces, quotes, brackets and
    punctuation."""
    text = value[:_MAX_RAW]
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = "".join(
            char
            for char in text
            if unicodedata.category(char) != "Cf" and ord(char) not in _IGNORABLE_EXTRA
        )
        text = unicodedata.normalize("NFKC", text).translate(_IDEOGRAPHIC_DOTS)
    return _strip_edges(text[:MAX_INPUT].lower())


def _strip_edges(text: str) -> str:
    for _ in range(4):  # wrappers nest a few times at most: ("<https://…>")
        before = text
        text = text.strip(_EDGE)
        for opening, closing in _PAIRS.items():
            if text.startswith(opening) and text.endswith(closing):
                text = text[1:-1]
            elif text.endswith(closing) and opening not in text:
                text = text[:-1]
            elif text.startswith(opening) and closing not in text:
                text = text[1:]
        if text == before:
            break
    return text


def read(value: str) -> list[Reading]:
    """The readings of an input, most likely first; empty when it is none of the kinds."""
    text = clean(value)
    if not text:
        return []
    spaced = any(char.isspace() for char in text)
    if spaced and (_PHONE.fullmatch(text) or _AGENT.fullmatch(text)):
        return _read_value(text)
    whole = [] if spaced else _read_value(text)
    if spaced or _HAN.search(text):
        # Chinese glued to a host may be part of it: 客服tidewell.com is a domain of its
        # own, not ours, so it is read whole. Chinese after a Latin top-level domain or
        # handle cannot be ("tidewell.example是官方的吗"): that is a sentence, and so is
        # anything with spaces: read the values in it.
        top_level = whole[0].canonical.rsplit(".", 1)[-1] if whole else ""
        if whole and (not _HAN.search(top_level) or not _LATIN.search(top_level)):
            return whole
        candidates = candidates_in_text(text)[:3]
        if candidates:
            return [reading for found in candidates for reading in _read_value(clean(found))]
    return whole


def _read_value(text: str) -> list[Reading]:
    if text.startswith("tel:"):
        phone = read_phone(text[4:])
        return [phone] if phone else []
    if text.startswith("mailto:"):
        email = read_email(text[7:].partition("?")[0])
        return [email] if email else []
    if _SCHEME.match(text) or text.startswith("//"):
        url = read_url(text)
        return [url] if url else []
    phone = read_phone(text)
    if phone:
        return [phone]
    if text.startswith("@"):
        handle = text.lstrip("@")
        if _HANDLE.fullmatch(handle):
            return [_handle("telegram", handle), _handle("x", handle)]
        text = handle  # "@tidewell.example": not a handle, read what follows
    if "@" in text and "/" not in text:
        email = read_email(text)
        return [email] if email else []
    readings = []
    agent = read_agent_id(text)
    if agent:
        readings.append(agent)
    if "." in text or "/" in text:
        url = read_url(text)
        if url:
            readings.append(url)
    elif len(text) >= 3 and _HANDLE.fullmatch(text) and any(c.isalpha() for c in text):
        readings += [
            _handle("telegram", text, written_as_handle=False),
            _handle("x", text, written_as_handle=False),
        ]
    return readings


def read_as(kind: str, value: str) -> Reading | None:
    """The reading of a value known to be of this kind (an official value, as the admin
    typed it), or None when it cannot be one."""
    text = clean(value)
    if not text:
        return None
    if kind == "domain":
        return read_url(text if _SCHEME.match(text) else "//" + text, social=False)
    if kind == "email":
        return read_email(text.removeprefix("mailto:"))
    if kind == "phone":
        return read_phone(text.removeprefix("tel:"))
    if kind == "agent_id":
        return read_agent_id(text)
    if kind in ("telegram", "x", "facebook"):
        name = text.lstrip("@")
        if _HANDLE.fullmatch(name) or (kind == "facebook" and _FACEBOOK_NAME.fullmatch(name)):
            return _handle(kind, name)
        url = read_url(text if _SCHEME.match(text) else "//" + text)
        return url if url and url.kind == kind else None
    return None


def read_phone(text: str) -> Reading | None:
    """A phone number: 7 to 15 digits, with the separators people write. "+65" or "0065"
    mark the country code; without them we cannot know whether the first digits are
    one, so the canonical form is the digits alone (see `phones_match`)."""
    text = text.strip()
    if not _PHONE.fullmatch(text):
        return None
    digits = _DIGITS.sub("", text)
    international = text.startswith("+")
    if text.lstrip("(").startswith("00"):
        digits, international = digits[2:], True
    if not 7 <= len(digits) <= 15 or text.count("+") > 1:
        return None
    canonical = "+" + digits if international else digits
    return Reading("phone", canonical, name=canonical)


def phones_match(a: str, b: str) -> bool:
    """Whether two canonical phone numbers are the same line. Equal when both carry a
    country code. A number without one (a leading trunk "0" dropped) matches a number
    with one when it is all of its digits ("(65) 61234567") or its last digits after a
    country code of 1 to 3 digits ("6123 4567" is "+65 6123 4567", in either
    direction: an official number entered without its country code matches it under
    any country code, so admins should enter it)."""
    if a.startswith("+") and b.startswith("+"):
        return a == b
    if not a.startswith("+") and not b.startswith("+"):
        return a.removeprefix("0") == b.removeprefix("0")
    international, national = (a[1:], b) if a.startswith("+") else (b[1:], a)
    national = national.removeprefix("0")
    if international == national:
        return True
    return (
        len(national) >= 7
        and international.endswith(national)
        and (1 <= len(international) - len(national) <= 3)
    )


def read_agent_id(text: str) -> Reading | None:
    """Agent IDs: letters then digits, any separator: "TW-1024", "tw1024", "tw_1024".
    An "o" or "l" among the digits is kept (a look-alike of "0" or "1")."""
    match = _AGENT.fullmatch(text)
    if not match:
        return None
    canonical = f"{match[1].upper()}-{match[2].upper()}"
    return Reading("agent_id", canonical, name=canonical)


def read_email(text: str) -> Reading | None:
    local, at, domain = text.rpartition("@")
    if not at or not local or len(local) > 64 or any(c.isspace() or c in "<>/@" for c in local):
        return None
    host = read_host(domain.partition("?")[0])
    if host is None:
        return None
    name, punycode = host
    return Reading("email", f"{local}@{name}", name=local, punycode=punycode)


def read_host(text: str) -> tuple[str, bool] | None:
    """A host name, lower case and in Unicode, and whether it was written in punycode;
    None when it is not a plausible host."""
    host = unquote(text)
    if host != text:
        host = clean(host)  # percent-encoding must not hide characters either
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") or not host or len(host) > 253:
        return None  # IPv6 literals and empty hosts are never channels
    labels = host.split(".")
    punycode = False
    for index, label in enumerate(labels):
        if not label or len(label) > _MAX_LABEL or not _HOST_LABEL.fullmatch(label):
            return None
        if label.startswith("xn--"):
            punycode = True
            labels[index] = _decode_punycode(label)
    if len(labels) < 2 or (labels[-1].isdigit() and not _IPV4.fullmatch(host)):
        return None
    if labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    return ".".join(labels), punycode


def _decode_punycode(label: str) -> str:
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label  # not valid punycode: compare it as written
    cleaned = clean(decoded)
    return cleaned if cleaned and "." not in cleaned else label


def read_url(text: str, *, social: bool = True) -> Reading | None:
    """A URL or a host with a path. The host is what the browser would open: after the
    user information ("https://tidewell.example@evil.example/" opens evil.example), with
    a backslash read as a slash as browsers do."""
    text = text.replace("\\", "/")
    if not _SCHEME.match(text) and not text.startswith("//"):
        text = "//" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    userinfo, _, host_port = parts.netloc.rpartition("@")
    host_text, _, port = host_port.partition(":")
    if port and not port.isdigit():
        return None
    host = read_host(host_text)
    if host is None:
        return None
    name, punycode = host
    path = unquote(parts.path)[:MAX_INPUT]
    if social:
        reading = _social(name, path, parts.query)
        if reading:
            return reading
    return Reading(
        "domain", name, name=name, path=path, userinfo=unquote(userinfo), punycode=punycode
    )


def _social(host: str, path: str, query: str) -> Reading | None:
    segments = [segment for segment in path.split("/") if segment]
    if host in _TELEGRAM_HOSTS:
        if segments[:1] == ["s"]:
            segments = segments[1:]
        if len(segments) > 1 and segments[0] == "joinchat":
            segments = ["+" + segments[1]]
        if segments and _HANDLE.fullmatch(segments[0].lstrip("@+")):
            return _handle("telegram", segments[0].lstrip("@"))
    elif host in _X_HOSTS:
        name = segments[0].lstrip("@") if segments else ""
        if name not in _X_RESERVED and _HANDLE.fullmatch(name):
            return _handle("x", name)
    elif host in _FACEBOOK_HOSTS and segments:
        if segments[0] == "profile.php":
            profile_id = parse_qs(query).get("id", [""])[0]
            if profile_id.isdigit():
                return _handle("facebook", profile_id)
        elif segments[0] in ("pages", "groups") and len(segments) > 1:
            return _handle("facebook", f"{segments[0]}/{segments[1]}")
        else:
            return _handle("facebook", segments[0])
    return None


def _handle(kind: str, name: str, *, written_as_handle: bool = True) -> Reading:
    if kind == "facebook":
        # Facebook ignores dots and case in names: tidewell.exchange is tidewellexchange.
        name = name.replace(".", "")
        return Reading(kind, "facebook.com/" + name, name=name)
    if name.startswith("+"):  # a Telegram invitation link, not an account
        return Reading(kind, "t.me/" + name, name=name)
    return Reading(kind, "@" + name, name=name, written_as_handle=written_as_handle)


# -- Candidates in free text ---------------------------------------------------------------

# Characters of hosts, handles and addresses in running text: Latin, Greek and Cyrillic
# letters and digits, but not Chinese, which is written against them without a space
# ("是官方的吗https://…", "客服@tidewell_exchange吗").
_LETTER = r"0-9a-zA-Z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"
_STOP = r"\s<>\"'`，。！？、；：（）「」『』【】《》"
_CANDIDATE = re.compile(
    rf"""
      (?P<url>(?<![{_LETTER}])[a-z][a-z0-9+.\-]{{1,15}}://[^{_STOP}]+)
    | (?P<email>(?<![{_LETTER}._%+\-])[{_LETTER}._%+\-]{{1,64}}@[{_LETTER}\-]+(?:\.[{_LETTER}\-]+)+)
    | (?P<handle>(?<![{_LETTER}_.@])@[{_LETTER}_]{{3,64}})
    | (?P<host>(?<![{_LETTER}_.@\-])(?:[{_LETTER}_\-]+\.)+[{_LETTER}\-]+
        (?::\d{{1,5}})?(?:/[^{_STOP}]*)?)
    | (?P<phone>(?<![0-9a-zA-Z+])(?:\+|00)\d[\d \-()]{{5,22}}\d(?!\d)
        | (?<![0-9a-zA-Z+])\(\d{{1,4}}\)[\d \-]{{6,18}}\d(?!\d)
        | (?<![0-9a-zA-Z+\-])\d{{2,4}}[ \-]\d{{3,4}}[ \-]\d{{3,4}}(?![0-9a-zA-Z\-]))
    | (?P<agent>(?<![{_LETTER}\-])[a-z]{{1,4}}-\d{{3,6}}(?![{_LETTER}\-]))
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Without a hyphen an agent ID must be in capitals ("TW1024"), or "usdt1000" would be one.
_AGENT_CAPITALS = re.compile(rf"(?<![{_LETTER}])[A-Z]{{1,4}}\d{{3,6}}(?![{_LETTER}])")
_TRAILING = ".,;:!?)]}'\"…"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def candidates_in_text(text: str) -> list[str]:
    """The values worth verifying in a free-text question, in order, at most 20: URLs,
    hosts, e-mail addresses, @handles, phone numbers, agent IDs. They are returned as
    they read after removing invisible characters and NFKC (full width to ASCII)."""
    text = text[: 2 * _MAX_TEXT]
    if not text.isascii():
        text = "".join(
            char
            for char in text
            if unicodedata.category(char) != "Cf" and ord(char) not in _IGNORABLE_EXTRA
        )
        text = unicodedata.normalize("NFKC", text)
        # An ideographic full stop between Latin letters is a dot in a host name.
        text = re.sub(r"(?<=[0-9A-Za-z])\u3002(?=[0-9A-Za-z])", ".", text)
    text = _CONTROL.sub(" ", text[:_MAX_TEXT])
    found: list[tuple[int, int, str]] = []
    matches = [(m.start(), m.lastgroup or "", m.group()) for m in _CANDIDATE.finditer(text)]
    matches += [(m.start(), "agent", m.group()) for m in _AGENT_CAPITALS.finditer(text)]
    for start, kind, raw in matches:
        value = raw.rstrip(_TRAILING)
        if kind in ("host", "url") and value.count("(") < value.count(")"):
            value = value.rstrip(")")
        if kind == "host" and not _is_plausible_host(value):
            continue
        if kind == "phone" and (_DATE.fullmatch(value) or len(_DIGITS.sub("", value)) < 7):
            continue
        end = start + len(value)
        if any(start < other_end and other_start < end for other_start, other_end, _ in found):
            continue
        found.append((start, end, value))
    found.sort()
    return list(dict.fromkeys(value for _, _, value in found))[:_MAX_CANDIDATES]


def _is_plausible_host(value: str) -> bool:
    """Whether a host found in text may be one: not "e.g", "3.14" or "v1.2", whose last
    label has fewer than two characters or no letter."""
    last = value.split("/", 1)[0].split(":", 1)[0].split(".")[-1]
    return len(last) >= 2 and any(char.isalpha() for char in last)


# -- Skeletons -----------------------------------------------------------------------------

# Letters that look like Latin ones and that Unicode's confusables (as packaged by
# confusable_homoglyphs) do not map after lower-casing: lower-case Cyrillic and Greek
# that look like small capitals or their Latin cousins.
_EXTRA_CONFUSABLES = {
    "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "п": "n", "ь": "b", "ш": "w",
    "τ": "t", "κ": "k", "η": "n", "μ": "u", "ω": "w", "ε": "e", "χ": "x", "β": "b",
    "є": "e", "ѳ": "o", "ԍ": "g", "ɩ": "l", "ι": "l",
}  # fmt: skip

# Confusions inside ASCII, applied after the Unicode map: 0/o, 1/l/i/|, 3/e, 4/a, 5/s,
# then rn/m, vv/w, cl/d.
_ASCII_SINGLE = str.maketrans("01i|345", "ollleas")
_ASCII_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"))


@functools.cache
def _confusable_table() -> dict[int, str]:
    """Every non-ASCII character that Unicode's confusables list as looking like a
    single ASCII letter or digit, mapped to it. Loaded on first use (about 50 ms)."""
    from confusable_homoglyphs import utils  # the data file is 900 kB: load it lazily

    data = utils.load("confusables.json")
    table: dict[int, str] = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [
            entry["c"]
            for entry in homoglyphs
            if len(entry["c"]) == 1 and entry["c"].isascii() and entry["c"].isalnum()
        ]
        if targets:
            # Prefer a lower-case letter, then a digit, then an upper-case letter.
            targets.sort(key=lambda target: (not target.islower(), not target.isdigit()))
            table[ord(char)] = targets[0].lower()
    table.update({ord(char): target for char, target in _EXTRA_CONFUSABLES.items()})
    return table


def skeleton(text: str) -> str:
    """What a string looks like: lower case, accents dropped, characters that look like
    a Latin letter or digit replaced by it, then the confusions within ASCII folded, so
    that "tіdewe11" (Cyrillic і, digit ones) and "tidewell" have one skeleton."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
        text = text.translate(_confusable_table())
    text = text.lower().translate(_ASCII_SINGLE)
    for look_alike, letter in _ASCII_MULTI:
        text = text.replace(look_alike, letter)
    return text


_SCRIPT_FREE = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")


def has_mixed_scripts(text: str) -> bool:
    """Whether the letters come from more than one alphabet (Latin with Cyrillic, Greek,
    Armenian...). Chinese, Japanese and Korean next to Latin are normal and not mixed."""
    scripts = set()
    for char in text:
        if char.isascii():
            if char.isalpha():
                scripts.add("LATIN")
        elif char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
            if not script.startswith(_SCRIPT_FREE):
                scripts.add(script)
    return len(scripts) > 1
