"""The benefit map (gevinstkart): measures → changed tasks → each role's freed time → the benefits.

A layered graph, so it is laid out by Graphviz ``dot`` (DOT text written here, the ``dot``
program run with a time limit; the Python ``graphviz`` package is not needed). Each stage
that brings changes is a measure, with the new integrations it needs; every task it removes,
automates, digitises or moves to another role points to the role whose time it frees, and
each role's freed time to its benefit. Beyond :data:`MAX_TASK_NODES` tasks, the tasks of one
role and one kind of change are one node, so a big service still gives a readable map.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from types import MappingProxyType

from procmap.benefits.plan import Benefit, BenefitPlan, Measure
from procmap.benefits.text import Say
from procmap.errors import RenderError
from procmap.layout import text as tx
from procmap.render.theme import Theme, resolve_theme
from procmap.words import counted

MAX_TASK_NODES = 40
DOT_TIMEOUT = 60.0
_WRAP_PX = 210.0  # a label line at most this wide (at 14 px): the map stays narrow enough for a slide
_FILL = MappingProxyType({"removed": "removed_fill", "automated": "automated_fill", "digitised": "card_fill",
                          "moved": "moved_fill"})
_STROKE = MappingProxyType({"removed": "removed_stroke", "automated": "automated_stroke", "digitised": "muted",
                            "moved": "moved_stroke"})


def _lines(text: str, bold: bool = False) -> str:
    """A label text wrapped to lines, as an HTML-like label fragment."""
    wrapped = tx.wrap(text, _WRAP_PX, 14.0, bold) or [""]
    body = "<BR/>".join(html.escape(line, quote=False) for line in wrapped)
    return f"<B>{body}</B>" if bold else body


def _label(head: str, *rest: str) -> str:
    return "<" + "<BR/>".join([_lines(head, bold=True), *(_lines(r) for r in rest if r)]) + ">"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _task_groups(benefits: list[Benefit], limit: int) -> list[tuple[str, list[Measure], str]]:
    """(node key, measures, the benefit's role) for the changed-task layer: one per task, or per
    step, role and kind when there are too many tasks to show one by one."""
    pairs = [(m, b.role) for b in benefits for m in b.measures if m.kind != "integration"]
    if len(pairs) <= limit:
        return [(f"t{i}", [m], role) for i, (m, role) in enumerate(pairs)]
    groups: dict[tuple[str, str, str, str], list[Measure]] = {}
    for m, role in pairs:
        groups.setdefault((m.from_stage, m.to_stage, role, m.kind), []).append(m)
    return [(f"t{i}", ms, key[2]) for i, (key, ms) in enumerate(groups.items())]


def map_dot(plan: BenefitPlan, *, lang: str = "nb", theme: Theme = None, max_tasks: int = MAX_TASK_NODES) -> str:
    """The benefit map as DOT text; with more than ``max_tasks`` changed tasks, they are grouped."""
    say, t = Say(lang), resolve_theme(theme)
    font = "DejaVu Sans"
    out = ["digraph benefit_map {",
           f'  graph [rankdir=LR, nodesep=0.18, ranksep=0.9, fontname={_quote(font)}, bgcolor="white", '
           f'pad=0.3, newrank=true];',
           f'  node [shape=box, style="rounded,filled", fontname={_quote(font)}, fontsize=11, '
           f'color={_quote(str(t["task_stroke"]))}, fillcolor="white", fontcolor={_quote(str(t["ink"]))}, margin="0.14,0.08"];',
           f'  edge [color={_quote(str(t["faint"]))}, arrowsize=0.7];']
    steps = sorted({(m.from_stage, m.to_stage) for b in plan.benefits for m in b.measures},
                   key=lambda s: plan.stages.index(s[1]) if s[1] in plan.stages else 0)
    step_node = {step: f"m{i}" for i, step in enumerate(steps)}
    for step, key in reversed(step_node.items()):
        integrations = [m for m in plan.integrations if (m.from_stage, m.to_stage) == step]
        rest = [say["map_integrations"] + ":", *(f"• {m.task}" for m in integrations)] if integrations else []
        out.append(f"  {key} [label={_label(say['map_measure'].format(stage=say.stage(step[1])), *rest)}, "
                   f'fillcolor={_quote(str(t["pool_fill"]))}, color={_quote(str(t["accent"]))}, penwidth=1.5];')
    groups = _task_groups(plan.benefits, max_tasks)
    for key, measures, role in reversed(groups):
        m = measures[0]
        if len(measures) == 1:
            label = _label(m.task, f"{role}: {say.kind(m)}")
        else:
            shown = [f"• {x.task}" for x in measures[:4]]
            more = [counted(say.w, "map_more", len(measures) - 4).format(n=len(measures) - 4)] if len(measures) > 4 else []
            label = _label(f"{role}: {len(measures)} × {say.kind(m)}", *shown, *more)
        out.append(f"  {key} [label={label}, fillcolor={_quote(str(t[_FILL[m.kind]]))}, "
                   f"color={_quote(str(t[_STROKE[m.kind]]))}];")
        out.append(f"  {step_node[(m.from_stage, m.to_stage)]} -> {key};")
    # dot stacks a column bottom-up from the order it reads the nodes: give it the last first, so that
    # benefit 1 and the first stage come out on top.
    for n, b in reversed(list(enumerate(plan.benefits))):
        i = b.indicator
        manual = f"{i.manual_baseline} → {i.manual_target} {words_manual(say)}"
        if i.minutes_baseline is not None and i.minutes_target is not None:
            effect = say["map_effect"].format(role=b.role, a=say.min(i.minutes_baseline), b=say.min(i.minutes_target))
        else:  # counts only: the manual tasks are the effect
            effect, manual = say["map_effect_tasks"].format(role=b.role, a=i.manual_baseline, b=i.manual_target), ""
        out.append(f"  e{n} [label={_label(effect, manual)}, fillcolor={_quote(str(t['card_fill']))}];")
        owner = f"{say['owner']}: {b.owner}" if b.owner else ""
        figures = say.figures(b, plan.currency)[:4]
        head = f"{say['benefit']} {n + 1}: {b.role}"
        out.append(f"  b{n} [label={_label(head, say.type(b.type), *figures, owner)}, "
                   f"fillcolor={_quote(str(t['added_fill']))}, color={_quote(str(t['added_stroke']))}, penwidth=1.5];")
        out.append(f"  e{n} -> b{n} [color={_quote(str(t['saving']))}, penwidth=1.6];")
    effect_of = {b.role: f"e{n}" for n, b in enumerate(plan.benefits)}
    for key, _, role in groups:
        out.append(f"  {key} -> {effect_of[role]};")
    ranks = [list(step_node.values()), [k for k, _, _ in groups], list(effect_of.values()),
             [f"b{n}" for n in range(len(plan.benefits))]]
    layers = list(say.w["map_layers"])  # type: ignore[arg-type]
    for i, (name, rank) in enumerate(zip(layers, ranks)):
        out.append(f'  h{i} [shape=plaintext, style="", fontsize=15, ordering=out, label={_label(name)}, '
                   f'fontcolor={_quote(str(t["title"]))}];')
        out.append("  { rank=same; " + "; ".join([f"h{i}", *rank]) + "; }")
        # Flat edges from the heading to its column put the heading on top (left of them, turned by LR).
        out += [f"  h{i} -> {key} [style=invis];" for key in rank]
    out.append("  h0 -> h1 -> h2 -> h3 [style=invis, weight=100];  # headings in one row")
    out.append("}")
    return "\n".join(out) + "\n"


def words_manual(say: Say) -> str:
    """'manuelle oppgaver' / 'manual tasks', from the indicator's own words."""
    return say["manual_target"].split(",")[0].lower()


def run_dot(dot_text: str, fmt: str = "svg", timeout: float = DOT_TIMEOUT) -> bytes:
    """Graphviz ``dot`` on DOT text: the picture in ``fmt``, or a RenderError in one line."""
    exe = shutil.which("dot")
    if exe is None:
        raise RenderError("Graphviz 'dot' was not found; install Graphviz (apt-get install graphviz) "
                          "to draw the benefit map")
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz 'dot' took more than {timeout:g} s to draw the benefit map") from None
    except OSError as exc:
        raise RenderError(f"Graphviz 'dot' could not be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        raise RenderError("Graphviz 'dot' failed: " + done.stderr.decode("utf-8", "replace").strip()[:200])
    return done.stdout


def map_svg(plan: BenefitPlan, *, lang: str = "nb", theme: Theme = None, max_tasks: int = MAX_TASK_NODES,
            timeout: float = DOT_TIMEOUT) -> str:
    """The benefit map as an SVG document (``max_tasks=0``: the changed tasks always grouped, for a slide)."""
    if not plan.benefits:
        raise RenderError(f"nothing to draw: no role's work shrinks from {plan.first_stage} to {plan.last_stage}, "
                          "so the plan has no benefit to map")
    svg = run_dot(map_dot(plan, lang=lang, theme=theme, max_tasks=max_tasks), "svg", timeout).decode("utf-8")
    start = svg.find("<svg")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + (svg[start:] if start >= 0 else svg)


__all__ = ["MAX_TASK_NODES", "map_dot", "map_svg", "run_dot"]
