"""The `procmap` command: a thin typer shell. Each command parses its options, calls one use case of
:mod:`procmap.app` and prints; every error ends in :func:`main` as one line and an exit code from
:data:`procmap.errors.EXIT_CODES`."""

from __future__ import annotations

import functools
import inspect as _inspect  # `inspect` is a command here
import json
import os
import re
import sys
import typing
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from procmap._version import __version__
from procmap.errors import INTERRUPTED, OptionError, ProcmapError, exit_code
from procmap.options import CompareOptions, Limits, Look, Paper, Reading, flags

app = typer.Typer(
    name="procmap",
    help="Show what a digital service really changes, role by role.\n\n"
         "Read process models (BPMN 2.0 exports from any tool, or hand-written BPMN-lite), compare the "
         "stages of a service per role lane, and draw side-by-side swimlanes and posters; give each role its "
         "routine card, plan the benefits, rank a portfolio of services. `procmap serve` does it all on a "
         "web page on this machine.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_STATUS = ("Exit status: 0 done, 1 cannot be done as asked (e.g. an output that cannot be written), 2 a "
               "wrong option or a file that cannot be read")


def _err(message: str) -> None:
    typer.echo(f"procmap: {message}", err=True)


def _note(message: str) -> None:
    typer.echo(message, err=True)


#: The same warning in more places than this is said this many times, then counted.
_SAME_WARNING_SHOWN = 5
_PLACE = re.compile(r"^(?P<file>.*?):\d+(?::\d+)?(?: \[[^\]]*\])?: (?P<what>.*)$")


def _warn(warnings: list[str]) -> None:
    """Each warning on a line of its own; one said in many places (a copied element, say) a few times, then
    counted, so the others are not lost in the flood."""
    seen: dict[tuple[str, str], int] = {}
    for warning in warnings:
        found = _PLACE.match(warning)
        key = (found["file"], found["what"]) if found else ("", warning)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= _SAME_WARNING_SHOWN:
            _err(f"warning: {warning}")
    for (file, what), count in seen.items():
        if count > _SAME_WARNING_SHOWN:
            _err(f"warning: {file}: {count - _SAME_WARNING_SHOWN} more like this: {what}")


# -- options: each option object's fields become typer options, defined once in procmap.options -----------
def _cli_type(hints: dict[str, Any], name: str, flag: Any) -> Any:
    if flag.repeatable:
        return list[str]
    if flag.cli_type is not None:
        return Optional[flag.cli_type]
    return hints[name]


def uses(cls: type, *only: str, param: Optional[str] = None) -> Callable[[Callable], Callable]:
    """Give a command the options of ``cls`` (all of them, or ``only`` these), as flags listed where it
    declares the keyword-only parameter ``param`` (default: the class name in lower case), through which it
    receives one ``cls`` object (sqlite-utils' shared options, generalised to every option object)."""
    param = param or cls.__name__.lower()
    chosen = [(n, f, d) for n, f, d in flags(cls) if not only or n in only]
    hints = typing.get_type_hints(cls)

    def decorate(command: Callable) -> Callable:
        own = list(_inspect.signature(command).parameters.values())
        at = [p.name for p in own].index(param)
        own.pop(at)
        added = [_inspect.Parameter(
            f"{param}__{name}", _inspect.Parameter.KEYWORD_ONLY, annotation=_cli_type(hints, name, flag),
            default=typer.Option([] if flag.repeatable else (default if not isinstance(default, tuple) else None),
                                 f"--{flag.name}", metavar=flag.metavar, help=flag.help))
            for name, flag, default in chosen]

        @functools.wraps(command)
        def with_options(**kwargs: Any) -> Any:
            values = {name: kwargs.pop(f"{param}__{name}") for name, _, _ in chosen}
            return command(**{param: cls(**values)}, **kwargs)

        listed = [p.replace(kind=_inspect.Parameter.KEYWORD_ONLY) for p in own[:at] + added + own[at:]]
        with_options.__signature__ = _inspect.Signature(listed)  # type: ignore[attr-defined]
        return with_options

    return decorate


def _progress(items: list, label: str):
    """Items, with a progress bar on the terminal when there are many (a portfolio of exports)."""
    if len(items) < 5 or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, transient=True, console=Console(stderr=True))


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"procmap {__version__}")
        raise typer.Exit()


# -- the commands, in pipeline order ------------------------------------------------------------------------
@app.command()
@uses(Reading)
def inspect(
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="BPMN 2.0 (.bpmn, .xml) or BPMN-lite files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per file (a list for several)."),
    *,
    reading: Reading,
) -> None:
    """Show what procmap reads from a file: pools, lanes as a tree with task counts, warnings.

    Use it first on any export: it tells you which roles procmap sees and what it
    had to repair.

    Example: procmap inspect samples/barnehage/1-manual.bpmn

    Exit status: 0 every file was read, 2 one could not be (the others are still shown).
    """
    from procmap.app import inspect_files
    from procmap.views.inspect import diagram, lane_tree, summary

    found = inspect_files(files, reading, progress=_progress)
    results = []
    for entry in found:
        if entry.error is not None:
            _err(str(entry.error))
            if as_json:  # one entry per file given, in order: a script can pair them up
                results.append({"file": entry.file, "error": str(entry.error)})
            continue
        model = entry.model
        assert model is not None
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
    if any(entry.error is not None for entry in found):
        raise typer.Exit(2)


@app.command()
@uses(CompareOptions, param="comparing")
@uses(Look, "lang")
@uses(Reading)
def compare(
    files: list[Path] = typer.Argument(..., metavar="FILE...",
                                       help="The stages in order, oldest first: BPMN 2.0 or BPMN-lite files."),
    *,
    comparing: CompareOptions,
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as one JSON object (see README)."),
    csv_dir: Optional[Path] = typer.Option(None, "--csv", metavar="DIR", help="Also write the tables as CSV files "
                                           "(stages, roles, changes, savings, near misses, warnings) into DIR."),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write the tables to an Excel "
                                        "workbook."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained, "
                                        "printable HTML report: diagrams side by side, charts, tables, changes."),
    look: Look,
    reading: Reading,
) -> None:
    """Compare the stages of one service role by role: tasks, handoffs, minutes, and what each stage saves.

    Give the stages in order (typically manual, e-form, integrated). Roles are
    matched by lane name (case, blanks and punctuation do not matter; --alias
    for renamed lanes), tasks by id, then by name, then by close names; correct
    that with --match 'OLD=NEW' and --no-match 'OLD=NEW' (near misses are listed
    for review). --system LANE counts a lane's tasks as automated steps, apart
    from manual work. A saving is only given where every change is known.
    With --cases and rates you get hours, money and full-time equivalents
    saved per year, with a seeded Monte Carlo P10-P90 range where tasks have
    low/high minutes.

    Example: procmap compare samples/barnehage/*.lite.xml --cases 1000 --rates samples/barnehage/rates.csv

    Exit status: 0 done, 1 an output cannot be written, 2 a wrong option or a file that cannot be read,
    3 the stages cannot be compared as asked.
    """
    from procmap.app import compare_files, comparison_json, write_report, write_tables
    from procmap.files import check_output

    for target, suffixes, what in _table_outputs(html, xlsx):  # refused before any work is done
        check_output(target, files, suffixes=suffixes, what=what)
    compared = compare_files(files, comparing, reading)
    # Files first, then the screen.
    if html is not None:
        _note(f"wrote {write_report(compared, html, look)}")
        _warn(compared.later_warnings())
    for written in write_tables(compared, csv_dir=csv_dir, xlsx=xlsx):
        _note(f"wrote {written}")
    if as_json:
        typer.echo(comparison_json(compared))
        return
    _show(compared, look.lang)


def _show(compared: Any, lang: str) -> None:
    """The comparison's tables and summary."""
    from procmap.views.terminal import show

    _print_rich(lambda console: show(compared.comparison, console, lang=lang, title=compared.title))


def _print_rich(draw: Callable[[Any], None]) -> None:
    """Rich output: in colour on a terminal, plain into a file or a pipe."""
    from rich.console import Console

    console = Console(highlight=False)
    if console.is_terminal:
        draw(console)
        return
    # Into a file or a pipe: no colours, and no blanks that tables pad their lines with.
    console = Console(highlight=False, width=None if "COLUMNS" in os.environ else 120)
    with console.capture() as captured:
        draw(console)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


@app.command()
@uses(Look)
@uses(Reading)
def draw(
    file: Path = typer.Argument(..., metavar="FILE", help="One stage: BPMN 2.0 or BPMN-lite."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The picture: .svg, .png or .pdf."),
    *,
    look: Look,
    width: Optional[int] = typer.Option(None, "--width", metavar="PX", help="PNG width in pixels (default: 1 px per unit)."),
    reading: Reading,
) -> None:
    """Draw one stage as a swimlane diagram.

    A file with diagram geometry (BPMNDI) is drawn as the modeller drew it: pools, nested
    and vertical lanes, sub-processes. A file without it (BPMN-lite, some tools) is laid
    out by procmap: one horizontal band per role, the flow from left to right.

    Example: procmap draw samples/barnehage/1-manual.lite.xml -o manual.png

    Exit status: 0 done, 1 the picture cannot be written, 2 a wrong option or the file cannot be read,
    4 the picture could not be made.
    """
    from procmap.app import draw_file

    drawn = draw_file(file, output, look, width=width, reading=reading)
    _warn(drawn.warnings)
    for note in drawn.notes:  # what the picture says it left out, said here too
        _err(f"note: {file}: {note}")
    typer.echo(str(output))


@app.command()
@uses(CompareOptions, param="comparing")
@uses(Paper)
@uses(Look)
@uses(Reading)
def poster(
    files: list[Path] = typer.Argument(..., metavar="FILE FILE [FILE...]",
                                       help="The stages in order, earliest first (BPMN 2.0 or BPMN-lite)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="The poster: .pdf, .svg or .png."),
    *,
    paper: Paper,
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="Title (default: 'Veien til en enklere hverdag')."),
    subtitle: Optional[str] = typer.Option(None, "--subtitle", metavar="TEXT", help="Subtitle (default: the service and stages)."),
    look: Look,
    comparing: CompareOptions,
    max_tasks: int = typer.Option(150, "--max-tasks", metavar="N",
                                  help="Stages with more tasks are shown summarised, one box per role."),
    reading: Reading,
) -> None:
    """Make the "road to a simpler day" poster: the stages side by side, key figures, chart, changes.

    One page in A3 or A1, landscape or portrait, to print and hang on a wall.

    Example: procmap poster samples/barnehage/*.lite.xml --cases 250 -o poster.pdf

    Exit status: 0 done, 1 the poster cannot be written, 2 a wrong option or a file that cannot be read,
    3 the stages cannot be compared as asked, 4 the poster could not be made.
    """
    from procmap.app import check_picture_name, compare_files, make_poster

    check_picture_name(output, files)  # refused before any work is done
    compared = compare_files(files, comparing, reading)
    made = make_poster(compared, output, look, paper, title=title, subtitle=subtitle, max_tasks=max_tasks)
    _warn(made.warnings)
    result = made.result
    typer.echo(f"{output} ({result.size} {result.orientation}, {result.width_mm:g} x {result.height_mm:g} mm)")


@app.command()
@uses(CompareOptions, "efforts", "alias", "aliases", "system", "match", "no_match", "matches", "similarity",
      param="comparing")
@uses(Look, "lang")
@uses(Reading)
def routine(
    file: Path = typer.Argument(..., metavar="STAGE_FILE", help="The stage the routine is for (BPMN or lite)."),
    role: Optional[str] = typer.Option(None, "--role", "-r", metavar="NAME",
                                       help="The role (a case-insensitive prefix is enough); all roles if left out."),
    against: Optional[Path] = typer.Option(None, "--against", metavar="EARLIER_FILE",
                                           help="An earlier stage: list what is no longer done, new and moved."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="OUT",
                                          help="Write to OUT: .md, .html or .pdf (A4, one page per role)."),
    *,
    look: Look,
    reading: Reading,
    comparing: CompareOptions,
) -> None:
    """A case handler's card: my steps in the order the flow runs them, and what changed.

    Each step says who hands the case over and to whom it goes next; either/or
    branches, parallel work and loops are named. With --against, the card lists
    what the role no longer does, what is new, what moved and the minutes saved.

    Example: procmap routine samples/barnehage/3-integrert.lite.xml --role saks --against samples/barnehage/1-manual.lite.xml

    Exit status: 0 done, 1 no such role (the message lists them) or the card cannot be written,
    2 a wrong option or a file that cannot be read.
    """
    from procmap.app import card_format, cards_bytes, routine_cards, write_cards
    from procmap.files import check_output

    inputs = [file, *([against] if against else [])]
    if output is not None:  # refused before any work is done
        card_format(output)
        check_output(output, inputs)
    made = routine_cards(file, role=role, against=against, look=look, reading=reading, comparing=comparing)
    _warn(made.warnings)
    if output is None:
        typer.echo(cards_bytes(made.cards, "markdown").decode("utf-8"), nl=False)
        return
    written = write_cards(made, output, inputs)
    typer.echo(f"wrote {written} ({len(made.cards)} card{'s' if len(made.cards) != 1 else ''})")


@app.command()
@uses(Reading)
def convert(
    file: Path = typer.Argument(..., metavar="FILE", help="A BPMN-lite or BPMN 2.0 file."),
    output: Path = typer.Option(..., "-o", "--output", metavar="OUT",
                                help="Where to write: *.bpmn for BPMN 2.0, *.lite.xml for BPMN-lite."),
    to: Optional[str] = typer.Option(None, "--to", metavar="FORMAT",
                                     help="bpmn or lite; by default taken from OUT's name, else the other format."),
    process: Optional[str] = typer.Option(None, "--process", metavar="ID",
                                          help="With several processes: the one to write as lite."),
    *,
    reading: Reading,
) -> None:
    """Turn a BPMN-lite sketch into real BPMN 2.0, or a BPMN export into BPMN-lite.

    BPMN output has a pool, lanes, flows and full diagram geometry, so it opens in
    Camunda Modeler or any bpmn.io tool; effort figures travel as camunda:properties
    (minutes, minutes_low, minutes_high). Lite output is for a quick hand edit.
    The input file is never overwritten.

    Example: procmap convert samples/barnehage/1-manual.lite.xml -o manual.bpmn

    Exit status: 0 done, 1 it cannot be written as asked, 2 a wrong option or the file cannot be read.
    """
    from procmap.app import convert_file

    done = convert_file(file, output, to=to, process=process, reading=reading)
    _warn(done.warnings)
    typer.echo(f"wrote {done.path} ({'BPMN 2.0' if done.target == 'bpmn' else 'BPMN-lite'}, "
               f"{done.tasks} task{'' if done.tasks == 1 else 's'} in {done.roles} role{'' if done.roles == 1 else 's'})")


# -- portfolio: many services ranked by the working time they free --------------------------------------------
@app.command()
@uses(CompareOptions, param="comparing")
@uses(Look, "lang")
@uses(Reading)
def portfolio(
    path: Path = typer.Argument(..., metavar="PATH", help="A folder with one sub-folder of stage files per service, "
                                "or a manifest CSV with the columns service,stage,file[,cases_per_year]."),
    *,
    comparing: CompareOptions,
    as_json: bool = typer.Option(False, "--json", help="Print the ranking as one JSON object: services (most hours "
                                 "freed first), roles (totals across services), failed (see README)."),
    csv_dir: Optional[Path] = typer.Option(None, "--csv", metavar="DIR", help="Also write the tables as CSV files "
                                           "(services, service_roles, roles, failed) into DIR."),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write the tables to an Excel "
                                        "workbook."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained portfolio "
                                        "report: ranking, chart per service and per role, a section per service."),
    top: Optional[int] = typer.Option(None, "--top", metavar="N", help="Show only the first N services in the "
                                      "terminal table (the chart in --html shows 30; files hold all)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help="Processes comparing at once "
                                       "(default: one per core; 1 = in this process)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT", help="Compare on a "
                                            "running Dask cluster instead (needs pip install 'procmap[dask]' here "
                                            "and procmap on its workers)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", help="Where results are kept "
                                             "between runs (default: $XDG_CACHE_HOME/procmap, else ~/.cache/procmap)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Compare every service again and keep nothing."),
    look: Look,
    reading: Reading,
) -> None:
    """Rank many services by the working time they free: each service's first and last stage compared.

    PATH is a folder with one sub-folder per service (its stage files in file-name
    order) or a manifest CSV (service,stage,file[,cases_per_year], paths relative
    to it). The comparison options apply to every service; a service's own
    cases_per_year wins over --cases. Each service's hours are exactly what
    `procmap compare` gives for it. Services are compared in parallel, and an
    unchanged service is taken from the cache (keyed by the files' content and
    the options). A service that cannot be compared is listed with its reason
    and the others go on.

    Example: procmap portfolio services/ --cases 1000 --rates rates.csv --html portfolio.html

    Exit status: 0 at least one service was compared (failed ones are listed), 1 an output cannot be written,
    2 a wrong option, or a folder or manifest that cannot be read, 3 no service could be compared.
    """
    from procmap.files import check_output
    from procmap.portfolio.run import dask_executor, run_portfolio

    for target, suffixes, what in _table_outputs(html, xlsx):  # refused before any work is done
        check_output(target, [path], suffixes=suffixes, what=what)
    if top is not None and top < 1:
        raise OptionError(f"--top must be 1 or more, not {top}")
    if scheduler is not None and jobs is not None:
        raise OptionError("give --jobs or --scheduler, not both")
    run = functools.partial(run_portfolio, path, comparing, reading, jobs=jobs, cache_dir=cache_dir,
                            use_cache=not no_cache, progress=functools.partial(_progress_of, lang=look.lang))
    if scheduler is not None:
        with dask_executor(scheduler) as executor:
            done, notes = run(executor=executor)
    else:
        done, notes = run()
    _warn(notes)
    _portfolio_outputs(done, look, csv_dir, xlsx, html)
    for failed in done.failed:
        _err(f"{failed.service}: {failed.error}")
    if done.cached:
        from procmap.portfolio.cache import default_cache_dir
        from procmap.words import counted, words

        found = len(done.services) + len(done.failed)
        _note(counted(words(look.lang)["portfolio"], "cached", found).format(
            n=done.cached, m=found, dir=cache_dir or default_cache_dir()))
    if as_json:
        typer.echo(done.to_json())
    else:
        _print_rich(lambda console: _show_portfolio(done, console, look.lang, top))
    if not done.services:
        raise typer.Exit(3)


def _progress_of(items: Any, total: int, label: str, lang: str = "nb"):
    """Results as they come, with a progress bar on a terminal when there are many."""
    if total < 5 or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    from procmap.words import words

    return track(items, total=total, description=str(words(lang)["portfolio"]["progress"]), transient=True,
                 console=Console(stderr=True))


def _show_portfolio(done: Any, console: Any, lang: str, top: Optional[int]) -> None:
    from procmap.portfolio.terminal import show

    show(done, console, lang=lang, top=top, reasons=False)  # the reasons went to standard error


def _portfolio_outputs(done: Any, look: Look, csv_dir: Optional[Path], xlsx: Optional[Path],
                       html: Optional[Path]) -> None:
    from procmap.files import write_atomic

    inputs = done.inputs()
    if html is not None:
        from procmap.portfolio.report import portfolio_html

        _note(f"wrote {write_atomic(html, portfolio_html(done, lang=look.lang, date=look.date), inputs=inputs)}")
    if csv_dir is not None or xlsx is not None:
        from procmap.portfolio.tables import write_tables

        for written in write_tables(done, csv_dir=csv_dir, xlsx=xlsx, inputs=inputs):
            _note(f"wrote {written}")


# -- benefit realisation (procmap.benefits) ------------------------------------------------------------------
from procmap.benefits.options import BenefitOptions  # noqa: E402  (the options the two commands share)


@app.command()
@uses(CompareOptions, param="comparing")
@uses(BenefitOptions, param="planning")
@uses(Look, "lang", "theme", "date")
@uses(Reading)
def benefits(
    files: list[Path] = typer.Argument(..., metavar="STAGES...",
                                       help="The stages in order, oldest first: BPMN 2.0 or BPMN-lite files."),
    *,
    comparing: CompareOptions,
    planning: BenefitOptions,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as one JSON object (see docs)."),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", metavar="FILE",
        help="Also write the plan: .xlsx (the template's sheets), .html or .pdf (printable), or the benefit "
             "map as .svg or .png (.dot and .json work too)."),
    look: Look,
    reading: Reading,
) -> None:
    """The benefit realisation plan: one benefit per role whose work shrinks from the first stage to the last.

    Each benefit has its type (freed time for other work, a budget reduction, or a
    benefit outside the organisation such as the applicant's time), its owner
    (--owners), the baseline and the target in hours a year, the indicator (minutes
    per case and manual tasks), the hours freed with their P10-P90 range, work years
    and money, and the measures that produce it: the tasks removed, automated, done
    digitally or moved, and the new integrations they depend on. With --actuals, each
    benefit gets the hours realised at the latest measurement and the share of the plan.
    The benefit map (measures -> changed tasks -> freed time -> benefits) is drawn by
    Graphviz dot.

    Example: procmap benefits samples/barnehage/*.lite.xml --cases 1000 --rates samples/barnehage/rates.csv -o plan.xlsx

    Exit status: 0 done, 1 an output cannot be written, 2 a wrong option or a file that cannot be read,
    3 the stages cannot be compared as asked (or a side table cannot be read), 4 the map could not be drawn.
    """
    from procmap.benefits.run import plan_files, plan_format, write_plan
    from procmap.benefits.text import summary_lines
    from procmap.files import check_output

    if output is not None:  # refused before any work is done
        plan_format(output)
        check_output(output, [*files, planning.owners, planning.actuals])
    planned = plan_files(files, comparing, planning, reading)
    _warn(planned.plan.warnings)
    if output is not None:
        _note(f"wrote {write_plan(planned, output, planning, look)}")
    if as_json:
        typer.echo(planned.plan.to_json())
        return
    typer.echo("\n".join(summary_lines(planned.plan, look.lang)))


@app.command()
@uses(CompareOptions, param="comparing")
@uses(BenefitOptions, param="planning")
@uses(Look, "lang", "theme", "layout", "date")
@uses(Reading)
def slides(
    files: list[Path] = typer.Argument(..., metavar="STAGES...",
                                       help="The stages in order, oldest first: BPMN 2.0 or BPMN-lite files."),
    output: Path = typer.Option(..., "-o", "--output", metavar="DECK.pptx", help="The deck to write (.pptx)."),
    *,
    comparing: CompareOptions,
    planning: BenefitOptions,
    look: Look,
    reading: Reading,
) -> None:
    """An editable slide deck for managers, politicians and unions (PowerPoint or LibreOffice Impress).

    Title; one slide per stage with its swimlane picture and key figures; the stages
    side by side; what changes for each role; the benefits; the benefit map; and the
    follow-up when --actuals are given. Needs python-pptx (pip install 'procmap[slides]').

    Example: procmap slides samples/barnehage/*.lite.xml --cases 1000 --rates samples/barnehage/rates.csv -o deck.pptx

    Exit status: 0 done, 1 the deck cannot be written, 2 a wrong option or a file that cannot be read,
    3 the stages cannot be compared as asked, 4 a picture could not be made.
    """
    from procmap.benefits.run import check_slides_name, plan_files, write_slides

    check_slides_name(output, [*files, planning.owners, planning.actuals])  # refused before any work is done
    planned = plan_files(files, comparing, planning, reading)
    _warn(planned.plan.warnings)
    written = write_slides(planned, output, planning, look)
    typer.echo(f"wrote {written}")


# -- the web page ---------------------------------------------------------------------------------------------
@app.command()
@uses(Limits)
def serve(
    host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS",
                             help="Where to listen: 127.0.0.1 (this machine only) unless you know better."),
    port: int = typer.Option(8765, "--port", metavar="N", help="The port (0: any free one)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open the page in a browser."),
    *,
    limits: Limits,
) -> None:
    """Start the web page for process owners: choose the stage files, see the comparison, download the poster.

    Everything stays on this machine: the files are kept in memory while the page is open
    (and forgotten after --session-minutes without use), nothing is fetched from or sent to
    the internet. Beside the page there is a JSON API: POST /api/compare answers what
    `procmap compare --json` prints (see /openapi.json). Stop it with Ctrl+C.

    Needs the web extra: pip install 'procmap[web]'

    Example: procmap serve --port 8765

    Exit status: 0 stopped with Ctrl+C, 1 the web extra is not installed or the port cannot be used,
    2 a wrong option.
    """
    try:
        import uvicorn

        from procmap.web.server import LOCAL_HOSTS, create_app, url_of
    except ImportError as exc:
        raise ProcmapError(f"the web page needs the web extra ({exc.name} is missing): pip install 'procmap[web]'") \
            from None
    if not 0 <= port <= 65535:
        raise OptionError(f"--port must be between 0 and 65535, not {port}")
    import socket

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise ProcmapError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (try another --port)") from None
    port = sock.getsockname()[1]
    local = host in LOCAL_HOSTS
    app_ = create_app(limits, hosts=LOCAL_HOSTS if local else ("*",))
    server = uvicorn.Server(uvicorn.Config(app_, log_level="warning", lifespan="off"))
    url = url_of(host, port)
    _note(f"procmap serves {url} (Ctrl+C stops it)")
    if not local:
        _err(f"warning: {host} may be reachable from other machines; the page has no login")
    if not no_browser:
        import threading
        import webbrowser

        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl+C, then passes the signal on: stopping is the normal end
        pass
    _note("procmap serve stopped")

def _table_outputs(html: Optional[Path], xlsx: Optional[Path]) -> list[tuple[Path, tuple[str, ...], str]]:
    """The --html and --xlsx files given, with the names each may have."""
    return [(target, suffixes, what) for target, suffixes, what in
            ((html, (".html", ".htm"), "--html (a web page)"), (xlsx, (".xlsx",), "--xlsx (an Excel workbook)"))
            if target is not None]


# typer vendors click: its exception classes are reached through typer's public BadParameter.
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _usage_line(exc: Exception) -> str:
    """A wrong option or argument as one line: what is wrong, where to read more."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "procmap"
    message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
    command = where.removeprefix("procmap").strip()
    return f"{command + ': ' if command else ''}{message} ('{where} -h' lists the options)"


def main() -> None:
    """Entry point: run the app and turn any procmap error, and any wrong option, into one line and an
    exit code; `procmap` alone still shows the help."""
    try:
        code = app(standalone_mode=False)
    except ProcmapError as exc:
        for line in exc.lines():
            _err(line)
        sys.exit(exit_code(exc))
    except _CLICK_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
        else:
            _err(_usage_line(exc))
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except (KeyboardInterrupt, typer.Abort):
        _err("interrupted")
        sys.exit(INTERRUPTED)
    if code == INTERRUPTED:  # typer turns Ctrl-C inside a command into exit status 130, silently
        _err("interrupted")
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main", "uses"]
