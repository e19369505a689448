"""`ichinv log` and ichinv.history: the commits that touched an element, followed by id."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from ichinv.core.model import ElementStatus
from ichinv.diff import history
from ichinv.io import settings
from tests.support.helpers import REPO_ROOT, Result, commit, element_yaml

Run = Callable[..., Result]
AITYS = "elements/KZ-2013-0002.yaml"


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def story(git_inventory: Path) -> Path:
    """KZ-2013-0002 edited, moved with a heavy edit, moved back, retired; other commits between."""
    repo = git.Repo(git_inventory)
    viability = {"status": "viable", "assessed": "2019-05-14"}
    write(git_inventory, AITYS, element_yaml("KZ-2013-0002", viability=viability))
    commit(repo, "Aitys: reassess viability", date="2019-05-14T10:00:00+05:00")
    write(git_inventory, "elements/KZ-2026-0001.yaml", element_yaml("KZ-2026-0001"))
    commit(repo, "Add a new element", date="2020-01-01T10:00:00+05:00")
    (git_inventory / AITYS).unlink()
    rewritten = element_yaml(
        "KZ-2013-0002",
        names={"kk": "Ақындар айтысы", "ru": "Айтыс акынов", "en": "Aitys of the akyns"},
        domains=["performing-arts"],
        provinces=["KZ-23"],
        description={"en": "A contest of improvising poets, sung to the dombra."},
        viability={"status": "at-risk", "assessed": "2021-02-02"},
        national_category="II",
    )
    write(git_inventory, "elements/aitys.yaml", rewritten)
    commit(repo, "Rewrite and move Aitys", date="2021-02-02T10:00:00+05:00")
    (git_inventory / "elements/aitys.yaml").rename(git_inventory / AITYS)
    commit(
        repo, "Name the file after the id", date="2022-03-03T10:00:00+05:00", author="Second Editor"
    )
    retired = rewritten.replace(
        "status: active", "status: retired\nstatus_change:\n  reason: Merged practice"
    )
    write(git_inventory, AITYS, retired)
    commit(repo, "Retire Aitys", date="2023-04-04T10:00:00+05:00")
    return git_inventory


def test_every_commit_that_touched_the_element_newest_first(story: Path) -> None:
    entries = history.element_history(settings.load(story), "KZ-2013-0002")
    assert [(e.subject, e.status) for e in entries] == [
        ("Retire Aitys", ElementStatus.RETIRED),
        ("Name the file after the id", ElementStatus.UNCHANGED),
        ("Rewrite and move Aitys", ElementStatus.REVISED),
        ("Aitys: reassess viability", ElementStatus.REVISED),
        ("2013 baseline", ElementStatus.ADDED),
    ]
    retire, back, moved, reassess, first = entries
    assert [(c.pointer, c.kind.value) for c in retire.changes] == [
        ("/status", "changed"),
        ("/status_change", "added"),
    ]
    assert (back.path, back.old_path, back.changes) == (AITYS, "elements/aitys.yaml", ())
    assert (moved.path, moved.old_path) == ("elements/aitys.yaml", AITYS)
    assert "/names/en" in {c.pointer for c in moved.changes}
    assert {c.pointer for c in reassess.changes} >= {"/description/en", "/viability/assessed"}
    assert (first.path, first.changes, first.date) == (AITYS, (), "2013-03-01T12:00:00+05:00")
    assert back.author == "Second Editor" and first.author == "Test Editor"
    assert len(retire.commit) == 40


def test_a_removed_element_has_a_history(story: Path) -> None:
    repo = git.Repo(story)
    (story / "elements/KZ-2026-0001.yaml").unlink()
    commit(repo, "Remove the new element")
    entries = history.element_history(settings.load(story), "KZ-2026-0001")
    assert [(e.subject, e.status.value) for e in entries] == [
        ("Remove the new element", "removed"),
        ("Add a new element", "added"),
    ]


@pytest.mark.parametrize("name", ["bogus.yaml", "KZ-2026-0001 copy.yaml"])
def test_a_removed_element_whose_file_was_named_as_no_id_has_a_history(
    git_inventory: Path, run: Run, name: str
) -> None:
    """An outside attacker: an element whose only file was named as no id, then deleted, had
    "no element … in the inventory or its history" (exit 2), where the diff of that commit
    said it was removed."""
    repo = git.Repo(git_inventory)
    (git_inventory / "elements" / name).write_text(element_yaml("KZ-2026-0001"), "utf-8")
    commit(repo, "Add it under a wrong name")
    (git_inventory / "elements" / name).unlink()
    commit(repo, "Remove it")
    result = run("log", "KZ-2026-0001", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)["commits"]
    assert [(c["subject"], c["status"]) for c in found] == [
        ("Remove it", "removed"),
        ("Add it under a wrong name", "added"),
    ]


def test_an_element_never_committed_has_no_history(git_inventory: Path) -> None:
    assert history.element_history(settings.load(git_inventory), "KZ-2026-0009") == []


def _subcommand(argv: list[str]) -> str:
    """The git command of `argv`, after git's own options (`--no-pager`, `-c NAME=VALUE`)."""
    rest = argv[1:]
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] == "-c" else rest[1:]
    return rest[0]


def test_one_git_log_and_one_cat_file_whatever_the_number_of_commits(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git.Repo(git_inventory)
    for year in range(2014, 2034):
        write(git_inventory, AITYS, element_yaml("KZ-2013-0002", provenance={
            "entered": "2013-03-01", "updated": f"{year}-01-01",
            "sources": [{"list": "order-50-2013"}]}))  # fmt: skip
        commit(repo, f"Update {year}")
    calls: list[list[str]] = []
    real_popen = subprocess.Popen  # subprocess.run goes through Popen too

    def counting_popen(args: Any, *rest: Any, **kwargs: Any) -> Any:
        calls.append([str(a) for a in args])
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    entries = history.element_history(settings.load(git_inventory), "KZ-2013-0002")
    assert len(entries) == 21
    subcommands = [_subcommand(c) for c in calls]
    assert subcommands.count("log") == 1
    assert subcommands.count("cat-file") == 1
    assert len(calls) <= 7  # the rest: rev-parse and ls-tree, once each or so


def test_log_command_text(story: Path, run: Run) -> None:
    result = run("log", "KZ-2013-0002")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "KZ-2013-0002: 5 commits, newest first"
    assert "2023-04-04  Test Editor  Retire Aitys" in lines[2]
    assert '  /status: "active" → "retired"' in lines
    assert "  unchanged  elements/KZ-2013-0002.yaml (moved from elements/aitys.yaml)" in lines
    assert "  added  elements/KZ-2013-0002.yaml" in lines


def test_log_command_json(story: Path, run: Run) -> None:
    document = json.loads(run("log", "KZ-2013-0002", "--format", "json").stdout)
    assert document["id"] == "KZ-2013-0002"
    latest = document["commits"][0]
    assert set(latest) == {
        "commit", "author", "date", "subject", "status", "path", "old_path", "changes", "problems",
        "cut",
    }  # fmt: skip
    assert latest["status"] == "retired"
    assert latest["changes"][0] == {
        "pointer": "/status",
        "kind": "changed",
        "old": "active",
        "new": "retired",
    }


def test_log_of_an_uncommitted_element(git_inventory: Path, run: Run) -> None:
    write(git_inventory, "elements/KZ-2026-0005.yaml", element_yaml("KZ-2026-0005"))
    result = run("log", "KZ-2026-0005")
    assert result.exit_code == 0
    assert "no commit touched this element" in result.stdout


@pytest.mark.parametrize(
    ("element", "message"),
    [("KZ-2026-0404", "no element KZ-2026-0404"), ("aitys", "is not an element id")],
)
def test_log_of_an_unknown_element_exits_2(
    git_inventory: Path, run: Run, element: str, message: str
) -> None:
    result = run("log", element)
    assert result.exit_code == 2
    assert message in result.stderr and "hint:" in result.stderr


def test_log_of_an_unknown_element_suggests_the_ids_show_would(story: Path, run: Run) -> None:
    result = run("log", "KZ-2013-0003")
    assert result.exit_code == 2
    hint = "hint: did you mean KZ-2013-0002 or KZ-2026-0001?\n"
    assert result.stderr.endswith(hint)
    assert run("show", "KZ-2013-0003").stderr.endswith(hint)


def test_log_of_a_record_in_a_folder_says_it_cannot_be_read(story: Path, run: Run) -> None:
    """A second outside attack: `show` said the record of an element kept in a folder inside
    elements/ cannot be read (exit 1), `log` that there was no such element (exit 2). `log`
    shows the commits of it there, each version named as no record (as a diff names it)."""
    repo = git.Repo(story)
    (story / "elements" / "sub").mkdir()
    write(story, "elements/sub/KZ-2026-0050.yaml", element_yaml("KZ-2026-0050"))
    commit(repo, "A record in a folder")
    shown = run("show", "KZ-2026-0050", "--audience", "committee")
    assert shown.exit_code == 1, shown.stderr
    assert "the record of KZ-2026-0050 cannot be read: elements/sub" in shown.stderr
    logged = run("log", "KZ-2026-0050", "--audience", "committee")
    assert logged.exit_code == 1, logged.stderr
    assert "A record in a folder" in logged.stdout
    assert (
        "elements/sub: error [file.folder] the record of KZ-2026-0050 cannot be read: "
        "elements/ holds a folder 'sub'"
    ) in logged.stderr


def test_log_outside_git_exits_2(inventory: Path, run: Run) -> None:
    result = run("log", "KZ-2013-0002")
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


def test_a_version_that_cannot_be_read_makes_the_log_incomplete(story: Path, run: Run) -> None:
    """Broken in one commit, mended in the next: the log shows both commits, and names the
    broken version once on stderr with the commit that made it, exit 1 (it said nothing and
    exited 0)."""
    repo = git.Repo(story)
    good = (story / AITYS).read_text("utf-8")
    write(story, AITYS, good + "x: [\n")
    broken = commit(repo, "Break Aitys", date="2024-01-01T10:00:00+05:00")
    write(story, AITYS, good)
    commit(repo, "Mend Aitys", date="2024-01-02T10:00:00+05:00")
    for output_format in ("text", "json"):
        result = run("log", "KZ-2013-0002", "--format", output_format)
        assert result.exit_code == 1
        assert "1 version of its record could not be read" in result.stderr
        assert result.stderr.count(f"in commit {broken[:12]}: {AITYS}:") == 1
    assert run("log", "KZ-2026-0001").exit_code == 0


def test_a_commit_that_changed_nothing_is_unchanged_in_every_language_and_packet(
    story: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comment-only commit: `unchanged`, never "not yet revised" (the words of a baseline's
    element that no one revised since), in Russian and Kazakh, and in the dossier's history."""
    write(story, AITYS, "# a comment only\n" + (story / AITYS).read_text("utf-8"))
    commit(git.Repo(story), "Comment Aitys", date="2024-01-01T10:00:00+05:00")
    packet = run("packet", "--element", "KZ-2013-0002", "--templates", str(REPO_ROOT / "templates"))
    dossier = packet.stdout
    assert "Comment Aitys" in dossier, packet.stderr
    history_table = dossier.split("Comment Aitys")[1].split("\n")[0]
    assert "unchanged" in history_table and "not yet revised" not in dossier
    for lang, words, wrong in (
        ("ru", "без изменений", "не пересмотрен"),
        ("kk", "өзгеріссіз", "қаралмаған"),
    ):
        monkeypatch.setenv("ICHINV_LANG", lang)
        text = run("log", "KZ-2013-0002").stdout
        assert f"  {words}  {AITYS}" in text
        assert wrong not in text


def test_every_log_format_has_a_renderer() -> None:
    from ichinv.render.history import RENDERERS as LOG_RENDERERS
    from ichinv.render.history import LogFormat

    assert set(LOG_RENDERERS) == set(LogFormat)


def _shallow_clone(source: Path, target: Path, depth: int) -> Path:
    subprocess.run(
        ["git", "clone", "-q", "--depth", str(depth), source.as_uri(), str(target)], check=True
    )
    return target


def test_in_a_shallow_clone_log_says_the_history_is_cut_and_how_to_fetch_it(
    story: Path, run: Run, tmp_path: Path
) -> None:
    clone = _shallow_clone(story, tmp_path / "ci-checkout", depth=1)
    result = run("log", "KZ-2013-0002", "--repo", str(clone))
    assert result.exit_code == 1
    assert "history cut" in result.stdout
    assert "already there where the clone starts" in result.stdout
    assert "  added  " not in result.stdout  # the clone's first commit did not add it
    assert "git fetch --unshallow" in result.stderr
    document = json.loads(run("log", "KZ-2013-0002", "--repo", str(clone), "-f", "json").stdout)
    assert document["history_cut"] is True
    assert document["commits"][-1]["cut"] is True
    assert document["commits"][-1]["status"] == "unknown"


def test_a_shallow_clone_that_holds_the_whole_story_of_an_element_is_not_cut(
    story: Path, run: Run, tmp_path: Path
) -> None:
    """KZ-2026-0001 was added in the second commit; a clone of depth 5 holds that commit."""
    clone = _shallow_clone(story, tmp_path / "ci-checkout", depth=5)
    result = run("log", "KZ-2026-0001", "--repo", str(clone))
    assert result.exit_code == 0, result.stderr
    assert "history cut" not in result.stdout
    assert "added" in result.stdout


def test_the_dossier_of_a_shallow_clone_says_the_history_is_cut(
    story: Path, run: Run, tmp_path: Path
) -> None:
    clone = _shallow_clone(story, tmp_path / "ci-checkout", depth=1)
    for name in ("schema", "templates"):
        shutil.copytree(REPO_ROOT / name, clone / name, dirs_exist_ok=True)
    for lang, words in (("en", "History cut short"), ("kk", "Тарих толық емес"), ("ru", "неполна")):
        result = run("packet", "--element", "KZ-2013-0002", "--repo", str(clone), "--lang", lang)
        assert result.exit_code == 1, result.stderr
        # The messages follow --lang too; the rule id never changes.
        incomplete = {
            "en": "this answer is incomplete",
            "kk": "бұл жауап толық емес",
            "ru": "ответ неполон",
        }[lang]
        assert "[history.cut]" in result.stderr and incomplete in result.stderr
        assert words in result.stdout
        assert "git fetch --unshallow --tags" in result.stdout


@pytest.mark.parametrize(
    "args", [[], ["--province", "KZ-23"], ["--province", "KZ-23", "--element", "KZ-2026-0001"]]
)
def test_index_and_province_packets_of_a_shallow_clone_say_what_they_could_not_compare(
    story: Path, run: Run, tmp_path: Path, args: list[str]
) -> None:
    """The element packet exited 1 for a cut history; the index and province packets said
    "not available" in the packet only, and exited 0 with nothing on stderr."""
    clone = _shallow_clone(story, tmp_path / "ci-checkout", depth=1)
    for name in ("schema", "templates"):
        shutil.copytree(REPO_ROOT / name, clone / name, dirs_exist_ok=True)
    result = run("packet", *args, "--repo", str(clone))
    assert result.exit_code == 1, result.stderr
    # Said as what it is (an outside test: "2 record files could not be read", with the hint
    # to fix them with `ichinv validate`): history this clone lacks, and how to fetch it.
    assert "this answer is incomplete: this shallow clone lacks the history of" in result.stderr
    assert "record file" not in result.stderr and "ichinv validate" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    count = {False: 1, True: 2}["--element" in args]
    assert f"lacks the history of {count} part" in result.stderr and len(lines) == count
    assert result.stderr.splitlines()[-1].startswith("hint: this is a shallow clone")
    assert "[history.cut] the comparison with the 2013 baseline is not available" in result.stderr
    assert "git fetch --unshallow --tags" in result.stderr
    assert "not available" in result.stdout
    # With the whole history, the same packets compare and exit 0.
    for name in ("schema", "templates"):
        shutil.copytree(REPO_ROOT / name, story / name, dirs_exist_ok=True)
    whole = run("packet", *args, "--repo", str(story))
    assert whole.exit_code == 0, whole.stderr
    assert "history.cut" not in whole.stderr


def hiding(element_id: str, line: str) -> str:
    """The record of `element_id` whose English name, a quoted text over several lines, holds
    `line` (a line of the first column, `id: …` or `status: …`), its real line moved last."""
    text = element_yaml(element_id)
    real = next(t for t in text.splitlines() if t.startswith(line.partition(":")[0] + ":"))
    name = f'  en: "Register entry\n\n{line}\n\n    (see the 2017 list)"\n'
    return (
        text.replace(real + "\n", "").replace(f"  en: Element {element_id}\n", name) + real + "\n"
    )


def test_a_line_inside_a_quoted_text_fools_neither_log_nor_diff(
    git_inventory: Path, run: Run
) -> None:
    """An outside review: a name holding a line `id: KZ-2013-0777` before the real `id:` line
    made `log KZ-2013-0001` say no commit touched it and `log KZ-2013-0777` show its history;
    one holding `status: retired` made diff's `now` of the unchanged record `retired`."""
    repo = git.Repo(git_inventory)
    write(git_inventory, "elements/KZ-2026-0001.yaml", hiding("KZ-2026-0001", "id: KZ-2013-0777"))
    write(git_inventory, "elements/KZ-2026-0002.yaml", hiding("KZ-2026-0002", "status: retired"))
    assert run("validate").exit_code == 0
    commit(repo, "Two records", tag="inventory-2024")
    edited = hiding("KZ-2026-0001", "id: KZ-2013-0777").replace("kk: Айтыс", "kk: Айтыс ақындары")
    write(git_inventory, "elements/KZ-2026-0001.yaml", edited)
    commit(repo, "Edit the Kazakh name")
    result = run("log", "KZ-2026-0001")
    assert result.exit_code == 0, result.stderr
    assert "KZ-2026-0001: 2 commits" in result.stdout and "Edit the Kazakh name" in result.stdout
    assert run("log", "KZ-2013-0777").exit_code == 2
    document = json.loads(run("diff", "--baseline", "inventory-2024", "--format", "json").stdout)
    now = {e["id"]: e["now"] for e in document["elements"]}
    assert (now["KZ-2026-0001"], now["KZ-2026-0002"]) == ("active", "active")
