"""Files given on the command line are read only when regular, and only up to a limit.

An outside attacker's report: `ichinv import /dev/zero` was killed by the kernel at ~23 GB;
a link named `x.csv`, `x.json`, `x.xlsx` or `x.zip` to /dev/zero ended in `internal error:
MemoryError` (exit 3), and so did `import --from odk` and `ci summary x.md`/`x.json`. A 20 KB
workbook whose rows each held one cell in column XFD took 18.6 s and 444 MB for `import
--dry-run`. Now a device, pipe or folder is refused before anything is read, a file above
ichinv.io.given.LIMIT is refused by its size, and a sheet is read as wide as its cells reach,
refused past MAX_COLUMNS or MAX_ROWS (exit 2 each).

These tests never read /dev/zero: a link to /dev/null stands for a device (a regression reads
it as empty), and a pipe has a writer that gives it a few bytes.
"""

from __future__ import annotations

import io
import os
import re
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.exchange import spreadsheet
from ichinv.io import given
from tests.support.helpers import Result

Run = Callable[..., Result]

NOT_REGULAR = "is not a regular file (a device, pipe or socket); it was not read"


def device(folder: Path, name: str) -> Path:
    link = folder / name
    link.symlink_to(os.devnull)
    return link


IMPORTS = [
    ("import", "--dry-run", "{}.csv"),
    ("import", "--dry-run", "{}.json"),
    ("import", "--dry-run", "{}.xlsx"),
    ("import", "--dry-run", "{}.zip"),
    ("import", "--from", "odk", "--dry-run", "{}.csv"),
    ("import", "--from", "odk", "--dry-run", "{}.json"),
    ("import", "--from", "odk", "--dry-run", "{}.zip"),
    ("ci", "summary", "{}.md"),
    ("ci", "summary", "{}.json"),
]


@pytest.mark.parametrize("args", IMPORTS, ids=" ".join)
def test_a_device_is_not_read(inventory: Path, run: Run, args: tuple[str, ...]) -> None:
    name = Path(args[-1].format("x")).name
    link = device(inventory.parent, name)
    result = run(*args[:-1], str(link))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{link} {NOT_REGULAR}" in result.stderr, result.stderr
    assert "hint: give " in result.stderr


@pytest.mark.parametrize("args", [IMPORTS[0], IMPORTS[4], IMPORTS[7]], ids=" ".join)
def test_a_pipe_is_not_read(inventory: Path, run: Run, args: tuple[str, ...]) -> None:
    pipe = inventory.parent / Path(args[-1].format("pipe")).name
    os.mkfifo(pipe)

    def feed() -> None:  # should the pipe be read after all: a few bytes, then its end
        try:
            with open(pipe, "wb") as writer:
                writer.write(b"id\n")
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = run(*args[:-1], str(pipe))
    # The writer waits for a reader until one opens the pipe: this one, so that it ends.
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    writer.join(5)
    os.close(reader)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{pipe} {NOT_REGULAR}" in result.stderr, result.stderr


@pytest.mark.parametrize("args", [IMPORTS[0], IMPORTS[1], IMPORTS[5], IMPORTS[7]], ids=" ".join)
def test_a_file_above_the_limit_is_not_read(
    inventory: Path, run: Run, args: tuple[str, ...]
) -> None:
    large = inventory.parent / Path(args[-1].format("large")).name
    with large.open("wb") as out:
        out.truncate(given.LIMIT + 1)  # sparse: nothing written to disk
    result = run(*args[:-1], str(large))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        f"{large} is {given.LIMIT + 1:,} bytes, more than the {given.LIMIT:,} bytes ichinv "
        "reads from a file given to it"
    ) in result.stderr, result.stderr


def workbook(cells: list[tuple[int, int]]) -> bytes:
    """An xlsx workbook of one sheet `elements`: `id` in A1, `x` in each (row, column)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "elements"
    sheet["A1"] = "id"
    for row, column in cells:
        sheet.cell(row=row, column=column, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_as_wide_as_a_spreadsheet_allows_is_refused_at_once(
    inventory: Path, run: Run
) -> None:
    path = inventory.parent / "wide.xlsx"
    path.write_bytes(workbook([(row, 16_384) for row in range(2, 302)]))
    started = time.monotonic()
    result = run("import", "--dry-run", str(path))
    took = time.monotonic() - started
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "wide.xlsx: sheet elements, row 2 reaches column XFD (16,384); a table to import has "
        "at most 1,000 columns"
    ) in result.stderr, result.stderr
    assert "hint: delete the cells to the right of the table" in result.stderr
    assert took < 5, took


def test_a_sheet_reaching_past_the_last_row_is_refused(inventory: Path, run: Run) -> None:
    path = inventory.parent / "deep.xlsx"
    path.write_bytes(workbook([(1_048_576, 1)]))
    result = run("import", "--dry-run", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "deep.xlsx: sheet elements has more than 200,000 rows" in result.stderr


def _export(run: Run, folder: Path) -> Path:
    path = folder / "committee.xlsx"
    result = run("export", "--audience", "committee", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def _with_dimension(path: Path, ref: str) -> None:
    """The workbook at `path` with its sheet declaring the size `ref`."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def _with_sheet_data(path: Path, data: str) -> None:
    """The workbook at `path` with `data` as the cells of its sheet."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb"<sheetData>.*</sheetData>", data.encode(), part)
            target.writestr(info, part)
    path.write_bytes(out.getvalue())


def test_the_size_a_sheet_declares_is_not_trusted(inventory: Path, run: Run) -> None:
    """Each row is read as wide as its cells reach: an export declaring itself 16,384 columns
    wide imports as itself, nothing lost, nothing added."""
    path = _export(run, inventory.parent)
    _with_dimension(path, "A1:XFD400")
    result = run("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 records changed (0 fields), 0 new" in result.stdout, result.stdout


def test_a_workbook_unpacking_past_the_limit_is_refused(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export(run, inventory.parent)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED", unpacked - 1)
    result = run("import", "--dry-run", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        f"committee.xlsx unpacks to {unpacked:,} bytes, more than the {unpacked - 1:,} bytes read"
        in result.stderr
    )


def test_a_sheet_of_many_wide_rows_is_refused_once_it_holds_too_many_cells(
    inventory: Path, run: Run
) -> None:
    """A 1 MB workbook of 199,000 rows, each one cell in column ALL (within MAX_COLUMNS), took
    31 s and 3.4 GB before the column names were refused: each row is as wide as its last
    cell. Now the sheet is read only until it holds MAX_CELLS cells."""
    path = inventory.parent / "tall.xlsx"
    path.write_bytes(workbook([]))
    rows = "".join(
        f'<row r="{n}"><c r="ALL{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, 20_001)
    )
    _with_sheet_data(path, f"<sheetData>{rows}</sheetData>")
    result = run("import", "--dry-run", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    limit = spreadsheet.MAX_CELLS
    # Refused at the row that passed the limit, not after reading the 20,000.
    assert (
        f"tall.xlsx: sheet elements holds more than {limit:,} cells by row {limit // 1000 + 1} "
        "(each row counted as wide as its last cell, here column ALL)"
    ) in result.stderr, result.stderr
    assert "hint: delete the cells to the right of the table and below it" in result.stderr
