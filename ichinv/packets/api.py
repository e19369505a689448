"""`ichinv packet`: every packet a request asks for, rendered from its template.

The kinds: the change packet (`--since`, ichinv.packets.changes), the province packet
(`--province`, ichinv.packets.province), the element dossier (`--element`,
ichinv.packets.element) and the index packet (no selector, ichinv.packets.index).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.inventory import view as inventory_view
from ichinv.inventory.focus import Focus
from ichinv.inventory.redaction import public_problem
from ichinv.inventory.view import Inventory
from ichinv.io.settings import Settings
from ichinv.packets.builder import TEMPLATE, Builder, PacketKind, Request, file_name
from ichinv.packets.change_base import BaseFirst
from ichinv.render.markdown import labels as i18n
from ichinv.render.markdown import templates as markdown
from ichinv.render.sandbox import require_folder

if TYPE_CHECKING:
    from ichinv.packets.province import Early


@dataclass(frozen=True, slots=True)
class Packet:
    """One rendered review packet: its file name and Markdown text."""

    name: str
    """File name, e.g. `province-KZ-23.md`."""
    text: str
    left_out: tuple[Finding, ...] = ()
    """What the packet could not include (a record the comparison could not read, history a
    shallow clone cut, a comparison git could not make): the packet says so, and the command
    names them and exits non-zero."""


def read_inventory(
    settings: Settings, request: Request, early: Early | BaseFirst | None = None
) -> Inventory:
    """The inventory the packets of `request` are made from: for packets of provinces and
    elements, only the records they may show are read (ichinv.inventory.focus.Focus), and for
    a change packet alone those of the elements it shows (`early`, an
    ichinv.packets.change_base.BaseFirst, makes its comparison first); the index packet, and
    change packets with others, read every record. `early`: see `comparison_ahead`."""
    if isinstance(early, BaseFirst):
        return inventory_view.load(settings, focus=early.focus)
    focus = (
        Focus(tuple(dict.fromkeys(request.provinces)), tuple(dict.fromkeys(request.elements)))
        if (request.provinces or request.elements) and request.since is None
        else None
    )
    return inventory_view.load(settings, focus=focus, started=early)


def comparison_ahead(
    settings: Settings, request: Request, renderer: markdown.Renderer | None = None
) -> Early | BaseFirst | None:
    """What starts the comparison the packets of `request` need while their inventory is
    read: for province packets, ichinv.packets.province.Early (and, in a large inventory, the
    compiling of `renderer`'s templates meanwhile); for a change packet alone,
    ichinv.packets.change_base.BaseFirst. Give it to `read_inventory`, then to `packets`. None
    for other requests."""
    if request.since is not None and not request.provinces and not request.elements:
        return BaseFirst(settings, request.since, request.audience)
    if not request.provinces or request.since is not None:
        return None
    from ichinv.packets.province import Early

    names = [TEMPLATE.format(kind=kind.value) for kind in kinds(request)]
    return Early(
        settings,
        request.audience,
        whole=bool(request.elements),
        meanwhile=(lambda: renderer.prepare_ahead(names)) if renderer is not None else None,
    )


def kinds(request: Request) -> list[PacketKind]:
    """The kinds of packet `request` asks for, in the order they are made."""
    asked = [
        kind
        for kind, wanted in (
            (PacketKind.CHANGES, request.since is not None),
            (PacketKind.PROVINCE, bool(request.provinces)),
            (PacketKind.ELEMENT, bool(request.elements)),
        )
        if wanted
    ]
    return asked or [PacketKind.INDEX]


def renderer_for(settings: Settings, request: Request) -> markdown.Renderer:
    """The renderer of the packets `request` asks for, in its language (give it to
    `comparison_ahead`, which may have its templates compiled meanwhile, and to `packets`)."""
    templates = request.templates or settings.templates_dir
    require_folder(
        templates, _("copy templates/ of ichinv into the inventory, or pass --templates DIR")
    )
    labels = i18n.load(templates, request.lang.value, root=settings.root)
    return markdown.Renderer(templates, labels, cache_root=settings.root)


def packets(
    settings: Settings,
    request: Request,
    inventory: Inventory | None = None,
    *,
    early: Early | BaseFirst | None = None,
    renderer: markdown.Renderer | None = None,
) -> list[Packet]:
    """Render every packet `request` asks for (the index packet when it names none), from
    `inventory` (read from the working tree when not given; `early`: what `read_inventory`
    was given to start the province packets' comparison with, see `comparison_ahead`), with
    `renderer` (see `renderer_for`; made here when not given, and let go of at the end)."""
    renderer = renderer or renderer_for(settings, request)
    try:
        return _packets(settings, request, inventory, early, renderer.labels, renderer)
    finally:
        renderer.close()  # its cache of compiled templates let go now, not when collected


def _packets(
    settings: Settings,
    request: Request,
    inventory: Inventory | None,
    early: Early | BaseFirst | None,
    labels: i18n.Labels,
    renderer: markdown.Renderer,
) -> list[Packet]:
    if inventory is None:
        early = early or comparison_ahead(settings, request, renderer)
        inventory = read_inventory(settings, request, early)
    builder = Builder(settings, request, inventory, labels)
    started = None
    if request.provinces and request.since is None:
        # Province packets show each element's status since the baseline: that comparison
        # runs on another core while this one reads the records and makes the rows (unless
        # an earlier run kept them); the templates are compiled once the models are made
        # (on a spare core meanwhile, in a large inventory: Early).
        from ichinv.packets.province import start

        early = early if not isinstance(early, BaseFirst) else None
        started = start(builder, tuple(dict.fromkeys(request.provinces)), early)
    asked = kinds(request)
    models: list[tuple[PacketKind, Any]] = []
    # Build every model first: a wrong id fails before anything is rendered. Each kind's
    # module is imported when asked for (the change packet's brings validation and history).
    if PacketKind.CHANGES in asked and request.since is not None:
        from ichinv.packets.changes import change_packet

        made = early.made if isinstance(early, BaseFirst) else None
        models.append((PacketKind.CHANGES, change_packet(builder, request.since, made)))
    if PacketKind.PROVINCE in asked:
        from ichinv.packets.province import province_packet

        models += [
            (PacketKind.PROVINCE, province_packet(builder, p, started))
            for p in dict.fromkeys(request.provinces)
        ]
    if PacketKind.ELEMENT in asked:
        from ichinv.packets.element import element_packet

        models += [
            (PacketKind.ELEMENT, element_packet(builder, e))
            for e in dict.fromkeys(request.elements)
        ]
    if PacketKind.INDEX in asked:
        from ichinv.packets.index import index_packet

        models.append((PacketKind.INDEX, index_packet(builder)))
    # Comparisons with a baseline that could not be made (a shallow clone that does not
    # reach it, no such revision, no git): the index, province and element packets say so
    # where they would show them, and the command names them and exits non-zero.
    if PacketKind.PROVINCE in asked:
        builder.comparisons.reach(settings.default_baseline)
    cut = tuple(builder.comparisons.not_made())
    # What a packet left out, as its audience is told of it (the inventory's problems so too:
    # Inventory.problems_for): to the public never a folder's name or where a link leads.
    told = (lambda f: f) if builder.committee else public_problem
    try:
        for kind in asked:
            renderer.prepare(TEMPLATE.format(kind=kind.value))
        return [
            Packet(
                name=file_name(kind, model.ident),
                text=renderer.render(
                    TEMPLATE.format(kind=kind.value), {"packet": model, "header": model.header}
                ),
                left_out=tuple(map(told, (*getattr(model, "left_out", ()), *cut))),
            )
            for kind, model in models
        ]
    finally:
        builder.kept()  # the rows kept on another core meanwhile
