"""`renumber`, `merge` and `retire` with a private overlay: the overlay file follows the
element, references kept there follow as those in records do, a field kept there is changed
there; all in one all-or-nothing write, or refused with nothing changed (found by an outside
test: renumber left the overlay file under the old id, and merge wrote `related:` into a
record whose `related` the overlay keeps)."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ichinv.io import strict_yaml as yamlload
from tests.support.faults import temporaries
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, element_yaml

Run = Callable[..., Result]

SETTINGS = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'
CONTACTS = [{"name": "Zhanar Testova", "role": "bearer", "email": "zhanar@example.org"}]
PROVENANCE = {"entered": "2026-02-01", "sources": [{"list": "community-inventory"}]}
RESTRICTED = {
    "level": "restricted",
    "restricted_parts": ["/related"],
    "reason": "The singers asked that the lineage of the school not be published.",
}


def data(root: Path, rel: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yamlload.load((root / rel).read_bytes())[0]
    return loaded


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root.parent).as_posix(): p.read_bytes()
        for base in (root / "elements", root.parent / "private")
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def validate(run: Run) -> tuple[int, list[dict[str, Any]]]:
    result = run("validate", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.fixture
def split(inventory: Path, run: Run) -> Path:
    """A public repository whose overlay keeps KZ-2026-0001's contacts and its `related`
    (naming KZ-2026-0002), and KZ-2026-0002's contacts; KZ-2026-0003 keeps nothing there."""
    (inventory / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001",
                provenance=PROVENANCE,
                contacts=CONTACTS,
                access=RESTRICTED,
                related=[{"id": "KZ-2026-0002", "relation": "see-also"}],
            ),
            "elements/KZ-2026-0002.yaml": element_yaml(
                "KZ-2026-0002", provenance=PROVENANCE, contacts=CONTACTS
            ),
            "elements/KZ-2026-0003.yaml": element_yaml("KZ-2026-0003", provenance=PROVENANCE),
        },
    )
    done = run("private", "split")
    assert done.exit_code == 0, done.stderr
    assert validate(run) == (0, [])
    return inventory


def overlay(root: Path, element_id: str) -> Path:
    return root.parent / "private" / "elements" / f"{element_id}.yaml"


def test_renumber_moves_the_overlay_file_with_the_element(split: Path, run: Run) -> None:
    result = run("renumber", "KZ-2026-0001")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "renumbered KZ-2026-0001 → KZ-2026-0004 "
        "(elements/KZ-2026-0001.yaml → elements/KZ-2026-0004.yaml)\n"
        "  removed elements/KZ-2026-0001.yaml\n"
        "  removed ../private/elements/KZ-2026-0001.yaml\n"
        "  wrote elements/KZ-2026-0004.yaml\n"
        "  wrote ../private/elements/KZ-2026-0004.yaml\n"
    )
    assert not overlay(split, "KZ-2026-0001").exists()
    moved = overlay(split, "KZ-2026-0004")
    text = moved.read_text(encoding="utf-8")
    assert text.startswith("# Private overlay of KZ-2026-0004: ")
    assert "KZ-2026-0001" not in text
    assert yamlload.load(moved.read_bytes())[0]["contacts"] == CONTACTS
    assert moved.stat().st_mode & 0o777 == 0o600
    assert validate(run) == (0, [])
    shown = run("show", "KZ-2026-0004", "--audience", "committee")
    assert "Zhanar Testova" in shown.stdout and "KZ-2026-0002" in shown.stdout


def test_renumber_follows_references_kept_in_the_overlay(split: Path, run: Run) -> None:
    result = run("renumber", "KZ-2026-0002", "--to", "KZ-2026-0010")
    assert result.exit_code == 0, result.stderr
    assert "  wrote ../private/elements/KZ-2026-0001.yaml\n" in result.stdout
    assert data(split.parent, "private/elements/KZ-2026-0001.yaml")["related"] == [
        {"id": "KZ-2026-0010", "relation": "see-also"}
    ]
    assert "related" not in data(split, "elements/KZ-2026-0001.yaml")
    assert data(split.parent, "private/elements/KZ-2026-0010.yaml")["id"] == "KZ-2026-0010"
    assert validate(run) == (0, [])


def test_validate_reports_a_reference_kept_in_the_overlay_that_leads_nowhere(
    split: Path, run: Run
) -> None:
    path = overlay(split, "KZ-2026-0001")
    path.write_text(path.read_text().replace("KZ-2026-0002", "KZ-2026-0099"), encoding="utf-8")
    code, found = validate(run)
    assert code == 1
    assert [(f["path"], f["rule"], f["pointer"]) for f in found] == [
        ("../private/elements/KZ-2026-0001.yaml", "ref.related", "/related")
    ]
    assert found[0]["line"] is not None


def test_merge_records_the_merger_where_the_overlay_keeps_related(split: Path, run: Run) -> None:
    result = run("merge", "KZ-2026-0003", "--into", "KZ-2026-0001", "--reason", "One practice.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(
        "  wrote elements/KZ-2026-0003.yaml\n"
        "  wrote elements/KZ-2026-0001.yaml\n"
        "  wrote ../private/elements/KZ-2026-0001.yaml\n"
    )
    assert "related" not in data(split, "elements/KZ-2026-0001.yaml")
    assert data(split.parent, "private/elements/KZ-2026-0001.yaml")["related"] == [
        {"id": "KZ-2026-0002", "relation": "see-also"},
        {"id": "KZ-2026-0003", "relation": "merged-from"},
    ]
    assert data(split, "elements/KZ-2026-0001.yaml")["provenance"]["updated"] == "2026-11-25"
    assert validate(run) == (0, [])
    shown = run("show", "KZ-2026-0001", "--audience", "committee")
    assert "KZ-2026-0003" in shown.stdout


def test_without_the_overlay_what_it_may_keep_is_never_changed(split: Path, run: Run) -> None:
    (split.parent / "private").rename(split.parent / "elsewhere")
    before = {p.name: p.read_bytes() for p in (split / "elements").iterdir()}
    renumbered = run("renumber", "KZ-2026-0003")
    assert renumbered.exit_code == 2
    assert (
        "error: the private overlay ../private named in the settings is not here, so the file "
        "it may keep for KZ-2026-0003, and its references to KZ-2026-0003, could not follow "
        "the new id"
    ) in renumbered.stderr
    merged = run("merge", "KZ-2026-0003", "--into", "KZ-2026-0001", "--reason", "x")
    assert merged.exit_code == 2
    assert (
        "error: related of KZ-2026-0001 may be kept in the private overlay ../private, which "
        "is not here, so it cannot be changed safely"
    ) in merged.stderr
    assert {p.name: p.read_bytes() for p in (split / "elements").iterdir()} == before
    # What the overlay cannot keep (no restricted part, no personal data) is changed.
    retired = run("retire", "KZ-2026-0003", "--reason", "x")
    assert retired.exit_code == 0, retired.stderr


def test_an_overlay_that_cannot_be_read_stops_renumber(split: Path, run: Run) -> None:
    overlay(split, "KZ-2026-0003").write_text("id: [\n", encoding="utf-8")
    before = snapshot(split)
    result = run("renumber", "KZ-2026-0003")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: 1 file cannot be read, and it may refer to KZ-2026-0003, so nothing was changed:"
        "\n  ../private/elements/KZ-2026-0003.yaml"
    )
    assert snapshot(split) == before


def test_a_full_disk_at_the_overlay_file_changes_nothing(
    split: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(split)
    real = os.open
    count = [0]

    def open_(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        name = os.fsdecode(path)
        if flags & os.O_CREAT and name.endswith(".tmp") and "/private/" in name:
            count[0] += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        return real(path, flags, mode, **kwargs)

    with monkeypatch.context() as faults:
        faults.setattr(os, "open", open_)
        failed = run("renumber", "KZ-2026-0001")
    assert count[0] == 1
    assert failed.exit_code == 2
    assert "no space left on the device; nothing was changed" in failed.stderr
    assert snapshot(split) == before
    assert temporaries(split.parent) == []
    assert run("renumber", "KZ-2026-0001").exit_code == 0


def test_an_overlay_file_already_holding_the_new_id_is_refused(split: Path, run: Run) -> None:
    stale = overlay(split, "KZ-2026-0009")
    stale.write_bytes(overlay(split, "KZ-2026-0002").read_bytes().replace(b"0002", b"0009"))
    before = snapshot(split)
    result = run("renumber", "KZ-2026-0002", "--to", "KZ-2026-0009")
    assert result.exit_code == 2
    assert (
        "error: KZ-2026-0009 is already used by ../private/elements/KZ-2026-0009.yaml in the "
        "private overlay, which belongs to no element"
    ) in result.stderr
    assert snapshot(split) == before


def test_a_field_kept_partly_in_the_overlay_is_refused(split: Path, run: Run) -> None:
    path = overlay(split, "KZ-2026-0003")
    path.write_text(
        "id: KZ-2026-0003\nstatus_change:\n  decision: Minutes kept by the elders\n",
        encoding="utf-8",
    )
    before = snapshot(split)
    result = run("retire", "KZ-2026-0003", "--reason", "x")
    assert result.exit_code == 2
    assert (
        "error: status_change of KZ-2026-0003 is kept partly in the record and partly in the "
        "private overlay, so it cannot be changed safely"
    ) in result.stderr
    assert snapshot(split) == before


def test_renumbering_a_copy_leaves_the_overlay_file_with_the_id_it_keeps(
    split: Path, run: Run
) -> None:
    copy = split / "elements" / "KZ-2026-0009.yaml"
    copy.write_bytes((split / "elements" / "KZ-2026-0001.yaml").read_bytes())
    result = run("renumber", "elements/KZ-2026-0009.yaml")
    assert result.exit_code == 0, result.stderr
    assert (
        "note: the private overlay's file of KZ-2026-0001, ../private/elements/KZ-2026-0001.yaml, "
        "stays with elements/KZ-2026-0001.yaml, which keeps the id"
    ) in result.stdout
    assert overlay(split, "KZ-2026-0001").exists()


def test_merge_writes_a_restricted_part_into_a_new_overlay_file(split: Path, run: Run) -> None:
    """The carrier restricts /related but holds none, and has no overlay file: its new
    `related` goes into an overlay file made for it (0600), never into the public record
    (an outside review: merge wrote `related:` into the record, and validate failed)."""
    (split / "elements/KZ-2026-0003.yaml").write_text(
        element_yaml("KZ-2026-0003", provenance=PROVENANCE, access=RESTRICTED), encoding="utf-8"
    )
    assert not overlay(split, "KZ-2026-0003").exists()
    result = run("merge", "KZ-2026-0002", "--into", "KZ-2026-0003", "--reason", "One practice.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(
        "  wrote elements/KZ-2026-0002.yaml\n"
        "  wrote elements/KZ-2026-0003.yaml\n"
        "  wrote ../private/elements/KZ-2026-0003.yaml\n"
    )
    assert "related" not in data(split, "elements/KZ-2026-0003.yaml")
    made = overlay(split, "KZ-2026-0003")
    assert made.stat().st_mode & 0o777 == 0o600
    assert made.read_text(encoding="utf-8").startswith("# Private overlay of KZ-2026-0003: ")
    assert data(split.parent, "private/elements/KZ-2026-0003.yaml") == {
        "id": "KZ-2026-0003",
        "related": [{"id": "KZ-2026-0002", "relation": "merged-from"}],
    }
    assert validate(run) == (0, [])


def test_a_public_repository_naming_no_overlay_refuses_to_publish_a_restricted_part(
    split: Path, run: Run
) -> None:
    (split / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\n', encoding="utf-8"
    )
    (split / "elements/KZ-2026-0003.yaml").write_text(
        element_yaml("KZ-2026-0003", provenance=PROVENANCE, access=RESTRICTED), encoding="utf-8"
    )
    before = snapshot(split)
    result = run("merge", "KZ-2026-0002", "--into", "KZ-2026-0003", "--reason", "x")
    assert result.exit_code == 2, result.stderr
    assert "error: the inventory names no private overlay" in result.stderr
    assert snapshot(split) == before


def test_validate_wants_merged_from_in_the_overlay_at_hand(split: Path, run: Run) -> None:
    """KZ-2026-0001 keeps its `related` in the overlay: a merger it does not record there is
    reported on the merged record when the overlay is at hand (an outside review: validate
    said nothing), and not where the overlay is not here (CI cannot know)."""
    (split / "elements/KZ-2026-0003.yaml").write_text(
        element_yaml(
            "KZ-2026-0003",
            provenance=PROVENANCE,
            status="merged",
            status_change={"merged_into": "KZ-2026-0001", "reason": "x", "date": "2026-03-01"},
        ),
        encoding="utf-8",
    )
    before = overlay(split, "KZ-2026-0001").read_bytes()
    code, found = validate(run)
    assert code == 0
    assert [(f["rule"], f["path"], f["message"]) for f in found] == [
        (
            "ref.merged-from",
            "../private/elements/KZ-2026-0001.yaml",
            "KZ-2026-0003 was merged into this element, but related does not record it",
        )
    ]
    with overlay(split, "KZ-2026-0001").open("a", encoding="utf-8") as file:
        file.write("  - id: KZ-2026-0003\n    relation: merged-from\n")
    assert data(split.parent, "private/elements/KZ-2026-0001.yaml")["related"][-1] == {
        "id": "KZ-2026-0003",
        "relation": "merged-from",
    }
    assert validate(run) == (0, [])
    overlay(split, "KZ-2026-0001").write_bytes(before)
    (split.parent / "private").rename(split.parent / "elsewhere")
    code, found = validate(run)
    assert "ref.merged-from" not in [f["rule"] for f in found]


def test_renumber_never_takes_the_id_of_an_orphaned_overlay_file(split: Path, run: Run) -> None:
    """An overlay file of no element keeps its id used: renumber neither takes it with --to
    (exit 2, nothing changed) nor picks it as the next free id (an outside review: the
    orphan's contacts became the renumbered element's)."""
    orphan = overlay(split, "KZ-2026-0004")
    orphan.write_bytes(overlay(split, "KZ-2026-0002").read_bytes().replace(b"0002", b"0004"))
    before = snapshot(split)
    refused = run("renumber", "KZ-2026-0003", "--to", "KZ-2026-0004")
    assert refused.exit_code == 2, refused.stderr
    assert (
        "error: KZ-2026-0004 is already used by ../private/elements/KZ-2026-0004.yaml in the "
        "private overlay, which belongs to no element"
    ) in refused.stderr
    assert snapshot(split) == before
    result = run("renumber", "KZ-2026-0003")
    assert result.exit_code == 0, result.stderr
    assert "KZ-2026-0003 → KZ-2026-0005" in result.stdout
    assert orphan.read_bytes() == before["private/elements/KZ-2026-0004.yaml"]


@pytest.mark.parametrize(
    ("record_mode", "kept_mode", "kept_after"),
    [
        (0o600, 0o640, 0o640),
        (0o664, 0o644, 0o600),
    ],
)
def test_renumber_keeps_the_modes_of_the_files_it_renames(
    split: Path, run: Run, record_mode: int, kept_mode: int, kept_after: int
) -> None:
    """The record keeps its mode; the overlay file keeps its own, but never one that lets
    others read it (an outside review: a 0600 record came out 0644, a group's 0640 overlay
    file 0600)."""
    (split / "elements/KZ-2026-0001.yaml").chmod(record_mode)
    overlay(split, "KZ-2026-0001").chmod(kept_mode)
    result = run("renumber", "KZ-2026-0001")
    assert result.exit_code == 0, result.stderr
    assert (split / "elements/KZ-2026-0004.yaml").stat().st_mode & 0o777 == record_mode
    assert overlay(split, "KZ-2026-0004").stat().st_mode & 0o777 == kept_after


def test_new_never_gives_the_id_of_an_orphaned_overlay_file(split: Path, run: Run) -> None:
    """An outside attack: an element deleted with its overlay file left behind gave its id to
    the next `new`, whose committee view then listed the deleted element's contacts."""
    orphan = overlay(split, "KZ-2026-0004")
    orphan.write_bytes(overlay(split, "KZ-2026-0002").read_bytes().replace(b"0002", b"0004"))
    (split / "templates").mkdir(exist_ok=True)
    shutil.copy(REPO_ROOT / "templates" / "new-element.yaml", split / "templates")
    result = run(
        "new", "--no-input", "--year", "2026", "--name-kk", "Домбыра жасау",
        "--name-ru", "Изготовление домбры", "--domain", "craftsmanship", "--province", "KZ-23",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert not (split / "elements" / "KZ-2026-0004.yaml").exists()
    assert (split / "elements" / "KZ-2026-0005.yaml").exists()


@pytest.fixture
def provenance_kept(inventory: Path, run: Run) -> Path:
    """A private repository whose overlay keeps KZ-2026-0001's `related` and `provenance`
    (entered 2026-02-01): its record holds neither (found by an outside test: retire checked
    the date against the record alone, and no command set provenance.updated in the overlay)."""
    (inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "private"\nprivate_overlay = "../private"\n', encoding="utf-8"
    )
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001",
                provenance=PROVENANCE,
                access={**RESTRICTED, "restricted_parts": ["/related", "/provenance"]},
                related=[{"id": "KZ-2026-0002", "relation": "see-also"}],
            ),
            "elements/KZ-2026-0002.yaml": element_yaml("KZ-2026-0002", provenance=PROVENANCE),
            "elements/KZ-2026-0003.yaml": element_yaml("KZ-2026-0003", provenance=PROVENANCE),
        },
    )
    done = run("private", "split")
    assert done.exit_code == 0, done.stderr
    assert "provenance" not in data(inventory, "elements/KZ-2026-0001.yaml")
    assert validate(run) == (0, [])
    return inventory


def test_retire_dates_the_decision_against_an_entry_kept_in_the_overlay(
    provenance_kept: Path, run: Run
) -> None:
    before = snapshot(provenance_kept)
    refused = run("retire", "KZ-2026-0001", "--reason", "x", "--date", "2026-01-05")
    assert refused.exit_code == 2
    assert (
        "error: the decision date 2026-01-05 is before KZ-2026-0001 entered the inventory "
        "(2026-02-01)"
    ) in refused.stderr
    assert snapshot(provenance_kept) == before
    done = run("retire", "KZ-2026-0001", "--reason", "x", "--date", "2026-03-01")
    assert done.exit_code == 0, done.stderr
    kept = data(provenance_kept.parent, "private/elements/KZ-2026-0001.yaml")
    assert kept["provenance"]["updated"] == "2026-11-25"
    assert "provenance" not in data(provenance_kept, "elements/KZ-2026-0001.yaml")
    assert validate(run) == (0, [])


def test_merge_into_an_element_whose_fields_the_overlay_keeps_writes_only_the_overlay_file(
    provenance_kept: Path, run: Run
) -> None:
    record = (provenance_kept / "elements/KZ-2026-0001.yaml").read_bytes()
    result = run("merge", "KZ-2026-0003", "--into", "KZ-2026-0001", "--reason", "One practice.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(
        "  wrote elements/KZ-2026-0003.yaml\n  wrote ../private/elements/KZ-2026-0001.yaml\n"
    )
    assert (provenance_kept / "elements/KZ-2026-0001.yaml").read_bytes() == record
    kept = data(provenance_kept.parent, "private/elements/KZ-2026-0001.yaml")
    assert kept["provenance"]["updated"] == "2026-11-25"
    assert kept["related"][-1] == {"id": "KZ-2026-0003", "relation": "merged-from"}
    assert validate(run) == (0, [])


def test_a_field_both_in_the_record_and_in_the_overlay_is_reported_with_the_record(
    provenance_kept: Path, run: Run
) -> None:
    record = provenance_kept / "elements/KZ-2026-0001.yaml"
    with record.open("a", encoding="utf-8") as text:
        text.write("related:\n  - id: KZ-2026-0003\n    relation: see-also\n")
    wanted = [("../private/elements/KZ-2026-0001.yaml", "privacy.overlay-field", "/related")]
    for paths in ((), ("elements/KZ-2026-0001.yaml",)):
        result = run("validate", "--format", "json", *paths)
        assert result.exit_code == 1, result.stdout
        found = json.loads(result.stdout)["findings"]
        assert [(f["path"], f["rule"], f["pointer"]) for f in found] == wanted
        assert found[0]["message"] == "`related` is both in the record and in the private overlay"
        assert "KZ-2026-0002" not in result.stdout and "KZ-2026-0003" not in result.stdout
    assert run("validate", "elements/KZ-2026-0002.yaml").exit_code == 0


def test_a_decision_whose_reason_alone_is_restricted_is_refused(split: Path, run: Run) -> None:
    """A review: with only `/status_change/reason` restricted, retire put the whole
    `status_change` (date, decision) into a new overlay file, so the public record said
    "retired" with no date, and validate failed. It is refused, nothing written."""
    access = {**RESTRICTED, "restricted_parts": ["/status_change/reason"]}
    (split / "elements/KZ-2026-0003.yaml").write_text(
        element_yaml("KZ-2026-0003", provenance=PROVENANCE, access=access), encoding="utf-8"
    )
    before = snapshot(split)
    result = run("retire", "KZ-2026-0003", "--reason", "Not practised.", "--date", "2026-03-01")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "status_change of KZ-2026-0003 is kept partly" in result.stderr
    assert snapshot(split) == before


@pytest.mark.parametrize(
    "args",
    [
        ("retire", "KZ-2026-0001", "--reason", "x", "--date", "2026-01-05"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--reason", "x"),
    ],
    ids=lambda args: args[0],
)
def test_without_the_overlay_keeping_provenance_the_decision_is_refused(
    provenance_kept: Path, run: Run, args: tuple[str, ...]
) -> None:
    """A review: with the overlay that keeps `provenance` not here, retire and merge dated the
    decision against 1 January of the id's year (2026-01-05 passed, before the entry of
    2026-02-01) and set `updated` nowhere. Refused like any field the overlay may keep."""
    (provenance_kept.parent / "private").rename(provenance_kept.parent / "elsewhere")
    before = {p.name: p.read_bytes() for p in (provenance_kept / "elements").iterdir()}
    result = run(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "error: provenance of KZ-2026-0001 may be kept in the private overlay ../private, which "
        "is not here, so it cannot be changed safely"
    ) in result.stderr
    assert {p.name: p.read_bytes() for p in (provenance_kept / "elements").iterdir()} == before
