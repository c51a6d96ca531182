"""The use cases: what the command line, the web page and the portfolio do, each as one function.

Every function takes files (paths or bytes) and option objects (:mod:`procmap.options`)
and returns a typed result; none prints, none exits. Reading several files with an
error per file, merging aliases, choosing an output's format by its suffix, refusing to
write over an input and collecting the warnings a person should see all live here, so
every front end shows exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence, Union

from procmap.bpmn.reader import Source, read
from procmap.errors import CompareError, OptionError, ProcmapError, ReadError
from procmap.files import check_output, shown, write_atomic
from procmap.model.elements import Model
from procmap.options import CompareOptions, Look, Paper, Reading

if TYPE_CHECKING:
    from procmap.compare.result import Comparison
    from procmap.render.poster import PosterResult
    from procmap.views.cards import Routine

#: Wraps a list of work items with a progress display (the CLI's bar); the default shows nothing.
Progress = Callable[[list, str], Iterable]


def _no_progress(items: list, label: str) -> Iterable:
    return items


def _paths(inputs: Iterable[Any]) -> list[Path]:
    return [Path(p) for p in inputs if isinstance(p, (str, Path))]


# --------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Inspected:
    """One file as read: its model, or the error that stopped reading it."""

    file: str
    model: Optional[Model] = None
    error: Optional[ProcmapError] = None


def inspect_files(files: Sequence[Source], reading: Reading = Reading(),
                  progress: Progress = _no_progress) -> list[Inspected]:
    """Read every file; one that cannot be read is kept as its error, and the others are still read."""
    out = []
    for source in progress(list(files), "Reading"):
        name = shown(source) if isinstance(source, (str, Path)) else str(getattr(source, "name", "<bytes>"))
        try:
            out.append(Inspected(name, model=read(source, max_bytes=reading.max_bytes)))
        except ProcmapError as exc:
            out.append(Inspected(name, error=exc))
    return out


class UnreadableStages(ReadError):
    """Some stage files cannot be read: each is named, and the comparison is refused."""

    def __init__(self, errors: Sequence[ProcmapError]) -> None:
        last = errors[-1]
        super().__init__(f"{last.message}; comparison refused", source=last.source, line=last.line,
                         column=last.column, element_id=last.element_id)
        self.errors = list(errors)

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors[:-1]] + [str(self)]


def read_stages(files: Sequence[Source], reading: Reading = Reading()) -> list[Model]:
    """Read every stage file; name each one that fails, then refuse the comparison."""
    if len(files) < 2:
        raise CompareError("need at least two stages to compare; to look at one file use `procmap inspect FILE`")
    models, failed = [], []
    for source in files:
        try:
            models.append(read(source, max_bytes=reading.max_bytes))
        except ReadError as exc:
            failed.append(exc)
    if failed:
        raise UnreadableStages(failed)
    return models


# --------------------------------------------------------------------------- comparing
@dataclass(frozen=True)
class Compared:
    """Stages read and compared: the models (for pictures) and the comparison (for everything else)."""

    files: tuple[Any, ...]
    models: tuple[Model, ...]
    comparison: "Comparison"

    @property
    def title(self) -> Optional[str]:
        return self.models[0].name or None

    def later_warnings(self) -> list[str]:
        """What converting the files' diagrams for a picture said, beyond the comparison's own warnings."""
        return self.comparison.warnings_since(list(self.models))


def compare_files(files: Sequence[Source], options: CompareOptions = CompareOptions(),
                  reading: Reading = Reading()) -> Compared:
    """Read the stage files and compare them."""
    from procmap.compare.run import compare

    models = read_stages(files, reading)
    return Compared(tuple(files), tuple(models), compare(models, options))


def comparison_json(compared: Compared) -> str:
    """Exactly what ``procmap compare --json`` prints."""
    return compared.comparison.to_json()


def report_html(compared: Compared, look: Look = Look()) -> str:
    """The self-contained, printable HTML report."""
    from procmap.render.report import report_html as make

    return make(list(compared.models), compared.comparison, lang=look.lang, theme=look.theme, layout=look.layout,
                date=look.date)


def write_report(compared: Compared, path: Union[str, Path], look: Look = Look()) -> Path:
    check_output(path, _paths(compared.files))
    return write_atomic(path, report_html(compared, look), inputs=_paths(compared.files))


def write_tables(compared: Compared, *, csv_dir: Optional[Path] = None, xlsx: Optional[Path] = None) -> list[Path]:
    """The comparison's tables as CSV files in a folder and/or one Excel workbook."""
    from procmap.views.frames import write_csv, write_xlsx

    inputs = _paths(compared.files)
    if xlsx is not None:
        check_output(xlsx, inputs)
    written: list[Path] = []
    if csv_dir is not None:
        written += write_csv(compared.comparison, csv_dir, inputs=inputs)
    if xlsx is not None:
        written.append(write_xlsx(compared.comparison, xlsx, inputs=inputs))
    return written


# --------------------------------------------------------------------------- pictures
@dataclass
class Poster:
    """A poster made: the renderer's result, and what a person should be told."""

    result: "PosterResult"
    warnings: list[str] = field(default_factory=list)


def check_picture_name(output: Union[str, Path], inputs: Iterable[Any] = ()) -> str:
    """The picture format chosen by the output's suffix (.svg, .pdf or .png); refuses an input as output."""
    from procmap.render.export import check_suffix

    try:
        suffix = check_suffix(output)
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    check_output(output, _paths(inputs))
    return suffix


def make_poster(compared: Compared, output: Union[str, Path, None], look: Look = Look(), paper: Paper = Paper(), *,
                title: Optional[str] = None, subtitle: Optional[str] = None, max_tasks: int = 150) -> Poster:
    """The one-page poster, written to ``output`` (.pdf, .svg or .png) when given."""
    from procmap.render.poster import poster

    if output is not None:
        check_picture_name(output, compared.files)
    if max_tasks < 1:
        raise OptionError(f"--max-tasks must be at least 1, not {max_tasks}")
    result = poster(list(compared.models), compared.comparison, output, size=paper.size,
                    orientation=paper.orientation, title=title, subtitle=subtitle, lang=look.lang, theme=look.theme,
                    layout=look.layout, max_tasks=max_tasks, dpi=paper.dpi, date=look.date)
    said = set(compared.comparison.warnings)
    later = [w for w in compared.later_warnings() if w not in said]
    return Poster(result, [*compared.comparison.warnings, *later, *result.warnings])


@dataclass(frozen=True)
class Drawn:
    """One stage drawn: the picture, the file it went to, and what it left out."""

    model: Model
    svg: str
    path: Optional[Path]
    notes: list[str]

    @property
    def warnings(self) -> list[str]:
        return self.model.all_warnings()


def draw_file(file: Source, output: Union[str, Path, None], look: Look = Look(), *, width: Optional[int] = None,
              reading: Reading = Reading()) -> Drawn:
    """Draw one stage as a swimlane diagram, written to ``output`` (.svg, .png or .pdf) when given."""
    from procmap.render import stage_svg
    from procmap.render.export import MAX_PX, save

    if output is not None:
        check_picture_name(output, [file])
    if width is not None and not 1 <= width <= MAX_PX:
        raise OptionError(f"--width must be between 1 and {MAX_PX:,} pixels, not {width:,}")
    model = read(file, max_bytes=reading.max_bytes)
    svg = stage_svg(model, layout=look.layout, lang=look.lang, theme=look.theme)
    notes = picture_notes(svg)
    path = save(svg, output, width=width, notes=notes) if output is not None else None
    return Drawn(model, svg, path, notes)


def picture_notes(svg: str) -> list[str]:
    """What a picture says in its small print that it left out (its ``class="note"`` texts)."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    return [el.text for el in root.iter("{http://www.w3.org/2000/svg}text") if el.get("class") == "note" and el.text]


# --------------------------------------------------------------------------- routine cards
@dataclass(frozen=True)
class Cards:
    """Routine cards of one stage, and what reading and walking its flow said."""

    model: Model
    cards: list["Routine"]
    warnings: list[str]


CARD_FORMATS = MappingProxyType({".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
                                 ".markdown": "markdown", ".txt": "markdown"})


def routine_cards(file: Source, *, role: Optional[str] = None, against: Optional[Source] = None,
                  look: Look = Look(), reading: Reading = Reading(),
                  comparing: CompareOptions = CompareOptions()) -> Cards:
    """A role's routine card (every role's when ``role`` is None), compared with an earlier stage if given.

    ``comparing`` (aliases, matches, system lanes, ...) is used for that comparison, so a card says
    what ``procmap compare`` says for the same two files and options.
    """
    from procmap.compare.run import compare
    from procmap.views import cards as rt

    model = read(file, max_bytes=reading.max_bytes)
    earlier = read(against, max_bytes=reading.max_bytes) if against is not None else None
    comparison = compare([earlier, model], comparing) if earlier is not None else None
    minutes, table_warnings = _card_minutes(model, comparing, comparison)
    if role:
        made = [rt.routine(model, role, against=earlier, comparison=comparison, lang=look.lang,  # type: ignore[arg-type]
                           minutes=minutes)]
    else:
        made = rt.routines(model, against=earlier, comparison=comparison, lang=look.lang,  # type: ignore[arg-type]
                           minutes=minutes)
    return Cards(model, made, [*model.all_warnings(), *table_warnings, *(w for c in made for w in c.warnings)])


def _card_minutes(model: Model, comparing: CompareOptions, comparison: Optional["Comparison"]
                  ) -> tuple[Optional[Callable[[Any], Optional[float]]], list[str]]:
    """The minutes a card shows per step when an efforts table is given, as ``compare`` counts them (the
    table's row for the stage and task, else the file's figure); and what the table says about itself
    (rows for no task), unless the comparison said it already."""
    if comparing.efforts is None:
        return None, []
    from procmap.compare.effort import Overrides
    from procmap.compare.inputs import load_efforts
    from procmap.compare.run import stage_name_of

    stage = comparison.stages[-1].name if comparison is not None else stage_name_of(model, 0)
    rows = load_efforts(comparing.efforts)
    # Rows for the service's other stages are no mistake on one stage's card: every stage the table names is known.
    table = Overrides(rows, [stage, *(r.stage for r in rows.rows if r.stage)])
    found = {}
    for node in model.nodes:  # each task looked up once: its minutes, and the table learns which rows were used
        if node.is_task:
            effort = table.effort(stage, node)
            found[node.id] = effort.minutes if effort is not None else None
    if comparison is not None:
        return lambda node: found.get(node.id), []
    unused = table.unused_warning(stage)
    return lambda node: found.get(node.id), [*table.warnings, *([unused] if unused else [])]


def card_format(output: Union[str, Path]) -> str:
    fmt = CARD_FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        raise OptionError(f"cannot write {shown(Path(output).name)!r}: the file name must end in .md, .html or .pdf")
    return fmt


def cards_bytes(cards: Sequence["Routine"], fmt: str) -> bytes:
    """Cards as ``markdown``, ``html`` or ``pdf`` bytes."""
    from procmap.views import cards as rt

    if fmt == "pdf":
        return rt.to_pdf(cards)
    if fmt == "html":
        return rt.to_html(cards).encode("utf-8")
    return rt.to_markdown(cards).encode("utf-8")


def write_cards(made: Cards, output: Union[str, Path], inputs: Iterable[Any] = ()) -> Path:
    fmt = card_format(output)
    check_output(output, _paths(inputs))
    return write_atomic(output, cards_bytes(made.cards, fmt), inputs=_paths(inputs))


# --------------------------------------------------------------------------- convert
@dataclass(frozen=True)
class Converted:
    """A file written in the other format, and what the new file holds."""

    path: Path
    target: str  # "bpmn" or "lite"
    tasks: int
    roles: int
    warnings: list[str]


def format_of(path: Union[str, Path]) -> Optional[str]:
    """``lite`` or ``bpmn`` by a file's name; None when the name does not say."""
    name = Path(path).name.lower()
    if name.endswith((".lite.xml", ".lite")):
        return "lite"
    if name.endswith((".bpmn", ".bpmn2", ".bpmn.xml")):
        return "bpmn"
    return None


def convert_file(file: Source, output: Union[str, Path], *, to: Optional[str] = None,
                 process: Optional[str] = None, reading: Reading = Reading()) -> Converted:
    """BPMN-lite to BPMN 2.0 (with a full diagram) or BPMN 2.0 to BPMN-lite."""
    from procmap.views.convert import to_bpmn, to_lite

    check_output(output, _paths([file]))
    if to is not None and to.lower() not in ("bpmn", "lite"):
        raise OptionError(f"--to must be bpmn or lite, not {to!r}")
    model = read(file, max_bytes=reading.max_bytes)
    target = (to or "").lower() or format_of(output) or ("lite" if model.format == "bpmn" else "bpmn")
    said: list[str] = []
    try:
        data = to_bpmn(model) if target == "bpmn" else to_lite(model, process, said)
    except ValueError as exc:
        raise ProcmapError(str(exc), source=model.source) from None
    try:  # the counts are of what the new file holds; a file procmap cannot read back is not written
        written = read(data, name=str(output))
    except ProcmapError as exc:
        raise ProcmapError(f"converting would write a file procmap cannot read back ({exc}); nothing was written",
                           source=model.source) from None
    warnings = model.all_warnings() + said
    kept = {p.id for p in written.processes}
    left = [p.id for p in model.processes if p.id not in kept and any(n.process_id == p.id for n in model.nodes)]
    if left:
        warnings.append(f"{model.source}: BPMN-lite holds one process; wrote {', '.join(sorted(kept))} and left out "
                        f"{', '.join(left)} (choose another with --process)")
    path = write_atomic(output, data, inputs=_paths([file]))
    return Converted(path, target, len(written.tasks), len(written.roles), warnings)


__all__ = ["Cards", "Compared", "Converted", "Drawn", "Inspected", "Poster", "UnreadableStages", "card_format",
           "cards_bytes", "check_picture_name", "compare_files", "comparison_json", "convert_file", "draw_file",
           "format_of", "inspect_files", "make_poster", "picture_notes", "read_stages", "report_html",
           "routine_cards", "write_cards", "write_report", "write_tables"]
