"""The import's report says in which state consent is only in its own words: an answer to the
consent question that is no state of consent (a contact typed there, a number) is never
quoted, in any language, dry run or not (an outside attack: `restricted: consent —
aigul@example.org`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_odk_hostile import ANSWERS
from tests.exchange.test_odk_import import KAZAKH, Run
from tests.support.odk_exports import Sent, central_json, central_zip

pytest.importorskip("pyxform")

UNREADABLE = {
    "en": "restricted: consent not readable",
    "ru": "ограниченная: согласие не читается",
    "kk": "шектеулі: келісім оқылмайды",
}


def _sent(status: Any, lang: str) -> Sent:
    answers = json.loads(json.dumps(ANSWERS))
    answers["form_language"] = lang
    answers["consent"]["status"] = status
    return Sent(KAZAKH.instance_id, answers, files=KAZAKH.files)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("dry", [True, False])
def test_a_contact_answered_as_consent_is_never_quoted(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, lang: str, dry: bool
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [_sent("aigul.kenzhe@example.org", lang)]))
    result = run("import", "--from", "odk", str(path), *(["--dry-run"] if dry else []))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "aigul" not in said and "example.org" not in said, said
    heading = said.splitlines()[0]
    assert heading.endswith(UNREADABLE[lang]), heading


def test_a_number_answered_as_consent_is_never_quoted(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document = json.loads(central_json(form, [_sent("pending", "en")]))
    document["value"][0]["consent"]["status"] = 12345678901
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "12345678901" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith(UNREADABLE["en"]), result.stdout


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("pending", "restricted: consent is pending"),
        ("withdrawn", "restricted: consent is withdrawn"),
        ("not-sought", "restricted: consent is not sought"),
        # words of the labels that are no state of consent an answer may give
        ("withheld", UNREADABLE["en"]),
        ("unknown", UNREADABLE["en"]),
        ("Pending", UNREADABLE["en"]),
    ],
)
def test_a_state_of_consent_is_said_in_the_words_of_the_report(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, status: str, said: str
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [_sent(status, "en")]))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith(said), result.stdout
