"""Two versions of a value told the same or not, and the items of two versions of a list
matched: by the key the schema declares for the list, by value, or by position. The diff
engine (ichinv.diff.fields) and `Locator` (ichinv.diff.positions) match items alike: a part
named by its position in one version is found where the diff finds its item in another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any


def kind_of(value: Any) -> str:
    """The kind of a plain value: map, list, bool, number, null, or its type's name."""
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind (`true` is not `1`, `"1"` is not `1`)."""
    kind = kind_of(a)
    if kind != kind_of(b):
        return False
    if kind == "map":
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if kind == "list":
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def token(value: Any) -> tuple[str, Any]:
    """A plain value as a key of a mapping or a counter (`true` is not `1`)."""
    return (kind_of(value), value)


def is_scalar(value: Any) -> bool:
    return kind_of(value) not in ("map", "list")


def item_key(entry: Mapping[str, Any], key: tuple[str, ...]) -> tuple[Any, ...]:
    """What identifies an item of a keyed list: its values of the `key` fields."""
    return tuple(token(entry.get(name)) for name in key)


class ItemMatch(Enum):
    """How the items of two versions of a list are matched."""

    PROVINCES = "provinces"
    """By value, a province with the unit(s) it became (ichinv.diff.fields)."""
    KEY = "key"
    """By the key field(s) the schema declares for the list."""
    VALUE = "value"
    """By value (lists of plain values, compared as sets)."""
    POSITION = "position"
    """By position."""


@dataclass(frozen=True, slots=True)
class ListFacts:
    """What matching the items of a list with those of another version depends on."""

    strings: bool
    """Every item is a text."""
    scalars: bool
    """Every item is a plain value (no mapping, no list)."""
    keyed: Mapping[tuple[Any, ...], int] | None
    """Each item's position by its key (`item_key`), when the list has a key and every item
    is a mapping identified by distinct plain values of it (the first key field present; the
    others may be left out); None otherwise."""


def list_facts(items: list[Any], key: tuple[str, ...] | None) -> ListFacts:
    """The facts of the list `items`, whose items are identified by `key` (None: none)."""
    return ListFacts(
        strings=all(isinstance(v, str) for v in items),
        scalars=all(is_scalar(v) for v in items),
        keyed=_keyed(items, key) if key is not None else None,
    )


def item_match(old: ListFacts, new: ListFacts, *, provinces: bool) -> ItemMatch:
    """How the items of two versions of a list are matched (`provinces`: the list holds
    province ids, by the rules of the diff)."""
    if provinces and old.strings and new.strings:
        return ItemMatch.PROVINCES
    if old.keyed is not None and new.keyed is not None:
        return ItemMatch.KEY
    if old.scalars and new.scalars:
        return ItemMatch.VALUE
    return ItemMatch.POSITION


def _keyed(items: list[Any], key: tuple[str, ...]) -> dict[tuple[Any, ...], int] | None:
    found: dict[tuple[Any, ...], int] = {}
    for index, entry in enumerate(items):
        if not isinstance(entry, Mapping) or key[0] not in entry:
            return None
        if not all(is_scalar(entry.get(name)) for name in key):
            return None
        found.setdefault(item_key(entry, key), index)
        if len(found) <= index:  # the same key twice
            return None
    return found
