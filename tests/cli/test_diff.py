"""`ichinv diff-2013` and `ichinv diff` through the CLI, on throwaway git repositories."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from ichinv.render.diff import RENDERERS as DIFF_RENDERERS
from ichinv.render.diff import DiffFormat
from tests.support.helpers import Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]

SETTINGS = """[tool.ichinv]

[tool.ichinv.baselines]
2013 = { rev = "inventory-2013", label = "National list, Order No. 50 of 1 March 2013" }
2024 = { rev = "inventory-2024", label = "National list, Order No. 211-нқ of 28 May 2024" }
"""

BASELINE = {
    "pyproject.toml": SETTINGS,
    "elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001"),
    "elements/KZ-2013-0003.yaml": element_yaml("KZ-2013-0003"),
    "elements/KZ-2013-0004.yaml": element_yaml("KZ-2013-0004"),
    "elements/aitys.yaml": element_yaml("KZ-2013-0005"),
    "elements/KZ-2013-0006.yaml": element_yaml("KZ-2013-0006", provinces=["KZ-YUZ"]),
    "elements/KZ-2013-0007.yaml": element_yaml("KZ-2013-0007"),
}


@pytest.fixture
def revision(git_inventory: Path) -> Path:
    """An inventory whose 2013 baseline (tag inventory-2013) holds seven elements."""
    build_file_tree(git_inventory, BASELINE)
    commit(git.Repo(git_inventory), "2013 list", tag=None)
    git.Repo(git_inventory).create_tag("inventory-2013", force=True)
    git.Repo(git_inventory).create_tag("inventory-2024")
    return git_inventory


def edit_like_the_committee(root: Path) -> None:
    """One field edited, one element added, one retired, one merged, one file deleted, one
    file renamed (same id), one province re-mapped."""
    build_file_tree(
        root,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001", names={"kk": "Айтыс", "ru": "Айтыс", "en": "Aitys"}
            ),
            "elements/KZ-2026-0001.yaml": element_yaml("KZ-2026-0001", provinces=["KZ-23"]),
            "elements/KZ-2013-0003.yaml": element_yaml(
                "KZ-2013-0003",
                status="retired",
                status_change={"reason": "No longer practised", "date": "2025-01-10"},
            ),
            "elements/KZ-2013-0006.yaml": element_yaml("KZ-2013-0006", provinces=["KZ-61"]),
            "elements/KZ-2013-0007.yaml": element_yaml(
                "KZ-2013-0007",
                status="merged",
                status_change={"reason": "One element", "merged_into": "KZ-2013-0001"},
            ),
        },
    )
    (root / "elements/KZ-2013-0004.yaml").unlink()
    (root / "elements/aitys.yaml").rename(root / "elements/KZ-2013-0005.yaml")


EXPECTED = {
    "KZ-2013-0001": ("revised", [("/names/en", "changed", "Element KZ-2013-0001", "Aitys")]),
    "KZ-2013-0002": ("unchanged", []),
    "KZ-2013-0003": (
        "retired",
        [
            ("/status", "changed", "active", "retired"),
            (
                "/status_change",
                "added",
                None,
                {"reason": "No longer practised", "date": "2025-01-10"},
            ),
        ],
    ),
    "KZ-2013-0004": ("removed", []),
    "KZ-2013-0005": ("unchanged", []),
    "KZ-2013-0006": ("unchanged", [("/provinces/0", "changed", "KZ-YUZ", "KZ-61")]),
    "KZ-2013-0007": (
        "merged",
        [
            ("/status", "changed", "active", "merged"),
            (
                "/status_change",
                "added",
                None,
                {"reason": "One element", "merged_into": "KZ-2013-0001"},
            ),
        ],
    ),
    "KZ-2026-0001": ("added", []),
}


def as_json(result: Result) -> dict[str, Any]:
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def statuses(document: dict[str, Any]) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    return {
        e["id"]: (
            e["status"],
            [(c["pointer"], c["kind"], c["old"], c["new"]) for c in e["changes"]],
        )
        for e in document["elements"]
    }


def test_the_committee_s_edits_uncommitted(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    document = as_json(run("diff-2013", "--format", "json"))
    assert statuses(document) == EXPECTED
    sha = git.Repo(revision).tags["inventory-2013"].commit.hexsha
    assert document["baseline"]["rev"] == "inventory-2013"
    assert document["baseline"]["commit"] == sha
    assert document["against"] == "working-tree"
    assert document["summary"] == {
        "added": 1,
        "revised": 1,
        "unchanged": 3,
        "retired": 1,
        "merged": 1,
        "removed": 1,
    }
    by_id = {e["id"]: e for e in document["elements"]}
    assert by_id["KZ-2013-0005"]["path"] == "elements/KZ-2013-0005.yaml"
    assert by_id["KZ-2013-0005"]["old_path"] == "elements/aitys.yaml"
    assert by_id["KZ-2013-0004"]["path"] == "elements/KZ-2013-0004.yaml"
    assert by_id["KZ-2013-0006"]["changes"][0]["remapped"] is True


def test_the_committee_s_edits_committed(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    head = commit(git.Repo(revision), "Revision of the 2013 list")
    assert statuses(as_json(run("diff-2013", "--format", "json"))) == EXPECTED
    against = as_json(run("diff-2013", "--format", "json", "--against", "HEAD"))
    assert statuses(against) == EXPECTED
    assert against["against"] == head


def test_exit_code(revision: Path, run: Run) -> None:
    assert run("diff-2013", "--exit-code", "--stat").exit_code == 0
    edit_like_the_committee(revision)
    assert run("diff-2013", "--exit-code", "--stat").exit_code == 1
    assert run("diff-2013", "--stat").exit_code == 0
    commit(git.Repo(revision), "revision")
    assert run("diff", "--baseline", "HEAD", "--exit-code").exit_code == 0
    same = run("diff", "--baseline", "HEAD~1", "--against", "HEAD~1", "--exit-code")
    assert same.exit_code == 0, same.stderr
    assert run("diff", "--baseline", "HEAD~1", "--against", "HEAD", "--exit-code").exit_code == 1


def test_an_unchanged_file_is_named_by_its_id(revision: Path, run: Run) -> None:
    document = as_json(run("diff-2013", "-f", "json"))
    assert document["summary"]["unchanged"] == 7
    by_id = {e["id"]: e for e in document["elements"]}
    assert by_id["KZ-2013-0005"]["path"] == "elements/aitys.yaml"


def test_a_province_re_mapping_is_visible_as_such_in_every_format(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    text = run("diff-2013", "--element", "KZ-2013-0006").stdout
    assert '/provinces/0: "KZ-YUZ" → "KZ-61" (administrative re-mapping)' in text
    markdown = run("diff-2013", "--format", "markdown", "--element", "KZ-2013-0006").stdout
    assert "| `/provinces/0` | changed (administrative re-mapping) | KZ-YUZ | KZ-61 |" in markdown
    (element,) = as_json(run("diff-2013", "-f", "json", "--element", "KZ-2013-0006"))["elements"]
    assert element["status"] == "unchanged"
    assert element["changes"] == [
        {
            "pointer": "/provinces/0",
            "kind": "changed",
            "old": "KZ-YUZ",
            "new": "KZ-61",
            "remapped": True,
        }
    ]


def test_text_report(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    result = run("diff-2013")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Compared baseline 2013 (inventory-2013, commit ")
    assert "with the working tree." in text
    assert "  retired           1" in text
    assert "Elements that differ, by province:" in text
    assert "KZ-61 Turkistan Region" in text
    assert "Elements that differ, by domain:" in text
    assert "KZ-2013-0001  revised  Aitys" in text
    assert '  /names/en: "Element KZ-2013-0001" → "Aitys"' in text
    assert "elements/KZ-2013-0005.yaml (was elements/aitys.yaml)" in text
    assert "KZ-2013-0002" not in text  # unchanged elements are only counted


def test_markdown_report(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    markdown = run("diff-2013", "--format", "markdown").stdout
    assert markdown.startswith("## Inventory changes since baseline 2013\n")
    assert "| retired | 1 |" in markdown
    assert "### KZ-2013-0001 · Aitys — revised" in markdown
    assert "| `/names/en` | changed | Element KZ-2013-0001 | Aitys |" in markdown
    assert "### KZ-2013-0004 · Element KZ-2013-0004 — removed" in markdown


def test_markdown_cannot_be_broken_by_record_text(revision: Path, run: Run) -> None:
    hostile = "Pipe | <script>alert(1)</script> @someone #12 [x](javascript:alert(1))\nnext"
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001", names={"kk": "Айтыс", "ru": "Айтыс", "en": hostile}
            )
        },
    )
    # The committee's view: a public one leaves out a text with a handle (`@someone`) whole,
    # as it does every text that holds a contact (ichinv.inventory.contact_texts).
    markdown = run(
        "diff-2013", "--format", "markdown", "--element", "KZ-2013-0001", "--audience", "committee"
    ).stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| `/names/en`"))
    # One escaper for every Markdown output (ichinv.render.markdown.escape): backslashes,
    # which GitHub renders as the characters themselves.
    assert "<script>" not in markdown and "\\<script\\>" in row
    assert "`@someone`" in row and "`#12`" in row
    assert "\\| \\<script" in row and "\\[x\\]" in row
    assert row.endswith("next** |")  # a word diff reads as one line, as in packets
    assert row.count(" | ") == 3  # still four cells


def test_long_texts_show_words(revision: Path, run: Run) -> None:
    text = "Improvised poetic duel between two akyns, on the dombra."
    build_file_tree(
        revision,
        {"elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001", description={"en": text})},
    )
    assert "Improvised poetic [-contest-]{+duel+} between" in run("diff-2013").stdout
    markdown = run("diff-2013", "-f", "markdown").stdout
    assert "Improvised poetic ~~contest~~**duel** between" in markdown
    (element,) = [e for e in as_json(run("diff-2013", "-f", "json"))["elements"] if e["changes"]]
    assert ["-", "contest"] in element["changes"][0]["words"]


def test_filters_and_stat(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)

    def ids(*options: str) -> list[str]:
        return [e["id"] for e in as_json(run("diff-2013", "-f", "json", *options))["elements"]]

    assert ids("--status", "retired", "--status", "merged") == ["KZ-2013-0003", "KZ-2013-0007"]
    assert ids("--element", "KZ-2026-0001") == ["KZ-2026-0001"]
    assert ids("--province", "KZ-23") == ["KZ-2026-0001"]
    assert ids("--province", "KZ-YUZ") == ["KZ-2013-0006"]
    assert len(ids("--domain", "oral-traditions")) == 8
    assert ids("--domain", "craftsmanship") == []
    stat = as_json(run("diff-2013", "-f", "json", "--stat"))
    assert "elements" not in stat and stat["summary"]["removed"] == 1
    assert "KZ-2013-0001" not in run("diff-2013", "--stat").stdout
    filtered = as_json(run("diff-2013", "-f", "json", "--status", "added"))
    assert filtered["summary"]["added"] == 1 and filtered["summary"]["unchanged"] == 0


def test_named_baselines_and_plain_revisions(revision: Path, run: Run) -> None:
    edit_like_the_committee(revision)
    named = as_json(run("diff", "--baseline", "2024", "-f", "json"))
    assert named["baseline"]["name"] == "2024"
    assert named["baseline"]["rev"] == "inventory-2024"
    assert statuses(named) == EXPECTED
    sha = git.Repo(revision).head.commit.hexsha
    plain = as_json(run("diff", "--baseline", sha[:12], "-f", "json"))
    assert plain["baseline"] == {"rev": sha[:12], "commit": sha, "name": None, "label": None}
    default = as_json(run("diff", "-f", "json"))
    assert default["baseline"]["name"] == "2013"


def test_a_record_that_cannot_be_parsed_is_reported_and_the_answer_called_incomplete(
    revision: Path, run: Run
) -> None:
    (revision / "elements/KZ-2013-0001.yaml").write_text("id: KZ-2013-0001\nnames: [\n")
    result = run("diff-2013", "-f", "json")
    assert result.exit_code == 1
    assert "this answer is incomplete" in result.stderr
    assert "elements/KZ-2013-0001.yaml:" in result.stderr
    document = json.loads(result.stdout)
    by_id = {e["id"]: e for e in document["elements"]}
    # Its record cannot be read: no status is true of it (not `revised`), so it has none.
    assert "KZ-2013-0001" not in by_id
    assert document["summary"]["revised"] == 0
    assert document["problems"][0]["path"] == "elements/KZ-2013-0001.yaml"
    assert document["problems"][0]["rule"].startswith("yaml.")
    assert by_id["KZ-2013-0003"]["status"] == "unchanged"
    assert "  elements/KZ-2013-0001.yaml:" in run("diff-2013").stdout


def test_an_element_of_the_baseline_held_by_two_files_is_never_added(
    revision: Path, run: Run
) -> None:
    """A copy of a record: which file is the element cannot be told, so it has no status,
    is counted in no province's row, and both files are named on stderr, counted once each."""
    record = revision / "elements/KZ-2013-0001.yaml"
    (revision / "elements/KZ-2013-0001-copy.yaml").write_bytes(record.read_bytes())
    result = run("diff", "--baseline", "HEAD", "--stat")
    assert result.exit_code == 1
    assert "added             0" in result.stdout
    assert "2 record files hold an id another file holds too" in " ".join(result.stderr.split())
    assert "KZ-2013-0001 in 2 files" in result.stderr
    text = run("diff", "--baseline", "HEAD").stdout
    assert "KZ-2013-0001  added" not in text
    assert "by province" not in text
    document = as_json(run("diff", "--baseline", "HEAD", "-f", "json"))
    assert "KZ-2013-0001" not in {e["id"] for e in document["elements"]}
    assert document["summary"]["added"] == 0


def test_a_renamed_record_that_cannot_be_read_is_neither_added_nor_removed(
    revision: Path, run: Run
) -> None:
    """Its `id:` line names the element: the problem names it, and no other file is invented."""
    (revision / "elements/KZ-2013-0001.yaml").rename(revision / "elements/zzz.yaml")
    with (revision / "elements/zzz.yaml").open("a") as file:
        file.write("x: [\n")
    result = run("diff", "--baseline", "HEAD", "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert "KZ-2013-0001" not in {e["id"] for e in document["elements"]}
    assert document["summary"]["added"] == document["summary"]["removed"] == 0
    assert [p["path"] for p in document["problems"]] == ["elements/zzz.yaml"]
    assert "the record of KZ-2013-0001 cannot be read" in result.stderr
    assert "elements/KZ-2013-0001.yaml" not in result.stderr


def test_a_record_moved_into_a_folder_is_not_removed(revision: Path, run: Run) -> None:
    (revision / "elements/sub").mkdir()
    (revision / "elements/KZ-2013-0001.yaml").rename(revision / "elements/sub/KZ-2013-0001.yaml")
    result = run("diff", "--baseline", "HEAD", "--audience", "committee")
    assert result.exit_code == 1
    assert "removed           0" in result.stdout
    assert "the record of KZ-2013-0001 cannot be read: elements/ holds a folder 'sub'" in (
        result.stderr
    )
    only = run("diff", "--baseline", "HEAD", "--element", "KZ-2013-0001")
    assert only.exit_code == 1  # the answer names its problem; no "no such element"
    assert "KZ-2013-0001" in only.stderr


def test_every_folder_of_the_baseline_that_may_hold_an_element_gone_since_is_named(
    revision: Path, run: Run
) -> None:
    """Two folders of the baseline held the same record: the answer named the first alone,
    as if the second were fine."""
    for folder in ("a", "b"):
        build_file_tree(
            revision, {f"elements/{folder}/KZ-2013-0901.yaml": element_yaml("KZ-2013-0901")}
        )
    repo = git.Repo(revision)
    commit(repo, "Drafts")
    repo.git.rm("-r", "-q", "elements/a", "elements/b")
    result = run("diff", "--baseline", "HEAD", "--audience", "committee")
    assert result.exit_code == 1
    for folder in ("a", "b"):
        assert (
            f"the record of KZ-2013-0901 cannot be read: elements/ holds a folder {folder!r}"
            in (result.stderr)
        )


def test_an_answer_about_one_element_is_not_made_incomplete_by_what_holds_others_only(
    revision: Path, run: Run
) -> None:
    """`--element X` failed (exit 1, "incomplete") on a broken baseline record of another
    element: the answer for X is whole. What may hold X still counts."""
    broken = "names: [\n"
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0003.yaml": f"id: KZ-2013-0003\n{broken}",
            "elements/aitys.yaml": f"id: KZ-2013-0005\n{broken}",  # named by its `id:` line
        },
    )
    repo = git.Repo(revision)
    commit(repo, "Broken records")
    repo.git.checkout("HEAD~1", "--", "elements")  # fixed since
    whole = run("diff", "--baseline", "HEAD", "-f", "json")
    assert whole.exit_code == 1
    assert {p["path"] for p in as_json(whole)["problems"]} | {
        p["path"] for e in as_json(whole)["elements"] for p in e.get("problems", [])
    } == {"elements/KZ-2013-0003.yaml", "elements/aitys.yaml"}

    for output in ("json", "text"):
        only = run("diff", "--baseline", "HEAD", "--element", "KZ-2013-0001", "-f", output)
        assert only.exit_code == 0, only.stderr
        assert only.stderr == ""
        assert "elements/KZ-2013-0003.yaml" not in only.stdout
        assert "aitys" not in only.stdout
    assert (
        as_json(run("diff", "--baseline", "HEAD", "--element", "KZ-2013-0001", "-f", "json"))[
            "problems"
        ]
        == []
    )
    assert run("diff-2013", "--baseline", "HEAD", "--element", "KZ-2013-0001").exit_code == 0
    # the elements they hold are still answered for with them
    for held, path in (("KZ-2013-0003", "KZ-2013-0003.yaml"), ("KZ-2013-0005", "aitys.yaml")):
        for ids in ([held], [held, "KZ-2013-0001"]):
            options = [o for i in ids for o in ("--element", i)]
            result = run("diff", "--baseline", "HEAD", *options)
            assert result.exit_code == 1, (ids, result.stdout)
            assert f"elements/{path}" in result.stderr
    # a broken baseline file whose `id:` line names the element may be its record
    build_file_tree(revision, {"elements/KZ-2013-0004.yaml": f"id: KZ-2013-0001\n{broken}"})
    commit(repo, "A record of KZ-2013-0001 in the file of KZ-2013-0004?")
    repo.git.checkout("HEAD~2", "--", "elements")
    result = run("diff", "--baseline", "HEAD", "--element", "KZ-2013-0001")
    assert result.exit_code == 1
    assert "elements/KZ-2013-0004.yaml" in result.stderr
    assert run("diff", "--baseline", "HEAD", "--element", "KZ-2013-0006").exit_code == 0


def test_an_answer_about_one_element_names_the_working_tree_s_problems_that_may_hold_it(
    revision: Path, run: Run
) -> None:
    """A broken record of another element, or a hidden copy of one, in the working tree (or
    at the revision `--against` names) leaves the answer for X whole; a folder whose records'
    ids cannot be known may hold X, and still makes it incomplete."""
    elements = revision / "elements"
    (elements / "KZ-2013-0003.yaml").write_text("id: KZ-2013-0003\nnames: [\n", "utf-8")
    (elements / ".copy.yaml").write_bytes((elements / "KZ-2013-0004.yaml").read_bytes())
    assert run("diff", "--baseline", "HEAD").exit_code == 1

    def only(*revisions: str) -> None:
        for output in ("json", "text"):
            result = run("diff", *revisions, "--element", "KZ-2013-0001", "-f", output)
            assert result.exit_code == 0, result.stderr
            assert result.stderr == ""
        for held in ("KZ-2013-0003", "KZ-2013-0004"):
            assert run("diff", *revisions, "--element", held).exit_code == 1, held

    only("--baseline", "HEAD")
    commit(git.Repo(revision), "Broken records")
    only("--baseline", "HEAD~1", "--against", "HEAD")
    (elements / "drafts").mkdir()
    (elements / "drafts" / "notes.txt").write_text("to do\n", "utf-8")
    result = run("diff", "--baseline", "HEAD~1", "--element", "KZ-2013-0001", "-f", "json")
    assert result.exit_code == 1
    assert [p["rule"] for p in as_json(result)["problems"]] == ["file.folder"]


def test_personal_data_stays_out_of_every_format(revision: Path, run: Run) -> None:
    contact = {"name": "Aigerim Example", "role": "bearer", "phone": "+7 700 000 00 00"}
    build_file_tree(
        revision, {"elements/KZ-2013-0001.yaml": element_yaml("KZ-2013-0001", contacts=[contact])}
    )
    for output_format in DiffFormat:
        out = run("diff-2013", "-f", output_format.value).stdout
        assert "Aigerim" not in out and "700 000" not in out
        assert "/contacts" in out


@pytest.mark.parametrize("command", [("diff-2013",), ("diff", "--baseline", "HEAD")])
def test_outside_git_exit_2_with_a_hint(
    inventory: Path, run: Run, command: tuple[str, ...]
) -> None:
    (inventory / "pyproject.toml").write_text(SETTINGS)
    result = run(*command)
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_no_baseline_in_the_settings(git_inventory: Path, run: Run) -> None:
    (git_inventory / "pyproject.toml").write_text("[tool.ichinv]\n")
    # Whichever way the baseline is looked for, the same words name the settings file.
    for command in (("diff-2013",), ("diff",)):
        result = run(*command)
        assert result.exit_code == 2, command
        assert "no baseline named '2013' in the settings (pyproject.toml)" in result.stderr
        assert "[tool.ichinv.baselines], or pass --baseline REV" in result.stderr


@pytest.mark.parametrize("kind", ["tree", "blob"])
def test_a_baseline_tag_of_no_commit_is_said_to_be_one(
    git_inventory: Path, run: Run, kind: str
) -> None:
    """It was "not found … fetch missing tags", though the tag was there (an outside review)."""
    repo = git.Repo(git_inventory)
    target = "HEAD^{tree}" if kind == "tree" else "HEAD:pyproject.toml"
    repo.git.tag("-f", "inventory-2013", target)
    result = run("diff-2013")
    assert result.exit_code == 2
    assert f"names a git {kind}, not a commit" in result.stderr
    assert "fetch" not in result.stderr


def test_a_revision_naming_a_tree_or_a_commit_by_its_message_is_read_as_git_reads_it(
    revision: Path, run: Run
) -> None:
    """`TAG:elements` names a tree, `:/2013 list` a commit by its message: both were "not
    found … fetch missing tags" (`^{commit}` was appended to the path, and to the text)."""
    tree = run("diff", "--baseline", "inventory-2013:elements", "--stat")
    assert tree.exit_code == 2
    assert "names a git tree, not a commit" in tree.stderr
    assert "not found" not in tree.stderr
    by_message = run("diff", "--baseline", ":/2013 list", "-f", "json")
    assert by_message.exit_code == 0, by_message.stderr
    sha = git.Repo(revision).head.commit.hexsha
    assert json.loads(by_message.stdout)["baseline"]["commit"] == sha


def test_unknown_revisions(git_inventory: Path, run: Run) -> None:
    for args in (("--baseline", "no-such-tag"), ("--against", "no-such-branch")):
        result = run("diff-2013", *args)
        assert result.exit_code == 2, args
        assert "not found" in result.stderr and "hint:" in result.stderr


def test_a_shallow_clone_exits_2_saying_how_to_fetch(
    revision: Path, run: Run, tmp_path: Path
) -> None:
    edit_like_the_committee(revision)
    commit(git.Repo(revision), "revision")
    clone = tmp_path / "ci-checkout"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", revision.as_uri(), str(clone)], check=True
    )
    result = run("diff-2013", "--repo", str(clone))
    assert result.exit_code == 2
    assert "shallow" in result.stderr and "fetch-depth: 0" in result.stderr


def test_every_format_has_a_renderer() -> None:
    assert set(DIFF_RENDERERS) == set(DiffFormat)


def test_a_loop_of_symbolic_links_among_the_records_is_no_crash(revision: Path, run: Run) -> None:
    loop = revision / "elements" / "KZ-2026-0900.yaml"
    loop.symlink_to(loop.name)  # a link to itself: resolving it never ends
    result = run("diff-2013", "--format", "json")
    assert result.exit_code == 1, result.stderr  # an answer with a record left out is not whole
    assert "internal error" not in result.stderr
    assert "KZ-2026-0900.yaml" in result.stderr and "loop" in result.stderr
    assert "KZ-2026-0900" not in {e["id"] for e in as_json(result)["elements"]}


def test_an_element_added_and_retired_since_the_baseline_says_so(revision: Path, run: Run) -> None:
    """Counting it only as "added" would tell the reader the list grew by one element."""
    build_file_tree(
        revision,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001",
                status="retired",
                status_change={"reason": "Entered twice", "date": "2026-05-01"},
            )
        },
    )
    document = as_json(run("diff-2013", "--format", "json"))
    by_id = {e["id"]: e for e in document["elements"]}
    assert (by_id["KZ-2026-0001"]["status"], by_id["KZ-2026-0001"]["now"]) == ("added", "retired")
    assert by_id["KZ-2013-0001"]["now"] == "active"
    text = run("diff-2013").stdout
    assert "KZ-2026-0001  added, now retired" in text
    assert "(1 added, now retired)" in text
    markdown = run("diff-2013", "--format", "markdown").stdout
    assert "— added, now retired" in markdown
    assert "Of these: added, now retired: 1." in markdown


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_second_diff_compares_nothing_again_and_says_the_same(
    revision: Path, run: Run, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ichinv.diff import engine

    edit_like_the_committee(revision)
    first = run("diff-2013", "--format", fmt)
    compared: list[object] = []
    real = engine.diff_records

    def counted(*args: Any) -> Any:
        compared.append(args)
        return real(*args)

    monkeypatch.setattr(engine, "diff_records", counted)
    again = run("diff-2013", "--format", fmt)
    assert (again.exit_code, again.stdout, again.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    assert compared == []  # the changes came from the change cache


def test_a_record_withheld_at_the_baseline_shows_no_field_but_its_identification(
    revision: Path, run: Run
) -> None:
    """The baseline record had no consent (so no public view); consent is given now. It showed
    the new values with "(earlier value not shown: consent was not given then)", naming every
    field the community's record changed since: a record withheld as a whole at the base, as
    now, shows of its changes only those of its identification (as `log` does)."""
    repo = git.Repo(revision)
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001",
                consent={"status": "not-sought"},
                viability={"status": "at-risk", "assessed": "2013-01-01"},
                description={"en": "The old unpublished description of the akyns."},
            )
        },
    )
    commit(repo, "2013 list, unconsented")
    repo.create_tag("inventory-2013", force=True)
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001", communities=[{"name": "Akyns of Kyzylorda", "kind": "community"}]
            )
        },
    )
    text = run("diff-2013", "--element", "KZ-2013-0001").stdout
    assert "KZ-2013-0001" in text and "revised" in text
    assert "old unpublished description" not in text and "at-risk" not in text
    for said in ("/communities", "/viability", "/consent", "/description", "consent was not"):
        assert said not in text, said
    document = as_json(run("diff-2013", "--element", "KZ-2013-0001", "-f", "json"))
    (element,) = document["elements"]
    assert element["status"] == "revised" and element["changes"] == []
    markdown = run("diff-2013", "--element", "KZ-2013-0001", "-f", "markdown").stdout
    assert "at-risk" not in markdown and "Viability" not in markdown
    assert "earlier value not shown" not in markdown
    committee = run("diff-2013", "--element", "KZ-2013-0001", "--audience", "committee").stdout
    assert "/communities" in committee and "at-risk" in committee
    # Restricted now: neither value is shown, whatever the baseline published.
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001",
                access={"level": "restricted", "restricted_parts": ["/viability"]},
            )
        },
    )
    hidden = run("diff-2013", "--element", "KZ-2013-0001").stdout
    assert "/viability:" not in hidden and "/access/level" in hidden  # the identification
    assert "at-risk" not in hidden and '"viable"' not in hidden


def test_comparing_two_revisions_withholds_all_of_a_record_that_cannot_be_read_today(
    revision: Path, run: Run
) -> None:
    """An outside review: with `--against`, the new values were shown when public in the
    compared version, but the record as it is today (what it restricts now) could not be
    read: nothing said it had not been restricted since."""
    repo = git.Repo(revision)
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001",
                consent={"status": "withdrawn"},
                description={"en": "The words the keepers asked to take back."},
            )
        },
    )
    commit(repo, "consent withdrawn")
    repo.create_tag("withdrawn")
    build_file_tree(
        revision,
        {
            "elements/KZ-2013-0001.yaml": element_yaml(
                "KZ-2013-0001", description={"en": "The description given again with consent."}
            )
        },
    )
    commit(repo, "consent given again")
    args = ("diff", "--baseline", "withdrawn", "--against", "HEAD", "--element", "KZ-2013-0001")
    # withheld as a whole at the base (consent withdrawn): no field but the identification
    assert "given again with consent" not in run(*args).stdout
    assert "/description" not in run(*args).stdout
    record = revision / "elements" / "KZ-2013-0001.yaml"
    record.write_text(record.read_text("utf-8") + "broken: [\n", "utf-8")
    for form in ("text", "json", "markdown"):
        result = run(*args, "-f", form)
        said = result.stdout
        assert "given again" not in said and "take back" not in said, (form, said)
        # and it says why (a second outside attack: "personal data or a restricted part", 0)
        assert result.exit_code == 1, result.stderr
        assert "elements/KZ-2013-0001.yaml:" in result.stderr and "[yaml." in result.stderr
    record.unlink()  # gone from the working tree: the same
    assert "given again" not in run(*args).stdout
