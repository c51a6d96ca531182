"""Scenes to SVG: bands, lanes, tasks, events, gateways, flows, highlights; one stage as a picture."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Optional, Union

from procmap._gc import paused as no_gc
from procmap.errors import RenderError
from procmap.model.elements import Model
from procmap.render import svg as sv
from procmap.layout import text as tx
from procmap.render.marks import Mark, MarkInput, normalise_marks
from procmap.layout import banded_scene, di_scene, model_bands
from procmap.layout.scene import SIZES, BandItem, EdgeItem, LaneItem, NodeItem, Scene, Sizes, SummaryItem
from procmap.render.theme import Theme, resolve_theme
from procmap.words import minutes, number, words

LAYOUTS = ("auto", "di", "procmap", "dot")


class Painter:
    """Writes the SVG of scenes with one theme, one language and one set of sizes."""

    def __init__(self, theme: Theme = None, lang: str = "nb", sizes: Sizes = SIZES):
        self.t = resolve_theme(theme)
        self.lang = lang
        self.tx = words(lang)["picture"]
        self.s = sizes

    # -- whole scene ------------------------------------------------------------------------------
    def scene(self, scene: Scene, marks: Optional[Mapping[str, Mark]] = None, *, band_headers: bool = True) -> str:
        marks = marks or {}
        out: list[str] = []
        if scene.bands:
            out.append(self.bands(scene, headers=band_headers and scene.header_w > 0))
        for lane in scene.lanes:
            out.append(self.lane(lane))
        for item in scene.summaries:
            out.append(self.summary(item))
        out.append('<g class="flows">')
        for edge in scene.edges:
            out.append(self.edge(edge))
        out.append("</g>")
        out.append('<g class="nodes">')
        for item in scene.nodes:
            out.append(self.node(item, marks.get(item.node.id)))
        out.append("</g>")
        labels = [self.edge_label(e) for e in scene.edges if e.name and e.label_at]
        if labels:
            out.append('<g class="flow-labels">' + "".join(labels) + "</g>")
        return "".join(out)

    # -- bands (banded scenes) ------------------------------------------------------------------
    def band_fill(self, band: BandItem) -> str:
        if not band.present:
            return str(self.t["absent_fill"])
        return str(self.t["lane_fill_alt"] if band.index % 2 else self.t["lane_fill"])

    def bands(self, scene: Scene, headers: bool = True) -> str:
        out = ['<g class="bands">']
        for band in scene.bands:
            out.append(f'<g class="band{"" if band.present else " absent"}"{sv.attrs(data_role=band.label)}>')
            out.append(sv.rect(band.x, band.y, band.w, band.h, fill=self.band_fill(band)))
            out.append(sv.line(band.x, band.y + band.h, band.x + band.w, band.y + band.h,
                               stroke=self.t["lane_stroke"], stroke_width=1))
            if not band.present:
                left = band.x + scene.header_w + self.s.margin + self.s.gap / 2
                room = band.w - scene.header_w - scene.count_w - 2 * self.s.margin
                size, lines = tx.fit(self.tx["not_in_stage"], room, band.h - 6, 12.0, 8.0, max_lines=1)
                out.append(sv.lines_block(left, band.y + band.h / 2, lines, size, anchor="start", x=left,
                                          fill=self.t["absent_ink"], italic=True))
            if scene.count_w:
                out.append(self.count_cell(band, band.x + band.w - scene.count_w, scene.count_w))
            out.append("</g>")
        if headers:
            out.append(self.band_headers(scene.bands, 0.0, scene.header_w))
        out.append("</g>")
        return "".join(out)

    def band_headers(self, bands: list[BandItem], x: float, width: float, y_offset: float = 0.0) -> str:
        out = ['<g class="role-headers">']
        for band in bands:
            y = band.y + y_offset
            fill = self.t["header_fill"] if band.present else self.t["absent_fill"]
            out.append(f'<g class="role-header"{sv.attrs(data_role=band.label)}>{sv.title(band.label)}')
            out.append(sv.rect(x, y, width, band.h, fill=fill))
            out.append(sv.line(x, y + band.h, x + width, y + band.h, stroke=self.t["lane_stroke"], stroke_width=1))
            size, lines = tx.fit(band.label, width - 20, band.h - 8, self.s.band_font, 8.0, bold=True, max_lines=4)
            out.append(sv.lines_block(x + 12, y + band.h / 2, lines, size, anchor="start", x=x + 12, bold=True,
                                      fill=self.t["ink"] if band.present else self.t["absent_ink"]))
            out.append("</g>")
        out.append(sv.line(x + width, bands[0].y + y_offset if bands else 0, x + width,
                           (bands[-1].y + bands[-1].h + y_offset) if bands else 0,
                           stroke=self.t["lane_stroke"], stroke_width=1.2))
        out.append("</g>")
        return "".join(out)

    def count_cell(self, band: BandItem, x: float, width: float) -> str:
        out = [sv.line(x, band.y + 4, x, band.y + band.h - 4, stroke=self.t["lane_stroke"], stroke_width=0.8,
                       stroke_dasharray="3 3")]
        cx = x + width / 2
        if not band.present:
            out.append(sv.text(cx, band.y + band.h / 2 + 6, "–", 18, text_anchor="middle", fill=self.t["absent_ink"]))
            return "".join(out)
        big = min(28.0, max(12.0, band.h * 0.32))
        unit = self.tx["task"] if band.tasks == 1 else self.tx["tasks"]
        lines = [(number(band.tasks, self.lang), big, True, self.t["ink"])]
        small = min(11.0, big * 0.45)
        lines.append((unit, small, False, self.t["muted"]))
        if band.minutes is not None and band.h > big + 3 * small * 1.3:
            lines.append((f"{minutes(band.minutes, self.lang)} min", small, False, self.t["muted"]))
        if band.automated and band.h > big + 4 * small * 1.3:
            lines.append((self.tx["n_automated"].format(n=band.automated), small, False, self.t["automated_stroke"]))
        total = sum(size * 1.2 for _, size, _, _ in lines)
        y = band.y + band.h / 2 - total / 2
        for value, size, bold, colour in lines:
            value = tx.ellipsize(value, width - 8, size, bold)
            out.append(sv.text(cx, sv.baseline(y, size, 1.2), value, size, text_anchor="middle",
                               font_weight="bold" if bold else None, fill=colour))
            y += size * 1.2
        return "".join(out)

    # -- pools and lanes (as drawn) --------------------------------------------------------------
    def lane(self, lane: LaneItem) -> str:
        pool = lane.kind == "pool"
        out = [f'<g class="{lane.kind}"{sv.attrs(data_id=lane.id, data_role=lane.role)}>']
        if lane.label:
            out.append(sv.title(lane.label))
        out.append(sv.rect(lane.x, lane.y, lane.w, lane.h, fill="none" if not pool else self.t["lane_fill"],
                           stroke=self.t["pool_stroke"] if pool else self.t["lane_stroke"],
                           stroke_width=1.6 if pool else 1.0))
        hd = lane.header
        if pool and hd <= 0:  # a black-box or empty pool: its name in the middle
            if lane.label:
                size, lines = tx.fit(lane.label, lane.w - 12, lane.h - 6, 13.0, 7.0, bold=True, max_lines=2)
                out.append(sv.lines_block(lane.x + lane.w / 2, lane.y + lane.h / 2, lines, size, bold=True,
                                          fill=self.t["ink"]))
            out.append("</g>")
            return "".join(out)
        if lane.horizontal:
            out.append(sv.rect(lane.x, lane.y, hd, lane.h, fill=self.t["pool_fill"] if pool else self.t["header_fill"],
                               stroke=self.t["pool_stroke"] if pool else self.t["lane_stroke"],
                               stroke_width=1.0))
            if lane.label and lane.h > 10:
                size, lines = tx.fit(lane.label, lane.h - 8, hd - 4, 12.0, 7.0, bold=pool, max_lines=2)
                cx, cy = lane.x + hd / 2, lane.y + lane.h / 2
                inner = sv.lines_block(cx, cy, lines, size, bold=pool, fill=self.t["ink"])
                out.append(f'<g transform="rotate(-90 {sv.num(cx)} {sv.num(cy)})">{inner}</g>')
        else:
            out.append(sv.rect(lane.x, lane.y, lane.w, hd, fill=self.t["pool_fill"] if pool else self.t["header_fill"],
                               stroke=self.t["pool_stroke"] if pool else self.t["lane_stroke"], stroke_width=1.0))
            if lane.label and lane.w > 10:
                size, lines = tx.fit(lane.label, lane.w - 8, hd - 4, 12.0, 7.0, bold=pool, max_lines=2)
                out.append(sv.lines_block(lane.x + lane.w / 2, lane.y + hd / 2, lines, size, bold=pool,
                                          fill=self.t["ink"]))
        out.append("</g>")
        return "".join(out)

    def summary(self, item: SummaryItem) -> str:
        out = ['<g class="summary">']
        out.append(sv.rect(item.x, item.y, item.w, item.h, rx=10, fill=self.t["task_fill"],
                           stroke=self.t["task_stroke"], stroke_width=1.4))
        if item.lines:
            first, rest = item.lines[0], item.lines[1:]
            size = min(18.0, item.h / (len(item.lines) + 1))
            small = size * 0.75
            total = size * 1.25 + small * 1.25 * len(rest)
            y = item.y + item.h / 2 - total / 2
            out.append(sv.text(item.x + item.w / 2, sv.baseline(y, size, 1.25),
                               tx.ellipsize(first, item.w - 12, size, True), size, text_anchor="middle",
                               font_weight="bold", fill=self.t["ink"]))
            y += size * 1.25
            for value in rest:
                out.append(sv.text(item.x + item.w / 2, sv.baseline(y, small, 1.25),
                                   tx.ellipsize(value, item.w - 12, small), small, text_anchor="middle",
                                   fill=self.t["muted"]))
                y += small * 1.25
        out.append("</g>")
        return "".join(out)

    # -- flows --------------------------------------------------------------------------------------
    def edge(self, edge: EdgeItem) -> str:
        pts = edge.points
        if len(pts) < 2:
            return ""
        message = edge.kind == "message"
        colour = self.t["message"] if message else self.t["flow"]
        out = [f'<g class="flow {edge.kind}"{sv.attrs(data_id=edge.id)}>']
        out.append(sv.polyline(pts, stroke=colour, stroke_width=1.4, stroke_dasharray="7 4" if message else None,
                               stroke_linejoin="round"))
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        out.append(self.arrowhead(x0, y0, x1, y1, colour, open_=message))
        if message:
            out.append(sv.circle(pts[0][0], pts[0][1], 3.5, fill="#ffffff", stroke=colour, stroke_width=1.2))
        out.append("</g>")
        return "".join(out)

    def arrowhead(self, x0: float, y0: float, x1: float, y1: float, colour: object, open_: bool = False) -> str:
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        if length < 1e-6:
            return ""
        ux, uy = dx / length, dy / length
        nx, ny = -uy, ux
        size, half = 9.0, 4.2
        bx, by = x1 - ux * size, y1 - uy * size
        pts = [(x1, y1), (bx + nx * half, by + ny * half), (bx - nx * half, by - ny * half)]
        return sv.polygon(pts, fill="#ffffff" if open_ else colour, stroke=colour, stroke_width=1.0)

    def edge_label(self, edge: EdgeItem) -> str:
        assert edge.label_at is not None
        x, y, anchor = edge.label_at
        value = tx.ellipsize(tx.clean(edge.name), 90, 10)
        w = tx.width(value, 10)
        return (sv.rect(x - 1, y - 9, w + 2, 12, fill="#ffffff", fill_opacity=0.85)
                + sv.text(x, y, value, 10, fill=self.t["muted"], font_style="italic"))

    # -- nodes --------------------------------------------------------------------------------------
    def node(self, item: NodeItem, mark: Optional[Mark]) -> str:
        n = item.node
        kinds = mark.token if mark else ""
        cls = f"node {n.kind}" + (" automated" if n.automated else "")
        head = (f'<g class="{cls}"' + sv.attrs(data_node_id=n.id, data_type=n.type, data_change=kinds or None,
                                                 data_automated="true" if n.automated else None) + ">")
        body = [head, sv.title(n.label)]
        if n.kind == "event":
            body.append(self.event(item))
        elif n.kind == "gateway":
            body.append(self.gateway(item))
        else:
            body.append(self.activity(item, mark))
        body.append("</g>")
        return "".join(body)

    def _style(self, item: NodeItem, mark: Optional[Mark]) -> tuple[str, str, float, Optional[str]]:
        n = item.node
        fill, stroke, width, dash = self.t["task_fill"], self.t["task_stroke"], 1.4, None
        if n.automated:
            fill, stroke, dash = self.t["automated_fill"], self.t["automated_stroke"], "5 3"
        if n.kind == "call":
            width = 3.5
        kinds = mark.kinds if mark else set()
        if "moved_in" in kinds:
            fill, stroke, width = self.t["moved_fill"], self.t["moved_stroke"], 2.6
        if "added" in kinds:
            fill, stroke, width = self.t["added_fill"], self.t["added_stroke"], 2.8
        if "moved" in kinds:
            fill, stroke, width = self.t["moved_fill"], self.t["moved_stroke"], 2.8
        if "removed" in kinds:
            fill, stroke, width = self.t["removed_fill"], self.t["removed_stroke"], 2.8
        return str(fill), str(stroke), width, dash

    def activity(self, item: NodeItem, mark: Optional[Mark]) -> str:
        n = item.node
        x, y, w, h = item.x, item.y, item.w, item.h
        out: list[str] = []
        if item.expanded:
            out.append(sv.rect(x, y, w, h, rx=10, fill="none", stroke=self.t["task_stroke"], stroke_width=1.3))
            if n.name:
                label = tx.ellipsize(tx.clean(n.name), w - 16, 11)
                out.append(sv.text(x + 8, y + 15, label, 11, fill=self.t["ink"]))
            return "".join(out)
        fill, stroke, width, dash = self._style(item, mark)
        out.append(sv.rect(x, y, w, h, rx=min(9.0, h / 5), fill=fill, stroke=stroke, stroke_width=width,
                           stroke_dasharray=dash))
        icon = 0.0
        if w >= 40 and h >= 30:
            if n.automated:
                out.append(gear(x + 10, y + 10, 6.0, str(self.t["automated_stroke"]), fill))
                icon = 14.0
        if n.kind == "subprocess" or n.kind == "call":
            m = min(12.0, h / 5)
            mx, my = x + w / 2 - m / 2, y + h - m - 3
            out.append(sv.rect(mx, my, m, m, fill="none", stroke=stroke, stroke_width=1))
            out.append(sv.line(mx + 2.5, my + m / 2, mx + m - 2.5, my + m / 2, stroke=stroke, stroke_width=1))
            out.append(sv.line(mx + m / 2, my + 2.5, mx + m / 2, my + m - 2.5, stroke=stroke, stroke_width=1))
        pad = 5.0
        top = y + (icon + 1 if icon else pad)
        bottom = y + h - pad - (min(12.0, h / 5) + 2 if n.kind in ("subprocess", "call") else 0)
        kinds = mark.kinds if mark else set()
        size, lines = tx.fit(n.name, w - 2 * pad, bottom - top, self.s.font, self.s.font_min)
        cy = (top + bottom) / 2
        out.append(sv.lines_block(x + w / 2, cy, lines, size, fill=self.t["ink"],
                                  strike=str(self.t["removed_stroke"]) if "removed" in kinds else None))
        if "added" in kinds:
            out.append(self.badge(x + w, y, self.tx["new_badge"], str(self.t["added_stroke"])))
        note = None
        if mark and "moved" in kinds and mark.moved_to:
            note = self.tx["moved_to"].format(role=mark.moved_to)
        elif mark and "moved_in" in kinds and mark.moved_from:
            note = self.tx["moved_from"].format(role=mark.moved_from)
        if note:
            size = 10.0
            value = tx.ellipsize(note, w + self.s.gap - 6, size, True)
            out.append(sv.text(x + w / 2, y + h + 11, value, size, text_anchor="middle", font_weight="bold",
                               fill=self.t["moved_stroke"]))
        return "".join(out)

    def badge(self, right: float, top: float, label: str, colour: str) -> str:
        size = 10.0
        w = tx.width(label, size, True) + 8
        x, y = right - w + 4, top - 8
        return (sv.rect(x, y, w, 15, rx=4, fill=colour)
                + sv.text(x + w / 2, y + 11, label, size, text_anchor="middle", font_weight="bold", fill="#ffffff"))

    def _label_below(self, item: NodeItem) -> str:
        n = item.node
        if not n.name:
            return ""
        w = max(self.s.label_w, item.w)
        size, lines = tx.fit(n.name, w, 27, self.s.label_font, 7.5, max_lines=2)
        return sv.lines_block(item.x + item.w / 2, 0, lines, size, top=item.y + item.h + 2, fill=self.t["ink"])

    def event(self, item: NodeItem) -> str:
        n = item.node
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        r = min(item.w, item.h) / 2
        stroke = self.t["event_stroke"]
        out = []
        if n.type == "endEvent":
            out.append(sv.circle(cx, cy, r - 1.5, fill=self.t["event_fill"], stroke=stroke, stroke_width=3.5))
        elif n.type == "startEvent":
            out.append(sv.circle(cx, cy, r, fill=self.t["event_fill"], stroke=stroke, stroke_width=1.6))
        else:
            out.append(sv.circle(cx, cy, r, fill=self.t["event_fill"], stroke=stroke, stroke_width=1.3))
            out.append(sv.circle(cx, cy, max(r - 3.5, 1), fill="none", stroke=stroke, stroke_width=1.1))
        out.append(self._label_below(item))
        return "".join(out)

    def gateway(self, item: NodeItem) -> str:
        n = item.node
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        hw, hh = item.w / 2, item.h / 2
        stroke = self.t["event_stroke"]
        out = [sv.polygon([(cx, cy - hh), (cx + hw, cy), (cx, cy + hh), (cx - hw, cy)], fill=self.t["gateway_fill"],
                          stroke=stroke, stroke_width=1.5)]
        m = min(hw, hh) * 0.42
        if n.type == "parallelGateway":
            out.append(sv.path(f"M{sv.num(cx - m)} {sv.num(cy)}H{sv.num(cx + m)}M{sv.num(cx)} {sv.num(cy - m)}"
                               f"V{sv.num(cy + m)}", stroke=stroke, stroke_width=3))
        elif n.type == "inclusiveGateway":
            out.append(sv.circle(cx, cy, m, fill="none", stroke=stroke, stroke_width=2.5))
        elif n.type == "eventBasedGateway":
            out.append(sv.circle(cx, cy, m, fill="none", stroke=stroke, stroke_width=1.2))
            out.append(sv.circle(cx, cy, m * 0.75, fill="none", stroke=stroke, stroke_width=1.0))
        elif n.type == "complexGateway":
            out.append(sv.path(f"M{sv.num(cx - m)} {sv.num(cy)}H{sv.num(cx + m)}M{sv.num(cx)} {sv.num(cy - m)}"
                               f"V{sv.num(cy + m)}M{sv.num(cx - m * .7)} {sv.num(cy - m * .7)}"
                               f"L{sv.num(cx + m * .7)} {sv.num(cy + m * .7)}M{sv.num(cx + m * .7)} "
                               f"{sv.num(cy - m * .7)}L{sv.num(cx - m * .7)} {sv.num(cy + m * .7)}",
                               stroke=stroke, stroke_width=2.2))
        else:
            k = m * 0.8
            out.append(sv.path(f"M{sv.num(cx - k)} {sv.num(cy - k)}L{sv.num(cx + k)} {sv.num(cy + k)}"
                               f"M{sv.num(cx + k)} {sv.num(cy - k)}L{sv.num(cx - k)} {sv.num(cy + k)}",
                               stroke=stroke, stroke_width=3))
        out.append(self._label_below(item))
        return "".join(out)


# -- icons ----------------------------------------------------------------------------------------------

def gear(cx: float, cy: float, r: float, colour: str, hole: str) -> str:
    pts = []
    for k in range(8):
        a = math.radians(k * 45)
        for da, rr in ((-13, 0.72), (-8, 1.0), (8, 1.0), (13, 0.72)):
            t = a + math.radians(da)
            pts.append((cx + r * rr * math.cos(t), cy + r * rr * math.sin(t)))
    return sv.polygon(pts, fill=colour) + sv.circle(cx, cy, r * 0.3, fill=hole)


# -- legend ----------------------------------------------------------------------------------------------

def legend_items(kinds: set[str]) -> list[str]:
    """Legend entries to show, in a fixed order, given the styles that occur."""
    order = ["task", "automated", "removed", "added", "moved", "moved_in", "absent"]
    return [k for k in order if k in kinds or k == "task"]


def legend_width(painter: Painter, kinds: set[str], size: float = 13.0) -> float:
    """Width of the legend in one row."""
    return sum(size * 3.0 + size * 0.5 + tx.width(painter.tx[f"legend_{k}"], size) + size * 1.2
               for k in legend_items(kinds))


def legend(painter: Painter, kinds: set[str], width: float, size: float = 13.0) -> tuple[str, float]:
    """A legend in rows that fit `width`; returns (svg, height)."""
    t, labels = painter.t, painter.tx
    items = legend_items(kinds)
    sw_w, sw_h = size * 3.0, size * 1.7
    pad = size * 0.8
    cells: list[tuple[str, float]] = []
    for k in items:
        label = labels[f"legend_{k}"]
        cells.append((k, sw_w + size * 0.5 + tx.width(label, size) + pad * 1.5))
    rows: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for cell in cells:
        if rows[-1] and used + cell[1] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(cell)
        used += cell[1]
    out = ['<g class="legend">']
    y = 0.0
    for row in rows:
        x = 0.0
        for k, w in row:
            label = labels[f"legend_{k}"]
            out.append(f'<g class="legend-item"{sv.attrs(data_kind=k)}>')
            out.append(_swatch(painter, k, x, y, sw_w, sw_h))
            out.append(sv.text(x + sw_w + size * 0.5, y + sw_h / 2 + size * 0.36, label, size, fill=t["ink"]))
            out.append("</g>")
            x += w
        y += sw_h + pad
    out.append("</g>")
    return "".join(out), y - pad


def _swatch(painter: Painter, kind: str, x: float, y: float, w: float, h: float) -> str:
    t = painter.t
    if kind == "absent":
        return sv.rect(x, y, w, h, fill=t["absent_fill"], stroke=t["lane_stroke"], stroke_width=0.8)
    fill, stroke, width, dash = t["task_fill"], t["task_stroke"], 1.4, None
    if kind == "automated":
        fill, stroke, dash = t["automated_fill"], t["automated_stroke"], "5 3"
    elif kind in ("removed", "added", "moved", "moved_in"):
        key = "moved" if kind == "moved_in" else kind
        fill, stroke, width = t[f"{key}_fill"], t[f"{key}_stroke"], 2.4
    out = [sv.rect(x + 1, y + 1, w - 2, h - 2, rx=4, fill=fill, stroke=stroke, stroke_width=width,
                   stroke_dasharray=dash)]
    if kind == "automated":
        out.append(gear(x + h / 2 + 1, y + h / 2, h * 0.28, str(stroke), str(fill)))
    if kind == "removed":
        out.append(sv.line(x + 5, y + h / 2, x + w - 5, y + h / 2, stroke=stroke, stroke_width=1.8))
    if kind == "added":
        out.append(painter.badge(x + w, y + 2, painter.tx["new_badge"], str(stroke)))
    if kind in ("moved", "moved_in"):
        out.append(sv.text(x + w / 2, y + h / 2 + 4, "→" if kind == "moved" else "←", h * 0.6, text_anchor="middle",
                           font_weight="bold", fill=stroke))
    return "".join(out)


def used_kinds(scene: Scene, marks: Mapping[str, Mark]) -> set[str]:
    kinds: set[str] = set()
    for item in scene.nodes:
        if item.node.automated:
            kinds.add("automated")
        mark = marks.get(item.node.id)
        if mark:
            kinds |= mark.kinds
    if any(not b.present for b in scene.bands):
        kinds.add("absent")
    return kinds


# -- one stage --------------------------------------------------------------------------------------

def require_drawing(model: Model, layout: str) -> None:
    """layout='di' promises the modeller's own drawing: refuse a model whose file has none."""
    if layout == "di" and not model.has_geometry:
        raise RenderError("has no diagram drawn in the modelling tool (BPMNDI) to show with --layout di; "
                          "use --layout auto or procmap", source=model.source)


def stage_scene(model: Model, *, layout: str = "auto", sizes: Sizes = SIZES, lang: str = "nb") -> Scene:
    """The scene of one stage: as drawn when the file has geometry, else banded."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    require_drawing(model, layout)
    if layout in ("auto", "di") and model.has_geometry:
        scene = di_scene(model, sizes=sizes)
        if scene.nodes or scene.lanes or layout == "di":
            return scene
    return banded_scene(model, model_bands(model), sizes=sizes, engine="dot" if layout == "dot" else "procmap",
                        unassigned_label=words(lang)["picture"]["unassigned"])


def stage_svg(model: Model, *, changes: Optional[Mapping[str, MarkInput]] = None, theme: Theme = None,
              lang: str = "nb", layout: str = "auto", show_legend: bool = True, title: Optional[str] = None) -> str:
    """One stage as a swimlane diagram (a complete SVG document).

    `changes` maps node ids to highlights ('removed', 'added', 'moved', 'moved_in', or a Mark);
    see ``stage_marks`` to get them from a Comparison. `layout`: 'auto' (the file's
    geometry when it has some, else the built-in banded layout), 'di', 'procmap' or 'dot'.
    """
    if not isinstance(model, Model):
        raise ValueError("model must be a procmap Model (use procmap.read)")
    if not model.nodes and not model.lanes and not model.participants:
        raise RenderError(f"{model.source}: nothing to draw: the file holds no process, pool or lane")
    painter = Painter(theme, lang)
    marks = normalise_marks(changes)
    with no_gc():
        scene = stage_scene(model, layout=layout, lang=lang)
        body = [f'<g class="stage"{sv.attrs(data_stage=model.stage or model.name or None)}>',
                painter.scene(scene, marks), "</g>"]
    width, height = max(scene.width, 320.0), scene.height
    y = height + 10
    notes = [painter.tx["not_drawn"].format(n=note.split(" ")[0]) if note.endswith("not drawn") else
             painter.tx["several_diagrams"] if note.startswith("several diagrams") else note
             for note in scene.notes]
    for note in notes:
        body.append(sv.text(12, y + 12, note, 12, fill=painter.t["muted"], font_style="italic",
                            class_="note"))
        y += 18
    if show_legend:
        svg_legend, h = legend(painter, used_kinds(scene, marks), width - 24, 12.0)
        body.append(f'<g transform="translate(12 {sv.num(y + 6)})">{svg_legend}</g>')
        y += h + 18
    height = y
    return sv.document("".join(body), width, height, font=str(painter.t["font"]),
                       background=str(painter.t["background"]), title_text=title or model.name or None)


# -- notebooks and files ---------------------------------------------------------------------------

class Diagram:
    """A picture (SVG) that shows itself in a notebook and saves as .svg, .pdf or .png."""

    def __init__(self, svg: str):
        self.svg = svg

    def __str__(self) -> str:
        return self.svg

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_png_(self) -> bytes:
        from procmap.render.export import svg_to_png

        return svg_to_png(self.svg)

    def save(self, path: Union[str, Path], **kw: object) -> Path:
        from procmap.render.export import save

        return save(self.svg, path, **kw)


def draw(model: Union[Model, str, Path], *, changes: Optional[Mapping[str, MarkInput]] = None, theme: Theme = None,
         lang: str = "nb", layout: str = "auto") -> Diagram:
    """One stage as a Diagram (shows in a notebook; ``.save("x.png")``). A path is read first."""
    if isinstance(model, (str, Path)):
        from procmap.bpmn.reader import read

        model = read(model)
    return Diagram(stage_svg(model, changes=changes, theme=theme, lang=lang, layout=layout))
