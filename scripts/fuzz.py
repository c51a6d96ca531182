"""Fuzz procmap's commands with hostile input and careless options, each case in a child process.

Every case is one `python -m procmap COMMAND ...` run in a fresh temporary directory, on seeded
mutations of the corpus and the samples: odd numbers in the diagram (NaN, inf, 1e309, -5),
odd minutes (1e308, NaN, -1), very long, empty, control-character and right-to-left names,
elements repeated hundreds of times, sub-processes and lanes nested hundreds deep, elements,
attributes and references removed or pointed at nothing, ids duplicated, files emptied,
truncated, flipped and made hostile (entity bombs, external entities); odd file names
(spaces, non-UTF-8 bytes, no extension) and odd options (--width 40000, --cases nan,
--simulations 100000000, output onto the input). The child gets a time limit and a memory
limit (RLIMIT_AS), and each outcome gets one verdict:

    ok        exit 0, the outputs written and well formed
    refused   procmap's own error: exit 1-4 and a few lines on stderr, no traceback
    crash     a traceback, a signal, another exit status, an error line naming an exception class
    hang      the time limit ran out (the child's Python stack is dumped with faulthandler)
    oom       MemoryError, or the memory limit hit in C
    damage    otherwise ok or refused, but an input file was changed, or an output was left
              empty, truncated or malformed, or a file outside the case was read (external entity)

    python scripts/fuzz.py                                # 300 cases, seed 0
    python scripts/fuzz.py --cases 1500 --jobs 2 --out /tmp/fuzz --list
    python scripts/fuzz.py --commands draw,poster --kinds bounds,minutes --seed 7
    python scripts/fuzz.py --seed 0 --case 42 --out /tmp/one --list     # one case again

The same seed gives the same cases (case i is made from random.Random(f"{seed}/{i}") alone), so
--case re-runs one case of a campaign. With --out, every failing case is kept in DIR/case-SEED-I/
(its input files, under their odd names) and DIR/results.jsonl holds one JSON line per case
(command line, verdict, last stderr line, where it raised). Exit status 1 when any case crashed,
hung, ran out of memory or did damage, else 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "barnehage"
CORPUS = ROOT / "tests" / "corpus" / "bpmn"

COMMANDS = ("inspect", "compare", "draw", "poster", "routine", "convert")
#: How often each command is picked (pictures cost more, so a little less often).
COMMAND_WEIGHTS = {"inspect": 3, "compare": 4, "draw": 3, "poster": 2, "routine": 2, "convert": 2}
VERDICTS = ("ok", "refused", "crash", "hang", "oom", "damage")
BAD = ("crash", "hang", "oom", "damage")
#: Exit statuses procmap gives on purpose (typer gives 2 for a usage error).
EXPECTED_STATUS = {1, 2, 3, 4}
#: A refusal says what is wrong in a line or two; click's usage error takes three.
MAX_REFUSAL_LINES = 6
#: Error classes procmap raises on purpose: their names in a message are no crash.
OWN_ERRORS = {"ProcmapError", "ReadError", "LiteError", "CompareError", "RenderError"}

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ODD_NUMBERS = ["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "1e308", "-1e308", "-5", "0", "-0",
               "1e30", "99999999999999999999", "1e-320", "", "abc", "1,5", "0x10", " 7 "]
ODD_MINUTES = ["1e308", "NaN", "-1", "inf", "1e39", "-inf", "1e309", "0", "1e-300", "9" * 400, "-0",
               "1.7976931348623157e308", "nan(0x1)", "", "  ", "1,5e300"]
#: Names: XML-escaped attribute values (a newline must be &#10; to survive attribute normalisation).
ODD_NAMES = [
    "A" * 60000, ("Ord " * 15000).strip(), "x" * 5000, "", " ", "&#9;&#10;&#13;", "a&#10;b&#10;c&#10;" * 200,
    "\u202eRTL override\u202c", "طلب روضة أطفال", "בקשה לגן", "æøå ÆØÅ Søker på Ærø", "\u200b" * 200,
    "👩‍👧‍👦" * 100, "e\u0301" * 3000, "&lt;b&gt;&amp;&quot;&apos;", "\u0085\u2028\u2029", "\u0080\u009f\u007f",
    "\x01control", "&#1;charref", "\ufffe", "%s%n{0}{}$(rm)", "..", "/", "\\\\server\\x", "\U0010fffd",
]
ODD_FILE_NAMES = ["with space{ext}", "æøå{ext}", b"\xff\xfe bad{ext}", "-dash{ext}", "noext", "stage.BPMN",
                  "quote'\"$x{ext}", "n" * 200 + "{ext}", "new\nline{ext}", "stage.txt", ".{ext}"]


# -- mutations ----------------------------------------------------------------------------------------

PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True)


def parse(data: bytes) -> Optional[etree._Element]:
    try:
        return etree.fromstring(data, PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def dump(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def elements(root, *names: str) -> list:
    return [el for el in root.iter() if isinstance(el.tag, str) and (not names or local(el) in names)]


def is_lite(data: bytes) -> bool:
    return b"<process" in data[:400] and MODEL_NS.encode() not in data[:2000]


def sub_attr(data: bytes, tag: bytes, attrs: bytes, values: Callable[[], str], rnd: random.Random,
             all_of_them: bool) -> Optional[bytes]:
    """Numbers in attributes `attrs` (regex) of start tags `tag` (regex) replaced by values()."""
    tags = list(re.finditer(rb"<(?:[\w.-]+:)?" + tag + rb"\b[^>]*>", data))
    if not tags:
        return None
    chosen = tags if all_of_them else rnd.sample(tags, min(len(tags), rnd.choice([1, 1, 3, 10])))
    out, last = [], 0
    for m in sorted(chosen, key=lambda m: m.start()):
        text = m.group(0)
        hits = list(re.finditer(rb'\b(' + attrs + rb')="[^"]*"', text))
        if not hits:
            continue
        pick = hits if all_of_them or rnd.random() < 0.4 else [rnd.choice(hits)]
        new, at = [], 0
        for h in pick:
            new += [text[at:h.start()], h.group(1) + b'="' + values().encode() + b'"']
            at = h.end()
        out += [data[last:m.start()], b"".join(new) + text[at:]]
        last = m.end()
    return b"".join(out) + data[last:] if out else None


def m_bounds(data, rnd, lite):
    value = rnd.choice(ODD_NUMBERS + ["1e300", "-1e6", "4e9"])
    mixed = rnd.random() < 0.5
    return sub_attr(data, rb"Bounds", rb"x|y|width|height", lambda: rnd.choice(ODD_NUMBERS) if mixed else value,
                    rnd, rnd.random() < 0.25)


def m_waypoints(data, rnd, lite):
    return sub_attr(data, rb"waypoint", rb"x|y", lambda: rnd.choice(ODD_NUMBERS), rnd, rnd.random() < 0.25)


def m_minutes(data, rnd, lite):
    value = lambda: rnd.choice(ODD_MINUTES)  # noqa: E731
    if lite:
        root = parse(data)
        tasks = elements(root, "task") if root is not None else []
        if not tasks:
            return None
        pick = tasks if rnd.random() < 0.3 else rnd.sample(tasks, min(len(tasks), rnd.choice([1, 3])))
        for task in pick:
            for key in rnd.sample(["minutes", "low", "high"], rnd.randint(1, 3)):
                task.set(key, value())
        return dump(root)
    props = list(re.finditer(rb'(<(?:[\w.-]+:)?property\s+name="(?:minutes|minutes_low|minutes_high|low|high)"\s+'
                             rb'value=")[^"]*(")', data))
    if props and rnd.random() < 0.7:
        pick = props if rnd.random() < 0.3 else rnd.sample(props, min(len(props), rnd.choice([1, 3])))
        for m in sorted(pick, key=lambda m: -m.start()):
            data = data[:m.start()] + m.group(1) + value().encode() + m.group(2) + data[m.end():]
        return data
    # add camunda properties to tasks that have none
    root = parse(data)
    if root is None:
        return None
    tasks = [el for el in elements(root) if local(el).endswith("Task") or local(el) == "task"]
    if not tasks:
        return None
    cam = "http://camunda.org/schema/1.0/bpmn"
    for task in rnd.sample(tasks, min(len(tasks), rnd.choice([1, 3, 50]))):
        ext = etree.Element("{%s}extensionElements" % MODEL_NS)
        task.insert(0, ext)
        props_el = etree.SubElement(ext, "{%s}properties" % cam)
        for key in rnd.sample(["minutes", "minutes_low", "minutes_high"], rnd.randint(1, 3)):
            etree.SubElement(props_el, "{%s}property" % cam, name=key, value=value())
    return dump(root)


def m_names(data, rnd, lite):
    name = rnd.choice(ODD_NAMES)
    if rnd.random() < 0.5 and len(name) < 1000:
        name = name + " " + rnd.choice(["Søker", "Saksbehandler", "Arkiv"])
    hits = list(re.finditer(rb'(<(?:[\w.-]+:)?(?!property\b)[\w.-]+\s[^>]*?\bname=")([^"]*)(")', data))
    if not hits:
        return None
    if rnd.random() < 0.2:
        pick = hits  # every name the same: lanes, tasks and pools all alike
    else:
        pick = rnd.sample(hits, min(len(hits), rnd.choice([1, 1, 2, 5])))
    encoded = name.encode("utf-8", "surrogatepass")
    for m in sorted(pick, key=lambda m: -m.start()):
        data = data[:m.start()] + m.group(1) + encoded + m.group(3) + data[m.end():]
    return data


def on_tree(mutation):
    """A mutation of the parsed file, which says False when it finds nothing to change (then, or when the file
    does not parse, the kind does not apply: None)."""
    def apply(data: bytes, rnd: random.Random, lite: bool) -> Optional[bytes]:
        root = parse(data)
        if root is None or mutation(root, rnd, lite) is False:
            return None
        return dump(root)
    return apply


def _renumber(el, suffix: str) -> None:
    for sub in el.iter():
        if isinstance(sub.tag, str) and sub.get("id"):
            sub.set("id", sub.get("id") + suffix)


@on_tree
def m_many_lanes(root, rnd, lite):
    lanes = elements(root, "lane")
    if not lanes:
        return False
    lane = rnd.choice(lanes)
    n = rnd.choice([30, 200, 1000])
    keep_ids = rnd.random() < 0.2
    empty = rnd.random() < 0.4
    for i in range(n):
        copy = etree.Element(lane.tag, dict(lane.attrib)) if empty else _deepcopy(lane)
        if not keep_ids:
            _renumber(copy, f"_c{i}")
        if rnd.random() < 0.5 and copy.get("name") is not None:
            copy.set("name", f"{copy.get('name')} {i}")
        lane.addnext(copy)
    return True


def _deepcopy(el):
    import copy as _copy
    return _copy.deepcopy(el)


@on_tree
def m_many_tasks(root, rnd, lite):
    tasks = [el for el in elements(root) if local(el) in ("task", "userTask", "manualTask", "serviceTask")]
    if not tasks:
        return False
    task = rnd.choice(tasks)
    n = rnd.choice([100, 600, 3000])
    chain = rnd.random() < 0.5
    shapes = {s.get("bpmnElement"): s for s in elements(root, "BPMNShape")}
    refs = [r for r in elements(root, "flowNodeRef") if (r.text or "").strip() == task.get("id")]
    prev = task.get("id")
    for i in range(n):
        copy = _deepcopy(task)
        new_id = f"{task.get('id')}_c{i}" if rnd.random() < 0.95 else task.get("id")
        copy.set("id", new_id)
        if copy.get("name") is not None and rnd.random() < 0.7:
            copy.set("name", f"{copy.get('name')} {i}")
        task.addnext(copy)
        if refs:
            ref = _deepcopy(refs[0])
            ref.text = new_id
            refs[0].addnext(ref)
        shape = shapes.get(task.get("id"))
        if shape is not None and rnd.random() < 0.8:
            s = _deepcopy(shape)
            s.set("bpmnElement", new_id)
            s.set("id", f"{s.get('id')}_c{i}")
            shape.addnext(s)
        if chain:
            if lite:
                flow = etree.Element("flow", {"from": prev, "to": new_id})
                root.append(flow)
            else:
                flow = etree.Element("{%s}sequenceFlow" % MODEL_NS, id=f"chain_{i}", sourceRef=prev, targetRef=new_id)
                task.getparent().append(flow)
        prev = new_id
    return True


def m_deep_subprocess(data, rnd, lite):
    depth = rnd.choice([50, 120, 240, 400])
    if lite:
        root = parse(data)
        if root is None:
            return None
        lanes = elements(root, "lane")
        holder = rnd.choice(lanes) if lanes else root
        for i in range(depth):
            holder = etree.SubElement(holder, "subprocess", id=f"deep_sp{i}", name=f"Del {i}")
            etree.SubElement(holder, "task", id=f"deep_t{i}", name=f"Steg {i}")
        return dump(root)
    root = parse(data)
    if root is None:
        return None
    processes = elements(root, "process")
    if not processes:
        return None
    holder = rnd.choice(processes)
    top = None
    for i in range(depth):
        holder = etree.SubElement(holder, "{%s}subProcess" % MODEL_NS, id=f"deep_sp{i}", name=f"Del {i}")
        top = top if top is not None else holder
        etree.SubElement(holder, "{%s}task" % MODEL_NS, id=f"deep_t{i}", name=f"Steg {i}")
    lanes = elements(root, "lane")
    if lanes and rnd.random() < 0.7:
        ref = etree.SubElement(rnd.choice(lanes), "{%s}flowNodeRef" % MODEL_NS)
        ref.text = top.get("id")
    if rnd.random() < 0.5:  # and shapes for them, nested or all in one place
        planes = elements(root, "BPMNPlane")
        if planes:
            plane = planes[0]
            di, dc = "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC"
            for i in range(depth):
                shape = etree.SubElement(plane, "{%s}BPMNShape" % di, id=f"deep_sp{i}_di", bpmnElement=f"deep_sp{i}",
                                         isExpanded="true")
                etree.SubElement(shape, "{%s}Bounds" % dc, x=str(10 + i), y=str(10 + i), width=str(2000 - 4 * i),
                                 height=str(1500 - 3 * i))
    return dump(root)


@on_tree
def m_deep_lanes(root, rnd, lite):
    lanes = elements(root, "lane")
    if not lanes:
        return False
    depth = rnd.choice([50, 120, 400]) if lite else rnd.choice([40, 100, 124, 200])
    holder = rnd.choice(lanes)
    for i in range(depth):
        if lite:
            holder = etree.SubElement(holder, "lane", name=f"Nivå {i}")
        else:
            child_set = etree.SubElement(holder, "{%s}childLaneSet" % MODEL_NS, id=f"deep_ls{i}")
            holder = etree.SubElement(child_set, "{%s}lane" % MODEL_NS, id=f"deep_l{i}", name=f"Nivå {i}")
    if lite:
        etree.SubElement(holder, "task", name="Nederst")
    else:
        tasks = [el for el in elements(root) if local(el).endswith("Task") or local(el) == "task"]
        if tasks:
            etree.SubElement(holder, "{%s}flowNodeRef" % MODEL_NS).text = rnd.choice(tasks).get("id")
    return True


@on_tree
def m_remove_element(root, rnd, lite):
    candidates = [el for el in elements(root) if el is not root]
    if not candidates:
        return False
    preferred = [el for el in candidates if local(el) in ("process", "laneSet", "lane", "BPMNDiagram", "BPMNPlane",
                                                          "Bounds", "participant", "collaboration", "startEvent",
                                                          "sequenceFlow", "flow", "flowNodeRef", "BPMNShape")]
    for _ in range(rnd.choice([1, 1, 3, 10])):
        pool = preferred if preferred and rnd.random() < 0.6 else candidates
        el = rnd.choice(pool)
        if el.getparent() is not None:
            el.getparent().remove(el)
        candidates = [c for c in elements(root) if c is not root]
        preferred = [c for c in preferred if c in candidates]
        if not candidates:
            break
    return True


@on_tree
def m_remove_attr(root, rnd, lite):
    with_attrs = [el for el in elements(root) if el.attrib]
    if not with_attrs:
        return False
    for _ in range(rnd.choice([1, 1, 3, 20])):
        el = rnd.choice(with_attrs)
        if el.attrib:
            del el.attrib[rnd.choice(sorted(el.attrib))]
    return True


@on_tree
def m_dup_ids(root, rnd, lite):
    with_id = [el for el in elements(root) if el.get("id")]
    if len(with_id) < 2:
        return False
    target = rnd.choice(with_id).get("id")
    for el in rnd.sample(with_id, min(len(with_id), rnd.choice([1, 2, 10, 1000]))):
        el.set("id", target)
    return True


REF_ATTRS = ("sourceRef", "targetRef", "processRef", "bpmnElement", "attachedToRef", "default", "from", "to",
             "calledElement", "dataObjectRef")


@on_tree
def m_dangling_refs(root, rnd, lite):
    spots = [(el, a) for el in elements(root) for a in REF_ATTRS if el.get(a) is not None]
    texts = [el for el in elements(root, "flowNodeRef", "incoming", "outgoing", "sourceRef", "targetRef")]
    if not spots and not texts:
        return False
    ids = [el.get("id") for el in elements(root) if el.get("id")]
    others = [el.get("id") for el in elements(root, "lane", "process", "collaboration", "participant", "laneSet",
                                               "BPMNDiagram", "sequenceFlow", "definitions") if el.get("id")]
    root_id = root.get("id")

    def target(el):
        choice = rnd.random()
        if choice < 0.4:
            return "nothing_" + str(rnd.randint(0, 99))
        if choice < 0.5:
            return ""
        if choice < 0.8 and others:
            return rnd.choice(others)  # a reference to the wrong kind of thing: a lane, the process, itself
        if choice < 0.9 and el.get("id"):
            return el.get("id")
        return rnd.choice(ids) if ids else (root_id or "x")

    for _ in range(rnd.choice([1, 1, 3, 20])):
        if spots and (not texts or rnd.random() < 0.6):
            el, attr = rnd.choice(spots)
            el.set(attr, target(el))
        else:
            el = rnd.choice(texts)
            el.text = target(el)
    return True


BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lololololololololololol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b']>\n<process name="&lol9;"><lane name="a"><task name="&lol9;"/></lane></process>\n')
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<process name="&x;"><lane name="&x;"><task name="t &x;"/></lane></process>\n')
XXE_BPMN = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b'<definitions xmlns="' + MODEL_NS.encode() + b'"><process id="p"><laneSet><lane id="l" name="&x;">'
            b'<flowNodeRef>t</flowNodeRef></lane></laneSet><task id="t" name="&x;"/></process></definitions>\n')
TEMPLATES = [
    b"", b"   \n", b'<?xml version="1.0" encoding="UTF-8"?>', b"\xef\xbb\xbf",
    b'<definitions xmlns="' + MODEL_NS.encode() + b'"/>',
    b'<bpmn:definitions xmlns:bpmn="' + MODEL_NS.encode() + b'"><bpmn:process id="p"/></bpmn:definitions>',
    b'<definitions xmlns="' + MODEL_NS.encode() + b'"><process id="p"><laneSet id="s"><lane id="l"/>'
    b'</laneSet></process></definitions>',
    b'<definitions xmlns="' + MODEL_NS.encode() + b'"><collaboration id="c"><participant id="x" processRef="x"/>'
    b'</collaboration></definitions>',
    b"<process/>", b'<process name=""><lane name=""/></process>', b'<process><lane name="a"/></process>',
    b'<process><task name="t"/></process>', b"<x/>", b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    b"role,rate\nSaksbehandler,600\n", b"%PDF-1.4\n%%EOF", BOMB, XXE, XXE_BPMN,
    b'<?xml version="1.0"?><!DOCTYPE p SYSTEM "http://127.0.0.1:9/x.dtd"><process><lane name="a"/></process>',
]


def m_replace(data, rnd, lite):
    choice = rnd.randrange(len(TEMPLATES) + 2)
    if choice == len(TEMPLATES):
        return data.decode("utf-8", "replace").encode("utf-16")  # the same file in UTF-16, declaration unchanged
    if choice == len(TEMPLATES) + 1:
        return data + b"\n" + data  # the file twice
    return TEMPLATES[choice]


def m_truncate(data, rnd, lite):
    return data[:rnd.randrange(len(data))] if data else None


def m_byteflip(data, rnd, lite):
    if not data:
        return None
    buf = bytearray(data)
    for _ in range(rnd.choice([1, 2, 5, 30])):
        at = rnd.randrange(len(buf))
        buf[at] ^= rnd.randrange(1, 256)
    return bytes(buf)


def m_junk(data, rnd, lite):
    junk = [b"<", b">", b"&", b'"', b"</x>", b"<!--", b"-->", b"<?", b"\xff", b"\x00", b"]]>", b"&#0;", b"&bad;"]
    for _ in range(rnd.choice([1, 3])):
        at = rnd.randrange(len(data) + 1)
        data = data[:at] + rnd.choice(junk) + data[at:]
    return data


def m_none(data, rnd, lite):
    return data


#: Mutation kinds; each returns the new bytes, or None when the file has nothing it could change.
KINDS: dict[str, Callable] = {
    "bounds": m_bounds, "waypoints": m_waypoints, "minutes": m_minutes, "names": m_names,
    "many-lanes": m_many_lanes, "many-tasks": m_many_tasks, "deep-subprocess": m_deep_subprocess,
    "deep-lanes": m_deep_lanes, "remove-element": m_remove_element, "remove-attr": m_remove_attr,
    "dup-ids": m_dup_ids, "dangling-refs": m_dangling_refs, "replace": m_replace, "truncate": m_truncate,
    "byteflip": m_byteflip, "junk": m_junk, "none": m_none,
}
KIND_WEIGHTS = {"bounds": 4, "waypoints": 2, "minutes": 4, "names": 4, "many-lanes": 2, "many-tasks": 2,
                "deep-subprocess": 2, "deep-lanes": 2, "remove-element": 3, "remove-attr": 2, "dup-ids": 2,
                "dangling-refs": 3, "replace": 2, "truncate": 2, "byteflip": 2, "junk": 1, "none": 2}


def mutate(data: bytes, kind: str, rnd: random.Random, lite: bool, allowed=tuple(KINDS)) -> tuple[bytes, str]:
    """The file mutated by `kind`, or by the next allowed kind that applies (kinds are tried in their order)."""
    order = list(KINDS)
    start = order.index(kind)
    for k in order[start:] + order[:start]:
        if k not in allowed:
            continue
        out = KINDS[k](data, rnd, lite)
        if out is not None:
            return out, k
    return data, "none"


# -- cases --------------------------------------------------------------------------------------------

def sources() -> dict[str, list[Path]]:
    return {
        "lite": sorted(SAMPLES.glob("*.lite.xml")),
        "samples": sorted(SAMPLES.glob("*.bpmn")),
        "corpus": sorted(CORPUS.glob("**/*.bpmn")),
    }


@dataclass
class Case:
    seed: int
    index: int
    command: str
    kind: str  # the mutation kind asked for
    applied: list = field(default_factory=list)  # the kinds that did apply, one per mutated file
    odd: list = field(default_factory=list)  # odd options and file names
    origins: list = field(default_factory=list)  # the files mutated, relative to the repository
    argv: list = field(default_factory=list)  # after `python -m procmap`
    inputs: dict = field(default_factory=dict)  # file name (str, surrogate-escaped) -> bytes
    outputs: list = field(default_factory=list)  # file names the command is asked to write

    @property
    def name(self) -> str:
        return f"case-{self.seed}-{self.index:05d}"


def weighted(rnd: random.Random, weights: dict[str, int], allowed) -> str:
    names = [k for k in weights if k in allowed]
    return rnd.choices(names, [weights[k] for k in names])[0]


def make_case(seed: int, index: int, commands=COMMANDS, kinds=tuple(KINDS), odd_rate: float = 0.3) -> Case:
    """Case `index` of `seed`: made from its own Random, so it is the same whatever else runs."""
    rnd = random.Random(f"{seed}/{index}")
    case = Case(seed, index, weighted(rnd, COMMAND_WEIGHTS, commands), weighted(rnd, KIND_WEIGHTS, kinds))
    src = sources()
    odd = rnd.random() < odd_rate

    def stage_files(n: int) -> list[Path]:
        family = rnd.choice(["lite", "samples", "corpus", "corpus", "mixed"])
        if family == "corpus":
            return sorted(rnd.sample(src["corpus"], n))
        if family == "mixed":
            return [rnd.choice(src[rnd.choice(["lite", "samples"])]) for _ in range(n)]
        return src[family][:n] if n <= 3 else src[family]

    def single() -> Path:
        return rnd.choice(src[rnd.choice(["lite", "samples", "corpus", "corpus"])])

    def add(path: Path, mutated: bool, used: set) -> str:
        data = path.read_bytes()
        ext = ".lite.xml" if path.name.endswith(".lite.xml") else ".bpmn"
        if mutated:
            data, applied = mutate(data, case.kind, rnd, path.name.endswith(".lite.xml"), kinds)
            case.applied.append(applied)
        name = f"{len(used) + 1}-{path.name.split('.')[0][:40]}{ext}"
        if rnd.random() < (0.25 if odd else 0.03 if odd_rate else 0):  # --odd-rate 0: no odd file names either
            pattern = rnd.choice(ODD_FILE_NAMES)
            raw = pattern.replace(b"{ext}", ext.encode()) if isinstance(pattern, bytes) else \
                pattern.replace("{ext}", ext).encode()
            name = os.fsdecode(raw)
            case.odd.append(f"file name {raw!r}")
            if name in used:
                name = f"{len(used) + 1}{name}"
        used.add(name)
        case.inputs[name] = data
        case.origins.append(str(path.relative_to(ROOT)))
        return name

    used: set = set()
    cmd = case.command
    argv = [cmd]
    if cmd in ("compare", "poster"):
        n = rnd.choice([2, 3, 3])
        files = stage_files(n)
        which = set(range(n)) if rnd.random() < 0.3 else {rnd.randrange(n)}
        names = [add(p, i in which, used) for i, p in enumerate(files)]
        if odd and rnd.random() < 0.2:
            names.append(names[0])  # the same stage twice
            case.odd.append("a stage twice")
        argv += names
    elif cmd == "inspect":
        argv += [add(single(), True, used) for _ in range(rnd.choice([1, 1, 2]))]
    else:
        argv.append(add(single(), True, used))

    def out(name: str) -> str:
        case.outputs.append(name)
        return name

    if cmd == "inspect":
        if rnd.random() < 0.5:
            argv.append("--json")
    elif cmd == "compare":
        if rnd.random() < 0.5:
            argv.append("--json")
        if rnd.random() < 0.3:
            argv += ["--html", out("report.html")]
        if rnd.random() < 0.3:
            argv += ["--cases", rnd.choice(["250", "1000"]), "--rate", "600"]
        if rnd.random() < 0.1:
            argv += ["--csv", out("tables")]
        if rnd.random() < 0.15:
            argv += ["--lang", "en"]
    elif cmd == "draw":
        argv += ["-o", out("picture" + rnd.choice([".svg", ".svg", ".png", ".pdf"]))]
        if rnd.random() < 0.3:
            argv += ["--layout", rnd.choice(["di", "procmap", "dot", "auto"])]
        if rnd.random() < 0.1:
            argv += ["--theme", "mono"]
    elif cmd == "poster":
        argv += ["-o", out("poster" + rnd.choice([".pdf", ".pdf", ".png", ".svg"]))]
        if rnd.random() < 0.3:
            argv += ["--cases", "250", "--rate", "600"]
        if rnd.random() < 0.2:
            argv += ["--size", rnd.choice(["A1", "A3", "A4"]), "--orientation", rnd.choice(["portrait", "landscape"])]
    elif cmd == "routine":
        stage = argv[1]
        if rnd.random() < 0.4:
            argv += ["--against", add(single(), rnd.random() < 0.5, used)]
        if rnd.random() < 0.5:
            lanes = re.findall(rb'<(?:[\w.-]+:)?lane\b[^>]*\bname="([^"]{1,40})"', case.inputs[stage])
            role = rnd.choice(lanes).decode("utf-8", "replace")[:rnd.randint(1, 8)] if lanes else "saks"
            argv += ["--role", role]
        if rnd.random() < 0.4:
            argv += ["-o", out("routine" + rnd.choice([".md", ".html", ".pdf"]))]
    elif cmd == "convert":
        source = argv[1]
        target = rnd.choice(["converted.bpmn", "converted.lite.xml"])
        argv += ["-o", out(target)]
    if odd:
        argv = careless(case, argv, rnd)
    case.argv = argv
    return case


def careless(case: Case, argv: list, rnd: random.Random) -> list:
    """Odd options the way a careless user types them: absurd numbers, output onto the input, bad places."""
    cmd = argv[0]
    choices = {
        "inspect": [["--max-size", "0"], ["--max-size", "-1"], ["--max-size", "nan"], ["--max-size", "1e308"],
                    ["--json", "--json"]],
        "compare": [["--cases", "nan"], ["--cases", "1e308"], ["--cases", "-5"], ["--rate", "inf"],
                    ["--cases", "100", "--rate", "inf"], ["--cases", "1e308", "--rate", "1e308"],
                    ["--simulations", "100000000"], ["--simulations", "-1"], ["--similarity", "nan"],
                    ["--similarity", "2"], ["--hours-per-fte", "0", "--cases", "10", "--rate", "5"],
                    ["--hours-per-fte", "nan"], ["--seed", "-1"], ["--stages", "a"], ["--stages", ",,,,"],
                    ["--alias", "="], ["--alias", "Søker"], ["--lang", "xx"], ["--currency", "\u202e" * 50],
                    ["--html", "no/such/dir/report.html"], ["--xlsx", "tables.csv"], ["--efforts", "efforts.csv"],
                    ["--rates", "rates.csv", "--cases", "100"]],
        "draw": [["--width", "40000"], ["--width", "-5"], ["--width", "0"], ["--width", "nan"],
                 ["--width", "1e308"], ["--layout", "bogus"], ["--lang", "xx"], ["-o", "picture.gif"],
                 ["-o", "no/such/dir/x.svg"], ["-o", "UPPER.PNG"], ["-o", "INPUT"], ["-o", "."]],
        "poster": [["--dpi", "1200", "--size", "A1", "-o", "poster.png"], ["--dpi", "0"], ["--dpi", "-5"],
                   ["--dpi", "nan"], ["--dpi", "1e308"], ["--size", "A9"], ["--size", "a1"], ["--max-tasks", "0"],
                   ["--max-tasks", "-1"], ["--cases", "nan"], ["--cases", "1e308", "--rate", "inf"],
                   ["--simulations", "100000000"], ["--title", "T" * 60000], ["--subtitle", "\u202eRTL"],
                   ["-o", "INPUT"], ["--orientation", "sideways"]],
        "routine": [["--role", ""], ["--role", "*"], ["--role", "x" * 5000], ["--against", "INPUT"],
                    ["-o", "INPUT"], ["-o", "routine.docx"], ["-o", "no/such/dir/r.md"], ["--lang", "xx"]],
        "convert": [["-o", "INPUT"], ["--to", "pdf"], ["--to", "lite", "-o", "converted.bpmn"],
                    ["--process", "nothing"], ["-o", "converted"], ["-o", "."]],
    }[cmd]
    extra = list(rnd.choice(choices))
    inputs = [a for a in argv[1:] if a in case.inputs]
    extra = [inputs[0] if a == "INPUT" and inputs else a for a in extra]
    case.odd.append(" ".join(extra)[:60])
    if "efforts.csv" in extra:
        case.inputs["efforts.csv"] = ("task,minutes,low,high\nfyll,%s,%s,%s\nFatt vedtak,1e308,nan,inf\n,,,\n" % (
            rnd.choice(ODD_MINUTES), rnd.choice(ODD_MINUTES), rnd.choice(ODD_MINUTES))).encode()
    if "rates.csv" in extra:
        case.inputs["rates.csv"] = ("role,rate\nSaksbehandler,%s\nSøker,inf\n" % rnd.choice(ODD_MINUTES)).encode()
    # an output option given twice: the last wins, as with click, so the first is dropped
    for flag in ("-o", "--html", "--xlsx"):
        if flag in extra and flag in argv:
            at = argv.index(flag)
            old = argv[at + 1]
            del argv[at:at + 2]
            if old in case.outputs:
                case.outputs.remove(old)
    for i, a in enumerate(extra):
        if i and extra[i - 1] in ("-o", "--html", "--xlsx") and a not in case.inputs:
            case.outputs.append(a)
    return argv + extra


# -- running ------------------------------------------------------------------------------------------

@dataclass
class Result:
    case: str
    seed: int
    index: int
    command: str
    kind: str
    applied: list
    odd: list
    origins: list
    argv: list
    verdict: str
    rc: Optional[int]
    seconds: float
    problems: list
    last_line: str
    exception: str = ""
    where: str = ""  # the innermost procmap frame, file:line
    last_frame: str = ""  # the innermost frame of all
    kept: str = ""

    @property
    def signature(self) -> str:
        """What makes two failures one: the verdict, the command, the exception and where procmap raised it."""
        if self.verdict == "damage":
            return f"damage|{self.command}|{';'.join(p.split(':')[0] for p in self.problems)}"
        return f"{self.verdict}|{self.command}|{self.exception}|{self.where or self.last_frame}"


def limits(memory_mb: int) -> Callable[[], None]:
    def apply() -> None:
        if memory_mb:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def digest(path: Path) -> Optional[str]:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def tail(path: Path, size: int = 20000) -> str:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - size))
        return fh.read().decode("utf-8", "replace")


FRAME = re.compile(r'File "([^"]+)", line (\d+),? in (\S+)')


def frames(stderr: str) -> list[tuple[str, int, str]]:
    """The frames of the last traceback (innermost last) or of a faulthandler dump (innermost first: reversed)."""
    if "Traceback (most recent call last)" in stderr:
        block = stderr[stderr.rindex("Traceback (most recent call last)"):]
        return [(f, int(n), fn) for f, n, fn in FRAME.findall(block)]
    if "most recent call first" in stderr:
        block = stderr[stderr.index("most recent call first"):]
        block = block.split("\n\n")[0]
        return [(f, int(n), fn) for f, n, fn in FRAME.findall(block)][::-1]
    return []


def short(path: str) -> str:
    at = path.rfind("/procmap/")
    if at >= 0:
        return path[at + 1:]
    return "/".join(path.split("/")[-2:])


def check_output(path: Path) -> Optional[str]:
    """Why a written file is not whole, or None. Only looks at the formats' own ends."""
    if path.is_dir():
        return None if any(path.iterdir()) else "empty directory"
    size = path.stat().st_size
    if size == 0:
        return "zero bytes"
    suffix = path.name.lower().rsplit(".", 1)[-1]
    with open(path, "rb") as fh:
        head = fh.read(16)
        fh.seek(max(0, size - 2048))
        end = fh.read()
    if suffix == "png" and (not head.startswith(b"\x89PNG") or b"IEND" not in end):
        return "not a whole PNG"
    if suffix == "pdf" and (not head.startswith(b"%PDF") or b"%%EOF" not in end):
        return "not a whole PDF"
    if suffix in ("svg", "bpmn", "xml", "html"):
        if suffix == "html":
            return None if b"</html>" in end.lower() else "HTML without its end"
        try:
            etree.parse(str(path), etree.XMLParser(huge_tree=True, resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            return f"malformed XML ({str(exc)[:60]})"
    return None


def run_case(case: Case, timeout: float, memory_mb: int, out_dir: Optional[str], tmp_root: Optional[str]) -> Result:
    work = Path(tempfile.mkdtemp(prefix="procmap-fuzz-", dir=tmp_root))
    try:
        return _run_in(work, case, timeout, memory_mb, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_in(work: Path, case: Case, timeout: float, memory_mb: int, out_dir: Optional[str]) -> Result:
    for name, data in case.inputs.items():
        (work / name).write_bytes(data)
    before = {name: digest(work / name) for name in case.inputs}
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8",
               COLUMNS="100", TERM="dumb", NO_COLOR="1")
    cmd = [sys.executable, "-X", "faulthandler", "-m", "procmap", *case.argv]
    started = time.monotonic()
    timed_out = False
    with open(work / ".stdout", "wb") as so, open(work / ".stderr", "wb") as se:
        proc = subprocess.Popen(cmd, cwd=work, stdout=so, stderr=se, stdin=subprocess.DEVNULL, env=env,
                                preexec_fn=limits(memory_mb), start_new_session=True)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _signal_group(proc.pid, signal.SIGABRT)  # faulthandler prints where it was
            try:
                rc = proc.wait(5)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                rc = proc.wait()
        _signal_group(proc.pid, signal.SIGKILL)  # whatever it started and left running (dot)
    seconds = time.monotonic() - started
    stderr = tail(work / ".stderr")
    stdout_head = (work / ".stdout").read_bytes()[:2_000_000]

    problems = []
    for name, was in before.items():
        now = digest(work / name)
        if now != was:
            problems.append(f"input changed: {name!r}" if now else f"input removed: {name!r}")
    if b"root:x:0:0" in stdout_head or "root:x:0:0" in stderr:
        problems.append("external entity: /etc/passwd was read")
    for name in case.outputs:
        path = work / name
        if name in case.inputs or not path.exists():
            if rc == 0 and not timed_out and name not in case.inputs:
                problems.append(f"output missing after exit 0: {name}")
            continue
        why = check_output(path)
        if why:
            problems.append(f"output {why}: {name}" + (" (left after a failure)" if rc != 0 else ""))

    verdict, exception, where, last_frame = classify(rc, timed_out, stderr)
    if problems and verdict in ("ok", "refused"):
        verdict = "damage"
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    result = Result(case.name, case.seed, case.index, case.command, case.kind, case.applied, case.odd, case.origins,
                    case.argv, verdict, None if timed_out else rc, round(seconds, 2), problems,
                    (lines[-1] if lines else "")[:300], exception, where, last_frame)
    if out_dir and verdict in BAD:
        keep = Path(out_dir) / case.name
        if keep.exists():
            shutil.rmtree(keep)
        keep.mkdir(parents=True)
        for name in case.inputs:
            shutil.copy2(work / name, keep / name) if (work / name).exists() else (keep / name).write_bytes(
                case.inputs[name])
        (keep / "stderr.txt").write_text(stderr, encoding="utf-8", errors="surrogateescape")
        result.kept = str(keep)
    return result


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def classify(rc: Optional[int], timed_out: bool, stderr: str) -> tuple[str, str, str, str]:
    """(verdict, exception class, innermost procmap frame, innermost frame) of one run."""
    found = frames(stderr)
    own = [f for f in found if "/procmap/" in f[0] and "/site-packages/" not in f[0]]
    where = f"{short(own[-1][0])}:{own[-1][1]}" if own else ""
    last_frame = f"{short(found[-1][0])}:{found[-1][1]} in {found[-1][2]}" if found else ""
    exc = ""
    m = re.findall(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)|MemoryError|RecursionError)\b:?",
                   stderr, re.M)
    if m:
        exc = m[-1].rsplit(".", 1)[-1]
    if timed_out:
        return "hang", "timeout", where, last_frame
    if "MemoryError" in stderr or "std::bad_alloc" in stderr or "Cannot allocate memory" in stderr \
            or "out of memory" in stderr.lower():
        return "oom", exc or "MemoryError", where, last_frame
    if "Traceback (most recent call last)" in stderr:
        return "crash", exc or "traceback", where, last_frame
    if rc == 0:
        return "ok", "", "", ""
    if rc is not None and rc < 0:
        return "crash", f"signal {signal.Signals(-rc).name}", where, last_frame
    if rc not in EXPECTED_STATUS:
        return "crash", f"exit {rc}", where, last_frame
    lines = [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("procmap: warning:")]
    if len(lines) > MAX_REFUSAL_LINES:
        return "crash", f"{len(lines)} lines on stderr", where, last_frame
    for ln in lines:
        named = re.search(r"\b([A-Z]\w*(?:Error|Exception)):", ln)
        if named and named.group(1) not in OWN_ERRORS:
            return "crash", named.group(1), where, last_frame
    return "refused", "", "", ""


# -- reporting ----------------------------------------------------------------------------------------

def shell_quote(arg: str) -> str:
    raw = os.fsencode(arg)
    try:
        text = raw.decode("utf-8")
        if all(c.isprintable() for c in text):
            return shlex.quote(text)
    except UnicodeDecodeError:
        pass
    return "$'" + "".join(chr(b) if 32 <= b < 127 and b not in (39, 92) else f"\\x{b:02x}" for b in raw) + "'"


def reproduction(r: Result) -> str:
    where = shell_quote(r.kept) if r.kept else f"<scripts/fuzz.py --seed {r.seed} --case {r.index} --out DIR>"
    args = " ".join(shell_quote(a) for a in r.argv)
    line = f"cd {where} && python -m procmap {args}"
    return line if len(line) < 400 else line[:400] + " ..."


def summary(results: list[Result]) -> str:
    by_command: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        by_command[r.command][r.verdict] += 1
        by_command["all"][r.verdict] += 1
    width = max(len(c) for c in by_command)
    head = f"{'command':<{width}}  " + "  ".join(f"{v:>7}" for v in VERDICTS)
    rows = [head, "-" * len(head)]
    for command in [*[c for c in COMMANDS if c in by_command], "all"]:
        rows.append(f"{command:<{width}}  " + "  ".join(f"{by_command[command][v]:>7}" for v in VERDICTS))
    kinds: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        kinds[r.kind][r.verdict] += 1
    rows += ["", f"{'kind':<16}  " + "  ".join(f"{v:>7}" for v in VERDICTS)]
    for kind in sorted(kinds):
        rows.append(f"{kind:<16}  " + "  ".join(f"{kinds[kind][v]:>7}" for v in VERDICTS))
    return "\n".join(rows)


def distinct(results: list[Result]) -> dict[str, list[Result]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        if r.verdict in BAD:
            groups[r.signature].append(r)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


# -- main ---------------------------------------------------------------------------------------------

def _worker(args) -> Result:
    seed, index, commands, kinds, odd_rate, timeout, memory, out, tmp = args
    case = make_case(seed, index, commands, kinds, odd_rate)
    return run_case(case, timeout, memory, out, tmp)


def names(text: str, allowed, what: str) -> tuple[str, ...]:
    chosen = tuple(x.strip() for x in text.split(",") if x.strip())
    unknown = [x for x in chosen if x not in allowed]
    if unknown:
        raise SystemExit(f"fuzz.py: unknown {what}: {', '.join(unknown)} (known: {', '.join(allowed)})")
    return chosen


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cases", type=int, default=300, help="how many cases (default 300)")
    ap.add_argument("--first", type=int, default=0, help="index of the first case (default 0)")
    ap.add_argument("--case", type=int, action="append", help="run only this case index (repeatable)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="child processes at once (2)")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per case (20)")
    ap.add_argument("--memory", type=int, default=2000, help="address-space limit per case in MB (2000; 0: none)")
    ap.add_argument("--out", help="keep failing cases here, and write results.jsonl")
    ap.add_argument("--commands", default=",".join(COMMANDS), help="comma separated (default: all)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="mutation kinds, comma separated (default: all)")
    ap.add_argument("--odd-rate", type=float, default=0.3, help="share of cases with odd options or file names")
    ap.add_argument("--list", action="store_true", help="print each failing case with a reproduction")
    ap.add_argument("--tmp", help="where the cases' temporary directories go (default: the system's)")
    ap.add_argument("--quiet", action="store_true", help="no progress dots")
    opts = ap.parse_args(argv)

    commands = names(opts.commands, COMMANDS, "command")
    kinds = names(opts.kinds, KINDS, "kind")
    indexes = opts.case or list(range(opts.first, opts.first + opts.cases))
    if opts.out:
        Path(opts.out).mkdir(parents=True, exist_ok=True)
    jobs = [(opts.seed, i, commands, kinds, opts.odd_rate, opts.timeout, opts.memory, opts.out, opts.tmp)
            for i in indexes]
    started = time.monotonic()
    results: list[Result] = []

    def progress(r: Result) -> None:
        results.append(r)
        if not opts.quiet:
            mark = {"ok": ".", "refused": "r", "crash": "C", "hang": "H", "oom": "M", "damage": "D"}[r.verdict]
            print(mark, end="" if len(results) % 80 else "\n", file=sys.stderr, flush=True)

    if opts.jobs <= 1:
        for job in jobs:
            progress(_worker(job))
    else:
        with ProcessPoolExecutor(max_workers=opts.jobs) as pool:
            for r in pool.map(_worker, jobs):
                progress(r)
    if not opts.quiet:
        print(file=sys.stderr)
    results.sort(key=lambda r: r.index)

    if opts.out:
        with open(Path(opts.out) / "results.jsonl", "w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps({**asdict(r), "signature": r.signature, "reproduce": reproduction(r)}) + "\n")
    print(summary(results))
    groups = distinct(results)
    print(f"\n{len(results)} cases in {time.monotonic() - started:.0f} s (seed {opts.seed}); "
          f"{sum(len(g) for g in groups.values())} failing, {len(groups)} distinct")
    for signature, group in groups.items():
        first = group[0]
        print(f"  {len(group):4d} x {signature}   e.g. {first.case} [{first.kind}] {first.last_line[:100]}")
    if opts.list:
        print()
        for r in results:
            if r.verdict in BAD:
                print(f"{r.case} {r.verdict} {r.command} [{','.join(r.applied) or r.kind}]"
                      f"{' odd: ' + '; '.join(r.odd) if r.odd else ''}: {r.last_line[:160]}")
                for p in r.problems:
                    print(f"    {p}")
                print(f"    {reproduction(r)}")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
