"""Changes, findings and texts as the public may read them, by the audience view's decision.

A change inside a part that either version of a record withholds loses its values; a finding
about a withheld part, or quoting withheld text, loses its words; `withheld_texts` lists every
text a public view withholds, for checks that an output leaks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Change, ChangeKind, Finding, Record, RecordKind
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from ichinv.inventory.audience import (
    DEFAULT_POLICY,
    WHOLE_RECORD,
    Policy,
    WithheldPart,
    keys,
    overlaps,
    record_data,
    withheld_parts,
)

_TOKEN = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
"""Vocabulary values (`bearer`, `community-representative`): public words, not withheld text."""



def _hidden(
    pointer: str,
    parts: Iterable[WithheldPart],
    *,
    whole_keeps: frozenset[str] = PUBLIC_IDENTIFICATION,
) -> bool:
    top = keys(pointer)[:1]
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
    segments = keys(pointer)
    for prefix in personal:
        if overlaps(pointer, prefix):
            return prefix if len(keys(prefix)) <= len(segments) else pointer
    for part in parts:
        if part.pointer == WHOLE_RECORD:
            if segments and segments[0] not in PUBLIC_IDENTIFICATION:
                return "/" + pointers.escape(segments[0])
        elif overlaps(pointer, part.pointer):
            return part.pointer if len(keys(part.pointer)) <= len(segments) else pointer
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
    data, kind = record_data(record, kind)
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


def _pattern_prefix(pattern: str) -> str:
    """The part of a pattern before its first `*` (what every match lies inside)."""
    parts = pattern.split("/*", 1)[0]
    return parts or "/"


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
