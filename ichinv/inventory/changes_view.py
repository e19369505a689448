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

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, Finding, Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, Access
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
from ichinv.inventory.quoting import Quotes
from ichinv.inventory.redaction import covering, pattern_prefix, withheld_texts
from ichinv.inventory.withheld_note import Withheld

WITHHOLDS_MORE = "withholds-more"
"""`Change.old_withheld` of a change whose earlier value is not shown because the record
withholds more since: the change restricted more, or the earlier value quotes what the newer
version withholds."""

_RESTRICTING = (Why.RESTRICTED, Why.CONSENT_NOT_GIVEN, Why.UNREADABLE, Why.UNKNOWN)
"""The reasons of withheld parts whose texts no value of a public view of changes may quote
(personal data is left out: a bearer's name in a contact may be in a description too)."""

_WITHHOLDING = (Why.RESTRICTED, Why.CONSENT_NOT_GIVEN, Why.UNREADABLE)
"""Of `_RESTRICTING`, the reasons a text is withheld for what the record says of its access."""


@dataclass(frozen=True, slots=True)
class OtherVersion:
    """A version of the record besides the two compared whose withheld parts hide both values
    of every change inside them: the record as it is today (a value public in an old commit
    and restricted now stays hidden); in `log`, every version that restricted a part."""

    data: Mapping[str, Any]
    parts: tuple[WithheldPart, ...]
    """What it withholds (`withheld_parts`, or those of them that count)."""
    texts: frozenset[str] = frozenset()
    """The texts of the parts it restricts: no value shown may quote them (ichinv.inventory
    .quoting)."""


def other_version(
    data: Mapping[str, Any], *, policy: Policy = DEFAULT_POLICY, only: Why | None = None
) -> OtherVersion:
    """The version `data` with what it withholds (`only`: for that reason alone)."""
    parts = withheld_parts(data, policy=policy)
    texts = withheld_texts(data, kind=RecordKind.ELEMENT, policy=policy, only=_RESTRICTING)
    return OtherVersion(data, tuple(p for p in parts if only is None or p.why is only), texts)


def restricts_more(older: Mapping[str, Any] | None, newer: Mapping[str, Any] | None) -> bool:
    """Whether the version `newer` of a record restricts more than `older`: its `access.level`
    became `restricted`, its `access.restricted_parts` name a part that `older`'s did not (or
    none, which withholds all but the identification, where `older` named some), or its
    `access.reason` changed while it restricts (the community asked anew: what it asked is
    not known). An `access` that cannot be read restricts more (privacy fails closed)."""
    if older is None or newer is None:
        return False
    new, old = newer.get("access"), older.get("access")
    if not isinstance(new, Mapping) or not isinstance(old, Mapping):
        return not isinstance(new, Mapping) or new.get("level") == "restricted"
    if new.get("level") != "restricted":
        return False
    if old.get("level") != "restricted":
        return True
    new_parts, old_parts = new.get("restricted_parts"), old.get("restricted_parts")
    if new_parts is not None and not isinstance(new_parts, list):
        return True
    if old_parts is not None and not isinstance(old_parts, list):
        old_parts = []
    if not old_parts:  # the older one withheld all but the identification
        grew = False
    else:
        grew = not new_parts or any(p not in old_parts for p in new_parts)
    return grew or plain(new.get("reason")) != plain(old.get("reason"))


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
        if judge.hiding_new_only(change, old_at, new_at):
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


class Since:
    """What a record withholds more since a change, judged for each value of the change: the
    earlier value of a change that restricts more, a value quoting a text the newer version or
    one of the others restricts, and a value the record of `today` does not publish at that
    place when it restricts more than the newer version."""

    def __init__(
        self,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        others: Sequence[OtherVersion],
        locate: Locate | None,
        policy: Policy,
        today: Mapping[str, Any] | None,
    ) -> None:
        self.before, self.after, self.locate, self.today = before, after, locate, today
        self.grew = restricts_more(before, after)
        texts = set().union(*(o.texts for o in others))
        if after is not None:
            restricted, movable = _withheld_texts(after, policy)
            texts |= restricted
            self.moved = before is not None and _restricts_new_text(before, movable, policy)
        self.quotes = Quotes(texts)
        latest = after if after is not None else before
        self.words_only = not (today is None or latest is None or restricts_more(latest, today))
        self.view = (
            public_view(today, kind=RecordKind.ELEMENT, policy=policy)
            if today is not None
            and latest is not None
            and (
                not self.words_only
                or _restricts_new_text(latest, _withheld_texts(today, policy)[1], policy)
            )
            else None
        )
        """The public view of the record today, when it restricts more than the newer version
        (every value is judged by it) or restricts a text that version did not (the values that
        say words, `_says_words`): only what it holds is shown."""

    moved: bool = False
    """The newer version restricts a text the earlier did not (a sentence moved, reworded or
    translated, out of a public field into a restricted part): the earlier values of the change
    that say words (`_says_words`) may have said it in other words."""

    def judged(self, change: Change, old_at: str, new_at: str) -> Change:
        """`change` (its values shown as far as the rest of the public view knows) without the
        values that the record withholds more since."""
        if change.withheld:
            return change
        new_hidden = (
            change.kind is not ChangeKind.REMOVED
            and not change.new_withheld
            and not self._shows(change.new, self.after, new_at)
        )
        if new_hidden:
            return Change(
                pointer=change.pointer, kind=change.kind, withheld=True, remapped=change.remapped
            )
        if change.old_withheld or change.kind is ChangeKind.ADDED:
            return change
        if (
            (self.grew and not _a_level(change))
            or (self.moved and _says_words(change.old))
            or not self._shows(change.old, self.before, old_at)
        ):
            return replace(change, old=None, words=(), old_withheld=WITHHOLDS_MORE)
        return change

    def _shows(self, value: Any, source: Mapping[str, Any] | None, at: str) -> bool:
        """Whether `value`, at `at` in the version `source`, may be shown."""
        if self.quotes.quoted_in(value):
            return False
        if self.view is None or (self.words_only and not _says_words(value)):
            return True
        assert self.today is not None
        place = (
            self.locate(source, at, self.today)
            if self.locate is not None and source is not None
            else anywhere(at)
        )
        if ANY_PLACE in keys(place):
            return False
        found = pointers.at(self.view, place)
        return found is not pointers.MISSING and plain(found) == plain(value)


def _withheld_texts(
    data: Mapping[str, Any], policy: Policy
) -> tuple[frozenset[str], frozenset[str]]:
    """The texts of the version `data` that no value of a public view of changes may quote
    (`_RESTRICTING`), and those of them that may have been moved out of a public field, to be
    said there in other words (`Since.moved`): all but a value of one word withheld for not
    being in the schema's form (`status: Viable`, withheld until it is fixed, which restricts
    nothing else). A sentence under a key the schema does not know (`notes: {RU: …}` for
    `ru`) may be one moved, and counts."""
    access = withheld_texts(data, kind=RecordKind.ELEMENT, policy=policy, only=_WITHHOLDING)
    unfit = withheld_texts(data, kind=RecordKind.ELEMENT, policy=policy, only=(Why.UNKNOWN,))
    return access | unfit, access | {t for t in unfit if len(t.split()) > 1}


def _restricts_new_text(
    earlier: Mapping[str, Any], restricted: frozenset[str], policy: Policy
) -> bool:
    """Whether `restricted` (the texts a later version restricts) holds one the version
    `earlier` did not restrict: a sentence moved, reworded or translated, out of a public field
    into a restricted part, which the earlier values of a public field may say in other words."""
    return bool(
        restricted
        - withheld_texts(earlier, kind=RecordKind.ELEMENT, policy=policy, only=_RESTRICTING)
    )


_WORDLESS = re.compile(r"[a-z0-9][a-z0-9._-]*")
"""A value of a vocabulary, a date or a number written as text (`at-risk`, `2024-05-01`):
no word of a sentence, no name, no web address."""


def _says_words(value: Any) -> bool:
    """Whether `value` holds a text that may say in words what a record withholds: any text
    but a value of a vocabulary, a date or a number (`_WORDLESS`)."""
    return any(_WORDLESS.fullmatch(text) is None for text in pointers.strings(value))


def _a_level(change: Change) -> bool:
    """Whether `change` is of the record's access level from one of its words to the other
    (`public` → `restricted`): the change that restricts more shows it, for it tells nothing
    but that the record now withholds more."""
    return change.pointer == "/access/level" and change.old in tuple(Access)


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
        own = [p.why is Why.UNKNOWN or p.contact for p in parts]
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
        self.others = [(o.data, [p.pointer for p in o.parts]) for o in others if o.parts]
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

    def hiding_new_only(self, change: Change, old_at: str, new_at: str) -> bool:
        """Whether all that hides both values of `change` (at `old_at` in `before`, `new_at` in
        `after`) is what `after` withholds for its value alone (`own`), lying in the change:
        its old value, which `before` published, may then be shown, and the newer version's
        public view at its place. Not for a removal, nor when `before` withheld the old value
        or `after` withholds all but the identification."""
        size = len(keys(change.pointer))
        own = [d for part in self.own if (d := depth_to(new_at, part)) is not None]
        return (
            bool(own)
            and min(own) == size
            and change.kind is not ChangeKind.REMOVED
            and not self.whole
            and ANY_PLACE not in keys(new_at)
            and self.withheld_before(old_at, added=change.kind is ChangeKind.ADDED) is None
            and self._hiding(change.pointer, change.kind, old_at, new_at, self.for_access) is None
        )

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
