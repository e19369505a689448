"""`ichinv validate --new-since REV`: only findings that the inventory did not have at REV."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import git
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core.model import Finding
from ichinv.validate.new_since import split
from tests.support.helpers import REPO_ROOT, Result, commit, element_yaml, init_repo

Run = Callable[..., Result]
ELEMENT = "elements/KZ-2013-0002.yaml"


def _edit(root: Path, old: str, new: str, path: str = ELEMENT) -> None:
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def _old_defect(root: Path) -> None:
    """Commit a wrong domain: the inventory already has this problem."""
    _edit(root, "oral-traditions, ", "oral-tradition, ")
    commit(git.Repo(root), "An old problem")


def _set(root: Path, line: str) -> None:
    """Add `line` to the inventory's settings (`[tool.ichinv]`)."""
    settings = root / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[tool.ichinv]\n", f"[tool.ichinv]\n{line}\n", 1), "utf-8")


def _findings(result: Result) -> list[tuple[str, str, str]]:
    return [(f["path"], f["rule"], f["pointer"]) for f in json.loads(result.stdout)["findings"]]


def test_a_planted_new_defect_is_reported_and_an_old_one_is_not(
    git_inventory: Path, run: Run
) -> None:
    _old_defect(git_inventory)
    _edit(git_inventory, "[KZ-43]", "[KZ-44]")  # new: a province that does not exist

    result = run("validate", "--format", "json", "--new-since", "HEAD")

    assert result.exit_code == 1
    assert _findings(result) == [(ELEMENT, "ref.province", "/provinces/0")]
    document = json.loads(result.stdout)
    assert document["new_since"]["rev"] == "HEAD"
    assert document["new_since"]["already_there"] == 1
    assert len(document["new_since"]["commit"]) == 40
    assert "1 finding already present at HEAD" in result.stderr
    # Without --new-since both are reported.
    assert len(_findings(run("validate", "--format", "json"))) == 2


def test_a_change_that_edits_the_schemas_to_pass_is_told(git_inventory: Path, run: Run) -> None:
    """An outside attack: a change adding `sports` to the domains' enumeration, and using it,
    passed `validate --new-since` with no word: both sides are judged by the checkout's
    schemas. Layout and line endings alone are no change; a translation table is one."""
    schema = git_inventory / "schema" / "element.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    schema.write_bytes(json.dumps(document, indent=4).replace("\n", "\r\n").encode("utf-8"))
    quiet = run("validate", "--format", "json", "--new-since", "HEAD")
    assert quiet.exit_code == 0, quiet.stderr
    assert json.loads(quiet.stdout)["new_since"]["schemas_changed"] == []
    assert "schemas differ" not in quiet.stderr
    document["$defs"]["domain"]["enum"].append("sports")
    schema.write_text(json.dumps(document, indent=2), encoding="utf-8")
    table = git_inventory / "schema" / "i18n" / "kk.json"
    translated = json.loads(table.read_text(encoding="utf-8"))
    translated["fields"]["element:/domains"]["title"] = "Салалар"
    table.write_text(json.dumps(translated, ensure_ascii=False), encoding="utf-8")
    for junk in "abcd":  # no schema's: never named (they pushed the schema behind "…")
        (git_inventory / "schema" / f"{junk}.json").write_text("{}", encoding="utf-8")
    _edit(git_inventory, "oral-traditions, ", "sports, ")
    for form in ("text", "json", "github"):
        result = run("validate", "--format", form, "--new-since", "HEAD")
        assert result.exit_code == 0, result.stdout + result.stderr
        assert (
            "note: the schemas differ from HEAD (schema/element.schema.json, "
            "schema/i18n/kk.json): the records were judged by this checkout's schemas"
        ) in result.stderr
    document = json.loads(run("validate", "--format", "json", "--new-since", "HEAD").stdout)
    assert document["new_since"]["schemas_changed"] == [
        "schema/element.schema.json",
        "schema/i18n/kk.json",
    ]


def test_old_problems_alone_pass(git_inventory: Path, run: Run) -> None:
    _old_defect(git_inventory)
    assert run("validate").exit_code == 1
    result = run("validate", "--new-since", "HEAD")
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: 6 files checked, 0 errors")


def test_moving_lines_does_not_make_an_old_problem_new(git_inventory: Path, run: Run) -> None:
    _old_defect(git_inventory)
    _edit(git_inventory, "names:\n", "# reviewed again in 2026\n# by the committee\nnames:\n")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 0, result.stdout
    assert _findings(result) == []


def test_an_item_inserted_above_an_old_problem_does_not_make_it_new(
    git_inventory: Path, run: Run
) -> None:
    _edit(git_inventory, "provinces: [KZ-43]", "provinces: [KZ-44]")
    commit(git.Repo(git_inventory), "An old wrong province")
    _edit(git_inventory, "provinces: [KZ-44]", "provinces: [KZ-23, KZ-44]")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 0, result.stdout
    assert "/provinces/1" in run("validate", "--format", "json").stdout


def test_a_second_copy_of_an_old_problem_is_new(git_inventory: Path, run: Run) -> None:
    _edit(git_inventory, "provinces: [KZ-43]", "provinces: [KZ-44]")
    commit(git.Repo(git_inventory), "An old wrong province")
    _edit(git_inventory, "provinces: [KZ-44]", "provinces: [KZ-44, KZ-45]")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 1
    assert _findings(result) == [(ELEMENT, "ref.province", "/provinces/1")]


def test_the_revision_is_read_from_git_not_from_the_working_tree(
    git_inventory: Path, run: Run
) -> None:
    _edit(git_inventory, "oral-traditions, ", "oral-tradition, ")  # not committed
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 1
    assert _findings(result) == [(ELEMENT, "schema.enum", "/domains/0")]


def test_a_stricter_rule_reports_only_what_is_new(git_inventory: Path, run: Run) -> None:
    """Findings at REV are judged by today's schema: a rule made stricter since REV does not
    make every old record fail."""
    _edit(git_inventory, "evidence: Committee archive, consent file 2025/002\n", "")
    commit(git.Repo(git_inventory), "Consent without a pointer to its evidence (a warning)")
    schema = git_inventory / "schema" / "element.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["properties"]["consent"]["required"] = ["status", "evidence"]  # stricter, uncommitted
    schema.write_text(json.dumps(document), encoding="utf-8")
    assert "schema.required" in run("validate").stdout
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 0, result.stdout
    assert _findings(result) == []


def test_an_expired_suppression_fails_even_when_it_expired_before(
    git_inventory: Path, run: Run
) -> None:
    (git_inventory / "pyproject.toml").write_text(
        (git_inventory / "pyproject.toml").read_text(encoding="utf-8")
        + '\n[[tool.ichinv.suppress]]\nrule = "schema.enum"\npath = "elements/KZ-2013-0002.yaml"\n'
        'reason = "Under review"\nuntil = "2026-01-31"\n',
        encoding="utf-8",
    )
    _old_defect(git_inventory)
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 1
    assert [rule for _, rule, _ in _findings(result)] == ["suppression.expired"]


def test_an_unknown_revision_exits_2_with_a_hint(git_inventory: Path, run: Run) -> None:
    result = run("validate", "--new-since", "origin/no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --new-since revision 'origin/no-such-branch' not found")
    assert "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("command", "typed", "meant"),
    [
        (("validate", "--new-since"), "2O13", "did you mean the baseline '2013'?"),
        (("validate", "--new-since"), "inventory-2O13", "did you mean 'inventory-2013'?"),
        (("packet", "--since"), "inventry-2013", "did you mean 'inventory-2013'?"),
        (("diff", "--baseline"), "inventory-2031", "did you mean 'inventory-2013'?"),
    ],
)
def test_a_mistyped_revision_gets_the_closest_name(
    git_inventory: Path, run: Run, command: tuple[str, ...], typed: str, meant: str
) -> None:
    """As `diff --baseline` did for baselines: every revision option suggests the closest
    baseline, branch or tag (an outside attack found `--new-since 2O24` with none)."""
    result = run(
        *command,
        typed,
        *(
            ("-o", str(git_inventory / "out"), "--templates", str(REPO_ROOT / "templates"))
            if "packet" in command
            else ()
        ),
    )
    assert result.exit_code == 2
    assert meant in result.stderr, result.stderr


def test_outside_git_it_exits_2(inventory: Path, run: Run) -> None:
    result = run("validate", "--new-since", "HEAD")
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


# --- matching, as a law ------------------------------------------------------------------------

_RULES = st.sampled_from(["schema.enum", "ref.province", "date.order"])
_FINDINGS = st.builds(
    Finding,
    path=st.sampled_from(["elements/KZ-2013-0001.yaml", "elements/KZ-2013-0002.yaml"]),
    rule=_RULES,
    message=st.sampled_from(["item 1 of `domains` is wrong", "bad date", "no such province"]),
    pointer=st.sampled_from(["", "/domains/0", "/domains/1", "/provinces/0"]),
    line=st.integers(1, 40),
    column=st.integers(1, 9),
)


@given(st.lists(_FINDINGS, max_size=12), st.lists(_FINDINGS, max_size=12))
def test_split_keeps_every_finding_once_and_never_depends_on_lines(
    current: list[Finding], old: list[Finding]
) -> None:
    new, seen = split(current, {}, old, {})
    assert sorted(new + seen, key=Finding.sort_key) == sorted(current, key=Finding.sort_key)
    assert len(seen) <= len(old)
    moved = [
        Finding(f.path, f.rule, f.message, f.severity, f.pointer, (f.line or 0) + 7, 1) for f in old
    ]
    assert len(split(current, {}, moved, {})[1]) == len(seen)


@given(st.lists(_FINDINGS, max_size=12))
def test_nothing_is_new_against_itself(findings: list[Finding]) -> None:
    assert split(findings, {}, findings, {})[0] == []


def test_a_renamed_record_keeps_its_old_findings() -> None:
    old = [Finding("elements/KZ-2013-0002.yaml", "date.order", "dates out of order", pointer="/x")]
    now = [Finding("elements/kz-2013-0002.yaml", "date.order", "dates out of order", pointer="/x")]
    same = {
        "elements/KZ-2013-0002.yaml": "KZ-2013-0002",
        "elements/kz-2013-0002.yaml": "KZ-2013-0002",
    }
    assert split(now, same, old, same) == ([], now)
    assert split(now, {}, old, {}) == (now, [])


def test_a_contact_already_committed_in_a_public_repository_is_not_new(
    git_inventory: Path, run: Run
) -> None:
    _set(git_inventory, 'visibility = "public"')
    target = git_inventory / ELEMENT
    target.write_text(
        target.read_text(encoding="utf-8")
        + "contacts:\n  - name: Zhanar Testova\n    role: bearer\n    email: zhanar@example.org\n",
        encoding="utf-8",
    )
    commit(git.Repo(git_inventory), "A contact in a public repository")
    assert [r for _, r, _ in _findings(run("validate", "--format", "json"))] == [
        "privacy.public-repository"
    ]
    # The same finding existed at HEAD: it is old, checked afresh or from the cache.
    for extra in (["--no-cache"], [], []):
        result = run("validate", "--format", "json", "--new-since", "HEAD", *extra)
        assert result.exit_code == 0, result.stdout
        assert _findings(result) == []


def test_a_deleted_element_is_a_new_error_naming_how_to_retire_it(
    git_inventory: Path, run: Run
) -> None:
    (git_inventory / ELEMENT).unlink()
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    [finding] = [f for f in document["findings"] if f["rule"] == "status.deleted"]
    assert finding["path"] == ELEMENT
    assert finding["severity"] == "error"
    assert "KZ-2013-0002" in finding["message"]
    assert "ichinv retire KZ-2013-0002" in finding["hint"]


def test_a_renamed_element_is_no_deletion(git_inventory: Path, run: Run) -> None:
    (git_inventory / ELEMENT).rename(git_inventory / "elements" / "dombra.yaml")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert "status.deleted" not in {f[1] for f in _findings(result)}


def test_a_retired_element_is_no_deletion(git_inventory: Path, run: Run) -> None:
    result = run(
        "retire", "KZ-2013-0002", "--reason", "No longer practised", "--date", "2026-01-01"
    )
    assert result.exit_code == 0, result.stderr
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert "status.deleted" not in {f[1] for f in _findings(result)}


def test_files_that_cannot_be_read_on_either_side_are_not_new(
    git_inventory: Path, run: Run
) -> None:
    """Found by an outside review: with a stricter max_file_size every record above it was
    "new" on a tree with nothing changed (its id read in the working tree, not at the
    revision), and a committed link to a file outside was new (git and the working tree word
    it differently) and its element "deleted"."""
    _set(git_inventory, "max_file_size = 1024")
    record = git_inventory / ELEMENT
    record.write_text(record.read_text("utf-8") + "# " + "x" * 1100 + "\n", "utf-8")
    (git_inventory / "elements" / "KZ-2026-0900.yaml").symlink_to("/etc/hostname")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    commit(repo, "A stricter limit, and a link")
    assert run("validate").exit_code == 1  # the problems are there
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert _findings(result) == [], result.stdout
    assert result.exit_code == 0
    assert json.loads(result.stdout)["new_since"]["already_there"] >= 2


def test_a_file_still_there_that_names_another_id_is_a_deletion(
    git_inventory: Path, run: Run
) -> None:
    """A file that cannot be read is no deletion, but one read with another id is: the element
    it held is gone."""
    path = git_inventory / "elements" / "aitys.yaml"
    path.write_text(element_yaml("KZ-2013-0901"), "utf-8")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    commit(repo, "A record named otherwise")
    path.write_text(element_yaml("KZ-2013-0902"), "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert ("elements/aitys.yaml", "status.deleted", "") in _findings(result), result.stdout


def test_entries_that_are_no_record_files_and_were_committed_are_not_new(
    git_inventory: Path, run: Run
) -> None:
    """A committed folder, gitlink (a submodule) or file of another name in elements/ was
    reported as new on every pull request: a commit's validation lists record files only."""
    elements = git_inventory / "elements"
    (elements / "drafts").mkdir()
    (elements / "drafts" / "KZ-2026-0901.yaml").write_text(element_yaml("KZ-2026-0901"), "utf-8")
    (elements / "notes.txt").write_text("to do\n", "utf-8")
    (elements / ".notes").write_text("to do\n", "utf-8")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    (elements / "sub").mkdir()  # a submodule's checkout, as git leaves it without one
    repo.git.update_index("--add", "--cacheinfo", f"160000,{repo.head.commit.hexsha},elements/sub")
    commit(repo, "Files that are no records")
    everything = _findings(run("validate", "--format", "json"))
    assert {f[:2] for f in everything} >= {
        ("elements/drafts", "file.folder"),
        ("elements/notes.txt", "file.extension"),
        ("elements/.notes", "file.hidden"),
        ("elements/sub", "file.folder"),
    }
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert _findings(result) == [], result.stdout
    assert json.loads(result.stdout)["new_since"]["already_there"] >= 4
    # one added since is new
    (elements / "more.txt").write_text("to do\n", "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("elements/more.txt", "file.extension")]
    # and so is a folder that holds more than it held (a record no check reads: an outside
    # review found it passed as old)
    (elements / "more.txt").unlink()
    (elements / "drafts" / "KZ-2026-0902.yaml").write_text(element_yaml("KZ-2026-0902"), "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("elements/drafts", "file.folder")]
    # a file that became a folder is new too (a second outside attack)
    (elements / "drafts" / "KZ-2026-0902.yaml").unlink()
    (elements / "notes.txt").unlink()
    (elements / "notes.txt").mkdir()
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("elements/notes.txt", "file.folder")]


def test_a_gitkeep_that_was_empty_and_holds_text_now_is_new(git_inventory: Path, run: Run) -> None:
    """An empty `.gitkeep` is fine; one that holds text since is a new problem (it passed as
    old: the entry was there, whatever it held)."""
    keep = git_inventory / "elements" / ".gitkeep"
    keep.write_bytes(b"")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    commit(repo, "Keep the folder")
    assert run("validate", "--new-since", "HEAD").exit_code == 0
    keep.write_text("id: KZ-2013-0001\n", "utf-8")

    result = run("validate", "--format", "json", "--new-since", "HEAD")

    assert result.exit_code == 1
    assert [f[:2] for f in _findings(result)] == [("elements/.gitkeep", "file.hidden")]
    # committed so, it is old
    repo.git.add("-A")
    commit(repo, "Text in it")
    assert run("validate", "--new-since", "HEAD").exit_code == 0
    # and emptied again, there is nothing to report
    keep.write_bytes(b"")
    assert run("validate", "--new-since", "HEAD~1").exit_code == 0


def test_a_folder_of_no_element_that_was_committed_is_not_new(
    git_inventory: Path, run: Run
) -> None:
    """A `documentation/<id>/` of no element committed at REV was reported as new on every
    pull request (`path.orphan` is judged on the working tree alone: an outside review)."""
    orphan = git_inventory / "documentation" / "KZ-2026-0070"
    orphan.mkdir(parents=True)
    (orphan / "a.txt").write_text("x\n", "utf-8")
    repo = git.Repo(git_inventory)
    commit(repo, "A folder left by an interrupted import")
    assert ("documentation/KZ-2026-0070", "path.orphan", "") in _findings(
        run("validate", "--format", "json")
    )

    result = run("validate", "--format", "json", "--new-since", "HEAD")

    assert result.exit_code == 0, result.stdout
    assert _findings(result) == []
    assert json.loads(result.stdout)["new_since"]["already_there"] == 1
    # one that holds a file it did not hold then is new, and so is another folder
    (orphan / "consent.pdf").write_text("signed\n", "utf-8")
    (git_inventory / "evidence" / "KZ-2026-0071").mkdir(parents=True)
    (git_inventory / "evidence" / "KZ-2026-0071" / "b.txt").write_text("y\n", "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert result.exit_code == 1
    assert [f[:2] for f in _findings(result)] == [
        ("documentation/KZ-2026-0070", "path.orphan"),
        ("evidence/KZ-2026-0071", "path.orphan"),
    ]


def test_a_folder_whose_files_were_rewritten_under_the_same_names_is_new(
    git_inventory: Path, run: Run
) -> None:
    """An outside review: a folder reported before (`path.orphan`, `file.folder`) passed as
    old while it held the same names, whatever they held: a pull request could put anything
    (contacts, a record no check reads) into a file already there. Its files are compared
    with REV's now, deeper folders too; one deleted is a change as well."""
    orphan = git_inventory / "documentation" / "KZ-2026-0070"
    (orphan / "scans").mkdir(parents=True)
    (orphan / "a.txt").write_text("x\n", "utf-8")
    (orphan / "scans" / "b.txt").write_text("y\n", "utf-8")
    drafts = git_inventory / "elements" / "drafts"
    drafts.mkdir()
    (drafts / "KZ-2026-0901.yaml").write_text(element_yaml("KZ-2026-0901"), "utf-8")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    commit(repo, "Folders reported as they are")
    assert _findings(run("validate", "--format", "json", "--new-since", "HEAD")) == []
    for path, text in [
        (orphan / "a.txt", "Zhanar, +7 700 000 00 00\n"),
        (orphan / "scans" / "b.txt", "z\n"),
        (drafts / "KZ-2026-0901.yaml", element_yaml("KZ-2026-0901", provinces=["KZ-61"])),
    ]:
        before = path.read_text("utf-8")
        path.write_text(text, "utf-8")
        result = run("validate", "--format", "json", "--new-since", "HEAD")
        assert result.exit_code == 1, (path, result.stdout)
        assert len(_findings(result)) == 1, result.stdout
        path.write_text(before, "utf-8")
    (orphan / "scans" / "b.txt").unlink()
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("documentation/KZ-2026-0070", "path.orphan")]
    (orphan / "scans" / "b.txt").write_text("y\n", "utf-8")
    assert _findings(run("validate", "--format", "json", "--new-since", "HEAD")) == []
    (orphan / "scans" / "c.txt").write_text("a file deeper down\n", "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("documentation/KZ-2026-0070", "path.orphan")]
    (orphan / "scans" / "c.txt").unlink()


@pytest.mark.parametrize(
    "trick", ["skip-worktree", "assume-unchanged", "filter", "crlf", "repo", "pipe"]
)
def test_git_cannot_be_made_to_vouch_for_a_rewritten_file(
    git_inventory: Path, run: Run, trick: str
) -> None:
    """An outside review: with the file flagged skip-worktree or assume-unchanged, a clean
    filter printing the committed bytes, or core.autocrlf and CRLF written, git's diff said
    nothing changed, and the rewritten file passed as old (and the filter ran). The bytes are
    compared themselves now; a repository inside the folder is another folder unless empty."""
    orphan = git_inventory / "documentation" / "KZ-2026-0070"
    orphan.mkdir(parents=True)
    scan = orphan / "p.txt"
    scan.write_text("a scan\n", "utf-8")
    repo = git.Repo(git_inventory)
    repo.git.add("-A")
    commit(repo, "A folder of no element")
    assert _findings(run("validate", "--format", "json", "--new-since", "HEAD")) == []
    ran = git_inventory.parent / "filter-ran"
    if trick in ("skip-worktree", "assume-unchanged"):
        repo.git.update_index(f"--{trick}", "documentation/KZ-2026-0070/p.txt")
        scan.write_text("Zhanar, +7 700 000 00 00\n", "utf-8")
    elif trick == "filter":
        with repo.config_writer() as config:
            config.set_value("filter.same", "clean", f"touch {ran}; printf 'a scan\\n'")
        (git_inventory / ".git" / "info" / "attributes").write_text("*.txt filter=same\n")
        scan.write_text("Zhanar, +7 700 000 00 00\n", "utf-8")
    elif trick == "crlf":
        with repo.config_writer() as config:
            config.set_value("core", "autocrlf", "true")
        scan.write_bytes(b"a scan\r\n")
    elif trick == "pipe":  # an outside review: the comparison waited on it for ever
        os.mkfifo(orphan / "pipe")
    else:
        init_repo(orphan / "inner")
        (orphan / "inner" / "notes.txt").write_text("Zhanar, +7 700 000 00 00\n", "utf-8")
    result = run("validate", "--format", "json", "--new-since", "HEAD")
    assert [f[:2] for f in _findings(result)] == [("documentation/KZ-2026-0070", "path.orphan")]
    assert not ran.exists()


def test_a_folder_that_belonged_to_an_element_at_rev_is_a_new_orphan(
    git_inventory: Path, run: Run
) -> None:
    """A folder a record named at REV and no record names now is orphaned since."""
    folder = git_inventory / "documentation" / "KZ-2026-0070"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("x\n", "utf-8")
    _edit(git_inventory, "names:\n", "# see documentation/KZ-2026-0070/a.txt\nnames:\n")
    commit(git.Repo(git_inventory), "A file of the element kept in another folder")
    assert run("validate", "--new-since", "HEAD").exit_code == 0
    _edit(git_inventory, "# see documentation/KZ-2026-0070/a.txt\n", "")

    result = run("validate", "--format", "json", "--new-since", "HEAD")

    assert result.exit_code == 1
    assert [f[:2] for f in _findings(result)] == [("documentation/KZ-2026-0070", "path.orphan")]
