"""What a picture prints on top of what: text over text, flows through boxes and over text.

Reads a written SVG (not the scene), so it sees what a reader sees: every <text> as a box from its
position, font size and measured width, every node's shape, every flow's polyline, with the
translate/scale of the groups around them applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from procmap.layout import text as tx

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass
class Picture:
    texts: list[tuple[Box, str]] = field(default_factory=list)
    nodes: list[Box] = field(default_factory=list)
    flows: list[list[tuple[float, float]]] = field(default_factory=list)


def _transform(attr: str, m: tuple[float, float, float]) -> tuple[float, float, float]:
    """(scale, dx, dy) after a group's translate/scale."""
    s, dx, dy = m
    for name, args in re.findall(r"(translate|scale)\(([^)]*)\)", attr or ""):
        nums = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if name == "translate":
            dx, dy = dx + s * nums[0], dy + s * (nums[1] if len(nums) > 1 else 0.0)
        else:
            s = s * nums[0]
    return s, dx, dy


def _shape_box(el: etree._Element, m: tuple[float, float, float]) -> Box | None:
    s, dx, dy = m
    tag = el.tag.replace(SVG, "")
    if tag == "rect":
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        x1, y1 = x + float(el.get("width")), y + float(el.get("height"))
    elif tag == "circle":
        cx, cy, r = float(el.get("cx")), float(el.get("cy")), float(el.get("r"))
        x, y, x1, y1 = cx - r, cy - r, cx + r, cy + r
    elif tag == "polygon":
        pts = _points(el.get("points"))
        x, y = min(p[0] for p in pts), min(p[1] for p in pts)
        x1, y1 = max(p[0] for p in pts), max(p[1] for p in pts)
    else:
        return None
    return x * s + dx, y * s + dy, x1 * s + dx, y1 * s + dy


def _points(value: str) -> list[tuple[float, float]]:
    nums = [float(v) for v in re.split(r"[\s,]+", value.strip()) if v]
    return list(zip(nums[::2], nums[1::2]))


def _text_box(el: etree._Element, m: tuple[float, float, float]) -> Box:
    s, dx, dy = m
    size = float(el.get("font-size"))
    value = el.text or ""
    w = tx.width(value, size, el.get("font-weight") == "bold")
    x, y = float(el.get("x")), float(el.get("y"))
    anchor = el.get("text-anchor", "start")
    left = x - (w / 2 if anchor == "middle" else w if anchor == "end" else 0.0)
    top, bottom = y - 0.73 * size, y + 0.2 * size  # capitals to descenders, DejaVu Sans
    return left * s + dx, top * s + dy, (left + w) * s + dx, bottom * s + dy


def read(svg: str) -> Picture:
    """Every text box, node shape and flow line of an SVG, in the document's units."""
    pic = Picture()
    root = etree.fromstring(svg.encode("utf-8"))

    def walk(el: etree._Element, m: tuple[float, float, float], in_flow: bool) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.replace(SVG, "")
            classes = (child.get("class") or "").split()
            cm = _transform(child.get("transform"), m)
            if tag == "text" and not in_flow and (child.text or "").strip():
                pic.texts.append((_text_box(child, cm), child.text))
            elif tag == "g" and "node" in classes and el.get("class") != "containers":
                shape = next((b for b in (_shape_box(c, cm) for c in child) if b), None)
                if shape:
                    pic.nodes.append(shape)
                walk(child, cm, in_flow)
            elif tag == "g" and "flow" in classes and "association" not in classes:
                line = child.find(SVG + "polyline")
                if line is not None:
                    s, dx, dy = cm
                    pic.flows.append([(x * s + dx, y * s + dy) for x, y in _points(line.get("points"))])
                walk(child, cm, True)
            elif tag in ("g", "svg"):
                walk(child, cm, in_flow)

    walk(root, (1.0, 0.0, 0.0), False)
    return pic


def _overlap(a: Box, b: Box, slack: float) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def _hits(p: tuple[float, float], q: tuple[float, float], b: Box, slack: float) -> bool:
    """Whether an axis-parallel (or any) segment runs through the inside of a box shrunk by slack."""
    x0, y0, x1, y1 = b[0] + slack, b[1] + slack, b[2] - slack, b[3] - slack
    if x0 >= x1 or y0 >= y1:
        return False
    t0, t1 = 0.0, 1.0  # Liang-Barsky clipping
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, lo, hi, v in ((dx, x0, x1, p[0]), (dy, y0, y1, p[1])):
        if abs(d) < 1e-9:
            if not lo < v < hi:
                return False
            continue
        a, c = (lo - v) / d, (hi - v) / d
        t0, t1 = max(t0, min(a, c)), min(t1, max(a, c))
    return t1 - t0 > 1e-6


def _near(p: tuple[float, float], b: Box, gap: float = 4.0) -> bool:
    return b[0] - gap <= p[0] <= b[2] + gap and b[1] - gap <= p[1] <= b[3] + gap


def text_overlaps(pic: Picture, slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts printed over each other."""
    boxes = sorted(pic.texts)
    out = []
    for i, (a, ta) in enumerate(boxes):  # sweep over x: texts are few and short
        for b, tb in boxes[i + 1:]:
            if b[0] >= a[2]:
                break
            if _overlap(a, b, slack):
                out.append((ta, tb))
    return out


def flows_through_nodes(pic: Picture, slack: float = 2.0) -> list[tuple[int, Box]]:
    """(flow index, node box) where a flow runs through a node that is not one of its ends."""
    out = []
    for i, pts in enumerate(pic.flows):
        for b in pic.nodes:
            if _near(pts[0], b) or _near(pts[-1], b):
                continue
            if any(_hits(p, q, b, slack) for p, q in zip(pts, pts[1:])):
                out.append((i, b))
    return out


def flows_over_text(pic: Picture, slack: float = 1.0) -> list[tuple[int, str]]:
    """(flow index, text) where a flow's line runs through a text."""
    out = []
    for i, pts in enumerate(pic.flows):
        for b, value in pic.texts:
            if any(_hits(p, q, b, slack) for p, q in zip(pts, pts[1:])):
                out.append((i, value))
    return out


def count(svg: str) -> dict[str, int]:
    pic = read(svg)
    return {"text/text": len(text_overlaps(pic)), "flow/node": len(flows_through_nodes(pic)),
            "flow/text": len(flows_over_text(pic))}
