"""`ichinv form`: the field form (XLSForm) for community inventory teams."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, as_ids, load_settings
from ichinv.core.vocabulary import Lang

DEFAULT_LANGS = "kk,ru,en"


def _languages(value: str) -> list[str]:
    """Parameter callback: `kk,ru,en` → the languages in that order, each once."""
    known = [lang.value for lang in Lang]
    chosen: list[str] = []
    for raw in value.split(","):
        code = raw.strip().lower()
        if not code:
            continue
        if code not in known:
            close = difflib.get_close_matches(code, known, 1, 0.3)
            guess = f"; did you mean {close[0]!r}?" if close else ""
            raise typer.BadParameter(f"{raw.strip()!r} is not one of {', '.join(known)}{guess}")
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise typer.BadParameter("name at least one language, e.g. --lang kk,ru,en")
    return chosen


@app.command("form")
def form(
    output_name: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE.xlsx",
            help="Write the form to FILE.xlsx (default: standard output, when it is not a "
            "terminal).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="kk,ru,en",
            help="Languages of the form's labels, comma-separated; the first is the form's "
            "default language.",
        ),
    ] = DEFAULT_LANGS,
    province: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            metavar="ID",
            help="Offer only this current province (repeatable; default: every current one).",
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output file if it exists.")
    ] = False,
    repo: RepoOpt = None,
) -> None:
    """Write the field form (XLSForm) for ODK Collect and KoboToolbox, from the element schema.

    One question per field an inventory team fills in, labels and hints in Kazakh, Russian and
    English from the schema's texts, choices from the schema and the current provinces, a
    consent section nobody can skip. Put it on phones with ODK Central or KoboToolbox; bring
    the submissions in with `ichinv import --from odk FILE`.
    """
    import sys

    from ichinv.core.errors import UsageError
    from ichinv.exchange import xlsform
    from ichinv.io import atomic as files
    from ichinv.render.form_texts import form_texts

    langs = _languages(lang)
    if output_name is not None and output_name != "-" and not output_name.lower().endswith(".xlsx"):
        raise UsageError(
            f"--output {output_name}: an XLSForm is an .xlsx workbook",
            hint="name the file *.xlsx, e.g. --output element-form.xlsx",
        )
    to_stdout = output_name is None or output_name == "-"
    if to_stdout and sys.stdout.isatty():
        raise UsageError(
            "an xlsx workbook cannot be shown on the terminal",
            hint="pass --output FILE.xlsx",
        )
    settings = load_settings(repo)
    made = xlsform.make(settings, form_texts(settings), langs, province or ())
    content = made.workbook()
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    assert output_name is not None
    output = Path(output_name).expanduser()
    files.write_bytes_atomic(output, content, overwrite=force)
    provinces = sum(1 for row in made.choices if row[0] == "province")
    typer.echo(
        f"wrote the form {xlsform.FORM_ID} version {made.version} ({', '.join(langs)}; "
        f"{provinces} province{'' if provinces == 1 else 's'}) to {output_name}",
        err=True,
    )
