"""`ichinv renumber`: give a record a new id, and follow it in every reference."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import HistoryOpt, RepoOpt, as_ids, id_or_path, load_settings, writing
from ichinv.cli.output import write
from ichinv.core.i18n import _


@app.command(
    "renumber",
    help=_(
        "Give a record a new id: the next free one of its year, or --to ID.\n\n"
        "The file is renamed, its `id` changed, and references to the old id in other records "
        "(related, status_change.merged_into) are updated. For two records that ended up with "
        "the same id (created on different branches), name the newer one by its path. An id "
        "that is unique and already committed is published and is renumbered only with "
        "--force."
    ),
)
def renumber(
    target: Annotated[
        str,
        typer.Argument(
            metavar="ID_OR_PATH",
            help=_("Id of the element, or the path of its record when several share the id."),
            show_default=False,
            callback=id_or_path,
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help=_("The new id (default: the next free id of the same year)."),
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help=_("Renumber even an id that is unique and already committed.")
        ),
    ] = False,
    allow_incomplete_history: HistoryOpt = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import renumber as renumbering
    from ichinv.render.edits import render_written

    settings = load_settings(repo)
    with writing(settings):
        done = renumbering.renumber(
            settings, target, to, force=force, complete=not allow_incomplete_history
        )
    write(render_written(done))
