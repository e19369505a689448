"""A committee JSON export read back as the table its CSV twin would be (one row per element,
`_checksum` last), so that both go through the same import (ichinv.exchange.importing)."""

from __future__ import annotations

from typing import Any

from ichinv.core import jsontext
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.exchange import json_positions, spreadsheet, table
from ichinv.exchange.export import CHECKSUM, CHECKSUMS
from ichinv.inventory.audience import Audience
from ichinv.schemas.loader import Schema


def public_export(name: str) -> UsageError:
    """The refusal of a public export (CSV, xlsx or JSON): it cannot be imported."""
    return UsageError(
        _(
            "{name} is a public export: contacts and restricted parts were left out of it, "
            "and importing it would write the notes that replaced them over the records"
        ).format(name=name),
        hint=_("export with --audience committee to edit records in a spreadsheet"),
    )


def _checksum_of(element_id: Any, checksums: dict[str, Any]) -> str:
    """The checksum exported for a record (none for an id that is not text: the row is then
    reported as having no id)."""
    return str(checksums.get(element_id) or "") if isinstance(element_id, str) else ""


def read(raw: bytes, name: str, schema: Schema) -> spreadsheet.Sheet:
    """A JSON export as the table its CSV twin would be (one row per element, `_checksum`
    last), so that both go through the same import."""
    try:
        document = jsontext.read(raw)
    except jsontext.Unreadable as problem:
        hint = (
            _("check the brackets, quotes and commas around that place")
            if problem.failure is jsontext.Failure.SYNTAX
            else _("import a file made by `ichinv export --audience committee --format json`")
        )
        raise UsageError(problem.in_file(name), hint=hint) from None
    text = raw.decode("utf-8-sig")
    elements = document.get("elements") if isinstance(document, dict) else None
    if not isinstance(elements, list):
        raise UsageError(
            _("{name} is not an export of ichinv: it has no list of elements").format(name=name),
            hint=_("import a file made by `ichinv export --audience committee --format json`"),
        )
    if document.get("audience") == Audience.PUBLIC.value:
        raise public_export(name)
    if document.get("audience") != Audience.COMMITTEE.value:
        raise UsageError(
            _('{name} does not say it is a committee export ("audience": "committee")').format(
                name=name
            ),
            hint=_("import a file made by `ichinv export --audience committee --format json`"),
        )
    lines = json_positions.item_lines(text, "elements", len(elements))
    for element, line in zip(elements, lines, strict=True):
        if not isinstance(element, dict):
            raise UsageError(
                _("{name}:{line}: an element must be an object of fields, not {type}").format(
                    name=name, line=line, type=type(element).__name__
                ),
                # The braces are doubled for format(), which makes them single.
                hint=_('keep each element as exported: {{"id": …, "names": …}}').format(),
            )
    checksums = document.get(CHECKSUMS)
    checksums = checksums if isinstance(checksums, dict) else {}
    cols = table.columns(schema, elements)
    rows = [
        [*table.row(element, cols), _checksum_of(element.get("id"), checksums)]
        for element in elements
    ]
    return spreadsheet.Sheet([*(c.name for c in cols), CHECKSUM], rows, lines)
