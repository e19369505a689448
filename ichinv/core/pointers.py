"""JSON pointers (RFC 6901): the one place that knows how a key becomes a pointer segment.

Records, findings, restricted parts and schema paths all name fields by JSON pointer
(`/names/en`, `/safeguarding/0/measure`); a key holding `/` or `~` is escaped as `~1`/`~0`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any


def escape(key: str) -> str:
    """The pointer segment for `key` (`a/b` → `a~1b`, `~` → `~0`)."""
    return key.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    """The key a pointer segment names (`a~1b` → `a/b`)."""
    return segment.replace("~1", "/").replace("~0", "~")


def is_index(segment: str) -> bool:
    """Whether a segment is an array index: ASCII digits without a leading zero (`²`, `٣`,
    `01` and `-` name no item)."""
    return segment.isascii() and segment.isdigit() and (segment == "0" or segment[0] != "0")


def within(pointer: str, prefix: str) -> bool:
    """Whether `pointer` is `prefix` or lies under it (`/a/b` is within `/a`, `/ab` is not)."""
    return pointer == prefix or pointer.startswith(prefix + "/")


def is_pointer(text: object) -> bool:
    """Whether `text` is a JSON pointer: empty, or starting with `/`."""
    return isinstance(text, str) and (text == "" or text.startswith("/"))


def split(pointer: str) -> list[str]:
    """The keys and indices a pointer names, unescaped (`/a/0/b~1c` → `a`, `0`, `b/c`; the
    empty pointer names the whole document). Raises ValueError for text that is not a pointer."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape(part) for part in pointer[1:].split("/")]


def join(parts: Iterable[str | int]) -> str:
    """The pointer of a path of keys and indices (`["a", 0]` → `/a/0`)."""
    return "".join("/" + escape(str(part)) for part in parts)


def pattern(parts: Iterable[str | int]) -> str:
    """The pattern of a path: list indices become `*` (`["a", 0, "b"]` → `/a/*/b`), as schema
    annotations and rules name fields."""
    return join("*" if isinstance(p, int) or is_index(str(p)) else p for p in parts)


def top(pointer: str) -> str:
    """The top-level key a pointer lies under (`/safeguarding/0/measure` → `safeguarding`);
    empty for the whole document."""
    parts = split(pointer)
    return parts[0] if parts else ""


MISSING: Any = type("Missing", (), {"__repr__": lambda self: "<missing>"})()
"""What `at` returns when nothing is there (None is a value records hold)."""


def at(data: Any, pointer: str) -> Any:
    """The value at `pointer` in plain data (mappings and lists), or MISSING (also when
    `pointer` is not a pointer at all)."""
    if not is_pointer(pointer):
        return MISSING
    node = data
    for part in split(pointer):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and is_index(part) and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


def matches(data: Any, wanted: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every value at `wanted`: a pointer in which the segment `*` stands
    for any list item or any key (`/contacts/*/phone`). The empty pointer matches the whole
    document; text that is not a pointer matches nothing."""
    if not is_pointer(wanted):
        return iter(())
    # Paths are kept as tuples of segments and joined once, for the values found: every
    # record rule looks for its fields this way, and most branches lead nowhere.
    nodes: list[tuple[tuple[str, ...], Any]] = [((), data)]
    for part in _segments(wanted):
        following: list[tuple[tuple[str, ...], Any]] = []
        for path, node in nodes:
            if isinstance(node, Mapping):
                if part == "*":
                    following.extend(((*path, escape(str(k))), node[k]) for k in list(node))
                elif part in node:
                    following.append(((*path, escape(part)), node[part]))
            elif isinstance(node, list):
                if part == "*":
                    following.extend(((*path, str(i)), v) for i, v in enumerate(node))
                elif is_index(part) and int(part) < len(node):
                    following.append(((*path, part), node[int(part)]))
        if not following:
            return iter(())
        nodes = following
    return iter([("".join("/" + s for s in path), value) for path, value in nodes])


@functools.lru_cache(maxsize=512)
def _segments(wanted: str) -> tuple[str, ...]:
    return tuple(split(wanted))


def matches_each(data: Any, wanted: tuple[str, ...]) -> list[list[tuple[str, Any]]]:
    """`list(matches(data, w))` for each pattern `w` of `wanted`, in one walk of `data` (a rule
    that looks for many fields, the dates of a record, walks it once)."""
    found: list[list[tuple[str, Any]]] = [[] for _ in wanted]
    _walk(data, (), _trie(wanted), found)
    return found


_END = "\0end"
"""Key of a trie node listing the patterns that end there (no segment holds a NUL)."""


@functools.lru_cache(maxsize=64)
def _trie(wanted: tuple[str, ...]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for number, pattern in enumerate(wanted):
        if not is_pointer(pattern):
            continue
        node = root
        for part in _segments(pattern):
            node = node.setdefault(part, {})
        node.setdefault(_END, []).append(number)
    return root


def _walk(
    node: Any, path: tuple[str, ...], trie: dict[str, Any], found: list[list[tuple[str, Any]]]
) -> None:
    # Depth first, children in order: for each pattern, the order `matches` gives (by list
    # index and key order at every level).
    ends = trie.get(_END)
    if ends:
        pointer = "".join("/" + s for s in path)
        for number in ends:
            found[number].append((pointer, node))
    if isinstance(node, Mapping):
        star = trie.get("*")
        if star is None:
            # Each pattern follows one key here at most: the trie's keys are looked up (a
            # record has more keys than the rules look for), in whatever order.
            for key, exact in trie.items():
                if key != _END and key in node:
                    _walk(node[key], (*path, escape(key)), exact, found)
            return
        for key in list(node):
            exact = trie.get(key) if key != _END else None
            if exact is None and star is None:
                continue
            child = (*path, escape(str(key)))
            if star is not None:
                _walk(node[key], child, star, found)
            if exact is not None and key != "*":  # a key named "*" is any key's too
                _walk(node[key], child, exact, found)
    elif isinstance(node, list):
        star = trie.get("*")
        for index, value in enumerate(node):
            segment = str(index)
            exact = trie.get(segment)
            if star is not None:
                _walk(value, (*path, segment), star, found)
            if exact is not None:
                _walk(value, (*path, segment), exact, found)


def texts(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, text) of every text value in plain data, depth first."""
    stack: list[tuple[str, Any]] = [(pointer, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            yield here, node
        elif isinstance(node, Mapping):
            stack.extend((f"{here}/{escape(str(k))}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{here}/{i}", v) for i, v in enumerate(node))


def strings(data: Any) -> Iterator[str]:
    """Every text value in plain data, as `texts` gives them but without pointers (no order
    promised)."""
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):  # before Mapping: validate walks every record's texts
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.values())


def leaves(data: Any) -> Iterator[Any]:
    """Every value in plain data that is neither a mapping nor a list, nor null: its texts,
    numbers and true/false (no order promised)."""
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif node is not None:
            yield node


def overlaps(pointer: str, other: str) -> bool:
    """Whether one pointer is the other or lies under it (either way round)."""
    return within(pointer, other) or within(other, pointer)
