"""BPMNDI: converting a file's diagrams (shapes and edges by element id) into the model's Geometry.

BPMN 2.0 keeps the drawing apart from the semantics; so does procmap. A diagram is
converted either from the parsed tree (exact line numbers) or, when the reader left it
unparsed, on first use (see ``procmap.model.geometry``).
"""

from __future__ import annotations

from typing import Callable, Optional

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
                 labels: Optional[Labels] = None, styles: Optional[Styles] = None) -> None:
    """Add one BPMNDiagram's shapes and edges (and their labels and styles when given dicts for
    them); an element already drawn by an earlier diagram keeps that."""
    Bounds, Point, new = m.Bounds, m.Point, tuple.__new__  # tuple.__new__ skips NamedTuple's Python __new__
    Shape = m.Shape
    labels = {} if labels is None else labels
    styles = {} if styles is None else styles
    for el in diagram.iter(_SHAPE):
        ref = el.get("bpmnElement")
        if not ref or ref in shapes:
            continue
        if ":" in ref:
            ref = _ref(el, ref)
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
        # What more the shape says costs two length checks when it says nothing (most shapes).
        if len(el.attrib) > 3 or (len(el.attrib) == 3 and horizontal is None):
            style = _style(el)
            if style is not None:
                styles[ref] = style
        if len(el) > 1:
            label = _label(el, warn, ref)
            if label is not None:
                labels[ref] = label
    for el in diagram.iter(_EDGE):
        ref = el.get("bpmnElement")
        if not ref:
            continue
        if ":" in ref:
            ref = _ref(el, ref)
        if edges.get(ref):
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
        if len(el.attrib) > 2:
            style = _style(el)
            if style is not None:
                styles[ref] = style
        label = _label(el, warn, ref)
        if label is not None:
            labels[ref] = label


class DeferredDiagram:
    """A file's BPMNDiagrams, left unparsed at its end, converted when a picture asks (see procmap.model.geometry).

    What the conversion finds is kept here (``found``), with the file's line numbers, and
    handed to the Geometry; the model's own warnings are never changed after reading, so a
    model stays a value whatever was drawn from it. A diagram that cannot be read at all
    leaves the model without geometry.
    """

    def __init__(self, part: _defer.Deferred, name: str) -> None:
        self.part: Optional[_defer.Deferred] = part
        self.name = name
        self.found: list[str] = []

    def __call__(self) -> tuple[Shapes, Edges, list[str], Labels, Styles]:
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
        for index, diagram in enumerate(root.iterchildren(DIAGRAM_TAG)):
            read_diagram(diagram, index, shapes, edges, warn, labels, styles)
        return shapes, edges, self.found, labels, styles
