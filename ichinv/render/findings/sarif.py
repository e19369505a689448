"""SARIF 2.1.0 logs, for code-scanning upload: every rule described, every finding located.

One run of one tool (`ichinv`): `tool.driver.rules` lists every rule of the catalogue and
every `schema.<keyword>` rule, each with its default level and, when the documentation's
address is known, a `helpUri` at its anchor. Each finding becomes a result with its file, line
and column, the field's JSON pointer as a logical location, a fingerprint that does not
depend on line numbers, and the link to its field's documentation. Suppressed findings are
results too, carrying a `suppressions` entry with the committee's reason and expiry.

A viewer (code scanning) shows a result's message and a suppression's reason as text, the
JSON escapes decoded: both are one line, their control characters and bidirectional controls
written as escapes (`\\n`, `\\u202e`: ichinv.render.plain.one_line), as the text format
writes them, so that a file's name quoted in a message cannot reorder what the viewer shows.
File addresses are percent-encoded (`artifact_uri`); the other values are data, kept as they
are (JSON escapes what a terminal would act on: ichinv.core.jsontext).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from ichinv.core import i18n
from ichinv.core.catalogue import CATALOGUE
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Severity, SuppressedFinding, ValidationResult
from ichinv.render.plain import dumps, one_line
from ichinv.schemadocs.anchors import DocLinks
from ichinv.schemas.explain import SCHEMA_RULES
from ichinv.validate.new_since import NewSince

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
"""The schema a SARIF 2.1.0 log names (OASIS Standard with Errata 01)."""

SOURCE_ROOT = "%SRCROOT%"
"""Base of the relative file addresses: the root of the repository (the inventory)."""

FINGERPRINT = "ichinvFinding/v1"
"""Name of the line-independent fingerprint: file, rule, field and message."""

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_catalogue() -> list[tuple[str, Severity, str]]:
    """Every rule ichinv can report: (id, default severity, what it asks), catalogue first."""
    rules = [(rule.id, rule.severity, _(rule.summary)) for rule in CATALOGUE.values()]
    rules.extend((rule_id, Severity.ERROR, _(text)) for rule_id, text in SCHEMA_RULES.items())
    return rules


def _descriptor(
    rule_id: str, severity: Severity, text: str, docs: DocLinks | None
) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {"tags": ["ichinv", rule_id.split(".", 1)[0]]},
    }
    if docs is not None:
        link = docs.rule(rule_id)
        if docs.absolute:
            descriptor["helpUri"] = link
        descriptor["help"] = {
            "text": _("{text} See {link}").format(text=text, link=link),
            "markdown": _("{text} [Read more]({link})").format(text=text, link=link),
        }
    return descriptor


def artifact_uri(path: str) -> str:
    """A path relative to the inventory's root as a SARIF `uri`: an RFC 3986 relative reference.

    Characters a URI cannot hold as they are (spaces, `%`, non-ASCII letters of a misnamed
    file) are percent-encoded as UTF-8, as SARIF viewers and code scanning decode them; a
    colon before the first slash would read as a scheme, so it is encoded too.
    """
    return quote(path, safe="/")


def fingerprint(finding: Finding) -> str:
    """A digest of what identifies a finding, whatever line it moved to."""
    key = "\0".join((finding.path, finding.rule, finding.pointer, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(
    finding: Finding,
    rule_index: int,
    docs: DocLinks | None,
    suppressed: SuppressedFinding | None = None,
) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": SOURCE_ROOT}
    }
    if finding.line is not None:
        region: dict[str, Any] = {"startLine": finding.line}
        if finding.column is not None:
            region["startColumn"] = finding.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer, "kind": "member"}]
    message = finding.message
    if finding.hint:
        message += ("" if message.endswith((".", "!", "?")) else ".") + _(" Hint: {hint}").format(
            hint=finding.hint
        )
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": one_line(message)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding)},
    }
    properties: dict[str, Any] = {"pointer": finding.pointer}
    if docs is not None:
        properties["docs"] = docs.finding(finding)
    result["properties"] = properties
    if suppressed is not None:
        suppression = suppressed.suppression
        result["suppressions"] = [
            {
                "kind": "inSource" if suppression.source == "record" else "external",
                "status": "accepted",
                "justification": one_line(suppression.reason),
                "properties": {"until": suppression.until, "source": suppression.source},
            }
        ]
    return result


def sarif_log(
    result: ValidationResult,
    *,
    docs: DocLinks | None = None,
    version: str = "",
    new_since: NewSince | None = None,
) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a validation."""
    rules = rule_catalogue()
    index = {rule_id: number for number, (rule_id, _level, _text) in enumerate(rules)}
    for finding in (*result.findings, *(s.finding for s in result.suppressed)):
        if finding.rule not in index:
            index[finding.rule] = len(rules)
            rules.append((finding.rule, finding.severity, finding.rule))
    driver: dict[str, Any] = {
        "name": "ichinv",
        "rules": [_descriptor(rule_id, severity, text, docs) for rule_id, severity, text in rules],
    }
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    if docs is not None and docs.absolute:
        driver["informationUri"] = f"{docs.base}README.md"
    properties: dict[str, Any] = {"checked": result.checked, "ok": result.ok}
    if new_since is not None:
        properties["new_since"] = new_since.as_json()
    results = [_result(f, index[f.rule], docs) for f in result.findings]
    results.extend(_result(s.finding, index[s.finding.rule], docs, s) for s in result.suppressed)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "language": i18n.current(),
                "results": results,
                "invocations": [{"executionSuccessful": True}],
                "properties": properties,
            }
        ],
    }


def render_validation(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    from ichinv import __version__

    return dumps(sarif_log(result, docs=docs, version=__version__, new_since=new_since))
