"""The repository's own inventory: it validates, and it holds what the revision project needs."""

from __future__ import annotations

import collections
import datetime as dt
import re
import subprocess
from typing import Any

import pycountry
import pytest

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


# --- the facts of the inventory, checked against their sources (issue 15) -------------------
#
# Each table below is what a public source states (shared/reference/, the records' sources);
# a regression in the records breaks one of these tests rather than passing unnoticed.

UNESCO = {
    # element: {year: (file number, decision or None, States)}
    "KZ-2013-0001": {
        2016: ("01161", "11.COM 10.B.1", "AF AZ IN IR IQ KZ KG PK TJ TR TM UZ"),
        2024: ("02097", "19.COM 7.B.56", "AF AZ IN IR IQ KZ KG MN PK TJ TR TM UZ"),
    },
    "KZ-2013-0002": {
        2016: ("01209", None, "AE AT BE CZ FR DE HU IT KZ KR MN MA PK PT QA SA ES SY"),
    },
    "KZ-2013-0003": {2015: (None, None, "KG KZ")},
    "KZ-2013-0004": {
        2014: ("00998", "9.COM 10.24", "KZ KG"),
        2025: ("02284", "20.COM 7.B.53", "KZ KG UZ"),
    },
    "KZ-2013-0005": {2014: ("00996", "9.COM 10.23", "KZ")},
    "KZ-2013-0014": {2016: ("01085", "11.COM 10.B.20", "KZ")},
    "KZ-2013-0015": {2016: ("01181", None, "AZ IR KZ KG TR")},
    "KZ-2013-0016": {2017: ("01086", "12.COM 11.b.18", "KZ")},
    "KZ-2013-0017": {2018: ("01399", None, "AZ KZ TR")},
    "KZ-2015-0001": {2018: ("01402", "13.COM 10.b.21", "KZ")},
    "KZ-2013-0018": {2020: ("01597", "15.COM 8.B.37", "KZ KG TR")},
    "KZ-2013-0019": {2022: ("01878", "17.COM 7.b.20", "KZ")},
    "KZ-2013-0020": {2022: ("01705", "17.COM 7.B.43", "AZ KZ KG TJ TR TM UZ")},
    "KZ-2013-0021": {2024: ("01746", "19.COM 7.B.45", "KZ")},
}
ROWS_2024 = {
    "KZ-2024-0001": "I-1",
    "KZ-2013-0003": "I-2",
    "KZ-2024-0002": "I-3",
    "KZ-2024-0003": "I-4",
    "KZ-2013-0009": "I-5",
    "KZ-2024-0004": "I-6",
    "KZ-2024-0005": "I-7",
    "KZ-2013-0005": "I-8",
    "KZ-2024-0006": "I-10",
    "KZ-2024-0007": "I-14",
}
ROWS_2017 = {f"KZ-2013-{n:04d}": str(n) for n in range(1, 10)}
ROWS_2013 = {"KZ-2013-0016": "34"}
ORDERS = {
    "order-50-2013": ("Order No. 50 of 1 March 2013", "2013-03-01"),
    "order-211-2024": ("Order No. 211-нқ of 28 May 2024", "2024-05-28"),
}
COUNTS = {
    # README "The inventory data" states these figures.
    "2013 present": 21,
    "2013 matched to a row": 1,
    "2013 entered inferred": 12,
    "2013 entered uncertain": 8,
    "2024 present": 29,
    "2024 matched to a row": 10,
    "2024 presence inferred": 15,
    "2024 presence uncertain": 4,
}
CERTAINTY = {
    # README "The inventory data", "Certainty, in figures": the 29 official records.
    "entered": {"confirmed": 1, "inferred": 20, "uncertain": 8},
    "national_category": {"confirmed": 10, "inferred": 14, None: 5},
    "domains": {"confirmed": 7, "inferred": 22},
    "names": {"inferred": 19, "uncertain": 10},
    "provinces": {"uncertain": 22, None: 7},
}
NAMES_RENDERED = {
    # Kazakh and Russian names that are the inventory team's renderings of an English row name
    # (KZ-2013-0012: of the subject of an ichLinks record whose title was not recovered).
    "KZ-2013-0004",
    "KZ-2013-0006",
    "KZ-2013-0012",
    *(f"KZ-2024-{n:04d}" for n in range(1, 8)),
}
SESSION = re.compile(r"\b([1-9][0-9]?)\.COM\b")
"""A decision of the Intergovernmental Committee: session N met at the end of year 2005 + N."""


def _sources(element: dict[str, Any], list_name: str) -> list[dict[str, Any]]:
    return [s for s in element["provenance"]["sources"] if s["list"] == list_name]


def _certainty(element: dict[str, Any], fact: str, list_name: str = "") -> str | None:
    for entry in element["provenance"].get("confidence", []):
        if entry["fact"] == fact and entry.get("list", "") == list_name:
            return str(entry["status"])
    return None


def test_unesco_inscriptions_keep_their_files_years_decisions_and_states() -> None:
    found = {
        eid: {u["year"]: u for u in e.get("unesco", [])}
        for eid, e in ELEMENTS.items()
        if "unesco" in e
    }
    assert set(found) == set(UNESCO)
    for eid, expected in UNESCO.items():
        assert set(found[eid]) == set(expected), eid
        for year, (number, decision, states) in expected.items():
            listing = found[eid][year]
            assert listing.get("number") == number, (eid, year)
            assert listing.get("decision") == decision, (eid, year)
            assert set(listing["states"]) == set(states.split()), (eid, year)
            if decision:
                assert 2005 + int(decision.split(".")[0]) == year, (eid, decision)
    # Kazakhstan's 14 elements on the Representative List as of December 2024 (orda.news).
    assert sum(any(y <= 2024 for y in years) for years in UNESCO.values()) == 14


def test_an_inscribed_element_entered_the_inventory_before_its_inscription() -> None:
    """Criterion R.5: only an element already in a national inventory can be nominated."""
    for eid in UNESCO:
        entered = dt.date.fromisoformat(str(ELEMENTS[eid]["provenance"]["entered"]))
        assert entered.year < min(UNESCO[eid]), eid
        assert int(eid[3:7]) == entered.year, eid


def test_the_rows_matched_to_the_official_lists() -> None:
    for eid, row in ROWS_2024.items():
        element = ELEMENTS[eid]
        assert element["provenance"]["national_index"] == row, eid
        assert [s.get("row") for s in _sources(element, "order-211-2024")] == [row], eid
        assert _certainty(element, "row", "order-211-2024") == "confirmed", eid
    indexed = {eid for eid, e in ELEMENTS.items() if "national_index" in e["provenance"]}
    assert indexed == set(ROWS_2024)
    for eid, row in ROWS_2017.items():
        assert [s.get("row") for s in _sources(ELEMENTS[eid], "national-list-2017")] == [row]
    with_2013_row = {
        eid: s["row"]
        for eid, e in ELEMENTS.items()
        for s in _sources(e, "order-50-2013")
        if "row" in s
    }
    assert with_2013_row == ROWS_2013
    assert "knowledge-nature" in ELEMENTS["KZ-2013-0016"]["domains"]
    assert ELEMENTS["KZ-2013-0009"]["sub_items"][0]["name"] == "Khissa history of Kyz Zhibek"


def test_the_orders_are_cited_with_their_numbers_and_dates() -> None:
    for element in ELEMENTS.values():
        for list_name, (order, _day) in ORDERS.items():
            for source in _sources(element, list_name):
                assert source["order"] == order, element["id"]
        if _sources(element, "order-50-2013"):
            assert element["provenance"]["entered"] == ORDERS["order-50-2013"][1], element["id"]
    labels = {name: b.label for name, b in settings.load(REPO_ROOT).baselines.items()}
    assert "Order No. 50 of 1 March 2013" in labels["2013"]
    assert "Order No. 211-нқ of 28 May 2024" in labels["2024"]


def test_every_fact_of_an_official_listing_says_how_certain_it_is() -> None:
    official = [e for eid, e in ELEMENTS.items() if int(eid[3:7]) <= 2024]
    assert len(official) == 29
    for element in official:
        assert _certainty(element, "entered") in {"confirmed", "inferred", "uncertain"}, element[
            "id"
        ]
        if element.get("national_category"):
            assert _certainty(element, "national_category"), element["id"]
        assert _certainty(element, "names"), element["id"]
    assert _certainty(ELEMENTS["KZ-2024-0003"], "names") == "uncertain"
    assert _certainty(ELEMENTS["KZ-2013-0016"], "entered") == "confirmed"


def test_the_counts_the_readme_states() -> None:
    listed_2013 = [e for e in ELEMENTS.values() if _sources(e, "order-50-2013")]
    listed_2024 = [e for e in ELEMENTS.values() if _sources(e, "order-211-2024")]
    found = {
        "2013 present": len(listed_2013),
        "2013 matched to a row": sum(
            "row" in s for e in listed_2013 for s in _sources(e, "order-50-2013")
        ),
        "2013 entered inferred": sum(_certainty(e, "entered") == "inferred" for e in listed_2013),
        "2013 entered uncertain": sum(_certainty(e, "entered") == "uncertain" for e in listed_2013),
        "2024 present": len(listed_2024),
        "2024 matched to a row": sum("national_index" in e["provenance"] for e in listed_2024),
        "2024 presence inferred": sum(
            _certainty(e, "listed", "order-211-2024") == "inferred" for e in listed_2024
        ),
        "2024 presence uncertain": sum(
            _certainty(e, "listed", "order-211-2024") == "uncertain" for e in listed_2024
        ),
    }
    assert found == COUNTS


def test_proposed_elements_say_they_are_not_yet_listed() -> None:
    """README, "The dating rule": a proposal's date of entry is the day it was proposed, and its
    certainty entries say that no order has listed it or placed it in a category."""
    proposed = [e for eid, e in ELEMENTS.items() if int(eid[3:7]) >= 2025]
    assert len(proposed) >= 50
    for element in proposed:
        assert not {s["list"] for s in element["provenance"]["sources"]} & set(ORDERS), element[
            "id"
        ]
        assert _certainty(element, "entered") == "uncertain", element["id"]
        assert _certainty(element, "national_category") == "uncertain", element["id"]
        assert _certainty(element, "domains") == "inferred", element["id"]


def test_the_certainty_figures_the_readme_states() -> None:
    official = [e for eid, e in ELEMENTS.items() if int(eid[3:7]) <= 2024]
    found = {
        fact: dict(collections.Counter(_certainty(e, fact) for e in official)) for fact in CERTAINTY
    }
    assert found == CERTAINTY
    rendered = {e["id"] for e in official if _certainty(e, "names") == "uncertain"}
    assert rendered == NAMES_RENDERED


def test_focus_provinces_cite_the_news_that_names_them() -> None:
    for pid in FOCUS:
        province = PROVINCES[pid]
        assert any("inform.kz" in s for s in province["sources"]), pid
        assert any("baigenews.kz" in s for s in province["sources"]), pid
        assert "own split" in province["notes"], pid


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, check=False
    )


def test_no_baseline_commit_states_a_unesco_decision_or_inscription_after_its_date() -> None:
    """A baseline holds the list as its order left it: what it cites as a UNESCO decision or
    inscription was taken before the order (README, "The baselines, and how they were
    rebuilt")."""
    if _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("the repository's git history is not here (an export without .git)")
    checked = 0
    for name, baseline in settings.load(REPO_ROOT).baselines.items():
        if _git("cat-file", "-e", f"{baseline.rev}^{{commit}}").returncode != 0:
            shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
            pytest.skip(
                f"baseline {name} ({baseline.rev[:12]}) is not in this clone"
                + (" (a shallow clone: git fetch --unshallow)" if shallow else "")
            )
        day = dt.date.fromisoformat(_git("log", "-1", "--format=%as", baseline.rev).stdout.strip())
        listing = _git("ls-tree", "-r", "--name-only", baseline.rev, "--", "elements/").stdout
        for path in listing.split():
            text = _git("show", f"{baseline.rev}:{path}").stdout
            for match in SESSION.finditer(text):
                assert 2005 + int(match.group(1)) < day.year, (name, path, match.group(0))
            data = yamlload.load(text.encode())[0]
            for listing_ in data.get("unesco", []):
                assert listing_["year"] < day.year, (name, path, listing_["year"])
            checked += 1
    assert checked >= 21 + 29
