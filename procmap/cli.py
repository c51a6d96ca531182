"""The `procmap` command: a thin shell over the library. Every error ends here as one line."""

from __future__ import annotations

import functools
import inspect as _inspect  # `inspect` is a command here
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

import typer

from procmap._version import __version__
from procmap.errors import CompareError, ProcmapError, ReadError
from procmap.views.inspect import diagram, lane_tree, summary
from procmap.bpmn.reader import read
from procmap.words import check_lang

if TYPE_CHECKING:
    from procmap.compare.result import Comparison

app = typer.Typer(
    name="procmap",
    help="Show what a digital service really changes, role by role.\n\n"
         "Read process models (BPMN 2.0 exports from any tool, or hand-written BPMN-lite), compare the "
         "stages of a service per role lane, and draw side-by-side swimlanes and posters.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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
    for path in _progress(files, "Reading"):
        try:
            model = read(path, max_bytes=int(max_size * 1e6))
        except ProcmapError as exc:
            _err(str(exc))
            failed += 1
            if as_json:  # one entry per file given, in order: a script can pair them up
                results.append({"file": str(path), "error": str(exc)})
            continue
        if as_json:
            results.append(summary(model))
            continue
        typer.echo(f"{model.source}: {model.format}" + (f", stage {model.stage}" if model.stage else "")
                   + (f", {model.name}" if model.name else ""))
        for line in lane_tree(model):
            typer.echo(f"  {line}")
        drawn = diagram(model)
        typer.echo(f"  diagram: {drawn['nodes_drawn']} of {drawn['nodes']} flow nodes drawn, {drawn['edges']} edges"
                   if drawn else "  diagram: none in the file (pictures use procmap's own layout)")
        for warning in model.all_warnings():
            typer.echo(f"  warning: {warning}")
    if as_json:
        typer.echo(json.dumps(results[0] if len(files) == 1 else results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(2)


def _progress(items: list, label: str):
    """Items, with a progress bar on the terminal when there are many (a portfolio of exports)."""
    if len(items) < 5 or not sys.stderr.isatty():
        return items
    from rich.progress import track

    return track(items, description=label, transient=True, console=_stderr_console())


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    _err(message)
    raise typer.Exit(code)


# -- the options of a comparison: defined once, given to compare and poster by one decorator ------------
_COMPARISON_OPTIONS: dict[str, tuple[object, object]] = {
    "stages": (Optional[str], typer.Option(
        None, "--stages", metavar="NAMES",
        help="Stage names, comma separated (default: the lite 'stage' attribute, else the file name).")),
    "cases": (Optional[float], typer.Option(
        None, "--cases", metavar="N",
        help="Cases per year: turns minutes into hours, money and full-time equivalents.")),
    "rate": (Optional[float], typer.Option(
        None, "--rate", metavar="X", help="Cost per hour for every role (--rates wins where it names a role).")),
    "rates": (Optional[Path], typer.Option(
        None, "--rates", metavar="CSV", help="Cost per hour per role: columns role,rate.")),
    "efforts": (Optional[Path], typer.Option(
        None, "--efforts", metavar="CSV",
        help="Minutes per task, overriding the files: columns task (id or name),minutes[,low,high][,stage].")),
    "hours_per_fte": (float, typer.Option(
        1695.0, "--hours-per-fte", metavar="H", help="Working hours in one full-time equivalent.")),
    "similarity": (float, typer.Option(
        0.8, "--similarity", metavar="0-1",
        help="How alike two task names must be (difflib ratio) to count as one renamed task.")),
    "seed": (int, typer.Option(
        0, "--seed", metavar="N", help="Seed of the Monte Carlo estimate (same seed, same figures).")),
    "simulations": (int, typer.Option(
        2000, "--simulations", metavar="N", help="Monte Carlo draws for the P10/P50/P90 range (0 = none).")),
    "alias": (list[str], typer.Option(
        [], "--alias", metavar="'LANE=ROLE'",
        help="A renamed lane is this role, e.g. --alias 'Saksbehandler byggesak=Saksbehandler' (repeatable).")),
    "aliases": (Optional[Path], typer.Option(
        None, "--aliases", metavar="CSV", help="Lane aliases: columns alias,role.")),
    "currency": (str, typer.Option("NOK", "--currency", metavar="CODE", help="Currency label for money.")),
}


@dataclass
class Comparing:
    """The comparison options one command was given, and the one way they are used."""

    stages: Optional[str]
    cases: Optional[float]
    rate: Optional[float]
    rates: Optional[Path]
    efforts: Optional[Path]
    hours_per_fte: float
    similarity: float
    seed: int
    simulations: int
    alias: list[str]
    aliases: Optional[Path]
    currency: str

    def run(self, files: list[Path], max_size: float) -> tuple[list, "Comparison"]:
        """Read the stage files and compare them with the library's compare()."""
        from procmap.compare.run import compare as run_compare
        from procmap.compare.inputs import load_aliases, parse_alias

        models = _read_stages(files, max_size)
        alias_table = dict(load_aliases(self.aliases)) if self.aliases is not None else {}
        alias_table.update(parse_alias(a) for a in self.alias)  # --alias wins over --aliases
        return models, run_compare(models, stages=self.stages, aliases=alias_table or None, efforts=self.efforts,
                                   cases_per_year=self.cases, rates=self.rates, rate=self.rate,
                                   hours_per_fte=self.hours_per_fte, similarity=self.similarity,
                                   simulations=self.simulations, seed=self.seed, currency=self.currency)


def comparison_options(command: Callable) -> Callable:
    """Give a command every comparison option, listed where it declares the keyword-only parameter
    `comparing: Comparing`, through which it receives them (sqlite-utils' shared options, for typer)."""
    own = list(_inspect.signature(command).parameters.values())
    at = [p.name for p in own].index("comparing")
    own.pop(at)
    added = [_inspect.Parameter(name, _inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option, annotation=kind)
             for name, (kind, option) in _COMPARISON_OPTIONS.items()]

    @functools.wraps(command)
    def with_options(**kwargs: Any) -> Any:
        comparing = Comparing(**{name: kwargs.pop(name) for name in _COMPARISON_OPTIONS})
        return command(comparing=comparing, **kwargs)

    with_options.__signature__ = _inspect.Signature(own[:at] + added + own[at:])  # type: ignore[attr-defined]
    return with_options


def _read_stages(files: list[Path], max_size: float) -> list:
    """Read every stage file; name each one that fails, then refuse the comparison."""
    if len(files) < 2:
        raise CompareError("need at least two stages to compare; to look at one file use `procmap inspect FILE`")
    models, failed = [], []
    for path in files:
        try:
            models.append(read(path, max_bytes=int(max_size * 1e6)))
        except ReadError as exc:
            failed.append(exc)
    if failed:
        for exc in failed[:-1]:
            _err(str(exc))
        last = failed[-1]
        raise ReadError(f"{last.message}; comparison refused", source=last.source, line=last.line,
                        column=last.column, element_id=last.element_id)
    return models


@app.command()
@comparison_options
def compare(
    files: list[Path] = typer.Argument(..., metavar="FILE...",
                                       help="The stages in order, oldest first: BPMN 2.0 or BPMN-lite files."),
    *,
    comparing: Comparing,
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as one JSON object (see README)."),
    csv_dir: Optional[Path] = typer.Option(None, "--csv", metavar="DIR", help="Also write the tables as CSV files "
                                           "(stages, roles, changes, savings, warnings) into DIR."),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write the tables to an Excel "
                                        "workbook."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained, "
                                        "printable HTML report: diagrams side by side, charts, tables, changes."),
    lang: str = typer.Option("nb", "--lang", metavar="nb|en", help="Language of the tables, the summary and the "
                             "report: nb (bokmål) or en."),
    max_size: float = MaxSize,
) -> None:
    """Compare the stages of one service role by role: tasks, handoffs, minutes, and what each stage saves.

    Give the stages in order (typically manual, e-form, integrated). Roles are
    matched by lane name (case, blanks and punctuation do not matter; --alias
    for renamed lanes), tasks by id, then by name, then by close names.
    With --cases and rates you get hours, money and full-time equivalents
    saved per year, with a seeded Monte Carlo P10-P90 range where tasks have
    low/high minutes.

    Example: procmap compare samples/barnehage/*.lite.xml --cases 1000 --rates samples/barnehage/rates.csv

    Exit status: 0 done, 2 a file could not be read, 3 the stages cannot be compared as asked.
    """
    from rich.console import Console

    from procmap.views.frames import write_csv, write_xlsx
    from procmap.views.terminal import show

    try:
        check_lang(lang)
    except ValueError as e:
        raise CompareError(str(e)) from None
    models, comparison = comparing.run(files, max_size)

    # Files first, then the screen.
    if html is not None:
        from procmap.render import report_html

        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(report_html(models, comparison, lang=lang), encoding="utf-8")
        _note(f"wrote {html}")
        for warning in comparison.warnings_since(models):
            _err(f"warning: {warning}")
    if csv_dir is not None:
        for written in write_csv(comparison, csv_dir):
            _note(f"wrote {written}")
    if xlsx is not None:
        _note(f"wrote {write_xlsx(comparison, xlsx)}")
    if as_json:
        typer.echo(comparison.to_json())
        return
    console = Console(highlight=False)
    if console.is_terminal:
        show(comparison, console, lang=lang, title=models[0].name or None)
        return
    # Into a file or a pipe: no colours, and no blanks that tables pad their lines with.
    console = Console(highlight=False, width=None if "COLUMNS" in os.environ else 120)
    with console.capture() as captured:
        show(comparison, console, lang=lang, title=models[0].name or None)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


LayoutOpt = typer.Option("auto", "--layout", metavar="auto|di|procmap|dot", help="auto: the file's own drawing when it has one, else procmap's "
                         "layout; di: only the file's drawing; procmap: always procmap's layout; dot: Graphviz.")
LangOpt = typer.Option("nb", "--lang", metavar="nb|en", help="Language of the fixed texts: nb (bokmål) or en.")
ThemeOpt = typer.Option("default", "--theme", metavar="default|mono", help="Colours: default or mono (for black-and-white print).")


@app.command()
def draw(
    file: Path = typer.Argument(..., metavar="FILE", help="One stage: BPMN 2.0 or BPMN-lite."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The picture: .svg, .png or .pdf."),
    layout: str = LayoutOpt,
    lang: str = LangOpt,
    theme: str = ThemeOpt,
    width: Optional[int] = typer.Option(None, "--width", metavar="PX", help="PNG width in pixels (default: 1 px per unit)."),
    max_size: float = MaxSize,
) -> None:
    """Draw one stage as a swimlane diagram.

    A file with diagram geometry (BPMNDI) is drawn as the modeller drew it: pools, nested
    and vertical lanes, sub-processes. A file without it (BPMN-lite, some tools) is laid
    out by procmap: one horizontal band per role, the flow from left to right.

    Example: procmap draw samples/barnehage/1-manual.lite.xml -o manual.png

    Exit status: 0 done, 2 the file could not be read, 4 the picture could not be made.
    """
    from procmap.render import stage_svg
    from procmap.render.export import check_suffix, save

    try:
        check_suffix(output)
        model = read(file, max_bytes=int(max_size * 1e6))
        svg = stage_svg(model, layout=layout, lang=lang, theme=theme)
        save(svg, output, width=width)
    except ValueError as exc:
        _fail(str(exc))
    for warning in model.all_warnings():
        _err(f"warning: {warning}")
    for note in _picture_notes(svg):  # what the picture says it left out, said here too
        _err(f"note: {file}: {note}")
    typer.echo(str(output))


def _picture_notes(svg: str) -> list[str]:
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    return [el.text for el in root.iter("{http://www.w3.org/2000/svg}text") if el.get("class") == "note" and el.text]


@app.command()
@comparison_options
def poster(
    files: list[Path] = typer.Argument(..., metavar="FILE FILE [FILE...]",
                                       help="The stages in order, earliest first (BPMN 2.0 or BPMN-lite)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The poster: .pdf, .svg or .png."),
    size: str = typer.Option("A3", "--size", metavar="A3|A1", help="Paper: A3 or A1 (A0, A2 and A4 work too)."),
    orientation: str = typer.Option("landscape", "--orientation", metavar="landscape|portrait", help="landscape or portrait."),
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="Title (default: 'Veien til en enklere hverdag')."),
    subtitle: Optional[str] = typer.Option(None, "--subtitle", metavar="TEXT", help="Subtitle (default: the service and stages)."),
    lang: str = LangOpt,
    theme: str = ThemeOpt,
    layout: str = LayoutOpt,
    *,
    comparing: Comparing,
    max_tasks: int = typer.Option(150, "--max-tasks", metavar="N",
                                  help="Stages with more tasks are shown summarised, one box per role."),
    dpi: float = typer.Option(150.0, "--dpi", metavar="N", help="Resolution of a .png poster."),
    max_size: float = MaxSize,
) -> None:
    """Make the "road to a simpler day" poster: the stages side by side, key figures, chart, changes.

    One page in A3 or A1, landscape or portrait, to print and hang on a wall.

    Example: procmap poster samples/barnehage/*.lite.xml --cases 250 -o poster.pdf

    Exit status: 0 done, 2 a file could not be read, 3 the stages cannot be compared as asked,
    4 the poster could not be made.
    """
    from procmap.render import poster as make_poster
    from procmap.render.export import check_suffix
    from procmap.render.poster import page_size

    try:
        check_suffix(output)
        check_lang(lang)
        page_size(size, orientation)
    except ValueError as exc:
        _fail(str(exc))
    models, comparison = comparing.run(files, max_size)
    try:
        result = make_poster(models, comparison, output, size=size, orientation=orientation, title=title,
                             subtitle=subtitle, lang=lang, theme=theme, layout=layout, max_tasks=max_tasks, dpi=dpi)
    except ValueError as exc:
        _fail(str(exc))
    for warning in [*comparison.warnings, *comparison.warnings_since(models), *result.warnings]:
        _err(f"warning: {warning}")
    typer.echo(f"{output} ({result.size} {result.orientation}, {result.width_mm:g} x {result.height_mm:g} mm)")


@app.command()
def routine(
    file: Path = typer.Argument(..., metavar="STAGE_FILE", help="The stage the routine is for (BPMN or lite)."),
    role: Optional[str] = typer.Option(None, "--role", "-r", metavar="NAME",
                                       help="The role (a case-insensitive prefix is enough); all roles if left out."),
    against: Optional[Path] = typer.Option(None, "--against", metavar="EARLIER_FILE",
                                           help="An earlier stage: list what is no longer done, new and moved."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="OUT",
                                          help="Write to OUT: .md, .html or .pdf (A4, one page per role)."),
    lang: str = typer.Option("nb", "--lang", metavar="nb|en", help="Language of the fixed texts: nb (bokmål) or en."),
    max_size: float = MaxSize,
) -> None:
    """A case handler's card: my steps in the order the flow runs them, and what changed.

    Each step says who hands the case over and to whom it goes next; either/or
    branches, parallel work and loops are named. With --against, the card lists
    what the role no longer does, what is new, what moved and the minutes saved.

    Example: procmap routine samples/barnehage/3-integrert.lite.xml --role saks --against samples/barnehage/1-manual.lite.xml

    Exit status: 0 done, 2 a file could not be read, 1 no such role (the message lists them).
    """
    from procmap.views import cards as rt

    try:
        check_lang(lang)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    limit = int(max_size * 1e6)
    model = read(file, max_bytes=limit)
    earlier = read(against, max_bytes=limit) if against else None
    if role:
        cards = [rt.routine(model, role, against=earlier, lang=lang)]  # type: ignore[arg-type]
    else:
        cards = rt.routines(model, against=earlier, lang=lang)  # type: ignore[arg-type]
    for warning in [*model.all_warnings(), *(w for c in cards for w in c.warnings)]:
        _err(f"warning: {warning}")
    if output is None:
        typer.echo(rt.to_markdown(cards), nl=False)
        return
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        data = rt.to_pdf(cards)
    elif suffix in (".html", ".htm"):
        data = rt.to_html(cards).encode("utf-8")
    elif suffix in (".md", ".markdown", ".txt"):
        data = rt.to_markdown(cards).encode("utf-8")
    else:
        raise typer.BadParameter("-o must end in .md, .html or .pdf")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    typer.echo(f"wrote {output} ({len(cards)} card{'s' if len(cards) != 1 else ''})")


@app.command()
def convert(
    file: Path = typer.Argument(..., metavar="FILE", help="A BPMN-lite or BPMN 2.0 file."),
    output: Path = typer.Option(..., "-o", "--output", metavar="OUT",
                                help="Where to write: *.bpmn for BPMN 2.0, *.lite.xml for BPMN-lite."),
    to: Optional[str] = typer.Option(None, "--to", metavar="FORMAT",
                                     help="bpmn or lite; by default taken from OUT's name, else the other format."),
    process: Optional[str] = typer.Option(None, "--process", metavar="ID",
                                          help="With several processes: the one to write as lite."),
    max_size: float = MaxSize,
) -> None:
    """Turn a BPMN-lite sketch into real BPMN 2.0, or a BPMN export into BPMN-lite.

    BPMN output has a pool, lanes, flows and full diagram geometry, so it opens in
    Camunda Modeler or any bpmn.io tool; effort figures travel as camunda:properties
    (minutes, minutes_low, minutes_high). Lite output is for a quick hand edit.

    Example: procmap convert samples/barnehage/1-manual.lite.xml -o manual.bpmn

    Exit status: 0 done, 2 the file could not be read, 1 it cannot be written as asked.
    """
    from procmap.views.convert import to_bpmn, to_lite

    model = read(file, max_bytes=int(max_size * 1e6))
    target = (to or "").lower() or _format_of(output) or ("lite" if model.format == "bpmn" else "bpmn")
    if target not in ("bpmn", "lite"):
        raise typer.BadParameter(f"--to must be bpmn or lite, not {to!r}")
    try:
        data = to_bpmn(model) if target == "bpmn" else to_lite(model, process)
    except ValueError as exc:
        raise ProcmapError(str(exc), source=str(file)) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    written = read(data)  # the counts below are of what the new file holds
    for warning in model.all_warnings():
        _err(f"warning: {warning}")
    kept = {p.id for p in written.processes}
    left = [p.id for p in model.processes if p.id not in kept and any(n.process_id == p.id for n in model.nodes)]
    if left:
        _err(f"warning: {file}: BPMN-lite holds one process; wrote {', '.join(sorted(kept))} and left out "
             f"{', '.join(left)} (choose another with --process)")
    typer.echo(f"wrote {output} ({'BPMN 2.0' if target == 'bpmn' else 'BPMN-lite'}, "
               f"{len(written.tasks)} tasks in {len(written.roles)} roles)")


def _format_of(path: Path) -> Optional[str]:
    name = path.name.lower()
    if name.endswith((".lite.xml", ".lite")):
        return "lite"
    if name.endswith((".bpmn", ".bpmn2", ".bpmn.xml")):
        return "bpmn"
    return None


def _note(message: str) -> None:
    typer.echo(message, err=True)


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
