"""A library safe to share: a web server (many users, threads, one process) and a portfolio
mode (process pools) use procmap at once.

- reading, comparing and drawing from 8 threads, or in worker processes, gives byte for
  byte what one thread gives;
- the collector pause leaves ``gc.isenabled()`` as it found it, however pauses overlap
  and whether or not they raise;
- nothing procmap hands out (themes, texts, tables) can be changed to change the next
  picture;
- a model is a value: drawing it, pickling it and comparing it leave it as it was.
"""

from __future__ import annotations

import copy
import gc
import importlib
import pickle
import pkgutil
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

import procmap
from procmap._gc import paused

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "barnehage"
NAMES = ("1-manual", "2-eskjema", "3-integrert")
SUFFIXES = (".bpmn", ".lite.xml")
THREADS = 8


# -- the work, as module-level functions so that worker processes can run them ---------------
def read_stages(suffix: str) -> list[procmap.Model]:
    return [procmap.read(SAMPLES / (name + suffix)) for name in NAMES]


def compare(models) -> procmap.Comparison:
    return procmap.compare(models, cases_per_year=1000, rates=SAMPLES / "rates.csv", simulations=500)


def pictures(models, comparison=None) -> tuple[str, tuple[str, ...], str]:
    """The comparison's JSON, each stage's picture and the stages side by side."""
    comparison = comparison or compare(models)
    return comparison.to_json(), tuple(procmap.stage_svg(m) for m in models), procmap.stages_svg(models, comparison)


def run(suffix: str) -> tuple[str, tuple[str, ...], str]:
    """Read, compare and draw the three sample stages."""
    return pictures(read_stages(suffix))


def run_all(_: object = None) -> dict[str, tuple[str, tuple[str, ...], str]]:
    return {suffix: run(suffix) for suffix in SUFFIXES}


def worker_state(_: object = None) -> tuple[bool, dict]:
    """What a worker process ends with: the collector's switch, and the results."""
    results = run_all()
    return gc.isenabled(), results


def snapshot(model: procmap.Model) -> dict:
    """Everything a model says, without converting its diagram (model_dump would)."""
    def dump(items):
        return [item.model_dump() for item in items]

    return {
        "head": (model.source, model.format, model.name, model.stage),
        "warnings": list(model.warnings),
        "processes": dump(model.processes),
        "participants": dump(model.participants),
        "lanes": dump(model.lanes),
        "nodes": dump(model.nodes),
        "sequence_flows": dump(model.sequence_flows),
        "message_flows": dump(model.message_flows),
        "roles": dump(model.roles),
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, tuple[str, tuple[str, ...], str]]:
    """One thread's results, made once per test run (so a date on a picture would match too)."""
    return run_all()


@pytest.fixture
def fast_switching():
    """Switch threads as often as possible, so that races show at once."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.fixture
def gc_restored():
    """Leave the collector as found even when a test fails."""
    enabled = gc.isenabled()
    yield enabled
    (gc.enable if enabled else gc.disable)()


# -- the collector ------------------------------------------------------------------------------------
def _pause_storm(worker: int, rounds: int, barrier: threading.Barrier) -> int:
    raised = 0
    barrier.wait()
    for i in range(rounds):
        try:
            with paused():
                assert not gc.isenabled()
                with paused():  # nested: the inner end must not switch the collector back on
                    if (worker + i) % 5 == 0:
                        raise RuntimeError("inside the pause")
                assert not gc.isenabled()
        except RuntimeError:
            raised += 1
    return raised


@pytest.mark.parametrize("enabled", [True, False], ids=["found-on", "found-off"])
def test_pause_is_counted_across_threads(enabled, gc_restored, fast_switching):
    for _ in range(5):
        (gc.enable if enabled else gc.disable)()
        barrier = threading.Barrier(THREADS)
        with ThreadPoolExecutor(THREADS) as pool:
            raised = list(pool.map(_pause_storm, range(THREADS), [300] * THREADS, [barrier] * THREADS))
        assert sum(raised) > 0
        assert gc.isenabled() is enabled


def test_pause_restores_after_a_raise(gc_restored):
    gc.enable()
    with pytest.raises(ValueError):
        with paused():
            with paused():
                raise ValueError
    assert gc.isenabled()
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def _real_work(i: int) -> None:
    """Read, compare and draw; every third call fails inside a pause."""
    if i % 3 == 0:
        with pytest.raises(procmap.ReadError):
            procmap.read(b"<definitions><unclosed></definitions>")  # raises inside read's pause
    elif i % 3 == 1:
        models = read_stages(".lite.xml")
        with pytest.raises(procmap.CompareError):
            procmap.compare(models, stages=["only one name"])  # raises inside compare's pause
    else:
        run(SUFFIXES[i % 2])


def test_gc_as_found_after_threads_read_compare_and_draw(gc_restored, fast_switching):
    for enabled in (True, False, True, True):
        (gc.enable if enabled else gc.disable)()
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(_real_work, range(3 * THREADS)))
        assert gc.isenabled() is enabled


# -- many threads, one process --------------------------------------------------------------------------
def test_threads_give_what_one_thread_gives(expected, gc_restored):
    enabled = gc.isenabled()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(run_all, range(2 * THREADS)))
    assert gc.isenabled() is enabled
    for result in results:
        assert result == expected


def test_threads_sharing_the_same_models(expected, gc_restored):
    """One request's models drawn from many threads at once: each diagram converted once, under its own lock."""
    enabled = gc.isenabled()
    for suffix in SUFFIXES:
        models = read_stages(suffix)
        before = [snapshot(m) for m in models]
        if suffix == ".bpmn":
            assert not any(m.geometry.loaded for m in models)  # the diagrams are still kept as bytes
        barrier = threading.Barrier(THREADS)

        def draw(_):
            barrier.wait()
            return pictures(models)

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(draw, range(THREADS)))
        assert all(result == expected[suffix] for result in results)
        assert [snapshot(m) for m in models] == before
    assert gc.isenabled() is enabled


# -- worker processes -----------------------------------------------------------------------------------
def test_processes_give_what_one_thread_gives(expected, gc_restored):
    enabled = gc.isenabled()
    models = read_stages(".bpmn")  # deferred diagrams: pickling converts them
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        states = list(pool.map(worker_state, range(2)))
        drawn = pool.submit(pictures, models).result()  # models sent to a worker, pickled
    for worker_gc, results in states:
        assert worker_gc is True  # a fresh process's collector, left on
        assert results == expected
    assert drawn == expected[".bpmn"]
    assert gc.isenabled() is enabled


# -- a model is a value ---------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_drawing_and_pickling_leave_the_model_as_it_was(suffix, tmp_path):
    plain = read_stages(suffix)
    plain_json = compare(plain).to_json()

    models = read_stages(suffix)
    before = [snapshot(m) for m in models]
    for model in models:
        procmap.stage_svg(model)
        procmap.draw(model)
    comparison = compare(models)
    procmap.stages_svg(models, comparison)
    procmap.poster(models, comparison)
    procmap.poster(models, comparison, tmp_path / "poster.svg")
    assert [snapshot(m) for m in models] == before
    assert compare(models).to_json() == plain_json  # whether or not they were drawn before

    copies = [pickle.loads(pickle.dumps(m)) for m in models]
    assert [snapshot(m) for m in models] == before
    assert [snapshot(m) for m in copies] == before
    assert compare(copies).to_json() == plain_json
    assert [procmap.stage_svg(m) for m in copies] == [procmap.stage_svg(m) for m in models]


def test_copies_of_a_deferred_geometry_have_their_own_lock():
    model = read_stages(".bpmn")[0]
    shallow = model.model_copy()
    assert shallow.geometry is model.geometry  # shares the geometry, and so its lock: right
    for other in (pickle.loads(pickle.dumps(model.geometry)), copy.copy(model.geometry),
                  copy.deepcopy(model).geometry):
        assert other._lock is not model.geometry._lock
        assert other == model.geometry
        assert other.loaded


def test_the_fields_set_models_share_cannot_change():
    """Models a reader made share one fields set per class; changing it would change them all."""
    from procmap.model.elements import Model

    models = read_stages(".bpmn")
    for fields in (models[0].model_fields_set, models[0].nodes[0].model_fields_set):
        with pytest.raises(TypeError):
            fields.discard("name")
        with pytest.raises(TypeError):
            fields.add("not a field")
        mine = set(fields)
        mine.discard("name")
        assert "name" in fields
    assert set(Model.model_fields) <= models[1].model_fields_set
    models[0].stage = "renamed"  # pydantic adds the name to the set: it is there already
    assert type(models[0].model_copy(update={"stage": "x"}).model_fields_set) is set


# -- nothing handed out changes the next picture ----------------------------------------------------------
def test_changing_what_procmap_hands_out_changes_nothing():
    from procmap.layout import SIZES
    from procmap.render import DEFAULT_THEME, PAPER_MM, TEXTS, THEMES
    from procmap.render.draw import Painter
    from procmap.render.theme import MONO_THEME, resolve_theme
    from procmap.words import words

    models = read_stages(".bpmn")
    comparison = compare(models)
    before = {theme: (procmap.stage_svg(models[0], theme=theme), procmap.stages_svg(models, comparison, theme=theme))
              for theme in (None, "mono")}

    # What the library hands out to change: fresh each time.
    for name in (None, "default", "mono"):
        theme = resolve_theme(name)
        theme["task_fill"] = "#000000"
        theme["stages"][0] = "#000000"
        theme["stages"].append("#123456")
    own = {"stages": ["#111111", "#222222"]}
    theme = resolve_theme(own)
    theme["stages"].append("#333333")
    assert own == {"stages": ["#111111", "#222222"]}
    painter = Painter()
    painter.t["ink"] = "#ff0000"
    painter.t["stages"].clear()

    # What it shares: read-only.
    for table in (DEFAULT_THEME, MONO_THEME, THEMES["default"], THEMES["mono"]):
        with pytest.raises(TypeError):
            table["ink"] = "#ff0000"
        with pytest.raises(AttributeError):
            table["stages"].append("#ff0000")
    with pytest.raises(TypeError):
        THEMES["mine"] = {}
    with pytest.raises(TypeError):
        PAPER_MM["A3"] = (1.0, 1.0)
    with pytest.raises(TypeError):
        TEXTS["nb"]["title"] = "x"
    with pytest.raises(TypeError):
        words("en")["picture"]["title"] = "x"
    with pytest.raises(Exception):
        SIZES.font = 1.0  # type: ignore[misc]

    after = {theme: (procmap.stage_svg(models[0], theme=theme), procmap.stages_svg(models, comparison, theme=theme))
             for theme in (None, "mono")}
    assert after == before
    assert compare(models).to_json() == comparison.to_json()


#: Module-level dicts, lists and sets that stay: each built at import and only ever read.
_ALLOWED = {
    ("procmap.layout._metrics", "REGULAR"), ("procmap.layout._metrics", "BOLD"),  # generated; read once at import
    ("procmap.layout.text", "REGULAR"), ("procmap.layout.text", "BOLD"),  # the same lists, imported
}


def test_no_public_table_can_be_changed():
    """Every public module-level table of procmap is read-only (a tuple, frozenset or MappingProxyType)."""
    found = []
    for info in pkgutil.walk_packages(procmap.__path__, "procmap."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (not name.startswith("_") and isinstance(value, (dict, list, set, bytearray))
                    and (info.name, name) not in _ALLOWED):
                found.append(f"{info.name}.{name}")
    assert not found, f"shared module state that a caller could change: {found}"
