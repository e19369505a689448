"""`ichinv packet` through the command line: kinds, audiences, languages, output, errors."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, commit, init_repo
from tests.support.packet_inventory import CONTACT_SECRET, RESTRICTED_SECRET, build

Run = Callable[..., Result]


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build(tmp_path / "inventory")
    monkeypatch.chdir(root)
    return root


KINDS = {
    "index": [],
    "province": ["--province", "KZ-63"],
    "element": ["--element", "KZ-2026-0007"],
}


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_for_the_repository_inventory(
    repo_copy: Path, run: Run, kind: str, lang: str
) -> None:
    first = run("packet", "--lang", lang, *KINDS[kind])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("# ") and first.stdout.endswith("\n")
    assert run("packet", "--lang", lang, *KINDS[kind]).stdout == first.stdout


def test_change_packet_of_the_repository_inventory(repo_copy: Path, run: Run) -> None:
    settings = repo_copy / "pyproject.toml"
    text = re.sub(r'rev = "[0-9a-f]{40}"', 'rev = "HEAD"', settings.read_text("utf-8"))
    settings.write_text(text, "utf-8")  # the baselines' commits are not in this new repository
    repo = init_repo(repo_copy)
    commit(repo, "inventory", date="2026-01-01T12:00:00+05:00")
    path = repo_copy / "elements" / "KZ-2013-0003.yaml"
    path.write_text(path.read_text("utf-8").replace("status: viable", "status: at-risk"), "utf-8")
    for lang in ("en", "kk", "ru"):
        result = run("packet", "--since", "HEAD", "--lang", lang)
        assert result.exit_code == 0, result.stderr
        assert "KZ-2013-0003" in result.stdout
        assert run("packet", "--since", "HEAD", "--lang", lang).stdout == result.stdout


def test_public_is_the_default_and_committee_is_confidential(small: Path, run: Run) -> None:
    public = run("packet", "--element", "KZ-2024-0001")
    committee = run("packet", "--element", "KZ-2024-0001", "--audience", "committee")
    assert public.exit_code == committee.exit_code == 0
    assert CONTACT_SECRET not in public.stdout and RESTRICTED_SECRET not in public.stdout
    assert CONTACT_SECRET in committee.stdout and RESTRICTED_SECRET in committee.stdout
    assert committee.stdout.startswith("> **Confidential**")
    assert (
        run("packet", "--element", "KZ-2024-0001", "--audience", "public").stdout == public.stdout
    )


def test_output_folder_gets_deterministic_names_and_is_never_overwritten_unasked(
    small: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["packet", "--since", "inventory-2024", "--province", "KZ-23", "--element",
            "KZ-2024-0001", "--output", str(out)]  # fmt: skip
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["changes.md", "element-KZ-2024-0001.md", "province-KZ-23.md"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refused = run(*args)
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = run(*args, "--force")
    assert forced.exit_code == 0 and {p.name: p.read_bytes() for p in out.iterdir()} == before
    index = run("packet", "--output", str(out))
    assert index.exit_code == 0 and (out / "index.md").is_file()


def test_stdout_and_files_hold_the_same_bytes(small: Path, run: Run, tmp_path: Path) -> None:
    shown = run("packet", "--province", "KZ-23", "--lang", "kk")
    run("packet", "--province", "KZ-23", "--lang", "kk", "--output", str(tmp_path / "o"))
    assert (tmp_path / "o" / "province-KZ-23.md").read_text("utf-8") == shown.stdout


def test_output_must_be_a_folder(small: Path, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "file.md"
    target.write_text("keep", "utf-8")
    result = run("packet", "--output", str(target))
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert target.read_text("utf-8") == "keep"


def test_date_only_when_given(small: Path, run: Run) -> None:
    plain = run("packet").stdout
    dated = run("packet", "--date", "2026-11-25").stdout
    assert "2026-11-25" not in plain and "**Date:** 2026-11-25" in dated
    for typo in ("25.11.2026", ""):
        bad = run("packet", "--date", typo)
        assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--element", "KZ-2024-9999"], "there is no element KZ-2024-9999"),
        (["--province", "KZ-00"], "there is no province KZ-00"),
        (["--element", ""], "there is no element '' in elements/"),
        (["--province", "KZ-2 "], "there is no province KZ-2 in provinces/"),
        (["--since", "no-such-branch"], "--since revision 'no-such-branch' not found"),
        (["--templates", "missing-folder"], "does not exist"),
    ],
)
def test_bad_input_is_a_clear_error(small: Path, run: Run, args: list[str], message: str) -> None:
    result = run("packet", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_choices_are_refused_by_the_parser(small: Path, run: Run) -> None:
    assert run("packet", "--lang", "de").exit_code == 2
    assert run("packet", "--audience", "everyone").exit_code == 2


def test_a_broken_template_is_exit_2(small: Path, run: Run, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "t"
    shutil.copytree(small / "templates", folder)
    (folder / "packets" / "index.md.j2").write_text("{{ undefined_thing }}", "utf-8")
    result = run("packet", "--templates", str(folder))
    assert result.exit_code == 2
    assert "packets/index.md.j2:1" in result.stderr and "undefined_thing" in result.stderr


def test_change_packet_needs_git(repo_copy: Path, run: Run) -> None:
    result = run("packet", "--since", "main")
    assert result.exit_code == 2 and "not in a git repository" in result.stderr


def test_an_element_added_and_retired_since_counts_as_such_in_table_and_heading(
    small: Path, run: Run
) -> None:
    from tests.support.helpers import element_yaml

    (small / "elements" / "KZ-2026-0099.yaml").write_text(
        element_yaml(
            "KZ-2026-0099",
            status="retired",
            status_change={"reason": "Entered twice", "date": "2026-05-01"},
        ),
        encoding="utf-8",
    )
    words = {"en": "added, now retired", "kk": "қазір", "ru": "сейчас"}
    for lang, phrase in words.items():
        packet = run("packet", "--since", "inventory-2024", "--lang", lang)
        assert packet.exit_code == 0, packet.stderr
        summary = packet.stdout.split("\n## ")[1]
        heading = next(line for line in packet.stdout.splitlines() if "KZ-2026-0099" in line)
        assert phrase in heading
        assert any(phrase in row and "| 1 |" in row for row in summary.splitlines()), summary


@pytest.mark.parametrize("args", [[], ["--element", "KZ-2024-0001"], ["--province", "KZ-23"]])
def test_a_baseline_revision_not_in_the_repository_is_said_and_exit_2(
    small: Path, run: Run, args: list[str]
) -> None:
    """An outside test: with a baseline's revision gone (`rev = "gone-tag"`), packets exited 0
    with nothing on stderr, and the public packet printed the clone's absolute path (`not
    found in the git repository at /tmp/…`). `diff` exits 2 for the same settings (SPEC:
    baseline revision not found)."""
    settings = small / "pyproject.toml"
    text = settings.read_text("utf-8")
    for rev in ("inventory-2013", "inventory-2024"):
        text = text.replace(f'rev = "{rev}"', f'rev = "gone-{rev}"')
    settings.write_text(text, "utf-8")
    result = run("packet", *args)
    assert result.exit_code == 2, result.stderr
    assert "[baseline.unavailable] the comparison with the 2013 baseline could not be made" in (
        result.stderr
    )
    assert "'gone-inventory-2013' not found" in result.stderr
    assert "Comparison with the 2013 baseline not available" in result.stdout
    assert str(small) not in result.stdout and "/tmp" not in result.stdout
    assert run("diff", "--baseline", "2013").exit_code == 2


def test_packets_without_git_on_the_path_say_so_and_exit_2(
    small: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside test: with git missing from PATH, packets exited 0 with nothing on stderr."""
    python = tmp_path / "bin"
    python.mkdir()
    monkeypatch.setenv("PATH", str(python))
    assert shutil.which("git") is None
    result = run("packet", "--element", "KZ-2024-0001")
    assert result.exit_code == 2, result.stderr
    assert "git could not give 3 parts of it" in result.stderr
    assert "[history.unavailable] the history of KZ-2024-0001 could not be read" in result.stderr
    assert "git is not installed" in result.stderr
    assert "History not available: the git history could not be read" in result.stdout
    assert str(small) not in result.stdout


def test_packets_of_a_copy_outside_git_render_and_exit_0(
    small: Path, run: Run, tmp_path: Path
) -> None:
    """A copy of the records without `.git` is not set up for comparisons: its packets say
    so, with no folder of this machine in them (README, "Without git history")."""
    copy = tmp_path / "copy"
    shutil.copytree(small, copy, ignore=shutil.ignore_patterns(".git"))
    result = run("packet", "--element", "KZ-2024-0001", "--repo", str(copy))
    assert result.exit_code == 0, result.stderr
    assert "History not available: the git history could not be read" in result.stdout
    assert str(copy) not in result.stdout
