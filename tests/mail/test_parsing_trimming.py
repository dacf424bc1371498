"""What `new_text` keeps of a reply: quoted history and signatures dropped, in the markers
of English and Chinese mail programs (plain text and Gmail's HTML), while answers
written between quoted lines, lines that only look like markers, and mail forwarded in
the body stay. No database: the parser works on bytes alone."""

from __future__ import annotations

import pytest

from pharos.mail.parsing import ParsedMail, parse_mail

from .parsing_helpers import CUSTOMER_HEADERS, raw_mail


def customer_reply(body: str, subject: str = "Re: Withdrawal stuck") -> ParsedMail:
    headers = CUSTOMER_HEADERS.replace("Subject: Withdrawal stuck", f"Subject: {subject}")
    return parse_mail(
        raw_mail(body.encode(), extra="Content-Type: text/plain; charset=utf-8\n", headers=headers)
    )


# --- Forwards written in the body -----------------------------------------------------


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
