"""Safe, forgiving XML loading: the one place that turns bytes into an lxml tree.

Entities are never expanded and nothing is fetched from the network. Files that
are not XML at all (zip, HTML, binary junk) get a plain-language error, and a
file whose bytes do not match its declared encoding is re-read as windows-1252
with a warning, because that is what old Windows tools actually wrote.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Optional, Union

from lxml import etree

from .errors import ReadError

#: Anything `procmap.read` accepts: a path, raw bytes, or an open binary file.
Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Said before parsing (a bomb never reaches libxml2) and, for a DOCTYPE past the first 64 KiB, after it.
_ENTITIES_REFUSED = "declares XML entities in a DOCTYPE; procmap never expands or fetches them (remove the DOCTYPE)"

_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.S)
_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass
class Deferred:
    """Top-level elements left unparsed: the end of a file, from its first element named
    `tag` on, kept as bytes to be parsed when (and if) they are needed.

    ``document()`` is a small XML document of its own: the file's declaration, a wrapper
    element carrying the root's namespace declarations, and the elements, so that line
    L of it is line L + ``line_offset`` of the file.
    """

    data: bytes
    start: int
    end: int
    prefix: bytes

    def document(self) -> bytes:
        return b"".join((self.prefix, memoryview(self.data)[self.start:self.end], b"</procmap-deferred>"))

    @cached_property
    def line_offset(self) -> int:
        """Lines before the kept part, counted only when a warning needs one (as libxml2 counts: line feeds)."""
        return self.data.count(b"\n", 0, self.start)


@dataclass
class LoadedXml:
    root: etree._Element
    name: str
    warnings: list[str] = field(default_factory=list)
    deferred: Optional[Deferred] = None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        collect_ids=False,
    )


def read_bytes(source: Source, max_bytes: Optional[int] = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Return (data, display name) for any accepted source, with clear errors."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "<bytes>"
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        data = source.read()  # type: ignore[union-attr]
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, name
    path = Path(os.fspath(source))
    name = _check_file(path, max_bytes)
    try:
        return path.read_bytes(), name
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror or exc}", source=name) from None


def _sniff(data: bytes, name: str) -> None:
    """Refuse things that are obviously not XML before the parser does, with a better message."""
    if not data.strip():
        raise ReadError("file is empty", source=name)
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        raise ReadError("is a zip archive, not XML (unpack it; a .bpmn export is plain XML)", source=name)
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ReadError("is a PDF or image, not XML (export the model as BPMN 2.0 XML)", source=name)
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"\xff\xfe") or body.startswith(b"\xfe\xff"):
        return  # UTF-16 with BOM: let the parser handle it
    if b"\x00" in head:
        raise ReadError("is binary data, not XML", source=name)
    lowered = body[:200].lower()
    if lowered.startswith(b"<!doctype html") or lowered.startswith(b"<html"):
        raise ReadError("is an HTML page, not BPMN XML (did you save the web page instead of exporting the model?)",
                        source=name)
    if not body.startswith(b"<"):
        raise ReadError("is not XML (it does not start with '<')", source=name)
    doctype = data.find(b"<!DOCTYPE", 0, 65536)
    if doctype >= 0 and b"<!ENTITY" in data[doctype:data.find(b"]>", doctype) + 2 or None]:
        raise ReadError(_ENTITIES_REFUSED, source=name)


def _declared_encoding(data: bytes) -> str:
    match = _DECL.match(data)
    if match:
        enc = _DECL_ENCODING.search(match.group(0))
        if enc:
            return enc.group(1).decode("ascii")
    return "utf-8"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _as_windows_1252(data: bytes) -> bytes:
    """Re-encode bytes read as windows-1252 to UTF-8 and drop the (wrong) declaration."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    body = _DECL.sub(b"", body, count=1)
    return body.decode("cp1252", errors="replace").encode("utf-8")


def _syntax_message(exc: etree.XMLSyntaxError) -> tuple[str, Optional[int], Optional[int]]:
    line, column = (exc.position if getattr(exc, "position", None) else (exc.lineno, None))
    msg = (exc.msg or str(exc)).strip()
    msg = re.sub(r",?\s*line \d+, column \d+$", "", msg)
    if any(s in msg for s in ("Premature end of data", "EndTag: '</' not found", "expected '>'",
                              "Extra content at the end of the document")) or "end of data" in msg.lower():
        msg = f"the XML is broken ({msg}); is the file truncated?"
    else:
        msg = f"the XML is broken: {msg}"
    return msg, line or None, column or None


def parse(source: Source, max_bytes: Optional[int] = DEFAULT_MAX_BYTES, *,
          defer: Optional[tuple[str, str]] = None) -> LoadedXml:
    """Parse a source into an lxml root element, safely, with repairs reported as warnings.

    ``defer=(namespace, local name)``: when the file ends with top-level elements of
    that name (and nothing of the root's own namespace after them), leave them
    unparsed in ``LoadedXml.deferred``. A BPMN file's diagrams are most of its bytes.
    """
    data, name = read_bytes(source, max_bytes)
    _sniff(data, name)
    if defer is not None:
        loaded = _parse_deferring(data, name, *defer)
        if loaded is not None:
            return loaded
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        tree, warnings = _recover(data, name, exc)
    else:
        warnings = []
    _refuse_entities(tree, name)
    root = tree.getroot()
    if root is None:
        raise ReadError("has no root element", source=name)
    return LoadedXml(root=root, name=name, warnings=warnings)


def _parse_deferring(data: bytes, name: str, namespace: str, local: str) -> Optional[LoadedXml]:
    """Parse the file up to its first top-level <local> and keep the rest as bytes; None when unsafe.

    The part before is parsed as a document closed by the file's own end tag; that parse
    only succeeds when the split point is between two children of the root (not inside
    a comment, a CDATA section or a nested element), and a truncated file fails it. The
    rest must be plainly the same XML (same encoding, no open comment or CDATA, the root's
    end tag not inside it) and must not hold anything of the root's namespace, so nothing
    the reader needs is left out. In every other case the caller parses the whole file.
    """
    start = first_start_tag(data, local.encode())
    end = data.rfind(b"</")
    if start is None or end <= start:
        return None
    try:
        root = etree.fromstring(data[:start] + data[end:], _parser())
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
    _refuse_entities(tree, name)
    encoding = tree.docinfo.encoding or "UTF-8"
    declaration = _DECL.match(data)
    decls = "".join(f' xmlns{":" + p if p else ""}="{_escape_attr(u)}"' for p, u in nsmap.items())
    try:
        wrapper = f"<procmap-deferred{decls}>".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None
    # The declaration keeps the encoding; on one line, so that lines still count from the kept part.
    prefix = (b" ".join(declaration.group(0).split()) if declaration else b"") + wrapper
    return LoadedXml(root=root, name=name, deferred=Deferred(data, start, end, prefix))


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


def _path_of(source: Source) -> Optional[Path]:
    if isinstance(source, (bytes, bytearray, memoryview)) or hasattr(source, "read"):
        return None
    return Path(os.fspath(source))  # type: ignore[arg-type]


def _check_file(path: Path, max_bytes: Optional[int]) -> str:
    name = str(path)
    if not path.exists():
        raise ReadError("file not found", source=name)
    if path.is_dir():
        raise ReadError("is a folder, not a file", source=name)
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ReadError(
            f"file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit "
            "(a process diagram is rarely over 10 MB; raise the limit with --max-size if it is real)",
            source=name,
        )
    return name


def _megabytes(size: float) -> str:
    """1.5 MB, 120 MB, 0.001 MB: enough digits to tell two sizes apart."""
    mb = size / 1e6
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.3g} MB"


def _recover(data: bytes, name: str, exc: etree.XMLSyntaxError) -> tuple[etree._ElementTree, list[str]]:
    """A file that is broken only because of its encoding is re-read as windows-1252; else a clear error."""
    declared = _declared_encoding(data)
    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not _decodes(raw, declared) and _decodes(raw, "cp1252"):
        try:
            tree = etree.parse(io.BytesIO(_as_windows_1252(data)), _parser())
        except etree.XMLSyntaxError:
            pass
        else:
            line = _first_bad_line(raw, declared)
            return tree, [f"{name}:{line}: bytes are not valid {declared} as declared; read the file as windows-1252"]
    msg, line, col = _syntax_message(exc)
    raise ReadError(msg, source=name, line=line, column=col) from None


def _first_bad_line(data: bytes, encoding: str) -> int:
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not _decodes(line, encoding):
            return number
    return 1


def _refuse_entities(tree: etree._ElementTree, name: str) -> None:
    """A BPMN file never needs a DTD; entity declarations are a bomb or a data leak."""
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return
    if any(True for _ in dtd.iterentities()):
        raise ReadError(_ENTITIES_REFUSED, source=name)
