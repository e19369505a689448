"""`ichinv schema-docs`: the documentation of the record schemas, in English, Kazakh and Russian."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, folder_output, load_settings, speak
from ichinv.cli.output import say
from ichinv.core.i18n import _, ngettext
from ichinv.core.vocabulary import Lang


@app.command(
    "schema-docs",
    help=_(
        "Write the documentation of the record schemas (every field) in English, Kazakh and "
        "Russian.\n\n"
        "One page per record kind and language describes every field: its meaning, whether it "
        "is required, its type, allowed values or form, and an example. A page lists the "
        "rules. Each finding of `ichinv validate --format json|sarif|github` links to its "
        "field's entry. Texts not yet translated are shown in English, marked as such."
    ),
)
def schema_docs(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            callback=folder_output,
            metavar="DIR",
            help=_("Folder to write the documentation to (default: docs/ of the inventory)."),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        list[Lang] | None,
        typer.Option(
            "--lang",
            help=_("Only this language (repeatable; default: en, kk and ru)."),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace pages that differ from the generated ones."))
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=_("Write nothing; exit 1 when a page is missing or out of date with the schemas."),
        ),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.inventory import kept
    from ichinv.schemadocs import pages as schemadocs
    from ichinv.schemadocs import texts as schematexts
    from ichinv.schemadocs.anchors import DOCS_DIR
    from ichinv.schemas import loader as schemas

    if lang and len(set(lang)) == 1:
        speak(lang[0])  # one language asked for: its messages too
    settings = load_settings(repo)
    folder = Path(output).expanduser() if output is not None else settings.root / DOCS_DIR
    if not check:
        kept.refuse_kept(
            folder, settings, folder=True, names=(DOCS_DIR,), beside=DOCS_DIR, usable=_takes
        )
    loaded = schemas.load(settings.schema_dir)
    translations = schematexts.load_translations(settings.schema_dir)
    langs = tuple(dict.fromkeys(lang)) if lang else schematexts.LANGS
    pages = schemadocs.render(loaded, translations, langs)
    for code in langs:
        if code == Lang.EN:
            continue
        gaps = schematexts.missing(loaded, translations[code])
        if gaps:
            say(
                ngettext(
                    "note: {count} text not yet translated into {lang} (shown in English, "
                    "marked): first {first}",
                    "note: {count} texts not yet translated into {lang} (shown in English, "
                    "marked): first {first}",
                    len(gaps),
                ).format(count=len(gaps), lang=code, first=gaps[0]),
                err=True,
            )
    shown = settings.relative(folder.resolve()) if folder.is_absolute() else folder.as_posix()
    if check:
        changed = schemadocs.differences(folder, pages)
        for path in changed:
            say(_("{path} is out of date").format(path=f"{shown}/{path}"), err=True)
        if changed:
            typer.echo(_("hint: run `ichinv schema-docs --force` and commit the pages"), err=True)
            raise typer.Exit(1)
        say(_("{path} is up to date").format(path=f"{shown}/"))
        return
    written = schemadocs.write(folder, pages, force=force)
    for path in written:
        say(_("wrote {path}").format(path=f"{shown}/{path}"))
    if not written:
        say(_("{path} is up to date").format(path=f"{shown}/"))


def _takes(folder: Path) -> bool:
    """A folder the documentation may be written to: a folder, or a new one in a folder."""
    try:
        return folder.is_dir() or (not folder.exists() and folder.parent.is_dir())
    except OSError:
        return False
