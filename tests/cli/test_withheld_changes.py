"""The public views of changes (`packet --since`, `diff`, `diff-2013`) of a record withheld as a
whole, now or at the base: they named the fields changed ("Consent (changed): (value withheld)
→ (value withheld)") and the findings table gave the consent's line, telling that consent was
withdrawn, the state no public output tells. Found while fixing the same leak in `log`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import git

from tests.support.helpers import REPO_ROOT, Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]
RECORD = "elements/KZ-2013-0001.yaml"


def _withdrawn(root: Path, *, status: str = "withdrawn") -> None:
    """The element public at tag `base`, its consent `status` (and its viability) changed
    since, committed."""
    repo = git.Repo(root)
    build_file_tree(root, {RECORD: element_yaml("KZ-2013-0001")})
    commit(repo, "the element, consent given")
    repo.create_tag("base")
    build_file_tree(
        root,
        {
            RECORD: element_yaml(
                "KZ-2013-0001",
                consent={"status": status},
                viability={"status": "at-risk", "assessed": "2025-01-01"},
            )
        },
    )
    commit(repo, "the community changed its mind")


def test_the_public_change_packet_names_no_field_of_a_record_withheld_now(
    git_inventory: Path, run: Run
) -> None:
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    _withdrawn(git_inventory)
    git.Repo(git_inventory).create_tag("inventory-2013", "base", force=True)
    result = run("packet", "--since", "base", "--output", "-")
    packet = result.stdout
    assert "`KZ-2013-0001`" in packet and "revised" in packet, (result.stderr, result.exit_code)
    for said in ("Consent (", "**Consent**", "**Viability**", "at-risk", "withdrawn"):
        assert said not in packet, said
    assert "only the identification of this element is published" in packet
    assert "Fields changed since 2013" not in packet  # nor since the baseline
    # the findings table: no line of the file (the consent's would say which field)
    assert f"{RECORD}:" not in packet
    assert f"`{RECORD}`" in packet
    committee = run("packet", "--since", "base", "--audience", "committee", "--output", "-").stdout
    assert "**Consent" in committee and f"{RECORD}:" in committee
    assert "Fields changed since 2013: Viability, Consent" in committee


def test_the_public_diff_names_no_field_of_a_record_withheld_now(
    git_inventory: Path, run: Run
) -> None:
    _withdrawn(git_inventory, status="pending")
    for command in (
        ("diff", "--baseline", "base"),
        ("diff", "--baseline", "base", "-f", "markdown"),
    ):
        text = run(*command, "--element", "KZ-2013-0001").stdout
        assert "KZ-2013-0001" in text and "revised" in text
        for said in ("/consent", "/viability", "Consent", "Viability", "pending"):
            assert said not in text, (command, said)
    document = json.loads(run("diff", "--baseline", "base", "-f", "json").stdout)
    (element,) = [e for e in document["elements"] if e["id"] == "KZ-2013-0001"]
    assert element["status"] == "revised" and element["changes"] == []
    assert {"id", "status", "path", "changes", "name"} <= set(element)
    committee = run("diff", "--baseline", "base", "--audience", "committee").stdout
    assert "/consent" in committee and "/viability" in committee


def test_the_public_diff_2013_names_no_field_of_a_record_withheld_now(
    git_inventory: Path, run: Run
) -> None:
    _withdrawn(git_inventory)
    git.Repo(git_inventory).create_tag("inventory-2013", "base", force=True)
    text = run("diff-2013", "--element", "KZ-2013-0001").stdout
    assert "KZ-2013-0001" in text and "revised" in text
    assert "/consent" not in text and "/viability" not in text
    document = json.loads(run("diff-2013", "-f", "json").stdout)
    (element,) = [e for e in document["elements"] if e["id"] == "KZ-2013-0001"]
    assert element["changes"] == []


def test_a_change_of_the_identification_is_still_shown(git_inventory: Path, run: Run) -> None:
    """What the view of a record withheld as a whole shows, its identification, is shown."""
    _withdrawn(git_inventory)
    build_file_tree(
        git_inventory,
        {
            RECORD: element_yaml(
                "KZ-2013-0001",
                names={"kk": "Айтыс", "ru": "Айтыс", "en": "Nauryz feast"},
                consent={"status": "withdrawn"},
            )
        },
    )
    document = json.loads(run("diff", "--baseline", "base", "-f", "json").stdout)
    (element,) = [e for e in document["elements"] if e["id"] == "KZ-2013-0001"]
    assert [c["pointer"] for c in element["changes"]] == ["/names/en"]
    assert element["changes"][0]["new"] == "Nauryz feast"


def test_two_revisions_name_no_field_of_a_record_withheld_today(
    git_inventory: Path, run: Run
) -> None:
    """Public in both revisions compared (`--against`), withheld as a whole in the working
    tree: its fields changed between the two are not named either."""
    repo = git.Repo(git_inventory)
    build_file_tree(git_inventory, {RECORD: element_yaml("KZ-2013-0001")})
    commit(repo, "the element")
    repo.create_tag("base")
    viability = {"status": "at-risk", "assessed": "2025-01-01"}
    build_file_tree(git_inventory, {RECORD: element_yaml("KZ-2013-0001", viability=viability)})
    commit(repo, "viability assessed")
    args = ("diff", "--baseline", "base", "--against", "HEAD", "--element", "KZ-2013-0001")
    assert "/viability" in run(*args).stdout  # public in every version: shown
    build_file_tree(
        git_inventory,
        {
            RECORD: element_yaml(
                "KZ-2013-0001", viability=viability, consent={"status": "withdrawn"}
            )
        },
    )
    assert "/viability" not in run(*args).stdout
    document = json.loads(run(*args, "-f", "json").stdout)
    (element,) = document["elements"]
    assert element["status"] == "revised" and element["changes"] == []
