"""BPMN notation as SVG: task-type icons, event definitions, gateway markers, activity markers,
flow markers and the data and annotation shapes.

Shapes and proportions follow the BPMN 2.0 spec's notation as bpmn.io draws it (read from its
open source renderer); the drawing code is procmap's own. Every function returns SVG text in
scene units; colours are passed in, so procmap's theme, the modeller's colours and the change
highlights all go through the same code.
"""

from __future__ import annotations

import math
from typing import Optional

from procmap.render import svg as sv

n = sv.num


def _poly(points: list[tuple[float, float]], **kw: object) -> str:
    return sv.polygon(points, **kw)


def _rotated(points: list[tuple[float, float]], cx: float, cy: float, degrees: float) -> list[tuple[float, float]]:
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in points]


def _plus(cx: float, cy: float, arm: float, half: float) -> list[tuple[float, float]]:
    """A plus sign as one outline: arms of length `arm` from the centre, `half` their half width."""
    return [(cx - half, cy - arm), (cx + half, cy - arm), (cx + half, cy - half), (cx + arm, cy - half),
            (cx + arm, cy + half), (cx + half, cy + half), (cx + half, cy + arm), (cx - half, cy + arm),
            (cx - half, cy + half), (cx - arm, cy + half), (cx - arm, cy - half), (cx - half, cy - half)]


def _regular(cx: float, cy: float, r: float, corners: int, start: float = -90.0) -> list[tuple[float, float]]:
    return [(cx + r * math.cos(math.radians(start + k * 360 / corners)),
             cy + r * math.sin(math.radians(start + k * 360 / corners))) for k in range(corners)]


# -- event definitions --------------------------------------------------------------------------------

def event_icon(definitions: tuple[str, ...], parallel: bool, cx: float, cy: float, r: float, *, throw: bool,
               ink: str, paper: str) -> str:
    """The marker inside an event: filled (`ink`) when it throws, outlined when it catches.

    Several definitions are drawn as the spec's multiple (pentagon) or parallel multiple (plus).
    """
    if not definitions:
        return ""
    k = r / 18.0  # drawn for a 36 px event, scaled
    fill = ink if throw else paper
    line = dict(stroke=ink, stroke_width=1, stroke_linejoin="round")
    kind = definitions[0] if len(definitions) == 1 else ("parallelMultiple" if parallel else "multiple")
    if kind == "messageEventDefinition":
        x0, y0, w, h = cx - 9.5 * k, cy - 6.5 * k, 19 * k, 13 * k
        flap = f"M{n(x0)} {n(y0)}L{n(cx)} {n(y0 + 7 * k)}L{n(x0 + w)} {n(y0)}"
        return (sv.rect(x0, y0, w, h, fill=fill, **line)
                + sv.path(flap, fill="none", stroke=paper if throw else ink, stroke_width=1))
    if kind == "timerEventDefinition":
        rr = 7.6 * k
        ticks = "".join(f"M{n(cx + rr * 0.78 * math.cos(a))} {n(cy + rr * 0.78 * math.sin(a))}"
                        f"L{n(cx + rr * math.cos(a))} {n(cy + rr * math.sin(a))}"
                        for a in (math.radians(d) for d in range(0, 360, 30)))
        hands = f"M{n(cx)} {n(cy)}L{n(cx + 1.2 * k)} {n(cy - 5.6 * k)}M{n(cx)} {n(cy)}L{n(cx + 4 * k)} {n(cy + 0.8 * k)}"
        return (sv.circle(cx, cy, rr, fill=paper, stroke=ink, stroke_width=1.6)
                + sv.path(ticks + hands, fill="none", stroke=ink, stroke_width=1))
    if kind == "signalEventDefinition":
        return _poly([(cx, cy - 9 * k), (cx + 8.5 * k, cy + 6 * k), (cx - 8.5 * k, cy + 6 * k)], fill=fill, **line)
    if kind == "escalationEventDefinition":
        return _poly([(cx, cy - 10 * k), (cx + 7 * k, cy + 9 * k), (cx, cy + 2 * k), (cx - 7 * k, cy + 9 * k)],
                     fill=fill, **line)
    if kind == "conditionalEventDefinition":
        x0, y0, w, h = cx - 6.5 * k, cy - 8.5 * k, 13 * k, 17 * k
        rules = "".join(f"M{n(x0 + 2.5 * k)} {n(y0 + (3 + 3 * i) * k)}H{n(x0 + w - 2.5 * k)}" for i in range(4))
        return sv.rect(x0, y0, w, h, fill=paper, **line) + sv.path(rules, stroke=ink, stroke_width=1)
    if kind == "linkEventDefinition":
        return _poly([(cx - 8 * k, cy - 3 * k), (cx + 1 * k, cy - 3 * k), (cx + 1 * k, cy - 8 * k), (cx + 9 * k, cy),
                      (cx + 1 * k, cy + 8 * k), (cx + 1 * k, cy + 3 * k), (cx - 8 * k, cy + 3 * k)], fill=fill, **line)
    if kind == "errorEventDefinition":
        return _poly([(cx - 8 * k, cy + 9 * k), (cx - 3.5 * k, cy - 7 * k), (cx + 2 * k, cy + 1.5 * k),
                      (cx + 8 * k, cy - 9 * k), (cx + 3.5 * k, cy + 7 * k), (cx - 2 * k, cy - 1.5 * k)],
                     fill=fill, **line)
    if kind == "cancelEventDefinition":
        return _poly(_rotated(_plus(cx, cy, 10 * k, 2.6 * k), cx, cy, 45), fill=ink if throw else "none", **line)
    if kind == "compensateEventDefinition":
        return (_poly([(cx - 9 * k, cy), (cx - 0.5 * k, cy - 6.5 * k), (cx - 0.5 * k, cy + 6.5 * k)], fill=fill, **line)
                + _poly([(cx - 0.5 * k, cy), (cx + 8 * k, cy - 6.5 * k), (cx + 8 * k, cy + 6.5 * k)], fill=fill, **line))
    if kind == "terminateEventDefinition":
        return sv.circle(cx, cy, 9 * k, fill=ink, stroke=ink, stroke_width=1)
    if kind == "parallelMultiple":
        return _poly(_plus(cx, cy, 9.5 * k, 3 * k), fill=paper, **line)
    if kind == "multiple":
        return _poly(_regular(cx, cy + 0.5 * k, 9 * k, 5), fill=fill, **line)
    return ""


# -- gateways -------------------------------------------------------------------------------------------

def gateway_marker(gateway: str, cx: float, cy: float, w: float, h: float, *, ink: str, paper: str,
                   show_x: bool, instantiate: bool = False, event_type: Optional[str] = None) -> str:
    """The marker inside a gateway's diamond, sized to the diamond."""
    m = min(w, h)
    if gateway == "exclusiveGateway":
        if not show_x:
            return ""
        k = m * 0.17
        return sv.path(f"M{n(cx - k)} {n(cy - k)}L{n(cx + k)} {n(cy + k)}M{n(cx + k)} {n(cy - k)}L{n(cx - k)} {n(cy + k)}",
                       stroke=ink, stroke_width=m * 0.09, stroke_linecap="butt")
    if gateway == "parallelGateway":
        k = m * 0.26
        return sv.path(f"M{n(cx - k)} {n(cy)}H{n(cx + k)}M{n(cx)} {n(cy - k)}V{n(cy + k)}",
                       stroke=ink, stroke_width=m * 0.09)
    if gateway == "inclusiveGateway":
        return sv.circle(cx, cy, m * 0.24, fill="none", stroke=ink, stroke_width=m * 0.05)
    if gateway == "complexGateway":
        k, d = m * 0.26, m * 0.26 * 0.72
        return sv.path(f"M{n(cx - k)} {n(cy)}H{n(cx + k)}M{n(cx)} {n(cy - k)}V{n(cy + k)}"
                       f"M{n(cx - d)} {n(cy - d)}L{n(cx + d)} {n(cy + d)}M{n(cx + d)} {n(cy - d)}L{n(cx - d)} {n(cy + d)}",
                       stroke=ink, stroke_width=m * 0.07)
    if gateway == "eventBasedGateway":
        out = [sv.circle(cx, cy, m * 0.2, fill="none", stroke=ink, stroke_width=1)]
        if event_type == "Parallel":
            out.append(_poly(_plus(cx, cy, m * 0.14, m * 0.045), fill="none", stroke=ink, stroke_width=1))
            return "".join(out)
        if not instantiate:
            out.append(sv.circle(cx, cy, m * 0.26, fill="none", stroke=ink, stroke_width=1))
        out.append(_poly(_regular(cx, cy + m * 0.01, m * 0.12, 5), fill="none", stroke=ink, stroke_width=1.6))
        return "".join(out)
    return ""


# -- tasks ----------------------------------------------------------------------------------------------

def task_icon(task_type: str, x: float, y: float, *, ink: str, paper: str, instantiate: bool = False) -> str:
    """The task type's icon in the top left corner of a task whose corner is (x, y)."""
    if task_type == "userTask":
        hx, hy = x + 15, y + 11
        body = (f"M{n(x + 6.5)} {n(y + 25)}V{n(y + 21.5)}C{n(x + 6.5)} {n(y + 17.5)} {n(x + 10)} {n(y + 16)} "
                f"{n(hx)} {n(y + 16)}C{n(x + 20)} {n(y + 16)} {n(x + 23.5)} {n(y + 17.5)} {n(x + 23.5)} {n(y + 21.5)}"
                f"V{n(y + 25)}Z")
        return (sv.path(body, fill=paper, stroke=ink, stroke_width=1)
                + sv.path(f"M{n(x + 10.5)} {n(y + 21)}V{n(y + 25)}M{n(x + 19.5)} {n(y + 21)}V{n(y + 25)}",
                          stroke=ink, stroke_width=0.8)
                + sv.circle(hx, hy, 4.2, fill=paper, stroke=ink, stroke_width=1)
                + sv.path(f"M{n(hx - 4.2)} {n(hy - 0.5)}C{n(hx - 3)} {n(hy - 5.5)} {n(hx + 3)} {n(hy - 5.5)} "
                          f"{n(hx + 4.2)} {n(hy - 0.5)}C{n(hx + 1.5)} {n(hy - 2.5)} {n(hx - 1.5)} {n(hy - 2.5)} "
                          f"{n(hx - 4.2)} {n(hy - 0.5)}Z", fill=ink, stroke=ink, stroke_width=0.6))
    if task_type == "manualTask":
        out = [sv.rect(x + 6, y + 10, 8, 11, rx=3, fill=paper, stroke=ink, stroke_width=0.9)]
        for i, length in enumerate((12.5, 11.5, 10.5, 8.5)):
            out.append(sv.rect(x + 11, y + 9.2 + i * 3, length, 2.8, rx=1.4, fill=paper, stroke=ink, stroke_width=0.8))
        out.append(sv.path(f"M{n(x + 9)} {n(y + 10)}L{n(x + 13)} {n(y + 6)}", stroke=ink, stroke_width=1.6,
                           stroke_linecap="round"))
        return "".join(out)
    if task_type == "serviceTask":
        return gear_outline(x + 13, y + 13, 6.5, ink, paper) + gear_outline(x + 18.5, y + 18.5, 6.5, ink, paper)
    if task_type in ("sendTask", "receiveTask"):
        out = []
        ex, ey, w, h = x + 7, y + 8, 19, 13
        if task_type == "receiveTask" and instantiate:
            out.append(sv.circle(x + 14, y + 14, 10, fill=paper, stroke=ink, stroke_width=1))
            ex, ey, w, h = x + 7.7, y + 9.5, 12.6, 8.4
        filled = task_type == "sendTask"
        out.append(sv.rect(ex, ey, w, h, fill=ink if filled else paper, stroke=ink, stroke_width=1))
        out.append(sv.path(f"M{n(ex)} {n(ey)}L{n(ex + w / 2)} {n(ey + h * 0.5)}L{n(ex + w)} {n(ey)}", fill="none",
                           stroke=paper if filled else ink, stroke_width=1))
        return "".join(out)
    if task_type == "scriptTask":
        x0, y0 = x + 9, y + 7
        scroll = (f"M{n(x0 + 4)} {n(y0)}H{n(x0 + 14)}C{n(x0 + 10)} {n(y0 + 4)} {n(x0 + 15)} {n(y0 + 10)} {n(x0 + 10)} "
                  f"{n(y0 + 15)}H{n(x0)}C{n(x0 + 5)} {n(y0 + 10)} {n(x0)} {n(y0 + 4)} {n(x0 + 4)} {n(y0)}Z")
        rules = "".join(f"M{n(x0 + 4.5 + d)} {n(y0 + 3.5 + 2.8 * i)}h5" for i, d in enumerate((0, 0.8, 0.8, 0)))
        return sv.path(scroll, fill=paper, stroke=ink, stroke_width=1) + sv.path(rules, stroke=ink, stroke_width=1)
    if task_type == "businessRuleTask":
        x0, y0 = x + 8, y + 8
        return (sv.rect(x0, y0, 20, 14, fill=paper, stroke=ink, stroke_width=1)
                + sv.rect(x0, y0, 20, 4, fill=ink, stroke=ink, stroke_width=1)
                + sv.path(f"M{n(x0)} {n(y0 + 9)}H{n(x0 + 20)}M{n(x0 + 6)} {n(y0 + 4)}V{n(y0 + 14)}",
                          stroke=ink, stroke_width=1))
    return ""


def gear_points(cx: float, cy: float, r: float, top: float = 9.0, root: float = 14.0,
                depth: float = 0.74) -> list[tuple[float, float]]:
    """The outline of a cog wheel with eight teeth: each tooth's top spans ±`top` degrees, its root
    ±`root` degrees at `depth` of the radius."""
    pts = []
    for k in range(8):
        a = math.radians(k * 45)
        for da, rr in ((-root, depth), (-top, 1.0), (top, 1.0), (root, depth)):
            t = a + math.radians(da)
            pts.append((cx + r * rr * math.cos(t), cy + r * rr * math.sin(t)))
    return pts


def gear_outline(cx: float, cy: float, r: float, ink: str, paper: str) -> str:
    """A cog wheel with eight teeth, outlined, with a hole (a service task draws two)."""
    return sv.polygon(gear_points(cx, cy, r), fill=paper, stroke=ink, stroke_width=0.9) + sv.circle(cx, cy, r * 0.32, fill=paper,
                                                                                   stroke=ink, stroke_width=0.9)


#: Activity markers in the order the spec lists them, left to right at the bottom centre.
def activity_markers(loop: Optional[str], sequential: bool, compensation: bool, collapsed: bool, adhoc: bool
                     ) -> list[str]:
    out = []
    if loop == "standardLoopCharacteristics":
        out.append("loop")
    elif loop == "multiInstanceLoopCharacteristics":
        out.append("sequential" if sequential else "parallel")
    if compensation:
        out.append("compensation")
    if collapsed:
        out.append("collapsed")
    if adhoc:
        out.append("adhoc")
    return out


_MARKER_W = {"loop": 13.0, "parallel": 10.0, "sequential": 10.0, "compensation": 17.0, "collapsed": 14.0,
             "adhoc": 15.0}


def draw_markers(markers: list[str], cx: float, bottom: float, *, ink: str, paper: str) -> str:
    """Activity markers side by side, centred on cx, their bottom 4 px above `bottom`."""
    if not markers:
        return ""
    gap = 4.0
    total = sum(_MARKER_W[m] for m in markers) + gap * (len(markers) - 1)
    x = cx - total / 2
    out = []
    for m in markers:
        w = _MARKER_W[m]
        y0, y1 = bottom - 18, bottom - 4  # a 14 px high slot
        mid = (y0 + y1) / 2
        if m == "collapsed":
            out.append(sv.rect(x, y0, 14, 14, fill=paper, stroke=ink, stroke_width=1))
            out.append(sv.path(f"M{n(x + 3)} {n(mid)}H{n(x + 11)}M{n(x + 7)} {n(y0 + 3)}V{n(y0 + 11)}",
                               stroke=ink, stroke_width=1.5))
        elif m == "parallel":
            out.append(sv.path("".join(f"M{n(x + 1 + 4 * i)} {n(y0 + 2)}V{n(y1)}" for i in range(3)), stroke=ink,
                               stroke_width=2))
        elif m == "sequential":
            out.append(sv.path("".join(f"M{n(x)} {n(y0 + 3 + 4 * i)}H{n(x + 10)}" for i in range(3)), stroke=ink,
                               stroke_width=2))
        elif m == "loop":
            r = 5.5
            ccx, ccy = x + w / 2, mid
            sx, sy = ccx - r * math.cos(math.radians(50)), ccy + r * math.sin(math.radians(50))
            ex, ey = ccx + r * math.cos(math.radians(50)), ccy + r * math.sin(math.radians(50))
            out.append(sv.path(f"M{n(ex)} {n(ey)}A{n(r)} {n(r)} 0 1 0 {n(sx)} {n(sy)}"
                               f"M{n(sx)} {n(sy)}l{n(-0.6)} {n(-4)}M{n(sx)} {n(sy)}l{n(-3.8)} {n(0.9)}",
                               fill="none", stroke=ink, stroke_width=1.5, stroke_linecap="round"))
        elif m == "compensation":
            out.append(_poly([(x, mid), (x + 8, mid - 5), (x + 8, mid + 5)], fill=paper, stroke=ink, stroke_width=1))
            out.append(_poly([(x + 8.5, mid), (x + 16.5, mid - 5), (x + 16.5, mid + 5)], fill=paper, stroke=ink,
                             stroke_width=1))
        elif m == "adhoc":
            out.append(sv.path(f"M{n(x)} {n(mid + 1)}C{n(x + 3)} {n(mid - 3)} {n(x + 6)} {n(mid - 2)} {n(x + 7.5)} {n(mid)}"
                               f"C{n(x + 9)} {n(mid + 2)} {n(x + 12)} {n(mid + 3)} {n(x + 15)} {n(mid - 1)}",
                               fill="none", stroke=ink, stroke_width=1.8, stroke_linecap="round"))
        x += w + gap
    return "".join(out)


# -- flows ----------------------------------------------------------------------------------------------

def flow_start_marker(kind: str, pts: list[tuple[float, float]], *, ink: str, paper: str) -> str:
    """A default flow's slash or a conditional flow's open diamond where the flow leaves its source."""
    (x0, y0), (x1, y1) = pts[0], pts[1]
    length = math.hypot(x1 - x0, y1 - y0)
    if length < 1e-6:
        return ""
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    if kind == "default":
        cx, cy = x0 + ux * 9, y0 + uy * 9
        ax, ay = cx - ux * 3.5 + nx * 5.5, cy - uy * 3.5 + ny * 5.5
        bx, by = cx + ux * 3.5 - nx * 5.5, cy + uy * 3.5 - ny * 5.5
        return sv.line(ax, ay, bx, by, stroke=ink, stroke_width=1.6)
    if kind == "conditional":
        pts_ = [(x0, y0), (x0 + ux * 7 + nx * 4.5, y0 + uy * 7 + ny * 4.5), (x0 + ux * 14, y0 + uy * 14),
                (x0 + ux * 7 - nx * 4.5, y0 + uy * 7 - ny * 4.5)]
        return _poly(pts_, fill=paper, stroke=ink, stroke_width=1.1)
    return ""


def envelope(cx: float, cy: float, *, ink: str, paper: str, initiating: bool) -> str:
    """A message flow's envelope: white when the message starts the conversation, grey when it answers."""
    x0, y0, w, h = cx - 10, cy - 7, 20, 14
    fill = paper if initiating else "#a0a7b0"
    return (sv.rect(x0, y0, w, h, fill=fill, stroke=ink, stroke_width=1)
            + sv.path(f"M{n(x0)} {n(y0)}L{n(cx)} {n(cy)}L{n(x0 + w)} {n(y0)}", fill="none", stroke=ink, stroke_width=1))


# -- data and artifacts ---------------------------------------------------------------------------------

def data_object(x: float, y: float, w: float, h: float, *, ink: str, paper: str, collection: bool = False,
                arrow: Optional[str] = None) -> str:
    """A page with a folded corner; three bars for a collection; an arrow for a data input/output."""
    fold = min(10.0, w / 3, h / 3)
    out = [sv.path(f"M{n(x)} {n(y)}H{n(x + w - fold)}L{n(x + w)} {n(y + fold)}V{n(y + h)}H{n(x)}Z",
                   fill=paper, stroke=ink, stroke_width=1.5, stroke_linejoin="round"),
           sv.path(f"M{n(x + w - fold)} {n(y)}V{n(y + fold)}H{n(x + w)}", fill="none", stroke=ink, stroke_width=1.5)]
    if collection:
        cx = x + w / 2
        out.append(sv.path("".join(f"M{n(cx - 4 + 4 * i)} {n(y + h - 12)}V{n(y + h - 3)}" for i in range(3)),
                           stroke=ink, stroke_width=2))
    if arrow:
        ax, ay = x + 4, y + 5
        out.append(_poly([(ax, ay + 3), (ax + 8, ay + 3), (ax + 8, ay), (ax + 13, ay + 5), (ax + 8, ay + 10),
                          (ax + 8, ay + 7), (ax, ay + 7)], fill=ink if arrow == "output" else paper,
                         stroke=ink, stroke_width=1))
    return "".join(out)


def data_store(x: float, y: float, w: float, h: float, *, ink: str, paper: str) -> str:
    """A cylinder: a can seen from the side, three rims on top."""
    ry = min(h * 0.12, 8.0)
    body = (f"M{n(x)} {n(y + ry)}V{n(y + h - ry)}A{n(w / 2)} {n(ry)} 0 0 0 {n(x + w)} {n(y + h - ry)}"
            f"V{n(y + ry)}A{n(w / 2)} {n(ry)} 0 0 0 {n(x)} {n(y + ry)}Z")
    rims = "".join(f"M{n(x)} {n(y + ry + d)}A{n(w / 2)} {n(ry)} 0 0 0 {n(x + w)} {n(y + ry + d)}"
                   for d in (0.0, ry * 0.7, ry * 1.4))
    return (sv.path(body, fill=paper, stroke=ink, stroke_width=1.5)
            + sv.path(rims, fill="none", stroke=ink, stroke_width=1.5))


def annotation_bracket(x: float, y: float, h: float, *, ink: str) -> str:
    return sv.path(f"M{n(x + 10)} {n(y)}H{n(x)}V{n(y + h)}H{n(x + 10)}", fill="none", stroke=ink, stroke_width=1.5)
