"""View models of the site's pages: plain text in pieces, already redacted and translated.

Templates only arrange these; they never see a record. A `Piece` is a run of text that may be
a link (an internal path relative to the language's folder, or an http(s) address), be in
another language than the page (`lang`), or be a note (withheld, a language fallback).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ichinv.render.html.pieces import Piece

Inline = tuple[Piece, ...]
"""Pieces printed one after another (separators included)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled value."""

    label: str
    value: Inline


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a list field (a community, a measure, a source…)."""

    title: Inline
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraphs:
    """A text kept by language, shown in the page's language or, failing that, another."""

    paragraphs: tuple[str, ...]
    lang: str = ""
    """The language of the text when it is not the page's."""
    note: str = ""
    """Says which language stands in (the fallback note)."""


@dataclass(frozen=True, slots=True)
class Section:
    """One field of an element, ready to show."""

    key: str
    title: str
    note: Inline = ()
    """Why the field is withheld, when it is."""
    text: Paragraphs | None = None
    rows: tuple[Row, ...] = ()
    entries: tuple[Entry, ...] = ()
    entries_label: str = ""
    texts: tuple[Section, ...] = field(default=())
    """Further texts of the field (e.g. viability notes)."""


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a count table, linking to its page."""

    label: Inline
    count: int


@dataclass(frozen=True, slots=True)
class ElementItem:
    """One element in a list of elements."""

    id: str
    name: Piece
    href: str
    category: str
    domains: str
    status: str
    """The status label; "" for an active element."""
    detail: Inline = ()
    """A further remark (where it went, the date it entered)."""


@dataclass(frozen=True, slots=True)
class ElementList:
    """A titled list of elements."""

    title: str
    items: tuple[ElementItem, ...]
    empty: str = ""
    """Said when there are none."""


@dataclass(frozen=True, slots=True)
class Tile:
    """One province on the schematic map."""

    id: str
    label: tuple[str, ...]
    """The name, in lines."""
    name: str
    href: str
    x: int
    y: int
    count: int
    level: int
    """0–4: how many active elements, in steps (the tile's shade)."""
    current: bool = False
    """The page's own province, or a unit that took over from it."""


@dataclass(frozen=True, slots=True)
class Map:
    """The schematic map of the current provinces (a tile grid, not to scale)."""

    title: str
    description: str
    width: int
    height: int
    tile_width: int
    tile_height: int
    tiles: tuple[Tile, ...]
    legend: tuple[tuple[int, str], ...]
    """(level, words) of each shade."""


@dataclass(frozen=True, slots=True)
class Language:
    """A language of the site, for the language switch."""

    code: str
    name: str
    """The language's name for itself."""
    href: str
    """From the current page to the same page in this language."""
    current: bool


@dataclass(frozen=True, slots=True)
class Page:
    """One page of one language: where it goes, which template lays it out, with what."""

    path: str
    """Inside the language's folder: `index.html`, `elements/KZ-2013-0001.html`…"""
    template: str
    title: str
    title_lang: str
    """The language of the title when it is not the page's (a name in another language)."""
    nav: str
    """Which item of the navigation the page belongs to (`home`, `elements`…)."""
    body: object
    """The page's own view model (ElementPage, ProvincePage…)."""
    description: str = ""
    """The page's summary for `<meta name="description">`."""
