"""Textual variants of a BPMN file, made to fool procmap's deferred diagram reading (see fuzz_deferred.py).

procmap/_defer.py cuts a file at its first top-level BPMNDiagram by looking at bytes, so
these variants change bytes where that cut could go wrong: tags hidden in comments,
CDATA and processing instructions, model elements moved after the diagram, namespaces
declared in odd places, other encodings and line ends, truncated and corrupted files,
bad coordinates next to things that shift line numbers. The places are found with
regular expressions of their own, independently of procmap's code.
"""

from __future__ import annotations

import random
import re
from typing import Iterator, Optional

MODEL = b"http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = b"http://www.omg.org/spec/BPMN/20100524/DI"
DC = b"http://www.omg.org/spec/DD/20100524/DC"

Variant = tuple[str, bytes]
#: What a random insertion puts in the diagram, or anywhere in the file.
JUNK_IN_DIAGRAM = [b"<", b">", b"&", b'"', b"</x>", b"<!--", b"]]>", b"?>"]
JUNK_ANYWHERE = [b"<", b">", b"&", b'"', b"</x>", b"<!--", b"-->", b"<?", b"\xff"]


class Info:
    """Where things are in one file: the root, its diagrams, a process, a shape, a Bounds."""

    def __init__(self, data: bytes):
        self.data = data
        m = re.search(rb"<([\w.-]+:)?definitions[\s>]", data)
        self.root_start = m.start()
        self.root_open_end = data.index(b">", m.start()) + 1
        self.mp = m.group(1) or b""  # the model prefix with its colon, as the root writes it
        self.root_qname = self.mp + b"definitions"
        self.root_end = data.rfind(b"</" + self.root_qname)
        self.diagrams = []  # (start, end, prefix) of every top-level diagram
        for d in re.finditer(rb"<([\w.-]+:)?BPMNDiagram[\s>/]", data):
            if self.diagrams and d.start() < self.diagrams[-1][1]:
                continue
            end_tag = b"</" + (d.group(1) or b"") + b"BPMNDiagram>"
            self.diagrams.append((d.start(), data.find(end_tag, d.start()) + len(end_tag), d.group(1) or b""))
        first = self.diagrams[0] if self.diagrams else (None, None, b"bpmndi:")
        self.dstart, self.dend, self.dp = first  # the first diagram, and its prefix with the colon
        self.dopen_end = data.index(b">", self.dstart) + 1 if self.diagrams else None
        self.proc = self._element(b"process")
        self.collab = self._element(b"collaboration")
        s = re.search(rb"<([\w.-]+:)?BPMNShape[\s>]", data)
        self.shape = (s.start(), data.index(b">", s.start()) + 1) if s else None
        b = re.search(rb"<([\w.-]+:)?Bounds\s[^>]*>", data)
        self.bounds = (b.start(), b.end()) if b else None
        dcm = re.search(rb"xmlns:([\w.-]+)=\"" + re.escape(DC) + b'"', data)
        self.dcp = dcm.group(1) + b":" if dcm else None  # the prefix bound to DC, for writing Bounds
        t = re.search(rb"<" + re.escape(self.mp) + rb"(?:task|userTask|serviceTask|manualTask)\s[^>]*\bid=\"([^\"]+)\"",
                      data)
        self.task_id = t.group(1) if t else None

    @property
    def root_tag(self) -> bytes:
        return self.data[self.root_start:self.root_open_end]

    @property
    def root_close_end(self) -> int:
        return self.data.index(b">", self.root_end) + 1

    def late_process(self) -> bytes:
        """A process with a task, in the root's own prefix: what must not be lost after the diagram."""
        mp = self.mp
        return b"<" + mp + b'process id="late_p"><' + mp + b'task id="late_t" name="Late"/></' + mp + b"process>"

    def _element(self, local: bytes) -> Optional[tuple[int, int, int]]:
        """(start, end of start tag, end) of the first model element `local`."""
        data = self.data
        m = re.search(b"<" + re.escape(self.mp) + local + rb"[\s>]", data)
        if not m:
            return None
        open_end = data.index(b">", m.start()) + 1
        if data[open_end - 2:open_end] == b"/>":
            return (m.start(), open_end, open_end)
        end_tag = b"</" + self.mp + local + b">"
        close = data.find(end_tag, open_end)
        return (m.start(), open_end, close + len(end_tag)) if close >= 0 else None


def variants(data: bytes, seed: int = 0) -> Iterator[Variant]:
    """Every variant of `data` as (name, bytes); the kind is the name before any '@'. Same seed, same variants."""
    info = Info(data)
    if info.dstart is None:
        yield "nodiagram-identity", data
        return
    rnd = random.Random(seed)
    yield from hidden_tags(info)
    yield from moved_elements(info)
    yield from namespace_tricks(info)
    yield from encodings_and_line_ends(info)
    yield from truncated_and_corrupted(info, rnd)
    yield from bad_coordinates(info)
    yield from diagram_contents(info)
    yield from damaged_anywhere(info, rnd)
    yield from doctypes_and_spacing(info)


def hidden_tags(info: Info) -> Iterator[Variant]:
    """Text that looks like a diagram, root end or process tag, inside a comment, PI or CDATA, at each place."""
    data, dp, rootq = info.data, info.dp, info.root_qname
    de = info.dend
    texts = {
        "diagram-tag": b'<' + dp + b'BPMNDiagram id="x">',
        "bpmndi-tag": b'<bpmndi:BPMNDiagram id="x">',
        "root-end": b"</" + rootq + b">",
        "root-end-bpmn": b"</bpmn:definitions>",
        "bizagi-tag": b'<BPMNDiagram xmlns="' + DI + b'">',
        "process-tag": b"<" + info.mp + b'process id="fake">',
        "both": b'<' + dp + b'BPMNDiagram id="x"></' + rootq + b">",
    }
    places = {
        "after-decl": info.root_start,
        "before-diagram": info.dstart,
        "in-process": info.proc[1] if info.proc else None,
        "in-diagram": info.dopen_end,
        "end-of-diagram": de - len(b"</" + dp + b"BPMNDiagram>"),
        "after-diagram": de,
        "before-root-end": info.root_end,
        "after-root-end": info.root_close_end,
        "eof": len(data),
    }
    for tname, text in texts.items():
        for pname, at in places.items():
            if at is None:
                continue
            yield f"comment[{tname}]@{pname}", insert(data, at, b"<!-- " + text + b" -->")
            yield f"pi[{tname}]@{pname}", insert(data, at, b"<?note " + text + b"?>")
            # a PI whose text ends a second PI start: '<?a </root><?b?>' is one PI, but its tail parses
            yield f"pi2[{tname}]@{pname}", insert(data, at, b"<?a " + text + b"<?b?>")
            if pname not in ("after-decl", "after-root-end", "eof"):
                yield f"cdata[{tname}]@{pname}", insert(data, at, b"<![CDATA[" + text + b"]]>")
        yield f"multiline-comment[{tname}]@in-diagram", insert(data, info.dopen_end, b"<!--\n\n" + text + b"\n\n-->")


def moved_elements(info: Info) -> Iterator[Variant]:
    """Diagrams before the model, model elements (processes above all) after the diagrams, extra diagrams."""
    data, mp, dp, rootq = info.data, info.mp, info.dp, info.root_qname
    ds, de, re_ = info.dstart, info.dend, info.root_end
    all_de = info.diagrams[-1][1]
    yield "diagrams-first", insert(data[:ds] + data[all_de:], info.root_open_end, b"\n" + data[ds:all_de] + b"\n")
    yield "first-diagram-first", insert(data[:ds] + data[de:], info.root_open_end, b"\n" + data[ds:de] + b"\n")
    for what, el in (("process", info.proc), ("collaboration", info.collab)):
        if el:
            s, _, e = el
            moved, rest = data[s:e], data[:s] + data[e:]
            yield f"{what}-after-diagram", insert(rest, rest.rfind(b"</" + rootq), moved + b"\n")
            d2 = rest.find(data[ds:ds + 40])
            yield f"{what}-between-diagrams-or-after-first", insert(rest, d2 + (de - ds), b"\n" + moved)
    rel = (b"<" + mp + b'relationship id="rel1" type="x"><' + mp + b"source>a</" + mp + b"source></"
           + mp + b"relationship>")
    yield "relationship-after-diagram", insert(data, re_, rel + b"\n")
    yield "model-el-after-diagram-selfclosing", insert(data, re_, b"<" + mp + b'process id="late_p"/>\n')
    late = info.late_process()
    yield "late-process", insert(data, re_, late + b"\n")
    yield from (
        (name, insert(data, re_, text + b"\n")) for name, text in late_processes_in_other_namespaces())
    if mp == b"":  # tricks against the unprefixed-element check (matter when the root's default namespace is MODEL)
        yield "late-process-named-xmlns", insert(
            data, re_, b'<process id="late_p" name=\' xmlns="urn:x"\'><task id="late_t"/></process>\n')
        yield "selfclose-ns-then-process-then-close", insert(
            data, re_, b'<x xmlns="urn:a"/>' + late + b'<x xmlns="urn:a"></x>\n')
        yield "comment-open-then-process-then-comment-close", insert(
            data, re_, b'<!-- <x xmlns="urn:a"> -->' + late + b"<!-- </x> -->\n")
        yield "late-process-after-ext", insert(data, re_, b'<ext xmlns="urn:a"><y/></ext>' + late + b"\n")
        yield "late-task-in-foreign-default", insert(data, re_, b'<ext xmlns="urn:a"><process id="not_model"/></ext>\n')
    yield "ext-after-diagram", insert(data, re_, b'<ext:stuff xmlns:ext="urn:x" a="1"><ext:y/></ext:stuff>\n')
    # a second diagram (a copy with other ids and coordinates), and empty ones
    second = data[ds:de].replace(b'id="', b'id="copy_')
    second = re.sub(rb'x="(\d+)', lambda m: b'x="9' + m.group(1), second)
    yield "second-diagram-copy", insert(data, all_de, b"\n" + second)
    yield "second-diagram-first", insert(data, ds, second + b"\n")
    yield "empty-second-diagram", insert(data, all_de, b"\n<" + dp + b'BPMNDiagram id="empty"/>')
    yield "empty-first-diagram", insert(data, ds, b"<" + dp + b'BPMNDiagram id="empty"/>\n')


def late_processes_in_other_namespaces() -> Iterator[Variant]:
    """A process written with a prefix or default namespace of its own: each must still be seen as the model's."""
    def process(declaration: bytes, prefix: bytes = b"m:") -> bytes:
        return (b"<" + prefix + b"process " + declaration + b' id="late_p"><' + prefix + b'task id="late_t"/></'
                + prefix + b"process>")

    charref = MODEL.replace(b"MODEL", b"MODE&#76;")
    yield "late-process-own-prefix", process(b'xmlns:m="' + MODEL + b'"')
    yield "late-process-nonascii-prefix", process('xmlns:mø="'.encode() + MODEL + b'"', "mø:".encode())
    yield "late-process-default-ns", process(b'xmlns="' + MODEL + b'"', b"")
    yield "late-process-charref-uri-prefix", process(b'xmlns:m="' + charref + b'"')
    yield "late-process-charref-uri-default", process(b'xmlns="' + charref + b'"', b"")
    yield "late-process-decl-far", process(b'xmlns:m=\n"' + MODEL + b'"')
    yield "late-process-xmlns-spaces", process(b"xmlns:m  =  '" + MODEL + b"'")


def namespace_tricks(info: Info) -> Iterator[Variant]:
    """The diagram's prefix declared, rebound or dropped (Bizagi), and prefixes in bpmnElement values."""
    data, dp, rootq = info.data, info.dp, info.root_qname
    ds, de, dopen = info.dstart, info.dend, info.dopen_end
    if dp:
        p = dp[:-1]
        decl = re.compile(rb'\s+xmlns:' + re.escape(p) + rb'="[^"]*"')
        if decl.search(info.root_tag):
            undeclared = with_root_tag(info, decl.sub(b"", info.root_tag, count=1))
            declared = b"<" + dp + b"BPMNDiagram xmlns:" + p + b'="' + DI + b'"'
            yield "diagram-prefix-declared-on-diagram-only", re.sub(
                rb"<" + re.escape(dp) + rb"BPMNDiagram(?=[\s>/])", declared, undeclared)
        yield "diagram-prefix-rebound", replace_in(data, ds, dopen, b"BPMNDiagram",
                                                   b'BPMNDiagram xmlns:' + p + b'="urn:not-di"')
        # Bizagi: no prefix inside the first diagram, which declares DI its default namespace
        block = data[ds:de]
        bizagi = re.sub(rb"(</?)" + re.escape(dp), rb"\1", block)
        bizagi = bizagi.replace(b"<BPMNDiagram", b'<BPMNDiagram xmlns="' + DI + b'"', 1)
        bizagi_data = data[:ds] + bizagi + data[de:]
        bizagi_end = bizagi_data.rfind(b"</" + rootq)
        yield "bizagi-default-on-diagram", bizagi_data
        yield "bizagi-default-on-diagram+late-process", insert(bizagi_data, bizagi_end, info.late_process() + b"\n")
        if info.mp == b"":
            yield "bizagi+late-unprefixed-task-in-diagram-ns", insert(
                bizagi_data, bizagi_end, b'<BPMNDiagram xmlns="' + DI + b'"/><process id="late_p"/>\n')
        # the start tag of an unprefixed diagram says xmlns=..., but inside an attribute value
        fake = block.replace(b"<" + dp + b"BPMNDiagram", b"<BPMNDiagram procmapnote=' xmlns=\"" + DI + b"\"'", 1)
        fake = fake.replace(b"</" + dp + b"BPMNDiagram>", b"</BPMNDiagram>")
        yield "unprefixed-diagram-xmlns-in-value", data[:ds] + fake + data[de:]
        gt = bizagi.replace(b'<BPMNDiagram xmlns="', b'<BPMNDiagram procmapnote="a>b" xmlns="', 1)
        yield "bizagi-gt-in-attr", data[:ds] + gt + data[de:]
    yield "gt-in-diagram-attr", replace_in(data, ds, dopen, b"BPMNDiagram", b'BPMNDiagram procmapnote="a > b"')
    yield "xmlns-text-in-diagram-attr", replace_in(data, ds, dopen, b"BPMNDiagram",
                                                   b"BPMNDiagram procmapnote=' xmlns=\"" + MODEL + b"\"'")
    yield "xmlns-text-in-diagram-attr-prefixed", replace_in(
        data, ds, dopen, b"BPMNDiagram", b"BPMNDiagram procmapnote=' xmlns:m=\"" + MODEL + b"\" <m:'")
    yield "model-redeclared-unused-in-diagram", insert(data, dopen - 1, b' xmlns:m="' + MODEL + b'"')
    yield "model-redeclared-used-in-diagram", insert(data, dopen, b'<m:extensionElements xmlns:m="' + MODEL + b'"/>')
    if info.shape and info.task_id:
        yield from prefixed_bpmn_elements(info)


def prefixed_bpmn_elements(info: Info) -> Iterator[Variant]:
    """bpmnElement="prefix:id": with the model's prefix, a diagram-local one, an undeclared one, a non-ASCII one."""
    data, rootq = info.data, info.root_qname
    for pname, pre, extra in (("model-prefix", info.mp or b"bpmn:", b""),
                              ("local-prefix", b"m:", b' xmlns:m="' + MODEL + b'"'),
                              ("undeclared-prefix", b"zz:", b""),
                              ("nonascii-local-prefix", "mø:".encode(), ' xmlns:mø="'.encode() + MODEL + b'"')):
        yield f"bpmnElement-{pname}", re.sub(rb'bpmnElement="' + re.escape(info.task_id) + b'"',
                                             b'bpmnElement="' + pre + info.task_id + b'"' + extra, data)
    # the root declares a second prefix for MODEL, used only in bpmnElement values
    mx = with_root_tag(info, info.root_tag.replace(rootq, rootq + b' xmlns:mx="' + MODEL + b'"', 1))
    yield "bpmnElement-root-only-prefix", re.sub(rb'bpmnElement="([^"]+)"', rb'bpmnElement="mx:\1"', mx)
    mo = with_root_tag(info, info.root_tag.replace(rootq, rootq + ' xmlns:mø="'.encode() + MODEL + b'"', 1))
    mo = re.sub(rb'bpmnElement="([^"]+)"', 'bpmnElement="mø:'.encode() + rb'\1"', mo)
    yield "bpmnElement-root-nonascii-prefix", mo
    yield "bpmnElement-root-nonascii-prefix-latin1", latin1(mo)


def encodings_and_line_ends(info: Info) -> Iterator[Variant]:
    """BOMs, CR and CRLF, declarations, non-ASCII names, bytes that do not match the declared encoding."""
    data = info.data
    yield "bom", b"\xef\xbb\xbf" + data
    yield "crlf", crlf(data)
    yield "cr-only", cr_only(data)
    decl = re.match(rb"\s*<\?xml[^>]*\?>", data)
    if decl:
        yield "no-declaration", data[decl.end():].lstrip()
        yield "multiline-declaration", data.replace(b"<?xml version", b"<?xml\n  version", 1)
        yield "single-quoted-declaration", data[:decl.start()] + decl.group(0).replace(b'"', b"'") + data[decl.end():]
    else:
        yield "add-declaration", b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
    named = set_attr(data, info.dstart, b"name", "Søknad æøå ÆØÅ".encode())
    yield "utf8-names-in-diagram", named
    yield "latin1-names-in-diagram", latin1(named)
    yield "latin1-bom", b"\xef\xbb\xbf" + latin1(named)
    bad8 = set_attr(data, info.dstart, b"name", b"S\xf8knad")
    yield "invalid-utf8-in-diagram-only", bad8
    yield "invalid-utf8-in-diagram-only-nodecl", strip_decl(bad8)
    if info.proc:
        yield "invalid-utf8-in-process-and-diagram", set_attr(bad8, info.proc[0], b"procmapnote", b"\xe6")
    yield "invalid-latin1-decl-utf8-bytes", latin1(named, keep_utf8=True)
    yield "declared-utf16-actually-utf8", re.sub(rb'encoding="[^"]*"', b'encoding="UTF-16"', data, count=1)
    yield "declared-ascii-nonascii-diagram", re.sub(rb'encoding="[^"]*"', b'encoding="US-ASCII"', named, count=1)


def truncated_and_corrupted(info: Info, rnd: random.Random) -> Iterator[Variant]:
    """Cut through the diagram and the file's end; broken tags, bytes deleted or inserted in the diagram; extra ends."""
    data, dp = info.data, info.dp
    ds, de, dopen, re_ = info.dstart, info.dend, info.dopen_end, info.root_end
    offsets = {ds + (de - ds) * i // 40 for i in range(40)}
    offsets.update(len(data) - k for k in range(1, 40))
    offsets.update(rnd.randrange(ds, len(data)) for _ in range(10))
    offsets.update((ds + 1, dopen - 1, dopen, dopen + 1, de - 1, de, de + 1, re_ - 1, re_ + 1, re_ + 2))
    for off in sorted(offsets):
        if 0 < off < len(data):
            yield f"truncate@{off}", data[:off]
    mid = data.find(b"</" + dp + b"BPMNShape>", (ds + de) // 2)
    if mid > 0:
        yield "corrupt-end-tag-mid-diagram", data[:mid] + b"</" + dp + b"BPMNShapeX>" + data[mid + len(dp) + 12:]
        yield "lt-mid-diagram", insert(data, mid, b"<")
        yield "amp-mid-diagram", insert(data, mid, b"&bad;")
        yield "nul-mid-diagram", insert(data, mid, b"\x00")
    for _ in range(8):
        at = rnd.randrange(ds, de)
        yield f"delete-bytes@{at}", data[:at] + data[at + rnd.randint(1, 6):]
        at = rnd.randrange(ds, de)
        yield f"insert-junk@{at}", insert(data, at, rnd.choice(JUNK_IN_DIAGRAM))
    end_tag = data[re_:info.root_close_end]
    yield "duplicate-root-end", insert(data, len(data), b"\n" + end_tag + b"\n")
    yield "root-end-twice-inline", insert(data, info.root_close_end, end_tag)
    yield "file-twice", data + b"\n" + strip_decl(data)
    yield "trailing-text", data + b"\ngarbage"
    yield "trailing-elem", data + b"\n<x/>"
    yield "trailing-end-tag", data + b"\n</x>"
    yield "missing-root-end", data[:re_]
    yield "diagram-unclosed", data[:de - len(b"</" + dp + b"BPMNDiagram>")] + data[de:]


def bad_coordinates(info: Info) -> Iterator[Variant]:
    """A bad number in the diagram, alone and next to whatever shifts line counting: its warning must give the line."""
    data, dp = info.data, info.dp
    ds, dopen = info.dstart, info.dopen_end
    if info.bounds:
        bs, be = info.bounds
        tag = data[bs:be]
        bad = data[:bs] + re.sub(rb'x="[^"]*"', b'x="ti"', tag, count=1) + data[be:]
        yield "nonnumeric-bounds", bad
        yield "nonnumeric-bounds+multiline-comment", insert(bad, dopen, b"<!-- a\nb\nc\n-->")
        yield "nonnumeric-bounds+multiline-pi", insert(bad, dopen, b"<?x a\nb\nc\n?>")
        yield "nonnumeric-bounds+multiline-diagram-tag", bad[:ds] + bad[ds:dopen].replace(b" ", b"\n   ") + bad[dopen:]
        yield "nonnumeric-bounds+newline-charref", insert(bad, dopen, b"<" + dp + b"BPMNLabelStyle id=\"ls_x\"/>"
                                                           ).replace(b'id="ls_x"', b'id="ls&#10;&#10;x"')
        yield "nonnumeric-bounds+attr-newlines", replace_in(bad, ds, dopen, b"BPMNDiagram",
                                                            b'BPMNDiagram procmapnote="a\nb\nc"')
        yield "nonnumeric-bounds+multiline-declaration", bad.replace(b"<?xml version", b"<?xml\n  version", 1)
        yield "nonnumeric-bounds+cr-only", cr_only(bad)
        yield "nonnumeric-bounds+crlf", crlf(bad)
        yield "nonnumeric-bounds+cdata-newlines", insert(bad, dopen, b"<![CDATA[\n\n]]>")
        yield "nonnumeric-bounds+doctype", insert(bad, info.root_start, b"<!DOCTYPE definitions>\n")
        yield "nonnumeric-bounds+late-process", insert(bad, bad.rfind(b"</" + info.root_qname),
                                                       info.late_process() + b"\n")
        yield "empty-width", data[:bs] + re.sub(rb'width="[^"]*"', b'width=""', tag, count=1) + data[be:]
        yield "nonnumeric-bounds+newline-charref-text", insert(
            bad, dopen, b'<x:note xmlns:x="urn:x">a&#10;&#10;&#10;b</x:note>')
        yield "nonnumeric-bounds+attr-newlines-in-shape", replace_in(bad, info.shape[0], info.shape[1], b"BPMNShape",
                                                                     b'BPMNShape procmapnote="a\nb\nc"')
    w = re.search(rb"<([\w.-]+:)?waypoint\s[^>]*>", data)
    if w:
        bad_waypoint = re.sub(rb'y="[^"]*"', b'y="NaNx"', w.group(0), count=1)
        yield "nonnumeric-waypoint", data[:w.start()] + bad_waypoint + data[w.end():]


def diagram_contents(info: Info) -> Iterator[Variant]:
    """Non-ASCII names in the diagram; shapes that are not BPMNDI shapes or only in a comment (has_geometry)."""
    data, dp = info.data, info.dp
    ds, de, dopen = info.dstart, info.dend, info.dopen_end
    yield "nonascii-attr-name-in-diagram", insert(data, dopen - 1, ' xmlns:x="urn:x" x:fargø="1"'.encode())
    yield "nonascii-elem-in-diagram", insert(data, dopen, '<x:høyde xmlns:x="urn:x">1</x:høyde>'.encode())
    noshapes = re.sub(rb"<([\w.-]+:)?BPMNShape[\s>].*?</([\w.-]+:)?BPMNShape>", b"", data[ds:de], flags=re.S)
    noshapes = re.sub(rb"<([\w.-]+:)?BPMNShape[^>]*/>", b"", noshapes)
    no_shapes = data[:ds] + noshapes + data[de:]
    inside = no_shapes.index(b">", ds) + 1
    yield "no-shapes", no_shapes
    yield "no-shapes+comment-shape", insert(no_shapes, inside, b"<!-- <" + dp + b"BPMNShape id='c'/> -->")
    yield "no-shapes+foreign-shape", insert(no_shapes, inside, b'<x:BPMNShape xmlns:x="urn:x"/>')
    yield "no-shapes+cdata-shape", insert(no_shapes, inside, b"<![CDATA[<BPMNShape>]]>")
    yield "root-declares-xml-prefix", with_root_tag(info, info.root_tag.replace(
        info.root_qname, info.root_qname + b' xmlns:xml="http://www.w3.org/XML/1998/namespace"', 1))


def damaged_anywhere(info: Info, rnd: random.Random) -> Iterator[Variant]:
    """A few bytes deleted, or a markup character inserted, anywhere in the file."""
    data = info.data
    for _ in range(10):
        at = rnd.randrange(0, len(data))
        yield f"anywhere-delete@{at}", data[:at] + data[at + rnd.randint(1, 4):]
        at = rnd.randrange(0, len(data))
        yield f"anywhere-insert@{at}", insert(data, at, rnd.choice(JUNK_ANYWHERE))


def doctypes_and_spacing(info: Info) -> Iterator[Variant]:
    """A DTD that declares a namespace by default, and ways of writing the diagram's start tag."""
    data, dp, rootq = info.data, info.dp, info.root_qname
    ds, dopen = info.dstart, info.dopen_end
    if info.dcp:
        p = info.dcp[:-1]
        root_tag = re.sub(rb'\s+xmlns:' + re.escape(p) + rb'="[^"]*"', b"", info.root_tag, count=1)
        dtd = (b"<!DOCTYPE " + rootq + b" [<!ATTLIST " + info.dcp + b"Bounds xmlns:" + p
               + b' CDATA #FIXED "' + DC + b'">]>\n')
        yield "dtd-default-ns-for-bounds", with_root_tag(info, dtd + root_tag)
    yield "doctype-plain", insert(data, info.root_start, b"<!DOCTYPE definitions>\n")
    yield "no-whitespace-before-diagram", data[:ds].rstrip() + data[ds:]
    yield "diagram-at-column-0-after-comment", insert(data, ds, b"<!-- x -->")
    yield "tab-after-name", replace_in(data, ds, dopen, b"BPMNDiagram ", b"BPMNDiagram\t")
    yield "selfclosing-diagram-first", insert(data, ds, b"<" + dp + b"BPMNDiagram/>")
    yield "long-prefix-first-diagram", first_diagram_prefixed(info, b"p" * 90)
    yield "nonascii-prefix-first-diagram", first_diagram_prefixed(info, "dø".encode())
    yield "root-attr-named-xmlns-text", with_root_tag(info, info.root_tag.replace(
        rootq, rootq + b" procmapnote='x xmlns=\"urn:y\"'", 1))


def first_diagram_prefixed(info: Info, prefix: bytes) -> bytes:
    """The first diagram written with another prefix (declared on it), then an empty, normal diagram."""
    data = info.data
    if not info.dp:
        return data
    first = re.sub(rb"(</?)" + re.escape(info.dp), rb"\1" + prefix + b":", data[info.dstart:info.dend])
    start_tag = b"<" + prefix + b":BPMNDiagram"
    first = first.replace(start_tag, start_tag + b" xmlns:" + prefix + b'="' + DI + b'"', 1)
    empty = b"<" + info.dp + b'BPMNDiagram id="second"/>'
    return data[:info.dstart] + first + b"\n" + empty + data[info.dend:]


def laneless(data: bytes) -> bytes:
    """Drop every flowNodeRef, so reading must place nodes by the diagram (converted while reading)."""
    return re.sub(rb"<([\w.-]+:)?flowNodeRef>[^<]*</([\w.-]+:)?flowNodeRef>", b"", data)


# -- byte edits ---------------------------------------------------------------------------------------

def insert(data: bytes, at: int, text: bytes) -> bytes:
    return data[:at] + text + data[at:]


def replace_in(data: bytes, start: int, end: int, old: bytes, new: bytes) -> bytes:
    """Replace the first `old` in data[start:end] only."""
    return data[:start] + data[start:end].replace(old, new, 1) + data[end:]


def with_root_tag(info: Info, tag: bytes) -> bytes:
    """The file with the root's start tag (and whatever is put before it) replaced by `tag`."""
    return info.data[:info.root_start] + tag + info.data[info.root_open_end:]


def set_attr(data: bytes, lt: int, name: bytes, value: bytes) -> bytes:
    """Set attribute `name` on the start tag at `lt` (replace it when present)."""
    gt = data.index(b">", lt)
    tag = data[lt:gt]
    m = re.search(rb"\s" + re.escape(name) + rb'="[^"]*"', tag)
    if m:
        tag = tag[:m.start()] + b" " + name + b'="' + value + b'"' + tag[m.end():]
    else:
        end = len(tag) - 1 if tag.endswith(b"/") else len(tag)
        tag = tag[:end] + b" " + name + b'="' + value + b'"' + tag[end:]
    return data[:lt] + tag + data[gt:]


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def cr_only(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def strip_decl(data: bytes) -> bytes:
    return re.sub(rb"^\s*<\?xml[^>]*\?>\s*", b"", data, count=1)


def latin1(data: bytes, keep_utf8: bool = False) -> bytes:
    """Declare ISO-8859-1; re-encode the text (or keep the UTF-8 bytes: wrong for the declaration)."""
    body = strip_decl(data)
    if not keep_utf8:
        try:
            body = body.decode("utf-8").encode("iso-8859-1")
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
    return b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + body
