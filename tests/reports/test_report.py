"""`ichinv report periodic`: figures by the indicators of the Overall Results Framework."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ichinv.core.tally import NOT_IN_VOCABULARY
from ichinv.inventory import view as query
from ichinv.io import settings
from ichinv.reports import periodic
from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]


@pytest.fixture
def inv(inventory: Path) -> Path:
    d.write(
        inventory,
        d.element("KZ-2026-0001"),
        d.secret_element("KZ-2026-0009"),
        # Listed in 2013 and never looked at since.
        d.element(
            "KZ-2013-0005",
            viability={"status": "unknown", "assessed": "2013-03-01"},
            provenance={"entered": "2013-03-01", "sources": [{"list": "order-50-2013"}]},
            consent={"status": "not-sought"},
            access={"level": "restricted", "reason": "Consent not sought yet."},
        ),
        d.element(
            "KZ-2024-0001",
            status="merged",
            status_change={
                "reason": "Same practice.",
                "merged_into": "KZ-2026-0001",
                "date": "2025-02-01",
            },
            provenance={"entered": "2024-05-28", "sources": [{"list": "order-211-2024"}]},
        ),
    )
    return inventory


def compute(start: str, end: str) -> periodic.PeriodicReport:
    return periodic.compute(
        query.load(settings.load()), dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    )


def test_indicator_7_3(inv: Path) -> None:
    report = compute("2020-11-26", "2026-11-25")
    assert report.totals == {"elements": 5, "active": 4, "retired": 0, "merged": 1}
    assert [r.id for r in report.viability_updated] == [
        "KZ-2013-0002",
        "KZ-2026-0001",
        "KZ-2026-0009",
    ]
    # KZ-2013-0005 is withheld as a whole (consent not sought): its dates are not public, so
    # it is counted, not named (a narrow period would pin them).
    assert [r.id for r in report.never_updated] == [periodic.WITHHELD]
    assert [r.id for r in report.added] == ["KZ-2024-0001", "KZ-2026-0001", "KZ-2026-0009"]
    assert [r.id for r in report.changed_status] == ["KZ-2024-0001"]
    assert report.viability == {
        "viable": 3,
        "at-risk": 0,
        "in-danger": 0,
        "unknown": 1,
        "not-assessed": 0,
    }
    assert report.stale == 1


def test_the_period_bounds_are_included(inv: Path) -> None:
    assert [r.id for r in compute("2026-04-01", "2026-04-01").viability_updated] == [
        "KZ-2026-0001",
        "KZ-2026-0009",
    ]
    assert compute("2026-04-02", "2026-11-25").viability_updated == ()


def test_indicator_7_4_and_the_check_of_public_views(inv: Path) -> None:
    report = compute("2020-11-26", "2026-11-25")
    assert report.access == {"public": 2, "restricted": 2}
    assert report.restricted_whole == 1
    assert (report.restricted_elements_with_parts, report.restricted_parts) == (1, 2)
    assert report.with_contacts == 1
    assert report.public_views_checked == 5
    assert report.public_view_leaks == ()


def test_participation_is_counted_never_named(inv: Path) -> None:
    report = compute("2020-11-26", "2026-11-25")
    assert report.consent == {
        "given": 3,
        "pending": 0,
        "withdrawn": 0,
        "not-sought": 1,
        "not-recorded": 0,
    }
    assert report.practitioners_by_gender == {"female": 1}
    assert report.practitioners_by_age == {
        "under 30": 0,
        "30–59": 0,
        "60 and over": 1,
        "not stated": 0,
    }
    assert report.focus == {"focus": 3, "other": 1}


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_no_personal_data_or_restricted_text_in_any_format(run: Run, inv: Path, fmt: str) -> None:
    result = run("report", "periodic", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    for secret in d.secrets():
        assert secret not in result.stdout


def test_markdown_is_organised_by_indicator(run: Run, inv: Path) -> None:
    out = run("report", "periodic", "--from", "2020-11-26", "--to", "2026-11-25").stdout
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Indicator 7.3: the inventory is updated, in particular to reflect current viability",
        "## Indicator 7.4: access respects customary practices",
        "## Diversity: domains, national categories, provinces",
        "## Indicator 8: participation of communities and consent (aggregates only)",
    ]
    assert "Reporting period: 2020-11-26 to 2026-11-25." in out
    assert "- Viability assessed in the period: 3 of 4 (75%) active elements." in out
    assert "never updated since: 1 (withheld)." in out
    assert "| KZ-23 Atyrau Region | 3 |" in out
    assert "no public view shows a contact or a restricted part" in out


def test_json_shape(run: Run, inv: Path) -> None:
    document = json.loads(run("report", "periodic", "-f", "json").stdout)
    assert document["period"] == {"from": "2020-11-26", "to": "2026-11-25"}
    assert set(document) == {
        "period",
        "totals",
        "indicator_7_3",
        "indicator_7_4",
        "diversity",
        "indicator_8",
        "incomplete",
    }
    assert document["incomplete"] == []
    assert document["indicator_7_3"]["never_updated_since_2013"] == [{"id": "withheld", "name": ""}]
    assert document["diversity"]["provinces"]["KZ-23"] == {"name": "Atyrau Region", "elements": 3}


def test_default_period_is_the_six_years_to_today(run: Run, inv: Path) -> None:
    assert periodic.default_period(dt.date(2026, 11, 25)) == (
        dt.date(2020, 11, 26),
        dt.date(2026, 11, 25),
    )
    assert periodic.default_period(dt.date(2028, 2, 29))[0] == dt.date(2022, 3, 1)
    document = json.loads(run("report", "periodic", "-f", "json", "--to", "2025-12-31").stdout)
    assert document["period"] == {"from": "2020-01-01", "to": "2025-12-31"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-01-01", "--to", "2025-01-01"), "starts (2026-01-01) after it ends"),
        (("--from", "2026-02-30"), "is not a date"),
        # An outside test: empty values were taken for options not given (exit 0).
        (("--from", "", "--to", ""), "--to '' is not a date"),
        (("--from", ""), "--from '' is not a date"),
        (("--to", ""), "--to '' is not a date"),
    ],
)
def test_bad_periods_are_exit_2(run: Run, inv: Path, args: tuple[str, ...], message: str) -> None:
    result = run("report", "periodic", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_report_on_the_repository_inventory(run: Run, repo_copy: Path) -> None:
    result = run("report", "periodic", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["indicator_7_4"]["public_view_leaks"] == []
    assert "@example.org" not in result.stdout
    assert "Contact Person" not in result.stdout


def test_record_text_cannot_break_the_markdown(run: Run, inv: Path) -> None:
    d.write(
        inv,
        d.element(
            "KZ-2013-0007",
            # (no `@handle`: the public view, which reports print, withholds a text with one)
            names={"kk": "Ән", "ru": "Песня", "en": "<script>x</script> | #12"},
            provenance={"entered": "2013-03-01", "sources": [{"list": "order-50-2013"}]},
            viability=None,
        ),
    )
    out = run("report", "periodic").stdout
    line = next(line for line in out.splitlines() if "never updated since" in line)
    assert "<script>" not in line and " | " not in line
    assert "`#12`" in line


def test_contacts_kept_in_the_private_overlay_are_counted_not_shown(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.helpers import build_inventory

    root = build_inventory(
        tmp_path / "inv", settings='[tool.ichinv]\nprivate_overlay = "private"\n'
    )
    record = d.secret_element("KZ-2026-0009")
    contacts = record.pop("contacts")
    d.write(root, record)
    (root / "private" / "elements").mkdir(parents=True)
    (root / "private" / "elements" / "KZ-2026-0009.yaml").write_text(
        json.dumps({"contacts": contacts}), encoding="utf-8"
    )
    monkeypatch.chdir(root)
    result = run("report", "periodic", "-f", "json")
    document = json.loads(result.stdout)
    assert document["indicator_7_4"]["with_contacts"] == 1
    assert document["indicator_8"]["practitioners_by_gender"] == {"female": 1}
    assert document["indicator_7_4"]["public_view_leaks"] == []
    for secret in d.secrets():
        assert secret not in result.stdout


def test_an_overlay_file_that_cannot_be_read_is_told_without_where_the_overlay_is(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside test: the report (sent to UNESCO) listed under "Files that could not be
    read", and in JSON `incomplete`, `../home-aigul.kenzhebayeva/priv/elements/KZ-2026-0009.yaml`:
    where the private overlay lives, and which element keeps private data there."""
    from tests.support.helpers import build_inventory

    overlay = "../home-aigul.kenzhebayeva/priv"
    root = build_inventory(
        tmp_path / "inv", settings=f'[tool.ichinv]\nprivate_overlay = "{overlay}"\n'
    )
    d.write(root, d.element("KZ-2026-0001"), d.element("KZ-2026-0009"))
    (root / overlay / "elements").mkdir(parents=True)
    (root / overlay / "elements" / "KZ-2026-0009.yaml").write_text("contacts: [\n  x\n")
    monkeypatch.chdir(root)
    markdown = run("report", "periodic")
    assert markdown.exit_code == 1
    top = markdown.stdout.split("\n## ")[0]
    assert "the private overlay, which keeps contacts and restricted parts" in top
    assert "could not be read whole" in top
    assert "elements on record" in top  # every record was read
    assert "Files that could not be read" not in markdown.stdout
    as_json = run("report", "periodic", "--format", "json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["incomplete"] == [
        {"path": None, "line": None, "column": None, "rule": "privacy.overlay"}
    ]
    for said in (markdown.stdout, as_json.stdout):
        assert "aigul" not in said and "priv/" not in said and ".yaml" not in said
    (root / overlay / "elements" / "KZ-2026-0009.yaml").write_text("{}\n")
    assert "incomplete" not in run("report", "periodic").stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--to", "0001-01-01"), {}),
        (("--from", "0005-06-01", "--to", "0006-01-01"), {}),
        (("--from", "1899-12-31", "--to", "2020-01-01"), {}),
        ((), {"ICHINV_TODAY": "0001-01-01"}),
    ],
)
def test_a_period_before_1900_is_a_usage_error(
    inventory: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    env: dict[str, str],
) -> None:
    """Found by an outside review: such dates ended in exit 3 (ValueError: year -5, an
    OverflowError)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run("report", "periodic", *args)
    assert result.exit_code == 2
    assert "reporting periods begin on 1900-01-01 or later" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "said", "hint"),
    [
        ((), {"ICHINV_TODAY": "1900-06-01"}, "Reporting period: 1900-01-01 to 1900-06-01.", ""),
        (("--to", "1903-01-01"), {}, "Reporting period: 1900-01-01 to 1903-01-01.", ""),
        (
            ("--from", "2099-01-01"),
            {"ICHINV_TODAY": "2026-12-06"},
            "the period starts (2099-01-01) after it ends (2026-12-06)",
            "without --to the period ends today: give --from a day up to 2026-12-06",
        ),
    ],
)
def test_no_message_names_an_option_not_given(
    inventory: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    env: dict[str, str],
    said: str,
    hint: str,
) -> None:
    """An outside test: `ICHINV_TODAY=1900-06-01 ichinv report periodic` blamed `--from is
    1894-06-02`, an option never given (the default period now begins on 1900-01-01 at the
    earliest); a `--from` after today asked for a `--from` before a `--to` never given."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run("report", "periodic", *args)
    assert said in (result.stdout if not hint else result.stderr)
    assert result.exit_code == (2 if hint else 0), result.stderr
    assert hint in result.stderr and "before --to" not in result.stderr
    assert "--from is" not in result.stderr


def _loosened(node: Any) -> Any:
    """A schema with no enumeration and no pattern left: anything of the right type passes."""
    if isinstance(node, dict):
        return {k: _loosened(v) for k, v in node.items() if k not in ("enum", "pattern")}
    if isinstance(node, list):
        return [_loosened(v) for v in node]
    return node


PLANTED = "zhanar.k5@example.org +7 701 555 12 34"


def test_no_value_a_loosened_schema_lets_in_is_ever_a_row(run: Run, inv: Path) -> None:
    """An outside test: with the enumeration of `contacts[].gender` deleted from the schema, a
    contact's e-mail address and phone number written as a gender were printed word for word
    as a row of the gender table, in Markdown and JSON. Every table counts by ichinv's own
    vocabulary now, and all else in one row that names nothing."""
    path = inv / "schema" / "element.schema.json"
    path.write_text(json.dumps(_loosened(json.loads(path.read_text("utf-8")))), "utf-8")
    d.write(
        inv,
        d.element(
            "KZ-2026-0002",
            domains=["craftsmanship", PLANTED],
            national_category=PLANTED,
            provinces=["KZ-23", PLANTED],
            viability={"status": PLANTED, "assessed": "2026-04-01"},
            consent={"status": PLANTED, "form": PLANTED},
            characteristics={"languages": ["kk", PLANTED]},
            unesco=[{"list": PLANTED, "year": 2020, "title": "T"}],
            communities=[{"name": {"en": "Masters"}, "kind": PLANTED, "role": PLANTED}],
            contacts=[{"name": "Zhanar", "role": "bearer", "gender": PLANTED}],
        ),
    )
    markdown = run("report", "periodic", "--from", "2020-11-26", "--to", "2026-11-25")
    result = run("report", "periodic", "--from", "2020-11-26", "--to", "2026-11-25", "-f", "json")
    for said in (markdown, result):
        assert said.exit_code == 0, said.stderr
        assert "zhanar" not in said.stdout.lower() and "555 12 34" not in said.stdout
    document = json.loads(result.stdout)
    other = NOT_IN_VOCABULARY
    for group, table in [
        ("indicator_7_3", "viability"),
        ("diversity", "domains"),
        ("diversity", "national_categories"),
        ("diversity", "languages"),
        ("diversity", "unesco"),
        ("indicator_8", "consent"),
        ("indicator_8", "consent_forms"),
        ("indicator_8", "communities_by_kind"),
        ("indicator_8", "communities_by_role"),
        ("indicator_8", "practitioners_by_gender"),
    ]:
        assert document[group][table][other] == 1, table
    assert document["diversity"]["provinces"][other] == {"name": "", "elements": 1}
    assert document["diversity"]["languages"] == {"kk": 1, other: 1}
    assert document["indicator_8"]["practitioners_by_gender"] == {"female": 1, other: 1}
    assert "| other values, not in the vocabulary (not shown) | 1 |" in markdown.stdout


def test_values_outside_the_schemas_form_are_counted_apart(run: Run, inv: Path) -> None:
    """With the schema as shipped, a value out of its form was a row too, of the note that set
    it aside (`[withheld: …]`), or was dropped from the counts without a word."""
    d.write(
        inv,
        d.element(
            "KZ-2026-0002",
            communities=[{"name": {"en": "Masters"}, "kind": 87015551234}],
            contacts=[{"name": "Zhanar", "role": "bearer", "gender": PLANTED}],
        ),
    )
    document = json.loads(run("report", "periodic", "-f", "json").stdout)
    other = NOT_IN_VOCABULARY
    assert document["indicator_8"]["practitioners_by_gender"] == {"female": 1, other: 1}
    assert document["indicator_8"]["communities_by_kind"] == {other: 1}
    assert "withheld" not in json.dumps(document["indicator_8"])


def test_files_named_in_the_markdown_are_code_spans(run: Run, inv: Path) -> None:
    """The sentence naming records whose public view failed its check printed their files
    as they are: `elements/kz-_draft_.yaml` rendered as `elements/kz-<em>draft</em>.yaml`.
    Files are code spans now, escaped as the packets escape them (markdown.escape.code), as
    the table of files that could not be read has them."""
    from dataclasses import replace

    from markdown_it import MarkdownIt

    from ichinv.render.periodic import render_markdown

    (inv / "elements" / "kz-_unread_.yaml").write_text("id: [\n", encoding="utf-8")
    report = replace(
        compute("2020-11-26", "2026-11-25"),
        public_view_leaks=("KZ-2026-0001", "elements/kz-_draft_.yaml", "elements/…"),
    )
    html = MarkdownIt("commonmark").enable("table").render(render_markdown(report))
    assert "<em>" not in html and "<strong>" not in html
    assert (
        "the public view of <code>KZ-2026-0001</code>, <code>elements/kz-_draft_.yaml</code>, "
        "elements/… still shows"
    ) in html
    assert "<td><code>elements/kz-_unread_.yaml:2:1</code></td>" in html
