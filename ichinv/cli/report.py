"""`ichinv report periodic`: figures for the periodic report on the 2003 Convention."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.cli.output import incomplete, write
from ichinv.core.i18n import _
from ichinv.inventory.audience import Audience
from ichinv.render import periodic as periodic_report
from ichinv.render.periodic import ReportFormat

report_app = typer.Typer(
    name="report",
    help=_("Reports for the Ministry and for UNESCO."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(report_app)


@report_app.command(
    help=_(
        "Figures for the inventory section of the periodic report on the 2003 Convention, "
        "organised by the Overall Results Framework: indicator 7.3 (viability updated), 7.4 "
        "(access and restrictions), diversity, and 8 (participation and consent, aggregates "
        "only)."
    ),
)
def periodic(
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help=_("First day of the reporting period (default: six years before --to)."),
            show_default=False,
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DATE",
            help=_("Last day of the reporting period (default: today)."),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = ReportFormat.MARKDOWN,
    repo: RepoOpt = None,
) -> None:
    from ichinv.core import dates
    from ichinv.core.errors import UsageError
    from ichinv.inventory import view
    from ichinv.render.markdown import labels as i18n
    from ichinv.reports import periodic

    # Each message names only what was given: an option, or ICHINV_TODAY for today.
    given_end = dates.option_date(date_to, "--to")
    given_start = dates.option_date(date_from, "--from")
    end = given_end or dates.today()
    _not_before(end, periodic.EARLIEST, "--to" if given_end else "ICHINV_TODAY")
    if given_start is not None:
        _not_before(given_start, periodic.EARLIEST, "--from")
    start = given_start or periodic.default_period(end)[0]
    if start > end:
        ends_today = _("without --to the period ends today: give --from a day up to {end}")
        raise UsageError(
            _("the period starts ({start}) after it ends ({end})").format(start=start, end=end),
            hint=_("give --from a date before --to") if given_end else ends_today.format(end=end),
        )
    settings = load_settings(repo)
    inventory = view.load(settings)
    result = periodic.compute(inventory, start, end)
    names = i18n.flat(settings.templates_dir, "en", root=settings.root)  # the report is in English
    write(periodic_report.RENDERERS[output_format](result, names))
    # Figures are made from the records as the committee knows them (the overlay merged in),
    # and published: what could not be read is told as the public is told of it.
    incomplete(inventory.problems_for(Audience.PUBLIC), overlay_unread=result.overlay_unread)


def _not_before(day: dt.date, earliest: dt.date, what: str) -> None:
    """A usage error when `day` (given by `what`) is before `earliest`."""
    if day < earliest:
        from ichinv.core.errors import UsageError

        raise UsageError(
            _("{what} is {day}: reporting periods begin on {earliest} or later").format(
                what=what, day=day.isoformat(), earliest=earliest.isoformat()
            ),
            hint=_("check the year of the date"),
        )
