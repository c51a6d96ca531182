"""PNG export against the SVG it is made from, and procmap against bpmn-js, per file.

    python bench/bench_png.py                      # 1 000, 3 000, 10 000 tasks
    python bench/bench_png.py --sizes 10000 --check
    python bench/bench_png.py --bpmn-js LOG        # also: procmap vs bpmn-js on the corpus

1. ``stage_svg`` of bench/synth.py's model (full BPMNDI), then ``svg_to_png`` of that SVG with each
   renderer (rsvg-convert when installed, CairoSVG), each the best of --repeat runs in this process.
   Target: PNG <= 3x the SVG time at the largest size (--check).
2. ``--bpmn-js LOG``: LOG is the output of /work/shared/tools/render_ref's ``node render.mjs`` over the
   corpus (a line ``ok NAME ... ms=M`` per file: bpmn-js importing and drawing the file in the
   browser, in-process). procmap's time per file is ``read`` + ``stage_svg`` (the diagram converted,
   the picture drawn), best of --repeat. Target: procmap >= 5x faster for every file (--check).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import procmap  # noqa: E402
from procmap.render import stage_svg  # noqa: E402
from procmap.render.export import svg_to_png  # noqa: E402
from bench_render import best  # noqa: E402
from synth import write_model  # noqa: E402


def bench_png(sizes, repeat, workdir: Path, renderers: list[str]) -> list[dict]:
    rows = []
    renderers = [r for r in renderers if r != "rsvg" or shutil.which("rsvg-convert")]
    for n in sizes:
        path = workdir / f"png-{n}.bpmn"
        write_model(path, n, lanes=5)
        model = procmap.read(path, max_bytes=None)
        model.geometry.shapes  # converting the diagram is reading, not drawing
        svg = stage_svg(model)
        row = {"tasks": n, "svg_s": best(lambda: stage_svg(model), repeat)}
        for renderer in renderers:
            row[renderer] = best(lambda: svg_to_png(svg, renderer=renderer), repeat if n < 10000 else 1)
        rows.append(row)
    return rows


def bench_bpmn_js(log: Path, repeat: int) -> list[dict]:
    """procmap's read + draw per corpus file against bpmn-js' ms= in a render_ref log."""
    ms = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        m = re.match(r"ok\s+(\S+)\s.*\bms=(\d+)", line)
        if m:
            ms.setdefault(m.group(1), []).append(float(m.group(2)))
    rows = []
    for path in sorted((ROOT / "tests" / "corpus" / "bpmn").rglob("*.bpmn")):
        times = ms.get(path.stem)
        if not times or len(times) > 1:  # a name that several files share cannot be told apart
            continue
        data = path.read_bytes()

        def draw():
            stage_svg(procmap.read(data), layout="auto")

        rows.append({"file": path.stem, "bpmn_js_ms": times[0], "procmap_ms": 1000 * best(draw, repeat)})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bpmn-js", type=Path, metavar="LOG", help="render_ref output over the corpus")
    ap.add_argument("--renderers", nargs="+", default=["rsvg", "cairo"], choices=["rsvg", "cairo"],
                    help="PNG renderers to time (rsvg only when rsvg-convert is installed)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench_png(args.sizes, args.repeat, Path(tmp), args.renderers)
    print("### PNG against SVG (svg_to_png of stage_svg's output)\n")
    names = [k for k in ("rsvg", "cairo") if k in rows[0]]
    print("| tasks | SVG s | " + " | ".join(f"PNG {k} s | x SVG" for k in names) + " |")
    print("|---:|---:|" + "---:|---:|" * len(names))
    for r in rows:
        cells = " | ".join(f"{r[k]:.2f} | {r[k] / r['svg_s']:.1f}" for k in names)
        print(f"| {r['tasks']:,} | {r['svg_s']:.2f} | {cells} |")
    last = rows[-1]
    first_choice = names[0]
    ratio = last[first_choice] / last["svg_s"]
    print(f"\nAt {last['tasks']:,} tasks PNG ({first_choice}, what svg_to_png uses) = {ratio:.1f} x SVG (target <= 3)")
    failed |= ratio > 3.0
    if args.bpmn_js:
        js = bench_bpmn_js(args.bpmn_js, args.repeat)
        print("\n### procmap (read + draw) against bpmn-js (import + draw in the browser), per corpus file\n")
        print("| file | bpmn-js ms | procmap ms | x faster |\n|---|---:|---:|---:|")
        for r in js:
            print(f"| {r['file']} | {r['bpmn_js_ms']:.0f} | {r['procmap_ms']:.1f} | "
                  f"{r['bpmn_js_ms'] / r['procmap_ms']:.1f} |")
        slowest = min(r["bpmn_js_ms"] / r["procmap_ms"] for r in js)
        total = sum(r["bpmn_js_ms"] for r in js) / sum(r["procmap_ms"] for r in js)
        print(f"\n{len(js)} files: procmap is {total:.1f} x faster in all, {slowest:.1f} x on the least (target >= 5)")
        failed |= slowest < 5.0
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
