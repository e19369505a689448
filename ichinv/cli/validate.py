"""`ichinv validate`: check records against the schemas and the inventory's rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.cli.output import write
from ichinv.render import VALIDATION_RENDERERS, ValidationFormat

PROGRESS_FROM = 200
"""Show a progress bar on a terminal when at least this many files are checked."""


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or folders to report on (default: the whole inventory).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ValidationFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidationFormat.TEXT,
    repo: RepoOpt = None,
) -> None:
    """Check every record against its schema and the cross-record rules.

    Exit 0 when there are no errors, 1 when there are, 2 on a usage or configuration error.
    Naming files still checks them against the whole inventory (unique ids, references).
    """
    from ichinv import validation

    settings = load_settings(repo)
    with _progress() as progress:
        result = validation.validate(settings, paths or None, progress=progress)
    write(VALIDATION_RENDERERS[output_format](result))
    raise typer.Exit(0 if result.ok else 1)


class _progress:  # noqa: N801 - used as a context manager
    """A rich progress bar on standard error, shown only on a terminal and for many files."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self._bar = None
        self._task = None
        return self._update if sys.stderr.isatty() else None

    def _update(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("validating", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
