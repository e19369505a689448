"""JSON reports in the shapes SPEC.md fixes (UTF-8, stable key order)."""

from __future__ import annotations

from typing import Any

from ichinv.core.model import Finding, ValidationResult
from ichinv.render.plain import dumps
from ichinv.schemadocs.anchors import DocLinks
from ichinv.validate.new_since import NewSince


def finding_json(finding: Finding, docs: DocLinks | None = None) -> dict[str, Any]:
    document = {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "pointer": finding.pointer,
        "message": finding.message,
        "hint": finding.hint,
    }
    if docs is not None:
        document["docs"] = docs.finding(finding)
    return document


def validation_json(
    result: ValidationResult, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> dict[str, Any]:
    document = {
        "ok": result.ok,
        "checked": result.checked,
        "findings": [finding_json(f, docs) for f in result.findings],
        "summary": {severity.value: count for severity, count in result.counts().items()},
        "suppressed": [
            {
                **finding_json(s.finding, docs),
                "suppression": {
                    "reason": s.suppression.reason,
                    "until": s.suppression.until,
                    "source": s.suppression.source,
                },
            }
            for s in result.suppressed
        ],
    }
    if new_since is not None:
        document["new_since"] = new_since.as_json()
    return document


def render_validation(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    return dumps(validation_json(result, docs, new_since))
