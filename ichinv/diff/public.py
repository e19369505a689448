"""A comparison as the public may read it: values of what any version withholds left out,
names and places from the public view, file names that are no id not printed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

from ichinv.core.model import DiffResult, ElementDiff, ElementStatus, Finding, Record
from ichinv.diff.fields import DiffRules
from ichinv.inventory import audience as redact
from ichinv.inventory import redaction, snapshots
from ichinv.inventory.audience import WHOLE_RECORD, Audience, Why, WithheldPart
from ichinv.inventory.changes_view import (
    of_identification,
    public_changes,
    version_withheld_whole,
)
from ichinv.inventory.fields import name_of, strings
from ichinv.inventory.overlay import Overlay
from ichinv.inventory.policy import Policy
from ichinv.inventory.positions import Locator
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.today import todays_records
from ichinv.inventory.withheld_note import Withheld
from ichinv.inventory.withheld_since import other_version, restricts_more
from ichinv.io.settings import Settings


def public_elements(
    elements: Sequence[ElementDiff],
    old_parsed: Mapping[str, Record | Finding],
    new_parsed: Mapping[str, Record | Finding],
    today: Mapping[str, Record | Finding] | None,
    policy: Policy,
    rules: DiffRules,
    kept: Overlay,
) -> tuple[ElementDiff, ...]:
    """The element diffs as the public may read them: changes of anything withheld by either
    side or by the record as it is `today` (by id, when two revisions are compared) without
    their values, each judged where it lies in that version (`rules`: how list items are
    matched), and the name and places from the public view of the record. `*_parsed`: the
    records by path. An element whose record today cannot be read (or is gone) withholds all
    but its identification: what it restricts now is not known (privacy fails closed). One
    whose record today restricts more than the newer version is named as today's public view
    names it, and shows no value that view does not hold (ichinv.inventory.changes_view).
    Every version is judged as `show` judges the record (`kept`: ichinv.inventory.overlay
    .for_public): a restricted part it lists but does not hold is kept in the overlay. A record
    withheld as a whole (all but its identification) in either version, today, or that cannot
    be read in one of them shows of its changes only those of its identification, as `log`
    does: a withheld change of `/consent` alone tells that consent was withdrawn."""
    result = []
    where = Locator(rules)
    for element in elements:
        new = new_parsed.get(element.path) if element.status is not ElementStatus.REMOVED else None
        old = _attached(kept, old_parsed.get(element.old_path or element.path))
        new = _attached(kept, new)
        now = _attached(kept, today.get(element.id) if today is not None else None)
        unknown_today = today is not None and not isinstance(now, Record)
        # The answer leaves out values for a record that cannot be read today: said so.
        unread = (now,) if isinstance(now, Finding) and now not in element.problems else ()
        shown = new if isinstance(new, Record) else old if isinstance(old, Record) else None
        if shown is None and not element.changes:
            # Not read (its bytes did not change): nothing to withhold but what today does.
            result.append(_as_today(element, now, policy))
            continue
        if isinstance(now, Record) and restricts_more(shown.data if shown else None, now.data):
            shown = now  # it withholds more today: its name as the public reads it today
        view = redact.public_view(shown, policy=policy) if shown is not None else None
        changes = public_changes(
            element.changes,
            before=old.data if isinstance(old, Record) else None,
            after=new.data if isinstance(new, Record) else None,
            others=[other_version(now.data, policy=policy)] if isinstance(now, Record) else (),
            locate=where,
            also=[WithheldPart(WHOLE_RECORD, Why.UNREADABLE)] if unknown_today else (),
            policy=policy,
            today=now.data if isinstance(now, Record) else None,
        )
        if unknown_today or any(version_withheld_whole(v, policy=policy) for v in (old, new, now)):
            changes = of_identification(changes)  # what its view shows: its identification
        shown_element = replace(
            element,
            changes=changes,
            name=name_of(view) if view is not None else element.name,
            provinces=_published(view.get("provinces")) if view else element.provinces,
            domains=_published(view.get("domains")) if view else element.domains,
            problems=(*element.problems, *unread),
        )
        result.append(_as_today(shown_element, now, policy))
    return tuple(result)


def _attached(kept: Overlay, item: Record | Finding | None) -> Record | Finding | None:
    """`item` as the public's record starts from it (ichinv.inventory.overlay.for_public)."""
    return kept.attach(item, Audience.PUBLIC) if isinstance(item, Record) else item


def with_public_paths(result: DiffResult) -> DiffResult:
    """`result` as a public output prints it: record files not named for an id named by their
    folder only, in the elements, their problems and the answer's (a file's name may be
    anything, an e-mail address too; ichinv.inventory.redaction.public_path)."""

    def element(e: ElementDiff) -> ElementDiff:
        return replace(
            e,
            path=redaction.public_path(e.path),
            old_path=redaction.public_path(e.old_path) if e.old_path else None,
            problems=tuple(redaction.public_problem(p) for p in e.problems),
        )

    return replace(
        result,
        elements=tuple(element(e) for e in result.elements),
        problems=tuple(redaction.public_problem(p) for p in result.problems),
    )


_NAMING = ("names", "provinces", "domains")
"""The fields an element of a diff is named and placed by."""


def _published(value: Any) -> tuple[str, ...]:
    """The texts of a list field of a public view, without its notes of what it withholds."""
    return tuple(s for s in strings(value) if not isinstance(s, Withheld))


def _as_today(element: ElementDiff, now: Record | Finding | None, policy: Policy) -> ElementDiff:
    """`element`, named and placed as the record today publishes it where today's public view
    withholds any of its naming fields (`_NAMING`: a name or a province restricted since, an
    access that cannot be read): of two revisions compared, what is withheld today is shown
    of neither."""
    if not isinstance(now, Record):
        return element
    view = redact.public_view(now, policy=policy)
    if not any(_withholds(view.get(field)) for field in _NAMING):
        return element
    names = view.get("names")
    shown = (
        {k: v for k, v in names.items() if not isinstance(v, Withheld)}
        if isinstance(names, Mapping)
        else {}
    )
    return replace(
        element,
        name=name_of({"names": shown}),
        provinces=_published(view.get("provinces")),
        domains=_published(view.get("domains")),
    )


def _withholds(value: Any) -> bool:
    """Whether a field of a public view is withheld, or holds a withheld item or text."""
    if isinstance(value, Withheld):
        return True
    items = (
        value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    )
    return any(isinstance(item, Withheld) for item in items)


def todays_compared(
    settings: Settings,
    elements: Sequence[ElementDiff],
    newer: snapshots.Snapshot,
    tree: snapshots.WorkingTreeSnapshot | None,
    cache: RecordCache | None,
) -> dict[str, Record | Finding]:
    """The records today of the elements compared between two revisions that today's record
    may withhold more of: those with changes, and those named (an element added between the
    revisions) whose file today is not the one of `newer` (an outside attack: an added element
    was named as the newer revision named it, though today's record restricted its name).
    Elements not named, or whose file is the same today, are not read: the cost follows the
    change."""
    named = [e for e in elements if not e.changes and (e.name or e.provinces or e.domains)]
    listed = [e.id for e in elements if e.changes]
    if named:
        with ExitStack() as opened:
            here = tree or opened.enter_context(snapshots.current(settings, cache=cache))
            then, now = newer.blobs(), here.blobs()
            listed += [e.id for e in named if then.get(e.path) != now.get(e.path)]
    return todays_records(settings, listed, tree=tree, cache=cache)
