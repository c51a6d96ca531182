"""A portfolio's results: one small result per service, ranked, and the totals per role across services.

A :class:`ServiceResult` is what a worker sends back (a few hundred bytes, never a model) and what the
cache keeps. :class:`Portfolio` ranks them by the hours a year they free and adds each role's total.
Its JSON (``Portfolio.to_json()``) is the shape documented in the README:
``{"services": [...], "roles": [...], "failed": [...]}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from procmap.compare.match import normalise
from procmap.files import shown
from procmap.model.elements import _Frozen


class RoleResult(_Frozen):
    """One role of one service, first stage -> last stage. Positive = less work."""

    hours_saved: Optional[float] = None
    hours_p10: Optional[float] = None
    hours_p90: Optional[float] = None
    fte_saved: Optional[float] = None
    money_saved: Optional[float] = None
    minutes_saved: Optional[float] = None  # per case
    tasks: list[int] = Field(default_factory=list)  # per stage (0 where the role is absent)


class StepResult(_Frozen):
    """All roles of one service between two consecutive stages."""

    from_stage: str
    to_stage: str
    hours_saved: Optional[float] = None
    fte_saved: Optional[float] = None
    money_saved: Optional[float] = None
    minutes_saved: Optional[float] = None
    tasks_saved: int = 0


class ServiceResult(_Frozen):
    """One service compared (first -> last stage, all roles), or the one-line reason it could not be."""

    service: str
    stages: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    cases_per_year: Optional[float] = None
    hours_saved: Optional[float] = None  # exactly procmap compare's Total saving, first -> last stage
    hours_inside: Optional[float] = None  # of hours_saved, the organisation's own (what fte_saved comes from)
    hours_outside: Optional[float] = None  # of hours_saved, the roles outside the organisation (no rate)
    roles_outside: list[str] = Field(default_factory=list)
    hours_p10: Optional[float] = None
    hours_p90: Optional[float] = None
    fte_saved: Optional[float] = None
    money_saved: Optional[float] = None
    minutes_saved: Optional[float] = None  # per case
    tasks: list[int] = Field(default_factory=list)  # per stage
    roles: dict[str, RoleResult] = Field(default_factory=dict)
    steps: list[StepResult] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: Optional[str] = None
    #: The failure was the machine's (memory, a worker that died), not the files': never cached.
    transient: bool = Field(default=False, exclude=True)

    @field_validator("service", "stages", "files", "warnings", "error", mode="before")
    @classmethod
    def _printable(cls, value: object) -> object:
        """Names and paths as a person reads them: a file name that is not UTF-8 shows as \\xNN, so every
        output (JSON, HTML, a terminal) can write it."""
        if isinstance(value, str):
            return shown(value)
        if isinstance(value, (list, tuple)):
            return [shown(v) if isinstance(v, str) else v for v in value]
        return value

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failed(cls, service: str, files: Sequence[str], reason: str, cases_per_year: Optional[float] = None, *,
               transient: bool = False) -> "ServiceResult":
        """A service that could not be compared, with its one-line reason."""
        return cls(service=service, files=list(files), cases_per_year=cases_per_year, error=reason,
                   transient=transient)


class RoleTotal(_Frozen):
    """One role across the services that have it. (P10/P90 do not add up, so totals have none.)"""

    role: str
    hours_saved: Optional[float] = None
    fte_saved: Optional[float] = None
    money_saved: Optional[float] = None
    services: int = 0  # services in which the role has a lane


def rank_key(result: ServiceResult) -> tuple:
    """Most hours freed first; services without hours (no cases per year) after, by minutes per case."""
    hours, minutes = result.hours_saved, result.minutes_saved
    return (hours is None, -(hours or 0.0), minutes is None, -(minutes or 0.0), result.service.casefold())


def _add(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a if b is None else (b if a is None else a + b)


def role_totals(services: list[ServiceResult]) -> list[RoleTotal]:
    """Each role's hours, FTE and money freed summed over the services; roles named alike are one role."""
    totals: dict[str, dict] = {}
    for service in services:
        for role, r in service.roles.items():
            t = totals.setdefault(normalise(role) or role, {"role": role, "hours_saved": None, "fte_saved": None,
                                                            "money_saved": None, "services": 0})
            t["hours_saved"] = _add(t["hours_saved"], r.hours_saved)
            t["fte_saved"] = _add(t["fte_saved"], r.fte_saved)
            t["money_saved"] = _add(t["money_saved"], r.money_saved)
            t["services"] += 1
    made = [RoleTotal(**t) for t in totals.values()]
    return sorted(made, key=lambda t: (t.hours_saved is None, -(t.hours_saved or 0.0), -t.services,
                                       t.role.casefold()))


def _summed(figure: str, doc: str) -> property:
    """A portfolio's total of a service figure, as a read-only attribute."""
    return property(lambda portfolio: portfolio.total(figure), doc=doc)


class Portfolio(BaseModel):
    """Services ranked by the working time they free, each role's total, and the services that failed."""

    model_config = ConfigDict(extra="forbid")

    source: str
    services: list[ServiceResult]  # compared, most hours freed first
    roles: list[RoleTotal]
    failed: list[ServiceResult]  # in the order found, each with its one-line reason
    currency: str = "NOK"
    cached: int = 0  # how many results came from the cache (not part of the JSON)

    @classmethod
    def of(cls, source: str, results: list[ServiceResult], *, currency: str = "NOK", cached: int = 0) -> "Portfolio":
        done = sorted((r for r in results if r.ok), key=rank_key)
        return cls(source=source, services=done, roles=role_totals(done), failed=[r for r in results if not r.ok],
                   currency=currency, cached=cached)

    def total(self, figure: str) -> Optional[float]:
        """A figure summed over the services that know it; None when none does (unknown is not zero)."""
        known = [getattr(s, figure) for s in self.services if getattr(s, figure) is not None]
        return sum(known) if known else None

    hours_saved = _summed("hours_saved", "Every service's hours freed a year, where known.")
    hours_inside = _summed("hours_inside", "The organisation's own hours: those the work years and money are of.")
    hours_outside = _summed("hours_outside", "The hours saved outside the organisation (roles without a rate).")
    fte_saved = _summed("fte_saved", "Work years freed (the organisation's own hours).")
    money_saved = _summed("money_saved", "Money freed a year (the organisation's own hours).")

    @property
    def roles_outside(self) -> list[str]:
        """The roles outside the organisation that save hours, each once, in the order found."""
        return list(dict.fromkeys(r for s in self.services if s.hours_outside for r in s.roles_outside))

    def inputs(self) -> list[Path]:
        """Every file the portfolio read (its manifest too): no output may be written over one."""
        files = [Path(f) for s in [*self.services, *self.failed] for f in s.files]
        return files + ([Path(self.source)] if Path(self.source).is_file() else [])

    def to_dict(self) -> dict:
        return {"services": [s.model_dump() for s in self.services], "roles": [r.model_dump() for r in self.roles],
                "failed": [s.model_dump() for s in self.failed]}

    def to_json(self, indent: Optional[int] = 2) -> str:
        """``{"services": [...ranked...], "roles": [...totals...], "failed": [...]}``, UTF-8, no NaN."""
        return self.model_dump_json(include={"services", "roles", "failed"}, indent=indent)


__all__ = ["Portfolio", "RoleResult", "RoleTotal", "ServiceResult", "StepResult", "rank_key", "role_totals"]
