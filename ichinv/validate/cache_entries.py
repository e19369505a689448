"""The cache's entries: a file's verdict (or the whole inventory's) as compact JSON text, the
state of the files a verdict depends on, and back. A damaged entry raises ValueError.

A worker process sends the parent each verdict it made as this text (ichinv.validate.workers):
the parent keeps it as it came and decodes it once, which costs both less than pickling the
verdict's objects (measured: 22 µs a file against 37)."""

from __future__ import annotations

import json
import os
from typing import Any

from ichinv.core.model import Finding, Severity, Suppression
from ichinv.validate.file_check import FileCheck
from ichinv.validate.rules.cross import IndexEntry


def _findings(findings: tuple[Finding, ...]) -> list[list[object]]:
    return [
        [f.path, f.rule, f.message, f.severity.value, f.pointer, f.line, f.column, f.hint, f.at_key]
        for f in findings
    ]


def _suppressions(suppressions: tuple[Suppression, ...]) -> list[list[object]]:
    return [[s.rule, s.reason, s.until, s.path, s.pointer, s.source] for s in suppressions]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode(check: FileCheck, fingerprints: list[list[str]] | None = None) -> str:
    """A FileCheck (and the state of the files it looked up, `fingerprints`; by default
    their state now) as compact JSON text."""
    if fingerprints is None:
        fingerprints = [[path, fingerprint(path)] for path in check.depends]
    entry = check.entry.to_json() if check.entry is not None else None
    return _json(
        [_findings(check.findings), entry, _suppressions(check.suppressions), fingerprints]
    )


def encode_inventory(
    findings: tuple[Finding, ...],
    suppressions: tuple[Suppression, ...],
    fingerprints: list[list[str]],
) -> str:
    """The parts of an InventoryCheck (and the state of the files it looked up) as compact
    JSON text."""
    return _json([_findings(findings), _suppressions(suppressions), fingerprints])


_TEXT = (str,)
_TEXT_OR_NONE = (str, type(None))
_NUMBER_OR_NONE = (int, type(None))
_FINDING = (_TEXT, _TEXT, _TEXT, _TEXT, _TEXT, _NUMBER_OR_NONE, _NUMBER_OR_NONE, _TEXT_OR_NONE)
_SUPPRESSION = (_TEXT, _TEXT, _TEXT, _TEXT_OR_NONE, _TEXT_OR_NONE, _TEXT)


def _rows(rows: Any, kinds: tuple[tuple[type, ...], ...], more: int = 0) -> list[list[Any]]:
    """`rows` when it is a list of lists whose values have the types `kinds` name in turn
    (and `more` values after them); ValueError otherwise: a damaged entry, whose wrong values
    would end a later step (sorting, matching suppressions) with an internal error."""
    if type(rows) is not list or not all(
        type(row) is list
        and len(row) == len(kinds) + more
        and all(type(value) in kind for value, kind in zip(row, kinds, strict=False))
        for row in rows
    ):
        raise ValueError("rows of the wrong shape")
    return rows


def _texts(value: Any, size: int | None = None) -> bool:
    return (
        type(value) is list
        and (size is None or len(value) == size)
        and all(type(item) is str for item in value)
    )


def _entry(data: Any) -> IndexEntry:
    """The IndexEntry `to_json` made (ValueError when `data` is not what it makes)."""
    if not (
        type(data) is dict
        and type(data.get("path")) is str
        and all(type(data.get(k)) in _TEXT_OR_NONE for k in ("id", "status", "valid_until"))
        and _texts(data.get("successors"))
        and type(data.get("refs")) is list
        and all(_texts(ref, 4) for ref in data["refs"])
        and type(data.get("iso_codes", [])) is list
        and all(_texts(codes, 3) for codes in data.get("iso_codes", []))
        and _texts(data.get("withheld", []))
    ):
        raise ValueError("an index entry of the wrong shape")
    return IndexEntry.from_json(data)


def _to_findings(rows: list[list[Any]]) -> tuple[Finding, ...]:
    rows = _rows(rows, _FINDING, more=1)
    return tuple(
        Finding(
            path=path,
            rule=rule,
            message=message,
            severity=Severity(severity),
            pointer=pointer,
            line=line,
            column=column,
            hint=hint,
            at_key=bool(at_key),
        )
        for path, rule, message, severity, pointer, line, column, hint, at_key in rows
    )


def _to_suppressions(rows: list[list[Any]]) -> tuple[Suppression, ...]:
    rows = _rows(rows, _SUPPRESSION)
    return tuple(
        Suppression(
            rule=rule, reason=reason, until=until, path=path, pointer=pointer, source=source
        )
        for rule, reason, until, path, pointer, source in rows
    )


def _states(fingerprints: Any) -> list[list[str]]:
    """The file states an entry holds, each a path and what `fingerprint` gave for it."""
    return _rows(fingerprints, (_TEXT, _TEXT))


def decode(text: str) -> tuple[FileCheck, list[list[str]]]:
    """The FileCheck `encode` wrote, and the file states it depends on (ValueError if damaged)."""
    try:
        findings, entry, suppressions, fingerprints = json.loads(text)
        states = _states(fingerprints)
        check = FileCheck(
            findings=_to_findings(findings),
            entry=_entry(entry) if entry is not None else None,
            suppressions=_to_suppressions(suppressions),
            depends=tuple(path for path, __ in states),
        )
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"damaged cache entry: {exc}") from None
    return check, states


def decode_inventory(
    text: str,
) -> tuple[tuple[Finding, ...], tuple[Suppression, ...], list[list[str]]]:
    """The findings and suppressions `encode_inventory` wrote, and the file states they
    depend on (ValueError if damaged)."""
    try:
        findings, suppressions, fingerprints = json.loads(text)
        return _to_findings(findings), _to_suppressions(suppressions), _states(fingerprints)
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"damaged cache entry: {exc}") from None


def fingerprint(path: str) -> str:
    """What a record rule could see of the file at `path`: whether it exists, where it leads."""
    link = os.path.realpath(path) if os.path.islink(path) else ""
    return f"{int(os.path.exists(path))}:{link}"
