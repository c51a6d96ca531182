"""The process model: the typed contract between reading, comparing and rendering.

Everything a reader finds in a file (BPMN 2.0 or BPMN-lite) ends up here; the
comparison and the pictures never look at XML again. Where things are drawn is a
separate layer, `Model.geometry` (see geometry.py), as BPMNDI is in BPMN 2.0.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from procmap.model.geometry import Bounds, Geometry, Point, Shape  # noqa: F401  (Bounds, Point, Shape re-exported)

from procmap.model.kinds import (  # noqa: F401  (re-exported: the model's vocabulary)
    ACTIVITY_TYPES, AUTOMATED_TYPES, EVENT_TYPES, FLOW_NODE_TYPES, GATEWAY_TYPES, SUBPROCESS_TYPES, TASK_TYPES,
    LaneSource, NodeKind, node_kind)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Effort(_Frozen):
    """Minutes of work per case, with an optional low/high range for uncertainty."""

    minutes: float = Field(ge=0)
    low: Optional[float] = Field(default=None, ge=0)
    high: Optional[float] = Field(default=None, ge=0)


class FlowNode(_Frozen):
    """A task, event, gateway, sub-process or call activity, and the lane it belongs to."""

    id: str
    name: str = ""
    type: str
    kind: NodeKind
    process_id: str
    parent_id: Optional[str] = None  # the sub-process that holds it, if any
    attached_to: Optional[str] = None  # a boundary event's host activity
    lane_id: Optional[str] = None
    lane_source: Optional[LaneSource] = None
    effort: Optional[Effort] = None
    line: Optional[int] = None

    @property
    def is_task(self) -> bool:
        return self.kind == "task"

    @property
    def automated(self) -> bool:
        return self.type in AUTOMATED_TYPES

    @property
    def label(self) -> str:
        return self.name or self.id


class Lane(_Frozen):
    """A swimlane. A leaf lane (no children) is a role."""

    id: str
    name: str = ""
    parent_id: Optional[str] = None
    process_id: str
    container_id: str
    flow_node_refs: list[str] = Field(default_factory=list)  # as written, existing flow nodes only
    child_ids: list[str] = Field(default_factory=list)
    line: Optional[int] = None

    @property
    def is_leaf(self) -> bool:
        return not self.child_ids


class Participant(_Frozen):
    """A pool. A black-box pool has no process."""

    id: str
    name: str = ""
    process_id: Optional[str] = None
    line: Optional[int] = None


class Process(_Frozen):
    id: str
    name: str = ""
    participant_id: Optional[str] = None
    line: Optional[int] = None


class SequenceFlow(_Frozen):
    id: str
    source: str
    target: str
    name: str = ""
    process_id: str


class MessageFlow(_Frozen):
    id: str
    source: str
    target: str
    name: str = ""


class Role(_Frozen):
    """A role is a leaf lane, or a whole process/pool when it has no lanes."""

    id: str  # lane id, or process id when the process has no lanes
    name: str  # display name: the lane name, its path when names repeat, or the pool name
    process_id: str
    lane_id: Optional[str] = None


class Model(BaseModel):
    """One stage of a service as read from one file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    source: str = "<memory>"
    format: Literal["bpmn", "lite"] = "bpmn"
    name: str = ""
    stage: Optional[str] = None
    processes: list[Process] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    nodes: list[FlowNode] = Field(default_factory=list)
    sequence_flows: list[SequenceFlow] = Field(default_factory=list)
    message_flows: list[MessageFlow] = Field(default_factory=list)
    geometry: Geometry = Field(default_factory=Geometry)  # where things are drawn, by element id
    warnings: list[str] = Field(default_factory=list)

    @property
    def has_geometry(self) -> bool:
        """True when the file's diagram draws something (converts the diagram: ask it when drawing)."""
        return bool(self.geometry.shapes)

    def all_warnings(self) -> list[str]:
        """What reading said, then what converting the diagram later said (once something converted it).

        A model is a value: converting its diagram never changes ``warnings``.
        """
        drawn = self.geometry.warnings if self.geometry.loaded else ()
        return [*self.warnings, *(w for w in drawn if w not in self.warnings)]

    # -- lookups (cached; the model is not mutated after reading) ---------------
    @cached_property
    def node_by_id(self) -> dict[str, FlowNode]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def lane_by_id(self) -> dict[str, Lane]:
        return {lane.id: lane for lane in self.lanes}

    @property
    def tasks(self) -> list[FlowNode]:
        return [n for n in self.nodes if n.is_task]

    def task_counts(self, process_id: str) -> dict[str, int]:
        """Tasks of one process by BPMN type, nested sub-processes included."""
        counts: dict[str, int] = {}
        for n in self.nodes:
            if n.process_id == process_id and n.is_task:
                counts[n.type] = counts.get(n.type, 0) + 1
        return counts

    @cached_property
    def roles(self) -> list[Role]:
        """Roles in document order: leaf lanes (and parent lanes holding nodes), then lane-less processes."""
        holding = {n.lane_id for n in self.nodes if n.lane_id}
        role_lanes = [lane for lane in self.lanes if lane.is_leaf or lane.id in holding]
        pools = {p.process_id: p for p in self.participants if p.process_id}
        procs = {p.id: p for p in self.processes}

        def pool_name(process_id: str) -> str:
            pool, proc = pools.get(process_id), procs.get(process_id)
            return (pool.name if pool else "") or (proc.name if proc else "") or self.name or process_id

        def lane_label(lane: Lane) -> str:
            if lane.name:
                return lane.name
            siblings = [la for la in self.lanes if la.parent_id == lane.parent_id and la.process_id == lane.process_id]
            return f"lane {siblings.index(lane) + 1}" if len(siblings) > 1 else ""

        def path(lane: Lane) -> list[str]:
            parts, current = [], lane
            while current is not None:
                label = lane_label(current)
                if label:
                    parts.append(label)
                current = self.lane_by_id.get(current.parent_id) if current.parent_id else None
            return list(reversed(parts))

        # Shortest name that is unique: own name, then the lane path, then pool + path, then + id.
        candidates = [
            [lane.name or pool_name(lane.process_id),
             " / ".join(path(lane)) or pool_name(lane.process_id),
             " / ".join([pool_name(lane.process_id), *path(lane)])]
            for lane in role_lanes
        ]
        names = [c[0] for c in candidates]
        for level in (1, 2):
            seen: dict[str, int] = {}
            for name in names:
                seen[_norm(name)] = seen.get(_norm(name), 0) + 1
            names = [c[level] if seen[_norm(n)] > 1 else n for c, n in zip(candidates, names)]
        seen = {}
        for name in names:
            seen[_norm(name)] = seen.get(_norm(name), 0) + 1
        names = [f"{n} ({lane.id})" if seen[_norm(n)] > 1 else n for n, lane in zip(names, role_lanes)]
        roles = [Role(id=lane.id, name=name, process_id=lane.process_id, lane_id=lane.id)
                 for lane, name in zip(role_lanes, names)]
        laned = {lane.process_id for lane in self.lanes}
        working = {n.process_id for n in self.nodes}
        laneless = [p for p in self.processes if p.id not in laned and p.id in working]
        names = [pool_name(p.id) for p in laneless]
        taken = {_norm(r.name) for r in roles}
        counts: dict[str, int] = {}
        for name in names:
            counts[_norm(name)] = counts.get(_norm(name), 0) + 1
        for proc, name in zip(laneless, names):  # two processes of one name must not become one role
            if counts[_norm(name)] > 1 or _norm(name) in taken:
                name = f"{name} ({proc.id})"
            roles.append(Role(id=proc.id, name=name, process_id=proc.id))
        return roles

    def role_of(self, node: FlowNode) -> Optional[Role]:
        """The role that does a node's work (its lane, or its lane-less process); None when unassigned."""
        return self._role_index.get(node.lane_id or node.process_id)

    @cached_property
    def _role_index(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}


_T = TypeVar("_T", bound=BaseModel)


def trusted(cls: type[_T], data: dict[str, Any]) -> _T:
    """Build a model from data a reader made itself, without validating it again.

    Readers create hundreds of thousands of nodes and flows; validation would cost
    more than parsing the XML. `data` must hold every field of `cls` with the right
    types (the corpus tests check `Model.model_validate(model.model_dump())`).
    """
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", _FIELDS.get(cls) or _fields(cls))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_new = object.__new__
_set = object.__setattr__


class _AllFields(set):
    """Every field name of one model class: the ``model_fields_set`` that all models
    `trusted` made of that class share (one set each would cost more than the model).

    It is shared by every model a reader made in the process, so it refuses changes:
    pydantic's own ``fields_set.add(name)`` on assignment adds a name it already holds,
    and pydantic's copies (``model_copy``, ``copy``, ``deepcopy``) copy it to a plain set.
    """

    __slots__ = ()

    def add(self, name: str) -> None:
        if name not in self:
            self._refuse()

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("this fields set is shared by every model of its class and cannot change; "
                        "copy it first: set(model.model_fields_set)")

    discard = remove = pop = clear = update = _refuse  # type: ignore[assignment]
    difference_update = intersection_update = symmetric_difference_update = _refuse  # type: ignore[assignment]
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]

    def __copy__(self) -> set[str]:
        return set(self)


#: One _AllFields per model class, made on first use. Filled at run time, from many threads
#: at once in a server: ``setdefault`` is atomic, so every thread gets the same set.
_FIELDS: dict[type, _AllFields] = {}


def _fields(cls: type[BaseModel]) -> set[str]:
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS.setdefault(cls, _AllFields(cls.model_fields))
    return found


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()
