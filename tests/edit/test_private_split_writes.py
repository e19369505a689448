"""`ichinv private split` as an outside reviewer broke it: restricted parts validate refuses
(/id, /status, /access) moved out of the record, a failure half way left one record split and
another's contacts in two places, and a record that is a symbolic link was replaced by a copy
while its target kept the contacts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
