"""One commit of an element's history as the public may read it (ichinv.diff.history).

What is withheld is the audience view's decision (ichinv.inventory.audience): the changes are
judged by ichinv.inventory.changes_view, and the commit's free texts follow. An author's name
and a subject are written by whoever committed: what in them may be a contact is not shown,
nor a subject that quotes a text a version of the record restricts ("Withhold: before dawn the
keeper…").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ichinv.core.contacts import without_contacts
from ichinv.core.i18n import N_, _
from ichinv.core.model import Finding, HistoryEntry, Record
from ichinv.inventory import audience as redact
from ichinv.inventory import overlay, redaction
from ichinv.inventory.audience import Audience
from ichinv.inventory.changes_view import Locate, OtherVersion, public_changes
from ichinv.inventory.policy import Policy
from ichinv.inventory.quoting import Quotes

QUOTES_WITHHELD = N_("(the subject is not shown: it quotes a text the record withholds)")


def public_entry(
    entry: HistoryEntry,
    old: Record | Finding | None,
    new: Record | Finding | None,
    *,
    policy: Policy,
    others: Sequence[OtherVersion],
    where: Locate,
    also: tuple[redact.WithheldPart, ...],
    today: Mapping[str, Any] | None,
    kept: overlay.Overlay,
    quotes: Quotes,
) -> HistoryEntry:
    """`entry` (the commit that made `new` of `old`; None where there is none) for the public:
    `others`, `also` and `today` as ichinv.inventory.changes_view.public_changes takes them,
    `quotes` the texts some version of the record restricts."""
    before = kept.attach(old, Audience.PUBLIC).data if isinstance(old, Record) else None
    after = kept.attach(new, Audience.PUBLIC).data if isinstance(new, Record) else None
    changes = public_changes(
        entry.changes,
        before=before,
        after=after,
        others=others,
        locate=where,
        also=also,
        policy=policy,
        today=today,
    )
    subject = (
        _(QUOTES_WITHHELD) if quotes.quoted_in(entry.subject) else without_contacts(entry.subject)
    )
    return replace(
        entry,
        changes=changes,
        author=without_contacts(entry.author),
        subject=subject,
        path=redaction.public_path(entry.path),
        old_path=redaction.public_path(entry.old_path) if entry.old_path else None,
        problems=tuple(redaction.public_problem(p) for p in entry.problems),
    )
