"""One commit of an element's history as the public may read it (ichinv.diff.history).

What is withheld is the audience view's decision (ichinv.inventory.audience): the changes are
judged by ichinv.inventory.changes_view, and the commit's free texts follow. An author's name
and a subject are written by whoever committed: what in them may be a contact is not shown.
A subject is not shown either where it would tell what the public view hides: when it quotes a
text a version of the record restricts; when the record is withheld as a whole (all but its
identification) in the version the commit made, in the one it replaced, as it is today, or in
any version that restricted it so, for "Community withdrew consent at the meeting" tells the
consent state no public output tells (nor are the fields such a commit changed named, but
those of the identification the view shows, with their values where the view shows them); and
when every change the commit made lies in what the record withholds, for such a subject can
only speak of that ("Add the route of the pilgrimage").
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
from ichinv.inventory.audience import Audience, withheld_whole
from ichinv.inventory.change_places import Locate
from ichinv.inventory.changes_view import (
    of_identification,
    public_changes,
    version_withheld_whole,
)
from ichinv.inventory.policy import Policy
from ichinv.inventory.quoting import Quotes
from ichinv.inventory.withheld_since import OtherVersion

QUOTES_WITHHELD = N_("(the subject is not shown: it quotes a text the record withholds)")
WHOLE_WITHHELD = N_("(the subject is not shown: the record is withheld)")
ONLY_WITHHELD = N_("(the subject is not shown: the commit changed only what the record withholds)")


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
    old = kept.attach(old, Audience.PUBLIC) if isinstance(old, Record) else old
    new = kept.attach(new, Audience.PUBLIC) if isinstance(new, Record) else new
    before = old.data if isinstance(old, Record) else None
    after = new.data if isinstance(new, Record) else None
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
    whole = (
        withheld_whole(also)
        or any(withheld_whole(o.parts) for o in others)
        or any(version_withheld_whole(v, policy=policy) for v in (old, new))
    )
    if whole:  # what the view shows of it: its identification
        subject = _(WHOLE_WITHHELD)
        changes = of_identification(changes)
    elif quotes.quoted_in(entry.subject):
        subject = _(QUOTES_WITHHELD)
    elif changes and all(c.withheld or c.new_withheld for c in changes):
        subject = _(ONLY_WITHHELD)
    else:
        subject = without_contacts(entry.subject)
    return replace(
        entry,
        changes=changes,
        author=without_contacts(entry.author),
        subject=subject,
        path=redaction.public_path(entry.path),
        old_path=redaction.public_path(entry.old_path) if entry.old_path else None,
        problems=tuple(redaction.public_problem(p) for p in entry.problems),
    )
