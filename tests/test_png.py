"""PNG export: within cairo's and librsvg's size limit, labels below a pixel left out, both renderers."""

from __future__ import annotations

import shutil
import struct

import pytest

import procmap
from procmap.render.export import MAX_PX, prepare_png, svg_to_png

WIDE = ('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="400" viewBox="0 0 100000 400">'
        '<rect x="0" y="0" width="100000" height="400" fill="#ffffff"/>'
        '<rect x="10" y="10" width="99980" height="380" fill="#3366cc"/>'
        '<text x="20" y="200" font-size="2">small</text><text x="20" y="300" font-size="4000">big</text>'
        '<g><title>tooltip</title></g></svg>')


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


RENDERERS = ["cairo"] + (["rsvg"] if shutil.which("rsvg-convert") else [])


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_picture_wider_than_png_allows_is_scaled_down_with_a_note(renderer):
    notes: list[str] = []
    png = svg_to_png(WIDE, renderer=renderer, notes=notes)
    width, height = _size(png)
    assert width == MAX_PX and height == round(400 * MAX_PX / 100000)
    assert notes and "100,000 x 400 px" in notes[0] and "scaled down" in notes[0]


def test_labels_smaller_than_a_pixel_are_left_out_and_the_rest_kept():
    ready, scale, _ = prepare_png(WIDE)
    assert scale == pytest.approx(MAX_PX / 100000)  # 400 px high: the pixel count is not the limit
    assert ">small<" not in ready and ">big<" in ready and "<title>" not in ready
    same, one, notes = prepare_png(WIDE.replace("100000", "1000"))
    assert one == 1.0 and ">small<" in same and not notes


@pytest.mark.skipif(not shutil.which("rsvg-convert"), reason="librsvg2-bin not installed")
def test_both_renderers_draw_a_corpus_picture_at_the_same_size():
    model = procmap.read("tests/corpus/bpmn/bpmn-js/test/fixtures/bpmn/kitchen-sink.bpmn")
    svg = procmap.stage_svg(model)
    assert _size(svg_to_png(svg, renderer="rsvg")) == _size(svg_to_png(svg, renderer="cairo"))
    assert _size(svg_to_png(svg, renderer="auto", width=400))[0] == 400
