"""`ichinv export` and `ichinv import`: elements to and from spreadsheets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import (
    AccessOpt,
    AudienceOpt,
    CategoryOpt,
    ConsentOpt,
    DomainOpt,
    NameOpt,
    ProvinceOpt,
    SourceOpt,
    StatusOpt,
    filters,
)
from ichinv.cli.options import (
    HistoryOpt,
    RepoOpt,
    given_path,
    load_settings,
    named_output,
    writing,
)
from ichinv.cli.output import incomplete, say, write
from ichinv.core.i18n import _, ngettext
from ichinv.exchange.export import ExportFormat
from ichinv.inventory.audience import Audience

ForceOpt = Annotated[
    bool, typer.Option("--force", help=_("Overwrite the output file if it exists."))
]


class ImportSource(StrEnum):
    """What `ichinv import` reads."""

    ICHINV = "ichinv"
    """A table made by `ichinv export --audience committee`."""
    ODK = "odk"
    """Submissions of the field form (`ichinv form`), as ODK Central or KoboToolbox export them."""


@app.command(
    help=_(
        "Export elements for spreadsheets (csv, xlsx) or other tools (json): one row per "
        "element.\n\n"
        "The public export (the default) leaves out contacts and restricted parts and cannot "
        "be imported; --audience committee exports everything, for editing and `ichinv "
        "import`. Takes the same filters as `ichinv list`."
    ),
)
def export(
    output_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "File format (default: from the extension of the --output name, .csv, .json "
                "or .xlsx; csv for a name without one, and without --output)."
            ),
            show_default=False,
        ),
    ] = None,
    output_name: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            callback=named_output,
            metavar="FILE",
            help=_("Write to FILE (default: standard output)."),
            show_default=False,
        ),
    ] = None,
    audience: AudienceOpt = Audience.PUBLIC,
    force: ForceOpt = False,
    province: ProvinceOpt = None,
    domain: DomainOpt = None,
    category: CategoryOpt = None,
    status: StatusOpt = None,
    consent: ConsentOpt = None,
    access: AccessOpt = None,
    source: SourceOpt = None,
    name: NameOpt = None,
    repo: RepoOpt = None,
) -> None:
    import sys

    from ichinv.core.errors import UsageError, typed
    from ichinv.exchange import export as exchange
    from ichinv.inventory import kept
    from ichinv.io import atomic as files

    if output_name is not None and output_name != "-" and output_name.endswith(("/", "\\")):
        raise UsageError(
            _("--output {name} names a folder, not a file").format(name=output_name),
            hint=_("give the name of the file to write, e.g. --output elements.xlsx"),
        )
    output = Path(output_name) if output_name is not None else None
    suffix = _extension(output)
    if output_format is None and suffix and suffix not in set(ExportFormat) and str(output) != "-":
        raise UsageError(
            _("--output {name}: its extension gives no export format").format(
                name=typed(output_name or "")
            ),
            hint=_(
                "name the file *.csv, *.json or *.xlsx, or give the format with --format "
                "csv|json|xlsx"
            ),
        )
    fmt = output_format or _format_of(output)
    if output is not None and suffix in set(ExportFormat) and suffix != fmt.value:
        raise UsageError(
            _("--format {format} does not match the file name {name}").format(
                format=fmt.value, name=output.name
            ),
            hint=_("name the file *.{format}, or leave out --format").format(format=fmt.value),
        )
    to_stdout = output is None or str(output) == "-"
    if to_stdout and fmt is ExportFormat.XLSX and sys.stdout.isatty():
        raise UsageError(
            _("an xlsx workbook cannot be shown on the terminal"),
            hint=_("pass --output FILE.xlsx"),
        )
    settings = load_settings(repo)
    holds_contacts = audience is not Audience.PUBLIC  # a committee export
    if not to_stdout:
        assert output is not None
        kept.refuse_kept(
            output.expanduser(),
            settings,
            folder=False,
            names=(output.name, f"elements.{fmt.value}"),
            beside=f"elements.{fmt.value}",
            holds_contacts=holds_contacts,
        )
    result = exchange.export(
        settings,
        fmt,
        audience,
        filters(province, domain, category, status, consent, access, source, name),
    )
    for text in result.notes:
        say(_("note: {note}").format(note=text), err=True)
    if to_stdout:
        content = result.content
        if fmt is ExportFormat.CSV and sys.stdout.isatty():
            # On a terminal, record text must not act as escape sequences (a file keeps them).
            from ichinv.render.plain import visible

            content = visible(content.decode("utf-8")).encode("utf-8")
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        incomplete(result.left_out)
        return
    assert output is not None
    # A committee export holds contacts and restricted parts: readable by its owner only.
    files.write_bytes_atomic(
        output.expanduser(),
        result.content,
        overwrite=force,
        private=holds_contacts,
    )
    say(
        ngettext(
            "exported {count} element ({audience}) to {output}",
            "exported {count} elements ({audience}) to {output}",
            result.count,
        ).format(count=result.count, audience=audience.value, output=output),
        err=True,
    )
    if holds_contacts and (note := kept.committable(output)):
        say(note, err=True)
    incomplete(result.left_out)


def _extension(output: Path | None) -> str:
    """The extension of an output's name, in small letters, without its dot (of `.xlsx`
    alone too: Python's suffix of a name that starts with its only dot is empty)."""
    if output is None:
        return ""
    name = output.name
    suffix = output.suffix or (name if name.startswith(".") and name.count(".") == 1 else "")
    return suffix.lstrip(".").lower()


def _format_of(output: Path | None) -> ExportFormat:
    suffix = _extension(output)
    return ExportFormat(suffix) if suffix in set(ExportFormat) else ExportFormat.CSV


@app.command(
    "import",
    help=_(
        "Import a spreadsheet edited from `ichinv export --audience committee` back into "
        "records.\n\n"
        "Each row is matched to its record by id: an edited cell changes exactly that field "
        "(the rest of the file, comments included, stays as it is), an unedited row changes "
        "nothing, and a row with a new id becomes a new record. Rows left out of the file are "
        "not touched. Nothing is written when a row cannot be read; nor, without --force, "
        "when a record changed since the export or would gain validation errors (exit 1).\n\n"
        "With --from odk, each submission of the field form becomes a draft record under the "
        "next free id; a submission imported before is left alone; a draft without consent "
        "given is restricted. Exit 1 when a draft has errors to fix or a submission cannot be "
        "imported. --force and --allow-incomplete-history apply to --from ichinv only."
    ),
)
def import_table(
    path: Annotated[
        Path,
        typer.Argument(
            parser=given_path,
            metavar="FILE",
            help=_(
                "A CSV, xlsx or JSON file made by `ichinv export --audience committee`; with "
                "--from odk, an export of ODK Central (ZIP of CSVs, CSV, JSON) or KoboToolbox "
                "(JSON)."
            ),
        ),
    ],
    source: Annotated[
        ImportSource,
        typer.Option(
            "--from",
            case_sensitive=False,
            help=_(
                "What FILE is: ichinv (an export of ichinv, the default) or odk (submissions of "
                "the field form of `ichinv form`, each becoming a draft record)."
            ),
        ),
    ] = ImportSource.ICHINV,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show what would change; write nothing."))
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=_(
                "Write even when a record changed since the export, or the file has lost the "
                "checksums that tell, or would gain validation errors."
            ),
        ),
    ] = False,
    allow_incomplete_history: HistoryOpt = False,
    max_attachments_mib: Annotated[
        int | None,
        typer.Option(
            "--max-attachments-mib",
            min=1,
            metavar="MIB",
            help=_(
                "With --from odk: the most MiB the attachments of the new drafts may hold in "
                "all (default 4096); an export holding more is refused, nothing written."
            ),
            show_default=False,
        ),
    ] = None,
    max_expansion: Annotated[
        int | None,
        typer.Option(
            "--max-expansion",
            min=1,
            metavar="N",
            help=_(
                "With --from odk: the most times an attachment may expand out of the ZIP "
                "(default 100); a ZIP holding one that expands more is refused, nothing written."
            ),
            show_default=False,
        ),
    ] = None,
    repo: RepoOpt = None,
) -> None:
    if source is ImportSource.ODK:
        _import_odk(
            path,
            dry_run=dry_run,
            force=force,
            allow_incomplete_history=allow_incomplete_history,
            max_attachments_mib=max_attachments_mib,
            max_expansion=max_expansion,
            repo=repo,
        )
        return
    if max_attachments_mib is not None or max_expansion is not None:
        from ichinv.core.errors import UsageError

        raise UsageError(
            _("{option} applies to --from odk only: an export of ichinv has no attachments").format(
                option="--max-attachments-mib"
                if max_attachments_mib is not None
                else "--max-expansion"
            ),
            hint=_("leave it out, or import with --from odk"),
        )
    from ichinv.core.model import RecordKind
    from ichinv.exchange import importing as exchange
    from ichinv.render.imports import render_plan, withheld_phrasings
    from ichinv.schemas import loader as schemas

    settings = load_settings(repo)
    schema = schemas.load(settings.schema_dir)[RecordKind.ELEMENT]
    personal = tuple(p.lstrip("/").split("/")[0] for p in schema.personal_fields)
    with writing(settings, really=not dry_run):
        plan = exchange.plan_import(
            settings,
            path,
            force=force,
            phrasings=withheld_phrasings(settings),
            complete=not allow_incomplete_history,
        )
        if dry_run or (plan.blocked and not force):
            write(render_plan(plan, written=None, personal=personal, shape=schema.shape))
            raise typer.Exit(1 if plan.blocked and not force else 0)
        written = exchange.apply_import(settings, plan)
    write(render_plan(plan, written=written, personal=personal, shape=schema.shape))


def _import_odk(
    path: Path,
    *,
    dry_run: bool,
    force: bool,
    allow_incomplete_history: bool,
    max_attachments_mib: int | None,
    max_expansion: int | None,
    repo: Path | None,
) -> None:
    from ichinv.core import i18n
    from ichinv.core.errors import UsageError
    from ichinv.core.model import RecordKind
    from ichinv.exchange import form_spec, odk, odk_writing
    from ichinv.render import odk_import
    from ichinv.render.form_texts import form_texts
    from ichinv.schemas import loader as schemas

    if force:
        raise UsageError(
            _(
                "--force does not apply to --from odk: drafts are always written, and nothing "
                "is ever overwritten"
            ),
            hint=_("leave out --force"),
        )
    if allow_incomplete_history:
        raise UsageError(
            _(
                "--allow-incomplete-history applies to --from ichinv only: a draft always "
                "takes the next free id as far as the git history can be read"
            ),
            hint=_("leave out --allow-incomplete-history"),
        )
    limits = odk_writing.Limits(
        (max_attachments_mib or odk_writing.TOTAL_MIB) * odk_writing.MIB,
        max_expansion or odk_writing.EXPANSION,
    )
    settings = load_settings(repo)
    with writing(settings, really=not dry_run):
        plan = odk.plan(settings, path, limits)
        written = None if dry_run else odk.apply(settings, plan)
    schema = schemas.load(settings.schema_dir)[RecordKind.ELEMENT]
    write(
        odk_import.render(
            plan,
            written=written,
            texts=form_texts(settings),
            spec=form_spec.build(schema),
            schema=schema,
            lang=i18n.current(),
        )
    )
    raise typer.Exit(1 if plan.failed else 0)
