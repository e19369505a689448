"""`ichinv form`: the field form (XLSForm) for community inventory teams."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, as_ids, load_settings, named_output
from ichinv.cli.output import say
from ichinv.core.i18n import _, ngettext
from ichinv.core.vocabulary import Lang

if TYPE_CHECKING:
    from ichinv.io.settings import Settings

DEFAULT_LANGS = "kk,ru,en"


def _refuse_untranslated(settings: Settings, langs: list[str]) -> None:
    """Stop when a language of the form has no field texts (its schema/i18n table missing:
    its columns would be English under its name); note on stderr how many it lacks."""
    from ichinv.core.errors import ConfigError
    from ichinv.render.form_texts import untranslated
    from ichinv.schemas.loader import translation_file

    for lang, gaps in untranslated(settings, langs).items():
        if not gaps:
            continue
        if not translation_file(settings.schema_dir, lang).exists():
            raise ConfigError(
                _(
                    "schema/i18n/{lang}.json is missing: the form's {lang} labels and hints "
                    "would be English"
                ).format(lang=lang),
                hint=_(
                    "restore the file (`git checkout -- schema/i18n/{lang}.json`), or leave the "
                    "language out (--lang {others})"
                ).format(lang=lang, others=",".join(c for c in langs if c != lang) or "en"),
            )
        say(
            ngettext(
                "note: {count} text of the form is not yet translated into {lang} in "
                "schema/i18n/{lang}.json and is shown in English: {first}",
                "note: {count} texts of the form are not yet translated into {lang} in "
                "schema/i18n/{lang}.json and are shown in English (first {first})",
                len(gaps),
            ).format(count=len(gaps), lang=lang, first=gaps[0]),
            err=True,
        )


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
            known_list = ", ".join(known)
            raise typer.BadParameter(
                _("{value!r} is not one of {values}; did you mean {guess!r}?").format(
                    value=raw.strip(), values=known_list, guess=close[0]
                )
                if close
                else _("{value!r} is not one of {values}").format(
                    value=raw.strip(), values=known_list
                )
            )
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise typer.BadParameter(_("name at least one language, e.g. --lang kk,ru,en"))
    return chosen


@app.command(
    "form",
    help=_(
        "Write the field form (XLSForm) for ODK Collect and KoboToolbox, from the element "
        "schema.\n\n"
        "One question per field an inventory team fills in, labels and hints in Kazakh, Russian "
        "and English from the schema's texts, choices from the schema and the current "
        "provinces, a consent section nobody can skip. Put it on phones with ODK Central or "
        "KoboToolbox; bring the submissions in with `ichinv import --from odk FILE`."
    ),
)
def form(
    output_name: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            callback=named_output,
            metavar="FILE.xlsx",
            help=_(
                "Write the form to FILE.xlsx (default: standard output, when it is not a terminal)."
            ),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="kk,ru,en",
            help=_(
                "Languages of the form's labels, comma-separated; the first is the form's "
                "default language."
            ),
        ),
    ] = DEFAULT_LANGS,
    province: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            metavar="ID",
            help=_("Offer only this current province (repeatable; default: every current one)."),
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite the output file if it exists."))
    ] = False,
    repo: RepoOpt = None,
) -> None:
    import sys

    from ichinv.core.errors import UsageError
    from ichinv.exchange import xlsform
    from ichinv.inventory import kept
    from ichinv.io import atomic as files
    from ichinv.render.form_texts import form_texts

    langs = _languages(lang)
    if output_name is not None and output_name != "-" and not output_name.lower().endswith(".xlsx"):
        raise UsageError(
            _("--output {name}: an XLSForm is an .xlsx workbook").format(name=output_name),
            hint=_("name the file *.xlsx, e.g. --output element-form.xlsx"),
        )
    to_stdout = output_name is None or output_name == "-"
    if to_stdout and sys.stdout.isatty():
        raise UsageError(
            _("an xlsx workbook cannot be shown on the terminal"),
            hint=_("pass --output FILE.xlsx"),
        )
    settings = load_settings(repo)
    if not to_stdout:
        assert output_name is not None
        target = Path(output_name).expanduser()
        kept.refuse_kept(target, settings, folder=False, names=(target.name, "element-form.xlsx"))
    _refuse_untranslated(settings, langs)
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
    say(
        ngettext(
            "wrote the form {form} version {version} ({langs}; {count} province) to {output}",
            "wrote the form {form} version {version} ({langs}; {count} provinces) to {output}",
            provinces,
        ).format(
            form=xlsform.FORM_ID,
            version=made.version,
            langs=", ".join(langs),
            count=provinces,
            output=output_name,
        ),
        err=True,
    )
