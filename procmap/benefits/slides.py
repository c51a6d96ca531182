"""The deck for decision makers (python-pptx): the Halden method's meeting, editable in PowerPoint or Impress.

Title; one slide per stage (its swimlane picture and key figures); the stages side by side;
what changes for each role; the benefits; the benefit map; the follow-up when measured.
Pictures are PNG made from procmap's own SVG, so the deck looks like the poster and the report.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date as Date
from typing import Optional, Sequence

from procmap.benefits.chart import followup_svg
from procmap.benefits.map import map_svg
from procmap.benefits.plan import BenefitPlan, measures_of
from procmap.benefits.text import Say, total_line
from procmap.compare.result import Comparison, Stage
from procmap.errors import OptionError
from procmap.model.elements import Model
from procmap.render.draw import stage_svg
from procmap.render.export import svg_to_png
from procmap.render.side import stages_svg
from procmap.render.theme import Theme
from procmap.words import words

_PNG_WIDTH = 2000  # pixels: sharp on a projector, small enough for mail


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
    pptx, Emu, Inches, Pt = _pptx()
    say = Say(lang)
    prs = pptx.Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slides = _Slides(prs, Inches, Pt, Emu)

    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = say["slide_title"]
    title.placeholders[1].text = "\n".join([say.subtitle(plan), say["slide_made"].format(
        date=(date or Date.today()).isoformat())])

    for n, (model, stage) in enumerate(zip(models, comparison.stages), start=1):
        slide = slides.titled(say["slide_stage"].format(n=n, stage=say.stage(stage.name)))
        picture = stage_svg(model, lang=lang, theme=theme, layout=layout)
        overall, per_role = _stage_figures(stage, say)
        if slides.aspect(picture) > 2.2:  # a long flow: the picture across the slide, the figures under it
            slides.picture(slide, picture, height=3.9)
            slides.lines(slide, overall, width=6.0, top=5.3, size=16)
            slides.lines(slide, per_role, left=6.8, width=6.0, top=5.3, size=16, bold_first=False)
        else:
            slides.picture(slide, picture, width=9.4)
            slides.lines(slide, [*overall, *per_role], left=10.0, width=3.1, size=16)

    slide = slides.titled(say["slide_side"])
    slides.picture(slide, stages_svg(list(models), comparison, lang=lang, theme=theme, layout=layout))

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
    return buf.getvalue()


class _Slides:
    """Title-only slides with a picture, lines of text or a table placed in the area under the title."""

    def __init__(self, prs, Inches, Pt, Emu):
        self.prs, self.Inches, self.Pt, self.Emu = prs, Inches, Pt, Emu

    def titled(self, text: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only
        shape = slide.shapes.title
        shape.text = text
        shape.left, shape.top, shape.width, shape.height = (self.Inches(0.4), self.Inches(0.2), self.Inches(12.5),
                                                            self.Inches(0.9))
        shape.text_frame.paragraphs[0].runs[0].font.size = self.Pt(30)
        return slide

    @staticmethod
    def aspect(svg: str) -> float:
        """Width over height of an SVG picture (its viewBox), 1.0 when it does not say."""
        import re

        found = re.search(r'viewBox="\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)', svg[:4000])
        return float(found[1]) / float(found[2]) if found and float(found[2]) > 0 else 1.0

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

    def lines(self, slide, lines: Sequence[str], left: float = 0.6, width: float = 12.0, size: int = 18,
              top: float = 1.4, bold_first: bool = True) -> None:
        box = slide.shapes.add_textbox(self.Inches(left), self.Inches(top), self.Inches(width),
                                       self.Inches(7.2 - top))
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
    lines = [say["fig_tasks"].format(n=stage.tasks, m=manual, a=automated)]
    if stage.minutes is not None:
        lines.append(say["fig_minutes"].format(m=say.min(stage.minutes)))
    hours = [rs.hours_per_year for rs in present if rs.hours_per_year is not None]
    if hours:
        lines.append(say["fig_hours"].format(h=say.num(sum(hours))))
    lines.append(say["fig_handoffs"].format(n=stage.handoffs))
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
    return head, rows, [0.6, 2.4, 2.8, 1.8, 1.2, 1.8, 2.8, 2.2]


__all__ = ["deck"]
