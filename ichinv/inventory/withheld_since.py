"""What a record withholds more since a change: the values a public view of changes may not
show because a later version of the record restricts more, or restricts the texts they say
(ichinv.inventory.changes_view judges each change by it). Each version names what it withholds
by its own positions; `log` and `diff --against` judge every change by the record as it is
today too (`OtherVersion`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, Access
from ichinv.inventory.audience import (
    Restriction,
    Why,
    WithheldPart,
    public_view,
    restriction,
    withheld_parts,
)
from ichinv.inventory.change_places import ANY_PLACE, Locate, anywhere
from ichinv.inventory.plaindata import keys, plain
from ichinv.inventory.policy import DEFAULT_POLICY, Policy
from ichinv.inventory.quoting import Quotes
from ichinv.inventory.redaction import withheld_texts, withheld_texts_by_why
from ichinv.schemas.shape import Out, out_of_shape

WITHHOLDS_MORE = "withholds-more"
"""`Change.old_withheld` of a change whose earlier value is not shown because the record
withholds more since: the change restricted more, or the earlier value quotes what the newer
version withholds."""

RESTRICTING = (Why.RESTRICTED, Why.CONSENT_NOT_GIVEN, Why.UNREADABLE, Why.UNKNOWN)
"""The reasons of withheld parts whose texts no value of a public view of changes may quote
(personal data is left out: a bearer's name in a contact may be in a description too)."""

_WITHHOLDING = (Why.RESTRICTED, Why.CONSENT_NOT_GIVEN, Why.UNREADABLE)
"""Of `RESTRICTING`, the reasons a text is withheld for what the record says of its access."""


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
    """The version `data` with what it withholds (`only`: for that reason alone), and the
    texts of those parts no public value may quote."""
    parts = withheld_parts(data, policy=policy)
    reasons = RESTRICTING if only is None else (only,)
    texts = withheld_texts(data, kind=RecordKind.ELEMENT, policy=policy, only=reasons)
    return OtherVersion(data, tuple(p for p in parts if only is None or p.why is only), texts)


def restricts_more(older: Mapping[str, Any] | None, newer: Mapping[str, Any] | None) -> bool:
    """Whether the version `newer` of a record restricts more than `older`: its `access.level`
    became `restricted`, its `access.restricted_parts` name a part that `older`'s did not (or
    none, which withholds all but the identification, where `older` named some), or its
    `access.reason` changed while it restricts (the community asked anew: what it asked is
    not known). An `access` that cannot be read restricts more (privacy fails closed), and so
    does one naming a part of the identification where `older` withheld all but the
    identification (which it published)."""
    if older is None or newer is None:
        return False
    new, old = newer.get("access"), older.get("access")
    if not isinstance(new, Mapping) or not isinstance(old, Mapping):
        return not isinstance(new, Mapping) or new.get("level") == "restricted"
    if restriction(newer) is Restriction.FAILED and restriction(older) is not Restriction.FAILED:
        return True  # its access cannot be read: all but the identification is withheld
    if new.get("level") != "restricted":
        return False
    if old.get("level") != "restricted":
        return True
    new_parts, old_parts = new.get("restricted_parts"), old.get("restricted_parts")
    if new_parts is not None and not isinstance(new_parts, list):
        return True
    if old_parts is not None and not isinstance(old_parts, list):
        old_parts = []
    if not old_parts:  # the older one withheld all but the identification, which it published
        grew = isinstance(new_parts, list) and any(
            not pointers.is_pointer(p) or pointers.top(p) in PUBLIC_IDENTIFICATION
            for p in new_parts  # one that is no pointer may name anything
        )
    else:
        grew = not new_parts or any(p not in old_parts for p in new_parts)
    return grew or plain(new.get("reason")) != plain(old.get("reason"))


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
            if before is not None and restricted - movable:
                # A text withheld for its form alone (until fixed) that the older version
                # published may be quoted again: an item that gained an unknown key keeps
                # its name. What the record restricts since may not (`grew`, `moved`).
                restricted -= _published(before, policy) - movable
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
    (`RESTRICTING`), and those of them that may have been moved out of a public field, to be
    said there in other words (`Since.moved`). Of the texts withheld for not being in the
    schema's form (until fixed: `status: Viable`), only a sentence of a record that restricts
    parts may be one moved (`notes: {RU: …}` beside a restricted `notes/en`); a record that
    restricts nothing has no part for a sentence to move into (`status: at risk`)."""
    by_why = withheld_texts_by_why(data, kind=RecordKind.ELEMENT, policy=policy)
    access = frozenset().union(*(by_why.get(why, ()) for why in _WITHHOLDING))
    unfit = by_why.get(Why.UNKNOWN, frozenset())
    if restriction(data) is Restriction.NONE:
        return access | unfit, access  # no part restricted: none for a sentence to move into
    return access | unfit, access | _under_unknown_keys(data, policy)


def _under_unknown_keys(data: Mapping[str, Any], policy: Policy) -> frozenset[str]:
    """The texts of several words under the keys of `data` the schema does not know (`notes:
    {RU: …}`), not those of the fields beside them that the same container holds (a
    community's name, in an item that gained an unknown key)."""
    shape = policy.shapes.get(RecordKind.ELEMENT)
    if shape is None:
        return frozenset()
    return frozenset(
        text.strip()
        for where, out in out_of_shape(data, shape)
        if out is Out.KEY
        for text in pointers.strings(pointers.at(data, where))
        if len(text.split()) > 1
    )


def _published(data: Mapping[str, Any], policy: Policy) -> frozenset[str]:
    """Every text the public view of the version `data` shows."""
    view = public_view(data, kind=RecordKind.ELEMENT, policy=policy)
    return frozenset(text.strip() for text in pointers.strings(view))


def _restricts_new_text(
    earlier: Mapping[str, Any], restricted: frozenset[str], policy: Policy
) -> bool:
    """Whether `restricted` (the texts a later version restricts) holds one the version
    `earlier` did not restrict: a sentence moved, reworded or translated, out of a public field
    into a restricted part, which the earlier values of a public field may say in other words."""
    return bool(
        restricted
        - withheld_texts(earlier, kind=RecordKind.ELEMENT, policy=policy, only=_WITHHOLDING)
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
