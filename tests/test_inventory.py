"""The repository's own inventory: it validates, and it holds what the revision project needs."""

from __future__ import annotations

import collections
from typing import Any

import pycountry

from ichinv.io import settings
from ichinv.io import strict_yaml as yamlload
from ichinv.validate import engine as validation
from tests.support.helpers import REPO_ROOT

FOCUS = {"KZ-33", "KZ-23", "KZ-63", "KZ-35", "KZ-43"}
DOMAINS = {
    "oral-traditions",
    "performing-arts",
    "social-practices",
    "knowledge-nature",
    "craftsmanship",
}


def _records(folder: str) -> dict[str, dict[str, Any]]:
    return {
        path.stem: yamlload.load(path.read_bytes())[0]
        for path in sorted((REPO_ROOT / folder).glob("*.yaml"))
    }


ELEMENTS = _records("elements")
PROVINCES = _records("provinces")


def test_the_inventory_validates_without_errors() -> None:
    result = validation.validate(settings.load(REPO_ROOT))
    assert [f for f in result.findings if f.severity.value == "error"] == []
    assert result.checked == len(ELEMENTS) + len(PROVINCES)


def test_every_current_province_matches_iso_3166_2() -> None:
    iso = {s.code for s in pycountry.subdivisions.get(country_code="KZ")}
    current = {pid for pid, p in PROVINCES.items() if "valid_until" not in p}
    assert current == iso


def test_units_of_2013_that_changed_have_successors() -> None:
    for historical in ("KZ-YUZ", "KZ-ALM", "KZ-VOS", "KZ-KAR"):
        record = PROVINCES[historical]
        assert record["valid_until"] and record["successors"], historical
        assert set(record["successors"]) <= set(PROVINCES)


def test_focus_provinces_are_data_with_targets() -> None:
    focus = {pid for pid, p in PROVINCES.items() if p.get("focus") is True}
    assert focus == FOCUS
    assert all(PROVINCES[pid]["target"] >= 10 for pid in focus)


def test_the_revision_adds_at_least_ten_elements_in_each_focus_province() -> None:
    new = {eid: e for eid, e in ELEMENTS.items() if int(eid[3:7]) >= 2025}
    assert len(new) >= 50
    per_province = collections.Counter(
        p for e in new.values() for p in e["provinces"] if p in FOCUS
    )
    assert all(per_province[p] >= 10 for p in FOCUS), per_province
    assert {d for e in new.values() for d in e["domains"]} == DOMAINS
    assert all(e["provenance"].get("illustrative") is True for e in new.values())


def test_baseline_elements_cite_their_sources() -> None:
    baseline = [e for eid, e in ELEMENTS.items() if int(eid[3:7]) <= 2024]
    assert len([e for e in baseline if e["id"].startswith("KZ-2013-")]) >= 15
    for element in baseline:
        lists = {s["list"] for s in element["provenance"]["sources"]}
        assert lists & {
            "order-50-2013",
            "order-211-2024",
            "national-list-2017",
            "ichlinks",
            "unesco",
        }, element["id"]
        assert all(
            s["url"].startswith(("https://", "http://")) for s in element["provenance"]["sources"]
        )


def test_contacts_are_visibly_fictitious() -> None:
    for element in ELEMENTS.values():
        for contact in element.get("contacts", []):
            assert contact.get("email", "x@example.org").endswith("@example.org"), element["id"]
            assert contact.get("phone", "+7 700 000 00 00") == "+7 700 000 00 00", element["id"]
            assert contact["name"].startswith("Contact Person"), element["id"]


def test_consent_appears_in_every_state_and_some_records_are_restricted() -> None:
    states = {e["consent"]["status"] for e in ELEMENTS.values()}
    assert states == {"given", "pending", "withdrawn", "not-sought"}
    assert sum(e["access"]["level"] == "restricted" for e in ELEMENTS.values()) >= 4
    assert {e["status"] for e in ELEMENTS.values()} == {"active", "retired", "merged"}


def test_settings_name_both_baselines() -> None:
    configured = settings.load(REPO_ROOT)
    assert set(configured.baselines) >= {"2013", "2024"}
    for baseline in configured.baselines.values():
        assert len(baseline.rev) == 40


def test_records_carry_the_schema_modeline() -> None:
    for folder, schema in (("elements", "element"), ("provinces", "province")):
        for path in (REPO_ROOT / folder).glob("*.yaml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path
