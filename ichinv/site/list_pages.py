"""The pages that list and count: home, all elements, domains, national categories, about,
search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ichinv.core.vocabulary import Category, Domain, SourceList
from ichinv.inventory.fields import source_lists, value
from ichinv.site.build import Local
from ichinv.site.model import Count, ElementList, Map, Page, Piece
from ichinv.site.place_pages import province_link, province_map


@dataclass(frozen=True, slots=True)
class Home:
    active: int
    gone: int
    provinces: int
    domains: tuple[Count, ...]
    categories: tuple[Count, ...]
    places: tuple[Count, ...]
    latest: ElementList
    map: Map


@dataclass(frozen=True, slots=True)
class Listing:
    """A page that lists elements, with an introduction."""

    intro: str
    lists: tuple[ElementList, ...]
    links: tuple[Count, ...] = ()
    """Other pages of the same kind (the other domains or categories)."""


@dataclass(frozen=True, slots=True)
class About:
    sources: tuple[Count, ...]
    """Each source list, with how many elements cite it."""
    illustrative: int
    """Elements whose records carry illustrative data."""
    total: int
    repository: str
    """Where the records are kept (an http(s) address), or ""."""


def domain_counts(local: Local) -> tuple[Count, ...]:
    w = local.words
    return tuple(
        Count(
            (Piece(w.value("domain", d.value), href=f"domains/{d.value}.html"),),
            len(local.public.by_domain[d.value]),
        )
        for d in Domain
    )


def category_counts(local: Local) -> tuple[Count, ...]:
    w = local.words
    return tuple(
        Count(
            (Piece(w.value("category", c.value), href=f"categories/{c.value}.html"),),
            len(local.public.by_category[c.value]),
        )
        for c in Category
    )


def home(local: Local) -> Page:
    w = local.words
    p = local.public
    latest = []
    for eid in p.latest:
        day = value(p.views[eid], "provenance.entered")
        detail = (Piece(w("site.home.entered", date=day)),) if isinstance(day, str) else ()
        latest.append(local.item(eid, detail))
    places = tuple(
        Count(province_link(local, pid), len(p.practised[pid]))
        for pid in sorted(p.current, key=lambda pid: (-len(p.practised[pid]), pid))
    )
    body = Home(
        active=len(p.active),
        gone=len(p.gone),
        provinces=len(p.current),
        domains=domain_counts(local),
        categories=category_counts(local),
        places=places,
        latest=ElementList(w("site.home.latest"), tuple(latest), w("site.list.none")),
        map=province_map(local),
    )
    return Page(
        "index.html", "home.html.j2", w("site.title"), "", "home", body, w("site.home.intro")
    )


def elements_index(local: Local) -> Page:
    w = local.words
    p = local.public
    lists = [
        ElementList(
            w("site.elements.active", count=len(p.active)),
            local.items(p.active),
            w("site.list.none"),
        )
    ]
    if p.gone:
        lists.append(ElementList(w("site.elements.gone", count=len(p.gone)), local.items(p.gone)))
    return Page(
        "elements/index.html",
        "list.html.j2",
        w("site.nav.elements"),
        "",
        "elements",
        Listing(w("site.elements.intro"), tuple(lists)),
        w("site.elements.intro"),
    )


def domain_pages(local: Local) -> list[Page]:
    """The domains of the Convention: an index with counts, and a page per domain."""
    values = [d.value for d in Domain]
    return _group_pages(
        local, "domains", "domain", values, local.public.by_domain, domain_counts(local)
    )


def category_pages(local: Local) -> list[Page]:
    """The national categories: an index with counts, and a page per category."""
    values = [c.value for c in Category]
    return _group_pages(
        local, "categories", "category", values, local.public.by_category, category_counts(local)
    )


def _group_pages(
    local: Local,
    folder: str,
    group: str,
    values: list[str],
    members: Mapping[str, tuple[str, ...]],
    counts: tuple[Count, ...],
) -> list[Page]:
    """An index page of a grouping of elements (its counts) and one page per value listing
    its elements; labels `site.nav.<folder>`, `site.<folder>.intro|one`, `value.<group>.*`."""
    w = local.words
    intro = w(f"site.{folder}.intro")
    pages = [
        Page(
            f"{folder}/index.html",
            "list.html.j2",
            w(f"site.nav.{folder}"),
            "",
            folder,
            Listing(intro, (), counts),
            intro,
        )
    ]
    for key in values:
        ids = members[key]
        pages.append(
            Page(
                f"{folder}/{key}.html",
                "list.html.j2",
                w.value(group, key),
                "",
                folder,
                Listing(
                    w(f"site.{folder}.one"),
                    (
                        ElementList(
                            w("site.list.elements", count=len(ids)),
                            local.items(ids),
                            w("site.list.none"),
                        ),
                    ),
                    counts,
                ),
                intro,
            )
        )
    return pages


def about(local: Local, repository: str) -> Page:
    w = local.words
    p = local.public
    cited: Counter[str] = Counter()
    for view in p.views.values():
        cited.update(set(source_lists(view)))
    sources = tuple(
        Count((Piece(w.value("source_list", s.value)),), cited[s.value])
        for s in SourceList
        if cited[s.value]
    )
    illustrative = sum(1 for v in p.views.values() if value(v, "provenance.illustrative") is True)
    return Page(
        "about.html",
        "about.html.j2",
        w("site.nav.about"),
        "",
        "about",
        About(sources, illustrative, len(p.views), repository),
        w("site.about.intro"),
    )


def search(local: Local) -> Page:
    w = local.words
    return Page(
        "search.html",
        "search.html.j2",
        w("site.nav.search"),
        "",
        "search",
        None,
        w("site.search.intro"),
    )
