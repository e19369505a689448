"""The job summary of a CI run: the reports of the run in one Markdown page within GitHub's limit.

Each report becomes a section: a Markdown report (the diff, the change packet) as it is, a JSON
report of `ichinv validate` as a table of its findings and of its suppressed findings. When
the page would exceed the limit, every section is shortened to a fair share and ends with a
pointer to the full report in the run's artifact (see ichinv.render.findings.limits).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ichinv.render.findings import limits as github
from ichinv.render.markdown.escape import Md, code, inline, link

MISSING = "*`{name}` was not produced in this run (see the run's log).*"

SHORTENED = (
    "*… shortened to stay within GitHub's {limit:,}-character limit: {{lines}} more lines are "
    "in `{{source}}` of the artifact {artifact}.*"
)


@dataclass(frozen=True, slots=True)
class Report:
    """One report of the run: its file name (in the artifact) and its text (None if missing)."""

    name: str
    text: str | None


def findings_section(document: Mapping[str, Any]) -> str:
    """A validation report (`ichinv validate --format json`) as Markdown."""
    counts = document.get("summary") or {}
    suppressed = document.get("suppressed") or []
    status = "Passed" if document.get("ok") else "Failed"
    parts = [
        f"{counts.get(level, 0)} {label}{'' if counts.get(level, 0) == 1 else 's'}"
        for level, label in (("error", "error"), ("warning", "warning"))
    ] + [f"{counts.get('info', 0)} info"]
    lines = [
        "## Validation",
        "",
        f"**{status}**: {document.get('checked', 0)} files checked, {', '.join(parts)}"
        + (f", {len(suppressed)} suppressed." if suppressed else "."),
    ]
    since = document.get("new_since")
    if isinstance(since, Mapping):
        old = since.get("already_there", 0)
        lines += [
            "",
            f"Only problems that were not already at {code(since.get('rev', ''))} are listed "
            f"and can fail the check ({old} older {'one is' if old == 1 else 'ones are'} not).",
        ]
    findings = document.get("findings") or []
    if findings:
        lines += ["", "| severity | where | rule | problem |", "| --- | --- | --- | --- |"]
        lines += [_row(f) for f in findings]
    if suppressed:
        lines += [
            "",
            "### Suppressed findings",
            "",
            "| where | rule | problem | reason | until |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [_suppressed_row(s) for s in suppressed]
    return "\n".join(lines) + "\n"


def _where(finding: Mapping[str, Any]) -> Md:
    place = str(finding.get("path", ""))
    if finding.get("line") is not None:
        place += f":{finding['line']}"
        if finding.get("column") is not None:
            place += f":{finding['column']}"
    return code(place)


def _problem(finding: Mapping[str, Any]) -> Md:
    text = inline(finding.get("message", ""))
    docs = finding.get("docs")
    if isinstance(docs, str) and docs.startswith(("https://", "http://")):
        text = Md(f"{text} ({link('docs', docs)})")
    return text


def _row(finding: Mapping[str, Any]) -> str:
    return (
        f"| {inline(finding.get('severity', ''))} | {_where(finding)} | "
        f"{code(finding.get('rule', ''))} | {_problem(finding)} |"
    )


def _suppressed_row(item: Mapping[str, Any]) -> str:
    suppression = item.get("suppression") or {}
    return (
        f"| {_where(item)} | {code(item.get('rule', ''))} | {_problem(item)} | "
        f"{inline(suppression.get('reason', ''))} | {code(suppression.get('until', ''))} |"
    )


def render(
    reports: Sequence[Report],
    *,
    title: str,
    artifact: str,
    artifact_url: str | None = None,
    limit: int = github.SUMMARY_LIMIT,
) -> str:
    """The summary page: a title, then one section per report, within `limit` characters."""
    sections = [github.Section(f"# {inline(title)}\n", "")]
    for report in reports:
        if report.text is None:
            sections.append(github.Section(MISSING.format(name=report.name) + "\n", report.name))
        else:
            sections.append(github.Section(report.text, report.name))
    where = link(artifact, artifact_url) if artifact_url else code(artifact)
    note = SHORTENED.format(limit=limit, artifact=where)
    return github.fit_sections(sections, limit, note)
