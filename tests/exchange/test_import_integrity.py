"""`ichinv import` changes only what a row edits, only for the element the row was exported
from, and all of its files or none (faults found by an outside review)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_exchange import (
    COMMENTED,
    committee_csv,
    read_rows,
    snapshot,
    write_rows,
)
from tests.support import reading_data as d
from tests.support.faults import temporaries
from tests.support.helpers import Result, commit, element_yaml, init_repo

Run = Callable[..., Result]

VALLEY = "Old Believer families of the Bukhtarma valley villages"
ENSEMBLE = "Folklore ensemble of the Bukhtarma villages"

COMMUNITIES = f"""\
communities:
  # checked with the village council in May
  - name: {VALLEY}
    kind: community  # self-described
    role: bearers
  # the ensemble's leader confirmed
  - name: {ENSEMBLE}
    kind: group
    role: transmitters
"""


@pytest.fixture
def inv(inventory: Path) -> Path:
    """Three elements; KZ-2026-0001 has communities with comments on them."""
    text = COMMENTED.replace("status: active\n", "status: active\n" + COMMUNITIES, 1)
    (inventory / "elements" / "KZ-2026-0001.yaml").write_text(text, encoding="utf-8")
    d.write(inventory, d.secret_element("KZ-2026-0009"))
    return inventory


def _edit_communities(rows: list[dict[str, str]], edit: Callable[[list[Any]], None]) -> None:
    row = next(r for r in rows if r["id"] == "KZ-2026-0001")
    entries = json.loads(row["communities"])
    edit(entries)
    row["communities"] = json.dumps(entries, ensure_ascii=False)


def test_an_edited_entry_of_a_json_cell_keeps_every_comment_and_shows_what_changed(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """The import wrote the whole list anew: the comment above the edited entry and the one
    on its `kind`, which did not change, were lost; and the plan showed the two lists cut
    short, reading the same (`[{"name": "Old Believer families of the Bukhtarma valley
    vil… → [{"name": "Old Believer families…`)."""
    path, rows = committee_csv(run, tmp_path)

    def edit(entries: list[Any]) -> None:
        entries[0]["role"] = "practitioners"
        entries[1]["kind"] = "organisation"

    _edit_communities(rows, edit)
    write_rows(path, rows)
    record = inv / "elements" / "KZ-2026-0001.yaml"
    before = record.read_text(encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert '    /communities/0/role: "bearers" → "practitioners"\n' in result.stdout
    assert '    /communities/1/kind: "group" → "organisation"\n' in result.stdout
    assert "1 record changed (1 field), 0 new, 2 unchanged; 1 file written" in result.stdout
    assert record.read_text(encoding="utf-8") == before.replace(
        "    role: bearers\n", "    role: practitioners\n"
    ).replace("    kind: group\n", "    kind: organisation\n")


def test_entries_only_reordered_are_said_to_be(run: Run, inv: Path, tmp_path: Path) -> None:
    path, rows = committee_csv(run, tmp_path)
    _edit_communities(rows, lambda entries: entries.reverse())
    write_rows(path, rows)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "    communities: the same entries, in another order\n" in result.stdout
    text = (inv / "elements" / "KZ-2026-0001.yaml").read_text(encoding="utf-8")
    assert (
        f"  # the ensemble's leader confirmed\n  - name: {ENSEMBLE}\n    kind: group\n"
        "    role: transmitters\n  # checked with the village council in May\n"
        f"  - name: {VALLEY}\n    kind: community  # self-described\n" in text
    )


def test_entries_reordered_and_edited_are_placed_in_one_numbering(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """The ensemble's role changed was shown at its place after the import and the valley's
    kind removed at its place before it, both as /communities/0, with no word of the new
    order: which entry lost its kind could not be told."""
    path, rows = committee_csv(run, tmp_path)

    def edit(entries: list[Any]) -> None:
        entries.reverse()
        entries[0]["role"] = "practitioners"
        del entries[1]["kind"]

    _edit_communities(rows, edit)
    write_rows(path, rows)
    result = run("import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        "    communities: entries in another order (the places below are those after the import)\n"
        '    /communities/0/role (was /communities/1/role): "transmitters" → "practitioners"\n'
        '    /communities/1/kind (was /communities/0/kind): removed "community"\n'
    ) in result.stdout


def test_an_entry_removed_while_others_move_is_named_by_its_place_before(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    path, rows = committee_csv(run, tmp_path)

    def edit(entries: list[Any]) -> None:
        entries[1]["role"] = "practitioners"
        del entries[0]

    _edit_communities(rows, edit)
    write_rows(path, rows)
    result = run("import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        '    /communities/0/role (was /communities/1/role): "transmitters" → "practitioners"\n'
        f'    /communities/0 before the import: removed {{"name": "{VALLEY}", '
    ) in result.stdout
    assert "in another order" not in result.stdout


def test_a_row_of_an_element_renumbered_since_the_export_is_no_new_element(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """An element renumbered (before any commit) came back under its old id from an unedited
    export made before: "new KZ-2026-0009 …, 1 file written", exit 0."""
    path, __ = committee_csv(run, tmp_path)
    renumbered = run("renumber", "KZ-2026-0009", "--to", "KZ-2026-0010", "--force")
    assert renumbered.exit_code == 0, renumbered.stderr
    before = snapshot(inv)
    result = run("import", str(path), "--force")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "committee.csv:6: the row has a checksum (_checksum), so it was exported from an "
        "element, but no element has the id KZ-2026-0009 now: the element of this row was "
        "renumbered or deleted after the export" in result.stderr
    )
    assert "export again (`ichinv export --audience committee`)" in result.stderr
    assert snapshot(inv) == before


def test_a_new_row_under_the_id_of_a_folder_in_elements_names_that_folder(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """A folder `elements/KZ-2026-0010/` of photographs (no record): its id is never given
    (`new` passes it by), and a new row under it was refused as "the id of an element the
    inventory no longer has (deleted, renumbered, …)", with a hint to restore its file from
    git; it is refused as a row naming a folder of elements' files is. Its hint said to move
    the files "to the folder of that id", which they are in already (an outside review): it
    names the folders an element's files belong in."""
    path, rows = committee_csv(run, tmp_path)
    photos = inv / "elements" / "KZ-2026-0010"
    photos.mkdir()
    (photos / "dombra.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    before = snapshot(inv)
    write_rows(path, [rows[0] | {"id": "KZ-2026-0010", "_checksum": ""}])
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: committee.csv:2: KZ-2026-0010 names elements/KZ-2026-0010/, a folder of an "
        "element's files that no element has, and a new element with that id would take its "
        "files over\n"
        "hint: give the new element a new id, such as KZ-2026-0011 (the next free one; `ichinv "
        "new` gives one too); if the files are this element's, move them to "
        "documentation/KZ-2026-0011/ or evidence/KZ-2026-0011/: an element's files belong there, "
        "not in elements/\n"
    )
    assert snapshot(inv) == before


@pytest.fixture
def shallow(
    inventory: Path, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """An export holding KZ-2026-0054, which was then deleted (two commits ago), and a shallow
    clone of the inventory (the current folder): (the clone, the export)."""
    (inventory / "elements" / "KZ-2026-0054.yaml").write_text(
        element_yaml("KZ-2026-0054"), encoding="utf-8"
    )
    repo = init_repo(inventory)
    commit(repo, "add 0054")
    path, __ = committee_csv(run, tmp_path)
    (inventory / "elements" / "KZ-2026-0054.yaml").unlink()
    commit(repo, "remove 0054")
    commit(repo, "another")
    clone = tmp_path / "clone"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "clone", "-q", "--depth", "1", f"file://{inventory}", str(clone)], check=True
    )  # fmt: skip
    monkeypatch.chdir(clone)
    return clone, path


def test_a_shallow_clone_stops_a_new_row_whose_id_may_have_been_used(
    run: Run, shallow: tuple[Path, Path]
) -> None:
    """In a shallow clone, a row of a deleted element (its checksum emptied) became "new
    KZ-2026-0054 … 1 file written", exit 0: the history that knew the id was cut off, and
    `new` and `renumber` refuse there."""
    clone, path = shallow
    rows = [
        r | {"_checksum": ""} for r in read_rows(path.read_bytes()) if r["id"] == "KZ-2026-0054"
    ]
    write_rows(path, rows)
    before = snapshot(clone / "elements")
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "this is a shallow clone" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    assert snapshot(clone / "elements") == before
    accepted = run("import", str(path), "--allow-incomplete-history", "--dry-run")
    assert accepted.exit_code == 0, accepted.stderr
    assert "new KZ-2026-0054" in accepted.stdout  # the risk taken: the deleted id again


def test_an_import_that_cannot_write_its_third_record_writes_none(
    run: Run, inv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the system refused to replace (`chattr +i`) stopped the import after the
    first two were written, and the error did not say so."""
    path, rows = committee_csv(run, tmp_path)
    for row in rows:
        row["names.en"] += " (edited)"
    write_rows(path, rows)
    third = inv / "elements" / f"{sorted(r['id'] for r in rows)[2]}.yaml"
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        if os.fsdecode(source).endswith(".tmp") and os.fsdecode(target) == str(third):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), os.fsdecode(target))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    before = snapshot(inv)
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"cannot write {third}" in result.stderr
    assert "the files already changed were put back, so nothing was changed" in result.stderr
    assert snapshot(inv) == before and temporaries(inv / "elements") == []


CONTACTS = """\
contacts:
  # Aigul withdrew her consent to be called: never call her
  - name: Aigul Serikova
    role: bearer
    organisation: Village ensemble
    gender: female
  - name: Marat Ospanov  # the ensemble's leader
    role: practitioner
"""


def test_an_entry_replaced_by_another_person_does_not_take_her_comment(
    run: Run, inventory: Path, tmp_path: Path
) -> None:
    """An outside review: the entry of a contact replaced in a committee export by another
    person's (the same role, organisation and gender) was taken as hers edited, so the
    comment about her ("never call her") came to stand above Dana's. Entries of a list the
    schema keys (`x-ichinv-key`: a contact's `name`) are the same entry only by that key."""
    text = COMMENTED.replace("status: active\n", "status: active\n" + CONTACTS, 1)
    record = inventory / "elements" / "KZ-2026-0001.yaml"
    record.write_text(text, encoding="utf-8")
    path = tmp_path / "committee.json"
    exported = run("export", "-f", "json", "--audience", "committee", "-o", str(path))
    assert exported.exit_code == 0, exported.stderr
    document = json.loads(path.read_text(encoding="utf-8"))
    element = next(e for e in document["elements"] if e["id"] == "KZ-2026-0001")
    element["contacts"][0]["name"] = "Dana Nurlanova"
    element["contacts"][1]["role"] = "custodian"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert record.read_text(encoding="utf-8") == text.replace(
        "  # Aigul withdrew her consent to be called: never call her\n  - name: Aigul Serikova\n",
        "  - name: Dana Nurlanova\n",
    ).replace("    role: practitioner\n", "    role: custodian\n")
