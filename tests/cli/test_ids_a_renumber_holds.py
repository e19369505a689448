"""The id a renumber cut short is giving is never given to another element: neither the id its
record holds already under its old file name, nor the one its note in the private overlay
names (ichinv.edit.renumber_resume). Running that renumber again completes it under that id.

Found by an outside review: `ichinv new` gave that id to a new record (two records held it,
and `renumber` could no longer complete the change: "there is no element KZ-2026-0080"), and
`import` and another `renumber` could too.

Such an id is passed by, not numbered above: the `id:` line that holds it may as well be
mistyped (found by an outside review: `new` numbered every id after it, or found the year's
ids all taken).

So is every id a record names, in a reference or a text, that no element has: one a renumber
cut short left in references, or a mistyped one, would lead to the new element
(tests/edit/test_renumber_killed.py: a renumber killed after it changed references).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.cli.test_new import FLAGS
from tests.edit.test_renumber_resume import files
from tests.exchange.test_exchange import committee_csv, write_rows
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]

PROVENANCE = {"entered": "2026-02-01", "sources": [{"list": "community-inventory"}]}
CONTACTS = [{"name": "Zhanar Testova", "role": "bearer", "email": "zhanar@example.org"}]


def element(element_id: str, **fields: object) -> str:
    return element_yaml(element_id, provenance=PROVENANCE, **fields)


def test_new_passes_by_the_id_a_record_holds_under_its_old_name(
    inventory_with_template: Path, run: Run
) -> None:
    """What a renumber of KZ-2026-0080 killed before it renamed the file leaves."""
    build_file_tree(
        inventory_with_template, {"elements/KZ-2026-0080.yaml": element("KZ-2026-0081")}
    )
    created = run(*FLAGS)
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2026-0082.yaml (KZ-2026-0082)\n")
    done = run("renumber", "KZ-2026-0080")
    assert done.exit_code == 0, done.stderr
    assert "note: elements/KZ-2026-0080.yaml held the id KZ-2026-0081 already" in done.stdout


@pytest.fixture
def noted(inventory_with_template: Path, run: Run) -> Path:
    """A renumber of KZ-2026-0002 (its contacts in the overlay) to KZ-2026-0003 killed after it
    left its note and changed KZ-2026-0001's reference, before the record's own text."""
    root = inventory_with_template
    (root / "pyproject.toml").write_text(
        '[tool.ichinv]\nprivate_overlay = "../private"\n', encoding="utf-8"
    )
    build_file_tree(
        root,
        {
            "elements/KZ-2026-0001.yaml": element(
                "KZ-2026-0001", related=[{"id": "KZ-2026-0003", "relation": "see-also"}]
            ),
            "elements/KZ-2026-0002.yaml": element("KZ-2026-0002", contacts=CONTACTS),
        },
    )
    assert run("private", "split").exit_code == 0
    (root.parent / "private" / ".ichinv-renumber-KZ-2026-0002").write_text(
        "# ichinv renumber KZ-2026-0002 is moving the overlay file of KZ-2026-0002 to "
        "KZ-2026-0003; if it was cut\n# short, `ichinv renumber KZ-2026-0002` completes it. "
        "Removed once it is done.\nKZ-2026-0003\n",
        encoding="utf-8",
    )
    return root


def test_new_passes_by_the_id_a_renumbers_note_names(noted: Path, run: Run) -> None:
    created = run(*FLAGS)
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2026-0004.yaml (KZ-2026-0004)\n")
    done = run("renumber", "KZ-2026-0002")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("renumbered KZ-2026-0002 → KZ-2026-0003 ")
    assert "zhanar@example.org" in run("show", "KZ-2026-0003", "--audience", "committee").stdout


def test_another_renumber_passes_by_the_id_a_renumbers_note_names(noted: Path, run: Run) -> None:
    other = run("renumber", "KZ-2026-0001")
    assert other.exit_code == 0, other.stderr
    assert other.stdout.startswith("renumbered KZ-2026-0001 → KZ-2026-0004 ")
    done = run("renumber", "KZ-2026-0002")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("renumbered KZ-2026-0002 → KZ-2026-0003 ")


def test_import_refuses_a_new_row_under_the_id_a_renumbers_note_names(
    noted: Path, run: Run, tmp_path: Path
) -> None:
    path, rows = committee_csv(run, tmp_path)
    row = next(r for r in rows if r["id"] == "KZ-2026-0001")
    write_rows(path, [row | {"id": "KZ-2026-0003", "_checksum": "", "related": ""}])
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: committee.csv:2: KZ-2026-0003 is the new id a renumber cut short is giving "
        "another element (../private/.ichinv-renumber-KZ-2026-0002 holds it), and no id is given "
        "to two elements\n"
        "hint: give the new element a new id, such as KZ-2026-0004 (the next free one; `ichinv "
        "new` gives one too); running that renumber again completes it\n"
    )
    assert not (noted / "elements" / "KZ-2026-0003.yaml").exists()


@pytest.mark.parametrize("mistyped", ["KZ-2013-0300", "KZ-2013-9999"])
def test_a_mistyped_id_is_passed_by_and_numbers_no_id_after_it(
    git_inventory: Path, run: Run, mistyped: str
) -> None:
    """An outside review: with elements/KZ-2013-0003.yaml (committed) holding a mistyped id,
    `new` gave KZ-2013-0301 (numbered above KZ-2013-0300), or stopped (every id of 2013 up to
    KZ-2013-9999 taken) with a hint to run `renumber KZ-2013-9999 --to KZ-2013-0004`, which
    renamed the committed file without --force. The id such a line holds is passed by, not
    numbered above; renumbering the record by it is refused, with the way out."""
    (git_inventory / "templates").mkdir()
    (git_inventory / "templates" / "new-element.yaml").write_bytes(
        (REPO_ROOT / "templates" / "new-element.yaml").read_bytes()
    )
    build_file_tree(git_inventory, {"elements/KZ-2013-0003.yaml": element_yaml("KZ-2013-0003")})
    commit(git.Repo(git_inventory), "KZ-2013-0003")
    (git_inventory / "elements" / "KZ-2013-0003.yaml").write_text(element_yaml(mistyped))
    created = run(*FLAGS, "--year", "2013")
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2013-0004.yaml (KZ-2013-0004)\n")
    before = files(git_inventory)
    renumbered = run("renumber", mistyped, "--to", "KZ-2013-0005")
    assert renumbered.exit_code == 2, renumbered.stdout + renumbered.stderr
    assert renumbered.stderr == (
        f"error: {mistyped} is the id that elements/KZ-2013-0003.yaml holds, but the file is "
        "named by another id, KZ-2013-0003: the id was mistyped there, or a renumber of "
        "KZ-2013-0003 was cut short\n"
        "hint: if the id was mistyped, write KZ-2013-0003 back in elements/KZ-2013-0003.yaml; "
        "if a renumber of KZ-2013-0003 was cut short, `ichinv renumber KZ-2013-0003` completes "
        "it\n"
    )
    assert files(git_inventory) == before


def test_renumber_to_the_id_a_renumbers_note_names_says_which_renumber_completes_it(
    noted: Path, run: Run
) -> None:
    """An outside review: this was refused as "KZ-2026-0003 is already used (in elements/ or
    in the git history)", which it is not; the note and the renumber it belongs to are named."""
    before = files(noted)
    result = run("renumber", "KZ-2026-0001", "--to", "KZ-2026-0003", "--force")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: KZ-2026-0003 is the new id a renumber of KZ-2026-0002 cut short is giving "
        "(../private/.ichinv-renumber-KZ-2026-0002 holds it), and no id is given to two "
        "elements\n"
        "hint: run `ichinv renumber KZ-2026-0002` to complete that renumber; leave out --to to "
        "get the next free id for this record\n"
    )
    assert files(noted) == before


@pytest.fixture
def dangling(inventory_with_template: Path) -> Path:
    """KZ-2026-0001 refers to KZ-2026-0003, which no element has (what a renumber of
    KZ-2026-0002 cut short after it changed that reference, before its record, left)."""
    build_file_tree(
        inventory_with_template,
        {
            "elements/KZ-2026-0001.yaml": element(
                "KZ-2026-0001", related=[{"id": "KZ-2026-0003", "relation": "see-also"}]
            ),
            "elements/KZ-2026-0002.yaml": element("KZ-2026-0002"),
        },
    )
    return inventory_with_template


def test_new_and_renumber_pass_by_an_id_a_reference_names(dangling: Path, run: Run) -> None:
    created = run(*FLAGS)
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2026-0004.yaml (KZ-2026-0004)\n")
    done = run("renumber", "KZ-2026-0002")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("renumbered KZ-2026-0002 → KZ-2026-0005 ")


def test_import_refuses_a_new_row_under_an_id_a_reference_names(
    dangling: Path, run: Run, tmp_path: Path
) -> None:
    path, rows = committee_csv(run, tmp_path)
    row = next(r for r in rows if r["id"] == "KZ-2026-0002")
    write_rows(path, [row | {"id": "KZ-2026-0003", "_checksum": ""}])
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: committee.csv:2: KZ-2026-0003 is named in elements/KZ-2026-0001.yaml, though no "
        "element has it: a new element with that id would be the one named there\n"
        "hint: give the new element a new id, such as KZ-2026-0004 (the next free one; `ichinv "
        "new` gives one too); if elements/KZ-2026-0001.yaml means this element by KZ-2026-0003, "
        "write its new id there\n"
    )
    assert not (dangling / "elements" / "KZ-2026-0003.yaml").exists()


def test_new_passes_by_an_id_a_reference_kept_in_the_overlay_names(
    inventory_with_template: Path, run: Run
) -> None:
    root = inventory_with_template
    (root / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n',
        encoding="utf-8",
    )
    restricted = {
        "level": "restricted",
        "restricted_parts": ["/related"],
        "reason": "The singers asked that the lineage of the school not be published.",
    }
    build_file_tree(
        root,
        {
            "elements/KZ-2026-0001.yaml": element(
                "KZ-2026-0001",
                access=restricted,
                related=[{"id": "KZ-2026-0002", "relation": "see-also"}],
            ),
        },
    )
    assert run("private", "split").exit_code == 0
    assert b"KZ-2026-0002" not in (root / "elements" / "KZ-2026-0001.yaml").read_bytes()
    created = run(*FLAGS)
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2026-0003.yaml (KZ-2026-0003)\n")


def test_import_says_a_mistyped_id_line_holds_the_id_of_a_new_row(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """Found by a review: this was refused as "the new id a renumber cut short is giving
    another element (elements/KZ-2013-0005.yaml holds it)", which is not what happened; the
    words now say which `id:` line holds it, that it may be mistyped, and what to run, as
    validate's hint of id.file-name does. (The record is being edited by hand: its id mistyped,
    a list left open further down, so that no record of the import holds KZ-2013-0300.)"""
    build_file_tree(inventory, {"elements/KZ-2013-0005.yaml": element_yaml("KZ-2013-0005")})
    path, rows = committee_csv(run, tmp_path)
    row = next(r for r in rows if r["id"] == "KZ-2013-0005")
    write_rows(path, [row | {"id": "KZ-2013-0300", "_checksum": ""}])
    record = inventory / "elements" / "KZ-2013-0005.yaml"
    record.write_text(element_yaml("KZ-2013-0300") + "safeguarding: [\n", encoding="utf-8")
    before = files(inventory)
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: committee.csv:2: KZ-2013-0300 is held by the `id:` line of "
        "elements/KZ-2013-0005.yaml, a file not named by it (`ichinv validate` reports such a "
        "file: id.file-name): that line may be mistyped, and no id is given to two elements\n"
        "hint: if the id was mistyped, or the file is a copy made for a new element, write "
        "KZ-2013-0005 in the file as its id; if a renumber of KZ-2013-0005 was cut short (it "
        "leaves its file so), `ichinv renumber KZ-2013-0005` completes it, or says why it "
        "cannot; else give the new element another id, such as KZ-2013-0006 (the next free "
        "one; `ichinv new` gives one too)\n"
    )
    assert files(inventory) == before


def test_import_changes_no_record_whose_file_is_named_by_another_id_but_from_its_export(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """Found by a review: a table typed by hand (`id`, `names.en`) with a row for a new
    element KZ-2013-0300 overwrote the English name of elements/KZ-2013-0005.yaml, whose `id:`
    line was mistyped as KZ-2013-0300, without a word but the plan. Such a record is in doubt
    (validate's id.file-name); a row exported from that very file (its checksum) still edits
    it."""
    build_file_tree(inventory, {"elements/KZ-2013-0005.yaml": element_yaml("KZ-2013-0300")})
    path, rows = committee_csv(run, tmp_path)
    exported = next(r for r in rows if r["id"] == "KZ-2013-0300")
    typed = tmp_path / "typed.csv"
    write_rows(typed, [{"id": "KZ-2013-0300", "names.en": "A new element"}])
    before = files(inventory)
    result = run("import", str(typed))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: typed.csv:2: KZ-2013-0300 is the `id:` line of elements/KZ-2013-0005.yaml, a "
        "file named by another id (`ichinv validate` reports it: id.file-name), so which "
        "element the row means is in doubt, and the row would change that file\n"
        "hint: if the id was mistyped, or the file is a copy made for a new element, write "
        "KZ-2013-0005 in the file as its id; if a renumber of KZ-2013-0005 was cut short (it "
        "leaves its file so), `ichinv renumber KZ-2013-0005` completes it, or says why it "
        "cannot; then import again\n"
    )
    assert files(inventory) == before
    write_rows(path, [exported | {"names.en": "Kui, renamed"}])
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "names.en: " in result.stdout
    assert "Kui, renamed" in (inventory / "elements" / "KZ-2013-0005.yaml").read_text("utf-8")


def test_import_names_the_id_a_file_holds_for_a_row_typed_by_the_name_of_its_file(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """An outside attack: a typed row `KZ-2013-0005,…`, elements/KZ-2013-0005.yaml holding
    `id: KZ-2013-0300`, got "elements/KZ-2013-0005.yaml exists but could not be read" of a file
    that reads fine; the problem is validate's id.file-name."""
    build_file_tree(inventory, {"elements/KZ-2013-0005.yaml": element_yaml("KZ-2013-0300")})
    typed = tmp_path / "typed.csv"
    write_rows(typed, [{"id": "KZ-2013-0005", "names.en": "A new element"}])
    before = files(inventory)
    result = run("import", str(typed))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: typed.csv:2: elements/KZ-2013-0005.yaml holds the id KZ-2013-0300, not the "
        "KZ-2013-0005 of its name (`ichinv validate` reports it: id.file-name), so the row "
        "cannot be a new element KZ-2013-0005, and which element it means is in doubt\n"
        "hint: if the id was mistyped, or the file is a copy made for a new element, write "
        "KZ-2013-0005 in the file as its id; if a renumber of KZ-2013-0005 was cut short (it "
        "leaves its file so), `ichinv renumber KZ-2013-0005` completes it, or says why it "
        "cannot; then import again\n"
    )
    assert result.stdout == "" and files(inventory) == before
