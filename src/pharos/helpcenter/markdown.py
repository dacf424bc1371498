"""Markdown to safe HTML. Editors write Markdown; raw HTML is not interpreted and the
output passes through an allow-list sanitiser, so script, `javascript:` links and event
attributes never reach a reader."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import nh3
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from markdown_it import MarkdownIt
from markdown_it.token import Token

ARTICLE_LINK_PREFIX = "article:"

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|pre|blockquote|br|hr)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def _renderer() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    # Headings start at h2: the page title is the only h1.
    parser.core.ruler.push("demote_headings", _demote_headings)
    parser.add_render_rule("link_open", _render_link_open)
    return parser


def _demote_headings(state: Any) -> None:
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"


def _render_link_open(
    self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    token = tokens[index]
    href = str(token.attrGet("href") or "")
    if href.startswith(ARTICLE_LINK_PREFIX):
        slug = href.removeprefix(ARTICLE_LINK_PREFIX).strip("/")
        try:
            token.attrSet("href", reverse("helpcenter:article", kwargs={"slug": slug}))
        except NoReverseMatch:
            token.attrSet("href", "#")
    return str(self.renderToken(tokens, index, options, env))


_MARKDOWN = _renderer()


def render_markdown(source: str, language: str) -> str:
    """Sanitised HTML for `source`; `article:slug` links point at that article's page in
    `language`."""
    with translation.override(language):
        rendered = _MARKDOWN.render(source or "")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def html_to_text(rendered_html: str) -> str:
    """Readable plain text of sanitised HTML, for search snippets."""
    # Blocks are separated by a space; inline tags (links, emphasis) vanish without one,
    # so "see <a>fees</a>." reads "see fees." rather than "see fees ."
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", rendered_html))
    return _SPACES.sub(" ", html.unescape(text)).strip()
