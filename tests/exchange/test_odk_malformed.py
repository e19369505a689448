"""`ichinv import --from odk` with exports that are not as the servers write them (found by an
outside review): a repeat row numbered far beyond the rows of the export, a repeat given as one
object, repeat answers keyed without their group, a repeat file the form does not have, a
column or a key given twice, numbers no record can hold. Each is refused in plain words (exit
2) or said in a note or a located finding; none is dropped without a word, none ends in a
traceback, and what may be a contact is never quoted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_odk_hostile import ANSWERS, _quiet, _rewrite
from tests.exchange.test_odk_import import KAZAKH, Run
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

PHONE = "+7 700 000 91 91"
SENT = Sent(KAZAKH.instance_id, ANSWERS, files=KAZAKH.files)
"""The Kazakh submission, answered in English (so that the report is in English)."""


def _contacts_key(form: bytes, tmp_path: Path, index: str) -> Path:
    """The export with the first contact's row numbered `index` in its KEY."""

    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            content = content.replace(b"/contacts[1]", f"/contacts[{index}]".encode(), 1)
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    return path


@pytest.mark.parametrize("index", ["9" * 5000, str(10**15), str(10**7), "0"])
def test_a_repeat_row_numbered_beyond_the_rows_of_the_export_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, index: str
) -> None:
    # A 400-byte file must not exhaust memory: `contacts[10000000]` took 38 s and 750 MB, a
    # number of 5,000 digits ended in exit 3, and 10**15 in MemoryError.
    result = run("import", "--from", "odk", str(_contacts_key(form, tmp_path, index)))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "export.zip:ichinv_element-contacts.csv:2: the KEY numbers the row" in result.stderr
    assert len(index) == 1 or index[:6] not in result.stderr, result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_repeat_rows_are_placed_by_their_order_among_the_rows_present(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # The second contact's row alone: it is the draft's first contact, with no empty one.
    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            lines = content.decode("utf-8").splitlines(keepends=True)
            content = "".join([lines[0], *lines[2:]]).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
    assert "team.turkistan@example.org" in text and "erlan" not in text
    assert text.count("- name:") == 3  # two communities, one contact


def _document(form: bytes, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON export of `kind` and its one submission."""
    document = json.loads((central_json if kind == "central-json" else kobo_json)(form, [SENT]))
    return document, (document["value"] if kind == "central-json" else document["results"])[0]


def _import(run: Run, tmp_path: Path, document: dict[str, Any]) -> Any:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return run("import", "--from", "odk", str(path), "--dry-run")


def test_a_repeat_given_as_one_object_is_said_to_be_left_out(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # ODK writes a repeat as a list of answers, even of one: an object there is not its export.
    document, submission = _document(form, "central-json")
    submission["contacts"] = {"name": "Ivan", "role": "bearer", "phone": PHONE}
    submission["communities"] = submission["communities"][0]
    submission["viability"]["threats"] = submission["viability"]["threats"][0]
    result = _import(run, tmp_path, document)
    _quiet(result.stdout, result.stderr)
    assert (
        "note: answers that should be a group of answers or a list of them, and are not, were "
        "left out: communities, contacts, viability/threats" in result.stdout
    ), result.stdout


def test_kobotoolbox_repeat_answers_named_without_their_repeat_are_said_to_be_left_out(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document, submission = _document(form, "kobo-json")
    submission["contacts"] = [{"name": "Ivan", "role": "bearer", "phone": PHONE}]
    submission["communities"] = [{"communities/name": "A", "name": "B"}]
    result = _import(run, tmp_path, document)
    _quiet(result.stdout, result.stderr)
    assert (
        "note: answers in a repeat named without the repeat's path (KoboToolbox names them "
        "`contacts/name`, not `name`) were left out: communities, contacts" in result.stdout
    ), result.stdout


@pytest.mark.parametrize(
    ("member", "shown"),
    [
        ("ichinv_element-secret.csv", "export.zip:ichinv_element-secret.csv"),
        ("../../evil.csv", "export.zip:#"),
    ],
)
def test_a_repeat_file_the_form_does_not_have_is_said_to_be_left_out(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, member: str, shown: str
) -> None:
    key = SENT.instance_id
    rows = f"name,phone,PARENT_KEY,KEY\nIvan,{PHONE},{key},{key}/secret[1]\n"
    plain = central_zip(form, [SENT])
    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(plain, lambda name, content: (name, content), extra={member: rows}))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert "evil" not in result.stdout + result.stderr
    assert (
        f"note: files of the export that hold no table of this form were left out: {shown}"
        in result.stdout
    ), result.stdout


@pytest.mark.parametrize(("column", "shown"), [("names-en", True), (PHONE, False)])
def test_a_column_given_twice_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, column: str, shown: bool
) -> None:
    # The last of two `names-en` columns was taken without a word.
    def twice(name: str, content: bytes) -> tuple[str, bytes]:
        if name == "ichinv_element.csv":
            head, rest = content.decode("utf-8").split("\n", 1)
            names = head.split(",")
            names[names.index("names-kk")] = column
            names[names.index("names-en")] = column
            content = (",".join(names) + "\n" + rest).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), twice))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "export.zip:ichinv_element.csv:1: column " in result.stderr, result.stderr
    assert ("names-en" in result.stderr) is shown


def test_a_key_given_twice_in_a_json_export_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document, submission = _document(form, "central-json")
    text = json.dumps(document, ensure_ascii=False)
    contacts = json.dumps(submission["contacts"], ensure_ascii=False)
    path = tmp_path / "export.json"
    twice = text.replace(f'"contacts": {contacts}', f'"contacts": {contacts}, "contacts": []')
    path.write_text(twice, "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2
    assert "export.json:1:" in result.stderr and 'has the key "contacts" twice' in result.stderr


def test_a_number_no_record_can_hold_is_a_located_finding_and_the_import_goes_on(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # Each of these ended the whole import (exit 2, even with --dry-run) with a message that
    # blamed ichinv: the draft's text could not be read back (a number of more than 100
    # digits, or infinity).
    document, submission = _document(form, "central-json")
    text = json.dumps(document, ensure_ascii=False)
    contact = json.dumps(submission["contacts"][0], ensure_ascii=False)
    text = text.replace(contact, contact.replace('"birth_year": 1968', '"birth_year": 1e308'))
    text = text.replace('"year": 2026', f'"year": {10**300}')
    team = json.dumps(submission["provenance"]["inventoried_by"], ensure_ascii=False)
    text = text.replace(f'"inventoried_by": {team}', '"inventoried_by": 1e999')
    path = tmp_path / "export.json"
    path.write_text(text, "utf-8")
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "this is a bug" not in result.stderr, result.stderr
    for question in ("contacts/birth_year", "documentation/year", "provenance/inventoried_by"):
        found = [line for line in result.stdout.splitlines() if f": {question}" in line]
        assert found and "[import.unreadable]" in found[0], (question, result.stdout)
    assert "1e308" not in result.stdout and "inf" not in result.stdout.replace("info", "")
    record = (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
    assert "birth_year" not in record and "Ерлан Жақсыбеков" in record


def test_a_whole_number_too_long_in_a_csv_is_a_located_finding(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # 5,000 digits: Python's own ValueError, exit 3.
    def long(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            content = content.replace(b",1968,", b"," + b"9" * 5000 + b",")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), long))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "99999" not in result.stdout
    assert "ichinv_element-contacts.csv:2: birth_year" in result.stdout, result.stdout
    assert "[import.unreadable]" in result.stdout
