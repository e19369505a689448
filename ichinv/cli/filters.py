"""Options shared by the reading commands (list, export, show): filters, audience, language."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.options import as_ids
from ichinv.core.vocabulary import Access, Category, Consent, Domain, Lang, SourceList, Status
from ichinv.inventory.audience import Audience
from ichinv.inventory.selection import Filters

ProvinceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--province",
        metavar="ID",
        help="Only elements practised in this province, or in a former unit it succeeded "
        "(repeatable).",
        show_default=False,
        callback=as_ids,
    ),
]
DomainOpt = Annotated[
    list[Domain] | None,
    typer.Option(
        "--domain",
        case_sensitive=False,
        help="Only elements of this domain (repeatable).",
        show_default=False,
    ),
]
CategoryOpt = Annotated[
    list[Category] | None,
    typer.Option(
        "--category",
        case_sensitive=False,
        help="Only elements of this national category (repeatable).",
        show_default=False,
    ),
]
StatusOpt = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        case_sensitive=False,
        help="Only elements with this status (repeatable).",
        show_default=False,
    ),
]
ConsentOpt = Annotated[
    list[Consent] | None,
    typer.Option(
        "--consent",
        case_sensitive=False,
        help="Only elements with this consent status (repeatable).",
        show_default=False,
    ),
]
AccessOpt = Annotated[
    list[Access] | None,
    typer.Option(
        "--access",
        case_sensitive=False,
        help="Only elements with this access level.",
        show_default=False,
    ),
]
SourceOpt = Annotated[
    list[SourceList] | None,
    typer.Option(
        "--source",
        case_sensitive=False,
        help="Only elements citing this source list in provenance.sources (repeatable).",
        show_default=False,
    ),
]
NameOpt = Annotated[
    str | None,
    typer.Option(
        "--name",
        metavar="TEXT",
        help="Only elements with TEXT in a name, in any language and any case.",
        show_default=False,
    ),
]
AudienceOpt = Annotated[
    Audience,
    typer.Option(
        "--audience",
        case_sensitive=False,
        help="public (default) leaves out contacts and restricted parts; committee shows all.",
    ),
]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of names and texts (others stand in when missing).",
    ),
]


def filters(
    province: list[str] | None,
    domain: list[Domain] | None,
    category: list[Category] | None,
    status: list[Status] | None,
    consent: list[Consent] | None,
    access: list[Access] | None,
    source: list[SourceList] | None,
    name: str | None,
) -> Filters:
    """The filters given on the command line."""
    return Filters(
        provinces=tuple(province or ()),
        domains=tuple(d.value for d in domain or ()),
        categories=tuple(c.value for c in category or ()),
        statuses=tuple(s.value for s in status or ()),
        consent=tuple(c.value for c in consent or ()),
        access=tuple(a.value for a in access or ()),
        sources=tuple(s.value for s in source or ()),
        name=name or "",
    )
