"""Editors' Markdown becomes safe HTML: nothing an editor (or an attacker who got an
editor's account) writes can run script in a reader's browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from pharos.helpcenter.markdown import render_markdown

from ..conftest import signed_in
from .factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](vbscript:msgbox(1))",
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_script_and_event_handlers_never_survive(source: str) -> None:
    elements = _elements(render_markdown(source, "en"))
    tags = {tag for tag, _ in elements}
    assert not tags & {"script", "iframe", "svg", "object", "embed", "style"}
    for tag, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in {"href", "src"}:
                assert (
                    not (value or "")
                    .strip()
                    .lower()
                    .startswith(("javascript:", "vbscript:", "data:"))
                ), (tag, value)


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element of `html` with its attributes, as a browser's parser sees them."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_ordinary_markdown_renders() -> None:
    html = render_markdown(
        "# Title\n\n**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[site](https://www.tidewell.example)",
        "en",
    )
    assert "<h2>Title</h2>" in html  # the page title is the only h1
    assert "<strong>bold</strong>" in html
    assert "<table>" in html
    assert 'href="https://www.tidewell.example"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_article_links_point_to_the_article_in_the_readers_language() -> None:
    assert 'href="/en/articles/how-to-withdraw/"' in render_markdown(
        "[w](article:how-to-withdraw)", "en"
    )
    assert 'href="/zh-hans/articles/how-to-withdraw/"' in render_markdown(
        "[w](article:how-to-withdraw)", "zh-hans"
    )


def test_every_demo_article_link_points_to_an_existing_article(stranger: Client) -> None:
    from pharos.helpcenter.models import Article

    for article in Article.objects.all():
        for html in (article.body_html_en, article.body_html_zh_hans):
            assert 'href="#"' not in html, article.slug


def test_a_published_article_with_script_is_served_harmless(stranger: Client) -> None:
    make_article(
        "hostile",
        body_en=(
            'Read <script>document.cookie</script> [me](javascript:alert(1)) <b onclick="x()">b</b>'
        ),
    )
    elements = _elements(stranger.get("/en/articles/hostile/").content.decode())
    scripts = [attributes for tag, attributes in elements if tag == "script"]
    assert scripts == [  # only ours: the site's script and the chat widget's loader
        [("src", "/static/core/site.js"), ("defer", None)],
        [("src", "/widget.js"), ("data-lang", "en"), ("defer", None)],
    ]
    assert not any(name.startswith("on") for _, attributes in elements for name, _ in attributes)
    assert not any(
        (value or "").startswith("javascript:")
        for _, attributes in elements
        for _, value in attributes
    )


def test_the_admin_preview_sanitises_and_needs_edit_rights(support_admin, agent) -> None:
    url = "/admin/helpcenter/article/preview/"
    payload = {"markdown": "**hi** <script>alert(1)</script>", "language": "en"}
    response = signed_in(support_admin.user).post(url, payload)
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.json()["html"]
    assert "<script" not in response.json()["html"]
    assert signed_in(agent.user).post(url, payload).status_code == 302  # to the admin login
    assert Client().post(url, payload).status_code == 302
