"""How certain the facts that place an element in the national lists are
(`provenance.confidence`): read from a record or an audience view, for every output that
shows the facts (dossiers, tables of elements, `ichinv show`).

An entry names a fact (`entered`, `listed`, `row`, `national_category`, `domains`, `names`),
for `listed` and `row` the list it is about, and its status: `confirmed` (a cited source
states it), `inferred` (it follows from cited sources by the reasoning given) or `uncertain`
(no source settles it). A fact without an entry has not been assessed. A view that withheld
the provenance holds no entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.inventory.audience import Withheld
from ichinv.inventory.fields import mappings, value

CONFIRMED = "confirmed"
NOT_CONFIRMED = frozenset({"inferred", "uncertain"})
"""Statuses a reader must be told about wherever the fact is shown."""

FIELD_OF: Mapping[tuple[str, str], str] = {
    ("entered", ""): "entered",
    ("row", "order-211-2024"): "national_index",
}
"""The provenance field that holds a fact, for the facts that have one."""


@dataclass(frozen=True, slots=True)
class Certainty:
    """One entry of `provenance.confidence`."""

    fact: str
    list: str
    """The list the fact is about (`listed`, `row`); empty for the others."""
    status: str
    note: str
    source: str = ""


def entries(data: Mapping[str, Any]) -> tuple[Certainty, ...]:
    """The certainty entries of a record or view, in order (malformed ones left out)."""
    found = value(data, "provenance.confidence")
    return tuple(
        Certainty(
            item["fact"],
            _text(item.get("list")),
            item["status"],
            _text(item.get("note")),
            _text(item.get("source")),
        )
        for item in mappings(found)
        if isinstance(item.get("fact"), str)
        and not isinstance(item.get("fact"), Withheld)
        and isinstance(item.get("status"), str)
        and not isinstance(item.get("status"), Withheld)
    )


def status_of(found: Iterable[Certainty], fact: str, list_: str = "") -> str | None:
    """The status of `fact` (about `list_`, for listed and row), None when not assessed."""
    return next((c.status for c in found if c.fact == fact and c.list == list_), None)


def of_field(found: Iterable[Certainty], field: str) -> str | None:
    """The status of the fact a provenance field holds (`entered`, `national_index`)."""
    found = tuple(found)
    for (fact, list_), name in FIELD_OF.items():
        if name == field:
            return status_of(found, fact, list_)
    return None


def _text(raw: Any) -> str:
    return raw if isinstance(raw, str) and not isinstance(raw, Withheld) else ""
