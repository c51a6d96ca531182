"""Efforts and rates tables: overrides as FACTS.md says, and every bad row named by file and line."""

import pandas as pd
import pytest

import procmap
from procmap import CompareError
from procmap.compare.effort import yearly
from test_compare import EFFORTS, LITE, RATES, role_stage, saving


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_the_sample_efforts_table():
    table = procmap.load_efforts(EFFORTS)
    assert [(r.line, r.task, r.minutes, r.low, r.high, r.stage) for r in table.rows] == [
        (2, "punch", 20, 15, 30, None),
        (3, "Vurder søknaden", 20, 15, 40, "manual"),
        (4, "Journalfør søknaden", 12, 8, 20, "e-form"),
    ]


def pert(minutes, low, high):
    """What procmap reports for minutes with a range (README, "The rules a comparison follows")."""
    return (low + 4 * minutes + high) / 6


@pytest.mark.parametrize("efforts", [EFFORTS, pd.read_csv(EFFORTS, dtype=str)], ids=["csv", "dataframe"])
def test_efforts_override_the_models(efforts):
    c = procmap.compare(LITE, efforts=efforts, cases_per_year=1000, rates=RATES)
    # FACTS "Role sums after overrides": minutes (low-high), reported as (low + 4 minutes + high) / 6.
    expected = {"Søker": ((100, 65, 165), (45, 30, 75), (35, 25, 55)),
                "Servicetorget": ((9, 7, 14), (2, 1, 5), None), "Arkiv": ((20, 13, 30), (17, 11, 30), (2, 1, 5)),
                "Saksbehandler": ((115, 88, 175), (100, 78, 145), (31, 26, 46)), "Integrasjon": (None, None, (0, 0, 0))}
    for role, sums in expected.items():
        for stage, m in zip(["manual", "e-form", "integrated"], sums):
            assert role_stage(c, stage, role).minutes == (None if m is None else pytest.approx(pert(*m))), (role, stage)
    assert [s.minutes for s in c.stages] == pytest.approx([pert(244, 173, 384), pert(164, 120, 255), pert(68, 52, 106)])
    # priced cost per case from those minutes and rates.csv
    rates = {"Servicetorget": 650, "Arkiv": 650, "Saksbehandler": 750, "Integrasjon": 0}
    for k, stage in enumerate(c.stages):
        cost = sum(pert(*expected[r][k]) * rate / 60 for r, rate in rates.items() if expected[r][k] is not None)
        assert sum(r.cost_per_year or 0 for r in stage.roles) == pytest.approx(cost * 1000, abs=1)
    assert not any("efforts" in w for w in c.warnings)
    # the change list shows the minutes that count
    punch = next(x for x in c.changes if x.before_id == "punch" and x.to_stage == "e-form")
    assert (punch.minutes_before, punch.minutes_after) == (pytest.approx(pert(20, 15, 30)),) * 2


def test_a_stage_row_beats_an_any_stage_row_whatever_the_order(tmp_path):
    table = _write(tmp_path, "e.csv", "task,minutes,stage\nvurder,40,e-form\nVurder søknaden,30,\n")
    c = procmap.compare(LITE, efforts=table)
    minutes = {x.to_stage: x.minutes_after for x in c.changes if x.after_id == "vurder"}
    assert minutes == {"e-form": 40, "integrated": 30}  # rows without low/high: the figures as written
    assert next(x for x in c.changes if x.before_id == "vurder").minutes_before == 30


def test_unknown_tasks_and_stages_in_the_efforts_table_are_listed(tmp_path):
    table = _write(tmp_path, "e.csv", "task,minutes,stage\nfinnes ikke,5,\npunch,5,integrated\n"
                   "vurder,5,papir\nFatt vedtak,12,\n")
    c = procmap.compare(LITE, efforts=table)
    [unknown] = [w for w in c.warnings if "match no task" in w]
    assert "2 rows" in unknown and "line 2 'finnes ikke'" in unknown and "line 3 'punch' (stage integrated)" in unknown
    assert any(f"{table}:4: stage 'papir' is not one of manual, e-form, integrated" in w for w in c.warnings)
    # Fatt vedtak 10 -> 12 did apply (a row without low/high: 12 as written; FACTS: 105 (78-160))
    assert role_stage(c, "manual", "Saksbehandler").minutes == pytest.approx(pert(105, 78, 160) + 2)


@pytest.mark.parametrize("text, where, what", [
    ("task,minutes\npunch,-5\n", 2, "minutes -5 is negative (task 'punch')"),
    ("task,minutes\npunch,20\nvurder,ti\n", 3, "minutes 'ti' is not a number (task 'vurder')"),
    ("task,minutes\npunch,\n", 2, "minutes is empty"),
    ("task,minutes,low,high\npunch,20,25,30\n", 2, "low 25 is above minutes 20"),
    ("task,minutes,low,high\npunch,20,10,15\n", 2, "high 15 is below minutes 20"),
    ("task,minutes\n,20\n", 2, "task column is empty"),
    ("task,minutes\npunch,20,5\n", 2, "3 fields but the header has 2"),
    ("navn,min\npunch,20\n", 1, "needs the columns task, minutes"),
    ("", 1, "empty"),
])
def test_bad_efforts_rows_are_named(tmp_path, text, where, what):
    table = _write(tmp_path, "efforts.csv", text)
    with pytest.raises(CompareError) as info:
        procmap.compare(LITE, efforts=table)
    message = str(info.value)
    assert message.startswith(f"{table}:{where}: ") and what in message and "\n" not in message


def test_efforts_file_missing(tmp_path):
    with pytest.raises(CompareError, match="efforts file not found"):
        procmap.compare(LITE, efforts=tmp_path / "nope.csv")


def test_semicolons_and_decimal_commas_as_excel_writes_them(tmp_path):
    table = tmp_path / "efforts.csv"
    table.write_bytes("\ufeffTask;Minutes;Low;High\npunch;12,5;10;20\n".encode("utf-8"))
    rows = procmap.load_efforts(table).rows
    assert (rows[0].minutes, rows[0].low, rows[0].high) == (12.5, 10, 20)
    latin = _write(tmp_path, "latin.csv", "")
    latin.write_bytes("task;minutes\nJournalfør søknaden;9\n".encode("cp1252"))
    assert procmap.load_efforts(latin).rows[0].task == "Journalfør søknaden"


# --------------------------------------------------------------------------- rates
def test_rates_table():
    table = procmap.load_rates(RATES)
    assert [(role, rate) for role, rate, _ in table.rates] == [
        ("Servicetorget", 650), ("Arkiv", 650), ("Saksbehandler", 750), ("Integrasjon", 0)]


@pytest.mark.parametrize("text, where, what", [
    ("role,rate\nArkiv,-650\n", 2, "rate -650 is negative (role 'Arkiv')"),
    ("role,rate\nArkiv,650\nSaksbehandler,mye\n", 3, "rate 'mye' is not a number (role 'Saksbehandler')"),
    ("role,rate\nArkiv,inf\n", 2, "not a finite number"),
    ("rolle,sats\nArkiv,650\n", 1, "needs the columns role, rate"),
])
def test_bad_rates_rows_are_named(tmp_path, text, where, what):
    table = _write(tmp_path, "rates.csv", text)
    with pytest.raises(CompareError) as info:
        procmap.compare(LITE, rates=table, cases_per_year=1000)
    assert str(info.value).startswith(f"{table}:{where}: ") and what in str(info.value)


def test_rates_as_a_mapping_and_unknown_roles(tmp_path):
    c = procmap.compare(LITE, rates={"saksbehandler": 750, "Vaktmester": 500}, cases_per_year=60)
    assert saving(c, "Saksbehandler", "manual", "integrated").money == pytest.approx(77 * 750)  # PERT: 109.67 - 32.67
    assert any("role 'Vaktmester' is in no stage" in w for w in c.warnings)
    with pytest.raises(CompareError, match="negative"):
        procmap.compare(LITE, rates={"Arkiv": -1})


def test_no_rates_at_all_says_so():
    c = procmap.compare(LITE, cases_per_year=1000)
    assert all(s.money is None for s in c.savings)
    assert any("no hourly rate given" in w for w in c.warnings)


def test_yearly_arithmetic():
    y = yearly(30, 1000, 600, 1500)
    assert (y.hours, y.money, y.fte) == (500, 300_000, pytest.approx(1 / 3))
    assert yearly(None, 1000, 600, 1500).hours is None
    assert yearly(30, None, 600, 1500).money is None


# --------------------------------------------------------------------------- aliases
def test_alias_table_errors(tmp_path):
    with pytest.raises(CompareError, match=r"aliases.csv:1: the aliases table needs the column alias"):
        procmap.load_aliases(_write(tmp_path, "aliases.csv", "role\nA\n"))
    with pytest.raises(CompareError, match=r"aliases.csv:2: alias and role must both be given"):
        procmap.load_aliases(_write(tmp_path, "aliases.csv", "alias\nA\n"))
    with pytest.raises(CompareError, match=r"aliases.csv:3: alias and role must both be given"):
        procmap.load_aliases(_write(tmp_path, "aliases.csv", "alias,role\nA,B\nC,\n"))
