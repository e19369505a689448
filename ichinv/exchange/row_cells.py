"""The values of one row of a table to import, read cell by cell against the record the row
was exported from (ichinv.exchange.importing makes the plan): a cell left as exported is the
record's value, whatever its shape; any other is read as its column's kind, and one that
cannot be read stops the import at its file, line and column."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.exchange import table


def decode_row(
    cells: list[str],
    cols: list[table.Column],
    where: str,
    record: tuple[Mapping[str, Any], Mapping[str, Any]],
) -> dict[tuple[str, ...], Any]:
    """The values of a row's cells (`where`: `FILE:LINE`, for messages); `record`: the row's
    record as exported (the committee view) and as an import compares with it (both empty
    for a new row). A cell still holding what export wrote is the record's value, whatever
    its shape (a list field holding a text)."""
    exported, current = record
    decoded: dict[tuple[str, ...], Any] = {}
    for cell, column in zip(cells, cols, strict=True):
        written = table.value_at(exported, column)
        if table.unedited(cell, written, column):
            decoded[column.path] = table.value_at(current, column)
            continue
        if table.cut_short(cell, written):
            raise _cut(where, column)
        try:
            decoded[column.path] = table.decode(cell, column)
        except table.CellError as exc:
            raise UsageError(
                _("{where}: column {name}: {exc}").format(where=where, name=column.name, exc=exc),
                hint=_cell_hint(column),
            ) from None
    return decoded


def _cell_hint(column: table.Column) -> str:
    hints = {
        table.CellKind.LIST: N_('separate values with \';\', or write a JSON list ["a", "b"]'),
        table.CellKind.JSON: N_(
            "this column holds JSON, as exported; check brackets, commas and double quotes"
        ),
        table.CellKind.INTEGER: N_("write a whole number"),
        table.CellKind.BOOLEAN: N_("write true or false"),
        table.CellKind.DATE: N_("write the date as YYYY-MM-DD (2026-04-02) or DD.MM.YYYY"),
    }
    otherwise = N_("fix the cell")  # apart: a message marked inside `_(…)` is not extracted
    return _(hints.get(column.kind, otherwise))


def _cut(where: str, column: table.Column) -> UsageError:
    """The refusal of a cell holding the first CELL_LIMIT characters of the record's longer
    text: a spreadsheet cut it when it opened the CSV, and the import would cut the record's."""
    return UsageError(
        _(
            "{where}: column {name}: the cell holds {limit:,} characters, all a spreadsheet "
            "cell holds, and the record's text is longer and begins with them: the "
            "spreadsheet cut the text when it opened the file, and importing the cell would "
            "cut the record's"
        ).format(where=where, name=column.name, limit=table.CELL_LIMIT),
        hint=_(
            "put the whole text back from a new export, or delete the column from the file; "
            "edit a text this long in the record itself"
        ),
    )
