"""The actuals table: minutes per case measured for a role after the change, on any number of dates.

Columns ``date,role,minutes_per_case``. A row for an unknown role, a date that does not parse,
or minutes that are empty, negative or not a finite number is a warning naming the file and
the line; the other rows are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date as Date

from procmap.benefits.tables import Roles, parse_date, rows_with_warnings
from procmap.compare.inputs import TableSource
from procmap.options import MAX_FIGURE
from procmap.words import read_number


@dataclass(frozen=True)
class Actual:
    date: Date
    role: str  # as the comparison names it
    minutes: float
    where: str  # file:line, for later warnings


def read_actuals(source: TableSource, roles: Roles) -> tuple[list[Actual], list[str]]:
    """The measurements that can be used, in file order, and the warnings about the rest."""
    warnings: list[str] = []
    name, rows = rows_with_warnings(source, required=("date", "role", "minutes_per_case"), optional=(),
                                    what="actuals", warnings=warnings)
    out: list[Actual] = []
    for line, row in rows:
        where = f"{name}:{line}"
        role = roles.of_row(row, where, warnings)
        if role is None:
            continue
        when = parse_date(row["date"])
        if when is None:
            warnings.append(f"{where}: date '{row['date']}' is not a date (write YYYY-MM-DD); line left out")
            continue
        text = row["minutes_per_case"]
        try:
            minutes = read_number(text)
        except ValueError as exc:
            warnings.append(f"{where}: minutes_per_case {exc}; line left out")
            continue
        if not math.isfinite(minutes) or minutes < 0 or minutes > MAX_FIGURE:
            warnings.append(f"{where}: minutes_per_case {text} must be a finite number >= 0; line left out")
            continue
        out.append(Actual(date=when, role=role, minutes=minutes, where=where))
    return out, warnings


__all__ = ["Actual", "read_actuals"]
