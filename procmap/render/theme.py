"""Colours: themes as plain dicts. The fixed texts and number formats are in procmap.words."""

from __future__ import annotations

from typing import Mapping, Union

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

DEFAULT_THEME: dict[str, object] = {
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
    "stages": ["#9aa5b1", "#e8a33d", "#2f7dd1", "#27ab83", "#8d5cd6", "#d64545"],
}

MONO_THEME: dict[str, object] = {
    **DEFAULT_THEME,
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
    "stages": ["#cccccc", "#999999", "#555555", "#222222"],
}

THEMES: dict[str, dict[str, object]] = {"default": DEFAULT_THEME, "mono": MONO_THEME}

Theme = Union[None, str, Mapping[str, object]]


def resolve_theme(theme: Theme) -> dict[str, object]:
    """A full theme: a theme name, or a dict of colours that override the default ones."""
    if theme is None:
        return dict(DEFAULT_THEME)
    if isinstance(theme, str):
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; use one of {', '.join(sorted(THEMES))} or a dict of colours")
        return dict(THEMES[theme])
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
    return merged


def stage_colour(theme: Mapping[str, object], index: int) -> str:
    stages = theme["stages"]
    return str(stages[index % len(stages)])  # type: ignore[index,arg-type]
