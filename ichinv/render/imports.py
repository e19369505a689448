"""What `ichinv import` did or would do, as plain text."""

from __future__ import annotations

import json
from typing import Any

from ichinv.exchange.importing import FieldEdit, ImportPlan
from ichinv.exchange.table import ABSENT
from ichinv.render.findings.text import finding_line
from ichinv.render.plain import one_line

SHORT = 60
"""Values longer than this are shortened in the summary."""


def _short(value: Any) -> str:
    if value is ABSENT:
        return "(empty)"
    if not isinstance(value, str):  # a list, entries, a number: shown as JSON, not quoted again
        text = one_line(json.dumps(value, ensure_ascii=False))
        return text[:SHORT] + "…" if len(text) > SHORT else text
    text = one_line(value)
    return json.dumps(text[:SHORT] + "…" if len(text) > SHORT else text, ensure_ascii=False)


def _edit(edit: FieldEdit) -> str:
    if edit.added:
        return f"    {edit.column.name}: set to {_short(edit.new)}"
    if edit.removed:
        return f"    {edit.column.name}: removed (was {_short(edit.old)})"
    return f"    {edit.column.name}: {_short(edit.old)} → {_short(edit.new)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_plan(plan: ImportPlan, *, written: list[str] | None, personal: tuple[str, ...]) -> str:
    """The plan, then what stands in its way, then one summary line.

    `written` is None for a dry run or a refused import. Values of fields in `personal`
    (e.g. contacts) are not printed: the summary may end up in a log or a pull request.
    """
    lines: list[str] = []
    for change in plan.changes:
        where = f"{change.path}, row at line {change.line}"
        if change.created:
            lines.append(f"new {change.id} ({where}): {_plural(len(change.edits), 'field')}")
            continue
        lines.append(f"{change.id} ({where}):")
        for edit in change.edits:
            if edit.column.path[0] in personal:
                lines.append(f"    {edit.column.name}: changed (personal data, not shown)")
            else:
                lines.append(_edit(edit))
    if plan.stale:
        lines.append("changed since the export:")
        lines.extend(f"  {message}" for message in plan.stale)
    if plan.findings:
        lines.append("validation of the records as they would be:")
        lines.extend(f"  {finding_line(f)}" for f in plan.findings)
    edited = [c for c in plan.changes if not c.created]
    created = [c for c in plan.changes if c.created]
    counts = (
        f"{_plural(plan.rows, 'row')}: {_plural(len(edited), 'record')} changed "
        f"({_plural(sum(len(c.edits) for c in edited), 'field')}), {len(created)} new, "
        f"{plan.unchanged} unchanged"
    )
    if written is not None:
        lines.append(f"imported {plan.source}: {counts}; {_plural(len(written), 'file')} written")
    elif plan.blocked:
        lines.append(
            f"not imported {plan.source}: {counts}; nothing written "
            "(fix the rows above, or pass --force to write anyway)"
        )
    else:
        lines.append(f"dry run {plan.source}: {counts}; nothing written")
    return "\n".join(lines) + "\n"
