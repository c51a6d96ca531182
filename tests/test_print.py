"""Readable in print: the smallest size a task name ends up at on paper, measured in the SVG."""

from __future__ import annotations

import re
from pathlib import Path

import procmap
from lxml import etree
from procmap.render import poster_svg

SAMPLE = Path(__file__).parent.parent / "samples" / "barnehage"
_SCALE = re.compile(r"scale\(([-0-9.e]+)")


def smallest_name_pt(svg: str) -> tuple[float, int]:
    """The smallest font size, in points on paper, of any task name's text, and how many there are."""
    root = etree.fromstring(svg.encode())
    width_units = float(root.get("viewBox").split()[2])
    width_mm = float(root.get("width").removesuffix("mm"))
    pt_per_unit = width_mm / 25.4 * 72 / width_units
    found: list[float] = []

    def walk(el: etree._Element, scale: float, in_task: bool) -> None:
        for factor in _SCALE.findall(el.get("transform") or ""):
            scale *= float(factor)
        classes = (el.get("class") or "").split()
        in_task = in_task or ("node" in classes and "task" in classes)
        if in_task and el.tag.endswith("}text") and "name" in classes:
            found.append(float(el.get("font-size")) * scale * pt_per_unit)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, scale, in_task)

    walk(root, 1.0, False)
    return (min(found) if found else 0.0), len(found)


def test_every_task_name_of_the_sample_prints_at_6_pt_or_more_on_an_a3_poster():
    models = [procmap.read(p) for p in sorted(SAMPLE.glob("*.bpmn"))]
    assert [len(m.tasks) for m in models] == [23, 16, 12]
    result = poster_svg(models, procmap.compare(models), size="A3")
    smallest, names = smallest_name_pt(result.svg)
    assert names >= 51 * 1.5  # every task's name is there (most take two lines or more)
    assert smallest >= 6.0, f"task names print at {smallest:.2f} pt on A3"
    assert abs(result.task_font_pt - smallest) < 0.05  # what the poster says is what is printed
    assert not result.warnings


def test_a_poster_too_small_for_its_stages_says_so():
    models = [procmap.read(p) for p in sorted(SAMPLE.glob("*.bpmn"))]
    result = poster_svg(models, procmap.compare(models), size="A4", orientation="landscape")
    smallest, _ = smallest_name_pt(result.svg)
    assert smallest < 6.0 and any("task names print at" in w for w in result.warnings)


def test_the_report_prints_one_stage_per_page_when_side_by_side_is_too_small():
    from procmap.render.report import PRINT_BOX_MM, report_html

    models = [procmap.read(p) for p in sorted(SAMPLE.glob("*.bpmn"))]
    comparison = procmap.compare(models)
    doc = etree.fromstring(report_html(models, comparison).encode(), etree.HTMLParser())
    pages = doc.xpath("//div[contains(@class, 'stage-page')]")
    assert [p.get("data-stage") for p in pages] == [s.name for s in comparison.stages]
    assert doc.xpath("//section[contains(@class, 'by-stage')]//div[contains(@class, 'all-stages')]")
    for page in pages:
        svg = page.xpath(".//svg")[0]
        w, h = map(float, svg.get("viewbox").split()[2:])
        mm_per_unit = min(PRINT_BOX_MM[0] / w, PRINT_BOX_MM[1] / h)
        names = [float(t.get("font-size")) for t in svg.xpath(".//text[contains(@class, 'name')]")]
        assert names and min(names) * mm_per_unit * 72 / 25.4 >= 6.0, page.get("data-stage")
