"""`ichinv private split` and `validate` as an outside tester used them: in a private repository
that names an overlay, with comments on the fields it moves, and with a `.gitignore` that lists
the overlay and then includes it again (`!/private/`)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.support.helpers import Result, build_file_tree, commit, element_yaml, init_repo

Run = Callable[..., Result]

RECORD = "elements/KZ-2013-0005.yaml"
EMAIL = "zhanar@example.org"
SECRET = "the grove behind the old well"
PRIVATE_REPOSITORY = '[tool.ichinv]\nprivate_overlay = "../private"\n'
PUBLIC_INSIDE = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "private"\n'
PUBLIC_BESIDE = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'


def restricted_record(**fields: object) -> str:
    return element_yaml(
        "KZ-2013-0005",
        **{
            "access": {
                "level": "restricted",
                "restricted_parts": ["/locations"],
                "reason": "The community asked that the place of the rite not be published.",
            },
            "contacts": [
                {"name": "Zhanar Testova", "role": "bearer", "email": EMAIL},
                {"name": "Aidos Testov", "role": "inventory-team"},
            ],
            "locations": [{"place": SECRET, "province": "KZ-43"}],
            **fields,
        },
    )


def findings(run: Run) -> tuple[int, list[dict[str, object]]]:
    result = run("validate", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


# --- a private repository that names an overlay --------------------------------------------------


def test_split_in_a_private_repository_leaves_an_inventory_that_validates(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tester: `private split` in a private repository with an overlay, then `validate`
    failed with an access.parts error for every moved restricted part (worded as if it quoted
    a withheld value), and the public view withheld the whole record. A repository naming an
    overlay may keep its private fields there: the part is withheld, the rest shown."""
    (inventory / "pyproject.toml").write_text(PRIVATE_REPOSITORY, encoding="utf-8")
    build_file_tree(inventory, {RECORD: restricted_record()})
    assert findings(run) == (0, [])
    result = run("private", "split", "KZ-2013-0005")
    assert result.exit_code == 0, result.stderr
    assert SECRET not in (inventory / RECORD).read_text(encoding="utf-8")
    assert findings(run) == (0, [])
    monkeypatch.setenv("ICHINV_WORKERS", "2")  # the records judged in worker processes too
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    assert findings(run) == (0, [])
    public = run("show", "KZ-2013-0005")
    assert public.exit_code == 0, public.stderr
    assert "Improvised poetic contest" in public.stdout  # not the identification only
    assert SECRET not in public.stdout and EMAIL not in public.stdout
    committee = run("show", "KZ-2013-0005", "--audience", "committee")
    assert SECRET in committee.stdout


def test_an_entry_naming_no_part_says_so(inventory: Path, run: Run) -> None:
    """Without an overlay a listed part the record lacks is a mistake, and the finding says
    what it is (it said only that a withheld value was not quoted: the hint's example
    `/locations` was taken for a quotation of the entry). An entry in the schema's words is
    quoted; one that may hold anything is named by its place only."""
    build_file_tree(
        inventory,
        {
            RECORD: restricted_record(
                access={
                    "level": "restricted",
                    "reason": "Sacred knowledge.",
                    "restricted_parts": ["/transmission", "/locatoins", f"/contacts/{EMAIL}"],
                },
            )
        },
    )
    code, found = findings(run)
    assert code == 1
    said = {f["pointer"]: f["message"] for f in found if f["rule"] == "access.parts"}
    assert said == {
        "/access/restricted_parts/0": "/transmission names no part of the record: until it "
        "names one that does, public output shows only the identification",
        "/access/restricted_parts/1": "this entry names no part of the record: until it names "
        "one that does, public output shows only the identification",
        "/access/restricted_parts/2": "this entry names no part of the record: until it names "
        "one that does, public output shows only the identification",
    }
    assert EMAIL not in run("validate").stdout


# --- comments go with their field ----------------------------------------------------------------


def test_comments_travel_with_the_fields_into_the_overlay(inventory: Path, run: Run) -> None:
    """The tester: the comment above `contacts:`, the one above its first item and the one at
    the end of its `name:` line were gone from both files after the split."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    text = "# kept by the Kyzylorda team\n" + restricted_record()
    text = text.replace("access:\n", "# decided in 2025\naccess:\n")
    text = text.replace(
        "contacts:\n- name: Zhanar Testova\n",
        "# contacts checked by the team in June\ncontacts:\n# the elder\n"
        "- name: Zhanar Testova  # aksakal\n",
    )
    text = text.replace("locations:\n", "locations:  # the grove only\n")
    build_file_tree(inventory, {RECORD: text})
    # An overlay file there already: its own comments stay too.
    existing = inventory.parent / "private" / "elements" / "KZ-2013-0005.yaml"
    build_file_tree(
        existing.parent, {existing.name: "# Private overlay of KZ-2013-0005\nid: KZ-2013-0005\n"}
    )
    assert run("private", "split").exit_code == 0

    record = (inventory / RECORD).read_text(encoding="utf-8")
    assert record.startswith("# kept by the Kyzylorda team\n")
    assert "# decided in 2025\naccess:\n" in record
    for gone in ("contacts", "checked by the team", "the elder", "aksakal", "the grove only"):
        assert gone not in record

    overlay = existing.read_text(encoding="utf-8")
    lines = overlay.splitlines()
    assert lines[:2] == ["# Private overlay of KZ-2013-0005", "id: KZ-2013-0005"]
    at = lines.index("contacts:")
    assert lines[at - 1] == "# contacts checked by the team in June"
    assert lines[at + 1] == "  # the elder"
    assert lines[at + 2].startswith("  - name: Zhanar Testova ")
    assert lines[at + 2].endswith(" # aksakal")
    assert "locations:  # the grove only" in lines
    data = yaml.safe_load(overlay)
    assert data["contacts"][0]["email"] == EMAIL
    assert data["locations"] == [{"place": SECRET, "province": "KZ-43"}]
    assert findings(run) == (0, [])


def test_a_new_overlay_file_starts_with_its_warning(inventory: Path, run: Run) -> None:
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    build_file_tree(inventory, {RECORD: restricted_record()})
    assert run("private", "split").exit_code == 0
    overlay = inventory.parent / "private" / "elements" / "KZ-2013-0005.yaml"
    text = overlay.read_text(encoding="utf-8")
    assert text.startswith("# Private overlay of KZ-2013-0005: personal data and restricted")
    assert "Never commit this file" in text
    assert list(yaml.safe_load(text)) == ["id", "locations", "contacts"]  # the schema's order


# --- git decides what it ignores -----------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("in_git", [True, False], ids=["repository", "no-repository"])
def test_an_overlay_included_again_by_a_negated_line_is_not_ignored(
    inventory: Path, run: Run, in_git: bool
) -> None:
    """The tester: with `/private/` then `!/private/` in .gitignore, `private split` wrote the
    contacts into a folder git does not ignore, and `validate` said ok (a line naming the
    folder was taken for an ignored folder). Git itself is asked now."""
    (inventory / "pyproject.toml").write_text(PUBLIC_INSIDE, encoding="utf-8")
    build_file_tree(
        inventory, {RECORD: restricted_record(), ".gitignore": "/private/\n!/private/\n"}
    )
    if in_git:
        commit(init_repo(inventory), "the inventory")
    code, found = findings(run)
    assert code == 1
    (ignored,) = [f for f in found if f["rule"] == "privacy.overlay-ignored"]
    assert ignored["message"] == (
        "git does not ignore the private overlay private/, which is inside the repository: "
        "its files could be committed"
    )
    result = run("private", "split")
    assert result.exit_code == 0, result.stderr
    assert "added /private/ to .gitignore" in result.stdout
    assert (inventory / ".gitignore").read_text(encoding="utf-8").endswith("\n/private/\n")
    if in_git:
        assert "private/" not in _git(inventory, "status", "--porcelain", "--untracked-files=all")
    assert findings(run) == (0, [])
    assert "nothing to move" in run("private", "split").stdout  # and no second line
    assert (inventory / ".gitignore").read_text(encoding="utf-8").count("\n/private/\n") == 1


def test_overlay_files_git_tracks_are_reported_and_split_refuses(inventory: Path, run: Run) -> None:
    """A tracked file is committed whatever .gitignore says: validate says so, and `private
    split` writes no contact next to it (exit 2, nothing changed)."""
    (inventory / "pyproject.toml").write_text(PUBLIC_INSIDE, encoding="utf-8")
    other = "elements/KZ-2013-0006.yaml"
    build_file_tree(inventory, {RECORD: restricted_record(), ".gitignore": "/private/\n"})
    repo = init_repo(inventory)
    commit(repo, "the inventory")
    assert run("private", "split", "KZ-2013-0005").exit_code == 0
    _git(inventory, "add", "--force", "private/elements/KZ-2013-0005.yaml")
    code, found = findings(run)
    assert code == 1
    (tracked,) = [f for f in found if f["rule"] == "privacy.overlay-ignored"]
    assert str(tracked["message"]).startswith("git tracks files of the private overlay private/")
    assert "git rm -r --cached private/" in str(tracked["hint"])

    build_file_tree(inventory, {other: restricted_record().replace("0005", "0006")})
    before = (inventory / other).read_bytes(), (inventory / ".gitignore").read_bytes()
    result = run("private", "split", "KZ-2013-0006")
    assert result.exit_code == 2
    assert "git tracks files of the private overlay private/" in result.stderr
    assert ((inventory / other).read_bytes(), (inventory / ".gitignore").read_bytes()) == before
    assert not (inventory / "private" / "elements" / "KZ-2013-0006.yaml").exists()


@pytest.mark.parametrize("ids", [(), ("KZ-2013-0005",)])
def test_a_dry_run_refuses_an_overlay_in_a_folder_git_tracks_files_in(
    inventory: Path, run: Run, ids: tuple[str, ...]
) -> None:
    """`private_overlay = "docs"`, a folder git tracks files in: the dry run showed its plan
    ("would add /docs/ to .gitignore", exit 0) that the run then refused (exit 2). No line of
    .gitignore keeps a tracked file from being committed: the dry run refuses it so too."""
    (inventory / "pyproject.toml").write_text(
        PUBLIC_INSIDE.replace('"private"', '"docs"'), encoding="utf-8"
    )
    build_file_tree(inventory, {RECORD: restricted_record(), "docs/README.md": "Guides.\n"})
    commit(init_repo(inventory), "the inventory")
    before = (inventory / RECORD).read_bytes()
    real = run("private", "split", *ids)
    dry = run("private", "split", *ids, "--dry-run")
    assert real.exit_code == 2, real.stdout
    assert (dry.exit_code, dry.stdout, dry.stderr) == (2, "", real.stderr)
    assert "git tracks files of the private overlay docs/" in dry.stderr
    assert "git rm -r --cached docs/" in dry.stderr
    assert (inventory / RECORD).read_bytes() == before
    assert not (inventory / ".gitignore").exists()


def test_files_of_an_overlay_included_again_below_an_ignored_folder_are_not_ignored(
    inventory: Path, run: Run
) -> None:
    """The tester: with `/private/*` then `!/private/elements/`, git was asked only about
    `private/` (which `/private/*` seems to ignore): split exited 0 and left the contacts in
    `private/elements/`, untracked but not ignored, and validate said ok. Git is asked about
    the `elements/` folder and each overlay file too."""
    (inventory / "pyproject.toml").write_text(PUBLIC_INSIDE, encoding="utf-8")
    build_file_tree(
        inventory,
        {RECORD: restricted_record(), ".gitignore": "/private/*\n!/private/elements/\n"},
    )
    commit(init_repo(inventory), "the inventory")
    code, found = findings(run)
    assert code == 1
    (ignored,) = [f for f in found if f["rule"] == "privacy.overlay-ignored"]
    assert str(ignored["message"]).startswith(
        "git does not ignore private/elements/ of the private overlay private/"
    )
    result = run("private", "split")
    assert result.exit_code == 0, result.stderr
    assert "added /private/ to .gitignore" in result.stdout
    assert "private/" not in _git(inventory, "status", "--porcelain", "--untracked-files=all")
    assert findings(run) == (0, [])


def test_an_overlay_a_deeper_gitignore_includes_again_is_refused_before_writing(
    inventory: Path, run: Run
) -> None:
    """A `!` line in the .gitignore of the overlay's parent folder outranks the line split adds
    at the root: split refuses (exit 2) with nothing written, .gitignore as it was, and names
    that line when git can say which (once the folder exists)."""
    (inventory / "pyproject.toml").write_text(
        PUBLIC_INSIDE.replace('"private"', '"data/private"'), encoding="utf-8"
    )
    build_file_tree(
        inventory,
        {
            RECORD: restricted_record(),
            ".gitignore": "/data/private/\n",
            "data/.gitignore": "# kept\n!private/\n",
        },
    )
    commit(init_repo(inventory), "the inventory")
    before = (inventory / RECORD).read_bytes(), (inventory / ".gitignore").read_bytes()
    result = run("private", "split")
    assert result.exit_code == 2
    assert "git does not ignore the private overlay data/private/" in result.stderr
    assert ((inventory / RECORD).read_bytes(), (inventory / ".gitignore").read_bytes()) == before
    assert not (inventory / "data" / "private").exists()
    (inventory / "data" / "private").mkdir()
    result = run("private", "split")
    assert result.exit_code == 2
    assert "line 2 of data/.gitignore starts with ! and includes it again" in result.stderr
    assert ((inventory / RECORD).read_bytes(), (inventory / ".gitignore").read_bytes()) == before
    code, found = findings(run)
    (ignored,) = [f for f in found if f["rule"] == "privacy.overlay-ignored"]
    assert "line 2 of data/.gitignore" in str(ignored["hint"])


def test_an_overlay_above_the_inventory_inside_the_repository_must_be_ignored(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inventory in a folder of a larger repository, its overlay beside it: in the same git
    working tree, so committable, though outside the inventory (it went unchecked)."""
    from tests.support.helpers import build_inventory

    top = tmp_path / "work"
    root = build_inventory(top / "inventory", settings=PUBLIC_BESIDE)
    build_file_tree(root, {RECORD: restricted_record()})
    commit(init_repo(top), "the inventory")
    monkeypatch.chdir(root)
    code, found = findings(run)
    assert code == 1
    (ignored,) = [f for f in found if f["rule"] == "privacy.overlay-ignored"]
    assert "the private overlay ../private/" in str(ignored["message"])
    assert "list ../private/ in a .gitignore of the repository" == ignored["hint"]
    result = run("private", "split")
    assert result.exit_code == 2
    assert not (top / "private").exists()
    build_file_tree(top, {".gitignore": "/private/\n"})
    assert run("private", "split").exit_code == 0
    assert findings(run) == (0, [])


def test_an_overlay_whose_name_starts_with_a_colon_is_asked_about_as_itself(
    inventory: Path,
) -> None:
    """A review: git read the overlay's paths as pathspecs, so `:secret/…` was asked about as
    `secret/…`, which `.gitignore` lists: its files, which git would commit, passed as
    ignored."""
    from ichinv.io import git_ignore

    build_file_tree(inventory, {".gitignore": "/secret/\n"})
    commit(init_repo(inventory), "the inventory")
    (inventory / ":secret" / "elements").mkdir(parents=True)
    (inventory / ":secret" / "elements" / "KZ-2026-0001.yaml").write_text("id: x\n", "utf-8")
    asked = [":secret/", ":secret/elements/", ":secret/elements/KZ-2026-0001.yaml"]
    assert git_ignore.unignored(inventory, asked) != []
    assert git_ignore.unignored(inventory, ["secret/"]) == []


def test_an_overlay_file_linked_to_a_folder_git_does_not_ignore_is_not_ignored(
    inventory: Path,
) -> None:
    """A review: git was asked about a link in the overlay's `elements/`, which it ignores,
    while the contacts are written where the link leads (`private/notes/`, included again)."""
    from ichinv.inventory import overlay
    from ichinv.io import settings

    (inventory / "pyproject.toml").write_text(PUBLIC_INSIDE, encoding="utf-8")
    build_file_tree(inventory, {".gitignore": "/private/*\n!/private/notes/\n"})
    commit(init_repo(inventory), "the inventory")
    (inventory / "private" / "elements").mkdir(parents=True)
    (inventory / "private" / "notes").mkdir()
    (inventory / "private" / "notes" / "KZ-2026-0001.yaml").write_text("id: x\n", "utf-8")
    link = inventory / "private" / "elements" / "KZ-2026-0001.yaml"
    link.symlink_to("../notes/KZ-2026-0001.yaml")
    problem = overlay.not_ignored(settings.load(inventory))
    assert problem is not None and "private/notes/KZ-2026-0001.yaml" in problem.message
