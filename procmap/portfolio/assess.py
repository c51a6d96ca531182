"""One service assessed: its stages read and compared exactly as ``procmap compare`` does, summed up small.

:func:`assess` is pure (files and options in, a :class:`ServiceResult` out) and never raises for
bad input: a service that cannot be compared comes back with its one-line reason, so one broken
file never stops the other services. It is what each worker of a portfolio runs.
"""

from __future__ import annotations

from typing import Optional, Sequence

from procmap.app import read_stages
from procmap.compare.effort import TOTAL
from procmap.compare.result import Comparison, Saving
from procmap.compare.run import compare
from procmap.errors import ProcmapError
from procmap.options import CompareOptions, Reading
from procmap.portfolio.result import RoleResult, ServiceResult, StepResult
from procmap.portfolio.services import Service


def options_for(service: Service, options: CompareOptions) -> CompareOptions:
    """The portfolio's options with the service's own cases per year and stage names on top."""
    changes: dict = {}
    if service.cases_per_year is not None:
        changes["cases_per_year"] = service.cases_per_year
    if service.stages is not None:
        changes["stages"] = service.stages
    return options.replace(**changes) if changes else options


def assess(service: Service, options: CompareOptions = CompareOptions(), reading: Reading = Reading()) -> ServiceResult:
    """Compare a service's stages (first -> last, and each step) and keep what a portfolio ranks by."""
    if service.error is not None:
        return failed(service, service.error)
    try:
        opts = options_for(service, options)
        comparison = compare(read_stages(list(service.files), reading), opts)
    except ProcmapError as exc:
        return failed(service, "; ".join(exc.lines()))
    except (RecursionError, MemoryError) as exc:  # a hostile file: this service fails, the others go on
        return failed(service, f"too large or too deeply nested to compare ({type(exc).__name__})", transient=True)
    return summarise(service, comparison)


def failed(service: Service, reason: str, *, transient: bool = False) -> ServiceResult:
    return ServiceResult.failed(service.name, service.files, reason, service.cases_per_year, transient=transient)


def assess_many(services: Sequence[Service], options: CompareOptions, reading: Reading) -> list[ServiceResult]:
    """Several services in one go: one round trip to a worker for a chunk of services."""
    return [assess(s, options, reading) for s in services]


def _between(comparison: Comparison, a: str, b: str) -> dict[str, Saving]:
    return {s.role: s for s in comparison.savings if s.from_stage == a and s.to_stage == b}


def summarise(service: Service, comparison: Comparison) -> ServiceResult:
    """The Total and per-role savings from the first stage to the last, and each step's total."""
    stages = comparison.stages
    first, last = stages[0].name, stages[-1].name
    savings = _between(comparison, first, last)
    roles = {}
    for k, role in enumerate(comparison.roles):
        s = savings.get(role)
        roles[role] = RoleResult(tasks=[st.roles[k].tasks for st in stages], **_figures(s))
    steps = []
    for a, b in zip(stages, stages[1:]):
        total = _between(comparison, a.name, b.name).get(TOTAL)
        figures = _figures(total)
        steps.append(StepResult(from_stage=a.name, to_stage=b.name, tasks_saved=a.tasks - b.tasks,
                                **{k: v for k, v in figures.items() if k in StepResult.model_fields}))
    return ServiceResult(
        service=service.name, stages=[st.name for st in stages], files=[st.source for st in stages],
        cases_per_year=comparison.settings.cases_per_year, tasks=[st.tasks for st in stages], roles=roles,
        steps=steps, warnings=list(comparison.warnings), **_figures(savings.get(TOTAL)),
        **_inside_outside(comparison, savings.get(TOTAL), first, last))


def _inside_outside(comparison: Comparison, total: Optional[Saving], first: str, last: str) -> dict:
    """The Total's hours split into the organisation's own and those of roles outside it (README, rates)."""
    if total is None or total.hours is None:
        return {}
    outside = comparison.hours_outside(first, last)
    hours = sum(outside.values())
    return {"hours_inside": total.hours - hours, "hours_outside": hours, "roles_outside": list(outside)}


def _figures(s: Optional[Saving]) -> dict:
    if s is None:
        return {}
    iv = s.hours_interval
    return {"hours_saved": s.hours, "hours_p10": iv.p10 if iv else None, "hours_p90": iv.p90 if iv else None,
            "fte_saved": s.fte, "money_saved": s.money, "minutes_saved": s.minutes_per_case}


__all__ = ["assess", "assess_many", "failed", "options_for", "summarise"]
