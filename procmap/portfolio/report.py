"""A portfolio as one self-contained HTML page: key figures, the chart of hours freed per service, the
ranking, each role across the services, the services that failed, and a section per service.

The charts are SVG written here (no script, nothing fetched): horizontal bars, one per service for
the ``top`` services that free the most (the rest summed on one line, so the chart stays readable
with hundreds), with the P10-P90 range as a whisker; and one bar per role across the services.
Every bar links to its service's section.
"""

from __future__ import annotations

import html
from datetime import date as Date
from typing import Mapping, NamedTuple, Optional

from procmap.files import shown
from procmap.layout import text as tx
from procmap.portfolio.result import Portfolio, ServiceResult
from procmap.portfolio.terminal import currency, role_sentence, total_sentence
from procmap.render import svg as sv
from procmap.render.report import CSS
from procmap.render.theme import Theme, resolve_theme
from procmap.words import counted, number, stage_label, words

#: Services drawn as bars in the chart; the others are summed on one line.
TOP = 30
_FONT = 13.0
_ROW = 24.0
_LABEL_W = 300.0
_BAR_W = 430.0
_VALUE_W = 190.0
_PAD = 14.0

EXTRA_CSS = """
.ranking td:nth-child(2), .ranking th:nth-child(2), .ranking td:nth-child(3), .ranking th:nth-child(3) { text-align: left; }
section.service { border-top: 1px solid #e4e9f0; margin-top: 18px; }
section.service h3 a { color: inherit; text-decoration: none; }
.back { font-size: 13px; }
.failed li { margin: 2px 0; }
.sentences li { margin: 3px 0; font-size: 16px; }
details { margin: 4px 0 8px; color: var(--muted); font-size: 13px; }
code { font-size: 12px; }
"""


class Bar(NamedTuple):
    label: str
    value: float
    low: Optional[float]
    high: Optional[float]
    text: str  # the value as written next to the bar
    href: Optional[str]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def anchor(rank: int) -> str:
    return f"service-{rank}"


def bar_chart(bars: list[Bar], title: str, theme: Mapping[str, object], *, rest: Optional[str] = None,
              colour: Optional[str] = None, note: Optional[str] = None) -> str:
    """Horizontal bars with their labels at the left and their values at the right; negative values
    (more work) go left of the zero line. ``rest`` is a last line in place of a bar, ``note`` a line of
    small print under the chart."""
    value_w = max(_VALUE_W, min(2 * _VALUE_W, max((tx.width(b.text, _FONT) + 12 for b in bars), default=0.0)))
    width = _PAD * 2 + _LABEL_W + _BAR_W + value_w  # wide enough for the values as written
    size, lines = tx.fit(title, width - 2 * _PAD, _FONT * 1.3 * 2.6, _FONT * 1.3, _FONT, bold=True, max_lines=2)
    top = _PAD + len(lines) * size * tx.LINE_HEIGHT + 10
    height = top + _ROW * (len(bars) + (1 if rest else 0) + (1 if note else 0)) + _PAD
    out = [sv.lines_block(_PAD, _PAD, lines, size, anchor="start", x=_PAD, bold=True, fill=str(theme["title"]),
                          top=_PAD)]
    values = [b.value for b in bars] + [b.high for b in bars if b.high is not None] + \
        [b.low for b in bars if b.low is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    x0 = _PAD + _LABEL_W + 8
    zero = x0 + (0 - low) / span * (_BAR_W - 16)
    fill = colour or str(theme["accent"])
    for i, b in enumerate(bars):
        y = top + i * _ROW
        label = tx.ellipsize(b.label, _LABEL_W - 8, _FONT)
        a = x0 + (min(b.value, 0) - low) / span * (_BAR_W - 16)
        w = abs(b.value) / span * (_BAR_W - 16)
        row = [sv.title(f"{b.label}: {b.text}"),
               sv.text(_PAD + _LABEL_W - 4, y + _ROW * 0.68, label, _FONT, text_anchor="end", fill=str(theme["ink"])),
               sv.rect(a, y + 4, max(w, 1.0), _ROW - 8, fill=fill if b.value >= 0 else str(theme["loss"]), rx=2)]
        if b.low is not None and b.high is not None:
            lx = x0 + (b.low - low) / span * (_BAR_W - 16)
            hx = x0 + (b.high - low) / span * (_BAR_W - 16)
            mid = y + _ROW / 2
            for stroke, thick in ((str(theme["background"]), 3.6), (str(theme["ink"]), 1.4)):  # a halo over the bar
                row += [sv.line(lx, mid, hx, mid, stroke=stroke, stroke_width=thick),
                        sv.line(lx, mid - 5, lx, mid + 5, stroke=stroke, stroke_width=thick),
                        sv.line(hx, mid - 5, hx, mid + 5, stroke=stroke, stroke_width=thick)]
        row.append(sv.text(x0 + _BAR_W - 8 + 6, y + _ROW * 0.68, tx.ellipsize(b.text, value_w - 6, _FONT), _FONT,
                           fill=str(theme["ink"])))
        body = "".join(row)
        out.append(f'<a href="#{sv.esc(b.href)}">{body}</a>' if b.href else f"<g>{body}</g>")
    out.append(sv.line(zero, top, zero, top + _ROW * len(bars), stroke=str(theme["muted"]), stroke_width=1))
    if rest:
        out.append(sv.text(_PAD + _LABEL_W - 4, top + len(bars) * _ROW + _ROW * 0.68, rest, _FONT,
                           text_anchor="end", fill=str(theme["muted"]), font_style="italic")
                   if tx.width(rest, _FONT) < _LABEL_W else
                   sv.text(_PAD, top + len(bars) * _ROW + _ROW * 0.68, rest, _FONT, fill=str(theme["muted"]),
                           font_style="italic"))
    if note:
        y = top + (len(bars) + (1 if rest else 0)) * _ROW + _ROW * 0.68
        out.append(sv.text(_PAD, y, tx.ellipsize(note, width - 2 * _PAD, _FONT * 0.85), _FONT * 0.85,
                           fill=str(theme["muted"])))
    return sv.fragment("".join(out), width, height, font=str(theme["font"]), background=str(theme["background"]))


def services_chart(portfolio: Portfolio, lang: str = "nb", theme: Theme = None, top: int = TOP) -> str:
    """Hours freed a year per service (minutes per case without cases per year), the ``top`` first."""
    t = words(lang)["portfolio"]
    th = resolve_theme(theme)
    hours = portfolio.hours_saved is not None
    unit = words(lang)["terminal"]["hours_unit"] if hours else words(lang)["terminal"]["min_unit"]
    drawn = [s for s in portfolio.services if (s.hours_saved if hours else s.minutes_saved) is not None][:top]
    bars = []
    for rank, s in enumerate(drawn, start=1):
        value = (s.hours_saved if hours else s.minutes_saved) or 0.0
        text = _bar_text(s, lang) if hours else f"{number(value, lang)} {unit}"
        bars.append(Bar(f"{rank}. {s.service}", value, s.hours_p10 if hours else None,
                        s.hours_p90 if hours else None, text, anchor(rank)))
    left = portfolio.services[len(drawn):]
    rest = _rest(left, hours, lang) if left else None
    title = t["chart_services" if hours else "chart_services_minutes"]
    if len(portfolio.services) > len(drawn):
        title += f" ({counted(t, 'chart_top', len(drawn)).format(n=number(len(drawn), lang))})"
    ranged = any(b.low is not None for b in bars)
    return bar_chart(bars, title, th, rest=rest, note=t["chart_range"] if ranged else None)


def _bar_text(s: ServiceResult, lang: str) -> str:
    """'1 744 t · 1,0 årsverk · og 1 139 t utenfor organisasjonen': the hours beside the work years are the
    organisation's own (the bar is all the hours); those saved outside it are said on their own."""
    t, units = words(lang)["portfolio"], words(lang)["terminal"]
    outside = s.hours_outside or 0.0
    hours = s.hours_inside if outside and s.hours_inside is not None else s.hours_saved
    text = f"{number(hours, lang)} {units['hours_unit']}"
    if s.fte_saved is not None:
        text += f" · {number(s.fte_saved, lang, 1)} {units['fte_unit']}"
    return text + (f" · {str(t['outside_short']).format(hours=number(outside, lang))}" if outside else "")


def _rest(left: list[ServiceResult], hours: bool, lang: str) -> str:
    """'… og 3 tjenester til: 120 timer i året', with those whose hours are unknown left out and said
    (never counted as 0)."""
    t = words(lang)["portfolio"]
    n = number(len(left), lang)
    if not hours:
        return counted(t, "chart_rest_minutes", len(left)).format(n=n)
    known = [s.hours_saved for s in left if s.hours_saved is not None]
    if not known:
        return f"{counted(t, 'chart_rest_minutes', len(left)).format(n=n)}: {t['rest_unknown']}"
    text = counted(t, "chart_rest", len(left)).format(n=n, hours=number(sum(known), lang))
    unknown = len(left) - len(known)
    return text + ("; " + counted(t, "unknown_services", unknown).format(n=number(unknown, lang)) if unknown else "")


def roles_chart(portfolio: Portfolio, lang: str = "nb", theme: Theme = None, top: int = TOP) -> Optional[str]:
    """FTE (or hours) freed per role across the services, with how many services each role is in."""
    t = words(lang)["portfolio"]
    th = resolve_theme(theme)
    fte = any(r.fte_saved is not None for r in portfolio.roles)
    rows = [r for r in portfolio.roles if (r.fte_saved if fte else r.hours_saved)]  # a role that frees nothing: no bar
    if not rows:
        return None
    rows.sort(key=lambda r: -((r.fte_saved if fte else r.hours_saved) or 0.0))
    units = words(lang)["terminal"]
    bars = []
    for r in rows[:top]:
        value = (r.fte_saved if fte else r.hours_saved) or 0.0
        text = (f"{number(value, lang, 1)} {units['fte_unit']}" if fte else f"{number(value, lang)} {units['hours_unit']}")
        bars.append(Bar(r.role, value, None, None, f"{text} · {counted(t, 'n_services', r.services).format(n=number(r.services, lang))}",
                        None))
    rest = (counted(t, "chart_rest_minutes", len(rows) - top).format(n=number(len(rows) - top, lang))
            if len(rows) > top else None)
    return bar_chart(bars, t["chart_roles" if fte else "chart_roles_hours"], th, rest=rest,
                     colour=str(th["saving"]))


def _cell(value: Optional[float], lang: str, decimals: int = 0) -> str:
    return f"<td>{_e(number(value, lang, decimals))}</td>"


def _range(s, lang: str) -> str:
    return "<td></td>" if s.hours_p10 is None else \
        f"<td>{_e(number(s.hours_p10, lang))}–{_e(number(s.hours_p90, lang))}</td>"


def _service_section(rank: int, s: ServiceResult, portfolio: Portfolio, lang: str) -> str:
    t, tp = words(lang)["portfolio"], words(lang)["picture"]
    cur = currency(portfolio)
    stages = " → ".join(stage_label(x, lang) for x in s.stages)
    head = (f"<tr><th>{_e(t['role'])}</th><th>{_e(t['tasks'])}</th><th>{_e(t['hours'])}</th>"
            f"<th>{_e(t['range'])}</th><th>{_e(t['fte'])}</th>"
            + (f"<th>{_e(t['money'].format(cur=cur))}</th>" if cur else "") + f"<th>{_e(t['minutes'])}</th></tr>")
    rows = []
    for role, r in s.roles.items():
        rows.append(f"<tr><td>{_e(role)}</td><td>{_e(' → '.join(str(n) for n in r.tasks))}</td>"
                    f"{_cell(r.hours_saved, lang)}{_range(r, lang)}{_cell(r.fte_saved, lang, 2)}"
                    + (_cell(r.money_saved, lang) if cur else "") + f"{_cell(r.minutes_saved, lang, 1)}</tr>")
    rows.append(f"<tr class='total'><td>{_e(tp['total'])}</td><td>{_e(' → '.join(str(n) for n in s.tasks))}</td>"
                f"{_cell(s.hours_saved, lang)}{_range(s, lang)}{_cell(s.fte_saved, lang, 2)}"
                + (_cell(s.money_saved, lang) if cur else "") + f"{_cell(s.minutes_saved, lang, 1)}</tr>")
    steps = "".join(
        f"<tr><td>{_e(tp['from_to'].format(a=stage_label(p.from_stage, lang), b=stage_label(p.to_stage, lang)))}</td>"
        f"<td>{_e(number(p.tasks_saved, lang))}</td>{_cell(p.hours_saved, lang)}{_cell(p.fte_saved, lang, 2)}"
        f"{_cell(p.minutes_saved, lang, 1)}</tr>" for p in s.steps)
    step_table = (f"<table><thead><tr><th>{_e(t['steps'])}</th><th>{_e(t['tasks'])}</th><th>{_e(t['hours'])}</th>"
                  f"<th>{_e(t['fte'])}</th><th>{_e(t['minutes'])}</th></tr></thead><tbody>{steps}</tbody></table>"
                  if len(s.steps) > 1 else "")
    files = ", ".join(f"<code>{_e(f)}</code>" for f in s.files)
    notes = ""
    if s.warnings:
        listed = "".join(f"<li>{_e(w)}</li>" for w in s.warnings[:20])
        more = (f"<li>{_e(counted(t, 'more_warnings', len(s.warnings) - 20).format(n=number(len(s.warnings) - 20, lang)))}</li>"
                if len(s.warnings) > 20 else "")
        notes = f"<details><summary>{_e(t['warnings'].format(n=len(s.warnings)))}</summary><ul>{listed}{more}</ul></details>"
    cases = (" · " + counted(tp, "cases", s.cases_per_year).format(n=number(s.cases_per_year, lang))) if s.cases_per_year else ""
    return (f'<section class="service keep" id="{anchor(rank)}"><h3><a href="#{anchor(rank)}">{rank}. {_e(s.service)}'
            f'</a></h3><p class="sub">{_e(stages)}{_e(cases)} · <a class="back" href="#ranking">{_e(t["back"])}</a></p>'
            f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{step_table}"
            f"<details><summary>{_e(t['files'])}</summary>{files}</details>{notes}</section>")


def portfolio_html(portfolio: Portfolio, *, lang: str = "nb", theme: Theme = None, date: Optional[Date] = None,
                   top: int = TOP, title: Optional[str] = None) -> str:
    """The portfolio report: one HTML file, inline SVG, nothing fetched to view or print it."""
    t, tp = words(lang)["portfolio"], words(lang)["picture"]
    th = resolve_theme(theme)
    cur = currency(portfolio)
    title = title or t["report_title"]
    sub = counted(t, "report_sub", len(portfolio.services)).format(n=number(len(portfolio.services), lang))
    parts = [f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title><style>{CSS % th}{EXTRA_CSS}</style></head><body>",
             f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(sub)}</p></header>"]
    units = words(lang)["terminal"]
    cards = []
    if portfolio.hours_outside:  # beside the work years: the organisation's own hours; the others on their own
        cards.append((t["hours_inside_card"], number(portfolio.hours_inside, lang), units["hours_unit"]))
    elif portfolio.hours_saved is not None:
        cards.append((t["hours"], number(portfolio.hours_saved, lang), units["hours_unit"]))
    if portfolio.fte_saved is not None:
        cards.append((t["fte"], number(portfolio.fte_saved, lang, 1), units["fte_unit"]))
    if portfolio.money_saved is not None:
        cards.append((t["money"].format(cur=cur), number(portfolio.money_saved, lang), cur or ""))
    if portfolio.hours_outside:
        cards.append((t["hours_outside_card"].format(roles=", ".join(portfolio.roles_outside)),
                      number(portfolio.hours_outside, lang), units["hours_unit"]))
    cards.append((t["services"], number(len(portfolio.services), lang), ""))
    if portfolio.failed:
        cards.append((t["report_failed"], number(len(portfolio.failed), lang), ""))
    parts.append('<section class="figures"><div class="cards">' + "".join(
        f'<div class="card{" total" if i == 0 else ""}"><div class="role">{_e(label)}</div><div class="big">'
        f'{_e(big)} <span class="unit">{_e(unit)}</span></div></div>' for i, (label, big, unit) in enumerate(cards))
        + f"</div><p>{_e(total_sentence(portfolio, lang))}</p></section>")
    if portfolio.services:
        parts.append(f'<section class="chart"><h2>{_e(t["report_chart"])}</h2><div class="figure">'
                     f"{services_chart(portfolio, lang, theme, top)}</div></section>")
    # The ranking.
    head = (f"<th>{_e(t['rank'])}</th><th>{_e(t['service'])}</th><th>{_e(t['stages'])}</th><th>{_e(t['tasks'])}</th>"
            f"<th>{_e(t['hours'])}</th><th>{_e(t['range'])}</th><th>{_e(t['fte'])}</th>"
            + (f"<th>{_e(t['money'].format(cur=cur))}</th>" if cur else "") + f"<th>{_e(t['minutes'])}</th>")
    rows = []
    for rank, s in enumerate(portfolio.services, start=1):
        rows.append(f"<tr><td>{rank}</td><td><a href='#{anchor(rank)}'>{_e(s.service)}</a></td>"
                    f"<td>{_e(' → '.join(stage_label(x, lang) for x in s.stages))}</td>"
                    f"<td>{_e(' → '.join(str(n) for n in s.tasks))}</td>{_cell(s.hours_saved, lang)}{_range(s, lang)}"
                    f"{_cell(s.fte_saved, lang, 2)}" + (_cell(s.money_saved, lang) if cur else "")
                    + f"{_cell(s.minutes_saved, lang, 1)}</tr>")
    parts.append(f'<section id="ranking"><h2>{_e(t["report_ranking"])}</h2><table class="ranking"><thead><tr>{head}'
                 f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
    # The roles across the services.
    chart = roles_chart(portfolio, lang, theme, top)
    if chart is not None:
        sentences = [x for x in (role_sentence(r, lang) for r in portfolio.roles) if x]
        parts.append(f'<section class="roles"><h2>{_e(t["report_roles"])}</h2><div class="figure">{chart}</div>'
                     f'<ul class="sentences">{"".join(f"<li>{_e(x)}</li>" for x in sentences)}</ul></section>')
    if portfolio.failed:
        items = "".join(f"<li><b>{_e(s.service)}</b>: {_e(s.error)}</li>" for s in portfolio.failed)
        parts.append(f'<section class="failed"><h2>{_e(t["report_failed"])} ({len(portfolio.failed)})</h2>'
                     f"<ul>{items}</ul></section>")
    parts.append(f'<section class="services"><h2>{_e(t["report_services"])}</h2>')
    parts += [_service_section(rank, s, portfolio, lang) for rank, s in enumerate(portfolio.services, start=1)]
    parts.append("</section>")
    parts.append(f"<footer>{_e(tp['made_with'])} · {(date or Date.today()).isoformat()} · "
                 f"{_e(shown(portfolio.source))}</footer></body></html>\n")
    return "".join(parts)


__all__ = ["TOP", "anchor", "bar_chart", "portfolio_html", "roles_chart", "services_chart"]
