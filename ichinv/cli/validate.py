"""`ichinv validate`: check records against the schemas and the inventory's rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, given_path, load_settings
from ichinv.cli.output import say, write
from ichinv.core.i18n import _, ngettext
from ichinv.render import findings
from ichinv.render.findings import ValidationFormat

if TYPE_CHECKING:
    from ichinv.io.settings import Settings
    from ichinv.schemadocs.anchors import DocLinks
    from ichinv.schemas.loader import SchemaSet

PROGRESS_FROM = 200
"""Show a progress bar on a terminal when at least this many files are checked."""


@app.command(
    help=_(
        "Check every record against its schema and the cross-record rules.\n\n"
        "Exit 0 when there are no errors, 1 when there are, 2 on a usage or configuration "
        "error. Naming files still checks them against the whole inventory (unique ids, "
        "references)."
    ),
)
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=given_path,
            help=_("Record files or folders to report on (default: the whole inventory)."),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ValidationFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = ValidationFormat.TEXT,
    repo: RepoOpt = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=_(
                "Check every file again instead of reusing the verdicts of earlier runs on "
                "unchanged files (also ICHINV_NO_CACHE=1)."
            ),
        ),
    ] = False,
    new_since: Annotated[
        str | None,
        typer.Option(
            "--new-since",
            metavar="REV",
            help=_(
                "Report (and fail on) only findings that did not already exist at git "
                "revision REV, e.g. origin/main in a pull request."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from ichinv.validate import api, cache

    settings = load_settings(repo)
    with _progress() as progress:
        outcome = api.run(
            settings,
            paths or None,
            use_cache=not (no_cache or cache.disabled()),
            since=new_since,
            progress=progress,
        )
    if outcome.since is not None and outcome.since.old:
        old = outcome.since.old
        say(
            ngettext(
                "note: {count} finding already present at {rev} ({commit}) not shown (--new-since)",
                "note: {count} findings already present at {rev} ({commit}) not shown "
                "(--new-since)",
                old,
            ).format(count=old, rev=new_since, commit=outcome.since.commit[:12]),
            err=True,
        )
    if outcome.since is not None and outcome.since.schemas_changed:
        changed = outcome.since.schemas_changed
        say(
            _(
                "note: the schemas differ from {rev} ({files}): the records were judged by this "
                "checkout's schemas, and so were those of {rev}, so a change can make its own "
                "records valid by editing them; review that change too"
            ).format(
                files=", ".join(changed[:3]) + (", …" if len(changed) > 3 else ""), rev=new_since
            ),
            err=True,
        )
    docs = (
        _doc_links(settings, outcome.schemas)
        if output_format is not ValidationFormat.TEXT
        else None
    )
    render = findings.RENDERERS[output_format]
    write(render(outcome.result, docs=docs, new_since=outcome.since))
    raise typer.Exit(0 if outcome.result.ok else 1)


def _doc_links(settings: Settings, loaded: SchemaSet) -> DocLinks | None:
    """Links from findings to the field documentation, when the inventory has it (docs/)."""
    from ichinv.schemadocs import anchors

    if not (settings.root / anchors.DOCS_DIR).is_dir():
        return None
    return anchors.DocLinks.from_schemas(loaded, base=anchors.base_url())


class _progress:  # noqa: N801 - used as a context manager
    """A rich progress bar on standard error, shown only on a terminal and for many files."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        self._bar = None
        self._task = None
        return self._update if sys.stderr.isatty() else None

    def _update(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self._bar is None:
            from rich.progress import Progress

            from ichinv.render.terminal.console import for_terminal

            self._bar = Progress(console=for_terminal(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(_("validating"), total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
