"""Hand-made Comparisons for the render tests, so they do not depend on procmap.compare.

`naive_compare` matches tasks by id only, with the conventions of
samples/barnehage/FACTS.md: same id and same role = kept (renamed when the name
differs), same id in another role = moved, otherwise removed / added. It is a test
stand-in, not the real comparison: no close-name matching, no Monte Carlo.
"""

from __future__ import annotations

from typing import Optional, Sequence

from procmap.comparison import Comparison, RoleStage, Saving, Settings, Stage, TaskChange
from procmap.model import AUTOMATED_TYPES, Model

HUMAN_TYPES = {"task", "userTask", "manualTask"}


def _role_order(models: Sequence[Model]) -> list[str]:
    order: list[str] = []
    for model in models:
        previous: Optional[str] = None
        for role in model.roles:
            if role.name not in order:
                order.insert(order.index(previous) + 1 if previous else len(order), role.name)
            previous = role.name
    return order


def _stage_name(model: Model, index: int) -> str:
    return model.stage or f"stage {index + 1}"


def naive_compare(models: Sequence[Model], cases_per_year: Optional[float] = None,
                  rates: Optional[dict[str, float]] = None) -> Comparison:
    roles = _role_order(models)
    rates = rates or {}
    stages: list[Stage] = []
    for i, model in enumerate(models):
        per_role: list[RoleStage] = []
        handoffs = sum(1 for f in model.sequence_flows
                       if model.role_of(model.node_by_id[f.source]) != model.role_of(model.node_by_id[f.target]))
        for name in roles:
            ids = [r.id for r in model.roles if r.name == name]
            tasks = [n for n in model.tasks if (model.role_of(n) and model.role_of(n).id in ids)]
            by_type: dict[str, int] = {}
            for n in tasks:
                by_type[n.type] = by_type.get(n.type, 0) + 1
            with_minutes = [n for n in tasks if n.effort is not None]
            minutes = sum(n.effort.minutes for n in with_minutes) if with_minutes else None
            hours = minutes * cases_per_year / 60 if (minutes is not None and cases_per_year) else None
            cost = hours * rates[name] if (hours is not None and name in rates) else None
            per_role.append(RoleStage(
                role=name, present=bool(ids), lane_ids=ids, tasks=len(tasks), tasks_by_type=by_type,
                manual=sum(n.type in HUMAN_TYPES for n in tasks), automated=sum(n.type in AUTOMATED_TYPES for n in tasks),
                minutes=minutes, tasks_without_minutes=[n.name for n in tasks if n.effort is None],
                hours_per_year=hours, cost_per_year=cost))
        known = [rs.minutes for rs in per_role if rs.minutes is not None]
        stages.append(Stage(name=_stage_name(model, i), source=model.source, roles=per_role, tasks=len(model.tasks),
                            minutes=sum(known) if known else None, handoffs=handoffs))
    changes: list[TaskChange] = []
    for a, b, sa, sb in zip(models, models[1:], stages, stages[1:]):
        before = {n.id: n for n in a.tasks}
        after = {n.id: n for n in b.tasks}
        for node_id, n in before.items():
            role = a.role_of(n).name if a.role_of(n) else ""
            m = after.get(node_id)
            common = dict(from_stage=sa.name, to_stage=sb.name, role=role, before_id=node_id, name_before=n.name,
                          type_before=n.type, minutes_before=n.effort.minutes if n.effort else None)
            if m is None:
                changes.append(TaskChange(change="removed", **common))
                continue
            role_after = b.role_of(m).name if b.role_of(m) else ""
            kind = "moved" if role_after != role else ("renamed" if m.name != n.name else
                                                      ("kind_changed" if m.type != n.type else "kept"))
            changes.append(TaskChange(change=kind, role_after=role_after if kind == "moved" else None,
                                      after_id=node_id, name_after=m.name, type_after=m.type, similarity=1.0,
                                      minutes_after=m.effort.minutes if m.effort else None, **common))
        for node_id, m in after.items():
            if node_id not in before:
                changes.append(TaskChange(from_stage=sa.name, to_stage=sb.name, change="added",
                                          role=b.role_of(m).name if b.role_of(m) else "", after_id=node_id,
                                          name_after=m.name, type_after=m.type,
                                          minutes_after=m.effort.minutes if m.effort else None))
    savings: list[Saving] = []
    pairs = list(zip(stages, stages[1:]))
    if len(stages) > 2:
        pairs.append((stages[0], stages[-1]))
    for sa, sb in pairs:
        tot_tasks, tot_min, tot_hours = 0, 0.0, 0.0
        for ra, rb in zip(sa.roles, sb.roles):
            minutes = (ra.minutes or 0.0) - (rb.minutes or 0.0) if (ra.minutes is not None or rb.minutes is not None) else None
            hours = minutes * cases_per_year / 60 if (minutes is not None and cases_per_year) else None
            savings.append(Saving(role=ra.role, from_stage=sa.name, to_stage=sb.name, tasks=ra.tasks - rb.tasks,
                                  minutes_per_case=minutes, hours=hours,
                                  fte=hours / 1695.0 if hours is not None else None))
            tot_tasks += ra.tasks - rb.tasks
            tot_min += minutes or 0.0
            tot_hours += hours or 0.0
        savings.append(Saving(role="Total", from_stage=sa.name, to_stage=sb.name, tasks=tot_tasks,
                              minutes_per_case=tot_min, hours=tot_hours if cases_per_year else None,
                              fte=tot_hours / 1695.0 if cases_per_year else None))
    return Comparison(roles=roles, stages=stages, changes=changes, savings=savings,
                      settings=Settings(cases_per_year=cases_per_year, rates=rates),
                      effort_known=any(s.minutes is not None for s in stages))
