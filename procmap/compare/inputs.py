"""The user's side tables: efforts, hourly rates and role aliases (CSV, or a DataFrame/mapping).

Each reader checks every row and raises :class:`CompareError` naming the file
and the line (``efforts.csv:4: minutes 'ti' is not a number``). CSV files may
be comma, semicolon or tab separated (what Excel writes in Norway is
semicolons with decimal commas); UTF-8 with or without BOM, else windows-1252.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Mapping, Optional, Union

from procmap.errors import CompareError, UnreadableTable
from procmap.options import MAX_FIGURE
from procmap.words import read_number

if TYPE_CHECKING:
    import pandas as pd

#: A CSV path, an open binary file (its ``name`` is shown in messages, never opened) or a DataFrame.
TableSource = Union[str, Path, IO[bytes], "pd.DataFrame"]


@dataclass(frozen=True)
class EffortRow:
    """One row of an efforts table: minutes for a task (by id or name), maybe in one stage only."""

    line: int
    task: str
    minutes: float
    low: Optional[float] = None
    high: Optional[float] = None
    stage: Optional[str] = None


@dataclass(frozen=True)
class EffortTable:
    source: str
    rows: tuple[EffortRow, ...]


@dataclass(frozen=True)
class RateTable:
    source: str
    rates: tuple[tuple[str, float, int], ...]  # (role as written, rate per hour, line)


# --------------------------------------------------------------------------- readers
def load_efforts(source: Union[TableSource, EffortTable]) -> EffortTable:
    """Read an efforts table: columns ``task`` (id or name), ``minutes``; optional ``low``, ``high``, ``stage``.

    A table already read is returned as it is (read once, compared many times: a portfolio)."""
    if isinstance(source, EffortTable):
        return source
    name, rows = _rows(source, required=("task", "minutes"), optional=("low", "high", "stage"), what="efforts")
    out = []
    for line, row in rows:
        task = row["task"]
        if not task:
            raise CompareError("the task column is empty (give a task id or name)", source=name, line=line)
        minutes = _number(row["minutes"], "minutes", name, line, task)
        if minutes is None:
            raise CompareError(f"minutes is empty for task '{task}'", source=name, line=line)
        low = _number(row.get("low", ""), "low", name, line, task)
        high = _number(row.get("high", ""), "high", name, line, task)
        if low is not None and low > minutes:
            raise CompareError(f"low {low:g} is above minutes {minutes:g} for task '{task}'", source=name, line=line)
        if high is not None and high < minutes:
            raise CompareError(f"high {high:g} is below minutes {minutes:g} for task '{task}'", source=name, line=line)
        out.append(EffortRow(line=line, task=task, minutes=minutes, low=low, high=high,
                             stage=row.get("stage") or None))
    return EffortTable(source=name, rows=tuple(out))


def load_rates(source: Union[TableSource, Mapping[str, float], RateTable]) -> RateTable:
    """Read hourly rates per role: columns ``role``, ``rate`` (a mapping role -> rate works too; a table
    already read is returned as it is)."""
    if isinstance(source, RateTable):
        return source
    if isinstance(source, Mapping):
        out = []
        for i, (role, rate) in enumerate(source.items(), start=1):
            value = _number(str(rate), "rate", "rates", i, str(role), label="role")
            if value is None:
                raise CompareError(f"no rate given for role '{role}'", source="rates", line=i)
            out.append((str(role), value, i))
        return RateTable(source="rates", rates=tuple(out))
    name, rows = _rows(source, required=("role", "rate"), optional=(), what="rates")
    out = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if not row["role"]:
            raise CompareError("the role column is empty", source=name, line=line)
        value = _number(row["rate"], "rate", name, line, row["role"], label="role")
        if value is None:
            raise CompareError(f"rate is empty for role '{row['role']}'", source=name, line=line)
        earlier = seen.setdefault(_column(row["role"]), line)
        if earlier != line:
            raise CompareError(f"role '{row['role']}' has a rate on line {earlier} already; give each role once",
                               source=name, line=line)
        out.append((row["role"], value, line))
    return RateTable(source=name, rates=tuple(out))


def load_aliases(source: Union[TableSource, Mapping[str, str]]) -> dict[str, str]:
    """Read a role alias table: columns ``alias`` (a lane name as drawn) and ``role`` (the role it is)."""
    return read_aliases(source)[0]


_YES = {"yes", "y", "true", "1", "x", "ja", "j", "system"}
_NO = {"", "no", "n", "false", "0", "nei"}


def read_aliases(source: Union[TableSource, Mapping[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The alias table and the lanes it marks as systems: columns ``alias``, ``role`` and, optionally,
    ``system`` (yes/no; a row with system=yes may leave ``role`` empty to mark a lane without renaming it)."""
    if isinstance(source, Mapping):
        return {str(k): str(v) for k, v in source.items()}, []
    name, rows = _rows(source, required=("alias",), optional=("role", "system"), what="aliases")
    out: dict[str, str] = {}
    systems: list[str] = []
    for line, row in rows:
        flag = row.get("system", "").strip().casefold()
        if flag not in _YES and flag not in _NO:
            raise CompareError(f"system must be yes or no, not '{row['system']}'", source=name, line=line)
        if not row["alias"] or (not row.get("role") and flag not in _YES):
            raise CompareError("alias and role must both be given", source=name, line=line)
        if row.get("role"):
            out[row["alias"]] = row["role"]
        if flag in _YES:
            systems.append(row["alias"])
    return out, systems


@dataclass(frozen=True)
class MatchRow:
    """One correction of the task matching: OLD and NEW are one task (or, with keep_apart, are not)."""

    line: int
    old: str
    new: str
    keep_apart: bool = False
    stage: Optional[str] = None  # the later stage of the pair; None: every pair of consecutive stages


def load_matches(source: TableSource) -> tuple[str, list[MatchRow]]:
    """Read match corrections: columns ``old``, ``new`` (task ids or names); optional ``match`` (yes/no,
    default yes) and ``stage`` (the later stage of the pair it is for)."""
    name, rows = _rows(source, required=("old", "new"), optional=("match", "stage"), what="matches")
    out = []
    for line, row in rows:
        if not row["old"] or not row["new"]:
            raise CompareError("old and new must both be given (task ids or names)", source=name, line=line)
        flag = row.get("match", "").strip().casefold()
        if flag not in _YES and flag not in _NO:
            raise CompareError(f"match must be yes or no, not '{row['match']}'", source=name, line=line)
        out.append(MatchRow(line=line, old=row["old"], new=row["new"], keep_apart=flag in _NO and flag != "",
                            stage=row.get("stage") or None))
    return name, out


# --------------------------------------------------------------------------- plumbing
def table_rows(source: TableSource, *, required: tuple[str, ...], optional: tuple[str, ...] = (), what: str,
               bad_rows: Optional[list[tuple[int, str]]] = None) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """(display name, [(line number, {column: stripped text})]) for a CSV file or a DataFrame.

    A file that cannot be read, or lacks a required column, is a :class:`CompareError`. A row with
    more fields than the header is one too, unless ``bad_rows`` is given: then it is listed there as
    (line, message) and left out, so a reader that warns can keep the other rows.
    """
    return _rows(source, required=required, optional=optional, what=what, bad_rows=bad_rows)


def _rows(source: TableSource, *, required: tuple[str, ...], optional: tuple[str, ...],
          what: str, bad_rows: Optional[list[tuple[int, str]]] = None) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """(display name, [(line number, {column: stripped text})]) for a CSV file or a DataFrame."""
    if _is_frame(source):
        name = f"<{what} table>"
        header = [str(c) for c in source.columns]
        body: Iterable[tuple[int, list[Any]]] = ((i + 2, list(r)) for i, r in enumerate(source.itertuples(index=False)))
    elif hasattr(source, "read"):  # an upload: its name is for messages only
        name = str(getattr(source, "name", None) or f"<{what} table>")
        header, body = _csv_text(source.read(), name, what)
    else:
        path = Path(source)
        name = str(source)
        header, body = _csv(path, what)
    columns = [_column(c) for c in header]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if twice:
        raise CompareError(f"the {what} table names the column{'s' if len(twice) > 1 else ''} {', '.join(twice)} "
                           "more than once", source=name, line=1)
    missing = [c for c in required if c not in columns]
    if missing:
        raise CompareError(f"the {what} table needs the column{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(missing)} (found: {', '.join(header) or 'none'})", source=name, line=1)
    wanted = set(required) | set(optional)
    rows = []
    for line, values in body:
        cells = ["" if _blank(v) else str(v).strip() for v in values]
        if not any(cells):
            continue
        if len(cells) > len(columns) and any(cells[len(columns):]):
            if bad_rows is not None:
                bad_rows.append((line, f"{len(cells)} fields but the header has {len(columns)}; line left out"))
                continue
            raise CompareError(f"{len(cells)} fields but the header has {len(columns)}", source=name, line=line)
        row = {c: (cells[k] if k < len(cells) else "") for k, c in enumerate(columns) if c in wanted}
        rows.append((line, row))
    return name, rows


def _is_frame(source: Any) -> bool:
    """A pandas DataFrame? pandas is not imported for this: without it loaded, nothing is one."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def _csv(path: Path, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableTable(f"{what} file not found", source=str(path)) from None
    except (IsADirectoryError, PermissionError, OSError) as exc:
        raise UnreadableTable(f"cannot read the {what} file ({exc.strerror or exc})", source=str(path)) from None
    return _csv_text(data, str(path), what)


def _csv_text(data: bytes, name: str, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\0" in text:
        raise UnreadableTable(f"the {what} file is not a CSV text file", source=name)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CompareError(f"the {what} file is empty; it needs a header line", source=name, line=1)
    first = lines[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        body = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise CompareError(f"not a readable CSV file ({exc})", source=name, line=reader.line_num) from None
    return header, body


def _column(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").casefold().split())


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def _number(text: str, column: str, source: str, line: int, subject: str, label: str = "task") -> Optional[float]:
    """A non-negative finite number, or None for an empty cell; decimal commas are fine."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = read_number(text)
    except ValueError as exc:
        raise CompareError(f"{column} {exc} ({label} '{subject}')", source=source, line=line) from None
    if not math.isfinite(value):
        raise CompareError(f"{column} '{text}' is not a finite number ({label} '{subject}')", source=source, line=line)
    if value < 0:
        raise CompareError(f"{column} {value:g} is negative ({label} '{subject}')", source=source, line=line)
    if value > MAX_FIGURE:
        raise CompareError(f"{column} {value:g} is too large to be real (at most {MAX_FIGURE:.0e}; "
                           f"{label} '{subject}')", source=source, line=line)
    return value
