""" "This answer is incomplete: N record files …": N counts files, also where public output
names them by their folder only (`elements/…`: a file's name may be anyone's).

An outside review: with three unreadable record files, `list` and `show` said "1 record file
could not be read" and listed three (`_counted` counted the shown names), and `packet` listed
one of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result
from tests.support.packet_inventory import build

Run = Callable[..., Result]

HIDDEN = ("Aigul Serikova.yaml", "draft copy.yaml", "Ержан.yaml")
"""Names public output does not show (ichinv.inventory.redaction.public_path)."""


@pytest.fixture
def unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The packet inventory with three record files that are no YAML, named as no id is."""
    root = build(tmp_path / "inventory")
    for name in HIDDEN:
        (root / "elements" / name).write_text("id: [\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


PUBLIC = {
    "list": ["list"],
    "show": ["show", "KZ-2013-0001"],
    "export": ["export"],
    "progress": ["progress"],
    "report": ["report", "periodic"],
    "packet": ["packet"],
    "change packet": ["packet", "--since", "inventory-2024"],
    "diff": ["diff", "--baseline", "2024"],
    "site": ["site", "--output", "../site"],
}


def _unread_lines(stderr: str) -> list[str]:
    """The lines naming files that could not be read, under their header."""
    block = stderr.split("could not be read and ", 1)[1].split("\nhint:", 1)[0]
    return [line for line in block.splitlines()[1:] if line.startswith("  ")]


@pytest.mark.parametrize("args", PUBLIC.values(), ids=PUBLIC.keys())
def test_three_unreadable_files_are_three_though_none_is_named(
    unread: Path, run: Run, args: list[str]
) -> None:
    for __ in range(2 if args[0] == "site" else 1):  # the site: built, then found unchanged
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert "3 record files could not be read and are left out:" in result.stderr
        lines = _unread_lines(result.stderr)
        assert len(lines) == 3 and all(line.startswith("  elements/…:") for line in lines)
        for name in HIDDEN:
            assert name.removesuffix(".yaml") not in result.stderr


def test_the_committee_is_told_the_same_count_with_the_names(unread: Path, run: Run) -> None:
    result = run("list", "--audience", "committee")
    assert result.exit_code == 1
    assert "3 record files could not be read" in result.stderr
    assert all(f"elements/{name}:" in result.stderr for name in HIDDEN)


def test_two_unnamed_copies_and_the_record_are_three_files_holding_one_id(
    unread: Path, run: Run
) -> None:
    for name in HIDDEN:
        (unread / "elements" / name).unlink()
    record = (unread / "elements/KZ-2013-0001.yaml").read_bytes()
    for name in HIDDEN[:2]:
        (unread / "elements" / name).write_bytes(record)
    result = run("diff", "--baseline", "2024")
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert "3 record files hold an id another file holds too" in said
    assert len(re.findall(r"^  elements/", result.stderr, re.MULTILINE)) == 3
