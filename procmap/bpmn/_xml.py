"""Safe, forgiving XML loading: the one place that turns bytes into an lxml tree.

Entities are never expanded and nothing is fetched from the network. Files that
are not XML at all (zip, HTML, binary junk) get a plain-language error, and a
file whose bytes do not match its declared encoding is re-read as windows-1252
with a warning, because that is what old Windows tools actually wrote. On request
the end of a file (a BPMN file's diagrams) is left unparsed: see _defer.py.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional, Union

from lxml import etree

from procmap.bpmn._defer import DECLARATION as _DECL
from procmap.bpmn._defer import Deferred, split
from procmap.errors import ReadError
from procmap.files import shown

#: Anything `procmap.read` accepts: a path, raw bytes, or an open binary file.
Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Said before parsing (a bomb never reaches libxml2) and, for a DOCTYPE past the first 64 KiB, after it.
_ENTITIES_REFUSED = "declares XML entities in a DOCTYPE; procmap never expands or fetches them (remove the DOCTYPE)"

_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


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


def _lenient_parser() -> etree.XMLParser:
    """The same safe parser, going on past errors: used only once every error is a namespace warning."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           remove_comments=True, remove_pis=True, huge_tree=False, collect_ids=False, recover=True)


_NS_WARNINGS = frozenset({etree.ErrorTypes.WAR_NS_URI, etree.ErrorTypes.WAR_NS_URI_RELATIVE})


def fromstring(data: bytes) -> tuple[etree._Element, list[tuple[str, Optional[int]]]]:
    """Parse with the safe parser. A document whose only faults are namespace *warnings* of XML (a
    namespace URI that is not a valid or not an absolute URI, e.g. IBM Process Designer's
    'http://... Process Designer') is read anyway, and those are returned as (message, line).
    Any other fault raises XMLSyntaxError."""
    try:
        return etree.fromstring(data, _parser()), []
    except etree.XMLSyntaxError as exc:
        if exc.code not in _NS_WARNINGS:
            raise
        lenient = _lenient_parser()
        try:
            root = etree.fromstring(data, lenient)
        except etree.XMLSyntaxError:
            raise exc from None
        entries = list(lenient.error_log)
        if root is None or any(e.type not in _NS_WARNINGS for e in entries):
            raise exc from None
        return root, [(e.message.strip(), e.line or None) for e in entries]


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


#: A parser message longer than this is cut: it says what is wrong in its first words.
_MESSAGE_MAX = 200


def _syntax_message(exc: etree.XMLSyntaxError) -> tuple[str, Optional[int], Optional[int]]:
    line, column = (exc.position if getattr(exc, "position", None) else (exc.lineno, None))
    msg = (exc.msg or str(exc)).strip()
    msg = re.sub(r",?\s*line \d+, column \d+$", "", msg)
    msg = " ".join(msg.split())  # libxml2 may quote the offending text over several lines: one line
    if len(msg) > _MESSAGE_MAX:  # ... or kilobytes of it
        msg = msg[:_MESSAGE_MAX - 1].rstrip() + "…"
    if any(s in msg for s in ("Premature end of data", "EndTag: '</' not found", "expected '>'",
                              "Extra content at the end of the document")) or "end of data" in msg.lower():
        msg = f"the XML is broken ({msg}); is the file truncated?"
    else:
        msg = f"the XML is broken: {msg}"
    return msg, line or None, column or None


def parse(source: Source, max_bytes: Optional[int] = DEFAULT_MAX_BYTES, *,
          defer: Optional[tuple[str, str]] = None, name: Optional[str] = None) -> LoadedXml:
    """Parse a source into an lxml root element, safely, with repairs reported as warnings.

    ``defer=(namespace, local name)``: when the file ends with top-level elements of
    that name (and nothing of the root's own namespace after them), leave them
    unparsed in ``LoadedXml.deferred``. A BPMN file's diagrams are most of its bytes.
    """
    data, found = read_bytes(source, max_bytes)
    name = name if name and not isinstance(source, (str, os.PathLike)) else found
    _sniff(data, name)
    if defer is not None:
        parts = split(data, *defer, parse=lambda head: etree.fromstring(head, _parser()))
        if parts is not None:
            root, deferred = parts
            _refuse_entities(root.getroottree(), name)
            return LoadedXml(root=root, name=name, deferred=deferred)
    try:
        root, found = fromstring(data)
        tree = root.getroottree()
    except etree.XMLSyntaxError as exc:
        tree, warnings = _recover(data, name, exc)
    else:
        warnings = [f"{name}:{line}: {message} (a namespace warning in XML); read anyway" if line else
                    f"{name}: {message} (a namespace warning in XML); read anyway" for message, line in found]
    _refuse_entities(tree, name)
    root = tree.getroot()
    if root is None:
        raise ReadError("has no root element", source=name)
    return LoadedXml(root=root, name=name, warnings=warnings)


def _path_of(source: Source) -> Optional[Path]:
    if isinstance(source, (bytes, bytearray, memoryview)) or hasattr(source, "read"):
        return None
    return Path(os.fspath(source))  # type: ignore[arg-type]


def _check_file(path: Path, max_bytes: Optional[int]) -> str:
    name = shown(path)  # a file name that is not valid UTF-8 is shown with \xNN, and prints and serialises
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
