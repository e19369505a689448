"""A committee JSON export read back as the table its CSV twin would be (one row per element,
`_checksum` last), so that both go through the same import (ichinv.exchange.importing)."""

from __future__ import annotations

from typing import Any

from ichinv.core import jsontext
from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
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


CHECKSUM_HINT = N_(
    "export again and make the edits in the new file, or pass --force to import without that check"
)
"""The hint on an export whose checksums are missing (for one row, or all of them)."""


def _checksum_of(element_id: Any, checksums: dict[str, str]) -> str:
    """The checksum exported for a record (none for an id that is not text: the row is then
    reported as having no id)."""
    return checksums.get(element_id, "") if isinstance(element_id, str) else ""


def read(raw: bytes, name: str, schema: Schema, *, force: bool = False) -> spreadsheet.Sheet:
    """A JSON export as the table its CSV twin would be (one row per element, `_checksum`
    last), so that both go through the same import. Its checksums must be a table of texts
    unless `force` (then every row has none)."""
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
        if CHECKSUM in element:  # the column a CSV export adds: no field of a record
            raise UsageError(
                _("{name}:{line}: an element holds the key {key}, which is no field").format(
                    name=name, line=line, key=CHECKSUM
                ),
                hint=_('a JSON export keeps the checksums apart, under "checksums"'),
            )
    checksums = document.get(CHECKSUMS)
    if not isinstance(checksums, dict) or not all(isinstance(v, str) for v in checksums.values()):
        if not force:
            raise UsageError(
                _(
                    '{name}: its checksums ("checksums", the version of each record as '
                    "exported) are missing or damaged, so whether records changed after the "
                    "export cannot be checked, and the import could undo those changes"
                ).format(name=name),
                hint=_(CHECKSUM_HINT),
            )
        checksums = {}  # --force: each row is imported unchecked, and said to be
    cols = table.columns(schema, elements)
    rows = [
        [*table.row(element, cols), _checksum_of(element.get("id"), checksums)]
        for element in elements
    ]
    return spreadsheet.Sheet([*(c.name for c in cols), CHECKSUM], rows, lines)
