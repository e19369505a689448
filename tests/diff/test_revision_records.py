"""Records read from a git revision (`diff --against REV`, `log`) as the working tree reads
them: elements/ committed as a symbolic link, a record moved into a folder inside elements/,
a record path committed as a gitlink or a symbolic link (an outside tester's findings)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support.helpers import Result, commit, element_yaml

Run = Callable[..., Result]
AITYS = "elements/KZ-2013-0003.yaml"
GITLINK = "1234567890123456789012345678901234567890"


@pytest.fixture
def two(git_inventory: Path) -> Path:
    """A 2013 baseline (tag inventory-2013) of two elements, KZ-2013-0002 and KZ-2013-0003."""
    (git_inventory / AITYS).write_text(element_yaml("KZ-2013-0003"), encoding="utf-8")
    repo = git.Repo(git_inventory)
    commit(repo, "2013 list")
    repo.create_tag("inventory-2013", force=True)
    return git_inventory


def _json(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _statuses(result: Result) -> dict[str, str]:
    return {e["id"]: e["status"] for e in _json(result)["elements"]}


def _commit_index(repo: git.Repo, message: str) -> None:
    """Commit what the index holds (the helper's `git add --all` would undo a gitlink)."""
    repo.git.commit("--no-verify", "-q", "-m", message)


# --- 3: elements/ committed as a symbolic link to a folder of the inventory ------------------


def test_elements_committed_as_a_link_is_read_where_it_leads(two: Path, run: Run) -> None:
    """`diff-2013 --against HEAD` said every element removed (exit 0) and `log` "removed",
    where the working tree, read through the link, had them unchanged."""
    repo = git.Repo(two)
    repo.git.mv("elements", "records")
    os.symlink("records", two / "elements")
    commit(repo, "elements is a link to records/")
    tree = run("diff-2013", "--format", "json")
    against = run("diff-2013", "--against", "HEAD", "--format", "json")
    assert (tree.exit_code, against.exit_code) == (0, 0), against.stderr
    unchanged = {"KZ-2013-0002": "unchanged", "KZ-2013-0003": "unchanged"}
    assert _statuses(against) == _statuses(tree) == unchanged
    (two / "records/KZ-2013-0003.yaml").write_text(
        element_yaml("KZ-2013-0003", national_category="II"), encoding="utf-8"
    )
    commit(repo, "Aitys: category II, edited through the link")
    logged = run("log", "KZ-2013-0003", "--format", "json")
    assert logged.exit_code == 0, logged.stderr
    commits = _json(logged)["commits"]
    assert [(c["subject"], c["status"]) for c in commits] == [
        ("Aitys: category II, edited through the link", "revised"),
        ("2013 list", "added"),
    ]
    assert [c["pointer"] for c in commits[0]["changes"]] == ["/national_category"]
    assert _statuses(run("diff-2013", "--against", "HEAD", "--format", "json")) == {
        "KZ-2013-0002": "unchanged",
        "KZ-2013-0003": "revised",
    }


def test_elements_committed_as_a_link_leading_out_is_named(
    two: Path, run: Run, tmp_path: Path
) -> None:
    """A link out of the inventory is not followed, as in the working tree: the diff names it
    (exit 1), and `log` says why the record cannot be read since (exit 1), never "removed"."""
    outside = tmp_path / "outside"
    shutil.copytree(two / "elements", outside)
    repo = git.Repo(two)
    repo.git.rm("-r", "-q", "elements")
    os.symlink(outside, two / "elements")
    commit(repo, "elements leads out")
    result = run("diff-2013", "--against", "HEAD", "--audience", "committee")
    assert result.exit_code == 1
    assert "elements: error [file.record-folder] elements/ is a symbolic link to " in result.stdout
    assert "outside the inventory; no record in it was read" in result.stderr
    # Where it leads is a path of someone's machine: not public (a second outside review).
    public = run("diff-2013", "--against", "HEAD")
    assert public.exit_code == 1
    assert str(outside) not in public.stdout + public.stderr
    assert "elements: error [file.record-folder] no record is read from it: it is a symbolic " in (
        public.stdout
    )
    logged = run("log", "KZ-2013-0003")
    assert logged.exit_code == 1
    assert "removed" not in logged.stdout
    assert str(outside) not in logged.stdout + logged.stderr
    assert "the record of KZ-2013-0003 cannot be read: no record is read from it" in (logged.stderr)
    committee = run("log", "KZ-2013-0003", "--audience", "committee")
    assert "the record of KZ-2013-0003 cannot be read: elements/ is a symbolic link" in (
        committee.stderr
    )


# --- 4: a record moved into a folder inside elements/ ----------------------------------------


@pytest.mark.parametrize(
    ("moved_to", "named"),
    [
        ("elements/drafts/KZ-2013-0003.yaml", "drafts"),
        ("elements/KZ-2013-0003.yaml/KZ-2013-0003.txt", "KZ-2013-0003.yaml"),
    ],
)
def test_a_record_moved_into_a_folder_has_no_status_at_a_revision_either(
    two: Path, run: Run, moved_to: str, named: str
) -> None:
    """It was `removed`, problems empty, exit 0 against HEAD (and `log` said removed), where
    the working tree's diff named it under problems, exit 1. Also a record replaced by a
    folder of its name (which the working tree's diff called removed too)."""
    text = (two / AITYS).read_text("utf-8")
    (two / AITYS).unlink()
    (two / moved_to).parent.mkdir(parents=True)
    (two / moved_to).write_text(text, encoding="utf-8")
    commit(git.Repo(two), "move Aitys into a folder")
    tree = run("diff-2013", "--format", "json", "--audience", "committee")
    against = run("diff-2013", "--against", "HEAD", "--format", "json", "--audience", "committee")
    for result in (tree, against):
        assert result.exit_code == 1, result.stderr
        document = _json(result)
        assert _statuses(result) == {"KZ-2013-0002": "unchanged"}
        assert document["summary"]["removed"] == 0
        [problem] = document["problems"]
        assert problem["path"] == f"elements/{named}"
        assert problem["rule"] == "file.folder"
        assert f"elements/ holds a folder '{named}'" in problem["message"]
    assert _json(tree)["problems"] == _json(against)["problems"]
    logged = run("log", "KZ-2013-0003", "--audience", "committee", "--format", "json")
    assert logged.exit_code == 1
    latest = _json(logged)["commits"][0]
    assert (latest["subject"], latest["status"]) == ("move Aitys into a folder", "revised")
    assert (latest["path"], latest["old_path"]) == (moved_to, AITYS)
    assert [p["rule"] for p in latest["problems"]] == ["file.folder"]


# --- 6: a gitlink (a submodule's entry) at a record's path ------------------------------------


def test_a_record_committed_as_a_gitlink_is_named_and_its_history_kept(two: Path, run: Run) -> None:
    """`log` said there was no such element (exit 2) and, once the entry was dropped, blamed
    a shallow clone that was none; `diff --against HEAD` counted it as removed (exit 0)."""
    repo = git.Repo(two)
    repo.git.rm("-q", "--cached", AITYS)
    (two / AITYS).unlink()
    repo.git.update_index("--add", "--cacheinfo", f"160000,{GITLINK},{AITYS}")
    _commit_index(repo, "Aitys becomes a submodule entry")
    words = "is stored in git as a link to another git repository (a gitlink"
    result = run("diff-2013", "--against", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert _statuses(result) == {"KZ-2013-0002": "unchanged"}
    [problem] = _json(result)["problems"]
    assert (problem["path"], problem["rule"]) == (AITYS, "file.symlink")
    assert words in problem["message"]
    logged = run("log", "KZ-2013-0003")
    assert logged.exit_code == 1, logged.stderr
    # What the record is now is not known: the public sees no subject (nor field) of its commits.
    assert (
        "Aitys becomes a submodule entry" not in logged.stdout and "2013 list" not in logged.stdout
    )
    committee = run("log", "KZ-2013-0003", "--audience", "committee").stdout
    assert "Aitys becomes a submodule entry" in committee and "2013 list" in committee
    assert words in logged.stderr and "shallow" not in logged.stderr
    repo.git.rm("-q", "--cached", AITYS)
    _commit_index(repo, "drop the entry")
    dropped = run("log", "KZ-2013-0003", "--format", "json")
    assert dropped.exit_code == 1, dropped.stderr
    assert "shallow" not in dropped.stderr
    assert [c["status"] for c in _json(dropped)["commits"]] == ["removed", "revised", "added"]
    told = run("log", "KZ-2013-0003", "--format", "json", "--audience", "committee")
    assert [(c["subject"], c["status"]) for c in _json(told)["commits"]] == [
        ("drop the entry", "removed"),
        ("Aitys becomes a submodule entry", "revised"),
        ("2013 list", "added"),
    ]


def test_a_gitlink_committed_over_a_record_still_on_disk_is_in_its_history(
    two: Path, run: Run
) -> None:
    """With the file still in the working tree, `log` said "no commit touched this
    element" (exit 0)."""
    repo = git.Repo(two)
    repo.git.update_index("--cacheinfo", f"160000,{repo.head.commit.hexsha},{AITYS}")
    _commit_index(repo, "a gitlink over Aitys")
    logged = run("log", "KZ-2013-0003")
    assert logged.exit_code == 1
    assert "no commit touched" not in logged.stdout
    assert "a gitlink over Aitys" not in logged.stdout  # a version not read: withheld whole
    assert "a gitlink over Aitys" in run("log", "KZ-2013-0003", "--audience", "committee").stdout


# --- 8: a record replaced by a symbolic link --------------------------------------------------


def test_log_says_a_record_replaced_by_a_link_is_a_link(two: Path, run: Run) -> None:
    """`log` said it "holds a piece of plain text" (yaml.not-mapping), where the diff says
    "stored in git as a symbolic link"."""
    (two / AITYS).rename(two / "aitys.yaml")
    os.symlink("../aitys.yaml", two / AITYS)
    commit(git.Repo(two), "Aitys becomes a link")
    words = f"{AITYS} is stored in git as a symbolic link, not a record; it was not read"
    logged = run("log", "KZ-2013-0003", "--format", "json")
    assert logged.exit_code == 1
    [problem] = _json(logged)["commits"][0]["problems"]
    assert (problem["rule"], problem["message"]) == ("file.symlink", words)
    assert "not-mapping" not in logged.stderr
    assert words in run("diff-2013", "--against", "HEAD").stdout


# --- a review of the above: a .gitkeep, a folder of an id's name without .yaml, the baseline -


def test_a_gitkeep_that_is_not_empty_is_named_at_a_revision_as_in_the_working_tree(
    two: Path, run: Run
) -> None:
    """At a revision, a `.gitkeep` holding text was taken for the empty file a records folder
    may keep (exit 0, no problem), where the working tree says `file.hidden` (exit 1)."""
    repo = git.Repo(two)
    keep = two / "elements/.gitkeep"
    keep.write_text("contacts: +7 700 000 00 00\n", encoding="utf-8")
    commit(repo, "a .gitkeep holding text")
    tree = run("diff-2013", "--format", "json", "--audience", "committee")
    against = run("diff-2013", "--against", "HEAD", "--format", "json", "--audience", "committee")
    for result in (tree, against):
        assert result.exit_code == 1, result.stderr
        assert [(p["path"], p["rule"]) for p in _json(result)["problems"]] == [
            ("elements/.gitkeep", "file.hidden")
        ]
    assert _json(tree)["problems"] == _json(against)["problems"]
    keep.write_bytes(b"")
    commit(repo, "an empty .gitkeep")
    for args in ((), ("--against", "HEAD")):
        result = run("diff-2013", *args, "--format", "json", "--audience", "committee")
        assert (result.exit_code, _json(result)["problems"]) == (0, []), result.stderr


def test_a_folder_named_by_an_id_without_yaml_holds_no_element(two: Path, run: Run) -> None:
    """`elements/KZ-2013-0002/photo.jpg` "held" KZ-2013-0002: the diff dropped it (its
    record at elements/KZ-2013-0002.yaml reads fine), and `log` took the photo for the
    element's record, added, and lost the commit that removed it."""
    repo = git.Repo(two)
    photo = two / "elements/KZ-2013-0002/photo.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    commit(repo, "a photo of Aitys")
    both = {"KZ-2013-0002": "unchanged", "KZ-2013-0003": "unchanged"}
    for args in ((), ("--against", "HEAD")):
        result = run("diff-2013", *args, "--format", "json", "--audience", "committee")
        assert result.exit_code == 1, result.stderr  # the folder is named
        assert _statuses(result) == both
        assert _json(result)["summary"]["unchanged"] == 2
        assert [p["path"] for p in _json(result)["problems"]] == ["elements/KZ-2013-0002"]
    shutil.rmtree(photo.parent)
    (two / "elements/KZ-2013-0002.yaml").unlink()
    commit(repo, "KZ-2013-0002 leaves the list")
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    commit(repo, "the photo again")
    logged = run("log", "KZ-2013-0002", "--format", "json")
    assert logged.exit_code == 0, logged.stderr
    assert [(c["subject"], c["status"]) for c in _json(logged)["commits"]] == [
        ("KZ-2013-0002 leaves the list", "removed"),
        ("2013 baseline", "added"),
    ]


def test_a_readable_record_wins_over_what_a_name_in_a_subfolder_guesses(
    two: Path, run: Run
) -> None:
    """A copy in elements/drafts/ kept the element of the readable record at its own path
    out of the diff; now the record's element has its status, and the folder is named."""
    drafts = two / "elements/drafts"
    drafts.mkdir()
    shutil.copy(two / AITYS, drafts / "KZ-2013-0003.yaml")
    commit(git.Repo(two), "a draft of Aitys")
    for args in ((), ("--against", "HEAD")):
        result = run("diff-2013", *args, "--format", "json", "--audience", "committee")
        assert result.exit_code == 1, result.stderr
        assert _statuses(result) == {"KZ-2013-0002": "unchanged", "KZ-2013-0003": "unchanged"}
        assert [p["path"] for p in _json(result)["problems"]] == ["elements/drafts"]


def _leading_out(root: Path, repo: git.Repo, outside: Path) -> None:
    shutil.copytree(root / "elements", outside)
    repo.git.rm("-r", "-q", "elements")
    os.symlink(outside, root / "elements")
    commit(repo, "odd elements/")
    (root / "elements").unlink()
    shutil.copytree(outside, root / "elements")


def _gitlink(root: Path, repo: git.Repo, outside: Path) -> None:
    repo.git.rm("-r", "-q", "--cached", "elements")
    repo.git.update_index("--add", "--cacheinfo", f"160000,{GITLINK},elements")
    _commit_index(repo, "odd elements/")
    repo.git.rm("-q", "--cached", "elements")


def _in_a_subfolder(root: Path, repo: git.Repo, outside: Path) -> None:
    (root / "elements/drafts").mkdir()
    (root / AITYS).rename(root / "elements/drafts/KZ-2013-0003.yaml")
    commit(repo, "odd elements/")
    (root / "elements/drafts/KZ-2013-0003.yaml").rename(root / AITYS)
    (root / "elements/drafts").rmdir()


@pytest.mark.parametrize(
    ("make", "problem", "unchanged"),
    [
        (_leading_out, ("elements", "file.record-folder"), {}),
        (_gitlink, ("elements", "file.record-folder"), {}),
        (_in_a_subfolder, ("elements/drafts", "file.folder"), {"KZ-2013-0002": "unchanged"}),
    ],
)
def test_what_the_baseline_holds_that_is_no_record_is_named_and_its_elements_have_no_status(
    two: Path,
    run: Run,
    tmp_path: Path,
    make: Callable[[Path, git.Repo, Path], None],
    problem: tuple[str, str],
    unchanged: dict[str, str],
) -> None:
    """A baseline whose elements/ led out of the inventory, was a gitlink, or held a record
    in a subfolder: every element it may hold was `added`, problems empty, exit 0, where the
    same commit given as --against is named (exit 1). Now the baseline's problems are the
    answer's, in the same words, and those elements have no status."""
    repo = git.Repo(two)
    make(two, repo, tmp_path / "outside")
    odd = repo.head.commit.hexsha
    commit(repo, "elements/ as it should be")
    result = run("diff", "--baseline", odd, "--format", "json", "--audience", "committee")
    assert result.exit_code == 1, result.stderr
    document = _json(result)
    assert _statuses(result) == unchanged
    assert document["summary"]["added"] == 0
    assert [(p["path"], p["rule"]) for p in document["problems"]] == [problem]
    assert "this answer is incomplete" in result.stderr
    against = run(
        "diff",
        "--baseline",
        "inventory-2013",
        "--against",
        odd,
        "-f",
        "json",
        "--audience",
        "committee",
    )
    assert against.exit_code == 1
    assert _statuses(against) == unchanged
    assert _json(against)["problems"] == document["problems"]


def test_a_stray_file_in_the_baseline_that_holds_no_element_fails_nothing(
    two: Path, run: Run
) -> None:
    """A baseline is history: a file in its elements/ that holds no element (notes.txt) keeps
    no status unknown, so it does not make every later diff incomplete (exit 1) for ever."""
    repo = git.Repo(two)
    (two / "elements/notes.txt").write_text("what the folder holds\n", encoding="utf-8")
    commit(repo, "a note among the records")
    baseline = repo.head.commit.hexsha
    (two / "elements/notes.txt").unlink()
    commit(repo, "the note moved out")
    result = run("diff", "--baseline", baseline, "--format", "json", "--audience", "committee")
    assert result.exit_code == 0, result.stderr
    assert _json(result)["problems"] == []
    assert _statuses(result) == {"KZ-2013-0002": "unchanged", "KZ-2013-0003": "unchanged"}
