"""Careless commands lose no file: an output that is an input is refused before anything is written, every
output is written whole or not at all, and a folder or a file in the way is one line, in every command."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import procmap
from procmap import app
from procmap import files as pf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "barnehage"
LITE = sorted(SAMPLE.glob("*.lite.xml"))
BPMN = sorted(SAMPLE.glob("*.bpmn"))


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return subprocess.run([sys.executable, "-m", "procmap", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env)


def one_line(proc, code):
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("procmap: ") and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def stages(tmp_path):
    """Copies of the sample's stages, which a careless command could destroy."""
    copies = []
    for path in [*BPMN]:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    return copies


@pytest.mark.parametrize("command", [
    lambda s: ["convert", s[0], "-o", s[0]],
    lambda s: ["convert", s[0], "-o", s[0].parent / "." / s[0].name],
    lambda s: ["compare", *s, "--html", s[0]],
    lambda s: ["compare", *s, "--xlsx", s[1]],
    lambda s: ["routine", s[2], "--against", s[0], "-o", s[0].with_suffix(".md").parent / s[0].name],
    lambda s: ["poster", s[0], s[1], "-o", s[1]],
], ids=["convert", "convert-same-file-other-spelling", "compare-html", "compare-xlsx", "routine-against",
        "poster"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(stages, command):
    before = [digest(p) for p in stages]
    args = command(stages)
    proc = run(*args)
    if args[0] in ("routine", "poster"):  # the name's suffix is refused first: still nothing written
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
    else:
        assert "one of the input files" in one_line(proc, 1)
    assert [digest(p) for p in stages] == before


def test_a_poster_named_like_its_svg_input_is_refused(tmp_path):
    stage = tmp_path / "stage.svg"  # a lite file that happens to end in .svg: a picture name
    stage.write_bytes(LITE[0].read_bytes())
    proc = run("poster", stage, LITE[1], "-o", stage)
    assert "one of the input files" in one_line(proc, 1)
    assert stage.read_bytes() == LITE[0].read_bytes()


@pytest.mark.parametrize("command", [
    lambda out: ["draw", LITE[0], "-o", out],
    lambda out: ["poster", *LITE, "-o", out],
    lambda out: ["routine", LITE[0], "-o", out],
    lambda out: ["convert", LITE[0], "-o", out],
    lambda out: ["compare", *LITE, "--html", out],
    lambda out: ["compare", *LITE, "--xlsx", out],
], ids=["draw", "poster", "routine", "convert", "compare-html", "compare-xlsx"])
@pytest.mark.parametrize("where", ["a-folder", "under-a-file"])
def test_an_output_in_the_way_is_one_line_in_every_command(tmp_path, command, where):
    if where == "a-folder":
        out = tmp_path / "taken.pdf"
        out.mkdir()
        needle = "is a folder"
    else:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        out = blocker / "out.pdf"
        needle = "is a file, not a folder"
    assert needle in one_line(run(*command(out)), 1)


def test_writing_is_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("the old report", encoding="utf-8")
    os.chmod(target, 0o640)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(pf.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pf.write_atomic(target, "the new report")
    assert target.read_text(encoding="utf-8") == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no half-written temporary file left
    monkeypatch.undo()
    pf.write_atomic(target, "the new report")
    assert target.read_text(encoding="utf-8") == "the new report"
    assert os.stat(target).st_mode & 0o777 == 0o640  # the replaced file's mode is kept
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_library_refuses_an_input_as_output_before_any_work(stages):
    before = digest(stages[0])
    with pytest.raises(procmap.OutputError, match="one of the input files"):
        app.convert_file(stages[0], stages[0])
    assert digest(stages[0]) == before


@pytest.mark.parametrize("command", [
    ["compare", *LITE], ["poster", *LITE, "-o", "x.pdf"], ["draw", LITE[0], "-o", "x.svg"],
    ["routine", LITE[0]],
], ids=lambda c: c[0])
def test_a_wrong_language_is_the_same_error_in_every_command(tmp_path, command):
    line = one_line(run(*command, "--lang", "de", cwd=tmp_path), 2)
    assert "--lang must be one of en, nb, not 'de'" in line
    assert not list(tmp_path.iterdir())


def test_every_command_has_help_with_an_example_and_its_exit_statuses():
    import typer.main

    from procmap.cli import app

    for name, command in typer.main.get_command(app).commands.items():
        text = command.help or ""
        assert len(text) > 80 and "Example: procmap " + name in text and "Exit status:" in text, name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help"


@pytest.mark.parametrize("delay", [0.1, 0.2, 0.4, 0.8])
def test_ctrl_c_at_any_moment_is_one_line(tmp_path, delay):
    """Interrupted while Python still imports the command line, or while it works: one line, no traceback."""
    import signal
    import time

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "procmap", "poster", *map(str, LITE), "-o",
                             str(tmp_path / "p.pdf")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    text = err.decode("utf-8", "replace")
    if "Fatal Python error" in text or ("Traceback" in text and "procmap/__main__.py" not in text):
        # Python itself was still starting (site, encodings, runpy importing the package): before the entry
        # point ran there is no code of procmap's to say it in one line.
        pytest.skip("the signal came before Python had started procmap's entry point")
    assert "Traceback" not in text, text
    if proc.returncode != 0:  # 0: it was done before the signal came
        assert proc.returncode in (130, -signal.SIGINT), (proc.returncode, text)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_the_same_warning_in_many_places_is_counted_not_flooded(tmp_path):
    text = BPMN[0].read_text(encoding="utf-8")
    copies = "".join(f'<bpmn:manualTask id="fyll" name="Kopi {i}"/>' for i in range(40))
    path = tmp_path / "dups.bpmn"
    path.write_text(text.replace('<bpmn:manualTask id="fyll"', copies + '<bpmn:manualTask id="fyll"', 1),
                    encoding="utf-8")
    proc = run("draw", path, "-o", tmp_path / "d.svg")
    assert proc.returncode == 0, proc.stderr
    said = [line for line in proc.stderr.splitlines() if "used twice" in line or "more like this" in line]
    assert len(said) <= 6 and any("more like this" in line for line in said), proc.stderr
