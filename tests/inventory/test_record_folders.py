"""elements/ and provinces/ are folders of the inventory's own repository: not files, links
leading out, or other git repositories (submodules, nested clones, gitlinks)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ichinv.inventory import record_files as records
from ichinv.io import settings
from tests.support.helpers import build_inventory, commit, init_repo


def folder_findings(root: Path) -> list[tuple[str, str]]:
    """Findings on the records folders themselves."""
    _, findings = records.discover(settings.load(root))
    return [(f.path, f.rule) for f in findings if "/" not in f.path]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_inventory(tmp_path / "inventory")


def test_real_folders_give_no_finding(root: Path) -> None:
    assert folder_findings(root) == []


def test_a_missing_folder_is_no_finding(root: Path) -> None:
    shutil.rmtree(root / "provinces")
    assert folder_findings(root) == []


def test_a_file_in_place_of_the_folder(root: Path) -> None:
    shutil.rmtree(root / "elements")
    (root / "elements").write_text("id: KZ-2013-0001\n", encoding="utf-8")
    [finding] = records.discover(settings.load(root))[1]
    assert (finding.path, finding.rule, finding.line) == ("elements", "file.record-folder", None)
    assert "is a file, not a folder" in finding.message


def test_a_link_leading_out_of_the_inventory(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(root / "elements", outside)
    (root / "elements").symlink_to(outside)
    files, findings = records.discover(settings.load(root))
    assert [(f.path, f.rule) for f in findings] == [("elements", "file.record-folder")]
    assert str(outside) in findings[0].message
    assert not [f for f in files if f.kind.folder == "elements"]  # nothing read from there


def test_a_link_inside_the_inventory_is_a_folder_of_it(root: Path) -> None:
    shutil.move(root / "elements", root / "records")
    (root / "elements").symlink_to(root / "records")
    files, findings = records.discover(settings.load(root))
    assert findings == []
    assert "elements/KZ-2013-0002.yaml" in {f.rel for f in files}


@pytest.mark.parametrize("target", ["nowhere", "elements"])
def test_a_link_to_nothing_or_to_itself(root: Path, target: str) -> None:
    shutil.rmtree(root / "elements")
    (root / "elements").symlink_to(root / target)
    assert folder_findings(root) == [("elements", "file.record-folder")]


@pytest.mark.parametrize("marker", ["folder", "file"])
def test_a_repository_inside_the_folder(root: Path, marker: str) -> None:
    """A clone inside the inventory (.git folder) or a checked-out submodule (.git file)."""
    dot_git = root / "provinces" / ".git"
    if marker == "folder":
        dot_git.mkdir()
    else:
        dot_git.write_text("gitdir: ../.git/modules/provinces\n", encoding="utf-8")
    files, findings = records.discover(settings.load(root))
    assert [(f.path, f.rule) for f in findings] == [("provinces", "file.record-folder")]
    assert not [f for f in files if f.kind.folder == "provinces"]


def _records_repository(path: Path, source: Path) -> Path:
    shutil.copytree(source, path)
    init_repo(path)
    git(path, "add", "--all")
    git(path, "commit", "-q", "-m", "records")
    return path


def test_a_submodule_cloned_without_its_records(root: Path, tmp_path: Path) -> None:
    """The attack of a fresh clone: elements/ made a submodule; the clone's folder is empty."""
    other = _records_repository(tmp_path / "other", root / "elements")
    shutil.rmtree(root / "elements")
    repo = init_repo(root)
    git(root, "submodule", "add", "-q", str(other), "elements")
    commit(repo, "elements are a submodule")
    assert folder_findings(root) == [("elements", "file.record-folder")]  # checked out
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    assert list((clone / "elements").iterdir()) == []
    assert folder_findings(clone) == [("elements", "file.record-folder")]


def test_a_repository_added_without_gitmodules(root: Path, tmp_path: Path) -> None:
    """`git add` of a folder that is a repository commits a gitlink and no .gitmodules: the
    clone's folder is empty, and only git's index tells why."""
    _records_repository(root / "elements-repo", root / "elements")
    shutil.rmtree(root / "elements")
    (root / "elements-repo").rename(root / "elements")
    repo = init_repo(root)
    commit(repo, "elements are another repository")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    assert not (clone / ".gitmodules").exists()
    assert list((clone / "elements").iterdir()) == []
    [finding] = records.discover(settings.load(clone))[1]
    assert (finding.path, finding.rule) == ("elements", "file.record-folder")
    assert "gitlink" in finding.message


def test_an_empty_folder_of_a_repository_is_fine(root: Path) -> None:
    for path in (root / "elements").iterdir():
        path.unlink()
    (root / "elements" / ".gitkeep").write_bytes(b"")
    commit(init_repo(root), "no elements yet")
    assert folder_findings(root) == []
    os.remove(root / "elements" / ".gitkeep")
    assert folder_findings(root) == []


def test_an_inventory_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "top"
    root = build_inventory(top / "inventory")
    init_repo(top)
    (top / ".gitmodules").write_text(
        '[submodule "records"]\n\tpath = "inventory/provinces"\n\turl = ../records\n',
        encoding="utf-8",
    )
    assert folder_findings(root) == [("provinces", "file.record-folder")]
    (top / ".gitmodules").write_text(
        '[submodule "records"]\n\tpath = provinces\n\turl = ../records\n', encoding="utf-8"
    )
    assert folder_findings(root) == []  # a folder `provinces` at the top, not the inventory's
