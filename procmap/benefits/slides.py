"""The deck for decision makers (python-pptx): the Halden method's meeting, editable in PowerPoint or Impress.

Title; one slide per stage (its swimlane picture and key figures); the stages side by side;
what changes for each role; the benefits; the benefit map; the follow-up when measured.
Pictures are PNG made from procmap's own SVG, so the deck looks like the poster and the report.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from types import MappingProxyType
from typing import Optional, Sequence

from procmap.benefits.chart import followup_svg
from procmap.benefits.map import map_svg
from procmap.benefits.plan import BenefitPlan, measures_of
from procmap.benefits.text import Say, total_line
from procmap.compare.result import Comparison, Stage
from procmap.errors import OptionError
from procmap.model.elements import Model
from procmap.render.export import svg_to_png
from procmap.render.poster import COMPACT_SIZES, FOLDS, smallest_name
from procmap.render.side import stage_page_svg, stages_svg
from procmap.render.theme import Theme
from procmap.words import counted, words

_PNG_WIDTH = 2000  # pixels: sharp on a projector, small enough for mail
PX_PER_INCH = 96.0  # a slide 13.333 inches wide, shown 1280 pixels wide
READABLE_PX = 12.0  # the smallest task name that can be read there
#: Where a stage's picture goes: the box (left, top, width, height in inches) with its figures as a line under
#: the title, or with them in a column at the right. The one that prints the task names largest is used.
STAGE_BOXES = MappingProxyType({"wide": (0.02, 0.92, 13.29, 6.55), "figures_right": (0.15, 0.92, 10.25, 6.55)})
SIDE_BOX = (0.2, 0.92, 12.93, 5.95)


@dataclass(frozen=True)
class Placed:
    """A picture on a slide: its SVG and where it stands (inches), so its printed size can be measured."""

    slide: int
    svg: str
    left: float
    top: float
    width: float
    height: float


@dataclass
class Deck:
    """The deck's bytes and its pictures as placed."""

    data: bytes
    pictures: list[Placed] = field(default_factory=list)


def _viewbox(svg: str) -> tuple[float, float]:
    """Width and height of an SVG picture (its viewBox), 1 x 1 when it does not say."""
    found = re.search(r'viewBox="\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)', svg[:4000])
    return (float(found[1]), float(found[2])) if found and float(found[2]) > 0 else (1.0, 1.0)


def fitted_px(svg: str, width: float, height: float) -> float:
    """The smallest task name's height in pixels (on a 1280 pixel wide slide) with the picture as large as
    fits a box of `width` x `height` inches."""
    w, h = _viewbox(svg)
    return smallest_name(svg) * min(width / w, height / h) * PX_PER_INCH


def stage_picture(models: Sequence[Model], comparison: Comparison, index: int, *, lang: str, theme: Theme,
                  layout: str) -> tuple[str, str]:
    """The arrangement of a stage slide (a key of STAGE_BOXES) and its picture: procmap's page of one stage
    (folded as it prints largest, without the strip that repeats the slide's title), in the box where its
    task names print largest (the figures keep their column unless across the slide is 2 % larger)."""
    tried = []
    for name, (_, _, w, h) in STAGE_BOXES.items():
        svg = stage_page_svg(models, comparison, index, theme=theme, lang=lang, layout=layout, box=(w, h),
                             sizes=COMPACT_SIZES, folds=FOLDS, header=False)
        tried.append((fitted_px(svg, w, h) * (1.02 if name == "figures_right" else 1.0), name, svg))
    _, name, svg = max(tried, key=lambda t: t[0])
    return name, svg


def _pptx():
    try:
        import pptx
        from pptx.util import Emu, Inches, Pt
    except ImportError as exc:
        raise OptionError("slides need python-pptx: pip install 'procmap[slides]'") from exc
    return pptx, Emu, Inches, Pt


def deck(models: Sequence[Model], comparison: Comparison, plan: BenefitPlan, *, lang: str = "nb",
         theme: Theme = None, layout: str = "auto", date: Optional[Date] = None) -> bytes:
    """The deck as .pptx bytes."""
    return build(models, comparison, plan, lang=lang, theme=theme, layout=layout, date=date).data


def build(models: Sequence[Model], comparison: Comparison, plan: BenefitPlan, *, lang: str = "nb",
          theme: Theme = None, layout: str = "auto", date: Optional[Date] = None) -> Deck:
    """The deck, with its pictures as placed (to measure what a reader sees)."""
    pptx, Emu, Inches, Pt = _pptx()
    say = Say(lang)
    prs = pptx.Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slides = _Slides(prs, Inches, Pt, Emu)

    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = say["slide_title"]
    title.placeholders[1].text = "\n".join([say.subtitle(plan), say["slide_made"].format(
        date=(date or Date.today()).isoformat())])

    for n, stage in enumerate(comparison.stages, start=1):
        slide = slides.titled(say["slide_stage"].format(n=n, stage=say.stage(stage.name)))
        where, picture = stage_picture(models, comparison, n - 1, lang=lang, theme=theme, layout=layout)
        overall, per_role = _stage_figures(stage, say)
        slides.picture(slide, picture, *STAGE_BOXES[where])
        if where == "wide":  # the figures on a line under the title; each role's tasks are in the picture
            slides.lines(slide, [" · ".join(overall)], left=0.4, width=12.5, top=0.56, size=13,
                         bold_first=False, height=0.36)
        else:
            slides.lines(slide, [*overall, *per_role], left=10.55, width=2.7, top=1.0, size=15)

    slide = slides.titled(say["slide_side"])
    side = stages_svg(list(models), comparison, lang=lang, theme=theme, layout=layout, box=SIDE_BOX[2:])
    slides.picture(slide, side, *SIDE_BOX)
    small = fitted_px(side, *SIDE_BOX[2:])
    if small < READABLE_PX:  # one stage a slide (the slides before) is the readable version
        slides.lines(slide, [say["slide_side_small"].format(px=say.num(small, 1))], top=6.9, size=14,
                     bold_first=False, height=0.5)

    slide = slides.titled(say["slide_changes"])
    slides.table(slide, *_changes_rows(comparison, say))

    slide = slides.titled(say["slide_benefits"])
    if plan.benefits:
        slides.table(slide, *_benefit_rows(plan, say))
        total = total_line(plan, lang)
        if total:
            slides.lines(slide, [total], top=5.6, size=16, bold_first=False)
    else:
        slides.lines(slide, [say["no_benefits"].format(a=say.stage(plan.first_stage), b=say.stage(plan.last_stage))])

    if plan.benefits:
        slide = slides.titled(say["map"])
        slides.picture(slide, map_svg(plan, lang=lang, theme=theme, max_tasks=0))  # grouped: readable on a slide
    chart = followup_svg(plan, lang=lang, theme=theme)
    if chart:
        slide = slides.titled(say["slide_followup"])
        slides.picture(slide, chart)
    buf = io.BytesIO()
    prs.save(buf)
    return Deck(buf.getvalue(), slides.placed)


class _Slides:
    """Title-only slides with a picture, lines of text or a table placed in the area under the title."""

    def __init__(self, prs, Inches, Pt, Emu):
        self.prs, self.Inches, self.Pt, self.Emu = prs, Inches, Pt, Emu
        self.placed: list[Placed] = []

    def titled(self, text: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        shape = slide.shapes.title
        shape.text = text
        shape.left, shape.top, shape.width, shape.height = (self.Inches(0.4), self.Inches(0.05), self.Inches(12.5),
                                                            self.Inches(0.55))
        shape.text_frame.paragraphs[0].runs[0].font.size = self.Pt(26)
        return slide

    def picture(self, slide, svg: str, left: float = 0.4, top: float = 1.2, width: float = 12.5,
                height: float = 6.0) -> None:
        """The picture as large as fits the box, centred in it."""
        png = io.BytesIO(svg_to_png(svg, width=_PNG_WIDTH))
        pic = slide.shapes.add_picture(png, self.Inches(left), self.Inches(top), width=self.Inches(width))
        if pic.height > self.Inches(height):
            ratio = self.Inches(height) / pic.height
            pic.height = self.Inches(height)
            pic.width = int(pic.width * ratio)
        pic.left = int(self.Inches(left) + (self.Inches(width) - pic.width) / 2)
        pic.top = int(self.Inches(top) + (self.Inches(height) - pic.height) / 2)
        inch = self.Inches(1)
        self.placed.append(Placed(len(self.prs.slides) - 1, svg, pic.left / inch, pic.top / inch, pic.width / inch,
                                  pic.height / inch))

    def lines(self, slide, lines: Sequence[str], left: float = 0.6, width: float = 12.0, size: int = 18,
              top: float = 1.4, bold_first: bool = True, height: Optional[float] = None) -> None:
        box = slide.shapes.add_textbox(self.Inches(left), self.Inches(top), self.Inches(width),
                                       self.Inches(height or 7.2 - top))
        frame = box.text_frame
        frame.word_wrap = True
        for k, line in enumerate(lines):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            para.text = line
            first = k == 0 and bold_first
            para.font.size = self.Pt(size + 2 if first else size)
            para.font.bold = first
            para.space_after = self.Pt(6)

    def table(self, slide, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        size = 14 if len(rows) <= 6 else 12 if len(rows) <= 10 else 10
        shown = list(rows[:16])
        shape = slide.shapes.add_table(len(shown) + 1, len(head), self.Inches(0.4), self.Inches(1.3),
                                       self.Inches(12.5), self.Inches(0.4) * (len(shown) + 1))
        table = shape.table
        total = sum(widths)
        for k, w in enumerate(widths):
            table.columns[k].width = int(self.Inches(12.5) * w / total)
        for r, cells in enumerate([head, *shown]):
            for k, value in enumerate(cells):
                cell = table.cell(r, k)
                cell.text = str(value)
                for para in cell.text_frame.paragraphs:
                    para.font.size = self.Pt(size)
                    para.font.bold = r == 0


def _stage_figures(stage: Stage, say: Say) -> tuple[list[str], list[str]]:
    """The stage's key figures, and its tasks per role."""
    present = [rs for rs in stage.roles if rs.present]
    manual, automated = sum(rs.manual for rs in present), sum(rs.automated for rs in present)
    lines = [counted(say.w, "fig_tasks", stage.tasks).format(n=stage.tasks, m=manual, a=automated)]
    if stage.minutes is not None:
        lines.append(say["fig_minutes"].format(m=say.min(stage.minutes)))
    hours = [rs.hours_per_year for rs in present if rs.hours_per_year is not None]
    if hours:
        lines.append(say["fig_hours"].format(h=say.num(sum(hours))))
    lines.append(counted(say.w, "fig_handoffs", stage.handoffs).format(n=stage.handoffs))
    tasks = words(say.lang)["picture"]
    return lines, [f"{rs.role}: " + str(tasks["n_task" if rs.tasks == 1 else "n_tasks"]).format(n=rs.tasks)
                   for rs in present]


def _changes_rows(comparison: Comparison, say: Say) -> tuple[list[str], list[list[str]], list[float]]:
    first, last = comparison.stages[0], comparison.stages[-1]
    counts: dict[str, Counter] = {}
    for m in measures_of(comparison):
        counts.setdefault(m.role, Counter())[m.kind] += 1
    head = [say["role"], f"{say['tasks']} ({say.stage(first.name)} → {say.stage(last.name)})",
            f"{say['minutes_baseline'].split(',')[0]} ({say.stage(first.name)} → {say.stage(last.name)})",
            say["measures"]]
    rows = []
    for k, role in enumerate(comparison.roles):
        a, b = first.roles[k], last.roles[k]
        kinds = counts.get(role, Counter())
        what = ", ".join(f"{n} {say.w['counted'][kind]}" for kind, n in sorted(kinds.items()))  # type: ignore[index]
        rows.append([role, f"{a.tasks} → {b.tasks}", f"{say.min(a.minutes)} → {say.min(b.minutes)}", what or "–"])
    return head, rows, [3, 3, 3, 6]


def _benefit_rows(plan: BenefitPlan, say: Say) -> tuple[list[str], list[list[str]], list[float]]:
    head = ["#", say["benefit"], say["type"], say["hours_freed"], say["fte"], say["money"].format(cur=plan.currency),
            say["owner"], say["realised"]]
    rows = []
    for n, b in enumerate(plan.benefits, start=1):
        owner = (b.owner or say["no_owner"]) + (f" ({b.due.isoformat()})" if b.due else "")
        realised = "–" if b.measured_on is None else (
            f"{say.num(b.realised_hours)} ({say.share(b.realised_share)})" if b.realised_hours is not None
            else say.share(b.realised_share))
        rows.append([str(n), b.role, say.type(b.type), say.num(b.hours_freed), say.num(b.fte_freed, 2),
                     say.num(b.money_freed), owner, realised])
    return head, rows, [0.6, 2.3, 2.6, 1.8, 1.5, 1.8, 2.8, 2.2]


__all__ = ["Deck", "Placed", "build", "deck", "fitted_px", "stage_picture"]
