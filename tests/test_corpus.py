"""Every real export in the corpus reads to the facts in expected.json."""

import pytest

import procmap
from conftest import CORPUS, EXPECTED

FILES = sorted(EXPECTED)


def _clean(name):
    return " ".join((name or "").split())


@pytest.mark.parametrize("rel", FILES)
def test_corpus_file_matches_expected(rel):
    expected = EXPECTED[rel]
    model = procmap.read(CORPUS / rel)
    got = procmap.summary(model)
    node_ids = {n.id for n in model.nodes}

    assert {p["id"]: p["task_counts"] for p in got["processes"]} == \
        {p["id"]: p["task_counts"] for p in expected["processes"]}

    want_lanes = [
        {"id": lane["id"], "name": _clean(lane["name"]), "parent_lane_id": lane["parent_lane_id"],
         "process_id": lane["process_id"],
         # expected.json keeps refs as written; procmap keeps those that name a flow node
         "flow_node_refs": [r for r in lane["flow_node_refs"] if r in node_ids]}
        for lane in expected["lanes"]
    ]
    got_lanes = [{k: lane[k] for k in ("id", "name", "parent_lane_id", "process_id", "flow_node_refs")}
                 for lane in got["lanes"]]
    assert got_lanes == want_lanes


@pytest.mark.parametrize("rel", FILES)
def test_corpus_flow_node_count(rel):
    model = procmap.read(CORPUS / rel)
    for proc in EXPECTED[rel]["processes"]:
        assert sum(1 for n in model.nodes if n.process_id == proc["id"]) == proc["flow_node_count"]


def test_dangling_and_non_node_refs_are_warned():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/MID Innovator 15.1.1.11026/C.7.0-export.bpmn")
    text = "\n".join(model.warnings)
    assert "dataObjectReference, not a flow node" in text
    assert all("C.7.0-export.bpmn:" in w for w in model.warnings)


def test_geometry_places_nodes_missing_from_lanes():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/OMNITRACKER BPMN 12.3/C.1.0-export.bpmn")
    node = model.node_by_id["_40"]  # 'Approve Invoice', listed in no lane
    assert model.lane_by_id[node.lane_id].name == "Approver"
    assert node.lane_source == "geometry"
    assert any("[_40]" in w and "where the diagram draws it" in w for w in model.warnings)


def test_boundary_events_take_the_lane_of_their_host():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/B.2.0.bpmn")
    boundary = [n for n in model.nodes if n.type == "boundaryEvent"]
    assert boundary
    for event in boundary:
        lanes = {lane.process_id for lane in model.lanes}
        if event.process_id in lanes:
            assert event.lane_id is not None


def test_nested_subprocess_nodes_count_for_the_lane_that_holds_them():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/A.4.0.bpmn")
    nested = [n for n in model.nodes if n.parent_id]
    assert nested and all(n.lane_id == model.node_by_id[n.parent_id].lane_id for n in nested)


def test_wrong_encoding_declaration_falls_back_with_warning():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/GenMyModel 0.47/C.1.0-export.bpmn")
    assert any(n.name == "Rechnung klären" for n in model.nodes)
    assert any(":97:" in w and "windows-1252" in w for w in model.warnings)


def test_mojibake_in_valid_xml_is_kept_as_written():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/bpmn.io (Camunda Modeler) 18.6.1/C.1.0-export.bpmn")
    assert any("klÃ" in n.name for n in model.nodes)


def test_qname_references_are_resolved():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/GenMyModel 0.47/C.1.0-export.bpmn")
    assert all(p.process_id in {q.id for q in model.processes} for p in model.participants)
    # The flows' ends are written as QNames here (prefix:id): resolved, each is a flow node or a pool of the model.
    ends = set(model.node_by_id) | {p.id for p in model.participants}
    assert model.message_flows and all({f.source, f.target} <= ends for f in model.message_flows)


@pytest.mark.parametrize("rel", FILES)
def test_message_flows_connect_flow_nodes_or_pools(rel):
    """The reader keeps a message flow's ends as written (resolved QNames); in the corpus each is a node or a pool."""
    model = procmap.read(CORPUS / rel)
    ends = set(model.node_by_id) | {p.id for p in model.participants}
    assert [f.id for f in model.message_flows if not {f.source, f.target} <= ends] == []


def test_geometry_is_read_where_present_and_absent_otherwise():
    with_di = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/C.1.0.bpmn")
    assert with_di.has_geometry and all(with_di.geometry.bounds(n.id) for n in with_di.nodes)
    assert all(with_di.geometry.waypoints(f.id) for f in with_di.sequence_flows)
    without = procmap.read(CORPUS / "bpmn-miwg-test-suite/IBM BlueWorks Live April 2014/A.2.0-export.bpmn")
    assert not without.has_geometry


def test_vertical_lanes_are_known_as_vertical():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/A.4.1.bpmn")
    assert model.lanes and all(model.geometry.horizontal(lane.id) is False for lane in model.lanes)


def test_black_box_pools_have_no_process():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Bonita BPM 7.2.3/A.4.0-export.bpmn")
    assert sum(p.process_id is None for p in model.participants) == 3


def test_roles_are_leaf_lanes_named_by_path_when_names_repeat():
    model = procmap.read(CORPUS / "bpmn-js/test/fixtures/bpmn/draw/pools-with-collection-marker.bpmn")
    leaves = [lane for lane in model.lanes if lane.is_leaf]
    assert [r.id for r in model.roles if r.lane_id] == [lane.id for lane in leaves]
    assert len({r.name for r in model.roles}) == len(model.roles)


@pytest.mark.parametrize("rel", FILES)
def test_reader_output_is_valid_against_the_model(rel):
    """The reader builds models without re-validating them; prove that what it builds is valid."""
    model = procmap.read(CORPUS / rel)
    again = procmap.Model.model_validate(model.model_dump())
    assert again == model


def test_processes_without_lanes_that_share_a_name_stay_separate_roles():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/B.2.0.bpmn")
    # two unnamed lane-less processes, both called after the file ("B.2.0"), and one pool named "Participant"
    laneless = [r for r in model.roles if r.lane_id is None]
    shared = [r for r in laneless if r.name.startswith("B.2.0")]
    assert len(shared) == 2 and len({r.name for r in laneless}) == len(laneless)
    assert all(r.name.endswith(f"({r.process_id})") for r in shared)
