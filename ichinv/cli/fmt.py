"""`ichinv fmt`: rewrite records in canonical key order and the inventory's style."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, given_path, load_settings, writing
from ichinv.cli.output import write
from ichinv.core.i18n import _


@app.command(
    "fmt",
    help=_(
        "Put records in canonical form: keys in schema order, the inventory's YAML style.\n\n"
        "Comments stay with the field they belong to, values never change, and a second run "
        "changes nothing. Exit 0 when done (or, with --check, when nothing would change); 1 "
        "when a file would change (--check, --diff) or cannot be read."
    ),
)
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=given_path,
            help=_("Record files or folders (default: every record)."),
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help=_("Write nothing; list the files that would change, exit 1 if any.")
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help=_("Write nothing; show the changes as a unified diff, exit 1 if any.")
        ),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import fmt as formatting
    from ichinv.render.edits import render_format

    settings = load_settings(repo)
    with writing(settings, really=not (check or diff)):
        result = formatting.format_records(
            settings, paths or None, write=not (check or diff), diff=diff
        )
    write(render_format(result))
    if result.interrupted:
        raise KeyboardInterrupt  # said so, exit 130, after what was written (listed)
    if result.stopped is not None:
        raise result.stopped  # exit 2: a record could not be written (after those listed)
    raise typer.Exit(0 if result.ok else 1)
