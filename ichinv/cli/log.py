"""`ichinv log ID`: the history of one element from git, field by field."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import AudienceOpt
from ichinv.cli.options import RepoOpt, as_ids, load_settings
from ichinv.cli.output import write
from ichinv.inventory.audience import Audience
from ichinv.render import history as log_report
from ichinv.render.history import LogFormat


@app.command("log")
def log(
    element_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Element id, e.g. KZ-2013-0002.", show_default=False, callback=as_ids
        ),
    ],
    output_format: Annotated[
        LogFormat, typer.Option("--format", "-f", help="Output format.")
    ] = LogFormat.TEXT,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    """Show the history of one element: commits, authors, dates and the fields each changed.

    Follows the record by its id across renames and moves. Newest commit first.
    """
    from ichinv.core.errors import UsageError
    from ichinv.core.vocabulary import is_element_id
    from ichinv.diff import history

    if not is_element_id(element_id):
        raise UsageError(
            f"{element_id!r} is not an element id",
            hint="element ids look like KZ-2013-0002 (see elements/)",
        )
    settings = load_settings(repo)
    entries = history.element_history(settings, element_id, audience=audience)
    if not entries and not (settings.root / "elements" / f"{element_id}.yaml").is_file():
        raise UsageError(
            f"no element {element_id} in the inventory or its history",
            hint="check the id with `ls elements/`",
        )
    write(log_report.RENDERERS[output_format](element_id, entries))
    if history.is_cut(entries):
        from ichinv.cli.boundary import EXIT_FINDINGS, report
        from ichinv.io.git_blobs import SHALLOW_HINT

        report(
            f"the history of {element_id} is incomplete: this shallow clone does not hold the "
            "commits before where it starts",
            SHALLOW_HINT,
        )
        raise typer.Exit(EXIT_FINDINGS)
