"""Well-formed but odd input: one clear line naming the file, never a traceback, never a degenerate picture."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import procmap

ROOT = Path(__file__).resolve().parent.parent
LITE = sorted((ROOT / "samples" / "barnehage").glob("*.lite.xml"))
EMPTY = '<?xml version="1.0"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>\n'


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return subprocess.run([sys.executable, "-m", "procmap", *map(str, args)], capture_output=True, cwd=cwd, env=env)


def last_line(proc) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err.strip().splitlines()[-1]


@pytest.fixture
def empty(tmp_path):
    paths = []
    for name in ("a.bpmn", "b.bpmn"):
        (tmp_path / name).write_text(EMPTY, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_definitions_only_is_read_with_a_warning_and_compared_as_counts(empty):
    model = procmap.read(empty[0])
    assert not model.processes and not model.roles and any("holds no process" in w for w in model.warnings)
    proc = run("compare", *empty, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["roles"] == []


@pytest.mark.parametrize("command", [
    lambda e, out: ["compare", *e, "--html", out / "r.html"],
    lambda e, out: ["poster", *e, "-o", out / "p.pdf"],
    lambda e, out: ["draw", e[0], "-o", out / "d.png"],
], ids=["report", "poster", "draw"])
def test_nothing_to_draw_is_one_line_and_no_picture(empty, tmp_path, command):
    out = tmp_path / "out"
    proc = run(*command(empty, out))
    assert proc.returncode == 4 and "nothing to draw" in last_line(proc)
    assert not out.exists() or not list(out.iterdir())


def test_converting_a_file_without_a_process_writes_nothing(empty, tmp_path):
    proc = run("convert", empty[0], "-o", tmp_path / "x.lite.xml")
    assert proc.returncode == 1 and "no process" in last_line(proc)
    assert not (tmp_path / "x.lite.xml").exists()


def test_a_file_name_that_is_not_utf8(tmp_path):
    odd = os.fsencode(tmp_path) + b"/\xe6.lite.xml"
    with open(odd, "wb") as handle:
        handle.write(LITE[0].read_bytes())
    proc = subprocess.run([sys.executable, "-m", "procmap", "compare", odd, str(LITE[1]), "--json", "--html",
                           str(tmp_path / "r.html")], capture_output=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stages"][0]["source"].endswith("\\xe6.lite.xml")
    assert (tmp_path / "r.html").stat().st_size > 10_000


@pytest.mark.parametrize("args, needle", [
    (["--simulations", "100000000"], "simulations must be between 0 and 1,000,000"),
    (["--cases", "nan"], "cases per year must be a number"),
    (["--cases", "1e308"], "cases per year must be a number"),
    (["--rate", "inf"], "rate must be a number"),
    (["--seed", "-3"], "seed must be a whole number from 0 up"),
])
def test_numbers_out_of_range_are_refused_in_one_line(args, needle):
    proc = run("compare", *LITE, *args)
    assert proc.returncode == 2 and needle in last_line(proc)


def _mutated(tmp_path, source: Path, old: str, new: str, name: str, count: int = 0) -> Path:
    import re

    path = tmp_path / name
    path.write_text(re.sub(old, new, source.read_text(encoding="utf-8"), count=count), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "1e309", "-5"])
def test_bounds_that_are_no_drawing_are_warned_and_dropped_at_read_time(tmp_path, value):
    sample = ROOT / "samples/barnehage/2-eskjema.bpmn"
    path = _mutated(tmp_path, sample, r'(<dc:Bounds x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" )height="[0-9.]+"',
                    rf'\1height="{value}"', "odd.bpmn", count=3)
    model = procmap.read(path)
    assert len(model.geometry.shapes) == len(procmap.read(sample).geometry.shapes) - 3  # the three are dropped
    said = [w for w in model.all_warnings() if "out of range" in w]
    assert len(said) == 3 and all(w.startswith(str(path)) for w in said)
    for out in ("d.svg", "d.png", "d.pdf"):
        proc = run("draw", path, "-o", tmp_path / out)
        assert proc.returncode in (0, 4), proc.stderr
        if proc.returncode == 0:
            assert (tmp_path / out).stat().st_size > 1000
    proc = run("convert", path, "-o", tmp_path / "c.bpmn")
    assert proc.returncode == 0 and f"\"{value.lower()}\"" not in (tmp_path / "c.bpmn").read_text(encoding="utf-8").lower()


def test_minutes_beyond_reason_are_warned_and_left_out(tmp_path):
    path = _mutated(tmp_path, LITE[0], r'minutes="[0-9.]+"', 'minutes="1e308"', "m.lite.xml")
    model = procmap.read(path)
    assert all(t.effort is None or t.effort.minutes <= 525_600 for t in model.tasks)
    assert any("beyond 525600 minutes" in w for w in model.warnings)
    proc = run("compare", path, LITE[1], "--cases", "1000", "--html", tmp_path / "r.html", "--json")
    assert proc.returncode == 0, proc.stderr
    assert b"Infinity" not in proc.stdout and b"NaN" not in proc.stdout


@pytest.mark.parametrize("table, needle", [
    ("role,rate\nArkiv,100\narkiv,200\n", "has a rate on line 2 already"),
    ("role,rate,rate\nArkiv,100,100\n", "names the column rate more than once"),
    ("role,rate\nArkiv,1e308\n", "too large to be real"),
])
def test_careless_rate_tables_are_one_line(tmp_path, table, needle):
    rates = tmp_path / "rates.csv"
    rates.write_text(table, encoding="utf-8")
    proc = run("compare", *LITE, "--cases", "10", "--rates", rates)
    assert proc.returncode == 3 and needle in last_line(proc) and str(rates) in last_line(proc)


def test_a_png_too_large_for_cairo_is_scaled_down_with_a_note(tmp_path):
    import struct

    lanes = "".join(f'<lane name="Rolle {i}"><task id="t{i}" name="Oppgave {i}"/></lane>' for i in range(400))
    big = tmp_path / "big.lite.xml"
    big.write_text(f'<process name="Stor" stage="a">{lanes}</process>', encoding="utf-8")
    proc = run("draw", big, "-o", tmp_path / "big.png")
    assert proc.returncode == 0, proc.stderr
    w, h = struct.unpack(">II", (tmp_path / "big.png").read_bytes()[16:24])
    assert max(w, h) <= 32767 and w * h <= 64_000_000 and min(w, h) > 100
    assert "scaled down" in proc.stderr.decode()


@pytest.mark.parametrize("width", ["40000", "-5", "0"])
def test_a_png_width_out_of_range_is_one_line(tmp_path, width):
    proc = run("draw", LITE[0], "-o", tmp_path / "x.png", "--width", width)
    assert proc.returncode == 2 and "--width must be between 1 and 32,767" in last_line(proc)
    assert not list(tmp_path.iterdir())


def test_a_parser_message_over_lines_or_kilobytes_is_one_short_line():
    from lxml import etree

    from procmap.bpmn._xml import _syntax_message

    exc = etree.XMLSyntaxError("Unescaped '<' not allowed in\n  attributes values\n" + "x" * 11_000, 0, 3, 7)
    message, line, column = _syntax_message(exc)
    assert "\n" not in message and len(message) <= 230 and message.startswith("the XML is broken: Unescaped")
    assert (line, column) == (3, 7)


def test_a_large_drawing_becomes_a_pdf(tmp_path):
    """A big stage's PDF (the fuzzer's many-tasks case took CairoSVG minutes): made by rsvg-convert."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_model

    big = tmp_path / "big.bpmn"
    write_model(big, 3000, lanes=6)
    proc = run("draw", big, "-o", tmp_path / "big.pdf")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "big.pdf").read_bytes().startswith(b"%PDF")
