"""What the owners and actuals readers share: finding a role as the comparison names it, reading a date,
and reading a CSV whose bad rows become warnings instead of stopping the run."""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Iterable, Mapping, Optional

from procmap.compare.inputs import TableSource, table_rows
from procmap.compare.match import RoleNames

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # 31.01.2027, as Norwegian spreadsheets write it
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")  # 2027-01: the first of the month


class Roles:
    """Roles as the comparison names them, found from how a person wrote them (case, blanks, aliases)."""

    def __init__(self, roles: Iterable[str], aliases: Optional[Mapping[str, str]] = None):
        self._names = RoleNames(aliases)
        self._by_key = {self._names.key(r): r for r in roles}

    def find(self, written: str) -> Optional[str]:
        return self._by_key.get(self._names.key(written))

    def listing(self) -> str:
        return ", ".join(self._by_key.values())

    def of_row(self, row: Mapping[str, str], where: str, warnings: list[str]) -> Optional[str]:
        """The role a table row names; None, and a warning naming file and line, when it names none."""
        written = row.get("role", "")
        role = self.find(written) if written else None
        if role is None:
            warnings.append(f"{where}: role '{written}' is in no stage (roles: {self.listing()}); line left out"
                            if written else f"{where}: the role column is empty; line left out")
        return role


def parse_date(text: str) -> Optional[Date]:
    """2027-01-31, 31.01.2027 or 2027-01 (the first of the month); None when it is none of them."""
    text = (text or "").strip()
    try:
        return Date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _other_date(text)
    except ValueError:
        return None


def _other_date(text: str) -> Optional[Date]:
    dotted = _DOTTED.match(text)
    if dotted:
        return Date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    month = _MONTH.match(text)
    if month:
        return Date(int(month[1]), int(month[2]), 1)
    return None


def rows_with_warnings(source: TableSource, *, required: tuple[str, ...], optional: tuple[str, ...], what: str,
                       warnings: list[str]) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The rows of a table; a row that cannot be a row (too many fields) is a warning naming file and line."""
    bad: list[tuple[int, str]] = []
    name, rows = table_rows(source, required=required, optional=optional, what=what, bad_rows=bad)
    warnings += [f"{name}:{line}: {message}" for line, message in bad]
    return name, rows


__all__ = ["Roles", "parse_date", "rows_with_warnings"]
