"""Pictures: swimlane diagrams of one stage, stages side by side, charts, the poster and the report."""

from .draw import Diagram, Painter, draw, stage_scene, stage_svg
from .export import save
from .marks import Mark, stage_marks
from .theme import DEFAULT_THEME, LANGS, TEXTS, THEMES

__all__ = ["DEFAULT_THEME", "Diagram", "LANGS", "Mark", "Painter", "TEXTS", "THEMES", "draw", "save",
           "stage_marks", "stage_scene", "stage_svg"]
