"""Validate the inventory: every file against its schema and the record rules, then across records.

`check_file` judges one file from its bytes alone; what it returns can be cached by the file's
git blob id. `validate` runs it over the inventory, adds the cross-record rules, locates every
finding at a line and column, applies suppressions and sorts.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ichinv import records, yamlload
from ichinv.model import (
    Finding,
    Record,
    RecordKind,
    SuppressedFinding,
    Suppression,
    ValidationResult,
)
from ichinv.rules import inventory, record, rule
from ichinv.schemas import SchemaSet
from ichinv.settings import Settings

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The verdict on one file, from its bytes alone."""

    findings: tuple[Finding, ...]
    """Findings of the file itself (YAML, schema, record rules), located."""
    entry: inventory.IndexEntry | None
    """Facts for the cross-record rules; None when the file is not a readable record."""
    suppressions: tuple[Suppression, ...] = ()
    """Suppressions declared in the record."""


class ResultCache(Protocol):
    """Where `validate` keeps FileChecks between runs, keyed by file path and blob id."""

    def get(self, path: str, blob: str) -> FileCheck | None: ...

    def put(self, path: str, blob: str, check: FileCheck) -> None: ...


def today() -> dt.date:
    """Today's date, or `ICHINV_TODAY` (YYYY-MM-DD) when set, for reproducible runs."""
    fixed = os.environ.get("ICHINV_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return dt.date.today()


def check_file(
    kind: RecordKind, rel: str, raw: bytes, schemas: SchemaSet, root: Path, day: dt.date
) -> FileCheck:
    """Judge one record file: YAML, schema, record rules; locate what is found."""
    parsed = records.parse(kind, rel, raw)
    if isinstance(parsed, Finding):
        return FileCheck((parsed,), None)
    rec = parsed[0]
    schema = schemas[kind]
    findings = [
        Finding(
            path=rel,
            rule=error.rule,
            message=error.message,
            severity=error.severity,
            pointer=error.pointer,
            hint=error.hint,
            at_key=error.at_key,
        )
        for error in schema.check(rec.data)
    ]
    findings.extend(record.check(record.RecordContext(rec, schema, root, day)))
    if findings:
        findings = locate(findings, raw)
    return FileCheck(tuple(findings), inventory.index_entry(rec), tuple(_record_suppressions(rec)))


def _record_suppressions(rec: Record) -> list[Suppression]:
    entries = rec.data.get("suppressions")
    return [
        Suppression(
            rule=entry["rule"],
            reason=entry["reason"],
            until=entry["until"],
            path=rec.path,
            pointer=entry.get("pointer"),
            source="record",
        )
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) for k in ("rule", "reason", "until"))
    ]


def locate(findings: Iterable[Finding], raw: bytes) -> list[Finding]:
    """Give every unlocated finding the line and column of its pointer in `raw`."""
    try:
        _, positions = yamlload.load(raw, positions=True)
    except yamlload.LoadError:
        positions = None
    return [_place(f, positions) for f in findings]


def _place(finding: Finding, positions: Mapping[str, yamlload.Position] | None) -> Finding:
    if finding.line is not None or positions is None:
        return finding
    pointer = finding.pointer
    exact = True
    while pointer not in positions and pointer:
        pointer = pointer.rsplit("/", 1)[0]
        exact = False
    line, column, key_line, key_column = positions.get(pointer, (1, 1, 1, 1))
    if finding.at_key or not exact:
        line, column = key_line, key_column
    return replace(finding, line=line, column=column)


def validate(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    schemas: SchemaSet | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    day: dt.date | None = None,
) -> ValidationResult:
    """Validate the inventory (or report on `paths` only, still checking them against all)."""
    from ichinv import schemas as schema_module

    schemas = schemas or schema_module.load(settings.schema_dir)
    day = day or today()
    files, findings = records.discover(settings)
    selected = records.select(settings, files, paths) if paths is not None else None
    if selected is not None:
        known = {f.rel for f in files} | {f.path for f in findings}
        findings.extend(
            Finding(
                rel,
                "file.missing",
                f"{rel} is not a record file of the inventory",
                line=None,
                hint="name files under elements/ or provinces/ ending in .yaml",
            )
            for rel in sorted(selected - known)
        )
    entries: list[inventory.IndexEntry] = []
    declared: list[Suppression] = list(settings.suppressions)
    for number, file in enumerate(files, start=1):
        raw = records.read(file, settings.max_file_size)
        if isinstance(raw, Finding):
            findings.append(raw)
            continue
        blob = records.blob_id(raw)
        result = cache.get(file.rel, blob) if cache is not None else None
        if result is None:
            result = check_file(file.kind, file.rel, raw, schemas, settings.root, day)
            if cache is not None:
                cache.put(file.rel, blob, result)
        findings.extend(result.findings)
        declared.extend(result.suppressions)
        if result.entry is not None:
            entries.append(result.entry)
        if progress is not None:
            progress(number, len(files))
    # A value the schema rejects is not reported again by the cross-record rules.
    rejected = {(f.path, f.pointer) for f in findings if f.rule.startswith("schema.")}
    cross = [f for f in inventory.check(entries) if (f.path, f.pointer) not in rejected]
    findings.extend(_locate_cross(cross, settings))
    if selected is not None:
        findings = [f for f in findings if f.path in selected]
        declared = [
            s for s in declared if s.path is None or s.path in selected or s.source == "settings"
        ]
    kept, suppressed, bookkeeping = apply_suppressions(findings, declared, day)
    bookkeeping = _locate_cross(bookkeeping, settings)
    final = sorted(kept + bookkeeping, key=Finding.sort_key)
    return ValidationResult(
        checked=len(files) if selected is None else len(selected),
        findings=tuple(final),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key())),
    )


def _locate_cross(findings: list[Finding], settings: Settings) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    located: list[Finding] = []
    for path, group in by_path.items():
        if not path.endswith(records.SUFFIX):
            located.extend(group)
            continue
        try:
            raw = (settings.root / path).read_bytes()
        except OSError:
            located.extend(group)
            continue
        located.extend(locate(group, raw))
    return located


def apply_suppressions(
    findings: list[Finding], declared: list[Suppression], day: dt.date
) -> tuple[list[Finding], list[SuppressedFinding], list[Finding]]:
    """Split findings into kept and suppressed; report expired and unused suppressions."""
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    used: set[int] = set()
    active = [(i, s) for i, s in enumerate(declared) if s.until >= day.isoformat()]
    for finding in findings:
        match = next(
            (
                (i, s)
                for i, s in active
                if _covers(s, finding) and not finding.rule.startswith("suppression.")
            ),
            None,
        )
        if match is None:
            kept.append(finding)
        else:
            used.add(match[0])
            suppressed.append(SuppressedFinding(finding, match[1]))
    bookkeeping: list[Finding] = []
    for index, suppression in enumerate(declared):
        where = suppression.path or "pyproject.toml"
        pointer = _suppression_pointer(suppression, declared)
        if suppression.until < day.isoformat():
            bookkeeping.append(
                rule("suppression.expired").finding(
                    where,
                    f"the suppression of {suppression.rule} expired on {suppression.until} "
                    f"(reason given: {suppression.reason})",
                    pointer=pointer,
                    hint="fix what the rule reports, or renew the suppression with a new date "
                    "and the committee's reason",
                )
            )
        elif index not in used and suppression.source == "record":
            bookkeeping.append(
                rule("suppression.unused").finding(
                    where,
                    f"the suppression of {suppression.rule} no longer covers any finding",
                    pointer=pointer,
                    hint="remove it",
                )
            )
    return kept, suppressed, bookkeeping


def _covers(suppression: Suppression, finding: Finding) -> bool:
    if suppression.path is not None and any(c in suppression.path for c in "*?["):
        if not fnmatch.fnmatchcase(finding.path, suppression.path):
            return False
        suppression = replace(suppression, path=None)
    return suppression.covers(finding)


def _suppression_pointer(suppression: Suppression, declared: list[Suppression]) -> str:
    if suppression.source != "record":
        return ""
    same_file = [s for s in declared if s.path == suppression.path and s.source == "record"]
    return f"/suppressions/{same_file.index(suppression)}/until"
