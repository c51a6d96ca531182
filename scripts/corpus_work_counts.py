"""Recount tests/corpus/expected.json's task_counts by the rule "all work counts" (README, "The rules a comparison follows").

An independent reading (stdlib xml.etree, not procmap): per top-level process, the units of
work by BPMN type at any depth: the eight task types, callActivity, and every
subProcess/transaction/adHocSubProcess that holds no activity (the box is the work); a sub-process
that holds activities is a container and its activities count instead (whatever the drawing's
isExpanded says: counting follows the semantics). Run from the repository root: python scripts/corpus_work_counts.py
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MODEL = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
TASKS = {"task", "userTask", "serviceTask", "manualTask", "sendTask", "receiveTask", "scriptTask",
         "businessRuleTask", "callActivity"}
SUBS = {"subProcess", "transaction", "adHocSubProcess"}


def local(tag):
    return tag.split("}")[-1] if isinstance(tag, str) and tag.startswith(MODEL) else None


def counts(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:  # a broken export: read what a recovering parser finds (as procmap does)
        from lxml import etree
        root = etree.parse(str(path), etree.XMLParser(recover=True, huge_tree=True)).getroot()
    out = {}
    for proc in root.findall(MODEL + "process"):
        found = {}

        def walk(el):
            for child in el:
                kind = local(child.tag)
                if kind in TASKS:
                    found[kind] = found.get(kind, 0) + 1
                elif kind in SUBS:
                    if any(local(c.tag) in TASKS | SUBS for c in child):
                        walk(child)
                    else:
                        found[kind] = found.get(kind, 0) + 1
        walk(proc)
        out[proc.get("id")] = found
    return out


def main():
    corpus = Path("tests/corpus")
    expected_path = corpus / "expected.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    for rel, facts in expected["files"].items():
        got = counts(corpus / "bpmn" / rel)
        for proc in facts["processes"]:
            if proc["id"] in got:
                new = got[proc["id"]]
                old = [k for k in proc["task_counts"] if k in new]
                proc["task_counts"] = {k: new[k] for k in [*old, *sorted(set(new) - set(old))]}
    expected["_about"]["task_counts"] = (
        "per process: units of work by BPMN type (scripts/corpus_work_counts.py): task, userTask, serviceTask, "
        "manualTask, sendTask, receiveTask, scriptTask, businessRuleTask and callActivity at any depth, and "
        "subProcess/transaction/adHocSubProcess holding no activity (a sub-process holding activities is a "
        "container: they count instead); task_counts_top_level counts only direct "
        "children of <process> (the eight task types); other_activity_counts counts "
        "subProcess/transaction/adHocSubProcess/callActivity (all depths); zero counts are omitted")
    expected_path.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
