"""Read and write the files of export and import: CSV (UTF-8) and xlsx (openpyxl's only home)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.exchange.table import (
    CELL_LIMIT,
    cell_place,
    guard_formula,
    has_field_form,
    unguard,
)
from ichinv.io import given

SHEET = "elements"
"""Name of the worksheet holding the records in an xlsx file."""

ABOUT = "about"
"""Name of the worksheet saying what an export is (its audience, what its cells hold)."""

_FIXED_TIME = dt.datetime(2000, 1, 1)
"""Timestamp written into xlsx files, so the same export gives the same bytes."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A table read from a file: its header and rows of text cells."""

    header: list[str]
    rows: list[list[str]]
    """Data rows, each padded or cut to the header's length."""
    lines: list[int]
    """Where each row starts in the file (CSV line, or xlsx row number), for messages."""
    audience: str = ""
    """The audience an xlsx export says it was made for (its `about` sheet), else ""."""
    unchecked: tuple[str, ...] = ()
    """What the file lets no import check (an earlier ichinv's JSON export), one sentence
    each: said with the rows imported unchecked."""


# --- CSV ---------------------------------------------------------------------------------------


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark (so spreadsheets see Cyrillic), comma-separated,
    every cell that a spreadsheet would run as a formula made inert with a leading `'`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([guard_formula(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def read_csv(raw: bytes, name: str) -> Sheet:
    """A CSV file as exported (or as a spreadsheet saved it: `,`, `;` or tab, with or without
    a byte-order mark). Cells lose the `'` export put before formula-like text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            _("{name} is not UTF-8 text (byte {byte} cannot be read)").format(
                name=name, byte=exc.start + 1
            ),
            hint=_("in the spreadsheet, save as 'CSV UTF-8', or export and import .xlsx instead"),
        ) from None
    if not text.strip():
        raise UsageError(
            _("{name} is empty").format(name=name),
            hint=_("export a table with `ichinv export` first"),
        )
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append([unguard(cell) for cell in row])
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UsageError(
            _("{name}:{line}: the CSV cannot be read: {exc}").format(
                name=name, line=reader.line_num, exc=exc
            ),
            hint=_("check the quotes in that line, or save the file again from the spreadsheet"),
        ) from None
    return _squared(header, rows, lines, name, whole_rows=True)


# --- xlsx --------------------------------------------------------------------------------------


def xlsx_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    notes: Mapping[str, str],
    about: Sequence[tuple[str, str]],
) -> bytes:
    """An xlsx workbook: a sheet `elements` (every cell text, header frozen and filterable,
    `notes` as comments on the header cells) and a sheet `about` with `about` as rows."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for number, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=number)
        _text(cell, name)
        cell.font = Font(bold=True)
        if notes.get(name):
            cell.comment = Comment(notes[name], "ichinv", width=320, height=160)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value:
                if len(value) > CELL_LIMIT:
                    shown, column = cell_place(header, row, r, c)
                    raise UsageError(
                        _(
                            "{row}: the {column} cell holds {count:,} characters, more than a "
                            "spreadsheet cell can ({limit:,})"
                        ).format(
                            row=shown,
                            column=column,
                            count=len(value),
                            limit=CELL_LIMIT,
                        ),
                        hint=_("export this element as CSV or JSON instead"),
                    )
                cell = sheet.cell(row=r, column=c)
                _text(cell, value)
                cell.alignment = Alignment(vertical="top", wrap_text="\n" in value)
    for number, name in enumerate(header, start=1):
        longest = max([len(name)] + [len(row[number - 1].split("\n")[0]) for row in rows])
        sheet.column_dimensions[get_column_letter(number)].width = min(60, max(8, longest + 2))
    sheet.freeze_panes = "B2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    info = book.create_sheet(ABOUT)
    for r, (key, value) in enumerate(about, start=1):
        _text(info.cell(row=r, column=1), key).font = Font(bold=True)
        _text(info.cell(row=r, column=2), value)
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    book.properties.creator = "ichinv"
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    # Not book.save(): it stamps the time of saving into the workbook's properties.
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _fixed_zip_times(out.getvalue())


def sheets_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """An xlsx workbook of plain sheets (name, rows; the first row a bold, frozen header),
    every cell text; the same sheets give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value:
                    cell = _text(sheet.cell(row=r, column=c), value)
                    if r == 1:
                        cell.font = Font(bold=True)
        widths = [
            max((len(str(row[i]).split("\n")[0]) for row in rows if i < len(row)), default=8)
            for i in range(max((len(r) for r in rows), default=0))
        ]
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = min(50, max(8, width + 2))
        sheet.freeze_panes = "A2"
    book.properties.creator = "ichinv"
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    out = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _fixed_zip_times(out.getvalue())


def _text(cell, value: str):  # type: ignore[no-untyped-def]
    """Store `value` as text, never as a formula or a number, whatever it looks like."""
    cell.value = value
    cell.data_type = "s"
    return cell


def _fixed_zip_times(raw: bytes) -> bytes:
    """The same archive with every member dated 1 January 2000: identical bytes every run."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


MAX_COLUMNS = 1_000
"""Most columns a sheet to import may reach (an export has some 60; a spreadsheet allows
16,384, and a cell in the last column made every row that wide: 18 s and 444 MB for 3,000)."""
MAX_ROWS = 200_000
"""Most rows a sheet to import may reach (a cell in row 1,048,576 made a million rows)."""
MAX_CELLS = 5_000_000
"""Most cells a sheet to import may hold, each row counted as wide as its last cell (an export
of 10,000 elements holds some 600,000; one cell in column ALL of each of 199,000 rows made
199 million: 31 s and 3.4 GB)."""
MAX_UNPACKED = 4 * given.LIMIT
"""Most bytes the parts of an xlsx workbook may unpack to (an export of 10,000 elements: about
60 MB; a ZIP may unpack a thousand times larger than it is)."""


def read_xlsx(raw: bytes, name: str) -> Sheet:
    """The `elements` sheet (else the first sheet) of an xlsx workbook, every cell as text.
    Read in time and memory proportional to the cells it holds: a workbook that unpacks to
    more than MAX_UNPACKED bytes, or a sheet reaching past MAX_COLUMNS or MAX_ROWS, or
    holding more than MAX_CELLS cells, is refused as soon as it is read that far (the size a
    sheet declares is not trusted: each row is as wide as its last cell)."""
    from openpyxl import load_workbook

    _refuse_unpacked(raw, name)
    try:
        # Formulas as formulas (not their last results): a formula cell is refused below.
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors alike (never named)
        if _csv_zip(raw):
            raise UsageError(
                _(
                    "{name} is a ZIP of CSV files, as ODK Central exports the submissions of a "
                    "form, not an xlsx workbook"
                ).format(name=name),
                hint=_("did you mean `ichinv import --from odk {name}`?").format(name=name),
            ) from None
        raise UsageError(
            _("{name} cannot be read as an xlsx workbook").format(name=name),
            hint=_("save it from the spreadsheet as .xlsx (Excel workbook), or as CSV UTF-8"),
        ) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        title = sheet.title if has_field_form(sheet.title) else str(book.index(sheet) + 1)
        audience = _about(book, "audience")
        table: list[list[str]] = []
        formula: tuple[int, int] | None = None
        held = 0
        sheet.reset_dimensions()  # whatever it declares: each row as wide as its last cell
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            held += len(cells)
            if number > MAX_ROWS or len(cells) > MAX_COLUMNS or held > MAX_CELLS:
                raise _too_big(name, title, number, len(cells))
            table.append([_cell_text(cell.value) for cell in cells])
            at = next((i for i, cell in enumerate(cells) if cell.data_type == "f"), None)
            if formula is None and at is not None:
                formula = (number, at)
    finally:
        book.close()
    if formula is not None:
        raise _formula(name, title, table[0], *formula)
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    if not table:
        raise UsageError(
            _("{name} has an empty first sheet").format(name=name),
            hint=_("export with `ichinv export`"),
        )
    header = table[0]
    rows, lines = [], []
    for number, row in enumerate(table[1:], start=2):
        if any(c.strip() for c in row):
            rows.append(row)
            lines.append(number)
    return replace(_squared(header, rows, lines, name), audience=audience)


def _csv_zip(raw: bytes) -> bool:
    """Whether `raw` is a ZIP holding CSV files and no workbook: an export of submissions of a
    field form (ODK Central's "CSV with media"), given where a workbook was expected."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "xl/workbook.xml" not in names and any(n.lower().endswith(".csv") for n in names)


def _refuse_unpacked(raw: bytes, name: str) -> None:
    """Refuse a workbook whose parts declare more than MAX_UNPACKED bytes in all (a part is
    never read past the size it declares: Python's zipfile stops there)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # said below, as openpyxl finds it
    if unpacked > MAX_UNPACKED:
        raise UsageError(
            _("{name} unpacks to {size:,} bytes, more than the {limit:,} bytes read").format(
                name=name, size=unpacked, limit=MAX_UNPACKED
            ),
            hint=_("save it from the spreadsheet as .xlsx (Excel workbook), or as CSV UTF-8"),
        )


def _too_big(name: str, sheet: str, row: int, width: int) -> UsageError:
    """The error for a sheet that reaches past MAX_ROWS rows or MAX_COLUMNS columns, or holds
    more than MAX_CELLS cells by row `row`."""
    from openpyxl.utils import get_column_letter

    if row > MAX_ROWS:
        return UsageError(
            _("{name}: sheet {sheet} has more than {limit:,} rows").format(
                name=name, sheet=sheet, limit=MAX_ROWS
            ),
            hint=_(
                "import the rows in parts (export with a filter, e.g. --province), or delete "
                "the cells below the table"
            ),
        )
    if width <= MAX_COLUMNS:
        return UsageError(
            _(
                "{name}: sheet {sheet} holds more than {limit:,} cells by row {row} (each row "
                "counted as wide as its last cell, here column {column})"
            ).format(
                name=name, sheet=sheet, limit=MAX_CELLS, row=row, column=get_column_letter(width)
            ),
            hint=_(
                "delete the cells to the right of the table and below it, save, and import "
                "again; or import the rows in parts"
            ),
        )
    return UsageError(
        _(
            "{name}: sheet {sheet}, row {row} reaches column {column} ({count:,}); a table to "
            "import has at most {limit:,} columns"
        ).format(
            name=name,
            sheet=sheet,
            row=row,
            column=get_column_letter(width),
            count=width,
            limit=MAX_COLUMNS,
        ),
        hint=_("delete the cells to the right of the table, save, and import again"),
    )


def _about(book: Any, key: str) -> str:
    """The value of `key` on the `about` sheet an export writes ("" when there is none): a
    public export says `audience: public` there, whatever was done to its columns."""
    if ABOUT not in book.sheetnames:
        return ""
    for cells in book[ABOUT].iter_rows(max_col=2, max_row=50, values_only=True):
        if len(cells) == 2 and cells[0] == key and isinstance(cells[1], str):
            return cells[1].strip()
    return ""


def _formula(name: str, sheet: str, header: list[str], row: int, index: int) -> UsageError:
    """The error for a formula in row `row`, column `index` (from 0). Refused even with the
    result the spreadsheet last saved beside it: that result may be stale or missing (files
    written by scripts keep none), and nothing tells it from what the editor meant."""
    from openpyxl.utils import get_column_letter

    title = header[index].strip() if index < len(header) and row > 1 else ""
    column = title if has_field_form(title) else get_column_letter(index + 1)
    return UsageError(
        _(
            "{name}: sheet {sheet}, row {row}, column {column}: the cell holds a formula; "
            "an import takes values, not formulas"
        ).format(name=name, sheet=sheet, row=row, column=column),
        hint=_(
            "replace the formula by its value: copy the cell and paste it back as values only "
            "(Paste Special → Values only), or type the value in"
        ),
    )


def _cell_text(value: object) -> str:
    """What a cell holds, as the text a CSV would have: dates as YYYY-MM-DD, whole numbers
    without `.0`, TRUE/FALSE as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _squared(
    header: list[str],
    rows: list[list[str]],
    lines: list[int],
    name: str,
    *,
    whole_rows: bool = False,
) -> Sheet:
    """The rows, each as long as the header. A row with values beyond the header is refused;
    so is, when `whole_rows` (a CSV: a spreadsheet saves a cell for every column, empty or
    not), one with fewer cells than the header: its missing cells are not emptied cells, and
    an import would remove those fields (found by an outside test). An xlsx row may leave
    out empty cells at its end: those are empty. Columns of no name at the header's end are
    none (a spreadsheet saves the columns it shows, empty ones too)."""
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    for row, line in zip(rows, lines, strict=True):
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise UsageError(
                _("{name}:{line}: the row has {count} cells but the header only {width}").format(
                    name=name, line=line, count=len(row), width=width
                ),
                hint=_("every value needs a column name in the first row"),
            )
        if whole_rows and len(row) < width:
            raise UsageError(
                _("{name}:{line}: the row has {count} cells but the header {width}").format(
                    name=name, line=line, count=len(row), width=width
                ),
                hint=_(
                    "a row has a cell for every column, empty or not, as spreadsheets save "
                    "it: a separator was lost or the line was cut short; export again, or "
                    "correct the line"
                ),
            )
    return Sheet(header, [(row + [""] * width)[:width] for row in rows], lines)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file to import (UsageError when it is missing, no regular file, larger
    than ichinv.io.given.LIMIT or unreadable)."""
    try:
        return given.read(path, hint=_("give the path of an exported file"))
    except FileNotFoundError:
        raise UsageError(
            _("{path} does not exist").format(path=path),
            hint=_("give the path of an exported file"),
        ) from None


def read(path: Path) -> Sheet:
    """A CSV or xlsx file, chosen by its name."""
    raw = read_bytes(path)
    if path.suffix.lower() == ".xlsx" or raw[:4] == b"PK\x03\x04":
        return read_xlsx(raw, path.name)
    return read_csv(raw, path.name)
