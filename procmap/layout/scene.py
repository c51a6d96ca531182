"""Scenes: the shapes of one stage in diagram units, before any SVG is written.

Three ways to get them:

- ``di_scene``: the diagram as the modeller drew it (BPMNDI bounds and waypoints):
  pools, nested and vertical lanes, expanded sub-processes, all as in the file.
- ``banded_scene``: one horizontal band per role in a given order, the flow left to
  right by longest-path columns (``procmap.layout.columns``) or by Graphviz ``dot``
  ranks; used for models without geometry, and for side-by-side pictures where
  every stage must show the same roles in the same order.
- ``transplant_scene``: the same bands, but each role's part of the modeller's
  drawing is kept as drawn and moved into its band (horizontal lanes only), so a
  side-by-side picture of files with geometry still looks like the modeller's.

A ``summary_scene`` has one box per role with its counts, for stages too big to draw.
Everything here is linear in the size of the model.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from procmap.errors import RenderError
from procmap.layout.route import columns
from procmap.model.elements import Bounds, FlowNode, Model


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


@dataclass
class EdgeItem:
    id: str
    kind: str  # "sequence" or "message"
    points: list[tuple[float, float]]
    name: str = ""
    label_at: Optional[tuple[float, float, str]] = None  # x, y, anchor


@dataclass
class SummaryItem:
    band: int
    x: float
    y: float
    w: float
    h: float
    lines: list[str]


@dataclass
class Scene:
    kind: str  # "di", "banded", "transplant", "summary"
    width: float = 0.0
    height: float = 0.0
    nodes: list[NodeItem] = field(default_factory=list)
    edges: list[EdgeItem] = field(default_factory=list)
    bands: list[BandItem] = field(default_factory=list)
    lanes: list[LaneItem] = field(default_factory=list)
    summaries: list[SummaryItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
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


def _top_of(model: Model) -> dict[str, str]:
    """Each node id -> the id of its outermost sub-process (itself when at top level)."""
    out: dict[str, str] = {}
    by_id = model.node_by_id
    for n in model.nodes:
        current, hops = n, 0
        while current.parent_id and current.parent_id in by_id and hops < 50:
            current, hops = by_id[current.parent_id], hops + 1
        out[n.id] = current.id
    return out


def flow_pairs(model: Model, top_of: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """(id, kind, source, target, name) of every flow between two top-level nodes."""
    out = []
    for f in model.sequence_flows:
        s, t = top_of.get(f.source), top_of.get(f.target)
        if s and t and s != t:
            out.append((f.id, "sequence", s, t, f.name))
    for f in model.message_flows:
        s, t = top_of.get(f.source), top_of.get(f.target)
        if s and t and s != t:
            out.append((f.id, "message", s, t, f.name))
    return out


# -- ranking (which column each node goes to) --------------------------------------------------

DOT_NODE_LIMIT = 3000
DOT_TIMEOUT = 60.0


def dot_columns(nodes: Sequence[FlowNode], edges: Iterable[tuple[str, str]],
                timeout: float = DOT_TIMEOUT) -> dict[str, int]:
    """Columns from Graphviz ``dot`` (rankdir=LR): nodes that dot puts on one rank share a column."""
    import graphviz

    exe = shutil.which("dot")
    if exe is None:
        raise RenderError("Graphviz 'dot' was not found; install Graphviz or use the built-in layout")
    index = {n.id: i for i, n in enumerate(nodes)}
    graph = graphviz.Digraph(graph_attr={"rankdir": "LR", "nodesep": "0.15", "ranksep": "0.3"},
                             node_attr={"shape": "box", "fixedsize": "true", "width": "1", "height": "0.5",
                                        "label": ""})
    for n in nodes:
        graph.node(f"n{index[n.id]}")
    for s, t in edges:
        if s in index and t in index and s != t:
            graph.edge(f"n{index[s]}", f"n{index[t]}")
    try:
        done = subprocess.run([exe, "-Tplain"], input=graph.source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz 'dot' took more than {timeout:g} s for {len(nodes)} nodes; "
                          "use the built-in layout") from None
    if done.returncode != 0:
        raise RenderError("Graphviz 'dot' failed: " + done.stderr.decode("utf-8", "replace").strip()[:200])
    xs: dict[int, float] = {}
    for row in done.stdout.decode("utf-8", "replace").splitlines():
        parts = row.split()
        if len(parts) > 3 and parts[0] == "node" and parts[1].startswith("n"):
            xs[int(parts[1][1:])] = float(parts[2])
    distinct = sorted({round(x, 2) for x in xs.values()})
    rank = {x: i for i, x in enumerate(distinct)}
    return {n.id: rank[round(xs[index[n.id]], 2)] if index[n.id] in xs else 0 for n in nodes}


def rank_nodes(model: Model, nodes: list[FlowNode], edges: list[tuple[str, str]],
               engine: str = "procmap", notes: Optional[list[str]] = None) -> dict[str, int]:
    if engine == "dot":
        if len(nodes) > DOT_NODE_LIMIT:
            if notes is not None:
                notes.append(f"{len(nodes)} nodes are too many for Graphviz; the built-in layout was used")
        else:
            return dot_columns(nodes, edges)
    return columns(model, nodes, edges)


# -- banded layout -------------------------------------------------------------------------------

class _Router:
    """Orthogonal routes in a banded grid: out of the right side, into the left side.

    Vertical segments run in the gaps between columns (where no node is); horizontal
    ones at the source's or the target's height when no node is in the way, else in a
    free strip at the top of the target's row. Parallel segments get their own track.
    """

    def __init__(self, col_x: list[float], col_w: list[float], gap: float, occupied: set[tuple[int, int, int]]):
        self.col_x, self.col_w, self.gap = col_x, col_w, gap
        self.occupied = occupied
        self.gap_tracks: dict[int, list[tuple[float, float, float]]] = {}
        self.row_tracks: dict[tuple[int, int], list[tuple[float, float, float]]] = {}

    def gap_x(self, col: int, y0: float, y1: float) -> float:
        """x of a vertical segment in the gap after `col` (-1: before the first column)."""
        if col < 0:
            centre = self.col_x[0] - self.gap / 2
        else:
            centre = self.col_x[col] + self.col_w[col] + self.gap / 2
        lo, hi = min(y0, y1), max(y0, y1)
        used = self.gap_tracks.setdefault(col, [])
        for offset in (0.0, -5.0, 5.0, -10.0, 10.0, -14.0, 14.0):
            x = centre + offset
            if all(not (lo <= b1 + 3 and hi >= b0 - 3) or abs(x - bx) > 0.1 for b0, b1, bx in used):
                used.append((lo, hi, x))
                return x
        return centre

    def track_y(self, key: tuple[int, int], candidates: list[float], x0: float, x1: float) -> float:
        lo, hi = min(x0, x1), max(x0, x1)
        used = self.row_tracks.setdefault(key, [])
        for y in candidates:
            if all(not (lo < b1 and hi > b0) or abs(y - by) > 0.1 for b0, b1, by in used):
                used.append((lo, hi, y))
                return y
        return candidates[-1]

    def free(self, band: int, slot: int, c0: int, c1: int) -> bool:
        return all((band, slot, c) not in self.occupied for c in range(c0, c1))


def banded_scene(model: Model, bands: Sequence[BandSpec], *, sizes: Sizes = SIZES,
                 min_heights: Optional[dict[str, float]] = None, header: bool = True, counts: bool = True,
                 engine: str = "procmap", unassigned_label: str = "(no role)") -> Scene:
    """Lay a model out in horizontal bands, one per BandSpec, flow left to right."""
    s = sizes
    scene = Scene(kind="banded")
    top_of = _top_of(model)
    top = [n for n in model.nodes if top_of[n.id] == n.id]
    pairs = flow_pairs(model, top_of)
    specs = list(bands)
    band_of_role: dict[str, int] = {}
    for i, spec in enumerate(specs):
        for rid in spec.role_ids:
            band_of_role.setdefault(rid, i)
    node_band: dict[str, int] = {}
    for n in top:
        role = model.role_of(n)
        i = band_of_role.get(role.id) if role else None
        if i is None:
            if not specs or specs[-1].key != UNASSIGNED_KEY:
                specs.append(BandSpec(key=UNASSIGNED_KEY, label=unassigned_label))
            i = len(specs) - 1
        node_band[n.id] = i
    col = rank_nodes(model, top, [(a, b) for _, _, a, b, _ in pairs], engine, scene.notes)
    used_cols = sorted(set(col.values()))
    remap = {c: i for i, c in enumerate(used_cols)}
    col = {k: remap[v] for k, v in col.items()}
    ncols = len(used_cols)

    # Slots: nodes that share a band and a column stack in rows, in document order.
    slot: dict[str, int] = {}
    cell_count: dict[tuple[int, int], int] = {}
    for n in top:
        key = (node_band[n.id], col[n.id])
        slot[n.id] = cell_count.get(key, 0)
        cell_count[key] = slot[n.id] + 1
    rows = [0] * len(specs)
    for (b, _), k in cell_count.items():
        rows[b] = max(rows[b], k)

    col_w = [0.0] * ncols
    for n in top:
        w, _ = node_size(n, s)
        if n.kind in ("event", "gateway") and n.name:
            w = max(w, s.label_w)
        col_w[col[n.id]] = max(col_w[col[n.id]], w)
    header_w = s.header_w if header else 0.0
    count_w = s.count_w if counts else 0.0
    col_x: list[float] = []
    x = header_w + s.margin + s.gap
    for c in range(ncols):
        col_x.append(x)
        x += col_w[c] + s.gap
    content_right = max(x - s.gap + s.margin + s.gap / 2, header_w + 200.0)
    width = content_right + count_w

    # Bands.
    inner_tasks: dict[str, int] = {}
    for n in model.nodes:
        if n.is_task and top_of[n.id] != n.id:
            inner_tasks[top_of[n.id]] = inner_tasks.get(top_of[n.id], 0) + 1
    y = 0.0
    for i, spec in enumerate(specs):
        present = spec.present or rows[i] > 0
        h = s.pad * 2 + max(rows[i], 1) * s.row_h if present else s.absent_h
        if min_heights and spec.key in min_heights:
            h = max(h, min_heights[spec.key])
        band = BandItem(key=spec.key, label=spec.label, x=0.0, y=y, w=width, h=h, index=i, present=present,
                        role_ids=list(spec.role_ids))
        if spec.tasks is not None:
            band.tasks, band.automated, band.minutes = spec.tasks, spec.automated or 0, spec.minutes
        scene.bands.append(band)
        y += h
    if spec_counts_missing(specs):
        _count_tasks(model, scene.bands, band_of_role, specs)
    scene.width, scene.height = width, y
    scene.header_w, scene.count_w, scene.content_x = header_w, count_w, header_w

    # Nodes.
    centre: dict[str, tuple[float, float]] = {}
    half: dict[str, tuple[float, float]] = {}
    occupied: set[tuple[int, int, int]] = set()
    for n in top:
        b, c, k = node_band[n.id], col[n.id], slot[n.id]
        w, h = node_size(n, s)
        cx = col_x[c] + col_w[c] / 2
        row_top = scene.bands[b].y + s.pad + k * s.row_h
        cy = row_top + s.row_h / 2
        centre[n.id], half[n.id] = (cx, cy), (w / 2, h / 2)
        occupied.add((b, k, c))
        scene.nodes.append(NodeItem(node=n, x=cx - w / 2, y=cy - h / 2, w=w, h=h, band=b,
                                    inner_tasks=inner_tasks.get(n.id, 0)))

    # Edges.
    router = _Router(col_x, col_w, s.gap, occupied)

    def row_corridor(b: int, k: int) -> list[float]:
        band_top = scene.bands[b].y
        row_top = band_top + s.pad + k * s.row_h
        if k == 0:
            return [band_top + 4 + 4.5 * j for j in range(4)]
        return [row_top + 3 + 4.5 * j for j in range(2)]

    row_keys = [(b, k) for b in range(len(specs)) for k in range(max(rows[b], 1))]
    row_index = {key: i for i, key in enumerate(row_keys)}
    nodes_by_id = {n.id: n for n in top}
    for fid, kind, a, bnode, name in pairs:
        (sx, sy), (tx_, ty) = centre[a], centre[bnode]
        (sw, _), (tw, _) = half[a], half[bnode]
        ca, cb = col[a], col[bnode]
        ba, bb = node_band[a], node_band[bnode]
        ka, kb = slot[a], slot[bnode]
        start, end = (sx + sw, sy), (tx_ - tw, ty)
        label_at = None
        ra, rb = row_index[(ba, ka)], row_index[(bb, kb)]
        down = rb > ra
        labelled = nodes_by_id[a].kind in ("event", "gateway") and bool(nodes_by_id[a].name)
        if cb > ca:
            between = row_keys[min(ra, rb) + 1:max(ra, rb)]
            if (ba, ka) == (bb, kb) and router.free(ba, ka, ca + 1, cb):
                pts = [start, end]
                label_at = (start[0] + 4, sy - 5, "start")
            elif (not (down and labelled) and router.free(bb, kb, ca, cb)
                  and all((b_, k_, ca) not in occupied for b_, k_ in between)):
                # A handoff: straight down (or up) out of the source, then right into the target.
                hh = half[a][1]
                port = (sx, sy + hh) if down else (sx, sy - hh)
                pts = [port, (sx, ty), end]
                label_at = (sx + 4, port[1] + (12 if down else -4), "start")
            elif router.free(ba, ka, ca + 1, cb):
                gx = router.gap_x(cb - 1, sy, ty)
                pts = [start, (gx, sy), (gx, ty), end]
                label_at = ((start[0] + 4, sy - 5, "start") if cb - ca > 1
                            else (gx + 4, sy + (14 if ty > sy else -6), "start"))
            elif router.free(bb, kb, ca + 1, cb):
                gx = router.gap_x(ca, sy, ty)
                pts = [start, (gx, sy), (gx, ty), end]
                label_at = (gx + 4, sy + (12 if ty > sy else -6), "start")
            else:
                cy_ = router.track_y((bb, kb), row_corridor(bb, kb), col_x[ca], col_x[cb])
                g1 = router.gap_x(ca, sy, cy_)
                g2 = router.gap_x(cb - 1, cy_, ty)
                pts = [start, (g1, sy), (g1, cy_), (g2, cy_), (g2, ty), end]
                label_at = (g1 + 4, sy + (12 if cy_ > sy else -6), "start")
        else:
            cy_ = router.track_y((bb, kb), row_corridor(bb, kb), col_x[cb] - s.gap, col_x[ca] + col_w[ca])
            g1 = router.gap_x(ca, sy, cy_)
            g2 = router.gap_x(cb - 1, cy_, ty)
            pts = [start, (g1, sy), (g1, cy_), (g2, cy_), (g2, ty), end]
            label_at = (g1 + 4, sy + (12 if cy_ > sy else -6), "start")
        scene.edges.append(EdgeItem(id=fid, kind=kind, points=_simplify(pts), name=name,
                                    label_at=label_at if name else None))
    return scene


def spec_counts_missing(specs: Sequence[BandSpec]) -> bool:
    return any(spec.tasks is None for spec in specs)


def _count_tasks(model: Model, bands: list[BandItem], band_of_role: dict[str, int],
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


def _simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.01 and abs(out[-1][1] - p[1]) < 0.01:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if (abs(x0 - x1) < 0.01 and abs(x1 - p[0]) < 0.01) or (abs(y0 - y1) < 0.01 and abs(y1 - p[1]) < 0.01):
                out[-1] = p
                continue
        out.append(p)
    return out


# -- drawing as the modeller drew it --------------------------------------------------------------

def _clip_to_box(cx: float, cy: float, tx_: float, ty: float, b: Bounds) -> tuple[float, float]:
    """Where the line from the centre of b towards (tx, ty) leaves b."""
    dx, dy = tx_ - cx, ty - cy
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        return cx, cy
    hw, hh = b.width / 2, b.height / 2
    t = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
    return cx + dx * t, cy + dy * t


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
    return _clip_to_box(b.x + b.width / 2, b.y + b.height / 2, px, py, b)


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
    geo = model.geometry
    boxes: dict[int, list[float]] = {}
    for item in (*model.participants, *model.lanes, *model.nodes):
        shape = geo.shapes.get(item.id)
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
        for item in (*model.lanes, *model.nodes):
            ib = at(item.id) if pool.process_id and item.process_id == pool.process_id else None
            if ib is not None and pb.contains(ib):
                extra[item.id] = dy
        placed.append(Bounds(pb.x, pb.y + dy, pb.width, pb.height))
    return extra


def di_scene(model: Model, *, sizes: Sizes = SIZES, role_names: Optional[dict[str, str]] = None) -> Scene:
    """The diagram as drawn in the file: every pool, lane, node and flow that has geometry.

    Files with several diagrams: each element keeps its first position; a diagram that would
    lie on top of an earlier one is drawn below it, and so is a pool drawn over another pool. Waypoints that end far from
    their shapes are re-attached; elements without a position are left out, with a note.
    """
    s = sizes
    scene = Scene(kind="di")
    geo = model.geometry
    shifts = _diagram_shifts(model)
    moved = {it.id: shifts[d] for it in (*model.participants, *model.lanes, *model.nodes)
             if (d := geo.diagram(it.id)) in shifts}
    for eid, dy in _pool_shifts(model, moved).items():
        moved[eid] = moved.get(eid, 0.0) + dy
    if moved:
        scene.notes.append("several diagrams in the file: drawn one under the other")

    def moves(items: Iterable) -> dict[str, float]:
        return {it.id: moved[it.id] for it in items if it.id in moved}

    part_dy, lane_dy, node_dy = moves(model.participants), moves(model.lanes), moves(model.nodes)

    def shifted(b: Optional[Bounds], dy: float) -> Optional[Bounds]:
        if b is None or not dy:
            return b
        return Bounds(x=b.x, y=b.y + dy, width=b.width, height=b.height)

    node_b = {n.id: shifted(geo.bounds(n.id), node_dy.get(n.id, 0.0)) for n in model.nodes}
    part_b = {p.id: shifted(geo.bounds(p.id), part_dy.get(p.id, 0.0)) for p in model.participants}
    lane_b = {la.id: shifted(geo.bounds(la.id), lane_dy.get(la.id, 0.0)) for la in model.lanes}

    def bounds_of(ref: str) -> Optional[Bounds]:
        return node_b.get(ref) if ref in node_b else part_b.get(ref)

    # Flows first: their fixed waypoints count for the picture's extent.
    flows: list[tuple[str, object, list[tuple[float, float]]]] = []
    for kind, group in (("sequence", model.sequence_flows), ("message", model.message_flows)):
        for f in group:
            a, b = bounds_of(f.source), bounds_of(f.target)
            dys = {node_dy.get(f.source, part_dy.get(f.source, 0.0)), node_dy.get(f.target, part_dy.get(f.target, 0.0))}
            waypoints = geo.waypoints(f.id)
            if len(waypoints) >= 2 and len(dys) == 1:
                dy = dys.pop()
                pts = fix_waypoints([(p.x, p.y + dy) for p in waypoints], a, b)
            elif a is not None and b is not None:
                acx, acy = a.x + a.width / 2, a.y + a.height / 2
                bcx, bcy = b.x + b.width / 2, b.y + b.height / 2
                pts = [_clip_to_box(acx, acy, bcx, bcy, a), _clip_to_box(bcx, bcy, acx, acy, b)]
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
        extra = 30.0 if n.kind in ("event", "gateway") and n.name else 0.0
        side = max(0.0, (s.label_w - b.width) / 2) if extra else 0.0
        extend(b, extra, side)
    for _, _, pts in flows:
        for x, y in pts:
            xs.append(x)
            ys.append(y)
    if not xs:
        scene.notes.append("no diagram geometry")
        return scene
    ox, oy = s.margin - min(xs), s.margin - min(ys)
    scene.width, scene.height = max(xs) - min(xs) + 2 * s.margin, max(ys) - min(ys) + 2 * s.margin

    def moved(b: Bounds) -> tuple[float, float, float, float]:
        return b.x + ox, b.y + oy, b.width, b.height

    roles = role_names or {r.id: r.name for r in model.roles}
    with_nodes = {n.process_id for n in model.nodes if node_b[n.id] is not None}
    for p in model.participants:
        b = part_b[p.id]
        if b is not None:
            horizontal = geo.horizontal(p.id) is not False
            x, y, w, h = moved(b)
            empty = p.process_id is None or p.process_id not in with_nodes
            scene.lanes.append(LaneItem(kind="pool", id=p.id, label=p.name, x=x, y=y, w=w, h=h,
                                        horizontal=horizontal, header=0.0 if empty else
                                        min(s.di_header, (w if horizontal else h) / 3),
                                        role=roles.get(p.process_id or "")))
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
                                        role=roles.get(lane.id), depth=depth[lane.id]))
    # Containers: sub-processes with their content drawn inside, and any big activity that
    # has other shapes drawn inside it (a call activity shown expanded).
    containers = {n.parent_id for n in model.nodes if n.parent_id and node_b[n.id] is not None}
    big = [n for n in model.nodes if n.kind in ("subprocess", "call") and node_b[n.id] is not None
           and n.id not in containers and node_b[n.id].width > 150 and node_b[n.id].height > 110]  # type: ignore[union-attr]
    for host in big:
        hb = node_b[host.id]
        assert hb is not None
        if any(o.id != host.id and node_b[o.id] is not None and o.type != "boundaryEvent"
               and hb.contains(node_b[o.id]) for o in model.nodes):  # type: ignore[arg-type]
            containers.add(host.id)
    inner_tasks: dict[str, int] = {}
    for n in model.nodes:
        if n.is_task and n.parent_id:
            inner_tasks[n.parent_id] = inner_tasks.get(n.parent_id, 0) + 1
    ordered = sorted((n for n in model.nodes if node_b[n.id] is not None),
                     key=lambda n: (n.id not in containers, n.kind == "event"))
    for n in ordered:
        x, y, w, h = moved(node_b[n.id])  # type: ignore[arg-type]
        scene.nodes.append(NodeItem(node=n, x=x, y=y, w=w, h=h, expanded=n.id in containers,
                                    inner_tasks=0 if n.id in containers else inner_tasks.get(n.id, 0)))
    for kind, f, pts in flows:
        pts = [(x + ox, y + oy) for x, y in pts]
        label_at = None
        if f.name:  # type: ignore[attr-defined]
            (x0, y0), (x1, y1) = pts[0], pts[1]
            label_at = ((x0 + x1) / 2 + 4, (y0 + y1) / 2 - 5, "start")
        scene.edges.append(EdgeItem(id=f.id, kind=kind, points=pts, name=f.name,  # type: ignore[attr-defined]
                                    label_at=label_at))
    if missing:
        scene.notes.append(f"{missing} elements without a position in the diagram are not drawn")
    return scene


def transplant_scene(model: Model, bands: Sequence[BandSpec], *, sizes: Sizes = SIZES,
                     min_heights: Optional[dict[str, float]] = None, header: bool = True,
                     counts: bool = True) -> Optional[Scene]:
    """Each role's part of the modeller's drawing, moved into its band. None when that cannot be done
    (vertical lanes, a role with nodes but no lane geometry, nodes without geometry)."""
    s = sizes
    geo = model.geometry
    if not model.has_geometry or any(geo.bounds(n.id) is None for n in model.nodes):
        return None
    parts = {p.process_id: p for p in model.participants if p.process_id}
    band_rect: dict[int, tuple[float, float]] = {}
    band_of_role: dict[str, int] = {}
    for i, spec in enumerate(bands):
        ys: list[tuple[float, float]] = []
        for rid in spec.role_ids:
            band_of_role.setdefault(rid, i)
            lane = model.lane_by_id.get(rid)
            if lane is not None:
                lb = geo.bounds(lane.id)
                if lb is None:
                    continue
                if geo.horizontal(lane.id) is False:
                    return None
                ys.append((lb.y, lb.y + lb.height))
            else:
                proc_part = parts.get(rid)
                pb = geo.bounds(proc_part.id) if proc_part is not None else None
                if pb is not None:
                    if geo.horizontal(proc_part.id) is False:  # type: ignore[union-attr]
                        return None
                    ys.append((pb.y, pb.y + pb.height))
        if ys:
            band_rect[i] = (min(a for a, _ in ys), max(b for _, b in ys))
    node_band: dict[str, int] = {}
    for n in model.nodes:
        role = model.role_of(n)
        i = band_of_role.get(role.id) if role else None
        if i is None or i not in band_rect:
            return None
        node_band[n.id] = i
    node_b = {n.id: geo.bounds(n.id) for n in model.nodes}
    nodes = [n for n in model.nodes if node_b[n.id]]
    if not nodes:
        return None
    # Vertical placement: each band's height is its lane's height (or the minimum asked for).
    scene = Scene(kind="transplant")
    header_w = s.header_w if header else 0.0
    count_w = s.count_w if counts else 0.0
    min_x = min(node_b[n.id].x for n in nodes)  # type: ignore[union-attr]
    max_x = max(node_b[n.id].x + node_b[n.id].width for n in nodes)  # type: ignore[union-attr]
    for f in list(model.sequence_flows) + list(model.message_flows):
        for p in geo.waypoints(f.id):
            min_x, max_x = min(min_x, p.x), max(max_x, p.x)
    dx = header_w + s.margin + s.gap / 2 - min_x
    content_right = max_x + dx + s.gap / 2 + s.margin
    width = max(content_right, header_w + 200.0) + count_w
    shift: dict[int, float] = {}
    y = 0.0
    for i, spec in enumerate(bands):
        if i in band_rect:
            y0, y1 = band_rect[i]
            natural = y1 - y0
            present = True
        else:
            natural, present = (s.pad * 2 + s.row_h if spec.present else s.absent_h), spec.present
        h = natural
        if min_heights and spec.key in min_heights:
            h = max(h, min_heights[spec.key])
        if i in band_rect:
            shift[i] = y - band_rect[i][0]
        scene.bands.append(BandItem(key=spec.key, label=spec.label, x=0.0, y=y, w=width, h=h, index=i,
                                    present=present, role_ids=list(spec.role_ids)))
        if spec.tasks is not None:
            scene.bands[-1].tasks, scene.bands[-1].automated = spec.tasks, spec.automated or 0
            scene.bands[-1].minutes = spec.minutes
        y += h
    if spec_counts_missing(bands):
        _count_tasks(model, scene.bands, band_of_role, bands)
    scene.width, scene.height = width, y
    scene.header_w, scene.count_w, scene.content_x = header_w, count_w, header_w
    spans = sorted((band_rect[i][0], band_rect[i][1], i) for i in band_rect)

    def ymap(y_: float, hint: Optional[int] = None) -> float:
        if hint is not None and hint in shift:
            return y_ + shift[hint]
        best, dist = None, float("inf")
        for y0, y1, i in spans:
            if y0 <= y_ <= y1:
                return y_ + shift[i]
            d = min(abs(y_ - y0), abs(y_ - y1))
            if d < dist:
                best, dist = i, d
        return y_ + shift[best] if best is not None else y_

    has_children = {n.parent_id for n in model.nodes if n.parent_id}
    ordered = sorted(nodes, key=lambda n: (n.id not in has_children, n.kind == "event"))
    inner_tasks: dict[str, int] = {}
    for n in model.nodes:
        if n.is_task and n.parent_id:
            inner_tasks[n.parent_id] = inner_tasks.get(n.parent_id, 0) + 1
    for n in ordered:
        b = node_b[n.id]
        assert b is not None
        i = node_band[n.id]
        scene.nodes.append(NodeItem(node=n, x=b.x + dx, y=b.y + shift[i], w=b.width, h=b.height, band=i,
                                    expanded=n.id in has_children,
                                    inner_tasks=0 if n.id in has_children else inner_tasks.get(n.id, 0)))
    by_id = model.node_by_id
    for kind, flows in (("sequence", model.sequence_flows), ("message", model.message_flows)):
        for f in flows:
            a, b = by_id.get(f.source), by_id.get(f.target)
            if a is None or b is None or node_b[a.id] is None or node_b[b.id] is None:
                continue
            ha, hb = node_band[a.id], node_band[b.id]
            wp = geo.waypoints(f.id)
            if len(wp) >= 2:
                pts = [(wp[0].x + dx, ymap(wp[0].y, ha))]
                pts += [(p.x + dx, ymap(p.y)) for p in wp[1:-1]]
                pts.append((wp[-1].x + dx, ymap(wp[-1].y, hb)))
            else:
                ab, bb = node_b[a.id], node_b[b.id]
                acx, acy = ab.x + ab.width / 2, ab.y + ab.height / 2
                bcx, bcy = bb.x + bb.width / 2, bb.y + bb.height / 2
                p0 = _clip_to_box(acx, acy, bcx, bcy, ab)
                p1 = _clip_to_box(bcx, bcy, acx, acy, bb)
                pts = [(p0[0] + dx, p0[1] + shift[ha]), (p1[0] + dx, p1[1] + shift[hb])]
            label_at = None
            if f.name:
                (x0, y0), (x1, y1) = pts[0], pts[1]
                label_at = ((x0 + x1) / 2 + 4, (y0 + y1) / 2 - 5, "start")
            scene.edges.append(EdgeItem(id=f.id, kind=kind, points=pts, name=f.name, label_at=label_at))
    return scene


def summary_scene(model: Optional[Model], bands: Sequence[BandSpec], *, sizes: Sizes = SIZES,
                  min_heights: Optional[dict[str, float]] = None, header: bool = True, counts: bool = True,
                  lines_for: Optional[Sequence[list[str]]] = None) -> Scene:
    """One box per role with its counts: for stages too big to draw readably."""
    s = sizes
    scene = Scene(kind="summary")
    header_w = s.header_w if header else 0.0
    count_w = s.count_w if counts else 0.0
    box_w = 300.0
    width = header_w + s.margin * 2 + s.gap + box_w + count_w
    y = 0.0
    band_of_role = {rid: i for i, spec in enumerate(bands) for rid in spec.role_ids}
    for i, spec in enumerate(bands):
        h = s.pad * 2 + s.row_h if spec.present else s.absent_h
        if min_heights and spec.key in min_heights:
            h = max(h, min_heights[spec.key])
        band = BandItem(key=spec.key, label=spec.label, x=0.0, y=y, w=width, h=h, index=i, present=spec.present,
                        role_ids=list(spec.role_ids))
        if spec.tasks is not None:
            band.tasks, band.automated, band.minutes = spec.tasks, spec.automated or 0, spec.minutes
        scene.bands.append(band)
        y += h
    if model is not None and spec_counts_missing(bands):
        _count_tasks(model, scene.bands, band_of_role, bands)
    for i, band in enumerate(scene.bands):
        if band.present:
            lines = list(lines_for[i]) if lines_for else []
            scene.summaries.append(SummaryItem(band=i, x=header_w + s.margin + s.gap / 2, y=band.y + s.pad,
                                               w=box_w, h=band.h - 2 * s.pad, lines=lines))
    scene.width, scene.height = width, y
    scene.header_w, scene.count_w, scene.content_x = header_w, count_w, header_w
    return scene


def natural_heights(scenes: Iterable[Scene]) -> dict[str, float]:
    """The tallest band of each role over several scenes, to line the stages up."""
    out: dict[str, float] = {}
    for scene in scenes:
        for band in scene.bands:
            out[band.key] = max(out.get(band.key, 0.0), band.h)
    return out

