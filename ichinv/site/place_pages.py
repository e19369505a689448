"""The pages of the provinces: one per unit, current or former (with where its elements are
now), and the index with the schematic map."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.vocabulary import NAME_LANGUAGES
from ichinv.inventory.audience import Withheld
from ichinv.inventory.fields import strings, value
from ichinv.site import maps
from ichinv.site.build import Local, sort_key, text_of
from ichinv.site.describe import is_web_address, join, plain_lang
from ichinv.site.element_page import Name
from ichinv.site.model import Count, ElementList, Map, Page, Piece, Row


@dataclass(frozen=True, slots=True)
class ProvincePage:
    """One province, current or former."""

    id: str
    name: Piece
    current: bool
    names: tuple[Name, ...]
    facts: tuple[Row, ...]
    notes: Piece | None
    sources: tuple[Piece, ...]
    map: Map
    elements: ElementList
    """Active elements practised here (listed here, or under a unit it took over from); for a
    former unit, those practised today in the units that took over from it."""
    recorded: ElementList | None
    """Former unit: the elements whose records still name it."""


@dataclass(frozen=True, slots=True)
class ProvinceIndex:
    map: Map
    current: tuple[Count, ...]
    former: tuple[Row, ...]
    """Each former unit, with the units that took over from it."""


def province_map(local: Local, highlight: frozenset[str] = frozenset()) -> Map:
    w = local.words
    p = local.public
    return maps.build(
        {pid: local.province_names[pid].text for pid in p.current},
        {pid: len(p.practised[pid]) for pid in p.current},
        highlight,
        title=w("site.map.title"),
        description=w("site.map.description"),
        legend=lambda low, high: (
            w("site.map.none")
            if not high
            else w("site.map.one", low=low)
            if low == high
            else w("site.map.range", low=low, high=high)
        ),
    )


def province_link(local: Local, pid: str) -> tuple[Piece, ...]:
    return local.describer.province(pid)


def province_page(local: Local, pid: str) -> Page:
    w = local.words
    p = local.public
    view = p.provinces[pid]
    current = pid in p.current
    name = local.province_names[pid]
    successors = [s for s in strings(view.get("successors")) if isinstance(s, str)]
    facts = [Row(w.field(("id",)), (Piece(pid, kind="id"),))]
    kind = text_of(view, "kind")
    if kind:
        facts.append(Row(w.field(("kind",)), (Piece(w.value("province_kind", kind)),)))
    centre = view.get("centre")
    if isinstance(centre, Mapping):
        found, used = w.text(centre)
        if found:
            facts.append(
                Row(w.field(("centre",)), (Piece(found, lang="" if used == w.lang else used),))
            )
    for key in ("valid_from", "valid_until"):
        day = value(view, key)
        if isinstance(day, str):
            facts.append(Row(w.field((key,)), (Piece(day),)))
    if successors:
        facts.append(
            Row(w.field(("successors",)), join(province_link(local, s) for s in successors))
        )
    before = p.predecessors(pid)
    if before:
        facts.append(
            Row(w("site.province.formerly"), join(province_link(local, s) for s in before))
        )
    if view.get("focus") is True:
        facts.append(Row(w.field(("focus",)), (Piece(w("site.province.focus")),)))
    notes = text_of(view, "notes")
    highlight = frozenset({pid}) if current else frozenset(local.public.inventory.successors(pid))
    practised = p.practised[pid]
    if not current:
        later = set(local.public.inventory.successors(pid))
        there = {e for s in later for e in p.practised.get(s, ())}
        practised = tuple(e for e in p.active if e in there)
    recorded = None
    if not current:
        recorded = ElementList(
            w("site.province.recorded"),
            local.items(p.listing[pid]),
            w("site.province.none_recorded"),
        )
    body = ProvincePage(
        id=pid,
        name=name,
        current=current,
        names=_names(local, view),
        facts=tuple(facts),
        notes=Piece(notes, lang=plain_lang(notes, w.lang)) if notes else None,
        sources=tuple(
            Piece(url, href=url, external=True)
            for url in strings(view.get("sources"))
            if is_web_address(url)
        ),
        map=province_map(local, highlight),
        elements=ElementList(
            w("site.province.elements", count=len(practised)),
            local.items(practised),
            w("site.province.none"),
        )
        if current
        else ElementList(
            w("site.province.elements_now", count=len(practised)),
            local.items(practised),
            w("site.province.none"),
        ),
        recorded=recorded,
    )
    return Page(
        path=f"provinces/{pid}.html",
        template="province.html.j2",
        title=name.text,
        title_lang=name.lang,
        nav="provinces",
        body=body,
        description=w("site.province.description", name=name.text),
    )


def _names(local: Local, view: Mapping[str, Any]) -> tuple[Name, ...]:
    w = local.words
    names = view.get("names")
    if not isinstance(names, Mapping):
        return ()
    order = ["kk", "kk-Latn", *(c for c in NAME_LANGUAGES if c != "kk")]
    order += sorted(str(c) for c in names if c not in order)
    return tuple(
        Name(w.language(code), Piece(names[code], lang=code))
        for code in order
        if isinstance(names.get(code), str) and not isinstance(names[code], Withheld)
    )


def province_index(local: Local) -> Page:
    w = local.words
    p = local.public
    current = tuple(
        Count(province_link(local, pid), len(p.practised[pid]))
        for pid in _by_name(local, p.current)
    )
    former = tuple(
        Row(
            local.province_names[pid].text,
            (
                *province_link(local, pid),
                Piece(" → "),
                *join(province_link(local, s) for s in strings(p.provinces[pid].get("successors"))),
            ),
        )
        for pid in _by_name(local, p.former)
    )
    return Page(
        path="provinces/index.html",
        template="provinces.html.j2",
        title=w("site.nav.provinces"),
        title_lang="",
        nav="provinces",
        body=ProvinceIndex(province_map(local), current, former),
        description=w("site.provinces.intro"),
    )


def _by_name(local: Local, ids: tuple[str, ...]) -> list[str]:
    return sorted(ids, key=lambda pid: (*sort_key(local.province_names[pid].text), pid))
