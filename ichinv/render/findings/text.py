"""Plain-text reports: `PATH:LINE:COLUMN: SEVERITY [RULE] MESSAGE` lines and a summary."""

from __future__ import annotations

from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Finding, Severity, SuppressedFinding, ValidationResult
from ichinv.render.plain import one_line


def finding_line(finding: Finding) -> str:
    """One finding on one line; the hint follows the message after a semicolon."""
    where = one_line(finding.path)
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    message = (
        _("{message}; hint: {hint}").format(message=finding.message, hint=finding.hint)
        if finding.hint
        else finding.message
    )
    return f"{where}: {severity_word(finding.severity)} [{finding.rule}] {one_line(message)}"


SEVERITY_WORDS = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}
"""How a finding line names its severity (the JSON keeps the English value)."""


def severity_word(severity: Severity) -> str:
    return _(SEVERITY_WORDS[severity])


def summary(result: ValidationResult) -> str:
    counts = result.counts()
    parts = [
        ngettext("{count} error", "{count} errors", counts[Severity.ERROR]).format(
            count=counts[Severity.ERROR]
        ),
        ngettext("{count} warning", "{count} warnings", counts[Severity.WARNING]).format(
            count=counts[Severity.WARNING]
        ),
        ngettext("{count} info", "{count} info", counts[Severity.INFO]).format(
            count=counts[Severity.INFO]
        ),
    ]
    checked = ngettext("{count} file checked", "{count} files checked", result.checked).format(
        count=result.checked
    )
    line = (_("ok: {checked}, {counts}") if result.ok else _("failed: {checked}, {counts}")).format(
        checked=checked, counts=", ".join(parts)
    )
    if result.suppressed:
        line += _(", {count} suppressed").format(count=len(result.suppressed))
    return line


def suppressed_line(suppressed: SuppressedFinding) -> str:
    """A suppressed finding, with the end and the reason of its suppression."""
    return _("{finding} (until {until}: {reason})").format(
        finding=finding_line(suppressed.finding),
        until=suppressed.suppression.until,
        reason=one_line(suppressed.suppression.reason),
    )


def render_validation(result: ValidationResult) -> str:
    lines = [finding_line(f) for f in result.findings]
    if result.suppressed:
        lines.append(_("suppressed:"))
        lines.extend(f"  {suppressed_line(s)}" for s in result.suppressed)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
