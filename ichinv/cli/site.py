"""`ichinv site`: the public website of the inventory, as static files in kk, ru and en."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, folder_output, load_settings
from ichinv.core.i18n import _, ngettext
from ichinv.core.vocabulary import Lang

DEFAULT_OUTPUT = "_site"
"""The folder of the inventory the site is written to by default (GitHub Pages' name)."""


def _langs(values: list[str] | None) -> tuple[Lang, ...]:
    """`--lang kk,ru,en` (comma-separated, repeatable) as languages, each once, in order."""
    from ichinv.core.errors import UsageError, typed

    if not values:
        return (Lang.KK, Lang.RU, Lang.EN)
    found: list[Lang] = []
    for value in values:
        for part in value.split(","):
            code = part.strip().lower()
            if not code:
                continue
            if code not in {lang.value for lang in Lang}:
                close = difflib.get_close_matches(
                    code, [lang.value for lang in Lang], n=1, cutoff=0.5
                )
                raise UsageError(
                    _("--lang {value!r} is not a language of the site").format(
                        value=typed(part.strip())
                    ),
                    hint=_(
                        "did you mean {guess!r}? the site is written in kk, ru and en (e.g. "
                        "--lang kk,ru,en)"
                    ).format(guess=close[0])
                    if close
                    else _("the site is written in kk, ru and en (e.g. --lang kk,ru,en)"),
                )
            if Lang(code) not in found:
                found.append(Lang(code))
    if not found:
        raise UsageError(_("--lang names no language"), hint=_("e.g. --lang kk,ru,en"))
    return tuple(found)


@app.command(
    help=_(
        "Write the public website of the inventory: static pages in Kazakh, Russian and "
        "English.\n\n"
        "A home page, a page per element (retired and merged ones as tombstones), per province "
        "(with a schematic map), per domain and national category, an about page and an "
        "offline search. Public view only: no contacts, no restricted parts. Plain files that "
        "work from file:// and any static host; same inputs, same bytes."
    ),
)
def site(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            callback=folder_output,
            metavar="DIR",
            help=_(
                "Folder to write the site to (default: _site/ of the inventory). A folder "
                "ichinv site wrote before is updated: only changed files are written."
            ),
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help=_(
                "Address the site is published at: adds canonical links, links between the "
                "languages of a page and sitemap.xml. Links inside the site stay relative."
            ),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        list[str] | None,
        typer.Option(
            "--lang",
            metavar="kk,ru,en",
            help=_(
                "Languages of the site, comma-separated, in the order the language choice "
                "lists them (default: kk,ru,en)."
            ),
            show_default=False,
        ),
    ] = None,
    repository_url: Annotated[
        str | None,
        typer.Option(
            "--repository-url",
            metavar="URL",
            help=_(
                "Address of the repository that keeps the records: the about page links it "
                "for corrections."
            ),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=_("Write into a folder that is not empty although ichinv site did not write it."),
        ),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.cli.output import incomplete, say
    from ichinv.site import inputs as api
    from ichinv.site import output as site_output

    settings = load_settings(repo)
    request = api.Request(
        langs=_langs(lang),
        base_url=api.web_address(base_url, "--base-url"),
        repository=api.web_address(repository_url, "--repository-url"),
    )
    folder = Path(output).expanduser() if output is not None else settings.root / DEFAULT_OUTPUT
    site_output.check_folder(folder, settings, force=force)
    shown = settings.relative(folder.resolve())
    inputs = api.fingerprint(settings, request)
    kept = site_output.unchanged(folder, inputs)
    if kept is not None:  # nothing changed since the last build: no record is read
        count, left_out = kept
        say(
            ngettext(
                "{folder}/: {count} file, {written} written, {unchanged} unchanged, "
                "{removed} removed",
                "{folder}/: {count} files, {written} written, {unchanged} unchanged, "
                "{removed} removed",
                count,
            ).format(folder=shown, count=count, written=0, unchanged=count, removed=0)
        )
        incomplete(list(left_out))
        return
    from ichinv.inventory import view
    from ichinv.site import api as site

    before = site_output.previous(folder)
    planned = site.plan(settings, request, view.load(settings), before)
    result = site_output.write(
        folder, planned.files, inputs=inputs, left_out=planned.left_out, before=before
    )
    say(
        ngettext(
            "{folder}/: {count} file, {written} written, {unchanged} unchanged, {removed} removed",
            "{folder}/: {count} files, {written} written, {unchanged} unchanged, {removed} removed",
            len(planned.files),
        ).format(
            folder=shown,
            count=len(planned.files),
            written=len(result.written),
            unchanged=result.unchanged,
            removed=len(result.removed),
        )
    )
    incomplete(list(planned.left_out))
