"""Time the reader phase by phase: python bench/read_phases.py FILE N_TASKS (see bench/README.md).

Phases: parse (the file up to its diagrams; they are left unparsed), sem (processes, lanes, tasks, flows,
effort), lanes (resolving flowNodeRefs), place (lane-less nodes), build (the Model, and freeing
the parsed tree), and geometry: converting that diagram when a picture first asks.
"""
import gc
import sys
import time

from procmap.bpmn import _xml
from procmap.bpmn import bpmn20 as bpmn
from procmap.bpmn.names import BPMNDI_NS


def phases(path: str) -> dict[str, float]:
    gc.disable()
    t0 = time.perf_counter()
    loaded = _xml.parse(path, max_bytes=None, defer=(BPMNDI_NS, "BPMNDiagram"))
    t1 = time.perf_counter()
    r = bpmn._Reader(loaded.root, loaded.name, loaded.warnings, loaded.deferred)
    for el in r.root:
        if el.tag == bpmn._M + "process":
            r._process(el)
        elif el.tag == bpmn._M + "collaboration":
            r._collaboration(el)
    t2 = time.perf_counter()
    r._resolve_lanes()
    r.diagrams = list(r.root.iterchildren(bpmn._DIAGRAM))
    t3 = time.perf_counter()
    r._place_unassigned()
    t4 = time.perf_counter()
    model = r._build()
    del r, loaded  # the parsed tree is freed here, as at the end of procmap.read
    t5 = time.perf_counter()
    model.geometry.shapes
    t6 = time.perf_counter()
    del model
    gc.enable()
    gc.collect()
    return dict(parse=t1 - t0, sem=t2 - t1, lanes=t3 - t2, place=t4 - t3, build=t5 - t4, read=t5 - t0,
                geometry=t6 - t5)


if __name__ == "__main__":
    best: dict[str, float] = {}
    for _ in range(3):
        for k, v in phases(sys.argv[1]).items():
            best[k] = min(best.get(k, 9e9), v)
    n = int(sys.argv[2])
    print(" ".join(f"{k} {v / n * 1e6:.1f}us" for k, v in best.items()))
