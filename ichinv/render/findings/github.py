"""GitHub Actions workflow commands: annotations within GitHub's limits, then the summary line.

GitHub shows only the first 10 errors, 10 warnings and 10 notices of a step (ichinv.render.findings.limits):
errors get their places first. When findings are left out, every finding is still printed
as a plain line in a collapsed log group, and a last notice says how many were left out and
where the full list is. Suppressed findings are listed in a group of their own, each with
the committee's reason and the date the suppression ends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from ichinv.core.model import Finding, Severity, ValidationResult
from ichinv.render.findings import limits as github
from ichinv.render.findings.text import finding_line, summary
from ichinv.render.plain import one_line
from ichinv.schemadocs.anchors import DocLinks

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

GROUP_TITLE = "All findings"
"""Title of the log group holding every finding when some were not annotated."""

SUPPRESSED_TITLE = "Suppressed findings"
"""Title of the log group listing the findings that suppressions cover."""


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, docs: DocLinks | None = None) -> str:
    """`::error file=…,line=…,col=…,title=RULE::MESSAGE` (hint and docs link on further lines)."""
    props = [f"file={_property(finding.path)}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    props.append(f"title={_property(finding.rule)}")
    message = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    if docs is not None:
        message += f"\nDocs: {docs.finding(finding)}"
    return f"::{_LEVEL[finding.severity]} {','.join(props)}::{_data(message)}"


def left_out_notice(left_out: Mapping[str, int]) -> str:
    """The notice saying how many findings were not annotated, and where to read them all."""
    total = sum(left_out.values())
    parts = ", ".join(
        f"{left_out[level]} {level}{'' if left_out[level] == 1 else 's'}"
        for level in github.LEVEL_ORDER
        if left_out.get(level)
    )
    limits = github.ANNOTATIONS_PER_STEP
    message = (
        f"{total} more finding{'' if total == 1 else 's'} ({parts}) not shown as annotations: "
        f"GitHub shows at most {limits['error']} errors, {limits['warning']} warnings and "
        f"{limits['notice']} notices per step. The full list is in this step's log under "
        f'"{GROUP_TITLE}", and `ichinv validate` prints it too.'
    )
    return f"::notice title=ichinv validate::{_data(message)}"


def render_validation(result: ValidationResult, *, docs: DocLinks | None = None) -> str:
    findings = result.findings
    plan = github.plan_annotations([_LEVEL[f.severity] for f in findings])
    lines = [annotation(findings[i], docs) for i in plan.shown]
    if plan.left_out_total:
        lines += _group(f"{GROUP_TITLE} ({len(findings)})", [finding_line(f) for f in findings])
        lines.append(left_out_notice(plan.left_out))
    if result.suppressed:
        lines += _group(
            f"{SUPPRESSED_TITLE} ({len(result.suppressed)})",
            [
                f"{finding_line(s.finding)} (until {s.suppression.until}: "
                f"{one_line(s.suppression.reason)})"
                for s in result.suppressed
            ],
        )
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def _group(title: str, listing: list[str]) -> list[str]:
    """A collapsed log group of plain lines, in which GitHub runs no workflow command.

    Record text must not be taken for workflow commands: they are stopped while it is printed,
    and the token that resumes them is derived from the listing, so no record can end the pause.
    """
    token = hashlib.sha256("\n".join(listing).encode("utf-8", "backslashreplace")).hexdigest()[:32]
    return [
        f"::group::{title}",
        f"::stop-commands::{token}",
        *listing,
        f"::{token}::",
        "::endgroup::",
    ]
