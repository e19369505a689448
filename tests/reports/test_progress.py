"""`ichinv progress`: new elements of the focus provinces against their targets."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.inventory import view as query
from ichinv.io import settings
from ichinv.render.terminal import console as terminal
from ichinv.reports import progress
from tests.support import reading_data as d
from tests.support.helpers import Result, build_file_tree

Run = Callable[..., Result]

FOCUS_43 = """id: KZ-43
names:
  kk: Қызылорда облысы
  ru: Кызылординская область
  en: Kyzylorda Region
kind: region
focus: true
target: 4
"""


@pytest.fixture
def inv(inventory: Path) -> Path:
    build_file_tree(inventory, {"provinces/KZ-43.yaml": FOCUS_43})
    d.write(
        inventory,
        d.element("KZ-2026-0001"),  # Atyrau, craftsmanship, given
        d.element(
            "KZ-2026-0002",
            provinces=["KZ-23", "KZ-43"],
            domains=["oral-traditions", "performing-arts"],
            consent={"status": "pending"},
            access={"level": "restricted", "reason": "Pending consent."},
        ),
        d.element(
            "KZ-2026-0003",
            provinces=["KZ-43"],
            status="retired",
            status_change={"reason": "Withdrawn by the community."},
        ),
        # Entered on the day of the 2024 list: not new.
        d.element(
            "KZ-2024-0001",
            provenance={"entered": "2024-05-28", "sources": [{"list": "order-211-2024"}]},
        ),
    )
    return inventory


def test_compute_counts_new_active_elements_per_focus_province(inv: Path) -> None:
    result = progress.compute(query.load(settings.load()), dt.date(2024, 5, 28))
    by_id = {p.id: p for p in result.provinces}
    assert list(by_id) == ["KZ-23", "KZ-43"]
    atyrau, kyzylorda = by_id["KZ-23"], by_id["KZ-43"]
    assert [e.id for e in atyrau.elements] == ["KZ-2026-0001", "KZ-2026-0002"]
    assert (atyrau.new, atyrau.target, atyrau.percent) == (2, 10, 20)
    assert [e.id for e in kyzylorda.elements] == ["KZ-2026-0002"]
    assert kyzylorda.not_counted == ("KZ-2026-0003",)
    assert (kyzylorda.new, kyzylorda.target, kyzylorda.percent) == (1, 4, 25)
    assert atyrau.by_domain == {
        "oral-traditions": 1,
        "performing-arts": 1,
        "social-practices": 0,
        "knowledge-nature": 0,
        "craftsmanship": 1,
    }
    # KZ-2026-0002's consent is pending, which its public view withholds (as `list` shows it).
    assert atyrau.by_consent == {
        "given": 1,
        "pending": 0,
        "withdrawn": 0,
        "not-sought": 0,
        "withheld": 1,
    }
    # The total counts an element of two provinces once, against the sum of targets.
    assert (result.total.new, result.total.target, result.total.percent) == (2, 14, 14)


def test_since_moves_the_cut_off(inv: Path) -> None:
    result = progress.compute(query.load(settings.load()), dt.date(2020, 1, 1))
    assert result.total.new == 3  # the 2024 element is new since 2020


def test_an_element_without_entry_date_uses_its_id_year(inv: Path) -> None:
    d.write(inv, d.element("KZ-2027-0001", provenance={"sources": [{"list": "other"}]}))
    result = progress.compute(query.load(settings.load()), dt.date(2026, 12, 31))
    assert [e.id for e in result.total.elements] == ["KZ-2027-0001"]


def test_text_shows_bars(run: Run, inv: Path) -> None:
    result = run("progress")
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "KZ-23" in line and "Atyrau" in line)
    assert "████░░░░░░░░░░░░░░░░" in line
    assert line.split()[-3:] == ["2", "10", "20%"]
    assert "Not counted (new, but since retired or merged): KZ-2026-0003" in result.stdout


def test_markdown_table(run: Run, inv: Path) -> None:
    result = run("progress", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "| KZ-23 Atyrau Region | 2 | 10 | `██░░░░░░░░` 20% |" in result.stdout
    assert "| KZ-43 Kyzylorda Region | 1 | 4 | `██░░░░░░░░` 25% |" in result.stdout
    assert "| **All focus provinces** | 2 | 14 | `█░░░░░░░░░` 14% |" in result.stdout
    # Counts by domain and by consent: one row per value, one column per focus province.
    assert "| Domain | KZ-23 | KZ-43 | total |" in result.stdout
    assert "| craftsmanship | 1 | 0 | 1 |" in result.stdout  # no domain names without i18n
    assert "| withheld | 1 | 1 | 1 |" in result.stdout
    assert "| pending | 0 | 0 | 0 |" in result.stdout


def test_json(run: Run, inv: Path) -> None:
    document = json.loads(run("progress", "-f", "json").stdout)
    assert document["since"] == "2024-05-28"
    assert [p["id"] for p in document["provinces"]] == ["KZ-23", "KZ-43"]
    assert document["provinces"][1]["elements"][0] == {
        "id": "KZ-2026-0002",
        "name": "Test element",
        "entered": "withheld",
        "domains": ["oral-traditions", "performing-arts"],
        "consent": "withheld",
    }
    assert document["total"]["new"] == 2 and document["total"]["target"] == 14


def test_consent_is_counted_and_named_as_the_public_list_shows_it(run: Run, inv: Path) -> None:
    """An outside test: progress listed consents `pending` and `withdrawn` that `list` shows as
    `withheld`, and counted `not-sought: 1` in a province whose only element without given
    consent it listed as `withheld` (the count told what the list withheld)."""
    d.write(
        inv,
        d.element(
            "KZ-2026-0004",
            provinces=["KZ-43"],
            consent={"status": "not-sought"},
            access={"level": "restricted", "reason": "Not yet asked."},
        ),
        d.element(
            "KZ-2026-0005",
            provinces=["KZ-43"],
            consent={"status": "withdrawn"},
            access={"level": "restricted", "reason": "Withdrawn."},
        ),
        d.element(  # given, but its consent is a restricted part
            "KZ-2026-0006",
            provinces=["KZ-43"],
            access={"level": "restricted", "restricted_parts": ["/consent"], "reason": "x"},
        ),
    )
    listed = {
        e["id"]: e["consent"] for e in json.loads(run("list", "-f", "json").stdout)["elements"]
    }
    document = json.loads(run("progress", "-f", "json").stdout)
    for line in (*document["provinces"], document["total"]):
        shown = {e["id"]: e["consent"] for e in line["elements"]}
        assert shown == {eid: listed[eid] for eid in shown}
        tally = dict.fromkeys(("given", "pending", "withdrawn", "not-sought"), 0)
        for consent in shown.values():
            tally[consent] = tally.get(consent, 0) + 1
        assert line["by_consent"] == tally
    kyzylorda = document["provinces"][1]
    assert kyzylorda["by_consent"] == {
        "given": 0,
        "pending": 0,
        "withdrawn": 0,
        "not-sought": 0,
        "withheld": 4,
    }
    markdown = run("progress", "--format", "markdown").stdout
    assert "| not-sought | 0 | 0 | 0 |" in markdown
    assert "| withdrawn | 0 | 0 | 0 |" in markdown
    assert "| withheld | 1 | 4 | 4 |" in markdown


def test_a_withheld_entry_day_cannot_be_told_by_trying_since_days(run: Run, inv: Path) -> None:
    """A second outside attack: KZ-2026-0002 (consent pending) is listed with its entry day
    `withheld`, but whether `--since` counted it went by that day, so trying days told it.
    It is counted by the day the public view shows, the year of its id."""
    d.write(
        inv,
        d.element(
            "KZ-2026-0002",
            provinces=["KZ-23", "KZ-43"],
            consent={"status": "pending"},
            access={"level": "restricted", "reason": "Pending consent."},
            provenance={"entered": "2026-03-12", "sources": [{"list": "order-211-2024"}]},
        ),
    )
    counted = []
    for since in ("2026-03-11", "2026-03-12"):
        document = json.loads(run("progress", "-f", "json", "--since", since).stdout)
        counted.append("KZ-2026-0002" in {e["id"] for e in document["total"]["elements"]})
    assert counted[0] == counted[1]
    document = json.loads(run("progress", "-f", "json", "--since", "2025-12-31").stdout)
    assert "KZ-2026-0002" in {e["id"] for e in document["total"]["elements"]}


@pytest.mark.parametrize("since", ["28.05.2024", ""])
def test_bad_since_is_exit_2(run: Run, inv: Path, since: str) -> None:
    result = run("progress", "--since", since)
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_a_since_in_the_future_is_exit_2(
    run: Run, inv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside test: `--since 2099-01-01` was accepted, and every province showed 0 new."""
    monkeypatch.setenv("ICHINV_TODAY", "2026-12-06")
    result = run("progress", "--since", "2099-01-01")
    assert result.exit_code == 2
    assert "--since 2099-01-01 is in the future" in result.stderr
    assert "give a day up to 2026-12-06" in result.stderr
    assert run("progress", "--since", "2026-12-06").exit_code == 0


def test_progress_on_the_repository_inventory(run: Run, repo_copy: Path) -> None:
    document = json.loads(run("progress", "-f", "json").stdout)
    assert len(document["provinces"]) == 5
    assert all(p["target"] for p in document["provinces"])
    assert document["total"]["new"] == len(
        {e["id"] for p in document["provinces"] for e in p["elements"]}
    )


@given(st.integers(0, 500), st.one_of(st.none(), st.integers(0, 500)))
def test_bars_have_a_fixed_width_and_fill_with_progress(done: int, target: int | None) -> None:
    bar = terminal.bar(done, target)
    assert len(bar) == terminal.BAR_WIDTH
    if target:
        assert terminal.bar(done + 1, target).count("█") >= bar.count("█")
        assert (bar.count("█") == terminal.BAR_WIDTH) == (done >= target)


def test_a_narrow_terminal_keeps_the_names_of_the_counts_and_says_what_it_left_out(
    repo_copy: Path,
) -> None:
    """An outside test: at `COLUMNS=20` (laid out at 40) the "By domain" and "By consent"
    tables lost their names (rows of bare numbers) and the province headings were cut to
    `KZ-…`. Provinces are left out from the right instead, the total kept, and a note names
    them, as `list` names the columns it leaves out."""
    result = progress.compute(query.load(settings.load()), dt.date(2024, 5, 28))
    ids = [p.id for p in result.provinces]
    text = terminal.to_text(terminal.progress(result, width=terminal.NARROWEST), terminal.NARROWEST)
    counts = text[text.index("By domain") :]
    for name in ("oral-traditions", "craftsmanship", "given", "withheld"):
        assert name in counts
    assert "KZ-…" not in text and "tot…" not in text
    assert all(len(line) <= terminal.NARROWEST for line in text.splitlines())
    assert "Not shown at this width: " + ", ".join(ids[2:]) in " ".join(counts.split())
    assert counts.count("Not shown at this width") == 1  # one note under both tables
    wide = terminal.to_text(terminal.progress(result, width=120), 120)
    assert "Not shown" not in wide and all(i in wide[wide.index("By domain") :] for i in ids)
