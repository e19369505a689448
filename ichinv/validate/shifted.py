"""`validate --new-since REV`: an item of a list that a record restricted by its position at
REV, published now because the list's items moved (rule `access.shifted`).

`access.restricted_parts` names an item of a list by its position (`/provenance/sources/1`).
Insert an item above it, delete or reorder the ones before it, and the entry names another
item while the one it withheld stands at a position nothing restricts: every public output
shows it, and a check of the working tree alone cannot tell (each version is consistent in
itself). So each element record that changed since REV and restricted an item by its position
there is followed into the working tree (by its id), the item found where the diff finds it
(by the list's key fields, ichinv.inventory.positions), and where it stands at a position the
working tree's record does not withhold while the record is still restricted, that is an
error. An item whose key fields changed, which the diff cannot tell is the same, is followed
to the one new item of its list like it (`_like`). An item that is gone, one that stays where
it was, and one whose entry the editor took out of the list
without naming another item of its list (a restriction lifted, which the reviewer sees in the
diff) give none.

Both sides are the record files as committed and as on disk: a commit holds no private
overlay, and a part kept there is absent from the record (nothing to follow, nothing to
publish); the overlay is never read, and a finding names places only, never what an item
holds. A record unchanged since REV, or whose working-tree version lists no
`restricted_parts` (a public record, or one withholding all but its identification), is not
parsed here, nor read at REV; what the record cache holds of this run's parsing is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from ichinv.inventory import record_files as records
from ichinv.inventory.audience import WHOLE_RECORD, Restriction, Why, restriction, withheld_parts
from ichinv.inventory.list_items import ListRules
from ichinv.inventory.positions import Locator
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.redaction import nameable
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import GitRepo, TooLarge
from ichinv.io.git_types import TreeEntry
from ichinv.validate.locate import locate

RULE = "access.shifted"

LISTED = b"restricted_parts"
"""What the bytes of a record that lists restricted parts hold (the others are not parsed)."""

NOT_BY_RESTRICTION = frozenset({Why.PERSONAL, Why.UNKNOWN})
"""Withheld parts that do not stand for a restriction: personal data is withheld wherever it
stands, a part out of the schema's shape only until it is fixed."""


def shifted(
    repo: GitRepo,
    rev: str,
    entries_then: Iterable[TreeEntry],
    tree: WorkingTreeSnapshot,
    rules: ListRules,
    max_size: int,
    notes: RecordCache | None = None,
) -> list[Finding]:
    """A finding for each item that an element record restricted by its position at `rev`
    (whose record files are `entries_then`) and that stands unrestricted at another position in
    the working tree `tree` (list items matched by `rules`; `max_size`: the largest record file
    read; `notes`: the record cache, which knows what this run parsed).

    Only a record changed since `rev` whose working-tree version lists `restricted_parts` can
    have an item it restricted published (a record listing none is public, or withholds all but
    its identification): only such records are parsed, and their versions at `rev`."""
    then = {e.path: e.blob for e in entries_then if e.kind is RecordKind.ELEMENT and not e.symlink}
    now = tree.blobs(RecordKind.ELEMENT)
    before, after = set(then.values()), set(now.values())
    gone = {path: blob for path, blob in then.items() if blob not in after}
    changed = {path: blob for path, blob in now.items() if blob not in before}
    if not gone or not changed:
        return []
    listing = _listing(changed, notes, tree.raw)
    if not listing:
        return []
    ids_now = {path: facts[0] for path, facts in tree.facts(listing).items() if facts[0]}
    contents: dict[str, bytes | TooLarge] = {}

    def read(blobs: Iterable[str]) -> Mapping[str, bytes | TooLarge]:
        """The bytes of blobs of the revision, each read once."""
        wanted = set(blobs) - contents.keys()
        contents.update(repo.read_blobs(wanted, max_size=max_size) if wanted else {})
        return contents

    paired = _paired(ids_now, gone, notes, read)
    old_data = _data({gone[path] for path in paired.values()}, notes, read)
    where = Locator(rules)
    found: list[Finding] = []
    for path_now, path_then in sorted(paired.items()):
        data = old_data.get(gone[path_then])
        by_position = positional(data) if data is not None else []
        current = tree.record(path_now) if by_position else None
        if data is None or not isinstance(current, Record):
            continue  # nothing restricted by position then, or unreadable now (its own finding)
        moved = list(_moved(data, by_position, current.data, where))
        if moved:
            found += _findings(ids_now[path_now], current, moved, rev, tree)
    return found


def _listing(
    blobs: Mapping[str, str],
    notes: RecordCache | None,
    read: Callable[[Iterable[str]], Mapping[str, bytes | Finding]],
) -> list[str]:
    """The paths of `blobs` (path → blob id) whose records list `restricted_parts`: told by
    the data the record cache holds, else by the bytes (`read`)."""
    known = notes.data(blobs.values()) if notes is not None else {}
    found = [path for path, blob in blobs.items() if blob in known and _listed(known[blob])]
    rest = [path for path, blob in blobs.items() if blob not in known]
    found += [p for p, raw in read(rest).items() if isinstance(raw, bytes) and LISTED in raw]
    return sorted(found)


ReadBlobs = Callable[[Iterable[str]], Mapping[str, bytes | TooLarge]]
"""The bytes of blobs of the revision, by blob id."""


def _paired(
    ids_now: Mapping[str, str],
    gone: Mapping[str, str],
    notes: RecordCache | None,
    read: ReadBlobs,
) -> dict[str, str]:
    """Working-tree path → the path at the revision of the same element (by id), among the
    files `gone` (path → blob id) at the revision: its own path first; every file's `id:` line
    is looked at only when one was renamed."""
    same = {path: gone[path] for path in ids_now if path in gone}
    ids_then = _ids(same, notes, read)
    if any(ids_then.get(path) != element_id for path, element_id in ids_now.items()):
        ids_then |= _ids({p: b for p, b in gone.items() if p not in same}, notes, read)
    paired: dict[str, str] = {}
    for path, element_id in ids_now.items():
        holding = [then for then, i in ids_then.items() if i == element_id]
        if holding:
            paired[path] = path if path in holding else holding[0]
    return paired


def _ids(blobs: Mapping[str, str], notes: RecordCache | None, read: ReadBlobs) -> dict[str, str]:
    """Path → element id of record files at the revision (`blobs`: path → blob id): what the
    record cache noted of their `id:` lines, else read from their bytes."""
    known = notes.facts(blobs.values()) if notes is not None else {}
    found = {path: known[blob][0] for path, blob in blobs.items() if blob in known}
    rest = {path: blob for path, blob in blobs.items() if blob not in known}
    contents = read(rest.values()) if rest else {}
    for path, blob in rest.items():
        raw = contents.get(blob)
        found[path] = quick_id(raw) if isinstance(raw, bytes) else None
    return {path: element_id for path, element_id in found.items() if element_id}


def _data(
    blobs: set[str], notes: RecordCache | None, read: ReadBlobs
) -> dict[str, Mapping[str, Any]]:
    """The parsed data of the records at the revision whose bytes have these blob ids: from
    the record cache (which holds what this run parsed), else read and parsed when their bytes
    list `restricted_parts`."""
    found: dict[str, Mapping[str, Any]] = dict(notes.data(blobs)) if notes is not None else {}
    rest = [blob for blob in blobs if blob not in found]
    contents = read(rest) if rest else {}
    for blob in rest:
        raw = contents.get(blob)
        if isinstance(raw, bytes) and LISTED in raw:
            parsed = records.parse(RecordKind.ELEMENT, blob, raw)
            if not isinstance(parsed, Finding):
                found[blob] = parsed[0].data
    return found


def positional(data: Mapping[str, Any]) -> list[str]:
    """The entries of the record's `access.restricted_parts` that name something it holds
    through an item of a list named by its position (`/provenance/sources/1`,
    `/locations/0/coordinates`); a part absent from the record (kept in the private overlay, a
    typo) and `*` name no position."""
    access = data.get("access")
    listed = access.get("restricted_parts") if isinstance(access, Mapping) else None
    if not isinstance(listed, list):
        return []
    found: list[str] = []
    for entry in listed:
        if not isinstance(entry, str) or not entry.startswith("/") or entry in found:
            continue
        node: Any = data
        through = False
        for part in pointers.split(entry):
            if isinstance(node, list) and pointers.is_index(part) and int(part) < len(node):
                node, through = node[int(part)], True
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                node = pointers.MISSING
                break
        if through and node is not pointers.MISSING:
            found.append(entry)
    return found


def _moved(
    old: Mapping[str, Any],
    entries: Sequence[str],
    new: Mapping[str, Any],
    where: Locator,
) -> Iterator[tuple[str, str, int]]:
    """(entry, where its item stands in `new`, the index in `new`'s restricted_parts of the
    entry to correct) for each entry of `old` whose item moved in `new` and is not withheld
    there, while `new` is still restricted (a record made public is the editor's decision)."""
    if restriction(new) is Restriction.NONE:
        return
    withheld = [
        p.pointer for p in withheld_parts(new, contacts=False) if p.why not in NOT_BY_RESTRICTION
    ]
    listed_then = set(entries) | set(_listed(old))
    listed_now = _listed(new)
    for entry in entries:
        place = where(old, entry, new)
        if "*" in pointers.split(place):
            # Gone, or its key fields changed (the diff cannot tell it is the same): followed
            # to the one new item like it, if there is one (fails closed).
            place = _followed(old, entry, new) or entry
        if place == entry:
            continue  # where it was, or gone
        if pointers.at(new, place) is pointers.MISSING or _withheld(place, withheld):
            continue
        if entry in listed_now:
            yield entry, place, listed_now.index(entry)
            continue
        # The entry is gone: the restriction was lifted, unless the editor named another item
        # of the item's list instead (a position counted wrong).
        inside = _list_of(entry, place)
        instead = [
            index
            for index, other in enumerate(listed_now)
            if other not in listed_then and pointers.within(other, inside)
        ]
        if instead:
            yield entry, place, instead[0]


def _followed(old: Mapping[str, Any], entry: str, new: Mapping[str, Any]) -> str | None:
    """Where in `new` stands the item of a list that `entry` names by its position in `old`,
    when the diff cannot find it because its key fields changed (a source's `url` given a
    slash at its end): the one item of the same list in `new` that `old` did not hold and that
    is like it (`_like`: most of its fields unchanged). None when there is none, or more."""
    item = _item(entry, old)
    if item is None:
        return None
    within, __, __ = item.rpartition("/")
    then, now = pointers.at(old, within), pointers.at(new, within)
    if not isinstance(then, list) or not isinstance(now, list):
        return None
    was = pointers.at(old, item)
    like = [index for index, other in enumerate(now) if other not in then and _like(was, other)]
    if len(like) != 1:
        return None
    return f"{within}/{like[0]}{entry[len(item) :]}"


def _item(entry: str, data: Mapping[str, Any]) -> str | None:
    """The pointer of the first list item `entry` passes through in `data`."""
    node: Any = data
    parts = pointers.split(entry)
    for depth, part in enumerate(parts):
        if isinstance(node, list) and pointers.is_index(part) and int(part) < len(node):
            return pointers.join(parts[: depth + 1])
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return None


def _like(one: Any, other: Any) -> bool:
    """Whether `other` is the item `one` with some fields changed: mappings that agree on more
    than half of the fields either has."""
    if not isinstance(one, Mapping) or not isinstance(other, Mapping):
        return False
    fields = set(one) | set(other)
    agree = sum(1 for key in fields if key in one and key in other and one[key] == other[key])
    return agree * 2 > len(fields)


def _listed(data: Mapping[str, Any]) -> list[str]:
    access = data.get("access")
    listed = access.get("restricted_parts") if isinstance(access, Mapping) else None
    return [p if isinstance(p, str) else "" for p in listed] if isinstance(listed, list) else []


def _withheld(place: str, withheld: Iterable[str]) -> bool:
    """Whether the public view withholds all of `place` (inside a withheld part, or everything
    but the identification withheld and `place` not in it)."""
    for part in withheld:
        if part == WHOLE_RECORD:
            if pointers.split(place)[0] not in PUBLIC_IDENTIFICATION:
                return True
        elif pointers.within(place, part):
            return True
    return False


def _list_of(entry: str, place: str) -> str:
    """The pointer (into the newer version, `place`'s) of the outermost list in which the item
    named by `entry` moved: `/provenance/sources` for `/provenance/sources/1` at
    `/provenance/sources/2`."""
    old, new = pointers.split(entry), pointers.split(place)
    moved = next(index for index, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    return pointers.join(new[:moved])


def _findings(
    element_id: str,
    current: Record,
    moved: Sequence[tuple[str, str, int]],
    rev: str,
    tree: WorkingTreeSnapshot,
) -> list[Finding]:
    """The findings of the record `current` of `element_id`, placed at the entries of
    its restricted_parts to correct. Places are named as pointers, never what they hold: an
    entry that is no field name (`nameable`) is not followed (the public view withholds what a
    key the schema does not know holds)."""
    found = [
        rule(RULE).finding(
            current.path,
            _(
                "{element_id}: the item of {list} that access.restricted_parts withheld at "
                "{rev} by its position ({old}) has moved to {new}, which access.restricted_parts "
                "does not withhold now: public output shows it"
            ).format(
                element_id=element_id, list=_list_of(entry, place), rev=rev, old=entry, new=place
            ),
            pointer=f"/access/restricted_parts/{index}",
            hint=_(
                "write the new position in access.restricted_parts ({new}), or keep the item "
                "where it was"
            ).format(new=place),
        )
        for entry, place, index in moved
        if nameable(entry) == entry and nameable(place) == place
    ]
    raw = tree.read(current.path) if found else None
    return locate(found, raw) if isinstance(raw, bytes) else found
