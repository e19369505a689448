"""Where a finding is: the line and column of its field in the file's bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from ichinv.core import trace
from ichinv.core.model import Finding
from ichinv.io import strict_yaml as yamlload


def locate(findings: Iterable[Finding], raw: bytes) -> list[Finding]:
    """Give every unlocated finding the line and column of its pointer in `raw`."""
    findings = list(findings)
    if all(f.line is not None for f in findings):
        return findings  # nothing to look up: the file is not parsed again
    trace.count("locate", findings[0].path)
    try:
        __, positions = yamlload.load(raw, positions=True)
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


def locate_each(findings: Iterable[Finding], read: Callable[[str], bytes | None]) -> list[Finding]:
    """Locate findings of several files: `read(path)` gives a file's bytes, or None when it
    cannot (its findings keep the position they have)."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    located: list[Finding] = []
    for path, group in by_path.items():
        raw = read(path) if any(f.line is None for f in group) else None
        located.extend(locate(group, raw) if raw is not None else group)
    return located
