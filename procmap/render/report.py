"""The comparison as one self-contained, printable HTML file: key figures, the stages side by side,
the charts, the tables and the changes per role. Inline SVG only; nothing is fetched to view it."""

from __future__ import annotations

import html
import re
from datetime import date as Date
from typing import Optional, Sequence

from procmap.compare.result import Comparison, TaskChange
from procmap.model.elements import Model
from procmap.render.chart import chart_svg
from procmap.render.draw import Painter
from procmap.render.poster import COMPACT_SIZES, FOLDS, key_figures, task_label
from procmap.render.side import DEFAULT_MAX_TASKS, check_inputs, role_stages, stage_page_svg, stages_svg
from procmap.render.theme import Theme, stage_colour
from procmap.words import counted, kind_change, minutes, number, stage_label

_CHANGE_ORDER = ("removed", "added", "moved", "renamed", "kind_changed")


def _inline(svg: str) -> str:
    """An SVG document as an element to put in HTML (no XML declaration)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _change_text(c: TaskChange, painter: Painter) -> str:
    tx_ = painter.tx
    before, after = task_label(c.name_before, painter), task_label(c.name_after, painter)
    if c.change == "removed":
        return f"{tx_['removed']}: {before}"
    if c.change == "added":
        return f"{tx_['added']}: {after}"
    if c.change == "moved":
        return f"{tx_['moved'].lower()}: {before} ({c.role} → {c.role_after})"
    if c.change == "renamed":
        return f"{tx_['renamed']}: {before} → {after}"
    if c.change == "kind_changed":
        name = f"{before} → {after}" if before and after and before != after else before or after
        return f"{tx_['kind_changed']}: {name} ({kind_change(c.type_before, c.type_after, painter.lang)})"
    return f"{tx_['kept']}: {before}"


def _saved_minutes(s, comparison: Comparison, tx_, lang: str) -> str:
    """Minutes saved per case, or 'saving not known' (never a blank that reads as nothing saved)."""
    if s.minutes_per_case is None and comparison.effort_known:
        return _e(tx_["saving_unknown"])
    return minutes(s.minutes_per_case, lang)


def _near_misses(comparison: Comparison, painter: Painter) -> str:
    """The pairs a user should confirm (``--match``) or leave apart, per pair of stages."""
    if not comparison.near_misses:
        return ""
    tx_, lang = painter.tx, painter.lang
    rows = "".join(
        f'<tr data-before="{_e(n.before_id)}" data-after="{_e(n.after_id)}">'
        f'<td>{_e(n.role + (" → " + n.role_after if n.role_after else ""))}</td>'
        f"<td>{_e(stage_label(n.from_stage, lang))} → {_e(stage_label(n.to_stage, lang))}</td>"
        f"<td>{_e(n.name_before)} <small>({_e(n.before_id)})</small></td>"
        f"<td>{_e(n.name_after)} <small>({_e(n.after_id)})</small></td><td>{n.similarity:.0%}</td></tr>"
        for n in comparison.near_misses)
    return (f'<section class="near-misses"><h2>{_e(tx_["near_misses"])}</h2>'
            f'<p>{_e(tx_["near_hint"].format(limit=comparison.settings.similarity))}</p>'
            f'<table class="near"><thead><tr><th>{_e(tx_["role"])}</th><th>{_e(tx_["stages"])}</th>'
            f'<th>{_e(tx_["before"])}</th><th>{_e(tx_["after"])}</th><th>{_e(tx_["similarity"])}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


CSS = """
:root { --ink: %(ink)s; --muted: %(muted)s; --accent: %(accent)s; --card: %(card_fill)s; }
* { box-sizing: border-box; }
body { font-family: DejaVu Sans, Liberation Sans, Arial, sans-serif; color: var(--ink); margin: 0 auto;
       padding: 24px; max-width: 1400px; line-height: 1.4; }
h1 { font-size: 30px; margin: 0 0 4px; color: %(title)s; }
h2 { font-size: 21px; margin: 32px 0 10px; color: %(title)s; border-bottom: 2px solid #e4e9f0; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.sub { color: var(--muted); font-size: 17px; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: var(--card); border-radius: 8px; padding: 10px 14px; min-width: 160px; flex: 1; }
.card.total { background: var(--accent); color: #fff; }
.card .role { font-weight: bold; }
.card .big { font-size: 34px; font-weight: bold; line-height: 1.1; }
.card .unit { font-size: 16px; font-weight: normal; display: inline-block; vertical-align: middle; line-height: 1.15; max-width: 8em; }
.card .line { color: var(--muted); font-size: 14px; }
.card.total .line { color: #dde7f3; }
.card .extra { font-weight: bold; font-size: 14px; color: %(saving)s; }
.card.total .extra { color: #fff; }
.card .extra.worse { color: %(loss)s; }
.figure { overflow-x: auto; border: 1px solid #e4e9f0; border-radius: 6px; padding: 6px; background: #fff; }
.figure svg { display: block; max-width: none; height: auto; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 14px; }
th, td { border: 1px solid #d5dbe3; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #eef2f7; }
tr.total td { font-weight: bold; border-top: 2px solid #9aa5b1; }
td.absent { color: #9aa5b1; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
ul.changes { margin: 4px 0 10px; padding-left: 20px; }
li.removed { color: %(removed_stroke)s; } li.added { color: %(added_stroke)s; }
li.moved { color: %(moved_stroke)s; } li.renamed, li.kind_changed { color: var(--muted); }
.notes li { color: var(--muted); }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
.stage-page { display: none; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; }
  .figure { overflow: visible; border: none; padding: 0; }
  .figure svg { width: auto !important; height: auto !important; max-width: 100%% !important;
                max-height: 160mm !important; }  /* a chart with its heading fits one page */
  h2 { break-after: avoid; }
  section.diagrams, section.charts { break-before: page; }
  section.diagrams.by-stage .figure.all-stages { display: none; }  /* too small on paper: a page per stage */
  .stage-page { display: block !important; }
  .stage-page + .stage-page { break-before: page; }
  table, .card, li, .keep, .role-changes { break-inside: avoid; }  /* a heading stays with what it heads */
  h3 { break-after: avoid; }
}
"""


#: The printed page's room for a picture (A4 landscape, 12 mm margins, the CSS's max-height), in mm.
PRINT_BOX_MM = (273.0, 160.0)
#: Task names printed smaller than this: the report prints one stage per page instead.
PRINT_PT = 6.0


def _printed_pt(svg: str) -> float:
    """The size (pt) 14-unit task names would print at when the picture is fitted to the page."""
    found = re.search(r'viewBox="[-0-9.e]+ [-0-9.e]+ ([0-9.e]+) ([0-9.e]+)"', svg[:2000])
    if not found:
        return PRINT_PT
    w, h = float(found.group(1)), float(found.group(2))
    mm_per_unit = min(PRINT_BOX_MM[0] / max(w, 1e-9), PRINT_BOX_MM[1] / max(h, 1e-9), 25.4 / 96)
    return 14.0 * mm_per_unit * 72 / 25.4


def report_html(models: Sequence[Model], comparison: Comparison, *, title: Optional[str] = None,
                subtitle: Optional[str] = None, lang: str = "nb", theme: Theme = None, layout: str = "auto",
                max_tasks: int = DEFAULT_MAX_TASKS, date: Optional[Date] = None) -> str:
    """One self-contained HTML page (inline SVG, no network needed to view or print it)."""
    painter = Painter(theme, lang)
    check_inputs(models, comparison)
    t, tx_ = painter.t, painter.tx
    title = title if title is not None else tx_["report_title"]
    if subtitle is None:
        name = next((m.name for m in models if m.name), "")
        flow = " → ".join(stage_label(s.name, lang) for s in comparison.stages)
        subtitle = f"{name}: {flow}" if name else flow
        if comparison.settings.cases_per_year:
            subtitle += " · " + counted(tx_, "cases", comparison.settings.cases_per_year).format(
                n=number(comparison.settings.cases_per_year, lang))
    parts: list[str] = [
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS % t}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(subtitle)}</p></header>",
    ]
    # Key figures.
    cards = []
    for i, f in enumerate(key_figures(comparison, painter)):
        extra = f'<div class="extra{"" if f.extra_good else " worse"}">{_e(f.extra)}</div>' if f.extra else ""
        cards.append(f'<div class="card{" total" if i == 0 else ""}" data-role="{_e(f.role)}">'
                     f'<div class="role">{_e(f.role)}</div><div class="big">{_e(f.big)} '
                     f'<span class="unit">{_e(f.unit)}</span></div><div class="line">{_e(f.line)}</div>{extra}</div>')
    parts.append(f'<section class="figures"><div class="cards">{"".join(cards)}</div></section>')
    # Diagrams.
    diagrams = stages_svg(models, comparison, theme=theme, lang=lang, layout=layout, max_tasks=max_tasks,
                          box=(1.6, 1.0))
    pages = ""
    if _printed_pt(diagrams) < PRINT_PT:  # the stages side by side would print too small on A4
        pages = "".join(
            f'<div class="figure stage-page" data-stage="{_e(st.name)}">'
            + _inline(stage_page_svg(models, comparison, i, theme=theme, lang=lang, layout=layout,
                                     box=PRINT_BOX_MM, sizes=COMPACT_SIZES, folds=FOLDS)) + "</div>"
            for i, st in enumerate(comparison.stages))
    parts.append(f'<section class="diagrams{" by-stage" if pages else ""}"><h2>{_e(tx_["report_diagrams"])}</h2>'
                 f'<div class="figure all-stages">{_inline(diagrams)}</div>{pages}</section>')
    # Charts.
    chart = chart_svg(comparison, theme=theme, lang=lang, width=760)
    parts.append(f'<section class="charts"><h2>{_e(tx_["report_charts"])}</h2>'
                 f'<div class="figure">{_inline(chart)}</div></section>')
    # Table per stage and role.
    effort = any(rs.minutes is not None for st in comparison.stages for rs in st.roles)
    hours = any(rs.hours_per_year is not None for st in comparison.stages for rs in st.roles)
    cost = any(rs.cost_per_year is not None for st in comparison.stages for rs in st.roles)
    cols = [("tasks", tx_["tasks"]), ("automated", tx_["automated"])]
    if effort:
        cols.append(("minutes", tx_["minutes"]))
    if hours:
        cols.append(("hours", tx_["hours_year"]))
    if cost:
        cols.append(("cost", tx_["cost_year"]))
    head1 = "".join(f'<th colspan="{len(cols)}"><span class="swatch" style="background:{stage_colour(t, i)}"></span>'
                    f"{_e(stage_label(st.name, lang))}</th>" for i, st in enumerate(comparison.stages))
    head2 = "".join(f"<th>{_e(label)}</th>" for _ in comparison.stages for _, label in cols)
    rows = []
    per_stage = [role_stages(comparison, st) for st in comparison.stages]
    for j, role in enumerate(comparison.roles):
        cells = []
        for i in range(len(comparison.stages)):
            rs = per_stage[i][j]
            if rs is None or not rs.present:
                cells.append(f'<td class="absent" colspan="{len(cols)}">{_e(tx_["not_in_stage"])}</td>')
                continue
            values = {"tasks": number(rs.tasks, lang), "automated": number(rs.automated, lang),
                      "minutes": minutes(rs.minutes, lang), "hours": number(rs.hours_per_year, lang),
                      "cost": number(rs.cost_per_year, lang)}
            cells.append("".join(f"<td>{values[key]}</td>" for key, _ in cols))
        rows.append(f'<tr data-role="{_e(role)}"><td>{_e(role)}</td>{"".join(cells)}</tr>')
    totals = []
    for st in comparison.stages:
        def tot(attr: str) -> Optional[float]:
            vals = [getattr(rs, attr) for rs in st.roles if getattr(rs, attr) is not None]
            return sum(vals) if vals else None
        values = {"tasks": number(st.tasks, lang), "automated": number(tot("automated"), lang),
                  "minutes": minutes(st.minutes, lang), "hours": number(tot("hours_per_year"), lang),
                  "cost": number(tot("cost_per_year"), lang)}
        totals.append("".join(f"<td>{values[key]}</td>" for key, _ in cols))
    rows.append(f'<tr class="total"><td>{_e(tx_["total"])}</td>{"".join(totals)}</tr>')
    handoffs = "".join(f"<td colspan='{len(cols)}'>{number(st.handoffs, lang)} "
                       f"{_e(tx_['handoff' if st.handoffs == 1 else 'handoffs'])}</td>"
                       for st in comparison.stages)
    rows.append(f"<tr><td></td>{handoffs}</tr>")
    parts.append(f'<section class="table"><h2>{_e(tx_["report_table"])}</h2><table class="stages">'
                 f'<thead><tr><th rowspan="2">{_e(tx_["role"])}</th>{head1}</tr><tr>{head2}</tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table>')
    # Savings.
    if comparison.savings:
        cur = comparison.settings.currency
        srows = []
        for s in comparison.savings:
            interval = (f"{number(s.hours_interval.p10, lang)}–{number(s.hours_interval.p90, lang)}"
                        if s.hours_interval else "")
            role = tx_["total"] if s.role == "Total" else s.role
            srows.append(f'<tr{" class=total" if s.role == "Total" else ""} data-role="{_e(s.role)}">'
                         f"<td>{_e(role)}</td><td>{_e(stage_label(s.from_stage, lang))} → {_e(stage_label(s.to_stage, lang))}</td>"
                         f"<td>{number(s.tasks, lang)}</td><td>{number(s.manual, lang)}</td>"
                         f"<td>{_saved_minutes(s, comparison, tx_, lang)}</td>"
                         f"<td>{number(s.hours, lang)}</td><td>{_e(interval)}</td><td>{number(s.money, lang)}</td>"
                         f"<td>{number(s.fte, lang, 2)}</td></tr>")
        parts.append(f'<div class="keep"><h3>{_e(tx_["report_savings"])}</h3><table class="savings"><thead><tr>'
                     f'<th>{_e(tx_["role"])}</th><th>{_e(tx_["stages"])}</th><th>{_e(tx_["tasks"])}</th>'
                     f'<th>{_e(tx_["manual"])}</th><th>{_e(tx_["minutes"])}</th><th>{_e(tx_["hours_year"])}</th><th>P10–P90</th>'
                     f'<th>{_e(cur)}</th><th>{_e(tx_["fte_short"])}</th></tr></thead>'
                     f'<tbody>{"".join(srows)}</tbody></table></div>')
    parts.append("</section>")
    # Changes per role.
    blocks = []
    grouped: dict[tuple[str, str, str], list] = {}  # (role, from, to) -> changes, grouped once (not per role)
    for c in comparison.changes:
        if c.change != "kept":
            for r in dict.fromkeys(x for x in (c.role, c.role_after) if x):
                grouped.setdefault((r, c.from_stage, c.to_stage), []).append(c)
    for role in comparison.roles:
        items = []
        for a, b in zip(comparison.stages, comparison.stages[1:]):
            changes = list(grouped.get((role, a.name, b.name), []))
            changes.sort(key=lambda c: _CHANGE_ORDER.index(c.change) if c.change in _CHANGE_ORDER else 9)
            if not changes:
                continue
            lis = "".join(f'<li class="{_e(c.change)}" data-node-id="{_e(c.before_id or c.after_id)}">'
                          f"{_e(_change_text(c, painter))}</li>" for c in changes)
            items.append(f"<p><b>{_e(stage_label(a.name, lang))} → {_e(stage_label(b.name, lang))}</b></p>"
                         f'<ul class="changes">{lis}</ul>')
        if items:
            blocks.append(f'<div class="role-changes" data-role="{_e(role)}"><h3>{_e(role)}</h3>{"".join(items)}</div>')
    parts.append(f'<section class="changes"><h2>{_e(tx_["report_changes"])}</h2>'
                 + ("".join(blocks) or f"<p>{_e(tx_['no_changes'])}</p>") + "</section>")
    parts.append(_near_misses(comparison, painter))
    # The comparison's warnings, and what converting the diagrams for this report found since.
    notes = [*comparison.warnings, *comparison.warnings_since(models)]
    if notes:
        lis = "".join(f"<li>{_e(w)}</li>" for w in notes)
        parts.append(f'<section class="notes"><h2>{_e(tx_["report_warnings"])}</h2><ul>{lis}</ul></section>')
    sources = ", ".join(_e(st.source) for st in comparison.stages)
    parts.append(f"<footer>{_e(tx_['made_with'])} · {(date or Date.today()).isoformat()} · {sources}</footer></body></html>\n")
    return "".join(parts)
