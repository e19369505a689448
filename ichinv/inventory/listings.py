"""Which entries of an element's `access.restricted_parts` a public view prints.

An entry is text an editor wrote: one that names a part through a key the schema does not
name, or a place the schema has no word for, may hold anything (a contact written where a
field name should be: `/contacts/someone@example.org`). Printed are only those made of the
schema's keys and of the indices of items the record has (`_named_path`), and those naming no
part of the record in the schema's words (`/locations` where the record has none; see
`printed_listing`). ichinv.inventory.audience withholds the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ichinv.core import pointers
from ichinv.core.contacts import may_be_contact
from ichinv.core.vocabulary import reads_as_key
from ichinv.schemas.shape import ANYTHING, Shape


def unprinted_listings(data: Mapping[str, Any], shape: Shape | None) -> list[int]:
    """The indices of the entries of `access.restricted_parts` of the element `data` that a
    public view does not print (`shape`: the element schema's)."""
    access = data.get("access")
    listed = access.get("restricted_parts") if isinstance(access, Mapping) else None
    if not isinstance(listed, list):
        return []
    return [index for index, entry in enumerate(listed) if not printed_listing(data, entry, shape)]


def printed_listing(data: Mapping[str, Any], entry: Any, shape: Shape | None) -> bool:
    """Whether a public view of the element `data` prints `entry`, an entry of its
    `access.restricted_parts` (`shape`: the element schema's): it names parts of the record
    through keys the schema names; or, naming none, it is spelt in the schema's words only, as
    a pointer whose keys the schema names (a pattern's only where they read as names, never
    through an open mapping) and whose list indices make no contact (`/locations/12`, never `/contacts/87001234567`). Such an
    entry says where a field would be, never what: a message may quote it."""
    if _names_schema_parts(data, entry, shape):
        return True
    if type(entry) is not str or shape is None or may_be_contact(entry):
        return False
    try:
        parts = pointers.split(entry)
    except ValueError:
        return False
    sub: Shape | None = shape
    for part in parts:
        if sub is None:
            return False
        if sub.sequence and (part == "*" or pointers.is_index(part)):
            sub = sub.items
            continue
        named = part in sub.keys or any(p.search(part) for p, __ in sub.patterns)
        sub = sub.child(part) if sub.mapping and named else None
        if sub is None:
            return False
    return bool(parts)


def _names_schema_parts(data: Mapping[str, Any], entry: Any, shape: Shape | None) -> bool:
    """Whether `entry` is a pointer naming at least one part of `data`, each through keys the
    schema names (`*` stands for what it matches)."""
    if type(entry) is not str:
        return False
    try:
        found = [where for where, __ in pointers.matches(data, entry)]
    except (ValueError, IndexError):
        return False
    return bool(found) and all(_named_path(data, where, shape) for where in found)


def _named_path(data: Any, where: str, shape: Shape | None) -> bool:
    """Whether the part of `data` at `where` (which exists) is reached through keys `shape`
    allows (ichinv.schemas.shape.Shape.child), and items of lists: not through a key only an
    open mapping or a pattern allows, which may be any text. Without a shape (no schema could be
    read), through keys written as a schema's are (`reads_as_key`)."""
    node, sub = data, shape
    for part in pointers.split(where):
        if isinstance(node, list):
            if sub is not None and not sub.sequence:
                return False
            node, sub = node[int(part)], (sub.items or ANYTHING) if sub is not None else None
        elif isinstance(node, Mapping):
            if sub is None:
                named: Shape | None = ANYTHING if reads_as_key(part) else None
            else:  # as a public view allows keys (a pattern's only if they read as names)
                named = sub.child(part)
            if named is None:
                return False
            node, sub = node[part], (named if sub is not None else None)
        else:
            return False
    return True
