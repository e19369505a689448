"""Reports of one element's history (`ichinv log`): plain text and JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import HistoryEntry
from ichinv.render.diff import change_line
from ichinv.render.diff_json import change_json
from ichinv.render.diff_words import diff_word
from ichinv.render.findings.json import finding_json
from ichinv.render.findings.text import finding_line
from ichinv.render.plain import dumps, one_line

CUT_NOTE = N_(
    "history cut: this is a shallow clone, and its history stops at {commit}; the element's "
    "earlier commits are not in it"
)
"""What a history says when a shallow clone cuts it short (`git fetch --unshallow` mends it)."""


def render_text(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    if not entries:
        return _("{id}: no commit touched this element.").format(id=element_id) + "\n"
    lines = [
        ngettext(
            "{id}: {count} commit, newest first",
            "{id}: {count} commits, newest first",
            len(entries),
        ).format(id=element_id, count=len(entries))
    ]
    cut = next((e for e in entries if e.cut), None)
    if cut is not None:
        lines.append(_(CUT_NOTE).format(commit=cut.commit[:12]))
    for entry in entries:
        lines.append("")
        lines.append(
            f"{entry.commit[:12]}  {entry.date[:10]}  {one_line(entry.author)}  "
            f"{one_line(entry.subject)}"
        )
        where = (
            _("{path} (moved from {old})").format(path=entry.path, old=entry.old_path)
            if entry.old_path
            else entry.path
        )
        status = _("already there where the clone starts") if entry.cut else diff_word(entry.status)
        lines.append(f"  {status}  {one_line(where)}")
        lines += [f"  {change_line(c)}" for c in entry.changes]
        lines += [
            "  " + _("problem: {finding}").format(finding=finding_line(p)) for p in entry.problems
        ]
    return "\n".join(lines) + "\n"


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "commit": entry.commit,
        "author": entry.author,
        "date": entry.date,
        "subject": entry.subject,
        # Where a shallow clone starts, what the commit did to the element is not known.
        "status": "unknown" if entry.cut else entry.status.value,
        "path": entry.path,
        "old_path": entry.old_path,
        "changes": [change_json(c) for c in entry.changes],
        "problems": [finding_json(p) for p in entry.problems],
        "cut": entry.cut,
    }


def render_json(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    return dumps(
        {
            "id": element_id,
            "history_cut": any(e.cut for e in entries),
            "commits": [entry_json(e) for e in entries],
        }
    )


class LogFormat(StrEnum):
    """Output formats of `ichinv log`."""

    TEXT = "text"
    JSON = "json"


def _log_text(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    return render_text(element_id, entries)


def _log_json(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    return render_json(element_id, entries)


RENDERERS: dict[LogFormat, Callable[[str, Sequence[HistoryEntry]], str]] = {
    LogFormat.TEXT: _log_text,
    LogFormat.JSON: _log_json,
}
