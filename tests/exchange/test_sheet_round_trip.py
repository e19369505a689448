"""The spreadsheet round trip as a spreadsheet treats it: what an outside attack found an
unedited export, or a spreadsheet's own way of saving, did to records."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]

SHAPELESS = """id: KZ-2026-0001
names:
  kk: Сынақ
  ru: Проба
  en: Test element
# a single domain, written as a text instead of a list
domains: craftsmanship
national_category: V
provinces: [KZ-23]
status: active
description:
  en: A practice described for tests.
characteristics:
  tangible_elements: felt  # one object, not a list
  languages: kk
viability:
  status: viable
  assessed: 2026-04-01
  assessed_by: "007"
consent:
  status: given
  date: 2026-04-01
  form: written
access:
  level: public
provenance:
  entered: 2026-04-01
"""


@pytest.fixture
def inv(inventory: Path) -> Path:
    (inventory / "elements" / "KZ-2026-0001.yaml").write_text(SHAPELESS, encoding="utf-8")
    d.write(inventory, d.element("KZ-2026-0005", names={"kk": "Бес", "ru": "Пять", "en": "Five"}))
    return inventory


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def export(run: Run, tmp_path: Path, suffix: str = "csv") -> Path:
    path = tmp_path / f"committee.{suffix}"
    result = run("export", "--audience", "committee", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))


def set_cell(path: Path, element_id: str, column: str, value: str) -> None:
    """Set one cell of an exported CSV or xlsx file, as typed (a text)."""
    if path.suffix == ".csv":
        rows = read_rows(path)
        row = next(r for r in rows if r[0] == element_id)
        row[rows[0].index(column)] = value
        write_rows(path, rows)
        return
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["elements"]
    header = [c.value for c in sheet[1]]
    number = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == element_id)
    sheet.cell(row=number, column=header.index(column) + 1, value=value)
    book.save(path)


# --- 1. values of another shape than their column's ---------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_an_unedited_value_of_another_shape_is_no_change(
    run: Run, inv: Path, tmp_path: Path, suffix: str
) -> None:
    """An outside attack: `tangible_elements: felt` came back as `['"felt"']` (written, exit 0),
    and `domains: craftsmanship` as `['"craftsmanship"']`, which refused the whole import."""
    path = export(run, tmp_path, suffix)
    before = snapshot(inv)
    for force in ([], ["--force"]):
        result = run("import", str(path), *force)
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "0 records changed (0 fields), 0 new, 3 unchanged" in result.stdout
        assert snapshot(inv) == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_edited_cell_of_such_a_value_adds_no_quote_marks(
    run: Run, inv: Path, tmp_path: Path, suffix: str
) -> None:
    path = export(run, tmp_path, suffix)
    set_cell(path, "KZ-2026-0001", "characteristics.tangible_elements", '"felt"; "wool"')
    set_cell(path, "KZ-2026-0001", "domains", '"performing-arts"')
    set_cell(path, "KZ-2026-0001", "characteristics.languages", "kk; ru")
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (inv / "elements" / "KZ-2026-0001.yaml").read_text(encoding="utf-8")
    assert '"' not in text.replace('"007"', "")
    assert "domains:\n  - performing-arts\n" in text
    assert "  tangible_elements:  # one object, not a list\n    - felt\n    - wool\n" in text
    assert "  languages:\n    - kk\n    - ru\n" in text


# --- 2. a row given another element's id --------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("given", ["KZ-2026-0001", "KZ-2026-0007"], ids=["existing", "new"])
def test_a_row_given_another_id_is_refused_even_with_force(
    run: Run, inv: Path, tmp_path: Path, force: list[str], given: str
) -> None:
    """An outside attack: the id cell of KZ-2026-0005's row overwritten with KZ-2026-0001 (and
    that element's own row deleted) replaced KZ-2026-0001's record by 0005's (with --force;
    without it, only as "changed after this file was exported"). The row's checksum is the
    blob of KZ-2026-0005: it came from another element."""
    path = export(run, tmp_path)
    rows = read_rows(path)
    rows = [r for r in rows if r[0] != "KZ-2026-0001"]
    line = next(n for n, r in enumerate(rows, start=1) if r[0] == "KZ-2026-0005")
    rows[line - 1][0] = given
    write_rows(path, rows)
    before = snapshot(inv)
    result = run("import", str(path), *force)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith(
        f"error: committee.csv:{line}: column id: the row was exported from the record of "
        f"KZ-2026-0005 (its _checksum says so), but its id cell holds {given}"
    ), result.stderr
    assert "hint: " in result.stderr
    assert snapshot(inv) == before


def test_a_row_given_another_id_is_named_so_before_any_of_its_cells(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """What matters first of such a row is whose it is: a cell it could not read (here a date
    that is no date) was said instead, and the editor mended the cell only to be refused
    again."""
    path = export(run, tmp_path)
    set_cell(path, "KZ-2026-0005", "viability.assessed", "4/2/2026")
    rows = [r for r in read_rows(path) if r[0] != "KZ-2026-0001"]
    line = next(n for n, r in enumerate(rows, start=1) if r[0] == "KZ-2026-0005")
    rows[line - 1][0] = "KZ-2026-0001"
    write_rows(path, rows)
    result = run("import", str(path), "--force")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "the row was exported from the record of KZ-2026-0005" in result.stderr
    assert "4/2/2026" not in result.stderr


# --- 3. a cell that is no date ------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("column", ["viability.assessed", "consent.date"])
@pytest.mark.parametrize("cell", ["4/2/2026", "4/2/26", "46114", "hello", "2026-02-30"])
def test_a_cell_that_is_no_date_stops_the_import_at_its_cell(
    run: Run, inv: Path, tmp_path: Path, force: list[str], column: str, cell: str
) -> None:
    """An outside attack: such a cell was an error of validation at the record (exit 1, with
    no file, line or column), and --force wrote it."""
    path = export(run, tmp_path)
    set_cell(path, "KZ-2026-0005", column, cell)
    line = next(n for n, r in enumerate(read_rows(path), start=1) if r[0] == "KZ-2026-0005")
    before = snapshot(inv)
    result = run("import", str(path), *force)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stderr.startswith(
        f"error: committee.csv:{line}: column {column}: the cell is not a date"
    ), result.stderr
    assert "hint: write the date as YYYY-MM-DD" in result.stderr
    assert cell not in result.stderr
    assert snapshot(inv) == before


@pytest.mark.parametrize("value", [46114, 46114.0, "4/2/2026"])
def test_a_number_or_text_in_an_xlsx_date_cell_is_no_date(
    run: Run, inv: Path, tmp_path: Path, value: object
) -> None:
    from openpyxl import load_workbook

    path = export(run, tmp_path, "xlsx")
    book = load_workbook(path)
    sheet = book["elements"]
    header = [c.value for c in sheet[1]]
    number = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "KZ-2026-0005")
    sheet.cell(row=number, column=header.index("viability.assessed") + 1, value=value)
    book.save(path)
    result = run("import", str(path), "--force")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"committee.xlsx:{number}: column viability.assessed: the cell is not a date" in (
        result.stderr
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_forms_of_a_date_spreadsheets_write_are_dates(
    run: Run, inv: Path, tmp_path: Path, suffix: str
) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    path = export(run, tmp_path, suffix)
    set_cell(path, "KZ-2026-0005", "viability.assessed", "02.04.2026")
    set_cell(path, "KZ-2026-0005", "consent.date", "2026-04-03 00:00:00")
    if suffix == "xlsx":
        book = load_workbook(path)
        sheet = book["elements"]
        header = [c.value for c in sheet[1]]
        number = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "KZ-2026-0005")
        cell = sheet.cell(row=number, column=header.index("provenance.entered") + 1)
        cell.value = dt.datetime(2026, 4, 4)
        cell.number_format = "DD.MM.YYYY"
        book.save(path)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (inv / "elements" / "KZ-2026-0005.yaml").read_text(encoding="utf-8")
    assert '"assessed": "2026-04-02"' in text
    assert '"date": "2026-04-03"' in text
    if suffix == "xlsx":
        assert '"entered": "2026-04-04"' in text


# --- 4. leading zeros a spreadsheet dropped -----------------------------------------------------


@pytest.mark.parametrize(("suffix", "value"), [("csv", "7"), ("xlsx", 7), ("xlsx", 7.0)])
def test_leading_zeros_a_spreadsheet_dropped_are_no_change(
    run: Run, inv: Path, tmp_path: Path, suffix: str, value: object
) -> None:
    """An outside attack: `assessed_by: "007"`, saved by a spreadsheet as the number 7, was
    planned as `"007" → "7"` and written."""
    from openpyxl import load_workbook

    path = export(run, tmp_path, suffix)
    if suffix == "csv":
        set_cell(path, "KZ-2026-0001", "viability.assessed_by", str(value))
    else:
        book = load_workbook(path)
        sheet = book["elements"]
        header = [c.value for c in sheet[1]]
        number = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "KZ-2026-0001")
        sheet.cell(row=number, column=header.index("viability.assessed_by") + 1, value=value)
        book.save(path)
    before = snapshot(inv)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 records changed (0 fields), 0 new, 3 unchanged" in result.stdout
    assert snapshot(inv) == before


@pytest.mark.parametrize("cell", ["8", "0007", "7.5"])
def test_another_number_is_an_edit(run: Run, inv: Path, tmp_path: Path, cell: str) -> None:
    path = export(run, tmp_path)
    set_cell(path, "KZ-2026-0001", "viability.assessed_by", cell)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f'    viability.assessed_by: "007" → "{cell}"' in result.stdout
    text = (inv / "elements" / "KZ-2026-0001.yaml").read_text(encoding="utf-8")
    assert f"  assessed_by: {cell!r}\n".replace("'", '"') in text or (
        f"  assessed_by: {cell}\n" in text
    )


# --- 5. columns added at the end ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes", "column {number} ('notes') is not a field of element records"),
        ("names.en", "column {number} ('names.en') appears twice in the header"),
        ("_checksum", "column {number} ('_checksum') appears twice in the header"),
        ("", "column {number} is not a field of element records"),
    ],
)
def test_a_column_after_the_checksum_is_named_by_its_place(
    run: Run, inv: Path, tmp_path: Path, name: str, message: str
) -> None:
    """An outside attack: a column appended after `_checksum` was called by the number of the
    one before it."""
    path = export(run, tmp_path)
    rows = read_rows(path)
    number = len(rows[0]) + 1
    rows[0].append(name)
    for row in rows[1:]:
        row.append("x")
    write_rows(path, rows)
    result = run("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    if name:
        assert message.format(number=number) in result.stderr, result.stderr
    else:  # no name but a value: a value beyond the header
        assert f"the row has {number} cells but the header only {number - 1}" in result.stderr


@pytest.mark.parametrize("width", [1, 3])
def test_empty_columns_a_spreadsheet_saved_at_the_end_are_no_columns(
    run: Run, inv: Path, tmp_path: Path, width: int
) -> None:
    """An outside attack: a column with no name and no value at the end, as spreadsheets save
    one, was "not of the form of a field name"."""
    path = export(run, tmp_path)
    rows = read_rows(path)
    for row in rows:
        row.extend([""] * width)
    write_rows(path, rows)
    before = snapshot(inv)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 records changed (0 fields), 0 new, 3 unchanged" in result.stdout
    assert snapshot(inv) == before


# --- 6. a text longer than a spreadsheet cell ---------------------------------------------------


def test_a_csv_cell_longer_than_a_spreadsheet_cell_is_warned_of_and_its_cut_refused(
    run: Run, inv: Path, tmp_path: Path
) -> None:
    """An outside attack: a spreadsheet opening the CSV keeps 32,767 characters of a longer
    text, and importing the file it saved shortened the record's text, with no word."""
    long = "Сөз " * 10_000  # 40,000 characters
    d.write(inv, d.element("KZ-2026-0005", description={"en": long.strip()}))
    path = tmp_path / "committee.csv"
    result = run("export", "--audience", "committee", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert (
        "note: KZ-2026-0005, column description.en: the cell holds 39,999 characters, more "
        "than a spreadsheet cell holds (32,767)"
    ) in result.stderr
    assert "Сөз" not in result.stderr
    set_cell(path, "KZ-2026-0005", "description.en", long[:32_767])
    line = next(n for n, r in enumerate(read_rows(path), start=1) if r[0] == "KZ-2026-0005")
    before = snapshot(inv)
    for force in ([], ["--force"]):
        result = run("import", str(path), *force)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert result.stderr.startswith(
            f"error: committee.csv:{line}: column description.en: the cell holds 32,767 "
            "characters, all a spreadsheet cell holds, and the record's text is longer"
        ), result.stderr
        assert snapshot(inv) == before
    set_cell(path, "KZ-2026-0005", "description.en", long[:32_766])  # shortened by hand
    assert run("import", str(path)).exit_code == 0
    json_export = run("export", "--audience", "committee", "-f", "json")
    assert "note" not in json_export.stderr
