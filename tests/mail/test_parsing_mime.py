"""Reading the MIME structure of incoming mail: the headers of a plain mail, bodies and
header words in every charset and transfer encoding (mislabelled ones included), mixed
and related multiparts, attachment names made safe, and a mail forwarded as an
attachment, which is part of the text. No database: the parser works on bytes alone."""

from __future__ import annotations

import base64
import quopri
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

import pytest

from pharos.mail.parsing import parse_mail
from pharos.mail.parsing.limits import FORWARDED_SEPARATOR

from .parsing_helpers import CUSTOMER_HEADERS, encoded_word, multipart, raw_mail

# --- The plain case -------------------------------------------------------------------


def test_customer_plain_text_mail_is_read_completely() -> None:
    mail = parse_mail(
        raw_mail(
            "My withdrawal of 0.5 BTC is stuck.\nPlease help.",
            extra=(
                "Cc: Bob <BOB@example.org>, carol@example.net\n"
                "Reply-To: Alice Private <alice.private@example.com>\n"
                "In-Reply-To: <PH-2026-000123.1@pharos.test>\n"
                "References: <root@pharos.test>\n <PH-2026-000123.1@pharos.test>\n"
                "Authentication-Results: mx.pharos.test;\n dkim=pass header.d=example.com;\n dmarc=pass\n"
                "Content-Type: text/plain; charset=utf-8\n"
            ),
        )
    )

    assert mail.message_id == "m1@example.com"
    assert mail.in_reply_to == ("PH-2026-000123.1@pharos.test",)
    assert mail.references == ("root@pharos.test", "PH-2026-000123.1@pharos.test")
    assert mail.subject == "Withdrawal stuck"
    assert mail.from_address == "alice.customer@example.com"
    assert mail.from_name == "Alice Customer"
    assert mail.sender_domain == "example.com"
    assert mail.reply_to == "alice.private@example.com"
    assert mail.to == ("support@pharos.test",)
    assert mail.cc == ("bob@example.org", "carol@example.net")
    assert mail.date == datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    assert mail.date.utcoffset() == timedelta(hours=8)
    assert mail.text == "My withdrawal of 0.5 BTC is stuck.\nPlease help."
    assert mail.new_text == mail.text
    assert mail.html is None
    assert mail.attachments == ()
    assert mail.authentication_results == (
        "mx.pharos.test; dkim=pass header.d=example.com; dmarc=pass",
    )
    assert not mail.auto_submitted
    assert not mail.is_bounce
    assert mail.bounced_message_id is None
    assert mail.bounce_reason == ""
    assert mail.problems == ()
    assert mail.language == "en"


def test_chinese_mail_is_recognised_as_chinese() -> None:
    mail = parse_mail(
        raw_mail(
            "你好，我的提现一直没有到账，请帮忙查一下。订单号 12345。",
            extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n",
        )
    )

    assert mail.language == "zh-hans"


def test_date_in_unknown_time_zone_is_read_as_utc() -> None:
    mail = parse_mail(raw_mail(headers=CUSTOMER_HEADERS.replace("+0800", "-0000")))

    assert mail.date == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert mail.date.tzinfo is not None


# --- Charsets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "encoding", "text"),
    [
        ("utf-8", "utf-8", "提现 0.5 BTC — ok ✓"),
        # 镕 is in GBK but not in GB2312: real "GB2312" mail is GBK.
        ("gb2312", "gbk", "朱镕基，你好"),
        ("GBK", "gbk", "你好，提现没有到账"),
        ("gb18030", "gb18030", "你好 € 😀"),
        # 嘅 is Hong Kong Big5 (HKSCS), not plain Big5.
        ("big5", "big5hkscs", "你嘅提款已經處理"),
        ("iso-8859-1", "iso-8859-1", "Café à Zürich"),
        # Labelled Latin-1 but written by Windows: 0x80 is the euro sign.
        ("iso-8859-1", "cp1252", "Fee: 5 € – “quoted”"),
        ("windows-1252", "cp1252", "Fee: 5 € – “quoted”"),
    ],
)
@pytest.mark.parametrize("transfer_encoding", ["8bit", "quoted-printable", "base64"])
def test_body_in_each_charset_and_transfer_encoding_is_decoded(
    declared: str, encoding: str, text: str, transfer_encoding: str
) -> None:
    data = text.encode(encoding)
    if transfer_encoding == "base64":
        data = base64.encodebytes(data)
    elif transfer_encoding == "quoted-printable":
        data = quopri.encodestring(data)
    mail = parse_mail(
        raw_mail(
            data,
            extra=f"Content-Type: text/plain; charset={declared}\nContent-Transfer-Encoding: {transfer_encoding}\n",
        )
    )

    assert mail.text == text
    assert mail.problems == ()


def test_unknown_charset_is_read_as_utf8_and_noted() -> None:
    mail = parse_mail(
        raw_mail("提现没有到账".encode(), extra="Content-Type: text/plain; charset=x-unknown\n")
    )

    assert mail.text == "提现没有到账"
    assert any("unknown charset" in problem and "x-unknown" in problem for problem in mail.problems)


def test_utf8_label_on_gbk_bytes_is_read_as_gb18030_and_noted() -> None:
    mail = parse_mail(
        raw_mail(
            "你好，提现没有到账".encode("gbk"), extra="Content-Type: text/plain; charset=utf-8\n"
        )
    )

    assert mail.text == "你好，提现没有到账"
    assert any("read as gb18030" in problem for problem in mail.problems)


def test_bytes_in_no_charset_are_read_as_latin1_without_raising() -> None:
    mail = parse_mail(
        raw_mail(b"caf\xe9 \xff\xfe\x80 end", extra="Content-Type: text/plain; charset=x-unknown\n")
    )

    assert mail.text == "caf\xe9 \xff\xfe\x80 end"
    assert any("latin-1" in problem for problem in mail.problems)


def test_label_that_is_no_text_codec_does_not_raise() -> None:
    mail = parse_mail(raw_mail(b"Hello", extra="Content-Type: text/plain; charset=base64\n"))

    assert mail.text == "Hello"


@pytest.mark.parametrize(
    ("raw_subject", "expected"),
    [
        (encoded_word("提现没有到账", "gb2312"), "提现没有到账"),
        (encoded_word("提現沒有到賬", "big5"), "提現沒有到賬"),
        (encoded_word("提現沒有到賬", "big5", "Q"), "提現沒有到賬"),
        (encoded_word("Größe prüfen", "utf-8", "Q"), "Größe prüfen"),
        (encoded_word("提现没有到账", "utf-8"), "提现没有到账"),
        # Adjacent words: the white space between them is not part of the text.
        (f"{encoded_word('你好', 'utf-8')}\n {encoded_word('世界', 'utf-8')}", "你好世界"),
        # Words in different charsets, and plain text around them.
        (
            f"Re: {encoded_word('你好', 'gbk')} {encoded_word('Zürich', 'iso-8859-1', 'Q')} again",
            "Re: 你好Zürich again",
        ),
        # One character split across two words: 世 is e4 b8 96 in UTF-8.
        (
            "=?UTF-8?B?" + base64.b64encode("你好".encode() + b"\xe4").decode() + "?= "
            "=?UTF-8?B?" + base64.b64encode(b"\xb8\x96" + "界".encode()).decode() + "?=",
            "你好世界",
        ),
        ("=?utf-8?q?Hello_World?=", "Hello World"),
        ("Plain ASCII subject", "Plain ASCII subject"),
    ],
)
def test_encoded_words_in_the_subject_are_decoded(raw_subject: str, expected: str) -> None:
    headers = CUSTOMER_HEADERS.replace("Subject: Withdrawal stuck", f"Subject: {raw_subject}")

    mail = parse_mail(raw_mail(headers=headers))

    assert mail.subject == expected
    assert mail.problems == ()


@pytest.mark.parametrize(
    ("name", "charset"), [("张三", "gb2312"), ("張三", "big5"), ("张三", "utf-8")]
)
def test_encoded_display_name_in_from_is_decoded(name: str, charset: str) -> None:
    headers = CUSTOMER_HEADERS.replace(
        "From: Alice Customer <Alice.Customer@Example.com>",
        f"From: {encoded_word(name, charset)} <zhang.san@example.cn>",
    )

    mail = parse_mail(raw_mail(headers=headers))

    assert mail.from_name == name
    assert mail.from_address == "zhang.san@example.cn"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_raw_8bit_headers_are_read_as_utf8_or_gbk(encoding: str) -> None:
    raw = raw_mail().replace(b"Subject: Withdrawal stuck", "Subject: 提现没有到账".encode(encoding))
    raw = raw.replace(b"From: Alice Customer", "From: 张三".encode(encoding))

    mail = parse_mail(raw)

    assert mail.subject == "提现没有到账"
    assert mail.from_name == "张三"
    assert mail.problems == ()


# --- Bodies and attachments -----------------------------------------------------------


def test_mixed_mail_keeps_body_and_attachments_apart() -> None:
    pdf = b"%PDF-1.4 statement"
    raw = multipart(
        "mixed",
        "Content-Type: text/plain; charset=utf-8\n\nStatement attached.",
        "Content-Type: Application/PDF; name=statement.pdf\nContent-Disposition: attachment; filename=statement.pdf\n"
        f"Content-Transfer-Encoding: base64\n\n{base64.b64encode(pdf).decode()}",
        'Content-Type: text/plain; charset=utf-8\nContent-Disposition: attachment; filename="notes.txt"\n\nnot the body',
        "Content-Type: text/csv\nContent-Disposition: attachment; filename=trades.csv\n\na,b\n1,2",
    )

    mail = parse_mail(raw)

    assert mail.text == "Statement attached."
    assert [(a.filename, a.content_type, a.inline) for a in mail.attachments] == [
        ("statement.pdf", "application/pdf", False),
        ("notes.txt", "text/plain", False),
        ("trades.csv", "text/csv", False),
    ]
    assert mail.attachments[0].data == pdf
    assert mail.attachments[1].data == b"not the body"


def test_related_mail_marks_images_its_html_shows_as_inline() -> None:
    png = b"\x89PNG\r\n\x1a\n fake image"
    raw = multipart(
        "rel",
        'Content-Type: text/html; charset=utf-8\n\n<p>Screenshot:</p><img src="cid:shot%40example.com">',
        "Content-Type: image/png\nContent-ID: <shot@example.com>\nContent-Transfer-Encoding: base64\n\n"
        + base64.b64encode(png).decode(),
        "Content-Type: application/pdf\nContent-ID: <doc@example.com>\nContent-Disposition: inline\n\n%PDF",
        "Content-Type: image/gif\nContent-ID: <unused@example.com>\nContent-Disposition: attachment\n\nGIF89a",
        content_type='multipart/related; type="text/html"',
    )

    mail = parse_mail(raw)

    shot, document, unused = mail.attachments
    assert (shot.filename, shot.inline, shot.content_id, shot.data) == (
        "image-1.png",
        True,
        "shot@example.com",
        png,
    )
    assert (document.inline, document.content_id) == (True, "doc@example.com")
    assert (unused.filename, unused.inline) == ("image-3.gif", False)
    assert mail.text == "Screenshot:"
    assert "cid:" not in (mail.html or "")


# --- Attachment names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("attachment; filename*=UTF-8''%E5%B1%8F%E5%B9%95.png", "屏幕.png"),
        (
            "attachment; filename*0*=UTF-8''%E5%B1%8F%E5%B9; filename*1*=%95%E6%88%AA%E5%9B%BE.png",
            "屏幕截图.png",
        ),
        ("attachment; filename*=gbk''%C6%C1%C4%BB.png", "屏幕.png"),
        ('attachment; filename="=?gb2312?B?xsHEu73YzbwucG5n?="', "屏幕截图.png"),
        (f'attachment; filename="{encoded_word("提现记录.xlsx", "utf-8")}"', "提现记录.xlsx"),
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="C:\\\\Users\\\\alice\\\\evil.exe"', "evil.exe"),
        ('attachment; filename="invoice\u202efdp.exe"', "invoicefdp.exe"),
        ('attachment; filename="tab\tand\x01control.pdf"', "tab and control.pdf"),
        ('attachment; filename="..."', "attachment-1.pdf"),
        ("attachment", "attachment-1.pdf"),
    ],
)
def test_attachment_names_are_decoded_and_made_safe(disposition: str, expected: str) -> None:
    raw = multipart(
        "b",
        "Content-Type: text/plain\n\nSee attached.",
        f"Content-Type: application/pdf\nContent-Disposition: {disposition}\n\n%PDF",
    )

    (attachment,) = parse_mail(raw.replace(b"\\\\", b"\\")).attachments

    assert attachment.filename == expected


def test_name_in_content_type_is_used_when_the_disposition_has_none() -> None:
    raw = multipart("b", 'Content-Type: image/jpeg; name="=?utf-8?B?5oiq5Zu+LmpwZw==?="\n\nJPEG')

    (attachment,) = parse_mail(raw).attachments

    assert attachment.filename == "截图.jpg"


def test_long_attachment_name_is_cut_keeping_its_extension() -> None:
    raw = multipart(
        "b",
        f'Content-Type: application/pdf\nContent-Disposition: attachment; filename="{"长" * 300}.pdf"\n\n%PDF',
    )

    (attachment,) = parse_mail(raw).attachments

    assert len(attachment.filename) == 120
    assert attachment.filename.endswith("长.pdf")


def test_unnamed_attachments_get_names_from_their_type() -> None:
    raw = multipart(
        "b",
        "Content-Type: text/plain\n\nTwo files.",
        "Content-Type: image/png\nContent-Disposition: attachment\n\nPNG",
        "Content-Type: application/pdf\n\n%PDF",
        "Content-Type: application/x-never-heard-of\n\n???",
    )

    names = [attachment.filename for attachment in parse_mail(raw).attachments]

    assert names == ["image-1.png", "attachment-2.pdf", "attachment-3.bin"]


# --- Forwarded mail -------------------------------------------------------------------


def forwarded_phishing_mail() -> bytes:
    phishing = EmailMessage()
    phishing["From"] = "Pharos Security <security@pharos-verify.example>"
    phishing["To"] = "alice.customer@example.com"
    phishing["Subject"] = "Your account is locked"
    phishing["Date"] = "Sun, 04 Jan 2026 08:00:00 +0000"
    phishing["Message-ID"] = "<phish@pharos-verify.example>"
    phishing.set_content(
        "Unlock it here: https://pharos-verify.example\n> this line is content, not a quote\n"
    )
    phishing.add_attachment(
        b"%PDF-1.4 unlock form", maintype="application", subtype="pdf", filename="unlock.pdf"
    )

    report = EmailMessage()
    for name, value in [
        ("From", "Alice Customer <alice.customer@example.com>"),
        ("To", "support@pharos.test"),
        ("Subject", "Is this from you?"),
        ("Message-ID", "<m2@example.com>"),
        ("Date", "Mon, 05 Jan 2026 10:00:00 +0800"),
    ]:
        report[name] = value
    report.set_content("Is this mail really from you?\n\n-- \nAlice")
    report.add_attachment(phishing)
    return report.as_bytes(policy=policy.SMTP)


def test_forwarded_mail_is_part_of_the_text_and_never_trimmed() -> None:
    mail = parse_mail(forwarded_phishing_mail())

    forwarded = (
        f"{FORWARDED_SEPARATOR}\n"
        "From: Pharos Security <security@pharos-verify.example>\n"
        "Date: Sun, 04 Jan 2026 08:00:00 +0000\n"
        "Subject: Your account is locked\n"
        "To: alice.customer@example.com\n"
        "\n"
        "Unlock it here: https://pharos-verify.example\n"
        "> this line is content, not a quote"
    )
    assert mail.text == "Is this mail really from you?\n\n-- \nAlice\n\n" + forwarded
    assert mail.new_text == "Is this mail really from you?\n\n" + forwarded
    assert [attachment.filename for attachment in mail.attachments] == ["unlock.pdf"]
    assert mail.attachments[0].data == b"%PDF-1.4 unlock form"
    assert mail.message_id == "m2@example.com"
    assert mail.problems == ()
