"""The dot ranking: Graphviz ``dot`` orders the columns of procmap's banded layout when asked (``--layout dot``).

Only the ``dot`` program is used (DOT text in, plain text out); the Python ``graphviz`` package is not needed:
the DOT text is written here. Node ids in it are ``n0``, ``n1``, ... (positions in the node list), so no
text from the model ever goes into the DOT source and nothing needs quoting.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Iterable, Optional, Sequence

from procmap.errors import RenderError
from procmap.layout.route import columns
from procmap.model.elements import FlowNode, Model

DOT_NODE_LIMIT = 3000


DOT_TIMEOUT = 60.0


def dot_source(count: int, edges: Iterable[tuple[int, int]]) -> str:
    """The DOT graph dot ranks: nodes ``n0`` .. ``n{count-1}`` as equal empty boxes, and the edges between them."""
    lines = ["digraph {",
             "\tgraph [nodesep=0.15 rankdir=LR ranksep=0.3]",
             '\tnode [fixedsize=true height=0.5 label="" shape=box width=1]']
    lines += [f"\tn{i}" for i in range(count)]
    lines += [f"\tn{s} -> n{t}" for s, t in edges]
    return "\n".join(lines) + "\n}\n"


def dot_columns(nodes: Sequence[FlowNode], edges: Iterable[tuple[str, str]],
                timeout: float = DOT_TIMEOUT) -> dict[str, int]:
    """Columns from Graphviz ``dot`` (rankdir=LR): nodes that dot puts on one rank share a column."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderError("Graphviz 'dot' was not found; install Graphviz or use the built-in layout")
    index = {n.id: i for i, n in enumerate(nodes)}
    source = dot_source(len(nodes), [(index[s], index[t]) for s, t in edges if s in index and t in index and s != t])
    try:
        done = subprocess.run([exe, "-Tplain"], input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz 'dot' took more than {timeout:g} s for {len(nodes)} nodes; "
                          "use the built-in layout") from None
    if done.returncode != 0:
        raise RenderError("Graphviz 'dot' failed: " + done.stderr.decode("utf-8", "replace").strip()[:200])
    xs: dict[int, float] = {}
    for row in done.stdout.decode("utf-8", "replace").splitlines():
        parts = row.split()
        if len(parts) > 3 and parts[0] == "node" and parts[1].startswith("n"):
            xs[int(parts[1][1:])] = float(parts[2])
    distinct = sorted({round(x, 2) for x in xs.values()})
    rank = {x: i for i, x in enumerate(distinct)}
    return {n.id: rank[round(xs[index[n.id]], 2)] if index[n.id] in xs else 0 for n in nodes}


def rank_nodes(model: Model, nodes: list[FlowNode], edges: list[tuple[str, str]],
               engine: str = "procmap", notes: Optional[list[str]] = None) -> dict[str, int]:
    if engine == "dot":
        if len(nodes) > DOT_NODE_LIMIT:
            if notes is not None:
                notes.append(f"{len(nodes)} nodes are too many for Graphviz; the built-in layout was used")
        else:
            return dot_columns(nodes, edges)
    return columns(model, nodes, edges)
