"""`ichinv diff-2013` and `ichinv diff`: what changed since a baseline, element by element."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import AudienceOpt, DomainOpt, one_of, vocabulary_values
from ichinv.cli.options import RepoOpt, as_ids, load_settings
from ichinv.cli.output import incomplete, write, write_pieces
from ichinv.core.i18n import _
from ichinv.core.model import ElementStatus
from ichinv.inventory.audience import Audience
from ichinv.render import diff as diff_report
from ichinv.render.diff import DiffFormat
from ichinv.render.diff_json import write_json
from ichinv.render.findings.limits import LEAST_CHARS

if TYPE_CHECKING:
    from ichinv.io.settings import Settings

AgainstOpt = Annotated[
    str | None,
    typer.Option(
        "--against",
        metavar="REV",
        help=_("Compare with this git revision instead of the working tree."),
        show_default=False,
    ),
]
FormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help=_("Output format."))]
ExitCodeOpt = Annotated[
    bool,
    typer.Option(
        "--exit-code", help=_("Exit 1 when there are differences (0 when there are none).")
    ),
]
ElementOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--element",
        metavar="ID",
        help=_("Only this element (repeatable)."),
        show_default=False,
        callback=as_ids,
    ),
]
ProvinceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--province",
        metavar="ID",
        help=_("Only elements in this province, or in a unit it became or came from (repeatable)."),
        show_default=False,
        callback=as_ids,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        callback=one_of(ElementStatus),
        help=_("Only elements with this status since the baseline (repeatable).")
        + vocabulary_values(ElementStatus),
        show_default=False,
    ),
]
StatOpt = Annotated[bool, typer.Option("--stat", help=_("Counts only, no per-element changes."))]


def _room_for_a_report(value: int) -> int:
    """`--max-chars` of a Markdown report: 0 (no limit), or room at least for the report's
    heading and counts and the note that says what was cut (fewer characters gave `…` alone,
    and no word of a cut). Other formats take no limit, so any value is let be there."""
    if 0 < value < LEAST_CHARS:
        from ichinv.core.errors import UsageError

        raise UsageError(
            _(
                "--max-chars {value} leaves no room for the report, nor for the note that says "
                "it was cut"
            ).format(value=value),
            hint=_("give --max-chars {least} or more, or 0 for no limit").format(least=LEAST_CHARS),
        )
    return value


MaxCharsOpt = Annotated[
    int,
    typer.Option(
        "--max-chars",
        metavar="N",
        min=0,
        help=_(
            "Markdown only: at most N characters (default: what a GitHub pull-request "
            "comment holds); the elements left out are named at the end. 0: no limit."
        ),
    ),
]


@app.command(
    "diff-2013",
    help=_(
        "Show what changed since the 2013 list, element by element and field by field.\n\n"
        "Compares the records of the 2013 baseline (a git revision named in the settings) "
        "with the working tree, uncommitted and untracked records included, or with --against "
        "REV. Exit 0, or 1 with --exit-code when there are differences, and 1 when a record "
        "cannot be read (named on stderr); 2 when the baseline cannot be read (not named in "
        "the settings, unknown revision, shallow clone, not a git repository) or a filter "
        "names nothing."
    ),
)
def diff_2013(
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="REV",
            help=_("Git revision holding the 2013 list (default: baseline 2013 of the settings)."),
            show_default=False,
        ),
    ] = None,
    against: AgainstOpt = None,
    output_format: FormatOpt = DiffFormat.TEXT,
    exit_code: ExitCodeOpt = False,
    element: ElementOpt = None,
    province: ProvinceOpt = None,
    domain: DomainOpt = None,
    status: StatusOpt = None,
    stat: StatOpt = False,
    max_chars: MaxCharsOpt = diff_report.COMMENT_LIMIT,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    settings = load_settings(repo)
    rev = baseline if baseline is not None else settings.named_baseline("2013").name
    _compare(
        settings,
        rev,
        against,
        output_format,
        exit_code,
        element,
        province,
        domain,
        status,
        stat,
        max_chars,
        audience,
    )


@app.command(
    "diff",
    help=_(
        "Show what changed since a baseline (a named one, or any git revision).\n\n"
        "The general form of diff-2013: `ichinv diff --baseline 2024`, `ichinv diff "
        "--baseline main --against HEAD`. Exit 0, or 1 with --exit-code when there are "
        "differences, and 1 when a record cannot be read (named on stderr); 2 on errors."
    ),
)
def diff(
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="NAME|REV",
            help=_(
                "A baseline named in the settings (2013, 2024…) or any git revision "
                "(default: the settings' default_baseline)."
            ),
            show_default=False,
        ),
    ] = None,
    against: AgainstOpt = None,
    output_format: FormatOpt = DiffFormat.TEXT,
    exit_code: ExitCodeOpt = False,
    element: ElementOpt = None,
    province: ProvinceOpt = None,
    domain: DomainOpt = None,
    status: StatusOpt = None,
    stat: StatOpt = False,
    max_chars: MaxCharsOpt = diff_report.COMMENT_LIMIT,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    settings = load_settings(repo)
    if baseline is None:
        settings.named_baseline(settings.default_baseline)
    _compare(
        settings,
        baseline,
        against,
        output_format,
        exit_code,
        element,
        province,
        domain,
        status,
        stat,
        max_chars,
        audience,
    )


def _compare(
    settings: Settings,
    baseline: str | None,
    against: str | None,
    output_format: DiffFormat,
    exit_code: bool,
    element: list[str] | None,
    province: list[str] | None,
    domain: list[str] | None,
    status: list[str] | None,
    stat: bool,
    max_chars: int,
    audience: Audience,
) -> None:
    from ichinv.diff import compare as comparison
    from ichinv.diff.engine import DiffFilter

    if output_format is DiffFormat.MARKDOWN:  # the only format it bounds: refused before comparing
        _room_for_a_report(max_chars)
    filters = DiffFilter(
        elements=tuple(element or ()),
        provinces=tuple(province or ()),
        domains=tuple(domain or ()),
        statuses=tuple(ElementStatus(s) for s in status or ()),
    )
    result = comparison.compare(settings, baseline, against, filters=filters, audience=audience)
    if audience is Audience.PUBLIC:
        from ichinv.diff.public import with_public_paths

        result = with_public_paths(result)
    if output_format is DiffFormat.MARKDOWN:
        write(diff_report.render_markdown(result, stat=stat, max_chars=max_chars))
    elif output_format is DiffFormat.JSON:
        write_pieces(lambda out: write_json(result, out, stat=stat))
    else:
        write(diff_report.RENDERERS[output_format](result, stat=stat))
    incomplete([*result.problems, *(p for e in result.elements for p in e.problems)])
    raise typer.Exit(1 if exit_code and result.has_differences else 0)
