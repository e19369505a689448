"""What a command says on its own, a refusal or a note, names what was typed as `validate`
names a file: on one line, control characters shown as escapes (ichinv.render.plain.one_line).

An outside review: refusals and notes printed names and values raw. `export -o` of a name
holding a line break and `::error::fake` printed a line of its own, which GitHub Actions takes
for a workflow command (a fake error in CI's log), and an escape sequence given as
`--province` (`ESC ] 0 ; … BEL`, which sets a terminal's title) reached the terminal. The
refusals that list several files (`private split`, `renumber`) still list them one a line.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.edit.test_private_split_writes import PUBLIC_BESIDE, with_contacts
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, element_yaml

Run = Callable[..., Result]

NAME = "KZ-2013-0011\n::error::fake\r\x1b]0;owned\x07\u2028\u202ex"
SHOWN = "KZ-2013-0011\\n::error::fake\\r\\x1b]0;owned\\x07\\u2028\\u202ex"
RAW = ("\n::", "\r", "\x1b", "\x07", "\u2028", "\u202e")


def assert_one_line(text: str, shown: str = SHOWN) -> None:
    """No line of `text` is a workflow command, nothing in it acts on a terminal or reorders a
    line, and the name is there as validate shows it."""
    assert not any(line.startswith("::") for line in text.splitlines()), text
    assert not any(raw in text for raw in RAW), text
    assert shown in text, text


@pytest.fixture
def templated(git_inventory: Path) -> Path:
    """The test inventory in git, with this repository's templates (packets, form labels)."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    return git_inventory


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["export", "-o", f"missing/{NAME}.csv"], 2, id="export -o"),
        pytest.param(["import", f"{NAME}.csv"], 2, id="import"),
        pytest.param(["list", "--repo", NAME], 2, id="--repo"),
        pytest.param(["packet", "--templates", NAME], 2, id="packet --templates"),
        pytest.param(["fmt", f"elements/{NAME}.yaml"], 1, id="fmt"),
        pytest.param(["validate", "--new-since", NAME], 2, id="validate --new-since"),
        pytest.param(["diff", "--baseline", NAME], 2, id="diff --baseline"),
    ],
)
def test_a_refusal_names_what_was_typed_on_one_line(
    templated: Path, run: Run, args: list[str], code: int
) -> None:
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert_one_line(result.stderr + result.stdout)


def test_a_province_typed_with_an_escape_sequence_is_shown_escaped(
    inventory: Path, run: Run
) -> None:
    result = run("list", "--province", "KZ-43\x1b]0;owned\x07")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "error: there is no province KZ-43\\x1b]0;OWNED\\x07 in provinces/"
    assert lines[1].startswith("hint: ") and len(lines) == 2


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["export", "-o", f"{NAME}.csv"], f"{NAME}.csv"),
        (["packet", "-o", NAME], NAME),
        (["form", "-o", f"{NAME}.xlsx"], f"{NAME}.xlsx"),
        (["schema-docs", "-o", NAME], NAME),
        (["site", "-o", NAME], NAME),
    ],
    ids=lambda a: a[0] if isinstance(a, list) else "",
)
def test_a_note_names_the_file_written_on_one_line(
    templated: Path, run: Run, args: list[str], written: str
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert (templated / written).exists()
    assert_one_line(result.stdout + result.stderr)


def test_the_language_asked_for_is_shown_escaped(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_LANG", "en\n::error::fake")
    result = run("list")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: ICHINV_LANG is 'en\\n::error::fake', a language ichinv does not speak"
    )


def test_a_refusal_that_lists_files_lists_each_on_one_line(inventory: Path, run: Run) -> None:
    """`private split` names every record it cannot read, one a line: a record's name in that
    list is escaped as in any other line."""
    (inventory / "pyproject.toml").write_text(PUBLIC_BESIDE, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0007.yaml": with_contacts("KZ-2013-0007") + "contacts: [\n",
            f"elements/{NAME}.yaml": with_contacts("KZ-2013-0011") + "contacts: [\n",
        },
    )
    result = run("private", "split")
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 2 records cannot be read, so nothing was moved:"
    assert lines[1].startswith("  elements/KZ-2013-0007.yaml:")
    assert lines[2].startswith(f"  elements/{SHOWN}.yaml:")
    assert lines[3].startswith("hint: ") and len(lines) == 4
    assert_one_line(result.stderr, f"elements/{SHOWN}.yaml")


def test_renumber_lists_each_unreadable_file_on_one_line(inventory: Path, run: Run) -> None:
    build_file_tree(
        inventory,
        {
            "elements/KZ-2013-0007.yaml": element_yaml("KZ-2013-0007"),
            f"elements/{NAME}.yaml": "id: [\n",
        },
    )
    result = run("renumber", "KZ-2013-0007")
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error: 1 file cannot be read, and it may refer to KZ-2013-0007, so nothing was changed:"
    )
    assert lines[1].startswith(f"  elements/{SHOWN}.yaml:")
    assert lines[2].startswith("hint: ") and len(lines) == 3
