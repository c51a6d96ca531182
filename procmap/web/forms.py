"""Form fields to option objects: the page and the API read the same definition as the command line.

Every field of an options class (:func:`procmap.options.flags`) is a form field named like
its flag without the dashes (``cases``, ``rate``, ``hours-per-fte``, ``alias``); a repeatable
flag is a repeated field, a table (a CSV on the command line) is an uploaded file. Hourly
rates may also come one role at a time, as fields ``rates:ROLE``. Uploaded file names are only
ever shown, never used as paths.
"""

from __future__ import annotations

import io
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from procmap.errors import FieldError, OptionError
from procmap.options import CompareOptions, Flag, Limits, Look, Paper, flags
from procmap.words import read_number
from procmap.web.sessions import Upload

#: Per-role hourly rates on the page: ``rates:Saksbehandler=650``.
ROLE_RATE = "rates:"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FormField:
    """One control of the form, made from an option's flag."""

    name: str  # the form field: the flag without dashes
    option: str  # the options class's field name
    flag: Flag
    default: Any
    kind: str  # "number", "integer", "text", "choice", "date", "repeated" or "table"
    choices: tuple[str, ...] = ()


def _base(hint: Any) -> Any:
    """int for Optional[int], and so on."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) is typing.Union and len(args) == 1 else hint


def form_fields(cls: type) -> list[FormField]:
    """The controls of an options class, in definition order."""
    hints = typing.get_type_hints(cls)
    out = []
    for option, flag, default in flags(cls):
        base = _base(hints[option])
        if flag.repeatable:
            kind = "repeated"
        elif flag.cli_type is Path:
            kind = "table"
        elif "|" in flag.metavar:
            kind = "choice"
        elif flag.metavar.startswith("YYYY"):
            kind = "date"
        elif base is int:
            kind = "integer"
        elif base is float:
            kind = "number"
        else:
            kind = "text"
        choices = tuple(flag.metavar.split("|")) if kind == "choice" else ()
        out.append(FormField(flag.name, option, flag, default, kind, choices))
    return out


def field_names(*classes: type) -> set[str]:
    return {f.name for cls in classes for f in form_fields(cls)}


def _number(field: str, said: str, text: str) -> float:
    """The number in a field as people write it; else a :class:`FieldError` (``said`` names the field in
    its English message, the one the API gives)."""
    try:
        return read_number(text)
    except ValueError as exc:
        raise FieldError(f"{said} {exc}", field, text, readings=getattr(exc, "readings", ())) from None


def _value(f: FormField, text: str) -> Any:
    if f.kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise FieldError(f"{f.name} must be a whole number, not {text!r}", f.name, text, whole=True) from None
    if f.kind == "number":
        return _number(f.name, f.name, text)
    return text.strip()


def options_from_form(cls: type, values: Mapping[str, Sequence[str]],
                      tables: Optional[Mapping[str, Upload]] = None, **given: Any) -> Any:
    """An options object from form values (field -> list of texts); blank fields keep their default.

    ``tables`` holds uploaded CSV files by field name; ``given`` wins over both (the page's own state).
    Raises :class:`OptionError` naming the field for a value that is not what the option takes.
    """
    kwargs: dict[str, Any] = {}
    for f in form_fields(cls):
        if f.option in given:
            continue
        texts = [str(t) for t in values.get(f.name, ()) if str(t).strip()]
        if f.kind == "table":
            if texts:
                raise OptionError(f"{f.name} must be an uploaded CSV file, not text")
            upload = (tables or {}).get(f.name)
            if upload is not None:
                kwargs[f.option] = named_stream(upload)
            continue
        if not texts:
            continue
        if f.kind == "repeated":
            kwargs[f.option] = tuple(t.strip() for t in texts)
        elif len(texts) > 1:
            raise OptionError(f"{f.name} was given {len(texts)} times; give it once")
        else:
            kwargs[f.option] = _value(f, texts[0])
    kwargs.update(given)
    return cls(**kwargs)


def role_rates(values: Mapping[str, Sequence[str]]) -> Optional[dict[str, float]]:
    """Hourly rates given one role at a time (``rates:ROLE`` fields), or None when there are none."""
    out: dict[str, float] = {}
    for name, texts in values.items():
        if not name.startswith(ROLE_RATE):
            continue
        role = name[len(ROLE_RATE):].strip()
        text = next((str(t) for t in texts if str(t).strip()), "")
        if not role or not text:
            continue
        out[role] = _number(name, f"the rate of {role}", text)
    return out or None


def compare_options(values: Mapping[str, Sequence[str]], tables: Optional[Mapping[str, Upload]] = None,
                    **given: Any) -> CompareOptions:
    """CompareOptions from the form, with the per-role rates as the ``rates`` table."""
    per_role = role_rates(values)
    if per_role is not None:
        if tables and "rates" in tables:
            raise OptionError("give the hourly rates either as a CSV file or role by role, not both")
        given.setdefault("rates", per_role)
    return options_from_form(CompareOptions, values, tables, **given)


def check_fields(values: Mapping[str, Any], allowed: set[str]) -> None:
    """Refuse a field no option has (a typo would otherwise be silently ignored)."""
    unknown = sorted(n for n in values if n not in allowed and not n.startswith(ROLE_RATE))
    if unknown:
        raise OptionError(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(allowed))}, rates:ROLE")


def display_name(filename: Optional[str], position: int) -> str:
    """What a person called the file, without any folder, control characters or excess length."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = _CONTROL.sub("", name).strip()
    if len(name) > 120:
        name = name[:100] + "…" + name[-19:]
    return name if name not in ("", ".", "..") else f"upload-{position + 1}"


def named_stream(upload: Upload) -> io.BytesIO:
    """The upload as a file object whose ``name`` is shown in messages (procmap never opens it)."""
    stream = io.BytesIO(upload.data)
    stream.name = upload.name  # type: ignore[attr-defined]
    return stream


class TooLarge(OptionError):
    """An upload over a limit (HTTP 413 from the API)."""


def check_sizes(uploads: Sequence[Upload], limits: Limits, held: int = 0) -> list[str]:
    """One message per file over the size limit; raises :class:`TooLarge` when all together are over."""
    big = [f"{u.name}: the file is {u.data.__len__() / 1e6:.3g} MB, over the {limits.max_file_size:g} MB limit"
           for u in uploads if len(u.data) > limits.file_bytes]
    total = held + sum(len(u.data) for u in uploads if len(u.data) <= limits.file_bytes)
    if total > limits.total_bytes:
        raise TooLarge(f"the files are {total / 1e6:.3g} MB in all, over the {limits.max_total_size:g} MB limit")
    return big


def check_count(count: int, limits: Limits) -> None:
    if count > limits.max_files:
        raise OptionError(f"{count} files is more than the {limits.max_files} one upload may hold")


PAGE_CLASSES = (CompareOptions, Look, Paper)

__all__ = ["FormField", "PAGE_CLASSES", "ROLE_RATE", "TooLarge", "check_count", "check_fields", "check_sizes",
           "compare_options", "display_name", "field_names", "form_fields", "named_stream", "options_from_form",
           "role_rates"]
