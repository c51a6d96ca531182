"""A portfolio at a terminal: the ranking as a rich table, each role's total as a plain sentence."""

from __future__ import annotations

from typing import Mapping, Optional

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from procmap.portfolio.result import Portfolio, RoleTotal
from procmap.words import counted, number, words


def _t(lang: str) -> Mapping:
    return words(lang)["portfolio"]


def role_sentence(total: RoleTotal, lang: str) -> Optional[str]:
    """'Saksbehandler: 4,2 årsverk frigjort på tvers av 37 tjenester' (hours when no FTE is known; None
    when the role's work is the same)."""
    t = _t(lang)
    if not total.hours_saved:
        return None
    n = number(total.services, lang)
    if total.hours_saved < 0:
        if total.fte_saved is not None:
            return counted(t, "role_more", total.services).format(role=total.role, fte=number(-total.fte_saved, lang, 1),
                                                                  n=n)
        return counted(t, "role_more_hours", total.services).format(role=total.role,
                                                                    hours=number(-total.hours_saved, lang), n=n)
    one = total.services == 1
    if total.fte_saved is not None:
        return t["role_one" if one else "role_fte"].format(role=total.role, fte=number(total.fte_saved, lang, 1), n=n)
    return t["role_one_hours" if one else "role_hours"].format(role=total.role, hours=number(total.hours_saved, lang),
                                                               n=n)


def total_sentence(portfolio: Portfolio, lang: str) -> str:
    """The portfolio's hours freed a year: beside the work years, the organisation's own hours, with those saved
    outside it (the applicants') on their own; a sum that leaves out services with unknown hours says so."""
    t, shared = _t(lang), words(lang)["terminal"]
    if portfolio.hours_saved is None:
        return t["no_cases"]
    known = sum(1 for s in portfolio.services if s.hours_saved is not None)
    n, fte = number(known, lang), number(portfolio.fte_saved, lang, 1)
    if portfolio.hours_outside:
        inside = str(shared["hours_inside"]).format(hours=number(portfolio.hours_inside, lang))
        text = counted(t, "total_inside", known).format(hours=inside, fte=fte, n=n) + ", " + str(
            shared["hours_outside"]).format(hours=number(portfolio.hours_outside, lang),
                                            roles=", ".join(portfolio.roles_outside))
    elif portfolio.fte_saved is None:
        text = counted(t, "total_hours", known).format(hours=number(portfolio.hours_saved, lang), n=n)
    else:
        text = counted(t, "total", known).format(hours=number(portfolio.hours_saved, lang), fte=fte, n=n)
    return text + unknown_note(portfolio, lang)


def unknown_note(portfolio: Portfolio, lang: str) -> str:
    """'; 1 tjeneste uten kjente timer er ikke med i summen' when a sum of hours leaves services out."""
    unknown = sum(1 for s in portfolio.services if s.hours_saved is None)
    return "; " + counted(_t(lang), "unknown_services", unknown).format(n=number(unknown, lang)) if unknown else ""


def currency(portfolio: Portfolio) -> Optional[str]:
    """The currency label when any service has money figures (they share the portfolio's options)."""
    return portfolio.currency if any(s.money_saved is not None for s in portfolio.services) else None


def ranking_table(portfolio: Portfolio, lang: str, top: Optional[int] = None) -> Table:
    t = _t(lang)
    cur = currency(portfolio)
    hours = portfolio.hours_saved is not None
    ranged = any(s.hours_p10 is not None for s in portfolio.services)
    table = Table(title=counted(t, "title", len(portfolio.services)).format(n=number(len(portfolio.services), lang)),
                  box=box.SIMPLE_HEAD,
                  title_justify="left", title_style="bold")
    table.add_column(t["rank"], justify="right")
    table.add_column(t["service"], overflow="fold", min_width=min(20, max(len(s.service) for s in portfolio.services[:top])))
    table.add_column(t["tasks"], justify="right", no_wrap=True)
    if hours:
        table.add_column(t["hours"], justify="right")
        if ranged:
            table.add_column(t["range"], justify="right")
        table.add_column(t["fte"], justify="right")
    if cur:
        table.add_column(t["money"].format(cur=cur), justify="right")
    table.add_column(t["minutes"], justify="right")
    for rank, s in enumerate(portfolio.services[:top], start=1):
        row: list = [str(rank), Text(s.service), " → ".join(str(n) for n in s.tasks)]
        if hours:
            row.append(number(s.hours_saved, lang))
            if ranged:
                row.append("" if s.hours_p10 is None else
                           f"{number(s.hours_p10, lang)}–{number(s.hours_p90, lang)}")
            row.append(number(s.fte_saved, lang, 2))
        if cur:
            row.append(number(s.money_saved, lang))
        row.append(number(s.minutes_saved, lang, 1))
        table.add_row(*row)
    return table


def roles_table(portfolio: Portfolio, lang: str) -> Table:
    t = _t(lang)
    cur = currency(portfolio)
    table = Table(title=t["roles_title"], box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    table.add_column(t["role"])
    table.add_column(t["services"], justify="right")
    table.add_column(t["hours"], justify="right")
    table.add_column(t["fte"], justify="right")
    if cur:
        table.add_column(t["money"].format(cur=cur), justify="right")
    for r in portfolio.roles:
        row: list = [Text(r.role), number(r.services, lang), number(r.hours_saved, lang), number(r.fte_saved, lang, 1)]
        if cur:
            row.append(number(r.money_saved, lang))
        table.add_row(*row)
    return table


def show(portfolio: Portfolio, console: Console, lang: str = "nb", top: Optional[int] = None,
         reasons: bool = True) -> None:
    """The ranking, the roles across services and the portfolio's total, as tables and sentences; then the
    services that failed, with their reasons (``reasons=False``: only how many, when they are said elsewhere)."""
    t = _t(lang)
    if portfolio.services:
        console.print(ranking_table(portfolio, lang, top))
        if top is not None and top < len(portfolio.services):
            console.print(t["shown"].format(n=number(top, lang), m=number(len(portfolio.services), lang)))
        if portfolio.hours_saved is not None:
            console.print(roles_table(portfolio, lang))
            for total in portfolio.roles:
                sentence = role_sentence(total, lang)
                if sentence:
                    console.print(f"  {sentence}", markup=False, highlight=False)
        console.print(total_sentence(portfolio, lang), markup=False, highlight=False)
    if portfolio.failed and not reasons:
        console.print(t["failed_count"].format(n=number(len(portfolio.failed), lang)))
    elif portfolio.failed:
        console.print(t["failed_title"].format(n=number(len(portfolio.failed), lang)), style="bold")
        for s in portfolio.failed:
            console.print(f"  {s.service}: {s.error}", markup=False, highlight=False)


__all__ = ["currency", "ranking_table", "role_sentence", "roles_table", "show", "total_sentence", "unknown_note"]
