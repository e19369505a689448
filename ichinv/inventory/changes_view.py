"""Changes between two versions of a record as the public may read them, by the audience view's
decision (ichinv.inventory.audience.withheld_parts).

Each version names what it withholds by its own positions (`access.restricted_parts:
[/communities/0]`), while the diff matches list items by key, so one item may stand at another
position in each version. Every change is therefore judged where it lies in each version: in
the two compared, by `Change.sides`; in any other (the record as it is today), where `locate`
finds it. A position that cannot be told (an item a version does not hold, a change that does
not say where it lies, no `locate`) is judged as any position of its list: privacy fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, Finding, Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from ichinv.inventory.audience import (
    PUBLIC_TEXTS,
    WHOLE_RECORD,
    Why,
    WithheldPart,
    public_view,
    withheld_parts,
    withheld_whole,
)
from ichinv.inventory.change_places import (
    ANY_PLACE,
    Locate,
    anywhere,
    depth_to,
    prefix,
    shown_at,
    sides,
)
from ichinv.inventory.plaindata import keys, plain
from ichinv.inventory.policy import DEFAULT_POLICY, Policy
from ichinv.inventory.redaction import covering, pattern_prefix
from ichinv.inventory.withheld_note import Withheld
from ichinv.inventory.withheld_since import (
    OtherVersion,
    Since,
)


def withholds_whole(data: Mapping[str, Any] | None, *, policy: Policy = DEFAULT_POLICY) -> bool:
    """Whether the public view of the version `data` of a record (as the public judges it)
    shows only its identification: consent not given, restricted with no parts listed, an
    access that cannot be read (ichinv.inventory.audience decides)."""
    if data is None:
        return False
    return withheld_whole(withheld_parts(data, policy=policy, contacts=False))


def version_withheld_whole(version: Record | Finding | None, *, policy: Policy) -> bool:
    """Whether the public view of `version` (as the public judges it: its overlay attached)
    shows only its identification: a version that cannot be read does (privacy fails closed),
    none does not."""
    if isinstance(version, Finding):
        return True
    return isinstance(version, Record) and withholds_whole(version.data, policy=policy)


def of_identification(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Of `changes` (as `public_changes` shows them) of a record withheld as a whole, now or in
    a version compared, those its view shows: of the identification, with their values where
    shown. No other field is named: a change of `/consent` alone tells that consent was
    withdrawn, the state no public output tells."""
    return tuple(c for c in changes if not c.withheld and _identifies(c.pointer))


def _identifies(pointer: str) -> bool:
    """Whether a change at `pointer` lies in the identification of a record."""
    top = keys(pointer)[:1]
    return bool(top) and top[0] in PUBLIC_IDENTIFICATION


def public_changes(
    changes: Iterable[Change],
    *,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    others: Iterable[OtherVersion] = (),
    locate: Locate | None = None,
    also: Iterable[WithheldPart] = (),
    policy: Policy = DEFAULT_POLICY,
    today: Mapping[str, Any] | None = None,
) -> tuple[Change, ...]:
    """`changes` from the version `before` of an element to the version `after` as the public
    may read them.

    A change inside a part that `after` withholds (at the change's place in `after`), that one
    of `others` withholds (where `locate` finds the change in it) or that `also` names loses
    both values (`Change.withheld`), and the changes inside one withheld part become one change
    of that part: where and what kind, never what, nor how the part is made up. A part that
    only `before` withheld (at the change's place in `before`: no consent then, restricted
    then) keeps its old value hidden, whatever the record says now (privacy fails closed),
    while its new value, public in `after` and in every one of `others`, is shown
    (`Change.old_withheld` says why the old one is not). Without `after` (the element is gone),
    `before` withholds both values.

    What the record withholds more since is not shown either (`Since`): the earlier value of
    every change in which the record restricts more (`restricts_more`) or restricts a text the
    earlier version did not (a sentence moved into a restricted part), a value that quotes a
    text `after` or one of `others` restricts, and, when the record as it is `today` restricts
    more than `after`, any value that its public view does not hold at the same place.
    """
    others = tuple(others)
    judge = _Judge(before, after, others, locate, tuple(also), policy)
    since = Since(before, after, others, locate, policy, today)
    result: list[Change] = []
    merged: dict[str, int] = {}
    now: dict[str, Any] | None = None  # the public view of `after`, made when first needed
    then: dict[str, Any] | None = None  # and of `before`
    for change in changes:
        top = keys(change.pointer)[:1]
        if top and not policy.knows(RecordKind.ELEMENT, top[0]):
            continue  # a field the schema does not know: not even its name is public
        old_at, new_at = sides(change)
        size = len(keys(change.pointer))
        depth = judge.hiding_both(change.pointer, change.kind, old_at, new_at)
        added = change.kind is ChangeKind.ADDED
        earlier = judge.withheld_before(old_at, added=added) if depth is None else None
        if earlier is not None:
            depth, why = earlier
            old_part, new_part = prefix(old_at, depth), prefix(new_at, depth)
            if not judge.withholds_inside(prefix(change.pointer, depth), old_part, new_part):
                # Withheld by the earlier version only: its old value stays hidden, the new shown.
                where = shown_at(change.pointer, old_at, new_at, depth)
                if where in merged:
                    continue
                if now is None:
                    now = public_view(after or {}, kind=RecordKind.ELEMENT, policy=policy)
                value = pointers.at(now, new_part) if ANY_PLACE not in keys(new_part) else None
                kind = change.kind if depth == size else ChangeKind.CHANGED
                merged[where] = len(result)
                shown = Change(
                    pointer=where,
                    kind=kind,
                    new=None if value is pointers.MISSING else value,
                    remapped=change.remapped,
                    # An added field had no earlier value to hide.
                    old_withheld=why.value if kind is not ChangeKind.ADDED else "",
                )
                result.append(since.judged(shown, old_at, new_at))
                continue
            # something today or later withholds is inside it: both values hidden
        if depth is None:
            result.append(since.judged(_without_web_logins(change), old_at, new_at))
            continue
        own_depth = judge.hiding_new_only(change, old_at, new_at)
        if own_depth is not None and own_depth < size:
            # A part holding the change withheld by the newer version for its own value: the
            # part is shown as changed, with its old value as the older version published it.
            where = shown_at(change.pointer, old_at, new_at, own_depth)
            if where in merged:
                continue
            if now is None:
                now = public_view(after or {}, kind=RecordKind.ELEMENT, policy=policy)
            if then is None:
                then = public_view(before or {}, kind=RecordKind.ELEMENT, policy=policy)
            old_part, new_part = prefix(old_at, own_depth), prefix(new_at, own_depth)
            old, new = pointers.at(then, old_part), pointers.at(now, new_part)
            if old is not pointers.MISSING and isinstance(new, Withheld):
                merged[where] = len(result)
                shown = Change(
                    pointer=where,
                    kind=ChangeKind.CHANGED,
                    old=old,
                    remapped=change.remapped,
                    new_withheld=new.why.value,
                )
                result.append(since.judged(shown, old_part, new_part))
                continue
        elif own_depth is not None:
            # Withheld by the newer version for its own value alone: the old value shown.
            if now is None:
                now = public_view(after or {}, kind=RecordKind.ELEMENT, policy=policy)
            value = pointers.at(now, new_at)
            if value is not pointers.MISSING:
                shown = _without_web_logins(replace(change, new=None, words=()))
                if isinstance(value, Withheld):
                    shown = replace(shown, new_withheld=value.why.value)
                else:
                    shown = replace(shown, new=value)
                result.append(since.judged(shown, old_at, new_at))
                continue
        kind = change.kind if depth == size else ChangeKind.CHANGED
        where = shown_at(change.pointer, old_at, new_at, depth)
        if where in merged:
            index = merged[where]
            if result[index].kind is not kind:
                result[index] = replace(result[index], kind=ChangeKind.CHANGED)
            continue
        merged[where] = len(result)
        result.append(Change(pointer=where, kind=kind, withheld=True, remapped=change.remapped))
    return tuple(result)


def _own(part: WithheldPart) -> bool:
    """Whether a version withholds `part` for its value alone (not in the schema's form, a text
    holding a contact), until the record is fixed: not for what the record says of its
    access."""
    return part.why is Why.UNKNOWN or part.contact


class _Judge:
    """What each version withholds, judged where a change lies in it."""

    def __init__(
        self,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        others: Sequence[OtherVersion],
        locate: Locate | None,
        also: Sequence[WithheldPart],
        policy: Policy,
    ) -> None:
        self.before, self.after, self.locate = before, after, locate
        parts = withheld_parts(after, policy=policy) if after is not None else ()
        self.now = [p.pointer for p in parts]
        """What `after` withholds (both values), by its positions."""
        own = [_own(p) for p in parts]
        self.own = [p.pointer for p, mine in zip(parts, own, strict=True) if mine]
        """What `after` withholds for its value alone (not in the schema's form, a text holding
        a contact), until the record is fixed: not for what the record says of its access."""
        self.for_access = [p.pointer for p, mine in zip(parts, own, strict=True) if not mine]
        """The rest of what `after` withholds."""
        gone = withheld_parts(before, policy=policy) if after is None and before is not None else ()
        self.gone = [p.pointer for p in gone]
        """What `before` withholds when there is no `after` (both values), by its positions."""
        self.personal = [pattern_prefix(p) for p in policy.personal_fields(RecordKind.ELEMENT)]
        self.earlier = (
            [
                p
                for p in withheld_parts(before, policy=policy)
                if p.why is not Why.PERSONAL or p.contact
            ]
            if before is not None and after is not None
            else []
        )
        """What `before` withheld (its old value alone), by its positions: personal data only
        where it is a text outside the fields of personal data that held a contact (those
        fields hide both values of their changes)."""
        self.others = [
            (o.data, kept)
            for o in others
            if (kept := [p.pointer for p in o.parts if p.pointer == WHOLE_RECORD or not _own(p)])
        ]
        """Each other version, with what it withholds for what the record says of its access
        (what it withholds for its own values alone, until fixed, concerns no other version's
        values: those were published, or are judged in their own version)."""
        self.also = [p.pointer for p in also]
        self.whole = WHOLE_RECORD in (*self.now, *self.gone, *self.also) or any(
            WHOLE_RECORD in parts for __, parts in self.others
        )

    def hiding_both(self, pointer: str, kind: ChangeKind, old_at: str, new_at: str) -> int | None:
        """How many keys of `pointer` (a change of `kind`, at `old_at` in `before` and `new_at`
        in `after`) name the outermost part hiding both its values; None when none does. What
        `after` withholds for its value alone (`own`) hides no removed value: `before` published
        it, and `after` does not hold it."""
        now = self.for_access if kind is ChangeKind.REMOVED else self.now
        return self._hiding(pointer, kind, old_at, new_at, now)

    def hiding_new_only(self, change: Change, old_at: str, new_at: str) -> int | None:
        """How many keys of the change's pointer name the outermost part hiding both values of
        `change` (at `old_at` in `before`, `new_at` in `after`), when all that hides them is
        what `after` withholds for its value alone (`own`): the old value there, which `before`
        published, may then be shown, and the newer version's public view at its place. None
        for a removal, when `before` withheld anything there, or when `after` withholds all but
        the identification."""
        size = len(keys(change.pointer))
        own = [d for part in self.own if (d := depth_to(new_at, part)) is not None]
        if not own or change.kind is ChangeKind.REMOVED or self.whole:
            return None
        depth = min(own)
        old_part, new_part = prefix(old_at, depth), prefix(new_at, depth)
        whole = depth == size  # the change itself, else a part holding it
        if ANY_PLACE in keys(new_part) or (not whole and ANY_PLACE in keys(old_part)):
            return None
        added = whole and change.kind is ChangeKind.ADDED
        kind = change.kind if whole else ChangeKind.CHANGED
        pointer = prefix(change.pointer, depth)
        if self.withheld_before(old_part, added=added) is not None:
            return None
        if self._hiding(pointer, kind, old_part, new_part, self.for_access) is not None:
            return None
        return depth

    def _hiding(
        self, pointer: str, kind: ChangeKind, old_at: str, new_at: str, now: Sequence[str]
    ) -> int | None:
        """`hiding_both`, with `now` for what `after` withholds."""
        personal = covering(pointer, (), self.personal)
        found = [len(keys(personal)) if personal is not None else None]
        found += [depth_to(new_at, part) for part in now]
        found += [depth_to(old_at, part) for part in self.gone]
        found += [depth_to(at, part) for at in (old_at, new_at) for part in self.also]
        for data, parts in self.others:
            places = []
            if kind is not ChangeKind.ADDED:  # where its old value is
                places.append(self._place(self.before, old_at, data))
            if kind is not ChangeKind.REMOVED:  # where its new value is
                places.append(self._place(self.after, new_at, data))
            found += [depth_to(at, part) for at in places for part in parts]
        return min((d for d in found if d is not None), default=None)

    def withheld_before(self, old_at: str, *, added: bool = False) -> tuple[int, Why] | None:
        """How many keys name the outermost part holding `old_at` that `before` withheld, and
        why; None when none does. For an `added` value, no text of `before` that held a
        contact: it had no earlier value there (an item added beside one renamed without its
        contact took the renamed item's place, and its removal was not shown)."""
        found = [
            (d, p.why)
            for p in self.earlier
            if not (added and p.contact) and (d := depth_to(old_at, p.pointer)) is not None
        ]
        return min(found, key=lambda f: f[0], default=None)

    def withholds_inside(self, pointer: str, old_at: str, new_at: str) -> bool:
        """Whether anything `after`, one of `others` or `also` withholds lies in or over the
        part at `pointer` (`old_at`, `new_at`: its places in the two versions)."""
        return (
            self.whole or self.hiding_both(pointer, ChangeKind.CHANGED, old_at, new_at) is not None
        )

    def _place(self, source: Mapping[str, Any] | None, at: str, target: Mapping[str, Any]) -> str:
        if source is None or self.locate is None:
            return anywhere(at)
        return self.locate(source, at, target)


def _without_web_logins(change: Change) -> Change:
    """`change` without the user name and password of a web address in its values, as public
    views leave them out (ichinv.inventory.audience); the words of a long text are then left
    out too (a user name may be a word of its own: the values are shown whole instead)."""
    values = (change.old, change.new)
    if not any("@" in text for value in values for text in pointers.strings(value)):
        return change
    old, new = (PUBLIC_TEXTS.made(plain(value)) for value in values)
    if (old, new) == values:
        return change
    return replace(change, old=old, new=new, words=())
