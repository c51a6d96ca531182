"""The `procmap` command: a thin shell over the library. Every error ends here as one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import ProcmapError
from .inspect import lane_tree, summary
from .reader import read

app = typer.Typer(
    name="procmap",
    help="Show what a digital service really changes, role by role.\n\n"
         "Read process models (BPMN 2.0 exports from any tool, or hand-written BPMN-lite), compare the "
         "stages of a service per role lane, and draw side-by-side swimlanes and posters.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

MaxSize = typer.Option(100.0, "--max-size", metavar="MB", help="Refuse files larger than this many megabytes.")


def _err(message: str) -> None:
    typer.echo(f"procmap: {message}", err=True)


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"procmap {__version__}")
        raise typer.Exit()


@app.command()
def inspect(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="BPMN 2.0 (.bpmn, .xml) or BPMN-lite files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per file (a list for several)."),
    max_size: float = MaxSize,
) -> None:
    """Show what procmap reads from a file: pools, lanes as a tree with task counts, warnings.

    Use it first on any export: it tells you which roles procmap sees and what it
    had to repair. Exit status is 0 when every file was read.

    Example: procmap inspect samples/barnehage/1-manual.bpmn
    """
    results, failed = [], 0
    for path in files:
        try:
            model = read(path, max_bytes=int(max_size * 1e6))
        except ProcmapError as exc:
            _err(str(exc))
            failed += 1
            continue
        if as_json:
            results.append(summary(model))
            continue
        typer.echo(f"{model.source}: {model.format}" + (f", stage {model.stage}" if model.stage else "")
                   + (f", {model.name}" if model.name else ""))
        for line in lane_tree(model):
            typer.echo(f"  {line}")
        for warning in model.warnings:
            typer.echo(f"  warning: {warning}")
    if as_json and results:
        typer.echo(json.dumps(results[0] if len(files) == 1 else results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(2)


def _fail(message: str, code: int = 2) -> None:
    _err(message)
    raise typer.Exit(code)


def _read_rates(path: Path) -> dict[str, float]:
    """role,rate rows (a header row is skipped) -> {role: rate}."""
    import csv

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        _fail(f"{path}: cannot read rates: {exc.strerror or exc}")
    rates: dict[str, float] = {}
    for row in csv.reader(text.splitlines()):
        if len(row) < 2 or not row[0].strip():
            continue
        try:
            rates[row[0].strip()] = float(row[1].replace(",", ".").strip())
        except ValueError:
            if rates:  # only the first row may be a header
                _fail(f"{path}: not a number in rates row {row!r}")
    return rates


def _compare(models: list, cases: Optional[float], rates: Optional[Path], efforts: Optional[Path]):
    """The comparison the pictures show, from procmap.compare (imported here: it lands separately)."""
    import inspect as _inspect

    try:
        from .compare import compare  # type: ignore[import-not-found]
    except ImportError:
        _fail("this procmap has no compare step yet (procmap.compare); the poster needs it", 3)
    params = _inspect.signature(compare).parameters
    kwargs: dict = {}
    if cases is not None:
        name = next((n for n in ("cases_per_year", "cases") if n in params), None)
        if name is None:
            _fail("--cases is not supported by this version of procmap.compare")
        kwargs[name] = cases
    if rates is not None:
        if "rates" not in params:
            _fail("--rates is not supported by this version of procmap.compare")
        kwargs["rates"] = _read_rates(rates)
    if efforts is not None:
        if "efforts" not in params:
            _fail("--efforts is not supported by this version of procmap.compare")
        kwargs["efforts"] = efforts
    return compare(models, **kwargs)


LayoutOpt = typer.Option("auto", "--layout", help="auto: the file's own drawing when it has one, else procmap's "
                         "layout; di: only the file's drawing; procmap: always procmap's layout; dot: Graphviz.")
LangOpt = typer.Option("nb", "--lang", help="Language of the fixed texts: nb (bokmål) or en.")
ThemeOpt = typer.Option("default", "--theme", help="Colours: default or mono (for black-and-white print).")


@app.command()
def draw(
    file: Path = typer.Argument(..., metavar="FILE", help="One stage: BPMN 2.0 or BPMN-lite."),
    output: Path = typer.Option(..., "-o", "--output", help="The picture: .svg, .png or .pdf."),
    layout: str = LayoutOpt,
    lang: str = LangOpt,
    theme: str = ThemeOpt,
    width: Optional[int] = typer.Option(None, "--width", help="PNG width in pixels (default: 1 px per unit)."),
    max_size: float = MaxSize,
) -> None:
    """Draw one stage as a swimlane diagram.

    A file with diagram geometry (BPMNDI) is drawn as the modeller drew it: pools, nested
    and vertical lanes, sub-processes. A file without it (BPMN-lite, some tools) is laid
    out by procmap: one horizontal band per role, the flow from left to right.

    Example: procmap draw samples/barnehage/1-manual.lite.xml -o manual.png
    """
    from .render import stage_svg
    from .render.export import check_suffix, save

    try:
        check_suffix(output)
        model = read(file, max_bytes=int(max_size * 1e6))
        svg = stage_svg(model, layout=layout, lang=lang, theme=theme)
        save(svg, output, width=width)
    except ValueError as exc:
        _fail(str(exc))
    for warning in model.warnings:
        _err(f"warning: {warning}")
    typer.echo(str(output))


@app.command()
def poster(
    files: list[Path] = typer.Argument(..., metavar="FILE FILE [FILE...]",
                                       help="The stages in order, earliest first (BPMN 2.0 or BPMN-lite)."),
    output: Path = typer.Option(..., "-o", "--output", help="The poster: .pdf, .svg or .png."),
    size: str = typer.Option("A3", "--size", help="Paper: A3 or A1 (A0, A2 and A4 work too)."),
    orientation: str = typer.Option("landscape", "--orientation", help="landscape or portrait."),
    title: Optional[str] = typer.Option(None, "--title", help="Title (default: 'Veien til en enklere hverdag')."),
    subtitle: Optional[str] = typer.Option(None, "--subtitle", help="Subtitle (default: the service and stages)."),
    lang: str = LangOpt,
    theme: str = ThemeOpt,
    layout: str = LayoutOpt,
    cases: Optional[float] = typer.Option(None, "--cases", metavar="N", help="Cases a year (for hours a year)."),
    rates: Optional[Path] = typer.Option(None, "--rates", metavar="CSV", help="role,rate per hour."),
    efforts: Optional[Path] = typer.Option(None, "--efforts", metavar="CSV", help="Effort overrides per task."),
    max_tasks: int = typer.Option(150, "--max-tasks", metavar="N",
                                  help="Stages with more tasks are shown summarised, one box per role."),
    dpi: float = typer.Option(150.0, "--dpi", help="Resolution of a .png poster."),
    max_size: float = MaxSize,
) -> None:
    """Make the "road to a simpler day" poster: the stages side by side, key figures, chart, changes.

    One page in A3 or A1, landscape or portrait, to print and hang on a wall.

    Example: procmap poster samples/barnehage/*.lite.xml --cases 250 -o poster.pdf
    """
    from .render import poster as make_poster
    from .render.export import check_suffix
    from .render.poster import page_size

    if len(files) < 2:
        _fail("the poster needs at least two stages (two files)")
    try:
        check_suffix(output)
        page_size(size, orientation)
    except ValueError as exc:
        _fail(str(exc))
    models = [read(path, max_bytes=int(max_size * 1e6)) for path in files]
    comparison = _compare(models, cases, rates, efforts)
    try:
        result = make_poster(models, comparison, output, size=size, orientation=orientation, title=title,
                             subtitle=subtitle, lang=lang, theme=theme, layout=layout, max_tasks=max_tasks, dpi=dpi)
    except ValueError as exc:
        _fail(str(exc))
    for warning in result.warnings:
        _err(f"warning: {warning}")
    typer.echo(f"{output} ({result.size} {result.orientation}, {result.width_mm:g} x {result.height_mm:g} mm)")


def main() -> None:
    """Entry point: run the app and turn any procmap error into one line and an exit code."""
    try:
        app()
    except ProcmapError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
