"""BPMN notation: what the reader keeps for drawing (event definitions, markers, artifacts, DI
flags, labels and colours), and the SVG contract over the whole corpus."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import procmap
from procmap.model.geometry import Geometry

CORPUS = Path(__file__).parent / "corpus" / "bpmn"
KITCHEN = CORPUS / "bpmn-js/test/fixtures/bpmn/kitchen-sink.bpmn"
COLOURED = CORPUS / "bpmn-miwg-test-suite/bpmn.io (Camunda Modeler) 18.6.1/C.1.0-export.bpmn"


@pytest.fixture(scope="module")
def kitchen():
    return procmap.read(KITCHEN)


def test_event_definitions_interrupting_and_loops_are_read(kitchen):
    n = kitchen.notation
    assert n["Event_1h3k36g"].event_definitions == ("messageEventDefinition",)
    assert n["Event_1h3k36g"].interrupting is False  # isInterrupting="false" on an event sub-process start
    assert n["Event_1x9von4"].interrupting is False and kitchen.node_by_id["Event_1x9von4"].type == "boundaryEvent"
    assert n["Event_0ikqxya"].interrupting is True
    assert n["Event_0tlcssq"].event_definitions == ("terminateEventDefinition",)
    assert n["Activity_0hcpwc9"].loop == "multiInstanceLoopCharacteristics" and n["Activity_0hcpwc9"].sequential
    assert n["Activity_1sosl74"].loop == "multiInstanceLoopCharacteristics" and not n["Activity_1sosl74"].sequential
    assert n["Activity_0brc3us"].loop == "standardLoopCharacteristics"
    assert n["Activity_1ndsz41"].for_compensation
    assert n["Activity_088fmm5"].triggered_by_event
    assert n["Activity_0e5q7rs"].instantiate and n["Gateway_1la6tas"].instantiate
    assert n["Gateway_01lyed4"].event_gateway_type == "Parallel"
    assert n["Flow_0a4nevl"].default and n["Flow_16zflj8"].conditional and n["Flow_0mefziq"].message
    # only elements that say something get a notation
    assert "Gateway_0w4fbsk" not in n


def test_artifacts_are_read_and_never_counted(kitchen):
    by_id = {a.id: a for a in kitchen.artifacts}
    assert by_id["DataObjectReference_05ngfcy"].collection  # isCollection on its dataObject
    assert not by_id["DataObjectReference_0v2e6m7"].collection
    assert by_id["TextAnnotation_1xqm9d8"].name == "Textannotation"
    assert {by_id[g].name for g in ("Group_0306c6g", "Group_06zgfh5", "Group_1uodo9r")} == {"Tasks", "Gateways", "Events"}
    assert (by_id["DataInputAssociation_1xidkdu"].source, by_id["DataInputAssociation_1xidkdu"].target) == \
        ("DataObjectReference_0v2e6m7", "Activity_0vheewc")
    assert (by_id["DataOutputAssociation_14ddyds"].source, by_id["DataOutputAssociation_14ddyds"].target) == \
        ("Activity_0brc3us", "DataObjectReference_05ngfcy")
    assert by_id["Association_1n0wnaa"].direction == "One"
    ids = {n.id for n in kitchen.nodes}
    assert not ids & set(by_id)
    assert sum(kitchen.task_counts("Process_0k3ryf8").values()) == sum(1 for t in kitchen.tasks)


def test_di_flags_labels_and_colours(kitchen):
    geo = kitchen.geometry
    assert geo.style("Gateway_0w4fbsk").marker_visible is True
    assert geo.style("Activity_088fmm5").expanded is True
    assert geo.style("Task_unknown").fill is None
    assert geo.labels["Gateway_0w4fbsk"].width > 0
    coloured = procmap.read(COLOURED).geometry
    assert coloured.style("StartEvent_1").fill == "#c8e6c9" and coloured.style("StartEvent_1").stroke == "#43a047"


def test_notation_survives_dump_pickle_and_the_eager_reading(kitchen):
    again = procmap.Model.model_validate(kitchen.model_dump())
    assert again.notation == kitchen.notation and again.artifacts == kitchen.artifacts
    assert again.geometry == kitchen.geometry and again.geometry.labels and again.geometry.styles
    assert pickle.loads(pickle.dumps(kitchen)).geometry == kitchen.geometry
    data = KITCHEN.read_bytes()  # a BPMN element after the diagrams: the whole file is parsed at once
    end = data.rfind(b"</bpmn:definitions>")
    eager = procmap.read(data[:end] + b'<bpmn:relationship type="x"><bpmn:source>a</bpmn:source>'
                         b'<bpmn:target>b</bpmn:target></bpmn:relationship>' + data[end:])
    assert eager.geometry.loaded and eager.geometry == kitchen.geometry
    with pytest.raises(ValueError):
        Geometry.from_dict({"shapes": {}, "edges": {}, "styles": {"a": {"colour": "red"}}})


SVG = "{http://www.w3.org/2000/svg}"
CORPUS_FILES = sorted(CORPUS.rglob("*.bpmn"))


def _contract(model) -> tuple[int, list[str]]:
    """How many DI shapes and edges the SVG draws as the contract says, and what it misses."""
    from lxml import etree

    svg = procmap.stage_svg(model, layout="di")
    root = etree.fromstring(svg.encode())
    drawn = {}
    for el in root.iter():
        eid = el.get("data-element-id")
        if eid:
            drawn.setdefault(eid, el)
    expected: dict[str, tuple[str, ...]] = {}
    for p in model.participants:
        expected[p.id] = ("participant",)
    for lane in model.lanes:
        expected[lane.id] = ("lane",)
    for n in model.nodes:
        note = model.notation.get(n.id)
        expected[n.id] = (n.type, *(note.tokens if note else ()))
    for f in model.sequence_flows:
        expected[f.id] = ("sequenceFlow",)
    for f in model.message_flows:
        expected[f.id] = ("messageFlow",)
    for a in model.artifacts:
        expected[a.id] = (a.type,)
    geo = model.geometry
    counted, missing = 0, []
    for eid in [*geo.shapes, *geo.edges]:
        if eid not in expected:
            continue
        el = drawn.get(eid)
        tokens = set((el.get("class") or "").split()) if el is not None else set()
        if el is None or not set(expected[eid]) <= tokens:
            missing.append(f"{eid}: {expected[eid]} not in {sorted(tokens)}")
            continue
        fill = geo.style(eid).fill
        if fill and fill.lower() not in etree.tostring(el, encoding="unicode").lower():
            missing.append(f"{eid}: the modeller's fill {fill} is not drawn")
            continue
        counted += 1
    return counted, missing


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_di_shape_and_edge_is_drawn_with_its_type_and_markers(path):
    model = procmap.read(path)
    if not model.has_geometry:
        pytest.skip("no diagram")
    counted, missing = _contract(model)
    assert not missing, "\n".join(missing[:20])
    assert counted > 0


def test_the_contract_covers_the_whole_corpus():
    total = 0
    for path in CORPUS_FILES:
        model = procmap.read(path)
        if model.has_geometry:
            total += _contract(model)[0]
    drawn_in_files = sum(len(procmap.read(p).geometry.shapes) + len(procmap.read(p).geometry.edges)
                         for p in CORPUS_FILES)
    assert total >= 0.97 * drawn_in_files, (total, drawn_in_files)


# -- the message's name beside the envelope of a message flow -------------------------------------------------

MESSAGES = Path(__file__).parent / "data" / "planes" / "open-bpmn-three-diagrams.bpmn"
A41 = CORPUS / "bpmn-miwg-test-suite/Enterprise Explorer 1.0.0/A.4.1-export.bpmn"


def _message_labels(model, layout: str) -> dict[str, tuple[tuple[float, float, float, float], list]]:
    """For each message flow drawn with an envelope: the envelope's box and its label's <text> elements."""
    from lxml import etree

    root = etree.fromstring(procmap.stage_svg(model, layout=layout).encode())
    out = {}
    for group in root.iter(SVG + "g"):
        if "messageFlow" not in (group.get("class") or "").split():
            continue
        envelope = next((r for r in group.iter(SVG + "rect") if r.get("width") == "20" and r.get("height") == "14"),
                        None)
        if envelope is None:
            continue
        box = tuple(float(envelope.get(k)) for k in ("x", "y", "width", "height"))
        texts = [t for g in group.iter(SVG + "g") if "message-label" in (g.get("class") or "") for t in g.iter(SVG + "text")]
        out[group.get("data-element-id")] = (box, texts)
    return out


def _text_box(text) -> tuple[float, float, float, float]:
    from procmap.layout import text as tx

    size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
    w = tx.width(text.text, size)
    left = {"middle": x - w / 2, "end": x - w}.get(text.get("text-anchor") or "start", x)
    return left, y - size * 0.8, w, size


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize("path, layout", [(KITCHEN, "di"), (A41, "di"), (MESSAGES, "di"), (A41, "procmap"),
                                          (MESSAGES, "procmap")],  # (the kitchen sink's flow joins two black boxes)
                         ids=lambda v: getattr(v, "stem", v))
def test_the_message_name_is_drawn_beside_the_envelope(path, layout):
    model = procmap.read(path)
    named = {f.id: model.notation[f.id].message_name for f in model.message_flows
             if f.id in model.notation and model.notation[f.id].message_name}
    assert named, "the file's message flows name messages that have names"
    drawn = _message_labels(model, layout)
    for fid, name in named.items():
        envelope, texts = drawn[fid]
        assert " ".join(t.text for t in texts) == name  # all of it, never cut
        for text in texts:
            assert float(text.get("font-size")) == 11.0  # the external labels' font
            box = _text_box(text)
            assert not _overlap(box, envelope), (fid, text.text)  # beside it, not over it
            ex, ey = envelope[0] + 10, envelope[1] + 7
            assert abs(box[0] + box[2] / 2 - ex) < 80 and abs(box[1] + box[3] / 2 - ey) < 40  # and near it


def test_a_long_message_name_is_wrapped_and_a_missing_message_is_no_label():
    data = MESSAGES.read_bytes()
    long_name = "Søknad om plass i barnehage med vedlegg fra lege og helsestasjon"
    model = procmap.read(data.replace(b'name="S\xc3\xb8knad"/>', f'name="{long_name}"/>'.encode()))
    (_, texts), = [v for k, v in _message_labels(model, "di").items() if k == "messageFlow_1"]
    assert len(texts) >= 2 and " ".join(t.text for t in texts) == long_name
    assert all(_text_box(t)[2] <= 110 for t in texts)
    dangling = procmap.read(data.replace(b'messageRef="message_1"', b'messageRef="no_such_message"'))
    assert dangling.notation["messageFlow_1"].message and not dangling.notation["messageFlow_1"].message_name
    assert _message_labels(dangling, "di")["messageFlow_1"][1] == []


# -- what a side-by-side look at the corpus against bpmn-js found ------------------------------------
SVG_NS = "{http://www.w3.org/2000/svg}"
MIWG = CORPUS / "bpmn-miwg-test-suite"


def _svg(path: Path):
    from lxml import etree

    model = procmap.read(path)
    return model, etree.fromstring(procmap.stage_svg(model, lang="en").encode("utf-8"))


def test_a_shape_without_an_id_keeps_what_its_attributes_say():
    """OMNITRACKER writes BPMNShapes without an id: their isMarkerVisible still puts the X in the gateway."""
    path = MIWG / "OMNITRACKER BPMN 12.3" / "C.1.0-export.bpmn"
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    asked = {s.get("bpmnElement") for s in root.iter("{*}BPMNShape") if s.get("isMarkerVisible") == "true"}
    model, svg = _svg(path)
    assert asked and all(model.geometry.styles[g].marker_visible for g in asked)
    for g in svg.iter(SVG_NS + "g"):
        if g.get("data-element-id") in asked:
            assert g.findall(SVG_NS + "path"), g.get("data-element-id")  # the X is drawn


@pytest.mark.parametrize("path", [MIWG / "Reference" / "C.4.0.bpmn",
                                  MIWG / "Trisotech Workflow Modeler 12.6.3" / "C.5.0-export.bpmn"],
                         ids=["C.4.0", "Trisotech-C.5.0"])
def test_a_flow_label_moves_with_its_diagram(path):
    """Diagrams drawn one under the other: each flow's label stays beside its own flow."""
    import re

    model, svg = _svg(path)
    labelled = set(model.geometry.labels) & {f.id for f in model.sequence_flows if f.name}
    assert labelled
    lines = {g.get("data-element-id"): g for g in svg.iter(SVG_NS + "g") if g.get("data-element-id") in labelled}
    for g in svg.iter(SVG_NS + "g"):
        of = g.get("data-label-of")
        if of not in lines:
            continue
        points = [tuple(map(float, p.split(","))) for e in lines[of].iter()
                  for p in (e.get("points") or "").split()]
        ys = [float(t.get("y")) for t in g.iter(SVG_NS + "text")]
        assert points and ys and min(abs(y - py) for y in ys for _, py in points) < 80, of


def test_labels_without_bounds_are_drawn_whole_in_the_modellers_drawing():
    """bpmn.io wraps such a label as long as it is: 'Bewerbungsgespräch durchgeführt (keine Besetzung)' and
    '(Besetzung erfolgt)' must not both end in '…'."""
    for path in CORPUS_FILES:
        model, svg = _svg(path)
        names = {n.name for n in model.nodes} | {f.name for f in model.sequence_flows}
        cut = [t.text for t in svg.iter(SVG_NS + "text") if t.text and t.text.endswith("…")
               and not any(name and t.text in name for name in names if name.endswith("…"))]
        assert not cut, (path.name, cut[:3])


def test_icons_stay_readable_on_the_modellers_dark_fills():
    from procmap.render.theme import readable_ink

    assert readable_ink("#3e4c59", "#2953e7") == "#ffffff"  # grey on dark blue: white
    assert readable_ink("#3e4c59", "#fff8e6") == "#3e4c59"  # kept where it reads
    assert readable_ink("#000000", "#ffff00") == "#000000" and readable_ink("navy", "#000000") == "navy"


def test_the_modellers_border_colour_wins_on_an_automated_task():
    path = MIWG / "ARIS 10.2025.07" / "B.1.0-export.bpmn"
    model, svg = _svg(path)
    coloured = {k: v.stroke for k, v in model.geometry.styles.items() if v.stroke}
    automated = [n.id for n in model.nodes if n.automated and n.id in coloured]
    assert automated
    for g in svg.iter(SVG_NS + "g"):
        if g.get("data-element-id") in automated:
            rect = g.find(SVG_NS + "rect")
            assert rect.get("stroke").lower() == coloured[g.get("data-element-id")].lower()
            assert rect.get("stroke-dasharray")  # still an automated step


@pytest.mark.parametrize("path", [MIWG / "bpmn.io (Camunda Modeler) 18.6.1" / "C.1.0-export.bpmn",
                                  MIWG / "Reference" / "C.4.0.bpmn"], ids=["bioc-stroke", "color-color"])
def test_names_and_labels_take_the_modellers_text_colour(path):
    """As bpmn.io: a label's color:color, else the element's stroke colour."""
    model, svg = _svg(path)
    styles = model.geometry.styles
    wanted = {eid: (s.label or s.stroke).lower() for eid, s in styles.items() if s.label or s.stroke}
    nodes = {n.id for n in model.nodes if n.name}
    checked = 0
    for g in svg.iter(SVG_NS + "g"):
        eid = g.get("data-element-id")
        if eid in wanted and eid in nodes:
            fills = {t.get("fill").lower() for t in g.iter(SVG_NS + "text") if t.get("fill") and
                     "".join(t.itertext()).strip()}
            assert fills == {wanted[eid]}, (eid, fills)
            checked += 1
    assert checked >= 5
