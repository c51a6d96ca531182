"""Text measurement, wrapping and fitting, without a font library.

Widths come from the advance widths of DejaVu Sans (``_metrics``), the first and
widest font the pictures ask for, so a line measured here fits whichever fallback
font a viewer uses. Kerning is ignored; a 3 % margin covers it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from procmap.layout._metrics import BOLD, CHARS, REGULAR

_REGULAR = dict(zip(CHARS, REGULAR))
_BOLD = dict(zip(CHARS, BOLD))
_MARGIN = 1.03
LINE_HEIGHT = 1.18
ELLIPSIS = "…"


def _char_width(ch: str, table: dict[str, int]) -> int:
    width = table.get(ch)
    if width is not None:
        return width
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1000
    return 640


@lru_cache(maxsize=65536)
def _units(text: str, bold: bool) -> int:
    """Advance widths of a text in 1/1000 em, summed: whole numbers, so the widths of words add up exactly."""
    table = _BOLD if bold else _REGULAR
    return sum(_char_width(ch, table) for ch in text)


@lru_cache(maxsize=65536)
def _em(text: str, bold: bool) -> float:
    return _units(text, bold) / 1000.0 * _MARGIN


def width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of one line of text at a font size (same units as the size)."""
    return _em(text, bold) * size


_SPACE = re.compile(r"\s+")
# A word may break after a hyphen, a slash or an en dash: "e-skjema", "Søker/verge".
_PIECES = re.compile(r"[^\s\-/–]+[\-/–]*|[\-/–]+")


def clean(text: str) -> str:
    """One line of text: control characters gone, runs of blanks as one space."""
    if not text:
        return ""
    if not text.isprintable():  # most names are: then there is nothing to replace one by one
        text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text)
    return _SPACE.sub(" ", text).strip()


def _advances(text: str, bold: bool) -> list[float]:
    """Each character's width in em (widths add up: kerning is ignored), for cutting long text in one pass."""
    table = _BOLD if bold else _REGULAR
    return [_char_width(ch, table) / 1000.0 * _MARGIN for ch in text]


def _break_word(word: str, max_width: float, size: float, bold: bool,
                max_parts: Optional[int] = None) -> list[str]:
    """Split a word that is wider than the line, with a hyphen at each break (linear in the word's length;
    with ``max_parts``, the rest after that many parts is left unbroken in the last one)."""
    parts, start, used = [], 0, 0.0
    hyphen = width("-", size, bold)
    table = _BOLD if bold else _REGULAR
    for i, ch in enumerate(word):
        if max_parts is not None and len(parts) >= max_parts:
            break
        step = _char_width(ch, table) / 1000.0 * _MARGIN * size
        if i > start and used + step + hyphen > max_width:
            parts.append(word[start:i] + "-")
            start, used = i, 0.0
        used += step
    parts.append(word[start:])
    return parts


def wrap(text: str, max_width: float, size: float, bold: bool = False,
         break_words: bool = True, stop_after: Optional[int] = None) -> Optional[list[str]]:
    """Greedy line breaking. Returns None when a word does not fit and break_words is False.

    With ``stop_after``, lines past that many are not made (a box that holds a few lines
    never pays for the whole of a very long text).
    """
    return _wrap(clean(text), max_width, size, bold, break_words, stop_after)


_WORDS = re.compile(r"[^ ]+")


def _wrap(text: str, max_width: float, size: float, bold: bool, break_words: bool,
          stop_after: Optional[int]) -> Optional[list[str]]:
    """``wrap`` of a text already cleaned; words are taken one by one, so stopping early costs nothing."""
    if not text:
        return []
    lines: list[str] = []
    current, used = "", 0  # the line being filled and its width in 1/1000 em
    space = _units(" ", bold)
    for found in _WORDS.finditer(text):
        word = found.group()
        if stop_after is not None and len(lines) > stop_after:
            return lines
        pieces = _PIECES.findall(word) or [word]
        for k, piece in enumerate(pieces):
            units = _units(piece, bold)
            glue = k == 0 and current
            wide = used + (space if glue else 0) + units
            # the same sum and product as width(): a line breaks where it always did
            if wide / 1000.0 * _MARGIN * size <= max_width:
                current, used = (current + " " + piece if glue else current + piece), wide
                continue
            if current:
                lines.append(current)
            if units / 1000.0 * _MARGIN * size <= max_width:
                current, used = piece, units
                continue
            if not break_words:
                return None
            chunks = _break_word(piece, max_width, size, bold,
                                 None if stop_after is None else stop_after + 2 - len(lines))
            lines.extend(chunks[:-1])
            current = chunks[-1]
            used = _units(current, bold)
    if current:
        lines.append(current)
    return lines


def label_lines(text: str, size: float, width: float = 90.0) -> list[str]:
    """An external label without bounds of its own in lines of about `width` (as bpmn.io wraps them);
    a word longer than that gets a line of its own, whole."""
    lines = wrap(text, width, size, break_words=False)
    if lines is None:
        widest = max(_em(word, False) * size for word in clean(text).split())
        lines = wrap(text, widest + 1, size, break_words=False)
    return lines or [clean(text)]


def external_lines(text: str, size: float, width: float = 90.0, max_lines: int = 8) -> list[str]:
    """An external label without bounds of its own (under an event or a gateway, beside a flow), wrapped
    as bpmn.io wraps it and never cut while it has at most `max_lines` lines: the words that tell two
    end events apart are often the last ones. Only a name longer than that ends in an ellipsis."""
    lines = wrap(text, width, size, break_words=False, stop_after=max_lines + 1)
    if lines is None:  # a word wider than the label: broken, as a last resort
        lines = wrap(text, width, size, stop_after=max_lines + 1) or [clean(text)]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = ellipsize(lines[-1] + " …", width, size)
    return lines


def ellipsize(line: str, max_width: float, size: float, bold: bool = False) -> str:
    """Cut a line so that it and a trailing ellipsis fit: the longest such start of the line.

    Measured once: the widths of all starts come from one running sum, so a name of
    megabytes is cut in linear time (it used to be re-measured after every character).
    """
    if width(line, size, bold) <= max_width:
        return line
    room = max_width - width(ELLIPSIS, size, bold)
    ends: list[float] = [0.0]  # ends[k]: width of line[:k]
    for advance in _advances(line, bold):
        ends.append(ends[-1] + advance * size)
    kept = [0] * (len(line) + 1)  # kept[k]: length of line[:k] without trailing blanks and hyphens
    for k in range(1, len(line) + 1):
        kept[k] = kept[k - 1] if line[k - 1] in " -" else k
    for k in range(len(line), 0, -1):
        if ends[kept[k]] <= room:
            return line[:kept[k]] + ELLIPSIS
    return ""


def fit(text: str, box_w: float, box_h: float, size: float, min_size: Optional[float] = None,
        bold: bool = False, line_height: float = LINE_HEIGHT, max_lines: Optional[int] = None) -> tuple[float, list[str]]:
    """Font size and lines that put a text inside a box, shrinking it when needed.

    Tries the size, then smaller ones down to min_size without breaking words; then
    breaks long words at the smallest size; what still does not fit is cut with an
    ellipsis. The result never overflows the box (when even one line cannot fit,
    the list is empty).
    """
    if min_size is None:
        min_size = size * 0.6
    if box_w <= 0 or box_h <= 0:
        return min_size, []
    text = clean(text)
    s = size
    while True:
        room = int((box_h + 0.01) // (s * line_height))
        lines = _wrap(text, box_w, s, bold, False, room)
        if lines is not None and len(lines) * s * line_height <= box_h + 0.01 and (
                max_lines is None or len(lines) <= max_lines):
            return s, lines
        if s <= min_size:
            break
        s = max(min_size, round(s * 0.92, 2))
    s = min_size
    room = int((box_h + 0.01) // (s * line_height))
    lines = _wrap(text, box_w, s, bold, True, room) or []
    if max_lines is not None:
        room = min(room, max_lines)
    if len(lines) > room:
        lines = lines[:room]
        if lines:
            lines[-1] = ellipsize(lines[-1] + ELLIPSIS, box_w, s, bold)
    return s, lines
