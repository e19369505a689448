"""Plain-text reports: `PATH:LINE:COLUMN: SEVERITY [RULE] MESSAGE` lines and a summary."""

from __future__ import annotations

from ichinv.core.model import Finding, Severity, ValidationResult
from ichinv.render.plain import one_line


def finding_line(finding: Finding) -> str:
    """One finding on one line; the hint follows the message after a semicolon."""
    where = one_line(finding.path)
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    message = finding.message + (f"; hint: {finding.hint}" if finding.hint else "")
    return f"{where}: {finding.severity.value} [{finding.rule}] {one_line(message)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(result: ValidationResult) -> str:
    counts = result.counts()
    parts = [
        _plural(counts[Severity.ERROR], "error"),
        _plural(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]} info",
    ]
    line = (
        f"{'ok' if result.ok else 'failed'}: {_plural(result.checked, 'file')} checked, "
        + ", ".join(parts)
    )
    if result.suppressed:
        line += f", {len(result.suppressed)} suppressed"
    return line


def render_validation(result: ValidationResult) -> str:
    lines = [finding_line(f) for f in result.findings]
    if result.suppressed:
        lines.append("suppressed:")
        lines.extend(
            f"  {finding_line(s.finding)} (until {s.suppression.until}: {one_line(s.suppression.reason)})"
            for s in result.suppressed
        )
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
