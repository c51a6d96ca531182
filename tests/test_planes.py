"""Shapes belong to the diagram (plane) that is their home: an element several BPMNDiagrams draw is
drawn where its own process, sub-process or collaboration's plane draws it, checked through the SVG.

tests/data/planes/ holds an export written as Open-BPMN writes one (a diagram per pool, the first
repeating the other pools' shapes near 0,0) and a bpmn.io file with a collapsed sub-process whose
inside is drawn on a plane of its own (with one stray copy of an inner task in the main plane).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

import procmap

PLANES = Path(__file__).parent / "data" / "planes"
OPEN_BPMN = PLANES / "open-bpmn-three-diagrams.bpmn"
DRILL_DOWN = PLANES / "bpmn-io-collapsed-subprocess.bpmn"
SVG = "{http://www.w3.org/2000/svg}"


def _drawn(model: procmap.Model) -> tuple[dict[str, etree._Element], str]:
    """The SVG's element groups by data-element-id (the first of each), and the SVG."""
    svg = procmap.stage_svg(model, layout="di")
    groups: dict[str, etree._Element] = {}
    for el in etree.fromstring(svg.encode()).iter(SVG + "g"):
        if el.get("data-element-id"):
            groups.setdefault(el.get("data-element-id"), el)
    return groups, svg


def _box(group: etree._Element) -> tuple[float, float, float, float]:
    """x, y, width, height of the shape a group draws first (a rect, or a circle's square)."""
    shape = next(el for el in group.iter(SVG + "rect", SVG + "circle", SVG + "polygon"))
    if shape.tag == SVG + "rect":
        return tuple(float(shape.get(k)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]
    if shape.tag == SVG + "circle":
        cx, cy, r = (float(shape.get(k)) for k in ("cx", "cy", "r"))
        return cx - r, cy - r, 2 * r, 2 * r
    xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()))
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def _points(group: etree._Element) -> list[tuple[float, float]]:
    line = next(group.iter(SVG + "polyline"))
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]  # type: ignore[misc]


@pytest.fixture(scope="module")
def open_bpmn() -> procmap.Model:
    return procmap.read(OPEN_BPMN)


def test_each_pool_holds_its_own_process_though_the_first_diagram_repeats_it(open_bpmn):
    groups, _ = _drawn(open_bpmn)
    pools = {p.process_id: _box(groups[p.id]) for p in open_bpmn.participants}
    assert len(pools) == 3
    for node in open_bpmn.nodes:
        assert _inside(_box(groups[node.id]), pools[node.process_id]), node.id
    for flow in open_bpmn.sequence_flows:
        pool = pools[flow.process_id]
        assert all(_inside((x, y, 0, 0), pool) for x, y in _points(groups[flow.id])), flow.id
    # the pools do not lie on each other, and nothing is left piled at the top-left corner
    boxes = sorted(pools.values(), key=lambda b: b[1])
    assert all(a[1] + a[3] <= b[1] for a, b in zip(boxes, boxes[1:]))
    first = open_bpmn.geometry.diagram
    assert {first(n.id) for n in open_bpmn.nodes if n.process_id == "process_2"} == {1}
    assert {first(n.id) for n in open_bpmn.nodes if n.process_id == "process_3"} == {2}


def test_the_same_drawing_whether_the_diagram_is_converted_later_or_at_once(open_bpmn):
    data = OPEN_BPMN.read_bytes()  # a BPMN element after the diagrams: the whole file is parsed at once
    end = data.rfind(b"</bpmn2:definitions>")
    eager = procmap.read(data[:end] + b'<bpmn2:relationship type="x"><bpmn2:source>a</bpmn2:source>'
                         b'<bpmn2:target>b</bpmn2:target></bpmn2:relationship>' + data[end:])
    assert eager.geometry.loaded
    assert eager.geometry == open_bpmn.geometry


def test_a_collapsed_sub_process_keeps_its_plus_and_its_inside_is_drawn_from_its_own_plane():
    model = procmap.read(DRILL_DOWN)
    groups, svg = _drawn(model)
    sub = groups["SubProcess_1"]
    root = etree.fromstring(svg.encode())
    containers = next(g for g in root.iter(SVG + "g") if g.get("class") == "containers") \
        if 'class="containers"' in svg else None
    assert containers is None or sub not in containers.iter()
    assert any(r.get("width") == "14" and r.get("height") == "14" for r in sub.iter(SVG + "rect"))  # the + box
    box = _box(sub)
    inner = {eid: _box(groups[eid]) for eid in ("Inner_Start", "Inner_Task", "Inner_End")}
    for eid, b in inner.items():
        assert not _inside(b, box) and b[1] >= box[1] + box[3], eid  # drawn apart, under the main diagram
    # the inner task is where its drill-down plane puts it (between its start and end, on their row),
    # not where the stray copy in the main plane would
    start, task, end = inner["Inner_Start"], inner["Inner_Task"], inner["Inner_End"]
    assert start[0] + start[2] <= task[0] and task[0] + task[2] <= end[0]
    assert abs((task[1] + task[3] / 2) - (start[1] + start[3] / 2)) < 1
    assert model.geometry.diagram("Inner_Task") == 1 and model.geometry.diagram("SubProcess_1") == 0


def _variant(data: bytes, *replacements: tuple[bytes, bytes]) -> bytes:
    for old, new in replacements:
        assert old in data, old
        data = data.replace(old, new)
    return data


@pytest.mark.parametrize("change", [
    (b'bpmnElement="process_2"', b'bpmnElement="no_such_process"'),  # a plane naming nothing
    (b'<bpmndi:BPMNPlane id="plane_3" bpmnElement="process_3">', b'<bpmndi:BPMNPlane id="plane_3">'),  # naming none
    (b'bpmnElement="task_2_2"', b'bpmnElement="no_such_task"'),  # shapes naming nothing
    (b'bpmnElement="collaboration_1"', b'bpmnElement="bpmn2:collaboration_1"'),  # a QName
])
def test_odd_planes_and_shapes_are_drawn_without_a_traceback(change):
    model = procmap.read(_variant(OPEN_BPMN.read_bytes(), change))
    groups, _ = _drawn(model)
    assert "participant_1" in groups and "task_1_1" in groups
    assert not [w for w in model.all_warnings() if re.search(r"Traceback|Error", w)]


def test_a_plane_of_something_else_is_no_home_so_the_collaborations_drawing_is_kept():
    data = _variant(OPEN_BPMN.read_bytes(), (b'bpmnElement="process_2"', b'bpmnElement="process_9"'))
    model = procmap.read(data)
    assert model.geometry.diagram("task_2_1") == 0  # the collaboration's plane is process_2's only home
    assert model.geometry.diagram("task_3_1") == 2  # process_3's own plane still wins


def test_without_any_home_the_first_drawing_is_kept():
    data = _variant(OPEN_BPMN.read_bytes(), (b'bpmnElement="process_2"', b'bpmnElement="process_9"'),
                    (b'bpmnElement="collaboration_1"', b'bpmnElement="collaboration_9"'))
    model = procmap.read(data)
    assert model.geometry.diagram("task_2_1") == 0 and model.geometry.diagram("participant_2") == 1


def test_the_inside_of_a_collapsed_sub_process_is_headed_with_its_name():
    model = procmap.read(DRILL_DOWN)
    host = model.node_by_id[model.geometry.planes[1]]
    svg = procmap.stage_svg(model, lang="en")
    root = etree.fromstring(svg.encode("utf-8"))
    [caption] = [g for g in root.iter(SVG + "g") if g.get("data-caption-of")]
    assert caption.get("data-caption-of") == host.id
    assert "".join(caption.itertext()) == f"Inside “{host.label}”"
    inside = [g for g in root.iter(SVG + "g") if g.get("data-element-id") in
              {n.id for n in model.nodes if n.parent_id == host.id}]
    assert inside  # and the heading sits above what it heads
    caption_y = float(caption.find(SVG + "text").get("y"))
    assert all(caption_y < float(r.get("y")) for g in inside for r in g.iter(SVG + "rect"))
    assert not [g for g in etree.fromstring(procmap.stage_svg(procmap.read(OPEN_BPMN)).encode()).iter(SVG + "g")
                if g.get("data-caption-of")]  # process planes need no heading: their pools have names


def test_a_note_under_a_narrow_picture_is_wrapped_not_cut():
    from procmap.layout import text as tx

    svg = procmap.stage_svg(procmap.read(DRILL_DOWN), lang="en")
    root = etree.fromstring(svg.encode("utf-8"))
    width = float(root.get("viewBox").split()[2])
    notes = [t for t in root.iter(SVG + "text") if "note" in (t.get("class") or "")]
    said = " ".join("".join(t.itertext()) for t in notes)
    assert said == "Parts of the drawing that lay on top of each other are drawn one under the other."
    assert len(notes) > 1 and all(float(t.get("x")) + tx.width("".join(t.itertext()), 12) <= width for t in notes)


def test_a_process_of_its_own_without_a_pool_is_headed_with_its_name_when_a_picture_holds_several():
    """Modelio draws each process on a plane of its own, and only some of them in pools."""
    model = procmap.read(Path(__file__).parent / "corpus" / "bpmn" / "bpmn-miwg-test-suite" / "Modelio 3.5" /
                         "B.1.0-export.bpmn")
    root = etree.fromstring(procmap.stage_svg(model, lang="en").encode("utf-8"))
    headed = {g.get("data-caption-of"): "".join(g.itertext()) for g in root.iter(SVG + "g") if g.get("data-caption-of")}
    pooled = {p.process_id for p in model.participants}
    expected = {p.id: f"Process “{p.name}”" for p in model.processes
                if p.id in model.geometry.planes and p.id not in pooled and p.name}
    assert expected and headed == expected
