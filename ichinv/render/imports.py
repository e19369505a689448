"""What `ichinv import` did or would do, as plain text."""

from __future__ import annotations

import json
from typing import Any

from ichinv.core.contacts import holds_contact
from ichinv.core.i18n import _, ngettext
from ichinv.core.vocabulary import Lang
from ichinv.exchange.importing import FieldEdit, ImportPlan
from ichinv.exchange.list_edits import InnerChange
from ichinv.exchange.table import ABSENT
from ichinv.io.settings import Settings
from ichinv.render.diff import change_line
from ichinv.render.findings.text import finding_line
from ichinv.render.markdown import labels
from ichinv.render.markdown.sections import WHY_LABEL
from ichinv.render.plain import one_line
from ichinv.schemas.shape import Shape, fits

SHORT = 60
"""Values longer than this are shortened in the summary."""


def withheld_phrasings(settings: Settings) -> tuple[str, ...]:
    """The sentences packets, the site and `show` write where a public view withheld a value,
    in every language (the `withheld.*` labels of templates/i18n/): a cell holding one is a
    note copied from a public output, no value to import (ichinv.inventory.withheld_note)."""
    keys = [
        *(f"withheld.{key}" for key in WHY_LABEL.values()),
        "withheld.restricted_no_reason",
        "withheld.contacts",
    ]
    found: set[str] = set()
    for lang in Lang:
        table = labels.flat(settings.templates_dir, lang.value, root=settings.root)
        found.update(table[key] for key in keys if key in table)
    return tuple(sorted(found))


def _short(value: Any) -> str:
    if value is ABSENT:
        return _("(empty)")
    if not isinstance(value, str):  # a list, entries, a number: shown as JSON, not quoted again
        text = _as_json(value)
        return text[:SHORT] + "…" if len(text) > SHORT else text
    text = one_line(value)
    return json.dumps(text[:SHORT] + "…" if len(text) > SHORT else text, ensure_ascii=False)


def _edit(edit: FieldEdit) -> str:
    if edit.added:
        return "    " + _("{field}: set to {value}").format(
            field=edit.column.name, value=_short(edit.new)
        )
    if edit.removed:
        return "    " + _("{field}: removed (was {value})").format(
            field=edit.column.name, value=_short(edit.old)
        )
    if edit.inside is not None and any(_cut(value) for value in (edit.old, edit.new)):
        # Cut short, the two values of a long list could read the same: what changed in it.
        if not edit.inside:
            return "    " + _("{field}: the same entries, in another order").format(
                field=edit.column.name
            )
        lines = [_inner_line(inner) for inner in edit.inside]
        if edit.reordered:
            lines.insert(
                0,
                _(
                    "{field}: entries in another order (the places below are those after the import)"
                ).format(field=edit.column.name),
            )
        return "\n".join(f"    {line}" for line in lines)
    return f"    {edit.column.name}: {_short(edit.old)} → {_short(edit.new)}"


def _inner_line(inner: InnerChange) -> str:
    """A change inside a list, placed as the list will be after the import, with where its
    entry was when it moves."""
    change = inner.change
    if not inner.was:
        return change_line(change)
    if inner.was == change.pointer:  # an entry removed: it has a place before the import only
        where = _("{pointer} before the import").format(pointer=change.pointer)
    else:
        where = _("{pointer} (was {was})").format(pointer=change.pointer, was=inner.was)
    return change_line(change, where)


def _as_json(value: Any) -> str:
    return one_line(json.dumps(value, ensure_ascii=False))


def _cut(value: Any) -> bool:
    """Whether `_short` shortens `value` (a list, a mapping)."""
    return len(_as_json(value)) > SHORT


def _edit_line(edit: FieldEdit, personal: tuple[str, ...], shape: Shape | None) -> str:
    """The line of one edit: its values, unless they are personal data, not in the field's
    form, or may hold a contact (in any field: a phone number in a name)."""
    field = edit.column.name
    personal_field = edit.column.path[0] in personal
    if not personal_field and not _in_form(edit, shape):
        return "    " + _("{field}: changed (a value not in the field's form, not shown)").format(
            field=field
        )
    if personal_field:
        return "    " + _("{field}: changed (personal data, not shown)").format(field=field)
    if _may_be_contact(edit):
        # a population of 12 000 000 reads as a phone number does: "may", not "is"
        return "    " + _("{field}: changed (may hold a contact, not shown)").format(field=field)
    return _edit(edit)


def _fields(count: int) -> str:
    return ngettext("{count} field", "{count} fields", count).format(count=count)


def _in_form(edit: FieldEdit, shape: Shape | None) -> bool:
    """Whether both values of the edit are in the form the schema gives the field (`shape`:
    the record's), so that they may be printed; a value that is not (a contact written into
    `communities` or `consent.date`) may be anything."""
    if shape is None:
        return True
    field: Shape | None = shape
    for part in edit.column.path:
        field = field.child(part) if field is not None else None
    return field is not None and all(
        value is ABSENT or _fits(value, field) for value in (edit.old, edit.new)
    )


def _may_be_contact(edit: FieldEdit) -> bool:
    """Whether either value of the edit may hold a contact (an e-mail address, a phone
    number), in any field: such a value is not printed, as contacts are not."""
    return any(holds_contact(value) for value in (edit.old, edit.new) if value is not ABSENT)


def _fits(value: Any, field: Shape) -> bool:
    if isinstance(value, dict | list):
        return fits(value, field)
    return not field.strict or field.allows(value)  # a single value: its vocabulary, pattern


def render_plan(
    plan: ImportPlan,
    *,
    written: list[str] | None,
    personal: tuple[str, ...],
    shape: Shape | None = None,
) -> str:
    """The plan, then what stands in its way, then one summary line.

    `written` is None for a dry run or a refused import. Values of fields in `personal`
    (e.g. contacts), values that may hold a contact in any field, and values not in the form
    the record's `shape` gives their field, are not printed: the summary may end up in a log
    or a pull request.
    """
    lines: list[str] = []
    for change in plan.changes:
        where = _("{path}, row at line {line}").format(path=one_line(change.path), line=change.line)
        if change.created:
            lines.append(
                _("new {id} ({where}): {fields}").format(
                    id=change.id, where=where, fields=_fields(len(change.edits))
                )
            )
            continue
        lines.append(f"{change.id} ({where}):")
        lines.extend(_edit_line(edit, personal, shape) for edit in change.edits)
    if plan.stale:
        lines.append(_("changed since the export:"))
        lines.extend(f"  {one_line(message)}" for message in plan.stale)
    if plan.unchecked:
        lines.append(_("not checked against the export:"))
        lines.extend(f"  {one_line(message)}" for message in plan.unchecked)
    if plan.findings:
        lines.append(_("validation of the records as they would be:"))
        lines.extend(f"  {finding_line(f)}" for f in plan.findings)
    edited = [c for c in plan.changes if not c.created]
    created = [c for c in plan.changes if c.created]
    counts = _("{rows}: {records} changed ({fields}), {new} new, {unchanged} unchanged").format(
        rows=ngettext("{count} row", "{count} rows", plan.rows).format(count=plan.rows),
        records=ngettext("{count} record", "{count} records", len(edited)).format(
            count=len(edited)
        ),
        fields=_fields(sum(len(c.edits) for c in edited)),
        new=len(created),
        unchanged=plan.unchanged,
    )
    if written is not None:
        files = ngettext("{count} file written", "{count} files written", len(written)).format(
            count=len(written)
        )
        lines.append(
            _("imported {source}: {counts}; {files}").format(
                source=one_line(plan.source), counts=counts, files=files
            )
        )
    elif plan.blocked:
        lines.append(
            _(
                "not imported {source}: {counts}; nothing written (fix the rows above, or pass "
                "--force to write anyway)"
            ).format(source=one_line(plan.source), counts=counts)
        )
    else:
        lines.append(
            _("dry run {source}: {counts}; nothing written").format(
                source=one_line(plan.source), counts=counts
            )
        )
    return "\n".join(lines) + "\n"
