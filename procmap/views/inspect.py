"""What was read from one file, as plain data (for `procmap inspect` and notebooks)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Optional

from procmap.model.elements import FlowNode, Lane, Model

if TYPE_CHECKING:  # pandas is imported by lanes_frame only: `procmap inspect` never needs it
    import pandas as pd


def _nodes_by_lane(model: Model) -> dict[Optional[str], list[FlowNode]]:
    """Every node under its lane id (None: in no lane), in one pass over the model."""
    by_lane: dict[Optional[str], list[FlowNode]] = {}
    for node in model.nodes:
        by_lane.setdefault(node.lane_id, []).append(node)
    return by_lane


def summary(model: Model) -> dict[str, Any]:
    """The stable JSON shape of `procmap inspect --json`."""
    by_lane = _nodes_by_lane(model)
    laned = {lane.process_id for lane in model.lanes}
    role_tasks = Counter(role.id for role in map(model.role_of, model.tasks) if role is not None)
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
             "placed_by_geometry": [n.id for n in by_lane.get(lane.id, []) if n.lane_source == "geometry"]}
            for lane in model.lanes
        ],
        "roles": [{"id": r.id, "name": r.name, "process_id": r.process_id,
                   "tasks": role_tasks[r.id]} for r in model.roles],
        "unassigned": [n.id for n in by_lane.get(None, []) if n.process_id in laned],
        "diagram": diagram(model),  # before the warnings: converting the diagram may add some
        "warnings": model.all_warnings(),
    }


def diagram(model: Model) -> Optional[dict[str, int]]:
    """How much of the model the file's diagram draws (None without one); converts the diagram."""
    if not model.has_geometry:
        return None
    geo = model.geometry
    shapes = geo.shapes
    return {"shapes": len(shapes), "edges": len(geo.edges),
            "nodes_drawn": sum(1 for n in model.nodes if n.id in shapes), "nodes": len(model.nodes)}


def _pool_name(model: Model, participant_id: str | None) -> str | None:
    return next((p.name for p in model.participants if p.id == participant_id), None)


def lanes_frame(model: Model) -> pd.DataFrame:
    """One row per lane: where it sits and how much work it holds."""
    import pandas as pd

    rows = []
    by_lane = _nodes_by_lane(model)
    for lane in model.lanes:
        nodes = by_lane.get(lane.id, [])
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

    by_lane = _nodes_by_lane(model)
    laned = {lane.process_id for lane in model.lanes}

    def count(lane_id: str) -> int:
        return sum(1 for n in by_lane.get(lane_id, []) if n.is_task)

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
        out.append(f"{'Pool' if pool else 'Process'} {title} ({proc.id}): {total} task{'s' if total != 1 else ''}"
                   + (f" ({kinds})" if kinds else ""))
        for lane in children.get(None, []):
            if lane.process_id == proc.id:
                walk(lane, 1)
        loose = [n for n in by_lane.get(None, []) if n.process_id == proc.id]
        if loose and proc.id in laned:
            out.append("  ! in no lane: " + ", ".join(n.label for n in loose))
    for part in model.participants:
        if part.process_id is None:
            out.append(f"Pool {part.name or part.id} (black box, no process)")
    return out
