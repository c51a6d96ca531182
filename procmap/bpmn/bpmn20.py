"""Reading BPMN 2.0 XML as written by real modelling tools.

The rules come from the BPMN 2.0 spec, not from any one tool: elements are
matched by namespace URI (never by prefix), only BPMN-namespace elements are
indexed by id, references written as QNames lose their prefix, and unknown
elements are skipped. Where the semantics are silent (a node in no lane) the
diagram geometry decides, and a warning says so.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Optional

from lxml import etree

from procmap.bpmn import _defer
from procmap.model import elements as m
from procmap.errors import ReadError, where
from procmap.model.geometry import Bounds, Edges, Geometry, Labels, Shapes, Styles
from procmap.bpmn.names import MODEL_NS, PROCMAP_NS, clean
from procmap.bpmn.names import ref as _ref
from procmap.bpmn.di import DIAGRAM_TAG as _DIAGRAM, DeferredDiagram, PlaneHomes, read_diagrams
from procmap.bpmn.effort import EFFORT_KEYS, parse_effort
from procmap.bpmn.notation import read_notation

Warn = Callable[..., None]  # (message, line=None, element_id=None)


_M = "{%s}" % MODEL_NS
_FLOW_NODE_TAGS = {_M + t: t for t in m.FLOW_NODE_TYPES}
_SUB_TAGS = {_M + t for t in m.SUBPROCESS_TYPES}
_KIND = {t: m.node_kind(t) for t in m.FLOW_NODE_TYPES}
_SEQ_TAG, _LANESET_TAG, _EXT_TAG = _M + "sequenceFlow", _M + "laneSet", _M + "extensionElements"
_P = "{%s}" % PROCMAP_NS
_P_MINUTES, _P_LOW, _P_HIGH = _P + "minutes", _P + "low", _P + "high"
_INF = float("inf")
_WORK_KINDS = frozenset({"task", "call", "subprocess"})  # activities that may carry minutes


def is_bpmn(root: etree._Element) -> bool:
    return etree.QName(root).namespace == MODEL_NS


class _Reader:
    def __init__(self, root: etree._Element, name: str, warnings: list[str],
                 deferred: Optional[_defer.Deferred] = None):
        self.root = root
        self.deferred = deferred  # the diagrams, when the file's end was left unparsed
        self.name = name
        self.warnings = warnings
        self.nodes: dict[str, dict[str, Any]] = {}
        self.lanes: dict[str, dict[str, Any]] = {}
        self.processes: list[dict[str, Any]] = []
        self.participants: list[dict[str, Any]] = []
        self.seq_flows: dict[str, dict[str, Any]] = {}
        self.msg_flows: dict[str, dict[str, Any]] = {}
        self.raw_refs: dict[str, list[str]] = {}  # lane id -> flowNodeRef texts
        self.diagrams: list[etree._Element] = []
        self.marked: list[etree._Element] = []  # flow nodes whose attributes notation reads
        self._geometry: Optional[Geometry] = None  # set when lanes had to be read off the diagram
        self._efforts: dict[tuple[float, Optional[float], Optional[float]], m.Effort] = {}
        self.collaboration_name = ""
        self.collaboration_of: dict[str, str] = {}  # participant and message flow id -> its collaboration's id
        # lxml finds no element at all, at once, when the file never uses the name
        self.has_extensions = next(root.iter(_EXT_TAG), None) is not None

    def warn(self, message: str, line: Optional[int] = None, element_id: Optional[str] = None) -> None:
        self.warnings.append(where(self.name, line, None, element_id) + message)

    # -- semantics ----------------------------------------------------------
    def read(self) -> m.Model:
        for el in self.root:
            if not isinstance(el.tag, str):
                continue
            if el.tag == _M + "process":
                self._process(el)
            elif el.tag == _M + "collaboration":
                self._collaboration(el)
        self._resolve_lanes()
        self.diagrams = list(self.root.iterchildren(_DIAGRAM))
        self._fold_collapsed()
        self._place_unassigned()
        self._note_what_is_missing()
        return self._build()

    def _note_what_is_missing(self) -> None:
        """A file with nothing to count, or a role with nothing to do, is read, but it is said."""
        if not self.processes:
            self.warn("the file holds no process, so there is nothing to count (is it a collaboration or "
                      "a diagram without its process?)", self.root.sourceline)
        held = {n["lane_id"] for n in self.nodes.values()}
        for lane in self.lanes.values():
            if not lane["child_ids"] and lane["id"] not in held:
                self.warn(f"lane '{lane['name'] or lane['id']}' is empty", lane["line"], lane["id"])

    def _process(self, el: etree._Element) -> None:
        pid = el.get("id") or f"process_{len(self.processes) + 1}"
        if any(p["id"] == pid for p in self.processes):
            self.warn(f"two processes share the id '{pid}'; the second is read as '{pid}_2'", el.sourceline, pid)
            pid = f"{pid}_2"
        self.processes.append({"id": pid, "name": clean(el.get("name")), "participant_id": None,
                               "line": el.sourceline})
        self._container(el, pid, pid, None)

    def _container(self, el: etree._Element, process_id: str, container_id: str, parent_id: Optional[str]) -> None:
        # The hot loop of reading: one pass over every task and flow of the file, so lookups
        # are local names and the common cases are written out instead of called.
        nodes, seq_flows, flow_node_tags, kinds = self.nodes, self.seq_flows, _FLOW_NODE_TAGS, _KIND
        effort, marked = self._effort, self.marked
        for child in el:
            tag = child.tag
            node_type = flow_node_tags.get(tag)  # comments and PIs have a function as tag: never found
            if node_type is not None:
                get = child.get
                nid = get("id")
                if not nid:
                    self.warn(f"a {node_type} has no id; skipped", child.sourceline)
                    continue
                if nid in nodes:
                    self.warn(f"id '{nid}' is used twice; the second {node_type} is skipped", child.sourceline, nid)
                    continue
                name = get("name")
                kind = kinds[node_type]
                nodes[nid] = {"id": nid, "name": " ".join(name.split()) if name else "", "type": node_type,
                              "kind": kind, "process_id": process_id, "parent_id": parent_id,
                              "attached_to": _ref(child, get("attachedToRef")) if node_type == "boundaryEvent"
                              else None, "lane_id": None, "lane_source": None,
                              "effort": effort(child, nid) if kind in _WORK_KINDS else None,
                              "line": child.sourceline, "collapsed": False,
                              "trigger": _trigger(child) if node_type == "boundaryEvent" else None}
                if kind != "task" or get("default") is not None or get("isForCompensation") is not None \
                        or node_type == "receiveTask":
                    marked.append(child)  # may carry attributes that change how it is drawn (notation.py)
                if tag in _SUB_TAGS:
                    self._container(child, process_id, nid, nid)
            elif tag == _SEQ_TAG:
                get = child.get
                fid = get("id") or f"flow_{len(seq_flows) + 1}"
                if fid in seq_flows:
                    self.warn(f"sequence flow id '{fid}' is used twice; the second is skipped", child.sourceline, fid)
                    continue
                name, source, target = get("name"), get("sourceRef"), get("targetRef")
                seq_flows[fid] = {"id": fid,
                                  "source": _ref(child, source) if source and ":" in source else
                                  (source.strip() if source else None),
                                  "target": _ref(child, target) if target and ":" in target else
                                  (target.strip() if target else None),
                                  "name": " ".join(name.split()) if name else "", "process_id": process_id,
                                  "line": child.sourceline}
            elif tag == _LANESET_TAG:
                self._lane_set(child, process_id, container_id, None)

    def _effort(self, el: etree._Element, nid: str) -> Optional[m.Effort]:
        """Minutes per case from procmap:* attributes or a 'minutes' property (Camunda, Zeebe...)."""
        get = el.get
        minutes, low, high = get(_P_MINUTES), get(_P_LOW), get(_P_HIGH)
        props: Optional[dict[str, str]] = None  # from extension properties; the attributes win
        if self.has_extensions:
            for ext in el.iterchildren(_EXT_TAG):
                for prop in ext.iter():
                    tag = prop.tag  # a property in any namespace (a QName per element costs more than the rest)
                    if not isinstance(tag, str) or not (tag == "property" or tag.endswith("}property")):
                        continue
                    key = (prop.get("name") or "").strip().lower()
                    if key in EFFORT_KEYS:
                        props = props if props is not None else {}
                        props.setdefault(EFFORT_KEYS[key], prop.get("value") or prop.text or "")
        if props is None:
            if minutes is None and low is None and high is None:
                return None
            try:  # the common case: plain numbers that hold together
                mid = float(minutes)  # type: ignore[arg-type]
                lo = None if low is None else float(low)
                hi = None if high is None else float(high)
            except (TypeError, ValueError):
                pass
            else:
                if 0 <= mid < _INF and (lo is None or 0 <= lo <= mid) and (hi is None or mid <= hi < _INF):
                    return self._effort_of(mid, lo, hi)
        found = {k: v for k, v in (("minutes", minutes), ("low", low), ("high", high)) if v is not None}
        for key, value in (props or {}).items():
            found.setdefault(key, value)
        values = parse_effort(found, lambda msg: self.warn(msg, el.sourceline, nid))
        if values is None:
            return None
        return self._effort_of(values["minutes"], values.get("low"), values.get("high"))

    def _effort_of(self, minutes: float, low: Optional[float], high: Optional[float]) -> m.Effort:
        """One Effort per distinct value: they are immutable, and a model repeats a few values many times."""
        key = (minutes, low, high)
        effort = self._efforts.get(key)
        if effort is None:
            effort = self._efforts[key] = m.trusted(m.Effort, {"minutes": minutes, "low": low, "high": high})
        return effort

    def _lane_set(self, el: etree._Element, process_id: str, container_id: str, parent: Optional[str]) -> None:
        for lane_el in el:
            if lane_el.tag != _M + "lane":
                continue
            lid = lane_el.get("id")
            if not lid or lid in self.lanes:
                self.warn(f"lane without a unique id ('{lid}'); skipped", lane_el.sourceline, lid)
                continue
            refs = [r.text.strip() for r in lane_el.iterchildren(_M + "flowNodeRef") if r.text]
            self.raw_refs[lid] = [(_ref(lane_el, ref) if ":" in ref else ref) for ref in refs if ref]
            self.lanes[lid] = {"id": lid, "name": clean(lane_el.get("name")), "parent_id": parent,
                               "process_id": process_id, "container_id": container_id, "flow_node_refs": [],
                               "child_ids": [], "line": lane_el.sourceline}
            if parent:
                self.lanes[parent]["child_ids"].append(lid)
            for sub in lane_el:
                if sub.tag == _M + "childLaneSet":
                    self._lane_set(sub, process_id, container_id, lid)

    def _collaboration(self, el: etree._Element) -> None:
        if not self.collaboration_name and clean(el.get("name")):
            self.collaboration_name = clean(el.get("name"))
        collaboration_id = el.get("id")
        for child in el:
            if child.tag == _M + "participant":
                pid = child.get("id")
                if not pid:
                    continue
                if collaboration_id:
                    self.collaboration_of[pid] = collaboration_id
                self.participants.append({"id": pid, "name": clean(child.get("name")),
                                          "process_id": _ref(child, child.get("processRef")),
                                          "line": child.sourceline})
            elif child.tag == _M + "messageFlow":
                fid = child.get("id") or f"message_{len(self.msg_flows) + 1}"
                if collaboration_id:
                    self.collaboration_of[fid] = collaboration_id
                self.msg_flows[fid] = {"id": fid, "source": _ref(child, child.get("sourceRef")),
                                       "target": _ref(child, child.get("targetRef")),
                                       "name": clean(child.get("name"))}

    # -- lanes ---------------------------------------------------------------
    def _resolve_lanes(self) -> None:
        """Keep refs to existing flow nodes; each node goes to the deepest lane that lists it."""
        depth: dict[str, int] = {}
        for lid, lane in self.lanes.items():
            d, parent = 0, lane["parent_id"]
            while parent:
                d, parent = d + 1, self.lanes[parent]["parent_id"]
            depth[lid] = d
        for lid, lane in self.lanes.items():
            seen: set[str] = set()
            for ref in self.raw_refs.get(lid, []):
                if ref in seen:
                    continue
                seen.add(ref)
                node = self.nodes.get(ref)
                if node is None:
                    what = self._what(ref)
                    if what:
                        self.warn(f"lane '{lane['name'] or lid}' lists {ref}, a {what}, not a flow node; ignored",
                                  lane["line"], lid)
                    else:
                        self.warn(f"lane '{lane['name'] or lid}' lists '{ref}', which does not exist; ignored",
                                  lane["line"], lid)
                    continue
                lane["flow_node_refs"].append(ref)
                current = node["lane_id"]
                if current is None or depth[lid] > depth[current]:
                    node["lane_id"], node["lane_source"] = lid, "semantic"
                elif depth[lid] == depth[current] and current != lid:
                    self.warn(f"'{node['name'] or ref}' is listed in two lanes; kept in the first", lane["line"], ref)

    def _what(self, ref: str) -> Optional[str]:
        """The BPMN element type an id belongs to (built lazily: only bad files pay for it)."""
        if not hasattr(self, "_all_ids"):
            self._all_ids: dict[str, str] = {}
            for el in self.root.iter():
                if isinstance(el.tag, str) and el.tag.startswith(_M) and el.get("id"):
                    self._all_ids.setdefault(el.get("id"), etree.QName(el).localname)
        return self._all_ids.get(ref)

    # -- sub-processes that are one box of work -------------------------------
    def _fold_collapsed(self) -> None:
        """Mark sub-processes that hold no activity: the box itself is the work of its lane.

        Counting follows the semantics, never the drawing (BPMNDI's isExpanded is how a tool
        shows it; bpmn.io draws a collapsed sub-process's inside on a plane of its own), so the
        same process counts the same whoever drew it: the activities inside a sub-process count,
        and a sub-process with none inside (a collapsed box whose detail is not modelled) is one.
        """
        nodes = self.nodes
        subs = [n for n in nodes.values() if n["kind"] == "subprocess"]
        if not subs:
            return
        holding = {n["parent_id"] for n in nodes.values() if n["parent_id"] and n["kind"] in _WORK_KINDS}
        for sub in subs:
            if sub["id"] not in holding:
                sub["collapsed"] = True

    def _homes(self, nodes: Iterable[Any], flows: Iterable[Any], lanes: Iterable[Any], participants: Iterable[Any],
               message_flows: Iterable[Any], artifacts: Iterable[Any]) -> PlaneHomes:
        """Each element's containers for the diagram's planes (reader dicts or model objects, read only
        if the diagram draws an element twice: the model's own lists are held, nothing is copied)."""
        collaboration_of = self.collaboration_of

        def links() -> Iterator[tuple[str, Optional[str]]]:
            container: dict[str, str] = {}
            for n in map(_fields, nodes):
                container[n["id"]] = n["parent_id"] or n["process_id"]
                yield n["id"], container[n["id"]]
            for f in map(_fields, flows):  # a sequence flow lives where its source lives
                yield f["id"], container.get(f["source"])
            for lane in map(_fields, lanes):
                yield lane["id"], lane["container_id"]
            for a in map(_fields, artifacts):
                yield a["id"], a["process_id"]
            for part in map(_fields, participants):
                collaboration = collaboration_of.get(part["id"])
                yield part["id"], collaboration
                if part["process_id"]:
                    yield part["process_id"], collaboration  # the pool's process is shown in the collaboration
            for f in map(_fields, message_flows):
                yield f["id"], collaboration_of.get(f["id"])

        return PlaneHomes(links)

    # -- lanes by where the diagram draws a node -------------------------------
    def _drawn(self) -> Geometry:
        """The diagram, converted now: some node can only be placed by where it is drawn."""
        if self._geometry is None:
            shapes: Shapes = {}
            edges: Edges = {}
            labels: Labels = {}
            styles: Styles = {}
            homes = self._homes(self.nodes.values(), self.seq_flows.values(), self.lanes.values(),
                                self.participants, self.msg_flows.values(), ())
            planes: list[Optional[str]] = []
            if self.deferred is not None:
                shapes, edges, found, labels, styles, planes = DeferredDiagram(self.deferred, self.name, homes)()
                self.warnings.extend(found)  # converted while reading: part of what reading said
            planes += read_diagrams(self.diagrams, shapes, edges, self.warn, labels, styles, homes)
            self._geometry = Geometry(shapes, edges, labels, styles, planes)
        return self._geometry

    def _place_unassigned(self) -> None:
        """Give lane-less nodes the lane of their sub-process or host, else the lane their shape sits in."""
        laned = {lane["process_id"] for lane in self.lanes.values()}

        drawn_leaves: Optional[list[tuple[dict[str, Any], Bounds]]] = None

        def leaves() -> list[tuple[dict[str, Any], Bounds]]:
            """Leaf lanes with their rectangles (converting the diagram on first call)."""
            nonlocal drawn_leaves
            if drawn_leaves is None:
                geo = self._drawn()
                drawn_leaves = [(lane, geo.bounds(lane["id"])) for lane in self.lanes.values()
                                if not lane["child_ids"] and geo.bounds(lane["id"]) is not None]
            return drawn_leaves

        def by_geometry(node: dict[str, Any], candidates: list[tuple[dict[str, Any], Bounds]]) -> Optional[dict[str, Any]]:
            bounds = self._drawn().bounds(node["id"])
            if bounds is None:
                return None
            inside = [(lane, b) for lane, b in candidates if b.contains(bounds)]
            return min(inside, key=lambda item: item[1].area)[0] if inside else None

        # A node listed only by a parent lane: a child lane may hold it in the picture.
        for node in self.nodes.values():
            lid = node["lane_id"]
            if lid and self.lanes[lid]["child_ids"]:
                below = [item for item in leaves() if _descends(self.lanes, item[0]["id"], lid)]
                lane = by_geometry(node, below)
                if lane is not None:
                    node["lane_id"], node["lane_source"] = lane["id"], "geometry"

        pending = [n for n in self.nodes.values() if n["lane_id"] is None and n["process_id"] in laned]
        for _ in range(3):  # hosts can be nested: a boundary event on a task inside a sub-process
            still = []
            for node in pending:
                host = self.nodes.get(node["attached_to"] or node["parent_id"] or "")
                if host is not None and host["lane_id"]:
                    node["lane_id"], node["lane_source"] = host["lane_id"], "parent"
                else:
                    still.append(node)
            pending = still
        unplaced = []
        for node in pending:
            lane = by_geometry(node, [item for item in leaves() if item[0]["process_id"] == node["process_id"]])
            if lane is not None:
                node["lane_id"], node["lane_source"] = lane["id"], "geometry"
                self.warn(f"'{node['name'] or node['id']}' is in no lane; placed in lane "
                          f"'{lane['name'] or lane['id']}' where the diagram draws it", node["line"], node["id"])
            else:
                unplaced.append(node)
        for node in unplaced:
            self.warn(f"{node['type']} '{node['name'] or node['id']}' is in no lane and the diagram does not "
                      "place it in one; counted as unassigned", node["line"], node["id"])

    # -- building the model ---------------------------------------------------
    def _service_name(self) -> str:
        """The service the file models: the collaboration's name, else the one process's (or its pool's)
        name, else the definitions' name, else the named process doing the most work (never just
        the first pool drawn: in a collaboration that is often the citizen)."""
        if self.collaboration_name:
            return self.collaboration_name
        if len(self.processes) == 1:
            own = _pool_or_process_name(self, self.processes[0])
            if own:
                return own
        definitions = clean(self.root.get("name"))
        if definitions:
            return definitions
        work: dict[str, int] = {}
        for node in self.nodes.values():
            if node["kind"] in _WORK_KINDS:
                work[node["process_id"]] = work.get(node["process_id"], 0) + 1
        named = [(work.get(p["id"], 0), -k, _pool_or_process_name(self, p)) for k, p in enumerate(self.processes)]
        named = [item for item in named if item[2]]
        return max(named)[2] if named else ""

    def _build(self) -> m.Model:
        for proc in self.processes:
            proc_part = next((p for p in self.participants if p["process_id"] == proc["id"]), None)
            proc["participant_id"] = proc_part["id"] if proc_part else None
        known_processes = {p["id"] for p in self.processes}
        for part in self.participants:
            if part["process_id"] and part["process_id"] not in known_processes:
                self.warn(f"pool '{part['name'] or part['id']}' points to process '{part['process_id']}', "
                          "which does not exist; shown as a black-box pool", part["line"], part["id"])
                part["process_id"] = None
        seq: list[m.SequenceFlow] = []
        nodes = self.nodes
        trusted, SequenceFlow = m.trusted, m.SequenceFlow
        for flow in self.seq_flows.values():
            line = flow.pop("line")
            if flow["source"] in nodes and flow["target"] in nodes:
                seq.append(trusted(SequenceFlow, flow))
            else:
                missing = flow["source"] if flow["source"] not in nodes else flow["target"]
                self.warn(f"sequence flow points to '{missing}', which is not a flow node; ignored",
                          line, flow["id"])
        msg = [trusted(m.MessageFlow, f) for f in self.msg_flows.values() if f["source"] and f["target"]]
        notation, artifacts = read_notation(self.root, self.marked, nodes, {f.id: f for f in seq},
                                            {f.id: f for f in msg}, frozenset(p["id"] for p in self.participants))
        if self.diagrams:  # the whole file was parsed: convert the diagram from the tree (exact lines)
            self._drawn()
        participants = [trusted(m.Participant, p) for p in self.participants]
        lanes = [trusted(m.Lane, lane) for lane in self.lanes.values()]
        node_list = [trusted(m.FlowNode, n) for n in nodes.values()]
        if self._geometry is not None:
            geometry = self._geometry
        elif self.deferred is not None:  # left unparsed: converting it is most of the reading time
            homes = self._homes(node_list, seq, lanes, participants, msg, artifacts)
            geometry = Geometry.deferred(DeferredDiagram(self.deferred, self.name, homes))
        else:
            geometry = Geometry()
        name = self._service_name()
        return m.trusted(m.Model, {
            "source": self.name, "format": "bpmn", "name": name,
            "stage": self.root.get("{%s}stage" % PROCMAP_NS),
            "processes": [trusted(m.Process, p) for p in self.processes],
            "participants": participants, "lanes": lanes, "nodes": node_list,
            "sequence_flows": seq, "message_flows": msg, "notation": notation, "artifacts": artifacts,
            "geometry": geometry, "warnings": self.warnings,
        })


def _fields(item: Any) -> dict[str, Any]:
    """A reader's dict, or the fields of the model object made from one (its __dict__ is that dict)."""
    return item if isinstance(item, dict) else vars(item)


def _trigger(event: etree._Element) -> Optional[str]:
    """What sets off a boundary event: 'timer', 'message', 'error', ... from its event definition."""
    for child in event:
        if isinstance(child.tag, str) and child.tag.startswith(_M) and child.tag.endswith("EventDefinition"):
            return child.tag[len(_M):-len("EventDefinition")] or None
    return None


def _pool_or_process_name(reader: "_Reader", proc: dict[str, Any]) -> str:
    pool = next((p for p in reader.participants if p["process_id"] == proc["id"] and p["name"]), None)
    return proc["name"] or (pool["name"] if pool else "")


def _descends(lanes: dict[str, dict[str, Any]], lid: str, ancestor: str) -> bool:
    parent = lanes[lid]["parent_id"]
    while parent:
        if parent == ancestor:
            return True
        parent = lanes[parent]["parent_id"]
    return False


def read_bpmn(root: etree._Element, name: str, warnings: list[str],
              deferred: Optional[_defer.Deferred] = None) -> m.Model:
    """Read a parsed BPMN 2.0 document into a Model."""
    if etree.QName(root).localname != "definitions":
        raise ReadError(f"the root element is <{etree.QName(root).localname}>, not <definitions>; "
                        "not a BPMN 2.0 file", source=name, line=root.sourceline)
    return _Reader(root, name, warnings, deferred).read()
