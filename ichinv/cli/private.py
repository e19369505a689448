"""`ichinv private split`: keep personal data and restricted parts in the private overlay."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, as_ids, load_settings

private_app = typer.Typer(
    name="private",
    help="Keep personal data and restricted parts in the private overlay, out of the repository.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(private_app)


@private_app.command()
def split(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...",
            help="Elements to split (default: every element).",
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would move, and change nothing.")
    ] = False,
    repo: RepoOpt = None,
) -> None:
    """Move contacts and restricted parts from records into the private overlay.

    The overlay is the folder named by `private_overlay` in the settings; each element's
    private fields go to `<overlay>/elements/<id>.yaml`, and the rest of the record stays as it
    was, comments included. What was already committed stays in the git history (SECURITY.md
    explains how to remove it).
    """
    from ichinv.edit import private_split as splitting

    settings = load_settings(repo)
    result = splitting.split(settings, tuple(ids or ()), dry_run=dry_run)
    verb = "would move" if result.dry_run else "moved"
    if result.ignored:
        typer.echo(f"{'would add' if result.dry_run else 'added'} {result.ignored} to .gitignore")
    for moved in result.moved:
        fields = ", ".join(p.lstrip("/") for p in moved.pointers)
        typer.echo(f"{moved.record}: {verb} {fields} to {moved.overlay}")
    count = len(result.moved)
    typer.echo(
        f"{verb} the private fields of {count} element{'' if count == 1 else 's'}"
        if count
        else "nothing to move: no record holds contacts or restricted parts"
    )
