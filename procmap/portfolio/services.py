"""Finding the services of a portfolio: a folder of service folders, or a manifest CSV.

A **folder** holds one sub-folder per service; a service's stage files (``*.bpmn``, ``*.bpmn2``,
``*.xml``, ``*.lite.xml``, ``*.lite``) are its stages in file-name order. A **manifest** is a CSV
with the columns ``service,stage,file[,cases_per_year]``, one row per stage in stage order, paths
relative to the CSV. What is wrong with one service (a missing file, one stage only, a name used
twice, a folder without stage files) is kept as that service's one-line reason and the others are
still found; what is wrong with the manifest as a whole (an unknown column, not a CSV) is one error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from procmap.compare.match import normalise
from procmap.compare.inputs import _csv as read_csv
from procmap.errors import CompareError, OptionError, ReadError
from procmap.files import shown
from procmap.words import read_number

STAGE_SUFFIXES = (".lite.xml", ".lite", ".bpmn", ".bpmn2", ".xml")
MANIFEST_COLUMNS = ("service", "stage", "file")
OPTIONAL_COLUMNS = ("cases_per_year",)


@dataclass(frozen=True)
class Service:
    """One service to compare: its stage files in order, and what the portfolio knows about it."""

    name: str
    files: tuple[str, ...]
    stages: Optional[tuple[str, ...]] = None  # stage names from a manifest; None: compare names them
    cases_per_year: Optional[float] = None  # overrides --cases for this service
    error: Optional[str] = None  # why it cannot be compared, found before reading it


@dataclass(frozen=True)
class Found:
    """The services of a portfolio, in the order given (folder names, or first rows of the manifest)."""

    source: str
    services: tuple[Service, ...] = field(default_factory=tuple)


def find_services(path: Union[str, Path]) -> Found:
    """The services in a folder of service folders, or in a manifest CSV."""
    path = Path(path)
    if path.is_dir():
        return _from_folder(path)
    if path.is_file():
        return _from_manifest(path)
    raise OptionError(f"{shown(path)}: no such folder or manifest (give a folder with one sub-folder per service, "
                      "or a CSV with the columns service,stage,file)")


def is_stage_file(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and not name.startswith(".") and name.endswith(STAGE_SUFFIXES)


def _from_folder(folder: Path) -> Found:
    try:
        subs = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.name)
    except OSError as exc:
        raise OptionError(f"{shown(folder)}: cannot list the folder ({exc.strerror or exc})") from None
    if not subs:
        loose = [p for p in folder.iterdir() if is_stage_file(p)]
        hint = (" (it holds stage files itself: to compare one service use `procmap compare`)" if loose else "")
        raise OptionError(f"{shown(folder)}: no service folders in it; a portfolio folder holds one sub-folder per "
                          f"service{hint}")
    services = []
    seen: dict[str, str] = {}
    for sub in subs:
        name = sub.name
        try:
            files = sorted((p for p in sub.iterdir() if is_stage_file(p)), key=lambda p: p.name)
        except OSError as exc:
            services.append(Service(name, (), error=f"cannot list the folder ({exc.strerror or exc})"))
            continue
        error = _same_name(name, seen) or _stage_count(len(files), [f.name for f in files])
        services.append(Service(name, tuple(str(f) for f in files), error=error))
    return Found(str(folder), tuple(services))


def _same_name(name: str, seen: dict[str, str]) -> Optional[str]:
    """Two services whose names differ only in case, blanks or punctuation are one name used twice."""
    key = normalise(name) or name
    if key in seen:
        return f"the name is also used by the service '{seen[key]}'; give every service its own name"
    seen[key] = name
    return None


def _stage_count(n: int, names: list[str]) -> Optional[str]:
    if n == 0:
        return f"no stage files ({', '.join('*' + s for s in STAGE_SUFFIXES)})"
    if n == 1:
        return f"only one stage ({names[0]}); a service needs two or more stages to compare"
    return None


# --------------------------------------------------------------------------- manifest
@dataclass
class _Rows:
    name: str
    first_line: int
    files: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    cases: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _from_manifest(path: Path) -> Found:
    header, body = _read_csv(path)
    columns = ["_".join(c.strip().lstrip("\ufeff").casefold().split()) for c in header]
    known = MANIFEST_COLUMNS + OPTIONAL_COLUMNS
    unknown = [header[k] for k, c in enumerate(columns) if c not in known]
    missing = [c for c in MANIFEST_COLUMNS if c not in columns]
    if unknown or missing or len(set(columns)) < len(columns):
        said = []
        if missing:
            said.append(f"the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"{'are' if len(missing) > 1 else 'is'} missing")
        if unknown:
            said.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)}")
        if len(set(columns)) < len(columns):
            said.append("a column is named twice")
        raise ReadError(f"{'; '.join(said)}; a manifest has the columns service,stage,file[,cases_per_year]",
                        source=shown(path), line=1)
    base = path.parent
    groups: dict[str, _Rows] = {}
    names: dict[str, str] = {}  # normalised name -> the name as first written
    for line, values in body:
        cells = [v.strip() for v in values]
        if not any(cells):
            continue
        if len(cells) > len(columns) and any(cells[len(columns):]):
            raise ReadError(f"{len(cells)} fields but the header has {len(columns)}", source=shown(path), line=line)
        row = {c: (cells[k] if k < len(cells) else "") for k, c in enumerate(columns)}
        name = row["service"]
        if not name:
            raise ReadError("the service column is empty", source=shown(path), line=line)
        key = normalise(name) or name
        written = names.setdefault(key, name)
        rows = groups.setdefault(key, _Rows(written, line))
        if written != name:
            rows.errors.append(f"line {line}: '{name}' and '{written}' (line {rows.first_line}) differ only in "
                               "case or punctuation; give every service its own name, written the same way")
        _add_row(rows, row, line, base)
    if not groups:
        raise ReadError("the manifest lists no services", source=shown(path), line=2)
    return Found(str(path), tuple(_service(rows) for rows in groups.values()))


def _add_row(rows: _Rows, row: dict[str, str], line: int, base: Path) -> None:
    stage, file = row["stage"], row["file"]
    if not file:
        rows.errors.append(f"line {line}: the file column is empty")
        return
    target = Path(file) if Path(file).is_absolute() else base / file
    if not target.is_file():
        rows.errors.append(f"line {line}: {shown(target)}: {'is a folder' if target.is_dir() else 'no such file'}")
    key = normalise(stage) if stage else None
    if key and key in (normalise(s) for s in rows.stages if s):
        rows.errors.append(f"line {line}: the stage '{stage}' is listed twice for this service")
    rows.files.append(str(target))
    rows.stages.append(stage)
    if row.get("cases_per_year"):
        rows.cases.append((line, row["cases_per_year"]))


def _service(rows: _Rows) -> Service:
    errors = list(rows.errors)
    named = [s for s in rows.stages if s]
    stages: Optional[tuple[str, ...]] = None
    if named and len(named) != len(rows.stages):
        errors.append("some rows name their stage and some do not; name every stage or none")
    elif named:
        stages = tuple(rows.stages)
    cases: Optional[float] = None
    values = set()
    for line, text in rows.cases:
        try:
            value = read_number(text)
        except ValueError as exc:
            errors.append(f"line {line}: cases_per_year {exc}")
            continue
        if not math.isfinite(value) or value < 0:
            errors.append(f"line {line}: cases_per_year must be a number >= 0, not '{text}'")
            continue
        values.add(value)
        cases = value
    if len(values) > 1:
        errors.append(f"cases_per_year differs between its rows ({', '.join(f'{v:g}' for v in sorted(values))}); "
                      "give it once, or the same on every row")
    if not errors:
        count = _stage_count(len(rows.files), [Path(f).name for f in rows.files])
        if count:
            errors.append(count)
    return Service(rows.name, tuple(rows.files), stages, cases, "; ".join(errors) or None)


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The manifest's header and rows, read like every side table (any delimiter, UTF-8 or windows-1252)."""
    try:
        return read_csv(path, "manifest")
    except CompareError as exc:  # a manifest that cannot be read is bad input, like a stage file
        raise ReadError(exc.message, source=shown(path), line=exc.line) from None


__all__ = ["Found", "Service", "find_services", "is_stage_file"]
