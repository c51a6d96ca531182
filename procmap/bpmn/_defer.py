"""Leaving the end of an XML file unparsed, safely: for BPMN, its diagrams.

A BPMN file is half diagram (BPMNDI), and counting, comparing and routine cards
never need it. `split` parses a file up to its first top-level diagram and keeps
the rest as bytes, but only when a few byte-level checks prove that nothing the
reader needs can be in that rest; otherwise it answers None and the file is parsed
whole, as before. tests/data/deferred/ holds files made to fool it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Optional

from lxml import etree

#: The element that wraps the kept part when it is parsed on its own (named in no file).
WRAPPER = "procmap-deferred"
#: An XML declaration at the start of a file.
DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)


@dataclass
class Deferred:
    """The end of a file, from its first top-level element of a given name on, kept as bytes
    to be parsed when (and if) it is needed.

    ``document()`` is a small XML document of its own: the file's declaration, a wrapper
    element carrying the root's namespace declarations, and the elements, so that line
    L of it is line L + ``line_offset`` of the file.
    """

    data: bytes
    start: int
    end: int
    prefix: bytes

    def document(self) -> bytes:
        return b"".join((self.prefix, memoryview(self.data)[self.start:self.end], b"</" + WRAPPER.encode() + b">"))

    @cached_property
    def line_offset(self) -> int:
        """Lines before the kept part, counted only when a warning needs one (as libxml2 counts: line feeds)."""
        return self.data.count(b"\n", 0, self.start)


def split(data: bytes, namespace: str, local: str,
          parse: Callable[[bytes], etree._Element]) -> Optional[tuple[etree._Element, Deferred]]:
    """Parse `data` up to its first top-level <local> (in `namespace`) with `parse`, keeping the rest
    as a Deferred; None when that is not safe, and the caller then parses the whole file.

    The part before is parsed as a document closed by the file's own end tag; that parse
    only succeeds when the split point is between two children of the root (not inside
    a comment, a CDATA section or a nested element), and a truncated file fails it. The
    rest must be plainly the same XML (same encoding, no open comment or CDATA, the root's
    end tag not inside it, no DTD that could add to it) and must not hold anything of the
    root's namespace, so nothing a reader needs is left out.
    """
    start = first_start_tag(data, local.encode())
    end = data.rfind(b"</")
    if start is None or end <= start:
        return None
    try:
        root = parse(data[:start] + data[end:])
    except etree.XMLSyntaxError:
        return None  # the whole file is parsed next, and that error says where
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or next(root.iterchildren(f"{{{namespace}}}{local}"), None) is not None:
        return None  # a DTD may add attributes (namespaces) to what is left; an earlier <local> was not seen
    nsmap = root.nsmap
    written = _START_TAG.match(data, start)
    if written is None:
        return None
    prefix = written.group(1).decode() if written.group(1) else None
    own_declarations = _declarations(data, start)  # the element may declare its own (Bizagi does)
    declared = own_declarations[prefix] if prefix in own_declarations else nsmap.get(prefix)
    if declared != namespace or not _plain_rest(data, start, end, root, tree.docinfo.encoding):
        return None
    own = etree.QName(root).namespace
    if own and _may_hold(data, start, end, own, nsmap, local):
        return None
    encoding = tree.docinfo.encoding or "UTF-8"
    declaration = DECLARATION.match(data)
    decls = "".join(f' xmlns{":" + p if p else ""}="{_escape_attr(u)}"' for p, u in nsmap.items())
    try:
        wrapper = f"<{WRAPPER}{decls}>".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None
    # The declaration keeps the encoding; on one line, so that lines still count from the kept part.
    head = (b" ".join(declaration.group(0).split()) if declaration else b"") + wrapper
    return root, Deferred(data, start, end, head)


def _plain_rest(data: bytes, start: int, end: int, root: etree._Element, encoding: Optional[str]) -> bool:
    """The kept part holds no open comment or CDATA, not the root's end tag, and decodes as the rest did."""
    if data.rfind(b"<!--", start, end) > data.rfind(b"-->", start, end):
        return False
    if data.rfind(b"<![CDATA[", start, end) > data.rfind(b"]]>", start, end):
        return False
    qname = f"{root.prefix}:{etree.QName(root).localname}" if root.prefix else etree.QName(root).localname
    if data.find(b"</" + qname.encode("utf-8", "replace"), start, end) >= 0:
        return False  # the file's real end is in there (a second end tag, or one inside a PI after it)
    return _decodes_as(data, start, end, encoding or "UTF-8")  # else the whole-file reading repairs it


def _decodes_as(data: bytes, start: int, end: int, encoding: str, chunk: int = 1 << 20) -> bool:
    """data[start:end] is valid in `encoding`, checked a megabyte at a time (no copy of a large file)."""
    chunks = range(start, end, chunk)
    if all(data[i:min(i + chunk, end)].isascii() for i in chunks):
        return True
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        for i in chunks:
            decoder.decode(data[i:min(i + chunk, end)])
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


_START_TAG = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)[\s/>]")
_UNPREFIXED_TAG = re.compile(rb"<([A-Za-z_][\w.-]*)[\s/>]")
_NS_DECL_BEFORE = re.compile(rb"""xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*["']\Z""")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _may_hold(data: bytes, start: int, end: int, namespace: str, nsmap: dict, local: str) -> bool:
    """Whether data[start:end], whole children of a root with namespaces `nsmap`, may hold an
    element of `namespace`. Errs on the side of yes (the caller then parses everything)."""
    if _ESCAPED_NS.search(data, start, end):
        return True  # a namespace written with character references: not worth reading by hand
    prefixes = {p for p, u in nsmap.items() if u == namespace and p is not None}
    uri = namespace.encode()
    at = data.find(uri, start, end)
    while at >= 0:  # declared again in there: for a prefix we can recognise, else an answer of yes
        declared = _NS_DECL_BEFORE.search(data, max(start, at - 200), at)
        if declared is None or declared.group(1) is None:
            return True
        prefixes.add(declared.group(1).decode())
        at = data.find(uri, at + len(uri), end)
    for prefix in prefixes:
        if not prefix.isascii() or data.find(b"<" + prefix.encode() + b":", start, end) >= 0:
            return True
    if nsmap.get(None) != namespace:
        return False
    # Unprefixed names would be in `namespace`: only the deferred element's own vocabulary may appear
    # unprefixed (a diagram that declares its own default namespace, as Bizagi writes it); the two
    # vocabularies share no name, so nothing of `namespace` can hide behind that.
    allowed = _UNPREFIXED_OK.get(local, frozenset({local.encode()}))
    at = start
    while True:
        tag = _UNPREFIXED_TAG.search(data, at, end)
        if tag is None:
            return False
        if tag.group(1) not in allowed:
            return True
        at = tag.end()


#: Element names of BPMN DI (and DD) that a diagram may write unprefixed under its own default namespace.
#: `extension` (DD's, as Bizagi writes it) is also a BPMN model element, but one without an id that
#: comes before the processes and that the reader never reads.
_UNPREFIXED_OK = {"BPMNDiagram": frozenset({b"BPMNDiagram", b"BPMNPlane", b"BPMNShape", b"BPMNEdge", b"BPMNLabel",
                                            b"BPMNLabelStyle", b"Bounds", b"Font", b"waypoint", b"extension"})}
_ESCAPED_NS = re.compile(rb"""xmlns[^=>\s]*\s*=\s*(?:"[^"]*&|'[^']*&)""")


def _declarations(data: bytes, lt: int) -> dict[Optional[str], str]:
    """The namespace declarations written on the start tag at `lt`: prefix (None for the default) -> URI.

    The attributes are read one by one, so a '>' or the text xmlns="..." inside a value fools nothing.
    """
    tag = _START_TAG.match(data, lt)
    found: dict[Optional[str], str] = {}
    at = tag.end(2) if tag is not None else len(data)
    while True:
        attribute = _ATTRIBUTE.match(data, at)
        if attribute is None:
            return found
        name, value = attribute.group(1), attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
        if name == b"xmlns" or name.startswith(b"xmlns:"):
            found[name[6:].decode("utf-8", "replace") or None] = value.decode("utf-8", "replace")
        at = attribute.end()


def first_start_tag(data: bytes, local: bytes, start: int = 0, end: Optional[int] = None) -> Optional[int]:
    """Offset of the first start tag `<local` or `<prefix:local` in data[start:end] (a fast find, then a check)."""
    end = len(data) if end is None else end
    at = data.find(local, start, end)
    while at > start:
        lt = data.rfind(b"<", max(start, at - 80), at)
        tag = _START_TAG.match(data, lt) if lt >= 0 else None
        if tag is not None and tag.start(2) == at and tag.end(2) == at + len(local):
            return lt
        at = data.find(local, at + len(local), end)
    return None


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


