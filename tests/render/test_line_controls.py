"""A file's name or a message holding a line or paragraph separator, NEL or a bidirectional
control cannot break or reorder a line of any report (ichinv.core.controls: the one set).

An outside review: `validate --format github` percent-encoded control characters but wrote
U+2028/U+2029 and the bidirectional controls as they are, and the text format (like every
other line of text: `one_line`, and the terminal's `visible`) wrote the marks U+200E, U+200F
and U+061C as they are; in GitHub's annotations and on a terminal they break the line or
reorder it ("Trojan Source"). Each format now shows them in its own way: `%u202E` in a
workflow command, `\\u202e` in text and in what a SARIF viewer shows, U+FFFD in Markdown;
JSON keeps the exact name (it is data) and escapes them inside its strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.core.controls import SOFT_HYPHEN
from ichinv.core.model import Finding, ValidationResult
from ichinv.render.findings import github, sarif, text
from ichinv.render.findings import json as json_report
from ichinv.render.markdown.escape import REPLACEMENT, inline
from ichinv.render.plain import one_line, visible
from tests.support.helpers import Result

Run = Callable[..., Result]

LINE_CONTROLS = {
    "\u2028": ("%u2028", "\\u2028"),  # LINE SEPARATOR
    "\u2029": ("%u2029", "\\u2029"),  # PARAGRAPH SEPARATOR
    "\x85": ("%85", "\\x85"),  # NEXT LINE
    "\u202e": ("%u202E", "\\u202e"),  # RIGHT-TO-LEFT OVERRIDE
    "\u202a": ("%u202A", "\\u202a"),  # LEFT-TO-RIGHT EMBEDDING
    "\u2066": ("%u2066", "\\u2066"),  # LEFT-TO-RIGHT ISOLATE
    "\u2069": ("%u2069", "\\u2069"),  # POP DIRECTIONAL ISOLATE
    "\u200e": ("%u200E", "\\u200e"),  # LEFT-TO-RIGHT MARK
    "\u200f": ("%u200F", "\\u200f"),  # RIGHT-TO-LEFT MARK
    "\u061c": ("%u061C", "\\u061c"),  # ARABIC LETTER MARK
}
"""Each character, as a workflow command writes it and as a line of text writes it."""


def _finding(char: str) -> Finding:
    return Finding(
        f"elements/KZ-2026-0001{char}lmth.yaml",
        "file.missing",
        f"elements/KZ-2026-0001{char}lmth.yaml does not exist",
        line=1,
        column=1,
    )


@pytest.mark.parametrize("char", LINE_CONTROLS)
def test_a_workflow_command_percent_encodes_them(char: str) -> None:
    coded = LINE_CONTROLS[char][0]
    report = github.render_validation(ValidationResult(checked=1, findings=(_finding(char),)))
    assert report.splitlines()[0] == (
        f"::error file=elements/KZ-2026-0001{coded}lmth.yaml,line=1,col=1,title=file.missing"
        f"::elements/KZ-2026-0001{coded}lmth.yaml does not exist"
    )
    assert char not in report


@pytest.mark.parametrize("char", LINE_CONTROLS)
def test_a_line_of_text_shows_them_as_escapes(char: str) -> None:
    shown = LINE_CONTROLS[char][1]
    line = text.finding_line(_finding(char))
    assert line == (
        f"elements/KZ-2026-0001{shown}lmth.yaml:1:1: error [file.missing] "
        f"elements/KZ-2026-0001{shown}lmth.yaml does not exist"
    )
    assert one_line(f"a{char}b") == f"a{shown}b"
    assert visible(f"a{char}b\n\tc") == f"a{shown}b\n\tc"  # the terminal keeps line breaks


@pytest.mark.parametrize("char", LINE_CONTROLS)
def test_json_keeps_the_name_and_escapes_them_in_its_strings(char: str) -> None:
    finding = _finding(char)
    report = json_report.render_validation(ValidationResult(checked=1, findings=(finding,)))
    assert char not in report
    assert json.loads(report)["findings"][0]["path"] == finding.path  # data: the exact name


@pytest.mark.parametrize("char", LINE_CONTROLS)
def test_what_a_sarif_viewer_shows_holds_none_of_them(char: str) -> None:
    finding = _finding(char)
    report = sarif.render_validation(ValidationResult(checked=1, findings=(finding,)))
    assert char not in report
    result = json.loads(report)["runs"][0]["results"][0]
    shown = LINE_CONTROLS[char][1]
    assert result["message"]["text"] == f"elements/KZ-2026-0001{shown}lmth.yaml does not exist"
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == sarif.artifact_uri(finding.path) and char not in uri


@pytest.mark.parametrize("char", [c for c in LINE_CONTROLS if c not in "\u2028\u2029\x85"])
def test_markdown_replaces_the_bidirectional_controls(char: str) -> None:
    assert inline(f"KZ{char}-2026") == f"KZ{REPLACEMENT}-2026"


def test_validate_in_ci_writes_a_hostile_name_on_one_unreordered_line(
    inventory: Path, run: Run
) -> None:
    name = "elements/KZ-2026-0001\u2028::error::fake\u202e\u200flmth.yaml"
    (inventory / name).write_text("id: [\n", encoding="utf-8")
    result = run("validate", "--format", "github")
    assert result.exit_code == 1
    assert not any(line.startswith("::error::fake") for line in result.stdout.splitlines())
    assert "file=elements/KZ-2026-0001%u2028%3A%3Aerror%3A%3Afake%u202E%u200Flmth.yaml," in (
        result.stdout
    )
    assert not any(c in result.stdout for c in LINE_CONTROLS)
    plain = run("validate")
    assert "elements/KZ-2026-0001\\u2028::error::fake\\u202e\\u200flmth.yaml:2:1: error" in (
        plain.stdout
    )
    assert not any(c in plain.stdout for c in LINE_CONTROLS)


INVISIBLE = {
    "\u200b": ("%u200B", "\\u200b"),  # ZERO WIDTH SPACE
    "\u200c": ("%u200C", "\\u200c"),  # ZERO WIDTH NON-JOINER
    "\u200d": ("%u200D", "\\u200d"),  # ZERO WIDTH JOINER
    "\u2060": ("%u2060", "\\u2060"),  # WORD JOINER
    "\ufeff": ("%uFEFF", "\\ufeff"),  # ZERO WIDTH NO-BREAK SPACE, the byte-order mark
    "\u00ad": ("%AD", "\\xad"),  # SOFT HYPHEN
    "\u3164": ("%u3164", "\\u3164"),  # HANGUL FILLER
    "\U000e0041": ("%uE0041", "\\U000e0041"),  # TAG LATIN CAPITAL LETTER A
}
"""Characters that show as nothing: a name holding one looks like the name without it."""


@pytest.mark.parametrize("char", INVISIBLE)
def test_a_name_that_looks_like_another_never_prints_as_it(char: str) -> None:
    """An outside review: `elements/KZ-2013-0001\\u200b.yaml` was printed raw in the path
    column of validate's text and in GitHub's `file=` (so, as `elements/KZ-2013-0001.yaml`),
    while a message quoting it escaped it and JSON escaped it."""
    coded, shown = INVISIBLE[char]
    finding = Finding(f"elements/KZ-2013-0001{char}.yaml", "file.name", "misnamed", line=1)
    line = text.finding_line(finding)
    assert line.startswith(f"elements/KZ-2013-0001{shown}.yaml:1: error") and char not in line
    report = github.render_validation(ValidationResult(checked=1, findings=(finding,)))
    assert f"::error file=elements/KZ-2013-0001{coded}.yaml,line=1," in report
    assert char not in report
    document = json_report.render_validation(ValidationResult(checked=1, findings=(finding,)))
    assert char not in document and json.loads(document)["findings"][0]["path"] == finding.path
    assert char not in sarif.render_validation(ValidationResult(checked=1, findings=(finding,)))
    if char == SOFT_HYPHEN:  # a record's text may hold it, and it is printed as it is
        assert visible(f"a{char}b") == inline(f"a{char}b") == f"a{char}b"
    else:
        assert visible(f"a{char}b") == f"a{shown}b" and inline(f"a{char}b") == f"a{REPLACEMENT}b"


def test_validate_names_a_file_with_a_zero_width_space_so_that_it_can_be_told(
    inventory: Path, run: Run
) -> None:
    twin = inventory / "elements/KZ-2013-0002.yaml"
    (inventory / "elements/KZ-2013-0002\u200b.yaml").write_bytes(twin.read_bytes())
    for args, shown in (
        ((), "elements/KZ-2013-0002\\u200b.yaml:"),
        (("--format", "github"), "file=elements/KZ-2013-0002%u200B.yaml,"),
    ):
        result = run("validate", *args)
        assert result.exit_code == 1
        assert shown in result.stdout and "\u200b" not in result.stdout, args
