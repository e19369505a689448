"""Walking and changing ruamel.yaml's round-trip nodes: list items by index, mappings by
pattern, and values assigned so that every node whose data stays the same (and its comments)
is kept."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
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
    stack: list[tuple[list[str | int], Any]] = [(list(start or []), root)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, CommentedMap):
            yield parts, node
            stack.extend(([*parts, str(k)], v) for k, v in node.items())
        elif isinstance(node, CommentedSeq):
            stack.extend(([*parts, i], v) for i, v in enumerate(node))


def put(mapping: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert `key` (not in `mapping`) at `position`. Appending is a plain assignment:
    ruamel.yaml's `insert` walks every key even to add one at the end, so building a mapping
    of n new keys with it would cost n² steps."""
    if position >= len(mapping):
        mapping[key] = value
    else:
        mapping.insert(position, key, value)


def assign(container: Any, key: Any, value: Any, place: Callable[[CommentedMap, str], int]) -> bool:
    """Set `container[key]` to `value`, keeping the old nodes (and their comments) wherever
    the data stays the same; new keys of a mapping go where `place` says. True when anything
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
                assign(old, name, item, place)
            else:
                put(old, place(old, name), name, to_yaml(item))
        return True
    if isinstance(old, CommentedSeq) and isinstance(value, list | tuple):
        assign_list(old, list(value), place)
        return True
    if isinstance(old, BLOCK) and isinstance(value, str) and not isinstance(value, ScalarString):
        container[key] = type(old)(value) if "\n" in value else to_yaml(value)
    else:
        container[key] = to_yaml(value)
    unalign(container, key)
    return True


def assign_list(
    old: CommentedSeq, new: list[Any], place: Callable[[CommentedMap, str], int]
) -> None:
    """Make `old` hold `new` with the smallest edit: an item that did not change keeps its
    node (and comments); an item of mappings changed in part (the one of `old` it shares the
    most fields with) is changed in place, keeping its comments and those of the fields that
    stay; only items added are new, and only items removed go, with their comments."""
    # The old items by value, in order: each new value takes the first unused old item equal
    # to it (a search through the whole list per item would be quadratic).
    unused: dict[Any, deque[int]] = defaultdict(deque)
    for index, item in enumerate(old):
        unused[_identity(plain(item))].append(index)
    kept: list[int | None] = []
    for value in new:
        same = unused.get(_identity(plain(value)))
        kept.append(same.popleft() if same else None)
    edited = _edited_items(old, new, kept, sorted(i for left in unused.values() for i in left))
    items: list[Any] = []
    comments: list[tuple[list[str], EndComment | None]] = []
    for number, value in enumerate(new):
        match = kept[number] if kept[number] is not None else edited.get(number)
        if match is None:
            items.append(to_yaml(value))
            comments.append(([], None))
            continue
        if number in edited:
            assign(old, match, value, place)
        items.append(old[match])
        comments.append(get_comments(old, match))
    old.ca.items.clear()  # first: ruamel.yaml renumbers the comments left at every deletion
    old.clear()
    old.extend(items)
    for index, (lead, eol) in enumerate(comments):
        if lead or eol:
            set_comments(old, index, lead, eol)


_COMMON = 16
"""A field value shared by more old items than this tells none of them apart: not looked at
(so pairing items stays linear in the length of the list)."""


def _edited_items(
    old: CommentedSeq, new: list[Any], kept: list[int | None], left: list[int]
) -> dict[int, int]:
    """For each new mapping no old item equals (`kept` None), the old mapping among `left`
    (those no new value equals) that it is an edit of: the one sharing the most fields (key
    and value) with it, the nearest in the list among equals; none when no field is shared.
    Index of the new item → index of the old one."""
    holders: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for index in left:
        if isinstance(old[index], CommentedMap):
            for key, value in old[index].items():
                holders[(str(key), _identity(plain(value)))].append(index)
    taken: set[int] = set()
    pairs: dict[int, int] = {}
    for number, value in enumerate(new):
        if kept[number] is not None or not isinstance(value, Mapping):
            continue
        shared: Counter[int] = Counter()
        for key, field in value.items():
            found = holders.get((str(key), _identity(plain(field))), [])
            if len(found) <= _COMMON:
                shared.update(index for index in found if index not in taken)
        if shared:
            best = max(shared, key=lambda index: (shared[index], -abs(index - number), -index))
            pairs[number] = best
            taken.add(best)
    return pairs


def _identity(data: Any) -> Any:
    """A hashable stand-in for plain data: equal exactly when the data and the types of its
    values are equal (so `1`, `1.0` and `true` stay apart, and key order does not count)."""
    if isinstance(data, dict):
        return ("map", tuple(sorted((str(k), _identity(v)) for k, v in data.items())))
    if isinstance(data, list):
        return ("seq", tuple(_identity(v) for v in data))
    return (type(data).__name__, data)
