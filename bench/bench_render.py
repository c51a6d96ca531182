"""Render benchmark: drawing from BPMNDI, the two layouts, the poster.

    python bench/bench_render.py            # all measurements, a Markdown report on stdout
    python bench/bench_render.py --quick    # smaller sizes
    python bench/bench_render.py --json bench/render-results.json

What it measures (time.perf_counter, best of --repeat runs; reading the file is not counted):

1. ``stage_svg`` of a synthetic model WITH diagram geometry (bench/synth.py ``write_model``):
   drawing as the modeller drew it must grow linearly (time per task roughly constant).
2. The layout of a model WITHOUT geometry (bench/synth.py ``lite_text``: runs of tasks per
   role, gateways, loops): procmap's banded layout vs the same bands with Graphviz ``dot``
   choosing the columns (rankdir=LR, positions read back with -Tplain).
3. ``poster`` to PDF: three stages of 50 tasks (the target: a few seconds at most), and three
   stages of 2 000 tasks, which the poster shows summarised (one box per role).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import procmap  # noqa: E402
from procmap.render import poster, stage_svg  # noqa: E402
from procmap.layout import banded_scene, model_bands  # noqa: E402
from synth import lite_text, write_model  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def comparison_for(models):
    return procmap.compare(models, cases_per_year=250)


def bench_di(sizes, repeat, workdir: Path) -> list[dict]:
    rows = []
    for n in sizes:
        path = workdir / f"di-{n}.bpmn"
        write_model(path, n, lanes=5)
        svg_len, times = 0, []
        for _ in range(repeat):
            # A fresh model each time: its diagram is converted by the first picture, and that counts.
            model = procmap.read(path, max_bytes=None)
            t0 = time.perf_counter()
            svg_len = len(stage_svg(model))
            times.append(time.perf_counter() - t0)
        t = min(times)
        rows.append({"tasks": n, "seconds": t, "ms_per_task": 1000 * t / n, "svg_mb": svg_len / 2**20})
    # Growth against 1 000 tasks: below that, the fixed cost of a picture (legend, document) still shows.
    base = next((r for r in rows if r["tasks"] >= 1000), rows[0])["ms_per_task"]
    for row in rows:
        row["growth"] = row["ms_per_task"] / base
    return rows


def bench_layout(sizes, repeat, dot_limit: int) -> list[dict]:
    """procmap's layout vs dot. procmap.render hands models above scene.DOT_NODE_LIMIT nodes to its own
    layout even when dot is asked for; here that limit is lifted so that dot itself is timed."""
    from procmap.layout import dot as scene

    scene.DOT_NODE_LIMIT = 10**9
    rows = []
    has_dot = shutil.which("dot") is not None
    for n in sizes:
        model = procmap.read(lite_text(n, 5, seed=7).encode())
        bands = model_bands(model)
        own = best(lambda: banded_scene(model, bands), repeat)
        dot = None
        if has_dot and n <= dot_limit:
            try:
                dot = best(lambda: banded_scene(model, bands, engine="dot"), 1 if n > 500 else repeat)
            except procmap.RenderError as exc:  # timeout
                dot = f"failed: {exc}"
        nodes = len(model.nodes)
        rows.append({"tasks": n, "nodes": nodes, "procmap_s": own, "procmap_ms_per_node": 1000 * own / nodes,
                     "dot_s": dot, "dot_ms_per_node": (1000 * dot / nodes) if isinstance(dot, float) else None})
    return rows


def bench_poster(workdir: Path) -> list[dict]:
    rows = []
    for n, label in ((50, "3 stages x 50 tasks"), (2000, "3 stages x 2 000 tasks (summarised)")):
        models = [procmap.read(lite_text(n, 4, seed=s).encode()) for s in (1, 2, 3)]
        comparison = comparison_for(models)
        t0 = time.perf_counter()
        result = poster(models, comparison, workdir / f"poster-{n}.pdf")
        total = time.perf_counter() - t0
        rows.append({"case": label, "seconds": total, "summarised": result.summarised,
                     "task_font_pt": result.task_font_pt})
    return rows


def fmt(v, digits=3):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    return f"{v:.{digits}f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="procmap render benchmark")
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dot-limit", type=int, default=10000, help="largest model to lay out with dot")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    di_sizes = [100, 1000, 3000] if args.quick else [100, 1000, 3000, 10000]
    layout_sizes = [50, 200, 1000] if args.quick else [50, 200, 1000, 3000, 10000]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        di = bench_di(di_sizes, args.repeat, work)
        layout = bench_layout(layout_sizes, args.repeat, args.dot_limit)
        posters = bench_poster(work)
    dot_version = ""
    if shutil.which("dot"):
        import subprocess

        dot_version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    print(f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{dot_version or 'no Graphviz'}")
    print("\n### Drawing from BPMNDI (stage_svg)\n")
    print("| tasks | s | ms per task | growth (vs 1 000) | SVG MiB |\n|---:|---:|---:|---:|---:|")
    for r in di:
        print(f"| {r['tasks']:,} | {fmt(r['seconds'])} | {fmt(r['ms_per_task'])} | {fmt(r['growth'], 2)} | "
              f"{fmt(r['svg_mb'], 1)} |")
    print("\n### Layout without geometry (banded scene)\n")
    print("| tasks | nodes | procmap s | ms per node | dot s | ms per node |\n|---:|---:|---:|---:|---:|---:|")
    for r in layout:
        print(f"| {r['tasks']:,} | {r['nodes']:,} | {fmt(r['procmap_s'])} | {fmt(r['procmap_ms_per_node'])} | "
              f"{fmt(r['dot_s'])} | {fmt(r['dot_ms_per_node'])} |")
    print("\n### Poster to PDF\n")
    print("| case | s | summarised | task names print at |\n|---|---:|---|---:|")
    for r in posters:
        print(f"| {r['case']} | {fmt(r['seconds'], 2)} | {'yes' if r['summarised'] else 'no'} | "
              f"{fmt(r['task_font_pt'], 1)} pt |")
    if args.json:
        Path(args.json).write_text(json.dumps({"di": di, "layout": layout, "poster": posters}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
