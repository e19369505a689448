"""What a command will show of the inventory (`Focus`), and the record files an inventory read
for it holds (`chosen_for`): ichinv.inventory.view.load reads only those, leaving out, unread,
the records the record cache's outlines show it will not show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_element_id, is_province_id
from ichinv.inventory import snapshots
from ichinv.inventory.fields import mappings, strings, value


@dataclass(frozen=True, slots=True)
class Focus:
    """What a command will show of the inventory: the elements practised in `provinces` (or
    in a unit one of them replaced), and the elements `elements` with those they refer to
    (`mentioned_elements`). Loading with a focus leaves out, unread, the records the record
    cache's outlines (ichinv.inventory.record_cache) show to be none of these: a record with a
    text id no other file holds and no entry in the private overlay. Every other record is
    read: one never parsed, one without an id or with one not in an id's form, two files with
    one id (the problems name them, as without a focus); and all of them when an element asked
    for is not among the outlines (the answer, an error with close ids, needs them)."""

    provinces: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    """Elements read when the working tree holds them (none missing makes every record read),
    and answered for by comparisons either way (`Inventory.compared`): a change packet's names
    the elements its base's versions refer to and those the change removed."""


FocusOf = Callable[[snapshots.WorkingTreeSnapshot], Focus]
"""What gives the focus of an inventory once the working tree is listed (ichinv.inventory.view
.load): a change packet's comes from the comparison with its base (ichinv.packets.change_base)."""


@dataclass(frozen=True, slots=True)
class Chosen:
    """What an inventory with a focus reads (`chosen_for`)."""

    paths: tuple[str, ...]
    """Every province's file and the element files chosen, in the order of the listing."""
    ids: frozenset[str]
    """The ids of the elements those files hold (each in an id's form): `Inventory.by_id`'s."""


def chosen_for(tree: snapshots.Snapshot, focus: Focus, private: Mapping[str, Any]) -> Chosen | None:
    """The record files of `tree` an inventory with `focus` holds (see Focus): every province,
    and the elements the outlines do not show to be outside the focus (None: all of them).
    Of the elements, only those the outlines do not know are read here."""
    places = tree.records(tree.paths(RecordKind.PROVINCE))
    where = provinces_of(places.values())
    paths = tree.paths(RecordKind.ELEMENT)
    outlines = tree.outlines(paths)
    unknown = tree.records(p for p in paths if p not in outlines)
    unknown_ids = {p: r.id for p, r in unknown.items() if isinstance(r, Record)}
    holders = Counter(eid for eid, __ in outlines.values())
    asked = set(focus.elements)
    owners = [path for path, (eid, __) in outlines.items() if eid in asked]
    held = {outlines[p][0] for p in owners} | {i for i in unknown_ids.values() if i in asked}
    if len(held) < len(asked):
        return None
    shown = asked | set(focus.also)
    owned = [*tree.records(owners).values(), *(unknown[p] for p in unknown_ids)]
    for rec in owned:
        if isinstance(rec, Record) and rec.id in asked:
            shown |= mentioned_elements(rec.data) | mentioned_elements(
                private.get(rec.id or "", {})
            )
    # The codes an element may list to be practised in a focus province: the province, and
    # every unit it replaced (Inventory.practised_in).
    codes = {*focus.provinces}
    codes.update(
        p for p in where if any(f == p or f in successors(where, p) for f in focus.provinces)
    )
    left = {
        path: eid
        for path, (eid, listed) in outlines.items()
        if eid is not None
        and is_element_id(eid)  # else a problem to name (Inventory.without_id): read it
        and holders[eid] == 1
        and eid not in private
        and eid not in shown
        and codes.isdisjoint(listed)
    }
    # A record the cache did not know may hold an id one left out holds too: read that one as
    # well, so that the problems name both files, as they would without a focus.
    left_by_id = {eid: path for path, eid in left.items()}
    doubled = {left_by_id[i] for i in unknown_ids.values() if i in left_by_id}
    read = {p for p in paths if p not in left} | doubled

    def id_of(path: str) -> str | None:
        if path not in unknown:
            return outlines[path][0]  # what Record.id of its record gives
        found = unknown[path]
        return found.id if isinstance(found, Record) else None

    return Chosen(
        tuple(p for p in tree.listed() if p in places or p in read),
        frozenset(i for i in map(id_of, read) if i is not None and is_element_id(i)),
    )


def provinces_of(items: Iterable[Record | Finding]) -> dict[str, Record]:
    """The province records of `items` (in the order of their files) by id, the first file
    of an id that two hold; a record whose id is not a province id's form is left out
    (`_malformed_provinces` names it): it may be anything, an e-mail address too."""
    found: dict[str, Record] = {}
    for item in items:
        if (
            isinstance(item, Record)
            and item.kind is RecordKind.PROVINCE
            and is_province_id(item.id)
            and item.id is not None
        ):
            found.setdefault(item.id, item)
    return found


def successors(provinces: Mapping[str, Record], province_id: str) -> set[str]:
    """Every unit that took over from `province_id` (of `provinces`, by id), directly or
    through later changes."""
    found: set[str] = set()
    todo = [province_id]
    while todo:
        rec = provinces.get(todo.pop())
        for successor in strings(rec.data.get("successors")) if rec is not None else []:
            if successor not in found:
                found.add(successor)
                todo.append(successor)
    return found


def mentioned_elements(data: Mapping[str, Any]) -> set[str]:
    """The ids of the elements a record (or a view of it) refers to: those it is related to,
    the one it was merged into."""
    found = {r["id"] for r in mappings(data.get("related")) if isinstance(r.get("id"), str)}
    merged_into = value(data, "status_change.merged_into")
    if isinstance(merged_into, str):
        found.add(merged_into)
    return found
