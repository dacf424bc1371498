"""Reading an incoming email: raw RFC 5322 bytes in, a `ParsedMail` out.

Mail is hostile input. It arrives in every charset Chinese and Western mail programs have
ever used, often mislabelled; its MIME structure is often broken or truncated; and some of
it is built to hurt the reader (header injection, nesting bombs, parts that never end). So
this module trusts no declared charset or structure, never recurses, and never raises on
something that is a mail at all: what it cannot read it notes in `ParsedMail.problems`.

The standard library's `email` package parses header parameters (RFC 2231) and address
lists for us. Splitting headers from bodies and walking the MIME tree is done here, with
an explicit stack: the stdlib parser recurses once per nesting level and dies with a
RecursionError a few hundred levels down, taking the whole mail with it.

Nothing here touches the database; the caller decides what to store.
"""

from __future__ import annotations

import binascii
import codecs
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from functools import cached_property
from urllib.parse import unquote

import nh3

MAX_NESTING_DEPTH = 20
MAX_PARTS = 1000
MAX_HEADER_FIELDS = 1000
MAX_HEADER_LENGTH = 64 * 1024
# HTML nested deeper is flattened before nh3 sees it: html5ever's tree builder takes time
# proportional to the nesting depth for each tag, so 50,000 nested <span>s cost minutes.
MAX_HTML_DEPTH = 100
MAX_SUBJECT_LENGTH = 250
MAX_FILENAME_LENGTH = 120
# Threading needs the first reference (the thread's root) and the newest ones; a header
# with thousands of ids is an attack on the lookup, not a conversation.
MAX_REFERENCES = 100
MAX_TRIM_CANDIDATES = 10_000
# The language of a mail shows in its first lines; counting more only costs time.
LANGUAGE_SAMPLE_LENGTH = 2000
FORWARDED_SEPARATOR = "---------- Forwarded message ----------"


class MailParseError(ValueError):
    """The bytes are not a mail at all (empty, or no header to be found)."""


@dataclass(frozen=True)
class MailAttachment:
    """A file in the mail, or an image its HTML shows inline (by the cid: URL naming
    `content_id`). `content_type` is only what the mail declares: check the bytes."""

    filename: str
    content_type: str
    data: bytes
    inline: bool
    content_id: str | None


@dataclass(frozen=True)
class ParsedMail:
    """What Pharos needs from one incoming mail. Addresses are lower-cased addr-specs,
    message ids have no angle brackets, header texts are single lines. `text` is all there
    is to read, forwarded mails included; `new_text` is what this mail adds, without quoted
    history and signature. `problems` notes, in short English, what could not be read."""

    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    from_address: str | None
    from_name: str
    reply_to: str | None
    sender_domain: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    date: datetime | None
    text: str
    new_text: str
    html: str | None
    attachments: tuple[MailAttachment, ...]
    auto_submitted: bool
    is_bounce: bool
    bounced_message_id: str | None
    bounce_reason: str
    authentication_results: tuple[str, ...]
    problems: tuple[str, ...]
    language: str


def parse_mail(raw: bytes) -> ParsedMail:
    """Read `raw` (a whole message as received, headers first). Raises MailParseError only
    when there is no mail header in it at all."""
    if not raw.strip():
        raise MailParseError("empty message")
    notes: list[str] = []
    root, separated = _parse_entity(raw, notes)
    if len(root.headers) == 0:
        raise MailParseError("no mail headers found")
    if not separated and root.body:
        notes.append("no blank line between the headers and the body")
    headers = root.headers
    contents = _walk(root, notes)

    subject = _one_line(_decode_words(headers.get("subject", ""), notes))[:MAX_SUBJECT_LENGTH]
    from_name, from_address = _sender(headers, notes)
    message_ids = _message_ids(headers.get("message-id", ""))
    if not message_ids:
        notes.append("no Message-ID header" if "message-id" not in headers else "empty Message-ID")

    main_text = contents.scopes[0].text()
    forwarded = [_forwarded_block(scope) for scope in contents.scopes[1:]]
    text = "\n\n".join(part for part in [main_text, *forwarded] if part)
    trimmed = _trim_history(main_text, subject)
    # Forwarded mail is the content, not history: it is never trimmed.
    new_text = "\n\n".join(part for part in [trimmed, *forwarded] if part) or text

    is_bounce = _is_bounce(contents, from_address, subject)
    return ParsedMail(
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=tuple(_message_ids(" ".join(headers.get_all("in-reply-to", [])))),
        references=_references(headers),
        subject=subject,
        from_address=from_address,
        from_name=from_name,
        reply_to=next(iter(_address_list(headers.get_all("reply-to", []), notes)), None),
        sender_domain=from_address.rpartition("@")[2] if from_address else None,
        to=_address_list(headers.get_all("to", []), notes),
        cc=_address_list(headers.get_all("cc", []), notes),
        date=_date(headers, notes),
        text=text,
        new_text=new_text,
        html=contents.scopes[0].sanitized_html,
        attachments=_attachments(contents),
        auto_submitted=_is_automatic(headers, from_address),
        is_bounce=is_bounce,
        bounced_message_id=_bounced_message_id(contents) if is_bounce else None,
        bounce_reason=_bounce_reason(contents.delivery_statuses, notes) if is_bounce else "",
        authentication_results=tuple(
            _one_line(value) for value in headers.get_all("authentication-results", [])
        ),
        problems=tuple(dict.fromkeys(notes)),
        language=_language(subject + "\n" + new_text),
    )


# --- Entities: headers and body --------------------------------------------------------

# A header line: a field name of printable ASCII (no colon), then the colon. Bounded, so
# that a long line of garbage fails to match quickly.
_FIELD_NAME = re.compile(rb"([\x21-\x39\x3b-\x7e]{1,200})[ \t]*:")
_END_OF_HEADERS = re.compile(rb"\n\r?\n")


@dataclass
class _Entity:
    """One MIME entity. `headers` holds only headers (the stdlib's parameter parsing is
    what we use it for); the body stays raw bytes until we know how to read it."""

    headers: Message
    body: bytes


def _parse_entity(raw: bytes, notes: list[str]) -> tuple[_Entity, bool]:
    """The entity in `raw`, and whether a blank line ended its headers. Headers end at the
    blank line or at the first line that is not a header, whichever comes first."""
    fields: list[tuple[str, bytearray]] = []
    position = _next_line(raw, 0) if raw.startswith(b"From ") else 0  # an mbox envelope line
    separated = False
    while position < len(raw):
        line_end = raw.find(b"\n", position)
        if line_end < 0:
            line_end = len(raw)
        line = raw[position:line_end].removesuffix(b"\r")
        if not line:
            separated = True
            position = line_end + 1
            break
        if line[:1] in (b" ", b"\t"):
            if not fields:
                break
            fields[-1][1].extend(line)  # unfolding keeps the leading white space
        else:
            match = _FIELD_NAME.match(line)
            if match is None:
                break
            if len(fields) == MAX_HEADER_FIELDS:
                notes.append(f"more than {MAX_HEADER_FIELDS} header fields; the rest were ignored")
                end_of_headers = _END_OF_HEADERS.search(raw, position)
                separated = end_of_headers is not None
                position = end_of_headers.end() if end_of_headers else len(raw)
                break
            fields.append((match[1].decode("ascii"), bytearray(line[match.end() :])))
        position = line_end + 1

    headers = Message()
    for name, value in fields:
        if len(value) > MAX_HEADER_LENGTH:
            notes.append(f"a header longer than {MAX_HEADER_LENGTH} bytes was cut short")
            # Cut between words, so that no address or id is cut into a different one.
            last_comma = value.rfind(b",", 0, MAX_HEADER_LENGTH)
            last_space = value.rfind(b" ", 0, MAX_HEADER_LENGTH)
            del value[max(last_comma, last_space, 0) or MAX_HEADER_LENGTH :]
        # A bare CR is no line ending in mail, but some programs treat it as one: turned
        # into a space here, it cannot smuggle in a header that others would see.
        headers[name] = _header_text(bytes(value).replace(b"\r", b" ").strip(), notes)
    return _Entity(headers, raw[position:]), separated


def _next_line(raw: bytes, position: int) -> int:
    line_end = raw.find(b"\n", position)
    return len(raw) if line_end < 0 else line_end + 1


def _header_text(value: bytes, notes: list[str]) -> str:
    """Header bytes as text. Headers should be ASCII, but raw UTF-8 (RFC 6532) and raw GBK
    from old Chinese mail programs both occur."""
    if value.isascii():
        return value.decode("ascii")
    text, note = _decode_bytes(value, None)
    if note:
        notes.append(f"a header is {note}")
    return text


def _transfer_decoded(entity: _Entity, notes: list[str]) -> bytes:
    encoding = entity.headers.get("content-transfer-encoding", "").split(";")[0].strip().lower()
    if encoding == "base64":
        data, valid = _decode_base64(entity.body)
        if not valid:
            notes.append("invalid base64 (decoded what could be read)")
        return data
    if encoding == "quoted-printable":
        return binascii.a2b_qp(entity.body)
    if encoding not in ("", "7bit", "8bit", "binary"):
        notes.append(f"unknown transfer encoding {encoding[:40]!r} (read as is)")
    return entity.body


_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NOT_BASE64_ALPHABET = bytes(sorted(set(range(256)) - set(_BASE64_ALPHABET)))


def _decode_base64(data: bytes) -> tuple[bytes, bool]:
    """The decoded bytes and whether `data` was valid base64. Invalid input still yields
    what can be read: everything outside the alphabet (padding included) is skipped."""
    compact = data.translate(None, b" \t\r\n")
    try:
        return binascii.a2b_base64(compact, strict_mode=True), True
    except binascii.Error:
        pass
    alphabet_only = compact.translate(None, _NOT_BASE64_ALPHABET)
    # Four characters make three bytes; one character left over makes none.
    usable = alphabet_only[: len(alphabet_only) - (len(alphabet_only) % 4 == 1)]
    return binascii.a2b_base64(usable + b"=" * (-len(usable) % 4)), False


# --- Charsets -------------------------------------------------------------------------

# Labels Python does not know, for charsets it does.
_CHARSET_ALIASES = {
    "x-gbk": "gbk",
    "x-euc-cn": "gb2312",
    "gb_2312-80": "gb2312",
    "cn-gb": "gb2312",
    "x-big5": "big5",
    "cn-big5": "big5",
}
# Mail with no charset, or labelled US-ASCII, is in practice UTF-8 or (old Chinese mail
# programs) GBK.
_UNLABELLED = ("utf-8", "gb18030")
_CODEC_CHAINS = {
    "ascii": _UNLABELLED,
    # Mail labelled GB2312 or GBK uses characters only GB18030, their superset, has.
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "big5": ("big5", "big5hkscs", "cp950"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "cp950": ("cp950", "big5hkscs"),
    # Mail labelled Latin-1 is usually Windows-1252, as browsers know.
    "iso8859-1": ("cp1252", "iso8859-1"),
    "euc_kr": ("cp949",),
}


def _codecs_for(charset: str | None) -> tuple[str, ...] | None:
    """The Python codecs to try for a charset label, best first; None for a label Python
    does not know."""
    name = (charset or "").strip().strip("\"'").lower()
    if not name:
        return _UNLABELLED
    name = _CHARSET_ALIASES.get(name, name)
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None
    return _CODEC_CHAINS.get(canonical, (canonical,))


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """`data` as text, and a note when the label did not fit. Never raises: after the
    label's codecs come UTF-8 and GB18030, then the label's codec with replacement
    characters, or Latin-1 (which reads any byte) when there is no usable label."""
    chain = _codecs_for(charset)
    for codec in chain or ():
        try:
            return data.decode(codec), None
        except (UnicodeDecodeError, LookupError):  # LookupError: "base64" is no text codec
            continue
    label = repr(charset[:40]) if charset else "none"
    for codec in _UNLABELLED:
        if chain is None or codec not in chain:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if chain is None:
                return text, f"in an unknown charset ({label}), read as {codec}"
            return text, f"not valid in its charset ({label}), read as {codec}"
    final = chain[0] if chain and chain != _UNLABELLED else "latin-1"
    try:
        text = data.decode(final, "replace")
    except LookupError:
        final, text = "latin-1", data.decode("latin-1")
    return text, f"in no charset we recognise (declared: {label}), read as {final}"


# RFC 2047 encoded-word: =?charset?B-or-Q?text?=
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?]*)\?=")


def _decode_words(value: str, notes: list[str]) -> str:
    """Decode the RFC 2047 encoded-words in a header value. Adjacent words in one charset
    are joined as bytes before decoding, because mail programs split multi-byte characters
    across two words; white space between encoded-words is not part of the text."""
    if "=?" not in value:
        return value
    pieces: list[str] = []
    pending = bytearray()
    pending_charset: str | None = None
    position = 0

    def flush() -> None:
        nonlocal pending_charset
        if pending_charset is not None:
            text, note = _decode_bytes(bytes(pending), pending_charset)
            if note:
                notes.append(f"an encoded header word is {note}")
            pieces.append(text)
        pending.clear()
        pending_charset = None

    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if between and not (between.isspace() and pending_charset is not None):
            flush()
            pieces.append(between)
        charset = match[1].split("*", 1)[0].lower()  # RFC 2231 allows "utf-8*en"
        if charset != pending_charset:
            flush()
        if match[2] in "bB":
            data, valid = _decode_base64(match[3].encode("ascii", "ignore"))
            if not valid:
                notes.append("invalid base64 in an encoded header word")
        else:
            data = binascii.a2b_qp(match[3].encode("utf-8"), header=True)
        pending_charset = charset
        pending.extend(data)
        position = match.end()
    flush()
    pieces.append(value[position:])
    return "".join(pieces)


# --- Headers --------------------------------------------------------------------------

# Control characters (C0, C1), Unicode line separators and any white space.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")


def _one_line(text: str) -> str:
    """One line of text: no CR or LF a header value could smuggle in, no control
    characters, white space collapsed."""
    return _CONTROL_OR_SPACE.sub(" ", text).strip()


# A plain addr-spec; quoted local parts and address literals are too rare to be worth the
# risk of reading an address differently from the mail server that checked it.
_ADDR_SPEC = re.compile(r"[^\s@<>()\[\]\\,;:\"\x00-\x1f\x7f]+@[^\s@<>()\[\]\\,;:\"\x00-\x1f\x7f]+")


def _addresses(values: list[str], notes: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased address) of each readable mailbox in the header values.
    Encoded-words are decoded after the list is split, so an encoded comma splits nothing."""
    mailboxes = []
    for name, address in getaddresses(values):
        address = address.strip().lower()
        if _ADDR_SPEC.fullmatch(address):
            mailboxes.append((_one_line(_decode_words(name, notes)), address))
    return mailboxes


def _address_list(values: list[str], notes: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(address for _name, address in _addresses(values, notes)))


def _sender(headers: Message, notes: list[str]) -> tuple[str, str | None]:
    """The From display name and address."""
    value = headers.get("from")
    if value is None:
        notes.append("no From header")
        return "", None
    mailboxes = _addresses([value], notes)
    if not mailboxes:
        notes.append("the From address could not be read")
        return "", None
    if len(mailboxes) > 1:
        notes.append("the From header names several addresses; the first was used")
    return mailboxes[0]


_BRACKETED = re.compile(r"<([^<>]*)>")


def _message_ids(value: str) -> list[str]:
    """The message ids in a header, brackets and white space stripped, in order, once."""
    found = _BRACKETED.findall(value) or value.split()
    ids = ("".join(message_id.split()) for message_id in found)
    return list(dict.fromkeys(message_id for message_id in ids if message_id))


def _references(headers: Message) -> tuple[str, ...]:
    references = _message_ids(" ".join(headers.get_all("references", [])))
    if len(references) > MAX_REFERENCES:
        references = [references[0], *references[-(MAX_REFERENCES - 1) :]]
    return tuple(references)


def _date(headers: Message, notes: list[str]) -> datetime | None:
    value = headers.get("date")
    if value is None:
        notes.append("no Date header")
        return None
    try:
        date = parsedate_to_datetime(_one_line(value))
    except (ValueError, TypeError, OverflowError, IndexError):
        notes.append("the Date header could not be read")
        return None
    # "-0000" means "time zone unknown"; the stdlib then returns a naive datetime.
    return date if date.tzinfo is not None else date.replace(tzinfo=UTC)


def _parameter(headers: Message, name: str, header: str, notes: list[str]) -> str | None:
    """A decoded header parameter: RFC 2231 (`name*=UTF-8''...`, continuations) or plain,
    where mail programs put RFC 2047 encoded-words although they should not."""
    value = headers.get_param(name, header=header)
    if value is None:
        return None
    if isinstance(value, tuple):
        charset, _language, text = value
        try:
            # The stdlib percent-decodes RFC 2231 values to one character per byte.
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            return text  # raw 8-bit header text, already decoded
        decoded, note = _decode_bytes(data, charset)
        if note:
            notes.append(f"a header parameter is {note}")
        return decoded
    return _decode_words(value, notes)


# --- The MIME walk --------------------------------------------------------------------

_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_DELIVERY_STATUS_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
_BODY_TEXT_TYPES = frozenset({"text/plain", "text/html"})


@dataclass
class _Scope:
    """The readable content of one message: the mail itself, or one forwarded in it."""

    headers: Message
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)

    @cached_property
    def sanitized_html(self) -> str | None:
        """The HTML body made safe to display; None when there is none."""
        if not self.html:
            return None
        return "\n".join(_sanitize_html(part) for part in self.html)

    def text(self) -> str:
        """The plain text body, or the HTML body as text when there is no (non-empty)
        plain one."""
        plain = "\n".join(self.plain).strip()
        if plain or self.sanitized_html is None:
            return plain
        return _html_to_text(self.sanitized_html)


@dataclass
class _FoundAttachment:
    filename: str | None
    content_type: str
    data: bytes
    disposition: str | None
    content_id: str | None


@dataclass
class _Contents:
    """Everything the walk found, in document order."""

    scopes: list[_Scope]
    attachments: list[_FoundAttachment] = field(default_factory=list)
    delivery_report: bool = False
    delivery_statuses: list[bytes] = field(default_factory=list)
    returned_headers: list[Message] = field(default_factory=list)


def _walk(root: _Entity, notes: list[str]) -> _Contents:
    """Visit the MIME tree depth first, in document order, with an explicit stack. No more
    than MAX_PARTS entities are parsed, and none nested deeper than MAX_NESTING_DEPTH."""
    contents = _Contents(scopes=[_Scope(root.headers)])
    pending: list[tuple[_Entity, int, _Scope]] = [(root, 0, contents.scopes[0])]
    parsed = 1
    while pending:
        entity, depth, scope = pending.pop()
        headers = entity.headers
        content_type = headers.get_content_type()
        if content_type.startswith("multipart/") or content_type in _MESSAGE_TYPES:
            if depth + 1 >= MAX_NESTING_DEPTH:
                notes.append(
                    f"parts nested more than {MAX_NESTING_DEPTH} levels deep were not read"
                )
                continue
            if parsed >= MAX_PARTS:
                notes.append(f"more than {MAX_PARTS} parts; the rest were not read")
                continue
        if content_type.startswith("multipart/"):
            if content_type == "multipart/report":
                report_type = _parameter(headers, "report-type", "content-type", notes) or ""
                contents.delivery_report |= report_type.strip().lower() == "delivery-status"
            children = _split_multipart(entity, content_type, MAX_PARTS - parsed, notes)
            parsed += len(children)
            pending.extend((child, depth + 1, scope) for child in reversed(children))
        elif content_type in _MESSAGE_TYPES:
            inner, _separated = _parse_entity(_transfer_decoded(entity, notes), notes)
            parsed += 1
            inner_scope = _Scope(inner.headers)
            contents.scopes.append(inner_scope)
            contents.returned_headers.append(inner.headers)
            pending.append((inner, depth + 1, inner_scope))
        elif content_type in _DELIVERY_STATUS_TYPES:
            contents.delivery_statuses.append(_transfer_decoded(entity, notes))
        elif content_type == "text/rfc822-headers":
            returned, _separated = _parse_entity(_transfer_decoded(entity, notes), notes)
            contents.returned_headers.append(returned.headers)
        elif content_type in _BODY_TEXT_TYPES and _is_body(headers, notes):
            body = _body_text(entity, notes)
            if content_type == "text/plain":
                scope.plain.append(body)
            else:
                scope.html.append(_flatten_deep_html(body, notes))
        else:
            contents.attachments.append(_found_attachment(entity, content_type, notes))
    return contents


def _split_multipart(
    entity: _Entity, content_type: str, limit: int, notes: list[str]
) -> list[_Entity]:
    """At most `limit` parts of a multipart body. A part that never ends (truncated mail)
    runs to the end of the body; a body where the boundary never appears is read as plain
    text."""
    boundary = entity.headers.get_boundary()
    bodies = _split_at_boundary(entity.body, boundary, limit, notes) if boundary else None
    if bodies is None:
        notes.append("a multipart boundary never appears; the body was read as plain text")
        return [_Entity(Message(), entity.body)] if entity.body.strip() else []
    children = [_parse_entity(body, notes)[0] for body in bodies]
    if content_type == "multipart/digest":
        for child in children:
            child.headers.set_default_type("message/rfc822")
    return children


def _split_at_boundary(
    body: bytes, boundary: str, limit: int, notes: list[str]
) -> list[bytes] | None:
    """At most `limit` parts between `--boundary` lines; None when there is no such line."""
    # A delimiter is a line of its own, and the line break before it belongs to it. With a
    # line break put in front, one whose line starts the body is found like the others.
    text = b"\n" + body
    delimiter = re.compile(
        rb"\n--" + re.escape(boundary.encode("utf-8", "replace")) + rb"(--)?[ \t]*(?=\r?\n|\Z)"
    )
    parts: list[bytes] = []
    part_start: int | None = None
    for match in delimiter.finditer(text):
        if part_start is not None:
            part_end = match.start()
            if part_end > part_start and text[part_end - 1] == ord("\r"):
                part_end -= 1
            parts.append(text[part_start:part_end])
        if match[1]:
            return parts
        if len(parts) == limit:
            notes.append(f"more than {MAX_PARTS} parts; the rest were not read")
            return parts
        part_start = _next_line(text, match.end())
    if part_start is None:
        return None
    parts.append(text[part_start:])
    notes.append("a multipart part never ends (the mail may be truncated)")
    return parts


def _is_body(headers: Message, notes: list[str]) -> bool:
    """A text part is the mail's body unless it is attached as a file."""
    return headers.get_content_disposition() != "attachment" and not _filename(headers, notes)


def _filename(headers: Message, notes: list[str]) -> str | None:
    return _parameter(headers, "filename", "content-disposition", notes) or _parameter(
        headers, "name", "content-type", notes
    )


# Control characters except tab and line feed. NUL in particular: PostgreSQL refuses it.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _body_text(entity: _Entity, notes: list[str]) -> str:
    data = _transfer_decoded(entity, notes)
    text, note = _decode_bytes(data, entity.headers.get_content_charset())
    if note:
        notes.append(f"a text part is {note}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", text).removeprefix("\ufeff")


def _found_attachment(entity: _Entity, content_type: str, notes: list[str]) -> _FoundAttachment:
    content_id = _one_line(entity.headers.get("content-id", "")).strip("<> ")
    return _FoundAttachment(
        filename=_filename(entity.headers, notes),
        content_type=content_type,
        data=_transfer_decoded(entity, notes),
        disposition=entity.headers.get_content_disposition(),
        content_id=content_id or None,
    )


# --- Attachments ----------------------------------------------------------------------

# cid: URLs in HTML name inline images by Content-ID (RFC 2392), percent-encoded.
_CID_REFERENCE = re.compile(r"cid:([^\s\"'<>)]+)", re.IGNORECASE)
# Bidirectional overrides make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_BIDIRECTIONAL_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PATH_SEPARATOR = re.compile(r"[/\\]")
# Built-in tables only: the system's mime.types differs from machine to machine.
_MIME_TYPES = mimetypes.MimeTypes()
_EXTENSIONS = {
    "image/jpg": ".jpg",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def _attachments(contents: _Contents) -> tuple[MailAttachment, ...]:
    referenced = {
        unquote(content_id).lower()
        for scope in contents.scopes
        for part in scope.html
        for content_id in _CID_REFERENCE.findall(part)
    }
    attachments = []
    for number, found in enumerate(contents.attachments, start=1):
        content_id = found.content_id
        inline = content_id is not None and (
            found.disposition == "inline"
            or (found.content_type.startswith("image/") and content_id.lower() in referenced)
        )
        attachments.append(
            MailAttachment(
                filename=_safe_filename(found.filename, found.content_type, number),
                content_type=found.content_type,
                data=found.data,
                inline=inline,
                content_id=content_id,
            )
        )
    return tuple(attachments)


def _safe_filename(name: str | None, content_type: str, number: int) -> str:
    """A name fit to display and offer for download: no path, no control or bidirectional
    characters, at most MAX_FILENAME_LENGTH characters with the extension kept; a made-up
    one ("image-1.png") when nothing is left."""
    name = _BIDIRECTIONAL_CONTROLS.sub("", _one_line(name or ""))
    name = _PATH_SEPARATOR.split(name)[-1].strip(". ")
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 16:
            name = stem[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH].rstrip()
    if name:
        return name
    extension = _EXTENSIONS.get(content_type) or _MIME_TYPES.guess_extension(content_type) or ".bin"
    kind = "image" if content_type.startswith("image/") else "attachment"
    return f"{kind}-{number}{extension}"


# --- Text -----------------------------------------------------------------------------


def _forwarded_block(scope: _Scope) -> str:
    def header(name: str) -> str:
        # Shown as written; a forwarded mail's odd header is no problem of this mail.
        return _one_line(_decode_words(scope.headers.get(name, ""), []))

    return "\n".join(
        [
            FORWARDED_SEPARATOR,
            f"From: {header('from')}",
            f"Date: {header('date')}",
            f"Subject: {header('subject')}",
            f"To: {header('to')}",
            "",
            scope.text(),
        ]
    ).strip()


def _sanitize_html(source: str) -> str:
    """HTML safe to show: nh3's allow-list drops scripts, styles, event handlers, forms and
    frames; links may only be web or mail addresses and do not tell the target where they
    came from. (cid: image sources go too; the images are in the attachments.)"""
    return nh3.clean(
        source,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style", "title"},
        strip_comments=True,
    )


# Below this many tags, even the worst nesting costs html5ever little.
_DEPTH_CHECK_TAG_COUNT = 2000
# Any start or end tag, roughly: good enough to estimate how deep the HTML is nested.
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*>")
# Elements that never hold others, or that the next one like them closes: they add no depth.
_FLAT_ELEMENTS = frozenset(
    {
        "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
        "meta", "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
    }
)  # fmt: skip


def _flatten_deep_html(source: str, notes: list[str]) -> str:
    """`source` without the tags that nest deeper than MAX_HTML_DEPTH (their text stays)."""
    if source.count("<") <= _DEPTH_CHECK_TAG_COUNT:
        return source
    depth = 0
    kept: list[str] = []
    position = 0
    for match in _ANY_TAG.finditer(source):
        if match[2].lower() in _FLAT_ELEMENTS or match[0].endswith("/>"):
            continue
        too_deep = depth >= MAX_HTML_DEPTH if not match[1] else depth > MAX_HTML_DEPTH
        depth = depth + 1 if not match[1] else max(0, depth - 1)
        if too_deep:
            kept.append(source[position : match.start()])
            position = match.end()
    if not kept:
        return source
    notes.append(f"HTML nested more than {MAX_HTML_DEPTH} levels deep was flattened")
    kept.append(source[position:])
    return "".join(kept)


# Tags that break lines in the text form of HTML; other tags are read for their text only.
_TEXT_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table", "tr", "ul",
    }
)  # fmt: skip
_STRUCTURE_TAG_NAMES = "|".join(sorted(_TEXT_BLOCK_TAGS | {"br", "p", "td", "th"}))
# nh3 output escapes "<" and ">" everywhere but in tags, so these cannot misread text.
_STRUCTURE_TAG = re.compile(rf"<(/?)({_STRUCTURE_TAG_NAMES})\b[^<>]*>")
_OTHER_TAG = re.compile(rf"<(?!/?(?:{_STRUCTURE_TAG_NAMES})\b)[^<>]*>")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _unescape(text: str) -> str:
    """Undo nh3's escaping: it writes only these entities, and a no-break space is read as
    a space. (html.unescape() would do, one Python call per entity.)"""
    if "&" not in text:
        return text
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&nbsp;", " ")):
        text = text.replace(entity, character)
    return text.replace("&amp;", "&")


def _html_to_text(sanitized: str) -> str:
    """Readable plain text of sanitized HTML (scripts and styles are gone already):
    paragraphs and line breaks kept, list items marked, quoted blocks prefixed with "> "
    so that history can be trimmed as in plain mail."""
    # Inline tags (links, emphasis, images) go in one pass in C: they only hold text.
    # Then split() gives text, "/" or "", tag name, text, "/" or "", tag name, ..., text.
    tokens = _STRUCTURE_TAG.split(_OTHER_TAG.sub("", sanitized))
    writer = _TextWriter()
    writer.text(tokens[0])
    for index in range(1, len(tokens), 3):
        writer.tag(tokens[index + 1].lower(), closing=bool(tokens[index]))
        writer.text(tokens[index + 2])
    return writer.result()


class _TextWriter:
    """Plain text built from sanitized HTML, one tag or run of text at a time."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.newlines = 2  # line breaks at the end of the output; the start counts as a paragraph
        self.quote_depth = 0
        self.preformatted = 0
        self.lists: list[int | None] = []  # a counter per open <ol>, None per <ul>
        self.item_marker = ""

    def text(self, run: str) -> None:
        if not run:
            return
        if self.preformatted:
            run = _unescape(run)
            self.pieces.append(run)
            trailing = len(run) - len(run.rstrip("\n"))
            self.newlines = self.newlines + trailing if trailing == len(run) else trailing
            return
        run = _unescape(_HTML_SPACE.sub(" ", run))
        if self.newlines:
            run = run.lstrip(" ")
            if not run:
                return
            run = "> " * self.quote_depth + self.item_marker + run
            self.item_marker = ""
        self.pieces.append(run)
        self.newlines = 0

    def tag(self, name: str, closing: bool) -> None:
        if name == "br":
            self.end_text()
            self.pieces.append("\n")
            self.newlines += 1
        elif name == "p":
            self.end_line(blank=True)
        elif name in ("td", "th"):
            if closing and not self.newlines:
                self.pieces.append(" ")
        elif name == "blockquote":
            self.end_line(blank=True)
            self.quote_depth = max(0, self.quote_depth + (-1 if closing else 1))
        elif name == "pre":
            self.end_line()
            self.preformatted = max(0, self.preformatted + (-1 if closing else 1))
        elif name in ("ul", "ol"):
            self.end_line()
            if not closing:
                self.lists.append(0 if name == "ol" else None)
            elif self.lists:
                self.lists.pop()
        elif name == "li":
            self.end_line()
            if not closing:
                self.item_marker = self.next_item_marker()
        elif name in _TEXT_BLOCK_TAGS:
            self.end_line()

    def next_item_marker(self) -> str:
        indent = "  " * max(0, len(self.lists) - 1)
        counter = self.lists[-1] if self.lists else None
        if counter is None:
            return indent + "- "
        self.lists[-1] = counter + 1
        return f"{indent}{counter + 1}. "

    def end_line(self, blank: bool = False) -> None:
        wanted = 2 if blank else 1
        if self.newlines < wanted:
            self.end_text()
            self.pieces.append("\n" * (wanted - self.newlines))
            self.newlines = wanted

    def end_text(self) -> None:
        """Drop the space a line may end with ("Hello <br>")."""
        if not self.newlines and not self.preformatted and self.pieces:
            self.pieces[-1] = self.pieces[-1].rstrip(" ")

    def result(self) -> str:
        self.end_line()
        return _collapse_blank_lines("".join(self.pieces))


# A line break, then blank lines (white space only). One quantifier: linear on any input.
_BLANK_LINES = re.compile(r"\n\s*\n")


def _collapse_blank_lines(text: str) -> str:
    """At most one blank line in a row, and none at the start or end."""
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


# --- Quoted history and signatures ----------------------------------------------------

_FORWARD_SUBJECT = re.compile(r"\s*(fwd?|转发|轉寄)\s*[:：]", re.IGNORECASE)
_FORWARD_MARKERS = frozenset(
    {
        "forwarded message",
        "begin forwarded message",
        "转发的邮件",
        "转发邮件信息",
        "开始转发的邮件",
        "以下为转发的邮件",
    }
)
_HISTORY_MARKERS = frozenset({"original message", "original", "原始邮件", "原始郵件", "原邮件"})
_MARKER_DECORATION = " \t-_=*:："
_FROM_KEYS = frozenset({"from", "发件人", "寄件者"})
_SENT_KEYS = frozenset({"sent", "date", "发送时间", "时间", "日期", "寄件日期"})
_RECIPIENT_KEYS = frozenset({"to", "cc", "subject", "收件人", "抄送", "主题", "收件者", "主旨"})
_MOBILE_FOOTERS = (
    "sent from my ",
    "sent from mail for windows",
    "sent from outlook",
    "sent from yahoo mail",
    "get outlook for ",
    "发自我的",
    "发自网易邮箱",
    "来自我的",
    "从我的 iphone",
    "从我的iphone",
)
_ATTRIBUTION_ENDINGS = ("wrote:", "writes:", "写道：", "写道:", "寫道：", "寫道:")
# How every line that could hold one of the markers above begins (after decoration).
_CANDIDATE_STARTS = (
    *("on ", "from", "sent ", "get outlook", "begin forwarded", "forwarded", "original"),
    *("发件人", "寄件者", "转发", "开始转发", "以下为转发", "原始", "原邮件", "发自", "来自我的"),
    "从我的",
)
_DIGIT = re.compile(r"\d")


def _trim_history(text: str, subject: str) -> str:
    """`text` without the quoted history and the signature. Text from a forwarding marker
    on is the content and stays whole. In a mail whose subject says it is a forward, an
    Outlook-style header block starts the forwarded mail, not history."""
    is_forward = _FORWARD_SUBJECT.match(subject) is not None
    lines = text.split("\n")
    dropped: set[int] = set()
    cut_at: int | None = None
    forwarded_from = len(lines)
    for index in _candidate_lines(lines):
        if index in dropped:
            continue
        line = lines[index]
        if _marker(line) in _FORWARD_MARKERS or (is_forward and _starts_history(lines, index)):
            forwarded_from = index
            break
        if cut_at is not None:
            continue  # only a forwarded mail further down still counts
        if line.startswith(">"):
            dropped.add(index)
            continue
        attribution = _attribution_length(lines, index)
        if attribution and _next_non_blank(lines, index + attribution).startswith(">"):
            # Above ">" lines the attribution goes alone, so that answers written between
            # the quoted lines stay.
            dropped.update(range(index, index + attribution))
        elif attribution or _starts_history(lines, index) or _is_signature(line):
            cut_at = index
    reply_end = forwarded_from if cut_at is None else cut_at
    reply = [line for index, line in enumerate(lines[:reply_end]) if index not in dropped]
    while reply and not reply[-1].strip(_MARKER_DECORATION):
        reply.pop()  # blank lines and "______" rules left above the cut
    trimmed = _collapse_blank_lines("\n".join(reply)).strip()
    forwarded = "\n".join(lines[forwarded_from:]).strip()
    return "\n\n".join(part for part in (trimmed, forwarded) if part)


def _candidate_lines(lines: list[str]) -> list[int]:
    """Indexes, in order, of the lines that could hold a marker: a cheap test that rules
    out most lines, so that the closer look is spent on few. For a line that ends like an
    attribution, the line before it too (Gmail wraps long attributions). A mail with more
    than MAX_TRIM_CANDIDATES such lines is no conversation: lines after those stay."""
    found: list[int] = []
    for index, line in enumerate(lines):
        if len(found) >= MAX_TRIM_CANDIDATES:
            break
        if line.rstrip().endswith(_ATTRIBUTION_ENDINGS):
            if index and (not found or found[-1] != index - 1):
                found.append(index - 1)
            found.append(index)
        elif (
            line.startswith(">")
            or line in ("-- ", "--")
            or line.lstrip(_MARKER_DECORATION)[:16].lower().startswith(_CANDIDATE_STARTS)
        ):
            found.append(index)
    return found


def _next_non_blank(lines: list[str], start: int) -> str:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return lines[index]
    return ""


def _marker(line: str) -> str:
    return line.strip(_MARKER_DECORATION).lower() if len(line) < 80 else ""


def _starts_history(lines: list[str], index: int) -> bool:
    """An "-----Original Message-----" line, or an Outlook "From: / Sent: / To:" block."""
    line = lines[index]
    if line.lstrip().startswith("--") and _marker(line) in _HISTORY_MARKERS:
        return True
    if _field_key(line) not in _FROM_KEYS:
        return False
    keys = {_field_key(following) for following in lines[index + 1 : index + 6]}
    return bool(keys & _SENT_KEYS) and bool(keys & _RECIPIENT_KEYS)


def _field_key(line: str) -> str:
    """The field name of a header-like line in a quoted block, lower-cased: "from" for
    "*From:* Alice". Chinese mail programs write a full-width colon."""
    head = line.strip().replace("：", ":")[:24]
    key, colon, _rest = head.partition(":")
    return key.strip(" *").lower() if colon else ""


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (0, 1 or 2: Gmail wraps long ones) the "On ... wrote:" line starting
    at `index` takes."""
    line = lines[index].strip()
    if not line:
        return 0
    if _is_attribution(line):
        return 1
    if index + 1 < len(lines) and _is_attribution(f"{line} {lines[index + 1].strip()}"):
        return 2
    return 0


def _is_attribution(line: str) -> bool:
    """Whether `line` introduces a quote: "On Mon, 1 Jan 2026 at 10:00, Bob <b@x.com>
    wrote:", "在 2026年1月1日，张三 <z@x.cn> 写道：", "张三 <z@x.cn> 于2026年1月1日 10:00写道："."""
    if len(line) > 300 or not line.endswith(_ATTRIBUTION_ENDINGS) or not _DIGIT.search(line):
        return False
    if line.endswith(("wrote:", "writes:")):
        return line.lower().startswith("on ")
    return True


def _is_signature(line: str) -> bool:
    if line in ("-- ", "--"):
        return True
    stripped = line.strip().lower()
    return len(stripped) <= 60 and stripped.startswith(_MOBILE_FOOTERS)


# --- Automatic mail and bounces -------------------------------------------------------

_ROBOT_LOCAL_PARTS = frozenset(
    {"mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply"}
)
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_BOUNCE_SUBJECT_WORDS = (
    "undelivered",
    "undeliverable",
    "delivery status notification",
    "returned mail",
    "delivery failure",
    "failure notice",
    "退信",
    "投递失败",
)


def _local_part(address: str | None) -> str:
    return address.rpartition("@")[0].split("+", 1)[0] if address else ""


def _is_automatic(headers: Message, from_address: str | None) -> bool:
    """Mail no person wrote: answering it automatically could start a loop of robots."""
    auto_submitted = headers.get("auto-submitted")
    if auto_submitted is not None and auto_submitted.split(";")[0].strip().lower() != "no":
        return True
    if headers.get("precedence", "").strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    suppress = {
        token.strip().lower() for token in headers.get("x-auto-response-suppress", "").split(",")
    }
    if suppress & {"all", "autoreply", "oof"}:
        return True
    present = ("x-autoreply", "x-autorespond", "list-id", "list-unsubscribe", "x-loop")
    if any(name in headers for name in present):
        return True
    return _local_part(from_address) in _ROBOT_LOCAL_PARTS


def _is_bounce(contents: _Contents, from_address: str | None, subject: str) -> bool:
    if contents.delivery_report or contents.delivery_statuses:
        return True
    lowered = subject.lower()
    return _local_part(from_address) in _BOUNCE_SENDERS and any(
        word in lowered for word in _BOUNCE_SUBJECT_WORDS
    )


def _bounced_message_id(contents: _Contents) -> str | None:
    for headers in contents.returned_headers:
        message_ids = _message_ids(headers.get("message-id", ""))
        if message_ids:
            return message_ids[0]
    return None


_BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")


def _bounce_reason(statuses: list[bytes], notes: list[str]) -> str:
    """The Diagnostic-Code (or Status) of the first failed recipient in the delivery status
    reports: groups of fields, the first about the message, then one per recipient."""
    groups = [
        _parse_entity(group.strip(b"\r\n"), notes)[0].headers
        for status in statuses
        for group in _BLANK_LINE.split(status)
    ]
    reported = [fields for fields in groups if "status" in fields or "diagnostic-code" in fields]
    failed = [fields for fields in reported if fields.get("action", "").strip().lower() == "failed"]
    candidates = failed or reported
    if not candidates:
        return ""
    return _one_line(candidates[0].get("diagnostic-code") or candidates[0].get("status") or "")


# --- Language -------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _language(text: str) -> str:
    """Chinese ("zh-hans") when Han characters are more than a fifth of the letters."""
    sample = text[:LANGUAGE_SAMPLE_LENGTH]
    letters = sum(1 for character in sample if character.isalpha())
    return "zh-hans" if letters and len(_HAN.findall(sample)) > 0.2 * letters else "en"
