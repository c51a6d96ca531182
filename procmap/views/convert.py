"""Writing models back out: BPMN 2.0 (as bpmn.io / Camunda Modeler write it) and BPMN-lite.

`to_bpmn` lets a process owner who sketched a stage by hand keep editing it in
Camunda Modeler; `to_lite` gives a quick hand-editable copy of any export.
Effort figures travel as camunda:properties, which survive editing.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping, Optional

from lxml import etree

from procmap._version import __version__
from procmap.bpmn.names import BPMNDI_NS, DC_NS, DI_NS, MODEL_NS, PROCMAP_NS
from procmap.layout.route import columns, route
from procmap.layout import banded_scene, model_bands, node_size
from procmap.bpmn.lite import KIND_OF_TYPE, slug
from procmap.model.elements import Bounds, FlowNode, Model, Point

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
#: The prefixes a written BPMN file declares (read-only: shared by every caller).
NSMAP: Mapping[str, str] = MappingProxyType({"bpmn": MODEL_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS,
                                            "camunda": CAMUNDA_NS, "procmap": PROCMAP_NS})
_B, _DI, _DC, _D, _C = ("{%s}" % ns for ns in (MODEL_NS, BPMNDI_NS, DC_NS, DI_NS, CAMUNDA_NS))


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0")


def _effort_properties(el: etree._Element, node: FlowNode) -> None:
    if node.effort is None:
        return
    ext = etree.SubElement(el, _B + "extensionElements")
    props = etree.SubElement(ext, _C + "properties")
    for key, value in (("minutes", node.effort.minutes), ("minutes_low", node.effort.low),
                       ("minutes_high", node.effort.high)):
        if value is not None:
            etree.SubElement(props, _C + "property", name=key, value=_num(value))


def to_bpmn(model: Model) -> bytes:
    """A BPMN 2.0 document with collaboration, lanes, flows and full BPMNDI."""
    geo = _geometry(model)
    root = etree.Element(_B + "definitions", nsmap=dict(NSMAP), id="Definitions_procmap",
                         targetNamespace="http://bpmn.io/schema/bpmn", exporter="procmap",
                         exporterVersion=__version__)
    if model.stage:
        root.set("{%s}stage" % PROCMAP_NS, model.stage)
    if model.name:
        root.set("name", model.name)  # the service's name, read back from here or the collaboration
    collab_id = "Collaboration_procmap"
    if model.participants:
        collab = etree.SubElement(root, _B + "collaboration", id=collab_id)
        if model.name:
            collab.set("name", model.name)
        for part in model.participants:
            attrs = {"id": part.id, "name": part.name}
            if part.process_id:
                attrs["processRef"] = part.process_id
            etree.SubElement(collab, _B + "participant", **attrs)
        for flow in model.message_flows:
            etree.SubElement(collab, _B + "messageFlow", id=flow.id, name=flow.name, sourceRef=flow.source,
                             targetRef=flow.target)
    children: dict[Optional[str], list[FlowNode]] = {}
    for node in model.nodes:
        children.setdefault(node.parent_id, []).append(node)
    flows_in: dict[Optional[str], list] = {}
    for flow in model.sequence_flows:
        flows_in.setdefault(model.node_by_id[flow.source].parent_id, []).append(flow)
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow in model.sequence_flows:
        outgoing.setdefault(flow.source, []).append(flow.id)
        incoming.setdefault(flow.target, []).append(flow.id)

    def fill(container: etree._Element, parent_id: Optional[str], process_id: str) -> None:
        for node in children.get(parent_id, []):
            if node.process_id != process_id:
                continue
            attrs = {"id": node.id}
            if node.name:
                attrs["name"] = node.name
            if node.attached_to:
                attrs["attachedToRef"] = node.attached_to
            el = etree.SubElement(container, _B + node.type, **attrs)
            _effort_properties(el, node)
            for fid in incoming.get(node.id, []):
                etree.SubElement(el, _B + "incoming").text = fid
            for fid in outgoing.get(node.id, []):
                etree.SubElement(el, _B + "outgoing").text = fid
            if node.trigger:  # after incoming/outgoing, as the schema orders them
                definition = etree.SubElement(el, _B + f"{node.trigger}EventDefinition")
                if node.trigger == "conditional":  # the schema asks for its condition
                    etree.SubElement(definition, _B + "condition")
            if node.kind == "subprocess":
                fill(el, node.id, process_id)
        for flow in flows_in.get(parent_id, []):
            if flow.process_id != process_id:
                continue
            attrs = {"id": flow.id, "sourceRef": flow.source, "targetRef": flow.target}
            if flow.name:
                attrs["name"] = flow.name
            etree.SubElement(container, _B + "sequenceFlow", **attrs)

    for proc in model.processes:
        attrs = {"id": proc.id, "isExecutable": "false"}
        if proc.name:
            attrs["name"] = proc.name
        pel = etree.SubElement(root, _B + "process", **attrs)
        lanes = [lane for lane in model.lanes if lane.process_id == proc.id and lane.container_id == proc.id]
        if lanes:
            _lane_set(pel, lanes, None, "LaneSet_" + proc.id)
        fill(pel, None, proc.id)

    _diagram(root, model, geo, collab_id if model.participants else model.processes[0].id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _lane_set(parent: etree._Element, lanes: list, parent_id: Optional[str], set_id: str) -> None:
    tag = "laneSet" if parent_id is None else "childLaneSet"
    ls = etree.SubElement(parent, _B + tag, id=set_id)
    for lane in lanes:
        if lane.parent_id != parent_id:
            continue
        el = etree.SubElement(ls, _B + "lane", id=lane.id, name=lane.name)
        for ref in lane.flow_node_refs:
            etree.SubElement(el, _B + "flowNodeRef").text = ref
        if lane.child_ids:
            _lane_set(el, lanes, lane.id, "LaneSet_" + lane.id)


class _Geometry:
    def __init__(self) -> None:
        self.shapes: dict[str, Bounds] = {}
        self.horizontal: dict[str, bool] = {}
        self.edges: dict[str, list[Point]] = {}
        self.collapsed: dict[str, dict] = {}  # sub-process id -> its own plane


def _geometry(model: Model) -> _Geometry:
    """Use the model's own geometry when it has some; lay it out otherwise."""
    geo = _Geometry()
    if model.has_geometry:
        drawn = model.geometry
        for item in (*model.participants, *model.lanes, *model.nodes):
            bounds = drawn.bounds(item.id)
            if bounds is not None:
                geo.shapes[item.id] = bounds
        for item in (*model.participants, *model.lanes):
            if item.id in geo.shapes:
                geo.horizontal[item.id] = drawn.horizontal(item.id)  # type: ignore[assignment]
        for flow in (*model.sequence_flows, *model.message_flows):
            if drawn.waypoints(flow.id):
                geo.edges[flow.id] = list(drawn.waypoints(flow.id))
        return geo
    _banded_geometry(model, geo)
    # Contents of sub-processes: drawn on their own plane, as bpmn.io does for collapsed sub-processes,
    # in one row (centre line y=140), columns in flow order.
    inside: dict[str, list[FlowNode]] = {}
    for n in model.nodes:
        if n.parent_id:
            inside.setdefault(n.parent_id, []).append(n)
    for node in model.nodes:
        inner = inside.get(node.id) if node.kind == "subprocess" else None
        if not inner:
            continue
        cols = columns(model, inner)
        plane: dict = {"shapes": {}, "edges": {}}
        for n in inner:
            w, h = node_size(n)
            plane["shapes"][n.id] = Bounds(x=100 + 170 * cols[n.id], y=140 - h / 2, width=w, height=h)
        for flow in model.sequence_flows:
            a, b = plane["shapes"].get(flow.source), plane["shapes"].get(flow.target)
            if a and b:
                plane["edges"][flow.id] = route(a, b)
        geo.collapsed[node.id] = plane
        for n in inner:
            geo.shapes.pop(n.id, None)
    return geo


HEADER = 30.0  # the title strip of a pool, and of each level of lanes, as bpmn.io draws it


def _banded_geometry(model: Model, geo: "_Geometry") -> None:
    """Lay out a model without geometry exactly as procmap draws it: one band per role, flow left to right."""
    scene = banded_scene(model, model_bands(model), header=False, counts=False)
    depth: dict[str, int] = {}
    for lane in model.lanes:
        d, parent = 0, lane.parent_id
        while parent:
            d, parent = d + 1, model.lane_by_id[parent].parent_id
        depth[lane.id] = d
    x0 = HEADER * (1 + max(depth.values(), default=-1) + 1)
    right = x0 + scene.width

    def box(x: float, y: float, w: float, h: float) -> Bounds:
        return Bounds(x=round(x, 1), y=round(y, 1), width=round(w, 1), height=round(h, 1))

    for item in scene.nodes:
        geo.shapes[item.node.id] = box(x0 + item.x, item.y, item.w, item.h)
    top = {item.node.id for item in scene.nodes}
    flows = {f.id: f for f in model.sequence_flows}
    for edge in scene.edges:
        flow = flows.get(edge.id)
        if flow is not None and flow.source in top and flow.target in top:
            geo.edges[edge.id] = [Point(x=round(x0 + x, 1), y=round(y, 1)) for x, y in edge.points]
    band_of: dict[str, tuple[float, float]] = {}
    for band in scene.bands:
        for rid in band.role_ids:
            band_of[rid] = (band.y, band.y + band.h)
    spans: dict[str, tuple[float, float]] = {}
    for lane in sorted(model.lanes, key=lambda la: -depth[la.id]):
        parts = [band_of[lane.id]] if lane.id in band_of else []
        parts += [spans[c] for c in lane.child_ids if c in spans]
        if not parts:
            continue
        spans[lane.id] = (min(p[0] for p in parts), max(p[1] for p in parts))
        x = HEADER * (1 + depth[lane.id])
        geo.shapes[lane.id] = box(x, spans[lane.id][0], right - x, spans[lane.id][1] - spans[lane.id][0])
        geo.horizontal[lane.id] = True
    for part in model.participants:
        if not part.process_id:
            continue
        ys = [span for lid, span in spans.items() if model.lane_by_id[lid].process_id == part.process_id]
        ys += [band_of[part.process_id]] if part.process_id in band_of else []
        if ys:
            top_y, bottom = min(y[0] for y in ys), max(y[1] for y in ys)
            geo.shapes[part.id] = box(0.0, top_y, right, bottom - top_y)
            geo.horizontal[part.id] = True


def _diagram(root: etree._Element, model: Model, geo: _Geometry, plane_element: str) -> None:
    diagram = etree.SubElement(root, _DI + "BPMNDiagram", id="BPMNDiagram_1")
    plane = etree.SubElement(diagram, _DI + "BPMNPlane", id="BPMNPlane_1", bpmnElement=plane_element)
    order = [*model.participants, *model.lanes, *model.nodes]
    for item in order:
        bounds = geo.shapes.get(item.id)
        if bounds is None:
            continue
        attrs = {"id": f"{item.id}_di", "bpmnElement": item.id}
        if item.id in geo.horizontal:
            attrs["isHorizontal"] = "true" if geo.horizontal[item.id] else "false"
        if getattr(item, "kind", None) == "subprocess":
            attrs["isExpanded"] = "false" if item.id in geo.collapsed else "true"
        _shape(plane, attrs, bounds)
    for flow in (*model.sequence_flows, *model.message_flows):
        _edge(plane, flow.id, geo.edges.get(flow.id))
    for n, (sub_id, sub) in enumerate(geo.collapsed.items(), start=2):
        d = etree.SubElement(root, _DI + "BPMNDiagram", id=f"BPMNDiagram_{n}")
        p = etree.SubElement(d, _DI + "BPMNPlane", id=f"BPMNPlane_{n}", bpmnElement=sub_id)
        for nid, bounds in sub["shapes"].items():
            _shape(p, {"id": f"{nid}_di", "bpmnElement": nid}, bounds)
        for fid, points in sub["edges"].items():
            _edge(p, fid, points)


def _shape(plane: etree._Element, attrs: dict, bounds: Bounds) -> None:
    shape = etree.SubElement(plane, _DI + "BPMNShape", **attrs)
    etree.SubElement(shape, _DC + "Bounds", x=_num(bounds.x), y=_num(bounds.y), width=_num(bounds.width),
                     height=_num(bounds.height))


def _edge(plane: etree._Element, flow_id: str, points: Optional[list[Point]]) -> None:
    if not points:
        return
    edge = etree.SubElement(plane, _DI + "BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
    for p in points:
        etree.SubElement(edge, _D + "waypoint", x=_num(p.x), y=_num(p.y))


# -- BPMN-lite -------------------------------------------------------------------------------

_LITE_ID = re.compile(r"^[A-Za-z_][\w.-]*$")


def _lite_id(given: str, taken: set[str], warnings: list[str], source: str) -> str:
    """`given` when BPMN-lite accepts it (a letter or _ first, then letters, digits, _ - .; unique),
    else a readable replacement, said in `warnings`."""
    if _LITE_ID.match(given) and given not in taken:
        taken.add(given)
        return given
    base = slug(given, "id")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    warnings.append(f"{source}: id '{given}' is not a BPMN-lite id; written as '{candidate}'")
    return candidate


_LITE_TAG = {"startEvent": "start", "endEvent": "end", "subProcess": "subprocess"}


def to_lite(model: Model, process_id: Optional[str] = None, warnings: Optional[list[str]] = None) -> bytes:
    """One process of a model as BPMN-lite (the one with most tasks unless `process_id` is given),
    a file procmap reads back: an unnamed task is named after its id, an id the lite rule refuses is
    replaced, and what BPMN-lite cannot hold (message flows to other pools) is said in `warnings`."""
    said = warnings if warnings is not None else []
    if not model.processes:
        raise ValueError("the model has no process to write")
    if process_id is None:
        tasks: dict[str, int] = {}
        nodes_of: dict[str, int] = {}
        for n in model.nodes:
            nodes_of[n.process_id] = nodes_of.get(n.process_id, 0) + 1
            if n.is_task:
                tasks[n.process_id] = tasks.get(n.process_id, 0) + 1
        proc = max(model.processes, key=lambda p: (tasks.get(p.id, 0), nodes_of.get(p.id, 0)))
    else:
        proc = next((p for p in model.processes if p.id == process_id), None)
        if proc is None:
            raise ValueError(f"no process '{process_id}'; choose one of {', '.join(p.id for p in model.processes)}")
    nodes = [n for n in model.nodes if n.process_id == proc.id]
    if not nodes:
        raise ValueError(f"process '{proc.id}' holds no task, event or gateway: there is nothing to write as "
                         "BPMN-lite (nothing was written)")
    pool = next((p for p in model.participants if p.process_id == proc.id), None)
    name = proc.name or (pool.name if pool else "") or model.name or proc.id
    root = etree.Element("process", name=name, id=_lite_id(proc.id, set(), said, model.source))
    if model.name and model.name != name:
        root.set("service", model.name)  # the file's own name of the service, kept
    if model.stage:
        root.set("stage", model.stage)
    if pool and pool.name:
        root.set("pool", pool.name)
    working = {n.process_id for n in model.nodes}
    others = [p for p in model.processes if p.id != proc.id and p.id in working]
    if others:
        root.append(etree.Comment(f" procmap wrote process {proc.id}; left out: {', '.join(p.id for p in others)} "))
    lanes = [lane for lane in model.lanes if lane.process_id == proc.id]
    children: dict[Optional[str], list[FlowNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    taken: set[str] = {root.get("id")}
    new_id: dict[str, str] = {}
    for item in [*lanes, *nodes]:
        new_id[item.id] = _lite_id(item.id, taken, said, model.source)
    for node in nodes:
        if node.is_task and not node.name:
            said.append(f"{model.source}: task '{node.id}' has no name; BPMN-lite needs one, so it is named "
                        f"'{node.id}' after its id")
    ends = set(new_id) | ({pool.id} if pool else set())
    crossing = [f for f in model.message_flows if f.source in ends or f.target in ends]
    if crossing:
        said.append(f"{model.source}: BPMN-lite has no message flows; {len(crossing)} message "
                    f"flow{'s' if len(crossing) > 1 else ''} of process {proc.id} left out "
                    f"({', '.join(f.name or f.id for f in crossing[:10])}{' ...' if len(crossing) > 10 else ''})")

    role_names = {r.lane_id: r.name for r in model.roles if r.lane_id}

    def unnamed_lane(lane_id: str) -> str:
        """BPMN-lite needs a lane name: the one the role has now, so the role keeps its name."""
        name = role_names.get(lane_id) or lane_id
        said.append(f"{model.source}: lane '{lane_id}' has no name; BPMN-lite needs one, so it is named '{name}'")
        return name

    def node_el(parent: etree._Element, node: FlowNode) -> None:
        tag = _LITE_TAG.get(node.type)
        attrs: dict[str, str] = {"id": new_id[node.id]}
        if node.name or node.is_task:
            attrs["name"] = node.name or node.id
        if node.is_task:
            tag = "subprocess" if node.kind == "subprocess" else "task"
            if tag == "task" and KIND_OF_TYPE.get(node.type):
                attrs["kind"] = KIND_OF_TYPE[node.type]
            if node.effort is not None:
                attrs["minutes"] = _num(node.effort.minutes)
                if node.effort.low is not None:
                    attrs["low"] = _num(node.effort.low)
                if node.effort.high is not None:
                    attrs["high"] = _num(node.effort.high)
        elif node.kind == "gateway":
            tag = "gateway"
            kind = node.type.replace("Gateway", "").replace("eventBased", "event")
            if kind != "exclusive":
                attrs["kind"] = kind
        elif tag is None:
            tag = "subprocess" if node.kind in ("subprocess", "call") else "event"
        el = etree.SubElement(parent, tag, **attrs)
        for child in children.get(node.id, []):
            node_el(el, child)

    sublanes: dict[Optional[str], list] = {}  # grouped once: a lookup per lane would be quadratic
    for lane in lanes:
        sublanes.setdefault(lane.parent_id, []).append(lane)
    in_lane: dict[Optional[str], list[FlowNode]] = {}
    for node in children.get(None, []):
        in_lane.setdefault(node.lane_id, []).append(node)

    def lane_el(parent: etree._Element, parent_id: Optional[str]) -> None:
        for lane in sublanes.get(parent_id, []):
            el = etree.SubElement(parent, "lane", id=new_id[lane.id], name=lane.name or unnamed_lane(lane.id))
            for node in in_lane.get(lane.id, []):
                node_el(el, node)
            lane_el(el, lane.id)

    lane_el(root, None)
    for node in children.get(None, []):
        if node.lane_id is None:
            node_el(root, node)
    for flow in model.sequence_flows:
        if flow.source in new_id and flow.target in new_id:
            attrs = {"id": _lite_id(flow.id, taken, said, model.source), "from": new_id[flow.source],
                     "to": new_id[flow.target]}
            if flow.name:
                attrs["name"] = flow.name
            etree.SubElement(root, "flow", **attrs)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
