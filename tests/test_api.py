"""The public surface: a flat namespace with an explicit, guarded __all__; a CLI whose commands all teach."""

import subprocess
import sys

import procmap
from procmap.cli import app


def test_all_names_exist_and_are_sorted():
    assert procmap.__all__ == sorted(procmap.__all__)
    for name in procmap.__all__:
        assert hasattr(procmap, name), name


def test_no_private_modules_leak_into_all():
    assert not [n for n in procmap.__all__ if n.startswith("_")]


def test_every_command_has_help_with_an_example():
    import typer.main

    group = typer.main.get_command(app)
    assert group.commands, "no commands"
    for name, command in group.commands.items():
        assert command.help and len(command.help) > 40, f"{name} lacks help"
        assert "Example" in command.help, f"{name} help has no example"
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert param.help, f"{name} --{param.name} lacks help"


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "procmap", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"procmap {procmap.__version__}"
    out = subprocess.run([sys.executable, "-m", "procmap", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "inspect" in out.stdout


def test_a_comparison_shows_itself_in_a_notebook():
    from conftest import SAMPLES

    comparison = procmap.compare(sorted((SAMPLES / "barnehage").glob("*.lite.xml")))
    html = comparison._repr_html_()
    assert "<table>" in html and "integrated" in html
    assert "<tr><th>Saksbehandler</th><td>11 <small>(109.667 min)</small></td>" in html  # (78 + 4 x 105 + 160) / 6
    assert "<tr><th>Integrasjon</th><td>–</td><td>–</td><td>4" in html


def test_the_readmes_first_python_example_runs(monkeypatch):
    """The notebook example under 'Reading a model' runs as written and shows what its comments say."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Reading a model"):readme.index("### What the reader copes with")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(root)
    namespace: dict = {}
    shown = {}
    for line in code.splitlines():
        statement = line.split("  #")[0].strip()
        try:
            shown[statement] = eval(statement, namespace)  # an expression: what the notebook shows
        except SyntaxError:
            exec(statement, namespace)
    assert shown["[r.name for r in model.roles]"] == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler"]
    assert list(shown["procmap.lanes_frame(model)"]["lane"]) == ["Søker", "Servicetorget", "Arkiv", "Saksbehandler"]
    assert isinstance(shown['model.geometry.bounds("fyll")'], procmap.Bounds)


def test_compare_and_poster_share_one_definition_of_the_comparison_options():
    import typer.main

    from procmap.options import CompareOptions, flags

    commands = typer.main.get_command(app).commands
    seen = {}
    for name in ("compare", "poster"):
        seen[name] = {p.name: (p.opts, p.help, p.default) for p in commands[name].params
                      if p.name.startswith("comparing__")}
    defined = flags(CompareOptions)
    assert seen["compare"] == seen["poster"] and len(seen["compare"]) == len(defined) >= 12
    assert {opts[0] for opts, _, _ in seen["compare"].values()} == {f"--{flag.name}" for _, flag, _ in defined}


def test_every_command_speaks_norwegian_by_default():
    """What people read (tables, report, pictures, poster, cards) is in the organisation's language."""
    import typer.main

    commands = typer.main.get_command(app).commands
    langs = {name: next(p.default for p in c.params if p.opts == ["--lang"]) for name, c in commands.items()
             if any(p.opts == ["--lang"] for p in c.params)}
    assert set(langs) >= {"compare", "draw", "poster", "routine"} and set(langs.values()) == {"nb"}
