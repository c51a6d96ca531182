"""Every command grows linearly: in lanes (1 000 -> 10 000) and in tasks (10 000 -> 100 000).

For each command's use case (read, inspect, compare, routine cards, report, poster,
draw, convert) this times one run at the small and the large size of a synthetic
service (bench/synth.py) and prints the growth exponent log(t_large / t_small) /
log(n_large / n_small): 1.0 is linear, 2.0 quadratic. Routine cards are also given
as a multiple of reading the same file. Exits 1 when an exponent is above --max-growth
(default 1.1) or cards cost more than --max-cards times a read (default 3).

    python bench/bench_scaling.py                 # the issue's sizes (a few minutes)
    python bench/bench_scaling.py --scale 0.1     # a quick look: 100 -> 1 000 lanes, 1 000 -> 10 000 tasks
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_model  # noqa: E402

import procmap  # noqa: E402
from procmap import app  # noqa: E402
from procmap.views.convert import to_bpmn, to_lite  # noqa: E402
from procmap.views.inspect import summary  # noqa: E402


REPEAT = 2  # each use case is timed this many times and the best is kept (--repeat)


def _best(work: Callable[[], object], repeat: int = REPEAT) -> float:
    """The best of `repeat` runs: on a shared machine one slow moment would otherwise make a growth."""
    best = math.inf
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def measure(path: Path, repeat: int = REPEAT) -> dict[str, float]:
    """Seconds per use case for one synthetic file (two stages: the file and itself), each the best of `repeat`."""
    def _timed(work: Callable[[], object]) -> float:
        return _best(work, repeat)

    times: dict[str, float] = {}
    times["read"] = _timed(lambda: procmap.read(path, max_bytes=None))
    model = procmap.read(path, max_bytes=None)
    times["inspect"] = _timed(lambda: summary(procmap.read(path, max_bytes=None)))
    models = [model, procmap.read(path, max_bytes=None)]
    comparison = None

    def compare() -> None:
        nonlocal comparison
        comparison = procmap.compare(models, cases_per_year=1000, simulations=0)

    times["compare"] = _timed(compare)
    compared = app.Compared((path, path), tuple(models), comparison)
    times["routine"] = _timed(lambda: app.cards_bytes(app.routine_cards(path, reading=procmap.Reading(max_size=1e4))
                                                      .cards, "markdown"))
    times["report"] = _timed(lambda: app.report_html(compared))
    times["poster"] = _timed(lambda: app.make_poster(compared, None))
    times["draw"] = _timed(lambda: procmap.stage_svg(procmap.read(path, max_bytes=None)))
    times["convert"] = _timed(lambda: (to_lite(model), to_bpmn(model)))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.1 for a quick look)")
    parser.add_argument("--max-growth", type=float, default=1.1)
    parser.add_argument("--max-cards", type=float, default=3.0, help="routine cards at most this many reads")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="time each use case this many times, keep the best")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    s = args.scale
    axes = {
        "lanes": [(int(1000 * s), int(2000 * s), int(1000 * s)), (int(10000 * s), int(20000 * s), int(10000 * s))],
        "tasks": [(5, int(10000 * s), int(10000 * s)), (5, int(100000 * s), int(100000 * s))],
    }
    results: dict[str, dict] = {}
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for axis, sizes in axes.items():
            runs = []
            for lanes, tasks, n in sizes:
                path = Path(tmp) / f"{axis}-{n}.bpmn"
                write_model(path, tasks, lanes=lanes)
                runs.append((n, measure(path, max(1, args.repeat))))
                print(f"{axis}={n:>7,}: " + "  ".join(f"{k} {v:.2f}s" for k, v in runs[-1][1].items()), flush=True)
            (n1, t1), (n2, t2) = runs
            growth = {k: math.log(max(t2[k], 1e-6) / max(t1[k], 1e-6)) / math.log(n2 / n1) for k in t1}
            results[axis] = {"sizes": [n1, n2], "small": t1, "large": t2, "growth": growth}
            print(f"growth in {axis}: " + "  ".join(f"{k} {g:.2f}" for k, g in growth.items()))
            failed += [f"{k} grows {g:.2f} in {axis}" for k, g in growth.items() if g > args.max_growth]
        cards = results["tasks"]["large"]["routine"] / results["tasks"]["large"]["read"]
        results["cards_per_read"] = cards
        print(f"routine cards at {results['tasks']['sizes'][1]:,} tasks: {cards:.1f}x a read")
        if cards > args.max_cards:
            failed.append(f"routine cards cost {cards:.1f}x a read")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    for line in failed:
        print(f"above target: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
