"""`ichinv log ID`: the history of one element from git, field by field."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import AudienceOpt
from ichinv.cli.options import RepoOpt, as_ids, load_settings
from ichinv.cli.output import write
from ichinv.core.i18n import _, ngettext
from ichinv.core.model import RecordKind
from ichinv.inventory.audience import Audience
from ichinv.render import history as log_report
from ichinv.render.history import LogFormat


@app.command(
    "log",
    help=_(
        "Show the history of one element: commits, authors, dates and the fields each "
        "changed.\n\n"
        "Follows the record by its id across renames and moves. Newest commit first."
    ),
)
def log(
    element_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("Element id, e.g. KZ-2013-0002."),
            show_default=False,
            callback=as_ids,
        ),
    ],
    output_format: Annotated[
        LogFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = LogFormat.TEXT,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    from ichinv.core.errors import UsageError, typed
    from ichinv.core.vocabulary import is_element_id
    from ichinv.diff import history

    if not is_element_id(element_id):
        raise UsageError(
            _("{id!r} is not an element id").format(id=typed(element_id)),
            hint=_("element ids look like KZ-2013-0002 (see elements/)"),
        )
    settings = load_settings(repo)
    entries = history.element_history(settings, element_id, audience=audience)
    folder = settings.folder(RecordKind.ELEMENT)
    from ichinv.inventory.record_files import SUFFIX

    if not entries and not (folder / f"{element_id}{SUFFIX}").is_file():
        # No history, no file by its name: a record that cannot be read (in a folder inside
        # elements/, broken) is said to be so, as `show` says it; else "did you mean".
        from ichinv.inventory import view as inventory_view

        inventory = inventory_view.load(settings)
        if element_id not in inventory.by_id:
            why = inventory.absent(element_id, audience)
            if isinstance(why, UsageError):  # no record holds it
                raise UsageError(
                    _("no element {id} in the inventory or its history").format(id=element_id),
                    hint=why.hint,
                )
            raise why
    write(log_report.RENDERERS[output_format](element_id, entries))
    from ichinv.cli.boundary import EXIT_FINDINGS, report

    unread = history.unreadable_versions(entries)
    if unread:
        from ichinv.render.findings.text import finding_line

        report(
            ngettext(
                "the history of {id} is incomplete: {count} version of its record could not "
                "be read, so the fields changed to and from it are not shown:",
                "the history of {id} is incomplete: {count} versions of its record could not "
                "be read, so the fields changed to and from them are not shown:",
                len(unread),
            ).format(id=element_id, count=len(unread)),
            details=[
                _("in commit {commit}: {finding}").format(
                    commit=commit[:12], finding=finding_line(problem)
                )
                for commit, problem in unread
            ],
        )
    if history.is_cut(entries):
        from ichinv.io.git_blobs import SHALLOW_HINT

        report(
            _(
                "the history of {id} is incomplete: this shallow clone does not hold the "
                "commits before where it starts"
            ).format(id=element_id),
            _(SHALLOW_HINT),
        )
    if unread or history.is_cut(entries):
        raise typer.Exit(EXIT_FINDINGS)
