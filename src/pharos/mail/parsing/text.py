"""Readable text from a mail's bodies: HTML sanitised (deep nesting flattened first)
and turned into plain text, and forwarded messages set out as blocks."""

from __future__ import annotations

import re

import nh3

from .limits import MAX_HTML_DEPTH

# --- Text -----------------------------------------------------------------------------


def _sanitize_html(source: str) -> str:
    """HTML safe to show: nh3's allow-list drops scripts, styles, event handlers, forms and
    frames; links may only be web or mail addresses and do not tell the target where they
    came from. (cid: image sources go too; the images are in the attachments.)"""
    return nh3.clean(
        source,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style", "title"},
        strip_comments=True,
    )


# Below this many tags, even the worst nesting costs html5ever little.
_DEPTH_CHECK_TAG_COUNT = 2000
# Any start or end tag, roughly: good enough to estimate how deep the HTML is nested.
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*>")
# Elements that never hold others, or that the next one like them closes: they add no depth.
_FLAT_ELEMENTS = frozenset(
    {
        "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
        "meta", "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
    }
)  # fmt: skip


def _flatten_deep_html(source: str, notes: list[str]) -> str:
    """`source` without the tags that nest deeper than MAX_HTML_DEPTH (their text stays)."""
    if source.count("<") <= _DEPTH_CHECK_TAG_COUNT:
        return source
    depth = 0
    kept: list[str] = []
    position = 0
    for match in _ANY_TAG.finditer(source):
        if match[2].lower() in _FLAT_ELEMENTS or match[0].endswith("/>"):
            continue
        too_deep = depth >= MAX_HTML_DEPTH if not match[1] else depth > MAX_HTML_DEPTH
        depth = depth + 1 if not match[1] else max(0, depth - 1)
        if too_deep:
            kept.append(source[position : match.start()])
            position = match.end()
    if not kept:
        return source
    notes.append(f"HTML nested more than {MAX_HTML_DEPTH} levels deep was flattened")
    kept.append(source[position:])
    return "".join(kept)


# Tags that break lines in the text form of HTML; other tags are read for their text only.
_TEXT_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "pre", "section", "summary", "table", "tr", "ul",
    }
)  # fmt: skip
_STRUCTURE_TAG_NAMES = "|".join(sorted(_TEXT_BLOCK_TAGS | {"br", "p", "td", "th"}))
# nh3 output escapes "<" and ">" everywhere but in tags, so these cannot misread text.
_STRUCTURE_TAG = re.compile(rf"<(/?)({_STRUCTURE_TAG_NAMES})\b[^<>]*>")
_OTHER_TAG = re.compile(rf"<(?!/?(?:{_STRUCTURE_TAG_NAMES})\b)[^<>]*>")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _unescape(text: str) -> str:
    """Undo nh3's escaping: it writes only these entities, and a no-break space is read as
    a space. (html.unescape() would do, one Python call per entity.)"""
    if "&" not in text:
        return text
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&nbsp;", " ")):
        text = text.replace(entity, character)
    return text.replace("&amp;", "&")


def _html_to_text(sanitized: str) -> str:
    """Readable plain text of sanitized HTML (scripts and styles are gone already):
    paragraphs and line breaks kept, list items marked, quoted blocks prefixed with "> "
    so that history can be trimmed as in plain mail."""
    # Inline tags (links, emphasis, images) go in one pass in C: they only hold text.
    # Then split() gives text, "/" or "", tag name, text, "/" or "", tag name, ..., text.
    tokens = _STRUCTURE_TAG.split(_OTHER_TAG.sub("", sanitized))
    writer = _TextWriter()
    writer.text(tokens[0])
    for index in range(1, len(tokens), 3):
        writer.tag(tokens[index + 1].lower(), closing=bool(tokens[index]))
        writer.text(tokens[index + 2])
    return writer.result()


class _TextWriter:
    """Plain text built from sanitized HTML, one tag or run of text at a time."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.newlines = 2  # line breaks at the end of the output; the start counts as a paragraph
        self.quote_depth = 0
        self.preformatted = 0
        self.lists: list[int | None] = []  # a counter per open <ol>, None per <ul>
        self.item_marker = ""

    def text(self, run: str) -> None:
        if not run:
            return
        if self.preformatted:
            run = _unescape(run)
            self.pieces.append(run)
            trailing = len(run) - len(run.rstrip("\n"))
            self.newlines = self.newlines + trailing if trailing == len(run) else trailing
            return
        run = _unescape(_HTML_SPACE.sub(" ", run))
        if self.newlines:
            run = run.lstrip(" ")
            if not run:
                return
            run = "> " * self.quote_depth + self.item_marker + run
            self.item_marker = ""
        self.pieces.append(run)
        self.newlines = 0

    def tag(self, name: str, closing: bool) -> None:
        if name == "br":
            self.end_text()
            self.pieces.append("\n")
            self.newlines += 1
        elif name == "p":
            self.end_line(blank=True)
        elif name in ("td", "th"):
            if closing and not self.newlines:
                self.pieces.append(" ")
        elif name == "blockquote":
            self.end_line(blank=True)
            self.quote_depth = max(0, self.quote_depth + (-1 if closing else 1))
        elif name == "pre":
            self.end_line()
            self.preformatted = max(0, self.preformatted + (-1 if closing else 1))
        elif name in ("ul", "ol"):
            self.end_line()
            if not closing:
                self.lists.append(0 if name == "ol" else None)
            elif self.lists:
                self.lists.pop()
        elif name == "li":
            self.end_line()
            if not closing:
                self.item_marker = self.next_item_marker()
        elif name in _TEXT_BLOCK_TAGS:
            self.end_line()

    def next_item_marker(self) -> str:
        indent = "  " * max(0, len(self.lists) - 1)
        counter = self.lists[-1] if self.lists else None
        if counter is None:
            return indent + "- "
        self.lists[-1] = counter + 1
        return f"{indent}{counter + 1}. "

    def end_line(self, blank: bool = False) -> None:
        wanted = 2 if blank else 1
        if self.newlines < wanted:
            self.end_text()
            self.pieces.append("\n" * (wanted - self.newlines))
            self.newlines = wanted

    def end_text(self) -> None:
        """Drop the space a line may end with ("Hello <br>")."""
        if not self.newlines and not self.preformatted and self.pieces:
            self.pieces[-1] = self.pieces[-1].rstrip(" ")

    def result(self) -> str:
        self.end_line()
        return _collapse_blank_lines("".join(self.pieces))


# A line break, then blank lines (white space only). One quantifier: linear on any input.
_BLANK_LINES = re.compile(r"\n\s*\n")


def _collapse_blank_lines(text: str) -> str:
    """At most one blank line in a row, and none at the start or end."""
    return _BLANK_LINES.sub("\n\n", text).strip("\n")
