"""Benchmark ``procmap.compare``: three synthetic stages of N tasks each, with name variations.

The stages are built in memory as ``procmap.Model`` objects (no XML: this
measures comparing, not reading). Between consecutive stages, of the tasks of
the earlier stage:

* 10 % are removed and 5 % new ones (automated steps, other words) are added;
* 10 % get a new id but keep their name (matched by exact name);
* 10 % get a new id and a reworded name ("... søknad" -> "... søknaden",
  matched by close names, the expensive round);
* 5 % keep their id but move to another lane (moved);
* 10 % change kind (manual/user -> service) and 20 % change minutes;
* the rest stay as they are.

Tasks are spread over 5 lanes, so at 10 000 tasks a role holds 2 000 tasks and
the close-name round faces ~400 x ~400 unmatched names per role: above the
all-pairs cap, so the bounded shortlist is what is measured.

Two timings per size (median of ``--repeat`` runs, fresh models each run):

* ``match``: ``compare(models)``: roles, matching, counts, handoffs, savings per case;
* ``money+MC``: ``compare(models, cases_per_year=..., rate=..., simulations=2000)``,
  i.e. the above plus hours/money and the Monte Carlo range.

Usage::

    python bench/bench_compare.py                 # 1 000, 3 000, 10 000, 30 000 tasks per stage
    python bench/bench_compare.py --sizes 10000 --repeat 7
    python bench/bench_compare.py --check         # exit 1 if 10 000 tasks take >= 1 s (match)

Run it from the repository root (``python bench/bench_compare.py``) so the
local package is imported.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import procmap  # noqa: E402
from procmap.model import Model  # noqa: E402

LANES = ("Søker", "Servicetorget", "Saksbehandler", "Arkiv", "Fagleder")
VERBS = ("behandle søknad", "kontrollere vedlegg", "registrere sak i fagsystemet", "sende vedtak til søker",
         "vurdere økonomi", "innhente opplysninger fra Skatteetaten", "arkivere dokumenter", "godkjenne og signere")
NEW_STEPS = ("hent data fra folkeregisteret", "send kvittering til søker", "opprett saken automatisk",
             "journalfør automatisk", "varsle saksbehandleren", "beregn pris")
KINDS = ("manualTask", "userTask", "task")
DEFAULT_SIZES = [1_000, 3_000, 10_000, 30_000]


def _task(tid: str, name: str, kind: str, lane: int, minutes: int, spread: int) -> dict:
    return {"id": tid, "name": name, "type": kind, "kind": "task", "lane": lane,
            "effort": {"minutes": minutes, "low": max(0, minutes - spread), "high": minutes + 2 * spread}}


def stage_specs(n: int, seed: int = 0) -> list[list[dict]]:
    """Three lists of task dicts (id, name, type, lane, effort), each about n long."""
    rng = random.Random(seed)
    first = [_task(f"t{i}", f"Oppgave {i} – {VERBS[i % len(VERBS)]}", KINDS[i % 3], i % len(LANES),
                   rng.randint(1, 30), rng.randint(0, 5)) for i in range(n)]
    stages = [first]
    counter = n
    for k in (1, 2):
        nxt = []
        for t in stages[-1]:
            r = rng.random()
            t = dict(t)
            if r < 0.10:
                continue  # removed
            if r < 0.20:
                t["id"] = f"s{k}_{t['id']}"  # new id, same name
            elif r < 0.30:
                t["id"] = f"s{k}_{t['id']}"
                t["name"] = t["name"] + "en" if not t["name"].endswith("en") else t["name"] + " på nytt"
            elif r < 0.35:
                t["lane"] = (t["lane"] + 1) % len(LANES)
            if rng.random() < 0.10:
                t["type"] = "serviceTask"
            if rng.random() < 0.20:
                m = max(0, t["effort"]["minutes"] - rng.randint(1, 5))
                t["effort"] = {"minutes": m, "low": max(0, m - 2), "high": m + 4}
            nxt.append(t)
        for _ in range(n // 20):
            counter += 1
            nxt.insert(rng.randrange(len(nxt) + 1),
                       _task(f"t{counter}", f"Steg {counter}: {NEW_STEPS[counter % len(NEW_STEPS)]}",
                             "serviceTask", counter % len(LANES), 0, 0))
        stages.append(nxt)
    return stages


def build_model(tasks: list[dict], stage: str) -> Model:
    """A one-pool model with 5 lanes, start -> tasks -> end in one chain."""
    pid = "p"
    lanes = [{"id": f"lane{j}", "name": name, "process_id": pid, "container_id": pid, "flow_node_refs": []}
             for j, name in enumerate(LANES)]
    nodes = [{"id": "start", "type": "startEvent", "kind": "event", "process_id": pid, "lane_id": "lane0"}]
    for t in tasks:
        nodes.append({"id": t["id"], "name": t["name"], "type": t["type"], "kind": "task", "process_id": pid,
                      "lane_id": f"lane{t['lane']}", "effort": t["effort"]})
    nodes.append({"id": "end", "type": "endEvent", "kind": "event", "process_id": pid, "lane_id": "lane0"})
    flows = [{"id": f"f{i}", "source": a["id"], "target": b["id"], "process_id": pid}
             for i, (a, b) in enumerate(zip(nodes, nodes[1:]))]
    return Model.model_validate({
        "source": f"<synthetic {stage}>", "format": "bpmn", "name": "Synthetic service", "stage": stage,
        "processes": [{"id": pid, "name": "Synthetic service", "participant_id": "pool"}],
        "participants": [{"id": "pool", "name": "Kommunen", "process_id": pid}],
        "lanes": lanes, "nodes": nodes, "sequence_flows": flows})


def fresh_models(specs: list[list[dict]]) -> list[Model]:
    return [build_model(tasks, name) for tasks, name in zip(specs, ("manual", "e-form", "integrated"))]


def time_compare(specs: list[list[dict]], repeat: int, priced: bool) -> tuple[float, procmap.Comparison]:
    times = []
    result = None
    for _ in range(repeat):
        models = fresh_models(specs)  # not timed; fresh so no cached lookups carry over
        kwargs = {"cases_per_year": 1000, "rate": 700, "simulations": 2000} if priced else {}
        t0 = time.perf_counter()
        result = procmap.compare(models, **kwargs)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, metavar="N", help="tasks per stage")
    p.add_argument("--repeat", type=int, default=5, help="runs per size; the median is reported (default 5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="exit 1 if 3 x 10 000 tasks (match) take 1 s or more")
    a = p.parse_args(argv)

    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or platform.system()}; "
          f"median of {a.repeat} runs\n")
    header = ("tasks/stage", "match s", "us/task", "money+MC s", "us/task", "kept", "renamed", "moved",
              "removed", "added")
    rows = []
    for n in sorted(a.sizes):
        specs = stage_specs(n, a.seed)
        t_match, c = time_compare(specs, a.repeat, priced=False)
        t_mc, _ = time_compare(specs, a.repeat, priced=True)
        total = sum(len(s) for s in specs)
        kinds = {}
        for ch in c.changes:
            kinds[ch.change] = kinds.get(ch.change, 0) + 1
        rows.append((n, t_match, t_match / total * 1e6, t_mc, t_mc / total * 1e6,
                     kinds.get("kept", 0) + kinds.get("kind_changed", 0), kinds.get("renamed", 0),
                     kinds.get("moved", 0), kinds.get("removed", 0), kinds.get("added", 0)))
    cells = [(f"{r[0]:,}", f"{r[1]:.3f}", f"{r[2]:.1f}", f"{r[3]:.3f}", f"{r[4]:.1f}", *(f"{x:,}" for x in r[5:]))
             for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join(x.rjust(w) for x, w in zip(c, widths)))
    if len(rows) > 1:
        small, big = rows[0], rows[-1]
        print(f"\ngrowth of time per task from {small[0]:,} to {big[0]:,} tasks per stage (1.0 = linear): "
              f"match {big[2] / small[2]:.2f}, money+MC {big[4] / small[4]:.2f}")
    print("(kept includes kind_changed; renamed = matched by a close name or the same id under a new name)")
    if a.check:
        ten = next((r for r in rows if r[0] == 10_000), None)
        if ten is None:
            print("--check needs the size 10000", file=sys.stderr)
            return 2
        if ten[1] >= 1.0:
            print(f"FAIL: 3 x 10 000 tasks took {ten[1]:.3f} s (target < 1 s)", file=sys.stderr)
            return 1
        print(f"OK: 3 x 10 000 tasks in {ten[1]:.3f} s (target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
