"""All stages of a comparison in one picture, roles in the same order and at the same height.

As columns (stages next to each other: a role is one row across the picture, with
its task count at the end of each stage) or as rows (stages one under the other),
chosen by which gives the bigger picture in the space at hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from procmap.errors import RenderError
from procmap.compare.result import Comparison, Stage
from procmap.model.elements import Model
from procmap.render import svg as sv
from procmap.layout import text as tx
from procmap.render.draw import LAYOUTS, Painter, legend, no_gc, note_lines, require_drawing, used_kinds
from procmap.render.marks import Mark, stage_marks, with_system_tasks
from procmap.layout import (SIZES, BandSpec, Scene, Sizes, banded_scene, natural_heights, summary_scene,
                            transplant_scene)
from procmap.render.theme import Theme, stage_colour
from procmap.words import minutes, number, stage_label

ARRANGEMENTS = ("auto", "columns", "rows")
DEFAULT_MAX_TASKS = 150


def stage_header_h(sizes: Sizes) -> float:
    """Height of the strip above each stage: colour bar, stage name, totals."""
    return 7 + sizes.stage_font * 1.05 + sizes.stage_font * 0.6 * 1.45 + 10
STAGE_GAP = 26.0


@dataclass
class Block:
    """A piece of SVG with its size, to place with translate/scale."""

    body: str
    width: float
    height: float
    notes: list[str] = field(default_factory=list)
    arrangement: str = ""
    kinds: set[str] = field(default_factory=set)
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)  # each stage: x, y, w, h
    summarised: bool = False


def check_inputs(models: Sequence[Model], comparison: Comparison) -> None:
    if not isinstance(comparison, Comparison):
        raise ValueError("comparison must be a procmap Comparison (from procmap.compare)")
    if not models or not all(isinstance(m, Model) for m in models):
        raise ValueError("models must be a list of procmap Models, one per stage")
    if len(models) != len(comparison.stages):
        raise ValueError(f"{len(models)} models but the comparison has {len(comparison.stages)} stages; "
                         "give one model per stage, in the same order")
    if not comparison.roles:
        raise RenderError("the stages hold no role with any work in it: there is nothing to draw "
                          "(`procmap inspect FILE` shows what each file holds)")


def role_stages(comparison: Comparison, stage: Stage) -> list:
    """The stage's RoleStage for each role of the comparison, in the comparison's order."""
    by_name = {rs.role: rs for rs in stage.roles}
    out = []
    for role in comparison.roles:
        out.append(by_name.get(role))
    return out


def stage_specs(comparison: Comparison, index: int) -> list[BandSpec]:
    stage = comparison.stages[index]
    specs = []
    for role, rs in zip(comparison.roles, role_stages(comparison, stage)):
        if rs is None:
            specs.append(BandSpec(key=role, label=role, present=False, tasks=0))
        else:
            specs.append(BandSpec(key=role, label=role, role_ids=list(rs.lane_ids), present=rs.present,
                                  tasks=rs.tasks, automated=rs.automated, minutes=rs.minutes))
    return specs


def needs_summary(models: Sequence[Model], max_tasks: int) -> list[int]:
    """Indexes of the stages with more tasks than a readable picture can hold."""
    return [i for i, m in enumerate(models) if len(m.tasks) > max_tasks]


def _summary_lines(painter: Painter, spec: BandSpec) -> list[str]:
    tx_ = painter.tx
    lines = [(tx_["n_task"] if spec.tasks == 1 else tx_["n_tasks"]).format(n=number(spec.tasks or 0,
                                                                                         painter.lang))]
    if spec.automated:
        lines.append(tx_["n_automated"].format(n=number(spec.automated, painter.lang)))
    if spec.minutes is not None:
        lines.append(tx_["minutes_per_case"].format(m=minutes(spec.minutes, painter.lang)))
    return lines


def stage_scenes(models: Sequence[Model], comparison: Comparison, painter: Painter, *, layout: str = "auto",
                 summarise: Optional[bool] = None, max_tasks: int = DEFAULT_MAX_TASKS,
                 sizes: Sizes = SIZES, align: bool = True, compact: bool = False,
                 fold: Optional[int] = None) -> tuple[list[Scene], list[str]]:
    """One scene per stage, bands in the comparison's role order (and, with `align`, each role's
    band as tall in every stage, so that stages side by side line up)."""
    check_inputs(models, comparison)
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    if isinstance(max_tasks, bool) or not isinstance(max_tasks, int) or max_tasks < 1:
        raise ValueError("max_tasks must be a positive whole number")
    notes: list[str] = []
    big = needs_summary(models, max_tasks)
    summary = bool(big) if summarise is None else bool(summarise)
    if summary:
        for i in (big or range(len(models))):
            notes.append(painter.tx["summary_note"].format(stage=stage_label(comparison.stages[i].name, painter.lang),
                                                           n=number(len(models[i].tasks), painter.lang)))
    specs = [stage_specs(comparison, i) for i in range(len(models))]

    for model in models:
        require_drawing(model, layout)

    def make(i: int, heights: Optional[dict[str, float]]) -> Scene:
        model = models[i]
        if summary:
            return summary_scene(model, specs[i], sizes=sizes, min_heights=heights, header=False,
                                 lines_for=[_summary_lines(painter, sp) for sp in specs[i]])
        if layout in ("auto", "di") and model.has_geometry and not compact:
            scene = transplant_scene(model, specs[i], sizes=sizes, min_heights=heights, header=False)
            if scene is not None:
                return scene
        return banded_scene(model, specs[i], sizes=sizes, min_heights=heights, header=False,
                            engine="compact" if compact else "dot" if layout == "dot" else "procmap",
                            unassigned_label=painter.tx["unassigned"], fold=fold)

    scenes = [make(i, None) for i in range(len(models))]
    if align:
        heights = natural_heights(scenes)
        scenes = [make(i, heights) for i in range(len(models))]
    for scene in scenes:
        for note in scene.notes:
            if note not in notes:
                notes.append(note)
    return scenes, notes


def stage_header(painter: Painter, stage: Stage, index: int, x: float, y: float, width: float) -> str:
    t, lang = painter.t, painter.lang
    big = painter.s.stage_font
    small = big * 0.6
    colour = stage_colour(t, index)
    out = [f'<g class="stage-header"{sv.attrs(data_stage=stage.name)}>']
    out.append(sv.rect(x, y, width, 7, fill=colour))
    name = tx.ellipsize(stage_label(stage.name, painter.lang), width - 16, big, True)
    name_y = y + 7 + big * 1.05
    out.append(sv.text(x + 8, name_y, name, big, font_weight="bold", fill=t["title"]))
    parts = [(painter.tx["n_task"] if stage.tasks == 1 else painter.tx["n_tasks"]).format(
        n=number(stage.tasks, lang))]
    if stage.automated:  # automated steps are not manual work: said apart, as in the key figures
        parts[0] += f" ({painter.tx['n_automated'].format(n=number(stage.automated, lang))})"
    if stage.minutes is not None:
        parts.append(painter.tx["minutes_per_case"].format(m=minutes(stage.minutes, lang)))
    sub = tx.ellipsize(" · ".join(parts), width - 16, small)
    out.append(sv.text(x + 8, name_y + small * 1.45, sub, small, fill=t["muted"]))
    out.append("</g>")
    return "".join(out)


def arrangement_sizes(scenes: Sequence[Scene], header_w: float, head_h: float) -> dict[str, tuple[float, float]]:
    """Width and height of the picture as columns (bands lined up) and as rows (natural heights)."""
    ws = [s.width for s in scenes]
    hs = [s.height for s in scenes]
    aligned = sum(natural_heights(scenes).values())
    columns = (header_w + sum(ws) + STAGE_GAP * (len(ws) - 1), head_h + aligned)
    rows = (header_w + max(ws), sum(hs) + head_h * len(hs) + STAGE_GAP * (len(hs) - 1))
    return {"columns": columns, "rows": rows}


def choose_arrangement(scenes: Sequence[Scene], header_w: float, head_h: float, box_w: float, box_h: float) -> str:
    """The arrangement that gives the larger scale in a box (columns when equal)."""
    best, best_scale = "columns", -1.0
    for name, (w, h) in arrangement_sizes(scenes, header_w, head_h).items():
        scale = min(box_w / w, box_h / h)
        if scale > best_scale * 1.0001:
            best, best_scale = name, scale
    return best


def compose(models: Sequence[Model], comparison: Comparison, painter: Painter, *, arrange: str = "auto",
            box: tuple[float, float] = (1.414, 1.0), layout: str = "auto", summarise: Optional[bool] = None,
            max_tasks: int = DEFAULT_MAX_TASKS, highlight: bool = True, sizes: Optional[Sizes] = None,
            compact: bool = False, fold: Optional[int] = None) -> Block:
    """The stages side by side as one block (no legend). `compact` and `fold`: procmap's own layout
    made for print (handoffs straight down, long stages folded into parts; see ``banded_scene``)."""
    sizes = sizes or painter.s
    if arrange not in ARRANGEMENTS:
        raise ValueError(f"unknown arrangement {arrange!r}; use one of {', '.join(ARRANGEMENTS)}")
    scenes, notes = stage_scenes(models, comparison, painter, layout=layout, summarise=summarise,
                                 max_tasks=max_tasks, sizes=sizes, align=False, compact=compact, fold=fold)
    summarised = any(s.kind == "summary" for s in scenes)
    header_w = sizes.header_w
    head_h = stage_header_h(sizes)
    if arrange == "auto":
        arrange = choose_arrangement(scenes, header_w, head_h, *box)
    if arrange == "columns":
        scenes, notes = stage_scenes(models, comparison, painter, layout=layout, summarise=summarise,
                                     max_tasks=max_tasks, sizes=sizes, align=True, compact=compact, fold=fold)
    marks: list[dict[str, Mark]] = [with_system_tasks(stage_marks(comparison, i) if highlight else {}, models[i],
                                                      comparison.stages[i]) for i in range(len(scenes))]
    kinds: set[str] = set()
    for scene, mk in zip(scenes, marks):
        kinds |= used_kinds(scene, mk)
    out: list[str] = ['<g class="stages"' + sv.attrs(data_arrangement=arrange) + ">"]
    rects: list[tuple[float, float, float, float]] = []
    if arrange == "columns":
        height = head_h + max(s.height for s in scenes)
        out.append(painter.band_headers(scenes[0].bands, 0.0, header_w, head_h))
        x = header_w
        for i, (scene, mk) in enumerate(zip(scenes, marks)):
            stage = comparison.stages[i]
            if i:
                x += STAGE_GAP
            out.append(f'<g class="stage"{sv.attrs(data_stage=stage.name, data_index=str(i))}>')
            out.append(stage_header(painter, stage, i, x, 0.0, scene.width))
            out.append(f'<g transform="translate({sv.num(x)} {sv.num(head_h)})">')
            out.append(painter.scene(scene, mk, band_headers=False))
            out.append("</g></g>")
            rects.append((x, 0.0, scene.width, head_h + scene.height))
            x += scene.width
        width = x
    else:
        width = header_w + max(s.width for s in scenes)
        y = 0.0
        for i, (scene, mk) in enumerate(zip(scenes, marks)):
            stage = comparison.stages[i]
            if i:
                y += STAGE_GAP
            out.append(f'<g class="stage"{sv.attrs(data_stage=stage.name, data_index=str(i))}>')
            out.append(stage_header(painter, stage, i, 0.0, y, header_w + scene.width))
            out.append(painter.band_headers(scene.bands, 0.0, header_w, y + head_h))
            out.append(f'<g transform="translate({sv.num(header_w)} {sv.num(y + head_h)})">')
            out.append(painter.scene(scene, mk, band_headers=False))
            out.append("</g></g>")
            rects.append((0.0, y, header_w + scene.width, head_h + scene.height))
            y += head_h + scene.height
        height = y
    out.append("</g>")
    return Block("".join(out), width, height, notes=notes, arrangement=arrange, kinds=kinds, rects=rects,
                 summarised=summarised)


def stage_page_svg(models: Sequence[Model], comparison: Comparison, index: int, *, theme: Theme = None,
                   lang: str = "nb", layout: str = "auto", box: tuple[float, float] = (1.7, 1.0),
                   sizes: Optional[Sizes] = None, folds: Sequence[Optional[int]] = (), header: bool = True) -> str:
    """One stage of a comparison as a page of its own (a complete SVG document), changes highlighted:
    in the layout asked, or (unless that is the modeller's drawing) procmap's compact print layout
    with `sizes`, folded into parts of at most each of `folds` columns (None: not folded),
    whichever prints largest in a page of proportions `box`. Without `header` (a slide whose title
    names the stage) the strip with the stage's name and totals is left out, so the tasks print larger."""
    painter = Painter(theme, lang)
    tries = [(False, None, painter.s)] + [(True, fold, sizes or painter.s) for fold in folds if layout != "di"]
    candidates: list[tuple[Scene, Sizes]] = []
    with no_gc():
        for compact, fold, use in tries:
            scenes, _ = stage_scenes(models, comparison, painter, layout=layout, sizes=use, align=False,
                                     compact=compact, fold=fold)
            candidates.append((scenes[index], use))

        def size(item: tuple[Scene, Sizes]) -> tuple[float, float]:
            scene, use = item
            return use.header_w + scene.width, (stage_header_h(use) if header else 0.0) + scene.height

        def fitted(item: tuple[Scene, Sizes]) -> float:
            w, h = size(item)
            return min(box[0] / w, box[1] / h)

        scene, use = max(candidates, key=fitted)
        marks = with_system_tasks(stage_marks(comparison, index), models[index], comparison.stages[index])
        head_h = stage_header_h(use) if header else 0.0
        body = [stage_header(painter, comparison.stages[index], index, 0.0, 0.0, use.header_w + scene.width)
                if header else "", painter.band_headers(scene.bands, 0.0, use.header_w, head_h),
                f'<g transform="translate({sv.num(use.header_w)} {sv.num(head_h)})">',
                painter.scene(scene, marks, band_headers=False), "</g>"]
        width, y = use.header_w + scene.width, head_h + scene.height
        svg_legend, h = legend(painter, used_kinds(scene, marks), width, 14.0)
        body.append(f'<g transform="translate(0 {sv.num(y + 10)})">{svg_legend}</g>')
        y += h + 16
    return sv.document("".join(body), width, y, font=str(painter.t["font"]),
                       background=str(painter.t["background"]))


def stages_svg(models: Sequence[Model], comparison: Comparison, *, theme: Theme = None, lang: str = "nb",
               arrange: str = "auto", layout: str = "auto", summarise: Optional[bool] = None,
               max_tasks: int = DEFAULT_MAX_TASKS, show_legend: bool = True, title: Optional[str] = None,
               box: tuple[float, float] = (1.414, 1.0)) -> str:
    """All stages of a comparison side by side (a complete SVG document), changes highlighted.

    Roles come in the comparison's order in every stage; a role that a stage does not
    have gets a grey band. `arrange`: 'auto', 'columns' or 'rows'. Stages with more than
    `max_tasks` tasks make the picture a summary (one box per role), unless `summarise`
    says otherwise.
    """
    painter = Painter(theme, lang)
    with no_gc():
        block = compose(models, comparison, painter, arrange=arrange, layout=layout, summarise=summarise,
                        max_tasks=max_tasks, box=box)
    margin = 16.0
    body = [f'<g transform="translate({sv.num(margin)} {sv.num(margin)})">', block.body, "</g>"]
    y = margin + block.height + 14
    width = block.width + 2 * margin
    drawn, h = note_lines(painter, block.notes, margin, y, width - 2 * margin, 14.0)
    body.append(drawn)
    y += h
    if show_legend:
        svg_legend, h = legend(painter, block.kinds, width - 2 * margin, 14.0)
        body.append(f'<g transform="translate({sv.num(margin)} {sv.num(y + 6)})">{svg_legend}</g>')
        y += h + 12
    return sv.document("".join(body), width, y + margin, font=str(painter.t["font"]),
                       background=str(painter.t["background"]), title_text=title)
