"""Which nodes to highlight in which stage, read from a Comparison.

In stage i: a task that is gone in stage i+1 is ``removed`` (red, struck through),
a task that moves to another role in stage i+1 is ``moved`` ("→ role"); a task new
since stage i-1 is ``added`` (green, "NEW"), a task that came from another role is
``moved_in``. A node can carry several marks (new in stage 2 and gone in stage 3).

A task in a lane the user marked as a machine (``--system``, or the aliases table's system
column) is marked ``by_system``: it is drawn as an automated step, as the tables count it.
That is what the task is, not a change, so it is marked whether changes are highlighted or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Union

from procmap.compare.result import Comparison, Stage
from procmap.model.elements import Model

MARK_KINDS = ("removed", "moved", "added", "moved_in")


@dataclass
class Mark:
    kinds: set[str] = field(default_factory=set)
    moved_to: Optional[str] = None  # role that does the task in the next stage
    moved_from: Optional[str] = None  # role that did it in the previous stage
    by_system: bool = False  # its lane is a machine's (--system): drawn as an automated step

    def add(self, kind: str) -> "Mark":
        if kind not in MARK_KINDS:
            raise ValueError(f"unknown change mark {kind!r}; use one of {', '.join(MARK_KINDS)}")
        self.kinds.add(kind)
        return self

    @property
    def token(self) -> str:
        """The value of the data-change attribute: the kinds in a fixed order."""
        return " ".join(k for k in MARK_KINDS if k in self.kinds)


MarkInput = Union[Mark, str, Iterable[str]]


def normalise_marks(changes: Optional[Mapping[str, MarkInput]]) -> dict[str, Mark]:
    """Accept {node id: Mark | "removed" | ["added", "removed"]}."""
    out: dict[str, Mark] = {}
    if not changes:
        return out
    if not isinstance(changes, Mapping):
        raise ValueError("changes must map node ids to marks ('removed', 'added', 'moved', 'moved_in')")
    for node_id, value in changes.items():
        if isinstance(value, Mark):
            for kind in value.kinds:
                Mark().add(kind)
            out[node_id] = value
            continue
        mark = Mark()
        for kind in ([value] if isinstance(value, str) else list(value)):
            mark.add(kind)
        out[node_id] = mark
    return out


def stage_marks(comparison: Comparison, index: int) -> dict[str, Mark]:
    """Marks for the nodes of stage `index` (0-based) of a comparison."""
    stages = comparison.stages
    if not 0 <= index < len(stages):
        raise ValueError(f"stage index {index} out of range (0..{len(stages) - 1})")
    here = stages[index].name
    nxt = stages[index + 1].name if index + 1 < len(stages) else None
    prev = stages[index - 1].name if index > 0 else None
    marks: dict[str, Mark] = {}
    for ch in comparison.changes:
        if nxt is not None and ch.from_stage == here and ch.to_stage == nxt and ch.before_id:
            if ch.change == "removed":
                marks.setdefault(ch.before_id, Mark()).add("removed")
            elif ch.change == "moved":
                mark = marks.setdefault(ch.before_id, Mark()).add("moved")
                mark.moved_to = ch.role_after
        if prev is not None and ch.from_stage == prev and ch.to_stage == here and ch.after_id:
            if ch.change == "added":
                marks.setdefault(ch.after_id, Mark()).add("added")
            elif ch.change == "moved":
                mark = marks.setdefault(ch.after_id, Mark()).add("moved_in")
                mark.moved_from = ch.role
    return marks


def with_system_tasks(marks: dict[str, Mark], model: Model, stage: Stage) -> dict[str, Mark]:
    """`marks` with every task of the stage's system lanes marked ``by_system`` (a new dict; `marks`
    and its Marks are left as they are)."""
    lanes = {lane for role in stage.roles if role.system for lane in role.lane_ids}
    if not lanes:
        return marks
    out = dict(marks)
    for node in model.nodes:
        role = model.role_of(node) if node.is_task else None
        if role is not None and role.id in lanes:
            old = out.get(node.id)
            out[node.id] = Mark(set(old.kinds), old.moved_to, old.moved_from, True) if old else Mark(by_system=True)
    return out
