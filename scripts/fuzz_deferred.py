"""Fuzz procmap's deferred diagram reading: every variant of a file must read as a whole-file read does.

`procmap.read` parses a BPMN file only up to its first top-level BPMNDiagram and keeps
the rest as bytes (procmap/_defer.py). It promises, for any input, the model a whole-file
read gives (warnings and their line numbers included) or the same error. The byte-level
checks behind that promise are easy to fool, so this tool reads ~450 textual variants of
each file (fuzz_variants.py) both ways, with each file as it is and with its flowNodeRefs
removed (then the diagram is converted while reading). One difference is documented and
counted as "expected": a diagram part that cannot be parsed is an error for a whole-file
read, and a warning at the same line (the process still read) for the deferred one.

    python scripts/fuzz_deferred.py              # corpus and samples: ~34 000 variants, about a minute on 2 cores
    python scripts/fuzz_deferred.py --files 'samples/barnehage/*.bpmn' --limit 40
    python scripts/fuzz_deferred.py --keep /tmp/fuzz --json /tmp/fuzz/results.json

Exit status 1 when any variant reads differently either way (a discrepancy), else 0.
Turn a discrepancy into a small file in tests/data/deferred/ once it is fixed.
"""

from __future__ import annotations

import argparse
import glob
import json
import multiprocessing
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import procmap  # noqa: E402
from procmap.bpmn import _defer, _xml  # noqa: E402
from procmap.errors import where  # noqa: E402
from fuzz_variants import laneless, variants  # noqa: E402

DEFAULT_FILES = [str(ROOT / "tests" / "corpus" / "bpmn" / "**" / "*.bpmn"),
                 str(ROOT / "samples" / "barnehage" / "*.bpmn")]
#: Each file is fuzzed as it is, and without flowNodeRefs (the diagram must then place the nodes while reading).
MODES = {"asis": lambda data: data, "laneless": laneless}
#: Verdicts that are no discrepancy.
FINE = ("same", "expected")
CANNOT = "the diagram cannot be read"
FILE_NAME_UNSAFE = re.compile(r"[^\w.+@-]")


# -- reading both ways --------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one read gave: a model (its diagram converted), a ReadError, or a crash (any other exception)."""

    model: Optional[procmap.Model] = None
    error: Optional[procmap.ReadError] = None
    crash: Optional[str] = None


def outcome_of(path: Path) -> Outcome:
    try:
        model = procmap.read(path)
        model.geometry.shapes  # convert the diagram now: converting may find more to say
        # Both reads must say the same in all: what reading said, then what converting said.
        return Outcome(model=model.model_copy(update={"warnings": model.all_warnings()}))
    except procmap.ReadError as exc:
        return Outcome(error=exc)
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, whichever read it comes from
        return Outcome(crash=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")


@contextmanager
def splitting_by(split) -> Iterator[None]:
    """procmap.read with `split` in place of _defer.split, so both reads go through the very same code."""
    original, _xml.split = _xml.split, split
    try:
        yield
    finally:
        _xml.split = original


def read_deferred(path: Path) -> tuple[Outcome, bool]:
    """procmap.read as it is, and whether it left the diagrams unparsed (split found that safe)."""
    answers = []

    def watched(*args, **kwargs):
        parts = _defer.split(*args, **kwargs)
        answers.append(parts is not None)
        return parts

    with splitting_by(watched):
        return outcome_of(path), any(answers)


def read_whole(path: Path) -> Outcome:
    """The reference: procmap.read as if splitting were never safe, so the whole file is parsed."""
    with splitting_by(lambda *args, **kwargs: None):
        return outcome_of(path)


# -- judging ------------------------------------------------------------------------------------------

def check(path: Path) -> tuple[str, list[str], str]:
    """(verdict, what differs, which read procmap.read did: deferred | whole). Verdicts: same, expected, DIFF, CRASH."""
    fast, deferred = read_deferred(path)
    verdict, details = judge(fast, read_whole(path))
    return verdict, details, "deferred" if deferred else "whole"


def judge(fast: Outcome, whole: Outcome) -> tuple[str, list[str]]:
    """Same model or same error is "same"; a crash, or anything else but the documented difference, is a finding."""
    if fast.crash or whole.crash:
        return "CRASH", [f"deferred: {fast.crash or 'no crash'}", f"whole: {whole.crash or 'no crash'}"]
    if fast.model is not None and whole.model is not None:
        differences = model_differences(fast.model, whole.model)
        return ("DIFF", differences) if differences else ("same", [])
    if fast.error is not None and whole.error is not None:
        if str(fast.error) == str(whole.error):
            return "same", []
        return "DIFF", [f"both raise, differently: deferred {fast.error} | whole {whole.error}"]
    if fast.model is not None:
        return broken_diagram(fast.model, whole.error)
    return "DIFF", [f"deferred raises {fast.error}", "whole returns a model"]


def broken_diagram(model: procmap.Model, error: procmap.ReadError) -> tuple[str, list[str]]:
    """The documented difference: the whole read fails on the diagram, the deferred one warns at the same line."""
    warnings = [w for w in model.warnings if CANNOT in w]
    if not warnings:
        return "DIFF", [f"whole raises {error}", f"deferred returns a model without '{CANNOT}': {model.warnings[-3:]}"]
    if not warnings[0].startswith(where(error.source, error.line)):
        return "DIFF", [f"whole raises {error}", f"deferred warns at another line: {warnings[0]}"]
    return "expected", [f"whole raises {error}", f"deferred warns {warnings[0]}"]


def model_differences(fast: procmap.Model, whole: procmap.Model) -> list[str]:
    """One line per field that differs (the geometry by element id), empty when the models are equal."""
    if fast == whole:
        return []
    lines = []
    for name in type(fast).model_fields:
        a, b = getattr(fast, name), getattr(whole, name)
        if a == b:
            continue
        if isinstance(a, procmap.Geometry):
            lines += [f"geometry.{part}: {_by_key(getattr(a, part), getattr(b, part))}"
                      for part in ("shapes", "edges") if getattr(a, part) != getattr(b, part)]
        elif isinstance(a, list):
            first = next(((x, y) for x, y in zip(a, b) if x != y), (a[len(b):][:1], b[len(a):][:1]))
            lines.append(f"{name}: deferred {len(a)}, whole {len(b)}, first difference {_short(first)}")
        else:
            lines.append(f"{name}: deferred {_short(a)}, whole {_short(b)}")
    return lines or ["the models differ, but no field does"]


def _by_key(a: dict, b: dict) -> str:
    changed = [(k, a[k], b[k]) for k in a.keys() & b.keys() if a[k] != b[k]]
    return (f"deferred {len(a)}, whole {len(b)}, only deferred {sorted(a.keys() - b.keys())[:3]}, "
            f"only whole {sorted(b.keys() - a.keys())[:3]}, changed {_short(changed[:2])}")


def _short(value: object, size: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= size else text[:size] + "…"


# -- fuzzing ------------------------------------------------------------------------------------------

def fuzz_file(base: Path, mode: str, keep: Path, limit: Optional[int] = None) -> list[dict]:
    """Check the variants of one file in one mode; the files of those that do not read the same stay in `keep`."""
    data = MODES[mode](base.read_bytes())
    try:
        made = list(enumerate(variants(data)))
    except Exception as exc:  # noqa: BLE001 - a generator that fails on a file is a bug of this tool: report it
        return [dict(base=label(base), mode=mode, index=None, variant="<generator>", verdict="GENFAIL",
                     read=None, details=[repr(exc)], file=None)]
    folder = keep / f"{label(base).replace('/', '__')}.{mode}"
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for index, (name, blob) in spread(made, limit):
        path = folder / f"{index:03d}-{FILE_NAME_UNSAFE.sub('_', name)}.bpmn"
        path.write_bytes(blob)
        verdict, details, read = check(path)
        if verdict == "same":
            path.unlink()
        results.append(dict(base=label(base), mode=mode, index=index, variant=name, verdict=verdict, read=read,
                            details=details, file=None if verdict == "same" else str(path)))
    if not any(folder.iterdir()):
        folder.rmdir()
    return results


def spread(items: list, limit: Optional[int]) -> list:
    """`limit` items taken evenly over the list (so a quick run still sees every sort of variant), or all."""
    if limit is None or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def label(path: Path) -> str:
    """The path relative to the repository when it is inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def fuzz(files: list[Path], keep: Path, *, jobs: int = 2, limit: Optional[int] = None) -> list[dict]:
    """All results, in the order of files, modes and variants."""
    work = [(base, mode, keep, limit) for base in files for mode in MODES]
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            chunks = pool.starmap(fuzz_file, work, chunksize=1)
    else:
        chunks = [fuzz_file(*job) for job in work]
    return [result for chunk in chunks for result in chunk]


def discrepancies(results: list[dict]) -> list[dict]:
    return [r for r in results if r["verdict"] not in FINE]


def kind(variant: str) -> str:
    """A variant's kind: its name without the place or offset after '@'."""
    return variant.split("@")[0]


def report(results: list[dict], files: list[Path], seconds: float) -> list[str]:
    """The summary line, then per kind of variant the count of each discrepancy, with one example."""
    verdicts = Counter(r["verdict"] for r in results)
    reads = Counter(r["read"] for r in results)
    lines = [f"{len(files)} base files, {len(results)} variants checked: {dict(verdicts.most_common())} "
             f"(read deferred {reads['deferred']}, whole {reads['whole']}; {seconds:.0f} s)"]
    by_kind: dict[tuple[str, str], list[dict]] = {}
    for r in discrepancies(results):
        by_kind.setdefault((kind(r["variant"]), r["verdict"]), []).append(r)
    for (name, verdict), found in sorted(by_kind.items()):
        first = found[0]
        lines.append(f"{len(found):6d} {verdict} {name}")
        lines.append(f"         e.g. {first['base']} ({first['mode']}) {first['variant']}: "
                     f"{(first['details'] or [''])[0][:300]}")
    return lines


def find_files(patterns: list[str]) -> list[Path]:
    return sorted({Path(p) for pattern in patterns for p in glob.glob(pattern, recursive=True) if Path(p).is_file()})


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="Exit status 1 when any variant reads differently, else 0.")
    ap.add_argument("--files", nargs="+", metavar="GLOB", default=DEFAULT_FILES,
                    help="BPMN files to vary (default: tests/corpus/bpmn/**/*.bpmn and samples/barnehage/*.bpmn)")
    ap.add_argument("--jobs", type=int, default=2, metavar="N", help="processes (default 2)")
    ap.add_argument("--keep", metavar="DIR", help="keep the files of the variants that do not read the same here "
                    "(default: a temporary folder, deleted)")
    ap.add_argument("--json", metavar="FILE", help="write every result here")
    ap.add_argument("--limit", type=int, metavar="N", help="check only N variants per file, spread over the kinds")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    files = find_files(args.files)
    if not files:
        ap.error(f"no file matches {' '.join(args.files)}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="procmap-fuzz-") as temporary:
        keep = Path(args.keep) if args.keep else Path(temporary)
        results = fuzz(files, keep, jobs=max(1, args.jobs), limit=args.limit)
    if not args.keep:
        for r in results:
            r["file"] = None  # deleted with the temporary folder
    lines = report(results, files, time.perf_counter() - started)
    print("\n".join(lines))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"summary": lines[0], "results": results}, ensure_ascii=False, indent=0),
                                   encoding="utf-8")
    return 1 if discrepancies(results) else 0


if __name__ == "__main__":
    sys.exit(main())
