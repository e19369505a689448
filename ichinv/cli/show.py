"""`ichinv show`: one element, readable on the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.filters import AudienceOpt, LangOpt
from ichinv.cli.options import RepoOpt, as_ids, load_settings, speak
from ichinv.cli.output import incomplete, write
from ichinv.core.i18n import _
from ichinv.inventory.audience import Audience

PIPE_WIDTH = 100_000
"""Width of the view when it is not printed on a terminal."""


@app.command(
    help=_(
        "Show one element: names, domains, provinces, viability, safeguarding, consent, "
        "access, provenance and UNESCO listings.\n\n"
        "The public view (the default) leaves out contacts and the restricted parts of a "
        "restricted record, and says what it left out; --audience committee shows everything."
    ),
)
def show(
    element_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help=_("The element's id, e.g. KZ-2013-0001."), callback=as_ids
        ),
    ],
    lang: LangOpt = None,
    audience: AudienceOpt = Audience.PUBLIC,
    repo: RepoOpt = None,
) -> None:
    import sys

    from ichinv.inventory import view as inventory_view
    from ichinv.inventory.element_view import element_view
    from ichinv.render.markdown import labels as i18n
    from ichinv.render.terminal import console as terminal
    from ichinv.render.terminal import show as render_show

    lang = speak(lang)
    settings = load_settings(repo)
    inventory = inventory_view.load(settings)
    view = element_view(inventory, element_id, audience, lang.value)
    labels = i18n.flat(settings.templates_dir, lang.value, root=settings.root)
    if sys.stdout.isatty():
        # crop=False: a web address longer than the terminal is printed whole (it wraps).
        terminal.for_terminal().print(render_show.element(view, labels), crop=False)
    else:  # plain lines for grep: no frames, nothing wrapped
        write(terminal.to_text(render_show.element(view, labels, plain=True), PIPE_WIDTH))
    # The names of the provinces and elements it refers to come from the other records.
    incomplete(inventory.problems_for(audience))
