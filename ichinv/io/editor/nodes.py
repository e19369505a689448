"""Walking and changing ruamel.yaml's round-trip nodes: list items by index, mappings by
pattern, and values assigned so that every node whose data stays the same (and its comments)
is kept, and a comment about one entry of a list never ends up above another."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from ichinv.core import pointers
from ichinv.io.editor.comments import EndComment, get_comments, set_comments, unalign
from ichinv.io.editor.style import BLOCK, plain, to_yaml

KeyOrder = Mapping[str, Sequence[str]]
"""Pattern of a mapping (JSON pointer, `*` for list items) → its keys in canonical order
(`ichinv.schemas.loader.Schema.property_order`)."""

ListKeys = Mapping[str, Sequence[str]]
"""Pattern of a list whose items the schema identifies (`x-ichinv-key`) → the identifying
field(s) (`ichinv.schemas.loader.Schema.list_keys`)."""


def index_of(items: CommentedSeq, part: str | int, pointer: str, *, allow_end: bool = False) -> int:
    if isinstance(part, int):
        index = part
    elif part == "-" and allow_end:
        index = len(items)
    elif part.isascii() and part.isdigit():
        index = int(part)
    else:
        raise ValueError(f"{pointer}: {part!r} is not a list index")
    if index > len(items) or (index == len(items) and not allow_end):
        raise ValueError(f"{pointer}: there is no item {index}")
    return index


def order_for(order: KeyOrder, parts: Sequence[str | int]) -> Sequence[str] | None:
    pattern = pointers.pattern(parts)
    found = order.get(pattern)
    if found is None and parts:
        # a mapping under a key matched by patternProperties
        found = order.get(pointers.pattern([*parts[:-1], "*"]))
    return found


def mappings(
    root: Any, start: list[str | int] | None = None
) -> Iterator[tuple[list[str | int], CommentedMap]]:
    for parts, node in containers(root, start):
        if isinstance(node, CommentedMap):
            yield parts, node


def containers(
    root: Any, start: Sequence[str | int] | None = None
) -> Iterator[tuple[list[str | int], CommentedMap | CommentedSeq]]:
    """Every mapping and list under `root` (itself too), with its path."""
    stack: list[tuple[list[str | int], Any]] = [(list(start or []), root)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, CommentedMap):
            yield parts, node
            stack.extend(([*parts, str(k)], v) for k, v in node.items())
        elif isinstance(node, CommentedSeq):
            yield parts, node
            stack.extend(([*parts, i], v) for i, v in enumerate(node))


class Places:
    """What the schema says about the nodes of a value being assigned (the one at `start`):
    where a new key of a mapping goes, and which fields identify an item of a list. Only
    nodes there before the assignment began are known: one walk, on first use, finds their
    paths (a walk per node would be quadratic)."""

    def __init__(
        self,
        root: Any,
        start: Sequence[str | int],
        position: Callable[[CommentedMap, list[str], str], int],
        list_keys: ListKeys,
    ) -> None:
        self._root = root
        self._start = list(start)
        self._position = position
        self._list_keys = list_keys
        self._paths: dict[int, tuple[Any, list[str]]] | None = None

    def place(self, mapping: CommentedMap, key: str) -> int:
        """Where the new `key` goes in `mapping` (at the end of one the assignment added)."""
        found = self._path(mapping)
        return len(mapping) if found is None else self._position(mapping, found, key)

    def key(self, items: CommentedSeq) -> tuple[str, ...]:
        """The fields identifying an item of the list `items`; none when the schema names
        none."""
        found = self._path(items)
        return () if found is None else tuple(self._list_keys.get(pointers.pattern(found), ()))

    def _path(self, node: Any) -> list[str] | None:
        if self._paths is None:
            self._paths = {
                id(held): (held, [str(p) for p in parts])
                for parts, held in containers(self._root, self._start)
            }
        held, parts = self._paths.get(id(node), (None, []))
        return parts if held is node else None


def put(mapping: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert `key` (not in `mapping`) at `position`. Appending is a plain assignment:
    ruamel.yaml's `insert` walks every key even to add one at the end, so building a mapping
    of n new keys with it would cost n² steps."""
    if position >= len(mapping):
        mapping[key] = value
    else:
        mapping.insert(position, key, value)


def assign(container: Any, key: Any, value: Any, places: Places) -> bool:
    """Set `container[key]` to `value`, keeping the old nodes (and their comments) wherever
    the data stays the same; new keys of a mapping go where `places` says. True when anything
    changed."""
    old = container[key]
    before, after = plain(old), plain(value)
    if before == after and type(before) is type(after):
        return False
    if isinstance(old, CommentedMap) and isinstance(value, Mapping):
        for name in [k for k in old if k not in value]:
            old.ca.items.pop(name, None)
            del old[name]
        for name, item in value.items():
            if name in old:
                assign(old, name, item, places)
            else:
                put(old, places.place(old, name), name, to_yaml(item))
        return True
    if isinstance(old, CommentedSeq) and isinstance(value, list | tuple):
        assign_list(old, list(value), places)
        return True
    if isinstance(old, BLOCK) and isinstance(value, str) and not isinstance(value, ScalarString):
        container[key] = type(old)(value) if "\n" in value else to_yaml(value)
    else:
        container[key] = to_yaml(value)
    unalign(container, key)
    return True


def assign_list(old: CommentedSeq, new: list[Any], places: Places) -> None:
    """Make `old` hold `new` with the smallest edit: an item that did not change keeps its
    node (and comments); an item of mappings changed in part (the same entry: see
    `_edited_items`) is changed in place, keeping its comments and those of the fields that
    stay; only items added are new, and only items removed go, with their comments."""
    kept, edited = pair_items(old, new, lambda: places.key(old))
    items: list[Any] = []
    comments: list[tuple[list[str], EndComment | None]] = []
    for number, value in enumerate(new):
        match = kept[number] if kept[number] is not None else edited.get(number)
        if match is None:
            items.append(to_yaml(value))
            comments.append(([], None))
            continue
        if number in edited:
            assign(old, match, value, places)
        items.append(old[match])
        comments.append(get_comments(old, match))
    old.ca.items.clear()  # first: ruamel.yaml renumbers the comments left at every deletion
    old.clear()
    old.extend(items)
    for index, (lead, eol) in enumerate(comments):
        if lead or eol:
            set_comments(old, index, lead, eol)


def pair_items(
    old: Sequence[Any], new: Sequence[Any], key: Callable[[], Sequence[str]]
) -> tuple[list[int | None], dict[int, int]]:
    """Which old item each new one is, as `assign_list` writes the list: `kept[n]`, the old
    item equal to the new item `n`, else `edited[n]`, the old mapping it is an edit of (see
    `_edited_items`; `key` gives the list's identifying fields, asked for only then). A new
    item in neither is added, an old one in neither removed."""
    # The old items by value, in order: each new value takes the first unused old item equal
    # to it (a search through the whole list per item would be quadratic).
    unused: dict[Any, deque[int]] = defaultdict(deque)
    for index, item in enumerate(old):
        unused[_identity(plain(item))].append(index)
    kept: list[int | None] = []
    for value in new:
        same = unused.get(_identity(plain(value)))
        kept.append(same.popleft() if same else None)
    left = sorted(i for same in unused.values() for i in same)
    edited = _edited_items(old, new, kept, left, key() if left and None in kept else ())
    return kept, edited


_COMMON = 16
"""A field value shared by more old items than this tells none of them apart: it is not used
to find the old items a new one may be an edit of (so pairing items stays linear in the
length of the list), though it counts among the fields they share."""


def _edited_items(
    old: Sequence[Any],
    new: Sequence[Any],
    kept: list[int | None],
    left: list[int],
    key: Sequence[str],
) -> dict[int, int]:
    """For each new mapping no old item equals (`kept` None), the old mapping among `left`
    (those no new value equals) that it is an edit of, so that it keeps that item's comments.
    A comment about one entry (a person) must never come to stand above another, so they are
    the same entry only when both have the same identifying fields (`key`, the schema's
    `x-ichinv-key`), or, when either lacks them, when more than half of the old item's fields
    (key and value) are the new one's too: the one sharing the most, the nearest in the list
    among equals. Index of the new item → index of the old one; a new item paired with none
    is written anew (and the old one goes, with its comments)."""
    named: dict[Any, deque[int]] = defaultdict(deque)
    fields: dict[int, set[tuple[str, Any]]] = {}
    holders: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for index in left:
        item = old[index]
        if isinstance(item, Mapping):
            name = _key_of(item, key)
            if name is not None:
                named[name].append(index)
            fields[index] = {(str(k), _identity(plain(v))) for k, v in item.items()}
            for pair in fields[index]:
                holders[pair].append(index)
    pairs: dict[int, int] = {}
    unnamed: list[int] = []
    for number, value in enumerate(new):
        if kept[number] is not None or not isinstance(value, Mapping):
            continue
        name = _key_of(value, key)
        if name is None or name not in named:
            unnamed.append(number)  # no old item has its name: one without a name may be it
        elif named[name]:
            pairs[number] = named[name].popleft()
    taken = set(pairs.values())
    for number in unnamed:
        mine = {(str(k), _identity(plain(v))) for k, v in new[number].items()}
        nameless = _key_of(new[number], key) is None
        found = {
            index
            for pair in mine
            if len(holders.get(pair, ())) <= _COMMON
            for index in holders.get(pair, ())
            if index not in taken and (nameless or _key_of(old[index], key) is None)
        }
        shared = {index: len(mine & fields[index]) for index in found}
        most = [index for index, count in shared.items() if 2 * count > len(fields[index])]
        if most:
            best = max(most, key=lambda index: (shared[index], -abs(index - number), -index))
            pairs[number] = best
            taken.add(best)
    return pairs


def _key_of(item: Mapping[str, Any], key: Sequence[str]) -> Any:
    """The identifying fields of a list item, comparable; None when the list has none or
    the item lacks one of them."""
    if not key or any(field not in item for field in key):
        return None
    return tuple(_identity(plain(item[field])) for field in key)


def _identity(data: Any) -> Any:
    """A hashable stand-in for plain data: equal exactly when the data and the types of its
    values are equal (so `1`, `1.0` and `true` stay apart, and key order does not count)."""
    if isinstance(data, dict):
        return ("map", tuple(sorted((str(k), _identity(v)) for k, v in data.items())))
    if isinstance(data, list):
        return ("seq", tuple(_identity(v) for v in data))
    return (type(data).__name__, data)
