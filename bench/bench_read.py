"""Read benchmark: ``procmap.read`` against a bare ``lxml.etree.parse``.

For every size N, a synthetic BPMN 2.0 model with N tasks (see ``synth.py``)
is written to a temporary directory. Then, each in a FRESH subprocess (so the
memory peak belongs to that one call):

  (a) ``lxml.etree.parse(path)``                -- the floor: parse only;
  (b) ``procmap.read(path, max_bytes=None)``    -- parse + build the model;
  (c) the same, then ``model.geometry`` converted -- what drawing a picture adds.

Time:   best of ``--repeat`` runs (time.perf_counter) inside the child.
Memory: ``ru_maxrss`` after the FIRST run minus the RSS (/proc/self/statm)
        right before it, both taken after all imports and a gc.collect().

Run from the repo root:

    python bench/bench_read.py                 # 10 .. 100 000 tasks
    python bench/bench_read.py --quick         # 10 .. 10 000 tasks
    python bench/bench_read.py --sizes 1000 50000 --repeat 5 --json out.json
    python bench/bench_read.py --check         # exit 1 if targets missed

Needs only lxml and the installed ``procmap`` package (``pip install -e .``).
Linux only (``/proc/self/statm``, ``ru_maxrss`` in KiB).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = [10, 100, 1_000, 10_000, 100_000]
QUICK_SIZES = [10, 100, 1_000, 10_000]
TIME_TARGET = 2.0  # procmap time / lxml time at the largest size
MEM_TARGET = 3.0  # procmap peak MiB / lxml peak MiB at the largest size
GROWTH_REF = 10_000  # per-task time at the largest size is compared with this size
MiB = 1024 * 1024


# --------------------------------------------------------------------------- child
def _child(kind: str, path: str, repeat: int) -> None:
    """Measure one reader in this (fresh) process; print one JSON line."""
    import gc
    import resource

    if kind == "lxml":
        from lxml import etree

        def call():
            return etree.parse(path)

    elif kind == "procmap":
        import procmap  # noqa: F401  (import cost is NOT measured)

        read = procmap.read

        def call():
            return read(path, max_bytes=None)

    elif kind == "diagram":  # what a picture pays: read, then convert the diagram
        import procmap  # noqa: F401

        read = procmap.read

        def call():
            model = read(path, max_bytes=None)
            model.geometry.shapes
            return model

    else:  # pragma: no cover
        raise SystemExit(f"unknown kind {kind!r}")

    page = os.sysconf("SC_PAGE_SIZE")

    def rss_now() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * page

    def maxrss() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    gc.collect()
    rss_before = rss_now()
    maxrss_before = maxrss()
    times = []
    t0 = time.perf_counter()
    result = call()
    times.append(time.perf_counter() - t0)
    peak = maxrss()  # measured while `result` is still alive
    rss_after = rss_now()
    del result
    gc.collect()
    for _ in range(repeat - 1):
        t0 = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - t0)
        del result
        gc.collect()

    print(
        json.dumps(
            {
                "kind": kind,
                "times": times,
                "best_s": min(times),
                "rss_before": rss_before,
                "maxrss_before": maxrss_before,
                "peak": peak,
                "rss_after": rss_after,
                "peak_delta": peak - rss_before,
                # If the import phase already set a higher watermark than the
                # call reached, ru_maxrss did not move and peak_delta is only an
                # upper bound (the import-time watermark minus rss_before).
                "peak_reliable": peak > maxrss_before,
            }
        )
    )


def measure(kind: str, path: Path, repeat: int, timeout: float | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_child", kind, str(path), str(repeat)]
    # Run outside the repo so a source checkout on sys.path cannot shadow the
    # installed package (the script dir, bench/, is on sys.path -- harmless).
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tempfile.gettempdir())
    if proc.returncode != 0:
        raise RuntimeError(
            f"{kind} child failed on {path.name} (exit {proc.returncode}):\n{proc.stderr.strip()[-3000:]}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- parent
def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _fmt(x: float | None, spec: str) -> str:
    return "n/a" if x is None else format(x, spec)


def procmap_available() -> str | None:
    """None if ``procmap.read`` is importable from a fresh interpreter, else why not."""
    code = "import procmap, sys; procmap.read; print(getattr(procmap, '__version__', '?'))"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tempfile.gettempdir()
    )
    if proc.returncode == 0:
        return None
    return (proc.stderr.strip().splitlines() or ["unknown error"])[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sizes", type=int, nargs="+", metavar="N", help=f"task counts (default {DEFAULT_SIZES})")
    g.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement; time is the best (default 3)")
    p.add_argument("--lanes", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true",
                   help=f"exit 1 if, at the largest size, time ratio > {TIME_TARGET} or memory ratio > {MEM_TARGET}")
    p.add_argument("--time-target", type=float, default=TIME_TARGET)
    p.add_argument("--mem-target", type=float, default=MEM_TARGET)
    p.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    p.add_argument("--workdir", metavar="DIR", help="keep the generated .bpmn files here (default: a temp dir, deleted)")
    p.add_argument("--baseline-only", action="store_true", help="measure lxml only (e.g. procmap not installed yet)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per child process (default 1800)")
    p.add_argument("--_child", nargs=3, metavar=("KIND", "PATH", "REPEAT"), help=argparse.SUPPRESS)
    a = p.parse_args(argv)

    if a._child:
        kind, path, repeat = a._child
        _child(kind, path, int(repeat))
        return 0

    if a.repeat < 1:
        p.error("--repeat must be >= 1")
    sizes = sorted(set(a.sizes or (QUICK_SIZES if a.quick else DEFAULT_SIZES)))
    sys.path.insert(0, str(HERE))
    from synth import write_model

    with_procmap = not a.baseline_only
    if with_procmap:
        why = procmap_available()
        if why:
            print(f"error: procmap.read is not available ({why}).\n"
                  "       Install it (pip install -e . in the repo root) or use --baseline-only.",
                  file=sys.stderr)
            return 2

    tmp = None
    if a.workdir:
        workdir = Path(a.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="procmap-bench-")
        workdir = Path(tmp.name)

    rows = []
    try:
        for n in sizes:
            path = workdir / f"synth_{n}.bpmn"
            t0 = time.perf_counter()
            size = write_model(path, n, lanes=a.lanes, seed=a.seed)
            gen_s = time.perf_counter() - t0
            print(f"  n={n:>7}: generated {size / MiB:8.2f} MiB in {gen_s:5.2f} s; measuring ...",
                  file=sys.stderr, flush=True)
            lx = measure("lxml", path, a.repeat, a.timeout)
            pm = measure("procmap", path, a.repeat, a.timeout) if with_procmap else None
            dg = measure("diagram", path, a.repeat, a.timeout) if with_procmap else None
            row = {
                "n_tasks": n,
                "file_bytes": size,
                "gen_s": gen_s,
                "lxml": lx,
                "procmap": pm,
                "diagram": dg,
                "diagram_s": dg["best_s"] if dg else None,
                "lxml_s": lx["best_s"],
                "procmap_s": pm["best_s"] if pm else None,
                "lxml_mib": lx["peak_delta"] / MiB,
                "procmap_mib": pm["peak_delta"] / MiB if pm else None,
            }
            row["time_ratio"] = _ratio(row["procmap_s"], row["lxml_s"])
            row["mem_ratio"] = _ratio(row["procmap_mib"], row["lxml_mib"])
            row["diagram_ratio"] = _ratio(row["diagram_s"], row["lxml_s"])
            rows.append(row)
    finally:
        if tmp is not None:
            tmp.cleanup()

    # ---- table
    hdr = ("tasks", "file MiB", "lxml s", "procmap s", "time x", "lxml MiB", "procmap MiB", "mem x",
           "+diagram s", "+diagram x")
    lines = []
    for r in rows:
        lines.append((
            f"{r['n_tasks']:,}",
            f"{r['file_bytes'] / MiB:.2f}",
            f"{r['lxml_s']:.4f}",
            _fmt(r["procmap_s"], ".4f"),
            _fmt(r["time_ratio"], ".2f"),
            f"{r['lxml_mib']:.1f}",
            _fmt(r["procmap_mib"], ".1f"),
            _fmt(r["mem_ratio"], ".2f"),
            _fmt(r["diagram_s"], ".4f"),
            _fmt(r["diagram_ratio"], ".2f"),
        ))
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(hdr)]
    print()
    print("  ".join(h.rjust(w) for h, w in zip(hdr, widths)))
    print("  ".join("-" * w for w in widths))
    for l in lines:
        print("  ".join(c.rjust(w) for c, w in zip(l, widths)))
    print(f"\n(time: best of {a.repeat}; memory: peak RSS growth during the first call; "
          f"python {platform.python_version()}, {platform.machine()})")
    print("(+diagram: procmap.read and then converting the file's diagram, which pictures need and "
          "procmap.read leaves for later)")
    unreliable = [f"{r['n_tasks']}:{k}" for r in rows for k in ("lxml", "procmap")
                  if r[k] and not r[k]["peak_reliable"]]
    if unreliable:
        print(f"note: peak did not exceed the import-time watermark for {', '.join(unreliable)} "
              "(memory there is an upper bound set by the import-time watermark; small sizes are noise anyway)")

    # ---- growth check: per-task time at the largest size vs the reference size
    growth = {}
    largest = rows[-1]
    ref = next((r for r in rows if r["n_tasks"] == GROWTH_REF), None)
    if ref is None and len(rows) > 1:
        ref = rows[-2]
    if ref is not None and ref is not largest and ref["n_tasks"] > 0:
        print(f"\ngrowth (time per task at {largest['n_tasks']:,} / at {ref['n_tasks']:,}; ~1.0 = linear):")
        for k in ("lxml", "procmap"):
            if largest[f"{k}_s"] is None:
                continue
            per_big = largest[f"{k}_s"] / largest["n_tasks"]
            per_ref = ref[f"{k}_s"] / ref["n_tasks"]
            growth[k] = per_big / per_ref
            print(f"  {k:8s} {per_ref * 1e6:8.2f} us/task -> {per_big * 1e6:8.2f} us/task   "
                  f"ratio {growth[k]:.2f}")

    # ---- check
    failures = []
    if with_procmap:
        tr, mr = largest["time_ratio"], largest["mem_ratio"]
        verdict = (f"at {largest['n_tasks']:,} tasks: time ratio {_fmt(tr, '.2f')} (target <= {a.time_target}), "
                   f"memory ratio {_fmt(mr, '.2f')} (target <= {a.mem_target})")
        if tr is None or tr > a.time_target:
            failures.append(f"time ratio {_fmt(tr, '.2f')} > {a.time_target}")
        if mr is None or mr > a.mem_target:
            failures.append(f"memory ratio {_fmt(mr, '.2f')} > {a.mem_target}")
        print(f"\n{'FAIL' if failures else 'OK'}: {verdict}")

    if a.json:
        out = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "platform": platform.platform(),
            "repeat": a.repeat,
            "lanes": a.lanes,
            "seed": a.seed,
            "targets": {"time_ratio": a.time_target, "mem_ratio": a.mem_target},
            "rows": rows,
            "growth": growth,
            "failures": failures,
        }
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"saved {a.json}", file=sys.stderr)

    if a.check:
        if not with_procmap:
            print("error: --check needs procmap (drop --baseline-only)", file=sys.stderr)
            return 2
        if failures:
            print("benchmark check FAILED: " + "; ".join(failures), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
