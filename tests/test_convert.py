"""Lite -> BPMN 2.0 -> lite: lossless round trips, standard namespaces, effort that survives editing."""

import subprocess
from pathlib import Path
import sys

import pytest
from lxml import etree

import procmap
from procmap.views.convert import to_bpmn, to_lite
from conftest import CORPUS, SAMPLES

LITES = sorted((SAMPLES / "barnehage").glob("*.lite.xml"))
SEMANTIC = {"line"}


def semantics(model):
    return (
        [n.model_dump(exclude=SEMANTIC) for n in model.nodes],
        [la.model_dump(exclude=SEMANTIC) for la in model.lanes],
        sorted((f.id, f.source, f.target, f.name) for f in model.sequence_flows),
        [(p.id, p.name) for p in model.processes],
        [(p.id, p.name, p.process_id) for p in model.participants],
        model.name, model.stage,
    )


@pytest.mark.parametrize("path", LITES, ids=lambda p: p.name)
def test_lite_to_bpmn_and_back_is_lossless(path):
    lite = procmap.read(path)
    bpmn = procmap.read(to_bpmn(lite))
    assert semantics(bpmn) == semantics(lite)
    again = procmap.read(to_lite(bpmn))
    assert semantics(again) == semantics(lite)
    assert bpmn.warnings == [] and again.warnings == []


@pytest.mark.parametrize("path", LITES, ids=lambda p: p.name)
def test_bpmn_output_has_full_geometry_and_bpmn_io_prefixes(path):
    data = to_bpmn(procmap.read(path))
    root = etree.fromstring(data)
    assert root.prefix == "bpmn"
    assert root.nsmap["bpmndi"] == "http://www.omg.org/spec/BPMN/20100524/DI"
    assert root.nsmap["dc"] == "http://www.omg.org/spec/DD/20100524/DC"
    model = procmap.read(data)
    shapes = {el.get("bpmnElement") for el in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")}
    edges = {el.get("bpmnElement") for el in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge")}
    assert {n.id for n in model.nodes} | {la.id for la in model.lanes} | {p.id for p in model.participants} <= shapes
    assert {f.id for f in model.sequence_flows} <= edges
    # every node sits inside the band of its lane
    for node in model.nodes:
        assert model.geometry.bounds(node.lane_id).contains(model.geometry.bounds(node.id)), node.id


def test_effort_is_written_as_camunda_properties(tmp_path):
    data = to_bpmn(procmap.read(SAMPLES / "barnehage" / "1-manual.lite.xml"))
    root = etree.fromstring(data)
    props = root.findall(".//{http://camunda.org/schema/1.0/bpmn}property")
    assert {p.get("name") for p in props} == {"minutes", "minutes_low", "minutes_high"}


def test_corpus_bpmn_reexports_keep_semantics_and_geometry():
    path = CORPUS / "bpmn-miwg-test-suite/Reference/C.1.0.bpmn"
    model = procmap.read(path)
    again = procmap.read(to_bpmn(model))
    assert semantics(again) == semantics(model)
    assert [again.geometry.bounds(n.id) for n in again.nodes] == [model.geometry.bounds(n.id) for n in model.nodes]
    assert all(again.geometry.waypoints(f.id) == model.geometry.waypoints(f.id) for f in model.sequence_flows)


def test_subprocess_contents_get_their_own_diagram(tmp_path):
    path = tmp_path / "s.lite.xml"
    path.write_text('<process name="S"><lane name="A"><start id="s"/><subprocess id="sp" name="Behandle">'
                    '<task id="t1" name="Les"/><task id="t2" name="Skriv"/></subprocess><end id="e"/></lane>'
                    '</process>', encoding="utf-8")
    lite = procmap.read(path)
    bpmn = procmap.read(to_bpmn(lite))
    assert semantics(bpmn) == semantics(lite)
    assert bpmn.geometry.bounds("t1") is not None and bpmn.node_by_id["t1"].lane_id == "a"


def test_cli_convert_both_ways(tmp_path):
    out = tmp_path / "m.bpmn"
    run = subprocess.run([sys.executable, "-m", "procmap", "convert", str(LITES[0]), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "BPMN 2.0" in run.stdout
    back = tmp_path / "m.lite.xml"
    run = subprocess.run([sys.executable, "-m", "procmap", "convert", str(out), "-o", str(back)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert semantics(procmap.read(back)) == semantics(procmap.read(LITES[0]))


def test_cli_convert_not_a_model_is_one_line(tmp_path):
    bad = tmp_path / "pom.xml"
    bad.write_text("<project/>")
    run = subprocess.run([sys.executable, "-m", "procmap", "convert", str(bad), "-o", str(tmp_path / "x.bpmn")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "not a process model" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


SCHEMA_DIR = Path(__file__).parent / "schema" / "bpmn20"


@pytest.fixture(scope="module")
def bpmn_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "BPMN20.xsd")))


@pytest.mark.parametrize("path", LITES, ids=lambda p: p.name)
def test_bpmn_output_is_valid_against_the_omg_schema(path, bpmn_schema):
    doc = etree.fromstring(to_bpmn(procmap.read(path)))
    assert bpmn_schema.validate(doc), bpmn_schema.error_log


def test_subprocess_output_is_valid_against_the_omg_schema(tmp_path, bpmn_schema):
    path = tmp_path / "s.lite.xml"
    path.write_text('<process name="S" stage="x"><lane name="A"><start id="s"/><subprocess id="sp" name="B">'
                    '<task id="t1" name="Les" minutes="3"/><task id="t2" name="Skriv"/></subprocess>'
                    '<gateway id="g" kind="parallel"/><end id="e"/></lane></process>', encoding="utf-8")
    doc = etree.fromstring(to_bpmn(procmap.read(path)))
    assert bpmn_schema.validate(doc), bpmn_schema.error_log


CORPUS_FILES = sorted(CORPUS.rglob("*.bpmn"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_reexports_as_valid_bpmn_with_the_same_semantics(path, bpmn_schema):
    model = procmap.read(path)
    data = to_bpmn(model)
    assert bpmn_schema.validate(etree.fromstring(data)), bpmn_schema.error_log
    again = procmap.read(data)
    assert [n.model_dump(exclude=SEMANTIC | {"lane_source"}) for n in again.nodes] == \
        [n.model_dump(exclude=SEMANTIC | {"lane_source"}) for n in model.nodes]


def test_cli_convert_to_lite_says_which_processes_it_left_out_and_counts_what_it_wrote(tmp_path):
    from typer.testing import CliRunner

    from procmap.cli import app

    source = CORPUS / "bpmn-miwg-test-suite/Reference/B.2.0.bpmn"
    out = tmp_path / "b2.lite.xml"
    result = CliRunner().invoke(app, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 0
    written = procmap.read(out)
    assert f"BPMN-lite, {len(written.tasks)} tasks in {len(written.roles)} roles)" in result.output
    assert len(written.tasks) < len(procmap.read(source).tasks)
    assert "BPMN-lite holds one process" in result.output and "--process" in result.output
