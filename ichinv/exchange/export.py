"""`ichinv export`: elements for spreadsheets (CSV, xlsx) or other tools (JSON), one row each.

A public export leaves out contacts and restricted parts and says in its last column what it
withheld (it cannot be imported); a committee export holds everything and, in its last column,
the git blob id of each record, so that `ichinv import` can refuse rows whose record changed
since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.core import i18n, jsontext, pointers
from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, RecordKind
from ichinv.exchange import spreadsheet, table
from ichinv.inventory import audience as redact
from ichinv.inventory import selection
from ichinv.inventory import view as inventory_view
from ichinv.inventory.audience import Audience
from ichinv.inventory.redaction import nameable
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import Schema

CHECKSUM = "_checksum"
"""Last column of committee exports: the git blob id of the record file that was exported.
On import, a row whose record changed since is refused (it would undo those changes)."""

WITHHELD = "_withheld"
"""Last column of public exports: the fields left out of each record. Public exports cannot be
imported (that would write the withheld notes over the records)."""


class ExportFormat(StrEnum):
    """File formats of `ichinv export`."""

    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


@dataclass(frozen=True, slots=True)
class Export:
    """An export, ready to be written."""

    content: bytes
    count: int
    """Number of elements exported."""
    audience: Audience
    format: ExportFormat
    left_out: tuple[Finding, ...] = ()
    """Record files that could not be read, and so are not in the export."""
    notes: tuple[str, ...] = ()
    """What the user should know of the file written (a CSV cell longer than a spreadsheet
    cell holds), one sentence each."""


def export(
    settings: Settings,
    fmt: ExportFormat,
    audience: Audience,
    filters: selection.Filters | None = None,
) -> Export:
    """The elements matching `filters`, as `audience` may see them, in format `fmt`."""
    inventory = inventory_view.load(settings)
    chosen = selection.select(inventory, filters or selection.Filters(), audience)
    views = [data for __, data in chosen]
    if audience is Audience.COMMITTEE:
        _refuse_clash(rec.path for rec, data in chosen if CHECKSUM in data)
    if fmt is ExportFormat.JSON:
        if audience is Audience.COMMITTEE:
            # As the `_checksum` column of the tables, last in each element: lets `import`
            # see records changed since, and an element given another's id (kept apart by
            # id, the checksum would follow the id).
            views = [{**data, CHECKSUM: rec.blob} for rec, data in chosen]
        document: dict[str, Any] = {
            "audience": audience.value,
            "count": len(views),
            "elements": views,
        }
        text = jsontext.dumps(document, record_text=True)
        return Export(
            text.encode("utf-8"), len(views), audience, fmt, inventory.problems_for(audience)
        )
    schema = schema_loader.load(settings.schema_dir)[RecordKind.ELEMENT]
    cols = table.columns(schema, views)
    if audience is Audience.PUBLIC:
        # A column holding personal data anywhere goes as a whole.
        personal = {pointers.top(p) for p in inventory.policy.personal_fields(RecordKind.ELEMENT)}
        cols = [c for c in cols if c.path[0] not in personal]
    header = [c.name for c in cols]
    if audience is Audience.COMMITTEE:
        rows = [table.row(data, cols) for data in views]
        header.append(CHECKSUM)
        for row, (rec, __) in zip(rows, chosen, strict=True):
            row.append(rec.blob)
    else:
        rows = [[_public_cell(data, c) for c in cols] for data in views]
        header.append(WITHHELD)
        for row, (rec, __) in zip(rows, chosen, strict=True):
            # Named as far as a message may name them: a restricted part may be listed
            # through a key that is itself a contact (`/keyed_notes/zq@example.org`).
            named = (
                p.pointer if p.pointer == redact.WHOLE_RECORD else nameable(p.pointer)
                for p in inventory.withheld(rec)
            )
            row.append(table.SEPARATOR.join(dict.fromkeys(named)))
    if fmt is ExportFormat.CSV:
        return Export(
            spreadsheet.csv_bytes(header, rows),
            len(rows),
            audience,
            fmt,
            inventory.problems_for(audience),
            _too_long(header, rows),
        )
    notes = {c.name: _note(schema, c) for c in cols}
    notes[CHECKSUM] = _(
        "Leave as it is: tells `ichinv import` which version of the record was exported."
    )
    notes[WITHHELD] = _(
        "Fields withheld from this public export (contacts, restricted parts; "
        "* is everything but the identification)."
    )
    about = [
        ("audience", audience.value),
        ("elements", str(len(rows))),
        (
            "confidential",
            _("Contains personal data (contacts) and restricted parts: do not share.")
            if audience is Audience.COMMITTEE
            else _("Public view: contacts and restricted parts are left out."),
        ),
        ("cells", _("Lists: items separated by '; '. Cells starting with [ or { hold JSON.")),
        ("import", _("ichinv import FILE.xlsx --dry-run, then without --dry-run")),
    ]
    return Export(
        spreadsheet.xlsx_bytes(header, rows, notes=notes, about=about),
        len(rows),
        audience,
        fmt,
        inventory.problems_for(audience),
    )


def _refuse_clash(paths: Iterable[str]) -> None:
    """Refuse a committee export of records holding a field named `_checksum` (validate's
    schema.additionalProperties): the export's own checksum would take its place in a JSON
    element, and make a table's column twice, which no import reads."""
    clashing = sorted(paths)
    if clashing:
        raise UsageError(
            _(
                "{path} holds a field named {key}, which a committee export writes for its "
                "own use (the version of each record), so it cannot be exported"
            ).format(path=clashing[0], key=CHECKSUM),
            hint=_(
                "rename or remove that field (`ichinv validate` names it, and any other record "
                "holding one), then export again"
            ),
        )


def _too_long(header: list[str], rows: list[list[str]]) -> tuple[str, ...]:
    """A note on each cell of a CSV export longer than a spreadsheet cell holds: a
    spreadsheet opening the file keeps only the beginning of that text (import refuses the
    cell it cut). Its row is named by its id, its column by its name, as far as they are
    of their form (a committee export holds contacts)."""
    notes = []
    for number, row in enumerate(rows, start=2):
        for index, cell in enumerate(row, start=1):
            if len(cell) <= table.CELL_LIMIT:
                continue
            shown, column = table.cell_place(header, row, number, index)
            notes.append(
                _(
                    "{row}, column {column}: the cell holds {count:,} characters, more than a "
                    "spreadsheet cell holds ({limit:,}): a spreadsheet that opens this file "
                    "keeps the beginning only, and `ichinv import` refuses the cell it cut; "
                    "edit this text in the record itself"
                ).format(
                    row=shown,
                    column=column,
                    count=len(cell),
                    limit=table.CELL_LIMIT,
                )
            )
    return tuple(notes)


def _public_cell(data: Mapping[str, Any], column: table.Column) -> str:
    """The cell of a public view: the note of ichinv.inventory.audience where it withheld the field or a
    group holding it."""
    node: Any = data
    for part in column.path:
        if isinstance(node, redact.Withheld):
            return str(node)
        if not isinstance(node, Mapping) or part not in node:
            return ""
        node = node[part]
    if isinstance(node, redact.Withheld):
        return str(node)
    return table.encode(table.ABSENT if node is None else node, column)


def _note(schema: Schema, column: table.Column) -> str:
    lang = i18n.current()
    title = schema.title(column.pointer, lang) or schema.title(column.pointer) or ""
    description = (
        schema.description(column.pointer, lang) or schema.description(column.pointer) or ""
    )
    hows = {
        table.CellKind.LIST: N_("Several values: separate them with '; '."),
        table.CellKind.JSON: N_("A list of entries, written as JSON."),
        table.CellKind.DATE: N_("A date: YYYY-MM-DD."),
        table.CellKind.BOOLEAN: N_("true or false."),
    }
    how = _(hows[column.kind]) if column.kind in hows else ""
    return "\n".join(t for t in (title, description[:400], how) if t)
