"""Reading what BPMN notation draws beyond an element's type: event definitions, loop and
compensation markers, default and conditional flows, and the artifacts (data, annotations,
groups, associations).

Counting and comparing never need any of it, so it is read in passes of its own over the
parsed tree, after the semantic pass: lxml finds the few elements by name in C, and the hot
loop over tasks and flows stays as it was.
"""

from __future__ import annotations

from typing import Any, Optional

from lxml import etree

from procmap.bpmn.names import MODEL_NS, clean, ref as _ref
from procmap.model import elements as m

_M = "{%s}" % MODEL_NS
_EVENT_DEFINITIONS = tuple(_M + t for t in (
    "messageEventDefinition", "timerEventDefinition", "errorEventDefinition", "signalEventDefinition",
    "escalationEventDefinition", "conditionalEventDefinition", "linkEventDefinition",
    "compensateEventDefinition", "terminateEventDefinition", "cancelEventDefinition"))
_LOOPS = (_M + "standardLoopCharacteristics", _M + "multiInstanceLoopCharacteristics")
_CONDITION = _M + "conditionExpression"
_ARTIFACT_TAGS = {_M + t: t for t in m.ARTIFACT_TYPES}
_PROCESS, _SUBS = _M + "process", {_M + t for t in m.SUBPROCESS_TYPES}
_CATEGORY_VALUE = _M + "categoryValue"
_TEXT, _SOURCE_REF, _TARGET_REF = _M + "text", _M + "sourceRef", _M + "targetRef"
_MESSAGE_FLOW, _MESSAGE = _M + "messageFlow", _M + "message"
_MULTIPLICITY = _M + "participantMultiplicity"


def _true(value: Optional[str]) -> bool:
    return value is not None and value.strip() == "true"


class NotationReader:
    """Collects ``Model.notation`` and ``Model.artifacts`` from a parsed BPMN document.

    `marked` are the flow node elements the semantic pass saw that may carry attributes that
    matter here (every event, gateway and sub-process; tasks only with a default flow, as
    compensation, or receive tasks), so the attributes of thousands of tasks are never read twice.
    `nodes`, `seq_flows` and `msg_flows` are what the semantic pass found (id -> dict); only
    elements among them get a notation, so a skipped duplicate never lends its markers.
    """

    def __init__(self, root: etree._Element, marked: list[etree._Element], nodes: dict[str, Any],
                 seq_flows: dict[str, m.SequenceFlow], msg_flows: dict[str, Any],
                 participants: frozenset[str] = frozenset()) -> None:
        self.root, self.marked, self.participants = root, marked, participants
        self.nodes, self.seq_flows, self.msg_flows = nodes, seq_flows, msg_flows
        self.found: dict[str, dict[str, Any]] = {}

    def _of(self, eid: Optional[str]) -> Optional[dict[str, Any]]:
        if not eid or not (eid in self.nodes or eid in self.seq_flows or eid in self.msg_flows
                           or eid in self.participants):
            return None
        found = self.found.get(eid)
        if found is None:
            found = self.found[eid] = {}
        return found

    def read(self) -> tuple[dict[str, m.Notation], list[m.Artifact]]:
        root = self.root
        for el in root.iter(*_EVENT_DEFINITIONS, *_LOOPS, _CONDITION):
            parent = el.getparent()
            found = self._of(parent.get("id") if parent is not None else None)
            if found is None:
                continue
            local = el.tag[len(_M):]
            if el.tag == _CONDITION:
                found["conditional"] = True
            elif el.tag in _LOOPS:
                found["loop"] = local
                found["sequential"] = _true(el.get("isSequential"))
            else:
                found.setdefault("event_definitions", []).append(local)
        for el in root.iter(_MULTIPLICITY):
            parent = el.getparent()
            found = self._of(parent.get("id") if parent is not None else None)
            if found is not None:
                found["multiple"] = True
        names: Optional[dict[str, str]] = None  # message id -> name, read once a flow names a message
        for el in root.iter(_MESSAGE_FLOW):
            if el.get("messageRef"):
                found = self._of(el.get("id"))
                if found is not None:
                    found["message"] = True
                    if names is None:
                        names = {msg.get("id"): clean(msg.get("name")) for msg in root.iter(_MESSAGE) if msg.get("id")}
                    name = names.get(_ref(el, el.get("messageRef")) or "")  # a ref to nothing: no name
                    if name:
                        found["message_name"] = name
        for el in self.marked:  # the semantic pass kept the nodes that may say more in attributes
            get = el.get
            default = _ref(el, get("default"))
            if default and default in self.seq_flows and self.seq_flows[default].source == get("id"):
                self._of(default)["default"] = True  # type: ignore[index]
            found = self._of(get("id"))
            if found is None:
                continue
            if _true(get("isForCompensation")):
                found["for_compensation"] = True
            if _true(get("triggeredByEvent")):
                found["triggered_by_event"] = True
            if get("cancelActivity", "").strip() == "false" or get("isInterrupting", "").strip() == "false":
                found["interrupting"] = False
            if _true(get("instantiate")):
                found["instantiate"] = True
            if _true(get("parallelMultiple")):
                found["parallel_multiple"] = True
            if get("eventGatewayType"):
                found["event_gateway_type"] = get("eventGatewayType").strip()
        notation = {}
        for eid, values in self.found.items():
            if not values:
                continue
            if "event_definitions" in values:
                values["event_definitions"] = tuple(values["event_definitions"])
            notation[eid] = m.Notation(**values)
        return notation, self._artifacts()

    def _artifacts(self) -> list[m.Artifact]:
        root = self.root
        if next(root.iter(*_ARTIFACT_TAGS), None) is None:
            return []
        categories = {c.get("id"): clean(c.get("value")) for c in root.iter(_CATEGORY_VALUE) if c.get("id")}
        collections = {d.get("id") for d in root.iter(_M + "dataObject") if _true(d.get("isCollection"))}
        out: list[m.Artifact] = []
        seen: set[str] = set()
        for el in root.iter(*_ARTIFACT_TAGS):
            kind = _ARTIFACT_TAGS[el.tag]
            aid = el.get("id")
            if not aid or aid in seen or aid in self.nodes:
                continue
            seen.add(aid)
            get = el.get
            name = clean(get("name"))
            source = target = direction = None
            collection = _true(get("isCollection"))
            if kind == "textAnnotation":
                text = next(el.iterchildren(_TEXT), None)
                if text is not None:  # the annotation's own line breaks are kept: they are often a list
                    lines = (" ".join(line.split()) for line in (text.text or "").splitlines())
                    name = "\n".join(line for line in lines if line)
            elif kind == "group":
                name = categories.get(_ref(el, get("categoryValueRef")) or "", name)
            elif kind == "dataObjectReference":
                collection = collection or _ref(el, get("dataObjectRef")) in collections
            elif kind == "association":
                source, target = _ref(el, get("sourceRef")), _ref(el, get("targetRef"))
                direction = get("associationDirection") if get("associationDirection") not in (None, "None") else None
            elif kind in ("dataInputAssociation", "dataOutputAssociation"):
                host = el.getparent()
                host_id = host.get("id") if host is not None else None
                src = next(el.iterchildren(_SOURCE_REF), None)
                tgt = next(el.iterchildren(_TARGET_REF), None)
                src_id = _ref(el, src.text) if src is not None and src.text else None
                tgt_id = _ref(el, tgt.text) if tgt is not None and tgt.text else None
                source, target = (src_id, host_id) if kind == "dataInputAssociation" else (host_id, tgt_id)
            out.append(m.trusted(m.Artifact, {  # every field, of the right type: no validation needed
                "id": aid, "type": kind, "name": name, "process_id": _process_of(el), "source": source,
                "target": target, "collection": collection, "direction": direction}))
        return out


def _process_of(el: etree._Element) -> Optional[str]:
    for parent in el.iterancestors(_PROCESS):
        return parent.get("id")
    return None


def read_notation(root: etree._Element, marked: list[etree._Element], nodes: dict[str, Any],
                  seq_flows: dict[str, m.SequenceFlow], msg_flows: dict[str, Any],
                  participants: frozenset[str] = frozenset()) -> tuple[dict[str, m.Notation], list[m.Artifact]]:
    """``Model.notation`` and ``Model.artifacts`` of a parsed BPMN 2.0 document."""
    return NotationReader(root, marked, nodes, seq_flows, msg_flows, participants).read()
