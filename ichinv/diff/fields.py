"""Compare two versions of one record field by field (pure: no git, no files).

Records are plain data. Mappings are compared key by key; lists of mappings by the key field(s)
the schema declares (`x-ichinv-key`), so reordering is no change and an edited item is a change
of that item; lists of plain values as sets; province references through the `successors` of
provinces/, so an administrative re-mapping is told from a substantive change. Every change
carries a JSON pointer (into the current record; into the baseline one when removed), where it
lies on each side (`Change.sides`: an item may stand at another position in each), and long
texts a word-level diff. The engine sees every value: what an audience may read of a change is
decided by the audience view (ichinv.inventory.changes_view).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, ElementStatus, Record
from ichinv.inventory.list_items import (
    ItemMatch,
    ListRules,
    item_key,
    item_match,
    kind_of,
    list_facts,
    same,
    token,
)

LONG_TEXT = 40
"""Texts at least this long (or spanning lines) get a word-level diff."""

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


# --- rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRules(ListRules):
    """What the engine needs to know of the inventory beyond the records themselves: how list
    items are identified (ListRules), and how provinces became others."""

    successors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Province id → ids of the units that took over its territory (provinces/*.yaml)."""
    long_text: int = LONG_TEXT
    words: bool = True
    """Whether changes of long texts carry a word-level diff (a caller that needs only which
    fields changed, and each element's status, is spared its cost)."""

    @cached_property
    def _lineage(self) -> dict[str, frozenset[str]]:
        """Every province → all the units it became, directly or through later changes."""
        result: dict[str, frozenset[str]] = {}

        def descend(pid: str, seen: frozenset[str]) -> frozenset[str]:
            if pid in result:
                return result[pid]
            found: set[str] = set()
            for nxt in self.successors.get(pid, ()):
                if nxt not in seen:
                    found.add(nxt)
                    found |= descend(nxt, seen | {nxt})
            result[pid] = frozenset(found)
            return result[pid]

        for pid in self.successors:
            descend(pid, frozenset({pid}))
        return result

    def related(self, a: str, b: str) -> bool:
        """True when one province became the other (or part of it) through re-mappings."""
        return a != b and (b in self._lineage.get(a, ()) or a in self._lineage.get(b, ()))


def rules_from(
    list_keys: Mapping[str, str | tuple[str, ...]], provinces: Iterable[Record], **extra: Any
) -> DiffRules:
    """Rules from the schema's keyed lists and the province records (their `successors`)."""
    successors: dict[str, tuple[str, ...]] = {}
    for province in provinces:
        value = province.data.get("successors")
        if province.id and isinstance(value, list):
            successors[province.id] = tuple(v for v in value if isinstance(v, str))
    return DiffRules(list_keys=dict(list_keys), successors=successors, **extra)


# --- comparing values ----------------------------------------------------------------------------


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """A word-level diff: ("=", kept), ("-", removed), ("+", added), adjacent runs merged."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[list[str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if parts and parts[-1][0] == op:
            parts[-1][1] += text
        else:
            parts.append([op, text])

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return tuple((op, text) for op, text in parts)


class _Walker:
    """Collects the changes between two records."""

    def __init__(self, rules: DiffRules) -> None:
        self.rules = rules
        self.changes: list[Change] = []

    def walk(
        self, old: Any, new: Any, old_ptr: str, new_ptr: str, pattern: tuple[str, ...]
    ) -> None:
        if same(old, new):
            return
        kinds = (kind_of(old), kind_of(new))
        if kinds == ("map", "map"):
            for key, value in new.items():
                child = f"{new_ptr}/{pointers.escape(key)}"
                if key in old:
                    self.walk(
                        old[key], value, f"{old_ptr}/{pointers.escape(key)}", child, (*pattern, key)
                    )
                else:
                    there = f"{old_ptr}/{pointers.escape(key)}"
                    self.changes.append(
                        Change(child, ChangeKind.ADDED, new=value, sides=(there, child))
                    )
            for key, value in old.items():
                if key not in new:
                    here = f"{old_ptr}/{pointers.escape(key)}"
                    there = f"{new_ptr}/{pointers.escape(key)}"
                    self.changes.append(
                        Change(here, ChangeKind.REMOVED, old=value, sides=(here, there))
                    )
        elif kinds == ("list", "list"):
            self._list(old, new, old_ptr, new_ptr, pattern)
        else:
            self.leaf(old, new, old_ptr, new_ptr, pattern)

    def leaf(
        self, old: Any, new: Any, old_ptr: str, new_ptr: str, pattern: tuple[str, ...]
    ) -> None:
        remapped = (
            isinstance(old, str)
            and isinstance(new, str)
            and self.rules.is_province_field(pattern)
            and self.rules.related(old, new)
        )
        words: tuple[tuple[str, str], ...] = ()
        if (
            self.rules.words
            and isinstance(old, str)
            and isinstance(new, str)
            and (max(len(old), len(new)) >= self.rules.long_text or "\n" in old + new)
        ):
            words = word_diff(old, new)
        self.changes.append(
            Change(
                new_ptr,
                ChangeKind.CHANGED,
                old,
                new,
                remapped=remapped,
                words=words,
                sides=(old_ptr, new_ptr),
            )
        )

    def _list(
        self, old: list[Any], new: list[Any], old_ptr: str, new_ptr: str, pattern: tuple[str, ...]
    ) -> None:
        item = (*pattern, "*")
        key = self.rules.key_of(pattern)
        before, after = list_facts(old, key), list_facts(new, key)
        how = item_match(before, after, provinces=self.rules.is_province_field(item))
        if how is ItemMatch.PROVINCES:
            self._provinces(old, new, old_ptr, new_ptr)
        elif how is ItemMatch.KEY:
            assert key is not None and before.keyed is not None and after.keyed is not None
            self._keyed(old, new, old_ptr, new_ptr, item, key, before.keyed, after.keyed)
        elif how is ItemMatch.VALUE:
            self._as_set(old, new, old_ptr, new_ptr)
        else:
            for index, (a, b) in enumerate(zip(old, new, strict=False)):
                self.walk(a, b, f"{old_ptr}/{index}", f"{new_ptr}/{index}", item)
            for index in range(len(old), len(new)):
                self.added(old_ptr, f"{new_ptr}/{index}", new[index])
            for index in range(len(new), len(old)):
                self.removed(f"{old_ptr}/{index}", new_ptr, old[index])

    def added(self, old_list: str, pointer: str, value: Any, remapped: bool = False) -> None:
        """An item added to a list (at `pointer`; the older record does not hold it)."""
        self.changes.append(
            Change(
                pointer,
                ChangeKind.ADDED,
                new=value,
                remapped=remapped,
                sides=(f"{old_list}/*", pointer),
            )
        )

    def removed(self, pointer: str, new_list: str, value: Any, remapped: bool = False) -> None:
        """An item removed from a list (at `pointer`; the newer record does not hold it)."""
        self.changes.append(
            Change(
                pointer,
                ChangeKind.REMOVED,
                old=value,
                remapped=remapped,
                sides=(pointer, f"{new_list}/*"),
            )
        )

    def _keyed(
        self,
        old: list[Any],
        new: list[Any],
        old_ptr: str,
        new_ptr: str,
        item: tuple[str, ...],
        key: tuple[str, ...],
        before: Mapping[tuple[Any, ...], int],
        after: Mapping[tuple[Any, ...], int],
    ) -> None:
        for j, entry in enumerate(new):
            i = before.get(item_key(entry, key))
            if i is None:
                self.added(old_ptr, f"{new_ptr}/{j}", entry)
            else:
                self.walk(old[i], entry, f"{old_ptr}/{i}", f"{new_ptr}/{j}", item)
        for i, entry in enumerate(old):
            if item_key(entry, key) not in after:
                self.removed(f"{old_ptr}/{i}", new_ptr, entry)

    def _as_set(self, old: list[Any], new: list[Any], old_ptr: str, new_ptr: str) -> None:
        removed, added = _set_difference(old, new)
        for i in removed:
            self.removed(f"{old_ptr}/{i}", new_ptr, old[i])
        for j in added:
            self.added(old_ptr, f"{new_ptr}/{j}", new[j])

    def _provinces(self, old: list[str], new: list[str], old_ptr: str, new_ptr: str) -> None:
        related = self.rules.related
        removed, added = _set_difference(old, new)
        used: set[int] = set()
        for i in removed:
            heir = next((j for j in added if j not in used and related(old[i], new[j])), None)
            if heir is not None:
                used.add(heir)
                self.changes.append(
                    Change(
                        f"{new_ptr}/{heir}",
                        ChangeKind.CHANGED,
                        old[i],
                        new[heir],
                        remapped=True,
                        sides=(f"{old_ptr}/{i}", f"{new_ptr}/{heir}"),
                    )
                )
            else:
                remapped = any(related(old[i], other) for other in new)
                self.removed(f"{old_ptr}/{i}", new_ptr, old[i], remapped)
        for j in added:
            if j not in used:
                remapped = any(related(new[j], other) for other in old)
                self.added(old_ptr, f"{new_ptr}/{j}", new[j], remapped)


def _set_difference(old: Sequence[Any], new: Sequence[Any]) -> tuple[list[int], list[int]]:
    """Indices of `old` items not in `new` and of `new` items not in `old` (as multisets)."""
    remaining = Counter(token(v) for v in new)
    removed = []
    for i, value in enumerate(old):
        held = token(value)
        if remaining[held] > 0:
            remaining[held] -= 1
        else:
            removed.append(i)
    remaining = Counter(token(v) for v in old)
    added = []
    for j, value in enumerate(new):
        held = token(value)
        if remaining[held] > 0:
            remaining[held] -= 1
        else:
            added.append(j)
    return removed, added


def diff_records(
    old: Mapping[str, Any], new: Mapping[str, Any], rules: DiffRules
) -> tuple[Change, ...]:
    """Every field-level change from record `old` to record `new`, with its values. What an
    audience may read of them is decided apart (ichinv.inventory.changes_view.public_changes)."""
    return diff_value((), old, new, rules)


def diff_value(path: Sequence[str], old: Any, new: Any, rules: DiffRules) -> tuple[Change, ...]:
    """Every change from `old` to `new`, two values of the field at `path` (its keys from the
    top of the record): the changes `diff_records` finds inside that field."""
    walker = _Walker(rules)
    pointer = pointers.join(path)
    walker.walk(old, new, pointer, pointer, tuple(path))
    return tuple(walker.changes)


def classify(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    changes: Iterable[Change] | None,
    rules: DiffRules | None = None,
) -> ElementStatus:
    """The element's status (SPEC) from its two versions and the changes between them; with
    `changes` None, from the two versions alone (with `rules`), looking no further into them
    than the first change that makes the element revised."""
    if old is None:
        return ElementStatus.ADDED
    if new is None:
        return ElementStatus.REMOVED
    status = new.get("status")
    if status != old.get("status") and status in ("retired", "merged"):
        return ElementStatus(status)
    if changes is None:
        if rules is None:
            raise TypeError("classify: the rules are needed to compare the versions")
        walker = _Walker(rules)
        walker.changes = _UntilRevised()
        try:
            walker.walk(old, new, "", "", ())
        except _Revised:
            return ElementStatus.REVISED
    elif any(not c.remapped for c in changes):
        return ElementStatus.REVISED
    return ElementStatus.UNCHANGED


class _Revised(Exception):
    """A change that is not a province's re-mapping was found: the element is revised."""


class _UntilRevised(list[Change]):
    """Changes collected until the first that makes an element revised (`classify`)."""

    def append(self, change: Change) -> None:
        if not change.remapped:
            raise _Revised
        super().append(change)

    def extend(self, changes: Iterable[Change]) -> None:
        for change in changes:
            self.append(change)
