"""`ichinv ci summary`: the reports of a CI run as one job summary within GitHub's limits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.output import write

if TYPE_CHECKING:
    from ichinv.render.summary import Report

ci = typer.Typer(
    name="ci",
    help="Helpers for continuous integration (GitHub Actions).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(ci)


@ci.command("summary")
def summary(
    reports: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Reports of the run: Markdown files (.md) and JSON reports of `ichinv "
            "validate` (.json), in the order to show them.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Heading of the summary.")] = (
        "Inventory check"
    ),
    artifact: Annotated[
        str,
        typer.Option("--artifact", help="Name of the artifact that holds the full reports."),
    ] = "inventory-report",
    artifact_url: Annotated[
        str,
        typer.Option(
            "--artifact-url",
            metavar="URL",
            help="Address of that artifact (actions/upload-artifact's `artifact-url` output).",
            show_default=False,
        ),
    ] = "",
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=1000,
            help="Most characters the summary may have (GitHub's limit for comments and "
            "check-run summaries).",
        ),
    ] = 65_536,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE|-",
            help="Where to add the summary (default: the job summary, $GITHUB_STEP_SUMMARY, in "
            "GitHub Actions; else standard output).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the job summary of a CI run: the reports within GitHub's size limit.

    A report too long for the limit is shortened, and says which file of the artifact holds
    it in full. A report that is missing (an earlier step failed) is named as missing.
    """
    from ichinv import files, github
    from ichinv.render import summary as render

    loaded = [_load(path) for path in reports or []]
    text = render.render(
        loaded,
        title=title,
        artifact=artifact,
        artifact_url=artifact_url or github.run_url(),
        limit=limit,
    )
    target = output if output is not None else github.step_summary()
    if target is None or target == "-":
        write(text)
        return
    path = Path(target)
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        from ichinv.errors import UsageError

        raise UsageError(f"cannot read {path}: {exc}", hint="give a writable text file") from None
    separator = "\n" if before and not before.endswith("\n") else ""
    files.write_text_atomic(path, before + separator + text, overwrite=True)


def _load(path: Path) -> Report:
    """A report read from `path` (JSON validation reports rendered to Markdown)."""
    import json

    from ichinv.errors import UsageError
    from ichinv.render import summary as render

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return render.Report(path.name, None)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"cannot read {path}: {exc}", hint="give the report files of the run"
        ) from None
    if not raw.strip():
        return render.Report(path.name, None)
    if path.suffix != ".json":
        return render.Report(path.name, raw)
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path} is not JSON: {exc}",
            hint="give the output of `ichinv validate --format json`",
        ) from None
    if not isinstance(document, dict) or "findings" not in document:
        raise UsageError(
            f"{path} is not a report of `ichinv validate --format json`",
            hint="give Markdown reports as .md files",
        )
    return render.Report(path.name, render.findings_section(document))
