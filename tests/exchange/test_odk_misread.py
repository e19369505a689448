"""An export given as it should not be (without `--from odk`, re-saved by a spreadsheet with
`;`, in UTF-16 or cp1251) is refused in plain words with a hint of what to do, never with the
name of an exception; answers that are no contact (a date with slashes, a formula) are not
warned of as contacts (an outside attack on `ichinv import --from odk`)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import _quiet
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import Sent, central_zip

pytest.importorskip("pyxform")


def _main_csv(form: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(central_zip(form, [SENT]))) as archive:
        return archive.read("ichinv_element.csv").decode("utf-8")


def test_an_odk_export_given_without_from_odk_is_named_so(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "ichinv_element.zip"
    path.write_bytes(central_zip(form, [SENT]))
    result = run("import", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "KeyError" not in result.stderr and "Traceback" not in result.stderr
    assert "ichinv_element.zip is a ZIP of CSV files" in result.stderr, result.stderr
    assert f"did you mean `ichinv import --from odk {path.name}`?" in result.stderr


def test_a_zip_that_is_no_workbook_is_said_without_an_exception_name(
    field_inventory: Path, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "elements.xlsx"
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("notes.txt", "no workbook here")
    path.write_bytes(data.getvalue())
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    first = result.stderr.splitlines()[0]
    assert first == "error: elements.xlsx cannot be read as an xlsx workbook", result.stderr
    assert "--from odk" not in result.stderr


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_csv_a_spreadsheet_saved_with_semicolons_or_tabs_gets_a_hint(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, delimiter: str
) -> None:
    import csv

    rows = list(csv.reader(io.StringIO(_main_csv(form), newline="")))
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "ichinv_element.csv"
    path.write_text(text.getvalue(), "utf-8-sig")
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "columns are separated by" in result.stderr, result.stderr
    assert "CSV UTF-8 (comma delimited)" in result.stderr and "data.json" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251"])
def test_a_csv_in_another_encoding_gets_a_hint(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "ichinv_element.csv"
    path.write_bytes(_main_csv(form).encode(encoding, errors="replace"))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "is not UTF-8 text" in result.stderr
    assert "CSV UTF-8 (comma delimited)" in result.stderr and "data.json" in result.stderr


@pytest.mark.parametrize("answer", ["10/11/2025", "=1+1", "-2+3", "1+1=2 masters", "2013/2024"])
def test_dates_and_sums_are_not_warned_of_as_contacts(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, answer: str
) -> None:
    """The import warned where validate's `text.contact` does not: its own test was the broad
    one that decides what output hides (a `+` before any digit, eight digits with slashes)."""
    answers = json.loads(json.dumps(SENT.answers))
    answers["description"]["en"] = answer
    answers["safeguarding"][0]["measure"] = "Call +7 701 555 12 34"  # a phone: still warned
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [Sent(SENT.instance_id, answers, files=SENT.files)]))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert result.exit_code == 0, result.stdout + result.stderr
    warned = [line for line in result.stdout.splitlines() if "[import.contact]" in line]
    assert len(warned) == 1 and "measure" in warned[0], result.stdout
