"""Where a part of one version of a record lies in another: list items matched as the diff
matches them (ichinv.inventory.list_items), so that what a version withholds, named by its own positions,
is judged where each value of a change stands in it (ichinv.inventory.changes_view), and
`validate --new-since` finds where an item restricted by its position stands now
(ichinv.validate.shifted).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from ichinv.core import pointers
from ichinv.inventory.list_items import (
    ItemMatch,
    ListFacts,
    ListRules,
    item_key,
    item_match,
    list_facts,
    same,
    token,
)


class Locator:
    """`locate` for the parts of some versions of a record: the facts of each list that
    matching its items needs (ichinv.inventory.list_items.ListFacts) are worked out once, however many
    parts are looked for (`log` looks for every change of every commit in every version)."""

    def __init__(self, rules: ListRules) -> None:
        self.rules = rules
        self._facts: dict[tuple[int, tuple[str, ...] | None], tuple[list[Any], ListFacts]] = {}
        """The facts of each list met, by its identity and key (the list is kept, so that its
        id stays its own)."""
        self._rules: dict[tuple[str, ...], tuple[tuple[str, ...] | None, bool]] = {}
        """The key of the list at each pattern met, and whether it holds province ids."""

    def __call__(self, source: Mapping[str, Any], pointer: str, target: Mapping[str, Any]) -> str:
        """Where the part of `source` at `pointer` lies in `target`, another version of the same
        record: the pointer into `target`, list items matched by key, by value or by position
        as the diff matches them, `*` for a list position that cannot be told (an item `target`
        does not hold, or `*` in `pointer`). Keys of mappings are kept, whether held or not."""
        found: list[str] = []
        pattern: list[str] = []
        here: Any = source
        there: Any = target
        for part in pointers.split(pointer):
            if isinstance(here, Mapping) or not (isinstance(here, list) or pointers.is_index(part)):
                found.append(part)
                pattern.append(part)
                here = here.get(part) if isinstance(here, Mapping) else None
                there = there.get(part) if isinstance(there, Mapping) else None
            else:  # a list position, or what may be one
                place = self._position(here, part, there, tuple(pattern))
                found.append(place)
                pattern.append("*")
                here = here[int(part)] if place != "*" else None
                there = there[int(place)] if place != "*" else None
        return pointers.join(found)

    def _position(self, items: Any, part: str, there: Any, pattern: tuple[str, ...]) -> str:
        """The position in the list `there` of the item `part` of the list `items` (`*`: none
        that can be told)."""
        if not (isinstance(items, list) and isinstance(there, list) and pointers.is_index(part)):
            return "*"
        index = int(part)
        if index >= len(items):
            return "*"
        key, provinces = self._rules_at(pattern)
        mine, theirs = self._facts_of(items, key), self._facts_of(there, key)
        how = item_match(mine, theirs, provinces=provinces)
        item = items[index]
        if how is ItemMatch.KEY:
            assert key is not None and theirs.keyed is not None
            place = theirs.keyed.get(item_key(item, key))
            return str(place) if place is not None else "*"
        if how is ItemMatch.POSITION:
            return part if index < len(there) else "*"
        # By value: told only when the value is there once on each side.
        equal = [j for j, value in enumerate(there) if same(value, item)]
        alone = sum(same(value, item) for value in items) == 1
        return str(equal[0]) if len(equal) == 1 and alone else "*"

    def signature(self, data: Mapping[str, Any], parts: Iterable[str]) -> Hashable:
        """What judging a change against `parts` (pointers into `data`, one version of a
        record) depends on: the parts, and the facts of each list on their way, by which a
        change is found in `data` (its items' keys in order, its plain values, its length).
        Versions alike in it judge every change alike: `log` judges each change once for each
        (what a description says is no part of it)."""
        found = []
        for part in parts:
            node: Any = data
            pattern: list[str] = []
            lists = []
            for segment in pointers.split(part) if part != "*" else ():
                if isinstance(node, list):
                    facts = self._facts_of(node, self._rules_at(tuple(pattern))[0])
                    values = tuple(token(v) for v in node) if facts.scalars else None
                    lists.append((facts.strings, tuple(facts.keyed or ()), len(node), values))
                    pattern.append("*")
                    index = int(segment) if pointers.is_index(segment) else len(node)
                    node = node[index] if index < len(node) else None
                else:
                    pattern.append(segment)
                    node = node.get(segment) if isinstance(node, Mapping) else None
            found.append((part, tuple(lists)))
        return tuple(found)

    def _rules_at(self, pattern: tuple[str, ...]) -> tuple[tuple[str, ...] | None, bool]:
        """The key of the list at `pattern`, and whether it holds province ids."""
        known = self._rules.get(pattern)
        if known is None:
            provinces = self.rules.is_province_field((*pattern, "*"))
            known = self._rules[pattern] = (self.rules.key_of(pattern), provinces)
        return known

    def _facts_of(self, items: list[Any], key: tuple[str, ...] | None) -> ListFacts:
        known = self._facts.get((id(items), key))
        if known is None or known[0] is not items:
            known = (items, list_facts(items, key))
            self._facts[(id(items), key)] = known
        return known[1]
