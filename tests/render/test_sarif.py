"""`ichinv validate --format sarif`: SARIF 2.1.0 that validates against the official schema.

tests/data/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema (OASIS Standard incl.
Errata 01, `$id` https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/
sarif-schema-2.1.0.json), copied unchanged from oasis-tcs/sarif-spec, Schemata/
sarif-schema-2.1.0.json at commit 0a8091f7d4057e57b6d8d9b56129e5f918747b34 (112,768
characters, sha256 ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker

from ichinv.core.catalogue import CATALOGUE
from ichinv.schemas.explain import SCHEMA_RULES
from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]
SCHEMA_FILE = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "ddddcccbf95c7c50c037b5b07eff4140556278ca574ff374db46786b5fce7949"


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the vendored schema was changed"
    schema = json.loads(raw)
    Draft4Validator.check_schema(schema)
    return dict(schema)


# jsonschema checks the formats `uri` and `uri-reference` only with an optional package
# installed; without one it accepts any string. The schema's addresses are checked here.
_URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*(?:#.*)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
FORMATS = FormatChecker()


@FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    """RFC 3986: only URI characters, and a relative reference has no colon before a slash."""
    if not isinstance(value, str):
        return True
    if not _URI_CHARACTERS.fullmatch(value.split("#", 1)[0]):
        return False
    return bool(_SCHEME.match(value)) or ":" not in re.split(r"[/?#]", value, maxsplit=1)[0]


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (bool(_SCHEME.match(value)) and _is_uri_reference(value))


def test_the_format_checks_reject_what_is_no_uri() -> None:
    assert _is_uri_reference("elements/KZ-2013-0002.yaml")
    assert _is_uri_reference("elements/KZ%20x.yaml") and _is_uri("https://a.example/b#c.d")
    assert not _is_uri_reference("elements/KZ x.yaml")
    assert not _is_uri_reference("elements/100%.yaml")
    assert not _is_uri_reference("elements/Айтыс.yaml")
    assert not _is_uri("elements/KZ-2013-0002.yaml")


def assert_valid(log: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = Draft4Validator(schema, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def _break(root: Path) -> None:
    path = root / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("oral-traditions, ", "oral-tradition, "), encoding="utf-8")


def _suppress_in_settings(root: Path) -> None:
    (root / "pyproject.toml").write_text(
        '[tool.ichinv]\n\n[[tool.ichinv.suppress]]\nrule = "schema.enum"\n'
        'path = "elements/KZ-2013-0002.yaml"\nreason = "Domain under review by the committee"\n'
        'until = "2027-01-31"\n',
        encoding="utf-8",
    )


def test_a_clean_inventory_gives_a_valid_log_without_results(
    inventory: Path, run: Run, sarif_schema: dict[str, Any]
) -> None:
    result = run("validate", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert_valid(log, sarif_schema)
    assert log["version"] == "2.1.0"
    [run_] = log["runs"]
    assert run_["results"] == []
    assert run_["tool"]["driver"]["name"] == "ichinv"


def test_every_rule_is_described(inventory: Path, run: Run, sarif_schema: dict[str, Any]) -> None:
    log = json.loads(run("validate", "--format", "sarif").stdout)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(CATALOGUE) <= set(rules)
    assert set(SCHEMA_RULES) <= set(rules)
    assert all(r.startswith("schema.") for r in set(rules) - set(CATALOGUE))
    assert rules["id.year"]["defaultConfiguration"]["level"] == "warning"
    assert rules["category.missing"]["defaultConfiguration"]["level"] == "note"
    assert rules["id.unique"]["shortDescription"]["text"] == CATALOGUE["id.unique"].summary


def test_a_finding_is_located_and_fails(
    inventory: Path, run: Run, sarif_schema: dict[str, Any]
) -> None:
    _break(inventory)
    result = run("validate", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_valid(log, sarif_schema)
    [finding] = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"] == "schema.enum"
    assert finding["level"] == "error"
    location = finding["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "elements/KZ-2013-0002.yaml"
    assert location["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 11}
    assert location["logicalLocations"] == [{"fullyQualifiedName": "/domains/0", "kind": "member"}]
    assert 'did you mean "oral-traditions"' in finding["message"]["text"]
    assert "suppressions" not in finding


def test_a_suppressed_finding_carries_its_reason(
    inventory: Path, run: Run, sarif_schema: dict[str, Any]
) -> None:
    _break(inventory)
    _suppress_in_settings(inventory)
    result = run("validate", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert_valid(log, sarif_schema)
    [finding] = log["runs"][0]["results"]
    assert finding["ruleId"] == "schema.enum"
    assert finding["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Domain under review by the committee",
            "properties": {"until": "2027-01-31", "source": "settings"},
        }
    ]


def test_an_expired_suppression_fails(
    inventory: Path, run: Run, sarif_schema: dict[str, Any]
) -> None:
    _break(inventory)
    _suppress_in_settings(inventory)
    text = (inventory / "pyproject.toml").read_text(encoding="utf-8")
    (inventory / "pyproject.toml").write_text(
        text.replace("2027-01-31", "2026-01-31"), encoding="utf-8"
    )
    result = run("validate", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_valid(log, sarif_schema)
    rules = sorted(r["ruleId"] for r in log["runs"][0]["results"] if "suppressions" not in r)
    assert rules == ["schema.enum", "suppression.expired"]


def test_a_misnamed_file_is_addressed_by_a_valid_uri(
    inventory: Path, run: Run, sarif_schema: dict[str, Any]
) -> None:
    source = inventory / "elements" / "KZ-2013-0002.yaml"
    name = "Айтыс 100%.yaml"  # a file named by hand, not by its id
    source.rename(source.with_name(name))
    result = run("validate", "--format", "sarif")
    assert result.exit_code == 1, result.stdout
    log = json.loads(result.stdout)
    assert_valid(log, sarif_schema)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert "elements/%D0%90%D0%B9%D1%82%D1%8B%D1%81%20100%25.yaml" in uris
    assert {unquote(uri) for uri in uris} >= {f"elements/{name}"}


def test_the_fingerprint_does_not_depend_on_lines(inventory: Path, run: Run) -> None:
    _break(inventory)
    before = json.loads(run("validate", "--format", "sarif").stdout)["runs"][0]["results"][0]
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text(
        "# a comment that moves every line\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    after = json.loads(run("validate", "--format", "sarif").stdout)["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_rules_and_findings_link_to_the_docs(
    inventory: Path, run: Run, sarif_schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO_ROOT / "docs", inventory / "docs")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "committee/inventory")
    monkeypatch.setenv("GITHUB_SHA", "a" * 40)
    _break(inventory)
    log = json.loads(run("validate", "--format", "sarif").stdout)
    assert_valid(log, sarif_schema)
    base = f"https://github.example/committee/inventory/blob/{'a' * 40}/"
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for rule in rules.values():
        address = urlsplit(rule["helpUri"])
        assert address.scheme == "https" and rule["helpUri"].startswith(base)
        page, anchor = rule["helpUri"].removeprefix(base).split("#")
        assert page == "docs/en/rules.md"
        assert f'<a id="{anchor}"></a>' in (inventory / page).read_text(encoding="utf-8")
    [finding] = log["runs"][0]["results"]
    assert finding["properties"]["docs"] == f"{base}docs/en/element.md#domains.item"
    assert '<a id="domains.item"></a>' in (inventory / "docs/en/element.md").read_text(
        encoding="utf-8"
    )
