"""`ichinv import --from odk` with answers placed where no server places them (found by an
outside review): KoboToolbox answers of a repeat given outside its list, and rows of ODK
Central's repeat files whose KEY is given twice, has no number, or numbers a group. Each is
refused in plain words (exit 2, file and line) or named in a note; none is merged into another
person's answers, dropped without a word, or ends in a traceback, and nothing is quoted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import _quiet
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import PHONE, _document, _import

pytest.importorskip("pyxform")

OUTSIDE = "note: answers of a repeat given outside its list of instances were left out: "


def _outside_note(stdout: str) -> str:
    found = [line for line in stdout.splitlines() if line.startswith(OUTSIDE)]
    assert len(found) == 1, stdout
    return found[0].removeprefix(OUTSIDE)


def test_kobotoolbox_repeat_answers_beside_the_repeat_are_left_out_and_named(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # Ended in exit 3: TypeError, list indices must be integers or slices, not str.
    document, submission = _document(form, "kobo-json")
    submission["contacts/name"] = "Other"
    submission["contacts/phone"] = PHONE
    submission["viability/threats/threat"] = "X"
    result = _import(run, tmp_path, document)
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _outside_note(result.stdout) == (
        "contacts/name, contacts/phone, viability/threats/threat"
    )


def test_kobotoolbox_repeat_answers_before_the_repeat_are_left_out_and_named(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # The stray key first, then the list: the list's answers are all imported.
    document, submission = _document(form, "kobo-json")
    contacts = submission.pop("contacts")
    document["results"][0] = {"contacts/name": "Other", **submission, "contacts": contacts}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _outside_note(result.stdout) == "contacts/name"
    record = (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
    assert "Other" not in record and record.count("erlan.zhaksybekov@example.org") == 1


def test_kobotoolbox_repeat_answers_without_the_repeat_are_left_out_and_named(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # Neither imported nor said. KoboToolbox always gives a repeat as a list of its instances,
    # so answers outside one are not guessed to be a single instance (two keys might not be
    # one person): they are named, and the team's export is checked.
    document, submission = _document(form, "kobo-json")
    del submission["contacts"]
    submission["contacts/name"] = "Other"
    submission["contacts/phone"] = PHONE
    result = _import(run, tmp_path, document)
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _outside_note(result.stdout) == "contacts/name, contacts/phone"
