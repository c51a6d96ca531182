"""The general rules of a comparison (docs/README-rules.md), each on small files written for it
(tests/data/rules/): all work counts, black-box pools take part, same lane = same role,
unknown is not zero, automated is not manual, a central figure inside its range."""

import json

import pytest

import procmap
from conftest import HERE
from procmap.views.terminal import summary_lines

RULES = HERE / "data" / "rules"


def pair(name):
    return [RULES / f"{name}-before.bpmn", RULES / f"{name}-after.bpmn"]


def role_stage(comparison, stage_index, role):
    return comparison.stages[stage_index].roles[comparison.roles.index(role)]


def saving(comparison, role):
    return next(s for s in comparison.savings if s.role == role)


# --------------------------------------------------------------------------- 1. all work counts
def test_call_activities_and_subprocesses_without_activities_are_tasks_of_their_lane():
    model = procmap.read(RULES / "work-before.bpmn")
    work = {n.id: n.type for n in model.tasks}
    # the call activity and the empty sub-process are work; the expanded sub-process counts its inside
    assert work == {"kart": "callActivity", "fyll": "userTask", "vurder": "subProcess", "skriv": "userTask",
                    "send": "serviceTask"}
    assert model.task_counts("proc") == {"callActivity": 1, "userTask": 2, "subProcess": 1, "serviceTask": 1}
    assert {n.id: n.effort.minutes for n in model.tasks} == {"kart": 10, "fyll": 20, "vurder": 30, "skriv": 15,
                                                             "send": 0}


def test_call_activities_are_matched_counted_and_take_minutes_across_stages():
    c = procmap.compare(pair("work"))
    soker, sb = (role_stage(c, 0, r) for r in ("Søker", "Saksbehandler"))
    assert (soker.tasks, soker.minutes, soker.tasks_by_type) == (2, 30, {"callActivity": 1, "userTask": 1})
    assert (sb.tasks, sb.minutes) == (3, 45)
    kinds = {(ch.before_id or ch.after_id): ch.change for ch in c.changes}
    assert kinds == {"kart": "kept", "fyll": "removed", "vurder": "kept", "skriv": "kept", "send": "kept"}
    assert saving(c, "Søker").minutes_per_case == 25 and saving(c, "Saksbehandler").minutes_per_case == 15


def test_the_efforts_table_reaches_call_activities(tmp_path):
    table = tmp_path / "efforts.csv"
    table.write_text("task,minutes\nFinn eiendommen i kartet,12\nvurder,40\n", encoding="utf-8")
    c = procmap.compare(pair("work"), efforts=table)
    assert role_stage(c, 0, "Søker").minutes == 32 and role_stage(c, 1, "Søker").minutes == 12
    assert not any("match" in w and "no task" in w for w in c.warnings)


def test_a_lite_call_and_an_empty_subprocess_are_work(tmp_path):
    path = tmp_path / "w.lite.xml"
    path.write_text('<process name="W"><lane name="A"><task id="c" kind="call" name="Sjekk register" minutes="4"/>'
                    '<subprocess id="s" name="Kontroller" minutes="6"/><subprocess id="x" name="Behandle">'
                    '<task id="t" name="Les" minutes="2"/></subprocess></lane></process>', encoding="utf-8")
    model = procmap.read(path)
    assert {n.id: n.type for n in model.tasks} == {"c": "callActivity", "s": "subProcess", "t": "task"}
    assert sum(n.effort.minutes for n in model.tasks) == 12


# --------------------------------------------------------------------------- 2. black-box pools
def test_a_black_box_pool_is_a_role_with_no_tasks():
    model = procmap.read(RULES / "blackbox-after.bpmn")
    box = next(r for r in model.roles if r.black_box)
    assert (box.id, box.name, box.process_id) == ("p_citizen", "Innbygger", None)


def test_a_citizen_drawn_as_a_black_box_is_present_and_its_message_flows_are_handoffs():
    c = procmap.compare(pair("blackbox"))
    before, after = role_stage(c, 0, "Innbygger"), role_stage(c, 1, "Innbygger")
    assert before.present and after.present and after.tasks == 0
    assert (after.handoffs_out, after.handoffs_in) == (1, 1) == (before.handoffs_out, before.handoffs_in)
    assert c.stages[1].handoffs == 2
    lines = summary_lines(c, "en")
    assert not any("gone" in line for line in lines)


# --------------------------------------------------------------------------- 3. same lane, same role
def test_a_lane_keeps_its_role_whatever_another_pool_holds():
    c = procmap.compare(pair("roles"))
    assert "Rådhuset / Saksbehandler" in c.roles and "Servicetorget / Saksbehandler" in c.roles
    assert role_stage(c, 1, "Rådhuset / Saksbehandler").tasks == 2
    assert not role_stage(c, 1, "Servicetorget / Saksbehandler").present
    kinds = {(ch.before_id or ch.after_id): ch.change for ch in c.changes}
    assert kinds == {"assess": "kept", "decide": "kept", "sign": "kept", "take": "removed", "forward": "removed"}


def test_a_role_is_named_the_same_in_every_stage_in_either_order():
    forward, backward = procmap.compare(pair("roles")), procmap.compare(pair("roles")[::-1])
    assert set(forward.roles) == set(backward.roles)
    assert not any(ch.change == "moved" for ch in forward.changes + backward.changes)


def test_unnamed_sibling_lanes_are_named_in_linear_time():
    """4 000 unnamed lanes: each role's name comes from one count per parent, not a scan per lane."""
    lanes = "".join(f'<lane id="l{i}"><flowNodeRef>t{i}</flowNodeRef></lane>' for i in range(4000))
    tasks = "".join(f'<task id="t{i}" name="T{i}"/>' for i in range(4000))
    text = (f'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">'
            f'<process id="p" name="P"><laneSet id="s">{lanes}</laneSet>{tasks}</process></definitions>')
    model = procmap.read(text.encode())
    names = [r.name for r in model.roles]
    assert names[0] == "lane 1" and names[-1] == "lane 4000" and len(set(names)) == 4000


# --------------------------------------------------------------------------- 4. unknown is not zero
def unknown(**settings):
    return procmap.compare([RULES / "unknown-before.lite.xml", RULES / "unknown-after.lite.xml"], **settings)


def test_a_saving_is_known_only_where_every_change_is_known():
    c = unknown(cases_per_year=100, rate=500)
    # Skolen: the form is unknown in both stages and unchanged, so its saving is known: 10 - 5 minutes
    assert saving(c, "Skolen").minutes_per_case == 5 and saving(c, "Skolen").hours == pytest.approx(500 / 60)
    # Kontoret: the letter without minutes is gone: unknown; and so is the total
    kontoret, total = saving(c, "Kontoret"), saving(c, "Total")
    assert (kontoret.minutes_per_case, kontoret.hours, kontoret.money) == (None, None, None)
    assert (total.minutes_per_case, total.hours, total.money, total.fte) == (None, None, None, None)
    data = json.loads(c.to_json())
    assert [s["minutes_per_case"] for s in data["savings"] if s["role"] in ("Kontoret", "Total")] == [None, None]


def test_an_unknown_saving_is_never_said_to_be_the_same_work():
    c = unknown()
    lines = summary_lines(c, "en")
    assert not any("same amount of work" in line for line in lines)
    assert "not known" in lines[-1] and "not known" in lines[1]
    assert "ukjent" in summary_lines(c, "nb")[-1]


# --------------------------------------------------------------------------- 5. automated is not manual
def test_automated_steps_and_system_lanes_are_not_manual_work():
    files = [RULES / "match-before.lite.xml", RULES / "match-after.lite.xml"]
    c = procmap.compare(files, system=["Fagsystem"])
    after = c.stages[1]
    assert (after.tasks, after.manual, after.automated) == (4, 1, 3)  # SMS and fee by machine, the system lane
    assert role_stage(c, 1, "Fagsystem").system and role_stage(c, 1, "Fagsystem").automated == 1
    total = saving(c, "Total")
    assert (total.tasks, total.manual, total.automated) == (-1, 2, -3)
    assert summary_lines(c, "en")[-1].startswith("In total: 3 → 1 manual tasks, 0 → 3 automated steps")
    unmarked = procmap.compare(files)
    assert role_stage(unmarked, 1, "Fagsystem").manual == 1


def test_the_aliases_table_can_mark_a_system_lane(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("alias,role,system\nFagsystem,,yes\nKundesenter,Kundesenteret,no\n", encoding="utf-8")
    c = procmap.compare([RULES / "match-before.lite.xml", RULES / "match-after.lite.xml"], aliases=table)
    assert "Kundesenteret" in c.roles and role_stage(c, 1, "Fagsystem").system


def test_a_system_that_names_no_lane_is_warned():
    c = procmap.compare([RULES / "match-before.lite.xml", RULES / "match-after.lite.xml"], system=["Robot"])
    assert any("--system 'Robot' names no lane" in w for w in c.warnings)


# --------------------------------------------------------------------------- 6. a figure inside its range
def test_every_saving_lies_inside_its_own_p10_p90_range():
    from conftest import SAMPLES

    files = sorted((SAMPLES / "barnehage").glob("*.lite.xml"))
    c = procmap.compare(files, cases_per_year=1000, rates=SAMPLES / "barnehage" / "rates.csv")
    ranged = [s for s in c.savings if s.hours_interval is not None and s.hours_interval.p10 < s.hours_interval.p90]
    assert len(ranged) >= 4
    for s in ranged:
        assert s.hours_interval.p10 <= s.hours <= s.hours_interval.p90, s
    total = next(s for s in c.savings if s.role == "Total" and (s.from_stage, s.to_stage) == ("manual", "integrated"))
    line = summary_lines(c, "en")[-1]
    assert f"saves {total.hours:,.0f} hours" in line and f"{total.hours_interval.p10:,.0f} to" in line
