"""The diagram layer: converted when first asked, the same answers as the file, warnings with the file's lines."""

import pickle
import re

import pytest
from lxml import etree
from pydantic import ValidationError

import procmap
from procmap import Bounds, Geometry, Point
from conftest import CORPUS, SAMPLES

DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DDI = "{http://www.omg.org/spec/DD/20100524/DI}"
C10 = CORPUS / "bpmn-miwg-test-suite/Reference/C.1.0.bpmn"


def _drawn_in_file(path):
    """Shapes and edges straight from the XML, first diagram wins: what the model must answer."""
    root = etree.parse(str(path)).getroot()
    shapes, edges = {}, {}
    for shape in root.iter(DI + "BPMNShape"):
        b = shape.find(DC + "Bounds")
        shapes.setdefault(shape.get("bpmnElement"), Bounds(*(float(b.get(k)) for k in ("x", "y", "width", "height"))))
    for edge in root.iter(DI + "BPMNEdge"):
        edges.setdefault(edge.get("bpmnElement"),
                         [Point(float(w.get("x")), float(w.get("y"))) for w in edge.iter(DDI + "waypoint")])
    return shapes, edges


@pytest.mark.parametrize("path", [C10, SAMPLES / "barnehage" / "3-integrert.bpmn"], ids=lambda p: p.name)
def test_geometry_is_converted_on_first_use_and_matches_the_file(path):
    model = procmap.read(path)
    assert not model.geometry.loaded  # reading did not pay for the diagram
    shapes, edges = _drawn_in_file(path)
    for element_id, bounds in shapes.items():
        assert model.geometry.bounds(element_id) == bounds, element_id
    assert model.geometry.loaded
    for flow in model.sequence_flows:
        assert model.geometry.waypoints(flow.id) == edges[flow.id], flow.id
    assert model.geometry.bounds("no-such-element") is None and model.geometry.waypoints("nope") == []


def test_a_file_that_needs_the_diagram_to_place_nodes_converts_it_while_reading():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/OMNITRACKER BPMN 12.3/C.1.0-export.bpmn")
    placed = [n for n in model.nodes if n.lane_source == "geometry"]
    assert placed and model.geometry.loaded
    for node in placed:
        assert model.geometry.bounds(node.lane_id).contains(model.geometry.bounds(node.id))


def test_lite_models_have_no_geometry():
    model = procmap.read(SAMPLES / "barnehage" / "1-manual.lite.xml")
    assert not model.has_geometry and not model.geometry and model.geometry.shapes == {}


BAD_BOUNDS = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d">
  <process id="p">
    <laneSet id="ls"><lane id="l" name="Saksbehandler"><flowNodeRef>t</flowNodeRef></lane></laneSet>
    <task id="t" name="Registrere"/>
  </process>
  <bpmndi:BPMNDiagram id="dia">
    <bpmndi:BPMNPlane id="plane" bpmnElement="p">
      <bpmndi:BPMNShape id="l_di" bpmnElement="l"><dc:Bounds x="0" y="0" width="600" height="200"/></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="t_di" bpmnElement="t">
        <dc:Bounds x="ti" y="40" width="100" height="80"/>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</definitions>
"""


def test_bad_bounds_are_reported_with_the_files_line_when_the_diagram_is_converted(tmp_path):
    path = tmp_path / "bad.bpmn"
    path.write_text(BAD_BOUNDS, encoding="utf-8")
    model = procmap.read(path)
    assert not any("not numbers" in w for w in model.warnings)
    assert model.geometry.bounds("l") == Bounds(0, 0, 600, 200) and model.geometry.bounds("t") is None
    line = BAD_BOUNDS.splitlines().index('      <bpmndi:BPMNShape id="t_di" bpmnElement="t">') + 1
    said = [f"{path}:{line} [t]: a shape has bounds that are not numbers; ignored"]
    assert [w for w in model.all_warnings() if "not numbers" in w] == said
    assert list(model.geometry.warnings) == said
    assert not any("not numbers" in w for w in model.warnings)  # a model is a value: converting changes nothing


def test_geometry_survives_dump_validate_and_pickle():
    model = procmap.read(C10)
    again = procmap.Model.model_validate_json(model.model_dump_json())
    assert again.geometry == model.geometry and again.geometry.shapes
    assert pickle.loads(pickle.dumps(procmap.read(C10))).geometry == model.geometry


def test_geometry_validates_its_input():
    model = procmap.Model(geometry={"shapes": {"t": {"bounds": [1, 2, 3, 4], "horizontal": None, "diagram": 0}},
                                    "edges": {"f": [[0, 0], [5, 5]]}})
    assert model.geometry.bounds("t") == Bounds(1, 2, 3, 4) and model.geometry.waypoints("f")[1] == Point(5, 5)
    assert model.geometry.horizontal("t") is False  # taller than wide, nothing written
    with pytest.raises(ValidationError, match="unknown geometry keys: lanes"):
        procmap.Model(geometry={"lanes": {}})
    with pytest.raises(ValidationError):
        procmap.Model(geometry=[1, 2])
    assert Geometry({"a": Bounds(0, 0, 10, 5)}).horizontal("a") is True


def test_inspect_reports_the_diagram_and_its_problems(tmp_path):
    from typer.testing import CliRunner

    from procmap.cli import app

    path = tmp_path / "bad.bpmn"
    path.write_text(BAD_BOUNDS, encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0
    assert "diagram: 0 of 1 flow nodes drawn, 0 edges" in result.output
    assert "[t]: a shape has bounds that are not numbers; ignored" in result.output
    result = CliRunner().invoke(app, ["inspect", "--json", str(path)])
    assert '"nodes_drawn": 0' in result.output and "not numbers" in result.output


# -- the diagrams left unparsed while reading ------------------------------------------------------------
from procmap.bpmn import _xml  # noqa: E402
from procmap.bpmn.bpmn20 import read_bpmn  # noqa: E402
from procmap.bpmn.names import BPMNDI_NS  # noqa: E402

ALL_CORPUS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".bpmn", ".xml"))


def _read_whole(source):
    """The reference: parse the entire file, then read it."""
    loaded = _xml.parse(source)
    return read_bpmn(loaded.root, loaded.name, loaded.warnings)


@pytest.mark.parametrize("path", ALL_CORPUS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_reading_with_the_diagrams_deferred_gives_the_whole_files_model(path):
    whole, fast = _read_whole(path), procmap.read(path)
    assert fast.geometry == whole.geometry  # converts both
    assert fast == whole  # nodes, lanes, flows, and the warnings with their line numbers


def test_most_real_exports_leave_their_diagrams_unparsed():
    deferred = [p for p in ALL_CORPUS if _xml.parse(p, defer=(BPMNDI_NS, "BPMNDiagram")).deferred]
    assert len(deferred) >= len(ALL_CORPUS) - 3  # see bench/README.md for the two that are parsed whole


def test_a_file_truncated_inside_its_diagram_is_an_error_with_the_line(tmp_path):
    data = (SAMPLES / "barnehage" / "2-eskjema.bpmn").read_bytes()
    cut = data.index(b"<bpmndi:BPMNEdge") + 30
    path = tmp_path / "cut.bpmn"
    path.write_bytes(data[:cut])
    with pytest.raises(procmap.ReadError, match="truncated") as info:
        procmap.read(path)
    assert info.value.line == data[:cut].count(b"\n") + 1


def test_a_broken_diagram_leaves_the_process_readable_and_says_where(tmp_path):
    data = (SAMPLES / "barnehage" / "2-eskjema.bpmn").read_bytes()
    at = data.index(b"</bpmndi:BPMNShape>", data.index(b"<bpmndi:BPMNDiagram"))
    path = tmp_path / "broken.bpmn"
    path.write_bytes(data[:at] + b"</bpmndi:BPMNShapeX>" + data[at + 19:])
    model = procmap.read(path)
    assert model.tasks == procmap.read(SAMPLES / "barnehage" / "2-eskjema.bpmn").tasks
    assert not model.geometry
    line = data[:at].count(b"\n") + 1
    assert [w for w in model.all_warnings() if "diagram cannot be read" in w][0].startswith(f"{path}:{line}:")
    svg = procmap.stage_svg(model)  # drawn with procmap's own layout instead
    assert all(f'data-node-id="{n.id}"' in svg for n in model.nodes if n.parent_id is None)


MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _variant(how: str) -> str:
    """BAD_BOUNDS (repaired) written the ways real tools write namespaces."""
    text = BAD_BOUNDS.replace('x="ti"', 'x="10"')
    if how == "prefixed":
        text = text.replace(f'xmlns="{MODEL}"', f'xmlns:bpmn="{MODEL}"')
        text = re.sub(r"<(/?)(definitions|process|laneSet|lane|flowNodeRef|task)\b", r"<\1bpmn:\2", text)
    elif how == "diagram declares its default namespace":  # Bizagi, Enterprise Explorer
        text = text.replace("bpmndi:", "").replace('<BPMNDiagram id="dia">',
                                                    f'<BPMNDiagram id="dia" xmlns="{BPMNDI_NS}">')
    return text


LATE = {  # a process after the diagram, as each way of writing would put it
    "default": '<process id="p2"><task id="late" name="Sen oppgave"/></process>',
    "prefixed": '<bpmn:process id="p2"><bpmn:task id="late" name="Sen oppgave"/></bpmn:process>',
    "diagram declares its default namespace": '<process id="p2"><task id="late" name="Sen oppgave"/></process>',
    "declared again": f'<m:process xmlns:m="{MODEL}" id="p2"><m:task id="late" name="Sen oppgave"/></m:process>',
}


@pytest.mark.parametrize("how", list(LATE))
def test_process_elements_after_the_diagram_are_still_read(tmp_path, how):
    """The schema puts diagrams last; a file that does not is read in full, nothing is lost."""
    text = _variant(how)
    tail = "</bpmn:definitions>" if how == "prefixed" else "</definitions>"
    on_time, late = tmp_path / "on-time.bpmn", tmp_path / "late.bpmn"
    on_time.write_text(text, encoding="utf-8")
    late.write_text(text.replace(tail, f"  {LATE[how]}\n{tail}"), encoding="utf-8")
    assert _xml.parse(on_time, defer=(BPMNDI_NS, "BPMNDiagram")).deferred is not None  # the fast path...
    assert _xml.parse(late, defer=(BPMNDI_NS, "BPMNDiagram")).deferred is None  # ...is not taken here
    model = procmap.read(late)
    assert {n.id for n in model.tasks} == {"t", "late"}
    assert model.geometry.bounds("t") == Bounds(10, 40, 100, 80)


TRICKY = sorted((CORPUS.parent.parent / "data" / "deferred").glob("*.bpmn"))


@pytest.mark.parametrize("path", TRICKY, ids=lambda p: p.stem)
def test_files_made_to_fool_the_deferred_diagram_read_as_a_whole_parse_does(path):
    """See tests/data/deferred/README.md: each once made the two reads differ."""
    try:
        whole = _read_whole(path)
    except procmap.ReadError as exc:
        with pytest.raises(procmap.ReadError) as fast:
            procmap.read(path)
        assert str(fast.value) == str(exc)
        return
    fast = procmap.read(path)
    assert fast.geometry == whole.geometry and fast.has_geometry == whole.has_geometry
    assert fast.model_copy(update={"warnings": fast.all_warnings()}) == whole


def test_what_the_readers_repaired_reaches_the_comparison_the_report_and_the_poster(tmp_path):
    from typer.testing import CliRunner

    from procmap.cli import app

    data = (SAMPLES / "barnehage" / "2-eskjema.bpmn").read_bytes()
    at = data.index(b"</bpmndi:BPMNShape>", data.index(b"<bpmndi:BPMNDiagram"))
    broken = tmp_path / "2-eskjema.bpmn"
    broken.write_bytes(data[:at] + b"</bpmndi:BPMNShapeX>" + data[at + 19:])
    dangling = tmp_path / "1-manual.bpmn"
    text = (SAMPLES / "barnehage" / "1-manual.bpmn").read_text(encoding="utf-8")
    dangling.write_text(text.replace("<bpmn:flowNodeRef>", "<bpmn:flowNodeRef>ghost</bpmn:flowNodeRef>"
                                     "<bpmn:flowNodeRef>", 1), encoding="utf-8")
    third = SAMPLES / "barnehage" / "3-integrert.lite.xml"
    comparison = procmap.compare([dangling, broken, third])
    assert any("'ghost', which does not exist" in w for w in comparison.warnings)

    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["compare", str(dangling), str(broken), str(third), "--html", str(report)])
    assert result.exit_code == 0 and "ghost" in result.output
    notes = report.read_text(encoding="utf-8")
    assert "ghost" in notes and "the diagram cannot be read" in notes

    result = CliRunner().invoke(app, ["poster", str(dangling), str(broken), str(third), "-o", str(tmp_path / "p.svg")])
    assert result.exit_code == 0
    assert "ghost" in result.output and "the diagram cannot be read" in result.output


def test_layout_di_refuses_a_model_its_file_does_not_draw():
    lite = procmap.read(SAMPLES / "barnehage" / "1-manual.lite.xml")
    with pytest.raises(procmap.RenderError, match="no diagram drawn in the modelling tool"):
        procmap.stage_svg(lite, layout="di")
    drawn = procmap.read(SAMPLES / "barnehage" / "1-manual.bpmn")
    assert 'data-node-id="fyll"' in procmap.stage_svg(drawn, layout="di")
