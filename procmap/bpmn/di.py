"""BPMNDI: converting a file's diagrams (shapes and edges by element id) into the model's Geometry.

BPMN 2.0 keeps the drawing apart from the semantics; so does procmap. A diagram is
converted either from the parsed tree (exact line numbers) or, when the reader left it
unparsed, on first use (see ``procmap.model.geometry``).
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from lxml import etree

from procmap.bpmn import _defer, _xml
from procmap.bpmn.names import BIOC_NS, BPMNDI_NS, COLOR_NS, DC_NS, DI_NS, ref as _ref
from procmap.errors import where
from procmap.model import elements as m
from procmap.model.geometry import Edges, Labels, Shapes, Style, Styles

Warn = Callable[..., None]  # (message, line=None, element_id=None)
#: Coordinates and sizes beyond this are not a drawing (NaN, inf and 1e309 are refused too).
_FAR = 1e7

DIAGRAM_TAG = "{%s}BPMNDiagram" % BPMNDI_NS
_PLANE = "{%s}BPMNPlane" % BPMNDI_NS
_SHAPE, _EDGE = "{%s}BPMNShape" % BPMNDI_NS, "{%s}BPMNEdge" % BPMNDI_NS
_BOUNDS, _WAYPOINT = "{%s}Bounds" % DC_NS, "{%s}waypoint" % DI_NS
_LABEL = "{%s}BPMNLabel" % BPMNDI_NS
_FILLS = ("{%s}background-color" % COLOR_NS, "{%s}fill" % BIOC_NS)
_STROKES = ("{%s}border-color" % COLOR_NS, "{%s}stroke" % BIOC_NS)


def _flag(value: Optional[str]) -> Optional[bool]:
    return None if value is None else value.strip() == "true"


def _colour(get: Callable[[str], Optional[str]], names: tuple[str, str]) -> Optional[str]:
    """The first of two colour attributes that is written and not blank."""
    for name in names:
        value = get(name)
        if value and value.strip():
            return value.strip()
    return None


def _style(el: etree._Element) -> Optional[Style]:
    """Colours and flags written on a BPMNShape or BPMNEdge; None when it says nothing more."""
    get = el.get
    fill, stroke = _colour(get, _FILLS), _colour(get, _STROKES)
    expanded, marker, kind = get("isExpanded"), get("isMarkerVisible"), get("messageVisibleKind")
    if fill is None and stroke is None and expanded is None and marker is None and not (kind and kind.strip()):
        return None  # most shapes: isHorizontal, ids or a tool's own attributes only
    return Style(fill, stroke, _flag(expanded), _flag(marker), (kind or "").strip() or None)


_TEXT_COLOUR = "{%s}color" % COLOR_NS


def _label_colour(el: etree._Element, styles: Styles, ref: str) -> None:
    """The colour a BPMNLabel gives the element's text (the OMG's color:color), added to its style."""
    for label in el.iterchildren(_LABEL):
        colour = label.get(_TEXT_COLOUR)
        if colour and colour.strip():
            styles[ref] = (styles.get(ref) or Style())._replace(label=colour.strip())
        return


def _label(el: etree._Element, warn: Warn, ref: str) -> Optional[m.Bounds]:
    """The bounds of a BPMNLabel, when the diagram gives them (and they are numbers)."""
    for label in el.iterchildren(_LABEL):
        b = next(label.iterchildren(_BOUNDS), None)
        if b is None:
            return None
        get = b.get
        try:
            x, y, w, h = float(get("x", 0)), float(get("y", 0)), float(get("width", 0)), float(get("height", 0))
        except (TypeError, ValueError):
            warn("a label has bounds that are not numbers; ignored", label.sourceline, ref)
            return None
        if not (-_FAR <= x <= _FAR and -_FAR <= y <= _FAR and -_FAR <= w <= _FAR and -_FAR <= h <= _FAR):
            warn("a label has bounds out of range; placed under its element instead", label.sourceline, ref)
            return None  # NaN fails too
        return tuple.__new__(m.Bounds, (x, y, w, h)) if w > 0 and h > 0 else None
    return None


def read_diagram(diagram: etree._Element, index: int, shapes: Shapes, edges: Edges, warn: Warn,
                 labels: Optional[Labels] = None, styles: Optional[Styles] = None,
                 again: Optional[list[tuple[str, int, etree._Element]]] = None) -> None:
    """Add one BPMNDiagram's shapes and edges (and their labels and styles when given dicts for
    them); an element already drawn by an earlier diagram keeps that, and is noted in `again`."""
    Bounds, Point, new = m.Bounds, m.Point, tuple.__new__  # tuple.__new__ skips NamedTuple's Python __new__
    Shape = m.Shape
    labels = {} if labels is None else labels
    styles = {} if styles is None else styles
    for el in diagram.iter(_SHAPE):
        ref = el.get("bpmnElement")
        if not ref:
            continue
        if ":" in ref:
            ref = _ref(el, ref)
        if ref in shapes:
            if again is not None:
                again.append((ref, index, el))
            continue
        b = next(el.iterchildren(_BOUNDS), None)  # find() runs Python ElementPath: slow
        if b is None:
            continue
        get = b.get
        try:
            x, y, w, h = float(get("x", 0)), float(get("y", 0)), float(get("width", 0)), float(get("height", 0))
        except (TypeError, ValueError):
            warn("a shape has bounds that are not numbers; ignored", el.sourceline, ref)
            continue
        if not (-_FAR <= x <= _FAR and -_FAR <= y <= _FAR and 0 <= w <= _FAR and 0 <= h <= _FAR):  # NaN fails too
            warn(f"a shape has bounds out of range (x={x:g} y={y:g} width={w:g} height={h:g}; each within "
                 f"±{_FAR:.0e}, sizes not negative); ignored", el.sourceline, ref)
            continue
        bounds = new(Bounds, (x, y, w, h))
        horizontal = el.get("isHorizontal")
        shapes[ref] = new(Shape, (bounds, None if horizontal is None else horizontal.strip() == "true", index))
        # What more the shape says costs a count when it says nothing (most shapes): attributes beyond
        # bpmnElement, isHorizontal and the optional id (some tools write shapes without one).
        attrib = el.attrib
        if len(attrib) > 1 + (horizontal is not None) + ("id" in attrib):
            style = _style(el)
            if style is not None:
                styles[ref] = style
        if len(el) > 1:
            label = _label(el, warn, ref)
            if label is not None:
                labels[ref] = label
            _label_colour(el, styles, ref)
    for el in diagram.iter(_EDGE):
        ref = el.get("bpmnElement")
        if not ref:
            continue
        if ":" in ref:
            ref = _ref(el, ref)
        if edges.get(ref):
            if again is not None:
                again.append((ref, index, el))
            continue
        try:
            points = [new(Point, (float(w.get("x")), float(w.get("y")))) for w in el.iterchildren(_WAYPOINT)]
        except (TypeError, ValueError):
            warn("an edge has waypoints that are not numbers; ignored", el.sourceline, ref)
            continue
        if not all(-_FAR <= p[0] <= _FAR and -_FAR <= p[1] <= _FAR for p in points):
            warn(f"an edge has waypoints out of range (each within ±{_FAR:.0e}); ignored", el.sourceline, ref)
            continue
        edges[ref] = points
        if len(el.attrib) > 1 + ("id" in el.attrib):  # more than bpmnElement and the optional id
            style = _style(el)
            if style is not None:
                styles[ref] = style
        label = _label(el, warn, ref)
        if label is not None:
            labels[ref] = label
        _label_colour(el, styles, ref)


class PlaneHomes:
    """Where an element belongs when several diagrams draw it.

    BPMN 2.0 gives each BPMNDiagram one plane, and the plane's bpmnElement says what it depicts:
    a process, a sub-process (bpmn.io's drill-down of a collapsed one), a collaboration (the pools
    of its participants' processes) or a choreography. An element's homes are the containers
    around it, innermost first: its sub-processes, its process, the collaborations whose
    participants reference that process. `links` yields (element id, container id) pairs; it is
    only called when some element is drawn twice, so a file of one diagram never pays for it.
    """

    def __init__(self, links: Callable[[], Iterable[tuple[str, Optional[str]]]]) -> None:
        self._links: Optional[Callable[[], Iterable[tuple[str, Optional[str]]]]] = links
        self._up: dict[str, list[str]] = {}

    def chain(self, element_id: str) -> list[str]:
        """The containers around an element, nearest first (empty for an id the file does not hold)."""
        if self._links is not None:
            up = self._up
            for child, container in self._links():
                if container and container != child:
                    up.setdefault(child, []).append(container)
            self._links = None
        out: list[str] = []
        seen = {element_id}
        todo = [element_id]
        for eid in todo:  # breadth first: nearer containers first
            for container in self._up.get(eid, ()):
                if container not in seen:
                    seen.add(container)
                    out.append(container)
                    todo.append(container)
        return out


def read_diagrams(diagrams: Iterable[etree._Element], shapes: Shapes, edges: Edges, warn: Warn,
                  labels: Labels, styles: Styles, homes: Optional[PlaneHomes] = None) -> list[Optional[str]]:
    """Add a file's BPMNDiagrams in order; an element that several of them draw is drawn by its home
    plane (see PlaneHomes), else by the first that draws it. Returns what each diagram's plane depicts."""
    diagrams = list(diagrams)
    planes: list[Optional[str]] = []
    again: list[tuple[str, int, etree._Element]] = []
    for index, diagram in enumerate(diagrams):
        plane = next(diagram.iterchildren(_PLANE), None)
        ref = plane.get("bpmnElement") if plane is not None else None
        planes.append(_ref(plane, ref) if ref and ":" in ref else ref)
        read_diagram(diagram, index, shapes, edges, warn, labels, styles, again)
    if again and homes is not None and any(planes):
        _rehome(again, diagrams, planes, homes, shapes, edges, warn, labels, styles)
    return planes


def _first_edges(diagrams: list[etree._Element], refs: set[str]) -> dict[str, int]:
    """Which diagram first drew each of these edges (shapes keep their diagram; edges do not)."""
    first: dict[str, int] = {}
    for index, diagram in enumerate(diagrams):
        for el in diagram.iter(_EDGE):
            ref = el.get("bpmnElement")
            if ref and ":" in ref:
                ref = _ref(el, ref)
            if ref in refs and ref not in first:
                first[ref] = index
        if len(first) == len(refs):
            break
    return first


def _rehome(again: list[tuple[str, int, etree._Element]], diagrams: list[etree._Element],
            planes: list[Optional[str]], homes: PlaneHomes, shapes: Shapes, edges: Edges, warn: Warn,
            labels: Labels, styles: Styles) -> None:
    """Move each element drawn by several planes to the drawing its nearest home plane gives it."""
    drawn_again: dict[str, list[tuple[int, etree._Element]]] = {}
    for ref, index, el in again:
        drawn_again.setdefault(ref, []).append((index, el))
    first_edge = _first_edges(diagrams, {ref for ref, _, el in again if el.tag == _EDGE})
    for ref, others in drawn_again.items():
        is_edge = others[0][1].tag == _EDGE
        first = first_edge.get(ref) if is_edge else shapes[ref].diagram if ref in shapes else None
        if first is None:
            continue
        chain = homes.chain(ref)
        if not chain:
            continue
        far = len(chain)

        def rank(index: int) -> int:
            plane = planes[index]
            return chain.index(plane) if plane in chain else far

        best_index, best_el = min(others, key=lambda item: (rank(item[0]), item[0]))
        if rank(best_index) >= rank(first):
            continue  # the first drawing is as much at home as any other
        kept = (shapes.pop(ref, None), edges.pop(ref, None), labels.pop(ref, None), styles.pop(ref, None))
        read_diagram(best_el, best_index, shapes, edges, warn, labels, styles)
        if ref not in (edges if is_edge else shapes):  # the home's drawing is unusable: keep the first
            for table, value in zip((shapes, edges, labels, styles), kept):
                if value is not None:
                    table[ref] = value  # type: ignore[index]


class DeferredDiagram:
    """A file's BPMNDiagrams, left unparsed at its end, converted when a picture asks (see procmap.model.geometry).

    What the conversion finds is kept here (``found``), with the file's line numbers, and
    handed to the Geometry; the model's own warnings are never changed after reading, so a
    model stays a value whatever was drawn from it. A diagram that cannot be read at all
    leaves the model without geometry.
    """

    def __init__(self, part: _defer.Deferred, name: str, homes: Optional[PlaneHomes] = None) -> None:
        self.part: Optional[_defer.Deferred] = part
        self.name = name
        self.homes = homes
        self.found: list[str] = []

    def __call__(self) -> tuple:
        shapes: Shapes = {}
        edges: Edges = {}
        labels: Labels = {}
        styles: Styles = {}
        part, self.part = self.part, None  # the file's bytes are let go once converted
        if part is None:
            return shapes, edges, self.found, labels, styles

        def warn(message: str, line: Optional[int] = None, element_id: Optional[str] = None) -> None:
            line = line + part.line_offset if line else None  # type: ignore[union-attr]
            self.found.append(where(self.name, line, None, element_id) + message)

        try:
            root, _ = _xml.fromstring(part.document())  # a namespace warning was said when reading
        except etree.XMLSyntaxError as exc:
            message, line, _ = _xml._syntax_message(exc)
            message = message.replace(_defer.WRAPPER, "the end of the file")  # the wrapper is ours, not theirs
            warn(f"the diagram cannot be read: {message}; pictures use procmap's own layout", line)
            return shapes, edges, self.found, labels, styles
        homes, self.homes = self.homes, None
        planes = read_diagrams(root.iterchildren(DIAGRAM_TAG), shapes, edges, warn, labels, styles, homes)
        return shapes, edges, self.found, labels, styles, planes
