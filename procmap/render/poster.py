"""The "road to a simpler day" poster: one page (A3 or A1, landscape or portrait) with a title,
the key figures in large type, the stages side by side, the per-role chart and the changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from types import MappingProxyType
from typing import Optional, Sequence, Union

from procmap.compare.result import Comparison, TaskChange
from procmap.model.elements import Model
from procmap.render import svg as sv
from procmap.layout import text as tx
from procmap.render.chart import PANELS, chart_block, role_saving, role_savings
from procmap.render.draw import Painter, legend, legend_width, no_gc
from procmap.render.export import check_suffix, save
from procmap.render.side import DEFAULT_MAX_TASKS, Block, check_inputs, compose, role_stages
from dataclasses import replace

from procmap.layout.scene import SIZES
from procmap.render.theme import Theme
from procmap.options import ORIENTATIONS, PAPER_MM
from procmap.words import counted, kind_change, number, stage_label

PT_PER_MM = 72.0 / 25.4
#: Bigger role and stage names than on screen: they are what the eye looks for on a wall.
POSTER_SIZES = replace(SIZES, header_w=180.0, band_font=19.0, stage_font=40.0)
#: procmap's own layout made for print: boxes as wide as a long Norwegian word at full size,
#: names wrapped rather than shrunk, little room between columns and rows.
COMPACT_SIZES = replace(POSTER_SIZES, task_w=116.0, task_h=64.0, gap=12.0, row_h=68.0, pad=2.0, label_w=72.0,
                        event_d=30.0, gateway_d=38.0, header_w=124.0, count_w=64.0, label_font=10.0)
#: Folds tried for a long stage (columns per part): the one that prints largest wins.
FOLDS: tuple[Optional[int], ...] = (None, 20, 16, 13, 12, 11, 10, 9, 8)
#: Task names printed smaller than this are hard to read on a wall; the poster says so.
READABLE_PT = 6.0


@dataclass
class PosterResult:
    """What `poster` made: the file, its SVG and what a person should know about it."""

    path: Optional[Path]
    svg: str
    size: str
    orientation: str
    width_mm: float
    height_mm: float
    arrangement: str
    task_font_pt: float  # the size task names print at (the diagrams are scaled to fit)
    summarised: bool
    warnings: list[str] = field(default_factory=list)


def page_size(size: str, orientation: str) -> tuple[float, float]:
    """Width and height in mm."""
    if not isinstance(size, str) or size.upper() not in PAPER_MM:
        raise ValueError(f"unknown poster size {size!r}; use one of {', '.join(PAPER_MM)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; use 'landscape' or 'portrait'")
    w, h = PAPER_MM[size.upper()]
    return (h, w) if orientation == "landscape" else (w, h)


# -- key figures ------------------------------------------------------------------------------------

@dataclass
class Figure:
    role: str
    big: str  # "4"
    unit: str  # "oppgaver"
    line: str  # "i stedet for 11"
    extra: str  # "308 timer spart i året"
    extra_good: bool = True
    weight: float = 0.0


def key_figures(comparison: Comparison, painter: Painter) -> list[Figure]:
    """The total first, then the roles that changed most (by hours saved, else by tasks).

    Once automated steps are in play (in the first or last stage), the big number is manual
    tasks and the automated steps are said apart: 17 new automated steps are not 17 more tasks.
    """
    tx_, lang = painter.tx, painter.lang
    first, last = comparison.stages[0], comparison.stages[-1]
    figures: list[Figure] = []
    split = bool(first.automated or last.automated)

    def saving_line(s) -> tuple[str, bool]:
        if s is None:
            return "", True
        if s.minutes_per_case is None:
            return (tx_["saving_unknown"], True) if comparison.effort_known else ("", True)
        if s.hours is not None and abs(s.hours) >= 0.5:
            key = "hours_saved" if s.hours > 0 else "hours_more"
            return tx_[key].format(h=number(abs(s.hours), lang)), s.hours > 0
        if abs(s.minutes_per_case) >= 0.5:
            key = "minutes_saved" if s.minutes_per_case > 0 else "minutes_more"
            return tx_[key].format(m=number(abs(s.minutes_per_case), lang)), s.minutes_per_case > 0
        return "", True

    def unit(n: int) -> str:
        if split:
            return tx_["manual_task"] if n == 1 else tx_["manual_tasks"]
        return tx_["task"] if n == 1 else tx_["tasks"]

    def count(rs) -> int:
        return rs.manual if split else rs.tasks

    def steps(n: int) -> str:
        return (tx_["n_automated_step"] if n == 1 else tx_["n_automated_steps"]).format(n=number(n, lang))

    def instead(a, b) -> str:
        """'instead of 8 · +3 automated': the change in automated steps, said only when there is one."""
        line = tx_["instead_of"].format(n=number(count(a), lang))
        more = b.automated - a.automated
        if split and more:
            line += (" · +" if more > 0 else " · −") + steps(abs(more))
        return line

    total = role_saving(comparison, "Total")
    extra, good = saving_line(total)
    figures.append(Figure(role=tx_["total"], big=number(count(last), lang), unit=unit(count(last)),
                          line=instead(first, last), extra=extra, extra_good=good, weight=float("inf")))
    savings = role_savings(comparison, comparison.roles)
    for role, rs_a, rs_b in zip(comparison.roles, role_stages(comparison, first), role_stages(comparison, last)):
        a_present = rs_a is not None and rs_a.present
        b_present = rs_b is not None and rs_b.present
        s = savings[role]
        extra, good = saving_line(s)
        weight = abs(s.hours) if s is not None and s.hours is not None else 0.0
        weight = weight * 1000 + abs((count(rs_a) if a_present else 0) - (count(rs_b) if b_present else 0))
        if a_present and not b_present:
            gone = tx_["role_gone_before_one" if rs_a.tasks == 1 else "role_gone_before"].format(n=rs_a.tasks)
            figures.append(Figure(role=role, big="0", unit=unit(0), line=tx_["role_gone"], extra=extra or gone,
                                  extra_good=good, weight=weight))
        elif b_present and not a_present:
            line = tx_["role_new"] + (", " + steps(rs_b.automated) if rs_b.automated else "")
            figures.append(Figure(role=role, big=number(count(rs_b), lang), unit=unit(count(rs_b)), line=line,
                                  extra=extra, extra_good=good, weight=weight))
        elif a_present and b_present:
            if rs_a.tasks == rs_b.tasks and rs_a.manual == rs_b.manual and not extra:
                continue
            figures.append(Figure(role=role, big=number(count(rs_b), lang), unit=unit(count(rs_b)),
                                  line=instead(rs_a, rs_b), extra=extra, extra_good=good, weight=weight))
    head, rest = figures[:1], sorted(figures[1:], key=lambda f: -f.weight)
    return head + rest


def figure_cards(figures: list[Figure], painter: Painter, x: float, y: float, width: float, u: float,
                 max_rows: int = 1) -> tuple[str, float]:
    """Cards in rows of at most as many as fit; returns (svg, height)."""
    t = painter.t
    gap = 10 * u
    min_w = 150 * u
    fit = max(1, int((width + gap) // (min_w + gap)))
    shown = figures[:fit * max_rows]
    per_row = -(-len(shown) // -(-len(shown) // fit)) if shown else 1  # rows as even as they can be
    rows = [shown[i:i + per_row] for i in range(0, len(shown), per_row)]
    card_h = 140 * u
    out = ['<g class="key-figures">']
    cy = y
    for row in rows:
        card_w = (width - gap * (len(row) - 1)) / len(row) if len(row) == per_row else (width - gap * (per_row - 1)) / per_row
        cx = x
        for i, f in enumerate(row):
            total = i == 0 and cy == y
            fill = t["accent"] if total else t["card_fill"]
            ink = "#ffffff" if total else t["ink"]
            muted = "#dde7f3" if total else t["muted"]
            out.append(f'<g class="key-figure"{sv.attrs(data_role=f.role)}>{sv.title(f.role)}')
            out.append(sv.rect(cx, cy, card_w, card_h, rx=8 * u, fill=fill))
            pad = 12 * u
            inner = card_w - 2 * pad
            size, lines = tx.fit(f.role, inner, 20 * u, 16 * u, 10 * u, bold=True, max_lines=1)
            out.append(sv.lines_block(cx + pad, cy + pad + 9 * u, lines, size, anchor="start", x=cx + pad,
                                      bold=True, fill=ink))
            big = 40 * u
            bw = tx.width(f.big, big, True)
            while big > 20 * u and bw + 6 * u + tx.width(f.unit.split(" ")[0], 12 * u) > inner:
                big *= 0.9  # the number gives way only when not even the unit's first word fits beside it
                bw = tx.width(f.big, big, True)
            base = cy + pad + 24 * u + big * 0.78
            out.append(sv.text(cx + pad, base, f.big, big, font_weight="bold", fill=ink))
            # The unit ("manual tasks") beside the number, on two lines when one is too narrow: never cut.
            us, ulines = tx.fit(f.unit, inner - bw - 6 * u, big * 0.95, 17 * u, 11 * u, max_lines=2)
            if ulines:
                block = len(ulines) * us * tx.LINE_HEIGHT
                out.append(sv.lines_block(cx + pad + bw + 6 * u, base, ulines, us, anchor="start",
                                          x=cx + pad + bw + 6 * u, fill=ink, top=base - block + us * 0.25))
            small = 13.5 * u
            line_y = base + 6 * u
            if f.line:
                ls, lines = tx.fit(f.line, inner, small * 1.25 * 2, small, 10 * u, max_lines=2)
                out.append(sv.lines_block(cx + pad, line_y, lines, ls, anchor="start", x=cx + pad, fill=muted,
                                          top=line_y))
                line_y += len(lines) * ls * tx.LINE_HEIGHT
            if f.extra:
                colour = ink if total else (t["saving"] if f.extra_good else t["loss"])
                room = cy + card_h - pad * 0.6 - line_y
                es, lines = tx.fit(f.extra, inner, room, small, 10 * u, bold=True, max_lines=2)
                out.append(sv.lines_block(cx + pad, line_y, lines, es, anchor="start", x=cx + pad, bold=True,
                                          fill=colour, top=line_y))
            out.append("</g>")
            cx += card_w + gap
        cy += card_h + gap
    out.append("</g>")
    return "".join(out), cy - gap - y


# -- the changes, called out ---------------------------------------------------------------------------

def task_label(name: Optional[str], painter: Painter) -> str:
    """A task's name for people: an unnamed task is said to be one, never shown as an id or a blank."""
    return name if name else str(painter.tx["unnamed_task"])


#: What ends a change line's text before its muted detail: a colon sets a change of kind apart from the
#: task's name («Motta søknaden: for hånd → på skjerm», not «Motta søknaden for hånd → på skjerm»).
DETAIL_MARK = MappingProxyType({"kind_changed": ":"})


def detail_mark(kind: str) -> str:
    return DETAIL_MARK.get(kind, "")


def change_lines(comparison: Comparison, painter: Painter) -> list[tuple[str, str, str, str]]:
    """(kind, text, role, node id) lines: a heading and counts per pair of stages, then what is
    gone, new and moved."""
    tx_ = painter.tx
    out: list[tuple[str, str, str, str]] = []
    for a, b in zip(comparison.stages, comparison.stages[1:]):
        pair = [c for c in comparison.changes if c.from_stage == a.name and c.to_stage == b.name]
        out.append(("heading", tx_["from_to"].format(a=stage_label(a.name, painter.lang), b=stage_label(b.name, painter.lang)), "", ""))
        groups: list[tuple[str, list[TaskChange]]] = [
            (kind, [c for c in pair if c.change == kind])
            for kind in ("removed", "added", "moved", "kind_changed", "renamed")]
        if not any(items for _, items in groups):
            out.append(("none", tx_["no_changes"], "", ""))
        else:
            counts = [tx_[key].format(n=number(len(items), painter.lang)) for key, (_, items) in
                      zip(("n_gone", "n_new", "n_moved", "n_kind", "n_renamed"), groups) if items]
            out.append(("summary", " · ".join(counts), "", ""))
        # Grouped by role (in the comparison's role order), so a role's name is written once, never cut off.
        for role in comparison.roles:
            mine = [(kind, c) for kind, items in groups for c in items if c.role == role]
            if not mine:
                continue
            out.append(("role", role, "", ""))
            for kind, c in mine:
                before, after = task_label(c.name_before, painter), task_label(c.name_after, painter)
                if kind == "removed":
                    out.append(("removed", f"− {before}", "", c.before_id or ""))
                elif kind == "added":
                    out.append(("added", f"+ {after}", "", c.after_id or ""))
                elif kind == "moved":
                    out.append(("moved", f"→ {before}", f"→ {c.role_after}", c.before_id or ""))
                elif kind == "renamed":
                    out.append(("renamed", f"✎ {before} → {after}", "", c.after_id or ""))
                else:
                    name = f"{before} → {after}" if before != after else before
                    out.append(("kind_changed", f"⚙ {name}", kind_change(c.type_before, c.type_after, painter.lang), c.after_id or ""))
    return out


def changes_block(comparison: Comparison, painter: Painter, x: float, y: float, width: float, height: float,
                  u: float) -> str:
    """The change lines that fit in the box, shared fairly between the pairs of stages;
    what does not fit becomes "… and N more"."""
    t = painter.t
    head = 13 * u
    groups: list[list[tuple[str, str, str, str]]] = []
    for line in change_lines(comparison, painter):
        if line[0] == "heading":
            groups.append([line])
        else:
            groups[-1].append(line)
    # A long list may go down to 85 % of the normal size before lines are left out.
    needed = sum(len(g) for g in groups)
    size = 10.5 * u * max(0.85, min(1.0, (height - head * 1.6) / (needed * 10.5 * u * 1.32)))
    lh = size * 1.32
    heads = [2 if len(g) > 1 and g[1][0] in ("summary", "none") else 1 for g in groups]
    room = int((height - head * 1.6) // lh) - sum(heads)  # lines for items, headings apart
    budgets = [0] * len(groups)
    wants = [len(g) - h for g, h in zip(groups, heads)]
    while room > 0 and any(b < w for b, w in zip(budgets, wants)):
        for i in range(len(groups)):
            if room > 0 and budgets[i] < wants[i]:
                budgets[i] += 1
                room -= 1
    out = ['<g class="changes">']
    if room < 0:
        out.append("</g>")
        return "".join(out)
    out.append(sv.text(x, y + head, painter.tx["changes"], head, font_weight="bold", fill=t["title"]))
    cy = y + head * 1.6
    colours = {"removed": t["removed_stroke"], "added": t["added_stroke"], "moved": t["moved_stroke"],
               "renamed": t["ink"], "kind_changed": t["ink"], "heading": t["ink"], "none": t["muted"], "summary": t["muted"], "role": t["ink"]}
    for group, budget, nh in zip(groups, budgets, heads):
        items = group[nh:]
        shown = items if budget >= len(items) else items[:max(budget - 1, 0)]
        while shown and shown[-1][0] == "role":  # never a role's name with none of its changes under it
            shown = shown[:-1]
        for kind, value, role, data in group[:nh] + shown:
            bold = kind in ("heading", "role")
            lx = x + {"heading": 0, "role": 6 * u}.get(kind, 14 * u)
            room = x + width - lx
            tail = f" {role}" if role else ""
            mark = detail_mark(kind) if role else ""  # kept when the name is cut
            # Shrink a long line to fit (down to 80 %) before anything is cut; then cut the task name, not the role.
            fit = size * min(1.0, max(0.8, room / max(tx.width(value + mark + tail, size, bold), 1.0)))
            value = tx.ellipsize(value, room - tx.width(tail, fit * 0.9) - tx.width(mark, fit, bold), fit, bold) + mark
            body = sv.text(lx, cy + size, value, fit, fill=colours[kind], font_weight="bold" if bold else None)
            if tail:
                body += sv.text(lx + tx.width(value, fit, bold), cy + size, tail, fit * 0.9, fill=t["muted"])
            out.append(f'<g class="change"{sv.attrs(data_kind=kind, data_node_id=data or None)}>{body}</g>')
            cy += lh
        if len(shown) < len(items):  # counted in changes, not in lines: role names are not changes
            more = number(sum(1 for line in items[len(shown):] if line[0] != "role"), painter.lang)
            out.append(sv.text(x + 6 * u, cy + size, painter.tx["n_more"].format(n=more), size,
                               fill=t["muted"], font_style="italic"))
            cy += lh
    out.append("</g>")
    return "".join(out)


# -- the page ------------------------------------------------------------------------------------------

def poster_svg(models: Sequence[Model], comparison: Comparison, *, size: str = "A3", orientation: str = "auto",
               title: Optional[str] = None, subtitle: Optional[str] = None, lang: str = "nb", theme: Theme = None,
               layout: str = "auto", max_tasks: int = DEFAULT_MAX_TASKS,
               summarise: Optional[bool] = None, date: Optional[Date] = None) -> PosterResult:
    """The poster as an SVG document (see `poster`): with `orientation` "auto", the orientation, and
    on a portrait page the rows of key figures, that print the task names largest."""
    if orientation not in ("auto", *ORIENTATIONS):
        page_size(size, orientation)  # the one clear error
    tries = [(o, None) for o in (ORIENTATIONS if orientation == "auto" else (orientation,))]
    best: Optional[PosterResult] = None
    kw = dict(size=size, title=title, subtitle=subtitle, lang=lang, theme=theme, layout=layout,
              max_tasks=max_tasks, summarise=summarise, date=date)
    while tries:
        o, rows = tries.pop(0)
        result = _poster_svg(models, comparison, orientation=o, card_rows=rows, **kw)  # type: ignore[arg-type]
        if o == "portrait" and rows is None and result.task_font_pt < READABLE_PT and not result.summarised:
            tries.append((o, 1))  # one row of key figures leaves the stages more room
        if best is None or result.task_font_pt > best.task_font_pt + 0.01:
            best = result
    assert best is not None
    if best.task_font_pt >= READABLE_PT:  # the other page's complaint no longer applies
        best.warnings = [w for w in best.warnings if not w.startswith("task names print at")]
    return best


def _poster_svg(models: Sequence[Model], comparison: Comparison, *, size: str = "A3", orientation: str = "landscape",
               title: Optional[str] = None, subtitle: Optional[str] = None, lang: str = "nb", theme: Theme = None,
               layout: str = "auto", max_tasks: int = DEFAULT_MAX_TASKS,
               summarise: Optional[bool] = None, date: Optional[Date] = None,
               card_rows: Optional[int] = None) -> PosterResult:
    """The poster as an SVG document (see `poster`). `card_rows`: rows of key figures (default:
    two on a portrait page, one on a landscape one)."""
    w_mm, h_mm = page_size(size, orientation)
    painter = Painter(theme, lang, sizes=POSTER_SIZES)
    check_inputs(models, comparison)
    if title is not None and not isinstance(title, str):
        raise ValueError("title must be text")
    if subtitle is not None and not isinstance(subtitle, str):
        raise ValueError("subtitle must be text")
    t, tx_ = painter.t, painter.tx
    W, H = w_mm * PT_PER_MM, h_mm * PT_PER_MM
    u = min(W, H) / 841.89  # 1 on A3, 2 on A1
    m = 24 * u
    out: list[str] = []
    warnings: list[str] = []

    # Title and subtitle.
    title = tx.clean(title if title is not None else tx_["title"])
    if subtitle is None:
        name = next((mdl.name for mdl in models if mdl.name), "")
        flow = " → ".join(stage_label(s.name, lang) for s in comparison.stages)
        subtitle = f"{name}: {flow}" if name else flow
        cases = comparison.settings.cases_per_year
        if cases:
            subtitle += " · " + counted(tx_, "cases", cases).format(n=number(cases, lang))
    subtitle = tx.clean(subtitle)
    y = m
    t_size, t_lines = tx.fit(title, W - 2 * m, 46 * u, 40 * u, 22 * u, bold=True, max_lines=1)
    out.append('<g class="title">' + sv.lines_block(m, y, t_lines, t_size, anchor="start", x=m, bold=True,
                                                    fill=t["title"], top=y) + "</g>")
    y += t_size * 1.2
    if subtitle:
        s_size, s_lines = tx.fit(subtitle, W - 2 * m, 24 * u, 19 * u, 11 * u, max_lines=1)
        out.append('<g class="subtitle">' + sv.lines_block(m, y, s_lines, s_size, anchor="start", x=m,
                                                           fill=t["muted"], top=y) + "</g>")
        y += s_size * 1.25
    y += 10 * u

    # Key figures.
    figures = key_figures(comparison, painter)
    if card_rows is None:
        card_rows = 2 if H > W else 1
    # A portrait page has the height for a second row of key figures; a landscape one keeps the best row.
    cards, cards_h = figure_cards(figures, painter, m, y, W - 2 * m, u, max_rows=card_rows)
    out.append(cards)
    y += cards_h + 16 * u

    # Footer: the legend across the page and a credit line; measured first, the rest takes what is left.
    credit = f"{tx_['made_with']} · {(date or Date.today()).isoformat()}"
    credit_size = 9 * u
    legend_size = 10 * u
    legend_scale = legend_size / 13.0
    credit_w = tx.width(credit, credit_size) + 20 * u
    probe = compose(models, comparison, painter, arrange="columns", max_tasks=max_tasks, summarise=summarise,
                    layout=layout)
    avail = W - 2 * m - credit_w
    one_row = legend_width(painter, probe.kinds, 13.0)
    if one_row * legend_scale > avail:
        legend_scale = max(avail / one_row, 7.5 * u / 13.0)
    legend_svg, legend_h = legend(painter, probe.kinds, avail / legend_scale, 13.0)
    footer_h = legend_h * legend_scale + 8 * u
    main_top, main_bottom = y, H - m - footer_h - 8 * u
    gap = 18 * u

    # The stages, as big as the space allows.
    chart_font = 11.5 * u
    if orientation == "landscape":
        side_w = 290 * u
        diag_w, diag_h = W - 2 * m - side_w - gap, main_bottom - main_top
    else:
        side_w = 0.0
        half = (W - 2 * m - gap) / 2
        reserve = min(chart_block(comparison, painter, half, chart_font, panels=("tasks", "saving")).height,
                      0.32 * (main_bottom - main_top))
        diag_w, diag_h = W - 2 * m, main_bottom - main_top - reserve - gap
        # The stages come first: when they print larger with the chart's room, they take it.
        full = main_bottom - main_top
        wide = _best_block(models, comparison, painter, diag_w, full, layout, max_tasks, summarise, probe)
        small = smallest_name(wide.body) * min(diag_w / wide.width, diag_h / wide.height) < READABLE_PT
        if small and min(diag_w / wide.width, full / wide.height) > min(diag_w / wide.width, diag_h / wide.height) * 1.02:
            need = wide.height * min(diag_w / wide.width, full / wide.height)
            diag_h = max(diag_h, min(full, need + 2 * u))
    block = _best_block(models, comparison, painter, diag_w, diag_h, layout, max_tasks, summarise, probe)
    notes = list(block.notes)
    note_size = 11 * u
    diag_h -= len(notes) * note_size * 1.35
    scale = min(diag_w / block.width, diag_h / block.height)
    task_pt = smallest_name(block.body) * scale  # what ends up on paper: names a box shrank count
    summarised = block.summarised
    if not summarised and task_pt < READABLE_PT:
        larger = [p for p in ("A2", "A1", "A0") if PAPER_MM[p][1] > max(w_mm, h_mm)]
        bigger = next((p for p in larger if task_pt * PAPER_MM[p][1] / max(w_mm, h_mm) >= READABLE_PT),
                      larger[-1] if larger else None)
        hint = f"task names print at {task_pt:.1f} pt on {size.upper()}"
        if bigger:
            hint += f"; {bigger} prints them at {task_pt * PAPER_MM[bigger][1] / max(w_mm, h_mm):.1f} pt"
        if task_pt < 2.5:
            hint += "; --max-tasks lower than the tasks per stage shows one box per role instead"
        warnings.append(hint)
    out.append(f'<g class="diagrams" transform="translate({sv.num(m)} {sv.num(main_top)}) '
               f'scale({scale:.5f})">{block.body}</g>')
    diag_bottom = main_top + block.height * scale
    ny = diag_bottom + 6 * u
    for note in notes:
        out.append(sv.text(m, ny + note_size, tx.ellipsize(note, diag_w, note_size), note_size, fill=t["loss"],
                           font_style="italic", class_="note"))
        ny += note_size * 1.35
    warnings.extend(notes)

    # Free room next to the narrower stages or under the stages: the changes go there.
    free = _free_rects(block, scale, m, main_top, diag_w, ny + gap * 0.5, main_bottom, gap)
    free = [r for r in free if r[2] >= 200 * u and r[3] >= 110 * u]
    best_free = max(free, key=lambda r: r[2] * min(r[3], 400 * u), default=None)

    if orientation == "landscape":
        cx = W - m - side_w
        room = main_bottom - main_top
        chart = chart_block(comparison, painter, side_w, chart_font)
        limit = room if best_free else 0.62 * room
        if chart.height * 0.66 > limit:
            chart = chart_block(comparison, painter, side_w, chart_font, panels=("tasks", "saving"))
        cscale = min(1.0, limit / chart.height)
        out.append(f'<g transform="translate({sv.num(cx)} {sv.num(main_top)}) scale({cscale:.4f})">'
                   f'{chart.body}</g>')
        used = chart.height * cscale + 18 * u
        if best_free:
            out.append(changes_block(comparison, painter, *best_free, u))
        elif room - used > 60 * u:
            out.append(changes_block(comparison, painter, cx, main_top + used, side_w, room - used, u))
    elif main_bottom - (max(ny, diag_bottom) + gap) < 90 * u:  # the stages took the page: the chart is in the report
        if best_free:
            out.append(changes_block(comparison, painter, *best_free, u))
    else:
        ptop = max(ny, diag_bottom) + gap
        ph = main_bottom - ptop
        chart = chart_block(comparison, painter, half, chart_font, panels=("tasks", "saving"))
        if chart.height < 0.6 * ph and "effort" not in chart.body:
            chart = chart_block(comparison, painter, half, chart_font)
            if chart.height > ph:
                chart = chart_block(comparison, painter, half, chart_font, panels=("tasks", "saving"))
        cscale = min(1.0, ph / chart.height)
        out.append(f'<g transform="translate({sv.num(m)} {sv.num(ptop)}) scale({cscale:.4f})">{chart.body}</g>')
        if best_free and best_free[1] + best_free[3] <= ptop:
            out.append(changes_block(comparison, painter, *best_free, u))
        else:
            out.append(changes_block(comparison, painter, m + half + gap, ptop, half, ph, u))

    # Footer.
    fy = H - m - footer_h + 8 * u
    out.append(f'<g transform="translate({sv.num(m)} {sv.num(fy)}) scale({legend_scale:.4f})">{legend_svg}</g>')
    out.append(sv.text(W - m, H - m, credit, credit_size, text_anchor="end", fill=t["faint"], class_="credit"))

    body = "".join(out)
    doc = sv.document(body, W, H, font=str(t["font"]), background=str(t["background"]),
                      width_attr=f"{w_mm:g}mm", height_attr=f"{h_mm:g}mm", title_text=title,
                      extra_attrs=sv.attrs(data_size=size.upper(), data_orientation=orientation, data_lang=lang))
    return PosterResult(path=None, svg=doc, size=size.upper(), orientation=orientation, width_mm=w_mm, height_mm=h_mm,
                        arrangement=block.arrangement, task_font_pt=round(task_pt, 2), summarised=summarised,
                        warnings=warnings)


_NAME_SIZE = re.compile(r'<text [^>]*?font-size="([0-9.]+)"[^>]*? class="name"')


def smallest_name(body: str) -> float:
    """The smallest font size (in the block's units) that a task's name is written in."""
    sizes = [float(v) for v in _NAME_SIZE.findall(body)]
    return min(sizes) if sizes else SIZES.font


def _free_rects(block: Block, scale: float, x0: float, y0: float, width: float, below_top: float,
                bottom: float, gap: float) -> list[tuple[float, float, float, float]]:
    """Empty rectangles (x, y, w, h) in the stages' area: right of the trailing, narrower stages
    (stacked rows) and under the stages."""
    out = []
    rects = block.rects
    if block.arrangement == "rows":
        for k in range(1, len(rects)):
            right = max(r[0] + r[2] for r in rects[k:]) * scale + x0 + gap
            top = y0 + rects[k][1] * scale
            out.append((right, top, x0 + width - right, bottom - top))
    if bottom - below_top > 0:
        out.append((x0, below_top, width, bottom - below_top))
    return out


def _best_block(models, comparison, painter, box_w, box_h, layout, max_tasks, summarise, probe: Block) -> Block:
    """The stages block that prints largest in the box: the layout asked for in either arrangement,
    and (unless the modeller's own drawing was asked for) procmap's compact layout, folded or not."""
    candidates = [probe, compose(models, comparison, painter, arrange="rows", max_tasks=max_tasks,
                                 summarise=summarise, layout=layout)]

    def printed(b: Block) -> float:
        return smallest_name(b.body) * min(box_w / b.width, box_h / b.height)

    if layout in ("auto", "procmap") and not probe.summarised and max(map(printed, candidates)) < READABLE_PT:
        for fold in FOLDS:
            candidates.append(compose(models, comparison, painter, arrange="rows", max_tasks=max_tasks,
                                      summarise=summarise, layout=layout, sizes=COMPACT_SIZES, compact=True,
                                      fold=fold))
        candidates.append(compose(models, comparison, painter, arrange="columns", max_tasks=max_tasks,
                                  summarise=summarise, layout=layout, sizes=COMPACT_SIZES, compact=True))
    return max(candidates, key=printed)


def poster(models: Sequence[Model], comparison: Comparison, path: Union[str, Path, None] = None, *,
           size: str = "A3", orientation: str = "auto", title: Optional[str] = None,
           subtitle: Optional[str] = None, lang: str = "nb", theme: Theme = None, layout: str = "auto",
           max_tasks: int = DEFAULT_MAX_TASKS, summarise: Optional[bool] = None, dpi: float = 150.0,
           date: Optional[Date] = None) -> PosterResult:
    """Write the poster to `path` (.pdf, .svg or .png, by the suffix; None: only return it).

    `size` A3 or A1 (A0, A2, A4 work too), `orientation` landscape, portrait or auto, `lang` 'nb'
    or 'en' for the fixed texts. Stages with more than `max_tasks` tasks are shown
    summarised (one box per role) and the result's warnings say so.
    """
    if path is not None:
        check_suffix(path)
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 1200:
        raise ValueError("dpi must be a number between 10 and 1200")
    with no_gc():
        result = poster_svg(models, comparison, size=size, orientation=orientation, title=title,
                            subtitle=subtitle, lang=lang, theme=theme, layout=layout, max_tasks=max_tasks,
                            summarise=summarise, date=date)
    if path is not None:
        result.path = save(result.svg, path, dpi=dpi, notes=result.warnings)
    return result


__all__ = ["PAPER_MM", "PANELS", "PosterResult", "key_figures", "page_size", "poster", "poster_svg"]
