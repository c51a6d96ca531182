"""procmap: show what a digital service really changes, role by role.

Pipeline: read (BPMN 2.0 or BPMN-lite) -> model -> compare -> render.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from procmap._version import __version__

#: Where each public name lives. They are imported on first use, so a command that needs little
#: (``procmap portfolio`` re-run from its cache, ``procmap --version``) starts without numpy, pandas
#: or the renderer.
_WHERE = {
    "procmap.errors": ("CompareError", "LiteError", "OptionError", "OutputError", "ProcmapError", "ReadError",
                       "RenderError"),
    "procmap.options": ("CompareOptions", "Look", "Paper", "Reading"),
    "procmap.compare.result": ("ChangeKind", "Comparison", "Interval", "RoleStage", "Saving", "Settings", "Stage",
                               "TaskChange"),
    "procmap.compare.run": ("compare",),
    "procmap.compare.inputs": ("load_aliases", "load_efforts", "load_rates"),
    "procmap.views.inspect": ("lanes_frame", "summary"),
    "procmap.model.elements": ("Effort", "FlowNode", "Lane", "MessageFlow", "Model", "Participant", "Process",
                               "Role", "SequenceFlow"),
    "procmap.model.geometry": ("Bounds", "Geometry", "Point", "Shape"),
    "procmap.bpmn.reader": ("Source", "read"),
    "procmap.views.cards": ("Routine", "routine", "routines"),
    "procmap.views.convert": ("to_bpmn", "to_lite"),
    "procmap.render": ("Diagram", "PosterResult", "chart_svg", "draw", "poster", "report_html", "stage_marks",
                       "stage_svg", "stages_svg"),
    "procmap.views.frames": ("changes_frame", "role_frame", "savings_frame", "stages_frame"),
}
_RENAMED = {"routine_html": ("procmap.views.cards", "to_html"), "routine_markdown": ("procmap.views.cards", "to_markdown"),
            "routine_pdf": ("procmap.views.cards", "to_pdf")}
_MODULE_OF = {name: (module, name) for module, names in _WHERE.items() for name in names}
_MODULE_OF.update(_RENAMED)


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (PEP 562)."""
    if name == "compare":  # the package procmap.compare is callable: the same object however it is reached
        return import_module("procmap.compare")
    where = _MODULE_OF.get(name)
    if where is None:
        raise AttributeError(f"module 'procmap' has no attribute {name!r}")
    return getattr(import_module(where[0]), where[1])


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF) | {"compare"})


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
