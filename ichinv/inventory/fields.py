"""Reading fields of records and audience views: a dotted path, the items of a list, a text in
the reader's language (the one fallback order of every output), when an element entered.

Views may hold `Withheld` notes where the public may not see a value: `get` hands them on
(a renderer says "withheld"), `value` treats them as absent (a count or a date cannot use
them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ichinv.core import dates
from ichinv.core.vocabulary import FALLBACK, REVISION_CYCLE_START, element_year
from ichinv.inventory.audience import Withheld


def get(data: Any, dotted: str) -> Any:
    """The value at a dotted path (`consent.status`): a Withheld note when the view withheld it
    or a group holding it; None when any step is missing."""
    node = data
    for part in dotted.split("."):
        if type(node) is not dict:  # a view's mappings are dicts: the checks below, seldom
            if isinstance(node, Withheld):
                return node
            if not isinstance(node, Mapping):
                return None
        node = node.get(part)
    return node


WITHHELD = "withheld"
"""What a public output shows for a state (status, consent, access level…) the view withholds."""


def state(data: Any, dotted: str) -> str | None:
    """A state field's value as the view shows it: `withheld` when the view withheld it or a
    group holding it, None when it is missing or not text (`list`, `progress` and the packets
    show it so)."""
    found = get(data, dotted)
    if isinstance(found, Withheld):
        return WITHHELD
    return found if isinstance(found, str) else None


def value(data: Any, dotted: str) -> Any:
    """The value at a dotted path, or None when it is missing or withheld."""
    found = get(data, dotted)
    return None if isinstance(found, Withheld) else found


def strings(value: Any) -> list[str]:
    """The text items of a list field (anything else gives an empty list)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The map items of a list field (anything else gives an empty list)."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def text_in(texts: Mapping[str, Any], lang: str) -> tuple[str | None, str]:
    """(text, the language it is in) from a map language → text: `lang` when it has a text,
    else the languages of FALLBACK in order, else any other language alphabetically; (None,
    `lang`) when there is none. Withheld texts are never picked."""
    for candidate in (lang, *FALLBACK.get(lang, ()), *sorted(texts)):
        found = texts.get(candidate)
        if isinstance(found, str) and not isinstance(found, Withheld) and found.strip():
            return found, candidate
    return None, lang


def name_of(data: Mapping[str, Any], lang: str = "en") -> str:
    """The element's (or province's) name in `lang`, else in another language; "" if none."""
    names = data.get("names")
    found, __ = text_in(names if isinstance(names, Mapping) else {}, lang)
    return found or ""


def source_lists(data: Mapping[str, Any]) -> list[str]:
    """The `list` of every provenance source, in order."""
    return [
        s["list"]
        for s in mappings(value(data, "provenance.sources"))
        if isinstance(s.get("list"), str)
    ]


def entered(data: Mapping[str, Any], element_id: str | None) -> dt.date | None:
    """When the element entered the inventory: `provenance.entered`, else 1 January of the
    year in its id; None when neither says."""
    day = dates.parse_day(value(data, "provenance.entered"))
    if day is None and element_id is not None:
        year = element_year(element_id)
        day = dt.date(year, 1, 1) if year is not None else None
    return day


def is_new(data: Mapping[str, Any], element_id: str | None) -> bool:
    """Whether the element entered the inventory after the revision cycle began."""
    day = entered(data, element_id)
    return day is not None and day > dt.date.fromisoformat(REVISION_CYCLE_START)
