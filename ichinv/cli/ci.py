"""`ichinv ci summary`: the reports of a CI run as one job summary within GitHub's limits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import given_path, named_output, text_option
from ichinv.cli.output import write
from ichinv.core.i18n import _
from ichinv.render.findings.limits import LEAST_CHARS

if TYPE_CHECKING:
    from ichinv.render.findings.summary import Report

ci = typer.Typer(
    name="ci",
    help=_("Helpers for continuous integration (GitHub Actions)."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(ci)


@ci.command(
    "summary",
    help=_(
        "Write the job summary of a CI run: the reports within GitHub's size limit.\n\n"
        "A report too long for the limit is shortened, and says which file of the artifact "
        "holds it in full. A report that is missing (an earlier step failed) is named as "
        "missing."
    ),
)
def summary(
    reports: Annotated[
        list[Path] | None,
        typer.Argument(
            parser=given_path,
            help=_(
                "Reports of the run: Markdown files (.md) and JSON reports of `ichinv "
                "validate` (.json), in the order to show them."
            ),
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", callback=text_option, help=_("Heading of the summary."))
    ] = _("Inventory check"),
    artifact: Annotated[
        str,
        typer.Option(
            "--artifact",
            callback=text_option,
            help=_("Name of the artifact that holds the full reports."),
        ),
    ] = "inventory-report",
    artifact_url: Annotated[
        str,
        typer.Option(
            "--artifact-url",
            callback=text_option,
            metavar="URL",
            help=_("Address of that artifact (actions/upload-artifact's `artifact-url` output)."),
            show_default=False,
        ),
    ] = "",
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=LEAST_CHARS,
            help=_(
                "Most characters the summary may have (GitHub's limit for comments and "
                "check-run summaries). In the job summary it is also kept within GitHub's "
                "1 MiB per step, counting what the step wrote there before."
            ),
        ),
    ] = 65_536,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            callback=named_output,
            metavar="FILE|-",
            help=_(
                "Where to add the summary (default: the job summary, $GITHUB_STEP_SUMMARY, "
                "in GitHub Actions; else standard output)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    from ichinv.core.errors import UsageError
    from ichinv.io import atomic as files
    from ichinv.render.findings import limits as github
    from ichinv.render.findings import summary as render

    loaded = [_load(path) for path in reports or []]

    def page(characters: int) -> str:
        return render.render(
            loaded,
            title=title,
            artifact=artifact,
            artifact_url=artifact_url or github.run_url(),
            limit=characters,
        )

    job_summary = github.step_summary()
    target = output if output is not None else job_summary
    if target is None or target == "-":
        write(page(limit))
        return
    path = Path(target)
    _refuse_kept(path, "--output" if output is not None else "$GITHUB_STEP_SUMMARY")
    before = _existing(path)
    separator = "\n" if before and not before.endswith("\n") else ""
    in_job_summary = job_summary is not None and _same_file(path, Path(job_summary))
    if in_job_summary:
        # GitHub drops a step's summary past 1 MiB: what is there already counts too.
        room = github.STEP_SUMMARY_BYTES - len((before + separator).encode("utf-8"))
        text = github.fit_bytes(page, limit, room, least=LEAST_CHARS)
        if text is None:
            raise UsageError(
                _(
                    "the job summary {path} is full: GitHub shows at most {limit:,} bytes per step"
                ).format(path=path, limit=github.STEP_SUMMARY_BYTES),
                hint=_("write this summary in a step of its own"),
            )
    else:
        text = page(limit)
    # The reports may be committee packets, contacts included: a summary file of our own is
    # readable by its owner only. The job summary is GitHub's file, left as it is.
    files.write_text_atomic(
        path, before + separator + text, overwrite=True, private=not in_job_summary
    )


def _refuse_kept(path: Path, option: str) -> None:
    """Refuse a summary file the inventory keeps (ichinv.inventory.kept): of the inventory
    the command runs in, if any (ci summary needs none), and of the one holding `path`,
    whether `--output` or the job summary's variable names it (`option`)."""
    from ichinv.core.errors import ConfigError
    from ichinv.inventory import kept
    from ichinv.io import settings as inventory_settings

    try:
        here = inventory_settings.load()
    except ConfigError:
        here = None
    kept.refuse_kept(path, here, folder=False, option=option, names=("summary.md",))


_EXISTING_LIMIT = 16 * 1024 * 1024
"""The largest summary file a new summary is added to (GitHub's own holds at most 1 MiB)."""


def _existing(path: Path) -> str:
    """What the summary file holds already (to add to it); empty when there is none."""
    import stat

    from ichinv.core.errors import UsageError
    from ichinv.io import os_errors

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return ""
    except OSError as exc:
        failure = os_errors.read_failed(path, exc)
        if failure is None:
            raise
        raise failure from None
    if not stat.S_ISREG(mode):
        # A device or a pipe would be read without end; a summary is added to a file only.
        raise UsageError(
            (
                _("cannot add the summary to {path}: it is a folder")
                if stat.S_ISDIR(mode)
                else _("cannot add the summary to {path}: it is not an ordinary file")
            ).format(path=path),
            hint=_("give the name of a Markdown file, or - for standard output"),
        )
    if path.stat().st_size > _EXISTING_LIMIT:
        raise UsageError(
            _(
                "cannot add the summary to {path}: it already holds more than {limit:,} bytes"
            ).format(path=path, limit=_EXISTING_LIMIT),
            hint=_("give the name of a new Markdown file"),
        )
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError:
        raise UsageError(
            _("cannot add the summary to {path}: it is not a text file").format(path=path),
            hint=_("give the name of a Markdown file, or - for standard output"),
        ) from None
    except OSError as exc:
        failure = os_errors.read_failed(path, exc)
        if failure is None:
            raise
        raise failure from None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def _load(path: Path) -> Report:
    """A report read from `path` (JSON validation reports rendered to Markdown)."""
    from ichinv.core import jsontext
    from ichinv.core.errors import UsageError
    from ichinv.inventory.record_files import shown
    from ichinv.io import given
    from ichinv.io.os_errors import FileSystemError
    from ichinv.render.findings import summary as render

    name = shown(path.name)  # a name that is not UTF-8 as \xNN: the summary is UTF-8
    try:
        # A regular file of at most ichinv.io.given.LIMIT bytes: never a device or a pipe.
        raw = given.read(path, hint=_("give the report files of the run")).decode("utf-8")
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")  # as read_text read it
    except FileNotFoundError:
        return render.Report(name, None)
    except UnicodeDecodeError:
        raise UsageError(
            _("cannot read {path}: it is not UTF-8 text").format(path=path),
            hint=_("give the report files of the run"),
        ) from None
    except FileSystemError as plain:
        raise UsageError(plain.message, hint=_("give the report files of the run")) from None
    if not raw.strip():
        return render.Report(name, None)
    if path.suffix != ".json":
        return render.Report(name, raw)
    try:
        document = jsontext.read(raw)
    except jsontext.Unreadable as problem:
        raise UsageError(
            problem.in_file(str(path)), hint=_("give the output of `ichinv validate --format json`")
        ) from None
    if not isinstance(document, dict) or "findings" not in document:
        raise UsageError(
            _("{path} is not a report of `ichinv validate --format json`").format(path=path),
            hint=_("give Markdown reports as .md files"),
        )
    wrong = _misshapen(document)
    if wrong is not None:
        raise UsageError(
            _(
                "{path} is not a report of `ichinv validate --format json`: "
                "its {field} is not what that report holds there"
            ).format(path=path, field=wrong),
            hint=_("give the output of `ichinv validate --format json`"),
        )
    return render.Report(name, render.findings_section(document))


def _misshapen(document: dict[str, object]) -> str | None:
    """The first field (as `"key"` or `"key"[n]`) of a validation report whose value is not of
    the kind `ichinv validate --format json` writes there; None when the report is well formed."""
    from collections.abc import Mapping

    def number(value: object) -> bool:  # a count: whole, and not below zero
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if "ok" in document and not isinstance(document["ok"], bool):
        return '"ok"'
    if "checked" in document and not number(document["checked"]):
        return '"checked"'
    counts = document.get("summary")
    if counts is not None and (
        not isinstance(counts, Mapping) or not all(number(n) for n in counts.values())
    ):
        return '"summary"'
    since = document.get("new_since")
    if since is not None and (
        not isinstance(since, Mapping) or not number(since.get("already_there", 0))
    ):
        return '"new_since"'
    for key in ("findings", "suppressed"):
        items = document.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            return f'"{key}"'
        for n, item in enumerate(items):
            if not isinstance(item, Mapping) or not isinstance(
                item.get("suppression") or {}, Mapping
            ):
                return f'"{key}"[{n}]'
    listed = document.get("findings")
    if (
        document.get("ok") is True
        and isinstance(listed, list)
        and any(f.get("severity") == "error" for f in listed)
    ):
        return '"ok"'  # it passed while it lists an error: the summary would say "Passed"
    return None
