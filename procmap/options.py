"""Options, one frozen object per concern, each defined once for the library, the CLI and the web form.

- :class:`CompareOptions`: how stages are compared (cases, rates, efforts, aliases, matching, Monte Carlo);
- :class:`Look`: how outputs look (language, theme, layout, the date printed on them);
- :class:`Paper`: the poster's page (size, orientation, resolution of a PNG);
- :class:`Reading`: how files are read (the size limit);
- :class:`Limits`: what the web page (``procmap serve``) accepts from its users and keeps for them.

Each field carries its command-line flag, placeholder and help text (``Field``), so the
``procmap`` command and the web page build their controls from this one definition; the
library takes the same object (``procmap.compare(models, options)``) or its field names as
keywords. Every value is checked when the object is made: a wrong one raises
:class:`procmap.OptionError` naming the option.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Optional, Union

from procmap.errors import OptionError
from procmap.words import LANGS, check_lang, read_number

#: A table given as a CSV path, a mapping, or a pandas DataFrame.
TableSource = Any

LAYOUTS: tuple[str, ...] = ("auto", "di", "procmap", "dot")
THEME_NAMES: tuple[str, ...] = ("default", "mono")
PAPER_MM: Mapping[str, tuple[float, float]] = MappingProxyType({  # portrait width, height
    "A0": (841.0, 1189.0), "A1": (594.0, 841.0), "A2": (420.0, 594.0), "A3": (297.0, 420.0), "A4": (210.0, 297.0)})
ORIENTATIONS: tuple[str, ...] = ("auto", "landscape", "portrait")
#: Monte Carlo draws at most: the draws are chunked, but every draw keeps one number per role.
MAX_SIMULATIONS = 1_000_000
#: Cases per year, rates and minutes above this are typing mistakes, not figures (and overflow sums).
MAX_FIGURE = 1e12


@dataclass(frozen=True)
class Flag:
    """How an option is spelled on the command line and in the web form."""

    name: str  # the form field and the flag without dashes: "cases" -> --cases
    metavar: str
    help: str
    cli_type: Any = None  # the CLI's type when it differs from the library's (a CSV path for a table)
    repeatable: bool = False


def Field(default: Any, name: str, metavar: str, help: str, *, cli_type: Any = None, repeatable: bool = False,
          factory: Any = None) -> Any:
    """A dataclass field with its flag."""
    flag = Flag(name, metavar, help, cli_type, repeatable)
    if factory is not None:
        return field(default_factory=factory, metadata={"flag": flag})
    return field(default=default, metadata={"flag": flag})


def flags(options_class: type) -> list[tuple[str, Flag, Any]]:
    """(field name, flag, default) for every option of a class, in definition order."""
    out = []
    for f in dataclasses.fields(options_class):
        flag = f.metadata.get("flag")
        if flag is not None:
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            out.append((f.name, flag, default))
    return out


class _Options:
    """Shared behaviour: a changed copy, checked again."""

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (names as in the library), checked like a new one."""
        known = {f.name for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        unknown = sorted(set(changes) - known)
        if unknown:
            raise OptionError(f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(known))}")
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


def _figure(label: str, value: Optional[float], *, positive: bool = False) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, str):  # as typed on the command line or in a form: 1 000, 1000,5 ...
        try:
            value = read_number(value)
        except ValueError as exc:
            raise OptionError(f"{label} {exc}") from None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise OptionError(f"{label} must be a number, not {value!r}") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0) or value > MAX_FIGURE:
        bound = "> 0" if positive else ">= 0"
        raise OptionError(f"{label} must be a number {bound} and at most {MAX_FIGURE:.0e}, not {value:g}")
    return value


def _names(value: Union[str, "list[str]", "tuple[str, ...]", None]) -> Optional[tuple[str, ...]]:
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(s.strip() for s in value.split(","))
    return tuple(str(s) for s in value)


@dataclass(frozen=True)
class CompareOptions(_Options):
    """How stages are compared. The same fields are the keywords of ``procmap.compare``."""

    stages: Optional[tuple[str, ...]] = Field(
        None, "stages", "NAMES",
        "Stage names, comma separated (default: the lite 'stage' attribute, else the file name).", cli_type=str)
    cases_per_year: Optional[float] = Field(
        None, "cases", "N", "Cases per year: turns minutes into hours, money and full-time equivalents "
        "(1000, '1 000'; 1.000 alone is refused: a thousand or one?).", cli_type=str)
    rate: Optional[float] = Field(
        None, "rate", "X", "Cost per hour for every role (--rates wins where it names a role); 1250 or 1250,50.",
        cli_type=str)
    rates: TableSource = Field(None, "rates", "CSV", "Cost per hour per role: columns role,rate.", cli_type=Path)
    efforts: TableSource = Field(
        None, "efforts", "CSV",
        "Minutes per task, overriding the files: columns task (id or name),minutes[,low,high][,stage].",
        cli_type=Path)
    hours_per_fte: float = Field(1695.0, "hours-per-fte", "H", "Working hours in one full-time equivalent.")
    similarity: float = Field(
        0.8, "similarity", "0-1",
        "How alike two task names must be (difflib ratio) to count as one renamed task.")
    seed: Optional[int] = Field(0, "seed", "N", "Seed of the Monte Carlo estimate (same seed, same figures).")
    simulations: int = Field(2000, "simulations", "N",
                             f"Monte Carlo draws for the P10/P50/P90 range (0 = none, at most {MAX_SIMULATIONS:,}).")
    alias: tuple[str, ...] = Field(
        (), "alias", "'LANE=ROLE'",
        "A renamed lane is this role, e.g. --alias 'Saksbehandler byggesak=Saksbehandler' (repeatable).",
        repeatable=True)
    aliases: TableSource = Field(
        None, "aliases", "CSV",
        "Lane aliases: columns alias,role[,system] (system: yes marks the lane as a machine).", cli_type=Path)
    system: tuple[str, ...] = Field(
        (), "system", "LANE",
        "This lane is a machine (an integration, a robot): its tasks count as automated steps, not manual work "
        "(repeatable).", repeatable=True)
    match: tuple[str, ...] = Field(
        (), "match", "'OLD=NEW'",
        "These two tasks (ids or names, OLD in one stage and NEW in the next) are one task (repeatable).",
        repeatable=True)
    no_match: tuple[str, ...] = Field(
        (), "no-match", "'OLD=NEW'",
        "Keep these two tasks apart: NEW is a new task even with OLD's id or name (repeatable).", repeatable=True)
    matches: TableSource = Field(
        None, "matches", "CSV",
        "Match corrections: columns old,new[,match] (match: no keeps the pair apart)[,stage] (the later stage).",
        cli_type=Path)
    currency: str = Field("NOK", "currency", "CODE", "Currency label for money.")

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "stages", _names(self.stages))
        s(self, "cases_per_year", _figure("cases per year", self.cases_per_year))
        s(self, "rate", _figure("rate", self.rate))
        s(self, "hours_per_fte", _figure("hours per full-time equivalent", self.hours_per_fte, positive=True))
        try:
            similarity = float(self.similarity)
        except (TypeError, ValueError):
            similarity = math.nan
        if not 0 < similarity <= 1:
            raise OptionError(f"similarity must be above 0 and at most 1 (e.g. 0.8), not {self.similarity}")
        s(self, "similarity", similarity)
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)
                                      or not 0 <= self.seed < 2**63):
            raise OptionError(f"seed must be a whole number from 0 up, not {self.seed!r}")
        if isinstance(self.simulations, bool) or not isinstance(self.simulations, int):
            raise OptionError(f"simulations must be a whole number, not {self.simulations!r}")
        if not 0 <= self.simulations <= MAX_SIMULATIONS:
            raise OptionError(f"simulations must be between 0 and {MAX_SIMULATIONS:,}, not {self.simulations:,}")
        alias = (self.alias,) if isinstance(self.alias, str) else tuple(self.alias or ())
        s(self, "alias", alias)
        for text in alias:
            parse_alias(text)
        for name in ("system", "match", "no_match"):
            value = getattr(self, name)
            value = (value,) if isinstance(value, str) else tuple(str(v) for v in (value or ()))
            s(self, name, tuple(v.strip() for v in value if v.strip()))
        for text in (*self.match, *self.no_match):
            parse_pair(text)
        if not isinstance(self.currency, str) or not self.currency.strip() or len(self.currency) > 12:
            raise OptionError(f"currency must be a short label such as NOK, not {self.currency!r}")


def parse_alias(text: str) -> tuple[str, str]:
    """``"Saksbehandler byggesak=Saksbehandler"`` -> (alias, role), as given to ``--alias``."""
    alias, sep, role = str(text).partition("=")
    if not sep or not alias.strip() or not role.strip():
        raise OptionError(f"--alias '{text}' must look like 'Lane name=Role'")
    return alias.strip(), role.strip()


def parse_pair(text: str) -> tuple[str, str]:
    """``"send_post=Send brev"`` -> (old, new), as given to ``--match`` and ``--no-match``."""
    old, sep, new = str(text).partition("=")
    if not sep or not old.strip() or not new.strip():
        raise OptionError(f"--match/--no-match '{text}' must look like 'OLD=NEW' (task ids or names)")
    return old.strip(), new.strip()


@dataclass(frozen=True)
class Look(_Options):
    """How pictures, reports and cards look. ``date`` is printed on posters and reports (default: today)."""

    lang: str = Field("nb", "lang", "nb|en", "Language of the fixed texts: nb (bokmål) or en.")
    theme: str = Field("default", "theme", "default|mono", "Colours: default or mono (for black-and-white print).")
    layout: str = Field(
        "auto", "layout", "auto|di|procmap|dot",
        "auto: the file's own drawing when it has one, else procmap's layout; di: only the file's drawing; "
        "procmap: always procmap's layout; dot: Graphviz.")
    date: Optional[Date] = Field(None, "date", "YYYY-MM-DD",
                                 "The date printed on posters and reports (default: today).", cli_type=str)

    def __post_init__(self) -> None:
        try:
            check_lang(self.lang)
        except ValueError as exc:
            raise OptionError(str(exc)) from None
        if self.theme not in THEME_NAMES and not isinstance(self.theme, Mapping):
            raise OptionError(f"--theme must be one of {', '.join(THEME_NAMES)}, not {self.theme!r}")
        if self.layout not in LAYOUTS:
            raise OptionError(f"--layout must be one of {', '.join(LAYOUTS)}, not {self.layout!r}")
        if self.date == "":
            object.__setattr__(self, "date", None)
        if isinstance(self.date, str):
            try:
                object.__setattr__(self, "date", Date.fromisoformat(self.date))
            except ValueError:
                raise OptionError(f"the date must be written YYYY-MM-DD, not {self.date!r}") from None


@dataclass(frozen=True)
class Paper(_Options):
    """The poster's page."""

    size: str = Field("A3", "size", "A3|A1", "Paper: A3 or A1 (A0, A2 and A4 work too).")
    orientation: str = Field("auto", "orientation", "auto|landscape|portrait",
                             "landscape, portrait, or auto: the one that prints the task names larger.")
    dpi: float = Field(150.0, "dpi", "N", "Resolution of a .png poster.")

    def __post_init__(self) -> None:
        if not isinstance(self.size, str) or self.size.upper() not in PAPER_MM:
            raise OptionError(f"unknown poster size {self.size!r}; use one of {', '.join(PAPER_MM)}")
        object.__setattr__(self, "size", self.size.upper())
        if self.orientation not in ORIENTATIONS:
            raise OptionError(f"orientation must be {' or '.join(ORIENTATIONS)}, not {self.orientation!r}")
        dpi = _figure("--dpi", self.dpi, positive=True)
        if dpi is None or dpi > 1200:
            raise OptionError(f"--dpi must be above 0 and at most 1200, not {self.dpi}")
        object.__setattr__(self, "dpi", dpi)

    def mm(self) -> tuple[float, float]:
        """Width and height in mm."""
        w, h = PAPER_MM[self.size]
        return (w, h) if self.orientation == "portrait" else (h, w)


@dataclass(frozen=True)
class Reading(_Options):
    """How files are read."""

    max_size: float = Field(100.0, "max-size", "MB", "Refuse files larger than this many megabytes.")

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_size", _figure("--max-size", self.max_size, positive=True))

    @property
    def max_bytes(self) -> int:
        return int(self.max_size * 1e6)


@dataclass(frozen=True)
class Limits(_Options):
    """What one web server accepts and keeps: uploads are held in memory, so every amount is bounded."""

    max_file_size: float = Field(10.0, "max-file-size", "MB", "Refuse an uploaded file larger than this.")
    max_files: int = Field(12, "max-files", "N", "Refuse more files than this in one upload (stages and tables).")
    max_total_size: float = Field(20.0, "max-total-size", "MB", "Refuse uploads larger than this in all, per user.")
    max_sessions: int = Field(50, "max-sessions", "N",
                              "Users whose work is kept at once; the one idle the longest is forgotten first.")
    session_minutes: float = Field(120.0, "session-minutes", "MIN",
                                   "Forget a user's files and results after this many minutes without a request.")

    def __post_init__(self) -> None:
        for name in ("max_file_size", "max_total_size", "session_minutes"):
            object.__setattr__(self, name, _figure(f"--{name.replace('_', '-')}", getattr(self, name), positive=True))
        for name in ("max_files", "max_sessions"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise OptionError(f"--{name.replace('_', '-')} must be a whole number of at least 1, not {value!r}")
        if self.max_file_size > self.max_total_size:
            raise OptionError(f"--max-file-size ({self.max_file_size:g} MB) cannot be above --max-total-size "
                              f"({self.max_total_size:g} MB)")

    @property
    def file_bytes(self) -> int:
        return int(self.max_file_size * 1e6)

    @property
    def total_bytes(self) -> int:
        return int(self.max_total_size * 1e6)


__all__ = ["CompareOptions", "LANGS", "LAYOUTS", "Limits", "Look", "PAPER_MM", "Paper", "Reading", "flags",
           "parse_alias", "parse_pair"]
