"""The element dossier: one element in full, with its history, as a view model."""

from __future__ import annotations

from dataclasses import dataclass

from ichinv.core import pointers
from ichinv.core.errors import IchinvError
from ichinv.core.i18n import _
from ichinv.core.model import HISTORY_CUT, NO_HISTORY, Finding, Severity
from ichinv.diff import history
from ichinv.inventory import audience as redact
from ichinv.packets.builder import Builder
from ichinv.packets.comparisons import unset
from ichinv.packets.models import Header
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.sections import Row, Section


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One commit that touched an element."""

    date: Md
    commit: Md
    subject: Md
    status: Md
    fields: Md
    author: Md
    """Committee packets only (empty in public ones)."""


@dataclass(frozen=True, slots=True)
class ElementPacket:
    """One element in full, with its history (`--element ID`)."""

    header: Header
    ident: str
    name: Md
    identification: tuple[Row, ...]
    note: Md
    """For the public, when only the identification is published: why."""
    sections: tuple[Section, ...]
    contacts_withheld: bool
    since: tuple[Row, ...]
    history: tuple[HistoryRow, ...]
    history_note: Md
    left_out: tuple[Finding, ...] = ()
    """History a shallow clone cut short (the command exits 1) or git could not read (exit
    2): the dossier says so, and the command names it."""


# --- element dossier -------------------------------------------------------------------------------


def element_packet(b: Builder, eid: str) -> ElementPacket:
    """One element in full, with its status since the baselines and its history."""
    if eid not in b.views:
        raise b.inventory.absent(eid, b.audience)
    view = b.views[eid]
    rec = b.records[eid]
    note = b.identification_only(rec)
    personal = any(p.why is redact.Why.PERSONAL for p in b.inventory.withheld(rec))
    rows, history_note, cut = commits(b, eid)
    return ElementPacket(
        header=b.header(b.t("title.element", id=eid, name=b.describe.name(view))),
        ident=eid,
        name=b.describe.name(view),
        identification=b.identification(eid, view),
        note=note,
        sections=b.describe.sections(view),
        contacts_withheld=personal and not b.committee,
        since=tuple(_since(b, eid, n) for n in b.comparisons.baseline_names()),
        history=rows,
        history_note=history_note,
        left_out=(_history_left_out(rec.path, eid, cut),)
        if cut is not None and not (isinstance(cut, IchinvError) and unset(cut))
        else (),
    )


def _history_left_out(path: str, eid: str, cut: str | IchinvError) -> Finding:
    """Why the dossier's history is incomplete (`cut`: the commit a shallow clone starts at)
    or missing (`cut`: why it could not be read)."""
    if isinstance(cut, IchinvError):
        return Finding(
            path,
            NO_HISTORY,
            _("the history of {id} could not be read: {reason}").format(id=eid, reason=cut.message),
            line=None,
            hint=cut.hint,
        )
    return Finding(
        path,
        HISTORY_CUT,
        _(
            "the history of {id} is incomplete: this shallow clone starts at commit "
            "{commit}; run `git fetch --unshallow --tags` for the whole history"
        ).format(id=eid, commit=cut[:12]),
        line=None,
        severity=Severity.WARNING,
    )


def _since(b: Builder, eid: str, baseline: str) -> Row:
    found = b.comparisons.compared(baseline)
    if isinstance(found, IchinvError):
        value = b.unavailable(baseline, found)
    else:
        diff = next((e for e in found.elements if e.id == eid), None)
        value = b.since(diff)
    return Row(b.t("element.since", name=baseline), value)


def commits(b: Builder, eid: str) -> tuple[tuple[HistoryRow, ...], Md, str | IchinvError | None]:
    """The commits that touched the element, oldest first (authors for the committee only),
    the note under them, and the commit a shallow clone cuts them at, or why they could not
    be read (None: the whole history)."""
    try:
        entries = history.element_history(
            b.settings, eid, audience=b.audience, tree=b.inventory.tree
        )
    except IchinvError as exc:
        return (), b.t("history.unavailable", reason=b.why_not(exc)), exc
    rows = []
    for entry in reversed(entries):
        tops = dict.fromkeys(pointers.top(c.pointer) for c in entry.changes)
        rows.append(
            HistoryRow(
                date=mdsafe.inline(entry.date[:10]),
                commit=mdsafe.code(entry.commit[:12]),
                subject=mdsafe.inline(entry.subject),
                status=b.t("history.cut_status")
                if entry.cut
                else b.value("step", entry.status.value),
                fields=Md(", ".join(b.describe.field_label((k,)) for k in tops)),
                author=mdsafe.inline(entry.author) if b.committee else Md(""),
            )
        )
    cut = next((e for e in entries if e.cut), None)
    if cut is not None:
        note = b.t("history.cut", commit=mdsafe.code(cut.commit[:12]))
        return tuple(rows), note, cut.commit
    return tuple(rows), Md(""), None
