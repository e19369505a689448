"""Views as plain data: deep copies as dicts and lists, edits of them by JSON pointer (what
the audience view withholds is replaced or dropped here), and mappings of views made when
first looked up (`Lazy`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

from ichinv.core import pointers
from ichinv.schemas.shape import ANYTHING, Shape

WHOLE_RECORD = "*"
"""The pointer of everything but the identification (a restriction of the whole record)."""


def keys(pointer: str) -> tuple[str, ...]:
    """The keys of a pointer; none for the whole record (`*`)."""
    return () if pointer in ("", WHOLE_RECORD) else tuple(pointers.split(pointer))


def overlaps(pointer: str, other: str) -> bool:
    """True when one JSON pointer is the other or lies inside it (`*` as the whole record)."""
    return WHOLE_RECORD in (pointer, other) or pointers.overlaps(pointer, other)


def inside_pattern(pointer: str, pattern: str) -> bool:
    """Whether `pointer` is a field matched by `pattern` (`*`: any item) or lies inside one."""
    wanted, parts = keys(pattern), keys(pointer)
    return len(parts) >= len(wanted) and all(
        w in ("*", p) for w, p in zip(wanted, parts, strict=False)
    )


def index_of(part: str, items: list[Any]) -> int | None:
    """The list index a pointer segment names (RFC 6901: ASCII digits, no leading zero), if
    `items` has it; None otherwise (`-`, `01`, `²` or `٣` name no item)."""
    if not pointers.is_index(part):
        return None
    index = int(part)
    return index if index < len(items) else None


def replace_at(view: dict[str, Any], pointer: str, note: str) -> None:
    """Put `note` where `pointer` names a value of `view` (nothing when it names none)."""
    segments = keys(pointer)
    node: Any = view
    for part in segments[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and (index := index_of(part, node)) is not None:
            node = node[index]
        else:
            return
    last = segments[-1]
    if isinstance(node, dict) and last in node:
        node[last] = note
    elif isinstance(node, list) and (index := index_of(last, node)) is not None:
        node[index] = note


def drop(node: Any, segments: tuple[str, ...]) -> None:
    """Remove every value at `segments` from `node` (map keys deleted, list items left out)."""
    if not segments:
        return
    part, rest = segments[0], segments[1:]
    if isinstance(node, dict):
        keys = list(node) if part == "*" else [part] if part in node else []
        for key in keys:
            if rest:
                drop(node[key], rest)
            else:
                del node[key]
    elif isinstance(node, list):
        if part == "*":
            if rest:
                for item in node:
                    drop(item, rest)
            else:
                node.clear()
        elif (index := index_of(part, node)) is not None:
            if rest:
                drop(node[index], rest)
            else:
                del node[index]


_LEAVES = frozenset({str, int, float, bool, type(None)})  # exactly these: a Withheld is a str


def plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists (views never share structure with records)."""
    kind = type(value)  # exact types first, leaves without a call: packets copy thousands
    if kind is not dict and kind is not list:
        if kind in _LEAVES or not isinstance(value, Mapping | list | tuple):
            return value  # text (a Withheld too), numbers and anything else: as it is
        kind = dict if isinstance(value, Mapping) else list
    if kind is dict:
        return {str(k): v if type(v) in _LEAVES else plain(v) for k, v in value.items()}
    return [v if type(v) in _LEAVES else plain(v) for v in value]


class TextEdit(NamedTuple):
    """An edit a copy makes to each of its texts that holds `mark` (looked for first, in the
    copying loop: most texts hold none). A note of a view (`Withheld`, a `str` of its own kind)
    is no text here."""

    mark: str
    edit: Callable[[str], str]

    def made(self, value: Any) -> Any:
        """`value` with the edit made to its texts (a copy's own: mappings and lists are
        changed in place, a text is given back edited)."""
        mark, edit = self
        if type(value) is str:
            return edit(value) if mark in value else value
        stack: list[Any] = [value] if type(value) is dict or type(value) is list else []
        while stack:
            node = stack.pop()
            for key, item in node.items() if type(node) is dict else enumerate(node):
                if type(item) is str:
                    if mark in item:
                        node[key] = edit(item)
                elif type(item) is dict or type(item) is list:
                    stack.append(item)
        return value


class Misfit(Exception):
    """A part of the data is not in the shape asked for (`fitted`)."""


def fitted(value: Any, shape: Shape, texts: TextEdit | None = None) -> Any:
    """A copy of `value` as `plain` makes it, when `value` has `shape` throughout (as
    ichinv.schemas.shape.fits tells): the copy and the check in one pass over a record, where
    a public view made them in two (and `texts` made to its texts). Raises Misfit at the first
    part that does not fit, and at anything but plain dicts, lists and single values (the
    careful way tells those apart)."""
    if shape is ANYTHING:
        return texts.made(plain(value)) if texts is not None else plain(value)
    mark, edit = texts if texts is not None else (None, None)
    kind = type(value)
    if kind is dict:
        if not shape.mapping:
            raise Misfit
        named = shape.keys
        copy: dict[str, Any] = {}
        for key, child in value.items():
            sub = named.get(key)
            if sub is None:
                sub = shape.child(key) if type(key) is str else None
                if sub is None:
                    raise Misfit
            if type(child) in _LEAVES:
                if sub.strict and not sub.allows(child):
                    raise Misfit
                marked = mark is not None and type(child) is str and mark in child
                copy[key] = edit(child) if marked and edit is not None else child
            else:
                copy[key] = fitted(child, sub, texts)
        return copy
    if kind is list:
        if not shape.sequence:
            raise Misfit
        items = shape.items or ANYTHING
        if items is ANYTHING:
            return texts.made(plain(value)) if texts is not None else plain(value)
        strict, allows = items.strict, items.allows
        out: list[Any] = []
        for item in value:
            if type(item) in _LEAVES:
                if strict and not allows(item):
                    raise Misfit
                marked = mark is not None and type(item) is str and mark in item
                out.append(edit(item) if marked and edit is not None else item)
            else:
                out.append(fitted(item, items, texts))
        return out
    if kind in _LEAVES:
        return value
    raise Misfit


def fields_of(data: Mapping[str, Any], only: Collection[str] | None) -> Mapping[str, Any]:
    """`data`, or its top-level fields named in `only` (a view of some fields)."""
    if only is None:
        return data
    return {key: value for key, value in data.items() if key in only}


def shaped_copy(
    data: Any,
    shape: Shape | None,
    only: Collection[str] | None = None,
    texts: TextEdit | None = None,
) -> tuple[Any, bool]:
    """A copy of `data` as `plain` makes it, with `texts` made to its texts, and whether
    `data` has `shape` throughout (False when there is no shape: not known to have it). Most
    records are copied, edited and found in shape in one pass (`fitted`).

    With `only` (and a mapping), a copy of the top-level fields it names, and whether no part
    of `data` out of shape lies in them or is `data` itself: a top-level key the shape does not
    allow puts the whole record out of shape (ichinv.schemas.shape.unknown_parts), and so does
    it here, whichever field it is."""
    if only is not None and type(data) is dict:
        copy, in_shape = shaped_copy(fields_of(data, only), shape, texts=texts)
        allowed = shape is not None and (
            data.keys() <= shape.keys.keys()  # the usual case, at once; else key by key
            or all(type(key) is str and shape.child(key) is not None for key in data)
        )
        return copy, in_shape and allowed
    if shape is not None and type(data) is dict:
        try:
            return fitted(data, shape, texts), True
        except Misfit:
            pass
    return (texts.made(plain(data)) if texts is not None else plain(data)), False


def merge(target: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge `extra` into `target`: mappings key by key, anything else replaces (as a copy)."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = plain(value)


V = TypeVar("V")


class Lazy(Mapping[str, V]):
    """A mapping with the keys of `keys` whose values `make` computes when first looked up
    (e.g. the audience views of thousands of elements, of which a packet shows a few)."""

    def __init__(self, keys: Mapping[str, Any], make: Callable[[str], V]) -> None:
        self._keys = keys
        self._make = make
        self._made: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        if key not in self._made:
            if key not in self._keys:
                raise KeyError(key)
            self._made[key] = self._make(key)
        return self._made[key]

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def made(self, key: str) -> V | None:
        """The value of `key` if it was made already (None otherwise): nothing is made."""
        return self._made.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def placed(view: dict[str, Any], added: Mapping[str, Any], shape: Shape | None) -> dict[str, Any]:
    """`view` with those of the fields `added` it lacks, each before the first field the schema
    (`shape`) names after it: where a record in the schema's order (as `ichinv fmt` writes it)
    holds it, so that where it stands does not tell that the record lacks it."""
    added = {key: value for key, value in added.items() if key not in view}
    if not added:
        return view
    order = {key: rank for rank, key in enumerate(shape.keys if shape is not None else ())}
    last = len(order)
    names = list(view)
    for key in added:
        rank = order.get(key, last)
        at = next((i for i, k in enumerate(names) if order.get(k, last) > rank), len(names))
        names.insert(at, key)
    merged = {**view, **added}
    return {key: merged[key] for key in names}
