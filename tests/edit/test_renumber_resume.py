"""`renumber OLD` completes only a renumber that was cut short: a file `elements/OLD.yaml`
holding another id for another reason (a mistyped id, a file copied and edited) is refused.

Found by an outside review: any such file was taken for a renumber killed before it renamed the
file and renamed to the id it held, none of the checks of `--to` made, exit 0: an id of the
git history given again, one of a year still to come, another element's private overlay
file (someone's contacts) made this record's. A renumber that was cut short is completed
(tests/edit/test_renumber_killed.py), whether the record is named by the id of its file's name
or by its path (by its path, a renumber cut short was not completed: found by an outside review,
it gave the record a third id).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]

PROVENANCE = {"entered": "2026-02-01", "sources": [{"list": "community-inventory"}]}
HINT = (
    "hint: if the id was mistyped, write {old} back in the file (`ichinv validate` reports such "
    "a file: id.file-name); to give the record another id, do that, then run `ichinv renumber "
    "{old} --to ID`\n"
)


def element(element_id: str) -> str:
    return element_yaml(element_id, provenance=PROVENANCE)


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root.parent).as_posix(): p.read_bytes()
        for p in sorted(root.parent.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def refused(
    run: Run, root: Path, old: str, new: str, reason: str, *args: str, by_path: bool = False
) -> None:
    """`renumber old` (or, `by_path`, `renumber elements/<old>.yaml`) of elements/<old>.yaml,
    which holds `new`: refused for `reason`, nothing changed."""
    before = files(root)
    result = run("renumber", f"elements/{old}.yaml" if by_path else old, *args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"error: elements/{old}.yaml holds the id {new}, not the {old} of its name, and no "
        f"renumber of {old} can have left it so: {reason}\n" + HINT.format(old=old)
    )
    assert result.stdout == ""
    assert files(root) == before


def test_a_mistyped_id_of_the_history_is_not_given_again(git_inventory: Path, run: Run) -> None:
    repo = git.Repo(git_inventory)
    build_file_tree(git_inventory, {"elements/KZ-2026-0055.yaml": element("KZ-2026-0055")})
    commit(repo, "KZ-2026-0055")
    repo.index.remove(["elements/KZ-2026-0055.yaml"], working_tree=True)
    commit(repo, "KZ-2026-0055 withdrawn")
    build_file_tree(git_inventory, {"elements/KZ-2026-0056.yaml": element("KZ-2026-0055")})
    reason = "KZ-2026-0055 is already used (in elements/ or in the git history)"
    refused(run, git_inventory, "KZ-2026-0056", "KZ-2026-0055", reason)
    refused(run, git_inventory, "KZ-2026-0056", "KZ-2026-0055", reason, "--to", "KZ-2026-0055")
    checked = run("validate")
    assert "error [id.file-name] the id is 'KZ-2026-0055'" in checked.stdout


def test_renumber_by_the_name_of_a_copy_says_what_the_file_is(
    git_inventory: Path, run: Run
) -> None:
    """An outside review: for a copy (elements/KZ-2026-0002.yaml holding the committed
    KZ-2026-0001), the hint of id.file-name said to complete a renumber with `ichinv renumber
    KZ-2026-0002`, which answered "there is no element KZ-2026-0002 …, did you mean
    KZ-2026-0001?". It says why no renumber leaves the file so, and what to run."""
    build_file_tree(git_inventory, {"elements/KZ-2026-0001.yaml": element("KZ-2026-0001")})
    commit(git.Repo(git_inventory), "KZ-2026-0001")
    elements = git_inventory / "elements"
    shutil.copy(elements / "KZ-2026-0001.yaml", elements / "KZ-2026-0002.yaml")
    checked = run("validate")
    assert (
        "elements/KZ-2026-0002.yaml:1:5: error [id.file-name] the id is 'KZ-2026-0001' but the "
        "file is named 'KZ-2026-0002.yaml'; hint: if the id was mistyped, or the file is a copy "
        "made for a new element, write KZ-2026-0002 in the file as its id; if a renumber of "
        "KZ-2026-0002 was cut short (it leaves its file so), `ichinv renumber KZ-2026-0002` "
        "completes it, or says why it cannot\n"
    ) in checked.stdout
    before = files(git_inventory)
    result = run("renumber", "KZ-2026-0002")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: elements/KZ-2026-0002.yaml holds the id KZ-2026-0001, which "
        "elements/KZ-2026-0001.yaml holds too, and no renumber of KZ-2026-0002 leaves its file "
        "so\n"
        "hint: if the file is a copy made for a new element, write KZ-2026-0002 in it as its id "
        "(`ichinv renumber elements/KZ-2026-0002.yaml --to KZ-2026-0002` does that), or give it "
        "the next free id with `ichinv renumber elements/KZ-2026-0002.yaml`\n"
    )
    assert files(git_inventory) == before
    done = run("renumber", "elements/KZ-2026-0002.yaml", "--to", "KZ-2026-0002")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == (
        "renumbered KZ-2026-0001 → KZ-2026-0002 (elements/KZ-2026-0002.yaml)\n"
        "  wrote elements/KZ-2026-0002.yaml\n"
    )
    assert run("validate").exit_code == 0


@pytest.mark.parametrize(
    ("held", "reason"),
    [
        ("KZ-2099-0001", "the year 2099 has not come yet (today is 2026-11-25)"),
        ("KZ-2026-0000", "KZ-2026-0000 is numbered 0000, and the ids of a year are numbered from 0001"),
    ],
)  # fmt: skip
def test_an_id_renumber_never_gives_is_not_taken(
    inventory: Path, run: Run, held: str, reason: str
) -> None:
    build_file_tree(inventory, {"elements/KZ-2026-0080.yaml": element(held)})
    refused(run, inventory, "KZ-2026-0080", held, reason)


def test_a_renumber_cut_short_is_completed_after_a_lower_id_was_freed(
    inventory: Path, run: Run
) -> None:
    """An outside attack: `new` gave KZ-2026-0001 and KZ-2026-0002, a renumber of KZ-2026-0001
    was cut short after its first write (its id line says KZ-2026-0003), and KZ-2026-0002 was
    deleted. `renumber KZ-2026-0001` refused: "no renumber of KZ-2026-0001 can have left it so:
    … gives KZ-2026-0002", and its hint (write KZ-2026-0001 back) would strand the references
    the renumber may have written to KZ-2026-0003 already. It completes it."""
    build_file_tree(inventory, {"elements/KZ-2026-0001.yaml": element("KZ-2026-0003")})
    elements = inventory / "elements"
    done = run("renumber", "KZ-2026-0001")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("renumbered KZ-2026-0001 → KZ-2026-0003 ")
    assert sorted(p.name for p in elements.glob("KZ-2026-*")) == ["KZ-2026-0003.yaml"]


@pytest.mark.parametrize("by_path", [False, True], ids=["by id", "by path"])
def test_an_id_no_element_has_is_completed_whatever_its_number_or_year(
    inventory: Path, run: Run, by_path: bool
) -> None:
    """A renumber with --to may give any id no element has had: the one the id line names is
    the one completing it gives (not the next free one of the year, KZ-2026-0081), whether the
    record is named by the id of its file's name or by its path."""
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0079.yaml": element("KZ-2026-0079"),
            "elements/KZ-2026-0080.yaml": element("KZ-2026-0500"),
            "elements/KZ-2026-0090.yaml": element("KZ-2025-0007"),
        },
    )
    for old, held in (("KZ-2026-0080", "KZ-2026-0500"), ("KZ-2026-0090", "KZ-2025-0007")):
        done = run("renumber", f"elements/{old}.yaml" if by_path else old)
        assert done.exit_code == 0, done.stderr
        assert done.stdout.startswith(f"renumbered {old} → {held} ")
    assert run("validate").exit_code == 0


def test_another_id_than_the_one_a_renumber_cut_short_is_giving_is_refused(
    inventory: Path, run: Run
) -> None:
    build_file_tree(inventory, {"elements/KZ-2026-0080.yaml": element("KZ-2026-0500")})
    before = files(inventory)
    result = run("renumber", "KZ-2026-0080", "--to", "KZ-2026-0600")
    assert result.exit_code == 2 and result.stdout == "" and files(inventory) == before
    assert result.stderr == (
        "error: elements/KZ-2026-0080.yaml holds the id KZ-2026-0500, not the KZ-2026-0080 of "
        "its name, as a renumber of KZ-2026-0080 to KZ-2026-0500 leaves it when it is cut "
        "short, and not the KZ-2026-0600 of --to\n"
        "hint: complete that renumber first (`ichinv renumber KZ-2026-0080`), then run `ichinv "
        "renumber KZ-2026-0500 --to KZ-2026-0600`; if the id was mistyped, write KZ-2026-0080 "
        "back in the file\n"
    )


def test_an_id_naming_a_folder_of_elements_files_is_completed_only_as_asked(
    inventory: Path, run: Run
) -> None:
    """The next free id passes such a folder by (an interrupted import left another draft's
    consent form there); `--to` takes it, as asked."""
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0080.yaml": element("KZ-2026-0081"),
            "evidence/KZ-2026-0081/consent.txt": "signed\n",
        },
    )
    before = files(inventory)
    result = run("renumber", "KZ-2026-0080")
    assert result.exit_code == 2 and files(inventory) == before
    assert result.stderr == (
        "error: elements/KZ-2026-0080.yaml holds the id KZ-2026-0081, not the KZ-2026-0080 of "
        "its name, as a renumber of KZ-2026-0080 cut short leaves it, but KZ-2026-0081 names "
        "evidence/KZ-2026-0081/, a folder of an element's files that no element has: "
        "completed, the renumber would make them this record's\n"
        "hint: if they are this element's files, `ichinv renumber KZ-2026-0080 --to "
        "KZ-2026-0081` completes the renumber; if the id was mistyped, write KZ-2026-0080 back "
        "in the file\n"
    )
    done = run("renumber", "KZ-2026-0080", "--to", "KZ-2026-0081")
    assert done.exit_code == 0, done.stderr
    assert (inventory / "elements" / "KZ-2026-0081.yaml").exists()


def test_another_elements_overlay_file_is_not_taken_over(inventory: Path, run: Run) -> None:
    """KZ-2026-0081's record is on a colleague's branch, its overlay file (contacts) on the
    shared drive; elements/KZ-2026-0082.yaml holds the id KZ-2026-0081 by mistake."""
    (inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nprivate_overlay = "../priv"\n', encoding="utf-8"
    )
    contacts = (
        "id: KZ-2026-0081\ncontacts:\n  - name: Aigul Testova\n    role: bearer\n"
        "    email: aigul@example.org\n"
    )
    build_file_tree(
        inventory.parent,
        {
            "priv/elements/KZ-2026-0081.yaml": contacts,
            "inventory/elements/KZ-2026-0082.yaml": element("KZ-2026-0081"),
        },
    )
    reason = (
        "KZ-2026-0081 is already used by ../priv/elements/KZ-2026-0081.yaml in the private "
        "overlay, which belongs to no element"
    )
    refused(run, inventory, "KZ-2026-0082", "KZ-2026-0081", reason)
    refused(run, inventory, "KZ-2026-0082", "KZ-2026-0081", reason, "--to", "KZ-2026-0081")


@pytest.mark.parametrize(
    "target", ["KZ-2026-0080", "elements/KZ-2026-0080.yaml"], ids=["by id", "by path"]
)
def test_a_fresh_id_of_the_records_year_is_still_completed(
    inventory: Path, run: Run, target: str
) -> None:
    """What a renumber killed before it renamed the file leaves, without an overlay; named by
    its path, the record was "renumbered KZ-2026-0081 → KZ-2026-0082", a third id."""
    build_file_tree(inventory, {"elements/KZ-2026-0080.yaml": element("KZ-2026-0081")})
    done = run("renumber", target)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith(
        "renumbered KZ-2026-0080 → KZ-2026-0081 "
        "(elements/KZ-2026-0080.yaml → elements/KZ-2026-0081.yaml)\n"
    )
    assert "note: elements/KZ-2026-0080.yaml held the id KZ-2026-0081 already" in done.stdout
    assert sorted(p.name for p in (inventory / "elements").glob("KZ-2026-*")) == [
        "KZ-2026-0081.yaml"
    ]
    assert run("validate").exit_code == 0


def test_validate_steers_a_mistyped_id_back_rather_than_into_a_rename(
    git_inventory: Path, run: Run
) -> None:
    """An outside review: for elements/KZ-2013-0008.yaml (committed) holding KZ-2013-0500, a
    mistyped id, the hint of id.file-name was "rename the file to KZ-2013-0500.yaml", which
    gives the record the mistyped id. The hint says to write the id of the name back, or to
    complete a renumber with `renumber`, which checks the id."""
    build_file_tree(git_inventory, {"elements/KZ-2013-0008.yaml": element_yaml("KZ-2013-0008")})
    commit(git.Repo(git_inventory), "KZ-2013-0008")
    record = git_inventory / "elements" / "KZ-2013-0008.yaml"
    record.write_text(element_yaml("KZ-2013-0500"), encoding="utf-8")
    checked = run("validate", "--format", "json")
    assert checked.exit_code == 1
    [found] = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "id.file-name"]
    assert found["message"] == "the id is 'KZ-2013-0500' but the file is named 'KZ-2013-0008.yaml'"
    assert found["hint"] == (
        "if the id was mistyped, or the file is a copy made for a new element, write "
        "KZ-2013-0008 in the file as its id; if a renumber of KZ-2013-0008 was cut short (it "
        "leaves its file so), `ichinv renumber KZ-2013-0008` completes it, or says why it cannot"
    )
    assert run("renumber", "KZ-2013-0008").exit_code == 2  # no renumber gives KZ-2013-0500
    record.write_text(element_yaml("KZ-2013-0008"), encoding="utf-8")
    assert run("validate").exit_code == 0


def test_a_file_not_named_by_an_id_is_still_told_to_be_renamed(inventory: Path, run: Run) -> None:
    build_file_tree(inventory, {"elements/dombra.yaml": element("KZ-2026-0080")})
    checked = run("validate")
    assert (
        "error [id.file-name] the id is 'KZ-2026-0080' but the file is named 'dombra.yaml'; "
        "hint: rename the file to KZ-2026-0080.yaml (git mv keeps its history), or correct the "
        "id\n"
    ) in checked.stdout
