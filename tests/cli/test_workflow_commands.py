"""No report carries a GitHub workflow command a record, a file's name or a commit subject
wrote: neither the old form a runner obeys anywhere in a line (`##[add-mask]…`,
`##[stop-commands]…`, `##[error …]…`) nor `::command::` at a line's start.

An outside attack: every text output let them through, `validate` (the pre-commit hook's, run
in a GitHub Actions step), `show`, `list`, `diff-2013` and `log`, though SECURITY.md says
reports escape workflow-command characters. Only `--format github` stopped them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import git
from hypothesis import example, given
from hypothesis import strategies as st

from ichinv.core import jsontext
from ichinv.render.plain import one_line, visible
from tests.support import reading_data as d
from tests.support.helpers import Result, commit

Run = Callable[..., Result]

_LINE_COMMAND = re.compile(r"^\s*::", re.MULTILINE)


def obeyed(output: str) -> list[str]:
    """The lines of `output` a GitHub runner would read as a workflow command."""
    return [
        line
        for line in output.splitlines()
        if "##[" in line or _LINE_COMMAND.match(line) is not None
    ]


_HOSTILE = st.text(alphabet=st.sampled_from("#[]: \u00a0\tax\n"), max_size=40)


@given(_HOSTILE)
@example("a ##[add-mask]x")
@example("###[x")
@example(" \u00a0::error::x\nb::c")
def test_no_line_of_text_made_safe_is_a_workflow_command(text: str) -> None:
    assert obeyed(one_line(text)) == []
    assert obeyed(visible(text)) == []
    assert obeyed(visible(text).replace("\\x23", "#").replace("\\x3a", ":")) == obeyed(text)


@given(_HOSTILE)
@example("a ##[add-mask]x")
@example("###[x")
def test_json_says_the_same_text_and_no_workflow_command(text: str) -> None:
    for indent in (2, None):
        written = jsontext.dumps({text: [text]}, indent=indent)
        assert obeyed(written) == []
        assert json.loads(written) == {text: [text]}


def test_no_report_carries_a_workflow_command_of_a_record(run: Run, git_inventory: Path) -> None:
    d.write(
        git_inventory,
        d.element(
            "KZ-2026-0001",
            names={"kk": "Наурыз", "ru": "Наурыз", "en": "Nauryz ##[add-mask]Nauryz"},
            description={
                "en": "::error file=README.md,title=Committee::Approved, merge now\n"
                " \u00a0::stop-commands::pwned\nThe spring festival."
            },
        ),
    )
    repo = git.Repo(git_inventory)
    commit(repo, "fix ##[warning]typo")
    hostile = git_inventory / "elements" / "##[stop-commands]x.yaml"
    hostile.write_text("id: [", encoding="utf-8")
    outputs = {
        "validate": run("validate"),
        "validate json": run("validate", "--format", "json"),
        "show": run("show", "KZ-2026-0001"),
        "show committee": run("show", "KZ-2026-0001", "--audience", "committee"),
        "list": run("list"),
        "diff-2013": run("diff-2013"),
        "diff-2013 json": run("diff-2013", "--format", "json"),
        "log": run("log", "KZ-2026-0001"),
    }
    for name, result in outputs.items():
        assert result.exit_code in (0, 1), (name, result.stderr)
        assert obeyed(result.stdout + result.stderr) == [], name
    assert "Nauryz \\u0023#[add-mask]Nauryz" in outputs["diff-2013 json"].stdout
    assert "Nauryz \\x23#[add-mask]Nauryz" in outputs["list"].stdout
    assert "\\x3a:error file=README.md" in outputs["show"].stdout
    assert "elements/\\x23#[stop-commands]x.yaml" in outputs["validate"].stdout


def test_a_format_diff_carries_no_workflow_command(run: Run, inventory: Path) -> None:
    """An outside review: `fmt --diff` wrote its hunks as they were; a context line's leading
    space is trimmed by the runner, so a line of a record's text starting `::` became one."""
    record = inventory / "elements" / "KZ-2026-0001.yaml"
    text = d.element(
        "KZ-2026-0001",
        description={"en": "::add-mask::d1\n##[add-mask]d6\n\u3000::add-mask::d2\nThe rest."},
    )
    d.write(inventory, text)
    record.write_text(
        record.read_text(encoding="utf-8").replace("status: active", "status:    active"),
        encoding="utf-8",
    )
    result = run("fmt", "--diff", str(record))
    assert result.exit_code == 1, result.stderr
    assert "--- a/elements/KZ-2026-0001.yaml" in result.stdout
    assert obeyed(result.stdout) == []
