"""procmap: show what a digital service really changes, role by role.

Pipeline: read (BPMN 2.0 or BPMN-lite) -> model -> compare -> render.
"""

from __future__ import annotations

from procmap._version import __version__

from procmap.errors import CompareError, LiteError, OptionError, OutputError, ProcmapError, ReadError, RenderError
from procmap.options import CompareOptions, Look, Paper, Reading
from procmap.compare.result import ChangeKind, Comparison, Interval, RoleStage, Saving, Settings, Stage, TaskChange
from procmap.compare.run import compare
from procmap.compare.inputs import load_aliases, load_efforts, load_rates
from procmap.views.inspect import lanes_frame, summary
from procmap.model.elements import (
    Bounds,
    Effort,
    FlowNode,
    Geometry,
    Lane,
    MessageFlow,
    Model,
    Participant,
    Point,
    Process,
    Role,
    SequenceFlow,
    Shape,
)
from procmap.bpmn.reader import Source, read
from procmap.views.cards import Routine, routine, routines
from procmap.views.cards import to_html as routine_html
from procmap.views.cards import to_markdown as routine_markdown
from procmap.views.cards import to_pdf as routine_pdf
from procmap.views.convert import to_bpmn, to_lite
from procmap.render import (Diagram, PosterResult, chart_svg, draw, poster, report_html, stage_marks, stage_svg,
                     stages_svg)
from procmap.views.frames import changes_frame, role_frame, savings_frame, stages_frame

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
