"""`ichinv import --from odk` with answers placed where no server places them (found by an
outside review): KoboToolbox answers of a repeat given outside its list, and rows of ODK
Central's repeat files whose KEY is given twice, has no number, or numbers a group. Each is
refused in plain words (exit 2, file and line) or named in a note; none is merged into another
person's answers, dropped without a word, or ends in a traceback, and nothing is quoted."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import _quiet, _rewrite
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import PHONE, SENT, _document, _import
from tests.support.odk_exports import central_zip

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


def _contacts(form: bytes, tmp_path: Path, edit_rows: Callable[[list[str]], list[str]]) -> Path:
    """The ZIP export with the lines of its contacts file passed through `edit_rows`."""

    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            lines = content.decode("utf-8").splitlines(keepends=True)
            content = "".join(edit_rows(lines)).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    return path


def test_a_repeat_row_whose_key_is_given_twice_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # The second contact's row under the first one's KEY was merged into it: one person's
    # name with another's phone and e-mail.
    def same_key(lines: list[str]) -> list[str]:
        first_key = lines[1].rstrip("\r\n").rsplit(",", 1)[1]
        head, __ = lines[2].rstrip("\r\n").rsplit(",", 1)
        return [lines[0], lines[1], f"{head},{first_key}\r\n", *lines[3:]]

    path = _contacts(form, tmp_path, same_key)
    for dry in (["--dry-run"], []):
        result = run("import", "--from", "odk", str(path), *dry)
        _quiet(result.stdout, result.stderr)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert (
            "export.zip:ichinv_element-contacts.csv:3: the KEY of this row is the KEY of "
            "export.zip:ichinv_element-contacts.csv:2" in result.stderr
        ), result.stderr
        assert "uuid:" not in result.stderr and "Traceback" not in result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_a_repeat_file_given_twice_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # A copy of the contacts file beside it: each contact's rows were merged, field by field.
    plain = central_zip(form, [SENT])
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        contacts = archive.read("ichinv_element-contacts.csv").decode("utf-8")
    path = tmp_path / "export.zip"
    copy = {"ichinv_element-contacts (2).csv": contacts}
    path.write_bytes(_rewrite(plain, lambda name, content: (name, content), extra=copy))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "export.zip:ichinv_element-contacts (2).csv:2: the KEY of this row is the KEY of "
        "export.zip:ichinv_element-contacts.csv:2" in result.stderr
    ), result.stderr


@pytest.mark.parametrize("rows", [1, 2])
def test_a_contacts_row_whose_key_does_not_number_its_repeat_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, rows: int
) -> None:
    # `…/contacts` with no number: the contacts were dropped without a word, or, beside a
    # numbered row, exit 3 (KeyError).
    def unnumbered(lines: list[str]) -> list[str]:
        return [
            lines[0],
            *(re.sub(r"/contacts\[[12]\]", "/contacts", x) for x in lines[1 : 1 + rows]),
            *lines[1 + rows :],
        ]

    result = run("import", "--from", "odk", str(_contacts(form, tmp_path, unnumbered)))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "export.zip:ichinv_element-contacts.csv:2: the KEY does not place the row as ODK "
        "Central does" in result.stderr
    ), result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_a_threats_row_whose_key_numbers_a_group_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # `viability` is a group: ODK Central never numbers it. Ended in exit 3 (KeyError) when the
    # group had answers in the main file, and the row was dropped without a word when not.
    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-threats.csv"):
            content = content.replace(b"/viability/threats[1]", b"/viability[1]/threats[1]")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "export.zip:ichinv_element-threats.csv:2: the KEY does not place the row as ODK "
        "Central does" in result.stderr
    ), result.stderr
