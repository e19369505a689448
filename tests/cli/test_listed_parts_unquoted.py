"""An entry of `access.restricted_parts` that names no part of the record is never printed.

Such an entry is text an editor wrote where a field name belongs; it may hold anything, a
contact included (found by an outside review: `show`, the element packet and `export` printed
`/contacts/<the bearer's e-mail>`, and `validate` quoted it in its finding). The public sees
that an entry is withheld; the committee's `validate` names the entry by its place and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, commit, init_repo

Run = Callable[..., Result]

HIDDEN = "zhanar.listed@example.org"
PHONE = "+7 700 000 00 42"


@pytest.fixture
def inv(inventory: Path) -> Path:
    record = d.secret_element("KZ-2026-0009")
    record["access"]["restricted_parts"] = [
        "/locations",
        f"/contacts/{HIDDEN}",
        f"/locations/0/{PHONE}",
        f"/id/{HIDDEN}",
    ]
    commit(init_repo(inventory), "the inventory")
    d.write(inventory, d.element("KZ-2026-0001"), record)
    return inventory


@pytest.mark.parametrize(
    "args",
    [
        ("show", "KZ-2026-0009"),
        ("packet", "--element", "KZ-2026-0009", "--templates", str(REPO_ROOT / "templates")),
        ("packet", "--since", "HEAD", "--templates", str(REPO_ROOT / "templates")),
        ("export", "--format", "csv", "--output", "-"),
        ("export", "--format", "json", "--output", "-"),
        ("validate",),
        ("validate", "--format", "json"),
        ("validate", "--format", "sarif"),
    ],
    ids=" ".join,
)
def test_no_output_prints_an_entry_that_names_nothing(
    run: Run, inv: Path, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.stderr
    assert "KZ-2026-0009" in result.stdout
    for secret in (HIDDEN, PHONE, *d.secrets()):
        assert secret not in result.stdout + result.stderr, (args, secret)


def test_the_entries_that_name_parts_are_still_shown(run: Run, inv: Path) -> None:
    result = run("export", "--format", "json", "--output", "-")
    assert result.exit_code in (0, 1), result.stderr
    records = json.loads(result.stdout)
    records = records["elements"] if isinstance(records, dict) else records
    (secret,) = [r for r in records if r["id"] == "KZ-2026-0009"]
    listed = secret["access"]["restricted_parts"]
    assert listed[0] == "/locations"
    assert all("withheld" in entry for entry in listed[1:])


def test_validate_names_each_entry_by_its_place(run: Run, inv: Path) -> None:
    result = run("validate", "--format", "json")
    found = json.loads(result.stdout)["findings"]
    parts = sorted(f["pointer"] for f in found if f["rule"] == "access.parts")
    assert parts == [f"/access/restricted_parts/{i}" for i in (1, 2, 3)]
    (identity,) = [
        f
        for f in found
        if f["pointer"] == "/access/restricted_parts/3" and f["rule"] == "access.parts"
    ]
    assert identity["message"].startswith("/id cannot be restricted")


def test_an_empty_entry_is_reported_and_the_record_stays_withheld(
    run: Run, inventory: Path
) -> None:
    """A review: for `restricted_parts: [""]` (the whole record) validate said at most that
    the entry is not in the schema's form, never that the public view withholds all but the
    identification: the record vanished from public output unannounced."""
    record = d.secret_element("KZ-2026-0009")
    record["access"]["restricted_parts"] = [""]
    d.write(inventory, d.element("KZ-2026-0001"), record)
    result = run("validate", "--format", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    (found,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "access.parts"]
    assert found["pointer"] == "/access/restricted_parts/0"
    assert found["severity"] == "error"
    assert "withholds the whole record" in found["message"]
    assert "access.level: restricted" in found["hint"]
    shown = run("show", "KZ-2026-0009")
    assert shown.exit_code == 0, shown.stderr
    for secret in d.secrets():
        assert secret not in shown.stdout + shown.stderr
