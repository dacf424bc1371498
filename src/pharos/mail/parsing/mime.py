"""The MIME structure of a mail: headers and bodies split by hand, charsets, header
fields, the walk through the parts (an explicit stack, never recursion) and the
attachments found on the way."""

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

from .limits import (
    FORWARDED_SEPARATOR,
    MAX_FILENAME_LENGTH,
    MAX_HEADER_FIELDS,
    MAX_HEADER_LENGTH,
    MAX_NESTING_DEPTH,
    MAX_PARTS,
    MAX_REFERENCES,
)
from .results import MailAttachment
from .text import _flatten_deep_html, _html_to_text, _sanitize_html

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
