"""What the page does with one user's session: take uploads and corrections, compare, show, hand out files.

Everything is done by the use cases of :mod:`procmap.app` and the pictures of
:mod:`procmap.render`, with option objects made from the form by :mod:`procmap.web.forms`,
so the page shows what ``procmap compare``, ``poster``, ``routine`` and the rest print.
Nothing here knows about HTTP.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Optional, Sequence

from procmap.app import Compared, cards_bytes, compare_files, make_poster, report_html, routine_cards
from procmap.benefits.options import BenefitOptions
from procmap.bpmn.reader import read
from procmap.compare.run import stage_name_of
from procmap.errors import CompareError, FieldError, OptionError, ProcmapError
from procmap.options import CompareOptions, Limits, Look, Paper
from procmap.web.forms import (TooLarge, check_count, check_fields, check_sizes, compare_options,
                               field_names, form_fields, named_stream, options_from_form)
from procmap.web.order import ordered
from procmap.web.sessions import Session, StageFile, Upload

#: Form fields of the page that are no option: the stage list, the boxes that add a correction, the card choice.
STAGE_NAME = "stage:"
ADD = "add:"
CARD_ROLE, CARD_STAGE = "card-role", "card-stage"
#: Options the page shows elsewhere: the stage names are edited in the stage list, rates role by role.
NOT_IN_SETTINGS = ("stages", "rates")
#: The options of the page: how stages are compared, and the benefit plan made from the comparison.
PAGE_OPTIONS = (CompareOptions, BenefitOptions)
TABLES = tuple(f.name for cls in PAGE_OPTIONS for f in form_fields(cls)
               if f.kind == "table" and f.name not in NOT_IN_SETTINGS)
REPEATED = tuple(f.name for cls in PAGE_OPTIONS for f in form_fields(cls) if f.kind == "repeated")


# --------------------------------------------------------------------------- options
@dataclass(frozen=True)
class Chosen:
    """The options of a session as objects, and the key its results are remembered by."""

    comparing: CompareOptions
    look: Look
    paper: Paper
    planning: BenefitOptions
    key: Any


def _key(stages: Sequence[StageFile], values: Mapping[str, Sequence[str]], tables: Mapping[str, Upload]) -> Any:
    files = tuple((s.upload.name, len(s.upload.data), hash(s.upload.data), s.shown_name) for s in stages)
    held = tuple(sorted((k, u.name, hash(u.data)) for k, u in tables.items()))
    chosen = tuple(sorted((k, tuple(v)) for k, v in values.items() if not k.startswith((ADD, CARD_ROLE, CARD_STAGE))))
    return files, held, chosen


def chosen(stages: Sequence[StageFile], values: Mapping[str, Sequence[str]], tables: Mapping[str, Upload]) -> Chosen:
    """Options from the page's values; raises :class:`OptionError` for a value an option does not take."""
    named = any(s.name for s in stages)
    given = {"stages": tuple(s.shown_name for s in stages)} if named else {}
    comparing = compare_options(values, tables, **given)
    return Chosen(comparing, options_from_form(Look, values), options_from_form(Paper, values),
                  options_from_form(BenefitOptions, values, tables), _key(stages, values, tables))


def look_of(session: Session) -> Look:
    """The page's language and look, or the defaults while the values are being corrected."""
    try:
        return options_from_form(Look, session.values)
    except OptionError:
        return Look()


# --------------------------------------------------------------------------- taking the user's changes
def _stage_file(upload: Upload, position: int) -> StageFile:
    """A stage file read once to check it; the model says the name procmap gives the stage."""
    model = read(named_stream(upload), max_bytes=None)
    return StageFile(upload, stage_name_of(model, position), own_stage=model.stage)


def add_stages(session: Session, uploads: Sequence[Upload], limits: Limits) -> list[str]:
    """Add the stage files in the order chosen, then put all in the order the files give
    (:mod:`procmap.web.order`) unless the user has ordered them; a file that is too large or
    unreadable is named and left out.

    A file with the name of one already there replaces it in its place. Returns what could not be added.
    """
    check_count(len(uploads), limits)
    if not session.stages:
        session.moved = False  # a new start: the files' order again
    kept = [s for s in session.stages if s.upload.name not in {u.name for u in uploads}]
    messages = check_sizes(uploads, limits, held=sum(len(s.upload.data) for s in kept)
                           + sum(len(u.data) for u in session.tables.values()))
    for upload in uploads:
        if len(upload.data) > limits.file_bytes:
            continue
        try:
            stage = _stage_file(upload, len(session.stages))
        except ProcmapError as exc:
            messages.append(str(exc))
            continue
        at = next((i for i, s in enumerate(session.stages) if s.upload.name == upload.name), None)
        if at is None:
            session.stages.append(stage)
        else:
            session.stages[at] = stage
    if not session.moved:
        session.stages[:] = ordered(session.stages)
    return messages


def add_tables(session: Session, uploads: Mapping[str, Upload], limits: Limits) -> list[str]:
    """Keep the CSV tables chosen (efforts, aliases); they are checked when the stages are compared."""
    messages = check_sizes(list(uploads.values()), limits, held=session.size())
    for name, upload in uploads.items():
        if len(upload.data) <= limits.file_bytes:
            session.tables[name] = upload
    return messages


def _act(stages: list[StageFile], values: dict[str, list[str]], tables: dict[str, Upload], action: str) -> None:
    """Move or remove a stage (``up:2``, ``down:0``, ``remove:1``), drop a correction (``drop:alias:0``)
    or a table (``untable:efforts``)."""
    verb, _, rest = action.partition(":")
    if verb in ("up", "down", "remove"):
        try:
            i = int(rest)
        except ValueError:
            raise OptionError(f"unknown action {action!r}") from None
        if not 0 <= i < len(stages):
            return
        if verb == "remove":
            del stages[i]
        else:
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(stages):
                stages[i], stages[j] = stages[j], stages[i]
    elif verb == "drop":
        name, _, index = rest.rpartition(":")
        listed = values.get(name, [])
        if index.isdigit() and int(index) < len(listed):
            del listed[int(index)]
    elif verb == "untable":
        tables.pop(rest, None)
    elif action:
        raise OptionError(f"unknown action {action!r}")


def update(session: Session, values: Mapping[str, Sequence[str]], action: str = "") -> list[str]:
    """Take the page's form as sent: settings, stage names, corrections added, and one action.

    The new values are taken only when they make valid options; else the page keeps what it had
    (and its results), shows the values as typed so they can be fixed, and says why: a
    :class:`FieldError` is said by the page, in its language, any other refusal is returned.
    """
    new: dict[str, list[str]] = {}
    names: dict[int, str] = {}
    for name, texts in values.items():
        texts = [str(t) for t in texts]
        if name.startswith(STAGE_NAME):
            index = name[len(STAGE_NAME):]
            if index.isdigit() and texts and texts[0].strip():
                names[int(index)] = texts[0].strip()
        elif name.startswith(ADD):
            target = name[len(ADD):]
            if target in REPEATED:
                new.setdefault(target, [])
                new[target] += [t.strip() for t in texts if t.strip() and t.strip() not in new[target]]
        elif name in TABLES or name in ("files", "action"):
            continue
        else:
            new.setdefault(name, [])
            added = [t for t in new[name] if t not in texts]  # a correction added comes after those listed
            new[name] = texts + added
    stages = [dataclasses.replace(s, name=names[i] if names.get(i, s.shown_name) != s.default_name else None)
              if i in names else s for i, s in enumerate(session.stages)]
    tables = dict(session.tables)
    _act(stages, new, tables, action)
    if action.partition(":")[0] in ("up", "down"):
        session.moved = True  # the user's order from now on
    try:
        chosen(stages, new, tables)
    except OptionError as exc:
        _act(session.stages, session.values, session.tables, action)  # a move still moves
        session.typed, session.refused = new, exc if isinstance(exc, FieldError) else None
        return [] if isinstance(exc, FieldError) else [str(exc)]
    session.stages[:], session.values, session.tables = stages, new, tables
    session.typed, session.refused = {}, None
    return []


# --------------------------------------------------------------------------- comparing
def compared(session: Session) -> Optional[Compared]:
    """The session's stages compared with its options (remembered), or None with fewer than two."""
    if len(session.stages) < 2:
        return None
    options = chosen(session.stages, session.values, session.tables)
    return session.remember(("compared", options.key), lambda: compare_files(
        [named_stream(s.upload) for s in session.stages], options.comparing))


# --------------------------------------------------------------------------- the API
def api_compare(files: Sequence[Upload], values: Mapping[str, Sequence[str]], tables: Mapping[str, Upload],
                limits: Limits) -> Compared:
    """``POST /api/compare``: the stages in the order given, with the CLI's options by their flag names.

    Raises :class:`TooLarge` for files over the limits, :class:`OptionError` for an unknown field or
    a bad value, :class:`CompareError` for fewer than two stages and :class:`ReadError` for a bad file.
    """
    check_fields({**values, **tables}, field_names(CompareOptions, Look))
    check_count(len(files) + len(tables), limits)
    big = check_sizes([*files, *tables.values()], limits)
    if big:
        raise TooLarge("; ".join(big))
    if len(files) < 2:
        raise CompareError("need at least two stages to compare (send each stage file as a field named files)")
    comparing = compare_options(values, tables)
    options_from_form(Look, values)  # the language is checked as the CLI checks it, though JSON has no words
    return compare_files([named_stream(u) for u in files], comparing)


# --------------------------------------------------------------------------- downloads
@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    data: bytes


MEDIA = MappingProxyType({"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml",
                          "html": "text/html; charset=utf-8",
                          "md": "text/markdown; charset=utf-8", "zip": "application/zip",
                          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"})
KINDS = ("poster.pdf", "poster.png", "poster.svg", "report.html", "cards.pdf", "cards.html", "cards.md",
         "tables.zip", "tables.xlsx", "plan.xlsx", "plan.html", "plan.pdf", "map.svg", "map.png", "slides.pptx")


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-")[:60] or "procmap"


def download(session: Session, kind: str) -> Download:
    """One of :data:`KINDS`, made from the session's comparison (and remembered while nothing changes)."""
    if kind not in KINDS:
        raise OptionError(f"nothing to download called {kind!r}; there is {', '.join(KINDS)}")
    with session.lock:
        made = compared(session)
        if made is None:
            raise CompareError("choose at least two stages first")
        options = chosen(session.stages, session.values, session.tables)
        card = (session.values.get(CARD_ROLE, [""]) or [""])[0], (session.values.get(CARD_STAGE, [""]) or [""])[0]
        stages = list(session.stages)
        return session.remember(("download", kind, options.key, card),
                                lambda: _make(made, kind, options, stages, *card))


def _make(made: Compared, kind: str, options: Chosen, stages: Sequence[StageFile], role: str, stage: str) -> Download:
    what, fmt = kind.split(".")
    service = _slug(made.title or "procmap")
    if what == "poster":
        from procmap.render.export import svg_to_pdf, svg_to_png

        svg = make_poster(made, None, options.look, options.paper).result.svg
        data = (svg_to_pdf(svg) if fmt == "pdf" else svg_to_png(svg, dpi=options.paper.dpi) if fmt == "png"
                else svg.encode("utf-8"))
        return Download(f"{service}-poster-{options.paper.size}.{fmt}", MEDIA[fmt], data)
    if what in ("plan", "map", "slides"):  # the benefit plan (procmap benefits, slides), from this comparison
        from procmap.benefits.run import plan_bytes, plan_from, slides_bytes
        from procmap.compare.run import alias_table

        planned = plan_from(made, options.planning, alias_table(options.comparing))
        if what == "slides":
            return Download(f"{service}-slides.pptx", MEDIA[fmt], slides_bytes(planned, options.look))
        data = plan_bytes(planned, f"map-{fmt}" if what == "map" else fmt, options.look)
        return Download(f"{service}-benefit-{what}.{fmt}", MEDIA[fmt], data)
    if what == "report":
        return Download(f"{service}-report.html", MEDIA[fmt], report_html(made, options.look).encode("utf-8"))
    if what == "cards":
        index = int(stage) if stage.isdigit() and int(stage) < len(stages) else len(stages) - 1
        against = named_stream(stages[index - 1].upload) if index > 0 else None
        cards = routine_cards(named_stream(stages[index].upload), role=role or None, against=against,
                              look=options.look)
        data = cards_bytes(cards.cards, {"md": "markdown"}.get(fmt, fmt))
        return Download(f"{_slug(role or 'routine')}-{_slug(stages[index].shown_name)}.{fmt}", MEDIA[fmt], data)
    from procmap.views.frames import csv_files, workbook

    if fmt == "xlsx":
        return Download(f"{service}-tables.xlsx", MEDIA[fmt], workbook(made.comparison))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(made.comparison).items():
            archive.writestr(name, data)
    return Download(f"{service}-tables.zip", MEDIA[fmt], buffer.getvalue())


__all__ = ["ADD", "CARD_ROLE", "CARD_STAGE", "Chosen", "Download", "KINDS", "NOT_IN_SETTINGS", "REPEATED",
           "PAGE_OPTIONS", "STAGE_NAME", "TABLES", "add_stages", "add_tables", "api_compare", "chosen", "compared",
           "download", "look_of", "update"]
