"""`ichinv retire` and `ichinv merge`: take an element off the active inventory, saying why."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import (
    RepoOpt,
    as_ids,
    load_settings,
    published_paragraphs,
    published_reference,
    writing,
)
from ichinv.cli.output import write
from ichinv.core import dates
from ichinv.core.i18n import _

ElementIdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID", help=_("Element id, e.g. KZ-2024-0004."), show_default=False, callback=as_ids
    ),
]
ReasonOpt = Annotated[
    str,
    typer.Option(
        "--reason",
        help=_("Why, in plain words (it is published with the record)."),
        show_default=False,
        callback=published_paragraphs,
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help=_("Date of the decision, YYYY-MM-DD (default: today)."),
        show_default=False,
    ),
]
DecisionOpt = Annotated[
    str | None,
    typer.Option(
        "--decision",
        help=_("Reference of the decision: order, or minutes of the committee meeting."),
        show_default=False,
        callback=published_reference,
    ),
]
ReplaceOpt = Annotated[
    bool,
    typer.Option(
        "--replace-status-change",
        help=_(
            "Replace a status_change the active element already has (an earlier decision), "
            "with its comments; without it, such an element is refused."
        ),
    ),
]


@app.command(
    "retire",
    help=_(
        "Retire an active element: status `retired`, with the reason, date and decision.\n\n"
        "The rest of the record stays as it is; `provenance.updated` is set to today. Refused "
        "when the element is not active, or already has a status_change (an earlier decision) "
        "and --replace-status-change is not given."
    ),
)
def retire(
    element_id: ElementIdArg,
    reason: ReasonOpt,
    date: DateOpt = None,
    decision: DecisionOpt = None,
    replace_status_change: ReplaceOpt = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import lifecycle
    from ichinv.render.edits import render_written

    settings = load_settings(repo)
    today = dates.today()
    change = lifecycle.Decision(
        lifecycle.check_reason(reason), lifecycle.check_date(date, today), decision
    )
    with writing(settings):
        done = lifecycle.retire(settings, element_id, change, today, replace=replace_status_change)
    write(render_written(done))


@app.command(
    "merge",
    help=_(
        "Merge an active element into another active one, updating both records.\n\n"
        "The element merged gets status `merged` and `status_change` (reason, date, decision, "
        "`merged_into`); the element merged into lists it under `related` with `relation: "
        "merged-from`. Both get `provenance.updated` set to today. An earlier status_change "
        "of the element merged is replaced only with --replace-status-change."
    ),
)
def merge(
    element_id: ElementIdArg,
    into: Annotated[
        str,
        typer.Option(
            "--into",
            metavar="ID",
            help=_("The element that carries this one on."),
            show_default=False,
            callback=as_ids,
        ),
    ],
    reason: ReasonOpt,
    date: DateOpt = None,
    decision: DecisionOpt = None,
    replace_status_change: ReplaceOpt = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import lifecycle
    from ichinv.render.edits import render_written

    settings = load_settings(repo)
    today = dates.today()
    change = lifecycle.Decision(
        lifecycle.check_reason(reason), lifecycle.check_date(date, today), decision
    )
    with writing(settings):
        done = lifecycle.merge(
            settings, element_id, into, change, today, replace=replace_status_change
        )
    write(render_written(done))
