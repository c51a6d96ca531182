"""The order in which a flow runs, for layouts and routine cards.

Each node's column is its longest distance from a start, with the back edges of
loops found by a depth-first walk and ignored. Pure and linear in the size of
the model.
"""

from __future__ import annotations

from typing import Iterable, Optional

from procmap.model.elements import FlowNode, Model


def flow_order(model: Model, nodes: list[FlowNode], edges: Optional[Iterable[tuple[str, str]]] = None
               ) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """(column of each node, back edges): the order in which the flow runs through `nodes`.

    Back edges are found by a depth-first walk from the start events in document
    order; the column is the longest path over the remaining acyclic graph.
    `edges` default to the model's sequence flows.
    """
    ids = {n.id for n in nodes}
    order = {n.id: i for i, n in enumerate(nodes)}
    succ: dict[str, list[str]] = {n.id: [] for n in nodes}
    indeg: dict[str, int] = {n.id: 0 for n in nodes}
    pairs = ((f.source, f.target) for f in model.sequence_flows) if edges is None else edges
    for source, target in pairs:
        if source in ids and target in ids and source != target:
            succ[source].append(target)
            indeg[target] += 1
    starts = [n.id for n in nodes if n.type == "startEvent" or indeg[n.id] == 0]
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in starts + [n.id for n in nodes]:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            current, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[current] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((current, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    indeg = {i: 0 for i in ids}
    for s, targets in succ.items():
        for t in targets:
            if (s, t) not in back:
                indeg[t] += 1
    col = {i: 0 for i in ids}
    ready = sorted((i for i in ids if indeg[i] == 0), key=order.get)
    while ready:
        current = ready.pop()
        for t in succ[current]:
            if (current, t) in back:
                continue
            col[t] = max(col[t], col[current] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return col, back
