"""`new` and `renumber` never reuse an id because the git history could not be read: without
it (git missing or failing, a shallow clone) they stop, unless told to accept the risk."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result, commit, element_yaml, init_repo

Run = Callable[..., Result]

NEW = ("new", "--no-input", "--year", "2026", "--name-kk", "Домбыра", "--name-ru", "Домбра")


@pytest.fixture
def history(inventory: Path) -> Path:
    """KZ-2026-0054 and KZ-2026-0055 committed, then 0055 deleted (the deletion committed)."""
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    record = inventory / "elements" / "KZ-2026-0055.yaml"
    record.write_text(element_yaml("KZ-2026-0055"), encoding="utf-8")
    (inventory / "elements" / "KZ-2026-0054.yaml").write_text(
        element_yaml("KZ-2026-0054"), encoding="utf-8"
    )
    repo = init_repo(inventory)
    commit(repo, "add 0055")
    record.unlink()
    commit(repo, "remove 0055")
    return inventory


def test_without_git_new_and_renumber_stop_unless_the_risk_is_accepted(
    history: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GIT_PYTHON_GIT_EXECUTABLE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    refused = run(*NEW)
    assert refused.exit_code == 2
    assert "cannot tell which ids were ever used: git is not installed" in refused.stderr
    assert "--allow-incomplete-history" in refused.stderr
    assert sorted(p.name for p in (history / "elements").iterdir()) == [
        "KZ-2013-0002.yaml",
        "KZ-2026-0054.yaml",
    ]
    renumber = run("renumber", "KZ-2026-0054")
    assert renumber.exit_code == 2 and "git is not installed" in renumber.stderr
    accepted = run(*NEW, "--allow-incomplete-history")
    assert accepted.exit_code == 0, accepted.stderr
    assert "KZ-2026-0055" in accepted.stdout  # the risk taken: the deleted id again


def test_a_git_that_fails_stops_new(
    history: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "git"
    broken.write_text("#!/bin/sh\necho 'fatal: bad object' >&2\nexit 128\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("GIT_PYTHON_GIT_EXECUTABLE", str(broken))
    refused = run(*NEW)
    assert refused.exit_code == 2 and "cannot read the git history" in refused.stderr
    assert not list((history / "elements").glob("KZ-2026-0056.yaml"))


def test_a_shallow_clone_stops_new_and_renumber(
    history: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "clone", "-q", "--depth", "1", f"file://{history}", str(clone)], check=True
    )  # fmt: skip
    monkeypatch.chdir(clone)
    refused = run(*NEW)
    assert refused.exit_code == 2
    assert "this is a shallow clone" in refused.stderr
    assert "git fetch --unshallow" in refused.stderr
    renumber = run("renumber", "KZ-2026-0054")
    assert renumber.exit_code == 2 and "shallow clone" in renumber.stderr
    accepted = run("renumber", "KZ-2026-0054", "--force", "--allow-incomplete-history")
    assert accepted.exit_code == 0, accepted.stderr


def test_with_the_whole_history_a_deleted_id_is_never_given_again(history: Path, run: Run) -> None:
    created = run(*NEW)
    assert created.exit_code == 0, created.stderr
    assert "KZ-2026-0056" in created.stdout
