"""GitHub's limits by design: capped annotations (errors first) and summaries that fit."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core.model import Finding, Severity, SuppressedFinding, Suppression, ValidationResult
from ichinv.render.findings import limits as github
from ichinv.render.findings.github import render_validation
from tests.support.helpers import Result

Run = Callable[..., Result]


def _finding(number: int, severity: Severity) -> Finding:
    return Finding(
        f"elements/KZ-2026-{number:04d}.yaml",
        "status.reason",
        f"problem {number}",
        severity,
        line=number,
        column=1,
    )


# --- annotations ----------------------------------------------------------------------------


@given(st.lists(st.sampled_from(["error", "warning", "notice"]), max_size=80))
def test_the_plan_never_exceeds_what_github_shows(levels: list[str]) -> None:
    plan = github.plan_annotations(levels)
    shown = [levels[i] for i in plan.shown]
    for level, limit in github.ANNOTATIONS_PER_STEP.items():
        room = limit - (1 if plan.left_out_total and level == "notice" else 0)
        assert shown.count(level) <= room
    assert len(shown) + (1 if plan.left_out_total else 0) <= github.ANNOTATIONS_PER_JOB
    assert len(shown) + plan.left_out_total == len(levels)
    # Errors first: an error is left out only when the errors' places are all taken.
    if plan.left_out.get("error"):
        assert shown.count("error") == github.ANNOTATIONS_PER_STEP["error"]


def test_nothing_is_left_out_when_everything_fits() -> None:
    levels = ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    plan = github.plan_annotations(levels)
    assert plan.shown == tuple(range(30)) and plan.left_out_total == 0


def test_a_job_limit_keeps_errors_before_warnings() -> None:
    plan = github.plan_annotations(
        ["warning"] * 5 + ["error"] * 5,
        per_level={"error": 10, "warning": 10, "notice": 10},
        total=6,
    )
    # 6 places, one kept for the notice: the 5 errors, no warning.
    assert list(plan.shown) == [5, 6, 7, 8, 9]
    assert plan.left_out == {"warning": 5}


def test_the_renderer_annotates_errors_first_and_lists_everything() -> None:
    findings = tuple(
        [_finding(n, Severity.WARNING) for n in range(1, 15)]
        + [_finding(n, Severity.ERROR) for n in range(20, 33)]
    )
    text = render_validation(ValidationResult(checked=40, findings=findings))
    lines = text.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 10
    assert "KZ-2026-0020" in errors[0]
    notice = next(line for line in lines if line.startswith("::notice "))
    assert "7 more findings (3 errors, 4 warnings)" in notice
    listing = text.split("::stop-commands::", 1)[1].split("\n", 1)[1]
    token = re.search(r"::stop-commands::([0-9a-f]+)", text).group(1)  # type: ignore[union-attr]
    body = listing.split(f"::{token}::", 1)[0]
    assert len(body.strip().splitlines()) == 27  # every finding, as plain lines
    assert lines[-1].startswith("failed: 40 files checked, 13 errors, 14 warnings")


def test_record_text_cannot_issue_workflow_commands() -> None:
    hostile = Finding(
        "elements/KZ-2026-0001.yaml",
        "text.control-character",
        "value\n::error::forged\r\n::set-env name=X::1",
        line=3,
        column=1,
    )
    many = (hostile, *(_finding(n, Severity.ERROR) for n in range(2, 14)))
    text = render_validation(ValidationResult(checked=13, findings=many))
    token = re.search(r"::stop-commands::([0-9a-f]+)", text).group(1)  # type: ignore[union-attr]
    outside = text.split(f"::stop-commands::{token}", 1)[0] + text.split(f"::{token}::", 1)[1]
    for line in outside.splitlines():
        assert not line.startswith(("::error::forged", "::set-env"))
    assert token not in hostile.message


def test_suppressed_findings_are_listed_in_the_github_output() -> None:
    finding = _finding(1, Severity.ERROR)
    suppression = Suppression(
        "status.reason", "Decision expected in March", "2027-03-31", source="settings"
    )
    text = render_validation(
        ValidationResult(
            checked=1, findings=(), suppressed=(SuppressedFinding(finding, suppression),)
        )
    )
    assert "::error" not in text
    assert "Suppressed findings (1)" in text
    assert "until 2027-03-31: Decision expected in March" in text
    assert text.splitlines()[-1].endswith("1 suppressed")


# --- Markdown within a limit ------------------------------------------------------------------


def test_cut_keeps_short_text_as_it_is() -> None:
    assert github.cut("# A\n\nshort\n", 100, "cut") == "# A\n\nshort\n"


def test_cut_closes_an_open_code_block_and_details() -> None:
    text = (
        "# Report\n\n<details>\n<summary>All</summary>\n\n```yaml\n"
        + "key: value\n" * 500
        + "```\n\n</details>\n"
    )
    shortened = github.cut(text, 600, "*{lines} more lines in the artifact*")
    assert len(shortened) <= 600
    assert shortened.count("```") % 2 == 0
    assert shortened.count("<details>") == shortened.count("</details>")
    assert re.search(r"\*\d+ more lines in the artifact\*\n$", shortened)


def test_cut_takes_escaped_record_text_for_no_tag() -> None:
    """An outside attack: a community named `<details> <details> <details>` (escaped in the
    packet, `\\<details\\>`) was counted as three open tags, and the summary closed them with
    three stray `</details>`; `\\</details\\>` was never counted as a close."""
    text = (
        "# Packet\n\n<details>\n\n"
        + "- Name: \\<details\\> \\<details\\> \\<details\\>\n" * 60
        + "</details>\n"
    )
    shortened = github.cut(text, 1500, "*{lines} more lines*")
    assert shortened.count("</details>") == 1  # the packet's own, closed by the cut
    assert (
        github.cut("<details>\n\\\\<details>\n" + "x\n" * 900, 300, "cut").count("</details>") == 2
    )  # an escaped backslash, then a tag


@given(st.text(alphabet="ab #`\n<>/dtaisle", max_size=3000), st.integers(200, 2000))
def test_cut_never_exceeds_the_limit(text: str, limit: int) -> None:
    assert len(github.cut(text, limit, "… {lines} more lines")) <= limit


def test_sections_share_the_room_fairly() -> None:
    short = github.Section("# Short\n" + "x\n" * 10, "short.md")
    long = github.Section("# Long\n" + "y" * 50 + "\n" * 1 + ("z" * 40 + "\n") * 400, "long.md")
    page = github.fit_sections([short, long], 2000, "*… {lines} more lines in `{source}`*")
    assert len(page) <= 2000
    assert short.text in page
    assert "more lines in `long.md`" in page


# --- ichinv ci summary ------------------------------------------------------------------------


def _validation_report(tmp_path: Path, findings: int) -> Path:
    report = {
        "ok": findings == 0,
        "checked": 107,
        "findings": [
            {
                "path": f"elements/KZ-2026-{n:04d}.yaml",
                "line": 3,
                "column": 1,
                "rule": "schema.enum",
                "severity": "error",
                "pointer": "/status",
                "message": f'`status` ({n}): "actve" is not one of the allowed values | <b>@committee</b>',
                "hint": None,
                "docs": "https://github.example/o/r/blob/main/docs/en/element.md#status",
            }
            for n in range(findings)
        ],
        "summary": {"error": findings, "warning": 0, "info": 0},
        "suppressed": [],
        "new_since": {"rev": "origin/main", "commit": "a" * 40, "already_there": 3},
    }
    path = tmp_path / "new-findings.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_ci_summary_renders_a_validation_report_safely(
    tmp_path: Path, run: Run, inventory: Path
) -> None:
    report = _validation_report(tmp_path, 2)
    result = run("ci", "summary", str(report))
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("# Inventory check\n")
    assert "**Failed**: 107 files checked, 2 errors, 0 warnings, 0 info." in page
    assert "not already at `origin/main`" in page and "3 older ones are not" in page
    assert page.count("| error | `elements/KZ-2026-") == 2
    assert "<b>" not in page and "\\|" in page and "`@committee`" in page
    assert "[docs](<https://github.example/o/r/blob/main/docs/en/element.md#status>)" in page


def test_ci_summary_goes_to_the_job_summary_and_stays_under_the_limit(
    tmp_path: Path, run: Run, inventory: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "step-summary.md"
    summary.write_text("Earlier output of this step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "committee/inventory")
    monkeypatch.setenv("GITHUB_RUN_ID", "99")
    big = tmp_path / "changes.md"
    big.write_text(
        "# Change packet\n\n" + "".join(f"- element {n}: Атауы өзгерді\n" for n in range(9000)),
        encoding="utf-8",
    )
    result = run(
        "ci",
        "summary",
        str(_validation_report(tmp_path, 400)),
        str(big),
        str(tmp_path / "diff-2013.md"),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("Earlier output of this step\n# Inventory check")
    added = written.removeprefix("Earlier output of this step\n")
    assert len(added) <= github.SUMMARY_LIMIT
    assert "more lines are in `changes.md` of the artifact" in added
    assert "more lines are in `new-findings.json` of the artifact" in added
    assert (
        "[inventory-report](<https://github.example/committee/inventory/actions/runs/99>)" in added
    )
    assert "*`diff-2013.md` was not produced in this run" in added


def test_ci_summary_refuses_a_file_that_is_not_a_report(
    tmp_path: Path, run: Run, inventory: Path
) -> None:
    bad = tmp_path / "other.json"
    bad.write_text('{"elements": []}', encoding="utf-8")
    result = run("ci", "summary", str(bad))
    assert result.exit_code == 2
    assert "is not a report of `ichinv validate --format json`" in result.stderr


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ('{"ok": "yes", "findings": "x"}', 'its "ok" is not what that report holds there'),
        ('{"ok": true, "findings": "x"}', 'its "findings" is not what'),
        ('{"ok": false, "findings": [1]}', 'its "findings"[0] is not what'),
        ('{"ok": false, "findings": [], "summary": {"error": "x"}}', 'its "summary" is not'),
        ('{"ok": false, "findings": [], "checked": -1}', 'its "checked" is not'),
        ('{"ok": true, "findings": [{"severity": "error", "rule": "x"}]}', 'its "ok" is not'),
        ('{"ok": false, "findings": [], "summary": {"error": -2}}', 'its "summary" is not'),
        ('{"ok": false, "findings": [], "suppressed": [{"suppression": 1}]}', '"suppressed"[0]'),
        ("[" * 100_000, "c.json nests arrays or objects too deeply to be read"),
        ('{"ok": false, "findings": [{"message": "\\udc00"}]}', "(\\uD800–\\uDFFF) that is no"),
        ('{"ok": false, "checked": NaN, "findings": []}', "c.json holds NaN or Infinity"),
        (
            '{"ok": true, "checked": 1' + "0" * 5000 + ', "findings": []}',
            "c.json holds a number too",
        ),
        ('{"ok": false, "findings": [}', "c.json:1:28: the JSON cannot be read: Expecting value"),
    ],
)
def test_ci_summary_says_what_is_wrong_with_a_report_of_another_shape(
    tmp_path: Path, run: Run, inventory: Path, document: str, said: str
) -> None:
    """Each of these was an internal error (AttributeError, RecursionError, and for the lone
    surrogate a UnicodeEncodeError when the summary was written: exit 3)."""
    bad = tmp_path / "c.json"
    bad.write_text(document, encoding="utf-8")
    result = run("ci", "summary", str(bad), "--output", "-")
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr
    assert said in result.stderr
    assert result.stdout == ""


def _in_actions(monkeypatch, summary: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))


def test_the_job_summary_never_passes_github_s_1_mib_per_step(
    tmp_path: Path, run: Run, inventory: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "step-summary.md"
    earlier = "Earlier output of this step: " + "ж" * 400_000 + "\n"  # 800 kB already
    summary.write_text(earlier, encoding="utf-8")
    _in_actions(monkeypatch, summary)
    big = tmp_path / "changes.md"
    big.write_text(
        "# Change packet\n\n"
        + "".join(f"- элемент {n}: атауы өзгерді 🐎\n" for n in range(60_000)),
        encoding="utf-8",
    )
    # A large --limit, asked for by hand, still may not make GitHub drop the summary.
    result = run("ci", "summary", str(big), "--limit", "2000000")
    assert result.exit_code == 0, result.stderr
    written = summary.read_bytes()
    assert len(written) <= github.STEP_SUMMARY_BYTES
    text = written.decode("utf-8")
    assert text.startswith(earlier + "# Inventory check")
    assert "more lines are in `changes.md` of the artifact" in text


def test_a_full_job_summary_is_a_clear_error(
    tmp_path: Path, run: Run, inventory: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "step-summary.md"
    summary.write_text("x" * (github.STEP_SUMMARY_BYTES - 100) + "\n", encoding="utf-8")
    _in_actions(monkeypatch, summary)
    result = run("ci", "summary", str(_validation_report(tmp_path, 3)))
    assert result.exit_code == 2
    assert "is full: GitHub shows at most 1,048,576 bytes per step" in result.stderr
    assert len(summary.read_bytes()) == github.STEP_SUMMARY_BYTES - 99


def test_fit_bytes_shortens_until_the_bytes_fit() -> None:
    def render(limit: int) -> str:
        return ("ж" * 10_000)[:limit]

    text = github.fit_bytes(render, 10_000, 5_001, least=100)
    assert text is not None and len(text.encode("utf-8")) <= 5_001
    assert github.fit_bytes(render, 10_000, 150, least=100) is None


def test_ci_summary_is_never_added_to_a_device_or_a_pipe(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading /dev/zero or a pipe to add to it would never end (or exhaust memory)."""
    import os

    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target in ("/dev/zero", "/dev/full", str(pipe)):
        result = run("ci", "summary", "--output", target)
        assert result.exit_code == 2, target
        assert "not an ordinary file" in result.stderr


LATIN1 = "r\udce9sum\udce9"
"""`résumé` as Latin-1 bytes, as Python hands an argument that is not UTF-8 to a command."""


def test_ci_summary_takes_report_names_and_titles_that_are_not_utf8(
    tmp_path: Path, run: Run, inventory: Path
) -> None:
    """Found in a review: a report named on a disk in another encoding, or a title typed on
    such a terminal, reached the summary as text that cannot be written: "this is a bug in
    ichinv" (exit 3). The name is shown as `\\xNN`, as `validate` shows such file names; the
    title is refused, as every text option that is not UTF-8 is."""
    report = tmp_path / "ok.json"
    report.write_text('{"ok": true, "checked": 1, "findings": []}', encoding="utf-8")
    missing = os.fsdecode(bytes(tmp_path / "gone-") + b"r\xe9sum\xe9.md")
    summary = tmp_path / "summary.md"
    result = run("ci", "summary", missing, str(report), "-o", str(summary))
    assert result.exit_code == 0, result.stderr
    assert "`gone-r\\xe9sum\\xe9.md` was not produced in this run" in summary.read_text("utf-8")
    titled = run("ci", "summary", "--title", LATIN1, str(report), "-o", str(tmp_path / "t.md"))
    assert titled.exit_code == 2, titled.stderr
    assert "the value of --title is not UTF-8 text" in titled.stderr
    assert not (tmp_path / "t.md").exists()


def test_ci_summary_counts_what_a_report_without_its_summary_lists(
    tmp_path: Path, run: Run, inventory: Path
) -> None:
    """Found by an outside review: a report with SPEC's fields only (no "summary") was shown
    as "0 errors" above the error it listed."""
    report = tmp_path / "r.json"
    finding = {"severity": "error", "rule": "schema.required", "path": "elements/a.yaml"}
    warning = {**finding, "severity": "warning"}
    report.write_text(
        json.dumps({"ok": False, "checked": 3, "findings": [finding, warning, finding]}), "utf-8"
    )
    result = run("ci", "summary", str(report), "--output", "-")
    assert result.exit_code == 0, result.stderr
    assert "3 files checked, 2 errors, 1 warning, 0 info" in result.stdout


def test_control_characters_in_file_names_and_messages_are_percent_encoded() -> None:
    """A record copied to `elements/e<ESC>[31mred.yaml` put a raw ESC into the annotation's
    file and message; now every control character is percent-encoded, as a newline is."""
    finding = Finding(
        "elements/e\x1b[31mred.yaml",
        "text.control-character",
        "e\x1b[31mred\x7f\x9b2J\tx\n100%",
        line=1,
        column=1,
    )
    text = render_validation(ValidationResult(checked=1, findings=(finding,)))
    annotation = text.splitlines()[0]
    assert annotation == (
        "::error file=elements/e%1B[31mred.yaml,line=1,col=1,title=text.control-character"
        "::e%1B[31mred%7F%9B2J%09x%0A100%25"
    ), annotation
    assert not re.search("[\x00-\x1f\x7f-\x9f]", annotation)
