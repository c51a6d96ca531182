"""The namespaces of BPMN 2.0 and its diagram interchange, and how names and references are written in them."""

from __future__ import annotations

from typing import Optional

from lxml import etree

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
PROCMAP_NS = "https://procmap.dev/ns/1"
BIOC_NS = "http://bpmn.io/schema/bpmn/biocolor/1.0"  # bpmn.io's colours (bioc:fill, bioc:stroke)
COLOR_NS = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"  # the OMG's (color:background-color, ...)


def clean(text: Optional[str]) -> str:
    """Names as a person reads them: line breaks and runs of blanks become one space."""
    return " ".join(text.split()) if text else ""


def ref(el: etree._Element, value: Optional[str]) -> Optional[str]:
    """Resolve an id reference, dropping a declared namespace prefix (prefix:id)."""
    if not value:
        return None
    value = value.strip()
    if ":" in value:
        prefix, _, rest = value.partition(":")
        if prefix in (el.nsmap or {}):
            return rest
    return value
