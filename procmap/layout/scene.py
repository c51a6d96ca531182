"""Scenes: the shapes of one stage in diagram units, before any SVG is written.

A scene is what every layout produces and every painter reads: bands (roles), lanes,
nodes, edges and summary boxes with their positions. The layouts that make them:
``procmap.layout.banded`` (procmap's own bands, and the modeller's drawing moved into
bands), ``procmap.layout.modeller`` (the diagram as drawn) and ``procmap.layout.dot``
(Graphviz ranks). Everything here is linear in the size of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from procmap.model.elements import Artifact, FlowNode, Model, Notation
from procmap.model.geometry import Style

NO_STYLE = Style()
Box = tuple[float, float, float, float]  # x, y, width, height in scene units


@dataclass(frozen=True)
class Sizes:
    """Sizes in diagram units (px at 100 %)."""

    task_w: float = 110.0
    task_h: float = 74.0
    event_d: float = 34.0
    gateway_d: float = 44.0
    label_w: float = 96.0  # room for the name under an event or a gateway
    gap: float = 28.0  # between columns; arrows turn in the middle of it
    row_h: float = 96.0
    pad: float = 8.0  # above and below the rows of a band
    header_w: float = 140.0  # role names
    count_w: float = 92.0  # the task count at the right end of each band
    absent_h: float = 36.0
    margin: float = 12.0
    font: float = 14.0
    font_min: float = 7.5
    label_font: float = 11.0
    band_font: float = 15.0
    stage_font: float = 24.0  # stage names above side-by-side stages
    di_header: float = 30.0  # the title strip of a lane or pool in BPMNDI


SIZES = Sizes()


@dataclass
class NodeItem:
    node: FlowNode
    x: float
    y: float
    w: float
    h: float
    expanded: bool = False  # an expanded sub-process drawn as a frame around its content
    inner_tasks: int = 0  # tasks inside a collapsed sub-process
    band: Optional[int] = None
    notation: Optional[Notation] = None  # event definitions, loop and other markers
    style: Style = NO_STYLE  # the modeller's colours and DI flags
    label: Optional[Box] = None  # where the modeller put the external label (BPMNLabel)


@dataclass
class ArtifactItem:
    """A data object, data store, annotation or group as drawn in BPMNDI."""

    artifact: Artifact
    x: float
    y: float
    w: float
    h: float
    style: Style = NO_STYLE
    label: Optional[Box] = None


@dataclass
class BandItem:
    """A role's band in a banded scene."""

    key: str
    label: str
    x: float
    y: float
    w: float
    h: float
    index: int
    present: bool = True
    tasks: int = 0
    automated: int = 0
    minutes: Optional[float] = None
    role_ids: list[str] = field(default_factory=list)
    continued: bool = False  # the same role again, further along a stage folded into parts


@dataclass
class LaneItem:
    """A pool or a lane as drawn in BPMNDI."""

    kind: str  # "pool" or "lane"
    id: str
    label: str
    x: float
    y: float
    w: float
    h: float
    horizontal: bool = True
    header: float = 30.0
    role: Optional[str] = None  # role name when the lane is a role
    depth: int = 0
    style: Style = NO_STYLE
    multiple: bool = False  # a pool of many participants


@dataclass
class EdgeItem:
    id: str
    kind: str  # "sequence", "message" or "association" (data associations too)
    points: list[tuple[float, float]]
    name: str = ""
    label_at: Optional[tuple[float, float, str]] = None  # x, y, anchor
    type: str = ""  # the BPMN local name: sequenceFlow, messageFlow, association, dataInputAssociation ...
    notation: Optional[Notation] = None
    style: Style = NO_STYLE
    label: Optional[Box] = None  # the modeller's label bounds
    from_activity: bool = False  # a conditional flow shows its diamond only when it leaves an activity
    connector: Optional[str] = None  # a folded stage: "out:A" ends at an off-page connector, "in:A" starts at one
    direction: Optional[str] = None  # an association's arrow: "One" or "Both"

    @property
    def bpmn_type(self) -> str:
        return self.type or ("messageFlow" if self.kind == "message" else "sequenceFlow")


@dataclass
class SummaryItem:
    band: int
    x: float
    y: float
    w: float
    h: float
    lines: list[str]


@dataclass
class CaptionItem:
    """A heading over a part of the drawing that the file draws as a diagram of its own: the inside of a
    collapsed sub-process (bpmn.io's drill-down), or a process of its own without a pool."""

    kind: str  # "inside" (a sub-process's inside) or "process"
    of_id: str  # the sub-process or process it shows
    name: str
    x: float
    y: float  # the text's baseline


@dataclass
class Scene:
    kind: str  # "di", "banded", "transplant", "summary"
    width: float = 0.0
    height: float = 0.0
    nodes: list[NodeItem] = field(default_factory=list)
    edges: list[EdgeItem] = field(default_factory=list)
    bands: list[BandItem] = field(default_factory=list)
    lanes: list[LaneItem] = field(default_factory=list)
    artifacts: list[ArtifactItem] = field(default_factory=list)
    summaries: list[SummaryItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    captions: list[CaptionItem] = field(default_factory=list)
    header_w: float = 0.0
    count_w: float = 0.0
    content_x: float = 0.0  # where the flow starts (after the header)


@dataclass
class BandSpec:
    """A band to draw: a role (by its ids in the model), its label, whether it is in the stage."""

    key: str
    label: str
    role_ids: list[str] = field(default_factory=list)
    present: bool = True
    tasks: Optional[int] = None  # shown in the count column; counted from the model when None
    automated: Optional[int] = None
    minutes: Optional[float] = None


UNASSIGNED_KEY = "\x00unassigned"


def model_bands(model: Model) -> list[BandSpec]:
    """The model's own roles, in document order, one band each."""
    return [BandSpec(key=r.id, label=r.name, role_ids=[r.id]) for r in model.roles]


def node_size(node: FlowNode, sizes: Sizes = SIZES) -> tuple[float, float]:
    if node.kind == "event":
        return sizes.event_d, sizes.event_d
    if node.kind == "gateway":
        return sizes.gateway_d, sizes.gateway_d
    return sizes.task_w, sizes.task_h


def spec_counts_missing(specs: Sequence[BandSpec]) -> bool:
    return any(spec.tasks is None for spec in specs)


def count_tasks(model: Model, bands: list[BandItem], band_of_role: dict[str, int],
                 specs: Sequence[BandSpec]) -> None:
    """Tasks, automated tasks and minutes per band, from the model (for bands without figures)."""
    tasks = [0] * len(bands)
    auto = [0] * len(bands)
    minutes: list[Optional[float]] = [None] * len(bands)
    last = len(bands) - 1
    for n in model.nodes:
        if not n.is_task:
            continue
        role = model.role_of(n)
        i = band_of_role.get(role.id) if role else None
        if i is None:
            if bands and bands[last].key == UNASSIGNED_KEY:
                i = last
            else:
                continue
        tasks[i] += 1
        auto[i] += n.automated
        if n.effort is not None:
            minutes[i] = (minutes[i] or 0.0) + n.effort.minutes
    for i, band in enumerate(bands):
        if i < len(specs) and specs[i].tasks is not None:
            continue
        band.tasks, band.automated, band.minutes = tasks[i], auto[i], minutes[i]


def natural_heights(scenes: Iterable[Scene]) -> dict[str, float]:
    """The tallest band of each role over several scenes, to line the stages up."""
    out: dict[str, float] = {}
    for scene in scenes:
        for band in scene.bands:
            out[band.key] = max(out.get(band.key, 0.0), band.h)
    return out
