"""`ichinv migrate`: upgrade records to the record format of the current schemas."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings, writing
from ichinv.cli.output import write
from ichinv.core.i18n import _


@app.command(
    "migrate",
    help=_(
        "Upgrade records written for an older record format, keeping their comments.\n\n"
        "A record's `schema_version` (1 when absent) is raised step by step to the version of "
        "its schema (`x-ichinv-schema-version`), each step a migration shipped with ichinv. "
        "Exit 0 when done or nothing is to do; 1 when records wait (--check) or cannot be "
        "migrated."
    ),
)
def migrate(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help=_("Write nothing; list the records to migrate, exit 1 if any.")
        ),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import migrate as migrations
    from ichinv.render.edits import render_migration

    settings = load_settings(repo)
    with writing(settings, really=not check):
        result = migrations.migrate(settings, write=not check)
    write(render_migration(result))
    raise typer.Exit(0 if result.ok else 1)
