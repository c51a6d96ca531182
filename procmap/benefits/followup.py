"""Follow-up: what the measured minutes per case say about each benefit.

Realised hours a year at a date = (baseline minutes − measured minutes) × cases a year / 60;
the share realised = realised / planned (the same as the minutes realised over the minutes
planned, so the share is known even without the cases a year). The latest date is the
benefit's current state; every date is kept for the chart of planned against realised.
"""

from __future__ import annotations

from typing import Optional, Sequence

from procmap.benefits.actuals import Actual
from procmap.benefits.plan import Benefit, BenefitPlan, Measurement


def follow_up(plan: BenefitPlan, actuals: Sequence[Actual]) -> tuple[BenefitPlan, list[str]]:
    """The plan with each benefit's measurements and realised hours, and warnings about measurements not used."""
    warnings: list[str] = []
    by_role: dict[str, dict] = {}
    for actual in actuals:
        benefit = plan.benefit(actual.role)
        if benefit is None:
            warnings.append(f"{actual.where}: {actual.role} has no planned benefit (its work does not shrink "
                            f"from {plan.first_stage} to {plan.last_stage}); line left out")
            continue
        if benefit.indicator.minutes_baseline is None:
            warnings.append(f"{actual.where}: {actual.role} has no baseline minutes per case to measure against; "
                            "line left out")
            continue
        dated = by_role.setdefault(actual.role, {})
        if actual.date in dated:
            warnings.append(f"{actual.where}: a second figure for {actual.role} on {actual.date.isoformat()}; "
                            f"it replaces {dated[actual.date].where}")
        dated[actual.date] = actual
    benefits = [_followed(b, sorted(by_role.get(b.role, {}).values(), key=lambda a: a.date), plan.cases_per_year)
                for b in plan.benefits]
    return plan.model_copy(update={"benefits": benefits}), warnings


def _followed(benefit: Benefit, actuals: list[Actual], cases: Optional[float]) -> Benefit:
    if not actuals:
        return benefit
    series = [_measurement(benefit, a, cases) for a in actuals]
    latest = series[-1]
    return benefit.model_copy(update={"followup": series, "realised_hours": latest.realised_hours,
                                      "realised_share": latest.realised_share, "measured_on": latest.date})


def _measurement(benefit: Benefit, actual: Actual, cases: Optional[float]) -> Measurement:
    baseline = benefit.indicator.minutes_baseline
    assert baseline is not None
    minutes = baseline - actual.minutes
    hours = minutes * cases / 60.0 if cases is not None else None
    planned = benefit.minutes_freed
    share = minutes / planned if planned else None
    return Measurement(date=actual.date, minutes_per_case=actual.minutes, realised_hours=hours, realised_share=share)


__all__ = ["follow_up"]
