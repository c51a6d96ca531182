"""Charts of a comparison: tasks (and hours or minutes, when known) per role per stage, and the
saving per role from the first stage to the last."""

from __future__ import annotations

from typing import Optional, Sequence

from procmap.compare.result import Comparison, RoleStage, Saving
from procmap.render import svg as sv
from procmap.layout import text as tx
from procmap.render.draw import Painter
from procmap.render.side import Block, role_stages
from procmap.render.theme import Theme, stage_colour
from procmap.words import number, stage_label

PANELS = ("tasks", "effort", "saving")


def effort_metric(comparison: Comparison) -> Optional[str]:
    """'hours' when hours a year are known, 'minutes' when only minutes per case are, else None."""
    cells = [rs for st in comparison.stages for rs in st.roles]
    if any(rs.hours_per_year is not None for rs in cells):
        return "hours"
    if any(rs.minutes is not None for rs in cells):
        return "minutes"
    return None


def _value(rs: Optional[RoleStage], metric: str) -> Optional[float]:
    if rs is None or not rs.present:
        return None
    if metric == "tasks":
        return float(rs.tasks)
    if metric == "hours":
        return rs.hours_per_year
    return rs.minutes


def role_saving(comparison: Comparison, role: str, first: int = 0, last: int = -1) -> Optional[Saving]:
    """The saving of a role (or 'Total') between two stages: from the comparison when it has it,
    else worked out from the stages' figures."""
    return role_savings(comparison, [role], first, last)[role]


def role_savings(comparison: Comparison, roles: Sequence[str], first: int = 0,
                 last: int = -1) -> dict[str, Optional[Saving]]:
    """``role_saving`` of many roles at once, looking each up in tables made once (linear in roles)."""
    a, b = comparison.stages[first], comparison.stages[last]
    known = {s.role: s for s in comparison.savings if s.from_stage == a.name and s.to_stage == b.name}
    in_a: dict[str, list[RoleStage]] = {}
    in_b: dict[str, list[RoleStage]] = {}
    for rs in a.roles:
        in_a.setdefault(rs.role, []).append(rs)
    for rs in b.roles:
        in_b.setdefault(rs.role, []).append(rs)
    out: dict[str, Optional[Saving]] = {}
    for role in roles:
        if role in known:
            out[role] = known[role]
        elif role == "Total":
            out[role] = _worked_out(comparison, role, a, b, list(a.roles), list(b.roles))
        else:
            out[role] = _worked_out(comparison, role, a, b, in_a.get(role, []), in_b.get(role, []))
    return out


def _worked_out(comparison: Comparison, role: str, a, b, ra: list[RoleStage],
                rb: list[RoleStage]) -> Optional[Saving]:
    if not ra and not rb:
        return None

    def total(rows: list[RoleStage], attr: str) -> Optional[float]:
        vals = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
        return sum(vals) if vals else None

    def diff(attr: str) -> Optional[float]:
        x, y = total(ra, attr), total(rb, attr)
        if x is None or y is None:  # unknown is not zero
            return None
        return x - y

    hours = diff("hours_per_year")
    settings = comparison.settings
    return Saving(role=role, from_stage=a.name, to_stage=b.name,
                  tasks=sum(r.tasks for r in ra) - sum(r.tasks for r in rb),
                  manual=sum(r.manual for r in ra) - sum(r.manual for r in rb),
                  automated=sum(r.automated for r in ra) - sum(r.automated for r in rb),
                  minutes_per_case=diff("minutes"),
                  hours=hours, money=diff("cost_per_year"),
                  fte=hours / settings.hours_per_fte if hours is not None and settings.hours_per_fte else None)


def _title(out: list[str], title: str, x: float, y: float, width: float, font: float, t) -> float:
    """A panel title, shrunk or on two lines when narrow; returns the y under it."""
    size, lines = tx.fit(title, width, font * 1.15 * 2.5, font * 1.15, font * 0.85, bold=True, max_lines=2)
    out.append(sv.lines_block(x, y, lines, size, anchor="start", x=x, bold=True, fill=t["title"], top=y))
    return y + len(lines) * size * tx.LINE_HEIGHT + font * 0.6


def _stage_legend(painter: Painter, comparison: Comparison, x: float, y: float, width: float,
                  font: float) -> tuple[str, float]:
    out = ['<g class="chart-legend">']
    cx, cy = x, y
    for i, stage in enumerate(comparison.stages):
        label = stage_label(stage.name, painter.lang)
        w = font * 1.2 + tx.width(label, font) + font * 1.4
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + font * 1.7
        out.append(sv.rect(cx, cy, font, font, rx=2, fill=stage_colour(painter.t, i)))
        out.append(sv.text(cx + font * 1.35, cy + font * 0.86, label, font, fill=painter.t["ink"]))
        cx += w
    out.append("</g>")
    return "".join(out), cy + font * 1.7 - y


def _bars_panel(painter: Painter, comparison: Comparison, metric: str, title: str, x: float, y: float,
                width: float, font: float) -> tuple[str, float]:
    t, lang = painter.t, painter.lang
    out = [f'<g class="chart-panel"{sv.attrs(data_metric=metric)}>']
    y = _title(out, title, x, y, width, font, t)
    label_w = min(width * 0.38, max((tx.width(r, font, True) for r in comparison.roles), default=0.0) + font)
    value_w = tx.width("00 000", font) + font * 0.5
    bar_x = x + label_w
    bar_room = max(width - label_w - value_w, 10.0)
    n = len(comparison.stages)
    bar_h = font * 0.95
    rows = [role_stages(comparison, st) for st in comparison.stages]
    values = [[_value(rows[i][j], metric) for i in range(n)] for j in range(len(comparison.roles))]
    top = max((v for vs in values for v in vs if v is not None), default=0.0) or 1.0
    decimals = 0
    top_y = y
    for j, role in enumerate(comparison.roles):
        group_h = n * bar_h + (n - 1) * 2
        out.append(f'<g class="chart-role"{sv.attrs(data_role=role)}>')
        size, lines = tx.fit(role, label_w - font * 0.6, max(group_h, font * 1.25), font, font * 0.7, bold=True,
                             max_lines=2)
        out.append(sv.lines_block(x, y + group_h / 2, lines, size, anchor="start", x=x, bold=True, fill=t["ink"]))
        for i in range(n):
            v = values[j][i]
            by = y + i * (bar_h + 2)
            if v is None:
                out.append(sv.text(bar_x + 3, by + bar_h * 0.8, "–", font * 0.85, fill=t["faint"]))
                continue
            w = bar_room * v / top
            out.append(sv.rect(bar_x, by, max(w, 1.5), bar_h, fill=stage_colour(t, i),
                               **{"data-stage": comparison.stages[i].name, "data-value": sv.num(v)}))
            out.append(sv.text(bar_x + w + font * 0.3, by + bar_h * 0.82, number(v, lang, decimals),
                               font * 0.85, fill=t["ink"]))
        out.append("</g>")
        y += group_h + font * 0.8
    out.append(sv.line(bar_x, top_y - 2, bar_x, y - font * 0.8 + 2, stroke=t["faint"], stroke_width=1))
    out.append("</g>")
    return "".join(out), y


def _saving_panel(painter: Painter, comparison: Comparison, x: float, y: float, width: float,
                  font: float) -> tuple[str, float]:
    t, lang = painter.t, painter.lang
    first, last = comparison.stages[0].name, comparison.stages[-1].name
    savings = role_savings(comparison, comparison.roles)
    metric = "hours" if any(s and s.hours is not None for s in savings.values()) else (
        "minutes" if any(s and s.minutes_per_case is not None for s in savings.values()) else "tasks")

    # Fewer tasks means fewer manual tasks once automated steps are in play: a new robot is no more work.
    split = metric == "tasks" and any(st.automated for st in (comparison.stages[0], comparison.stages[-1]))

    def val(s: Optional[Saving]) -> Optional[float]:
        if s is None:
            return None
        tasks = float(s.manual if split else s.tasks)
        return {"hours": s.hours, "minutes": s.minutes_per_case, "tasks": tasks}[metric]

    key = "chart_saving_manual" if split else f"chart_saving_{metric}"
    title = painter.tx[key].format(a=stage_label(first, painter.lang), b=stage_label(last, painter.lang))
    out = [f'<g class="chart-panel saving"{sv.attrs(data_metric=metric)}>']
    y = _title(out, title, x, y, width, font, t)
    label_w = min(width * 0.38, max((tx.width(r, font, True) for r in comparison.roles), default=0.0) + font)
    vals = [val(savings[r]) for r in comparison.roles]
    pos = max((v for v in vals if v is not None and v > 0), default=0.0)
    neg = -min((v for v in vals if v is not None and v < 0), default=0.0)
    value_w = tx.width("−00 000", font * 0.85) + font * 0.4
    room = max(width - label_w - value_w * (2 if neg else 1), 10.0)
    span = (pos + neg) or 1.0
    zero = x + label_w + (value_w if neg else 0.0) + room * neg / span
    bar_h = font * 1.05
    top_y = y
    for role, v in zip(comparison.roles, vals):
        out.append(f'<g class="chart-role"{sv.attrs(data_role=role)}>')
        size, lines = tx.fit(role, label_w - font * 0.6, font * 1.4, font, font * 0.7, bold=True, max_lines=1)
        out.append(sv.lines_block(x, y + bar_h / 2, lines, size, anchor="start", x=x, bold=True, fill=t["ink"]))
        if v is None:
            out.append(sv.text(zero + 4, y + bar_h * 0.8, "–", font * 0.85, fill=t["faint"]))
        else:
            w = room * abs(v) / span
            colour = t["saving"] if v >= 0 else t["loss"]
            bx = zero if v >= 0 else zero - w
            out.append(sv.rect(bx, y, max(w, 1.5), bar_h, fill=colour, **{"data-value": sv.num(v)}))
            label = ("+" if v > 0 else "") + number(v, lang)
            if v >= 0:
                out.append(sv.text(zero + w + font * 0.3, y + bar_h * 0.8, label, font * 0.85, fill=t["ink"]))
            else:
                out.append(sv.text(bx - font * 0.3, y + bar_h * 0.8, label, font * 0.85, text_anchor="end",
                                   fill=t["ink"]))
        out.append("</g>")
        y += bar_h + font * 0.55
    out.append(sv.line(zero, top_y - 3, zero, y - font * 0.55 + 3, stroke=t["ink"], stroke_width=1.2))
    out.append("</g>")
    return "".join(out), y


def chart_block(comparison: Comparison, painter: Painter, width: float, font: float = 14.0,
                panels: tuple[str, ...] = PANELS) -> Block:
    """The charts stacked in one column of the given width."""
    if not isinstance(comparison, Comparison):
        raise ValueError("comparison must be a procmap Comparison")
    bad = [p for p in panels if p not in PANELS]
    if bad:
        raise ValueError(f"unknown chart panels {bad}; use {', '.join(PANELS)}")
    if width <= 0 or font <= 0:
        raise ValueError("chart width and font size must be positive")
    out = ['<g class="chart">']
    legend_svg, y = _stage_legend(painter, comparison, 0.0, 0.0, width, font)
    out.append(legend_svg)
    y += font * 0.6
    if "tasks" in panels:
        body, y = _bars_panel(painter, comparison, "tasks", painter.tx["chart_tasks"], 0.0, y, width, font)
        out.append(body)
        y += font * 0.8
    metric = effort_metric(comparison)
    if "effort" in panels and metric:
        title = painter.tx["chart_hours" if metric == "hours" else "chart_minutes"]
        body, y = _bars_panel(painter, comparison, metric, title, 0.0, y, width, font)
        out.append(body)
        y += font * 0.8
    if "saving" in panels and len(comparison.stages) > 1:
        body, y = _saving_panel(painter, comparison, 0.0, y, width, font)
        out.append(body)
    out.append("</g>")
    return Block("".join(out), width, y)


def chart_svg(comparison: Comparison, *, theme: Theme = None, lang: str = "nb", width: float = 720.0,
              font: float = 14.0, panels: tuple[str, ...] = PANELS) -> str:
    """Tasks (and hours a year or minutes per case, when known) per role per stage, and the saving
    per role from the first stage to the last (a complete SVG document)."""
    painter = Painter(theme, lang)
    block = chart_block(comparison, painter, width - 32, font, panels)
    body = f'<g transform="translate(16 16)">{block.body}</g>'
    return sv.document(body, width, block.height + 32, font=str(painter.t["font"]),
                       background=str(painter.t["background"]))
