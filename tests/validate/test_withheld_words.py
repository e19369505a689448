"""A value the public view withholds is not quoted, but the rule it breaks is still said plainly.

Found by an outside review: `status: Active`, `provinces: KZ-10, KZ-11`, a province `kz-10`,
`assessed: 12 March 2024`, `year: "2016"`, `id: KZ-2013-2`, `names: Құсбегілік` and `access:`
with `level public` under it were told as "the value at /status breaks this rule; its value is
not quoted (the public view of the record withholds it)": no rule in words, a JSON pointer,
and "not quoted" read as "add quotation marks". The value itself stays unquoted (anything
malformed counts as restricted, and may be a contact); the rule is said as it is when the
value may be quoted, without the value, with a note why it is not shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]

NOTE = {
    "en": "the value itself is not shown here: the public view of a record withholds values "
    "that do not fit the schema",
    "kk": "мәннің өзі мұнда көрсетілмейді",
    "ru": "само значение здесь не показано",
}

CASES: list[tuple[dict[str, Any], str, str, str]] = [
    # (fields, the pointer, what the message says in English, the value not to be shown)
    (
        {"status": "Active"},
        "/status",
        "`status` (Status in the inventory) is not one of the allowed values: active, retired, "
        "merged",
        "Active",
    ),
    (
        {"provinces": "KZ-10, KZ-11"},
        "/provinces",
        "`provinces` (Provinces) must be a list, not text",
        "KZ-10, KZ-11",
    ),
    (
        {"provinces": ["kz-10"]},
        "/provinces/0",
        "item 1 of `provinces` (Provinces) must be a province identifier",
        "kz-10",
    ),
    (
        {"viability": {"status": "viable", "assessed": "12 March 2024"}},
        "/viability/assessed",
        "`viability.assessed` (Assessed on) must be a date written YYYY-MM-DD",
        "12 March 2024",
    ),
    (
        {"unesco": [{"list": "representative", "year": "2016"}]},
        "/unesco/0/year",
        "`year` (Year) in item 1 of `unesco` (UNESCO listings) must be a whole number, not text",
        '"2016"',
    ),
    (
        {"names": "Құсбегілік"},
        "/names",
        "`names` (Names) must be a group of fields (`key: value` lines), not text",
        "Құсбегілік",
    ),
    (
        {"access": "level public"},
        "/access",
        "`access` (Access) must be a group of fields (`key: value` lines), not text",
        "level public",
    ),
]


def _findings(run: Run) -> list[dict[str, Any]]:
    result = run("validate", "--no-cache", "--format", "json")
    return list(json.loads(result.stdout)["findings"])


@pytest.mark.parametrize(("fields", "pointer", "said", "value"), CASES)
def test_a_withheld_value_is_not_quoted_but_its_rule_is_said(
    inventory: Path, run: Run, fields: dict[str, Any], pointer: str, said: str, value: str
) -> None:
    d.write(inventory, d.element("KZ-2026-0001", **fields))
    (found,) = [f for f in _findings(run) if f["pointer"] == pointer]
    assert found["message"] == f"{said} ({NOTE['en']})"
    words = found["message"] + " " + (found["hint"] or "")
    assert value not in words and "/" + pointer.strip("/") not in words
    assert "quoted" not in words


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(("fields", "pointer", "said", "value"), CASES)
def test_a_withheld_value_is_said_so_in_every_language(
    inventory: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    fields: dict[str, Any],
    pointer: str,
    said: str,
    value: str,
) -> None:
    monkeypatch.setenv("ICHINV_LANG", lang)
    d.write(inventory, d.element("KZ-2026-0001", **fields))
    (found,) = [f for f in _findings(run) if f["pointer"] == pointer]
    assert NOTE[lang] in found["message"]
    assert value not in found["message"] + (found["hint"] or "")
    assert pointer not in found["message"]


def test_a_malformed_id_is_told_in_words_and_not_quoted(inventory: Path, run: Run) -> None:
    d.write(inventory, d.element("KZ-2026-0001"))
    path = inventory / "elements" / "KZ-2026-0001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("KZ-2026-0001", "KZ-2026-1"), encoding="utf-8"
    )
    found = {f["rule"]: f for f in _findings(run)}
    assert found["schema.pattern"]["message"].startswith(
        "`id` (Inventory identifier) must be an element identifier ("
    )
    assert found["id.file-name"]["message"].startswith(
        "the id written in the record is not the file's name, 'KZ-2026-0001.yaml' ("
    )
    words = " ".join(f["message"] + (f["hint"] or "") for f in found.values())
    assert "KZ-2026-1'" not in words and "/id" not in words


def test_a_value_in_a_restricted_part_keeps_no_words_and_names_the_field(
    inventory: Path, run: Run
) -> None:
    """A restricted part withholds what it holds for its own sake: its findings say nothing of
    it but the field and the rule, named as editors name the field."""
    record = d.secret_element("KZ-2026-0009")
    record["access"]["restricted_parts"] = ["/viability"]
    record["viability"] = {"status": "Viable", "assessed": "2026-01-01"}
    d.write(inventory, record)
    (found,) = [f for f in _findings(run) if f["pointer"] == "/viability"]
    assert found["message"] == (
        "`viability` does not meet this rule; what it holds is not shown here, because the "
        "public view of the record withholds it"
    )
    assert "allowed values" not in found["message"]


UNKNOWN_KEY = (
    "{where} holds a field the schema does not know; its name is not shown here, because a "
    "field outside the schema may hold what the public view of the record withholds"
)


@pytest.mark.parametrize(
    ("fields", "pointer", "where", "key"),
    [
        ({"remarks_2026": "checked"}, "", "the record", "remarks_2026"),
        ({"notes/extra": "checked"}, "", "the record", "notes/extra"),
        ({"aigul@example.org": "checked"}, "", "the record", "aigul@example.org"),
        (
            {"viability": {"status": "viable", "assessed": "2025-05-14", "a/b": "x"}},
            "/viability",
            "`viability`",
            "a/b",
        ),
    ],
    ids=["plain", "slash", "contact", "nested-slash"],
)
def test_a_key_the_schema_does_not_know_is_told_so_at_its_line_without_its_name(
    inventory: Path, run: Run, fields: dict[str, Any], pointer: str, where: str, key: str
) -> None:
    """Such a key may be data (an address typed where a field's name goes), so it is not
    named; but the finding says what is wrong, at the key's own line. It said "a value of the
    record does not meet this rule", and a key holding `/` was placed at the record's start."""
    d.write(inventory, d.element("KZ-2026-0001", **fields))
    (found,) = [f for f in _findings(run) if f["rule"] == "schema.additionalProperties"]
    assert found["message"] == UNKNOWN_KEY.format(where=where)
    assert found["pointer"] == pointer
    lines = (inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8").splitlines()
    assert lines[found["line"] - 1].lstrip().startswith(("'" + key, '"' + key, key))
    text = run("validate", "--no-cache").stdout
    assert key not in text and "a value of the record" not in text


@pytest.mark.parametrize("contact", ["aigul@example.org", "+7 700 000 00 00"])
def test_a_contact_typed_where_a_word_of_the_vocabulary_goes_is_said_as_any_withheld_value(
    inventory: Path, run: Run, contact: str
) -> None:
    """It read "`status` (…): … is not one of the allowed values", the contact masked in
    place, where any other value outside the vocabulary is said plainly with a note."""
    d.write(inventory, d.element("KZ-2026-0001", status=contact))
    (found,) = [f for f in _findings(run) if f["rule"] == "schema.enum"]
    assert found["message"] == (
        "`status` (Status in the inventory) is not one of the allowed values: active, retired, "
        f"merged ({NOTE['en']})"
    )
    assert contact not in run("validate", "--no-cache").stdout


@pytest.mark.parametrize(
    "access_or_consent",
    [
        {"consent": {"status": "pending"}},
        {"access": {"level": "restricted", "reason": "Sacred."}},
        {"access": {"level": "Public"}},
    ],
    ids=["consent-pending", "restricted-whole", "access-unreadable"],
)
def test_a_key_that_may_be_a_name_is_not_quoted_in_a_record_withheld_whole(
    inventory: Path, run: Run, access_or_consent: dict[str, Any]
) -> None:
    """Keys were counted as withheld only where a part was not in the schema's form: in a
    record withheld as a whole, `Aigul Sadykova:` under `viability` was quoted in every
    format ("unknown field `Aigul Sadykova` in `viability`")."""
    viability = {"status": "viable", "assessed": "2025-05-14", "Aigul Sadykova": "keeper"}
    d.write(inventory, d.element("KZ-2026-0001", viability=viability, **access_or_consent))
    for output in ("text", "json", "github", "sarif"):
        assert "Sadykova" not in run("validate", "--no-cache", "--format", output).stdout
    (found,) = [f for f in _findings(run) if f["rule"] == "schema.additionalProperties"]
    assert found["message"] == UNKNOWN_KEY.format(where="`viability`")


def test_a_text_cut_by_a_comment_in_a_withheld_place_keeps_its_words(
    inventory: Path, run: Run
) -> None:
    """Its words quote nothing of the record: in the contacts or a restricted part they read
    "`contacts` does not meet this rule; what it holds is not shown here", which told the
    editor nothing of the # (an outside attack)."""
    path = inventory / "elements" / "KZ-2026-0001.yaml"
    d.write(inventory, d.element("KZ-2026-0001"))
    data = json.loads(path.read_text("utf-8"))
    data["contacts"] = [{"name": "Fictitious Person", "role": "bearer", "note": "NOTE"}]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(text.replace("NOTE", "call after six # or seven"), "utf-8")
    (found,) = [f for f in _findings(run) if f["rule"] == "yaml.comment-in-text"]
    assert found["message"].startswith("the text ends before this #")
    assert found["pointer"] == "/contacts"
    assert "six" not in json.dumps(found) and "Fictitious" not in json.dumps(found)
