"""The owners table: who in the line organisation owns each role's benefit, by when, and (optionally) its type.

Columns ``role,owner[,due][,type]``. A row for a role no stage has, a due date that does not
parse or a type procmap does not know is a warning naming the file and the line; the rest of
the table (and of the row, where it can be) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from typing import Any, Callable, Optional

from procmap.benefits.options import TYPES, benefit_type
from procmap.benefits.tables import Roles, parse_date, rows_with_warnings
from procmap.compare.inputs import TableSource


#: An owner is a person or a unit: a longer name is a mistake, and would swamp the map and the slides.
MAX_OWNER = 200


@dataclass(frozen=True)
class Owner:
    role: str  # as the comparison names it
    owner: Optional[str]
    due: Optional[Date]
    type: Optional[str]
    line: int
    where: str = ""  # file:line, for later warnings


def read_owners(source: TableSource, roles: Roles) -> tuple[dict[str, Owner], list[str]]:
    """Owners by role, and the warnings about rows left out or cut short."""
    warnings: list[str] = []
    name, rows = rows_with_warnings(source, required=("role", "owner"), optional=("due", "type"), what="owners",
                                    warnings=warnings)
    out: dict[str, Owner] = {}
    for line, row in rows:
        where = f"{name}:{line}"
        role = roles.of_row(row, where, warnings)
        if role is None:
            continue
        due = _optional(row.get("due", ""), parse_date, warnings,
                        f"{where}: due date '{row.get('due')}' is not a date (write YYYY-MM-DD); "
                        f"the owner of {role} is kept without a due date")
        kind = _optional(row.get("type", ""), benefit_type, warnings,
                         f"{where}: type '{row.get('type')}' is not one of {', '.join(TYPES)}; "
                         f"{role} keeps the usual type")
        owner = row["owner"] or None
        if owner is not None and len(owner) > MAX_OWNER:
            warnings.append(f"{where}: the owner's name is {len(owner):,} characters long; cut to {MAX_OWNER}")
            owner = owner[:MAX_OWNER - 1].rstrip() + "…"
        if role in out:
            warnings.append(f"{where}: a second line for {role}; it replaces line {out[role].line}")
        out[role] = Owner(role=role, owner=owner, due=due, type=kind, line=line, where=where)
    return out, warnings


def _optional(text: str, parse: Callable[[str], Any], warnings: list[str], problem: str) -> Any:
    """An optional cell read by ``parse``: None when empty, and a warning when it does not parse."""
    if not text:
        return None
    value = parse(text)
    if value is None:
        warnings.append(problem)
    return value


__all__ = ["Owner", "read_owners"]
