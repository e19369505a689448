"""`ichinv new` refuses what it cannot do well and says what to do instead (found by an
outside test): a name holding a contact, a year still to come, a year whose ids ran out."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, element_yaml, init_repo

Run = Callable[..., Result]

FLAGS = ["new", "--no-input", "--name-kk", "Домбыра жасау", "--name-ru", "Изготовление домбры"]


def created(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "elements").glob("KZ-2026-*.yaml"))


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--name-en", "Dombra making, ask Aigul +7 701 555 1234"),
        ("--name-ru", "Домбра (aigul@mail.kz)"),
        ("--name-kk", "Домбыра 8 701 555 12 34"),
    ],
)
def test_a_name_holding_a_contact_is_refused_unquoted(
    inventory_with_template: Path, run: Run, option: str, value: str
) -> None:
    args = [*FLAGS, option, value]
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert (
        f"error: the value of {option} holds an e-mail address, a phone number or a messenger's link"
        in result.stderr
    )
    assert "555" not in result.stderr and "aigul" not in result.stderr
    assert created(inventory_with_template) == []


def test_a_name_typed_at_the_prompt_is_checked_for_contacts_too(
    inventory_with_template: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ichinv", "new"],
        cwd=inventory_with_template,
        input="Домбыра aigul@mail.kz\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    said = "the value of --name-kk holds an e-mail address, a phone number or a messenger's link"
    assert said in result.stderr
    assert "aigul" not in result.stderr
    assert created(inventory_with_template) == []


@pytest.mark.parametrize("year", ["2027", "2099"])
def test_a_year_still_to_come_is_refused(
    inventory_with_template: Path, run: Run, year: str
) -> None:
    """It was accepted: `new --year 2099` wrote elements/KZ-2099-0001.yaml (today is
    2026-11-25 in the tests)."""
    result = run(*FLAGS, "--year", year)
    assert result.exit_code == 2, result.stdout
    assert f"error: the year {year} has not come yet (today is 2026-11-25)" in result.stderr
    assert "hint: " in result.stderr
    assert not list((inventory_with_template / "elements").glob(f"KZ-{year}-*.yaml"))


def test_this_year_and_earlier_ones_are_given(inventory_with_template: Path, run: Run) -> None:
    assert run(*FLAGS, "--year", "2026").exit_code == 0
    assert run(*FLAGS, "--year", "2013").exit_code == 0


def test_a_stray_high_id_that_used_up_the_year_is_named_with_what_to_do(
    inventory_with_template: Path, run: Run
) -> None:
    """It was: `every id of 2026 up to KZ-2026-9999 is taken`, and no hint."""
    folder = inventory_with_template / "elements"
    for element_id in ("KZ-2026-0001", "KZ-2026-0002", "KZ-2026-9999"):
        (folder / f"{element_id}.yaml").write_text(element_yaml(element_id), encoding="utf-8")
    result = run(*FLAGS)
    assert result.exit_code == 2
    assert "error: every id of 2026 up to KZ-2026-9999 is taken" in result.stderr
    assert (
        "hint: ids of a year are given in order, one above the highest used, KZ-2026-9999; if "
        "that id was given by mistake and is not committed yet, renumber it (`ichinv renumber "
        "KZ-2026-9999 --to KZ-2026-0003`)"
    ) in result.stderr
    assert created(inventory_with_template) == ["KZ-2026-0001.yaml", "KZ-2026-0002.yaml",
                                                "KZ-2026-9999.yaml"]  # fmt: skip
    renumbered = run("renumber", "KZ-2026-9999", "--to", "KZ-2026-0003")
    assert renumbered.exit_code == 0, renumbered.stderr
    again = run(*FLAGS)
    assert again.exit_code == 0, again.stderr
    assert "KZ-2026-0004" in again.stdout


@pytest.mark.parametrize("how", ["link out", "own repository"])
def test_an_elements_folder_of_no_record_of_this_repository_is_refused(
    inventory_with_template: Path, run: Run, tmp_path: Path, how: str
) -> None:
    """Through elements/, a link leading out of the inventory, `new` wrote its record outside
    the repository (exit 0), where validate and fmt read none; into another repository's
    folder, a record this one never commits."""
    folder = inventory_with_template / "elements"
    if how == "link out":
        moved = tmp_path / "r-elements"
        shutil.move(folder, moved)
        folder.symlink_to(moved)
        expected = "is a symbolic link to "
    else:
        init_repo(folder)
        moved = folder
        expected = "is a git repository of its own"
    before = sorted(p.name for p in moved.iterdir())
    result = run(*FLAGS)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"error: the new record was not written: elements/ {expected}")
    assert "hint: " in result.stderr
    assert sorted(p.name for p in moved.iterdir()) == before
    asked = run("new", "--year", "2026", input="Домбыра\n")  # refused before any question
    assert asked.exit_code == 2
    assert asked.stdout == ""


@pytest.mark.parametrize("name", ["KZ-2026-0003.yml", "KZ-2026-0003.YAML", "KZ-2026-0003"])
def test_an_id_a_record_of_another_spelling_holds_is_not_given_again(
    inventory_with_template: Path, run: Run, name: str
) -> None:
    """A record saved as KZ-2026-0003.yml (which validate names) was not counted: `new` gave
    KZ-2026-0003 to another element, and `renumber` could too."""
    folder = inventory_with_template / "elements"
    (folder / name).write_text(element_yaml("KZ-2026-0003"), encoding="utf-8")
    result = run(*FLAGS)
    assert result.exit_code == 0, result.stderr
    assert "created elements/KZ-2026-0004.yaml (KZ-2026-0004)" in result.stdout
    # A copy of KZ-2026-0004 (renumbering it changes no reference: the unreadable record
    # does not stop it) is given the next id above the .yml's too.
    (folder / "KZ-2026-0004.yaml").unlink()
    (folder / "KZ-2026-0002.yaml").write_text(element_yaml("KZ-2026-0001"), encoding="utf-8")
    (folder / "KZ-2026-0001.yaml").write_text(element_yaml("KZ-2026-0001"), encoding="utf-8")
    renumbered = run("renumber", "elements/KZ-2026-0002.yaml")
    assert renumbered.exit_code == 0, renumbered.stderr
    assert "renumbered KZ-2026-0001 → KZ-2026-0004" in renumbered.stdout
