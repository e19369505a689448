"""Every public output tells the same of a record's consent: its state (pending, withdrawn,
not sought) is never public for a record withheld until its consent is given, nor where the
record restricts its consent. `list`, its `--consent` filter and `progress` said `withheld`,
while `show`, the site and the public export said "the communities withdrew their consent" (an
outside tester's report, finding 2). The public view (ichinv.inventory.audience) decides it."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, commit

Run = Callable[..., Result]

ELEMENT = "KZ-2026-0001"
REASON = "The keepers asked that the record wait for their word."
UNTIL = "Withheld until the communities give their consent."
CUSTOMARY = f"Withheld by customary restriction: {REASON}"
STATE_WORDS = ("withdrawn", "withdrew", "pending", "sought", "no consent")
"""Words that would tell in which state consent is (none of them is in REASON or the record)."""

CASES: dict[str, tuple[dict[str, Any] | None, dict[str, Any], str]] = {
    # consent not given, the record not otherwise restricted (validate says it must be)
    "none recorded, access public": (None, {"level": "public"}, UNTIL),
    "none recorded, restricted as a whole": (
        None,
        {"level": "restricted", "reason": REASON},
        UNTIL,
    ),
    "withdrawn, access public": (
        {"status": "withdrawn", "date": "2026-10-28"},
        {"level": "public"},
        UNTIL,
    ),
    "pending, access public": ({"status": "pending"}, {"level": "public"}, UNTIL),
    "withdrawn, other parts restricted": (
        {"status": "withdrawn", "date": "2026-10-28"},
        {"level": "restricted", "restricted_parts": ["/description"], "reason": REASON},
        UNTIL,
    ),
    # the record restricts its consent: not even that it is not given
    "withdrawn, /consent restricted": (
        {"status": "withdrawn", "date": "2026-10-28"},
        {"level": "restricted", "restricted_parts": ["/consent"], "reason": REASON},
        CUSTOMARY,
    ),
    "given, /consent restricted": (
        {"status": "given", "date": "2026-04-01", "form": "written", "evidence": "File 1"},
        {"level": "restricted", "restricted_parts": ["/consent/status"], "reason": REASON},
        CUSTOMARY,
    ),
    # the record restricted as a whole
    "pending, restricted as a whole": (
        {"status": "pending"},
        {"level": "restricted", "reason": REASON},
        UNTIL,
    ),
    "given, restricted as a whole": (
        {"status": "given", "date": "2026-04-01", "form": "written", "evidence": "File 1"},
        {"level": "restricted", "reason": REASON},
        CUSTOMARY,
    ),
}
"""consent, access, and the one reason every public output gives for withholding the consent."""


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, inventory: Path) -> tuple[Path, str]:
    """The inventory (with the real templates) holding the element of one case, and the reason
    the public is given."""
    consent, access, said = CASES[request.param]
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    d.write(inventory, d.element(ELEMENT, consent=consent, access=access))
    return inventory, said


def assert_no_state(text: str) -> None:
    for word in STATE_WORDS:
        assert word not in text.lower(), (word, text)


WORDED = {
    UNTIL: (UNTIL, "[withheld: consent not given"),
    CUSTOMARY: (CUSTOMARY, f"[withheld: restricted: {REASON}]"),
}
"""The forms each reason takes: a sentence, or the note of a view put where the value was."""


def assert_said(text: str, said: str) -> None:
    assert any(form in text for form in WORDED[said]), text
    other = CUSTOMARY if said == UNTIL else UNTIL
    assert not any(form in text for form in WORDED[other]), text
    assert_no_state(text)


def test_show_gives_the_public_answer(run: Run, case: tuple[Path, str]) -> None:
    __, said = case
    result = run("show", ELEMENT)
    assert result.exit_code == 0, result.stderr
    assert_said(" ".join(result.stdout.split()), said)


def test_the_site_gives_the_public_answer(run: Run, case: tuple[Path, str]) -> None:
    root, said = case
    result = run("site", "--output", str(root / "_site"), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    page = (root / "_site" / "en" / "elements" / f"{ELEMENT}.html").read_text("utf-8")
    assert_said(" ".join(page.split()), said)


def test_the_public_export_gives_the_public_answer(run: Run, case: tuple[Path, str]) -> None:
    __, said = case
    result = run("export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff")))}
    assert rows[ELEMENT]["consent.status"].startswith(WORDED[said][1])
    assert_said(result.stdout, said)


def test_list_gives_the_public_answer(run: Run, case: tuple[Path, str]) -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listed = {e["id"]: e for e in json.loads(result.stdout)["elements"]}
    assert listed[ELEMENT]["consent"] == "withheld"
    assert_no_state(result.stdout)


@pytest.mark.parametrize("state", ["given", "pending", "withdrawn", "not-sought"])
def test_the_consent_filter_gives_the_public_answer(
    run: Run, case: tuple[Path, str], state: str
) -> None:
    result = run("list", "--consent", state, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert ELEMENT not in [e["id"] for e in json.loads(result.stdout)["elements"]]


def test_progress_gives_the_public_answer(run: Run, case: tuple[Path, str]) -> None:
    result = run("progress", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (province,) = [p for p in json.loads(result.stdout)["provinces"] if p["id"] == "KZ-23"]
    (element,) = [e for e in province["elements"] if e["id"] == ELEMENT]
    assert element["consent"] == "withheld"
    assert province["by_consent"]["withheld"] == 1
    assert all(n == 0 for s, n in province["by_consent"].items() if s != "withheld")


PACKET_CASES: dict[str, tuple[dict[str, Any] | None, dict[str, Any], str]] = {
    **CASES,
    # `access.reason` is found only where consent is given or not recorded at all
    "none recorded, restricted without a reason": (None, {"level": "restricted"}, UNTIL),
}


@pytest.mark.parametrize("name", sorted(PACKET_CASES))
def test_the_public_change_packet_gives_the_public_answer(
    run: Run, git_inventory: Path, name: str
) -> None:
    consent, access, said = PACKET_CASES[name]
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    d.write(git_inventory, d.element(ELEMENT))
    commit(git.Repo(git_inventory), "public, with consent")
    d.write(git_inventory, d.element(ELEMENT, consent=consent, access=access))
    result = run("packet", "--since", "HEAD", "--output", "-")
    assert result.exit_code == 0, result.stderr
    # The table of validate's findings too: it named `consent.withdrawn`, and `access.consent`
    # quoted the state ("the record is public but consent is 'withdrawn'"); a finding about a
    # withheld part keeps neither its words nor its rule (`withheld.part`).
    packet = " ".join(result.stdout.replace("*", "").split())
    assert_no_state(packet)
    committee = run("packet", "--since", "HEAD", "--audience", "committee").stdout
    if any(
        f"`{rule}`" in committee
        for rule in ("consent.withdrawn", "access.consent", "access.reason")
    ):
        assert "`withheld.part`" in packet
    if said == UNTIL:  # the checklist and the note say it, as the other outputs do
        assert UNTIL in packet
        public = access["level"] == "public"
        checked = "although consent is not given" if public else "Consent is not given: only"
        assert checked in packet
    else:
        assert UNTIL not in packet and "not given" not in packet


def _public_outputs(run: Run, root: Path) -> dict[str, str]:
    """What the public reads of ELEMENT in each public output."""
    found = {
        "show": run("show", ELEMENT).stdout,
        "list": run("list", "--format", "json").stdout,
        "export csv": run("export", "--format", "csv").stdout,
        "export json": run("export", "--format", "json").stdout,
    }
    assert run("site", "--output", str(root / "_site"), "--lang", "en").exit_code == 0
    found["site"] = (root / "_site" / "en" / "elements" / f"{ELEMENT}.html").read_text("utf-8")
    return found


@pytest.mark.parametrize("access", [{"level": "public"}, {"level": "restricted"}])
def test_a_record_without_consent_reads_as_one_whose_consent_is_pending(
    run: Run, inventory: Path, access: dict[str, Any]
) -> None:
    """An outside test: `list` showed consent "" (JSON null), the export no consent at all,
    and `show` left Consent out of the fields it withheld, where a record whose consent is
    pending, withdrawn or not sought shows `withheld`: that told the public that no consent
    is recorded."""
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    d.write(inventory, d.element(ELEMENT, consent={"status": "pending"}, access=access))
    pending = _public_outputs(run, inventory)
    d.write(inventory, d.element(ELEMENT, consent=None, access=access))
    assert _public_outputs(run, inventory) == pending
    listed = {e["id"]: e for e in json.loads(pending["list"])["elements"]}
    assert listed[ELEMENT]["consent"] == "withheld"


def test_a_record_without_access_shows_its_access_withheld(run: Run, inventory: Path) -> None:
    """An outside test: a record without `access` (withheld as a whole until it is fixed)
    showed access "" in `list` (JSON null), where an access level out of its form shows
    `withheld`."""
    d.write(inventory, d.element(ELEMENT, access=None))
    listed = {e["id"]: e for e in json.loads(run("list", "--format", "json").stdout)["elements"]}
    assert (listed[ELEMENT]["consent"], listed[ELEMENT]["access"]) == ("withheld", "withheld")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run("export").stdout.lstrip("\ufeff")))}
    assert rows[ELEMENT]["access.level"] == "[withheld: access rules unreadable]"
    shown = run("show", ELEMENT)
    assert shown.exit_code == 0, shown.stderr
    assert "its access section cannot be read" in " ".join(shown.stdout.split())
    assert "Consent, Access, Provenance" in shown.stdout
    committee = json.loads(run("list", "-f", "json", "--audience", "committee").stdout)
    (element,) = [e for e in committee["elements"] if e["id"] == ELEMENT]
    assert element["access"] is None  # the committee reads the record as it is
