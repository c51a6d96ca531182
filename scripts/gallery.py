"""Render every corpus file and the samples to PNGs plus an index.html, for a person to look through.

    python scripts/gallery.py                 # -> gallery/ (PNG per file, index.html)
    python scripts/gallery.py -o /tmp/gal --layout procmap --lang en

Each file is drawn as one stage (`procmap.draw`): as the modeller drew it when it has
diagram geometry, else with the built-in banded layout; with --layout procmap every file
is laid out by procmap instead (to compare). The samples are also drawn side by side and
as a poster. A file that fails is listed with its error instead of stopping the run.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import procmap  # noqa: E402
from procmap.render import draw, poster, stages_svg  # noqa: E402
from procmap.render.export import save  # noqa: E402


def comparison_for(models):
    return procmap.compare(models, cases_per_year=250)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=str(ROOT / "gallery"), help="output folder (default: gallery/)")
    ap.add_argument("--layout", default="auto", choices=["auto", "procmap", "dot"])
    ap.add_argument("--lang", default="nb", choices=["nb", "en"])
    ap.add_argument("--width", type=int, default=1600, help="PNG width in pixels")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = sorted((ROOT / "tests" / "corpus" / "bpmn").rglob("*.bpmn"))
    files += sorted((ROOT / "samples").rglob("*.bpmn")) + sorted((ROOT / "samples").rglob("*.lite.xml"))
    rows = []
    failed = 0
    for i, path in enumerate(files):
        rel = path.relative_to(ROOT)
        name = f"{i:02d}-{path.stem.replace(' ', '_')}.png"
        t0 = time.perf_counter()
        try:
            model = procmap.read(path)
            diagram = draw(model, layout=args.layout, lang=args.lang)
            save(diagram.svg, out / name, width=args.width)
            note = (f"{len(model.tasks)} tasks, {len(model.roles)} roles, "
                    f"{'geometry' if model.has_geometry else 'no geometry'}, {time.perf_counter() - t0:.2f} s")
            rows.append((str(rel), name, note, None))
        except Exception as exc:  # keep going: the gallery is for looking, not for stopping
            failed += 1
            rows.append((str(rel), None, "", "".join(traceback.format_exception_only(type(exc), exc)).strip()))
        print(f"{'FAIL' if rows[-1][3] else 'ok  '} {rel}", flush=True)
    # The samples side by side and as a poster.
    for kind in ("lite.xml", "bpmn"):
        models = [procmap.read(p) for p in sorted((ROOT / "samples" / "barnehage").glob(f"*.{kind}"))]
        comparison = comparison_for(models)
        name = f"samples-side-by-side-{kind.split('.')[0]}.png"
        save(stages_svg(models, comparison, lang=args.lang, layout=args.layout), out / name, width=args.width * 2)
        rows.append((f"samples/barnehage/*.{kind} side by side", name, "", None))
        name = f"samples-poster-{kind.split('.')[0]}.png"
        poster(models, comparison, out / name, size="A3", lang=args.lang, layout=args.layout, dpi=110)
        rows.append((f"samples/barnehage/*.{kind} poster (A3)", name, "", None))
    items = []
    for rel, name, note, error in rows:
        head = f"<h2>{html.escape(rel)}</h2>"
        if error:
            items.append(f'<section class="fail">{head}<pre>{html.escape(error)}</pre></section>')
        else:
            items.append(f'<section>{head}<p>{html.escape(note)}</p><a href="{name}">'
                         f'<img src="{name}" loading="lazy" alt="{html.escape(rel)}"></a></section>')
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>procmap gallery</title>"
        "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em;background:#f4f5f7}"
        "section{background:#fff;margin:0 0 2em;padding:1em;border-radius:6px}"
        "img{max-width:100%;border:1px solid #ddd}.fail{background:#fde8e8}h2{font-size:1.05em}</style>"
        f"<h1>procmap gallery</h1><p>{len(files)} files, {failed} failed, layout {args.layout}.</p>"
        + "".join(items), encoding="utf-8")
    print(f"{len(files)} files, {failed} failed -> {out / 'index.html'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
