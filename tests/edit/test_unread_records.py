"""Commands that go over every record name what they could not read (exit 1), as `validate`
names it, never "nothing to do" (found by an outside attacker: `fmt` passed over a record saved
as `.yml`; `migrate` over a record it could not read, and over an elements/ that was a link
leading out of the inventory or another repository, as `private split` did: "nothing to
move", a false all-clear about personal data, exit 0)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result

Run = Callable[..., Result]

RECORD = "elements/KZ-2013-0002.yaml"


def break_record(root: Path, broken: str, tmp_path: Path) -> str:
    """Put something ichinv cannot read as a record in the place of KZ-2013-0002; its path."""
    record = root / RECORD
    if broken == "pipe":
        record.unlink()
        os.mkfifo(record)
    elif broken == "link out":
        outside = tmp_path / "elsewhere.yaml"
        outside.write_bytes(record.read_bytes())
        record.unlink()
        record.symlink_to(outside)
    elif broken == "folder":
        record.unlink()
        record.mkdir()
        (record / "notes.txt").write_text("a note\n", encoding="utf-8")
    else:  # another spelling of its name
        renamed = record.with_name(f"KZ-2013-0002{broken}")
        record.rename(renamed)
        return f"elements/{renamed.name}"
    return RECORD


@pytest.mark.parametrize("broken", [".yml", ".YAML"])
@pytest.mark.parametrize("check", [True, False])
def test_fmt_of_the_whole_inventory_names_a_record_of_another_spelling(
    inventory: Path, run: Run, tmp_path: Path, broken: str, check: bool
) -> None:
    """`fmt` passed over KZ-2013-0002.yml (exit 0), which it named when given it."""
    path = break_record(inventory, broken, tmp_path)
    before = (inventory / path).read_bytes()
    result = run("fmt", *(["--check"] if check else []))
    assert result.exit_code == 1, result.stdout
    assert f"cannot format {path}: {path} is not a .yaml record file" in result.stdout
    assert "  hint: rename it to KZ-2013-0002.yaml\n" in result.stdout
    assert "1 unreadable." in result.stdout
    named = run("fmt", "--check", path)
    assert named.exit_code == 1
    assert f"cannot format {path}: {path} is not a .yaml record file" in named.stdout
    assert (inventory / path).read_bytes() == before
