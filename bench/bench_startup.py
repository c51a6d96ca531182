"""Benchmark procmap's start-up: whole processes, against importing lxml and pydantic alone.

Three commands, each a fresh process of the same interpreter, from the
repository root (so the local package is the one imported):

* ``baseline``: ``python -c "import lxml.etree, pydantic"``, the floor: what any
  process that reads BPMN into pydantic models pays before doing anything;
* ``--help``: ``python -m procmap --help``;
* ``inspect``: ``python -m procmap inspect samples/barnehage/1-manual.bpmn``.

A fourth, ``floor``, is shown for context and not judged: ``import lxml.etree,
typer`` and one pydantic model class. ``import pydantic`` alone loads pydantic's
version module only; the first ``BaseModel`` subclass loads the rest of pydantic
(schema generation, ``pydantic.fields``, annotated_types), and any typer command
that reads into pydantic models pays that and typer before its own first line.
The ratio of ``inspect`` to the floor is procmap's own share.

The commands are run in turns (baseline, --help, inspect, baseline, ...), so a
busy moment of a shared machine hits all three alike. Each figure is the
**median** wall time of ``--repeat`` runs (default 15), spawning the process
and waiting for it included; the ratio is command / baseline. The target is a
ratio of at most 2.0 for both (``--max-ratio``); the script exits 1 when a ratio
is above it. The CPU time of each child (user + system) is shown too: on a
busy shared machine it moves less than the wall time. The children run with bytecode caching on, as an installed
package does (``PYTHONDONTWRITEBYTECODE`` is dropped from their environment).

Usage::

    python bench/bench_startup.py
    python bench/bench_startup.py --repeat 31 --max-ratio 2.0
    python bench/bench_startup.py --json bench/startup.json

Where the time goes: ``python -X importtime -m procmap --help 2>&1 >/dev/null | sort -t'|' -k2 -n | tail``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "samples/barnehage/1-manual.bpmn"

COMMANDS: dict[str, list[str]] = {
    "baseline": ["-c", "import lxml.etree, pydantic"],
    "--help": ["-m", "procmap", "--help"],
    "inspect": ["-m", "procmap", "inspect", SAMPLE],
    "floor": ["-c", "import lxml.etree, typer\nfrom pydantic import BaseModel\nclass M(BaseModel): x: int = 0"],
}
JUDGED = ("--help", "inspect")


# As installed: bytecode cached (a PYTHONDONTWRITEBYTECODE in the environment would compile every module
# from source in every process; the warm-up round writes the __pycache__ files).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_once(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run."""
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=_ENV, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed, cpu


def measure(repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU times per command, the commands taken in turns; one unmeasured warm-up round first."""
    for args in COMMANDS.values():
        _run_once(args)
    wall: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeat):
        for name, args in COMMANDS.items():
            w, c = _run_once(args)
            wall[name].append(w)
            cpu[name].append(c)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=15, help="runs per command; the median is reported (default 15)")
    p.add_argument("--max-ratio", type=float, default=2.0, help="exit 1 if a median ratio to the baseline is above "
                                                                 "this (default 2.0)")
    p.add_argument("--json", metavar="FILE", help="also write the figures to this file")
    args = p.parse_args(argv)

    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"{args.repeat} runs per command, median wall time of the whole process")
    times, cpu = measure(args.repeat)
    base = statistics.median(times["baseline"])
    base_cpu = statistics.median(cpu["baseline"])
    floor = statistics.median(times["floor"])
    rows, failed = [], []
    print()
    print("| command | median s | min s | max s | **ratio** | CPU s | CPU ratio | / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, args_ in COMMANDS.items():
        median, median_cpu = statistics.median(times[name]), statistics.median(cpu[name])
        ratio, ratio_cpu = median / base, median_cpu / base_cpu
        label = "python " + " ".join(a if " " not in a else f'"{a}"' for a in args_).replace("\n", "; ")
        first = name == "baseline"
        print(f"| `{label}` | {median:.3f} | {min(times[name]):.3f} | {max(times[name]):.3f} | "
              f"{'' if first else f'**{ratio:.2f}**'} | {median_cpu:.3f} | {'' if first else f'{ratio_cpu:.2f}'} | "
              f"{median / floor:.2f} |")
        rows.append({"command": name, "args": args_, "median_s": median, "min_s": min(times[name]),
                     "max_s": max(times[name]), "ratio": ratio, "times_s": times[name],
                     "cpu_median_s": median_cpu, "cpu_ratio": ratio_cpu, "cpu_s": cpu[name],
                     "to_floor": median / floor})
        if name in JUDGED and ratio > args.max_ratio:
            failed.append(f"{name} {ratio:.2f}")
    print()
    if failed:
        print(f"above the target ratio {args.max_ratio:g}: {', '.join(failed)}")
    else:
        print(f"every ratio is at most {args.max_ratio:g}")
    if args.json:
        Path(args.json).write_text(json.dumps({"python": platform.python_version(), "repeat": args.repeat,
                                               "max_ratio": args.max_ratio, "results": rows}, indent=2) + "\n",
                                   encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
