"""`ichinv new`: a new element's record with the next free id, from the commented template."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ichinv.cli.app import app
from ichinv.cli.options import (
    HistoryOpt,
    RepoOpt,
    load_settings,
    published_text,
    typed_text,
    without_contacts,
    writing,
)
from ichinv.cli.output import say, write
from ichinv.core import dates
from ichinv.core.i18n import _

if TYPE_CHECKING:
    from ichinv.edit.new import Choices, Created, NewElement


def _prompt(text: str, check: Callable[[str], Any], **options: Any) -> Any:
    """Ask `text` until `check` takes the answer: a wrong one is explained, in the language of
    messages, and asked for again."""
    from ichinv.core.errors import IchinvError

    while True:
        answer = typer.prompt(text, **options)
        try:
            return check(answer)
        except IchinvError as exc:
            message = exc.message + (f" ({exc.hint})" if exc.hint else "")
            say(_("Error: {message}").format(message=message))


def _split(value: str) -> list[str]:
    """The items of a prompt answer, separated by commas, semicolons or spaces (ids and domain
    names hold none of these)."""
    return value.replace(";", " ").replace(",", " ").split()


@app.command(
    "new",
    help=_(
        "Create the record of a new element, with the next free id of the year.\n\n"
        "Asks for the names, domains, national category and provinces (each also an option, "
        "for scripts), writes elements/<id>.yaml from templates/new-element.yaml with "
        "comments that explain each field, and lists the fields still to fill in before "
        "`ichinv validate` accepts the record."
    ),
)
def new(
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help=_(
                "Year the element enters the inventory, the YYYY of its id (default: this year)."
            ),
            show_default=False,
        ),
    ] = None,
    name_kk: Annotated[
        str | None,
        typer.Option(
            "--name-kk", help=_("Name in Kazakh, in Cyrillic script."), callback=published_text
        ),
    ] = None,
    name_ru: Annotated[
        str | None, typer.Option("--name-ru", help=_("Name in Russian."), callback=published_text)
    ] = None,
    name_en: Annotated[
        str | None,
        typer.Option("--name-en", help=_("Name in English (optional)."), callback=published_text),
    ] = None,
    domains: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            help=_(
                "Convention domain (repeatable): oral-traditions, performing-arts, "
                "social-practices, knowledge-nature, craftsmanship."
            ),
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category", help=_("National category of the 2024 list: I, II, III, IV or V.")
        ),
    ] = None,
    provinces: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            help=_("Province where the element is practised, as its id (repeatable), e.g. KZ-43."),
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help=_("Ask nothing: what no option gives is left to fill in.")),
    ] = False,
    allow_incomplete_history: HistoryOpt = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.core.model import RecordKind
    from ichinv.edit import new as scaffold
    from ichinv.io import atomic as files

    settings = load_settings(repo)
    elements = settings.folder(RecordKind.ELEMENT)
    scaffold.refuse_unusable_folder(settings)  # before asking anything
    today = dates.today()
    allowed = scaffold.choices(settings)
    element = scaffold.check(
        scaffold.NewElement(
            year=year if year is not None else today.year,
            names={"kk": name_kk or "", "ru": name_ru or "", "en": name_en or ""},
            domains=tuple(domains or ()),
            category=category,
            provinces=tuple(provinces or ()),
        ),
        allowed,
        today,
    )
    if not no_input:
        element = _ask(element, allowed, given_en=name_en is not None, given_category=category)
    files.make_folder(elements)  # a new inventory's first record: elements/, never its parent
    with writing(settings):
        created = scaffold.create(settings, element, today, complete=not allow_incomplete_history)
    write(_render(created))


def _ask(
    element: NewElement, allowed: Choices, *, given_en: bool, given_category: str | None
) -> NewElement:
    """Prompt for every value no option gave."""
    from dataclasses import replace

    from ichinv.edit import new as scaffold

    names = dict(element.names)
    if "kk" not in names:
        names["kk"] = _typed(typer.prompt(_("Name in Kazakh (Cyrillic script)")), "kk")
    if "ru" not in names:
        names["ru"] = _typed(typer.prompt(_("Name in Russian")), "ru")
    if "en" not in names and not given_en:
        names["en"] = _typed(
            typer.prompt(
                _("Name in English (optional, Enter to skip)"), default="", show_default=False
            ),
            "en",
        )
    domains = element.domains or _prompt(
        _("Domains, separated by commas ({values})").format(values=", ".join(allowed.domains)),
        lambda v: tuple(scaffold.check_domain(d, allowed) for d in _split(v)),
    )
    category = element.category
    if category is None and given_category is None:
        category = (
            _prompt(
                _("National category ({values}; Enter to skip)").format(
                    values=", ".join(allowed.categories)
                ),
                lambda v: scaffold.check_category(v, allowed) if v.strip() else "",
                default="",
                show_default=False,
            )
            or None
        )
    if not element.provinces:
        from ichinv.render.plain import visible

        typer.echo(_("Current provinces:"))
        for pid, name in allowed.provinces.items():
            typer.echo(f"  {pid}  {visible(name)}")
    provinces = element.provinces or _prompt(
        _("Provinces, separated by commas (their ids, e.g. KZ-43)"),
        lambda v: tuple(scaffold.check_province(p, allowed) for p in _split(v)),
    )
    return replace(
        element,
        names={k: v for k, v in names.items() if v},
        domains=tuple(dict.fromkeys(domains)),
        category=category,
        provinces=tuple(dict.fromkeys(provinces)),
    )


def _render(created: Created) -> str:
    from ichinv.render.edits import render_created

    return render_created(created)


def _typed(answer: str, lang: str) -> str:
    """A name typed at a prompt, taken as the value of the option that gives it is
    (`typed_text`, `without_contacts`: the messages name that option)."""
    name = f"--name-{lang}"
    return without_contacts(typed_text(answer, name), name) or ""
