"""The verdict on one record file from its bytes alone: YAML, schema, record rules, located.

What `check_file` returns depends on the file's bytes, the schemas, the day and the settings,
and on the paths the record rules looked up (`FileCheck.depends`): the result cache keeps it by
the file's git blob id.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core import dates, pointers, trace
from ichinv.core.i18n import _
from ichinv.core.model import Finding, NoContact, Record, RecordKind, Suppression
from ichinv.inventory import record_files as records
from ichinv.inventory.policy import Policy, policy_from
from ichinv.inventory.record_entries import (
    Facts,
    Outline,
    encode,
    encode_outline,
    facts_of,
    outline_of,
)
from ichinv.inventory.redaction import unquoted_findings, withheld_texts
from ichinv.schemas import explain
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import rules as record
from ichinv.validate.locate import locate
from ichinv.validate.rules import cross as inventory
from ichinv.validate.rules.comments import check_comments
from ichinv.validate.suppressions import SEE_RECORD


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The verdict on one file, from its bytes alone."""

    findings: tuple[Finding, ...]
    """Findings of the file itself (YAML, schema, record rules), located."""
    entry: inventory.IndexEntry | None
    """Facts for the cross-record rules; None when the file is not a readable record."""
    suppressions: tuple[Suppression, ...] = ()
    """Suppressions declared in the record."""
    depends: tuple[str, ...] = ()
    """Absolute paths the record rules looked up: the verdict also depends on whether they
    exist and where they lead, so a cache must look at them again before reusing it."""
    no_contact: NoContact | None = field(default=None, compare=False)
    """The search rule text.contact made (or found made) when it found no contact in the
    record's texts, for the record cache (`check_and_keep`); not part of the verdict, nor kept
    with it."""


def check_file(
    kind: RecordKind,
    rel: str,
    raw: bytes,
    schemas: SchemaSet,
    root: Path,
    day: dt.date,
    *,
    public: bool = False,
    elsewhere: bool = False,
    parsed: Record | Finding | None = None,
) -> FileCheck:
    """Judge one record file: YAML, schema, record rules; locate what is found.

    `public`: the repository is public, so personal data and restricted parts must be kept in
    the private overlay, and are not missing from the record when absent (rule privacy.*).
    `elsewhere`: records may leave them to the private overlay (Settings.overlay_may_hold), so
    they are not missing from the record when absent, but may be in it.
    `parsed`: what this run already made of `raw` (the record, or why it is none)."""
    trace.count("check", records.blob_id(raw) if trace.enabled() else "")
    parsed_now = (
        (parsed, None)
        if isinstance(parsed, Record)
        else parsed
        if parsed is not None
        else records.parse(kind, rel, raw)
    )
    if isinstance(parsed_now, Finding):
        return FileCheck((parsed_now,), None)
    rec = parsed_now[0]
    schema = schemas[kind]
    errors = explain.check(schema, rec.data)
    findings = [
        Finding(
            path=rel,
            rule=error.rule,
            message=error.message,
            severity=error.severity,
            pointer=error.pointer,
            hint=error.hint,
            at_key=error.at_key,
            unquoted=error.unquoted,
        )
        for error in errors
    ]
    if public or elsewhere:
        held = record.held_privately(rec.data, schema)
        findings = [
            f
            for f in findings
            if not (
                f.rule == "schema.required" and any(pointers.within(f.pointer, h) for h in held)
            )
        ]
    _LOOKED_UP.clear()
    context = record.RecordContext(
        rec, schema, _watched(root), day, public=public, elsewhere=elsewhere or public
    )
    findings.extend(record.check(context))
    findings.extend(check_comments(rel, raw))
    found = context.learnt.no_contact
    policy = policy_from(schemas)
    if findings:
        # No report quotes personal data or restricted parts: the field and the rule only (at
        # the line of the value itself: a place is not a quotation).
        findings = unquoted_findings(locate(findings, raw), rec.data, policy=policy, kind=rec.kind)
    return FileCheck(
        tuple(findings),
        inventory.index_entry(rec, policy, valid=not errors),
        tuple(_record_suppressions(rec, policy)),
        tuple(dict.fromkeys(_LOOKED_UP)),
        found,
    )


@dataclass(frozen=True, slots=True)
class Kept:
    """What the record cache keeps of a file checked (made where it was parsed: a worker
    process, whence it is sent to the command)."""

    facts: Facts
    """What its `id:` and `status:` lines say."""
    data: bytes | None
    """Its data, as ichinv.inventory.record_entries.encode makes it."""
    outline: bytes | None
    """Its outline, as encode_outline makes it."""
    shape: Outline
    """The outline itself."""
    no_contact: tuple[str, ...] | None
    """The fields outside which its texts hold no contact (`NoContact.around`; None when they
    may hold one)."""


def check_and_keep(
    kind: RecordKind,
    rel: str,
    raw: bytes,
    schemas: SchemaSet,
    root: Path,
    day: dt.date,
    *,
    public: bool = False,
    elsewhere: bool = False,
    parsed: Record | None = None,
    keep: bool = False,
) -> tuple[FileCheck, Kept | None]:
    """`check_file`, and with `keep` what the record cache keeps of the record it parsed (so
    that no later command parses it again: the work is done here, in a worker process when
    there are many)."""
    if parsed is not None or not keep:
        return check_file(
            kind, rel, raw, schemas, root, day, public=public, elsewhere=elsewhere, parsed=parsed
        ), None
    made = records.parse(kind, rel, raw)
    if isinstance(made, Finding):
        return check_file(
            kind, rel, raw, schemas, root, day, public=public, elsewhere=elsewhere, parsed=made
        ), None
    check = check_file(
        kind, rel, raw, schemas, root, day, public=public, elsewhere=elsewhere, parsed=made[0]
    )
    data = made[0].data
    # What rule text.contact found: a public view of the same bytes in a later run need not
    # search their texts again.
    found = check.no_contact
    around = found.kept_around() if found is not None else None
    return check, Kept(facts_of(raw), encode(data), encode_outline(data), outline_of(data), around)


_LOOKED_UP: list[str] = []
"""Paths looked up under the root by the record rules of the file being checked."""


@functools.lru_cache(maxsize=8)
def _watched(root: Path) -> _WatchedRoot:
    return _WatchedRoot(root)


class _WatchedRoot(type(Path())):  # type: ignore[misc]
    """The inventory root as record rules see it: every path they look up under it
    (`root / "docs/x.pdf"`) is noted, so that a cached verdict is trusted only while those
    paths are as they were. What it derives is a plain Path."""

    def __truediv__(self, key: Any) -> Path:
        target = Path(os.fspath(self)) / key
        _LOOKED_UP.append(os.fspath(target))
        return target

    def joinpath(self, *parts: Any) -> Path:
        target = Path(os.fspath(self)).joinpath(*parts)
        _LOOKED_UP.append(os.fspath(target))
        return target

    def note(self, relative: str) -> str:
        """`self / relative` as text, noted (ichinv.validate.rules.context.looked_up)."""
        target = f"{os.fspath(self)}/{relative}"
        _LOOKED_UP.append(target)
        return target


def _record_suppressions(rec: Record, policy: Policy) -> list[Suppression]:
    entries = rec.data.get("suppressions")
    # A reason is part of the record: where the record withholds it from the public, reports
    # (CI summaries too) say where to read it instead of quoting it.
    secrets = withheld_texts(rec.data, kind=rec.kind, policy=policy) if entries else frozenset()
    return [
        Suppression(
            rule=entry["rule"],
            reason=entry["reason"] if entry["reason"].strip() not in secrets else _(SEE_RECORD),
            until=entry["until"],
            path=rec.path,
            pointer=entry.get("pointer"),
            source="record",
        )
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("rule", "reason", "until"))
        # Else the schema's finding, and no cover (found by outside reviews: a pointer that
        # is not text ended the run; an `until` that is no date never expired, and hid the
        # schema's finding about itself)
        and isinstance(entry.get("pointer", ""), str)
        and dates.parse_day(entry["until"]) is not None
    ]
