"""`ichinv schema-docs`: the documentation of the record schemas, in English, Kazakh and Russian."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.core.vocabulary import Lang


@app.command("schema-docs")
def schema_docs(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder to write the documentation to (default: docs/ of the inventory).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        list[Lang] | None,
        typer.Option(
            "--lang",
            help="Only this language (repeatable; default: en, kk and ru).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace pages that differ from the generated ones.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 when a page is missing or out of date with the schemas.",
        ),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    """Write the documentation of the record schemas (every field) in English, Kazakh and Russian.

    One page per record kind and language describes every field: its meaning, whether it is
    required, its type, allowed values or form, and an example. A page lists the rules. Each
    finding of `ichinv validate --format json|sarif|github` links to its field's entry.
    Texts not yet translated are shown in English, marked as such.
    """
    from ichinv.schemadocs import pages as schemadocs
    from ichinv.schemadocs import texts as schematexts
    from ichinv.schemadocs.anchors import DOCS_DIR
    from ichinv.schemas import loader as schemas

    settings = load_settings(repo)
    loaded = schemas.load(settings.schema_dir)
    translations = schematexts.load_translations(settings.schema_dir)
    langs = tuple(dict.fromkeys(lang)) if lang else schematexts.LANGS
    pages = schemadocs.render(loaded, translations, langs)
    folder = output.expanduser() if output is not None else settings.root / DOCS_DIR
    for code in langs:
        if code == Lang.EN:
            continue
        gaps = schematexts.missing(loaded, translations[code])
        if gaps:
            typer.echo(
                f"note: {len(gaps)} text{'' if len(gaps) == 1 else 's'} not yet translated into "
                f"{code} (shown in English, marked): first {gaps[0]}",
                err=True,
            )
    shown = settings.relative(folder.resolve()) if folder.is_absolute() else folder.as_posix()
    if check:
        changed = schemadocs.differences(folder, pages)
        for path in changed:
            typer.echo(f"{shown}/{path} is out of date", err=True)
        if changed:
            typer.echo("hint: run `ichinv schema-docs --force` and commit the pages", err=True)
            raise typer.Exit(1)
        typer.echo(f"{shown}/ is up to date")
        return
    written = schemadocs.write(folder, pages, force=force)
    for path in written:
        typer.echo(f"wrote {shown}/{path}")
    if not written:
        typer.echo(f"{shown}/ is up to date")
