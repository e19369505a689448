"""Renderers of `ichinv list`: a table, JSON or CSV of the chosen elements."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.core.controls import Name
from ichinv.exchange.table import guard_formula
from ichinv.render.plain import dumps, one_line, visible


class ListFormat(StrEnum):
    """Output formats of `ichinv list`."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Listing:
    """The chosen elements, one summary row each (see ichinv.inventory.selection.summary_row)."""

    rows: Sequence[Mapping[str, Any]]
    audience: str


def render_table(listing: Listing) -> str:
    """The table as plain lines (for a pipe): see element_lines."""
    from ichinv.render.terminal import console as terminal

    return terminal.element_lines(listing.rows)


NAMES = ("id", "path")
"""The columns that name an element and its file: no record's text, they escape every invisible
character, a joiner between two Arabic letters too (ichinv.core.controls)."""


def render_json(listing: Listing) -> str:
    rows = [
        {k: Name(v) if k in NAMES and isinstance(v, str) else v for k, v in row.items()}
        for row in listing.rows
    ]
    return dumps(
        {"audience": listing.audience, "count": len(rows), "elements": rows}, record_text=True
    )


CSV_COLUMNS = (
    "id",
    "name",
    "national_category",
    "domains",
    "provinces",
    "status",
    "consent",
    "access",
    "viability",
    "path",
)


def render_csv(listing: Listing) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in listing.rows:
        writer.writerow(
            [
                # Inert in a spreadsheet (no formula), and on a terminal (no escape sequence).
                guard_formula(_shown(column, row[column]))
                for column in CSV_COLUMNS
            ]
        )
    return out.getvalue()


def _shown(column: str, value: Any) -> str:
    if column in NAMES:
        return one_line(value or "")
    return visible("; ".join(value) if isinstance(value, list) else value or "")


RENDERERS: dict[ListFormat, Callable[[Listing], str]] = {
    ListFormat.TABLE: render_table,
    ListFormat.JSON: render_json,
    ListFormat.CSV: render_csv,
}
