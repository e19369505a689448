"""`ichinv list`: the elements matching filters, as a table, JSON or CSV."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import (
    AccessOpt,
    AudienceOpt,
    CategoryOpt,
    ConsentOpt,
    DomainOpt,
    LangOpt,
    NameOpt,
    ProvinceOpt,
    SourceOpt,
    StatusOpt,
    filters,
)
from ichinv.cli.options import RepoOpt, load_settings, speak
from ichinv.cli.output import incomplete, write
from ichinv.core.i18n import _
from ichinv.inventory.audience import Audience
from ichinv.render import listing as list_report
from ichinv.render.listing import ListFormat, Listing


@app.command(
    "list",
    help=_(
        "List the elements of the inventory, filtered by province, domain, national category, "
        "status, consent, access, source list or name.\n\n"
        "Filters of different kinds must all match; a filter given several times matches any "
        "of its values. The public view (the default) cannot be filtered by what it "
        "withholds."
    ),
)
def list_elements(
    province: ProvinceOpt = None,
    domain: DomainOpt = None,
    category: CategoryOpt = None,
    status: StatusOpt = None,
    consent: ConsentOpt = None,
    access: AccessOpt = None,
    source: SourceOpt = None,
    name: NameOpt = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = ListFormat.TABLE,
    lang: LangOpt = None,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    import sys

    from ichinv.inventory import selection, view

    lang = speak(lang)
    settings = load_settings(repo)
    inventory = view.load(settings)
    chosen = selection.select(
        inventory,
        filters(province, domain, category, status, consent, access, source, name),
        audience,
    )
    listing = Listing(
        rows=[selection.summary_row(rec, data, lang.value, audience) for rec, data in chosen],
        audience=audience.value,
    )
    if output_format is ListFormat.TABLE and sys.stdout.isatty():
        from ichinv.render.markdown import labels as i18n
        from ichinv.render.terminal import console as terminal

        console = terminal.for_terminal()
        words = i18n.flat(settings.templates_dir, lang.value, root=settings.root)
        console.print(terminal.element_table(listing.rows, console.width, words))
    else:
        write(list_report.RENDERERS[output_format](listing))
    incomplete(inventory.problems_for(audience))
