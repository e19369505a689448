"""Compare two states of the inventory element by element and field by field.

The engine is pure: no git, no files. It takes record files by path with their blob ids
(`Side`), pairs files whose bytes did not change without reading them (`pair_by_blob`),
matches every other record by its `id` (never by file name), and describes each change with a
JSON pointer. The schema declares how list items are identified (`x-ichinv-key`), so reordering
a list is no change and an edited item is a change of that item; the provinces' `successors`
tell an administrative re-mapping (South Kazakhstan region → Turkistan region) from a
substantive change (field-level comparison: ichinv.diff.fields). ichinv.diff.compare feeds
the engine from git and the working tree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ichinv.core.i18n import _
from ichinv.core.model import Change, ElementDiff, ElementStatus, Finding, Record, RecordKind
from ichinv.core.vocabulary import Status
from ichinv.diff.fields import (
    DiffRules,
    classify,
    diff_records,
    rules_from,
)
from ichinv.inventory.fields import name_of
from ichinv.inventory.redaction import public_path

__all__ = [
    "DiffFilter",
    "DiffRules",
    "Pairing",
    "Side",
    "classify",
    "diff_data",
    "diff_records",
    "Compared",
    "diff_sides",
    "element_diff",
    "file_id",
    "pair_by_blob",
    "rules_from",
]


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def element_diff(
    element_id: str,
    old: Record | None,
    new: Record | None,
    rules: DiffRules,
    *,
    problems: Iterable[Finding] = (),
    changes: tuple[Change, ...] | None = None,
    status_only: bool = False,
) -> ElementDiff:
    """How one element changed from `old` to `new` (either may be None: added, removed).
    `changes`: the field changes from `old` to `new` when known already (a cache).
    `status_only`: its status without its changes (none are listed), found faster."""
    current = new or old
    if status_only:
        status = classify(old.data if old else None, new.data if new else None, None, rules)
        changes = ()
    else:
        if changes is None:
            changes = (
                diff_records(old.data, new.data, rules)
                if old is not None and new is not None
                else ()
            )
        status = classify(old.data if old else None, new.data if new else None, changes)
    return ElementDiff(
        id=element_id,
        status=status,
        path=current.path if current else "",
        changes=changes,
        old_path=old.path if old is not None and new is not None and old.path != new.path else None,
        problems=tuple(problems),
        name=name_of(current.data) if current else "",
        provinces=_strings(current.data.get("provinces")) if current else (),
        domains=_strings(current.data.get("domains")) if current else (),
        now=now_of(new.data if new is not None else None),
    )


def now_of(data: Mapping[str, Any] | None) -> str:
    """An element's status in a state (`absent` when the state has no record of it)."""
    if data is None:
        return "absent"
    status = data.get("status")
    return status if isinstance(status, str) and status in STATUSES else "unknown"


STATUSES = frozenset(s.value for s in Status)


# --- pairing files and matching records ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pairing:
    """Which files need reading: everything but the files whose bytes are the same on both sides."""

    unchanged: tuple[tuple[str, str], ...]
    """(baseline path, current path) of files with the same blob: same bytes, so same id and no
    change; no need to read them. Same path, or a file renamed without an edit."""
    base_only: tuple[str, ...]
    """Baseline paths to read and match by id."""
    current_only: tuple[str, ...]
    """Current paths to read and match by id."""


def pair_by_blob(base: Mapping[str, str], current: Mapping[str, str]) -> Pairing:
    """Pair the files of two states by blob id, without reading any of them."""
    unchanged = [(p, p) for p, blob in base.items() if blob and current.get(p) == blob]
    done = {p for p, __ in unchanged}
    rest_base = {p: b for p, b in base.items() if p not in done}
    rest_current = {p: b for p, b in current.items() if p not in done}
    by_blob_base: dict[str, list[str]] = defaultdict(list)
    by_blob_current: dict[str, list[str]] = defaultdict(list)
    for path, blob in rest_base.items():
        by_blob_base[blob].append(path)
    for path, blob in rest_current.items():
        by_blob_current[blob].append(path)
    for blob, paths in by_blob_base.items():
        others = by_blob_current.get(blob, [])
        if blob and len(paths) == 1 and len(others) == 1:
            unchanged.append((paths[0], others[0]))
            del rest_base[paths[0]], rest_current[others[0]]
    unchanged.sort(key=lambda pair: pair[1])
    return Pairing(tuple(unchanged), tuple(sorted(rest_base)), tuple(sorted(rest_current)))


@dataclass(frozen=True, slots=True)
class Side:
    """The element files of one state, as far as they were read."""

    blobs: Mapping[str, str]
    """Path → blob id of every element file (empty blob: the file could not be read)."""
    parsed: Mapping[str, Record | Finding]
    """Path → record (or the finding saying why it is not one), for the paths that were read.
    Must cover every path that `pair_by_blob` does not pair."""
    hints: Mapping[str, str | None] = field(default_factory=dict)
    """Path → the id as known without parsing, to name files whose bytes did not change."""
    prefetch: Callable[[Sequence[str]], None] | None = None
    """Reads these paths of `parsed` ahead, together (they are looked up next); None when
    `parsed` holds its records already."""
    release: Callable[[Iterable[str]], None] | None = None
    """Lets go of the records at these paths once compared (looked up again, they are read
    again): a diff of thousands of records holds a batch of them at a time."""

    def load(self, paths: Sequence[str]) -> None:
        if self.prefetch is not None and paths:
            self.prefetch(paths)

    def done(self, paths: Iterable[str]) -> None:
        if self.release is not None:
            self.release(paths)


BATCH = 500
"""Elements compared together: the records held in memory at a time (with a lazy Side)."""


class ChangeMemo(Protocol):
    """Field changes kept by the blob ids of the two versions (ichinv.diff.change_cache)."""

    def prefetch(self, pairs: Iterable[tuple[str, str]]) -> None: ...

    def get(self, old: str, new: str) -> tuple[Change, ...] | None: ...

    def put(self, old: str, new: str, changes: tuple[Change, ...]) -> None: ...


def file_id(path: str) -> str:
    """The id a record's file name gives (what names a file whose bytes were not read)."""
    return path.rpartition("/")[2].removesuffix(".yaml")


def _guess_id(path: str, hints: Mapping[str, str | None]) -> str:
    return hints.get(path) or file_id(path)


@dataclass(frozen=True, slots=True)
class Compared:
    """What `diff_sides` found: the elements whose status is known, and those it cannot tell."""

    elements: tuple[ElementDiff, ...]
    """Each element whose record on either side could be read (or is absent), by id."""
    unknown: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)
    """Id (as far as known: else what names the file) → why its status cannot be told: its
    record cannot be read, or two files hold its id. Such an element has no status: neither
    `added` nor `revised` nor `removed` would be true."""

    @property
    def problems(self) -> tuple[Finding, ...]:
        """The findings of `unknown`, each once, sorted."""
        return tuple(
            sorted(
                dict.fromkeys(f for fs in self.unknown.values() for f in fs), key=Finding.sort_key
            )
        )


def diff_sides(
    base: Side,
    current: Side,
    rules: DiffRules,
    pairing: Pairing | None = None,
    memo: ChangeMemo | None = None,
    *,
    status_only: bool = False,
) -> Compared:
    """Compare two states of the element files: the engine's main entry point.

    `pairing` is `pair_by_blob(base.blobs, current.blobs)` when the caller has it already;
    `memo` answers for pairs of versions compared before. `status_only`: each element's
    status and state now, without its changes (see `element_diff`).
    An element is given no status (it is in `Compared.unknown`) when a file that may hold it
    cannot be read on the current side, when its baseline record cannot be read and it is
    still there, or when two files of one side hold its id: which record is the element
    cannot be told. One whose baseline record cannot be read and that no file holds now is
    `removed`, with the problem."""
    if pairing is None:
        pairing = pair_by_blob(base.blobs, current.blobs)
    found: dict[str, ElementDiff] = {}
    unknown: dict[str, list[Finding]] = defaultdict(list)
    # The files holding each id, on each side: two files of one side with one id leave its
    # status unknown.
    holders_old: dict[str, list[str]] = defaultdict(list)
    holders_new: dict[str, list[str]] = defaultdict(list)

    unchanged = pairing.unchanged
    for start in range(0, len(unchanged), BATCH):  # the few read (ichinv.diff.compare) in batches
        pairs = unchanged[start : start + BATCH]
        current.load([c for __, c in pairs if c in current.parsed])
        for base_path, current_path in pairs:
            described = current.parsed.get(current_path)
            if isinstance(described, Record) and described.id:
                diff = element_diff(
                    described.id, replace(described, path=base_path), described, rules
                )
            else:
                eid = (
                    current.hints.get(current_path)
                    or base.hints.get(base_path)
                    or _guess_id(current_path, {})
                )
                diff = ElementDiff(
                    eid,
                    ElementStatus.UNCHANGED,
                    current_path,
                    old_path=base_path if base_path != current_path else None,
                )
            found.setdefault(diff.id, diff)
            holders_old[diff.id].append(base_path)
            holders_new[diff.id].append(current_path)
        current.done(c for __, c in pairs)

    old_records, old_bad = _split(pairing.base_only, base)
    new_records, new_bad = _split(pairing.current_only, current)
    for records, holders in ((old_records, holders_old), (new_records, holders_new)):
        for eid, paths in records.items():
            holders[eid].extend(paths)

    # Unreadable files. One of the current side leaves its element without a status: the
    # element at the same path in the baseline, and the one the file names (its `id:` line,
    # else its file name). One of the baseline only names its element so: `revised` (with the
    # problem) when a record holds it now, else `removed`.
    for path in sorted(set(old_bad) | set(new_bad)):
        problems = tuple(f for f in (old_bad.get(path), new_bad.get(path)) if f is not None)
        if path in new_bad:
            looked_up = base.parsed.get(path) if path in base.blobs else None
            counterpart = looked_up.id if isinstance(looked_up, Record) else None
            for held in dict.fromkeys((counterpart, _guess_id(path, current.hints))):
                if held:
                    unknown[held].extend(problems)
            continue
        looked_up = current.parsed.get(path) if path in current.blobs else None
        eid = (
            looked_up.id
            if isinstance(looked_up, Record) and looked_up.id
            else _guess_id(path, base.hints)
        )
        holders_old[eid].append(path)
        now = (
            looked_up
            if isinstance(looked_up, Record) and looked_up.id == eid
            else current.parsed[new_records[eid][0]]
            if new_records.get(eid)
            else None
        )
        if eid in found or holders_new.get(eid) and not isinstance(now, Record):
            continue  # two baseline files hold it (or a current one never read): see below
        if isinstance(now, Record):
            found[eid] = ElementDiff(
                eid,
                ElementStatus.REVISED,
                now.path,
                old_path=path if path != now.path else None,
                problems=problems,
                name=name_of(now.data),
                provinces=_strings(now.data.get("provinces")),
                domains=_strings(now.data.get("domains")),
                now=now_of(now.data),
            )
        else:
            found[eid] = ElementDiff(
                eid, ElementStatus.REMOVED, path, problems=problems, now="absent"
            )

    for holders, where in (
        (holders_old, _("the baseline")),
        (holders_new, _("the current inventory")),
    ):
        for eid, paths in holders.items():
            if len(paths) > 1:
                unknown[eid].extend(_duplicates(eid, sorted(paths), where))

    ids = sorted(
        eid
        for eid in set(old_records) | set(new_records)
        if eid not in unknown and eid not in found
    )
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        firsts_old = [old_records[e][0] for e in batch if old_records.get(e)]
        firsts_new = [new_records[e][0] for e in batch if new_records.get(e)]
        base.load(firsts_old)
        current.load(firsts_new)
        if memo is not None:
            versions = [
                (base.parsed[old_records[eid][0]], current.parsed[new_records[eid][0]])
                for eid in batch
                if old_records.get(eid) and new_records.get(eid)
            ]
            memo.prefetch(
                (o.blob, n.blob)
                for o, n in versions
                if isinstance(o, Record) and isinstance(n, Record)
            )
        for eid in batch:
            olds, news = old_records.get(eid, []), new_records.get(eid, [])
            old = base.parsed[olds[0]] if olds else None
            new = current.parsed[news[0]] if news else None
            known = (
                memo.get(old.blob, new.blob)
                if memo is not None and isinstance(old, Record) and isinstance(new, Record)
                else None
            )
            diff = element_diff(
                eid,
                old if isinstance(old, Record) else None,
                new if isinstance(new, Record) else None,
                rules,
                changes=known,
                status_only=status_only and known is None,
            )
            if memo is not None and known is None and not status_only:
                if isinstance(old, Record) and isinstance(new, Record):
                    memo.put(old.blob, new.blob, diff.changes)
            found[eid] = diff
        base.done(firsts_old)
        current.done(firsts_new)

    return Compared(
        tuple(found[eid] for eid in sorted(found) if eid not in unknown),
        {eid: tuple(dict.fromkeys(fs)) for eid, fs in sorted(unknown.items())},
    )


def _split(paths: Sequence[str], side: Side) -> tuple[dict[str, list[str]], dict[str, Finding]]:
    """The paths of the records of each id, in order, and the files that are no record with
    an id: read a batch at a time."""
    records: dict[str, list[str]] = defaultdict(list)
    bad: dict[str, Finding] = {}
    parsed = side.parsed
    for start in range(0, len(paths), BATCH):
        batch = paths[start : start + BATCH]
        side.load(batch)
        for path in batch:
            if path not in parsed:
                raise ValueError(
                    f"{path} was not read; diff_sides needs every unpaired file parsed"
                )
            item = parsed[path]
            if isinstance(item, Finding):
                bad[path] = item
            elif item.id is None:
                bad[path] = Finding(
                    path,
                    "diff.no-id",
                    _(
                        "{path} has no text `id`, so it cannot be matched with the other side"
                    ).format(path=path),
                    line=1,
                    column=1,
                    hint=_("add `id: KZ-YYYY-NNNN` (the file name without .yaml)"),
                )
            else:
                records[item.id].append(path)
        side.done(batch)
    return records, bad


def _duplicates(eid: str, paths: list[str], where: str) -> list[Finding]:
    """One finding on each file of one side that holds `eid`, when more than one does. The
    files are named in its words as public output may name them (`public_path`): each is the
    path of a finding of its own, and no reading of the words can tell where a name ends
    (`elements/KZ-2013-0004.yaml Aigul Kenzhebayeva.yaml` is one file)."""
    named = ", ".join(public_path(path) for path in paths)
    return [
        Finding(
            path,
            "id.unique",
            _(
                "{where} has the element {id} in {count} files ({paths}); which one is the "
                "element cannot be told, so the diff gives it no status"
            ).format(where=where, id=eid, count=len(paths), paths=named),
            hint=_("each element is one file; run `ichinv validate`"),
        )
        for path in paths
    ]


def diff_data(
    base: Mapping[str, Mapping[str, Any]],
    current: Mapping[str, Mapping[str, Any]],
    rules: DiffRules,
) -> tuple[ElementDiff, ...]:
    """Compare two inventories given as id → record data (no files, no blob ids)."""

    def side(records: Mapping[str, Mapping[str, Any]]) -> Side:
        parsed: dict[str, Record | Finding] = {
            f"elements/{eid}.yaml": Record(RecordKind.ELEMENT, f"elements/{eid}.yaml", data)
            for eid, data in records.items()
        }
        return Side(blobs=dict.fromkeys(parsed, ""), parsed=parsed)

    return diff_sides(side(base), side(current), rules).elements


# --- selecting -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffFilter:
    """Which elements to report; an empty tuple does not filter."""

    elements: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    """Elements in these provinces, or in units they became or came from."""
    domains: tuple[str, ...] = ()
    statuses: tuple[ElementStatus, ...] = ()

    @property
    def needs_data(self) -> bool:
        """True when unchanged records must be read to apply the filter."""
        return bool(self.provinces or self.domains)

    def wants(self, element_id: str) -> bool:
        """Whether the element filter (if any) keeps the element `element_id`."""
        return not self.elements or element_id in self.elements

    def keeps(self, element: ElementDiff, rules: DiffRules) -> bool:
        if not self.wants(element.id):
            return False
        if self.statuses and element.status not in self.statuses:
            return False
        if self.domains and not set(self.domains) & set(element.domains):
            return False
        return not self.provinces or any(
            p == q or rules.related(p, q) for p in self.provinces for q in element.provinces
        )
