"""`ichinv progress`: new elements of each focus province against its target."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.cli.output import incomplete, write
from ichinv.core.i18n import _
from ichinv.inventory.audience import Audience
from ichinv.render import progress as progress_report
from ichinv.render.progress import ProgressFormat
from ichinv.reports.progress import DEFAULT_SINCE


@app.command(
    help=_(
        "Show, for each focus province of the revision, the new elements against its target, "
        "with counts by domain and consent state.\n\n"
        "An element is new when it entered the inventory after --since: on its "
        "provenance.entered day as its public view shows it, or, where the view withholds "
        "that day, on 1 January of the year in its id. Only active elements count toward a "
        "target."
    ),
)
def progress(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="DATE",
            help=_(
                "Elements that entered the inventory after this date are new (default: the "
                "2024 list, Order No. 211-нқ of 28 May 2024)."
            ),
        ),
    ] = DEFAULT_SINCE,
    output_format: Annotated[
        ProgressFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = ProgressFormat.TEXT,
    repo: RepoOpt = None,
) -> None:
    import sys

    from ichinv.core import dates
    from ichinv.core import i18n as messages
    from ichinv.inventory import view
    from ichinv.render.markdown import labels as i18n
    from ichinv.reports import progress as core

    # No element can have entered after a day to come: such a --since is a typing mistake.
    today = dates.today()
    day = dates.option_date(
        since,
        "--since",
        latest=today,
        later=_(
            "no element has entered the inventory after it yet; give a day up to {today}"
        ).format(today=today.isoformat()),
    )
    settings = load_settings(repo)
    inventory = view.load(settings)
    result = core.compute(inventory, day)
    # The names of domains and consent states, in the language of messages.
    names = i18n.flat(settings.templates_dir, messages.current(), root=settings.root)
    if output_format is ProgressFormat.TEXT and sys.stdout.isatty():
        from ichinv.render.terminal import console as terminal

        console = terminal.for_terminal()
        console.print(terminal.progress(result, names=names, width=console.width))
    else:
        write(progress_report.RENDERERS[output_format](result, names))
    # Published (the committee's public page): what could not be read is told as the public
    # is told of it. Elements are counted and named as their public views show them, so
    # nothing the private overlay keeps is missing from the answer when it cannot be read.
    incomplete(inventory.problems_for(Audience.PUBLIC))
