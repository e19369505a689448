"""Changing an element's place in the inventory: `retire` and `merge` (`renumber` is
ichinv.edit.renumber).

Each use case reads the records it needs, computes every new file text first (through
the round-trip editor, comments and formatting kept), and only then writes, each file atomically. The
cross-references are kept coherent on both sides: a merged element names the element it went
into (`status_change.merged_into`) and that element lists it under `related` with `relation:
merged-from`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import dates
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.core.model import Record
from ichinv.core.vocabulary import is_element_id, reads_as_field_name, shown_word, typed_id
from ichinv.edit.elements import ElementEdit, Written, find, merged_into, read_index, write_all
from ichinv.inventory import fields
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class Decision:
    """Why, when and by which act an element leaves the active inventory."""

    reason: str
    date: str
    """YYYY-MM-DD; not in the future."""
    decision: str | None = None
    """Reference of the order or minutes, when there is one."""


def _require_active(record: Record, element_id: str, role: str = "") -> None:
    """A UsageError unless the element is active. A status or an id not in its field's form
    is never quoted (it may be anything, a contact too: `shown_word`, `…`)."""
    status = record.data.get("status")
    if status == "active":
        return
    change = record.data.get("status_change")
    into = change.get("merged_into") if isinstance(change, Mapping) else None
    into = into if is_element_id(into) else None
    hint = _("only active elements can be retired, merged or merged into")
    if role and into:
        hint = _("merge into {into}, the element {id} was merged into").format(
            into=into, id=element_id
        )
    if status == "merged" and into:
        message = _("{id} is merged into {into}, not active")
    elif status == "merged":
        message = _("{id} is merged, not active")
    elif status == "retired":
        message = _("{id} is retired, not active")
    elif status is None:
        message = _("{id} has no status, so it is not active")
        hint = _("add `status: active` to the record if it is active")
    else:
        message = _("{id} is {status!r}, not active")
    raise UsageError(
        message.format(id=role + element_id, into=into, status=shown_word(status)), hint=hint
    )


def _require_entered(element: ElementEdit, element_id: str, decision: Decision) -> None:
    """A UsageError when the decision is dated before the element entered the inventory
    (`provenance.entered`, in the record or in its overlay file, else 1 January of its id's
    year); refused when the overlay may keep `provenance` and is not here: the entry date,
    and where `provenance.updated` goes (`_touch`), are unknown."""
    element.require_at_hand("/provenance")
    entered = fields.entered(element.merged(), element_id)
    if entered is not None and dt.date.fromisoformat(decision.date) < entered:
        raise UsageError(
            _("the decision date {date} is before {id} entered the inventory ({entered})").format(
                date=decision.date, id=element_id, entered=entered.isoformat()
            ),
            hint=_("check --date, and provenance.entered of {id}").format(id=element_id),
        )


def check_reason(value: str, option: str = "--reason") -> str:
    """A reason as published with the record: some words (the option gives it with the blanks
    around it left out, as every text typed for a record: ichinv.cli.options.typed_text)."""
    if not value.strip():
        raise UsageError(
            _("{option} is empty").format(option=option),
            hint=_('say in plain words why, e.g. --reason "No longer practised since 2019."'),
        )
    return value


def check_date(value: str | None, today: dt.date, option: str = "--date") -> str:
    """A decision date: YYYY-MM-DD, a real date, not in the future (ichinv.core.dates, where
    every date option is read); today when not given."""
    return (dates.option_date(value, option, latest=today) or today).isoformat()


def _replace_earlier(element: ElementEdit, command: str, *, replace: bool) -> None:
    """Make room for the decision in `status_change`: an active element may carry one already
    (an earlier decision: validate warns, status.change). Refused (a UsageError saying what
    is there) unless `replace`; then removed, with its comments, which were about it."""
    element.require_changeable("/status_change")
    earlier = element.get("/status_change")
    if earlier is None or earlier in ({}, "", []):  # nothing to lose
        return
    if replace:
        element.delete("/status_change")
        return
    # Field names only: the values may be restricted parts, or anything.
    fields = (
        ", ".join(k if reads_as_field_name(str(k)) else "…" for k in earlier)
        if isinstance(earlier, Mapping) and earlier
        else "…"
    )
    raise UsageError(
        _(
            "{id} is active but already has a status_change ({fields}) in {path}: an earlier "
            "decision, which {command} would replace"
        ).format(id=element.id, fields=fields, path=element.record.path, command=command),
        hint=_(
            "read it first; if it no longer holds, remove it, or pass --replace-status-change "
            "to put this decision in its place (the git history keeps the earlier one)"
        ),
    )


def _apply_decision(element: ElementEdit, status: str, decision: Decision, **extra: str) -> None:
    element.set("/status", status)
    change: dict[str, Any] = {"reason": decision.reason, "date": decision.date}
    change.update(extra)
    if decision.decision:
        change["decision"] = decision.decision
    element.set("/status_change", change)


def _touch(element: ElementEdit, today: dt.date) -> None:
    """Record the revision date in provenance.updated (when the element has provenance: in
    its record, or in its overlay file, where it is then written)."""
    provenance = element.get("/provenance")
    if isinstance(provenance, Mapping):
        element.set("/provenance/updated", today.isoformat())


# --- retire and merge -----------------------------------------------------------------------


def retire(
    settings: Settings,
    element_id: str,
    decision: Decision,
    today: dt.date,
    *,
    replace: bool = False,
) -> Written:
    """Set the element's status to retired, with the reason, date and decision (in the
    private overlay, where it keeps those fields). An earlier `status_change` is replaced
    only when `replace` (see _replace_earlier)."""
    index = read_index(settings)
    record = find(settings, index, element_id)
    _require_active(record, element_id)
    element = ElementEdit(settings, record, index.kept)
    _require_entered(element, element_id, decision)
    _replace_earlier(element, "retire", replace=replace)
    _apply_decision(element, "retired", decision)
    _touch(element, today)
    paths = write_all([element])
    notes = [
        _(
            "{path} ({other}) is merged into {id}, which is now retired: point its "
            "status_change.merged_into at the element that carries it on"
        ).format(path=path, other=other, id=element_id)
        for path, other in merged_into(index, element_id, skip=element_id)
    ]
    return Written(
        _("retired {id} ({path})").format(id=element_id, path=record.path), paths, tuple(notes)
    )


def merge(
    settings: Settings,
    element_id: str,
    into: str,
    decision: Decision,
    today: dt.date,
    *,
    replace: bool = False,
) -> Written:
    """Merge the element into another: both updated (status_change.merged_into on the one
    merged, a `merged-from` entry under `related` on the other), each field where it is kept:
    in the record, or in the private overlay. An earlier `status_change` of the one merged is
    replaced only when `replace` (see _replace_earlier)."""
    if element_id == into:
        raise UsageError(
            _("cannot merge {id} into itself").format(id=element_id),
            hint=_("--into names the element that carries this one on"),
        )
    index = read_index(settings)
    source = find(settings, index, element_id)
    target = find(settings, index, into, "--into ")
    _require_active(source, element_id)
    _require_active(target, into, "--into ")
    merged = ElementEdit(settings, source, index.kept)
    carrier = ElementEdit(settings, target, index.kept)
    _require_entered(merged, element_id, decision)
    _require_entered(carrier, into, decision)
    _replace_earlier(merged, "merge", replace=replace)
    _apply_decision(merged, "merged", decision, merged_into=into)
    _touch(merged, today)
    related = carrier.get("/related")
    if related is not None and not isinstance(related, list):
        # Never quoted: it may be anything (a contact), and it may be a restricted part.
        raise UsageError(
            _("related of {into} is not a list, so {id} cannot be recorded in it").format(
                into=into, id=element_id
            ),
            hint=_(
                "make related a list of entries (- id: KZ-YYYY-NNNN / relation: see-also), "
                "then run the command again"
            ),
        )
    position = next(
        (
            number
            for number, item in enumerate(related if isinstance(related, list) else [])
            # As typed by a person (`kz-2013-0018`), the id still names the element.
            if isinstance(item, Mapping)
            and isinstance(item.get("id"), str)
            and typed_id(item["id"]) == element_id
        ),
        None,
    )
    if position is None:
        carrier.append("/related", {"id": element_id, "relation": "merged-from"})
    else:
        carrier.set(f"/related/{position}/id", element_id)
        carrier.set(f"/related/{position}/relation", "merged-from")
    _touch(carrier, today)
    paths = write_all([merged, carrier])
    notes = [
        _("{path} ({other}) was merged into {id}; point it at {into} too").format(
            path=path, other=other, id=element_id, into=into
        )
        for path, other in merged_into(index, element_id, skip=element_id)
    ]
    return Written(
        _("merged {id} into {into}").format(id=element_id, into=into), paths, tuple(notes)
    )
