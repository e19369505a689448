"""`ichinv validate`: check records against the schemas and the inventory's rules."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.cli.output import write
from ichinv.core import dates
from ichinv.render import findings
from ichinv.render.findings import ValidationFormat

if TYPE_CHECKING:
    import datetime as dt

    from ichinv.core.model import ValidationResult
    from ichinv.io.settings import Settings
    from ichinv.schemadocs.anchors import DocLinks
    from ichinv.schemas.loader import SchemaSet
    from ichinv.validate.engine import ResultCache
    from ichinv.validate.new_since import NewFindings

PROGRESS_FROM = 200
"""Show a progress bar on a terminal when at least this many files are checked."""


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or folders to report on (default: the whole inventory).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ValidationFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidationFormat.TEXT,
    repo: RepoOpt = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check every file again instead of reusing the verdicts of earlier runs on "
            "unchanged files (also ICHINV_NO_CACHE=1).",
        ),
    ] = False,
    new_since: Annotated[
        str | None,
        typer.Option(
            "--new-since",
            metavar="REV",
            help="Report (and fail on) only findings that did not already exist at git revision "
            "REV, e.g. origin/main in a pull request.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check every record against its schema and the cross-record rules.

    Exit 0 when there are no errors, 1 when there are, 2 on a usage or configuration error.
    Naming files still checks them against the whole inventory (unique ids, references).
    """
    from ichinv.schemas import loader as schemas
    from ichinv.validate import cache
    from ichinv.validate import engine as validation

    settings = load_settings(repo)
    day = dates.today()
    use_cache = not (no_cache or cache.disabled())
    with (
        cache.ResultStore.open(settings, day) if use_cache else nullcontext() as store,
        _progress() as progress,
    ):
        # Loaded once for the run: the check, the check at --new-since REV, and the links.
        loaded = schemas.load(settings.schema_dir, checked=getattr(store, "checked_schemas", ()))
        result = validation.validate(
            settings, paths or None, schemas=loaded, cache=store, progress=progress, day=day
        )
        since = (
            _new_since(settings, result, new_since, day, store, loaded)
            if new_since is not None
            else None
        )
    if since is not None:
        result = since.result
    docs = _doc_links(settings, loaded) if output_format is not ValidationFormat.TEXT else None
    render = findings.RENDERERS[output_format]
    write(render(result, docs=docs, new_since=since.since if since else None))
    raise typer.Exit(0 if result.ok else 1)


def _new_since(
    settings: Settings,
    result: ValidationResult,
    rev: str,
    day: dt.date,
    store: ResultCache | None,
    loaded: SchemaSet,
) -> NewFindings:
    """Only the findings that REV did not have; say on stderr how many old ones are hidden."""
    from ichinv.validate import new_since as baseline_findings

    outcome = baseline_findings.new_since(
        settings, result, rev, schemas=loaded, day=day, cache=store
    )
    old = outcome.since.old
    if old:
        typer.echo(
            f"note: {old} finding{'' if old == 1 else 's'} already present at {rev} "
            f"({outcome.since.commit[:12]}) not shown (--new-since)",
            err=True,
        )
    return outcome


def _doc_links(settings: Settings, loaded: SchemaSet) -> DocLinks | None:
    """Links from findings to the field documentation, when the inventory has it (docs/)."""
    from ichinv.schemadocs import anchors as fielddocs

    if not (settings.root / fielddocs.DOCS_DIR).is_dir():
        return None
    return fielddocs.DocLinks.from_schemas(loaded, base=fielddocs.base_url())


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
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("validating", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
