"""Two records holding one id: the hints name the copy git does not know yet, quoted for the
shell, and the committed record keeps its published id unless `--force` (found by an outside
test: the hint named the committed record, and following it renumbered a published element)."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.io import strict_yaml as yamlload
from tests.support.helpers import Result

Run = Callable[..., Result]

COMMITTED = "elements/KZ-2013-0002.yaml"


def _copy(root: Path, name: str) -> str:
    rel = f"elements/{name}"
    shutil.copy(root / COMMITTED, root / rel)
    return rel


def _command(text: str, after: str) -> list[str]:
    """The words of the command quoted in backquotes after `after` in `text`."""
    start = text.index(after + "`") + len(after) + 1
    return shlex.split(text[start : text.index("`", start)])


def test_the_hint_names_the_uncommitted_copy_and_following_it_renumbers_the_copy(
    git_inventory: Path, run: Run
) -> None:
    copy = _copy(git_inventory, "KZ-2013-0002-new.yaml")
    refused = run("renumber", "KZ-2013-0002")
    assert refused.exit_code == 2
    assert f"hint: give one of them a new id first: `ichinv renumber {copy}`" in refused.stderr
    command = _command(refused.stderr, "first: ")
    assert command == ["ichinv", "renumber", copy]
    done = run(*command[1:])
    assert done.exit_code == 0, done.stderr
    assert "KZ-2013-0002 → KZ-2013-0003" in done.stdout
    assert yamlload.load((git_inventory / COMMITTED).read_bytes())[0]["id"] == "KZ-2013-0002"


def test_the_committed_record_keeps_its_published_id_even_named_by_its_path(
    git_inventory: Path, run: Run
) -> None:
    copy = _copy(git_inventory, "KZ-2013-0002-new.yaml")
    before = (git_inventory / COMMITTED).read_bytes()
    refused = run("renumber", COMMITTED)
    assert refused.exit_code == 2, refused.stdout
    assert (
        f"error: {COMMITTED} is the committed record of KZ-2013-0002, whose id is published; "
        "ids never change once given"
    ) in refused.stderr
    assert f"(`ichinv renumber {copy}`), or pass --force" in refused.stderr
    assert (git_inventory / COMMITTED).read_bytes() == before
    forced = run("renumber", COMMITTED, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not (git_inventory / COMMITTED).exists()


@pytest.mark.parametrize("name", ["KZ-2013-0002 copy.yaml", "KZ-2013-0002 (Aigul's).yaml"])
def test_hints_quote_a_path_for_the_shell(git_inventory: Path, run: Run, name: str) -> None:
    """validate's id.unique hint printed `ichinv renumber elements/KZ-2013-0017 copy.yaml`:
    the shell splits it in two."""
    copy = _copy(git_inventory, name)
    found = run("validate")
    assert found.exit_code == 1
    line = next(
        line
        for line in found.stdout.splitlines()
        if line.startswith(copy) and "[id.unique]" in line
    )
    command = _command(line, "run ")
    assert command == ["ichinv", "renumber", copy]
    refused = run("renumber", "KZ-2013-0002")
    assert _command(refused.stderr, "first: ") == ["ichinv", "renumber", copy]
    done = run(*command[1:])
    assert done.exit_code == 0, done.stderr
    assert run("validate").exit_code == 0
