"""`ichinv private split`: keep personal data and restricted parts in the private overlay."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, as_ids, load_settings, writing
from ichinv.cli.output import say
from ichinv.core.i18n import _, ngettext

private_app = typer.Typer(
    name="private",
    help=_(
        "Keep personal data and restricted parts in the private overlay, out of the repository."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(private_app)


@private_app.command(
    help=_(
        "Move contacts and restricted parts from records into the private overlay.\n\n"
        "The overlay is the folder named by `private_overlay` in the settings; each element's "
        "private fields go to `<overlay>/elements/<id>.yaml`, and the rest of the record "
        "stays as it was, comments included. What was already committed stays in the git "
        "history (SECURITY.md explains how to remove it)."
    ),
)
def split(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...",
            help=_("Elements to split (default: every element)."),
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Say what would move, and change nothing."))
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.edit import private_split as splitting

    settings = load_settings(repo)
    with writing(settings, really=not dry_run):
        result = splitting.split(settings, tuple(ids or ()), dry_run=dry_run)
    if result.ignored:
        say(
            (
                _("would add {line} to .gitignore")
                if result.dry_run
                else _("added {line} to .gitignore")
            ).format(line=result.ignored)
        )
    for moved in result.moved:
        fields = ", ".join(p.lstrip("/") for p in moved.pointers)
        say(
            (
                _("{record}: would move {fields} to {overlay}")
                if result.dry_run
                else _("{record}: moved {fields} to {overlay}")
            ).format(record=moved.record, fields=fields, overlay=moved.overlay)
        )
    count = len(result.moved)
    if not count:
        typer.echo(_("nothing to move: no record holds contacts or restricted parts"))
    elif result.dry_run:
        typer.echo(
            ngettext(
                "would move the private fields of {count} element",
                "would move the private fields of {count} elements",
                count,
            ).format(count=count)
        )
    else:
        typer.echo(
            ngettext(
                "moved the private fields of {count} element",
                "moved the private fields of {count} elements",
                count,
            ).format(count=count)
        )
