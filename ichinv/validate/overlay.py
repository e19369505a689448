"""Validation of the private overlay: its files, and the fields they may hold.

An overlay file must be a readable element record of an element that exists, holding only the
element's personal data and restricted parts; the merged record must still satisfy the element
schema and the record rules (their findings are located in the overlay file). An overlay inside
the repository must be git-ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import Access, is_element_id
from ichinv.inventory import record_files as records
from ichinv.inventory.ids import working_tree_ids
from ichinv.inventory.overlay import Overlay, leaves, not_ignored, problem, restricted_parts
from ichinv.inventory.overlay import load as load_overlay
from ichinv.inventory.plaindata import merge, plain
from ichinv.inventory.policy import Policy, policy_from
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.redaction import nameable, unquoted_findings
from ichinv.io.settings import Settings
from ichinv.schemas import explain
from ichinv.schemas.loader import Schema, SchemaSet
from ichinv.schemas.naming import field_name
from ichinv.validate import rules as record_rules
from ichinv.validate.locate import locate
from ichinv.validate.rules import cross as cross_rules


def check(
    settings: Settings,
    schemas: SchemaSet,
    day: dt.date,
    *,
    notes: RecordCache | None = None,
    files: Sequence[records.SourceFile] | None = None,
) -> list[Finding]:
    """Findings of the private overlay: unreadable files, files of no element, fields that are
    neither personal data nor restricted parts, and what the element schema, the record
    rules and the references to other elements say of the merged record (located in the
    overlay file). `notes`: the record cache, which spares a warm run reading the records that
    name neither restricted parts nor a merger (`_looked_at`); `files`: the record files, when
    the run has listed them."""
    findings = list(_ignored(settings))
    overlay = load_overlay(settings)
    if not overlay.available:
        return findings
    findings.extend(overlay.problems)
    schema = schemas[RecordKind.ELEMENT]
    policy = policy_from(schemas)
    elements = working_tree_ids(settings)  # the ids references kept in the overlay may name
    for element_id, private in sorted(overlay.entries.items()):
        shown = overlay.paths[element_id]
        path = settings.folder(RecordKind.ELEMENT) / f"{element_id}{records.SUFFIX}"
        parsed: Any = None
        raw: bytes | Finding = b""
        if path.is_file():
            raw = records.read(
                records.SourceFile(RecordKind.ELEMENT, str(path), shown), settings.max_file_size
            )
            if not isinstance(raw, Finding):
                parsed = records.parse(RecordKind.ELEMENT, shown, raw)
        if parsed is None:
            findings.append(
                problem(
                    shown,
                    _("{path} belongs to no element: elements/{id}.yaml does not exist").format(
                        path=shown, id=element_id
                    ),
                )
            )
            continue
        if isinstance(parsed, Finding):
            continue  # validate reports the record itself
        rec = parsed[0]
        allowed = record_rules.held_privately(rec.data, schema)
        whole = _wholly_restricted(rec.data)
        provided = list(leaves(private))
        own: list[Finding] = []
        for pointer in provided:
            named = field_name(nameable(pointer)) if nameable(pointer) else _("a top-level key")
            if pointers.at(rec.data, pointer) is not pointers.MISSING:
                own.append(
                    rule("privacy.overlay-field").finding(
                        shown,
                        _("{pointer} is both in the record and in the private overlay").format(
                            pointer=named
                        ),
                        pointer=pointer,
                        hint=_("keep it in one place: the overlay in a public repository"),
                    )
                )
            elif not whole and not any(pointers.within(pointer, a) for a in allowed):
                own.append(
                    rule("privacy.overlay-field").finding(
                        shown,
                        _(
                            "{pointer} is neither personal data nor a restricted part of "
                            "the element, so it should be in the record"
                        ).format(pointer=named),
                        pointer=pointer,
                        hint=_(
                            "move it back into the record, or list it in access.restricted_parts"
                        ),
                    )
                )
        merged = replace(rec, data=_merged(rec.data, private))
        judged = record_rules.check(record_rules.RecordContext(merged, schema, settings.root, day))
        inside = [
            f
            for f in [
                *(
                    Finding(
                        shown,
                        e.rule,
                        e.message,
                        e.severity,
                        e.pointer,
                        hint=e.hint,
                        at_key=e.at_key,
                        unquoted=e.unquoted,
                    )
                    for e in explain.check(schema, merged.data)
                ),
                *judged,
                *cross_rules.dangling(cross_rules.index_entry(merged), elements),
            ]
            if any(pointers.within(f.pointer, p) for p in provided)
        ]
        own.extend(
            unquoted_findings(
                (replace(f, path=shown, line=None, column=None) for f in inside),
                merged.data,
                policy=policy,
            )
        )
        # Located at the value itself, then named down to what a message may name.
        located = locate(own, overlay.raws[element_id])
        findings.extend(replace(f, pointer=nameable(f.pointer)) for f in located)
        if isinstance(raw, bytes):
            record = replace(rec, path=settings.relative(path))
            findings.extend(_record_merged(settings, schema, day, policy, record, raw, private))
    if files is None:
        files = records.discover(settings)[0]
    looked_at = _looked_at(settings, overlay, files, notes)
    findings.extend(_left_to_overlay(settings, schema, day, policy, overlay, looked_at))
    findings.extend(_mergers_unrecorded(settings, overlay, policy, looked_at))
    return findings


MARKS = "overlay-marks"
"""Key in the record cache of what `_looked_at` found of each blob: whether its bytes name
`restricted_parts` or `merged_into` (those of the working tree's records, kept as one whole)."""


def _looked_at(
    settings: Settings,
    overlay: Overlay,
    listed: Sequence[records.SourceFile],
    notes: RecordCache | None,
) -> list[tuple[records.SourceFile, bytes]]:
    """The element files the passes over the records look at, with their bytes: those whose
    bytes name `restricted_parts` (`_left_to_overlay`) or `merged_into`, and those with an
    overlay entry (`_mergers_unrecorded`). A file whose signature the record cache noted with
    a blob known to name neither is not read: a warm run reads those files only."""
    files = [f for f in listed if f.kind is RecordKind.ELEMENT]
    active = notes is not None and notes.active
    taken = {f.rel: records.signature(f.location) for f in files} if active else {}
    known: dict[str, str] = {}
    marks: dict[str, bool] = {}
    if notes is not None and active:
        known = notes.blob_notes.known_blobs({rel: sig[0] for rel, sig in taken.items() if sig})
        kept = notes.whole(MARKS)
        marks = kept if type(kept) is dict else {}
    now: dict[str, bool] = {}
    found: list[tuple[records.SourceFile, bytes]] = []
    for file in files:
        blob = known.get(file.rel)
        if blob is not None and marks.get(blob) is False and file.stem not in overlay.entries:
            now[blob] = False
            continue
        raw = records.read(file, settings.max_file_size)
        if isinstance(raw, Finding):
            continue  # validate reports the record itself
        named = b"restricted_parts" in raw or b"merged_into" in raw
        blob = records.blob_id(raw)
        now[blob] = named
        sig = taken.get(file.rel)
        if notes is not None and sig and sig[1]:
            notes.blob_notes.note_blob(file.rel, sig[0], blob)
        if named or file.stem in overlay.entries:
            found.append((file, raw))
    if notes is not None and active and now != marks:
        notes.put_whole(MARKS, now)
    return found


def files_of(settings: Settings, selected: Collection[str]) -> set[str]:
    """The overlay files, as reports show them, of the element records among `selected` (paths
    relative to the root): `validate PATH` reports what is found in them with the record (a
    field both in the record and in the overlay, the merged record's findings)."""
    if settings.private_overlay is None:
        return set()
    overlay = load_overlay(settings)
    folder = f"{RecordKind.ELEMENT.folder}/"
    names = {
        rel.removeprefix(folder)
        for rel in selected
        if rel.startswith(folder) and "/" not in rel[len(folder) :]
    }
    return {
        *(
            shown
            for element_id, shown in overlay.paths.items()
            if element_id + records.SUFFIX in names
        ),
        *(f.path for f in overlay.problems if f.path.rpartition("/")[2] in names),
    }


def _record_merged(
    settings: Settings,
    schema: Schema,
    day: dt.date,
    policy: Policy,
    record: Record,
    raw: bytes,
    private: Mapping[str, Any],
) -> list[Finding]:
    """What the record rules find of the record merged with its overlay entry `private` at
    places the entry does not provide (those are the overlay file's, see `check`) and did not
    find of the record alone (validate reports those): a field a rule needs that the record
    leaves to the overlay (RecordContext.kept_elsewhere) and the overlay does not hold either,
    or a field of the record judged against one the overlay keeps. Located in the record."""
    provided = list(leaves(private))
    alone = record_rules.RecordContext(
        record,
        schema,
        settings.root,
        day,
        public=settings.visibility == "public",
        elsewhere=settings.overlay_may_hold,
    )
    known = {(f.rule, f.pointer, f.message) for f in record_rules.check(alone)}
    merged = replace(record, data=_merged(record.data, private))
    judged = record_rules.check(record_rules.RecordContext(merged, schema, settings.root, day))
    new = unquoted_findings(
        (
            f
            for f in judged
            if (f.rule, f.pointer, f.message) not in known
            and not any(pointers.within(f.pointer, p) for p in provided)
        ),
        merged.data,
        policy=policy,
    )
    return locate(new, raw) if new else []


def _left_to_overlay(
    settings: Settings,
    schema: Schema,
    day: dt.date,
    policy: Policy,
    overlay: Overlay,
    looked_at: list[tuple[records.SourceFile, bytes]],
) -> list[Finding]:
    """`_record_merged` of the records that have no overlay file but list restricted parts
    they do not hold: the overlay holds nothing of them either."""
    found: list[Finding] = []
    for file, raw in looked_at:
        if file.stem in overlay.entries or b"restricted_parts" not in raw:
            continue
        record = _parsed(file.rel, raw)
        if record is not None and any(
            pointers.at(record.data, p) is pointers.MISSING
            for p in restricted_parts(record.data) or []
        ):
            found.extend(_record_merged(settings, schema, day, policy, record, raw, {}))
    return found


def _mergers_unrecorded(
    settings: Settings,
    overlay: Overlay,
    policy: Policy,
    looked_at: list[tuple[records.SourceFile, bytes]],
) -> list[Finding]:
    """`ref.merged-from` where the rules across records do not look: an element merged into
    one whose `related` the overlay keeps (cross_rules.kept_elsewhere), when the merged
    record of that one (record and overlay file) does not record it."""
    found: list[Finding] = []
    for file, raw in looked_at:
        if b"merged_into" not in raw and file.stem not in overlay.entries:
            continue  # a merger names the element it went into in its record or its overlay
        record = _parsed(file.rel, raw)
        merger = record.id if record is not None else None
        if record is None or merger is None or not is_element_id(merger):
            continue
        change = _merged(record.data, overlay.entries.get(merger, {})).get("status_change")
        into = change.get("merged_into") if isinstance(change, Mapping) else None
        if not isinstance(into, str) or not is_element_id(into) or into == merger:
            continue
        target = _record(settings, into)
        if target is None or target.data.get("status") != "active":
            continue  # the rules across records report it
        if not cross_rules.kept_elsewhere(cross_rules.index_entry(target, policy)):
            continue
        related = _merged(target.data, overlay.entries.get(into, {})).get("related")
        if not any(
            isinstance(item, Mapping)
            and item.get("id") == merger
            and item.get("relation") == "merged-from"
            for item in (related if isinstance(related, list) else [])
        ):
            found.append(
                cross_rules.merger_unrecorded(overlay.paths.get(into, target.path), merger)
            )
    return found


def _record(settings: Settings, element_id: str) -> Record | None:
    """The readable record `elements/<element_id>.yaml`, if there is one."""
    rel = f"{RecordKind.ELEMENT.folder}/{element_id}{records.SUFFIX}"
    file = records.SourceFile.inside(settings.root, RecordKind.ELEMENT, rel)
    raw = records.read(file, settings.max_file_size) if file.path.is_file() else None
    return _parsed(rel, raw) if isinstance(raw, bytes) else None


def _parsed(rel: str, raw: bytes) -> Record | None:
    parsed = records.parse(RecordKind.ELEMENT, rel, raw)
    return None if isinstance(parsed, Finding) else parsed[0]


def _merged(data: Mapping[str, Any], private: Mapping[str, Any]) -> dict[str, Any]:
    result = plain(data)
    merge(result, private)
    return result


def _wholly_restricted(data: Mapping[str, Any]) -> bool:
    access = data.get("access")
    return (
        isinstance(access, Mapping)
        and access.get("level") == Access.RESTRICTED
        and not access.get("restricted_parts")
    )


def _ignored(settings: Settings) -> Iterator[Finding]:
    """An overlay inside the repository must be one git ignores (git says so, not a reading of
    .gitignore: a later `!` line or a tracked file inside makes it committable)."""
    problem = not_ignored(settings)
    if problem is not None:
        yield rule("privacy.overlay-ignored").finding(
            ".gitignore", problem.message, line=None, hint=problem.hint
        )
