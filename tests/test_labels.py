"""No text over another text, no flow through a box or over a text, in procmap's own banded layout.

The tester's complaint: on a poster a flow's name sat on a gateway's name ("nei" on "Komplett?"),
"yes" on "no", a flow ran through "fra Approver" and through boxes. Checked on what is written (the
SVG), over the samples, a before/after pair and every corpus file drawn with procmap's layout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import procmap
from procmap.layout import labels as lb
from procmap.render import stage_svg, stages_svg
from procmap.render.poster import poster_svg

import overlaps
from conftest import CORPUS, SAMPLES

HERE = CORPUS.parent.parent
BEFORE = CORPUS / "bpmn-miwg-test-suite" / "bpmn.io (Camunda Modeler) 18.6.1" / "C.1.0-export.bpmn"
AFTER = HERE / "data" / "labels" / "C.1.0-after.bpmn"
CORPUS_FILES = sorted(CORPUS.rglob("*.bpmn"))


def assert_clear(svg: str) -> None:
    pic = overlaps.read(svg)
    assert overlaps.text_overlaps(pic) == []
    assert overlaps.flows_through_nodes(pic) == []
    assert overlaps.flows_over_text(pic) == []


def stages(kind: str) -> list:
    if kind == "pair":
        return [procmap.read(BEFORE), procmap.read(AFTER)]
    return [procmap.read(p) for p in sorted((SAMPLES / "barnehage").glob(f"*.{kind}"))]


@pytest.mark.parametrize("kind", ["lite.xml", "pair"])
def test_posters_print_no_text_over_text(kind):
    models = stages(kind)
    assert_clear(poster_svg(models, procmap.compare(models, cases_per_year=1000)).svg)


@pytest.mark.parametrize("kind", ["lite.xml", "pair"])
def test_stages_side_by_side_print_no_text_over_text(kind):
    models = stages(kind)
    assert_clear(stages_svg(models, procmap.compare(models), layout="procmap"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_in_procmaps_layout_prints_no_text_over_text(path):
    assert_clear(stage_svg(procmap.read(path), layout="procmap"))


def test_a_name_takes_the_first_free_spot():
    taken = lb.Taken()
    taken.add((0.0, 0.0, 50.0, 20.0))
    spots = [(10.0, 15.0, "start"), (10.0, 40.0, "start")]
    assert lb.place(taken, spots, 20.0, 10.0) == spots[1]
    assert lb.place(taken, spots, 20.0, 10.0) is None  # the second is taken now too


def test_the_checker_sees_text_over_text():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><g transform="translate(10 0)"><text x="0" y="10" '
           'font-size="10">nei</text></g><text x="12" y="12" font-size="10">Komplett?</text></svg>')
    assert overlaps.text_overlaps(overlaps.read(svg)) == [("nei", "Komplett?")]


def test_a_flow_name_cut_to_fit_keeps_the_whole_name_on_hover():
    from lxml import etree

    path = Path(__file__).parent / "corpus" / "bpmn" / "bpmn-miwg-test-suite" / "Reference" / "C.9.0.bpmn"
    model = procmap.read(path)
    root = etree.fromstring(procmap.stage_svg(model, layout="procmap").encode("utf-8"))
    names = {f.id: f.name for f in model.sequence_flows}
    cut = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "flow-name"]
    assert cut
    for g in cut:
        shown = "".join(g.find("{http://www.w3.org/2000/svg}text").itertext())
        whole = g.find("{http://www.w3.org/2000/svg}title").text
        assert whole == " ".join(names[g.get("data-label-of")].split())
        assert shown.endswith("…") and whole.startswith(shown[:-1].rstrip())
