"""Benchmark ``procmap portfolio``: the whole command against a serial loop over the same files.

Generates ``--services`` services (default 1 000) of three stages of about 50 tasks each
(``portfolio_synth.make_services(..., repeat=3)``: 69, 48 and 36 tasks) into a temporary folder,
then measures, in this one run:

a. a serial in-process loop: ``procmap.read`` of each stage file and ``procmap.compare`` of each
   service (procmap imported beforehand: the loop only);
b. the whole command ``procmap portfolio DIR --json --no-cache`` as a subprocess, start-up included;
c. the same command re-run from a filled cache (``--cache-dir``), start-up included.

Each is the best of ``--rounds`` runs, taken in turns (a, b, c, a, b, c, ...). It prints b/a (target at most 0.8) and c/a (target at most
0.2) and exits 1 when a target is missed. ``--cases N`` gives both sides cases per year (hours,
and the Monte Carlo range), ``--services 100`` makes a quick run.

    python bench/bench_portfolio.py
    python bench/bench_portfolio.py --services 100 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import procmap  # noqa: E402
from portfolio_synth import make_services  # noqa: E402

TARGET_RUN = 0.8
TARGET_CACHE = 0.2


#: CPU seconds (user + system) of each measurement, beside the wall-clock ones: on a shared machine
#: the wall clock also says how much of the two cores the others left us.
CPU: dict[str, list[float]] = {"a": [], "b": [], "c": []}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def serial_loop(folders: list[Path], options: dict, label: str = "") -> float:
    start, cpu = time.perf_counter(), time.process_time()
    for folder in folders:
        files = sorted(p for p in folder.iterdir() if p.name.endswith(".lite.xml"))
        models = [procmap.read(f) for f in files]
        procmap.compare(models, **options)
    if label:
        CPU[label].append(time.process_time() - cpu)
    return time.perf_counter() - start


def command(folder: Path, extra: list[str], out: Path, label: str = "") -> float:
    args = [sys.executable, "-m", "procmap", "portfolio", str(folder), "--json", *extra]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start, cpu = time.perf_counter(), _children_cpu()
    with open(out, "wb") as stdout:
        proc = subprocess.run(args, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    took = time.perf_counter() - start
    if label:
        CPU[label].append(_children_cpu() - cpu)  # the command and its workers (it waits for them)
    if proc.returncode != 0:
        sys.exit(f"procmap portfolio failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="copies of every sample task (3: ~50 per stage)")
    parser.add_argument("--rounds", type=int, default=2, help="best of this many runs of each measurement")
    parser.add_argument("--cases", type=float, default=None, help="cases per year on both sides")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()

    options = {} if args.cases is None else {"cases_per_year": args.cases}
    flags = [] if args.cases is None else ["--cases", f"{args.cases:g}"]
    with tempfile.TemporaryDirectory(prefix="bench-portfolio-") as tmp:
        root = Path(tmp)
        folders = make_services(root / "services", args.services, repeat=args.repeat)
        tasks = sum(len(procmap.read(f).tasks) for f in sorted(folders[0].iterdir()))
        print(f"{args.services} services x 3 stages, {tasks / 3:.0f} tasks per stage on average; "
              f"{os.cpu_count()} cores; Python {platform.python_version()}; options {flags or 'none'}")
        serial_loop(folders[:20], options)  # warm the file cache and the imports
        out = root / "out.json"
        cache = ["--cache-dir", str(root / "cache"), *flags]
        fill = command(root / "services", cache, out)  # fills the cache
        filled = json.loads(out.read_text(encoding="utf-8"))
        # The rounds interleave a, b and c, so a busy moment of a shared machine weighs on all three alike.
        runs: dict[str, list[float]] = {"a": [], "b": [], "c": []}
        for _ in range(args.rounds):
            runs["a"].append(serial_loop(folders, options, "a"))
            runs["b"].append(command(root / "services", ["--no-cache", *flags], out, "b"))
            result = json.loads(out.read_text(encoding="utf-8"))
            assert len(result["services"]) == args.services and not result["failed"], "the command lost services"
            runs["c"].append(command(root / "services", cache, out, "c"))
            assert json.loads(out.read_text(encoding="utf-8")) == result == filled, "the cached run gave other figures"
        a, b, c = (min(runs[k]) for k in "abc")
        shown = {k: " ".join(f"{x:.2f}" for x in v) for k, v in runs.items()}
        print(f"a  serial read + compare loop       {a:7.2f} s  ({a / args.services * 1000:.1f} ms per service; "
              f"runs {shown['a']})")
        print(f"b  procmap portfolio --no-cache     {b:7.2f} s  (runs {shown['b']})")
        print(f"c  procmap portfolio from the cache {c:7.2f} s  (runs {shown['c']}; filling it took {fill:.2f} s)")
        best = {k: runs[k].index(min(runs[k])) for k in runs}
        cpu = {k: CPU[k][best[k]] for k in CPU}
        print(f"   CPU seconds, user + system: a {cpu['a']:.2f}, b {cpu['b']:.2f} (all its processes), "
              f"c {cpu['c']:.2f}; cores we got (CPU / wall): a {cpu['a'] / a:.2f}, b {cpu['b'] / b:.2f}; "
              f"load average {os.getloadavg()[0]:.1f}")
    ok_run, ok_cache = b / a <= TARGET_RUN, c / a <= TARGET_CACHE
    print(f"b/a = {b / a:.2f} (target <= {TARGET_RUN}) {'ok' if ok_run else 'MISSED'}")
    print(f"c/a = {c / a:.2f} (target <= {TARGET_CACHE}) {'ok' if ok_cache else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps({"services": args.services, "a": a, "b": b, "c": c, "fill": fill,
                                         "b/a": b / a, "c/a": c / a, "options": flags,
                                         "runs": runs, "cpu": CPU}, indent=2))
    return 0 if ok_run and ok_cache else 1


if __name__ == "__main__":
    sys.exit(main())
