"""The model: one stage of a service as typed, frozen values (elements, geometry, roles, flow order).

Names load on first use (PEP 562), so ``procmap.model.kinds`` costs nothing more than itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_SOURCES = {
    **{name: "procmap.model.elements" for name in ("Effort", "FlowNode", "Lane", "MessageFlow", "Model",
                                                    "Participant", "Process", "Role", "SequenceFlow")},
    **{name: "procmap.model.geometry" for name in ("Bounds", "Geometry", "Point", "Shape")},
    "AUTOMATED_TYPES": "procmap.model.kinds",
}


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module 'procmap.model' has no attribute {name!r}")
    value = getattr(import_module(_SOURCES[name]), name)
    globals()[name] = value
    return value


__all__ = ["AUTOMATED_TYPES", "Bounds", "Effort", "FlowNode", "Geometry", "Lane", "MessageFlow", "Model",
           "Participant", "Point", "Process", "Role", "SequenceFlow", "Shape"]
