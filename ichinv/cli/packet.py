"""`ichinv packet`: Markdown review packets (changes, province, element, index) for an audience."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ichinv.cli.app import app
from ichinv.cli.options import RepoOpt, as_ids, load_settings, named_output, speak
from ichinv.cli.output import incomplete, say, write
from ichinv.core.i18n import _
from ichinv.core.vocabulary import Lang
from ichinv.inventory.audience import Audience

if TYPE_CHECKING:
    from ichinv.core.model import Finding
    from ichinv.packets.api import Packet

SEPARATOR = "\n---\n\n"
"""Between packets written together to standard output."""


@app.command(
    help=_(
        "Render Markdown review packets for reviewers and the public.\n\n"
        "With no selector, the index packet (the revision at a glance). Public packets never "
        "contain contacts or restricted parts; they say what was withheld and why, never "
        "what. Same inputs, same bytes."
    ),
)
def packet(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=_(
                "Change packet: every element changed since the merge base of REV and HEAD "
                "(e.g. main, or origin/main in CI), with its findings and a reviewer "
                "checklist."
            ),
            metavar="REV",
            show_default=False,
        ),
    ] = None,
    province: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            help=_("Province packet of this province id (repeatable)."),
            metavar="ID",
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    element: Annotated[
        list[str] | None,
        typer.Option(
            "--element",
            help=_("Element dossier of this element id (repeatable)."),
            metavar="ID",
            show_default=False,
            callback=as_ids,
        ),
    ] = None,
    audience: Annotated[
        Audience,
        typer.Option(
            "--audience",
            help=_(
                "public: no contacts, no restricted parts; committee: everything, marked "
                "Confidential."
            ),
        ),
    ] = Audience.PUBLIC,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help=_(
                "Language of labels, record text and messages (default: the language of "
                "messages, see ICHINV_LANG)."
            ),
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            callback=named_output,
            help=_(
                "Folder to write the packets to (index.md, changes.md, province-ID.md, "
                "element-ID.md), or - for standard output."
            ),
            metavar="DIR|-",
        ),
    ] = "-",
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help=_("Folder of templates to use instead of the inventory's templates/."),
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=_("Date to print in the packets (YYYY-MM-DD); without it packets carry no date."),
            metavar="YYYY-MM-DD",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite packets already in the --output folder."))
    ] = False,
    repo: RepoOpt = None,
) -> None:
    from ichinv.core import dates
    from ichinv.packets import api
    from ichinv.packets.builder import Request

    lang = speak(lang)
    settings = load_settings(repo)
    request = Request(
        since=since,
        provinces=tuple(province or ()),
        elements=tuple(element or ()),
        audience=audience,
        lang=lang,
        templates=templates.expanduser().resolve() if templates is not None else None,
        date=day.isoformat() if (day := dates.option_date(date, "--date")) else None,
    )
    # Committee packets hold contacts and restricted parts: readable by their owner only, and
    # never offered a place git would take.
    private = audience is not Audience.PUBLIC
    if output != "-":
        folder = Path(output).expanduser()
        if folder.exists() and not folder.is_dir():
            from ichinv.core.errors import UsageError

            raise UsageError(
                _("--output {output} is a file, not a folder").format(output=output),
                hint=_("give a folder to write the packets in, or - for standard output"),
            )
        from ichinv.inventory import kept

        kept.refuse_kept(
            folder,
            settings,
            folder=True,
            names=("packets",),
            beside="packets",
            holds_contacts=private,
        )
    renderer = api.renderer_for(settings, request)
    early = api.comparison_ahead(settings, request, renderer)
    inventory = api.read_inventory(settings, request, early)
    rendered = api.packets(settings, request, inventory, early=early, renderer=renderer)
    if output == "-":
        write(SEPARATOR.join(p.text for p in rendered))
        incomplete(_left_out(inventory.problems_for(audience), rendered))
        return
    from ichinv.io import atomic as files

    files.make_folder(folder, private=private)  # the folder named, never a missing parent
    targets = [(files.inside(folder, p.name), p) for p in rendered]
    if not force:
        for target, __ in targets:
            if os.path.lexists(target):
                from ichinv.core.errors import WriteRefused

                raise WriteRefused(
                    _("{path} already exists").format(path=target),
                    hint=_("pass --force to overwrite the packets"),
                )
    for target, item in targets:
        files.write_text_atomic(target, item.text, overwrite=force, private=private)
        say(_("wrote {path}").format(path=target))
    if private and (note := kept.committable(folder)):
        say(note, err=True)
    incomplete(_left_out(inventory.problems_for(audience), rendered))


def _left_out(problems: Sequence[Finding], rendered: Sequence[Packet]) -> list[Finding]:
    """Everything the packets could not include, each once, in order (both as the audience
    is told of it: Inventory.problems_for, packets.api)."""
    from ichinv.core.model import Finding

    found = dict.fromkeys([*problems, *(f for p in rendered for f in p.left_out)])
    return sorted(found, key=Finding.sort_key)
