"""What an import changes inside a list cell, told as the editor will write it: entries paired
as ichinv.io.editor pairs them (by value, by the schema's key, else by most fields), and every
place named as the list will be after the import, with where the entry was when it moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind
from ichinv.diff import fields as field_diff
from ichinv.io import editor as yamlio


@dataclass(frozen=True, slots=True)
class InnerChange:
    """One change inside a list or mapping value."""

    change: Change
    """Its pointer names the field as it will be after the import; an entry removed, which
    has no place after it, by its place before."""
    was: str = ""
    """The field's pointer before the import, when its entry moves (empty otherwise); for an
    entry removed while others move, its own pointer (its place is one before the import)."""


def inner_changes(
    path: Sequence[str], old: Any, new: Any, rules: field_diff.DiffRules
) -> tuple[tuple[InnerChange, ...], bool]:
    """The changes from `old` to `new`, two lists or two mappings, the values of the field at
    `path`; and whether the entries kept (edited or not) come in another order."""
    if not (isinstance(old, list) and isinstance(new, list)) or not any(
        isinstance(value, Mapping) for value in [*old, *new]
    ):  # a mapping, a list of single values: as `ichinv diff` compares them
        return tuple(InnerChange(c) for c in field_diff.diff_value(path, old, new, rules)), False
    kept, edited = yamlio.pair_items(old, new, lambda: rules.key_of(tuple(path)) or ())
    was = [kept[n] if kept[n] is not None else edited.get(n) for n in range(len(new))]
    paired = [index for index in was if index is not None]
    moves = any(index not in (None, n) for n, index in enumerate(was))
    found: list[InnerChange] = []
    for n, index in enumerate(was):
        here = pointers.join([*path, n])
        if index is None:
            found.append(InnerChange(Change(here, ChangeKind.ADDED, new=new[n])))
        elif n in edited:
            there = pointers.join([*path, index]) if index != n else ""
            for change in field_diff.diff_value([*path, str(n)], old[index], new[n], rules):
                below = change.pointer[len(here) :]
                found.append(InnerChange(change, there + below if there else ""))
    for index in sorted(set(range(len(old))) - set(paired)):
        there = pointers.join([*path, index])
        removed = Change(there, ChangeKind.REMOVED, old=old[index])
        found.append(InnerChange(removed, there if moves else ""))
    return tuple(found), paired != sorted(paired)
