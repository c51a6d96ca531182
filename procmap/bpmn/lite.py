"""Reading BPMN-lite, the hand-writable dialect (see the README, section BPMN-lite).

Every lite element maps onto one BPMN 2.0 element, so a lite file becomes the
same Model a BPMN export does, and can be written out as BPMN later.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Any, Mapping, Optional

from lxml import etree

from procmap.model import elements as m
from procmap.bpmn.effort import parse_effort
from procmap.bpmn.names import clean
from procmap.errors import LiteError, where

LITE_NS = "https://procmap.dev/ns/lite/1"

# The tables below are read-only (MappingProxyType): every reader in the process shares them.
#: The BPMN task type for each lite kind (and for each BPMN task type, lower case).
TASK_KINDS: Mapping[str, str] = MappingProxyType({
    "": "task", "task": "task", "none": "task",
    "manual": "manualTask", "user": "userTask", "service": "serviceTask", "automated": "serviceTask",
    "automatic": "serviceTask", "send": "sendTask", "receive": "receiveTask", "script": "scriptTask",
    "rule": "businessRuleTask", "businessrule": "businessRuleTask",
    "call": "callActivity", "callactivity": "callActivity",
    **{t.lower(): t for t in m.TASK_TYPES},
})
#: The lite kind written back for each BPMN task type (convert BPMN -> lite).
KIND_OF_TYPE: Mapping[str, str] = MappingProxyType({
    "task": "", "manualTask": "manual", "userTask": "user", "serviceTask": "service", "sendTask": "send",
    "receiveTask": "receive", "scriptTask": "script", "businessRuleTask": "rule", "callActivity": "call",
})
#: The BPMN gateway type for each lite gateway kind.
GATEWAY_KINDS: Mapping[str, str] = MappingProxyType({
    "": "exclusiveGateway", "exclusive": "exclusiveGateway", "xor": "exclusiveGateway",
    "parallel": "parallelGateway", "and": "parallelGateway", "inclusive": "inclusiveGateway",
    "or": "inclusiveGateway", "event": "eventBasedGateway", "complex": "complexGateway",
})
#: The BPMN event type for each lite event element.
EVENT_TYPES: Mapping[str, str] = MappingProxyType(
    {"start": "startEvent", "end": "endEvent", "event": "intermediateThrowEvent"})
_NODE_TAGS = frozenset({"task", "gateway", "subprocess", *EVENT_TYPES})


def is_lite(root: etree._Element) -> bool:
    """A lite file's root is <process>, with no namespace or any non-BPMN one."""
    qn = etree.QName(root)
    return qn.localname == "process" and qn.namespace != "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _holds_nodes(el: etree._Element) -> bool:
    """True when a <subprocess> holds an activity (else the box itself is the work)."""
    return any(isinstance(c.tag, str) and etree.QName(c).localname in ("task", "subprocess") for c in el)


def slug(text: str, fallback: str = "node") -> str:
    """An XML-safe id from a name: 'Fatt vedtak' -> 'fatt_vedtak'."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
                                       .replace("Æ", "Ae")).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_").lower()
    if not s or not (s[0].isalpha() or s[0] == "_"):
        s = f"{fallback}_{s}" if s else fallback
    return s


class _LiteReader:
    def __init__(self, root: etree._Element, name: str, warnings: list[str]):
        self.root = root
        self.name = name
        self.warnings = warnings
        self.ids: dict[str, int] = {}
        self.nodes: list[dict[str, Any]] = []
        self.lanes: list[dict[str, Any]] = []
        self.lane_by_id: dict[str, dict[str, Any]] = {}
        self.flows: list[tuple[etree._Element, str]] = []  # (element, process-level container id)
        self.order: dict[str, list[str]] = {}  # container id -> node ids in document order

    def fail(self, message: str, el: Optional[etree._Element] = None) -> None:
        raise LiteError(message, source=self.name, line=el.sourceline if el is not None else None)

    def warn(self, message: str, el: Optional[etree._Element] = None, element_id: Optional[str] = None) -> None:
        self.warnings.append(where(self.name, el.sourceline if el is not None else None, None, element_id) + message)

    def _id(self, el: etree._Element, fallback_name: str, prefix: str) -> str:
        given = (el.get("id") or "").strip()
        if given:
            if given in self.ids:
                self.fail(f"id '{given}' is used twice (first on line {self.ids[given]}); ids must be unique", el)
            if not re.match(r"^[A-Za-z_][\w.-]*$", given):
                self.fail(f"id '{given}' must start with a letter and hold only letters, digits, _ - .", el)
            self.ids[given] = el.sourceline or 0
            return given
        base = slug(fallback_name, prefix) if fallback_name else prefix
        candidate, n = base, 2
        while candidate in self.ids or candidate in self.explicit:
            candidate, n = f"{base}_{n}", n + 1
        self.ids[candidate] = el.sourceline or 0
        return candidate

    def read(self) -> m.Model:
        root = self.root
        # Ids written by hand are reserved first, so a made-up id never takes one of them.
        self.explicit = {el.get("id").strip() for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        name = clean(root.get("name"))
        if not name:
            self.warn("<process> has no name; using the file name", root)
            name = self.name.rsplit("/", 1)[-1].split(".")[0]
        pid = self._id(root, name, "process")
        stage = clean(root.get("stage")) or None
        pool = clean(root.get("pool")) or name
        self.process_id = pid
        self._children(root, parent_lane=None, container=pid, parent_node=None)
        if not self.nodes:
            self.fail("the process has no tasks, events or gateways; add <task name=\"...\"/> inside a <lane>", root)
        flows = self._flows()
        part_id = f"{pid}_pool"
        return m.Model.model_validate({
            "source": self.name, "format": "lite", "name": clean(root.get("service")) or name, "stage": stage,
            "processes": [{"id": pid, "name": name, "participant_id": part_id, "line": root.sourceline}],
            "participants": [{"id": part_id, "name": pool, "process_id": pid, "line": root.sourceline}],
            "lanes": self.lanes, "nodes": self.nodes, "sequence_flows": flows,
            "warnings": self.warnings,
        })

    def _children(self, el: etree._Element, parent_lane: Optional[str], container: str,
                  parent_node: Optional[str]) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "lane":
                self._lane(child, parent_lane, container, parent_node)
            elif tag in _NODE_TAGS:
                self._node(child, tag, parent_lane, container, parent_node)
            elif tag == "flow":
                self.flows.append((child, container))
            elif tag in ("description", "documentation", "note"):
                continue
            else:
                self.warn(f"unknown element <{tag}> ignored (expected lane, task, start, end, event, gateway, "
                          "subprocess or flow)", child)

    def _lane(self, el: etree._Element, parent_lane: Optional[str], container: str,
              parent_node: Optional[str]) -> None:
        name = clean(el.get("name"))
        if not name:
            self.fail("a <lane> needs a name (the role, e.g. name=\"Saksbehandler\")", el)
        if parent_node is not None:
            self.fail("lanes cannot be inside a <subprocess>; put the subprocess inside a lane", el)
        lid = self._id(el, name, "lane")
        lane = {"id": lid, "name": name, "parent_id": parent_lane, "process_id": self.process_id,
                "container_id": self.process_id, "flow_node_refs": [], "child_ids": [], "line": el.sourceline}
        self.lanes.append(lane)
        self.lane_by_id[lid] = lane
        if parent_lane:
            self.lane_by_id[parent_lane]["child_ids"].append(lid)
        self._children(el, lid, container, parent_node)
        if not lane["flow_node_refs"] and not lane["child_ids"]:
            self.warn(f"lane '{name}' is empty", el, lid)

    def _node(self, el: etree._Element, tag: str, lane: Optional[str], container: str,
              parent_node: Optional[str]) -> None:
        name = clean(el.get("name"))
        if tag == "task" and not name:
            self.fail("a <task> needs a name (what is done, e.g. name=\"Fatt vedtak\")", el)
        nid = self._id(el, name or tag, tag)
        kind_attr = (el.get("kind") or el.get("type") or "").strip()
        effort = None
        if tag == "task":
            node_type = TASK_KINDS.get(kind_attr.lower().replace("-", "").replace(" ", ""))
            if node_type is None:
                self.fail(f"task kind '{kind_attr}' is unknown; use one of manual, user, service, automated, "
                          "send, receive, script, rule, call", el)
        elif tag == "gateway":
            node_type = GATEWAY_KINDS.get(kind_attr.lower())
            if node_type is None:
                self.fail(f"gateway kind '{kind_attr}' is unknown; use exclusive, parallel, inclusive or event", el)
        elif tag == "subprocess":
            node_type = "subProcess"
        else:
            node_type = EVENT_TYPES[tag]
        if tag in ("task", "subprocess"):
            found = {k: el.get(k) for k in ("minutes", "low", "high") if el.get(k) is not None}
            if found:
                effort = parse_effort(found, lambda msg: self.warn(msg, el, nid))
        if lane is None and parent_node is None:
            self.warn(f"<{tag}> '{name or nid}' is outside any <lane>; it belongs to no role", el, nid)
        self.nodes.append({"id": nid, "name": name, "type": node_type, "kind": m.node_kind(node_type),
                           "process_id": self.process_id, "parent_id": parent_node, "attached_to": None,
                           "lane_id": lane,
                           "lane_source": ("semantic" if parent_node is None else "parent") if lane else None,
                           "effort": effort, "line": el.sourceline,
                           "collapsed": tag == "subprocess" and not _holds_nodes(el), "trigger": None})
        self.order.setdefault(container, []).append(nid)
        if lane and parent_node is None:
            self.lane_by_id[lane]["flow_node_refs"].append(nid)
        if tag == "subprocess":
            self._children(el, lane, nid, nid)

    def _flows(self) -> list[dict[str, Any]]:
        by_id = {n["id"]: n for n in self.nodes}
        by_name: dict[str, list[str]] = {}
        for n in self.nodes:
            if n["name"]:
                by_name.setdefault(n["name"].casefold(), []).append(n["id"])
        if not self.flows:
            self.warn("no <flow> elements: document order is the flow")
            flows = []
            for container, ids in self.order.items():
                for a, b in zip(ids, ids[1:]):
                    flows.append({"id": f"flow_{a}_{b}", "source": a, "target": b, "name": "",
                                  "process_id": self.process_id})
            return flows
        flows = []
        for el, _container in self.flows:
            ends = []
            for attr in ("from", "to"):
                ref = (el.get(attr) or "").strip()
                if not ref:
                    self.fail(f"<flow> needs both from=\"...\" and to=\"...\" (missing {attr})", el)
                if ref in by_id:
                    ends.append(ref)
                    continue
                named = by_name.get(clean(ref).casefold(), [])
                if len(named) == 1:
                    ends.append(named[0])
                elif len(named) > 1:
                    self.fail(f"<flow {attr}=\"{ref}\"> matches {len(named)} nodes by name; use an id", el)
                else:
                    self.warn(f"<flow {attr}=\"{ref}\"> names no task, event or gateway; flow ignored", el)
                    break
            if len(ends) != 2:
                continue
            fid = self._id(el, f"flow_{ends[0]}_{ends[1]}", "flow")
            flows.append({"id": fid, "source": ends[0], "target": ends[1], "name": clean(el.get("name")),
                          "process_id": self.process_id})
        return flows


def read_lite(root: etree._Element, name: str, warnings: list[str]) -> m.Model:
    """Read a parsed BPMN-lite document into a Model."""
    return _LiteReader(root, name, warnings).read()
