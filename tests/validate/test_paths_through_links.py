"""`path.outside` for a path that passes through a link: a documentation or evidence folder
(or any folder on the way) that is a symbolic link leading out of the inventory (an outside
attack: only the last part of a path was looked at, so `documentation/` linked to a folder
elsewhere passed validate, warm cache or cold)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, build_file_tree, element_yaml

Run = Callable[..., Result]
RECORD = "elements/KZ-2013-0005.yaml"
DOCUMENT = "documentation/KZ-2013-0005/photo-1.jpg"


def _findings(run: Run, *options: str) -> list[tuple[str, str]]:
    result = run("validate", "--format", "json", *options)
    return [(f["rule"], f["pointer"]) for f in json.loads(result.stdout)["findings"]]


def _record(inventory: Path, path: str = DOCUMENT, evidence: str | None = None) -> None:
    fields: dict[str, object] = {"documentation": [{"title": "Photo", "path": path}]}
    if evidence is not None:
        fields["consent"] = {"status": "given", "date": "2025-04-01", "evidence": evidence}
    build_file_tree(inventory, {RECORD: element_yaml("KZ-2013-0005", **fields)})


def _outside(tmp_path: Path, name: str = "elsewhere") -> Path:
    folder = tmp_path / name
    (folder / "KZ-2013-0005").mkdir(parents=True)
    (folder / "KZ-2013-0005" / "photo-1.jpg").write_bytes(b"\xff\xd8 photo")
    (folder / "KZ-2013-0005" / "consent.pdf").write_bytes(b"%PDF consent")
    return folder


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_a_documentation_folder_linked_out_of_the_inventory(
    inventory: Path, run: Run, tmp_path: Path, options: tuple[str, ...]
) -> None:
    (inventory / "documentation").symlink_to(_outside(tmp_path))
    _record(inventory)
    assert ("path.outside", "/documentation/0/path") in _findings(run, *options)


def test_a_folder_on_the_way_linked_out_and_the_evidence_folder(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    outside = _outside(tmp_path)
    (inventory / "documentation").mkdir()
    (inventory / "documentation" / "KZ-2013-0005").symlink_to(outside / "KZ-2013-0005")
    (inventory / "evidence").symlink_to(outside)
    _record(inventory, evidence="evidence/KZ-2013-0005/consent.pdf")
    found = _findings(run)
    assert ("path.outside", "/documentation/0/path") in found
    assert ("path.outside", "/consent/evidence") in found
    result = run("validate")
    assert "passes through a link that leads outside the repository" in result.stdout
    assert str(tmp_path / "elsewhere") not in result.stdout  # where it leads is not said


def test_links_that_stay_inside_the_inventory_pass(inventory: Path, run: Run) -> None:
    real = inventory / "archive" / "KZ-2013-0005"
    real.mkdir(parents=True)
    (real / "photo-1.jpg").write_bytes(b"\xff\xd8 photo")
    (inventory / "documentation").symlink_to("archive")
    _record(inventory)
    assert not [f for f in _findings(run) if f[0].startswith("path.")]


def test_a_loop_of_links_leads_nowhere_inside(inventory: Path, run: Run) -> None:
    (inventory / "documentation").symlink_to("documentation")
    _record(inventory)
    assert ("path.outside", "/documentation/0/path") in _findings(run)


def test_a_folder_linked_out_after_a_cached_verdict_is_found(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """The cache reuses a verdict only while the files it looked at are as they were: the
    folders on the way are among them."""
    real = inventory / "documentation" / "KZ-2013-0005"
    real.mkdir(parents=True)
    (real / "photo-1.jpg").write_bytes(b"\xff\xd8 photo")
    _record(inventory)
    assert not [f for f in _findings(run) if f[0].startswith("path.")]
    assert not [f for f in _findings(run) if f[0].startswith("path.")]  # warm
    (inventory / "documentation").rename(inventory / "moved")
    (inventory / "documentation").symlink_to(_outside(tmp_path))
    assert ("path.outside", "/documentation/0/path") in _findings(run)
