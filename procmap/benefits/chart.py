"""The follow-up chart: per benefit, the planned hours a year (a dashed line) against what the measured
minutes per case realised on each date (a line with points). Without the cases a year the chart
shows the share of the planned benefit instead (planned = 100 %)."""

from __future__ import annotations

from typing import Optional

from procmap.benefits.plan import Benefit, BenefitPlan
from procmap.benefits.text import Say
from procmap.layout import text as tx
from procmap.render import svg as sv
from procmap.render.theme import Theme, resolve_theme

PANEL_H = 190.0


def _values(b: Benefit, hours: bool) -> tuple[float, list[float]]:
    if hours:
        return b.hours_freed or 0.0, [m.realised_hours or 0.0 for m in b.followup]
    return 100.0, [(m.realised_share or 0.0) * 100 for m in b.followup]


def followup_svg(plan: BenefitPlan, *, lang: str = "nb", theme: Theme = None, width: float = 760.0) -> Optional[str]:
    """One panel per benefit that has measurements; None when nothing was measured."""
    followed = [b for b in plan.benefits if b.followup]
    if not followed:
        return None
    say, t = Say(lang), resolve_theme(theme)
    hours = plan.cases_per_year is not None and all(b.hours_freed is not None for b in followed)
    unit = say["chart_hours"] if hours else say["chart_share"]
    body = []
    for k, b in enumerate(followed):
        body.append(_panel(b, say, t, 0.0, k * PANEL_H, width, hours, unit))
    return sv.document("".join(body), width, PANEL_H * len(followed), font=str(t["font"]), background="#ffffff",
                       title_text=say["followup"])


def _panel(b: Benefit, say: Say, t: dict, x0: float, y0: float, width: float, hours: bool, unit: str) -> str:
    left, right, top, bottom = x0 + 70.0, x0 + width - 150.0, y0 + 36.0, y0 + PANEL_H - 34.0
    planned, realised = _values(b, hours)
    low = min(0.0, *realised)
    high = max(planned, *realised, 1e-9) * 1.1
    span = high - low

    def y(value: float) -> float:
        return bottom - (value - low) / span * (bottom - top)

    days = [m.date.toordinal() for m in b.followup]
    first, last = min(days), max(days)

    def x(day: int) -> float:
        return (left + right) / 2 if first == last else left + (day - first) / (last - first) * (right - left)

    ink, muted = str(t["ink"]), str(t["muted"])
    out = [sv.text(x0 + 8, y0 + 20, tx.ellipsize(say["chart_title"].format(role=b.role), width - 16, 14.0, True),
                   14.0, font_weight="bold", fill=str(t["title"])),
           sv.line(left, bottom, right, bottom, stroke=muted), sv.line(left, top, left, bottom, stroke=muted),
           sv.line(left, y(0.0), right, y(0.0), stroke=str(t["faint"]), stroke_width=0.8),
           sv.text(left - 6, y(0.0) + 4, "0", 10.0, text_anchor="end", fill=muted),
           sv.text(left - 6, top + 10, tx.ellipsize(unit, 64, 9.0), 9.0, text_anchor="end", fill=muted),
           sv.line(left, y(planned), right, y(planned), stroke=str(t["saving"]), stroke_width=2,
                   stroke_dasharray="7 5"),
           sv.text(right + 8, y(planned) + 4, f"{say['planned'].split()[0]} {say.num(planned)}", 11.0,
                   fill=str(t["saving"]), font_weight="bold")]
    points = [(x(d), y(v)) for d, v in zip(days, realised)]
    if len(points) > 1:
        out.append(sv.polyline(points, stroke=str(t["accent"]), stroke_width=2.2))
    for (px, py), m, v in zip(points, b.followup, realised):
        out.append(sv.circle(px, py, 4.0, fill=str(t["accent"])))
        out.append(sv.text(px, bottom + 16, m.date.isoformat(), 10.0, text_anchor="middle", fill=ink))
    lx, ly = points[-1]
    last = say.num(realised[-1]) if hours else say.share(b.followup[-1].realised_share)
    out.append(sv.text(right + 8, ly + 4, f"{say['realised'].split()[0]} {last}", 11.0,
                       fill=str(t["accent"]), font_weight="bold") if abs(ly - y(planned)) > 14 else "")
    return '<g class="followup">' + "".join(out) + "</g>"


__all__ = ["followup_svg"]
