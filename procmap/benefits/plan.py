"""The benefit realisation plan made from a comparison: one benefit per role whose work shrinks.

Pure: :func:`make_plan` takes a :class:`~procmap.compare.result.Comparison` (and the owners and
types the user gave) and returns a :class:`BenefitPlan`. The figures are the comparison's own:
a benefit's hours freed are the comparison's saving for that role from the first stage to the
last, so the plan, ``compare`` and the poster never disagree. The measures are the changes the
comparison found on the way (tasks removed, automated, done digitally, moved to another role)
and the new automated tasks they depend on (the integrations).
"""

from __future__ import annotations

from datetime import date as Date
from typing import Literal, Mapping, Optional, Protocol

from pydantic import BaseModel, ConfigDict, Field

from procmap.compare.result import Comparison, RoleStage, Saving, Stage, TaskChange
from procmap.model.kinds import AUTOMATED_TYPES

class OwnerLike(Protocol):
    """What the plan reads of an owner (:class:`procmap.benefits.owners.Owner` is one)."""

    owner: Optional[str]
    due: Optional[Date]
    type: Optional[str]


MeasureKind = Literal["removed", "automated", "digitised", "moved", "integration"]
BenefitType = Literal["budget_reduction", "freed_time", "outside"]
#: BPMN types of work done by hand, on paper or on the phone (a userTask is work on a screen).
_BY_HAND = frozenset({"manualTask", "task"})
TOTAL = "Total"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Measure(_Frozen):
    """One change that produces a benefit (or, for an integration, that the change depends on)."""

    kind: MeasureKind
    task: str  # the task's name (its id when it has none)
    role: str  # whose task it was; for an integration, the lane of the new automated task
    role_after: Optional[str] = None  # for "moved": who does it now
    from_stage: str
    to_stage: str
    minutes_saved: Optional[float] = None  # per case, for `role`; None where a figure is missing


class Indicator(_Frozen):
    """What is measured: minutes per case for the role, and how many of its tasks are done by a person."""

    minutes_baseline: Optional[float] = None
    minutes_target: Optional[float] = None
    manual_baseline: int = 0
    manual_target: int = 0


class Measurement(_Frozen):
    """One measured figure of the follow-up, and what it means for the year."""

    date: Date
    minutes_per_case: float
    realised_hours: Optional[float] = None
    realised_share: Optional[float] = None


class Benefit(_Frozen):
    role: str
    type: BenefitType
    hours_baseline: Optional[float] = None  # hours a year in the first stage
    hours_target: Optional[float] = None  # in the last stage
    hours_freed: Optional[float] = None  # = compare's saving, first -> last
    hours_freed_p10: Optional[float] = None
    hours_freed_p90: Optional[float] = None
    fte_freed: Optional[float] = None
    money_freed: Optional[float] = None
    minutes_freed: Optional[float] = None  # per case
    tasks_freed: int = 0  # tasks before minus tasks after
    indicator: Indicator
    measures: list[Measure] = Field(default_factory=list)
    owner: Optional[str] = None
    due: Optional[Date] = None
    realised_hours: Optional[float] = None  # at the latest measurement
    realised_share: Optional[float] = None  # of the planned benefit, 1.0 = all of it
    measured_on: Optional[Date] = None
    followup: list[Measurement] = Field(default_factory=list)


class BenefitPlan(_Frozen):
    """The plan: the JSON of ``procmap benefits --json``."""

    service: Optional[str] = None
    first_stage: str
    last_stage: str
    stages: list[str]
    cases_per_year: Optional[float] = None
    currency: str = "NOK"
    hours_per_fte: float = 1695.0
    effort_known: bool = True
    benefits: list[Benefit]
    integrations: list[Measure] = Field(default_factory=list)
    hours_freed: Optional[float] = None  # all benefits, every type
    hours_inside: Optional[float] = None  # the organisation's own: what fte_freed and money_freed come from
    hours_outside: Optional[float] = None  # benefits outside the organisation (the applicant's time, say)
    fte_freed: Optional[float] = None  # the organisation's own benefits
    money_freed: Optional[float] = None  # the organisation's own benefits
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, indent: Optional[int] = 2) -> str:
        return self.model_dump_json(indent=indent)

    def benefit(self, role: str) -> Optional[Benefit]:
        return next((b for b in self.benefits if b.role == role), None)


def make_plan(comparison: Comparison, *, types: Optional[Mapping[str, str]] = None,
              owners: Optional[Mapping[str, OwnerLike]] = None, service: Optional[str] = None,
              warnings: Optional[list[str]] = None) -> BenefitPlan:
    """The plan: a benefit for every role whose work shrinks from the first stage to the last.

    ``types`` maps a role (as the comparison names it) to its type, ``owners`` a role to an object
    with ``owner``, ``due`` and ``type``; a type in ``types`` wins over the owner's.
    """
    first, last = comparison.stages[0], comparison.stages[-1]
    types, owners = dict(types or {}), dict(owners or {})
    measures = measures_of(comparison)
    integrations = [m for m in measures if m.kind == "integration"]
    benefits = []
    for k, role in enumerate(comparison.roles):
        saving = _saving(comparison, role, first, last)
        if saving is None or not _shrinks(saving):
            continue
        mine = [m for m in measures if m.kind != "integration" and m.role == role]
        steps = {(m.from_stage, m.to_stage) for m in mine}
        mine += [m for m in integrations if (m.from_stage, m.to_stage) in steps]
        owner = owners.get(role)
        kind = types.get(role) or getattr(owner, "type", None) or _usual_type(comparison, role)
        interval = saving.hours_interval
        benefits.append(Benefit(
            role=role, type=kind, hours_baseline=_hours(first.roles[k], comparison),
            hours_target=_hours(last.roles[k], comparison), hours_freed=saving.hours,
            hours_freed_p10=interval.p10 if interval else None, hours_freed_p90=interval.p90 if interval else None,
            fte_freed=saving.fte, money_freed=saving.money, minutes_freed=saving.minutes_per_case,
            tasks_freed=saving.tasks, indicator=_indicator(first.roles[k], last.roles[k], comparison),
            measures=mine, owner=getattr(owner, "owner", None), due=getattr(owner, "due", None)))
    inside = [b for b in benefits if b.type != "outside"]
    hours = _total(benefits, "hours_freed")
    settings = comparison.settings
    return BenefitPlan(
        service=service, first_stage=first.name, last_stage=last.name, stages=[s.name for s in comparison.stages],
        cases_per_year=settings.cases_per_year, currency=settings.currency, hours_per_fte=settings.hours_per_fte,
        effort_known=comparison.effort_known, benefits=benefits, integrations=integrations,
        hours_freed=hours, hours_inside=None if hours is None else _total(inside, "hours_freed") or 0.0,
        hours_outside=None if hours is None else _total([b for b in benefits if b.type == "outside"], "hours_freed") or 0.0,
        fte_freed=_total(inside, "fte_freed"), money_freed=_total(inside, "money_freed"),
        warnings=[*comparison.warnings, *(warnings or [])])


def _total(benefits: list[Benefit], figure: str) -> Optional[float]:
    """The sum of a figure over benefits; None when no benefit has it (unknown is not zero)."""
    known = [getattr(b, figure) for b in benefits if getattr(b, figure) is not None]
    return sum(known) if known else None


def _saving(comparison: Comparison, role: str, first: Stage, last: Stage) -> Optional[Saving]:
    return next((s for s in comparison.savings
                 if s.role == role and s.from_stage == first.name and s.to_stage == last.name), None)


def _shrinks(saving: Saving) -> bool:
    if saving.minutes_per_case is not None:
        return saving.minutes_per_case > 0
    return saving.tasks > 0  # counts only: fewer tasks is the benefit


def _usual_type(comparison: Comparison, role: str) -> str:
    """Freed time for staff; outside the organisation for a role without a rate once rates are given
    (the comparison counts no money or work years for it: the applicant, say)."""
    return "outside" if comparison.settings.outside(role) else "freed_time"


def _minutes(rs: RoleStage, comparison: Comparison) -> Optional[float]:
    """Minutes per case as the savings count them: a role with no task in a stage does 0 minutes there."""
    if not comparison.effort_known:
        return None
    if rs.minutes is not None:
        return rs.minutes
    return 0.0 if rs.tasks == 0 else None


def _hours(rs: RoleStage, comparison: Comparison) -> Optional[float]:
    minutes, cases = _minutes(rs, comparison), comparison.settings.cases_per_year
    return None if minutes is None or cases is None else minutes * cases / 60.0


def _indicator(before: RoleStage, after: RoleStage, comparison: Comparison) -> Indicator:
    return Indicator(minutes_baseline=_minutes(before, comparison), minutes_target=_minutes(after, comparison),
                     manual_baseline=before.manual, manual_target=after.manual)


def measures_of(comparison: Comparison) -> list[Measure]:
    """The changes that take work away from a role, and the new automated tasks, in stage order."""
    out = []
    for c in comparison.changes:
        kind = _kind(c)
        if kind is None:
            continue
        name = (c.name_after if kind == "integration" else c.name_before) or c.after_id or c.before_id or "?"
        out.append(Measure(kind=kind, task=name, role=c.role, role_after=c.role_after if kind == "moved" else None,
                           from_stage=c.from_stage, to_stage=c.to_stage, minutes_saved=_minutes_saved(c, kind)))
    return out


def _kind(c: TaskChange) -> Optional[MeasureKind]:
    if c.change == "removed":
        return "removed"
    if c.change == "moved":
        return "moved"
    if c.change == "added":
        return "integration" if c.type_after in AUTOMATED_TYPES else None
    if c.change == "kind_changed" and c.type_before not in AUTOMATED_TYPES:
        if c.type_after in AUTOMATED_TYPES:
            return "automated"
        if c.type_before in _BY_HAND and c.type_after == "userTask":
            return "digitised"
    return None


def _minutes_saved(c: TaskChange, kind: str) -> Optional[float]:
    if kind in ("removed", "moved"):
        return c.minutes_before
    if kind == "integration":
        return None
    if c.minutes_before is None or c.minutes_after is None:
        return None
    return c.minutes_before - c.minutes_after


__all__ = ["Benefit", "BenefitPlan", "Indicator", "Measure", "Measurement", "make_plan", "measures_of"]
