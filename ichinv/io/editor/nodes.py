"""Walking and changing ruamel.yaml's round-trip nodes: list items by index, mappings by
pattern, and values assigned so that every node whose data stays the same (and its comments)
is kept."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from ichinv.core import pointers
from ichinv.io.editor.comments import EndComment, get_comments, set_comments
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
        assign_list(old, list(value))
        return True
    if isinstance(old, BLOCK) and isinstance(value, str) and not isinstance(value, ScalarString):
        container[key] = type(old)(value) if "\n" in value else to_yaml(value)
        return True
    container[key] = to_yaml(value)
    return True


def assign_list(old: CommentedSeq, new: list[Any]) -> None:
    """Make `old` hold `new`, reusing items (and their comments) that did not change."""
    # The old items by value, in order: each new value takes the first unused old item equal
    # to it (a search through the whole list per item would be quadratic).
    unused: dict[Any, deque[int]] = defaultdict(deque)
    for index, item in enumerate(old):
        unused[_identity(plain(item))].append(index)
    items: list[Any] = []
    comments: list[tuple[list[str], EndComment | None]] = []
    for value in new:
        same = unused.get(_identity(plain(value)))
        if not same:
            items.append(to_yaml(value))
            comments.append(([], None))
        else:
            match = same.popleft()
            items.append(old[match])
            comments.append(get_comments(old, match))
    old.ca.items.clear()  # first: ruamel.yaml renumbers the comments left at every deletion
    old.clear()
    old.extend(items)
    for index, (lead, eol) in enumerate(comments):
        if lead or eol:
            set_comments(old, index, lead, eol)


def _identity(data: Any) -> Any:
    """A hashable stand-in for plain data: equal exactly when the data and the types of its
    values are equal (so `1`, `1.0` and `true` stay apart, and key order does not count)."""
    if isinstance(data, dict):
        return ("map", tuple(sorted((str(k), _identity(v)) for k, v in data.items())))
    if isinstance(data, list):
        return ("seq", tuple(_identity(v) for v in data))
    return (type(data).__name__, data)
