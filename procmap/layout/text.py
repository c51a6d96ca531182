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
def _em(text: str, bold: bool) -> float:
    table = _BOLD if bold else _REGULAR
    return sum(_char_width(ch, table) for ch in text) / 1000.0 * _MARGIN


def width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of one line of text at a font size (same units as the size)."""
    return _em(text, bold) * size


_SPACE = re.compile(r"\s+")
# A word may break after a hyphen, a slash or an en dash: "e-skjema", "Søker/verge".
_PIECES = re.compile(r"[^\s\-/–]+[\-/–]*|[\-/–]+")


def clean(text: str) -> str:
    """One line of text: control characters gone, runs of blanks as one space."""
    text = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in text or "")
    return _SPACE.sub(" ", text).strip()


def _break_word(word: str, max_width: float, size: float, bold: bool) -> list[str]:
    """Split a word that is wider than the line, with a hyphen at each break."""
    parts, current = [], ""
    for ch in word:
        if current and width(current + ch + "-", size, bold) > max_width:
            parts.append(current + "-")
            current = ch
        else:
            current += ch
    parts.append(current)
    return parts


def wrap(text: str, max_width: float, size: float, bold: bool = False,
         break_words: bool = True) -> Optional[list[str]]:
    """Greedy line breaking. Returns None when a word does not fit and break_words is False."""
    text = clean(text)
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        pieces = _PIECES.findall(word) or [word]
        for k, piece in enumerate(pieces):
            glue = " " if (k == 0 and current) else ""
            candidate = current + glue + piece
            if width(candidate, size, bold) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if width(piece, size, bold) <= max_width:
                current = piece
                continue
            if not break_words:
                return None
            chunks = _break_word(piece, max_width, size, bold)
            lines.extend(chunks[:-1])
            current = chunks[-1]
    if current:
        lines.append(current)
    return lines


def ellipsize(line: str, max_width: float, size: float, bold: bool = False) -> str:
    """Cut a line so that it and a trailing ellipsis fit."""
    if width(line, size, bold) <= max_width:
        return line
    while line and width(line.rstrip(" -") + ELLIPSIS, size, bold) > max_width:
        line = line[:-1]
    return line.rstrip(" -") + ELLIPSIS if line else ""


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
    s = size
    while True:
        lines = wrap(text, box_w, s, bold, break_words=False)
        if lines is not None and len(lines) * s * line_height <= box_h + 0.01 and (
                max_lines is None or len(lines) <= max_lines):
            return s, lines
        if s <= min_size:
            break
        s = max(min_size, round(s * 0.92, 2))
    s = min_size
    lines = wrap(text, box_w, s, bold, break_words=True) or []
    room = int((box_h + 0.01) // (s * line_height))
    if max_lines is not None:
        room = min(room, max_lines)
    if len(lines) > room:
        lines = lines[:room]
        if lines:
            lines[-1] = ellipsize(lines[-1] + ELLIPSIS, box_w, s, bold)
    return s, lines
