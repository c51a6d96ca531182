"""The modeller's drawing: a scene from the file's BPMNDI bounds and waypoints, and its repairs.

Pools, nested and vertical lanes and expanded sub-processes are placed as in the file;
edges that do not touch their shapes are mended, and diagrams or pools drawn on top of
each other are moved apart.
"""

from __future__ import annotations

from dataclasses import replace
from operator import itemgetter
from typing import Iterable, Optional

from procmap.layout.route import clip_to_box, midpoint
from procmap.layout.text import external_lines, label_lines, width
from procmap.layout.scene import SIZES, ArtifactItem, CaptionItem, EdgeItem, LaneItem, NodeItem, Scene, Sizes
from procmap.model.elements import Bounds, Model


_DIAGRAM_OF = itemgetter(2)  # a Shape's diagram index


def _distance(x: float, y: float, b: Bounds) -> float:
    """How far a point is outside a rectangle (0 inside)."""
    return max(b.x - x, 0.0, x - (b.x + b.width), b.y - y, 0.0, y - (b.y + b.height))


def _attach_end(prev: tuple[float, float], b: Bounds) -> tuple[float, float]:
    """A point on b's border to end a route coming from prev: straight when prev is level with b."""
    px, py = prev
    if b.x <= px <= b.x + b.width:
        return px, (b.y if py < b.y else b.y + b.height)
    if b.y <= py <= b.y + b.height:
        return (b.x if px < b.x else b.x + b.width), py
    return clip_to_box(b.x + b.width / 2, b.y + b.height / 2, px, py, b)


def fix_waypoints(points: list[tuple[float, float]], a: Optional[Bounds],
                  b: Optional[Bounds]) -> list[tuple[float, float]]:
    """Waypoints whose ends are far from their shapes (some exporters write (0, 0)) are re-attached."""
    pts = list(points)
    if len(pts) >= 2 and b is not None and _distance(*pts[-1], b) > 25:
        pts[-1] = _attach_end(pts[-2], b)
    if len(pts) >= 2 and a is not None and _distance(*pts[0], a) > 25:
        pts[0] = _attach_end(pts[1], a)
    return pts


def _overlap(a: Bounds, b: Bounds) -> float:
    """Share of the smaller rectangle that the two have in common."""
    ix = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    iy = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    if ix <= 0 or iy <= 0:
        return 0.0
    small = min(a.area, b.area)
    return ix * iy / small if small > 0 else 0.0


def _diagram_shifts(model: Model, gap: float = 60.0) -> dict[int, float]:
    """dy per BPMNDiagram (by index): a later diagram that would lie on top of what the earlier ones
    drew (the pools of another collaboration, the inside of a called or collapsed process) is moved
    below them. Empty when nothing overlaps."""
    shapes = model.geometry.shapes
    if not any(map(_DIAGRAM_OF, shapes.values())):  # all drawn by the first diagram: nothing to move
        return {}
    boxes: dict[int, list[float]] = {}
    for item in (*model.participants, *model.lanes, *model.nodes, *model.artifacts):
        shape = shapes.get(item.id)
        if shape is None:
            continue
        b = shape.bounds
        box = boxes.setdefault(shape.diagram, [b.x, b.y, b.x + b.width, b.y + b.height])
        box[0], box[1] = min(box[0], b.x), min(box[1], b.y)
        box[2], box[3] = max(box[2], b.x + b.width), max(box[3], b.y + b.height)
    shifts: dict[int, float] = {}
    placed: list[Bounds] = []
    for index in sorted(boxes):
        x0, y0, x1, y1 = boxes[index]
        box = Bounds(x0, y0, x1 - x0, y1 - y0)
        if placed and any(_overlap(box, other) > 0.02 for other in placed):
            shifts[index] = max(p.y + p.height for p in placed) + gap - y0
            box = Bounds(x0, y0 + shifts[index], box.width, box.height)
        placed.append(box)
    return shifts


def _pool_shifts(model: Model, moved: dict[str, float], gap: float = 60.0) -> dict[str, float]:
    """Pools that lie on top of each other once whole diagrams are placed (Bizagi draws its unnamed
    pools over the others): the later pool, with what is drawn inside it, goes below. Returns the
    extra dy by element id (pools, their lanes and nodes)."""
    geo = model.geometry

    def at(eid: str) -> Optional[Bounds]:
        b = geo.bounds(eid)
        return None if b is None else Bounds(b.x, b.y + moved.get(eid, 0.0), b.width, b.height)

    placed: list[Bounds] = []
    extra: dict[str, float] = {}
    for pool in model.participants:
        pb = at(pool.id)
        if pb is None or pb.area <= 0:
            continue
        if not any(_overlap(pb, q) > 0.3 for q in placed):
            placed.append(pb)
            continue
        dy = max(q.y + q.height for q in placed) + gap - pb.y
        extra[pool.id] = dy
        for item in (*model.lanes, *model.nodes, *model.artifacts):
            ib = at(item.id) if pool.process_id and item.process_id == pool.process_id else None
            if ib is not None and pb.contains(ib):
                extra[item.id] = dy
        placed.append(Bounds(pb.x, pb.y + dy, pb.width, pb.height))
    return extra


def di_scene(model: Model, *, sizes: Sizes = SIZES, role_names: Optional[dict[str, str]] = None) -> Scene:
    """The diagram as drawn in the file: every pool, lane, node and flow that has geometry.

    Files with several diagrams: each element is drawn where its home plane draws it (di.PlaneHomes);
    a sub-process whose inside another diagram draws stays collapsed; a diagram that would
    lie on top of an earlier one is drawn below it, and so is a pool drawn over another pool. Waypoints that end far from
    their shapes are re-attached; elements without a position are left out, with a note.
    """
    s = sizes
    scene = Scene(kind="di")
    geo = model.geometry
    shifts = _diagram_shifts(model)
    moved = {it.id: shifts[d] for it in (*model.participants, *model.lanes, *model.nodes, *model.artifacts)
             if (d := geo.diagram(it.id)) in shifts}
    for eid, dy in _pool_shifts(model, moved).items():
        moved[eid] = moved.get(eid, 0.0) + dy
    if moved:
        scene.notes.append("several diagrams in the file: drawn one under the other")

    def moves(items: Iterable) -> dict[str, float]:
        return {it.id: moved[it.id] for it in items if it.id in moved}

    part_dy, lane_dy, node_dy = moves(model.participants), moves(model.lanes), moves(model.nodes)
    node_dy.update(moves(model.artifacts))  # artifacts move with their diagram and pool, as nodes do

    def shifted(b: Optional[Bounds], dy: float) -> Optional[Bounds]:
        if b is None or not dy:
            return b
        return Bounds(x=b.x, y=b.y + dy, width=b.width, height=b.height)

    node_b = {n.id: shifted(geo.bounds(n.id), node_dy.get(n.id, 0.0)) for n in model.nodes}
    shaped = [a for a in model.artifacts if not a.connecting]
    art_b = {a.id: shifted(geo.bounds(a.id), node_dy.get(a.id, 0.0)) for a in shaped}
    part_b = {p.id: shifted(geo.bounds(p.id), part_dy.get(p.id, 0.0)) for p in model.participants}
    lane_b = {la.id: shifted(geo.bounds(la.id), lane_dy.get(la.id, 0.0)) for la in model.lanes}

    def bounds_of(ref: str) -> Optional[Bounds]:
        if ref in node_b:
            return node_b[ref]
        return art_b[ref] if ref in art_b else part_b.get(ref)

    def dy_of(ref: str) -> float:
        return node_dy.get(ref, part_dy.get(ref, 0.0))

    # Flows first: their fixed waypoints count for the picture's extent.
    flows: list[tuple[str, object, list[tuple[float, float]]]] = []
    flow_dy: dict[str, float] = {}  # how far a flow's diagram moved: its label moves with it
    for kind, group in (("sequence", model.sequence_flows), ("message", model.message_flows),
                        ("association", [a for a in model.artifacts if a.connecting])):
        for f in group:
            if f.source is None or f.target is None:  # type: ignore[union-attr]
                if kind != "association" or len(geo.waypoints(f.id)) < 2:
                    continue
            a, b = bounds_of(f.source or ""), bounds_of(f.target or "")
            dys = {dy_of(f.source or ""), dy_of(f.target or "")} if kind != "association" or \
                (f.source and f.target) else {dy_of(f.id)}
            waypoints = geo.waypoints(f.id)
            one_diagram = len(dys) == 1  # both ends moved alike (or an open association, by itself)
            dy = flow_dy[f.id] = next(iter(dys)) if one_diagram else dy_of(f.source or "")  # type: ignore[attr-defined]
            if len(waypoints) >= 2 and one_diagram:
                pts = fix_waypoints([(p.x, p.y + dy) for p in waypoints], a, b)
            elif a is not None and b is not None:
                acx, acy = a.x + a.width / 2, a.y + a.height / 2
                bcx, bcy = b.x + b.width / 2, b.y + b.height / 2
                pts = [clip_to_box(acx, acy, bcx, bcy, a), clip_to_box(bcx, bcy, acx, acy, b)]
            else:
                continue
            flows.append((kind, f, pts))

    xs: list[float] = []
    ys: list[float] = []

    def extend(b: Bounds, below: float = 0.0, side: float = 0.0) -> None:
        xs.extend((b.x - side, b.x + b.width + side))
        ys.extend((b.y, b.y + b.height + below))

    for b in list(part_b.values()) + list(lane_b.values()):
        if b is not None:
            extend(b)
    missing = 0
    for n in model.nodes:
        b = node_b[n.id]
        if b is None:
            missing += 1
            continue
        extra = 0.0
        if n.kind in ("event", "gateway") and n.name:  # room for the name under it, drawn whole
            extra = 4 + len(external_lines(n.name, s.label_font, max(s.label_w, b.width))) * s.label_font * 1.2
        side = max(0.0, (s.label_w - b.width) / 2) if extra else 0.0
        extend(b, extra, side)
    for kind, f, pts in flows:
        for x, y in pts:
            xs.append(x)
            ys.append(y)
        note = model.notation.get(f.id) if kind == "message" else None  # type: ignore[attr-defined]
        if note is not None and note.message_name:  # the message's name beside the envelope: room for it
            mx, my = midpoint(pts)
            lines = label_lines(note.message_name, s.label_font)
            tall = len(lines) * s.label_font * 1.2
            xs.extend((mx - 60, mx + 14 + max(width(line, s.label_font) for line in lines)))
            ys.extend((my - 7 - tall, my + 7 + tall + 4))
    for b in art_b.values():
        if b is not None:
            extend(b)
    captions = _diagram_captions(model, shifts, node_b, s)
    for c in captions:  # room for the heading ("Inni «…»": its name and about 60 units more)
        xs.extend((c.x, c.x + width(c.name, s.label_font * 1.2, True) + 60))
        ys.extend((c.y - s.label_font * 1.6, c.y))
    # The modeller's label boxes of what is drawn, moved with their element.
    drawn = {k for k, b in node_b.items() if b is not None} | {k for k, b in art_b.items() if b is not None}
    drawn |= {f.id for _, f, _ in flows}  # type: ignore[attr-defined]
    labels = {eid: Bounds(lb.x, lb.y + flow_dy.get(eid, dy_of(eid)), lb.width, lb.height)
              for eid, lb in geo.labels.items() if eid in drawn}
    for b in labels.values():
        extend(b)
    if not xs:
        scene.notes.append("no diagram geometry")
        return scene
    ox, oy = s.margin - min(xs), s.margin - min(ys)
    scene.width, scene.height = max(xs) - min(xs) + 2 * s.margin, max(ys) - min(ys) + 2 * s.margin

    def moved(b: Bounds) -> tuple[float, float, float, float]:
        return b.x + ox, b.y + oy, b.width, b.height

    def label_of(eid: str) -> Optional[tuple[float, float, float, float]]:
        lb = labels.get(eid)
        return moved(lb) if lb is not None else None

    roles = role_names or {r.id: r.name for r in model.roles}
    with_nodes = {n.process_id for n in model.nodes if node_b[n.id] is not None}
    for p in model.participants:
        b = part_b[p.id]
        if b is not None:
            horizontal = geo.horizontal(p.id) is not False
            x, y, w, h = moved(b)
            laned = p.process_id is not None and any(
                lane.process_id == p.process_id and lane_b[lane.id] is not None for lane in model.lanes)
            # (a pool's isExpanded is not read: bpmn.io draws a pool with a process as expanded, and
            # some tools write isExpanded="false" on every shape)
            empty = p.process_id is None or (p.process_id not in with_nodes and not laned)
            note = model.notation.get(p.id)
            scene.lanes.append(LaneItem(kind="pool", id=p.id, label=p.name, x=x, y=y, w=w, h=h,
                                        horizontal=horizontal, header=0.0 if empty else
                                        min(s.di_header, (w if horizontal else h) / 3),
                                        role=roles.get(p.process_id or ""), style=geo.style(p.id),
                                        multiple=bool(note and note.multiple)))
    depth: dict[str, int] = {}
    for lane in model.lanes:
        d, parent = 0, lane.parent_id
        while parent and d < 50:
            d, parent = d + 1, model.lane_by_id[parent].parent_id if parent in model.lane_by_id else None
        depth[lane.id] = d
    for lane in sorted(model.lanes, key=lambda la: depth[la.id]):
        b = lane_b[lane.id]
        if b is not None:
            horizontal = geo.horizontal(lane.id) is not False
            x, y, w, h = moved(b)
            scene.lanes.append(LaneItem(kind="lane", id=lane.id, label=lane.name, x=x, y=y, w=w, h=h,
                                        horizontal=horizontal, header=min(s.di_header, (w if horizontal else h) / 3),
                                        role=roles.get(lane.id), depth=depth[lane.id], style=geo.style(lane.id)))
    # Containers: sub-processes with their content drawn inside, and any big activity that
    # has other shapes drawn inside it (a call activity shown expanded).
    # A child drawn by another diagram (bpmn.io's drill-down plane of a collapsed sub-process) leaves
    # its sub-process collapsed, with its + marker, where the parent's diagram draws it.
    containers = {n.parent_id for n in model.nodes if n.parent_id and node_b[n.id] is not None
                  and geo.diagram(n.id) == geo.diagram(n.parent_id)}
    big = [n for n in model.nodes if n.kind in ("subprocess", "call") and node_b[n.id] is not None
           and n.id not in containers and node_b[n.id].width > 150 and node_b[n.id].height > 110]  # type: ignore[union-attr]
    for n in model.nodes:  # the modeller's isExpanded="true" is followed; "false" only when nothing is inside
        if n.id not in containers and geo.style(n.id).expanded and node_b[n.id] is not None \
                and n.kind in ("subprocess", "call"):
            containers.add(n.id)
    for host in big:
        if geo.style(host.id).expanded is False:
            continue
        hb = node_b[host.id]
        assert hb is not None
        plane = geo.diagram(host.id)
        if any(o.id != host.id and node_b[o.id] is not None and o.type != "boundaryEvent"
               and geo.diagram(o.id) == plane and hb.contains(node_b[o.id]) for o in model.nodes):  # type: ignore[arg-type]
            containers.add(host.id)
    inner_tasks: dict[str, int] = {}
    for n in model.nodes:
        if n.is_task and n.parent_id:
            inner_tasks[n.parent_id] = inner_tasks.get(n.parent_id, 0) + 1
    ordered = sorted((n for n in model.nodes if node_b[n.id] is not None),
                     key=lambda n: (n.id not in containers, n.kind == "event"))
    for n in ordered:
        x, y, w, h = moved(node_b[n.id])  # type: ignore[arg-type]
        style = geo.style(n.id)
        if n.type == "exclusiveGateway" and style.marker_visible is None:
            style = style._replace(marker_visible=False)  # as BPMNDI says: no X unless the diagram asks
        scene.nodes.append(NodeItem(node=n, x=x, y=y, w=w, h=h, expanded=n.id in containers,
                                    inner_tasks=0 if n.id in containers else inner_tasks.get(n.id, 0),
                                    notation=model.notation.get(n.id), style=style, label=label_of(n.id)))
    for a in shaped:
        b = art_b[a.id]
        if b is not None:
            x, y, w, h = moved(b)
            scene.artifacts.append(ArtifactItem(artifact=a, x=x, y=y, w=w, h=h, style=geo.style(a.id),
                                                label=label_of(a.id)))
    by_id = model.node_by_id
    for kind, f, pts in flows:
        pts = [(x + ox, y + oy) for x, y in pts]
        label_at = None
        box = label_of(f.id)
        name = f.name if kind != "association" else ""  # type: ignore[attr-defined]
        if name and box is None:
            (x0, y0), (x1, y1) = pts[0], pts[1]
            label_at = ((x0 + x1) / 2 + 4, (y0 + y1) / 2 - 5, "start")
        source = by_id.get(f.source or "")  # type: ignore[attr-defined]
        association = kind == "association"  # only artifacts have a type and a direction (asking a flow raises)
        scene.edges.append(EdgeItem(id=f.id, kind=kind, points=pts, name=name,
                                    label_at=label_at, type=f.type if association else "",  # type: ignore[attr-defined]
                                    notation=model.notation.get(f.id), style=geo.style(f.id), label=box,
                                    from_activity=source is not None and source.kind in ("task", "subprocess", "call"),
                                    direction=f.direction if association else None))  # type: ignore[attr-defined]
    scene.captions.extend(replace(c, x=c.x + ox, y=c.y + oy) for c in captions)
    if missing:
        scene.notes.append(f"{missing} elements without a position in the diagram are not drawn")
    return scene


def _diagram_captions(model: Model, shifts: dict[int, float], node_b: dict[str, Optional[Bounds]],
                      s: Sizes) -> list[CaptionItem]:
    """A heading (in the diagram's coordinates) over each diagram of a picture that
    holds several, when the diagram's plane is a sub-process ("inside": the inside of a collapsed
    sub-process, bpmn.io's drill-down) or a named process drawn without a pool ("process": a process
    of its own, often one that a call activity calls). Without them such a diagram reads as part of
    the one above it. Collaboration planes need none: their pools carry names."""
    if not shifts:
        return []
    geo, by_id = model.geometry, model.node_by_id
    planes = geo.planes
    pooled = {p.process_id for p in model.participants if p.process_id and geo.bounds(p.id) is not None}
    processes = {p.id: p for p in model.processes}
    tops: dict[int, tuple[float, float]] = {}
    for n in model.nodes:
        b, d = node_b[n.id], geo.diagram(n.id)
        if b is None or d is None:
            continue
        x, y = tops.get(d, (b.x, b.y))
        tops[d] = (min(x, b.x), min(y, b.y))
    out = []
    for d, (x, y) in sorted(tops.items()):
        plane = planes[d] if d < len(planes) else None
        host, process = by_id.get(plane or ""), processes.get(plane or "")
        if host is not None and host.kind in ("subprocess", "call"):
            out.append(CaptionItem(kind="inside", of_id=host.id, name=host.label, x=x, y=y - s.label_font))
        elif process is not None and process.name and process.id not in pooled:
            out.append(CaptionItem(kind="process", of_id=process.id, name=process.name, x=x, y=y - s.label_font))
    return out