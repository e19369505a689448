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

from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Severity
from ichinv.render.findings import limits as github
from ichinv.render.findings.text import SEVERITY_WORDS
from ichinv.render.markdown.escape import Md, code, inline, link, name

MISSING = N_("*`{name}` was not produced in this run (see the run's log).*")

SHORTENED = N_(
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
    findings = document.get("findings") or []
    counts = document.get("summary") or {
        level: sum(1 for f in findings if f.get("severity") == level)
        for level in ("error", "warning", "info")
    }  # a report without its summary (SPEC's fields only): counted from what it lists
    suppressed = document.get("suppressed") or []
    status = _("Passed") if document.get("ok") else _("Failed")
    errors, warnings, infos = (counts.get(level, 0) for level in ("error", "warning", "info"))
    parts = [
        ngettext("{count} error", "{count} errors", errors).format(count=errors),
        ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        ngettext("{count} info", "{count} info", infos).format(count=infos),
    ]
    checked = document.get("checked", 0)
    line = _("**{status}**: {checked}, {counts}").format(
        status=status,
        checked=ngettext("{count} file checked", "{count} files checked", checked).format(
            count=checked
        ),
        counts=", ".join(parts),
    )
    if suppressed:
        line += _(", {count} suppressed").format(count=len(suppressed))
    lines = ["## " + _("Validation"), "", line + "."]
    since = document.get("new_since")
    if isinstance(since, Mapping):
        old = since.get("already_there", 0)
        lines += [
            "",
            ngettext(
                "Only problems that were not already at {rev} are listed and can fail the check "
                "({count} older one is not).",
                "Only problems that were not already at {rev} are listed and can fail the check "
                "({count} older ones are not).",
                old,
            ).format(rev=code(since.get("rev", "")), count=old),
        ]
    if findings:
        header = (_("severity"), _("where"), _("rule"), _("problem"))
        lines += ["", "| " + " | ".join(header) + " |", "| --- | --- | --- | --- |"]
        lines += [_row(f) for f in findings]
    if suppressed:
        columns = (_("where"), _("rule"), _("problem"), _("reason"), _("until"))
        lines += [
            "",
            "### " + _("Suppressed findings"),
            "",
            "| " + " | ".join(columns) + " |",
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
    return name(place)


def _problem(finding: Mapping[str, Any]) -> Md:
    text = inline(finding.get("message", ""))
    docs = finding.get("docs")
    if isinstance(docs, str) and docs.startswith(("https://", "http://")):
        text = Md(f"{text} ({link(_('docs'), docs)})")
    return text


def _row(finding: Mapping[str, Any]) -> str:
    severity = str(finding.get("severity", ""))
    word = _(SEVERITY_WORDS[Severity(severity)]) if severity in set(Severity) else severity
    return (
        f"| {inline(word)} | {_where(finding)} | "
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
            sections.append(github.Section(_(MISSING).format(name=report.name) + "\n", report.name))
        else:
            sections.append(github.Section(report.text, report.name))
    where = link(artifact, artifact_url) if artifact_url else code(artifact)
    note = _(SHORTENED).format(limit=limit, artifact=where)
    return github.fit_sections(sections, limit, note)
