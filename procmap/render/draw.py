"""Scenes to SVG: bands, lanes, tasks, events, gateways, flows, highlights; one stage as a picture."""

from __future__ import annotations

import hashlib
import math
from itertools import chain
from pathlib import Path
from typing import Mapping, Optional, Sequence, Union

from procmap._gc import paused as no_gc
from procmap.errors import RenderError
from procmap.model.elements import Model
from procmap.render import svg as sv
from procmap.layout import text as tx
from procmap.render.marks import Mark, MarkInput, normalise_marks
from procmap.layout import banded_scene, di_scene, model_bands
from procmap.layout import labels as lb
from procmap.layout.route import midpoint, segment_at_middle
from procmap.layout.scene import (SIZES, ArtifactItem, BandItem, Box, EdgeItem, LaneItem, NodeItem, Scene, Sizes,
                                  SummaryItem)
from procmap.render import notation as nt
from procmap.render.theme import Theme, readable_ink, resolve_theme
from procmap.words import minutes, number, words

LAYOUTS = ("auto", "di", "procmap", "dot")
NOTE_FONT = 10.0  # "fra X" / "til X" under a task that changes role
FLOW_FONT = 10.0  # a flow's name


class Painter:
    """Writes the SVG of scenes with one theme, one language and one set of sizes."""

    def __init__(self, theme: Theme = None, lang: str = "nb", sizes: Sizes = SIZES):
        self.t = resolve_theme(theme)
        self.lang = lang
        self.tx = words(lang)["picture"]
        self.s = sizes
        # Task-type icons are drawn once per look and then referenced (<use>): thousands of tasks
        # share a handful of icons. Per painter, so painters in other threads never share them.
        self._icons: dict[tuple, str] = {}
        self._new_icons: list[str] = []
        self.spots: dict[int, tuple[lb.Spot, str]] = {}  # id() of a flow or a node -> where its text goes, the text
        self.whole_labels = False  # labels without bounds drawn whole (the modeller's drawing), or fitted
        # A poster tries a dozen arrangements and sizes, each painted whole: the same name fitted to the
        # same box is measured once per painter (1 000 role headers x 80 tries took most of a poster's time).
        self._fitted: dict[tuple, tuple[float, list[str]]] = {}

    def fit(self, text: str, w: float, h: float, size: float, min_size: float, **how: object) -> tuple[float, list[str]]:
        """``tx.fit``, remembered per painter."""
        key = (text, w, h, size, min_size, *sorted(how.items()))
        found = self._fitted.get(key)
        if found is None:
            found = self._fitted[key] = tx.fit(text, w, h, size, min_size, **how)  # type: ignore[arg-type]
        return found[0], list(found[1])

    def icon(self, task_type: str, x: float, y: float, ink: str, paper: str, instantiate: bool = False) -> str:
        """A task type's icon at a task's corner (x, y): a reference to one drawing per look."""
        key = (task_type, ink, paper, instantiate)
        ref = self._icons.get(key)
        if ref is None:
            drawn = nt.task_icon(task_type, 0.0, 0.0, ink=ink, paper=paper, instantiate=instantiate)
            if not drawn:
                return ""
            # Named by what it draws: the same in every run, and two pictures in one HTML page that
            # both define it define the same drawing.
            digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:10]
            ref = self._icons[key] = f"pm-icon-{task_type}-{digest}"
            self._new_icons.append(f'<g id="{ref}" class="icon">{drawn}</g>')
        return f'<use href="#{ref}" x="{sv.num(x)}" y="{sv.num(y)}"/>'

    def take_defs(self) -> str:
        """The icon drawings made since last asked, as <defs> (every scene carries the ones it uses first)."""
        if not self._new_icons:
            return ""
        out, self._new_icons = "<defs>" + "".join(self._new_icons) + "</defs>", []
        return out

    # -- whole scene ------------------------------------------------------------------------------
    def scene(self, scene: Scene, marks: Optional[Mapping[str, Mark]] = None, *, band_headers: bool = True) -> str:
        marks = marks or {}
        self.spots = self.free_spots(scene, marks) if scene.kind == "banded" else {}
        self.whole_labels = scene.kind == "di"
        out: list[str] = []
        if scene.bands:
            out.append(self.bands(scene, headers=band_headers and scene.header_w > 0))
        for lane in scene.lanes:
            out.append(self.lane(lane))
        groups = [a for a in scene.artifacts if a.artifact.type == "group"]
        for art in groups:
            out.append(self.artifact(art))
        for item in scene.summaries:
            out.append(self.summary(item))
        containers = [item for item in scene.nodes if item.expanded]
        if containers:  # expanded sub-processes lie under the flows that run inside them
            out.append('<g class="containers">')
            out.extend(self.node(item, marks.get(item.node.id)) for item in containers)
            out.append("</g>")
        out.append('<g class="flows">')
        for edge in scene.edges:
            out.append(self.edge(edge))
        out.append("</g>")
        others = [a for a in scene.artifacts if a.artifact.type != "group"]
        if others:
            out.append('<g class="artifacts">')
            out.extend(self.artifact(art) for art in others)
            out.append("</g>")
        out.append('<g class="nodes">')
        for item in scene.nodes:
            if not item.expanded:
                out.append(self.node(item, marks.get(item.node.id)))
        out.append("</g>")
        labels = [self.edge_label(e) for e in scene.edges if e.name and (e.label_at or e.label)]
        if labels:
            out.append('<g class="flow-labels">' + "".join(labels) + "</g>")
        for caption in scene.captions:
            out.append(f'<g class="caption"{sv.attrs(data_caption_of=caption.of_id)}>'
                       + sv.text(caption.x, caption.y, self.tx[caption.kind].format(name=caption.name),
                                 self.s.label_font * 1.2, fill=self.t["muted"], font_weight="bold") + "</g>")
        out.append(self.take_defs())
        return "".join(out)

    # -- bands (banded scenes) ------------------------------------------------------------------
    def band_fill(self, band: BandItem) -> str:
        if not band.present:
            return str(self.t["absent_fill"])
        return str(self.t["lane_fill_alt"] if band.index % 2 else self.t["lane_fill"])

    def bands(self, scene: Scene, headers: bool = True) -> str:
        out = ['<g class="bands">']
        for band in scene.bands:
            if band.h <= 0:
                continue
            out.append(f'<g class="band{"" if band.present else " absent"}"{sv.attrs(data_role=band.label)}>')
            out.append(sv.rect(band.x, band.y, band.w, band.h, fill=self.band_fill(band)))
            out.append(sv.line(band.x, band.y + band.h, band.x + band.w, band.y + band.h,
                               stroke=self.t["lane_stroke"], stroke_width=1))
            if not band.present:
                left = band.x + scene.header_w + self.s.margin + self.s.gap / 2
                room = band.w - scene.header_w - scene.count_w - 2 * self.s.margin
                size, lines = self.fit(self.tx["not_in_stage"], room, band.h - 6, 12.0, 8.0, max_lines=1)
                out.append(sv.lines_block(left, band.y + band.h / 2, lines, size, anchor="start", x=left,
                                          fill=self.t["absent_ink"], italic=True))
            if band.continued and band.index == 0:  # a folded stage's next part starts here
                out.append(sv.line(band.x, band.y, band.x + band.w, band.y, stroke=self.t["pool_stroke"],
                                   stroke_width=2.5))
            if scene.count_w and not band.continued:
                out.append(self.count_cell(band, band.x + band.w - scene.count_w, scene.count_w))
            out.append("</g>")
        if headers:
            out.append(self.band_headers(scene.bands, 0.0, scene.header_w))
        out.append("</g>")
        return "".join(out)

    def band_headers(self, bands: list[BandItem], x: float, width: float, y_offset: float = 0.0) -> str:
        out = ['<g class="role-headers">']
        for band in bands:
            if band.h <= 0:
                continue
            y = band.y + y_offset
            fill = self.t["header_fill"] if band.present else self.t["absent_fill"]
            out.append(f'<g class="role-header"{sv.attrs(data_role=band.label)}>{sv.title(band.label)}')
            out.append(sv.rect(x, y, width, band.h, fill=fill))
            out.append(sv.line(x, y + band.h, x + width, y + band.h, stroke=self.t["lane_stroke"], stroke_width=1))
            size, lines = self.fit(band.label, width - 20, band.h - 8, self.s.band_font, 8.0, bold=True, max_lines=4)
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
        cls = "pool participant" if pool else "lane"
        out = [f'<g class="{cls}"{sv.attrs(data_id=lane.id, data_element_id=lane.id, data_role=lane.role)}>']
        if lane.label:
            out.append(sv.title(lane.label))
        own_fill, own_stroke = lane.style.fill, lane.style.stroke
        stroke = own_stroke or (self.t["pool_stroke"] if pool else self.t["lane_stroke"])
        out.append(sv.rect(lane.x, lane.y, lane.w, lane.h,
                           fill=own_fill or ("none" if not pool else self.t["lane_fill"]),
                           fill_opacity=0.35 if own_fill and not pool else None,
                           stroke=stroke, stroke_width=1.6 if pool else 1.0))
        if lane.multiple:
            cx, bottom = lane.x + lane.w / 2, lane.y + lane.h
            out.append(sv.path("".join(f"M{sv.num(cx - 4 + 4 * i)} {sv.num(bottom - 14)}V{sv.num(bottom - 3)}"
                                       for i in range(3)), stroke=stroke, stroke_width=2,
                               class_="participantMultiplicity"))
        hd = lane.header
        if pool and hd <= 0:  # a black-box or empty pool: its name in the middle
            if lane.label:
                size, lines = self.fit(lane.label, lane.w - 12, lane.h - 6, 13.0, 7.0, bold=True, max_lines=2)
                out.append(sv.lines_block(lane.x + lane.w / 2, lane.y + lane.h / 2, lines, size, bold=True,
                                          fill=self.t["ink"]))
            out.append("</g>")
            return "".join(out)
        if lane.horizontal:
            out.append(sv.rect(lane.x, lane.y, hd, lane.h, fill=self.t["pool_fill"] if pool else self.t["header_fill"],
                               stroke=self.t["pool_stroke"] if pool else self.t["lane_stroke"],
                               stroke_width=1.0))
            if lane.label and lane.h > 10:
                size, lines = self.fit(lane.label, lane.h - 8, hd - 4, 12.0, 7.0, bold=pool, max_lines=2)
                cx, cy = lane.x + hd / 2, lane.y + lane.h / 2
                inner = sv.lines_block(cx, cy, lines, size, bold=pool, fill=self.t["ink"])
                out.append(f'<g transform="rotate(-90 {sv.num(cx)} {sv.num(cy)})">{inner}</g>')
        else:
            out.append(sv.rect(lane.x, lane.y, lane.w, hd, fill=self.t["pool_fill"] if pool else self.t["header_fill"],
                               stroke=self.t["pool_stroke"] if pool else self.t["lane_stroke"], stroke_width=1.0))
            if lane.label and lane.w > 10:
                size, lines = self.fit(lane.label, lane.w - 8, hd - 4, 12.0, 7.0, bold=pool, max_lines=2)
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
        message, association = edge.kind == "message", edge.kind == "association"
        colour = edge.style.stroke or (self.t["message"] if message or association else self.t["flow"])
        note = edge.notation
        out = [f'<g class="flow {edge.kind} {edge.bpmn_type}"{sv.attrs(data_id=edge.id, data_element_id=edge.id)}>']
        if association:
            out.append(sv.polyline(pts, stroke=colour, stroke_width=1.5, stroke_dasharray="0.5 4.5",
                                   stroke_linecap="round", stroke_linejoin="round"))
            if edge.bpmn_type != "association" or edge.direction in ("One", "Both"):
                (x0, y0), (x1, y1) = pts[-2], pts[-1]
                out.append(self.arrowhead(x0, y0, x1, y1, colour, lines=True))
            if edge.direction == "Both":
                (x0, y0), (x1, y1) = pts[1], pts[0]
                out.append(self.arrowhead(x0, y0, x1, y1, colour, lines=True))
            out.append("</g>")
            return "".join(out)
        out.append(sv.polyline(pts, stroke=colour, stroke_width=1.4, stroke_dasharray="7 4" if message else None,
                               stroke_linejoin="round"))
        if edge.connector:  # where a folded stage goes on: a lettered circle, as an off-page connector
            side, letter = edge.connector.split(":", 1)
            cx, cy = pts[-1] if side == "out" else pts[0]
            r = 7.5
            cx += r if side == "out" else -r
            out.append(sv.circle(cx, cy, r, fill="#ffffff", stroke=colour, stroke_width=1.4))
            out.append(sv.text(cx, cy + 3.5, letter, 10, text_anchor="middle", font_weight="bold", fill=colour))
            if side == "in":
                (x0, y0), (x1, y1) = pts[-2], pts[-1]
                out.append(self.arrowhead(x0, y0, x1, y1, colour, open_=message))
            out.append("</g>")
            return "".join(out)
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        out.append(self.arrowhead(x0, y0, x1, y1, colour, open_=message))
        if message:
            out.append(sv.circle(pts[0][0], pts[0][1], 3.5, fill="#ffffff", stroke=colour, stroke_width=1.2))
            if (note and note.message) or edge.style.message_kind:
                mx, my = midpoint(pts)
                out.append(nt.envelope(mx, my, ink=str(colour), paper="#ffffff",
                                       initiating=edge.style.message_kind != "non_initiating"))
                if note and note.message_name:
                    out.append(self.message_label(note.message_name, pts, mx, my))
        elif note and note.default:
            out.append(nt.flow_start_marker("default", pts, ink=str(colour), paper="#ffffff"))
        elif note and note.conditional and edge.from_activity:
            out.append(nt.flow_start_marker("conditional", pts, ink=str(colour), paper="#ffffff"))
        out.append("</g>")
        return "".join(out)

    def message_label(self, name: str, pts: list[tuple[float, float]], mx: float, my: float) -> str:
        """The message's name beside its envelope, where the line does not run: under the envelope of a
        flow that runs across, right of it when the flow runs up or down, and in the free corner on the
        right of a slanting one (as external labels: the label font, wrapped to about 90 units)."""
        size, gap = self.s.label_font, 4.0
        lines = tx.label_lines(name, size)
        block_h = len(lines) * size * 1.2
        (ax, ay), (bx, by) = segment_at_middle(pts)
        dx, dy = bx - ax, by - ay
        right = mx + 10 + gap  # the envelope is 20 x 14 around (mx, my)
        if abs(dx) > 2 * abs(dy):  # across: under the envelope
            block = sv.lines_block(mx, 0, lines, size, top=my + 7 + gap, fill=self.t["muted"], line_height=1.2)
        else:
            if abs(dy) > 2 * abs(dx):  # up or down: on the right, level with the envelope
                top = my - block_h / 2
            elif dx * dy > 0:  # down to the right (or up to the left): the upper right corner is free
                top = my - 7 - block_h
            else:  # the lower right corner is free
                top = my + 7
            block = sv.lines_block(0, 0, lines, size, top=top, anchor="start", x=right, fill=self.t["muted"],
                                   line_height=1.2)
        return f'<g class="label message-label">{block}</g>'

    def arrowhead(self, x0: float, y0: float, x1: float, y1: float, colour: object, open_: bool = False,
                  lines: bool = False) -> str:
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        if length < 1e-6:
            return ""
        ux, uy = dx / length, dy / length
        nx, ny = -uy, ux
        size, half = 9.0, 4.2
        bx, by = x1 - ux * size, y1 - uy * size
        if lines:  # an association's open arrow: two strokes
            return sv.polyline([(bx + nx * half, by + ny * half), (x1, y1), (bx - nx * half, by - ny * half)],
                               stroke=colour, stroke_width=1.3)
        pts = [(x1, y1), (bx + nx * half, by + ny * half), (bx - nx * half, by - ny * half)]
        return sv.polygon(pts, fill="#ffffff" if open_ else colour, stroke=colour, stroke_width=1.0)

    def edge_label(self, edge: EdgeItem) -> str:
        if edge.label is not None:
            return self.boxed_label(edge.name, edge.label, _text_colour(edge.style, self.t["muted"]), edge.id)
        assert edge.label_at is not None
        if self.whole_labels:  # the modeller's drawing: the whole name, wrapped as bpmn.io wraps a label
            (x, y, anchor), lines = edge.label_at, tx.external_lines(edge.name, FLOW_FONT, 90.0, 4)
        else:  # procmap's layout: at the spot found free, as long as fits there
            (x, y, anchor), value = self.spots.get(id(edge), (edge.label_at, _flow_name(edge)))
            lines = [value]
        out = []
        for k, line in enumerate(lines):
            ly = y + k * FLOW_FONT * 1.2
            out.append(sv.rect(x - 1, ly - 9, tx.width(line, FLOW_FONT) + 2, 12, fill="#ffffff", fill_opacity=0.85)
                       + sv.text(x, ly, line, FLOW_FONT, fill=self.t["muted"], font_style="italic"))
        if lines[-1].endswith("…"):  # cut to fit its spot: the whole name on hover, and for tools reading the SVG
            return f'<g class="flow-name"{sv.attrs(data_label_of=edge.id)}>{sv.title(tx.clean(edge.name))}{"".join(out)}</g>'
        return "".join(out)

    # -- nodes --------------------------------------------------------------------------------------
    def node(self, item: NodeItem, mark: Optional[Mark]) -> str:
        n = item.node
        kinds = mark.token if mark else ""
        note = item.notation
        tokens = ["node", n.kind, n.type, *(note.tokens if note else ())]
        if note and note.triggered_by_event:
            tokens.append("eventSubProcess")
        automated = _automated(item, mark)
        if automated:
            tokens.append("automated")
        head = (f'<g class="{" ".join(tokens)}"' + sv.attrs(data_node_id=n.id, data_element_id=n.id, data_type=n.type,
                                                             data_change=kinds or None,
                                                             data_automated="true" if automated else None) + ">")
        body = [head, sv.title(n.label)]
        if n.kind == "event":
            body.append(self.event(item, mark))
        elif n.kind == "gateway":
            body.append(self.gateway(item, mark))
        else:
            body.append(self.activity(item, mark))
        body.append("</g>")
        return "".join(body)

    def _style(self, item: NodeItem, mark: Optional[Mark]) -> tuple[str, str, float, Optional[str]]:
        """Fill, stroke, stroke width and dashes: the modeller's colours, then procmap's highlights on top."""
        n = item.node
        fill, stroke, width, dash = self.t["task_fill"], self.t["task_stroke"], 1.4, None
        automated = _automated(item, mark)
        if automated:
            fill, stroke, dash = self.t["automated_fill"], self.t["automated_stroke"], "5 3"
        if item.style.fill:
            fill = item.style.fill
        if item.style.stroke:  # the modeller's colour; an automated step keeps its dashes
            stroke = item.style.stroke
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
        if n.kind == "call":
            width = max(width, 3.5)
        return str(fill), str(stroke), width, dash

    def _markers(self, item: NodeItem, collapsed: bool) -> list[str]:
        note, n = item.notation, item.node
        return nt.activity_markers(note.loop if note else None, bool(note and note.sequential),
                                   bool(note and note.for_compensation), collapsed, n.type == "adHocSubProcess")

    def activity(self, item: NodeItem, mark: Optional[Mark]) -> str:
        n = item.node
        note = item.notation
        x, y, w, h = item.x, item.y, item.w, item.h
        out: list[str] = []
        fill, stroke, width, dash = self._style(item, mark)
        if note and note.triggered_by_event:  # an event sub-process: a dotted border
            dash, width = "1 3.5", max(width, 2.0)
        if item.expanded:
            own = item.style.fill
            out.append(sv.rect(x, y, w, h, rx=10, fill=own or "none", fill_opacity=0.25 if own else None,
                               stroke=stroke if (mark or item.style.stroke) else self.t["task_stroke"],
                               stroke_width=width if n.kind == "call" or mark else 1.3, stroke_dasharray=dash,
                               stroke_linecap="round" if dash == "1 3.5" else None))
            if n.type == "transaction":
                out.append(sv.rect(x + 3, y + 3, w - 6, h - 6, rx=7, fill="none", stroke=self.t["task_stroke"],
                                   stroke_width=1.3))
            if n.name:
                label = tx.ellipsize(tx.clean(n.name), w - 16, 11)
                out.append(sv.text(x + 8, y + 15, label, 11, fill=self.t["ink"]))
            out.append(nt.draw_markers(self._markers(item, False), x + w / 2, y + h, ink=stroke, paper=fill))
            return "".join(out)
        out.append(sv.rect(x, y, w, h, rx=min(9.0, h / 5), fill=fill, stroke=stroke, stroke_width=width,
                           stroke_dasharray=dash, stroke_linecap="round" if dash == "1 3.5" else None))
        if n.type == "transaction":
            out.append(sv.rect(x + 3, y + 3, w - 6, h - 6, rx=min(7.0, h / 6), fill="none", stroke=stroke,
                               stroke_width=1.2))
        icon = 0.0
        if w >= 40 and h >= 30 and n.is_task:
            drawn = self.icon(n.type, x, y, readable_ink(stroke, fill), fill, bool(note and note.instantiate))
            if drawn:
                out.append(drawn)
                icon = 14.0 if h >= 70 else 6.0  # a low box: the name may pass the icon's edge
        markers = self._markers(item, n.kind in ("subprocess", "call") and not item.expanded)
        if markers and h >= 30:
            out.append(nt.draw_markers(markers, x + w / 2, y + h, ink=stroke, paper=fill))
        pad = 5.0
        top = y + (icon + 1 if icon else pad)
        bottom = y + h - pad - (16.0 if markers and h >= 30 else 0)
        kinds = mark.kinds if mark else set()
        size, lines = self.fit(n.name, w - 2 * pad, bottom - top, self.s.font, self.s.font_min)
        cy = (top + bottom) / 2
        out.append(sv.lines_block(x + w / 2, cy, lines, size, fill=_text_colour(item.style, self.t["ink"]), class_="name",
                                  strike=str(self.t["removed_stroke"]) if "removed" in kinds else None))
        if "added" in kinds:
            out.append(self.badge(x + w, y, self.tx["new_badge"], str(self.t["added_stroke"])))
        note = self.handoff_note(item, mark)
        if note:
            (nx, ny, anchor), note = self.spots.get(id(item), (_note_spots(item)[0], note))
            out.append(sv.text(nx, ny, note, NOTE_FONT, text_anchor=anchor, font_weight="bold",
                               fill=self.t["moved_stroke"]))
        return "".join(out)

    def handoff_note(self, item: NodeItem, mark: Optional[Mark]) -> str:
        """"til X" under a task that moves to another role, "fra X" under one that came from one ("" for others)."""
        kinds = mark.kinds if mark else set()
        note_text = ""
        if mark and "moved" in kinds and mark.moved_to:
            note_text = self.tx["moved_to"].format(role=mark.moved_to)
        elif mark and "moved_in" in kinds and mark.moved_from:
            note_text = self.tx["moved_from"].format(role=mark.moved_from)
        return tx.ellipsize(note_text, item.w + self.s.gap - 6, NOTE_FONT, True) if note_text else ""

    def free_spots(self, scene: Scene, marks: Mapping[str, Mark]) -> dict[int, tuple[lb.Spot, str]]:
        """Where the handoff notes and flow names of a banded scene go: each at the first of its spots that no
        box, name, line or text placed before covers (notes first: they have fewer spots). A flow's name that
        fits nowhere whole is cut shorter (its end as "…") until it fits, else printed whole where it was."""
        notes = [(item, note) for item in scene.nodes if (note := self.handoff_note(item, marks.get(item.node.id)))]
        named = [edge for edge in scene.edges if edge.name and edge.label_at and edge.label is None]
        if not notes and not named:  # nothing floats: no need to know what is where
            return {}
        taken = lb.Taken()
        for item in scene.nodes:
            taken.add((item.x, item.y, item.w, item.h))
            for box in self._fixed_boxes(item, marks.get(item.node.id)):
                taken.add(box)
        for edge in scene.edges:
            taken.add_line(edge.points)
        out: dict[int, tuple[lb.Spot, str]] = {}
        for item, note in notes:
            spots = _note_spots(item)
            out[id(item)] = (lb.place(taken, spots, tx.width(note, NOTE_FONT, True), NOTE_FONT) or spots[0], note)
        for edge in named:
            out[id(edge)] = _place_flow_name(taken, edge)
        return out

    def _fixed_boxes(self, item: NodeItem, mark: Optional[Mark]) -> list[Box]:
        """Text that stays where it is around a node: the name under an event or a gateway, the "new" badge."""
        out: list[Box] = []
        if item.node.kind in ("event", "gateway") and item.node.name and item.label is None:
            size, lines = self._below(item)
            if lines:
                w = max(tx.width(line, size) for line in lines)
                out.append((item.x + item.w / 2 - w / 2, item.y + item.h + 2, w, len(lines) * size * tx.LINE_HEIGHT))
        if mark and "added" in mark.kinds and item.node.kind not in ("event", "gateway"):
            w = tx.width(self.tx["new_badge"], 10.0, True) + 8
            out.append((item.x + item.w - w + 4, item.y - 8, w, 15.0))
        return out

    def badge(self, right: float, top: float, label: str, colour: str) -> str:
        size = 10.0
        w = tx.width(label, size, True) + 8
        x, y = right - w + 4, top - 8
        return (sv.rect(x, y, w, 15, rx=4, fill=colour)
                + sv.text(x + w / 2, y + 11, label, size, text_anchor="middle", font_weight="bold", fill="#ffffff"))

    def boxed_label(self, text: str, box: Box, colour: object, element_id: Optional[str] = None) -> str:
        """An external label where the modeller put it: wrapped to the box's width, never cut short."""
        x, y, w, h = box
        size = self.s.label_font
        lines = _label_lines(text, w, h, size)
        if not lines:
            return ""
        return (f'<g class="label"{sv.attrs(data_label_of=element_id)}>'
                + sv.lines_block(x + w / 2, 0, lines, size, top=y, fill=colour, line_height=1.2) + "</g>")

    def _label_below(self, item: NodeItem) -> str:
        n = item.node
        if not n.name:
            return ""
        if item.label is not None:
            return self.boxed_label(n.name, item.label, _text_colour(item.style, self.t["ink"]))
        size, lines = self._below(item)
        return sv.lines_block(item.x + item.w / 2, 0, lines, size, top=item.y + item.h + 2,
                              fill=_text_colour(item.style, self.t["ink"]))

    def _below(self, item: NodeItem) -> tuple[float, list[str]]:
        """The size and lines of an event's or a gateway's name under it (where the modeller put none): whole
        in the modeller's drawing, as bpmn.io draws it; in procmap's bands, two lines that fit the row."""
        if self.whole_labels:
            return self.s.label_font, tx.external_lines(item.node.name, self.s.label_font,
                                                        max(self.s.label_w, item.w))
        return self.fit(item.node.name, max(self.s.label_w, item.w), 27, self.s.label_font, 7.5, max_lines=2)

    def _event_colours(self, item: NodeItem, mark: Optional[Mark]) -> tuple[str, str]:
        fill = item.style.fill or self.t["event_fill"]
        stroke = item.style.stroke or self.t["event_stroke"]
        kinds = mark.kinds if mark else set()
        for kind in ("moved_in", "added", "moved", "removed"):
            if kind in kinds:
                key = "moved" if kind == "moved_in" else kind
                fill, stroke = self.t[f"{key}_fill"], self.t[f"{key}_stroke"]
        return str(fill), str(stroke)

    def event(self, item: NodeItem, mark: Optional[Mark] = None) -> str:
        n = item.node
        note = item.notation
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        r = min(item.w, item.h) / 2
        fill, stroke = self._event_colours(item, mark)
        dash = "5 3" if note is not None and not note.interrupting else None
        out = []
        if n.type == "endEvent":
            out.append(sv.circle(cx, cy, r - 1.5, fill=fill, stroke=stroke, stroke_width=3.5))
        elif n.type == "startEvent":
            out.append(sv.circle(cx, cy, r, fill=fill, stroke=stroke, stroke_width=1.6, stroke_dasharray=dash))
        else:
            out.append(sv.circle(cx, cy, r, fill=fill, stroke=stroke, stroke_width=1.3, stroke_dasharray=dash))
            out.append(sv.circle(cx, cy, max(r - 3.5, 1), fill="none", stroke=stroke, stroke_width=1.1,
                                 stroke_dasharray=dash))
        if note and note.event_definitions:
            throw = n.type in ("endEvent", "intermediateThrowEvent", "implicitThrowEvent")
            out.append(nt.event_icon(note.event_definitions, note.parallel_multiple, cx, cy, r, throw=throw,
                                     ink=readable_ink(stroke, fill), paper=fill))
        out.append(self._label_below(item))
        return "".join(out)

    def gateway(self, item: NodeItem, mark: Optional[Mark] = None) -> str:
        n = item.node
        note = item.notation
        cx, cy = item.x + item.w / 2, item.y + item.h / 2
        hw, hh = item.w / 2, item.h / 2
        fill, stroke = self._event_colours(item, mark)
        if not item.style.fill and not mark:
            fill = str(self.t["gateway_fill"])
        out = [sv.polygon([(cx, cy - hh), (cx + hw, cy), (cx, cy + hh), (cx - hw, cy)], fill=fill,
                          stroke=stroke, stroke_width=1.5)]
        out.append(nt.gateway_marker(n.type, cx, cy, item.w, item.h, ink=stroke, paper=fill,
                                     show_x=item.style.marker_visible is not False,
                                     instantiate=bool(note and note.instantiate),
                                     event_type=note.event_gateway_type if note else None))
        out.append(self._label_below(item))
        return "".join(out)

    # -- data, annotations, groups ---------------------------------------------------------------------
    def artifact(self, item: ArtifactItem) -> str:
        a = item.artifact
        x, y, w, h = item.x, item.y, item.w, item.h
        ink = str(item.style.stroke or self.t["task_stroke"])
        paper = str(item.style.fill or "#ffffff")
        out = [f'<g class="artifact {a.type}"{sv.attrs(data_element_id=a.id)}>']
        if a.name:
            out.append(sv.title(a.name))
        if a.type == "group":
            out.append(sv.rect(x, y, w, h, rx=10, fill=item.style.fill or "none",
                               fill_opacity=0.15 if item.style.fill else None, stroke=ink, stroke_width=1.5,
                               stroke_dasharray="10 6 0 6", stroke_linecap="round"))
            if a.name:
                box = item.label or (x, y + 4, w, 20)
                out.append(self.boxed_label(a.name, box, _text_colour(item.style, self.t["ink"])))
        elif a.type == "textAnnotation":
            if item.style.fill:
                out.append(sv.rect(x, y, w, h, fill=item.style.fill, fill_opacity=0.6))
            out.append(nt.annotation_bracket(x, y, h, ink=ink))
            if a.name:
                size = 11.0
                lines = [line for part in a.name.split("\n") for line in (tx.wrap(part, max(w - 10, 30), size) or [])]
                out.append(sv.lines_block(x + 5, 0, lines, size, top=y + 4, anchor="start", x=x + 5,
                                          fill=_text_colour(item.style, self.t["ink"]), line_height=1.2))
        else:
            if a.type == "dataStoreReference":
                out.append(nt.data_store(x, y, w, h, ink=ink, paper=paper))
            else:
                arrow = {"dataInput": "input", "dataOutput": "output"}.get(a.type)
                out.append(nt.data_object(x, y, w, h, ink=ink, paper=paper, collection=a.collection, arrow=arrow))
            if a.name:
                box = item.label or (x + w / 2 - 50, y + h + 4, 100, 30)
                out.append(self.boxed_label(a.name, box, _text_colour(item.style, self.t["ink"])))
        out.append("</g>")
        return "".join(out)


def _text_colour(style: object, default: object) -> object:
    """The colour of an element's text, as bpmn.io picks it: its label's color:color, else the modeller's
    stroke colour, else procmap's."""
    return getattr(style, "label", None) or getattr(style, "stroke", None) or default


def _flow_name(edge: EdgeItem, room: float = 90.0) -> str:
    return tx.ellipsize(tx.clean(edge.name), room, FLOW_FONT)


def _place_flow_name(taken: lb.Taken, edge: EdgeItem) -> tuple[lb.Spot, str]:
    """A flow's name at its first free spot, cut shorter while none is free (see Painter.free_spots)."""
    assert edge.label_at is not None
    for room in (90.0, 60.0, 40.0, 24.0):
        value = _flow_name(edge, room)
        w = tx.width(value, FLOW_FONT) + 2
        spot = lb.place(taken, chain([edge.label_at], lb.along(edge.points, w, FLOW_FONT)), w, FLOW_FONT)
        if spot:
            return spot, value
    return edge.label_at, _flow_name(edge)


def _note_spots(item: NodeItem) -> list[lb.Spot]:
    """A handoff note's spots: centred under its task; beside a line that leaves or enters the task at the
    middle of its bottom (right, then left); above the task, the same three ways."""
    cx = item.x + item.w / 2
    below, above = item.y + item.h + 11, item.y - 4
    return [(cx, below, "middle"), (cx + 4, below, "start"), (cx - 4, below, "end"),
            (cx, above, "middle"), (cx + 4, above, "start"), (cx - 4, above, "end")]


def _label_lines(text: str, w: float, h: float, size: float) -> list[str]:
    """Lines for a label box the modeller sized for their own font: about as many lines as the box
    holds, as wide as needed (a little wider than the box, never cut, words never broken)."""
    want = max(1, round(h / (size * 1.2)))
    width = max(w, size * 3) * 1.15 + 2
    for _ in range(4):
        lines = tx.wrap(text, width, size, break_words=False)
        if lines is not None and len(lines) <= want:
            return lines
        width *= 1.3
    return tx.wrap(text, width, size, break_words=False) or [tx.clean(text)]


# -- icons ----------------------------------------------------------------------------------------------

def gear(cx: float, cy: float, r: float, colour: str, hole: str) -> str:
    """The legend's filled cog wheel for automated steps."""
    return sv.polygon(nt.gear_points(cx, cy, r, 8.0, 13.0, 0.72), fill=colour) + sv.circle(cx, cy, r * 0.3, fill=hole)


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


def _automated(item: NodeItem, mark: Optional[Mark]) -> bool:
    """An automated step: by its BPMN type, or done in a lane the user marked as a machine."""
    return item.node.automated or (mark is not None and mark.by_system)


def used_kinds(scene: Scene, marks: Mapping[str, Mark]) -> set[str]:
    kinds: set[str] = set()
    for item in scene.nodes:
        mark = marks.get(item.node.id)
        if _automated(item, mark):
            kinds.add("automated")
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


def note_lines(painter: Painter, notes: Sequence[str], x: float, y: float, width: float, size: float
               ) -> tuple[str, float]:
    """Notes under a picture, each wrapped to the picture's width (never cut: a note says what the
    picture does not show); returns (svg, height)."""
    out: list[str] = []
    height = 0.0
    for note in notes:
        for line in tx.wrap(note, max(width, 10 * size), size) or [note]:
            out.append(sv.text(x, y + height + size, line, size, fill=painter.t["muted"], font_style="italic",
                               class_="note"))
            height += size * 1.45
        height += size * 0.3
    return "".join(out), height

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
    drawn, h = note_lines(painter, notes, 12.0, y, width - 24, 12.0)
    body.append(drawn)
    y += h
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
