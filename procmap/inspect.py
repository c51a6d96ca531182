"""What was read from one file, as plain data (for `procmap inspect` and notebooks)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .model import Lane, Model


def summary(model: Model) -> dict[str, Any]:
    """The stable JSON shape of `procmap inspect --json`."""
    return {
        "file": model.source,
        "format": model.format,
        "name": model.name,
        "stage": model.stage,
        "processes": [
            {"id": p.id, "name": p.name, "pool": _pool_name(model, p.participant_id),
             "task_counts": model.task_counts(p.id)}
            for p in model.processes
        ],
        "pools": [{"id": p.id, "name": p.name, "process_id": p.process_id, "black_box": p.process_id is None}
                  for p in model.participants],
        "lanes": [
            {"id": lane.id, "name": lane.name, "parent_lane_id": lane.parent_id, "process_id": lane.process_id,
             "flow_node_refs": list(lane.flow_node_refs),
             "placed_by_geometry": [n.id for n in model.nodes if n.lane_id == lane.id and n.lane_source == "geometry"
                                    and n.id not in lane.flow_node_refs]}
            for lane in model.lanes
        ],
        "roles": [{"id": r.id, "name": r.name, "process_id": r.process_id,
                   "tasks": sum(1 for n in model.tasks if model.role_of(n) == r)} for r in model.roles],
        "unassigned": [n.id for n in model.nodes if n.lane_id is None and _has_lanes(model, n.process_id)],
        "warnings": list(model.warnings),
    }


def _pool_name(model: Model, participant_id: str | None) -> str | None:
    return next((p.name for p in model.participants if p.id == participant_id), None)


def _has_lanes(model: Model, process_id: str) -> bool:
    return any(lane.process_id == process_id for lane in model.lanes)


def lanes_frame(model: Model) -> pd.DataFrame:
    """One row per lane: where it sits and how much work it holds."""
    rows = []
    for lane in model.lanes:
        nodes = [n for n in model.nodes if n.lane_id == lane.id]
        rows.append({"lane_id": lane.id, "lane": lane.name, "parent_lane_id": lane.parent_id,
                     "process_id": lane.process_id, "leaf": lane.is_leaf,
                     "tasks": sum(1 for n in nodes if n.is_task), "nodes": len(nodes)})
    return pd.DataFrame(rows, columns=["lane_id", "lane", "parent_lane_id", "process_id", "leaf", "tasks", "nodes"])


def lane_tree(model: Model) -> list[str]:
    """The text lines of `procmap inspect`: pools, lanes as a tree, counts, unassigned nodes."""
    out: list[str] = []
    children: dict[str | None, list[Lane]] = {}
    for lane in model.lanes:
        children.setdefault(lane.parent_id, []).append(lane)

    def count(lane_id: str) -> int:
        return sum(1 for n in model.tasks if n.lane_id == lane_id)

    def walk(lane: Lane, depth: int) -> None:
        n = count(lane.id)
        label = lane.name or f"(unnamed lane {lane.id})"
        out.append(f"{'  ' * depth}- {label}: {n} task{'s' if n != 1 else ''}")
        for child in children.get(lane.id, []):
            walk(child, depth + 1)

    for proc in model.processes:
        pool = _pool_name(model, proc.participant_id)
        title = pool or proc.name or proc.id
        counts = model.task_counts(proc.id)
        total = sum(counts.values())
        kinds = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
        out.append(f"{'Pool' if pool else 'Process'} {title} ({proc.id}): {total} tasks" + (f" ({kinds})" if kinds else ""))
        for lane in children.get(None, []):
            if lane.process_id == proc.id:
                walk(lane, 1)
        loose = [n for n in model.nodes if n.process_id == proc.id and n.lane_id is None]
        if loose and _has_lanes(model, proc.id):
            out.append("  ! in no lane: " + ", ".join(n.label for n in loose))
    for part in model.participants:
        if part.process_id is None:
            out.append(f"Pool {part.name or part.id} (black box, no process)")
    return out
