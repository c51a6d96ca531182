"""Pictures: swimlane diagrams of one stage, stages side by side, charts, the poster and the report.

- ``stage_svg`` / ``draw``: one stage, as the modeller drew it (BPMNDI) or laid out in bands;
- ``stages_svg``: all stages of a Comparison side by side, roles in the same order, changes marked;
- ``chart_svg``: tasks (and hours) per role per stage, and the saving per role;
- ``poster``: one page (A3/A1) with all of it, as .pdf, .svg or .png;
- ``report_html``: one self-contained HTML page with diagrams, charts, tables and changes.
"""

from types import MappingProxyType

from procmap.render.chart import chart_svg
from procmap.render.draw import Diagram, Painter, draw, stage_scene, stage_svg
from procmap.render.export import save
from procmap.render.marks import Mark, stage_marks
from procmap.render.poster import PAPER_MM, PosterResult, poster, poster_svg
from procmap.render.report import report_html
from procmap.render.side import stages_svg
from procmap.render.theme import DEFAULT_THEME, THEMES
from procmap.words import LANGS, words

#: The pictures' fixed texts per language (read-only; the full table is procmap.words).
TEXTS = MappingProxyType({lang: words(lang)["picture"] for lang in LANGS})

__all__ = [
    "DEFAULT_THEME",
    "Diagram",
    "LANGS",
    "Mark",
    "PAPER_MM",
    "Painter",
    "PosterResult",
    "TEXTS",
    "THEMES",
    "chart_svg",
    "draw",
    "poster",
    "poster_svg",
    "report_html",
    "save",
    "stage_marks",
    "stage_scene",
    "stage_svg",
    "stages_svg",
]
