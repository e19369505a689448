"""Id allocation: the next free id across the working tree and git branches, never reused,
and safe when two `ichinv new` run at the same moment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ichinv.core.errors import UsageError
from ichinv.inventory import ids as idalloc
from ichinv.io import settings
from tests.support.helpers import REPO_ROOT, commit, element_yaml, init_repo


def next_id(inv: settings.Settings, year: int) -> str:
    """The id `create` gives out (the record file it creates holds that id)."""
    return idalloc.create(inv, year, element_yaml).id


def test_ids_are_parsed_and_formatted() -> None:
    assert idalloc.parse("KZ-2026-0042") == (2026, 42)
    assert idalloc.parse("KZ-2026-42") is None
    assert idalloc.parse("kz-2026-0042") is None
    assert idalloc.format_id(2026, 7) == "KZ-2026-0007"


def test_the_next_id_is_one_above_the_highest_of_the_year(inventory: Path) -> None:
    (inventory / "elements" / "KZ-2026-0007.yaml").write_text(element_yaml("KZ-2026-0007"))
    (inventory / "elements" / "KZ-2025-0040.yaml").write_text(element_yaml("KZ-2025-0040"))
    inv = settings.load(inventory)
    assert next_id(inv, 2026) == "KZ-2026-0008"
    assert next_id(inv, 2024) == "KZ-2024-0001"
    assert next_id(inv, 2013) == "KZ-2013-0003"  # the base inventory has KZ-2013-0002


def test_ids_on_other_branches_and_deleted_ids_are_not_given_again(inventory: Path) -> None:
    repo = init_repo(inventory)
    commit(repo, "base")
    elements = inventory / "elements"
    repo.git.checkout("-q", "-b", "colleague")
    (elements / "KZ-2026-0005.yaml").write_text(element_yaml("KZ-2026-0005"))
    commit(repo, "a colleague's new element")
    repo.git.checkout("-q", "main")
    (elements / "KZ-2026-0009.yaml").write_text(element_yaml("KZ-2026-0009"))
    commit(repo, "an element later removed")
    (elements / "KZ-2026-0009.yaml").unlink()
    commit(repo, "removed")
    inv = settings.load(inventory)
    assert not (elements / "KZ-2026-0005.yaml").exists()
    assert idalloc.git_ids(inv) >= {"KZ-2026-0005", "KZ-2026-0009", "KZ-2013-0002"}
    assert next_id(inv, 2026) == "KZ-2026-0010"


def test_remote_tracking_branches_count_too(inventory: Path, tmp_path: Path) -> None:
    upstream = init_repo(inventory)
    commit(upstream, "base")
    upstream.git.checkout("-q", "-b", "field-team")
    (inventory / "elements" / "KZ-2026-0012.yaml").write_text(element_yaml("KZ-2026-0012"))
    commit(upstream, "field team")
    upstream.git.checkout("-q", "main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(inventory), str(clone)], check=True)
    inv = settings.load(clone)
    assert "KZ-2026-0012" in idalloc.git_ids(inv)
    assert next_id(inv, 2026) == "KZ-2026-0013"


def test_outside_git_the_working_tree_is_enough(inventory: Path) -> None:
    assert idalloc.git_ids(settings.load(inventory)) == set()


def test_create_moves_on_when_the_file_appears_meanwhile(inventory: Path) -> None:
    inv = settings.load(inventory)
    taken_meanwhile = inventory / "elements" / "KZ-2026-0001.yaml"

    def render(element_id: str) -> str:
        if not taken_meanwhile.exists():  # another editor's `new` wins the race
            taken_meanwhile.write_text(element_yaml("KZ-2026-0001"))
        return element_yaml(element_id)

    allocation = idalloc.create(inv, 2026, render, taken=idalloc.Taken(set()))
    assert allocation.id == "KZ-2026-0002"
    assert allocation.rel == "elements/KZ-2026-0002.yaml"
    assert "KZ-2026-0001" in taken_meanwhile.read_text()
    assert sorted(p.name for p in (inventory / "elements").iterdir()) == [
        "KZ-2013-0002.yaml",
        "KZ-2026-0001.yaml",
        "KZ-2026-0002.yaml",
    ]


def test_a_year_outside_the_id_range_is_refused(inventory: Path) -> None:
    with pytest.raises(UsageError):
        next_id(settings.load(inventory), 1850)


def test_two_new_started_together_get_different_ids_and_whole_files(inventory: Path) -> None:
    (inventory / "templates").mkdir()
    (inventory / "templates" / "new-element.yaml").write_bytes(
        (REPO_ROOT / "templates" / "new-element.yaml").read_bytes()
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [
        sys.executable,
        "-m",
        "ichinv",
        "new",
        "--no-input",
        "--year",
        "2026",
        "--name-kk",
        "Айтыс",
        "--name-ru",
        "Айтыс",
        "--domain",
        "oral-traditions",
        "--province",
        "KZ-43",
        "--repo",
        str(inventory),
    ]
    for _ in range(2):
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
    names = sorted(p.name for p in (inventory / "elements").iterdir())
    assert names == ["KZ-2013-0002.yaml"] + [f"KZ-2026-{n:04d}.yaml" for n in range(1, 5)]
    for name in names[1:]:
        text = (inventory / "elements" / name).read_text(encoding="utf-8")
        assert f"id: {name[:-5]}\n" in text
        assert text.endswith("    - list: community-inventory\n")
