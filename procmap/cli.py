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
