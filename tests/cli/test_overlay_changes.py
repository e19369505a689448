"""Public views of changes in a public repository that keeps restricted parts in a private
overlay (SECURITY.md): after `private split`, the committed record lists parts it no longer
holds. `show` takes them to be kept in the overlay (Settings.overlay_may_hold) and shows the
rest; `diff`, `log` and `packet --since` took such an entry for one naming nothing and hid
every change of the element but its identification (found by an outside review: KZ-2026-0032,
"to pray" → "to pray together" printed as a withheld change)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import REPO_ROOT, Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2026-0901"
PATH = f"elements/{ID}.yaml"
TEMPLATES = REPO_ROOT / "templates"
SECRET = "the spring below the white rock"
RITE = "the keeper leads the prayer at dawn"
FIRST = "Journeys to sacred places of the Altai, to seek healing."
BEFORE = "Journeys to sacred places of the Altai, to pray and to seek healing."
AFTER = "Journeys to sacred places of the Altai, to pray together and to seek healing."
OVERLAY = 'visibility = "public"\nprivate_overlay = "../private"\n'


def write(root: Path, description: str, restricted: list[str]) -> None:
    access = {"level": "restricted", "restricted_parts": restricted, "reason": "Sacred places."}
    text = element_yaml(
        ID,
        description={"en": description},
        locations=[{"place": SECRET, "province": "KZ-43"}],
        transmission={"modes": ["community"], "description": {"en": RITE}},
        access=access,
    )
    build_file_tree(root, {PATH: text})


def settings(root: Path, extra: str) -> None:
    """The settings of `git_inventory` with `extra` added to [tool.ichinv]."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[tool.ichinv]\n", "[tool.ichinv]\n" + extra, 1), "utf-8")


@pytest.fixture
def split(git_inventory: Path, run: Run) -> dict[str, str]:
    """Restricted, its restricted parts moved to the overlay, then its description edited: the
    commits by name."""
    repo = git.Repo(git_inventory)
    settings(git_inventory, OVERLAY)
    write(git_inventory, FIRST, ["/locations", "/transmission"])
    made = {"restricted": commit(repo, "restricted")}
    write(git_inventory, BEFORE, ["/locations", "/transmission"])
    made["reworded"] = commit(repo, "description reworded")
    moved = run("private", "split", ID)
    assert moved.exit_code == 0, moved.stderr
    assert SECRET not in (git_inventory / PATH).read_text(encoding="utf-8")
    made["split"] = commit(repo, "split")
    record = git_inventory / PATH
    record.write_text(record.read_text(encoding="utf-8").replace(BEFORE, AFTER), "utf-8")
    made["edited"] = commit(repo, "description edited")
    return made


def outputs(run: Run, made: dict[str, str], *extra: str) -> dict[str, str]:
    said: dict[str, str] = {}
    for form in ("text", "json"):
        for since in ("split", "restricted"):
            result = run("diff", "--baseline", made[since], "--element", ID, "-f", form, *extra)
            assert result.exit_code == 0, result.stderr
            said[f"diff since {since} {form}"] = result.stdout
    result = run("log", ID, *extra)
    assert result.exit_code == 0, result.stderr
    said["log"] = result.stdout
    result = run(
        "packet", "--since", made["split"], "--templates", str(TEMPLATES), "--output", "-", *extra
    )
    assert result.exit_code == 0, result.stderr
    said["packet --since"] = result.stdout
    return said


def test_public_views_of_changes_show_an_edit_of_a_part_the_overlay_does_not_keep(
    split: dict[str, str], run: Run
) -> None:
    said = outputs(run, split)
    for output, text in said.items():
        assert "together" in text, (output, text)
        assert SECRET not in text and RITE not in text, (output, text)
    for since, old in (("split", BEFORE), ("restricted", FIRST)):
        changes = json.loads(said[f"diff since {since} json"])["elements"][0]["changes"]
        described = [(c["old"], c["new"], bool(c.get("withheld"))) for c in changes]
        assert described[0] == (old, AFTER, False), changes
        # The parts moved to the overlay stay withheld where the split took them out.
        withheld = {c["pointer"] for c in changes if c.get("withheld") or c.get("old_withheld")}
        assert withheld == ({"/locations", "/transmission"} if old == FIRST else set()), changes
    # Each commit that edited the description shows how (the earlier one too: the record
    # restricted nothing more since), the split only where parts went.
    hidden = [line for line in said["log"].splitlines() if "not shown" in line]
    hidden = [line for line in hidden if line.startswith("  /")]  # the changes, not subjects
    assert [line.split(":")[0].strip() for line in hidden] == ["/locations", "/transmission"]
    assert "to {+pray and to +}seek" in said["log"], said["log"]
    # As `show` reads the record: the description shown, the moved parts withheld.
    shown = run("show", ID)
    assert shown.exit_code == 0, shown.stderr
    assert "to pray together" in shown.stdout and SECRET not in shown.stdout


def test_the_committee_still_sees_every_change(split: dict[str, str], run: Run) -> None:
    said = outputs(run, split, "--audience", "committee")
    assert "together" in said["diff since split text"]
    assert SECRET in said["log"]  # the split commit took it out of the record


def test_an_entry_naming_nothing_without_an_overlay_still_withholds_all_but_the_identification(
    git_inventory: Path, run: Run
) -> None:
    """In a repository where no overlay may hold a part, an entry that names nothing (a typo)
    must not publish what it meant to hide (validate's access.parts)."""
    repo = git.Repo(git_inventory)
    write(git_inventory, BEFORE, ["/location"])
    first = commit(repo, "restricted, with a typo")
    write(git_inventory, AFTER, ["/location"])
    commit(repo, "description edited")
    for args in (("diff", "--baseline", first, "--element", ID), ("log", ID)):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "together" not in result.stdout and SECRET not in result.stdout, result.stdout
        # withheld as a whole: neither its history nor a comparison names a field it changed
        assert "/description" not in result.stdout, result.stdout
