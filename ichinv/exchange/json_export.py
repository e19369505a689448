"""A committee JSON export read back as the table its CSV twin would be (one row per element,
`_checksum` last), so that both go through the same import (ichinv.exchange.importing)."""

from __future__ import annotations

from typing import Any

from ichinv.core import jsontext
from ichinv.core.errors import UsageError
from ichinv.core.i18n import N_, _
from ichinv.exchange import json_positions, spreadsheet, table
from ichinv.exchange.export import CHECKSUM
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


CHECKSUMS = "checksums"
"""Key under which committee JSON exports of ichinv before December 2026 kept each element's
`_checksum` by id (read still; each element now holds its own, as a CSV row does: kept apart,
a checksum followed the id, so an element given another's id took that one's checksum)."""

CHECKSUM_HINT = N_(
    "export again and make the edits in the new file, or pass --force to import without that check"
)
"""The hint on an export whose checksums are missing (for one row, or all of them)."""


def _checksum_of(element: dict[str, Any], by_id: dict[str, str]) -> str:
    """The checksum exported for an element, taken out of it: its own `_checksum`, or, in an
    export of an earlier ichinv, the one kept apart under its id (none for an id that is not
    text: the row is then reported as having no id)."""
    if CHECKSUM in element:
        return str(element.pop(CHECKSUM))
    element_id = element.get("id")
    return by_id.get(element_id, "") if isinstance(element_id, str) else ""


def read(raw: bytes, name: str, schema: Schema, *, force: bool = False) -> spreadsheet.Sheet:
    """A JSON export as the table its CSV twin would be (one row per element, `_checksum`
    last), so that both go through the same import. Its checksums (each element's `_checksum`,
    or the table of an earlier ichinv's export) must be texts unless `force` (then every row has
    none)."""
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
    own = [element[CHECKSUM] for element in elements if CHECKSUM in element]
    apart = document.get(CHECKSUMS)  # an export of ichinv before December 2026
    by_id: dict[str, str] = {}
    unchecked: tuple[str, ...] = ()
    if not own and isinstance(apart, dict) and all(isinstance(v, str) for v in apart.values()):
        by_id = apart
        unchecked = (
            _(
                "{name} is a JSON export of an earlier ichinv, which keeps the checksums apart "
                'by id ("checksums"): an element whose "id" was changed to another element\'s is '
                "taken for an edit of that element; export again to have each element checked"
            ).format(name=name),
        )
    elif not own or not all(isinstance(c, str) for c in own):
        if not force:
            raise UsageError(
                _(
                    "{name}: its checksums (each element's {key}, the version of its record as "
                    "exported) are missing or damaged, so whether records changed after the "
                    "export cannot be checked, and the import could undo those changes"
                ).format(name=name, key=CHECKSUM),
                hint=_(CHECKSUM_HINT),
            )
        for element in elements:  # --force: each row is imported unchecked, and said to be
            element.pop(CHECKSUM, None)
    checksums = [_checksum_of(element, by_id) for element in elements]
    cols = table.columns(schema, elements)
    rows = [
        [*table.row(element, cols), checksum]
        for element, checksum in zip(elements, checksums, strict=True)
    ]
    return spreadsheet.Sheet([*(c.name for c in cols), CHECKSUM], rows, lines, unchecked=unchecked)
