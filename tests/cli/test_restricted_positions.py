"""A part restricted by its position in a list (`access.restricted_parts: [/communities/0]`)
while the list is reordered, through every public output of changes: `diff-2013` and `diff`
(text, JSON, Markdown; with the working tree and `--against`), `log`, and the change packet
(`packet --since`). Found by an outside tester (atkX, finding 1): the diff matched communities
by name but judged the restriction at the other version's position, and printed the earlier
value of the restricted community."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support.helpers import REPO_ROOT, Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2026-0901"
TEMPLATES = REPO_ROOT / "templates"
PATH = f"elements/{ID}.yaml"
OPEN = {"name": "Open community", "kind": "community", "role": "practitioners"}
RESTRICTED = {"level": "restricted", "restricted_parts": ["/communities/0"], "reason": "Sacred"}


def lineage(description: str | None = None) -> dict[str, Any]:
    found = {"name": "Healers lineage", "kind": "group", "role": "custodians"}
    return found | ({"description": description} if description else {})


def write(root: Path, communities: list[dict[str, Any]], access: dict[str, Any]) -> None:
    text = element_yaml(ID, communities=communities, access=access)
    build_file_tree(root, {PATH: text})


def public_outputs(run: Run, *, against: bool = True) -> dict[str, str]:
    """What the public reads of the element's changes since `inventory-2013`."""
    said: dict[str, str] = {}
    for form in ("text", "json", "markdown"):
        result = run("diff-2013", "--element", ID, "-f", form)
        assert result.exit_code == 0, result.stderr
        said[f"diff-2013 -f {form}"] = result.stdout
        if against:
            result = run("diff-2013", "--against", "HEAD", "--element", ID, "-f", form)
            assert result.exit_code == 0, result.stderr
            said[f"diff-2013 --against HEAD -f {form}"] = result.stdout
    said["log"] = run("log", ID).stdout
    result = run("packet", "--since", "inventory-2013", "--templates", str(TEMPLATES))
    assert result.exit_code == 0, result.stderr
    said["packet --since"] = result.stdout
    return said


@pytest.fixture
def repo(git_inventory: Path) -> git.Repo:
    return git.Repo(git_inventory)


def baseline(repo: git.Repo) -> None:
    commit(repo, "baseline")
    repo.create_tag("inventory-2013", force=True)


def test_restricted_then_published_in_another_order_never_shows_the_earlier_value(
    git_inventory: Path, repo: git.Repo, run: Run
) -> None:
    """The community withdraws its restriction and the list is reordered: what it recorded
    while restricted stays hidden; what it publishes now is shown."""
    write(git_inventory, [lineage("LEAKED the hidden spring"), OPEN], RESTRICTED)
    baseline(repo)
    write(git_inventory, [OPEN, lineage("Published: it keeps the songs")], {"level": "public"})
    commit(repo, "publish")
    for output, said in public_outputs(run).items():
        assert "LEAKED" not in said, (output, said)
    text = run("diff-2013", "--element", ID).stdout
    assert "/communities/1: (earlier value not shown: it was restricted then) → " in text
    assert "Published: it keeps the songs" in text


def test_restricted_now_in_another_order_hides_the_value_removed(
    git_inventory: Path, repo: git.Repo, run: Run
) -> None:
    """The baseline is public; now the community comes first, is restricted by its position,
    and its description is deleted: the description is not printed as removed."""
    write(git_inventory, [OPEN, lineage("LEAKED the old words")], {"level": "public"})
    baseline(repo)
    write(git_inventory, [lineage(), OPEN], RESTRICTED)
    commit(repo, "restrict")
    for output, said in public_outputs(run).items():
        assert "LEAKED" not in said, (output, said)
    text = run("diff-2013", "--element", ID).stdout
    assert "/communities/0: changed (value not shown: personal data or a restricted part)" in text


def test_restricted_today_in_another_order_hides_past_values(
    git_inventory: Path, repo: git.Repo, run: Run
) -> None:
    """Two public commits edit the community's description; the working tree moves it last
    and restricts it there: `log` and `diff --against` hide both values of the past change."""
    write(git_inventory, [lineage("LEAKED first"), OPEN], {"level": "public"})
    baseline(repo)
    write(
        git_inventory,
        [lineage("LEAKED second"), OPEN | {"description": "Open words"}],
        {"level": "public"},
    )
    commit(repo, "edit")
    moved = {**RESTRICTED, "restricted_parts": ["/communities/1"]}
    write(git_inventory, [OPEN | {"description": "Open words"}, lineage("LEAKED second")], moved)
    said = public_outputs(run)
    for output in ("log", *(k for k in said if "--against" in k)):
        assert "LEAKED" not in said[output], (output, said[output])
    assert "Open words" in said["log"]  # the other community's change is public
