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

    @property
    def expected(self) -> float:
        """The figure every total uses: the PERT mean (low + 4 minutes + high) / 6 when a range is
        given, else the minutes as written (README, "The rules a comparison follows", "a figure inside its range")."""
        low = self.minutes if self.low is None else min(self.low, self.minutes)
        high = self.minutes if self.high is None else max(self.high, self.minutes)
        return self.minutes if low == high else (low + 4.0 * self.minutes + high) / 6.0


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
    collapsed: bool = False  # a sub-process with no activity inside: the box itself is the work
    trigger: Optional[str] = None  # a boundary event's kind: "timer", "message", "error", ... (its definition)

    @property
    def is_task(self) -> bool:
        """One unit of work of its lane: a task, a call activity, or a sub-process with no activity inside.

        A sub-process that holds activities is a container: they count, not the box (whether a
        tool draws it expanded or collapsed, so work is counted once and never hidden).
        """
        kind = self.kind
        return kind == "task" or kind == "call" or (kind == "subprocess" and self.collapsed)

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


class Notation(_Frozen):
    """What a flow node or a flow says beyond its type: what BPMN notation draws on it.

    Only elements that say something get one (``Model.notation`` by id); comparing never reads it.
    Throw or catch follows from the node's type; ``interrupting`` is False for a boundary event
    with ``cancelActivity="false"`` and an event sub-process start with ``isInterrupting="false"``.
    """

    event_definitions: tuple[str, ...] = ()  # local names in document order: "timerEventDefinition", ...
    parallel_multiple: bool = False
    interrupting: bool = True
    loop: Optional[str] = None  # "standardLoopCharacteristics" or "multiInstanceLoopCharacteristics"
    sequential: bool = False  # a multi-instance loop one after the other (isSequential)
    for_compensation: bool = False
    triggered_by_event: bool = False  # an event sub-process
    instantiate: bool = False  # a receive task or event-based gateway that starts the process
    event_gateway_type: Optional[str] = None  # "Exclusive" or "Parallel" when written
    conditional: bool = False  # a sequence flow with a conditionExpression
    default: bool = False  # a sequence flow that is its source's default
    message: bool = False  # a message flow that names its message (messageRef)
    message_name: str = ""  # that message's name, drawn beside the envelope (bpmn:message name)
    multiple: bool = False  # a pool of many participants (participantMultiplicity)

    @property
    def tokens(self) -> tuple[str, ...]:
        """The local names of its event definitions and loop characteristics (for the SVG's class)."""
        return self.event_definitions + ((self.loop,) if self.loop else ())


#: BPMN elements that are drawn but are not flow nodes: data, annotations, groups and their lines.
ARTIFACT_TYPES: tuple[str, ...] = (
    "dataObject", "dataObjectReference", "dataStoreReference", "dataInput", "dataOutput",
    "textAnnotation", "group", "association", "dataInputAssociation", "dataOutputAssociation",
)
CONNECTING_ARTIFACTS: frozenset[str] = frozenset({"association", "dataInputAssociation", "dataOutputAssociation"})


class Artifact(_Frozen):
    """A data object, data store, data input/output, text annotation, group or association.

    Drawn as the modeller drew it; never a task, never counted or compared.
    """

    id: str
    type: str  # one of ARTIFACT_TYPES
    name: str = ""  # the name, an annotation's text, or a group's category value
    process_id: Optional[str] = None
    source: Optional[str] = None  # for associations: what the line starts at
    target: Optional[str] = None
    collection: bool = False  # a data object (reference) of many (isCollection)
    direction: Optional[str] = None  # an association's associationDirection when not None

    @property
    def connecting(self) -> bool:
        return self.type in CONNECTING_ARTIFACTS


class Role(_Frozen):
    """A role is a leaf lane, a whole process/pool when it has no lanes, or a black-box pool."""

    id: str  # lane id, process id when the process has no lanes, participant id for a black-box pool
    name: str  # display name: the lane name, its path when names repeat, or the pool name
    process_id: Optional[str] = None  # None for a black-box pool
    lane_id: Optional[str] = None
    participant_id: Optional[str] = None  # a black-box pool: the participant without a process
    names: list[str] = Field(default_factory=list)  # own name, lane path, pool / path, pool / path (id)

    @property
    def black_box(self) -> bool:
        return self.participant_id is not None


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
    notation: dict[str, Notation] = Field(default_factory=dict)  # by element id: only those that say something
    artifacts: list[Artifact] = Field(default_factory=list)
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
        """Roles in document order: leaf lanes (and parent lanes holding nodes), then lane-less
        processes, then black-box pools (a participant without a process: present, with no tasks).

        Each role's ``name`` is the shortest of its ``names`` that is unique in this model;
        a comparison picks among ``names`` across all its stages (procmap.compare).
        """
        holding = {n.lane_id for n in self.nodes if n.lane_id}
        role_lanes = [lane for lane in self.lanes if lane.is_leaf or lane.id in holding]
        pools = {p.process_id: p for p in self.participants if p.process_id}
        procs = {p.id: p for p in self.processes}

        def pool_name(process_id: str) -> str:
            pool, proc = pools.get(process_id), procs.get(process_id)
            return (pool.name if pool else "") or (proc.name if proc else "") or self.name or process_id

        # Siblings counted once per parent (an unnamed lane is "lane N" among several).
        position: dict[str, int] = {}
        siblings: dict[tuple[Optional[str], str], int] = {}
        for lane in self.lanes:
            key = (lane.parent_id, lane.process_id)
            position[lane.id] = siblings.get(key, 0)
            siblings[key] = position[lane.id] + 1

        def lane_label(lane: Lane) -> str:
            if lane.name:
                return lane.name
            return f"lane {position[lane.id] + 1}" if siblings[(lane.parent_id, lane.process_id)] > 1 else ""

        def path(lane: Lane) -> list[str]:
            parts, current = [], lane
            while current is not None:
                label = lane_label(current)
                if label:
                    parts.append(label)
                current = self.lane_by_id.get(current.parent_id) if current.parent_id else None
            return list(reversed(parts))

        found: list[tuple[str, Optional[str], Optional[str], Optional[str], list[str]]] = []  # id, process, lane, pool
        for lane in role_lanes:
            pool, lanes = pool_name(lane.process_id), path(lane)
            own = lane.name or (lanes[-1] if lanes else pool)
            found.append((lane.id, lane.process_id, lane.id, None,
                          [own, " / ".join(lanes) or pool, " / ".join([pool, *lanes]), lane.id]))
        laned = {lane.process_id for lane in self.lanes}
        working = {n.process_id for n in self.nodes}
        for proc in self.processes:
            # a lane-less process is a role when it does something, or when a pool draws it (an empty pool)
            if proc.id not in laned and (proc.id in working or proc.id in pools):
                name = pool_name(proc.id)
                found.append((proc.id, proc.id, None, None, [name, name, name, proc.id]))
        known = {p.id for p in self.processes}
        for part in self.participants:
            if part.process_id is None or part.process_id not in known:
                name = part.name or part.id
                found.append((part.id, None, None, part.id, [name, name, name, part.id]))
        # Shortest name that is unique: own name, then the lane path, then pool + path, then + id.
        level = [0] * len(found)
        for _ in range(3):
            seen: dict[str, int] = {}
            for k, item in enumerate(found):
                key = _norm(item[4][level[k]])
                seen[key] = seen.get(key, 0) + 1
            clash = False
            for k, item in enumerate(found):
                if seen[_norm(item[4][level[k]])] > 1 and level[k] < 2:
                    level[k] += 1
                    clash = True
            if not clash:
                break
        seen = {}
        for k, item in enumerate(found):
            key = _norm(item[4][level[k]])
            seen[key] = seen.get(key, 0) + 1
        roles = []
        for k, (rid, process_id, lane_id, participant_id, names) in enumerate(found):
            name = names[level[k]]
            if seen[_norm(name)] > 1:  # two roles of one name must not become one role
                name = f"{names[2]} ({names[3]})"
            roles.append(Role(id=rid, name=name, process_id=process_id, lane_id=lane_id,
                              participant_id=participant_id, names=[*names[:3], f"{names[2]} ({names[3]})"]))
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
