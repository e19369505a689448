"""Options shared by the reading commands (list, export, show): filters, audience, language."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer

from ichinv.cli.options import as_ids
from ichinv.cli.usage import closest
from ichinv.core.i18n import _
from ichinv.core.vocabulary import Access, Category, Consent, Domain, Lang, SourceList, Status
from ichinv.inventory.audience import Audience
from ichinv.inventory.selection import Filters


def vocabulary_values(vocabulary: type[StrEnum]) -> str:
    """The values of a vocabulary, for an option's help."""
    return _(" Values: {values}.").format(values=", ".join(v.value for v in vocabulary))


def one_of(vocabulary: type[StrEnum]) -> Callable[[list[str] | None], list[str] | None]:
    """Parameter callback: each value one of `vocabulary`, in any case; a value that is none
    of them is a usage error naming the values and the closest one (`did you mean …?`)."""
    known = [v.value for v in vocabulary]
    by_fold = {k.casefold(): k for k in known}

    def check(values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        checked = []
        for value in values:
            found = by_fold.get(value.strip().casefold())
            if found is None:
                guess = closest(value.strip(), known)
                raise typer.BadParameter(
                    _("{value!r} is not one of {values}; did you mean {guess!r}?").format(
                        value=value, values=", ".join(known), guess=guess
                    )
                    if guess is not None
                    else _("{value!r} is not one of {values}").format(
                        value=value, values=", ".join(known)
                    )
                )
            checked.append(found)
        return checked

    return check


ProvinceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--province",
        metavar="ID",
        help=_(
            "Only elements practised in this province, or in a former unit it succeeded "
            "(repeatable)."
        ),
        show_default=False,
        callback=as_ids,
    ),
]
DomainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        metavar="VALUE",
        callback=one_of(Domain),
        help=_("Only elements of this domain (repeatable).") + vocabulary_values(Domain),
        show_default=False,
    ),
]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        metavar="VALUE",
        callback=one_of(Category),
        help=_("Only elements of this national category (repeatable).")
        + vocabulary_values(Category),
        show_default=False,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="VALUE",
        callback=one_of(Status),
        help=_("Only elements with this status (repeatable).") + vocabulary_values(Status),
        show_default=False,
    ),
]
ConsentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--consent",
        metavar="VALUE",
        callback=one_of(Consent),
        help=_("Only elements with this consent status (repeatable).") + vocabulary_values(Consent),
        show_default=False,
    ),
]
AccessOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--access",
        metavar="VALUE",
        callback=one_of(Access),
        help=_("Only elements with this access level.") + vocabulary_values(Access),
        show_default=False,
    ),
]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        metavar="VALUE",
        callback=one_of(SourceList),
        help=_("Only elements citing this source list in provenance.sources (repeatable).")
        + vocabulary_values(SourceList),
        show_default=False,
    ),
]
NameOpt = Annotated[
    str | None,
    typer.Option(
        "--name",
        metavar="TEXT",
        help=_("Only elements with TEXT in a name, in any language and any case."),
        show_default=False,
    ),
]
AudienceOpt = Annotated[
    Audience,
    typer.Option(
        "--audience",
        case_sensitive=False,
        help=_("public (default) leaves out contacts and restricted parts; committee shows all."),
    ),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help=_(
            "Language of names, texts and messages (others stand in when a text is "
            "missing; default: the language of messages, see ICHINV_LANG)."
        ),
        show_default=False,
    ),
]


def filters(
    province: list[str] | None,
    domain: list[str] | None,
    category: list[str] | None,
    status: list[str] | None,
    consent: list[str] | None,
    access: list[str] | None,
    source: list[str] | None,
    name: str | None,
) -> Filters:
    """The filters given on the command line (values already checked by `Choices`)."""
    return Filters(
        provinces=tuple(province or ()),
        domains=tuple(domain or ()),
        categories=tuple(category or ()),
        statuses=tuple(status or ()),
        consent=tuple(consent or ()),
        access=tuple(access or ()),
        sources=tuple(source or ()),
        name=name or "",
    )
