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

import re

from .automatic import _bounce_reason, _bounced_message_id, _is_automatic, _is_bounce
from .limits import LANGUAGE_SAMPLE_LENGTH, MAX_SUBJECT_LENGTH
from .mime import (
    _address_list,
    _attachments,
    _date,
    _decode_words,
    _forwarded_block,
    _message_ids,
    _one_line,
    _parse_entity,
    _references,
    _sender,
    _walk,
)
from .results import MailAttachment, MailParseError, ParsedMail
from .trimming import _trim_history

__all__ = ["MailAttachment", "MailParseError", "ParsedMail", "parse_mail"]


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


# --- Language -------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _language(text: str) -> str:
    """Chinese ("zh-hans") when Han characters are more than a fifth of the letters."""
    sample = text[:LANGUAGE_SAMPLE_LENGTH]
    letters = sum(1 for character in sample if character.isalpha())
    return "zh-hans" if letters and len(_HAN.findall(sample)) > 0.2 * letters else "en"
