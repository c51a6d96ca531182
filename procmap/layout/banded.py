"""procmap's own banded layout: one horizontal band per role in a given order, the flow left to right.

- ``banded_scene``: nodes placed by longest-path columns (``procmap.layout.route``) or by
  Graphviz ranks, edges by an orthogonal router; for models without geometry and for
  side-by-side pictures where every stage shows the same roles in the same order.
- ``transplant_scene``: the same bands, each role's part of the modeller's drawing kept
  as drawn and moved into its band (horizontal lanes only).
- ``summary_scene``: one box per role with its counts, for stages too big to draw.
"""

from __future__ import annotations

from typing import AbstractSet, Optional, Sequence

from procmap.layout import text as tx
from procmap.layout.dot import rank_nodes
from procmap.layout.route import clip_to_box
from procmap.layout.scene import (
    SIZES,
    UNASSIGNED_KEY,
    BandItem,
    BandSpec,
    EdgeItem,
    NodeItem,
    Scene,
    Sizes,
    SummaryItem,
    count_tasks,
    node_size,
    spec_counts_missing,
)
from procmap.model.elements import FlowNode, Model


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
                 engine: str = "procmap", unassigned_label: str = "(no role)",
                 fold: Optional[int] = None) -> Scene:
    """Lay a model out in horizontal bands, one per BandSpec, flow left to right.

    `engine` "compact" lets a handoff go straight down (or up) into another role's band in the
    same column, so a stage takes fewer columns (for print). `fold` (columns) breaks a long stage
    into parts drawn one under the other, each with every role's band, as a line of text wraps;
    a flow from one part to the next ends and starts at a lettered connector."""
    compact = engine == "compact"
    s = sizes
    scene = Scene(kind="banded")
    notation = model.notation
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
    col = rank_nodes(model, top, [(a, b) for _, _, a, b, _ in pairs], "procmap" if compact else engine,
                     scene.notes)
    used_cols = sorted(set(col.values()))
    remap = {c: i for i, c in enumerate(used_cols)}
    col = {k: remap[v] for k, v in col.items()}
    named = {n.id for n in top if n.kind in ("event", "gateway") and n.name}  # a name printed under the shape
    if compact:
        col = compact_columns(top, col, node_band, pairs, named)
    ncols = max(col.values(), default=-1) + 1
    part_of: dict[str, int] = {}
    nroles = len(specs)
    if fold and ncols > fold > 0:  # parts of about equal length; each part gets every band again
        parts = -(-ncols // fold)
        per = -(-ncols // parts)
        for nid, c in col.items():
            part_of[nid] = c // per
            col[nid] = c % per
            node_band[nid] += part_of[nid] * nroles
        specs = [*specs, *(BandSpec(key=sp.key, label=sp.label, role_ids=list(sp.role_ids), present=sp.present,
                                    tasks=sp.tasks, automated=sp.automated, minutes=sp.minutes)
                           for _ in range(parts - 1) for sp in specs[:nroles])]
        ncols = per

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

    size_of = {n.id: (_fitted(n, s) if compact else node_size(n, s)) for n in top}
    col_w = [0.0] * ncols
    for n in top:
        w, _ = size_of[n.id]
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
        if i >= len(bands) and i >= nroles and rows[i] == 0:
            h = 0.0  # a role with nothing to do in a later part of a folded stage is left out there
        if min_heights and spec.key in min_heights:
            h = max(h, min_heights[spec.key])
        band = BandItem(key=spec.key, label=spec.label, x=0.0, y=y, w=width, h=h, index=i % nroles if nroles else i,
                        present=present, role_ids=list(spec.role_ids), continued=i >= nroles)
        if spec.tasks is not None:
            band.tasks, band.automated, band.minutes = spec.tasks, spec.automated or 0, spec.minutes
        scene.bands.append(band)
        y += h
    if spec_counts_missing(specs):
        count_tasks(model, scene.bands, band_of_role, specs)
    scene.width, scene.height = width, y
    scene.header_w, scene.count_w, scene.content_x = header_w, count_w, header_w

    # Nodes.
    centre: dict[str, tuple[float, float]] = {}
    half: dict[str, tuple[float, float]] = {}
    occupied: set[tuple[int, int, int]] = set()
    for n in top:
        b, c, k = node_band[n.id], col[n.id], slot[n.id]
        w, h = size_of[n.id]
        cx = col_x[c] + col_w[c] / 2
        row_top = scene.bands[b].y + s.pad + k * s.row_h
        cy = row_top + s.row_h / 2
        centre[n.id], half[n.id] = (cx, cy), (w / 2, h / 2)
        occupied.add((b, k, c))
        scene.nodes.append(NodeItem(node=n, x=cx - w / 2, y=cy - h / 2, w=w, h=h, band=b,
                                    inner_tasks=inner_tasks.get(n.id, 0), notation=notation.get(n.id)))

    # Edges.
    router = _Router(col_x, col_w, s.gap, occupied)

    def row_corridor(b: int, k: int) -> list[float]:
        """Tracks for a flow that runs back along a row: above its tallest box, spread out when the strip is
        narrow (print sizes), so that a track never runs through a box."""
        band_top = scene.bands[b].y
        row_top = band_top + s.pad + k * s.row_h
        top, first, n = (band_top, 4.0, 4) if k == 0 else (row_top, 3.0, 2)
        room = row_top + (s.row_h - s.task_h) / 2 - top - 1.0
        if first + 4.5 * (n - 1) <= room:
            return [top + first + 4.5 * j for j in range(n)]
        return [top + room * (j + 1) / (n + 1) for j in range(n)]

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
        if part_of.get(a, 0) != part_of.get(bnode, 0):  # from one part of a folded stage to another
            letter = _letter(sum(1 for e in scene.edges if e.connector and e.connector.startswith("out:")))
            stub = min(8.0, s.gap * 0.3)  # short: the connector sits in the gap next to its node
            for points, conn in (([start, (start[0] + stub, sy)], "out:" + letter),
                                 ([(end[0] - stub, ty), end], "in:" + letter)):
                scene.edges.append(EdgeItem(id=fid, kind=kind, points=points, connector=conn,
                                            notation=notation.get(fid)))
            continue
        upper = a if down else bnode
        if cb == ca and ra != rb and abs(sx - tx_) < 0.5 and upper not in named:  # compact: straight down or up
            ha, hb = half[a][1], half[bnode][1]
            pts = [(sx, sy + ha if down else sy - ha), (sx, ty - hb if down else ty + hb)]
            label_at = (sx + 4, pts[0][1] + (12 if down else -4), "start")
        elif cb > ca:
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
                                    label_at=label_at if name else None, notation=notation.get(fid),
                                    from_activity=nodes_by_id[a].kind in ("task", "subprocess", "call")))
    return scene


def _fitted(n: FlowNode, s: Sizes) -> tuple[float, float]:
    """An activity as wide as its name needs to print at full size in the box's height (print)."""
    w, h = node_size(n, s)
    if n.kind in ("event", "gateway") or not n.name:
        return w, h
    room = int((h - 6.0 - 5.0 - 4.0) // (s.font * tx.LINE_HEIGHT))  # icon, padding, rounding
    for factor in (1.0, 1.15, 1.3, 1.5, 1.75):
        lines = tx.wrap(n.name, w * factor - 12.0, s.font, break_words=False)
        if lines is not None and len(lines) <= max(room, 1):
            return w * factor, h
    return w * 2.0, h


def _letter(k: int) -> str:
    """A, B, ... Z, AA, AB ...: the names of a folded stage's connectors."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def compact_columns(nodes: Sequence[FlowNode], col: dict[str, int], band: dict[str, int],
                    pairs: list[tuple[str, str, str, str, str]], named: AbstractSet[str] = frozenset()
                    ) -> dict[str, int]:
    """Columns where a handoff to another role may stay in its column (drawn straight down or up).

    Nodes are placed in their column order; a node goes in the first column after its
    predecessors in its own band, the same column as a predecessor in another band when the cells
    between are free, and never left of what its band already holds (the flow reads left to right
    in every band). A handoff never goes straight through the name printed under the upper of its two
    shapes (`named`: events and gateways with a name): its target goes one column on. Linear in nodes and flows.
    """
    preds: dict[str, list[str]] = {}
    for _, _, a, b, _ in pairs:
        if col.get(a, 0) < col.get(b, 0):
            preds.setdefault(b, []).append(a)
    order = sorted(nodes, key=lambda n: col[n.id])
    out: dict[str, int] = {}
    taken: set[tuple[int, int]] = set()  # (band, column) holding a node or crossed by a handoff
    last: dict[int, int] = {}
    for n in order:
        b = band[n.id]
        c, vertical_from = last.get(b, -1) + 1, None
        for p in preds.get(n.id, ()):
            if p not in out:
                continue
            if band[p] == b:
                c = max(c, out[p] + 1)
            elif out[p] >= c and (p if band[p] < b else n.id) not in named:
                c, vertical_from = out[p], band[p]
            elif out[p] >= c:
                c = out[p] + 1
        between: list[tuple[int, int]] = []
        if vertical_from is not None:
            lo, hi = sorted((vertical_from, b))
            between = [(k, c) for k in range(lo + 1, hi)]
            if any(cell in taken for cell in between) or (b, c) in taken:
                c, between = c + 1, []
        while (b, c) in taken:
            c += 1
        out[n.id] = c
        taken.add((b, c))
        taken.update(between)
        last[b] = max(last.get(b, -1), c)
    return out


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
        count_tasks(model, scene.bands, band_of_role, bands)
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
                                    expanded=n.id in has_children, notation=model.notation.get(n.id),
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
                p0 = clip_to_box(acx, acy, bcx, bcy, ab)
                p1 = clip_to_box(bcx, bcy, acx, acy, bb)
                pts = [(p0[0] + dx, p0[1] + shift[ha]), (p1[0] + dx, p1[1] + shift[hb])]
            label_at = None
            if f.name:
                (x0, y0), (x1, y1) = pts[0], pts[1]
                label_at = ((x0 + x1) / 2 + 4, (y0 + y1) / 2 - 5, "start")
            scene.edges.append(EdgeItem(id=f.id, kind=kind, points=pts, name=f.name, label_at=label_at,
                                        notation=model.notation.get(f.id),
                                        from_activity=a.kind in ("task", "subprocess", "call")))
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
        count_tasks(model, scene.bands, band_of_role, bands)
    for i, band in enumerate(scene.bands):
        if band.present:
            lines = list(lines_for[i]) if lines_for else []
            scene.summaries.append(SummaryItem(band=i, x=header_w + s.margin + s.gap / 2, y=band.y + s.pad,
                                               w=box_w, h=band.h - 2 * s.pad, lines=lines))
    scene.width, scene.height = width, y
    scene.header_w, scene.count_w, scene.content_x = header_w, count_w, header_w
    return scene
