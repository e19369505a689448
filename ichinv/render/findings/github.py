"""GitHub Actions workflow commands: annotations within GitHub's limits, then the summary line.

GitHub shows only the first 10 errors, 10 warnings and 10 notices of a step (ichinv.render.findings.limits):
errors get their places first. When findings are left out, every finding is still printed
as a plain line in a collapsed log group, and a last notice says how many were left out and
where the full list is. Suppressed findings are listed in a group of their own, each with
the committee's reason and the date the suppression ends.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from ichinv.core import controls
from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Finding, Severity, ValidationResult
from ichinv.render.findings import limits as github
from ichinv.render.findings.text import finding_line, summary, suppressed_line
from ichinv.schemadocs.anchors import DocLinks

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _counted(level: str, count: int) -> str:
    """`3 errors`, `1 notice`: how the left-out notice counts each level."""
    if level == "error":
        return ngettext("{count} error", "{count} errors", count).format(count=count)
    if level == "warning":
        return ngettext("{count} warning", "{count} warnings", count).format(count=count)
    return ngettext("{count} notice", "{count} notices", count).format(count=count)


GROUP_TITLE = N_("All findings")
"""Title of the log group holding every finding when some were not annotated."""

SUPPRESSED_TITLE = N_("Suppressed findings")
"""Title of the log group listing the findings that suppressions cover."""


def _data(text: str) -> str:
    """`text` as a workflow command's message: `%`, line breaks, every other control
    character, the line and paragraph separators, the bidirectional controls and the invisible
    characters (ichinv.core.controls.UNSAFE) percent-encoded by code point (`%0A`, `%1B`,
    `%85`, `%u2028`, `%u202E`, `%u200B`); GitHub decodes `%25`, `%0D` and `%0A` and shows the
    rest as written, so that no file name or message breaks its line, acts on a terminal
    reading the log, reorders what the annotation shows or looks like another."""
    return controls.UNSAFE.sub(_percent, text.replace("%", "%25"))


def _percent(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"%{point:02X}" if point <= 0xFF else f"%u{point:04X}"


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
    message = finding.message
    if finding.hint:
        message += "\n" + _("Hint: {hint}").format(hint=finding.hint)
    if docs is not None:
        message += "\n" + _("Docs: {link}").format(link=docs.finding(finding))
    return f"::{_LEVEL[finding.severity]} {','.join(props)}::{_data(message)}"


def left_out_notice(left_out: Mapping[str, int]) -> str:
    """The notice saying how many findings were not annotated, and where to read them all."""
    total = sum(left_out.values())
    parts = ", ".join(
        _counted(level, left_out[level]) for level in github.LEVEL_ORDER if left_out.get(level)
    )
    limits = github.ANNOTATIONS_PER_STEP
    message = ngettext(
        "{count} more finding ({parts}) not shown as annotations: ",
        "{count} more findings ({parts}) not shown as annotations: ",
        total,
    ).format(count=total, parts=parts) + _(
        "GitHub shows at most {errors} errors, {warnings} warnings and {notices} notices per "
        'step. The full list is in this step\'s log under "{group}", and `ichinv validate` '
        "prints it too."
    ).format(
        errors=limits["error"],
        warnings=limits["warning"],
        notices=limits["notice"],
        group=_(GROUP_TITLE),
    )
    return f"::notice title=ichinv validate::{_data(message)}"


def render_validation(result: ValidationResult, *, docs: DocLinks | None = None) -> str:
    findings = result.findings
    plan = github.plan_annotations([_LEVEL[f.severity] for f in findings])
    lines = [annotation(findings[i], docs) for i in plan.shown]
    if plan.left_out_total:
        lines += _group(f"{_(GROUP_TITLE)} ({len(findings)})", [finding_line(f) for f in findings])
        lines.append(left_out_notice(plan.left_out))
    if result.suppressed:
        lines += _group(
            f"{_(SUPPRESSED_TITLE)} ({len(result.suppressed)})",
            [suppressed_line(s) for s in result.suppressed],
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
