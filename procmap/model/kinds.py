"""The BPMN 2.0 element types procmap reads, and the few kinds a count or a picture sorts them into.

Plain constants and one function, without pydantic: the texts (procmap.words) and the
command line can use them without loading the model.
"""

from __future__ import annotations

from typing import Literal

TASK_TYPES: tuple[str, ...] = (
    "task",
    "userTask",
    "serviceTask",
    "manualTask",
    "sendTask",
    "receiveTask",
    "scriptTask",
    "businessRuleTask",
)
SUBPROCESS_TYPES: tuple[str, ...] = ("subProcess", "transaction", "adHocSubProcess")
ACTIVITY_TYPES: tuple[str, ...] = TASK_TYPES + SUBPROCESS_TYPES + ("callActivity",)
EVENT_TYPES: tuple[str, ...] = (
    "startEvent",
    "endEvent",
    "intermediateThrowEvent",
    "intermediateCatchEvent",
    "boundaryEvent",
    "implicitThrowEvent",
)
GATEWAY_TYPES: tuple[str, ...] = (
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
)
FLOW_NODE_TYPES: tuple[str, ...] = ACTIVITY_TYPES + EVENT_TYPES + GATEWAY_TYPES

#: Task types done by a machine, not a person.
AUTOMATED_TYPES: frozenset[str] = frozenset({"serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask"})

NodeKind = Literal["task", "subprocess", "call", "event", "gateway"]
LaneSource = Literal["semantic", "geometry", "parent", "only-lane"]


def node_kind(bpmn_type: str) -> NodeKind:
    """Sort a BPMN element type into the few kinds a picture or a count cares about."""
    if bpmn_type in TASK_TYPES:
        return "task"
    if bpmn_type in SUBPROCESS_TYPES:
        return "subprocess"
    if bpmn_type == "callActivity":
        return "call"
    if bpmn_type in GATEWAY_TYPES:
        return "gateway"
    return "event"
