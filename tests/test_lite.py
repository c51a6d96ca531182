"""BPMN-lite: the hand-writable dialect reads to the same model a BPMN export does."""

import pytest

import procmap
from procmap import LiteError
from conftest import SAMPLES

STAGES = ["1-manual", "2-eskjema", "3-integrert"]


def lite(tmp_path, body, root='<process name="Søknad" stage="manual">'):
    path = tmp_path / "x.lite.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{root}\n{body}\n</process>\n', encoding="utf-8")
    return path


def test_sample_stages_read_with_roles_and_task_counts():
    counts = {}
    for stage in STAGES:
        model = procmap.read(SAMPLES / "barnehage" / f"{stage}.lite.xml")
        assert model.format == "lite" and model.warnings == []
        counts[model.stage] = {r.name: sum(1 for t in model.tasks if model.role_of(t) == r) for r in model.roles}
    assert counts["manual"] == {"Søker": 6, "Servicetorget": 3, "Arkiv": 3, "Saksbehandler": 11}
    assert counts["e-form"] == {"Søker": 3, "Servicetorget": 1, "Arkiv": 2, "Saksbehandler": 10}
    assert counts["integrated"] == {"Søker": 3, "Integrasjon": 4, "Saksbehandler": 4, "Arkiv": 1}


@pytest.mark.parametrize("stage", STAGES)
def test_bpmn_sample_equals_lite_sample(stage):
    """The bundled BPMN 2.0 files are the lite files converted; both read to the same semantics."""
    a = procmap.read(SAMPLES / "barnehage" / f"{stage}.lite.xml")
    b = procmap.read(SAMPLES / "barnehage" / f"{stage}.bpmn")
    assert b.format == "bpmn" and b.has_geometry and all(b.geometry.bounds(n.id) for n in b.nodes)
    strip = {"line"}
    assert [n.model_dump(exclude=strip) for n in a.nodes] == [n.model_dump(exclude=strip) for n in b.nodes]
    assert [la.model_dump(exclude=strip) for la in a.lanes] == [la.model_dump(exclude=strip) for la in b.lanes]
    assert a.sequence_flows == b.sequence_flows and not a.geometry
    assert (a.name, a.stage) == (b.name, b.stage)


def test_kinds_minutes_and_ranges(tmp_path):
    model = procmap.read(lite(tmp_path, '''
      <lane name="Saksbehandler">
        <task id="a" name="Punch" kind="manual" minutes="15" low="10" high="25"/>
        <task id="b" name="Arkiver" kind="automated" minutes="0"/>
        <task id="c" name="Vurder" kind="userTask"/>
      </lane>'''))
    a, b, c = model.tasks
    assert (a.type, a.effort.minutes, a.effort.low, a.effort.high) == ("manualTask", 15, 10, 25)
    assert (b.type, b.automated, b.effort.minutes) == ("serviceTask", True, 0)
    assert (c.type, c.effort) == ("userTask", None)


def test_document_order_is_the_flow_when_no_flows(tmp_path):
    model = procmap.read(lite(tmp_path, '''
      <lane name="Søker"><start id="s"/><task id="a" name="Fyll ut"/></lane>
      <lane name="Saksbehandler"><task id="b" name="Vurder"/><end id="e"/></lane>'''))
    assert [(f.source, f.target) for f in model.sequence_flows] == [("s", "a"), ("a", "b"), ("b", "e")]
    assert any("document order" in w for w in model.warnings)


def test_flows_by_name_and_nested_lanes_and_namespace(tmp_path):
    model = procmap.read(lite(tmp_path, '''
      <lane name="Kommune">
        <lane name="Saksbehandler"><task name="Vurder søknaden"/></lane>
        <lane name="Arkiv"><task name="Arkiver"/></lane>
      </lane>
      <flow from="Vurder søknaden" to="arkiver"/>''',
        root='<process xmlns="https://procmap.dev/ns/lite/1" name="S" stage="e-form">'))
    assert [r.name for r in model.roles] == ["Saksbehandler", "Arkiv"]
    assert model.lane_by_id[model.lanes[1].id].parent_id == model.lanes[0].id
    (flow,) = model.sequence_flows
    assert (flow.source, flow.target) == ("vurder_soknaden", "arkiver")


def test_ids_are_made_from_names_with_norwegian_letters(tmp_path):
    model = procmap.read(lite(tmp_path, '<lane name="Søker"><task name="Fyll ut søknad på nett"/>'
                                        '<task name="Fyll ut søknad på nett"/></lane>'))
    assert [t.id for t in model.tasks] == ["fyll_ut_soknad_pa_nett", "fyll_ut_soknad_pa_nett_2"]


@pytest.mark.parametrize("body, message", [
    ('<lane><task name="a"/></lane>', "needs a name"),
    ('<lane name="A"><task id="x" name="a"/><task id="x" name="b"/></lane>', "used twice"),
    ('<lane name="A"><task name="a" kind="telepathic"/></lane>', "task kind 'telepathic' is unknown"),
    ('<lane name="A"><task/></lane>', "a <task> needs a name"),
    ('<lane name="A"></lane>', "no tasks"),
])
def test_lite_errors_name_file_and_line(tmp_path, body, message):
    path = lite(tmp_path, body)
    with pytest.raises(LiteError) as info:
        procmap.read(path)
    text = str(info.value)
    assert message in text and text.startswith(f"{path}:")


def test_lite_warnings_for_repairable_problems(tmp_path):
    model = procmap.read(lite(tmp_path, '''
      <lane name="A"><task id="a" name="a" minutes="-5"/><task id="b" name="b" minutes="ti"/>
        <task id="c" name="c" minutes="5" low="9"/></lane>
      <lane name="Tom"/>
      <note>free text</note><bogus/>
      <flow from="a" to="nowhere"/><flow from="a" to="b"/>'''))
    text = "\n".join(model.warnings)
    for expected in ("negative", "not a number", "does not hold", "lane 'Tom' is empty", "unknown element <bogus>",
                     "names no task"):
        assert expected in text
    assert [(f.source, f.target) for f in model.sequence_flows] == [("a", "b")]
    assert model.node_by_id["c"].effort.low is None


def test_bpmn_effort_from_camunda_and_procmap_attributes(tmp_path):
    path = tmp_path / "e.bpmn"
    path.write_text('''<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
    xmlns:procmap="https://procmap.dev/ns/1">
  <bpmn:process id="p">
    <bpmn:userTask id="a" name="A"><bpmn:extensionElements><camunda:properties>
      <camunda:property name="minutes" value="12,5"/><camunda:property name="minutes_high" value="20"/>
    </camunda:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:task id="b" name="B"><bpmn:extensionElements><zeebe:properties>
      <zeebe:property name="minutes" value="7"/></zeebe:properties></bpmn:extensionElements></bpmn:task>
    <bpmn:task id="c" name="C" procmap:minutes="3" procmap:low="1" procmap:high="6"/>
    <bpmn:task id="d" name="D" procmap:minutes="lots"/>
  </bpmn:process>
</bpmn:definitions>''', encoding="utf-8")
    model = procmap.read(path)
    eff = {n.id: n.effort for n in model.nodes}
    assert (eff["a"].minutes, eff["a"].high) == (12.5, 20)
    assert eff["b"].minutes == 7
    assert (eff["c"].minutes, eff["c"].low, eff["c"].high) == (3, 1, 6)
    assert eff["d"] is None and any("[d]" in w and "not a number" in w for w in model.warnings)


def test_the_readme_example_reads_without_warnings():
    """The complete example in the README's BPMN-lite section is a valid stage."""
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## BPMN-lite"):]
    example = section[section.index("```xml") + len("```xml"):section.index("```", section.index("```xml") + 6)]
    model = procmap.read(example.strip().encode("utf-8"))
    assert model.warnings == []
    assert [r.name for r in model.roles] == ["Søker", "Servicetorget", "Saksbehandler"]
    assert model.stage == "manual" and len(model.tasks) == 5
