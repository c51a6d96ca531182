"""Typed errors, and the one table of exit codes.

Every error procmap raises on purpose is a :class:`ProcmapError`; the command line (and the
web page) turn each into one line naming the file and the place, and the CLI exits with
:data:`EXIT_CODES` of its class:

====  ==========================================================================
0     done
1     cannot be done as asked: no such role, an output that cannot be written
2     bad input: a wrong option or argument (a usage error, as click says), or a
      file that cannot be read (a stage or a side table)
3     the stages cannot be compared as asked (one stage, a bad side table)
4     a picture could not be made
130   interrupted (Ctrl-C)
====  ==========================================================================
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Optional


class ProcmapError(Exception):
    """Base of every error procmap raises on purpose (bad input, bad options)."""

    def __init__(self, message: str, *, source: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None, element_id: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.element_id = element_id

    @property
    def exit_code(self) -> int:
        """This error's exit status, from the one table (:data:`EXIT_CODES`)."""
        return exit_code(self)

    def lines(self) -> list[str]:
        """What a person is told: one line, or one per file when several failed."""
        return [str(self)]

    def __str__(self) -> str:
        return where(self.source, self.line, self.column, self.element_id) + self.message


class OptionError(ProcmapError, ValueError):
    """An option or argument has a value procmap cannot use (the same error from every command)."""


class FieldError(OptionError):
    """A form field's text that is not the number it takes. The web page names the field by its label in
    its own language and keeps the text in the box; ``readings`` holds both numbers a text such as
    1.000 can be (a thousand, or one)."""

    def __init__(self, message: str, field: str, text: str, *, whole: bool = False,
                 readings: tuple[float, ...] = ()) -> None:
        super().__init__(message)
        self.field, self.text, self.whole, self.readings = field, text.strip(), whole, readings


class OutputError(ProcmapError):
    """An output cannot be written: an unwritable folder, a folder given as a file, one of the inputs."""


class ReadError(ProcmapError):
    """A file could not be read as a process model."""


class LiteError(ReadError):
    """A BPMN-lite file breaks a rule of the dialect."""


class CompareError(ProcmapError):
    """The stages cannot be compared as asked (too few stages, bad tables)."""


class UnreadableTable(CompareError):
    """A side table (rates, efforts, aliases, matches, owners ...) that cannot be read at all: missing,
    a folder, not text. Bad input like an unreadable stage file (exit 2); a table that reads but says
    something wrong is a CompareError (exit 3)."""


class RenderError(ProcmapError):
    """A picture could not be made (for example Graphviz is missing)."""


def where(source: Optional[str], line: Optional[int] = None, column: Optional[int] = None,
          element_id: Optional[str] = None) -> str:
    """'file:line:col: ' prefix in the style of compilers, so editors can jump to it."""
    parts = []
    if source:
        parts.append(source)
    if line:
        parts.append(str(line))
        if column:
            parts.append(str(column))
    head = ":".join(parts)
    if element_id:
        head = f"{head} [{element_id}]" if head else f"[{element_id}]"
    return f"{head}: " if head else ""


#: Exit status by error class; the most specific class listed wins.
EXIT_CODES: Mapping[type, int] = MappingProxyType({ProcmapError: 1, OutputError: 1, OptionError: 2, ReadError: 2,
                                                 CompareError: 3, UnreadableTable: 2, RenderError: 4})
INTERRUPTED = 130


def exit_code(error: BaseException) -> int:
    """The exit status for an error, from :data:`EXIT_CODES`."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1
