"""Building incoming mail for the parsing tests: the customer's usual headers, a raw mail
sent with CRLF, a multipart mail from parts written as text, and RFC 2047 encoded words
in any charset."""

from __future__ import annotations

import base64

CUSTOMER_HEADERS = (
    "From: Alice Customer <Alice.Customer@Example.com>\n"
    "To: Support <support@pharos.test>\n"
    "Subject: Withdrawal stuck\n"
    "Message-ID: <m1@example.com>\n"
    "Date: Mon, 05 Jan 2026 10:00:00 +0800\n"
)


def raw_mail(
    body: bytes | str = "Hello", *, extra: str = "", headers: str = CUSTOMER_HEADERS
) -> bytes:
    """A mail from the customer: header lines written with "\\n", sent with CRLF."""
    head = (headers + extra).replace("\n", "\r\n").encode()
    if isinstance(body, str):
        body = body.replace("\n", "\r\n").encode()
    return head + b"\r\n" + body


def multipart(boundary: str, *parts: str, content_type: str = "multipart/mixed") -> bytes:
    """A customer's multipart mail; each part is its headers, a blank line and its body."""
    body = "".join(f"--{boundary}\n{part}\n" for part in parts) + f"--{boundary}--\n"
    return raw_mail(
        body, extra=f'MIME-Version: 1.0\nContent-Type: {content_type}; boundary="{boundary}"\n'
    )


def encoded_word(text: str, charset: str, encoding: str = "B") -> str:
    data = text.encode(charset)
    if encoding == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    quoted = "".join(
        chr(byte) if chr(byte).isascii() and chr(byte).isalnum() else f"={byte:02X}"
        for byte in data
    )
    return f"=?{charset}?Q?{quoted}?="
