"""Commands that go over every record name what they could not read (exit 1), as `validate`
names it, never "nothing to do" (found by an outside attacker: `fmt` passed over a record saved
as `.yml`; `migrate` over a record it could not read, and over an elements/ that was a link
leading out of the inventory or another repository, as `private split` did: "nothing to
move", a false all-clear about personal data, exit 0)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, element_yaml, init_repo

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


@pytest.mark.parametrize("broken", ["pipe", "link out", "folder", ".yml", ".YAML", ".Yml"])
@pytest.mark.parametrize("args", [("migrate",), ("migrate", "--check")])
def test_migrate_names_a_record_it_cannot_read(
    inventory: Path, run: Run, tmp_path: Path, broken: str, args: tuple[str, ...]
) -> None:
    """It said "0 records migrated, 5 already current", exit 0: the record it did not read
    may be behind its format too."""
    path = break_record(inventory, broken, tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.stdout
    assert f"cannot migrate {path}: " in result.stdout
    assert ", 0 already current" in result.stdout  # not counted among the current ones


def test_fmt_and_migrate_name_a_file_named_by_an_id_without_its_ending(
    inventory: Path, run: Run
) -> None:
    """`elements/KZ-2013-0002`, its ending lost, is a record by its name (as `private split`
    takes it); a README is not."""
    (inventory / RECORD).rename(inventory / "elements/KZ-2013-0002")
    (inventory / "elements/README.md").write_text("What this folder holds.\n", encoding="utf-8")
    for args, verb in ((("fmt", "--check"), "format"), (("migrate", "--check"), "migrate")):
        result = run(*args)
        assert result.exit_code == 1, result.stdout
        assert f"cannot {verb} elements/KZ-2013-0002: " in result.stdout
        assert "README" not in result.stdout


def outside_records(root: Path, how: str, tmp_path: Path) -> None:
    """Make elements/ hold records this repository does not: a symbolic link to a folder
    outside the inventory, or a git repository of its own."""
    folder = root / "elements"
    (folder / "KZ-2013-0003.yaml").write_text(
        element_yaml("KZ-2013-0003", contacts=[{"name": "A. Testov", "role": "bearer"}]),
        encoding="utf-8",
    )
    if how == "link out":
        moved = tmp_path / "r-elements"
        shutil.move(folder, moved)
        folder.symlink_to(moved)
    else:
        init_repo(folder)


@pytest.mark.parametrize("how", ["link out", "own repository"])
@pytest.mark.parametrize("args", [("migrate",), ("migrate", "--check")])
def test_migrate_names_an_elements_folder_it_cannot_read(
    inventory: Path, run: Run, tmp_path: Path, how: str, args: tuple[str, ...]
) -> None:
    outside_records(inventory, how, tmp_path)
    result = run(*args)
    assert result.exit_code == 1, result.stdout
    assert "cannot migrate elements: elements/ is " in result.stdout
    assert "no record in it was read" in result.stdout
    assert run("validate").exit_code == 1


PRIVATE_BESIDE = '[tool.ichinv]\nprivate_overlay = "../private"\n'


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".git" not in p.parts
    }


@pytest.mark.parametrize("how", ["link out", "own repository"])
@pytest.mark.parametrize("args", [("--dry-run",), ()])
def test_private_split_refuses_an_elements_folder_it_cannot_read(
    inventory: Path, run: Run, tmp_path: Path, how: str, args: tuple[str, ...]
) -> None:
    """It said "nothing to move: no record holds contacts or restricted parts", exit 0: a
    false all-clear about personal data it had not read."""
    (inventory / "pyproject.toml").write_text(PRIVATE_BESIDE, encoding="utf-8")
    outside_records(inventory, how, tmp_path)
    before = tree(inventory.parent)
    result = run("private", "split", *args)
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: elements/ is ")
    assert "no record in it was read; nothing was changed\n" in result.stderr
    assert "nothing to move" not in result.stderr
    named = run("private", "split", "KZ-2013-0003", *args)
    assert named.exit_code == 1, named.stdout
    assert named.stderr.startswith("error: the record of KZ-2013-0003 cannot be read: elements: ")
    assert tree(inventory.parent) == before
    assert not (inventory.parent / "private").exists()
