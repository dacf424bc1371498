"""What parsing gives the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
