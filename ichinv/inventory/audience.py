"""The one place that decides what an audience may see of a record: public or committee view.

Public views leave out personal data (`contacts`, fields the schema marks `x-ichinv-personal-data`)
and restricted parts (`access.restricted_parts`; all but the identification when a restricted
record lists none); a withheld part becomes a `Withheld` note that says why (and the published
`access.reason`), never what. Views are plain data: renderers work on views only, so an edited
template cannot leak what a view does not hold.

Decided from the record and its schemas alone (never from whether a private overlay is on the
machine), failing closed: without given consent, with `access` not in its documented form, or
with a restricted part that names nothing or what cannot be hidden (`/id`, `/status`,
`/access`), only the identification shows; a part not in the schema's shape (an unknown key, a
wrong kind of value, a value outside its vocabulary or pattern) is withheld until it is fixed.
Without given consent the note says that consent is not given, never in which state it is
(`_consent_why`): every public output says of consent what this view does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.core import pointers
from ichinv.core.contacts import sure_contact, without_web_login
from ichinv.core.model import Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, TOLD_WHEN_ABSENT
from ichinv.inventory.contact_texts import contact_texts
from ichinv.inventory.listings import unprinted_listings
from ichinv.inventory.plaindata import (
    WHOLE_RECORD,
    TextEdit,
    drop,
    fields_of,
    inside_pattern,
    keys,
    merge,
    overlaps,
    placed,
    plain,
    replace_at,
    shaped_copy,
)
from ichinv.inventory.policy import DEFAULT_POLICY, Policy
from ichinv.inventory.withheld_note import Why, Withheld
from ichinv.schemas.shape import Shape, unknown_parts


class Audience(StrEnum):
    """Who a rendering is for."""

    PUBLIC = "public"
    """Anyone: never personal data, never restricted parts."""
    COMMITTEE = "committee"
    """The inventory's committee: everything (confidential)."""


ACCESS_KEYS = frozenset({"level", "restricted_parts", "reason", "decided_by"})
"""The keys the documented form of `access` has; any other makes it unreadable."""

NEVER_WITHHELD: tuple[str, ...] = ("/id", "/status", "/access")
"""Fields a restricted part cannot hide (public lists always show them: the identifier is what
every packet is keyed by); a part listing one of them, or a field inside one, hides everything
but the identification instead: what it meant to hide cannot be told."""


def unrestrictable(part: str) -> str | None:
    """The field of NEVER_WITHHELD that the entry `part` of access.restricted_parts names or
    lies within, or None: such an entry cannot be restricted (validate's access.parts says so,
    `private split` refuses to move it)."""
    return next((field for field in NEVER_WITHHELD if pointers.within(part, field)), None)


@dataclass(frozen=True, slots=True)
class WithheldPart:
    """One part of a record that a public view leaves out."""

    pointer: str
    """JSON pointer of the part, or `*` for everything but the identification."""
    why: Why
    reason: str | None = None
    """The published reason (`access.reason`) for a restricted part; None for personal data."""
    contact: bool = False
    """A text outside the fields of personal data that holds a contact (`contact_texts`),
    withheld as personal data: findings about it are not withheld for it, for no finding
    quotes a contact (ichinv.inventory.redaction)."""


PUBLIC_TEXTS = TextEdit("@", without_web_login)
"""What public views edit in texts: no web address keeps its user name and password."""


# --- views -------------------------------------------------------------------------------------


def record_data(
    record: Record | Mapping[str, Any], kind: RecordKind | None
) -> tuple[Mapping[str, Any], RecordKind]:
    """The data and kind of a record, or of record data (an element unless `kind` says)."""
    if isinstance(record, Record):
        return record.data, kind or record.kind
    return record, kind or RecordKind.ELEMENT


def committee_view(
    record: Record | Mapping[str, Any],
    *,
    private: Mapping[str, Any] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Any]:
    """Everything in the record (a deep copy), with `private` merged in when given (`only`:
    see `view`).

    `private` is the record's part kept outside the repository (the private overlay: contacts,
    restricted parts); mappings are merged key by key, anything else replaces the value."""
    data, __ = record_data(record, None)
    view = plain(fields_of(data, only))
    if private:
        merge(view, fields_of(private, only))
    return view


def public_view(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    only: Collection[str] | None = None,
    others: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """What anyone may see: personal data dropped, restricted parts replaced by `Withheld`
    (`only`: see `view`; `others`: see `withheld_parts`)."""
    return public_view_and_parts(record, kind=kind, policy=policy, only=only, others=others)[0]


def public_view_and_parts(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    only: Collection[str] | None = None,
    others: Sequence[Mapping[str, Any]] = (),
) -> tuple[dict[str, Any], tuple[WithheldPart, ...]]:
    """`public_view`, and, without `only`, `withheld_parts` of the record (found on the way:
    the copy found whether the record is in shape); with `only`, what the view of those fields
    withholds, not all the record does."""
    data, kind = record_data(record, kind)
    # What is withheld is worked out over the whole record, whatever part of it the view copies;
    # with `only`, `in_shape` says that no part out of shape lies in the fields copied.
    view, in_shape = shaped_copy(data, policy.shapes.get(kind), only, PUBLIC_TEXTS)
    parts = withheld_parts(record, kind=kind, policy=policy, in_shape=in_shape, others=others)
    texts: list[str] = []  # texts that hold a contact, outside the fields of personal data
    for part in parts:
        if part.why is Why.PERSONAL:
            if part.contact:
                texts.append(part.pointer)
            continue
        if part.pointer == WHOLE_RECORD:
            note = Withheld(part.why, part.reason)
            view.update((k, note) for k in list(view) if k not in PUBLIC_IDENTIFICATION)
            told = fields_of(dict.fromkeys(TOLD_WHEN_ABSENT, note), only)
            view = placed(view, told, policy.shapes.get(kind))  # recorded or not: withheld
        else:
            replace_at(view, part.pointer, Withheld(part.why, part.reason))
    for pointer in texts:  # a note in its place: a name or a list item stays where it was
        if type(pointers.at(view, pointer)) is str:  # not withheld already, for another reason
            replace_at(view, pointer, Withheld(Why.PERSONAL))
    for pattern in policy.personal_fields(kind):
        drop(view, keys(pattern))
    policy.drop_unknown(kind, view)
    return view, parts


def view(
    record: Record | Mapping[str, Any],
    audience: Audience,
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    private: Mapping[str, Any] | None = None,
    only: Collection[str] | None = None,
    others: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The view of `record` for `audience` (the private overlay only ever reaches the committee).
    `only`: the top-level fields wanted; the view holds exactly what the whole view holds under
    them, at less cost (a packet's rows read a few fields of thousands of records). `others`:
    see `withheld_parts`."""
    if audience is Audience.COMMITTEE:
        return committee_view(record, private=private, only=only)
    return public_view(record, kind=kind, policy=policy, only=only, others=others)


def withheld_whole(parts: Iterable[WithheldPart]) -> bool:
    """Whether `parts` (what a version of a record withholds: `withheld_parts`) withhold all
    but its identification."""
    return any(p.pointer == WHOLE_RECORD for p in parts)


def withheld_parts(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    in_shape: bool = False,
    others: Sequence[Mapping[str, Any]] = (),
    contacts: bool = True,
) -> tuple[WithheldPart, ...]:
    """What a public view leaves out of the record, and why (`in_shape`: it fits its shape;
    `others`: the data of other files holding the element's id, see `doubled_parts`; without
    `contacts`, not the texts that hold a contact, `contact_texts`, which cost a search of every
    text: for what needs to know only what is withheld for other reasons)."""
    data, kind = record_data(record, kind)
    parts: list[WithheldPart] = []
    if kind is RecordKind.ELEMENT:
        parts.extend(_restriction(data)[1])
        if others:
            parts.extend(doubled_parts(others))
        parts.extend(_unprintable_listings(data, policy.shapes.get(kind)))
    personal = policy.personal_fields(kind)
    held: list[str] = []
    for pattern in personal:
        held += [pointer for pointer, __ in pointers.matches(data, pattern)]
    parts.extend(WithheldPart(pointer, Why.PERSONAL) for pointer in held)
    if contacts:
        # Not inside a part withheld already: its note says nothing of what the part holds.
        covered = [*held, *(p.pointer for p in parts if p.pointer != WHOLE_RECORD)]
        whole = any(p.pointer == WHOLE_RECORD for p in parts)
        known = record.no_contact if isinstance(record, Record) else None
        parts.extend(
            WithheldPart(pointer, Why.PERSONAL, contact=True)
            for pointer in contact_texts(data, covered, known)
            if not whole or pointers.split(pointer)[0] in PUBLIC_IDENTIFICATION
        )
    shape = policy.shapes.get(kind)
    if shape is not None and not in_shape:
        parts.extend(_unknown(data, shape, parts, personal))
    return tuple(parts)


def _published_reason(reason: Any) -> str | None:
    """`access.reason` as every note of the record publishes it: on one line, without the user
    name and password of a web address; None when there is none, or when it holds a contact."""
    if not isinstance(reason, str) or not reason.strip():
        return None
    published = without_web_login(" ".join(reason.split()))
    return None if sure_contact(published) else published


def doubled_parts(others: Sequence[Mapping[str, Any]]) -> list[WithheldPart]:
    """What a public view withholds of an element because other files hold its id too (which
    of them says what is restricted cannot be told): all but the identification, and each
    identification field one of `others` restricts, whole (its positions name nothing here)."""
    named = (_named_identification(other, other.get("access")) for other in others)
    fields = sorted({pointers.split(part.pointer)[0] for parts in named for part in parts})
    whole = WithheldPart(WHOLE_RECORD, Why.UNREADABLE)
    return [whole, *(WithheldPart(pointers.join([f]), Why.RESTRICTED) for f in fields)]


def _unknown(
    data: Mapping[str, Any],
    shape: Shape,
    withheld: list[WithheldPart],
    personal: tuple[str, ...],
) -> list[WithheldPart]:
    """The parts of `data` not in the schema's shape that are not withheld already (personal
    data is left out of public views whatever its form)."""
    found: list[WithheldPart] = []
    covered = [p.pointer for p in withheld if p.why is not Why.PERSONAL]
    whole = WHOLE_RECORD in covered
    for where in unknown_parts(data, shape):
        pointer = where or WHOLE_RECORD
        if whole and (pointer == WHOLE_RECORD or keys(pointer)[0] not in PUBLIC_IDENTIFICATION):
            continue
        if any(inside_pattern(pointer, pattern) for pattern in personal):
            continue
        if any(p != WHOLE_RECORD and pointers.within(pointer, p) for p in covered):
            continue
        found.append(WithheldPart(pointer, Why.UNKNOWN))
        whole = whole or pointer == WHOLE_RECORD
    return found


class Restriction(StrEnum):
    """How an element's public view is restricted."""

    NONE = "none"
    PARTS = "parts"
    """The parts listed in `access.restricted_parts` are withheld."""
    WHOLE = "whole"
    """A restricted record lists no parts: everything but the identification is withheld."""
    CONSENT = "consent"
    """The communities' consent is not given: everything but the identification is withheld."""
    FAILED = "failed"
    """`access` is not in its documented form: everything but the identification is withheld
    until the record is fixed."""


def restriction(record: Record | Mapping[str, Any]) -> Restriction:
    """How the element's public view is restricted (see Restriction)."""
    data, __ = record_data(record, None)
    return _restriction(data)[0]


def _restriction(data: Mapping[str, Any]) -> tuple[Restriction, list[WithheldPart]]:
    state, parts = _restriction_of(data)
    access = data.get("access")
    if state is not Restriction.FAILED and isinstance(access, Mapping) and _access_listed(access):
        parts += [
            WithheldPart(f"/access/{key}", Why.RESTRICTED)
            for key in ("reason", "decided_by")
            if access.get(key) is not None
        ]
    return state, parts


def _restriction_of(data: Mapping[str, Any]) -> tuple[Restriction, list[WithheldPart]]:
    access = data.get("access")
    # Identification fields an editor listed are withheld whatever else `access` says: a
    # record withheld as a whole still shows its identification, so it must not show those.
    named = _named_identification(data, access)
    if not _documented(access):
        return Restriction.FAILED, [WithheldPart(WHOLE_RECORD, Why.UNREADABLE), *named]
    assert isinstance(access, Mapping)
    reason = _published_reason(access.get("reason"))
    if _access_listed(access):
        reason = None  # the editor listed the reason (or all of `access`): not published
    consent = data.get("consent")
    status = consent.get("status") if isinstance(consent, Mapping) else None
    if status != "given":
        return Restriction.CONSENT, [
            WithheldPart(WHOLE_RECORD, _consent_why(access), reason),
            *named,
        ]
    listed = access.get("restricted_parts")
    if access["level"] == "public":
        return Restriction.NONE, []
    whole = WithheldPart(WHOLE_RECORD, Why.RESTRICTED, reason)
    if not listed:
        return Restriction.WHOLE, [whole]
    found: dict[str, WithheldPart] = {}
    for pointer in listed:
        matches = [where for where, __ in pointers.matches(data, pointer)]
        if not matches:  # a typo must not publish what it meant to hide: only the identification
            return Restriction.WHOLE, [whole, *named]
        for where in matches:
            if where == "" or any(pointers.within(where, n) for n in NEVER_WITHHELD):
                return Restriction.WHOLE, [whole, *named]
            found.setdefault(where, WithheldPart(where, Why.RESTRICTED, reason))
            located = _coordinates_of_place(data, where)
            if located is not None:
                found.setdefault(located, WithheldPart(located, Why.RESTRICTED, reason))
    return Restriction.PARTS, _outermost(found.values())


def _coordinates_of_place(data: Mapping[str, Any], where: str) -> str | None:
    """The coordinates of a location whose place `where` withholds: not shown on a map either."""
    parts = pointers.split(where)
    if len(parts) >= 3 and parts[0] == "locations" and parts[2] == "place":
        located = f"/locations/{parts[1]}/coordinates"
        return located if pointers.at(data, located) is not pointers.MISSING else None
    return None


_KEPT_ALWAYS = frozenset({"id", "status", "access"})
"""Identification fields no restriction hides (validate refuses listing them: access.parts)."""


def _named_identification(data: Mapping[str, Any], access: Any) -> list[WithheldPart]:
    """Parts of the identification (names, domains, category, provinces) that `access` lists
    anywhere, readable or not, each as the fields it names (a typo: the nearest that exists)."""
    reason = _published_reason(access.get("reason") if isinstance(access, Mapping) else None)
    found: dict[str, WithheldPart] = {}
    for pointer in _pointers_in(access):
        try:
            top = pointers.split(pointer)[0]
        except (ValueError, IndexError):
            continue
        if top not in PUBLIC_IDENTIFICATION or top in _KEPT_ALWAYS:
            continue
        matches = [where for where, __ in pointers.matches(data, pointer)]
        for where in matches or [_nearest_existing(data, pointer)]:
            if where and where not in NEVER_WITHHELD:
                found.setdefault(where, WithheldPart(where, Why.RESTRICTED, reason))
    return _outermost(found.values())


def _unprintable_listings(data: Mapping[str, Any], shape: Shape | None) -> list[WithheldPart]:
    """The entries of `access.restricted_parts` a public view does not print (see
    ichinv.inventory.listings)."""
    return [
        WithheldPart(f"/access/restricted_parts/{index}", Why.UNKNOWN)
        for index in unprinted_listings(data, shape)
    ]


def _consent_why(access: Mapping[str, Any]) -> Why:
    """Why a record whose consent is not given is withheld, as the public may read it: that
    consent is not given, never in which state it is (pending, withdrawn, not sought, none
    recorded: `list`, its filters and `progress` show no consent state for such a record).
    When `access.restricted_parts` restricts the consent status itself, not even that: the
    record is withheld by its restriction."""
    listed = access.get("restricted_parts")
    if isinstance(listed, list) and any(
        isinstance(p, str) and inside_pattern("/consent/status", p) for p in listed
    ):
        return Why.RESTRICTED
    return Why.CONSENT_NOT_GIVEN


def _access_listed(access: Mapping[str, Any]) -> bool:
    """Whether `access.restricted_parts` lists `access` itself or a part of it (its reason,
    who decided): then none of it but the level is published."""
    listed = access.get("restricted_parts")
    return isinstance(listed, list) and any(
        isinstance(p, str) and pointers.within(p, "/access") for p in listed
    )


def _pointers_in(value: Any, depth: int = 0) -> list[str]:
    """Every text that looks like a JSON pointer anywhere in `value` (a malformed `access`)."""
    if depth > 8:
        return []
    if isinstance(value, str):
        return [value] if value.startswith("/") and len(value) > 1 else []
    if isinstance(value, Mapping):
        return [p for v in value.values() for p in _pointers_in(v, depth + 1)]
    if isinstance(value, list):
        return [p for v in value for p in _pointers_in(v, depth + 1)]
    return []


def _documented(access: Any) -> bool:
    """Whether `access` has exactly its documented form (see the module docstring)."""
    if not isinstance(access, Mapping) or not set(access) <= ACCESS_KEYS:
        return False
    level, listed = access.get("level"), access.get("restricted_parts")
    if level not in ("public", "restricted") or not isinstance(level, str):
        return False
    if any(
        access.get(k) is not None and not isinstance(access[k], str)
        for k in ("reason", "decided_by")
    ):
        return False
    if listed is None or listed == []:
        return True
    return (
        level == "restricted"
        and isinstance(listed, list)
        and all(isinstance(p, str) and p.startswith("/") and len(p) > 1 for p in listed)
    )


def _nearest_existing(data: Any, pointer: str) -> str:
    """The longest leading part of `pointer` that names something in `data` (`""`: nothing
    does, the whole record). A `*` stops the walk: it stands for parts that do not exist."""
    parts = pointers.split(pointer)
    found: list[str] = []
    node = data
    for part in parts:
        if part == "*":
            break
        nxt = pointers.at(node, "/" + pointers.escape(part))
        if nxt is pointers.MISSING:
            break
        found.append(part)
        node = nxt
    return pointers.join(found)


def _outermost(parts: Iterable[WithheldPart]) -> list[WithheldPart]:
    """Parts not inside another listed part, in pointer order."""
    ordered = sorted(parts, key=lambda p: keys(p.pointer))
    kept: list[WithheldPart] = []
    for part in ordered:
        if not any(overlaps(part.pointer, k.pointer) for k in kept):
            kept.append(part)
    return kept
