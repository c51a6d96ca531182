"""procmap: show what a digital service really changes, role by role.

Pipeline: read (BPMN 2.0 or BPMN-lite) -> model -> compare -> render.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CompareError, LiteError, ProcmapError, ReadError, RenderError
from .inspect import lanes_frame, summary
from .model import (
    Bounds,
    Effort,
    FlowNode,
    Lane,
    MessageFlow,
    Model,
    Participant,
    Point,
    Process,
    Role,
    SequenceFlow,
)
from .reader import Source, read
from .render import (Diagram, PosterResult, chart_svg, draw, poster, report_html, stage_marks, stage_svg,
                     stages_svg)

__all__ = [
    "Bounds",
    "CompareError",
    "Diagram",
    "Effort",
    "FlowNode",
    "Lane",
    "LiteError",
    "MessageFlow",
    "Model",
    "Participant",
    "Point",
    "PosterResult",
    "Process",
    "ProcmapError",
    "ReadError",
    "RenderError",
    "Role",
    "SequenceFlow",
    "Source",
    "chart_svg",
    "draw",
    "lanes_frame",
    "poster",
    "read",
    "report_html",
    "stage_marks",
    "stage_svg",
    "stages_svg",
    "summary",
]
