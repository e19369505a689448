"""What every page of the site is built from: the inventory's public views, read once, and the
words and names of one language.

`Public` holds what is the same in every language (which elements and provinces have pages,
which element is practised where, counts); `Local` adds one language (names, the describer,
lists of elements). Both read the public audience view only: `Inventory.views(PUBLIC)` for
elements, `audience.public_view` for provinces, and `Inventory.withheld` (where and why,
never what).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import Category, Domain, Status, is_element_id
from ichinv.inventory import audience as redact
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.fields import entered, strings, value
from ichinv.inventory.view import Inventory
from ichinv.site.describe import Describer
from ichinv.site.model import ElementItem, Piece
from ichinv.site.words import Words

ACTIVE = Status.ACTIVE.value
DOMAINS = frozenset(d.value for d in Domain)
CATEGORIES = frozenset(c.value for c in Category)
LATEST = 10
"""How many of the latest additions the home page lists."""


def text_of(data: Mapping[str, Any], key: str) -> str | None:
    """A text field of a view, None when missing, withheld or not text."""
    found = data.get(key)
    return found if isinstance(found, str) and not isinstance(found, Withheld) else None


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order that ignores case and diacritics, then the text itself (stable)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), text


class Public:
    """The inventory as the public sees it, the same in every language."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.views: Mapping[str, Mapping[str, Any]] = {
            eid: view
            for eid, view in inventory.views(Audience.PUBLIC).items()
            if is_element_id(eid)
        }
        """Element id → its public view, for every element with a page (ids of the form
        KZ-YYYY-NNNN only: an id is a file name of the site)."""
        self.provinces: Mapping[str, Mapping[str, Any]] = {
            pid: redact.public_view(rec, kind=RecordKind.PROVINCE, policy=inventory.policy)
            for pid, rec in inventory.provinces.items()
            if _safe_id(pid)
        }
        """Province id → its public view."""

    def status(self, eid: str) -> str:
        """The element's status; one that is not a status of the vocabulary counts as active
        (its page is listed and shows what the public view holds; validate reports it)."""
        found = text_of(self.views[eid], "status")
        return found if found in set(Status) else ACTIVE

    @cached_property
    def active(self) -> tuple[str, ...]:
        """Ids of the active elements (an unreadable status counts as active: it is listed)."""
        return tuple(e for e in self.views if self.status(e) not in ("retired", "merged"))

    @cached_property
    def gone(self) -> tuple[str, ...]:
        """Ids of the retired and merged elements (their pages are tombstones)."""
        return tuple(e for e in self.views if self.status(e) in ("retired", "merged"))

    @cached_property
    def current(self) -> tuple[str, ...]:
        """Ids of the provinces as they are today (no end date, no successors)."""
        return tuple(
            p
            for p, view in self.provinces.items()
            if value(view, "valid_until") is None and not strings(view.get("successors"))
        )

    @cached_property
    def former(self) -> tuple[str, ...]:
        return tuple(p for p in self.provinces if p not in self.current)

    def listed_in(self, eid: str) -> list[str]:
        """The provinces an element's record lists (none when withheld)."""
        return strings(self.views[eid].get("provinces"))

    @cached_property
    def practised(self) -> Mapping[str, tuple[str, ...]]:
        """Province id → the active elements practised there: listed there, or under a unit
        it took over from."""
        found: dict[str, list[str]] = {p: [] for p in self.provinces}
        later = {p: self.inventory.successors(p) for p in self.provinces}
        for eid in self.active:
            places: set[str] = set()
            for listed in self.listed_in(eid):
                places.add(listed)
                places.update(later.get(listed, ()))
            for pid in places:
                if pid in found:
                    found[pid].append(eid)
        return {p: tuple(ids) for p, ids in found.items()}

    @cached_property
    def listing(self) -> Mapping[str, tuple[str, ...]]:
        """Province id → every element (any status) whose record lists it by this id."""
        found: dict[str, list[str]] = {p: [] for p in self.provinces}
        for eid in self.views:
            for pid in dict.fromkeys(self.listed_in(eid)):
                if pid in found:
                    found[pid].append(eid)
        return {p: tuple(ids) for p, ids in found.items()}

    def predecessors(self, pid: str) -> tuple[str, ...]:
        """The units whose successors include `pid`."""
        return tuple(
            p for p, view in self.provinces.items() if pid in strings(view.get("successors"))
        )

    def domains(self, eid: str) -> list[str]:
        return [d for d in strings(self.views[eid].get("domains")) if d in DOMAINS]

    def category(self, eid: str) -> str | None:
        found = text_of(self.views[eid], "national_category")
        return found if found in CATEGORIES else None

    @cached_property
    def by_domain(self) -> Mapping[str, tuple[str, ...]]:
        return {
            d.value: tuple(e for e in self.active if d.value in self.domains(e)) for d in Domain
        }

    @cached_property
    def by_category(self) -> Mapping[str, tuple[str, ...]]:
        return {
            c.value: tuple(e for e in self.active if self.category(e) == c.value) for c in Category
        }

    @cached_property
    def latest(self) -> tuple[str, ...]:
        """The latest additions: active elements by date of entry, newest first."""
        dated = [(entered(self.views[e], e), e) for e in self.active]
        ordered = sorted(
            ((day, e) for day, e in dated if day is not None), key=lambda item: (item[0], item[1])
        )
        return tuple(e for _, e in reversed(ordered[-LATEST:]))


def _safe_id(pid: object) -> bool:
    """Province ids are file names of the site: letters, digits and dashes only."""
    return isinstance(pid, str) and pid.replace("-", "").isalnum() and pid.isascii()


@dataclass
class Local:
    """The inventory in one language: names, and the pieces lists of elements are made of."""

    public: Public
    words: Words

    @property
    def lang(self) -> str:
        return self.words.lang

    @cached_property
    def element_names(self) -> Mapping[str, Piece]:
        return {eid: self.words.name(view) for eid, view in self.public.views.items()}

    @cached_property
    def province_names(self) -> Mapping[str, Piece]:
        return {pid: self.words.name(view) for pid, view in self.public.provinces.items()}

    @cached_property
    def describer(self) -> Describer:
        return Describer(self.words, self.province_names, self.element_names)

    def item(self, eid: str, detail: tuple[Piece, ...] = ()) -> ElementItem:
        """An element as one line of a list."""
        p = self.public
        status = p.status(eid)
        category = p.category(eid)
        return ElementItem(
            id=eid,
            name=self.element_names[eid],
            href=f"elements/{eid}.html",
            category=category or "",
            domains="; ".join(self.words.value("domain", d) for d in p.domains(eid)),
            status="" if status == ACTIVE else self.words.value("status", status),
            detail=detail,
        )

    @cached_property
    def _order(self) -> Mapping[str, tuple[str, str, str]]:
        return {e: (*sort_key(name.text), e) for e, name in self.element_names.items()}

    @cached_property
    def _items(self) -> dict[str, ElementItem]:
        return {}

    def items(self, ids: Iterable[str]) -> tuple[ElementItem, ...]:
        """Elements as lines of a list, alphabetically by their name in this language."""
        made = self._items
        found = []
        for e in sorted(ids, key=self._order.__getitem__):
            item = made.get(e)
            if item is None:
                item = made[e] = self.item(e)
            found.append(item)
        return tuple(found)
