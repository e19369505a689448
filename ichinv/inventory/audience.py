"""The one place that decides what an audience may see of a record: public or committee view.

Public views leave out personal data (`contacts`, and any field the schema marks
`x-ichinv-personal-data`) and the restricted parts of a record (`access.restricted_parts`, or,
when a restricted record lists none, everything but its identification). A restricted part is
replaced by a `Withheld` note that says why (`access.reason`), never what. Views are plain data
(dicts, lists, text, numbers): every renderer works on a view, never on a raw record, so an
edited template cannot leak what the view does not hold.

Public views fail closed: a record whose `access` cannot be read, or whose restricted parts
are listed wrongly (not a JSON pointer, or naming nothing in the record), shows only its
identification until it is fixed (`ichinv validate` reports such records).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, Finding, Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from ichinv.schemas import loader as schema_loader


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


NEVER_WITHHELD: frozenset[str] = frozenset({"/id"})
"""Pointers a restricted part cannot hide: the identifier is what every packet is keyed by."""

WHOLE_RECORD = "*"
"""`WithheldPart.pointer` of a restriction of everything but the identification."""

_TOKEN = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
"""Vocabulary values (`bearer`, `community-representative`): public words, not withheld text."""


class Withheld(str):
    """Stands where a view withheld a value: says why (and the published reason), never what.

    A `str`, so that views stay plain data (JSON, CSV); its text is an English note.
    Renderers that know the type show a translated note instead.
    """

    why: Why
    reason: str | None

    def __new__(cls, why: Why, reason: str | None = None) -> Withheld:
        if why is Why.PERSONAL:
            text = "[withheld: personal data]"
        else:
            text = f"[withheld: restricted: {reason}]" if reason else "[withheld: restricted]"
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


def policy_for(schema_dir: Any) -> Policy:
    """The policy of an inventory: personal-data fields as its schemas mark them
    (`x-ichinv-personal-data`), always including `/contacts` of elements."""
    from pathlib import Path

    found: dict[RecordKind, tuple[str, ...]] = {}
    for kind in RecordKind:
        path = Path(schema_dir) / f"{kind.value}.schema.json"
        marked: tuple[str, ...] = ()
        if path.is_file():
            marked = schema_loader.load_schema(kind, path, check=False).personal_fields
        default = DEFAULT_POLICY.personal_fields(kind)
        found[kind] = tuple(dict.fromkeys((*default, *marked)))
    return Policy(found)


# --- views -------------------------------------------------------------------------------------


def _data_and_kind(
    record: Record | Mapping[str, Any], kind: RecordKind | None
) -> tuple[Mapping[str, Any], RecordKind]:
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
    data, _ = _data_and_kind(record, None)
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
    data, kind = _data_and_kind(record, kind)
    view = plain(data)
    for part in withheld_parts(data, kind=kind, policy=policy):
        if part.why is Why.PERSONAL:
            continue
        if part.pointer == WHOLE_RECORD:
            for key in list(view):
                if key not in PUBLIC_IDENTIFICATION:
                    view[key] = Withheld(Why.RESTRICTED, part.reason)
        else:
            _replace_at(view, part.pointer, Withheld(Why.RESTRICTED, part.reason))
    for pattern in policy.personal_fields(kind):
        _drop(view, _segments(pattern))
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
    data, kind = _data_and_kind(record, kind)
    parts: list[WithheldPart] = []
    if kind is RecordKind.ELEMENT:
        parts.extend(_restricted(data))
    for pattern in policy.personal_fields(kind):
        parts.extend(
            WithheldPart(pointer, Why.PERSONAL) for pointer, _ in pointers.matches(data, pattern)
        )
    return tuple(parts)


class Restriction(StrEnum):
    """How an element's public view is restricted."""

    NONE = "none"
    PARTS = "parts"
    """The parts listed in `access.restricted_parts` are withheld."""
    WHOLE = "whole"
    """A restricted record lists no parts: everything but the identification is withheld."""
    FAILED = "failed"
    """`access` or its parts cannot be read (not a pointer, naming nothing): everything but
    the identification is withheld until the record is fixed."""


def restriction(record: Record | Mapping[str, Any]) -> Restriction:
    """How the element's public view is restricted (see Restriction)."""
    data, _ = _data_and_kind(record, None)
    return _restriction(data)[0]


def _restricted(data: Mapping[str, Any]) -> list[WithheldPart]:
    return _restriction(data)[1]


def _restriction(data: Mapping[str, Any]) -> tuple[Restriction, list[WithheldPart]]:
    access = data.get("access")
    if not isinstance(access, Mapping):
        return Restriction.FAILED, [WithheldPart(WHOLE_RECORD, Why.RESTRICTED)]
    reason = access.get("reason")
    reason = " ".join(reason.split()) if isinstance(reason, str) and reason.strip() else None
    level = access.get("level")
    listed = access.get("restricted_parts")
    whole = [WithheldPart(WHOLE_RECORD, Why.RESTRICTED, reason)]
    if level not in ("public", "restricted"):
        return Restriction.FAILED, whole
    if listed is None or listed == []:
        return (Restriction.WHOLE, whole) if level == "restricted" else (Restriction.NONE, [])
    if not isinstance(listed, list) or not all(_is_pointer(p) for p in listed):
        return Restriction.FAILED, whole
    found: dict[str, WithheldPart] = {}
    for pointer in listed:
        matches = list(pointers.matches(data, pointer))
        if not matches:
            return Restriction.FAILED, whole  # a typo must not publish what it meant to hide
        for where, _ in matches:
            if where not in NEVER_WITHHELD:
                found.setdefault(where, WithheldPart(where, Why.RESTRICTED, reason))
    return Restriction.PARTS, _outermost(found.values())


def _outermost(parts: Iterable[WithheldPart]) -> list[WithheldPart]:
    """Parts not inside another listed part, in pointer order."""
    ordered = sorted(parts, key=lambda p: _segments(p.pointer))
    kept: list[WithheldPart] = []
    for part in ordered:
        if not any(overlaps(part.pointer, k.pointer) for k in kept):
            kept.append(part)
    return kept


def _is_pointer(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("/") and len(value) > 1


# --- changes and findings ------------------------------------------------------------------------


def overlaps(pointer: str, other: str) -> bool:
    """True when one JSON pointer is the other or lies inside it (`*` as the whole record)."""
    if other == WHOLE_RECORD or pointer == WHOLE_RECORD:
        return True
    return pointers.overlaps(pointer, other)


def _hidden(
    pointer: str,
    parts: Iterable[WithheldPart],
    *,
    whole_keeps: frozenset[str] = PUBLIC_IDENTIFICATION,
) -> bool:
    top = _segments(pointer)[:1]
    for part in parts:
        if part.pointer == WHOLE_RECORD:
            if not top or top[0] not in whole_keeps:
                return True
        elif overlaps(pointer, part.pointer):
            return True
    return False


def public_changes(
    changes: Iterable[Change],
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> tuple[Change, ...]:
    """`changes` between two versions of an element as the public may read them.

    A change inside a part that either version withholds loses its values (`Change.withheld`),
    and the changes inside one withheld part become one change of that part: where and what
    kind, never what, nor how the part is made up (how many contacts, which sub-fields).
    """
    parts = [
        *(withheld_parts(old, policy=policy) if old is not None else ()),
        *(withheld_parts(new, policy=policy) if new is not None else ()),
    ]
    personal = [_pattern_prefix(p) for p in policy.personal_fields(RecordKind.ELEMENT)]
    result: list[Change] = []
    merged: dict[str, int] = {}
    for change in changes:
        cover = _cover(change.pointer, parts, personal)
        if cover is None:
            result.append(change)
            continue
        kind = change.kind if cover == change.pointer else ChangeKind.CHANGED
        hidden = Change(pointer=cover, kind=kind, withheld=True, remapped=change.remapped)
        if cover in merged:
            index = merged[cover]
            if result[index].kind is not kind:
                result[index] = replace(result[index], kind=ChangeKind.CHANGED)
            continue
        merged[cover] = len(result)
        result.append(hidden)
    return tuple(result)


def _cover(pointer: str, parts: Iterable[WithheldPart], personal: Iterable[str]) -> str | None:
    """The pointer of the withheld part holding `pointer` (the pointer itself when it holds a
    withheld part); None when nothing withheld is involved."""
    segments = _segments(pointer)
    for prefix in personal:
        if overlaps(pointer, prefix):
            return prefix if len(_segments(prefix)) <= len(segments) else pointer
    for part in parts:
        if part.pointer == WHOLE_RECORD:
            if segments and segments[0] not in PUBLIC_IDENTIFICATION:
                return "/" + pointers.escape(segments[0])
        elif overlaps(pointer, part.pointer):
            return part.pointer if len(_segments(part.pointer)) <= len(segments) else pointer
    return None


def public_finding(
    finding: Finding, data: Mapping[str, Any] | None, *, policy: Policy = DEFAULT_POLICY
) -> Finding:
    """`finding` as the public may read it: a finding about a withheld part, or whose words
    quote withheld text, keeps its rule and place but not its message or hint."""
    if data is None:
        return finding
    parts = withheld_parts(data, policy=policy)
    secrets = withheld_texts(data, policy=policy)
    words = f"{finding.message}\n{finding.hint or ''}"
    about_withheld = bool(finding.pointer) and _hidden(finding.pointer, parts)
    if about_withheld or any(s in words for s in secrets):
        return replace(
            finding,
            message="a problem in a withheld part of the record (the committee packet shows it)",
            hint=None,
        )
    return finding


def withheld_texts(
    record: Record | Mapping[str, Any],
    *,
    kind: RecordKind | None = None,
    policy: Policy = DEFAULT_POLICY,
    shortest: int = 3,
) -> frozenset[str]:
    """Every text (and number, as text) a public view withholds, at least `shortest` long.

    For checks that a rendering leaks nothing: tests, and the scrubbing of finding messages.
    """
    data, kind = _data_and_kind(record, kind)
    found: set[str] = set()
    for part in withheld_parts(data, kind=kind, policy=policy):
        if part.pointer == WHOLE_RECORD:
            values: list[Any] = [v for k, v in data.items() if k not in PUBLIC_IDENTIFICATION]
        else:
            values = [v for _, v in pointers.matches(data, part.pointer)]
        for value in values:
            for leaf in _leaves(value):
                text = str(leaf).strip()
                if len(text) >= shortest and not isinstance(leaf, bool) and not _TOKEN.match(text):
                    found.add(text)
    return frozenset(found)


# --- pointers and plain data ---------------------------------------------------------------------


def _segments(pointer: str) -> tuple[str, ...]:
    """The keys of a pointer; none for the whole record."""
    return () if pointer in ("", WHOLE_RECORD) else tuple(pointers.split(pointer))


def _pattern_prefix(pattern: str) -> str:
    """The part of a pattern before its first `*` (what every match lies inside)."""
    parts = pattern.split("/*", 1)[0]
    return parts or "/"


def _index(part: str, items: list[Any]) -> int | None:
    """The list index a pointer segment names (RFC 6901: ASCII digits, no leading zero), if
    `items` has it; None otherwise (`-`, `01`, `²` or `٣` name no item)."""
    if not pointers.is_index(part):
        return None
    index = int(part)
    return index if index < len(items) else None


def _replace_at(view: dict[str, Any], pointer: str, note: Withheld) -> None:
    segments = _segments(pointer)
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


def plain(value: Any) -> Any:
    """A deep copy as plain dicts and lists (views never share structure with records)."""
    if isinstance(value, Withheld):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def merge(target: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge `extra` into `target`: mappings key by key, anything else replaces (as a copy)."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = plain(value)


def _leaves(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif node is not None:
            yield node
