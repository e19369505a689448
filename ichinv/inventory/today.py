"""Today's record of an element: the working tree's, found by the id it holds.

What a public history (`ichinv log`) or a comparison of two revisions (`diff --against`)
withholds includes what the record restricts today, in the working tree. The record is found
as the working tree reads it: by the id inside whatever file holds it (renamed too), and when
something there that cannot be read may hold it (a broken file, a folder inside elements/:
ichinv.inventory.unreadable.held_ids), what it restricts today is not known, and the answer
is that thing's problem: the caller withholds everything but the identification. So it is
when more files than one hold the id (`id.unique`): which of them says what is restricted
cannot be told.
"""

from __future__ import annotations

from collections.abc import Iterable

from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_files as records_files
from ichinv.inventory import snapshots
from ichinv.inventory.malformed_ids import doubled_ids, used_first
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_files import SUFFIX
from ichinv.inventory.unreadable import LOOKED_AT, held_ids
from ichinv.io.settings import Settings


def todays_records(
    settings: Settings,
    ids: Iterable[str],
    *,
    tree: snapshots.WorkingTreeSnapshot | None = None,
    cache: RecordCache | None = None,
) -> dict[str, Record | Finding]:
    """Element id → its record in the working tree, or the problem of what there holds it but
    cannot be read, or of a second file holding it too (problems win: privacy fails closed);
    an id nothing there holds is left out. `tree`: the run's snapshot of the working tree,
    when it has read one (else one is read, with `cache`)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    if tree is None:
        named = _each_named(settings, wanted, cache)
        if named is not None:
            return named
        with snapshots.current(settings, cache=cache) as own:
            return _found(settings, own, wanted)
    return _found(settings, tree, wanted)


def _found(
    settings: Settings, tree: snapshots.WorkingTreeSnapshot, ids: list[str]
) -> dict[str, Record | Finding]:
    folder = RecordKind.ELEMENT.folder
    paths = tree.paths(RecordKind.ELEMENT)
    wanted = set(ids)
    named = {f"{folder}/{i}{SUFFIX}" for i in ids}
    # A file is read when its name is one of theirs or the id it holds is: as the record
    # cache outlined it when it was parsed, else as its `id:` line says (the only files read
    # to know); one whose id is not known (it does not parse) when its `id:` line names one
    # of them, as held_ids tells what an unreadable file holds. A warm run reads no other.
    outlined = tree.outlines(paths)
    facts = tree.facts([p for p in paths if p not in outlined])
    held_id = {p: outlined[p][0] if p in outlined else facts[p][0] for p in paths}
    looked = [p for p in paths if p in named or held_id[p] in wanted]
    looked += [
        p for p in paths if not held_id[p] and p not in named and _names(settings, p, wanted)
    ]
    read = tree.records(looked)
    holders = sorted(
        (
            (found.id, path)
            for path in read
            if isinstance(found := read[path], Record)
            and found.id is not None
            and found.id in wanted
        ),
        key=lambda held: used_first(*held),
    )
    records: dict[str, Record | Finding] = {}
    for element_id, path in holders:
        records.setdefault(element_id, read[path])
    broken = [f for f in read.values() if isinstance(f, Finding)]
    held = held_ids(settings, [*tree.problems, *broken])
    holding = {path: element_id for element_id, path in holders}
    for problem in doubled_ids(holders):
        held.setdefault(holding[problem.path], problem)
    answer: dict[str, Record | Finding] = {}
    for element_id in ids:
        if element_id in held:
            answer[element_id] = held[element_id]
        elif element_id in records:
            answer[element_id] = records[element_id]
    return answer


def _names(settings: Settings, rel: str, wanted: set[str]) -> bool:
    """Whether the `id:` line at the head of the file at `rel` names one of `wanted`."""
    raw = records_files.head(settings.root / rel, LOOKED_AT)
    return raw is not None and quick_id(raw) in wanted


def _each_named(
    settings: Settings, ids: list[str], cache: RecordCache | None
) -> dict[str, Record | Finding] | None:
    """The records of `ids` when each is in the file named for it and nothing unreadable may
    hold one of them, and no other file's `id:` line names one of them (what `_found` would
    say, without a snapshot of the whole working tree: for `log`, one file read whole and the
    head of each other); None when that is not so."""
    files, problems = records_files.discover(settings)
    listed = {f.rel: f for f in files}
    named = {i: f"{RecordKind.ELEMENT.folder}/{i}{SUFFIX}" for i in ids}
    found: dict[str, Record | Finding] = {}
    for element_id, rel in named.items():
        source = listed.get(rel)
        raw = records_files.read(source, settings.max_file_size) if source else None
        if not isinstance(raw, bytes):
            return None
        parsed = (
            cache.parse(RecordKind.ELEMENT, rel, raw)
            if cache is not None
            else records_files.parse(RecordKind.ELEMENT, rel, raw)
        )
        record = parsed[0] if isinstance(parsed, tuple) else parsed
        if not (isinstance(record, Record) and record.id == element_id):
            return None
        found[element_id] = record
    if any(i in found for i in held_ids(settings, problems)):
        return None
    for source in files:
        if source.kind is RecordKind.ELEMENT and source.rel not in named.values():
            raw = records_files.head(source.path, LOOKED_AT)
            if raw is None or quick_id(raw) in found:  # a second holder: `_found` tells
                return None
    return found
