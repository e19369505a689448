"""Git access and snapshots, on throwaway repositories: revisions, blobs, errors, working tree."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import git
import pytest

from ichinv.core.errors import GitError, RevisionNotFound
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.quick_read import quick_id
from ichinv.io import settings
from ichinv.io.git import TooLarge, open_repo
from ichinv.io.git_ignore import unignored
from tests.support.helpers import build_file_tree, commit, element_yaml, init_repo


def test_outside_a_git_repository_the_error_says_so_with_a_hint(inventory: Path) -> None:
    with pytest.raises(GitError) as caught:
        open_repo(inventory)
    assert "not in a git repository" in caught.value.message
    assert caught.value.hint and "git clone" in caught.value.hint


def test_revisions_resolve_to_commit_ids(git_inventory: Path) -> None:
    repo = open_repo(git_inventory)
    sha = git.Repo(git_inventory).head.commit.hexsha
    assert repo.resolve("inventory-2013") == sha
    assert repo.resolve("HEAD") == sha
    assert repo.resolve(sha[:10]) == sha
    assert repo.head() == sha


@pytest.mark.parametrize("rev", ["no-such-tag", "HEAD~5", "--all", "a b", ""])
def test_an_unknown_revision_is_revision_not_found(git_inventory: Path, rev: str) -> None:
    with pytest.raises(RevisionNotFound) as caught:
        open_repo(git_inventory).resolve(rev, what="baseline")
    assert "baseline revision" in caught.value.message
    assert caught.value.hint


def test_a_shallow_clone_says_how_to_fetch_the_history(git_inventory: Path, tmp_path: Path) -> None:
    repo = git.Repo(git_inventory)
    (git_inventory / "elements" / "KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    commit(repo, "add an element")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-tags", git_inventory.as_uri(), str(clone)],
        check=True,
    )
    shallow = open_repo(clone)
    assert shallow.is_shallow()
    with pytest.raises(GitError) as caught:
        shallow.resolve("inventory-2013", what="baseline")
    assert "shallow" in caught.value.message
    assert "fetch-depth: 0" in (caught.value.hint or "")
    assert "--unshallow" in (caught.value.hint or "")


def test_record_blobs_lists_records_with_their_blob_ids(git_inventory: Path) -> None:
    build_file_tree(
        git_inventory,
        {
            "elements/README.md": "not a record",
            "elements/nested/KZ-2013-0009.yaml": element_yaml("KZ-2013-0009"),
            "elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001"),
            "other/KZ-2013-0008.yaml": element_yaml("KZ-2013-0008"),
        },
    )
    sha = commit(git.Repo(git_inventory), "more files")
    entries = open_repo(git_inventory).record_blobs(sha)
    assert [(e.kind, e.path) for e in entries] == [
        (RecordKind.ELEMENT, "elements/KZ-2013-0001.yaml"),
        (RecordKind.ELEMENT, "elements/KZ-2013-0002.yaml"),
        (RecordKind.PROVINCE, "provinces/KZ-23.yaml"),
        (RecordKind.PROVINCE, "provinces/KZ-43.yaml"),
        (RecordKind.PROVINCE, "provinces/KZ-61.yaml"),
        (RecordKind.PROVINCE, "provinces/KZ-79.yaml"),
        (RecordKind.PROVINCE, "provinces/KZ-YUZ.yaml"),
    ]
    for entry in entries:
        assert entry.blob == records.blob_id((git_inventory / entry.path).read_bytes())


def test_many_blobs_stream_through_one_process(git_inventory: Path) -> None:
    # Enough bytes to fill the pipes both ways several times over: the batch must not deadlock.
    files = {
        f"elements/KZ-2014-{n:04d}.yaml": element_yaml(f"KZ-2014-{n:04d}", notes=None) + "#" * 900
        for n in range(1, 401)
    }
    build_file_tree(git_inventory, files)
    sha = commit(git.Repo(git_inventory), "400 elements")
    repo = open_repo(git_inventory)
    entries = repo.record_blobs(sha)
    contents = repo.read_blobs(e.blob for e in entries)
    for entry in entries:
        assert contents[entry.blob] == (git_inventory / entry.path).read_bytes()


def test_a_blob_over_the_size_limit_is_not_read(git_inventory: Path) -> None:
    repo = open_repo(git_inventory)
    blob = records.blob_id((git_inventory / "elements/KZ-2013-0002.yaml").read_bytes())
    small = records.blob_id((git_inventory / "provinces/KZ-23.yaml").read_bytes())
    limit = (git_inventory / "provinces/KZ-23.yaml").stat().st_size
    with repo.blob_reader() as reader:
        assert reader.read_many([blob, small], max_size=limit) == {
            blob: TooLarge(len((git_inventory / "elements/KZ-2013-0002.yaml").read_bytes())),
            small: (git_inventory / "provinces/KZ-23.yaml").read_bytes(),
        }
        assert reader.read(small) == (git_inventory / "provinces/KZ-23.yaml").read_bytes()


def test_a_missing_object_is_a_git_error(git_inventory: Path) -> None:
    with pytest.raises(GitError, match="missing"):
        open_repo(git_inventory).read_blobs(["0123456789" * 4])


def test_a_missing_object_blames_a_shallow_clone_only_in_one(git_inventory: Path) -> None:
    """The hint said "this is a shallow clone" of every clone (an outside tester's: a gitlink's
    commit, which is no object of this repository, read as a record)."""
    with pytest.raises(GitError) as caught:
        open_repo(git_inventory).read_blobs(["0123456789" * 4])
    assert "shallow" not in (caught.value.hint or "")
    assert "git fsck" in (caught.value.hint or "")


def test_merge_base(git_inventory: Path) -> None:
    repo = git.Repo(git_inventory)
    base = repo.head.commit.hexsha
    repo.git.checkout("-q", "-b", "feature")
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    commit(repo, "feature work")
    repo.git.checkout("-q", "main")
    (git_inventory / "elements/KZ-2026-0002.yaml").write_text(element_yaml("KZ-2026-0002"))
    commit(repo, "main work")
    assert open_repo(git_inventory).merge_base("main", "feature") == base


def test_an_inventory_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "monorepo"
    build_file_tree(
        top,
        {
            "README.md": "other things",
            "elements/KZ-2013-0007.yaml": "not this one",
            "heritage/pyproject.toml": "[tool.ichinv]\n",
            "heritage/elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001"),
        },
    )
    sha = commit(init_repo(top), "first")
    repo = open_repo(top / "heritage")
    assert repo.prefix == "heritage/"
    assert [e.path for e in repo.record_blobs(sha)] == ["elements/KZ-2013-0001.yaml"]
    (top / "heritage/elements/KZ-2013-0001.yaml").write_text(
        element_yaml("KZ-2013-0001", national_category="II")
    )
    commit(git.Repo(top), "edit")
    logged = list(repo.log())
    assert [c.subject for c in logged] == ["edit", "first"]
    assert [c.path for c in logged[0].changes] == ["elements/KZ-2013-0001.yaml"]


@pytest.mark.parametrize("top_name", ["plain", "two\nlines", "a space\n ", "ends\n"])
def test_the_repository_attributes_file_is_found_whatever_the_folders_are_named(
    tmp_path: Path, top_name: str
) -> None:
    # `git rev-parse` says the top and the attributes file on a line each: a name with a line
    # break in it is asked for alone, and its attributes file still found.
    top = tmp_path / top_name
    aitys = "elements/KZ-2013-0002.yaml"
    build_file_tree(top, {f"heritage/{aitys}": element_yaml("KZ-2013-0002")})
    commit(init_repo(top), "first")
    repo = open_repo(top / "heritage")
    assert (repo.top, repo.prefix) == (top.resolve(), "heritage/")
    (top / ".git/info").mkdir(exist_ok=True)
    (top / ".git/info/attributes").write_text("*.yaml text eol=crlf\n")
    path = top / "heritage" / aitys
    path.unlink()
    git.Repo(top).git.checkout("--", "heritage")
    assert b"\r\n" in path.read_bytes()
    assert aitys not in repo.clean_blobs()  # converted: its bytes are not its blob's


def test_gitlinks_are_folders_the_index_holds_as_another_repository(tmp_path: Path) -> None:
    top = tmp_path / "monorepo"
    build_file_tree(
        top,
        {
            "heritage/pyproject.toml": "[tool.ichinv]\n",
            "heritage/provinces/KZ-23.yaml": "id: KZ-23\n",
            "heritage/elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001"),
        },
    )
    commit(init_repo(top / "heritage" / "elements"), "records of their own")
    commit(init_repo(top), "first")  # `git add` of a repository: a gitlink, no .gitmodules
    repo = open_repo(top / "heritage")
    assert repo.gitlinks(["elements", "provinces", "templates"]) == {"elements"}
    assert repo.gitlinks([]) == set()


def test_log_reads_odd_commit_subjects(git_inventory: Path) -> None:
    repo = git.Repo(git_inventory)
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    commit(repo, "Айтыс | qo'shiq \x1e%s:100644 -- elements/x.yaml")
    latest = next(open_repo(git_inventory).log())
    assert latest.subject == "Айтыс | qo'shiq \x1e%s:100644 -- elements/x.yaml"
    assert [(c.status, c.path, c.old_blob) for c in latest.changes] == [
        ("A", "elements/KZ-2026-0001.yaml", None)
    ]


# --- snapshots -------------------------------------------------------------------------------------


def test_the_working_tree_includes_uncommitted_and_untracked_records(git_inventory: Path) -> None:
    cfg = settings.load(git_inventory)
    committed = snapshot.at_commit(cfg, "HEAD")
    (git_inventory / "elements/KZ-2013-0002.yaml").write_text(
        element_yaml("KZ-2013-0002", national_category="II")
    )
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    with committed, snapshot.working_tree(cfg) as tree:
        assert set(tree.blobs()) == {"elements/KZ-2013-0002.yaml", "elements/KZ-2026-0001.yaml"}
        assert (
            tree.blobs()["elements/KZ-2013-0002.yaml"]
            != committed.blobs()["elements/KZ-2013-0002.yaml"]
        )
        new = tree.record("elements/KZ-2026-0001.yaml")
        assert isinstance(new, Record) and new.id == "KZ-2026-0001"
        old = committed.record("elements/KZ-2013-0002.yaml")
        assert isinstance(old, Record) and old.data["national_category"] == "I"


def test_a_commit_snapshot_parses_only_what_is_asked(git_inventory: Path) -> None:
    cfg = settings.load(git_inventory)
    with snapshot.at_commit(cfg, "inventory-2013") as old:
        assert old._parsed == {}
        old.records(["elements/KZ-2013-0002.yaml"])
        assert list(old._parsed) == ["elements/KZ-2013-0002.yaml"]


def test_a_record_that_fails_to_parse_is_a_finding(git_inventory: Path) -> None:
    (git_inventory / "elements/KZ-2013-0002.yaml").write_text("id: [unclosed\n")
    commit(git.Repo(git_inventory), "break it")
    with snapshot.at_commit(settings.load(git_inventory), "HEAD") as broken:
        finding = broken.record("elements/KZ-2013-0002.yaml")
    assert isinstance(finding, Finding) and finding.rule.startswith("yaml.")


def test_a_commit_snapshot_gives_the_bytes_of_every_record(git_inventory: Path) -> None:
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    with snapshot.at_commit(settings.load(git_inventory), "inventory-2013") as then:
        assert then.paths(RecordKind.ELEMENT) == ["elements/KZ-2013-0002.yaml"]
        for path, rec in then.records(then.files).items():
            assert isinstance(rec, Record)
            assert rec.blob == records.blob_id((git_inventory / path).read_bytes())


def test_quick_id_reads_the_id_line_only() -> None:
    assert quick_id(b"names:\n  en: x\nid: KZ-2013-0001 # comment\n") == "KZ-2013-0001"
    assert quick_id(b"id: 'KZ-23'\r\n") == "KZ-23"
    assert quick_id(b"description:\n  id: KZ-2013-0001\n") is None
    assert quick_id(b"id: KZ-2013-0001x\n") is None


def test_the_working_tree_holds_the_same_files_validate_reads(
    inventory: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(element_yaml("KZ-2013-0008"))
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001"),
            "elements/.hidden.yaml": "id: x\n",
            "elements/notes.txt": "not a record",
            "elements/KZ-2013-0003.yml": element_yaml("KZ-2013-0003"),
            "elements/folder.yaml/KZ-2013-0004.yaml": element_yaml("KZ-2013-0004"),
            "provinces/KZ-99.yaml": "id: KZ-99\n",
        },
    )
    (inventory / "elements/KZ-2013-0005.yaml").symlink_to(inventory / "elements/KZ-2013-0001.yaml")
    (inventory / "elements/KZ-2013-0006.yaml").symlink_to(outside)
    cfg = settings.load(inventory)
    files, _ = records.discover(cfg)
    with snapshot.working_tree(cfg) as tree:
        assert sorted(tree.files) == sorted(f.rel for f in files)
        assert "elements/KZ-2013-0005.yaml" in tree.files


def test_git_vouches_only_for_unmodified_tracked_files(git_inventory: Path) -> None:
    repo = open_repo(git_inventory)
    aitys = "elements/KZ-2013-0002.yaml"
    assert repo.clean_blobs()[aitys] == records.blob_id((git_inventory / aitys).read_bytes())
    (git_inventory / aitys).write_text(element_yaml("KZ-2013-0002"))
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    clean = repo.clean_blobs()
    assert aitys not in clean and "elements/KZ-2026-0001.yaml" not in clean
    assert "provinces/KZ-23.yaml" in clean
    git.Repo(git_inventory).git.update_index("--assume-unchanged", "provinces/KZ-23.yaml")
    assert "provinces/KZ-23.yaml" not in repo.clean_blobs()
    with snapshot.working_tree(settings.load(git_inventory), repo=repo) as tree:
        assert tree.blobs()[aitys] == records.blob_id((git_inventory / aitys).read_bytes())


def test_paths_ever_committed_on_any_branch(git_inventory: Path) -> None:
    repo = git.Repo(git_inventory)
    repo.git.checkout("-q", "-b", "feature")
    (git_inventory / "elements/KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"))
    commit(repo, "feature")
    repo.git.checkout("-q", "main")
    (git_inventory / "elements/KZ-2013-0002.yaml").unlink()
    commit(repo, "remove")
    assert open_repo(git_inventory).paths_ever_committed() == {
        "elements/KZ-2013-0002.yaml",
        "elements/KZ-2026-0001.yaml",
    }


def test_the_listing_of_files_on_disk_runs_once_while_git_lists_its_index(
    git_inventory: Path,
) -> None:
    """A snapshot of the working tree lists the record folders while git lists its index (in
    a process of its own): the listing runs exactly once, whether git can be asked or not."""
    repo = open_repo(git_inventory)
    calls: list[int] = []
    assert repo.clean_blobs(lambda: calls.append(1)) == repo.clean_blobs()
    assert calls == [1]
    git.Repo(git_inventory).git.config("core.autocrlf", "true")  # git is not asked then
    assert repo.clean_blobs(lambda: calls.append(2)) == {}
    assert calls == [1, 2]
    with snapshot.working_tree(settings.load(git_inventory), repo=repo) as tree:
        listed, __ = records.discover(settings.load(git_inventory))
        assert sorted(tree.files) == sorted(f.rel for f in listed)


@pytest.mark.parametrize(
    ("signal_name", "raised"), [("KILL", GitError), ("INT", KeyboardInterrupt)], ids=["KILL", "INT"]
)
def test_a_git_stopped_by_a_signal_is_not_a_revision_not_found(
    git_inventory: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    signal_name: str,
    raised: type[BaseException],
) -> None:
    # An outside test killed ichinv's git processes: `--new-since HEAD` said "revision 'HEAD'
    # not found". Killed (the out-of-memory killer), git is said to have stopped; Ctrl-C that
    # reached it (the terminal sends it to the whole command) interrupts the command.
    import shutil
    import sys

    # In Python, not sh: a shell that starts with SIGINT ignored (as whatever a non-interactive
    # shell runs in the background does, a CI job perhaps) cannot stop itself with it.
    stopped = tmp_path / "git"
    stopped.write_text(
        f"#!{sys.executable}\n"
        "import os, signal, sys\n"
        "if '--verify' in sys.argv:\n"
        f"    if signal.SIG{signal_name} != signal.SIGKILL:\n"
        f"        signal.signal(signal.SIG{signal_name}, signal.SIG_DFL)\n"
        f"    os.kill(os.getpid(), signal.SIG{signal_name})\n"
        f"os.execv({shutil.which('git')!r}, [{shutil.which('git')!r}, *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    stopped.chmod(0o755)
    monkeypatch.setenv("GIT_PYTHON_GIT_EXECUTABLE", str(stopped))
    repo = open_repo(git_inventory)
    with pytest.raises(raised) as caught:
        repo.resolve("HEAD")
    if raised is GitError:
        assert str(caught.value.message).startswith(
            "git rev-parse was stopped by signal SIGKILL before it finished"
        )
        assert "memory" in str(caught.value.hint)


def test_a_batch_read_stopped_half_way_ends_at_once(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGTERM (SystemExit) while thousands of blobs were on their way: git, no longer read,
    # stopped reading the ids, and the thread writing them waited on a full pipe for ever.
    import threading

    from ichinv.io import git_blobs

    folder = git_inventory / "blobs"
    folder.mkdir()
    for n in range(4000):
        (folder / f"{n}.txt").write_text(f"blob {n}\n" + "x" * 200, encoding="utf-8")
    listed = "\n".join(str(folder / f"{n}.txt") for n in range(4000))
    ids = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin-paths"],  # noqa: S607 - the test's own git
            cwd=git_inventory,
            input=listed.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split()
    )
    assert len(set(ids)) == 4000
    original = git_blobs.BlobReader._read_one
    calls: list[str] = []

    def stopped(self: git_blobs.BlobReader, blob: str, max_size: int | None) -> object:
        calls.append(blob)
        if len(calls) == 2:
            time.sleep(0.5)  # the pipes fill meanwhile
            raise SystemExit(143)
        return original(self, blob, max_size)

    monkeypatch.setattr(git_blobs.BlobReader, "_read_one", stopped)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            with git_blobs.BlobReader("git", git_inventory) as reader:
                reader.read_many(ids)
        except BaseException as exc:  # noqa: BLE001 - what ended it is the answer
            outcome.append(exc)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "still waiting on git 20 s after it was stopped"
    assert [type(e) for e in outcome] == [SystemExit]


def test_a_relative_git_dir_is_read_from_where_ichinv_was_started(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git runs in the inventory's root: `GIT_DIR=../.git` given in elements/ named the folder
    # above the inventory there (an outside attack: "not in a git repository").
    monkeypatch.chdir(git_inventory / "elements")
    monkeypatch.setenv("GIT_DIR", "../.git")
    repo = open_repo(git_inventory)
    assert repo.head() == git.Repo(git_inventory).head.commit.hexsha


def test_an_index_file_named_relative_is_read_from_the_top_as_git_reads_it(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git reads a relative GIT_INDEX_FILE from the top of the working tree, wherever it was
    # started (an outside review: made whole from ichinv's folder, it named no file).
    (git_inventory / "copy-of-index").write_bytes((git_inventory / ".git/index").read_bytes())
    expected = open_repo(git_inventory).clean_blobs()
    assert expected
    monkeypatch.chdir(git_inventory / "elements")
    monkeypatch.setenv("GIT_INDEX_FILE", "copy-of-index")
    assert open_repo(git_inventory).clean_blobs() == expected


def test_ignore_rules_outside_a_repository_ignore_the_users_repository_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside a repository, git asks a repository of ichinv's own: the user's GIT_COMMON_DIR
    # made `git init` of it fail, and GIT_OBJECT_DIRECTORY had it write into their folder.
    root = tmp_path / "copy"
    build_file_tree(root, {".gitignore": "*.tmp\n", "elements/a.yaml": "", "b.tmp": ""})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_COMMON_DIR", "elsewhere")
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(tmp_path / "objects"))
    assert unignored(root, ["elements/a.yaml", "b.tmp"], tracked=False) == ["elements/a.yaml"]
    assert not (tmp_path / "objects").exists()
