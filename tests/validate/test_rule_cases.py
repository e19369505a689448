"""Every rule has a failing and (where it helps) a passing case, kept as data in tests/validate/rule_cases.

A case lists the exact findings it must produce (path:line:column, severity, rule): no more,
no fewer. Adding a regression case is one file and no Python.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ichinv.core.catalogue import CATALOGUE
from ichinv.io import settings
from ichinv.validate import engine as validation
from tests.support.helpers import RULE_CASES, build_inventory, read_case

CASE_FILES = sorted(RULE_CASES.glob("*.case"))


def _short(line: str) -> str:
    return line


@pytest.mark.parametrize("case_file", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(case_file: Path, tmp_path: Path) -> None:
    case = read_case(case_file)
    root = build_inventory(tmp_path / "inv")
    for rel, content in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    result = validation.validate(settings.load(root), day=dt.date(2026, 11, 25))
    found = []
    for f in result.findings:
        where = f.path + (f":{f.line}:{f.column}" if f.line is not None else "")
        found.append(f"{where}: {f.severity.value} [{f.rule}]")
    assert sorted(found) == sorted(case.expected), case.note


def test_every_rule_has_a_failing_case() -> None:
    failing = {p.stem.split("--")[0] for p in CASE_FILES if p.stem.endswith("--fail")}
    untested = sorted(
        rule
        for rule in CATALOGUE
        if rule not in failing
        and rule
        not in {
            "file.symlink",
            "file.missing",
            "file.not-record",
            "file.unreadable",
            "file.too-large",
            "yaml.unreadable",
            "status.deleted",
            "access.shifted",
        }
    )
    # file.* rules that need a real file system situation are tested in test_loader.py;
    # status.deleted and access.shifted need history: tested in test_new_since.py and
    # test_shifted_parts.py.
    assert untested == []
