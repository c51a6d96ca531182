"""The diagram layer of a model: where each element is drawn (BPMNDI).

BPMN 2.0 keeps the drawing apart from the process (a ``BPMNShape`` points at
its element by id), and so does procmap: counting, comparing and routine cards
never need a coordinate, so a file's diagram is converted only when a picture
or an export first asks for it. That is most of a large file, and most of the
time it takes to read one.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional

from pydantic_core import core_schema

from procmap._gc import paused


class Bounds(NamedTuple):
    """A shape's rectangle in diagram coordinates (BPMNDI dc:Bounds).

    A named tuple, not a model: a large diagram has hundreds of thousands of them.
    """

    x: float
    y: float
    width: float
    height: float

    def contains(self, other: "Bounds") -> bool:
        """True when the centre of `other` lies inside this rectangle."""
        cx, cy = other.x + other.width / 2, other.y + other.height / 2
        return self.x <= cx <= self.x + self.width and self.y <= cy <= self.y + self.height

    @property
    def area(self) -> float:
        return self.width * self.height


class Point(NamedTuple):
    """A waypoint of an edge (BPMNDI di:waypoint)."""

    x: float
    y: float


class Shape(NamedTuple):
    """One element's shape: its rectangle, its isHorizontal as written, and which diagram drew it."""

    bounds: Bounds
    horizontal: Optional[bool] = None
    diagram: int = 0


class Style(NamedTuple):
    """What the modeller's diagram says about how one element looks, beyond where it is.

    Colours are bpmn.io's ``bioc:fill``/``bioc:stroke`` or the OMG ``color:background-color``/
    ``border-color`` as written; the flags are BPMNDI's, None when the file does not say.
    """

    fill: Optional[str] = None
    stroke: Optional[str] = None
    expanded: Optional[bool] = None  # isExpanded
    marker_visible: Optional[bool] = None  # isMarkerVisible (an exclusive gateway's X)
    message_kind: Optional[str] = None  # messageVisibleKind: "initiating" or "non_initiating"
    label: Optional[str] = None  # the colour of its text: its BPMNLabel's color:color


Shapes = dict[str, Shape]
Edges = dict[str, list[Point]]
Labels = dict[str, Bounds]
Styles = dict[str, Style]
#: Returns the shapes and edges of a diagram that was kept unconverted, what converting it found,
#: and (optionally) the label bounds and styles by element id.
Loader = Callable[[], tuple]


class Geometry:
    """Shapes and edges by the id of the element they draw; empty when the file has no diagram.

    Build one from dicts (``Geometry(shapes, edges)``), or let a reader hand over a
    loader that converts the file's diagram on first use. Either way the answers
    are the same, and ``==``, pickling and ``model_dump`` see the converted data.
    """

    __slots__ = ("_shapes", "_edges", "_loader", "_warnings", "_lock", "_labels", "_styles", "_planes")

    # Each geometry has its own lock, taken only to convert a deferred diagram once when
    # two threads draw the same model; converting one model never waits for another.
    # A shallow copy of a model (pydantic's model_copy) shares its Geometry object and so
    # its lock, which is right: the lock guards that object. Pickling and copy.copy /
    # deepcopy go through __getstate__ / __setstate__, which give the copy a new lock.

    def __init__(self, shapes: Optional[Mapping[str, Shape]] = None,
                 edges: Optional[Mapping[str, Iterable[Point]]] = None,
                 labels: Optional[Mapping[str, Iterable[float]]] = None,
                 styles: Optional[Mapping[str, Any]] = None, planes: Iterable[Optional[str]] = ()) -> None:
        self._shapes: Optional[Shapes] = {k: _shape(v) for k, v in (shapes or {}).items()}
        self._edges: Optional[Edges] = {k: [Point(*p) for p in v] for k, v in (edges or {}).items()}
        self._labels: Optional[Labels] = {k: Bounds(*map(float, v)) for k, v in (labels or {}).items()}
        self._styles: Optional[Styles] = {k: _style(v) for k, v in (styles or {}).items()}
        self._planes: tuple[Optional[str], ...] = tuple(planes)
        self._loader: Optional[Loader] = None
        self._warnings: tuple[str, ...] = ()
        self._lock = threading.Lock()

    @classmethod
    def deferred(cls, loader: Loader) -> "Geometry":
        """A geometry converted by `loader` the first time anything asks for it."""
        geo = cls.__new__(cls)
        geo._shapes = geo._edges = geo._labels = geo._styles = None
        geo._planes = ()
        geo._loader = loader
        geo._warnings = ()
        geo._lock = threading.Lock()
        return geo

    # -- the data ----------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """False while the diagram is still kept as it was in the file."""
        return self._loader is None

    def _load(self) -> None:
        if self._loader is None:
            return
        with self._lock, paused():  # a web page may draw one model from two threads: convert once
            loader = self._loader
            if loader is not None:
                shapes, edges, found, *more = loader()
                self._shapes, self._edges, self._warnings = shapes, edges, tuple(found)
                self._labels, self._styles = (more[0], more[1]) if len(more) >= 2 else ({}, {})
                self._planes = tuple(more[2]) if len(more) >= 3 else ()
                self._loader = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """What converting a deferred diagram found (file:line [id]: what); the model's warnings never change."""
        self._load()
        return self._warnings

    @property
    def shapes(self) -> Shapes:
        self._load()
        return self._shapes  # type: ignore[return-value]

    @property
    def edges(self) -> Edges:
        self._load()
        return self._edges  # type: ignore[return-value]

    @property
    def labels(self) -> Labels:
        """Where the modeller put an element's external label (BPMNLabel bounds), by element id."""
        self._load()
        return self._labels  # type: ignore[return-value]

    @property
    def styles(self) -> Styles:
        """Colours and BPMNDI flags by element id; only elements whose diagram says something."""
        self._load()
        return self._styles  # type: ignore[return-value]

    # -- questions a picture asks --------------------------------------------------
    def style(self, element_id: str) -> Style:
        """The element's colours and flags (an empty Style when the diagram says nothing)."""
        return self.styles.get(element_id) or _NO_STYLE

    def bounds(self, element_id: str) -> Optional[Bounds]:
        """Where the element is drawn; None when the diagram does not show it."""
        shape = self.shapes.get(element_id)
        return shape.bounds if shape is not None else None

    def horizontal(self, element_id: str) -> Optional[bool]:
        """A pool's or lane's orientation: isHorizontal as written, else from its proportions."""
        shape = self.shapes.get(element_id)
        if shape is None:
            return None
        if shape.horizontal is not None:
            return shape.horizontal
        return shape.bounds.width >= shape.bounds.height

    @property
    def planes(self) -> tuple[Optional[str], ...]:
        """What each BPMNDiagram of the file depicts, by its index: its plane's bpmnElement (a process,
        collaboration or sub-process id; None when the plane names nothing)."""
        self._load()
        return self._planes

    def diagram(self, element_id: str) -> Optional[int]:
        """Which BPMNDiagram of the file (0 = the first) the element's shape comes from."""
        shape = self.shapes.get(element_id)
        return shape.diagram if shape is not None else None

    def waypoints(self, element_id: str) -> list[Point]:
        """An edge's waypoints as drawn; empty when the diagram has no edge for it."""
        return self.edges.get(element_id, [])

    def __bool__(self) -> bool:
        return bool(self.shapes or self.edges)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Geometry):
            return NotImplemented
        return (self.shapes == other.shapes and self.edges == other.edges and self.labels == other.labels
                and self.styles == other.styles)

    def __repr__(self) -> str:
        if not self.loaded:
            return "Geometry(<not converted yet>)"
        return f"Geometry({len(self._shapes or {})} shapes, {len(self._edges or {})} edges)"

    def __getstate__(self) -> tuple:
        return self.shapes, self.edges, self.warnings, self.labels, self.styles, self.planes

    def __setstate__(self, state: tuple) -> None:
        self._shapes, self._edges = state[0], state[1]
        self._warnings = tuple(state[2]) if len(state) > 2 else ()
        self._labels = state[3] if len(state) > 3 else {}
        self._styles = state[4] if len(state) > 4 else {}
        self._planes = tuple(state[5]) if len(state) > 5 else ()
        self._loader = None
        self._lock = threading.Lock()

    # -- as plain data (JSON, model_dump) ------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """``{"shapes": {id: {"bounds": [x, y, w, h], "horizontal", "diagram"}}, "edges": {id: [[x, y], ...]}}``,
        with ``"labels": {id: [x, y, w, h]}`` and ``"styles": {id: {...}}`` when the diagram has any."""
        out: dict[str, Any] = {
            "shapes": {k: {"bounds": list(s.bounds), "horizontal": s.horizontal, "diagram": s.diagram}
                       for k, s in self.shapes.items()},
            "edges": {k: [list(p) for p in v] for k, v in self.edges.items()},
        }
        if self.labels:
            out["labels"] = {k: list(b) for k, b in self.labels.items()}
        if self.styles:
            out["styles"] = {k: {f: v for f, v in s._asdict().items() if v is not None} for k, s in self.styles.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Geometry":
        unknown = set(data) - {"shapes", "edges", "labels", "styles"}
        if unknown:
            raise ValueError(f"unknown geometry keys: {', '.join(sorted(unknown))}")
        return cls(data.get("shapes") or {}, data.get("edges") or {}, data.get("labels") or {},
                   data.get("styles") or {})

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        def validate(value: Any) -> "Geometry":
            if isinstance(value, Geometry):
                return value
            if isinstance(value, Mapping):
                return cls.from_dict(value)
            raise ValueError("geometry must be a Geometry or a dict with 'shapes' and 'edges'")

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(lambda g: g.to_dict()))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "object", "properties": {"shapes": {"type": "object"}, "edges": {"type": "object"}}}


_NO_STYLE = Style()


def _style(value: Any) -> Style:
    if isinstance(value, Style):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - set(Style._fields)
        if unknown:
            raise ValueError(f"unknown style keys: {', '.join(sorted(unknown))}")
        return Style(**value)
    return Style(*value)


def _shape(value: Any) -> Shape:
    """A Shape from a Shape, a Bounds (or 4 numbers), or the dict ``to_dict`` writes."""
    if isinstance(value, Shape):
        return value
    if isinstance(value, Mapping):
        horizontal = value.get("horizontal")
        return Shape(Bounds(*map(float, value["bounds"])), None if horizontal is None else bool(horizontal),
                     int(value.get("diagram") or 0))
    if isinstance(value, Bounds) or len(value) == 4:
        return Shape(Bounds(*map(float, value)))
    raise ValueError(f"not a shape: {value!r}")
