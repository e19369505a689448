"""JSON reports in the shapes SPEC.md fixes (UTF-8, stable key order)."""

from __future__ import annotations

import json
from typing import Any

from ichinv.model import Finding, ValidationResult


def dumps(document: Any) -> str:
    """Serialise for output: UTF-8 text, no NaN, ends with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "pointer": finding.pointer,
        "message": finding.message,
        "hint": finding.hint,
    }


def validation_json(result: ValidationResult) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "checked": result.checked,
        "findings": [finding_json(f) for f in result.findings],
        "summary": {severity.value: count for severity, count in result.counts().items()},
        "suppressed": [
            {
                **finding_json(s.finding),
                "suppression": {
                    "reason": s.suppression.reason,
                    "until": s.suppression.until,
                    "source": s.suppression.source,
                },
            }
            for s in result.suppressed
        ],
    }


def render_validation(result: ValidationResult) -> str:
    return dumps(validation_json(result))
