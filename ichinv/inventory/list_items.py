"""The items of two versions of a list matched: by the key the schema declares for the list
(`ListRules`, from the `x-ichinv-key` annotations), by value, or by position. The diff engine
(ichinv.diff.fields), `Locator` (ichinv.inventory.positions) and `validate --new-since`
(ichinv.validate.shifted) match items alike: a part named by its position in one version is
found where the diff finds its item in another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any

from ichinv.core import pointers

PROVINCE_FIELDS: tuple[str, ...] = (
    "/provinces/*",
    "/locations/*/province",
    "/communities/*/provinces/*",
)
"""Where element records refer to provinces (used when the schema does not say)."""


def _segments(pattern: str) -> tuple[str, ...]:
    return tuple(pointers.unescape(p) for p in pattern.lstrip("/").split("/")) if pattern else ()


def _matches(declared: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    return len(declared) == len(actual) and all(
        d in ("*", a) for d, a in zip(declared, actual, strict=True)
    )


@dataclass(frozen=True)
class ListRules:
    """How the items of the lists of a record are identified, from its schema."""

    list_keys: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    """Pattern of each keyed list (pointer, `*` for list items) → the item field(s) identifying
    an item; from the schema's `x-ichinv-key` annotations (`Schema.list_keys`)."""
    province_fields: tuple[str, ...] = PROVINCE_FIELDS
    """Patterns of fields holding province ids."""

    @cached_property
    def _keys(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [
            (_segments(p), (k,) if isinstance(k, str) else tuple(k))
            for p, k in self.list_keys.items()
        ]

    @cached_property
    def _province_patterns(self) -> list[tuple[str, ...]]:
        return [_segments(p) for p in self.province_fields]

    def key_of(self, pattern: tuple[str, ...]) -> tuple[str, ...] | None:
        """The key field(s) of the list at `pattern`, if the schema declares them."""
        return next((k for p, k in self._keys if _matches(p, pattern)), None)

    def is_province_field(self, pattern: tuple[str, ...]) -> bool:
        return any(_matches(p, pattern) for p in self._province_patterns)


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
