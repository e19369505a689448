"""`ichinv private split` as an outside reviewer broke it: restricted parts validate refuses
(/id, /status, /access) moved out of the record, a failure half way left one record split and
another's contacts in two places, and a record that is a symbolic link was replaced by a copy
while its target kept the contacts."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.faults import temporaries
from tests.support.helpers import Result, build_file_tree, element_yaml

Run = Callable[..., Result]

PUBLIC_BESIDE = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'
EMAIL = "zhanar@example.org"
CONTACTS = [{"name": "Zhanar Testova", "role": "bearer", "email": EMAIL}]


def with_contacts(element_id: str, **fields: object) -> str:
    return element_yaml(element_id, contacts=CONTACTS, **fields)


def restricted(*parts: str) -> dict[str, object]:
    return {"level": "restricted", "restricted_parts": list(parts), "reason": "Sacred."}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


@pytest.mark.parametrize(
    ("parts", "named"),
    [(["/id"], "/id"), (["/access", "/status"], "/access"), (["/status/x"], "/status")],
)
def test_a_part_that_cannot_be_restricted_is_refused(
    inventory: Path, run: Run, parts: list[str], named: str
) -> None:
    """It printed "moved contacts, id", exit 0, and the record had no `id:` any more."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    record = "elements/KZ-2013-0007.yaml"
    build_file_tree(inventory, {record: with_contacts("KZ-2013-0007", access=restricted(*parts))})
    before = tree(inventory)
    result = run("private", "split", "KZ-2013-0007")
    assert result.exit_code == 2, result.stdout
    assert f"{record}: entry 1 of access.restricted_parts names {named}" in result.stderr
    assert "cannot be restricted" in result.stderr
    assert tree(inventory) == before
    assert not (inventory.parent / "private" / "elements").exists()


def test_a_record_that_cannot_be_written_changes_nothing(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It wrote the first record and overlay file, then stopped at the second record with
    "cannot write …", its contacts left in the record and the overlay both."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0007.yaml": with_contacts("KZ-2013-0007"),
            "elements/KZ-2013-0008.yaml": with_contacts("KZ-2013-0008"),
        },
    )
    (inventory.parent / "private" / "elements").mkdir(parents=True)
    before = tree(inventory)
    real = os.replace
    immutable = os.fspath(inventory / "elements" / "KZ-2013-0008.yaml")  # as `chattr +i` makes it

    def replace(src: Any, dst: Any) -> None:
        if os.fsdecode(src).endswith(".tmp") and os.fsdecode(dst) == immutable:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), immutable)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = run("private", "split", "KZ-2013-0007", "KZ-2013-0008")
    assert result.exit_code == 2
    assert f"cannot write {immutable}" in result.stderr
    assert "the files already changed were put back, so nothing was changed" in result.stderr
    assert tree(inventory) == before
    assert list((inventory.parent / "private" / "elements").iterdir()) == []
    assert temporaries(inventory / "elements") == []


def test_a_record_that_is_a_link_is_written_through_it(inventory: Path, run: Run) -> None:
    """The link was replaced by a plain file and the contacts stayed in its target."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    build_file_tree(inventory, {"archive/a.yaml": with_contacts("KZ-2013-0007")})
    link = inventory / "elements" / "KZ-2013-0007.yaml"
    link.symlink_to("../archive/a.yaml")
    result = run("private", "split", "KZ-2013-0007")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert EMAIL not in (inventory / "archive" / "a.yaml").read_text(encoding="utf-8")
    overlay = inventory.parent / "private" / "elements" / "KZ-2013-0007.yaml"
    assert yaml.safe_load(overlay.read_text(encoding="utf-8"))["contacts"] == CONTACTS
    assert overlay.stat().st_mode & 0o777 == 0o600


def test_an_entry_naming_the_whole_record_is_refused(inventory: Path, run: Run) -> None:
    """A review: `restricted_parts: [""]` (the whole record) ended split in an internal error
    (exit 3); it is no field's pointer, refused with nothing written."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    record = "elements/KZ-2013-0007.yaml"
    build_file_tree(inventory, {record: with_contacts("KZ-2013-0007", access=restricted(""))})
    before = tree(inventory)
    result = run("private", "split", "KZ-2013-0007")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "entry 1 of access.restricted_parts is not a field's pointer" in result.stderr
    assert tree(inventory) == before


def test_a_record_that_cannot_be_read_stops_a_split_of_every_element(
    inventory: Path, run: Run
) -> None:
    """`private split` of the whole inventory passed over a record it could not read (a YAML
    error, a pipe in its place) and said it was done, exit 0: that record's contacts stayed
    where git would commit them. Each is named now, exit 1, nothing moved."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    broken = "elements/KZ-2013-0008.yaml"
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0007.yaml": with_contacts("KZ-2013-0007"),
            broken: with_contacts("KZ-2013-0008") + "contacts: [\n",
        },
    )
    os.mkfifo(inventory / "elements/KZ-2013-0009.yaml")
    (inventory / "elements/README.md").write_text("What this folder holds.\n", encoding="utf-8")
    (inventory / "elements/photos").mkdir()  # hold no element: not named
    (inventory / "elements/photos/dombra.jpg").write_bytes(b"\xff\xd8")
    before = tree(inventory)
    result = run("private", "split")
    assert result.exit_code == 1, result.stdout
    assert "2 records cannot be read, so nothing was moved:" in result.stderr
    assert f"\n  {broken}:" in result.stderr
    assert "elements/KZ-2013-0009.yaml: elements/KZ-2013-0009.yaml is not a regular file" in (
        result.stderr
    )
    assert EMAIL not in result.stderr
    assert "README" not in result.stderr and "photos" not in result.stderr
    assert tree(inventory) == before
    assert not (inventory.parent / "private" / "elements").exists()
    os.unlink(inventory / "elements/KZ-2013-0009.yaml")
    (inventory / broken).write_text(with_contacts("KZ-2013-0008"), encoding="utf-8")
    assert run("private", "split").exit_code == 0  # the README and photographs stay


def test_an_element_whose_file_is_a_pipe_is_named_as_unreadable(inventory: Path, run: Run) -> None:
    """`private split ID` of an element whose record is a pipe said there was no element ID
    (exit 2); it is the record that cannot be read (exit 1), as every command says it."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    os.mkfifo(inventory / "elements/KZ-2013-0009.yaml")
    result = run("private", "split", "KZ-2013-0009")
    assert result.exit_code == 1, result.stdout
    assert "the record of KZ-2013-0009 cannot be read" in result.stderr


@pytest.mark.parametrize("name", ["KZ-2013-0008.yml", "KZ-2013-0008", "draft.yml"])
def test_a_record_saved_under_another_ending_stops_the_split(
    inventory: Path, run: Run, name: str
) -> None:
    """A record saved as `.yml`, or with no ending, is not read as a record, and its contacts
    stayed in the repository while the split said done, exit 0 (a second outside review): it
    may hold an element (its name or its `id:` line says so), so nothing is moved."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0007.yaml": with_contacts("KZ-2013-0007"),
            f"elements/{name}": with_contacts("KZ-2013-0008"),
        },
    )
    before = tree(inventory)
    result = run("private", "split")
    assert result.exit_code == 1, result.stdout
    assert "1 record cannot be read, so nothing was moved:" in result.stderr
    assert EMAIL not in result.stderr
    assert tree(inventory) == before
