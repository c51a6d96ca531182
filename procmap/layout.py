"""Swimlane layout for models that carry no diagram geometry (BPMN-lite, tools without DI).

Lanes become horizontal bands in document order, one pool under the other; the
flow runs left to right: each node's column is its longest distance from a
start (back edges of loops ignored), and nodes that share a lane and a column
stack inside the lane. Pure and linear in the size of the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .model import Bounds, FlowNode, Model, Point

TASK_W, TASK_H = 120.0, 80.0
EVENT_D = 36.0
GATEWAY_D = 50.0
COL_W = 170.0
ROW_H = 110.0
HEADER_W = 30.0  # the title strip of a pool or a lane level
LANE_PAD = 15.0


@dataclass
class Layout:
    """Diagram geometry in BPMNDI coordinates (pixels, y down)."""

    nodes: dict[str, Bounds] = field(default_factory=dict)
    lanes: dict[str, Bounds] = field(default_factory=dict)
    pools: dict[str, Bounds] = field(default_factory=dict)  # by process id
    flows: dict[str, list[Point]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0
    columns: dict[str, int] = field(default_factory=dict)


def node_size(node: FlowNode) -> tuple[float, float]:
    if node.kind == "event":
        return EVENT_D, EVENT_D
    if node.kind == "gateway":
        return GATEWAY_D, GATEWAY_D
    return TASK_W, TASK_H


def columns(model: Model, nodes: list[FlowNode],
            edges: Optional[Iterable[tuple[str, str]]] = None) -> dict[str, int]:
    """Column of each node: longest path from a source, ignoring edges that close a loop.

    `edges` (source id, target id) default to the model's sequence flows; the renderer
    adds message flows so that a pool that waits for a message starts after it.
    """
    return flow_order(model, nodes, edges)[0]


def flow_order(model: Model, nodes: list[FlowNode], edges: Optional[Iterable[tuple[str, str]]] = None
               ) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """(column of each node, back edges): the order in which the flow runs through `nodes`.

    Back edges are found by a depth-first walk from the start events in document
    order; the column is the longest path over the remaining acyclic graph.
    `edges` default to the model's sequence flows.
    """
    ids = {n.id for n in nodes}
    order = {n.id: i for i, n in enumerate(nodes)}
    succ: dict[str, list[str]] = {n.id: [] for n in nodes}
    indeg: dict[str, int] = {n.id: 0 for n in nodes}
    pairs = ((f.source, f.target) for f in model.sequence_flows) if edges is None else edges
    for source, target in pairs:
        if source in ids and target in ids and source != target:
            succ[source].append(target)
            indeg[target] += 1
    starts = [n.id for n in nodes if n.type == "startEvent" or indeg[n.id] == 0]
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in starts + [n.id for n in nodes]:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            current, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[current] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((current, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    indeg = {i: 0 for i in ids}
    for s, targets in succ.items():
        for t in targets:
            if (s, t) not in back:
                indeg[t] += 1
    col = {i: 0 for i in ids}
    ready = sorted((i for i in ids if indeg[i] == 0), key=order.get)
    while ready:
        current = ready.pop()
        for t in succ[current]:
            if (current, t) in back:
                continue
            col[t] = max(col[t], col[current] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return col, back


def layout(model: Model) -> Layout:
    """Place pools, lanes, nodes and flows of a model without geometry."""
    out = Layout()
    lanes_by_process: dict[str, list] = {}
    for lane in model.lanes:
        lanes_by_process.setdefault(lane.process_id, []).append(lane)
    top_nodes = [n for n in model.nodes if n.parent_id is None]
    out.columns = columns(model, top_nodes)
    depth_of: dict[str, int] = {}
    for lane in model.lanes:
        d, parent = 0, lane.parent_id
        while parent:
            d, parent = d + 1, model.lane_by_id[parent].parent_id
        depth_of[lane.id] = d
    max_col = max(out.columns.values(), default=0)
    y = 0.0
    for proc in model.processes:
        nodes = [n for n in top_nodes if n.process_id == proc.id]
        lanes = lanes_by_process.get(proc.id, [])
        if not nodes and not lanes:
            continue
        levels = max((depth_of[la.id] for la in lanes), default=-1) + 1
        left = HEADER_W * (1 + levels)
        pool_top = y
        # Bands: leaf lanes in document order (depth-first), plus one for nodes in no lane.
        bands: list[Optional[str]] = []

        def walk(parent: Optional[str]) -> None:
            for la in lanes:
                if la.parent_id == parent:
                    if la.child_ids:
                        walk(la.id)
                    else:
                        bands.append(la.id)
                    if la.child_ids and any(n.lane_id == la.id for n in nodes):
                        bands.append(la.id)  # a parent lane holding nodes itself gets a band too

        walk(None)
        if not bands or any(n.lane_id is None for n in nodes):
            bands.append(None)
        band_bounds: dict[Optional[str], Bounds] = {}
        for band in bands:
            members = [n for n in nodes if n.lane_id == band]
            slots: dict[int, int] = {}
            for n in members:
                c = out.columns.get(n.id, 0)
                slot = slots.get(c, 0)
                slots[c] = slot + 1
                w, h = node_size(n)
                cx = left + COL_W * c + COL_W / 2
                cy = y + LANE_PAD + ROW_H * slot + ROW_H / 2
                out.nodes[n.id] = Bounds(x=cx - w / 2, y=cy - h / 2, width=w, height=h)
            rows = max(slots.values(), default=1)
            height = ROW_H * rows + 2 * LANE_PAD
            band_bounds[band] = Bounds(x=left, y=y, width=COL_W * (max_col + 1), height=height)
            y += height
        pool = Bounds(x=0, y=pool_top, width=left + COL_W * (max_col + 1), height=y - pool_top)
        out.pools[proc.id] = pool
        # Lane rectangles: leaves are their band; parents span their children.
        for la in sorted(lanes, key=lambda la: -depth_of[la.id]):
            x0 = HEADER_W * (1 + depth_of[la.id])
            spans = [band_bounds[la.id]] if la.id in band_bounds else []
            spans += [out.lanes[c] for c in la.child_ids if c in out.lanes]
            if not spans:
                continue
            top = min(b.y for b in spans)
            bottom = max(b.y + b.height for b in spans)
            out.lanes[la.id] = Bounds(x=x0, y=top, width=pool.width - x0, height=bottom - top)
        y += 40.0  # gap between pools
    out.width = max((b.x + b.width for b in out.pools.values()), default=0.0)
    out.height = max(y - 40.0, 0.0)
    for f in model.sequence_flows:
        a, b = out.nodes.get(f.source), out.nodes.get(f.target)
        if a and b:
            out.flows[f.id] = route(a, b)
    return out


def route(a: Bounds, b: Bounds) -> list[Point]:
    """An orthogonal path from a to b; loops back go under the shapes."""
    ay, by = a.y + a.height / 2, b.y + b.height / 2
    if b.x >= a.x + a.width:
        sx, tx = a.x + a.width, b.x
        if abs(ay - by) < 1:
            return [Point(x=sx, y=ay), Point(x=tx, y=by)]
        mx = sx + (tx - sx) / 2
        return [Point(x=sx, y=ay), Point(x=mx, y=ay), Point(x=mx, y=by), Point(x=tx, y=by)]
    ax, bx = a.x + a.width / 2, b.x + b.width / 2
    low = max(a.y + a.height, b.y + b.height) + 12
    return [Point(x=ax, y=a.y + a.height), Point(x=ax, y=low), Point(x=bx, y=low), Point(x=bx, y=b.y + b.height)]
