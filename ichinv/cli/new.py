"""`ichinv new`: a new element's record with the next free id, from the commented template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, load_settings
from ichinv.cli.output import write
from ichinv.core import dates

if TYPE_CHECKING:
    from ichinv.edit.new import Choices, Created, NewElement


def _checked(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """A prompt's value check: a wrong value is explained and asked for again."""
    from ichinv.core.errors import IchinvError

    def proc(value: str) -> Any:
        try:
            return check(value)
        except IchinvError as exc:
            raise typer.BadParameter(exc.message + (f" ({exc.hint})" if exc.hint else "")) from None

    return proc


def _split(value: str) -> list[str]:
    """The items of a prompt answer, separated by commas, semicolons or spaces (ids and domain
    names hold none of these)."""
    return value.replace(";", " ").replace(",", " ").split()


@app.command("new")
def new(
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Year the element enters the inventory, the YYYY of its id (default: this year).",
            show_default=False,
        ),
    ] = None,
    name_kk: Annotated[
        str | None, typer.Option("--name-kk", help="Name in Kazakh, in Cyrillic script.")
    ] = None,
    name_ru: Annotated[str | None, typer.Option("--name-ru", help="Name in Russian.")] = None,
    name_en: Annotated[
        str | None, typer.Option("--name-en", help="Name in English (optional).")
    ] = None,
    domains: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            help="Convention domain (repeatable): oral-traditions, performing-arts, "
            "social-practices, knowledge-nature, craftsmanship.",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="National category of the 2024 list: I, II, III, IV or V."),
    ] = None,
    provinces: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            help="Province where the element is practised, as its id (repeatable), e.g. KZ-43.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Ask nothing: what no option gives is left to fill in."),
    ] = False,
    repo: RepoOpt = None,
) -> None:
    """Create the record of a new element, with the next free id of the year.

    Asks for the names, domains, national category and provinces (each also an option, for
    scripts), writes elements/<id>.yaml from templates/new-element.yaml with comments that
    explain each field, and lists the fields still to fill in before `ichinv validate`
    accepts the record.
    """
    from ichinv.core.model import RecordKind
    from ichinv.edit import new as scaffold
    from ichinv.io import atomic as files

    settings = load_settings(repo)
    elements = settings.folder(RecordKind.ELEMENT)
    _refuse_a_file_as(elements)  # before asking anything
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
    )
    if not no_input:
        element = _ask(element, allowed, given_en=name_en is not None, given_category=category)
    files.make_folder(elements)  # a new inventory's first record: elements/, never its parent
    created = scaffold.create(settings, element, today)
    write(_render(created))


def _refuse_a_file_as(folder: Path) -> None:
    """Stop before the questions when the records' folder is a file."""
    if folder.exists() and not folder.is_dir():
        from ichinv.core.errors import UsageError

        raise UsageError(
            f"{folder} is a file, not a folder: new records cannot be written into it",
            hint=f"move the file away, so that {folder.name}/ can hold one YAML file per element",
        )


def _ask(
    element: NewElement, allowed: Choices, *, given_en: bool, given_category: str | None
) -> NewElement:
    """Prompt for every value no option gave."""
    from dataclasses import replace

    from ichinv.edit import new as scaffold

    names = dict(element.names)
    if "kk" not in names:
        names["kk"] = typer.prompt("Name in Kazakh (Cyrillic script)").strip()
    if "ru" not in names:
        names["ru"] = typer.prompt("Name in Russian").strip()
    if "en" not in names and not given_en:
        names["en"] = typer.prompt(
            "Name in English (optional, Enter to skip)", default="", show_default=False
        ).strip()
    domains = element.domains or typer.prompt(
        "Domains, separated by commas (" + ", ".join(allowed.domains) + ")",
        value_proc=_checked(lambda v: tuple(scaffold.check_domain(d, allowed) for d in _split(v))),
    )
    category = element.category
    if category is None and given_category is None:
        category = (
            typer.prompt(
                "National category (" + ", ".join(allowed.categories) + "; Enter to skip)",
                default="",
                show_default=False,
                value_proc=_checked(
                    lambda v: scaffold.check_category(v, allowed) if v.strip() else ""
                ),
            )
            or None
        )
    if not element.provinces:
        from ichinv.render.plain import visible

        typer.echo("Current provinces:")
        for pid, name in allowed.provinces.items():
            typer.echo(f"  {pid}  {visible(name)}")
    provinces = element.provinces or typer.prompt(
        "Provinces, separated by commas (their ids, e.g. KZ-43)",
        value_proc=_checked(
            lambda v: tuple(scaffold.check_province(p, allowed) for p in _split(v))
        ),
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
