"""The model: one stage of a service as typed, frozen values (elements, geometry, roles, flow order)."""

from procmap.model.elements import (AUTOMATED_TYPES, Effort, FlowNode, Lane, MessageFlow, Model, Participant,
                                    Process, Role, SequenceFlow)
from procmap.model.geometry import Bounds, Geometry, Point, Shape

__all__ = ["AUTOMATED_TYPES", "Bounds", "Effort", "FlowNode", "Geometry", "Lane", "MessageFlow", "Model",
           "Participant", "Point", "Process", "Role", "SequenceFlow", "Shape"]
