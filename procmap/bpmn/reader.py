"""`read`: one entry point for every process file, whatever its format."""

from __future__ import annotations

from typing import Optional

from lxml import etree

from procmap.bpmn import _xml
from procmap._gc import paused as paused_gc
from procmap.bpmn.bpmn20 import is_bpmn, read_bpmn
from procmap.bpmn.names import BPMNDI_NS
from procmap.errors import ReadError
from procmap.bpmn.lite import is_lite, read_lite
from procmap.model.elements import Model

Source = _xml.Source


def read(source: Source, *, stage: Optional[str] = None,
         max_bytes: Optional[int] = _xml.DEFAULT_MAX_BYTES, name: Optional[str] = None) -> Model:
    """Read a BPMN 2.0 export or a BPMN-lite file (path, bytes or binary file object).

    Problems that could be repaired are listed in ``Model.warnings``; anything
    that stops reading raises :class:`procmap.ReadError` with file and line.
    ``max_bytes=None`` lifts the size limit. ``name`` is what messages call bytes or a stream
    (a path names itself).
    """
    with paused_gc():
        # A BPMN file's diagrams are left unparsed until a picture asks for them.
        loaded = _xml.parse(source, max_bytes=max_bytes, defer=(BPMNDI_NS, "BPMNDiagram"), name=name)
        root = loaded.root
        if is_bpmn(root):
            model = read_bpmn(root, loaded.name, loaded.warnings, loaded.deferred)
        elif is_lite(root):
            model = read_lite(root, loaded.name, loaded.warnings)
        else:
            model = None
    if model is None:
        qn = etree.QName(root)
        ns = f" in namespace {qn.namespace}" if qn.namespace else ""
        raise ReadError(f"not a process model: the root element is <{qn.localname}>{ns}; expected BPMN 2.0 "
                        "<definitions> or BPMN-lite <process>", source=loaded.name, line=root.sourceline)
    if stage:
        model.stage = stage
    return model
