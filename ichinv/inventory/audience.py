"""The one place that decides what an audience may see of a record: public or committee view.

Public views leave out personal data (`contacts`, and any field the schema marks
`x-ichinv-personal-data`) and the restricted parts of a record (`access.restricted_parts`, or,
when a restricted record lists none, everything but its identification). A withheld part is
replaced by a `Withheld` note that says why (personal data, customary restriction with the
published `access.reason`, consent pending, consent withdrawn, no consent recorded), never
what. Views are plain data (dicts, lists, text, numbers): every renderer works on a view, never
on a raw record, so an edited template cannot leak what the view does not hold.

The decision is made from the record alone (and the schemas' personal-data annotations), never
from whether a private overlay happens to be on the machine, and it fails closed:

* a record without the free, prior and informed consent of its communities (`consent.status`
  other than `given`) shows only its identification, whatever `access` says;
* `access` in any other form than the documented one (`level: public`, or `level: restricted`
  with an optional list of JSON pointers, `reason` and `decided_by`; a typo, another case, a
  list, a text, an unknown key) shows only the identification, until it is fixed;
* a restricted part that names nothing withholds its nearest existing ancestor (`ichinv
  validate` reports it: rule access.parts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import Schema


class Audience(StrEnum):
    """Who a rendering is for."""

    PUBLIC = "public"
    """Anyone: never personal data, never restricted parts."""
    COMMITTEE = "committee"
    """The inventory's committee: everything (confidential)."""


class Why(StrEnum):
    """Why something was left out of a public view."""

    PERSONAL = "personal-data"
    """Personal data of bearers and of the inventory team: never published."""
    RESTRICTED = "restricted"
    """Restricted by customary practice (Convention Art. 13(d)(ii)), see `access.reason`."""
    CONSENT_PENDING = "consent-pending"
    """The communities' consent is being sought: nothing but the identification until given."""
    CONSENT_WITHDRAWN = "consent-withdrawn"
    """The communities withdrew their consent."""
    CONSENT_MISSING = "consent-missing"
    """No consent is recorded (or it was not sought)."""
    UNREADABLE = "unreadable"
    """The record's `access` cannot be read: withheld until it is fixed."""


_NOTES: Mapping[Why, str] = {
    Why.PERSONAL: "personal data",
    Why.RESTRICTED: "restricted",
    Why.CONSENT_PENDING: "consent pending",
    Why.CONSENT_WITHDRAWN: "consent withdrawn",
    Why.CONSENT_MISSING: "no consent recorded",
    Why.UNREADABLE: "access rules unreadable",
}
"""The English words of a `Withheld` note, by reason."""

_CONSENT: Mapping[str, Why] = {
    "pending": Why.CONSENT_PENDING,
    "withdrawn": Why.CONSENT_WITHDRAWN,
}
"""Why a record whose consent is not given is withheld (any other state: CONSENT_MISSING)."""

ACCESS_KEYS = frozenset({"level", "restricted_parts", "reason", "decided_by"})
"""The keys the documented form of `access` has; any other makes it unreadable."""

NEVER_WITHHELD: frozenset[str] = frozenset({"/id"})
"""Pointers a restricted part cannot hide: the identifier is what every packet is keyed by."""

WHOLE_RECORD = "*"
"""`WithheldPart.pointer` of a restriction of everything but the identification."""


class Withheld(str):
    """Stands where a view withheld a value: says why (and the published reason), never what.

    A `str`, so that views stay plain data (JSON, CSV); its text is an English note.
    Renderers that know the type show a translated note instead.
    """

    why: Why
    reason: str | None

    def __new__(cls, why: Why, reason: str | None = None) -> Withheld:
        reason = reason if why is not Why.PERSONAL else None
        note = _NOTES[why]
        text = f"[withheld: {note}: {reason}]" if reason else f"[withheld: {note}]"
        self = super().__new__(cls, text)
        self.why = why
        self.reason = reason
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.why, self.reason)

    def __deepcopy__(self, memo: dict[int, Any]) -> Withheld:
        return self


@dataclass(frozen=True, slots=True)
class WithheldPart:
    """One part of a record that a public view leaves out."""

    pointer: str
    """JSON pointer of the part, or `*` for everything but the identification."""
    why: Why
    reason: str | None = None
    """The published reason (`access.reason`) for a restricted part; None for personal data."""


@dataclass(frozen=True, slots=True)
class Policy:
    """Which fields hold personal data, by record kind (from the schemas' annotations)."""

    personal: Mapping[RecordKind, tuple[str, ...]] = field(
        default_factory=lambda: {RecordKind.ELEMENT: ("/contacts",), RecordKind.PROVINCE: ()}
    )
    """Patterns (JSON pointers, `*` for any item) of personal-data fields."""

    def personal_fields(self, kind: RecordKind) -> tuple[str, ...]:
        return self.personal.get(kind, ())


DEFAULT_POLICY = Policy()


def policy_for(schema_dir: Path) -> Policy:
    """The policy of an inventory: personal-data fields as its schemas mark them
    (`x-ichinv-personal-data`), always including `/contacts` of elements (a schema that
    cannot be read marks nothing more)."""
    marked: dict[RecordKind, tuple[str, ...]] = {}
    for kind in RecordKind:
        path = Path(schema_dir) / f"{kind.value}.schema.json"
        if path.is_file():
            marked[kind] = schema_loader.load_schema(kind, path, check=False).personal_fields
    return _policy(marked)


def policy_from(schemas: Mapping[RecordKind, Schema]) -> Policy:
    """The policy of loaded schemas (see policy_for)."""
    return _policy({kind: schema.personal_fields for kind, schema in schemas.items()})


def _policy(marked: Mapping[RecordKind, tuple[str, ...]]) -> Policy:
    return Policy(
        {
            kind: tuple(
                dict.fromkeys((*DEFAULT_POLICY.personal_fields(kind), *marked.get(kind, ())))
            )
            for kind in RecordKind
        }
    )


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
) -> dict[str, Any]:
    """Everything in the record (a deep copy), with `private` merged in when given.

    `private` is the record's part kept outside the repository (the private overlay: contacts,
    restricted parts); mappings are merged key by key, anything else replaces the value.
    """
    data, __ = record_data(record, None)
    view = plain(data)
    if private:
        merge(view, private)
    return view


def public_view(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> dict[str, Any]:
    """What anyone may see: personal data dropped, restricted parts replaced by `Withheld`."""
    data, kind = record_data(record, kind)
    view = plain(data)
    for part in withheld_parts(data, kind=kind, policy=policy):
        if part.why is Why.PERSONAL:
            continue
        if part.pointer == WHOLE_RECORD:
            for key in list(view):
                if key not in PUBLIC_IDENTIFICATION:
                    view[key] = Withheld(part.why, part.reason)
        else:
            _replace_at(view, part.pointer, Withheld(part.why, part.reason))
    for pattern in policy.personal_fields(kind):
        _drop(view, keys(pattern))
    return view


def view(
    record: Record | Mapping[str, Any],
    audience: Audience,
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    private: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The view of `record` for `audience` (the private overlay only ever reaches the committee)."""
    if audience is Audience.COMMITTEE:
        return committee_view(record, private=private)
    return public_view(record, kind=kind, policy=policy)


def withheld_parts(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> tuple[WithheldPart, ...]:
    """What a public view of the record leaves out, and why; only parts the record holds."""
    data, kind = record_data(record, kind)
    parts: list[WithheldPart] = []
    if kind is RecordKind.ELEMENT:
        parts.extend(_restricted(data))
    for pattern in policy.personal_fields(kind):
        parts.extend(
            WithheldPart(pointer, Why.PERSONAL) for pointer, __ in pointers.matches(data, pattern)
        )
    return tuple(parts)


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


def _restricted(data: Mapping[str, Any]) -> list[WithheldPart]:
    return _restriction(data)[1]


def _restriction(data: Mapping[str, Any]) -> tuple[Restriction, list[WithheldPart]]:
    access = data.get("access")
    # Identification fields an editor listed are withheld whatever else `access` says: a
    # record withheld as a whole still shows its identification, so it must not show those.
    named = _named_identification(data, access)
    if not _documented(access):
        return Restriction.FAILED, [WithheldPart(WHOLE_RECORD, Why.UNREADABLE), *named]
    assert isinstance(access, Mapping)
    reason = access.get("reason")
    reason = " ".join(reason.split()) if isinstance(reason, str) and reason.strip() else None
    consent = data.get("consent")
    status = consent.get("status") if isinstance(consent, Mapping) else None
    if status != "given":
        why = _CONSENT.get(status, Why.CONSENT_MISSING) if isinstance(status, str) else None
        whole = WithheldPart(WHOLE_RECORD, why or Why.CONSENT_MISSING, reason)
        return Restriction.CONSENT, [whole, *named]
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
            if where == "":
                return Restriction.WHOLE, [whole, *named]
            if where not in NEVER_WITHHELD:
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
    anywhere, readable or not, each as the fields it names (or, for a typo, the nearest field
    that exists)."""
    reason = access.get("reason") if isinstance(access, Mapping) else None
    reason = " ".join(reason.split()) if isinstance(reason, str) and reason.strip() else None
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


def overlaps(pointer: str, other: str) -> bool:
    """True when one JSON pointer is the other or lies inside it (`*` as the whole record)."""
    return WHOLE_RECORD in (pointer, other) or pointers.overlaps(pointer, other)


def _outermost(parts: Iterable[WithheldPart]) -> list[WithheldPart]:
    """Parts not inside another listed part, in pointer order."""
    ordered = sorted(parts, key=lambda p: keys(p.pointer))
    kept: list[WithheldPart] = []
    for part in ordered:
        if not any(overlaps(part.pointer, k.pointer) for k in kept):
            kept.append(part)
    return kept


# --- pointers and plain data ---------------------------------------------------------------------


def keys(pointer: str) -> tuple[str, ...]:
    """The keys of a pointer; none for the whole record (`*`)."""
    return () if pointer in ("", WHOLE_RECORD) else tuple(pointers.split(pointer))


def _index(part: str, items: list[Any]) -> int | None:
    """The list index a pointer segment names (RFC 6901: ASCII digits, no leading zero), if
    `items` has it; None otherwise (`-`, `01`, `²` or `٣` name no item)."""
    if not pointers.is_index(part):
        return None
    index = int(part)
    return index if index < len(items) else None


def _replace_at(view: dict[str, Any], pointer: str, note: Withheld) -> None:
    segments = keys(pointer)
    node: Any = view
    for part in segments[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and (index := _index(part, node)) is not None:
            node = node[index]
        else:
            return
    last = segments[-1]
    if isinstance(node, dict) and last in node:
        node[last] = note
    elif isinstance(node, list) and (index := _index(last, node)) is not None:
        node[index] = note


def _drop(node: Any, segments: tuple[str, ...]) -> None:
    """Remove every value at `segments` from `node` (map keys deleted, list items left out)."""
    if not segments:
        return
    part, rest = segments[0], segments[1:]
    if isinstance(node, dict):
        keys = list(node) if part == "*" else [part] if part in node else []
        for key in keys:
            if rest:
                _drop(node[key], rest)
            else:
                del node[key]
    elif isinstance(node, list):
        if part == "*":
            if rest:
                for item in node:
                    _drop(item, rest)
            else:
                node.clear()
        elif (index := _index(part, node)) is not None:
            if rest:
                _drop(node[index], rest)
            else:
                del node[index]


_LEAVES = frozenset({str, int, float, bool, type(None)})  # exactly these: a Withheld is a str


def plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists (views never share structure with records)."""
    kind = type(value)  # exact types first, leaves without a call: packets copy thousands
    if kind is not dict and kind is not list:
        if kind in _LEAVES or not isinstance(value, Mapping | list | tuple):
            return value  # text (a Withheld too), numbers and anything else: as it is
        kind = dict if isinstance(value, Mapping) else list
    if kind is dict:
        return {str(k): v if type(v) in _LEAVES else plain(v) for k, v in value.items()}
    return [v if type(v) in _LEAVES else plain(v) for v in value]


def merge(target: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge `extra` into `target`: mappings key by key, anything else replaces (as a copy)."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = plain(value)
