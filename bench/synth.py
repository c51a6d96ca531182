"""Synthetic BPMN 2.0 models for benchmarking ``procmap.read``.

``write_model(path, n_tasks)`` streams a valid BPMN 2.0 file to disk:

* one ``collaboration`` with one ``participant`` referencing one ``process``;
* a ``laneSet`` with ``lanes`` lanes, each listing its ``flowNodeRef``\\ s;
* ``startEvent`` -> ``n_tasks`` tasks -> ``endEvent``, chained by
  ``n_tasks + 1`` ``sequenceFlow``\\ s (with ``incoming``/``outgoing`` refs,
  the way bpmn.io / Camunda Modeler export them);
* tasks are a seeded mix of ``task``, ``userTask``, ``serviceTask`` and
  ``manualTask``, spread round-robin over the lanes, named like
  ``"Oppgave 123 – behandle søknad"`` (non-ASCII on purpose) and carrying
  ``procmap:minutes`` / ``procmap:low`` / ``procmap:high`` effort attributes;
* full BPMNDI geometry: a ``BPMNShape`` with ``dc:Bounds`` for the pool, every
  lane and every node, and a ``BPMNEdge`` with ``di:waypoint``\\ s per flow.

Nothing is held in memory per task: every section is regenerated from the
task index (types and names come from a per-index seeded hash), so 100 000
tasks take a couple of seconds and a few MB of RAM.

CLI::

    python bench/synth.py N out.bpmn [--lanes 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Iterator, TextIO
from xml.sax.saxutils import quoteattr

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
PROCMAP_NS = "https://procmap.dev/ns/1"

TASK_TYPES = ("task", "userTask", "serviceTask", "manualTask")
VERBS = (
    "behandle søknad",
    "kontrollér vedlegg",
    "registrere sak i fagsystemet",
    "sende vedtak til søker",
    "vurdere økonomi",
    "innhente opplysninger fra Skatteetaten",
    "avklare behov – første møte",
    "arkivere dokumenter i Ephorte",
    "ringe søker «ved behov»",
    "godkjenne og signere",
)
LANE_NAMES = (
    "Søker",
    "Servicetorget",
    "Saksbehandler",
    "Økonomi",
    "Fagleder",
    "Arkiv",
    "IKT-drift",
)

# Geometry (pixels). Lanes are horizontal bands; column c sits at x = col_x(c).
POOL_X = 100
POOL_Y = 100
POOL_LABEL_W = 30
LANE_H = 200
COL_W = 150
TASK_W, TASK_H = 100, 80
EVENT_W = EVENT_H = 36

_CHUNK = 2000  # tasks per buffered write
#: A row of tasks longer than this would leave the coordinates procmap accepts (±1e7): such a model
#: puts one task per lane in each column instead (a task and the next one sit in different lanes).
MAX_ROW = 5_000_000


def _mix(seed: int, i: int) -> int:
    """Cheap deterministic per-index hash (splitmix64-style)."""
    z = (seed * 0x9E3779B97F4A7C15 + i * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


class _Model:
    """Pure functions of (n_tasks, lanes, seed): ids, types, names, geometry."""

    def __init__(self, n_tasks: int, lanes: int, seed: int) -> None:
        if n_tasks < 0:
            raise ValueError("n_tasks must be >= 0")
        if lanes < 1:
            raise ValueError("lanes must be >= 1")
        self.n = n_tasks
        self.lanes = lanes
        self.seed = seed
        self.pad = len(str(n_tasks + 1))
        self.per_col = 1 if (n_tasks + 2) * COL_W <= MAX_ROW else lanes

    # --- nodes: index 0 = start, 1..n = tasks, n+1 = end ---------------------
    def node_id(self, k: int) -> str:
        if k == 0:
            return "StartEvent_1"
        if k == self.n + 1:
            return "EndEvent_1"
        return f"Task_{k:0{self.pad}d}"

    def node_lane(self, k: int) -> int:
        if k == 0:
            return 0
        if k == self.n + 1:
            return self.n % self.lanes  # the next round-robin slot
        return (k - 1) % self.lanes

    def task_type(self, k: int) -> str:
        return TASK_TYPES[_mix(self.seed, k) % len(TASK_TYPES)]

    def task_name(self, k: int) -> str:
        verb = VERBS[(_mix(self.seed, k) >> 8) % len(VERBS)]
        return f"Oppgave {k} – {verb}"

    def task_effort(self, k: int) -> tuple[int, int, int]:
        h = _mix(self.seed, k) >> 16
        minutes = 1 + h % 60
        low = max(1, minutes - (h >> 8) % 10)
        high = minutes + (h >> 16) % 30
        return minutes, low, high

    def flow_id(self, f: int) -> str:
        # flow f goes from node f to node f+1, f = 0..n
        return f"Flow_{f:0{self.pad}d}"

    def lane_id(self, j: int) -> str:
        return f"Lane_{j + 1}"

    def lane_name(self, j: int) -> str:
        base = LANE_NAMES[j % len(LANE_NAMES)]
        return base if j < len(LANE_NAMES) else f"{base} {j // len(LANE_NAMES) + 1}"

    def lane_members(self, j: int) -> Iterator[int]:
        if j == 0:
            yield 0
        yield from range(j + 1, self.n + 1, self.lanes)
        if self.node_lane(self.n + 1) == j:
            yield self.n + 1

    # --- geometry --------------------------------------------------------------
    def column(self, k: int) -> int:
        """Node k's column: k itself, or with one task per lane in a column, the tasks' rounds."""
        if k == 0 or self.per_col == 1:
            return k
        if k == self.n + 1:
            return self.column(self.n) + 1
        return (k - 1) // self.per_col + 1

    def col_cx(self, k: int) -> int:
        return POOL_X + POOL_LABEL_W + 100 + self.column(k) * COL_W

    def lane_cy(self, j: int) -> int:
        return POOL_Y + j * LANE_H + LANE_H // 2

    def node_bounds(self, k: int) -> tuple[int, int, int, int]:
        cx, cy = self.col_cx(k), self.lane_cy(self.node_lane(k))
        if k == 0 or k == self.n + 1:
            w, h = EVENT_W, EVENT_H
        else:
            w, h = TASK_W, TASK_H
        return cx - w // 2, cy - h // 2, w, h

    def pool_bounds(self) -> tuple[int, int, int, int]:
        w = POOL_LABEL_W + 100 + self.column(self.n + 1) * COL_W + 100
        return POOL_X, POOL_Y, w, self.lanes * LANE_H

    def lane_bounds(self, j: int) -> tuple[int, int, int, int]:
        _, _, pw, _ = self.pool_bounds()
        return POOL_X + POOL_LABEL_W, POOL_Y + j * LANE_H, pw - POOL_LABEL_W, LANE_H

    def waypoints(self, f: int) -> list[tuple[int, int]]:
        sx, sy, sw, sh = self.node_bounds(f)
        tx, ty, tw, th = self.node_bounds(f + 1)
        x1, y1 = sx + sw, sy + sh // 2
        x2, y2 = tx, ty + th // 2
        if y1 == y2:
            return [(x1, y1), (x2, y2)]
        mx = (x1 + x2) // 2
        return [(x1, y1), (mx, y1), (mx, y2), (x2, y2)]


def _bounds(b: tuple[int, int, int, int]) -> str:
    return f'<dc:Bounds x="{b[0]}" y="{b[1]}" width="{b[2]}" height="{b[3]}" />'


def _chunked(out: TextIO, count: int, render: Callable[[int], str], start: int = 0) -> None:
    buf: list[str] = []
    for i in range(start, start + count):
        buf.append(render(i))
        if len(buf) >= _CHUNK:
            out.write("".join(buf))
            buf.clear()
    if buf:
        out.write("".join(buf))


def write_model(path: str | os.PathLike[str], n_tasks: int, lanes: int = 5, seed: int = 0) -> int:
    """Write a synthetic BPMN 2.0 model with ``n_tasks`` tasks to ``path``.

    Returns the file size in bytes.
    """
    m = _Model(n_tasks, lanes, seed)
    n = n_tasks
    I1, I2, I3, I4, I5 = ("  " * d for d in range(1, 6))

    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" xmlns:bpmndi="{BPMNDI_NS}" '
            f'xmlns:dc="{DC_NS}" xmlns:di="{DI_NS}" xmlns:procmap="{PROCMAP_NS}" '
            'id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" '
            'exporter="procmap bench/synth.py" exporterVersion="1">\n'
            f'{I1}<bpmn:collaboration id="Collaboration_1">\n'
            f'{I2}<bpmn:participant id="Participant_1" name="Bergen kommune – syntetisk prosess ({n} oppgaver)" '
            'processRef="Process_1" />\n'
            f"{I1}</bpmn:collaboration>\n"
            f'{I1}<bpmn:process id="Process_1" name="Syntetisk søknadsprosess" isExecutable="false">\n'
            f'{I2}<bpmn:laneSet id="LaneSet_1">\n'
        )

        # laneSet: flowNodeRefs regenerated per lane (no per-task state kept)
        for j in range(lanes):
            out.write(f'{I3}<bpmn:lane id="{m.lane_id(j)}" name={quoteattr(m.lane_name(j))}>\n')
            buf: list[str] = []
            for k in m.lane_members(j):
                buf.append(f"{I4}<bpmn:flowNodeRef>{m.node_id(k)}</bpmn:flowNodeRef>\n")
                if len(buf) >= _CHUNK:
                    out.write("".join(buf))
                    buf.clear()
            out.write("".join(buf))
            out.write(f"{I3}</bpmn:lane>\n")
        out.write(f"{I2}</bpmn:laneSet>\n")

        # flow nodes
        out.write(
            f'{I2}<bpmn:startEvent id="{m.node_id(0)}" name="Søknad mottatt">\n'
            f"{I3}<bpmn:outgoing>{m.flow_id(0)}</bpmn:outgoing>\n"
            f"{I2}</bpmn:startEvent>\n"
        )

        def render_task(k: int) -> str:
            t = m.task_type(k)
            mins, low, high = m.task_effort(k)
            return (
                f'{I2}<bpmn:{t} id="{m.node_id(k)}" name={quoteattr(m.task_name(k))} '
                f'procmap:minutes="{mins}" procmap:low="{low}" procmap:high="{high}">\n'
                f"{I3}<bpmn:incoming>{m.flow_id(k - 1)}</bpmn:incoming>\n"
                f"{I3}<bpmn:outgoing>{m.flow_id(k)}</bpmn:outgoing>\n"
                f"{I2}</bpmn:{t}>\n"
            )

        _chunked(out, n, render_task, start=1)
        out.write(
            f'{I2}<bpmn:endEvent id="{m.node_id(n + 1)}" name="Vedtak sendt – ferdig behandlet">\n'
            f"{I3}<bpmn:incoming>{m.flow_id(n)}</bpmn:incoming>\n"
            f"{I2}</bpmn:endEvent>\n"
        )

        # sequence flows: n + 1 of them, node f -> node f+1
        def render_flow(f: int) -> str:
            return (
                f'{I2}<bpmn:sequenceFlow id="{m.flow_id(f)}" '
                f'sourceRef="{m.node_id(f)}" targetRef="{m.node_id(f + 1)}" />\n'
            )

        _chunked(out, n + 1, render_flow)
        out.write(f"{I1}</bpmn:process>\n")

        # diagram
        out.write(
            f'{I1}<bpmndi:BPMNDiagram id="BPMNDiagram_1">\n'
            f'{I2}<bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_1">\n'
            f'{I3}<bpmndi:BPMNShape id="Participant_1_di" bpmnElement="Participant_1" isHorizontal="true">\n'
            f"{I4}{_bounds(m.pool_bounds())}\n"
            f"{I3}</bpmndi:BPMNShape>\n"
        )
        for j in range(lanes):
            out.write(
                f'{I3}<bpmndi:BPMNShape id="{m.lane_id(j)}_di" bpmnElement="{m.lane_id(j)}" isHorizontal="true">\n'
                f"{I4}{_bounds(m.lane_bounds(j))}\n"
                f"{I3}</bpmndi:BPMNShape>\n"
            )

        def render_shape(k: int) -> str:
            nid = m.node_id(k)
            return (
                f'{I3}<bpmndi:BPMNShape id="{nid}_di" bpmnElement="{nid}">\n'
                f"{I4}{_bounds(m.node_bounds(k))}\n"
                f"{I3}</bpmndi:BPMNShape>\n"
            )

        _chunked(out, n + 2, render_shape)

        def render_edge(f: int) -> str:
            fid = m.flow_id(f)
            wps = "".join(f'{I4}<di:waypoint x="{x}" y="{y}" />\n' for x, y in m.waypoints(f))
            return f'{I3}<bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">\n{wps}{I3}</bpmndi:BPMNEdge>\n'

        _chunked(out, n + 1, render_edge)
        out.write(f"{I2}</bpmndi:BPMNPlane>\n{I1}</bpmndi:BPMNDiagram>\n</bpmn:definitions>\n")

    return os.path.getsize(path)


def lite_text(n_tasks: int, lanes: int = 4, seed: int = 0) -> str:
    """A synthetic BPMN-lite stage WITHOUT geometry, shaped like a real service: each role does a
    run of 1-4 tasks and hands over; every ~8 tasks an exclusive gateway splits into two short
    paths that join again; every ~15 tasks a "not complete?" loop goes back a few steps."""
    lane_names = [LANE_NAMES[j % len(LANE_NAMES)] + ("" if j < len(LANE_NAMES) else f" {j + 1}")
                  for j in range(lanes)]
    members: list[list[str]] = [[] for _ in range(lanes)]
    flows: list[str] = []
    kinds = ("manual", "user", "service", "")
    lane, run_left, k, prev = 0, 1, 0, "start"
    members[0].append('<start id="start" name="Start"/>')
    recent: list[str] = []
    g = 0
    while k < n_tasks:
        if run_left == 0:
            lane = (lane + 1 + _mix(seed, k) % max(lanes - 1, 1)) % lanes
            run_left = 1 + _mix(seed + 1, k) % 4
        r = _mix(seed + 2, k)
        if r % 8 == 0 and n_tasks - k >= 3:
            g += 1
            gw, join = f"g{g}", f"j{g}"
            members[lane].append(f'<gateway id="{gw}" name="OK {g}?"/>')
            flows.append(f'<flow from="{prev}" to="{gw}"/>')
            a, b = f"t{k}", f"t{k + 1}"
            for t_id, kk in ((a, k), (b, k + 1)):
                kind = kinds[_mix(seed + 3, kk) % len(kinds)]
                attr = f' kind="{kind}"' if kind else ""
                members[lane].append(f'<task id="{t_id}" name="{quoteattr(VERBS[kk % len(VERBS)])[1:-1]} {kk}"'
                                     f'{attr} minutes="{5 + _mix(seed + 4, kk) % 25}"/>')
            members[lane].append(f'<gateway id="{join}" name="" kind="exclusive"/>')
            flows += [f'<flow from="{gw}" to="{a}" name="ja"/>', f'<flow from="{gw}" to="{b}" name="nei"/>',
                      f'<flow from="{a}" to="{join}"/>', f'<flow from="{b}" to="{join}"/>']
            prev, k = join, k + 2
            run_left = max(run_left - 2, 0)
            continue
        t_id = f"t{k}"
        kind = kinds[_mix(seed + 3, k) % len(kinds)]
        attr = f' kind="{kind}"' if kind else ""
        members[lane].append(f'<task id="{t_id}" name="{quoteattr(VERBS[k % len(VERBS)])[1:-1]} {k}"{attr} '
                             f'minutes="{5 + _mix(seed + 4, k) % 25}"/>')
        flows.append(f'<flow from="{prev}" to="{t_id}"/>')
        if r % 15 == 1 and len(recent) > 3:
            flows.append(f'<flow from="{t_id}" to="{recent[-3]}" name="mangler"/>')
        recent.append(t_id)
        prev, k = t_id, k + 1
        run_left -= 1
    members[lane].append('<end id="end" name="Ferdig"/>')
    flows.append(f'<flow from="{prev}" to="end"/>')
    body = "".join(f'<lane name="{name}">{"".join(items)}</lane>' for name, items in zip(lane_names, members))
    return (f'<?xml version="1.0" encoding="UTF-8"?><process name="Syntetisk tjeneste" stage="synth-{seed}" '
            f'pool="Eksempel kommune">{body}{"".join(flows)}</process>')


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic BPMN 2.0 model.")
    p.add_argument("n_tasks", type=int, help="number of tasks")
    p.add_argument("out", help="output .bpmn path")
    p.add_argument("--lanes", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    size = write_model(a.out, a.n_tasks, lanes=a.lanes, seed=a.seed)
    print(f"wrote {a.out}: {a.n_tasks} tasks, {a.lanes} lanes, {size / 2**20:.2f} MiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
