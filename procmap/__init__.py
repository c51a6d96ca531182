"""procmap: show what a digital service really changes, role by role.

Pipeline: read (BPMN 2.0 or BPMN-lite) -> model -> compare -> render.

The public names load on first use (PEP 562): ``import procmap`` costs almost
nothing, ``procmap.read`` brings in the reader, and pandas, numpy and CairoSVG
are imported only by the functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from procmap._version import __version__

# Each public name -> (module that defines it, its name there). "compare" is the package
# procmap.compare itself, which is callable: ``procmap.compare(models)`` runs the comparison, and
# ``procmap.compare`` is that same object whether the package or a submodule was imported first.
_SOURCES: dict[str, tuple[str, str]] = {
    **{name: ("procmap.errors", name) for name in ("CompareError", "LiteError", "OptionError", "OutputError",
                                                    "ProcmapError", "ReadError", "RenderError")},
    **{name: ("procmap.options", name) for name in ("CompareOptions", "Look", "Paper", "Reading")},
    **{name: ("procmap.compare.result", name) for name in ("ChangeKind", "Comparison", "Interval", "NearMiss",
                                                            "RoleStage", "Saving", "Settings", "Stage",
                                                            "TaskChange")},
    "compare": ("procmap.compare", ""),
    **{name: ("procmap.compare.inputs", name) for name in ("load_aliases", "load_efforts", "load_rates")},
    **{name: ("procmap.views.inspect", name) for name in ("lanes_frame", "summary")},
    **{name: ("procmap.model.elements", name) for name in ("Bounds", "Effort", "FlowNode", "Geometry", "Lane",
                                                            "MessageFlow", "Model", "Participant", "Point",
                                                            "Process", "Role", "SequenceFlow", "Shape")},
    **{name: ("procmap.bpmn.reader", name) for name in ("Source", "read")},
    **{name: ("procmap.views.cards", name) for name in ("Routine", "routine", "routines")},
    "routine_html": ("procmap.views.cards", "to_html"),
    "routine_markdown": ("procmap.views.cards", "to_markdown"),
    "routine_pdf": ("procmap.views.cards", "to_pdf"),
    **{name: ("procmap.views.convert", name) for name in ("to_bpmn", "to_lite")},
    **{name: ("procmap.render", name) for name in ("Diagram", "PosterResult", "chart_svg", "draw", "poster",
                                                    "report_html", "stage_marks", "stage_svg", "stages_svg")},
    **{name: ("procmap.views.frames", name) for name in ("changes_frame", "role_frame", "savings_frame",
                                                          "stages_frame")},
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _SOURCES[name]
    except KeyError:
        raise AttributeError(f"module 'procmap' has no attribute {name!r}") from None
    value = import_module(module)
    if attribute:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {"__version__"} | {k for k in globals() if k.startswith("__")})


if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the names above load on first use
    from procmap.bpmn.reader import Source, read
    from procmap.compare.inputs import load_aliases, load_efforts, load_rates
    from procmap.compare.result import (ChangeKind, Comparison, Interval, RoleStage, Saving, Settings, Stage,
                                        TaskChange)
    from procmap.compare.run import compare
    from procmap.errors import CompareError, LiteError, OptionError, OutputError, ProcmapError, ReadError, RenderError
    from procmap.options import CompareOptions, Look, Paper, Reading
    from procmap.model.elements import (Bounds, Effort, FlowNode, Geometry, Lane, MessageFlow, Model, Participant,
                                        Point, Process, Role, SequenceFlow, Shape)
    from procmap.render import (Diagram, PosterResult, chart_svg, draw, poster, report_html, stage_marks, stage_svg,
                                stages_svg)
    from procmap.views.cards import Routine, routine, routines
    from procmap.views.cards import to_html as routine_html
    from procmap.views.cards import to_markdown as routine_markdown
    from procmap.views.cards import to_pdf as routine_pdf
    from procmap.views.convert import to_bpmn, to_lite
    from procmap.views.frames import changes_frame, role_frame, savings_frame, stages_frame
    from procmap.views.inspect import lanes_frame, summary

__all__ = [
    "Bounds",
    "ChangeKind",
    "CompareError",
    "CompareOptions",
    "Comparison",
    "Diagram",
    "Effort",
    "FlowNode",
    "Geometry",
    "Interval",
    "Lane",
    "LiteError",
    "Look",
    "MessageFlow",
    "Model",
    "NearMiss",
    "OptionError",
    "OutputError",
    "Paper",
    "Participant",
    "Point",
    "PosterResult",
    "Process",
    "ProcmapError",
    "ReadError",
    "Reading",
    "RenderError",
    "Role",
    "RoleStage",
    "Routine",
    "Saving",
    "SequenceFlow",
    "Settings",
    "Shape",
    "Source",
    "Stage",
    "TaskChange",
    "changes_frame",
    "chart_svg",
    "compare",
    "draw",
    "lanes_frame",
    "load_aliases",
    "load_efforts",
    "load_rates",
    "poster",
    "read",
    "report_html",
    "role_frame",
    "routine",
    "routine_html",
    "routine_markdown",
    "routine_pdf",
    "routines",
    "savings_frame",
    "stage_marks",
    "stage_svg",
    "stages_frame",
    "stages_svg",
    "summary",
    "to_bpmn",
    "to_lite",
]
