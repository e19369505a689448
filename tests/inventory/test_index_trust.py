"""Git's word that a working file is unmodified stands for its bytes only when no conversion
applies and git compared every time and the size: otherwise the file is read and hashed (an
outside test found `fmt --check` answering from an LF blob for a CRLF checkout, and `show`
from the committed version of a same-size edit when `core.trustctime` was false)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import settings as settings_module
from tests.support.helpers import Result, commit

Run = Callable[..., Result]


def _blob_seen(root: Path, rel: str) -> str:
    config = settings_module.load(root)
    with RecordCache.open(config) as cache:
        return snapshots.current(config, cache=cache).blob_of(rel)


def _settled(root: Path) -> None:
    """Every file's times an hour back and the index refreshed: no entry is racily clean."""
    past = time.time() - 3600
    for path in (root / "elements").glob("*.yaml"):
        os.utime(path, (past, past))
    subprocess.run(["git", "update-index", "--refresh", "-q"], cwd=root, check=False)


@pytest.mark.parametrize(
    "setting", [("core.trustctime", "false"), ("core.checkStat", "minimal")], ids="=".join
)
def test_a_same_size_edit_with_its_time_put_back_is_read(
    git_inventory: Path, setting: tuple[str, str]
) -> None:
    repo = git.Repo(git_inventory)
    with repo.config_writer() as config:
        config.set_value(*setting[0].split("."), setting[1])
    _settled(git_inventory)
    time.sleep(1.1)  # git keeps change times to the second: the edit comes in a later one
    path = sorted((git_inventory / "elements").glob("*.yaml"))[0]
    rel = f"elements/{path.name}"
    before = path.stat()
    text = path.read_text("utf-8")
    assert "Aitys" in text
    path.write_text(text.replace("Aitys", "AITYS", 1), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert repo.git.diff_files("--name-only") == ""  # git itself says unmodified
    assert _blob_seen(git_inventory, rel) == records.blob_id(path.read_bytes())


@pytest.mark.parametrize("how", ["attributes", "autocrlf"])
def test_a_crlf_checkout_is_judged_by_its_own_bytes(
    git_inventory: Path, run: Run, how: str
) -> None:
    repo = git.Repo(git_inventory)
    if how == "attributes":
        (git_inventory / ".gitattributes").write_text("*.yaml text eol=crlf\n", "utf-8")
        commit(repo, "Check records out with CRLF")
    else:
        with repo.config_writer() as config:
            config.set_value("core", "autocrlf", "true")
    for path in (git_inventory / "elements").glob("*.yaml"):
        path.unlink()
    repo.git.checkout("--", "elements")
    path = sorted((git_inventory / "elements").glob("*.yaml"))[0]
    assert b"\r\n" in path.read_bytes()
    _settled(git_inventory)
    rel = f"elements/{path.name}"
    assert _blob_seen(git_inventory, rel) == records.blob_id(path.read_bytes())
    first = run("fmt", "--check")
    second = run("fmt", "--check")  # with the verdicts of the first run in the cache
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and rel in first.stdout


def test_a_linked_worktree_reads_the_attributes_of_the_repository_it_shares(
    git_inventory: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `git worktree add`: the linked tree's own git folder (`.git/worktrees/NAME`) holds no
    # `info/attributes`; git reads the one of the repository the trees share.
    linked = tmp_path / "linked"
    repo = git.Repo(git_inventory)
    repo.git.worktree("add", "-q", str(linked))
    (git_inventory / ".git" / "info").mkdir(exist_ok=True)
    (git_inventory / ".git" / "info" / "attributes").write_text("*.yaml text eol=crlf\n")
    for path in (linked / "elements").glob("*.yaml"):
        path.unlink()
    git.Repo(linked).git.checkout("--", "elements")
    path = sorted((linked / "elements").glob("*.yaml"))[0]
    assert b"\r\n" in path.read_bytes()
    _settled(linked)
    rel = f"elements/{path.name}"
    assert _blob_seen(linked, rel) == records.blob_id(path.read_bytes())
    monkeypatch.chdir(linked)
    checked = run("fmt", "--check")
    assert checked.exit_code == 1 and rel in checked.stdout
