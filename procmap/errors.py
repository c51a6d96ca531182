"""Typed errors. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations

from typing import Optional


class ProcmapError(Exception):
    """Base of every error procmap raises on purpose (bad input, bad options)."""

    exit_code = 1

    def __init__(self, message: str, *, source: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[int] = None, element_id: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.element_id = element_id

    def __str__(self) -> str:
        return where(self.source, self.line, self.column, self.element_id) + self.message


class ReadError(ProcmapError):
    """A file could not be read as a process model."""

    exit_code = 2


class LiteError(ReadError):
    """A BPMN-lite file breaks a rule of the dialect."""


class CompareError(ProcmapError):
    """The stages cannot be compared as asked (too few stages, bad tables)."""

    exit_code = 3


class RenderError(ProcmapError):
    """A picture could not be made (for example Graphviz is missing)."""

    exit_code = 4


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
