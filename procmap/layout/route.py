"""Columns and orthogonal routes for procmap's own layout: where a node goes left to right, how an edge runs."""

from __future__ import annotations

import math
from typing import Iterable, Optional

from procmap.model.elements import Bounds, FlowNode, Model, Point
from procmap.model.flow import flow_order


def columns(model: Model, nodes: list[FlowNode],
            edges: Optional[Iterable[tuple[str, str]]] = None) -> dict[str, int]:
    """Column of each node: longest path from a source, ignoring edges that close a loop.

    `edges` (source id, target id) default to the model's sequence flows; the renderer
    adds message flows so that a pool that waits for a message starts after it.
    """
    return flow_order(model, nodes, edges)[0]


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


def clip_to_box(cx: float, cy: float, tx_: float, ty: float, b: Bounds) -> tuple[float, float]:
    """Where the line from the centre of b towards (tx, ty) leaves b."""
    dx, dy = tx_ - cx, ty - cy
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        return cx, cy
    hw, hh = b.width / 2, b.height / 2
    t = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
    return cx + dx * t, cy + dy * t


def midpoint(pts: list[tuple[float, float]]) -> tuple[float, float]:
    """The point halfway along a polyline."""
    (a, b), t = _middle(pts)
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) if t is not None else pts[-1]


def segment_at_middle(pts: list[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The segment of a polyline that holds its midpoint (the last one for a line of no length)."""
    return _middle(pts)[0]


def _middle(pts: list[tuple[float, float]]) -> tuple[tuple[tuple[float, float], tuple[float, float]], Optional[float]]:
    lengths = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(pts, pts[1:])]
    half = sum(lengths) / 2
    for (a, b), length in zip(zip(pts, pts[1:]), lengths):
        if half <= length and length > 0:
            return (a, b), half / length
        half -= length
    return (pts[-2], pts[-1]), None
