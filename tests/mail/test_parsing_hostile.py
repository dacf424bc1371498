"""Mail built to break the reader: bytes that are no mail refused, missing and unreadable
headers noted, header injection kept in its header, broken base64 and multiparts read
as far as they go, nesting, size and reference counts held to their limits in bounded
time, and random or damaged bytes never raising anything but MailParseError. No
database: the parser works on bytes alone."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharos.mail.parsing import MailParseError, parse_mail
from pharos.mail.parsing.limits import MAX_NESTING_DEPTH

from .parsing_helpers import CUSTOMER_HEADERS, encoded_word, multipart, raw_mail

# --- Mail built to break the reader ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \r\n\r\n",
        b"\x00\x01\x02\xff\xfe binary",
        b"just some words, no headers\r\n",
        b"\r\nbody only",
    ],
)
def test_bytes_that_are_no_mail_are_refused(raw: bytes) -> None:
    with pytest.raises(MailParseError):
        parse_mail(raw)


def test_missing_from_message_id_and_date_are_noted() -> None:
    mail = parse_mail(b"Subject: anonymous\r\n\r\nHello")

    assert (mail.from_address, mail.from_name, mail.sender_domain) == (None, "", None)
    assert mail.message_id is None
    assert mail.date is None
    assert mail.text == "Hello"
    assert set(mail.problems) == {"no From header", "no Message-ID header", "no Date header"}


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("From: undisclosed-recipients:;", "the From address could not be read"),
        ("From: Alice <not an address>", "the From address could not be read"),
        (
            "From: a@example.com, b@example.com",
            "the From header names several addresses; the first was used",
        ),
        ("Date: next Tuesday", "the Date header could not be read"),
        ("Message-ID: <>", "empty Message-ID"),
    ],
)
def test_unreadable_headers_are_noted(header: str, problem: str) -> None:
    name = header.split(":")[0]
    headers = (
        "\n".join(line for line in CUSTOMER_HEADERS.splitlines() if not line.startswith(name))
        + f"\n{header}\n"
    )

    mail = parse_mail(raw_mail(headers=headers))

    assert mail.problems == (problem,)


def test_encoded_header_injection_stays_in_the_subject() -> None:
    injected = encoded_word("Hello\r\nBcc: victim@example.org\r\n\r\nbody", "utf-8")
    headers = CUSTOMER_HEADERS.replace("Subject: Withdrawal stuck", f"Subject: {injected}")

    mail = parse_mail(raw_mail(headers=headers))

    assert mail.subject == "Hello Bcc: victim@example.org body"
    assert "victim@example.org" not in mail.to + mail.cc


def test_bare_cr_in_a_subject_cannot_start_a_new_header() -> None:
    raw = raw_mail().replace(
        b"Subject: Withdrawal stuck", b"Subject: Hello\rCc: victim@example.org"
    )

    mail = parse_mail(raw)

    assert mail.subject == "Hello Cc: victim@example.org"
    assert mail.cc == ()


def test_bare_lf_ends_a_header_line() -> None:
    raw = raw_mail().replace(b"Subject: Withdrawal stuck", b"Subject: Hello\nX-Injected: yes")

    assert parse_mail(raw).subject == "Hello"


def test_subject_is_one_line_of_at_most_250_characters() -> None:
    headers = CUSTOMER_HEADERS.replace(
        "Subject: Withdrawal stuck", "Subject: " + "\t word\x00\x7f" * 200
    )

    subject = parse_mail(raw_mail(headers=headers)).subject

    assert len(subject) == 250
    assert subject.startswith("word word word")
    assert "  " not in subject


def test_invalid_base64_yields_what_can_be_read() -> None:
    mail = parse_mail(
        raw_mail("SGVsbG8g*&^%d29y\nbGQ", extra="Content-Transfer-Encoding: base64\n")
    )

    assert mail.text == "Hello world"
    assert "invalid base64 (decoded what could be read)" in mail.problems


def test_truncated_multipart_keeps_what_arrived() -> None:
    raw = raw_mail(
        "--b1\nContent-Type: text/plain\n\nFirst part\n"
        '--b1\nContent-Type: application/pdf; name="report.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n',
        extra='MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n',
    )

    mail = parse_mail(raw)

    assert mail.text == "First part"
    assert [(a.filename, a.data) for a in mail.attachments] == [("report.pdf", b"%PDF-1.4\n")]
    assert "a multipart part never ends (the mail may be truncated)" in mail.problems


def test_multipart_whose_boundary_never_appears_is_read_as_text() -> None:
    raw = raw_mail(
        "Hello, this is just text.", extra='Content-Type: multipart/mixed; boundary="nowhere"\n'
    )

    mail = parse_mail(raw)

    assert mail.text == "Hello, this is just text."
    assert any("boundary never appears" in problem for problem in mail.problems)


def test_boundary_that_only_prefixes_another_is_not_a_delimiter() -> None:
    raw = multipart(
        "outer",
        'Content-Type: multipart/alternative; boundary="outer-inner"\n\n'
        "--outer-inner\nContent-Type: text/plain\n\nInner text\n--outer-inner--",
    )

    mail = parse_mail(raw)

    assert mail.text == "Inner text"
    assert mail.problems == ()


def test_thousand_levels_of_nesting_are_read_only_to_the_limit() -> None:
    nested = bytearray(CUSTOMER_HEADERS.replace("\n", "\r\n").encode())
    for level in range(1000):
        nested += b'Content-Type: multipart/mixed; boundary="level%d"\r\n\r\n--level%d\r\n' % (
            level,
            level,
        )
    nested += b"Content-Type: text/plain\r\n\r\ntoo deep to read\r\n"
    for level in reversed(range(1000)):
        nested += b"--level%d--\r\n" % level

    started = time.perf_counter()
    mail = parse_mail(bytes(nested))

    assert time.perf_counter() - started < 1
    assert mail.subject == "Withdrawal stuck"
    assert mail.text == ""
    assert f"parts nested more than {MAX_NESTING_DEPTH} levels deep were not read" in mail.problems


def test_text_nested_within_the_limit_is_read() -> None:
    depth = MAX_NESTING_DEPTH - 1
    body = "".join(
        f'--l{level}\nContent-Type: multipart/mixed; boundary="l{level + 1}"\n\n'
        for level in range(depth - 1)
    )
    body += f"--l{depth - 1}\nContent-Type: text/plain\n\ndeep but readable\n"
    body += "".join(f"--l{level}--\n" for level in reversed(range(depth)))

    mail = parse_mail(raw_mail(body, extra='Content-Type: multipart/mixed; boundary="l0"\n'))

    assert mail.text == "deep but readable"
    assert mail.problems == ()


def test_ten_megabyte_text_part_is_read_in_linear_time() -> None:
    line = "The quick brown fox jumps over the lazy dog, again and again and again.\n"
    body = line * (10 * 1024 * 1024 // len(line))

    started = time.perf_counter()
    mail = parse_mail(raw_mail(body, extra="Content-Type: text/plain; charset=utf-8\n"))

    assert time.perf_counter() - started < 2
    assert len(mail.text) == len(body) - 1


def test_binary_garbage_after_the_headers_is_noted_not_fatal() -> None:
    garbage = bytes(range(256)) * 40

    mail = parse_mail(raw_mail(garbage))

    assert mail.subject == "Withdrawal stuck"
    assert "\x00" not in mail.text
    assert any("latin-1" in problem for problem in mail.problems)


def test_thousands_of_references_keep_the_root_and_the_newest() -> None:
    references = " ".join(f"<r{number}@example.com>" for number in range(2000))

    mail = parse_mail(raw_mail(extra=f"References: {references}\n"))

    assert len(mail.references) == 100
    assert mail.references[0] == "r0@example.com"
    assert mail.references[1] == "r1901@example.com"
    assert mail.references[-1] == "r1999@example.com"


def small_sample_mail() -> bytes:
    return multipart(
        "sample",
        "Content-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode("你好，提现没有到账".encode("gbk")).decode(),
        'Content-Type: image/png; name="a.png"\nContent-ID: <a@b>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=',
        "Content-Type: message/rfc822\n\nFrom: x@example.com\nSubject: inner\n\ninner text",
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_but_mail_parse_error(raw: bytes) -> None:
    try:
        mail = parse_mail(raw)
    except MailParseError:
        return
    assert isinstance(mail.text, str)


@settings(max_examples=300, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(small_sample_mail())),
    junk=st.binary(max_size=40),
    cut=st.integers(min_value=0, max_value=len(small_sample_mail())),
)
def test_damaged_mail_never_raises_anything_but_mail_parse_error(
    position: int, junk: bytes, cut: int
) -> None:
    sample = small_sample_mail()
    damaged = (sample[:position] + junk + sample[position:])[: max(cut, 1)]
    try:
        mail = parse_mail(damaged)
    except MailParseError:
        return
    assert "\x00" not in mail.text
    assert "\n" not in mail.subject
