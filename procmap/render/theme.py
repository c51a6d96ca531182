"""Colours: themes as read-only mappings of names to colours. The fixed texts and number formats are in procmap.words.

The themes here are shared by every caller in the process (a web server draws for many
users at once), so they are read-only: mappings that refuse changes, with the stage
colours as tuples. ``resolve_theme`` hands out a fresh dict each time, to change at will.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Union

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

_DEFAULT: dict[str, object] = {
    "font": FONT,
    "background": "#ffffff",
    "ink": "#1f2933",
    "muted": "#616e7c",
    "faint": "#9aa5b1",
    "pool_fill": "#e4e9f0",
    "pool_stroke": "#52606d",
    "lane_fill": "#ffffff",
    "lane_fill_alt": "#f3f6fa",
    "lane_stroke": "#9aa5b1",
    "header_fill": "#e4e9f0",
    "absent_fill": "#eceef1",
    "absent_ink": "#8a96a3",
    "task_fill": "#fffaf0",
    "task_stroke": "#3e4c59",
    "automated_fill": "#e1effe",
    "automated_stroke": "#1c64b5",
    "event_fill": "#ffffff",
    "event_stroke": "#3e4c59",
    "gateway_fill": "#fffaf0",
    "flow": "#52606d",
    "message": "#7b8794",
    "removed_fill": "#ffe0e0",
    "removed_stroke": "#c62828",
    "added_fill": "#dcf5e3",
    "added_stroke": "#18794e",
    "moved_fill": "#fff0df",
    "moved_stroke": "#c2570c",
    "accent": "#1c4f8f",
    "saving": "#18794e",
    "loss": "#c62828",
    "title": "#102a43",
    "card_fill": "#f3f6fa",
    # One colour per stage, earliest first (charts, stage headers); repeated when there are more stages.
    "stages": ("#9aa5b1", "#e8a33d", "#2f7dd1", "#27ab83", "#8d5cd6", "#d64545"),
}
#: The colours of every picture unless a theme says otherwise (read-only).
DEFAULT_THEME: Mapping[str, object] = MappingProxyType(_DEFAULT)

#: Black and grey, for printing without colour (read-only).
MONO_THEME: Mapping[str, object] = MappingProxyType({
    **_DEFAULT,
    "task_fill": "#ffffff",
    "automated_fill": "#eeeeee",
    "automated_stroke": "#333333",
    "removed_fill": "#dddddd",
    "removed_stroke": "#000000",
    "added_fill": "#ffffff",
    "added_stroke": "#000000",
    "moved_fill": "#f4f4f4",
    "moved_stroke": "#444444",
    "accent": "#000000",
    "saving": "#000000",
    "loss": "#555555",
    "stages": ("#cccccc", "#999999", "#555555", "#222222"),
})

#: The themes by name (read-only).
THEMES: Mapping[str, Mapping[str, object]] = MappingProxyType({"default": DEFAULT_THEME, "mono": MONO_THEME})

Theme = Union[None, str, Mapping[str, object]]


def resolve_theme(theme: Theme) -> dict[str, object]:
    """A full theme: a theme name, or a dict of colours that override the default ones.

    A new dict (and a new list of stage colours) each call: changing it changes nothing else.
    """
    if theme is None:
        return _copy(DEFAULT_THEME)
    if isinstance(theme, str):
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; use one of {', '.join(sorted(THEMES))} or a dict of colours")
        return _copy(THEMES[theme])
    if not isinstance(theme, Mapping):
        raise ValueError("theme must be a theme name or a dict of colours")
    unknown = sorted(set(theme) - set(DEFAULT_THEME))
    if unknown:
        raise ValueError(f"unknown theme keys: {', '.join(unknown)}; known: {', '.join(sorted(DEFAULT_THEME))}")
    merged = dict(DEFAULT_THEME)
    merged.update(theme)
    stages = merged["stages"]
    if not isinstance(stages, (list, tuple)) or not stages:
        raise ValueError("theme['stages'] must be a non-empty list of colours")
    return _copy(merged)


def _copy(theme: Mapping[str, object]) -> dict[str, object]:
    """A dict of `theme` that shares nothing changeable with it (the values are strings, and the stage list)."""
    copied = dict(theme)
    copied["stages"] = list(copied["stages"])  # type: ignore[call-overload]
    return copied


def stage_colour(theme: Mapping[str, object], index: int) -> str:
    stages = theme["stages"]
    return str(stages[index % len(stages)])  # type: ignore[index,arg-type]


def _luminance(colour: str) -> float | None:
    """The relative luminance (WCAG) of a #rgb or #rrggbb colour; None for anything else (a name, a gradient)."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        return None
    try:
        channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return None
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def readable_ink(ink: str, paper: str) -> str:
    """`ink`, or black or white when `ink` is hard to see on `paper` (contrast under 3:1, WCAG's floor for
    graphics): a timer's clock in grey on the modeller's dark blue fill cannot be read."""
    a, b = _luminance(ink), _luminance(paper)
    if a is None or b is None:
        return ink
    if (max(a, b) + 0.05) / (min(a, b) + 0.05) >= 3.0:
        return ink
    return "#000000" if (b + 0.05) / 0.05 >= 1.05 / (b + 0.05) else "#ffffff"
