"""Safe, forgiving XML loading: the one place that turns bytes into an lxml tree.

Entities are never expanded and nothing is fetched from the network. Files that
are not XML at all (zip, HTML, binary junk) get a plain-language error, and a
file whose bytes do not match its declared encoding is re-read as windows-1252
with a warning, because that is what old Windows tools actually wrote.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
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
    line_offset: int

    def document(self) -> bytes:
        return b"".join((self.prefix, memoryview(self.data)[self.start:self.end], b"</procmap-deferred>"))


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
    rest must not hold anything of the root's namespace, so nothing the reader needs is
    left out. In every other case the caller parses the whole file as usual.
    """
    start = first_start_tag(data, local.encode())
    end = data.rfind(b"</")
    if start is None or end <= start:
        return None
    try:
        root = etree.fromstring(data[:start] + data[end:], _parser())
    except etree.XMLSyntaxError:
        return None  # the whole file is parsed next, and that error says where
    nsmap = root.nsmap
    written = _START_TAG.match(data, start)
    if written is None:
        return None
    if written.group(1):
        declared = nsmap.get(written.group(1).decode())
    else:  # unprefixed: the default namespace, which the element itself may declare (Bizagi does)
        declared = _declared_default(data, start) or nsmap.get(None)
    if declared != namespace:
        return None
    own = etree.QName(root).namespace
    if own and _may_hold(data, start, end, own, nsmap):
        return None
    tree = root.getroottree()
    _refuse_entities(tree, name)
    declaration = _DECL.match(data)
    decls = "".join(f' xmlns{":" + p if p else ""}="{_escape_attr(u)}"' for p, u in nsmap.items())
    prefix = (declaration.group(0) if declaration else b"") + f"<procmap-deferred{decls}>".encode("utf-8")
    return LoadedXml(root=root, name=name, deferred=Deferred(data, start, end, prefix, data.count(b"\n", 0, start)))


_START_TAG = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)[\s/>]")
_UNPREFIXED_TAG = re.compile(rb"<([A-Za-z_][\w.-]*)[\s/>]")
_NS_DECL_BEFORE = re.compile(rb"""xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*["']\Z""")
_DEFAULT_DECL = re.compile(rb"""\sxmlns\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _may_hold(data: bytes, start: int, end: int, namespace: str, nsmap: dict) -> bool:
    """Whether data[start:end], whole children of a root with namespaces `nsmap`, may hold an
    element of `namespace`. Errs on the side of yes (the caller then parses everything)."""
    uri = namespace.encode()
    prefixes = {p.encode() for p, u in nsmap.items() if u == namespace and p is not None}
    at = data.find(uri, start, end)
    while at >= 0:  # declared again in there: as the default (an answer of yes), or for a prefix
        declared = _NS_DECL_BEFORE.search(data, max(start, at - 200), at)
        if declared is not None and declared.group(1) is None:
            return True
        if declared is not None:
            prefixes.add(declared.group(1))
        at = data.find(uri, at + len(uri), end)
    if any(data.find(b"<" + p + b":", start, end) >= 0 for p in prefixes):
        return True
    if nsmap.get(None) != namespace:
        return False
    # Unprefixed names are in `namespace`, except inside an element that declares another default.
    at = start
    while True:
        tag = _UNPREFIXED_TAG.search(data, at, end)
        if tag is None:
            return False
        close = data.find(b"</" + tag.group(1) + b">", tag.end(), end)
        if _declared_default(data, tag.start()) is None or close < 0:
            return True
        at = close


def _declared_default(data: bytes, lt: int) -> Optional[str]:
    """The default namespace a start tag at `lt` declares itself (xmlns="..."), if any."""
    declared = _DEFAULT_DECL.search(data, lt, data.find(b">", lt))
    if declared is None:
        return None
    return (declared.group(1) if declared.group(1) is not None else declared.group(2)).decode("utf-8", "replace")


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
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit "
            "(a process diagram is rarely over 10 MB; raise the limit with --max-size if it is real)",
            source=name,
        )
    return name


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
