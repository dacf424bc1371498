"""The normalised view of a message, which the finders search: NFKC, with invisible format
characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen, variation
selectors) dropped, so that full-width letters and hidden characters cannot smuggle a
secret past them; and the way back from a match in the view to the original text, which
is left intact outside the secret. Also what the search around it needs: `MASK`, which
hides existing markers, `ASCII_LOWER`, a lowering that keeps every position, and `Span`,
one finding."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache


@dataclass(frozen=True, slots=True)
class View:
    """The text secrets are looked for in, and where its characters came from: segments
    starting at `breaks` (positions in the view) are either copied from `origins` on
    (`copied`) or the expansion of the one original character at `origins`."""

    text: str
    breaks: list[int]
    origins: list[int]
    copied: list[bool]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.breaks:
            return start, end
        return self._original(start)[0], self._original(end - 1)[1]

    def _original(self, position: int) -> tuple[int, int]:
        segment = bisect.bisect_right(self.breaks, position) - 1
        origin = self.origins[segment]
        if self.copied[segment]:
            origin += position - self.breaks[segment]
        return origin, origin + 1


_VARIATION_SELECTORS = frozenset(
    [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x034F, 0x180B, 0x180C, 0x180D]
)


@lru_cache(maxsize=8192)
def _replacement(character: str) -> str:
    """What one character becomes in the view: nothing if invisible, else its NFKC form."""
    if unicodedata.category(character) == "Cf" or ord(character) in _VARIATION_SELECTORS:
        return ""
    return unicodedata.normalize("NFKC", character)


@cache
def _changing_characters() -> re.Pattern[str]:
    """Runs of characters that the view changes. Built once, from the Basic Multilingual
    Plane (a few tens of milliseconds); every character beyond it is handled one by one,
    which costs nothing for the emoji of a chat message."""
    ranges: list[tuple[int, int]] = []
    for code_point in range(0x80, 0x10000):
        character = chr(code_point)
        if _replacement(character) != character:
            if ranges and ranges[-1][1] == code_point - 1:
                ranges[-1] = (ranges[-1][0], code_point)
            else:
                ranges.append((code_point, code_point))
    _replacement.cache_clear()
    members = "".join(
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )
    return re.compile(f"[{members}\\U00010000-\\U0010ffff]+")


@lru_cache(maxsize=8192)
def _same_length_replacement(run: str) -> str | None:
    """What a run of changing characters becomes, if character for character (full-width
    punctuation, compatibility ideographs); None if it hides or expands characters."""
    replacements = [_replacement(character) for character in run]
    if any(len(replacement) != 1 for replacement in replacements):
        return None
    return "".join(replacements)


def normalised_view(text: str) -> View:
    if text.isascii():
        return View(text, [], [], [])
    changing = _changing_characters()
    if changing.search(text) is None:
        return View(text, [], [], [])
    parts: list[str] = []
    breaks: list[int] = [0]
    origins: list[int] = [0]
    copied: list[bool] = [True]
    length = 0  # of the view so far
    position = 0  # in the original
    for run in changing.finditer(text):
        parts.append(text[position : run.start()])
        length += run.start() - position
        position = run.end()
        same_length = _same_length_replacement(run.group())
        if same_length is not None:
            parts.append(same_length)  # the copied segment goes on, one for one
            length += len(same_length)
            continue
        for index in range(run.start(), run.end()):
            replacement = _replacement(text[index])
            if replacement:
                parts.append(replacement)
                breaks.append(length)
                origins.append(index)
                copied.append(False)
                length += len(replacement)
        breaks.append(length)
        origins.append(run.end())
        copied.append(True)
    parts.append(text[position:])
    if len(breaks) == 1:
        breaks, origins, copied = [], [], []
    return View("".join(parts), breaks, origins, copied)


# A character that no pattern of the finders can match or step over: existing markers
# are overwritten with it, so a second pass finds nothing in them.
MASK = "\u02b0"
# Labels are matched in a lowered copy, which spares the patterns IGNORECASE (a fivefold
# slowdown). It must keep every position: when str.lower does not ("İ" becomes two
# characters), only ASCII letters are lowered, which is slower.
ASCII_LOWER = {upper: upper + 32 for upper in range(ord("A"), ord("Z") + 1)}

# A secret found: (start, end, kind), in the view as the finders return it, in the
# original text once mapped back by `View.original_span`.
Span = tuple[int, int, str]
