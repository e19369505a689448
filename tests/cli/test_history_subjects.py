"""The public history of an element (`log`, the dossier of `packet --element`) tells no more
than the public view of the record: an outside test found the subjects of its commits ("…
withdrew consent at the meeting") and the fields they changed (Consent) printed under a record
withheld as a whole, and a subject saying what a restricted part holds."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, commit

Run = Callable[..., Result]

ELEMENT = "KZ-2026-0001"
WITHHELD_NOTE = "(the subject is not shown: the record is withheld)"
ONLY_NOTE = "(the subject is not shown: the commit changed only what the record withholds)"

WHOLE: dict[str, dict[str, Any]] = {
    "withdrawn": {"consent": {"status": "withdrawn", "date": "2026-05-01"}},
    "pending": {"consent": {"status": "pending"}},
    "no-consent": {"consent": None},
    "access-unreadable": {"access": "restricted"},
    "restricted-whole": {"access": {"level": "restricted", "reason": "asked"}},
}
"""Ways a record is withheld as a whole (all but its identification)."""


@pytest.fixture
def inventory(git_inventory: Path) -> Path:
    """The `git_inventory` with the templates of the packets."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    return git_inventory


def _history(run: Run) -> tuple[str, str, str]:
    """The public `log` in text and JSON, and the History section of the public dossier."""
    text = run("log", ELEMENT).stdout
    as_json = run("log", ELEMENT, "-f", "json").stdout
    dossier = run("packet", "--element", ELEMENT, "--output", "-").stdout
    return text, as_json, dossier.partition("## History")[2].partition("\n---")[0]


def _subjects(run: Run) -> list[str]:
    return [c["subject"] for c in json.loads(run("log", ELEMENT, "-f", "json").stdout)["commits"]]


@pytest.mark.parametrize("how", list(WHOLE))
def test_a_record_withheld_as_a_whole_shows_no_subject_nor_field(
    inventory: Path, run: Run, how: str
) -> None:
    repo = git.Repo(inventory)
    d.write(inventory, d.element(ELEMENT))
    commit(repo, "SUBJ-PUBLIC-k4r first description")
    d.write(inventory, d.element(ELEMENT, **WHOLE[how]))
    commit(repo, f"SUBJ-WITHHOLD-k4r community withdrew consent ({how})")
    d.write(inventory, d.element(ELEMENT, description={"en": "Rite at dawn."}, **WHOLE[how]))
    commit(repo, "SUBJ-LATER-k4r pending rite details")
    text, as_json, dossier = _history(run)
    for shown in (text, as_json, dossier):
        assert "SUBJ-" not in shown and "consent" not in shown.casefold(), shown
        assert "/description" not in shown, shown
    commits = json.loads(as_json)["commits"]
    assert [c["subject"] for c in commits] == [WITHHELD_NOTE] * 3
    changed = {c["pointer"].split("/")[1] for commit in commits for c in commit["changes"]}
    assert changed <= {"access"}  # the identification only (restricted-whole: its level)
    rows = [line for line in dossier.splitlines() if WITHHELD_NOTE in line]
    fields = [row.split("|")[-2].strip() for row in rows]
    assert len(rows) == 3 and set(fields) <= {"", "Access"}, dossier  # the identification only
    committee = run("log", ELEMENT, "--audience", "committee").stdout
    assert "SUBJ-WITHHOLD-k4r" in committee
    assert "/consent" in committee or "/access" in committee


def test_consent_given_later_publishes_the_subjects_of_later_commits_only(
    inventory: Path, run: Run
) -> None:
    """Privacy fails closed: the commits that made or replaced a version withheld as a whole
    keep their subjects hidden once consent is given; those after it are public."""
    repo = git.Repo(inventory)
    d.write(inventory, d.element(ELEMENT, **WHOLE["pending"]))
    commit(repo, "SUBJ-PENDING-k4r recorded before consent")
    d.write(inventory, d.element(ELEMENT))
    commit(repo, "SUBJ-GIVEN-k4r consent given")
    d.write(inventory, d.element(ELEMENT, description={"en": "Now public."}))
    commit(repo, "Public edit of the description")
    assert _subjects(run)[:3] == [
        "Public edit of the description",
        WITHHELD_NOTE,  # it replaced a version withheld as a whole
        WITHHELD_NOTE,
    ]
    text, __, dossier = _history(run)
    assert "/description" in text and "| Description |" in dossier
    assert "SUBJ-" not in text + dossier


def test_a_commit_changing_only_restricted_parts_shows_no_subject(
    inventory: Path, run: Run
) -> None:
    """A public record restricting a part: the subject of a commit that changed nothing else
    can only speak of what is withheld; a commit changing a public part keeps its subject."""
    repo = git.Repo(inventory)
    access = {"level": "restricted", "restricted_parts": ["/description"], "reason": "asked"}
    d.write(inventory, d.element(ELEMENT, access=access))
    commit(repo, "Restrict the description")
    d.write(inventory, d.element(ELEMENT, access=access, description={"en": "Route to Q9x."}))
    commit(repo, "SUBJ-RESTRICTED-k4r pilgrimage route to the hidden spring")
    viability = {"status": "viable", "assessed": "2026-06-01"}
    both = {"description": {"en": "Edited."}, "viability": viability}
    d.write(inventory, d.element(ELEMENT, access=access, **both))
    commit(repo, "Reassess viability, edit the description")
    subjects = _subjects(run)
    assert subjects[:3] == [
        "Reassess viability, edit the description",
        ONLY_NOTE,
        "Restrict the description",
    ]
    text, as_json, dossier = _history(run)
    assert "SUBJ-" not in text + as_json + dossier
    assert dossier.count(ONLY_NOTE) == 1 and "/description" in text  # where, never what


def test_a_public_record_keeps_its_subjects(inventory: Path, run: Run) -> None:
    repo = git.Repo(inventory)
    d.write(inventory, d.element(ELEMENT))
    commit(repo, "Add the element")
    d.write(inventory, d.element(ELEMENT, description={"en": "Edited."}))
    commit(repo, "Edit the description")
    assert _subjects(run)[:2] == ["Edit the description", "Add the element"]
