"""A Comparison for people at a terminal: rich tables (roles as rows, stages as columns) and plain sentences.

:func:`summary_lines` is the short plain-language summary ("Saksbehandler:
11 → 10 → 4 tasks; saves 1,233 hours a year"); :func:`show` prints everything.
English (``en``) and Norwegian bokmål (``nb``).
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from procmap.compare.result import Comparison, RoleStage, Saving, TaskChange
from procmap.compare.effort import TOTAL
from procmap.words import counted, how_done, kind_change, number, stage_label, words

ABSENT = "–"


def _signed(value: float, lang: str, decimals: int = 0) -> str:
    text = number(value, lang, decimals)
    return text if text.startswith("−") or text.strip("0,. ") == "" else f"+{text}"


def _t(lang: str) -> Mapping:
    return words(lang)["terminal"]


# --------------------------------------------------------------------------- summary sentences
def summary_lines(comparison: Comparison, lang: str = "en") -> list[str]:
    """One plain sentence per role and one for the total, first stage to last."""
    t = _t(lang)
    first, last = comparison.stages[0].name, comparison.stages[-1].name
    savings = {s.role: s for s in comparison.savings if s.from_stage == first and s.to_stage == last}
    lines = []
    for k, role in enumerate(comparison.roles):
        per_stage = [s.roles[k] for s in comparison.stages]
        parts = [_tasks_line(role, per_stage, t)]
        parts += _appear(per_stage, comparison, t, lang)
        money = savings.get(role)
        if money is not None:
            parts.append(_worth(money, comparison, lang))
        lines.append("; ".join(p for p in parts if p))
    total = savings.get(TOTAL)
    parts = [_tasks_line(t["total"], comparison.stages, t)]
    if total is not None:
        outside = comparison.hours_outside(first, last)
        if outside:  # beside money and work years, the organisation's own hours; the others on their own
            hours = sum(outside.values())
            parts.append(_worth(total.model_copy(update={"hours": total.hours - hours}), comparison, lang))
            parts.append(t["hours_outside" if hours > 0 else "hours_outside_more"].format(
                hours=number(abs(hours), lang), roles=", ".join(outside)))
        else:
            parts.append(_worth(total, comparison, lang))
        if total.hours_interval is not None:
            iv = total.hours_interval
            parts.append(t["likely_all" if outside else "likely"].format(low=number(iv.p10, lang),
                                                                         high=number(iv.p90, lang)))
    lines.append("; ".join(p for p in parts if p))
    if not comparison.effort_known:
        lines.append(t["counts_only"])
    return lines


def _tasks_line(label: str, per_stage: list, t: Mapping) -> str:
    """'Role: 8 → 6 tasks', or, once automated steps are in play, manual work and automated steps apart:
    'Role: 8 → 6 manual tasks, 0 → 17 automated steps'."""
    present = [getattr(rs, "present", True) for rs in per_stage]
    if not any(rs.automated for rs, here in zip(per_stage, present) if here):
        return t["line_tasks"].format(role=label, path=" → ".join(
            str(rs.tasks) if here else ABSENT for rs, here in zip(per_stage, present)))
    manual = " → ".join(str(rs.manual) if here else ABSENT for rs, here in zip(per_stage, present))
    auto = " → ".join(str(rs.automated) if here else ABSENT for rs, here in zip(per_stage, present))
    return t["line_split"].format(role=label, manual=manual, auto=auto)


def _appear(per_stage: list[RoleStage], comparison: Comparison, t: Mapping, lang: str) -> list[str]:
    out = []
    for prev, cur, stage in zip(per_stage, per_stage[1:], comparison.stages[1:]):
        if prev.present and not cur.present:
            out.append(t["gone"].format(stage=stage_label(stage.name, lang)))
        elif cur.present and not prev.present:
            text = t["new"].format(stage=stage_label(stage.name, lang))
            if cur.automated:
                text += f" ({t['automated'].format(n=cur.automated)})"
            out.append(text)
    return out


def _worth(s: Saving, comparison: Comparison, lang: str) -> str:
    t = _t(lang)
    if s.minutes_per_case is None:
        return t["unknown_saving"] if comparison.effort_known else ""
    if s.hours is None:
        if abs(s.minutes_per_case) < 1e-9:
            return t["same_work"]
        key = "saves_minutes" if s.minutes_per_case > 0 else "adds_minutes"
        return t[key].format(m=number(abs(s.minutes_per_case), lang, _decimals(s.minutes_per_case)))
    if abs(s.hours) < 1e-9:
        return t["same_work"]
    money = ""
    if s.money is not None and abs(s.money) >= 0.5:
        money = t["money"].format(money=number(abs(s.money), lang), cur=comparison.settings.currency)
    key = "saves_hours" if s.hours > 0 else "adds_hours"
    fte = t["fte"].format(fte=number(abs(s.fte), lang, 2)) if s.fte is not None else ""
    return t[key].format(hours=number(abs(s.hours), lang), money=money, fte=fte)


def _decimals(value: float) -> int:
    return 0 if abs(value - round(value)) < 1e-9 else 1


# --------------------------------------------------------------------------- tables
def show(comparison: Comparison, console: Console, lang: str = "nb", title: Optional[str] = None) -> None:
    """Print the comparison: counts, minutes, handoffs, hours, savings, task changes, summary, warnings.

    ``title`` names the service (e.g. the process name of the first model).
    """
    t = _t(lang)
    names = [stage_label(s.name, lang) for s in comparison.stages]
    console.print(t["title"].format(name=title or " → ".join(names), n=len(names)), style="bold", highlight=False,
                  markup=False)
    for name, s in zip(names, comparison.stages):
        console.print(f"  {name}: {s.source}", style="dim", highlight=False, markup=False)
    console.print()

    def cell_tasks(rs: RoleStage) -> str:
        return f"{rs.tasks} ({rs.automated})" if rs.automated else str(rs.tasks)

    totals_tasks = [str(s.tasks) + (f" ({sum(r.automated for r in s.roles)})"
                                    if any(r.automated for r in s.roles) else "") for s in comparison.stages]
    _emit(console, _role_table(comparison, t["tasks"], cell_tasks, lambda rs: float(rs.tasks), totals_tasks,
                               [float(s.tasks) for s in comparison.stages], lang))
    if comparison.effort_known:
        def cell_minutes(rs: RoleStage) -> str:
            if rs.minutes is None:
                return "?"
            text = number(rs.minutes, lang, _decimals(rs.minutes))
            return text + ("*" if rs.tasks_without_minutes else "")

        stage_minutes = [s.minutes for s in comparison.stages]
        table = _role_table(comparison, t["minutes"], cell_minutes, lambda rs: rs.minutes,
                            ["?" if m is None else number(m, lang, _decimals(m)) for m in stage_minutes],
                            stage_minutes, lang)
        if any(rs.tasks_without_minutes for s in comparison.stages for rs in s.roles):
            table.caption = Text(t["partial"])
            table.caption_justify = "left"
        _emit(console, table)
    _emit(console, _role_table(comparison, t["handoffs"], lambda rs: f"{rs.handoffs_in} / {rs.handoffs_out}",
                               None, [str(s.handoffs) for s in comparison.stages], None, lang))
    cases = comparison.settings.cases_per_year
    if comparison.effort_known and cases is not None:
        cur = comparison.settings.currency

        def cell_hours(rs: RoleStage) -> str:
            if rs.hours_per_year is None:
                return "?"
            text = f"{number(rs.hours_per_year, lang)} {t['hours_unit']}" + ("*" if rs.tasks_without_minutes else "")
            if rs.cost_per_year is not None:
                text += f"\n{number(rs.cost_per_year, lang)} {cur}"
            return text

        stage_hours = []
        for s in comparison.stages:
            h = sum(r.hours_per_year or 0 for r in s.roles)
            c = [r.cost_per_year for r in s.roles if r.cost_per_year is not None]
            money = f"\n{number(sum(c), lang)} {cur}" if c else ""
            stage_hours.append(f"{number(h, lang)} {t['hours_unit']}{money}")
        _emit(console, _role_table(comparison, counted(t, "hours", cases).format(cases=number(cases, lang)), cell_hours, None,
                                   stage_hours, None, lang))
    if comparison.effort_known:
        _emit(console, _savings_table(comparison, lang))
    keys = [s.name for s in comparison.stages]
    for a, b in zip(keys, keys[1:]):
        _emit(console, _changes_table(comparison, a, b, lang))
        near = [n for n in comparison.near_misses if n.from_stage == a and n.to_stage == b]
        if near:
            table = _table(t["near"].format(a=stage_label(a, lang), b=stage_label(b, lang),
                                            limit=comparison.settings.similarity),
                           [t["role"], t["before"], t["after"], t["score"]])
            for n in near:
                _add(table, [n.role + (f" → {n.role_after}" if n.role_after else ""), f"{n.name_before} ({n.before_id})", f"{n.name_after} ({n.after_id})",
                             f"{n.similarity:.0%}"])
            table.caption = Text(t["near_hint"])
            table.caption_justify = "left"
            _emit(console, table)
    console.print(t["summary"], style="bold")
    for line in summary_lines(comparison, lang):
        console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
    if comparison.warnings:
        console.print()
        console.print(t["warnings"], style="bold")
        for w in comparison.warnings:
            console.print(f"  - {w}", highlight=False, markup=False, soft_wrap=True)


def _table(title: str, columns: list[str], show_lines: bool = False) -> Table:
    """A plain table; every text is literal (a task named "[draft] ..." is not rich markup)."""
    # As wide as its title at least: rich wraps a title to the table's width, and a narrow table of
    # figures would break "Handoffs in / out (flows between roles)" in two.
    table = Table(title=Text(title), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, show_lines=show_lines, min_width=len(title))
    for k, column in enumerate(columns):
        table.add_column(Text(column), justify="left" if k == 0 else "right")
    return table


def _add(table: Table, cells: list[str], style: Optional[str] = None) -> None:
    table.add_row(*(Text(c) for c in cells), style=style)


def _emit(console: Console, table: Table) -> None:
    console.print(table)
    console.print()


def _role_table(comparison: Comparison, title: str, cell: Callable[[RoleStage], str],
                value: Optional[Callable[[RoleStage], Optional[float]]], totals: list[str],
                total_values: Optional[list[Optional[float]]], lang: str) -> Table:
    t = _t(lang)
    first, last = (stage_label(s.name, lang) for s in (comparison.stages[0], comparison.stages[-1]))
    columns = [t["role"], *(stage_label(s.name, lang) for s in comparison.stages)]
    if value is not None:
        columns.append(t["delta"].format(a=first, b=last))
    table = _table(title, columns)
    for k, role in enumerate(comparison.roles):
        per_stage = [s.roles[k] for s in comparison.stages]
        row = [role] + [cell(rs) if rs.present else ABSENT for rs in per_stage]
        if value is not None:
            a = value(per_stage[0]) if per_stage[0].present else 0.0
            b = value(per_stage[-1]) if per_stage[-1].present else 0.0
            row.append("?" if a is None or b is None else _signed(b - a, lang, _decimals(b - a)))
        _add(table, row)
    row = [t["all"]] + totals
    if value is not None and total_values is not None:
        if total_values[-1] is None or total_values[0] is None:
            row.append("?")
        else:
            d = total_values[-1] - total_values[0]
            row.append(_signed(d, lang, _decimals(d)))
    _add(table, row, style="bold")
    return table


def _savings_table(comparison: Comparison, lang: str) -> Table:
    t = _t(lang)
    cases = comparison.settings.cases_per_year
    pairs = list(dict.fromkeys((s.from_stage, s.to_stage) for s in comparison.savings))
    title = counted(t, "savings", cases).format(cases=number(cases, lang)) if cases is not None else t["savings_case"]
    table = _table(title, [t["role"], *(t["delta"].format(a=stage_label(a, lang), b=stage_label(b, lang))
                                        for a, b in pairs)], show_lines=True)
    by_key = {(s.role, s.from_stage, s.to_stage): s for s in comparison.savings}
    for role in [*comparison.roles, TOTAL]:
        label = t["all"] if role == TOTAL else role
        cells = []
        for a, b in pairs:
            s = by_key.get((role, a, b))
            cells.append(_saving_cell(s, comparison, lang) if s is not None else "")
        _add(table, [label, *cells], style="bold" if role == TOTAL else None)
    return table


def _saving_cell(s: Saving, comparison: Comparison, lang: str) -> str:
    t = _t(lang)
    if s.minutes_per_case is None:
        return "?"
    if s.hours is None:
        return f"{_signed(s.minutes_per_case, lang, _decimals(s.minutes_per_case))} {t['min_unit']}"
    lines = [f"{_signed(s.hours, lang)} {t['hours_unit']}"]
    if s.money is not None:
        lines.append(f"{_signed(s.money, lang)} {comparison.settings.currency}")
    elif s.role != TOTAL and abs(s.hours) > 1e-9:
        lines.append(f"({t['without_rate']})")
    if s.fte is not None and abs(s.hours) > 1e-9:
        lines.append(f"{number(s.fte, lang, 2)} {t['fte_unit']}")
    if s.hours_interval is not None:
        iv = s.hours_interval
        lines.append(t["range"].format(low=number(iv.p10, lang), high=number(iv.p90, lang)))
    return "\n".join(lines)


def _changes_table(comparison: Comparison, a: str, b: str, lang: str) -> Table:
    t = _t(lang)
    table = _table(t["changes"].format(a=stage_label(a, lang), b=stage_label(b, lang)),
                   [t["role"], t["change"], t["task"], t["detail"]])
    for column in table.columns:
        column.justify = "left"
    changes = [c for c in comparison.changes if c.from_stage == a and c.to_stage == b]
    if not changes:
        _add(table, ["", "", t["no_changes"], ""])
        return table
    for role in comparison.roles:
        mine = [c for c in changes if c.role == role]
        if not mine:
            continue
        first = True
        kept = 0
        for c in mine:
            if c.change == "kept" and c.minutes_before == c.minutes_after:
                kept += 1
                continue
            _add(table, [role if first else "", t["kinds"][c.change], _task_name(c), _detail(c, lang)])
            first = False
        if kept:
            _add(table, [role if first else "", t["kinds"]["kept"], t["kept_n"].format(n=kept), ""], style="dim")
        table.rows[-1].end_section = True
    return table


def _task_name(c: TaskChange) -> str:
    before, after = c.name_before or c.before_id, c.name_after or c.after_id
    if before and after and before != after:
        return f"{before} → {after}"
    return before or after or ""


def _detail(c: TaskChange, lang: str) -> str:
    t = _t(lang)
    parts = []
    if c.change == "moved" and c.role_after:
        parts.append(t["moved_to"].format(role=c.role_after))
    if c.type_before and c.type_after and c.type_before != c.type_after:
        parts.append(kind_change(c.type_before, c.type_after, lang))
    elif c.change in ("removed", "added") and (c.type_before or c.type_after) not in (None, "task"):
        parts.append(how_done(c.type_before or c.type_after, lang))
    if c.similarity is not None and c.similarity < 1.0:
        parts.append(t["similar"].format(score=c.similarity))
    mb, ma = c.minutes_before, c.minutes_after
    unit = t["min_unit"]
    if c.change == "removed" and mb is not None:
        parts.append(f"{number(mb, lang, _decimals(mb))} {unit}")
    elif c.change == "added" and ma is not None:
        parts.append(f"{number(ma, lang, _decimals(ma))} {unit}")
    elif mb is not None and ma is not None and mb != ma:
        parts.append(f"{number(mb, lang, _decimals(mb))} → {number(ma, lang, _decimals(ma))} {unit}")
    return "; ".join(p for p in parts if p)
