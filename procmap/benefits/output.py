"""The plan as files: a workbook laid out like the public templates, a printable HTML page, and a PDF.

The workbook has the sheets of DFØ's gevinstrealiseringsplan: the benefits (type, owner,
indicator, baseline, target, due date and value), the measures, the baseline measurement and
the follow-up (one row per measurement, and an empty row to fill in where nothing is measured yet).
"""

from __future__ import annotations

import html
import io
from datetime import date as Date
from typing import Optional

from procmap.benefits.chart import followup_svg
from procmap.benefits.map import map_svg
from procmap.benefits.pages import Pages, pdf
from procmap.benefits.plan import Benefit, BenefitPlan
from procmap.benefits.text import Say, total_line
from procmap.render.theme import Theme, resolve_theme


def _round(value: Optional[float], decimals: int = 0) -> Optional[float]:
    return None if value is None else round(value, decimals)


# --------------------------------------------------------------------------- tables shared by all outputs
def benefit_rows(plan: BenefitPlan, say: Say) -> tuple[list[str], list[list[object]]]:
    head = ["#", say["benefit"], say["type"], say["owner"], say["due"], say["indicator"], say["hours_baseline"],
            say["hours_target"], say["hours_freed"], "P10", "P90", say["fte"], say["money"].format(cur=plan.currency),
            say["realised"], say["share"], say["date"]]
    rows = [[n, b.role, say.type(b.type), b.owner, b.due, say.indicator_short(b), _round(b.hours_baseline),
             _round(b.hours_target), _round(b.hours_freed), _round(b.hours_freed_p10), _round(b.hours_freed_p90),
             _round(b.fte_freed, 2), _round(b.money_freed), _round(b.realised_hours),
             b.realised_share, b.measured_on]  # unrounded: every output rounds it once, by words.percent
            for n, b in enumerate(plan.benefits, start=1)]
    return head, rows


def measure_rows(plan: BenefitPlan, say: Say) -> tuple[list[str], list[list[object]]]:
    head = ["#", say["benefit"], say["measure"], say["task"], say["role"], say["from_stage"], say["to_stage"],
            say["minutes_saved"]]
    rows = [[n, b.role, say.kind(m), m.task, m.role, say.stage(m.from_stage), say.stage(m.to_stage),
             m.minutes_saved] for n, b in enumerate(plan.benefits, start=1) for m in b.measures]
    return head, rows


def baseline_rows(plan: BenefitPlan, say: Say) -> tuple[list[str], list[list[object]]]:
    head = ["#", say["benefit"], say["indicator"], say["minutes_baseline"], say["minutes_target"],
            say["manual_baseline"], say["manual_target"], say["hours_baseline"], say["hours_target"], say["cases"]]
    rows = [[n, b.role, say.indicator(b), b.indicator.minutes_baseline, b.indicator.minutes_target,
             b.indicator.manual_baseline, b.indicator.manual_target, _round(b.hours_baseline), _round(b.hours_target),
             plan.cases_per_year] for n, b in enumerate(plan.benefits, start=1)]
    return head, rows


def followup_rows(plan: BenefitPlan, say: Say) -> tuple[list[str], list[list[object]]]:
    head = ["#", say["benefit"], say["date"], say["measured"], say["realised"], say["planned"], say["share"]]
    rows: list[list[object]] = []
    for n, b in enumerate(plan.benefits, start=1):
        for m in b.followup or []:
            rows.append([n, b.role, m.date, m.minutes_per_case, _round(m.realised_hours), _round(b.hours_freed),
                         m.realised_share])
        if not b.followup:  # a row to fill in
            rows.append([n, b.role, None, None, None, _round(b.hours_freed), None])
    return head, rows


# --------------------------------------------------------------------------- the workbook
def workbook(plan: BenefitPlan, *, lang: str = "nb") -> bytes:
    """The plan as an Excel workbook: Gevinster, Tiltak, Nullpunkt, Oppfølging (nb) or their English names."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
    except ImportError as exc:
        from procmap.errors import OptionError

        raise OptionError("a workbook needs openpyxl: pip install 'procmap[xlsx]'") from exc
    say = Say(lang)
    sheets = say.w["sheets"]
    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E4E9F0")
    tables = [("benefits", benefit_rows), ("measures", measure_rows), ("baseline", baseline_rows),
              ("followup", followup_rows)]
    for key, rows_of in tables:
        sheet = book.create_sheet(str(sheets[key]))  # type: ignore[index]
        sheet["A1"] = f"{say['title']}: {say[key if key != 'baseline' else 'baseline']}"
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A2"] = say.subtitle(plan)
        if plan.cases_per_year is not None:
            sheet["A3"] = f"{say['cases']}: {say.num(plan.cases_per_year)}"
        head, rows = rows_of(plan, say)
        sheet.append([])
        sheet.append(head)
        top = sheet.max_row
        for cell in sheet[top]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append(row)
        for k, title in enumerate(head, start=1):
            values = [str(r[k - 1]) for r in rows if r[k - 1] is not None]
            width = min(60, max([len(str(title)) // 2 + 2, *(len(v) + 2 for v in values)]))
            sheet.column_dimensions[sheet.cell(row=top, column=k).column_letter].width = width
            style = _number_format(title, say)
            for r in range(top + 1, sheet.max_row + 1):
                cell = sheet.cell(row=r, column=k)
                if style:
                    cell.number_format = style
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = sheet.cell(row=top + 1, column=3)
        sheet.page_setup.orientation = "landscape"  # printed: one page wide, as many long as it takes
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        if key == "followup":
            _followup_charts(sheet, plan, rows, top, say)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _followup_charts(sheet, plan: BenefitPlan, rows: list[list[object]], top: int, say: Say) -> None:
    """Beside the follow-up table, a chart per measured benefit: realised hours by date against the plan."""
    from openpyxl.chart import Reference, ScatterChart, Series

    spans: dict[int, list[int]] = {}
    for k, row in enumerate(rows, start=top + 1):
        if row[2] is not None and row[4] is not None:  # a measurement with realised hours
            spans.setdefault(int(row[0]), []).append(k)  # type: ignore[call-overload]
    for place, (n, found) in enumerate(spans.items()):
        chart = ScatterChart()
        chart.title = say["chart_title"].format(role=plan.benefits[n - 1].role)
        chart.style = 13
        chart.x_axis.title, chart.y_axis.title = say["date"], say["chart_hours"]
        chart.x_axis.number_format = "yyyy-mm-dd"
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes unless told
        dates = Reference(sheet, min_col=3, min_row=found[0], max_row=found[-1])
        for column, title in ((5, say["realised"]), (6, say["planned"])):
            series = Series(Reference(sheet, min_col=column, min_row=found[0], max_row=found[-1]), dates,
                            title=title)
            series.marker.symbol = "circle"
            chart.series.append(series)
        chart.height, chart.width = 7.5, 16
        sheet.add_chart(chart, f"I{top + place * 16}")


def _number_format(title: str, say: Say) -> Optional[str]:
    if title == say["share"]:
        return "0%"
    if title == say["fte"]:
        return "0.00"
    if title in (say["due"], say["date"]):
        return "yyyy-mm-dd"
    if title in ("#", say["manual_baseline"], say["manual_target"]):
        return None
    return "#,##0.##" if "min" in title.lower() else "#,##0"


# --------------------------------------------------------------------------- HTML
CSS = """
body { font-family: DejaVu Sans, Liberation Sans, Arial, sans-serif; color: %(ink)s; margin: 0 auto; padding: 24px;
       max-width: 1300px; line-height: 1.4; }
h1 { font-size: 28px; margin: 0 0 4px; color: %(title)s; }
h2 { font-size: 20px; margin: 28px 0 8px; color: %(title)s; border-bottom: 2px solid #e4e9f0; }
h3 { font-size: 16px; margin: 14px 0 4px; }
.sub { color: %(muted)s; font-size: 16px; margin: 0 0 14px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid #d5dbe3; padding: 4px 7px; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
thead th { background: #eef2f7; }
.benefit { border: 1px solid #d5dbe3; border-radius: 8px; padding: 8px 14px; margin: 10px 0; break-inside: avoid; }
.benefit .fig { font-weight: bold; color: %(saving)s; }
.figure { overflow-x: auto; }
.figure svg { max-width: 100%%; height: auto; }
.notes li { color: %(muted)s; }
footer { margin-top: 24px; color: %(muted)s; font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } section.map { break-before: page; } }
"""


def _cell(value: object, say: Say, share: bool = False) -> str:
    if value is None:
        return "<td>–</td>"
    if isinstance(value, Date):
        return f"<td>{value.isoformat()}</td>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = say.share(float(value)) if share else say.num(float(value), 0 if float(value).is_integer()
                                                               or abs(value) >= 100 else 2)
        return f'<td class="n">{html.escape(text)}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(head: list[str], rows: list[list[object]], say: Say) -> str:
    shares = [h == say["share"] for h in head]
    out = ["<table><thead><tr>", *(f"<th>{html.escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(_cell(v, say, s) for v, s in zip(row, shares)) + "</tr>")
    return "".join(out) + "</tbody></table>"


def _inline(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def plan_html(plan: BenefitPlan, *, lang: str = "nb", theme: Theme = None, date: Optional[Date] = None) -> str:
    """One self-contained, printable page: the benefits, their measures, the map, the baseline and the follow-up."""
    say, t = Say(lang), resolve_theme(theme)
    e = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">',
             f"<title>{e(say['title'])}</title><style>{CSS % t}</style></head><body>",
             f"<header><h1>{e(say['title'])}</h1><p class='sub'>{e(say.subtitle(plan))}"
             + (f" · {e(say['cases'])}: {e(say.num(plan.cases_per_year))}" if plan.cases_per_year else "")
             + "</p></header>"]
    parts.append(f"<h2>{e(say['benefits'])}</h2>")
    if not plan.benefits:
        parts.append(f"<p>{e(say['no_benefits'].format(a=say.stage(plan.first_stage), b=say.stage(plan.last_stage)))}</p>")
    for n, b in enumerate(plan.benefits, start=1):
        parts.append(_benefit_html(n, b, plan, say))
    total = total_line(plan, lang)
    if total:
        parts.append(f"<p class='total'><b>{e(total)}</b></p>")
    parts.append(f"<h2>{e(say['benefits'])}: {e(say['indicator'].lower())}, {e(say['baseline'].lower())}</h2>")
    parts.append(_table(*benefit_rows(plan, say), say))
    if plan.benefits:
        parts.append(f"<section class='map'><h2>{e(say['map'])}</h2>"
                     f"<div class='figure'>{_inline(map_svg(plan, lang=lang, theme=theme))}</div></section>")
    parts.append(f"<h2>{e(say['baseline'])}</h2>" + _table(*baseline_rows(plan, say), say))
    parts.append(f"<h2>{e(say['followup'])}</h2>" + _table(*followup_rows(plan, say), say))
    chart = followup_svg(plan, lang=lang, theme=theme)
    if chart:
        parts.append(f"<div class='figure'>{_inline(chart)}</div>")
    if plan.warnings:
        parts.append(f"<h2>{e(say['warnings'])}</h2><ul class='notes'>"
                     + "".join(f"<li>{e(w)}</li>" for w in plan.warnings) + "</ul>")
    parts.append(f"<footer>{e(say['slide_made'].format(date=(date or Date.today()).isoformat()))}</footer>")
    return "\n".join(parts) + "</body></html>\n"


def _benefit_html(n: int, b: Benefit, plan: BenefitPlan, say: Say) -> str:
    e = html.escape
    owner = b.owner or say["no_owner"]
    due = f" · {e(say['due'])}: {b.due.isoformat()}" if b.due else ""
    measures = "".join(f"<li>{e(line)}</li>" for line in say.measure_lines(b))
    return (f"<div class='benefit'><h3>{e(say['benefit'])} {n}: {e(b.role)} – {e(say.type(b.type))}</h3>"
            f"<p>{e(say['owner'])}: {e(owner)}{due}</p>"
            f"<p class='fig'>{e('; '.join(say.figures(b, plan.currency)))}</p>"
            f"<p>{e(say['indicator'])}: {e(say.indicator(b))}</p>"
            f"<p><b>{e(say['measures'])}</b></p><ul>{measures}</ul></div>")


# --------------------------------------------------------------------------- PDF
def plan_pdf(plan: BenefitPlan, *, lang: str = "nb", theme: Theme = None, date: Optional[Date] = None) -> bytes:
    """The plan on A4 landscape pages: the benefits, the measures, the map, the baseline and the follow-up."""
    say, t = Say(lang), resolve_theme(theme)
    made = say["slide_made"].format(date=(date or Date.today()).isoformat())
    pages = Pages(str(t["font"]), ink=str(t["ink"]), accent=str(t["title"]), muted=str(t["muted"]), footer=made)
    pages.text(say["title"], 26, bold=True, colour=str(t["title"]))
    sub = say.subtitle(plan) + (f" · {say['cases']}: {say.num(plan.cases_per_year)}" if plan.cases_per_year else "")
    pages.text(sub, 14, colour=str(t["muted"]), gap=10)
    if not plan.benefits:
        pages.text(say["no_benefits"].format(a=say.stage(plan.first_stage), b=say.stage(plan.last_stage)), 14)
    for n, b in enumerate(plan.benefits, start=1):
        pages.heading(f"{say['benefit']} {n}: {b.role} – {say.type(b.type)}", 17)
        due = f" · {say['due']}: {b.due.isoformat()}" if b.due else ""
        pages.text(f"{say['owner']}: {b.owner or say['no_owner']}{due}", 12)
        pages.text("; ".join(say.figures(b, plan.currency)), 12, bold=True, colour=str(t["saving"]))
        pages.text(f"{say['indicator']}: {say.indicator(b)}", 12)
        pages.text(f"{say['measures']}:", 12, bold=True, gap=1)
        for line in say.measure_lines(b):
            pages.text(f"• {line}", 11, indent=12, gap=1)
    total = total_line(plan, lang)
    if total:
        pages.text(total, 13, bold=True, gap=8)
    if plan.benefits:
        picture = map_svg(plan, lang=lang, theme=theme)
        pages.new_page(portrait=_tall(picture))
        pages.heading(say["map"])
        pages.picture(picture)
        pages.new_page()
    for key, rows_of, widths in (("benefits", benefit_rows, (2, 9, 9, 8, 6.5, 10, 5, 5, 5, 4, 4, 4, 6, 5, 5, 6.5)),
                                 ("baseline", baseline_rows, (2, 8, 20, 6, 6, 6, 6, 7, 7, 6)),
                                 ("followup", followup_rows, (2, 10, 8, 8, 8, 8, 6))):
        pages.heading(say[key])
        head, rows = rows_of(plan, say)
        pages.table(head, [[_text(v, say, h == say["share"]) for v, h in zip(r, head)] for r in rows], widths,
                    size=9.5 if key == "benefits" else 11,
                    numeric=[any(_numeric(r[k]) for r in rows) for k in range(len(head))])
    chart = followup_svg(plan, lang=lang, theme=theme)
    if chart:
        pages.picture(chart)
    if plan.warnings:
        pages.heading(say["warnings"], 16)
        for w in plan.warnings:
            pages.text(f"• {w}", 10, colour=str(t["muted"]), gap=1)
    return pdf(pages.pages())


def _tall(svg: str) -> bool:
    """Whether a picture is taller than wide (its viewBox)."""
    import re

    found = re.search(r'viewBox="([-0-9. ]+)"', svg[:3000])
    if not found:
        return False
    box = found.group(1).split()
    return len(box) == 4 and float(box[3]) > float(box[2])


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: object, say: Say, share: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, Date):
        return value.isoformat()
    if _numeric(value):
        v = float(value)  # type: ignore[arg-type]
        return say.share(v) if share else say.num(v, 0 if v.is_integer() or abs(v) >= 100 else 2)
    return str(value)


__all__ = ["baseline_rows", "benefit_rows", "followup_rows", "measure_rows", "plan_html", "plan_pdf", "workbook"]
