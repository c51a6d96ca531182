"""Start-up: the package's names load on first use, and reading a file imports no heavy dependency."""

import subprocess
import sys
from pathlib import Path

import procmap

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "samples/barnehage/1-manual.bpmn"
HEAVY = ("pandas", "numpy", "cairosvg", "cairocffi", "rich", "graphviz")


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_every_lazy_name_is_public_and_every_public_name_is_lazy():
    assert sorted(procmap._SOURCES) == procmap.__all__
    assert set(procmap.__all__) <= set(dir(procmap))


def test_an_unknown_name_is_an_attribute_error():
    try:
        procmap.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("procmap.no_such_name resolved")


def test_importing_and_reading_imports_no_heavy_dependency():
    out = _python(f"import procmap, sys; procmap.read({SAMPLE!r}); "
                  f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    assert out == "[]"


def test_import_procmap_alone_imports_neither_the_reader_nor_pydantic_models():
    out = _python("import procmap, sys; print(sorted(m for m in ('procmap.bpmn.reader', 'procmap.model.elements', "
                  "'lxml.etree', 'pydantic') if m in sys.modules))")
    assert out == "[]"


def test_comparing_and_counting_without_money_imports_neither_pandas_nor_numpy():
    out = _python("import procmap, sys; procmap.compare(sorted(__import__('pathlib').Path('samples/barnehage')"
                  ".glob('*.lite.xml'))); print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))")
    assert out == "[]"


COMPARE = """
import sys
{first}
import procmap
c = procmap.compare(sorted(__import__('pathlib').Path('samples/barnehage').glob('*.lite.xml')), cases_per_year=100)
print(procmap.compare is sys.modules['procmap.compare'], callable(procmap.compare),
      [(s.name, s.tasks) for s in c.stages], c.savings[-1].hours)
"""


def test_procmap_compare_is_the_same_callable_whichever_import_came_first():
    firsts = ("", "import procmap.compare.match", "from procmap.compare.run import compare",
              "import procmap.compare", "import procmap; procmap.read('samples/barnehage/1-manual.bpmn')",
              "from procmap import compare")
    outs = {first: _python(COMPARE.format(first=first)) for first in firsts}
    assert len(set(outs.values())) == 1, outs
    assert next(iter(outs.values())).startswith("True True [(")


def test_from_procmap_import_compare_runs_the_comparison():
    from procmap import compare

    from conftest import SAMPLES

    comparison = compare(sorted((SAMPLES / "barnehage").glob("*.lite.xml")))
    assert [s.name for s in comparison.stages] == [s.name for s in procmap.compare(
        sorted((SAMPLES / "barnehage").glob("*.lite.xml"))).stages]


def test_the_entry_point_hands_the_command_a_running_collector_with_the_imports_frozen():
    """The command's entry point pauses the collector while it imports, at the process's edge only: the
    command itself runs with the collector on, and what the imports made is kept out of its collections."""
    out = _python("import gc, procmap.cli, procmap.__main__ as entry\n"
                  "seen = []\n"
                  "procmap.cli.main = lambda: seen.append((gc.isenabled(), gc.get_freeze_count() > 1000))\n"
                  "entry.main(); print(seen)")
    assert out == "[(True, True)]"


def test_the_entry_point_turns_the_collector_back_on_when_the_import_fails():
    out = _python("import gc, sys, procmap.__main__ as entry\n"
                  "sys.modules['procmap.cli'] = None  # the import fails\n"
                  "try:\n    entry.main()\nexcept ImportError:\n    print(gc.isenabled())")
    assert out == "True"
