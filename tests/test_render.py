"""Pictures, checked for real: valid SVG/PDF/PNG, names present, the right tasks highlighted,
page sizes as asked, every corpus file drawn, bad arguments refused early."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

import procmap
from procmap.compare.result import Comparison, RoleStage, Settings, Stage, TaskChange
from procmap.render import chart_svg, draw, poster, report_html, stage_svg, stages_svg
from procmap.layout import text as tx
from procmap.render.poster import PAPER_MM, poster_svg
from procmap.layout import banded_scene, model_bands

from conftest import CORPUS, SAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from synth import lite_text  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
BARNEHAGE = SAMPLES / "barnehage"
CORPUS_FILES = sorted(CORPUS.rglob("*.bpmn"))


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))


def all_text(root: etree._Element) -> str:
    return " ".join(" ".join(t.itertext()) for t in root.iter(SVG + "text"))


@pytest.fixture(scope="module")
def lite_models():
    return [procmap.read(p) for p in sorted(BARNEHAGE.glob("*.lite.xml"))]


@pytest.fixture(scope="module")
def bpmn_models():
    return [procmap.read(p) for p in sorted(BARNEHAGE.glob("*.bpmn"))]


@pytest.fixture(scope="module")
def comparison(lite_models):
    return procmap.compare(lite_models, cases_per_year=250)


def tiny_comparison() -> tuple[list, Comparison]:
    """Two hand-written stages and a hand-written Comparison (no compare code involved)."""
    a = procmap.read(b"""<process name="Tiny" stage="before"><lane name="Clerk">
        <start id="s"/><task id="keep" name="Keep me"/><task id="gone" name="Remove me"/>
        <task id="mv" name="Move me"/><end id="e"/></lane><lane name="Boss"><task id="ok" name="Approve"/></lane>
        </process>""")
    b = procmap.read(b"""<process name="Tiny" stage="after"><lane name="Clerk">
        <start id="s"/><task id="keep" name="Keep me"/><end id="e"/></lane>
        <lane name="Robot"><task id="new" name="New robot step" kind="service"/><task id="mv" name="Move me"/></lane>
        </process>""")
    roles = ["Clerk", "Boss", "Robot"]

    def rs(model, role, tasks, present=True):
        ids = [r.id for r in model.roles if r.name == role]
        return RoleStage(role=role, present=present, lane_ids=ids, tasks=tasks)

    stages = [
        Stage(name="before", source="a", tasks=4, roles=[rs(a, "Clerk", 3), rs(a, "Boss", 1), rs(a, "Robot", 0, False)]),
        Stage(name="after", source="b", tasks=3, roles=[rs(b, "Clerk", 1), rs(b, "Boss", 0, False), rs(b, "Robot", 2)]),
    ]
    changes = [
        TaskChange(from_stage="before", to_stage="after", change="kept", role="Clerk", before_id="keep", after_id="keep"),
        TaskChange(from_stage="before", to_stage="after", change="removed", role="Clerk", before_id="gone",
                   name_before="Remove me"),
        TaskChange(from_stage="before", to_stage="after", change="removed", role="Boss", before_id="ok",
                   name_before="Approve"),
        TaskChange(from_stage="before", to_stage="after", change="moved", role="Clerk", role_after="Robot",
                   before_id="mv", after_id="mv", name_before="Move me", name_after="Move me"),
        TaskChange(from_stage="before", to_stage="after", change="added", role="Robot", after_id="new",
                   name_after="New robot step"),
    ]
    return [a, b], Comparison(roles=roles, stages=stages, changes=changes, savings=[], settings=Settings(),
                              effort_known=False)


def marked(root: etree._Element, index: int, kind: str) -> set[str]:
    stage = root.find(f".//{SVG}g[@class='stage'][@data-index='{index}']")
    assert stage is not None
    return {g.get("data-node-id") for g in stage.iter(SVG + "g")
            if g.get("data-node-id") and kind in (g.get("data-change") or "").split()}


def expected(comparison: Comparison, index: int, kind: str) -> set[str]:
    names = [s.name for s in comparison.stages]
    out = set()
    for c in comparison.changes:
        if kind in ("removed", "moved") and index + 1 < len(names) and (c.from_stage, c.to_stage) == (
                names[index], names[index + 1]) and c.change == kind:
            out.add(c.before_id)
        if kind == "added" and index > 0 and (c.from_stage, c.to_stage) == (names[index - 1], names[index]) \
                and c.change == "added":
            out.add(c.after_id)
        if kind == "moved_in" and index > 0 and (c.from_stage, c.to_stage) == (names[index - 1], names[index]) \
                and c.change == "moved":
            out.add(c.after_id)
    return out


# -- one stage ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["1-manual.lite.xml", "1-manual.bpmn", "3-integrert.lite.xml"])
def test_stage_svg_has_every_role_and_task(name):
    model = procmap.read(BARNEHAGE / name)
    root = parse(stage_svg(model))
    text = all_text(root)
    for role in model.roles:
        assert role.name in text
    drawn = {g.get("data-node-id") for g in root.iter(SVG + "g") if g.get("data-node-id")}
    assert {n.id for n in model.nodes} == drawn
    assert "ø" in text and "å" in text  # Norwegian letters come through as text


def test_banded_layout_puts_nodes_in_their_role_band(lite_models):
    model = lite_models[0]
    scene = banded_scene(model, model_bands(model))
    bands = {b.key: b for b in scene.bands}
    assert [b.label for b in scene.bands] == [r.name for r in model.roles]
    for item in scene.nodes:
        band = bands[model.role_of(item.node).id]
        assert band.y <= item.y and item.y + item.h <= band.y + band.h
    # flow left to right: every forward sequence flow goes to a node that is not left of its source
    pos = {i.node.id: i for i in scene.nodes}
    assert pos["start"].x < pos["fyll"].x < pos["motta"].x < pos["punch"].x < pos["vedtak"].x


def test_no_two_shapes_overlap_in_banded_layout(lite_models):
    for model in lite_models:
        items = banded_scene(model, model_bands(model)).nodes
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                assert (a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y), \
                    (a.node.id, b.node.id)


def test_task_names_fit_their_boxes(lite_models):
    root = parse(stage_svg(lite_models[0]))
    for g in root.iter(SVG + "g"):
        if g.get("data-type") in ("task", "userTask", "manualTask", "serviceTask"):
            box = g.find(SVG + "rect")
            width = float(box.get("width"))
            for t in g.iter(SVG + "text"):
                assert tx.width(t.text, float(t.get("font-size"))) <= width - 4, t.text


def test_fit_never_overflows():
    names = ["Kontroller adresse i folkeregisteret", "Arbeidsmiljøforskriftsbestemmelsesoversikten", "",
             "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 5, "Søknad – «ny» æøå ÆØÅ"]
    for name in names:
        for w, h in ((100, 60), (40, 20), (300, 14), (10, 10)):
            size, lines = tx.fit(name, w, h, 14, 7)
            assert len(lines) * size * tx.LINE_HEIGHT <= h + 0.01
            assert all(tx.width(line, size) <= w + 0.01 for line in lines)


def test_text_is_escaped():
    model = procmap.read(b'<process name="x"><lane name="A &amp; &lt;B&gt;"><task id="t" name="&lt;script&gt; &amp; &quot;q&quot;"/>'
                         b"</lane></process>")
    root = parse(stage_svg(model))
    assert "<script> & \"q\"" in all_text(root) or "<script>" in all_text(root)


def test_changes_argument_marks_exactly_those_nodes(lite_models):
    root = parse(stage_svg(lite_models[0], changes={"fyll": "removed", "les": ["added", "removed"]}))
    assert {g.get("data-node-id") for g in root.iter(SVG + "g") if "removed" in (g.get("data-change") or "")} \
        == {"fyll", "les"}
    with pytest.raises(ValueError):
        stage_svg(lite_models[0], changes={"fyll": "exploded"})


def test_automated_tasks_have_their_own_style(lite_models):
    root = parse(stage_svg(lite_models[2]))
    automated = {g.get("data-node-id") for g in root.iter(SVG + "g") if g.get("data-automated") == "true"}
    assert automated == {n.id for n in lite_models[2].tasks if n.automated}
    assert "send" in automated


def test_dot_layout_with_graphviz(lite_models):
    assert shutil.which("dot"), "Graphviz dot is part of the set-up (README, .ci/run)"
    root = parse(stage_svg(lite_models[0], layout="dot"))
    assert len([g for g in root.iter(SVG + "g") if g.get("data-node-id")]) == len(lite_models[0].nodes)


def test_the_dot_text_is_written_without_the_graphviz_package(lite_models):
    from procmap.layout.dot import dot_columns, dot_source

    # The same text graphviz.Digraph wrote for these attributes (the package is no longer a dependency).
    assert dot_source(3, [(0, 1), (1, 2), (0, 2)]) == (
        'digraph {\n\tgraph [nodesep=0.15 rankdir=LR ranksep=0.3]\n'
        '\tnode [fixedsize=true height=0.5 label="" shape=box width=1]\n'
        '\tn0\n\tn1\n\tn2\n\tn0 -> n1\n\tn1 -> n2\n\tn0 -> n2\n}\n')
    nodes = lite_models[0].nodes[:4]
    ids = [n.id for n in nodes]
    # a chain with a shortcut, a self-loop and an edge to a node not laid out: dot gives 0, 1, 2 and the branch 1
    edges = [(ids[0], ids[1]), (ids[1], ids[2]), (ids[0], ids[2]), (ids[0], ids[3]), (ids[2], ids[2]),
             (ids[2], "elsewhere")]
    assert dot_columns(nodes, edges) == {ids[0]: 0, ids[1]: 1, ids[2]: 2, ids[3]: 1}


# -- the corpus ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_file_draws(path):
    model = procmap.read(path)
    svg = stage_svg(model)
    root = parse(svg)
    drawn = {g.get("data-node-id") for g in root.iter(SVG + "g") if g.get("data-node-id")}
    if model.has_geometry:
        assert drawn == {n.id for n in model.nodes if model.geometry.bounds(n.id) is not None}
    else:
        assert drawn == {n.id for n in model.nodes if n.parent_id is None}
    png = draw(model)._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_corpus_count():
    assert len(CORPUS_FILES) == 35


def test_vertical_lanes_are_drawn_vertical():
    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Reference/A.4.1.bpmn")
    root = parse(stage_svg(model))
    lanes = [g for g in root.iter(SVG + "g") if g.get("class") == "lane"]
    assert lanes
    for g in lanes:
        rect = g.find(SVG + "rect")
        assert float(rect.get("height")) > float(rect.get("width"))  # tall lanes, as drawn


@pytest.mark.parametrize("rel, count", [
    ("bpmn-miwg-test-suite/Reference/C.4.0.bpmn", 4),  # four pools in four diagrams
    ("bpmn-miwg-test-suite/Bizagi Modeler 2.8.0.8/B.2.0-roundtrip.bpmn", 5),  # unnamed pools drawn over others
])
def test_pools_drawn_on_top_of_each_other_are_drawn_apart(rel, count):
    model = procmap.read(CORPUS / rel)
    root = parse(stage_svg(model))
    pools = []
    for g in root.iter(SVG + "g"):
        if "pool" in (g.get("class") or "").split():
            r = g.find(SVG + "rect")
            pools.append(tuple(float(r.get(k)) for k in ("x", "y", "width", "height")))
    assert len(pools) == count
    for i, a in enumerate(pools):
        for b in pools[i + 1:]:
            assert a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1] or a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]


# -- side by side ------------------------------------------------------------------------------------

@pytest.mark.parametrize("arrange", ["columns", "rows"])
def test_highlights_are_the_comparisons_changes(lite_models, comparison, arrange):
    root = parse(stages_svg(lite_models, comparison, arrange=arrange))
    for i in range(len(lite_models)):
        for kind in ("removed", "added", "moved", "moved_in"):
            assert marked(root, i, kind) == expected(comparison, i, kind), (i, kind)
    assert marked(root, 0, "removed") == {"hent_skjema", "vedlegg", "post", "stemple", "skann", "hent_mappe",
                                          "adresse"}  # FACTS.md
    assert marked(root, 2, "added") == {"arkiver_soknad", "opprett_sak", "melding_mangel", "journal_vedtak",
                                        "kvalitet"}


def test_highlights_on_a_hand_made_comparison():
    models, comparison = tiny_comparison()
    root = parse(stages_svg(models, comparison))
    assert marked(root, 0, "removed") == {"gone", "ok"}
    assert marked(root, 0, "moved") == {"mv"}
    assert marked(root, 1, "added") == {"new"}
    assert marked(root, 1, "moved_in") == {"mv"}
    assert marked(root, 1, "removed") == set()


@pytest.mark.parametrize("arrange", ["columns", "rows"])
def test_roles_in_the_same_order_in_every_stage(lite_models, comparison, arrange):
    root = parse(stages_svg(lite_models, comparison, arrange=arrange))
    for stage in root.iter(SVG + "g"):
        if stage.get("class") != "stage":
            continue
        order = [g.get("data-role") for g in stage.iter(SVG + "g") if g.get("class") in ("band", "band absent")]
        assert order == comparison.roles
    absent = [g for g in root.iter(SVG + "g") if g.get("class") == "band absent"]
    assert {g.get("data-role") for g in absent} == {"Servicetorget", "Integrasjon"}


def test_side_by_side_from_files_with_geometry(bpmn_models):
    comparison = procmap.compare(bpmn_models)
    root = parse(stages_svg(bpmn_models, comparison))
    assert marked(root, 1, "removed") == expected(comparison, 1, "removed")
    text = all_text(root)
    for role in comparison.roles:
        assert role in text


def test_models_and_stages_must_match(lite_models, comparison):
    with pytest.raises(ValueError):
        stages_svg(lite_models[:2], comparison)
    with pytest.raises(ValueError):
        stages_svg(lite_models, comparison, arrange="diagonal")
    with pytest.raises(ValueError):
        stages_svg(lite_models, comparison, layout="neato")


# -- charts ----------------------------------------------------------------------------------------------

def test_chart_bars_are_the_figures(comparison):
    root = parse(chart_svg(comparison))
    panel = next(g for g in root.iter(SVG + "g") if g.get("data-metric") == "tasks")
    for role_g in panel.iter(SVG + "g"):
        role = role_g.get("data-role")
        if not role:
            continue
        bars = {r.get("data-stage"): float(r.get("data-value")) for r in role_g.iter(SVG + "rect")}
        for stage in comparison.stages:
            rs = next(x for x in stage.roles if x.role == role)
            if rs.present:
                assert bars[stage.name] == rs.tasks
            else:
                assert stage.name not in bars
    assert any(g.get("data-metric") == "hours" for g in root.iter(SVG + "g"))
    assert "Saksbehandler" in all_text(root)


# -- poster --------------------------------------------------------------------------------------------------

def page_size_pt(pdf: Path) -> tuple[float, float]:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
        return float(m.group(1)), float(m.group(2))
    m = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf.read_bytes())
    return float(m.group(1)), float(m.group(2))


@pytest.mark.parametrize("size,orientation", [("A3", "landscape"), ("A1", "portrait"), ("A3", "portrait"),
                                              ("A1", "landscape")])
def test_poster_pdf_has_the_page_size_asked(lite_models, comparison, tmp_path, size, orientation):
    out = tmp_path / "poster.pdf"
    result = poster(lite_models, comparison, out, size=size, orientation=orientation)
    assert out.read_bytes()[:5] == b"%PDF-"
    w, h = page_size_pt(out)
    short, long_ = (PAPER_MM[size][0] * 72 / 25.4, PAPER_MM[size][1] * 72 / 25.4)
    expect = (long_, short) if orientation == "landscape" else (short, long_)
    assert abs(w - expect[0]) < 1 and abs(h - expect[1]) < 1
    assert result.size == size and result.orientation == orientation


def test_poster_svg_names_every_role_and_stage(lite_models, comparison, tmp_path):
    out = tmp_path / "poster.svg"
    poster(lite_models, comparison, out, title="Barnehage", subtitle="Tre trinn", orientation="landscape")
    root = parse(out.read_text(encoding="utf-8"))
    assert root.get("width") == "420mm" and root.get("height") == "297mm"
    text = all_text(root).casefold()
    for role in comparison.roles:
        assert role.casefold() in text
    # procmap's own stage words are said in the poster's language
    assert [s.name for s in comparison.stages] == ["manual", "e-form", "integrated"]
    for word in ("manuell", "e-skjema", "integrert"):
        assert word in text
    assert "manual" not in text and "integrated" not in text
    assert "barnehage" in text and "tre trinn" in text
    for i in range(3):
        for kind in ("removed", "added"):
            assert marked(root, i, kind) == expected(comparison, i, kind)
    # the key figures in large type: Saksbehandler 11 -> 3 manual tasks (+ 1 automated step) and its hours
    fig = next(g for g in root.iter(SVG + "g") if g.get("class") == "key-figure" and g.get("data-role") == "Saksbehandler")
    sizes = {t.text: float(t.get("font-size")) for t in fig.iter(SVG + "text")}
    assert sizes["3"] >= 30
    assert any("321" in (t or "") for t in sizes)  # (109.67 - 32.67) min x 250 cases / 60
    # the changes called out, grouped under role names written in full (never cut to "Saksb…")
    called = [g for g in root.iter(SVG + "g") if g.get("class") == "change"]
    roles = ["".join(g.itertext()) for g in called if g.get("data-kind") == "role"]
    assert roles and set(roles) <= set(comparison.roles)
    shown = {g.get("data-node-id") for g in called if g.get("data-kind") in ("removed", "added", "moved")}
    changed = {c.before_id if c.change in ("removed", "moved") else c.after_id for c in comparison.changes
               if c.change in ("removed", "added", "moved")}
    assert shown and shown <= changed


def test_poster_png(lite_models, comparison, tmp_path):
    out = tmp_path / "poster.png"
    poster(lite_models, comparison, out, size="A3", dpi=50, lang="en", orientation="landscape")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert abs(width - 420 / 25.4 * 50) <= 2 and abs(height - 297 / 25.4 * 50) <= 2


def test_poster_in_english(lite_models, comparison):
    text = all_text(parse(poster_svg(lite_models, comparison, lang="en").svg))
    assert "The road to a simpler day" in text and "tasks" in text and "instead of 11" in text


@pytest.mark.parametrize("kwargs", [{"size": "B5"}, {"orientation": "sideways"}, {"lang": "de"},
                                    {"theme": "neon"}, {"theme": {"bogus": "#fff"}}, {"max_tasks": 0},
                                    {"layout": "circo"}, {"dpi": 0}, {"title": 5}])
def test_poster_refuses_bad_arguments(lite_models, comparison, tmp_path, kwargs):
    with pytest.raises(ValueError):
        poster(lite_models, comparison, tmp_path / "p.pdf", **kwargs)
    assert not (tmp_path / "p.pdf").exists()


def test_poster_refuses_unknown_suffix(lite_models, comparison, tmp_path):
    with pytest.raises(ValueError):
        poster(lite_models, comparison, tmp_path / "p.docx")


def test_poster_of_three_stages_of_50_tasks_is_drawn_in_full(tmp_path):
    models = [procmap.read(lite_text(50, 4, seed).encode()) for seed in (1, 2, 3)]
    comparison = procmap.compare(models, cases_per_year=100)
    result = poster(models, comparison, tmp_path / "p.svg")  # its speed is measured in bench/bench_render.py
    root = parse((tmp_path / "p.svg").read_text(encoding="utf-8"))
    drawn = {g.get("data-node-id") for g in root.iter(SVG + "g") if g.get("data-node-id")}
    assert {t.id for m in models for t in m.tasks} <= drawn  # drawn in full, not summarised
    assert not result.summarised


def test_too_big_stages_are_summarised(tmp_path):
    models = [procmap.read(lite_text(n, 4, seed).encode()) for n, seed in ((400, 1), (120, 2))]
    comparison = procmap.compare(models)
    result = poster(models, comparison, tmp_path / "p.svg", max_tasks=150)
    assert result.summarised
    assert any("400" in w and ("summar" in w or "samlet" in w) for w in result.warnings)
    root = parse(result.svg)
    assert [g for g in root.iter(SVG + "g") if g.get("class") == "summary"]
    assert not [g for g in root.iter(SVG + "g") if (g.get("class") or "").startswith("node ")]


# -- report ---------------------------------------------------------------------------------------------------

def test_report_is_self_contained_html(lite_models, comparison):
    page = report_html(lite_models, comparison, lang="en")
    doc = lxml_html.fromstring(page)
    assert doc.findall(".//svg") or "<svg" in page
    for bad in ("<script", "<link", "src=\"http", "url(http", "@import"):
        assert bad not in page
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    text = doc.text_content()
    for role in comparison.roles:
        assert role in text
    for stage in comparison.stages:
        assert stage.name.capitalize() in text
    changes = doc.xpath("//li[contains(@class, 'removed')]/@data-node-id")
    assert set(changes) == {c.before_id for c in comparison.changes if c.change == "removed"}
    assert "@media print" in page


# -- notebook object and CLI ------------------------------------------------------------------------------------

def test_diagram_object(tmp_path):
    d = procmap.draw(BARNEHAGE / "2-eskjema.lite.xml")
    assert d._repr_svg_().lstrip().startswith("<?xml")
    assert d._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = d.save(tmp_path / "x.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ValueError):
        d.save(tmp_path / "x.jpg")


def test_public_names_are_sorted():
    assert procmap.__all__ == sorted(procmap.__all__)
    for name in ("draw", "poster", "report_html", "stage_svg", "stages_svg", "chart_svg", "Diagram"):
        assert name in procmap.__all__


def run_cli(*args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "procmap", *args], capture_output=True, text=True, cwd=root)


def test_cli_draw(tmp_path):
    out = tmp_path / "manual.png"
    done = run_cli("draw", str(BARNEHAGE / "1-manual.lite.xml"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    done = run_cli("draw", str(BARNEHAGE / "1-manual.lite.xml"), "-o", str(tmp_path / "x.gif"))
    assert done.returncode == 2 and "procmap:" in done.stderr and "Traceback" not in done.stderr


def test_cli_poster(tmp_path):
    out = tmp_path / "poster.pdf"
    files = [str(p) for p in sorted(BARNEHAGE.glob("*.lite.xml"))]
    done = run_cli("poster", *files, "-o", str(out), "--size", "A1", "--orientation", "portrait", "--lang", "en")
    assert done.returncode == 0, done.stderr
    w, h = page_size_pt(out)
    assert abs(w - 594 * 72 / 25.4) < 1 and abs(h - 841 * 72 / 25.4) < 1


def test_cli_poster_bad_size(tmp_path):
    files = [str(p) for p in sorted(BARNEHAGE.glob("*.lite.xml"))]
    done = run_cli("poster", *files, "-o", str(tmp_path / "p.pdf"), "--size", "Letter")
    assert done.returncode == 2 and "size" in done.stderr


def test_cli_poster_takes_the_compare_options(tmp_path):
    """The poster shares compare's options: --stages, --cases, --rates reach the figures on the page."""
    out = tmp_path / "p.svg"
    files = [str(p) for p in sorted(BARNEHAGE.glob("*.lite.xml"))]
    done = run_cli("poster", *files, "-o", str(out), "--cases", "250", "--rates", str(BARNEHAGE / "rates.csv"),
                   "--stages", "Papir,Nettskjema,Heldigital", "--lang", "en")
    assert done.returncode == 0, done.stderr
    text = all_text(parse(out.read_text(encoding="utf-8")))
    assert "321 hours a year saved" in text  # Saksbehandler: (109.67 - 32.67) min x 250 cases / 60 (PERT of FACTS)
    for stage in ("Papir", "Nettskjema", "Heldigital"):
        assert stage in text


def test_cli_draw_says_on_stderr_what_the_picture_leaves_out(tmp_path):
    from typer.testing import CliRunner

    from procmap.cli import app

    path = CORPUS / "bpmn-miwg-test-suite/Trisotech Workflow Modeler 12.6.3/C.8.0-export.bpmn"
    model = procmap.read(path)
    missing = sum(1 for n in model.nodes if model.geometry.bounds(n.id) is None)
    result = CliRunner().invoke(app, ["draw", str(path), "-o", str(tmp_path / "c8.svg"), "--lang", "en"])
    assert result.exit_code == 0 and missing > 0
    assert f"note: {path}: {missing} elements without a position in the diagram are not drawn" in result.output


def test_a_second_diagram_inside_the_first_is_drawn_below_it():
    """Trisotech draws the inside of a sub-process as a second diagram at the same place as the pool."""
    from procmap.layout import di_scene

    model = procmap.read(CORPUS / "bpmn-miwg-test-suite/Trisotech Workflow Modeler 12.6.3/C.5.0-export.bpmn")
    geo = model.geometry
    assert {geo.diagram(n.id) for n in model.nodes if geo.bounds(n.id)} == {0, 1}
    scene = di_scene(model)
    first = [(i.y, i.y + i.h) for i in scene.lanes] + [(i.y, i.y + i.h) for i in scene.nodes
                                                       if geo.diagram(i.node.id) == 0]
    second = [(i.y, i.y + i.h) for i in scene.nodes if geo.diagram(i.node.id) == 1]
    assert second and min(top for top, _ in second) > max(bottom for _, bottom in first)
    assert any("several diagrams" in note for note in scene.notes)


def test_a_portrait_poster_keeps_every_key_figure_and_ends_its_change_list_cleanly(lite_models, comparison, tmp_path):
    from procmap.render.poster import key_figures
    from procmap.render.draw import Painter

    out = tmp_path / "portrait.svg"
    poster(lite_models, comparison, out, size="A1", orientation="portrait")
    root = parse(out.read_text(encoding="utf-8"))
    cards = [g.get("data-role") for g in root.iter(SVG + "g") if g.get("class") == "key-figure"]
    assert cards == [f.role for f in key_figures(comparison, Painter(None, "nb"))] and len(cards) == 6
    called = [g for g in root.iter(SVG + "g") if g.get("class") == "change"]
    kinds = [g.get("data-kind") for g in called]
    # a role's name is always followed by at least one of its changes (renames and kind changes count too)
    listed = ("removed", "added", "moved", "kind_changed", "renamed")
    assert all(nxt in listed for kind, nxt in zip(kinds, kinds[1:] + ["end"]) if kind == "role")
    shown = sum(k in listed for k in kinds)
    total = sum(c.change in listed for c in comparison.changes)
    more = [int(t.text.split()[2]) for t in root.iter(SVG + "text") if (t.text or "").startswith("… og ")]
    assert shown + sum(more) == total


def test_the_poster_sets_a_change_of_kind_apart_from_the_task_s_name(lite_models, comparison):
    """«Motta søknaden: for hånd → på skjerm», the kinds in the muted tail, not run into the name (even one cut)."""
    root = parse(poster_svg(lite_models, comparison, size="A1").svg)
    rows = [[t.text for t in g.iter(SVG + "text")] for g in root.iter(SVG + "g")
            if g.get("class") == "change" and g.get("data-kind") == "kind_changed"]
    assert rows and all(len(texts) == 2 and texts[0].endswith(":") and " → " in texts[1] for texts in rows)
    assert any(texts[0].endswith("…:") for texts in rows)  # a name cut short keeps its colon


def test_names_of_a_megabyte_are_cut_in_linear_time():
    """Cutting and wrapping measure each character once: ten times the text costs about ten times, not a
    hundred (the old cut re-measured the whole line after every character: a 60 KB name took minutes)."""
    import time

    def cost(n):
        start = time.perf_counter()
        tx.ellipsize("x" * n, 100, 10)
        tx.fit("ab" * (n // 2), 100, 40, 10)
        tx.fit("word " * (n // 5), 100, 40, 10)
        return time.perf_counter() - start

    cost(1000)
    small, large = min(cost(20_000) for _ in range(3)), min(cost(200_000) for _ in range(3))
    assert large < 30 * small  # linear is 10x; quadratic would be 100x
    assert tx.ellipsize("x" * 60_000, 100, 10).endswith("…")
