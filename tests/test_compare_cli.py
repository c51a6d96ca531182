"""`procmap compare` through a real subprocess: the JSON shape, the text, the files, and one-line errors."""

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES
from test_compare import BPMN, EFFORTS, LITE, RATES

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return subprocess.run([sys.executable, "-m", "procmap", "compare", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env)


def one_line_error(proc, code):
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("procmap: "), proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def as_json():
    proc = run(*LITE, "--cases", 1000, "--rates", RATES, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_shape(as_json):
    assert set(as_json) == {"roles", "stages", "changes", "savings", "settings", "effort_known", "warnings",
                            "near_misses"}
    assert [s["name"] for s in as_json["stages"]] == ["manual", "e-form", "integrated"]
    first = as_json["stages"][0]
    assert {"name", "source", "roles", "tasks", "minutes", "handoffs"} <= set(first)
    sb = next(r for r in first["roles"] if r["role"] == "Saksbehandler")
    assert (sb["tasks"], sb["minutes"]) == (11, pytest.approx((78 + 4 * 105 + 160) / 6))  # FACTS 105 (78-160)
    assert {"role", "present", "tasks", "minutes", "manual", "automated", "system", "handoffs_in", "handoffs_out",
            "tasks_by_type", "tasks_without_minutes", "hours_per_year", "cost_per_year", "lane_ids"} == set(sb)
    change = as_json["changes"][0]
    assert {"from_stage", "to_stage", "change", "role", "role_after", "before_id", "after_id", "name_before",
            "name_after", "type_before", "type_after", "similarity", "matched_by", "minutes_before",
            "minutes_after"} == set(change)
    total = next(s for s in as_json["savings"] if s["role"] == "Total" and s["to_stage"] == "integrated"
                 and s["from_stage"] == "manual")
    # priced minutes saved, PERT of FACTS: Servicetorget 9.5, Arkiv 20.5 - 2.33, Saksbehandler 109.67 - 32.67
    assert total["money"] == pytest.approx((9.5 * 650 + (20.5 - 14 / 6) * 650 + 77 * 750) / 60 * 1000)
    assert set(total["hours_interval"]) == {"p10", "p50", "p90"}
    assert as_json["settings"]["cases_per_year"] == 1000 and as_json["settings"]["seed"] == 0


def test_json_is_the_same_for_bpmn_and_lite(as_json):
    proc = run(*BPMN, "--cases", 1000, "--rates", RATES, "--json")
    other = json.loads(proc.stdout)
    strip = lambda d: [[(r["role"], r["tasks"], r["minutes"]) for r in s["roles"]] for s in d["stages"]]
    assert strip(other) == strip(as_json)
    assert other["savings"] == as_json["savings"]


def test_text_output():
    proc = run(*LITE, "--cases", 1000, "--rates", RATES, "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Tasks per role" in out and "Task changes, Manual → E-form" in out
    assert ("Saksbehandler: 11 → 10 → 3 manual tasks, 0 → 0 → 1 automated steps; saves 1,283 hours and "
            "962,500 NOK a year (0.76 FTE)") in out
    assert "Servicetorget: 3 → 1 → – tasks; gone in Integrated" in out
    assert "Integrasjon: – → – → 0 manual tasks, – → – → 4 automated steps; new in Integrated (4 automated)" in out
    assert "Punch søknaden i fagsystemet" in out  # the change tables list the tasks
    assert "no hourly rate for Søker" in out


def test_text_in_norwegian_and_options():
    proc = run(*LITE, "--cases", 1000, "--rate", 700, "--lang", "nb", "--efforts", EFFORTS, "--seed", 3,
               "--simulations", 500, "--hours-per-fte", 1700)
    assert proc.returncode == 0, proc.stderr
    # efforts.csv: Saksbehandler 115 (88-175) -> 31 (26-46) minutes per case, (low + 4 minutes + high) / 6:
    # 120.5 - 32.67 = 87.83 min x 1000 / 60 = 1 464 h x 700 = 1 024 722 NOK, 0.86 FTE of 1 700 h.
    assert ("Saksbehandler: 11 → 10 → 3 manuelle oppgaver, 0 → 0 → 1 automatiske steg; sparer 1\u00a0464 timer og "
            "1\u00a0024\u00a0722 NOK i året (0,86 årsverk)") in proc.stdout
    assert "Endrede oppgaver, Manuell → E-skjema" in proc.stdout and "for hånd → på skjerm" in proc.stdout


def test_stage_names_option():
    proc = run(*LITE, "--stages", "papir, skjema ,integrert", "--json")
    data = json.loads(proc.stdout)
    assert [s["name"] for s in data["stages"]] == ["papir", "skjema", "integrert"]
    assert {c["from_stage"] for c in data["changes"]} == {"papir", "skjema"}


def test_alias_options(tmp_path):
    text = LITE[1].read_text(encoding="utf-8").replace('<lane name="Arkiv">', '<lane name="Dokumentsenter">')
    renamed = tmp_path / "2.lite.xml"
    renamed.write_text(text, encoding="utf-8")
    proc = run(LITE[0], renamed, "--json", "--alias", "Dokumentsenter=Arkiv")
    assert json.loads(proc.stdout)["roles"] == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler"]
    table = tmp_path / "aliases.csv"
    table.write_text("alias,role\nDokumentsenter,Arkiv\n", encoding="utf-8")
    proc = run(LITE[0], renamed, "--json", "--aliases", table)
    assert json.loads(proc.stdout)["roles"] == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler"]
    one_line_error(run(LITE[0], renamed, "--alias", "Dokumentsenter"), 2)  # a wrong option: a usage error


def test_csv_and_xlsx(tmp_path):
    import openpyxl  # noqa: F401  (in the test extra, so CI always checks the workbook)
    proc = run(*LITE, "--cases", 1000, "--csv", tmp_path / "tables", "--xlsx", tmp_path / "c.xlsx", "--json")
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)  # stdout stays pure JSON; the notes go to stderr
    names = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert names == ["changes.csv", "near_misses.csv", "roles.csv", "savings.csv", "stages.csv", "warnings.csv"]
    import pandas as pd
    roles = pd.read_csv(tmp_path / "tables" / "roles.csv", encoding="utf-8-sig")
    assert roles[(roles.stage == "manual") & (roles.role == "Saksbehandler")].tasks.item() == 11
    sheets = pd.read_excel(tmp_path / "c.xlsx", sheet_name=None)
    assert set(sheets) == {"stages", "roles", "changes", "savings", "near_misses", "warnings"}
    assert len(sheets["changes"]) == 44


def test_one_file_is_refused_with_a_hint():
    line = one_line_error(run(LITE[0]), 3)
    assert "need at least two stages" in line and "procmap inspect" in line


def test_a_bad_file_refuses_the_comparison(tmp_path):
    bad = tmp_path / "half.bpmn"
    bad.write_bytes(BPMN[1].read_bytes()[:3000])
    line = one_line_error(run(LITE[0], bad, LITE[2]), 2)
    assert str(bad) in line and "comparison refused" in line


def test_two_bad_files_are_both_named(tmp_path):
    proc = run(LITE[0], tmp_path / "nope.bpmn", tmp_path / "gone.xml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and "nope.bpmn" in lines[0] and "gone.xml" in lines[1]


@pytest.mark.parametrize("table, text, needle", [
    ("--efforts", "task,minutes\npunch,-3\n", ":2: minutes -3 is negative"),
    ("--efforts", "task,minutes\npunch,x\n", ":2: minutes 'x' is not a number"),
    ("--rates", "role,rate\nArkiv,-1\n", ":2: rate -1 is negative"),
    ("--rates", "role,rate\nArkiv,abc\n", ":2: rate 'abc' is not a number"),
])
def test_bad_tables_are_one_line(tmp_path, table, text, needle):
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    line = one_line_error(run(*LITE, "--cases", 10, table, path), 3)
    assert f"{path}{needle}" in line


@pytest.mark.parametrize("args, needle, code", [
    (["--cases", "-1"], "cases per year", 2),
    (["--rate", "-1"], "rate must be", 2),
    (["--stages", "a,b"], "2 stage names for 3 files", 3),
    (["--lang", "de"], "--lang", 2),
    (["--similarity", "2"], "similarity", 2),
])
def test_bad_options_are_one_line(args, needle, code):
    """A wrong option is a usage error (2) in every command; stages that do not fit the files cannot be compared (3)."""
    assert needle in one_line_error(run(*LITE, *args), code)


def test_bpmn_file_without_lanes():
    a10 = ROOT / "tests/corpus/bpmn/bpmn-miwg-test-suite/Reference/A.1.0.bpmn"
    proc = run(a10, a10, "--stages", "before,after", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "A.1.0: 3 → 3 tasks" in proc.stdout and "counts only" in proc.stdout


def test_compare_html_report_is_self_contained(tmp_path):
    out = tmp_path / "report.html"
    files = [str(p) for p in sorted((SAMPLES / "barnehage").glob("*.lite.xml"))]
    done = subprocess.run([sys.executable, "-m", "procmap", "compare", *files, "--cases", "1000", "--rates",
                           str(SAMPLES / "barnehage" / "rates.csv"), "--html", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") >= 2
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html)  # nothing fetched to view it
    for name in ("Søker", "Servicetorget", "Arkiv", "Saksbehandler", "Integrasjon", "Punch søknaden i fagsystemet"):
        assert name in html


def procmap_run(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return subprocess.run([sys.executable, "-m", "procmap", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env)


@pytest.mark.parametrize("args, needle", [
    (["serve", "--port", "abc"], "serve: Invalid value for '--port'"),
    (["compare", *LITE, "--svg", "x.svg"], "compare: No such option: --svg"),
    (["comapre", *LITE], "No such command 'comapre'. Did you mean 'compare'?"),
    (["draw"], "draw: Missing argument"),
])
def test_a_wrong_option_or_command_is_one_line_that_says_where_help_is(args, needle):
    line = one_line_error(procmap_run(*args), 2)
    assert needle in line and "-h' lists the options" in line


def test_procmap_alone_still_shows_the_commands():
    proc = procmap_run()
    assert proc.returncode == 2 and "Commands" in proc.stdout + proc.stderr


@pytest.mark.parametrize("flag, name, needle", [
    ("--xlsx", "tables.docx", "--xlsx (an Excel workbook) needs a name ending in .xlsx"),
    ("--html", "report.pdf", "--html (a web page) needs a name ending in .html or .htm"),
])
def test_a_table_output_named_for_another_format_is_refused_before_any_work(tmp_path, flag, name, needle):
    assert needle in one_line_error(run(*LITE, flag, tmp_path / name), 2)
    assert not (tmp_path / name).exists()


def test_a_side_table_that_cannot_be_read_is_bad_input_like_a_stage_file(tmp_path):
    assert "rates file not found" in one_line_error(run(*LITE, "--rates", tmp_path / "nope.csv"), 2)
    bad = tmp_path / "rates.csv"
    bad.write_text("role,rate\nArkiv,mye\n", encoding="utf-8")
    assert "rate 'mye' is not a number" in one_line_error(run(*LITE, "--rates", bad), 3)  # read, but wrong
