"""Renderers of `ichinv list`: a table, JSON or CSV of the chosen elements."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.exchange.table import guard_formula
from ichinv.render.plain import dumps, visible


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


def render_json(listing: Listing) -> str:
    return dumps(
        {"audience": listing.audience, "count": len(listing.rows), "elements": list(listing.rows)},
        record_text=True,
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
                guard_formula(visible("; ".join(v) if isinstance(v, list) else v or ""))
                for v in (row[c] for c in CSV_COLUMNS)
            ]
        )
    return out.getvalue()


RENDERERS: dict[ListFormat, Callable[[Listing], str]] = {
    ListFormat.TABLE: render_table,
    ListFormat.JSON: render_json,
    ListFormat.CSV: render_csv,
}
