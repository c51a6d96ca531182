"""What the page shows of a session, as plain values for the templates: controls, stages, figures, pictures.

The controls are made from the option flags (:func:`procmap.web.forms.form_fields`), so an option
added to :class:`procmap.options.CompareOptions` appears on the page by itself: a repeatable one
as a correction, a table as a CSV upload, any other in the settings. Its label comes from
``procmap.words`` when there is one, else from the flag's help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from procmap.app import Compared
from procmap.benefits.options import BenefitOptions
from procmap.compare.effort import TOTAL
from procmap.compare.result import Comparison, Saving
from procmap.errors import FieldError, ProcmapError
from procmap.options import CompareOptions, Look, Paper
from procmap.render.chart import chart_svg
from procmap.render.draw import Painter
from procmap.render.poster import change_lines, detail_mark, key_figures
from procmap.render.side import stages_svg
from procmap.web.forms import ROLE_RATE, FormField, form_fields
from procmap.web.order import told_by
from procmap.web.sessions import Session
from procmap.web.work import ADD, CARD_ROLE, CARD_STAGE, NOT_IN_SETTINGS, STAGE_NAME, chosen, compared, look_of
from procmap.words import LANGS, minutes, number, stage_label, words

#: Shown first; every other option is under "More settings".
MAIN = ("cases", "rate", "lang")
#: Shown with the downloads.
PAPER = ("size", "orientation")


@dataclass
class Control:
    """One labelled control of the page."""

    name: str
    id: str
    label: str
    hint: str
    kind: str
    value: Any = ""
    values: list[str] = field(default_factory=list)  # a correction's current values
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    suggest: str = ""  # the id of a datalist
    placeholder: str = ""
    invalid: bool = False  # its text was refused: shown as typed, marked, until fixed


def _control(f: FormField, session: Session, t: Any) -> Control:
    labels, hints, choice = t["field"], t["hint"], t["choice"]
    sent = session.values.get(f.name, []) if f.kind == "repeated" else _sent(session, f.name)
    default = "" if f.default is None or isinstance(f.default, tuple) else f.default
    value = sent[0] if sent and f.kind != "repeated" else default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    meta = f.flag.metavar.upper()
    suggest = ("dl-roles" if ("ROLE" in meta or "LANE" in meta) else
               "dl-tasks" if ("TASK" in meta or "task" in f.flag.help.lower()) else "")
    return Control(f.name, f"f-{f.name}", str(labels.get(f.name, f.name)), str(hints.get(f.name, f.flag.help)),
                   f.kind, value, list(sent) if f.kind == "repeated" else [],
                   [(c, str(choice.get(f.name, {}).get(c, c))) for c in f.choices], suggest,
                   str(t["example"].get(f.name, f.flag.metavar.strip("'\""))) if f.kind == "repeated" else "",
                   _refused(session, f.name))


def _sent(session: Session, name: str) -> list[str]:
    """A field's values: as typed while they are refused (so they are fixed where they were typed), else as taken."""
    return list((session.typed or session.values).get(name, []))


def _refused(session: Session, name: str) -> bool:
    return session.refused is not None and session.refused.field == name


def _rates(session: Session, roles: Sequence[str]) -> list[dict[str, Any]]:
    """A box per role for its own hourly rate, as typed or taken."""
    out = []
    for k, role in enumerate(roles):
        name = f"{ROLE_RATE}{role}"
        out.append({"role": role, "name": name, "id": f"rate-{k}", "value": (_sent(session, name) or [""])[0],
                    "invalid": _refused(session, name)})
    return out


def _written(value: float, lang: str) -> str:
    """1000 or 12,5: a number as it may be typed back, with no thousands sign that could be read two ways."""
    text = f"{value:.15g}"
    return text.replace(".", ",") if lang == "nb" else text


def refusal(error: FieldError, lang: str) -> str:
    """Why a field's text was refused, naming the field by its label in the page's language
    (the options' own message names the command line's flag, in English)."""
    t = words(lang)["web"]
    if error.field.startswith(ROLE_RATE):
        label = str(t["rate_for"]).format(role=error.field[len(ROLE_RATE):])
    else:
        label = str(t["field"].get(error.field, error.field))
    if error.readings:
        big, small = (_written(r, lang) for r in error.readings)
        return str(t["two_readings"]).format(label=label, text=error.text, a=big, b=small)
    return str(t["not_whole" if error.whole else "not_number"]).format(label=label, text=error.text)


def controls(session: Session, t: Any) -> dict[str, list[Control]]:
    """The page's controls in groups: main, more (settings), paper, tables and corrections."""
    groups: dict[str, list[Control]] = {"main": [], "more": [], "paper": [], "tables": [], "corrections": [],
                                        "benefits": []}
    for cls in (CompareOptions, Look, Paper, BenefitOptions):
        for f in form_fields(cls):
            if f.name in NOT_IN_SETTINGS:
                continue
            c = _control(f, session, t)
            group = ("benefits" if cls is BenefitOptions else "corrections" if f.kind == "repeated" else
                     "tables" if f.kind == "table" else "main" if f.name in MAIN else
                     "paper" if f.name in PAPER else "more")
            groups[group].append(c)
    groups["main"].sort(key=lambda c: MAIN.index(c.name))
    for c in groups["tables"] + groups["benefits"]:
        if c.kind == "table":
            upload = session.tables.get(c.name)
            c.value = upload.name if upload else ""
    return groups


def plain(text: str, t: Any) -> str:
    """A message as the page says it: the command line's ``--rate`` becomes the field's label, «Hourly rate»."""
    labels = t["field"]
    names = sorted((f.name for cls in (CompareOptions, Look, Paper, BenefitOptions) for f in form_fields(cls)),
                   key=len, reverse=True)
    for name in names:
        if name in labels:
            text = re.sub(rf"--{re.escape(name)}(?![\w-])", f"«{labels[name]}»", text)
    return text


#: The stages are shown at this share of their size at most (task names about 9 px or more), scrolling if need be.
READABLE = 0.75


def _own_ids(svg: str, prefix: str) -> str:
    """The picture's ids (the model's element ids) kept apart from the page's own: a task with the id
    ``workspace`` must not become the place htmx puts its answers."""
    svg = re.sub(r'(\sid=")([^"]*")', rf"\g<1>{prefix}-\g<2>", svg)
    svg = re.sub(r"url\(#([^)]*)\)", rf"url(#{prefix}-\g<1>)", svg)
    return re.sub(r'(href=")#([^"]*")', rf"\g<1>#{prefix}-\g<2>", svg)


def _svg(svg: str, label: str, prefix: str) -> str:
    """An SVG document as an element of the page, labelled for screen readers, with its readable width."""
    start = svg.find("<svg")
    body = _own_ids(svg[start:] if start >= 0 else svg, prefix)
    width = re.search(r'<svg[^>]*\swidth="([0-9.]+)"', body[:1000])
    style = f' style="--readable: {float(width.group(1)) * READABLE:.0f}px"' if width else ""
    return body.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}"{style} ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _saving(comparison: Comparison, role: str) -> Optional[Saving]:
    first, last = comparison.stages[0].name, comparison.stages[-1].name
    return next((s for s in comparison.savings if s.role == role and s.from_stage == first and s.to_stage == last),
                None)


def _saving_cells(s: Optional[Saving], lang: str) -> dict[str, str]:
    if s is None:
        return {}
    rng = s.hours_interval
    return {"tasks": number(s.tasks, lang), "minutes": minutes(s.minutes_per_case, lang),
            "hours": number(s.hours, lang), "money": number(s.money, lang), "fte": number(s.fte, lang, 2),
            "range": f"{number(rng.p10, lang)} – {number(rng.p90, lang)}" if rng else "–",
            "good": "" if s.minutes_per_case is None else "good" if s.minutes_per_case > 0 else
            "worse" if s.minutes_per_case < 0 else ""}


def role_table(comparison: Comparison, lang: str) -> dict[str, Any]:
    """Per role and stage: tasks (automated), minutes per case, handoffs; and what the last stage saves."""
    t = words(lang)["web"]
    rows = []
    for k, role in enumerate(comparison.roles):
        cells = []
        for stage in comparison.stages:
            rs = stage.roles[k]
            cells.append({"present": rs.present, "tasks": number(rs.tasks, lang),
                          "automated": t["automated"].format(n=rs.automated) if rs.automated else "",
                          "minutes": minutes(rs.minutes, lang),
                          "handoffs": f"{rs.handoffs_in}/{rs.handoffs_out}"})
        rows.append({"role": role, "cells": cells, "saving": _saving_cells(_saving(comparison, role), lang)})
    total = [{"present": True, "tasks": number(s.tasks, lang), "automated": "", "minutes": minutes(s.minutes, lang),
              "handoffs": number(s.handoffs, lang)} for s in comparison.stages]
    settings = comparison.settings
    return {"stages": [stage_label(s.name, lang) for s in comparison.stages], "rows": rows,
            "total": {"role": words(lang)["picture"]["total"], "cells": total,
                      "saving": _saving_cells(_saving(comparison, TOTAL), lang)},
            "from": stage_label(comparison.stages[0].name, lang), "to": stage_label(comparison.stages[-1].name, lang),
            "hours": settings.cases_per_year is not None and comparison.effort_known,
            "money": any(s.money is not None for s in comparison.savings),
            "range": any(s.hours_interval is not None for s in comparison.savings),
            "effort": comparison.effort_known, "currency": settings.currency}


def changes(comparison: Comparison, painter: Painter) -> list[dict[str, Any]]:
    """The poster's change list, as nested groups: per pair of stages, per role, what is gone, new and moved."""
    out: list[dict[str, Any]] = []
    for kind, text, extra, _ in change_lines(comparison, painter):
        if kind == "heading":
            out.append({"heading": text, "summary": "", "roles": []})
        elif kind in ("summary", "none"):
            out[-1]["summary"] = text
        elif kind == "role":
            out[-1]["roles"].append({"role": text, "lines": []})
        else:
            out[-1]["roles"][-1]["lines"].append({"kind": kind, "text": text, "extra": extra,
                                                  "mark": detail_mark(kind)})
    return out


def result(made: Compared, look: Look) -> dict[str, Any]:
    """The comparison as the page shows it: key figures, pictures, the role table, changes, warnings."""
    lang = look.lang
    t = words(lang)["web"]
    painter = Painter(look.theme, lang)
    comparison = made.comparison
    figures = [{"role": f.role, "big": f.big, "unit": f.unit, "line": f.line, "extra": f.extra,
                "good": f.extra_good} for f in key_figures(comparison, painter)]
    pictures = stages_svg(list(made.models), comparison, theme=look.theme, lang=lang, layout=look.layout,
                          box=(1.6, 1.0))
    chart = chart_svg(comparison, theme=look.theme, lang=lang, width=760)
    tasks = sorted({n.name for m in made.models for n in m.tasks if n.name})
    return {"figures": figures, "stages_svg": _svg(pictures, t["swimlanes"], "lanes"),
            "chart_svg": _svg(chart, t["charts"], "chart"),
            "table": role_table(comparison, lang), "changes": changes(comparison, painter),
            "warnings": [*comparison.warnings, *made.later_warnings()], "roles": list(comparison.roles),
            "tasks": tasks, "stage_names": [stage_label(s.name, lang) for s in comparison.stages]}


def order_notice(session: Session, t: Any) -> str:
    """Says the stages are in the order the files were chosen in, when nothing else gave it, so a
    reversed order (and every saving's sign with it) is seen at once."""
    if len(session.stages) < 2 or session.moved or told_by(session.stages):
        return ""
    return str(t["order_chosen"]).format(order=" → ".join(s.shown_name for s in session.stages))


def expired(values: Mapping[str, Sequence[str]]) -> str:
    """The message when a user's work was forgotten, in the language the page was in."""
    lang = (values.get("lang") or ["nb"])[0]
    return str(words(lang if lang in LANGS else "nb")["web"]["expired"])


def workspace(session: Session, messages: Sequence[str] = ()) -> dict[str, Any]:
    """Everything the workspace template needs, in the session's language."""
    look = look_of(session)
    t = words(look.lang)["web"]
    messages = list(messages)
    shown = None
    try:
        made = compared(session)
        if made is not None:
            key = chosen(session.stages, session.values, session.tables).key
            shown = session.remember(("page", key, look), lambda: result(made, look))
    except ProcmapError as exc:
        messages += exc.lines()
    rates = _rates(session, shown["roles"] if shown else [])
    stages = [{"index": i, "file": s.upload.name, "name": s.shown_name, "id": f"stage-{i}",
               "field": f"{STAGE_NAME}{i}"} for i, s in enumerate(session.stages)]
    card = {"role": (session.values.get(CARD_ROLE) or [""])[0], "stage": (session.values.get(CARD_STAGE) or [""])[0]}
    messages = [plain(m, t) for m in messages]
    if session.refused is not None:
        messages.insert(0, refusal(session.refused, look.lang))
    if shown is not None:
        shown = {**shown, "warnings": [plain(w, t) for w in shown["warnings"]]}
    return {"lang": look.lang, "t": t, "controls": controls(session, t), "stages": stages, "result": shown,
            "order_notice": order_notice(session, t), "rates": rates, "rate_placeholder": (session.values.get("rate") or [""])[0],
            "messages": messages, "card": card, "ADD": ADD, "CARD_ROLE": CARD_ROLE, "CARD_STAGE": CARD_STAGE}


__all__ = ["Control", "MAIN", "PAPER", "controls", "expired", "order_notice", "plain", "refusal", "result", "role_table", "workspace"]
