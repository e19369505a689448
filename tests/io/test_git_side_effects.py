"""Git without side effects: a booby-trapped repository, read by every command that reads history.

The repository's config, hooks and attributes name programs at every place git would run one:
the fsmonitor hook, clean/smudge/process filters assigned to `*.yaml` (with an index that makes
every record "racily clean", so that `git diff-files` must read them through the filter),
textconv and external diff, pagers, hooks in `.git/hooks` and in `core.hooksPath`, gpg for a
signed commit shown by `log.showSignature`, and (in a partial clone) the upload-pack of a lazy
fetch. Each program writes a line to a marker file outside the repository. ichinv's commands
must leave the marker unwritten and print what they print on an untrapped copy of the same
repository; plain git, on the same repository, must write it (or the traps prove nothing).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from ichinv.core.errors import GitError
from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots as snapshot
from ichinv.io import settings
from ichinv.io.git import open_repo
from tests.conftest import BASELINE_SETTINGS
from tests.support.helpers import (
    REPO_ROOT,
    Result,
    build_file_tree,
    build_inventory,
    commit,
    element_yaml,
    init_repo,
)

Run = Callable[..., Result]

AITYS = "elements/KZ-2013-0002.yaml"
NEW = "elements/KZ-2026-0001.yaml"
DRAFT = "elements/KZ-2026-0002.yaml"

HOOKS = (
    "pre-commit", "post-commit", "post-checkout", "post-merge", "post-rewrite", "pre-push",
    "reference-transaction", "post-index-change", "fsmonitor-watchman", "pre-auto-gc",
)  # fmt: skip


def _trap(folder: Path, marker: Path, name: str) -> str:
    """A program that notes `name` (and its arguments) in `marker` and passes stdin through."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{marker}"\ncat\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(script)


def _sign(repo: git.Repo, branch: str) -> None:
    """Replace the tip of `branch` by the same commit carrying a (meaningless) PGP signature,
    so that `log.showSignature` makes git run gpg.program on it."""
    body = repo.git.cat_file("commit", branch)
    head, _, message = body.partition("\n\n")
    signature = "-----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    crafted = Path(repo.git_dir) / "signed-commit"
    crafted.write_text(f"{head}\ngpgsig {signature}\n\n{message}\n", encoding="utf-8")
    sha = repo.git.hash_object("-t", "commit", "-w", str(crafted))
    crafted.unlink()
    repo.git.update_ref(f"refs/heads/{branch}", sha)


def _set_traps(root: Path, traps: Path, marker: Path) -> None:
    repo = git.Repo(root)
    with repo.config_writer() as config:
        config.set_value("core", "fsmonitor", _trap(traps, marker, "fsmonitor"))
        config.set_value("core", "pager", _trap(traps, marker, "core.pager"))
        config.set_value("core", "hooksPath", str(traps / "hooks"))
        config.set_value("core", "sshCommand", _trap(traps, marker, "core.sshCommand"))
        config.set_value("pager", "log", _trap(traps, marker, "pager.log"))
        config.set_value('filter "evil"', "clean", _trap(traps, marker, "filter.clean"))
        config.set_value('filter "evil"', "smudge", _trap(traps, marker, "filter.smudge"))
        config.set_value('filter "evil"', "required", "true")
        config.set_value('filter "piped"', "process", _trap(traps, marker, "filter.process"))
        config.set_value('diff "evil"', "textconv", _trap(traps, marker, "diff.textconv"))
        config.set_value('diff "evil"', "command", _trap(traps, marker, "diff.command"))
        config.set_value("diff", "external", _trap(traps, marker, "diff.external"))
        config.set_value("log", "showSignature", "true")
        config.set_value("gpg", "program", _trap(traps, marker, "gpg.program"))
    for hook in HOOKS:
        _trap(root / ".git" / "hooks", marker, hook)
        _trap(traps / "hooks", marker, hook)
    attributes = "*.yaml filter=evil diff=evil\nprovinces/*.yaml filter=piped\n"
    build_file_tree(root, {".gitattributes": attributes, ".git/info/attributes": attributes})
    _make_racy(root)


def _make_racy(root: Path) -> None:
    """Date the index no later than the oldest record file: git then cannot trust the files'
    times and must compare every one by content (through its clean filter)."""
    oldest = min(
        path.stat().st_mtime_ns
        for folder in ("elements", "provinces")
        for path in (root / folder).iterdir()
    )
    os.utime(root / ".git" / "index", ns=(oldest, oldest))


@pytest.fixture
def trapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(the trapped inventory, an untrapped copy, the marker file). History: the 2013 baseline
    (tagged), `main` with a revision and a new element, `feature` (checked out, its tip signed)
    with one more change; in the working tree an edited record and an untracked one."""
    root = build_inventory(tmp_path / "trapped", settings=BASELINE_SETTINGS)
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    repo = init_repo(root)
    commit(repo, "2013 baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    build_file_tree(
        root,
        {
            AITYS: element_yaml("KZ-2013-0002", national_category="II"),
            NEW: element_yaml("KZ-2026-0001"),
        },
    )
    commit(repo, "Revise Aitys, propose a new element", date="2025-06-01T12:00:00+05:00")
    repo.git.checkout("-q", "-b", "feature")
    build_file_tree(root, {NEW: element_yaml("KZ-2026-0001", national_category="II")})
    commit(repo, "Move the proposal to category II", date="2026-01-10T12:00:00+05:00")
    _sign(repo, "feature")
    build_file_tree(
        root,
        {
            AITYS: element_yaml("KZ-2013-0002", national_category="II", status="actve"),
            DRAFT: element_yaml("KZ-2026-0002"),
        },
    )
    copy = tmp_path / "untrapped"
    shutil.copytree(root, copy, symlinks=True)
    marker = tmp_path / "marker"
    _set_traps(root, tmp_path / "traps", marker)
    monkeypatch.chdir(tmp_path)
    return root, copy, marker


COMMANDS = (
    ("diff-2013", "--format", "json"),
    ("diff-2013",),
    ("diff", "--baseline", "inventory-2013", "--against", "main", "--format", "json"),
    ("packet", "--since", "main", "--output", "-"),
    ("packet", "--since", "main", "--audience", "committee", "--output", "-"),
    ("validate", "--new-since", "main", "--format", "json"),
    ("validate", "--new-since", "inventory-2013"),
    ("log", "KZ-2013-0002"),
    ("log", "KZ-2026-0001", "--format", "json"),
)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_commands_that_read_history_run_nothing_the_repository_configures(
    trapped: tuple[Path, Path, Path], run: Run, command: tuple[str, ...]
) -> None:
    root, copy, marker = trapped

    result = run(*command, "--repo", str(root))
    untrapped = run(*command, "--repo", str(copy))

    assert not marker.exists(), marker.read_text(encoding="utf-8")
    assert result.exit_code == untrapped.exit_code, result.stderr
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout == untrapped.stdout.replace(str(copy), str(root))
    assert result.stdout


def test_the_outputs_are_right_in_the_trapped_repository(
    trapped: tuple[Path, Path, Path], run: Run
) -> None:
    root, _, marker = trapped
    diff = run("diff-2013", "--format", "json", "--repo", str(root))
    assert '"added": 2' in diff.stdout and '"revised": 1' in diff.stdout, diff.stdout
    new = run("validate", "--new-since", "main", "--format", "json", "--repo", str(root))
    assert new.exit_code == 1 and '"rule": "schema.enum"' in new.stdout, new.stdout
    history = run("log", "KZ-2026-0001", "--repo", str(root))
    assert "Move the proposal to category II" in history.stdout, history.stdout
    assert "gpg" not in history.stdout
    assert not marker.exists()


def test_every_git_call_of_the_library_runs_nothing(trapped: tuple[Path, Path, Path]) -> None:
    root, copy, marker = trapped
    repo, plain = open_repo(root), open_repo(copy)
    assert repo.resolve("inventory-2013") == plain.resolve("inventory-2013")
    assert repo.head() == plain.head()
    assert repo.merge_base("main") == plain.merge_base("main")
    assert not repo.is_shallow()
    entries = repo.record_blobs("HEAD")
    assert entries == plain.record_blobs("HEAD")
    assert repo.read_blobs(e.blob for e in entries) == plain.read_blobs(e.blob for e in entries)
    assert list(repo.log()) == list(plain.log())
    assert repo.paths_ever_committed() == plain.paths_ever_committed()
    # Racily clean and filtered, yet compared byte for byte: git still vouches for them (and
    # for the edited record, not).
    committed = {e.path for e in entries}
    assert repo.clean_blobs() == {
        path: records.blob_id((root / path).read_bytes()) for path in committed - {AITYS}
    }
    with snapshot.working_tree(settings.load(root), repo=repo) as tree:
        assert tree.blobs()[AITYS] == records.blob_id((root / AITYS).read_bytes())
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_plain_git_springs_the_traps(trapped: tuple[Path, Path, Path]) -> None:
    """The control: git as the repository configures it runs each trap ichinv avoids."""
    root, _, marker = trapped

    def git_run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)

    git_run("ls-files", "-s")
    git_run("diff-files", "--name-only", "--", "elements/")
    git_run("diff-files", "--name-only", "--", "provinces/")
    git_run("log", "-1", "--format=%H", "feature")
    git_run("diff", "HEAD~1", "HEAD")
    sprung = {line.split()[0] for line in marker.read_text(encoding="utf-8").splitlines()}
    assert {"fsmonitor", "filter.clean", "filter.process", "gpg.program", "diff.command"} <= sprung


def _filtered_by(root: Path, marker: Path, driver: str, label: str) -> None:
    """The record files of `root` passed through the clean filter `driver`, a trap that notes
    `label` in `marker` when git runs it; the files racily clean (git would look at them)."""
    traps = marker.parent / "traps"
    with (root / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f'[filter "{driver}"]\n\tclean = {_trap(traps, marker, label)}\n')
    attributes = f"*.yaml filter={driver}\n"
    build_file_tree(root, {".gitattributes": attributes, ".git/info/attributes": attributes})
    _make_racy(root)


def test_a_filter_that_cannot_be_switched_off_by_name_means_hashing_every_file(
    trapped: tuple[Path, Path, Path],
) -> None:
    """`-c` cannot name a driver whose name holds `=`: then git is not asked at all."""
    root, _, marker = trapped
    _filtered_by(root, marker, "odd=name", "odd.clean")
    repo = open_repo(root)
    assert repo.clean_blobs() == {}
    with snapshot.working_tree(settings.load(root), repo=repo) as tree:
        for path, blob in tree.blobs().items():
            assert blob == records.blob_id((root / path).read_bytes())
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    subprocess.run(["git", "diff-files"], cwd=root, capture_output=True, check=False)
    assert "odd.clean" in marker.read_text(encoding="utf-8")


def test_a_filter_named_in_capitals_is_switched_off_by_its_own_name(
    trapped: tuple[Path, Path, Path],
) -> None:
    """git tells a driver `MixedCase` from `mixedcase`: only its own spelling switches it off
    (a switch spelt in lower case left it running while git compared a racily clean file)."""
    root, _, marker = trapped
    _filtered_by(root, marker, "MixedCase", "mixed.clean")
    repo = open_repo(root)
    repo.clean_blobs()
    with snapshot.working_tree(settings.load(root), repo=repo) as tree:
        for path, blob in tree.blobs().items():
            assert blob == records.blob_id((root / path).read_bytes())
    assert not marker.exists(), marker.read_text(encoding="utf-8")
    subprocess.run(["git", "diff-files"], cwd=root, capture_output=True, check=False)
    assert "mixed.clean" in marker.read_text(encoding="utf-8")  # the control: git runs it


def test_a_partial_clone_never_fetches_a_missing_object(
    git_inventory: Path, tmp_path: Path
) -> None:
    """A blob left out of a partial clone is missing (GitError), not fetched through the
    remote's upload-pack (or ssh command) that the clone's config names."""
    origin = git.Repo(git_inventory)
    origin.git.config("uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    subprocess.run(
        ["git", "clone", "-q", "--filter=blob:none", "--no-checkout", git_inventory.as_uri(),
         str(clone)],
        check=True, capture_output=True,
    )  # fmt: skip
    marker = tmp_path / "marker"
    upload_pack = tmp_path / "traps" / "upload-pack"
    upload_pack.parent.mkdir()
    upload_pack.write_text(
        f'#!/bin/sh\necho upload-pack >> "{marker}"\nexec git-upload-pack "$@"\n'
    )
    upload_pack.chmod(0o755)
    git.Repo(clone).git.config("remote.origin.uploadpack", str(upload_pack))
    repo = open_repo(clone)
    [entry] = [e for e in repo.record_blobs("HEAD") if e.path == AITYS]

    with pytest.raises(GitError) as caught:
        repo.read_blobs([entry.blob])
    assert "never fetches" in (caught.value.hint or "")

    assert not marker.exists()
    subprocess.run(["git", "cat-file", "-p", entry.blob], cwd=clone, capture_output=True)
    assert marker.read_text(encoding="utf-8").strip() == "upload-pack"
