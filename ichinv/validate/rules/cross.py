"""Checks across records: unique ids and references that must lead somewhere.

They work on `IndexEntry` values, a few facts per record, not on whole records: an entry is
small enough to cache, so a warm run re-checks these rules over the whole inventory without
reading a single record.
"""

from __future__ import annotations

import difflib
import shlex
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ichinv.core.catalogue import rule
from ichinv.core.dates import parse_day
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_element_id, is_province_id, shown_word
from ichinv.inventory import audience as redact
from ichinv.inventory import province_codes
from ichinv.inventory.malformed_ids import used_first
from ichinv.inventory.policy import DEFAULT_POLICY, Policy
from ichinv.inventory.redaction import covering, hidden
from ichinv.inventory.withheld_words import unquoted


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference from a record to another record."""

    kind: str
    """`province`, `related`, `merged-into` or `successor`."""
    pointer: str
    target: str
    relation: str = ""


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the cross-record rules need to know of one record."""

    kind: RecordKind
    path: str
    id: str | None
    status: str | None = None
    valid_until: str | None = None
    successors: tuple[str, ...] = ()
    refs: tuple[Ref, ...] = ()
    iso_codes: tuple[tuple[str, str, str], ...] = ()
    """A province's ISO 3166-2 codes, each (code, from, until)."""
    withheld: tuple[str, ...] = ()
    """Pointers of the parts a public view withholds (`*`: all but the identification): a
    finding about a reference inside one does not quote it."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "path": self.path,
            "id": self.id,
            "status": self.status,
            "valid_until": self.valid_until,
            "successors": list(self.successors),
            "refs": [[r.kind, r.pointer, r.target, r.relation] for r in self.refs],
            "iso_codes": [list(c) for c in self.iso_codes],
            "withheld": list(self.withheld),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IndexEntry:
        return cls(
            kind=RecordKind(data["kind"]),
            path=data["path"],
            id=data["id"],
            status=data["status"],
            valid_until=data["valid_until"],
            successors=tuple(data["successors"]),
            refs=tuple(Ref(*r) for r in data["refs"]),
            iso_codes=tuple((str(c[0]), str(c[1]), str(c[2])) for c in data.get("iso_codes", ())),
            withheld=tuple(str(p) for p in data.get("withheld", ())),
        )


def index_entry(
    record: Record, policy: Policy = DEFAULT_POLICY, *, valid: bool = False
) -> IndexEntry:
    """The facts of `record` that cross-record rules use (`policy`: what its public view
    withholds; `valid`: the record is valid against the schema `policy` was made from, so it
    has the schema's shape where that shape is complete: ichinv.schemas.keywords)."""
    data = record.data
    refs: list[Ref] = []

    def strings_in(value: Any) -> Iterator[tuple[int, str]]:
        if isinstance(value, list):
            yield from ((i, v) for i, v in enumerate(value) if isinstance(v, str))

    if record.kind is RecordKind.ELEMENT:
        for i, province in strings_in(data.get("provinces")):
            refs.append(Ref("province", f"/provinces/{i}", province))
        for list_name in ("locations", "communities"):
            items = data.get(list_name)
            for i, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    continue
                if isinstance(item.get("province"), str):
                    refs.append(Ref("province", f"/{list_name}/{i}/province", item["province"]))
                for j, province in strings_in(item.get("provinces")):
                    refs.append(Ref("province", f"/{list_name}/{i}/provinces/{j}", province))
        related = data.get("related")
        for i, item in enumerate(related if isinstance(related, list) else []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                refs.append(
                    Ref("related", f"/related/{i}/id", item["id"], str(item.get("relation", "")))
                )
        change = data.get("status_change")
        if isinstance(change, dict) and isinstance(change.get("merged_into"), str):
            refs.append(Ref("merged-into", "/status_change/merged_into", change["merged_into"]))
    else:
        for i, successor in strings_in(data.get("successors")):
            refs.append(Ref("successor", f"/successors/{i}", successor))
    status = data.get("status")
    until = data.get("valid_until")
    successors = data.get("successors")
    return IndexEntry(
        kind=record.kind,
        path=record.path,
        id=record.id,
        status=status if isinstance(status, str) else None,
        # What findings about other records quote of this one: in the forms the schema gives
        # them, or not at all (a contact typed as a province's end date was quoted on every
        # element practised there; the schema's findings on the province say what is wrong).
        valid_until=until if parse_day(until) is not None else None,
        successors=tuple(s for s in successors if isinstance(s, str) and is_province_id(s))
        if isinstance(successors, list)
        else (),
        refs=tuple(refs),
        iso_codes=tuple(
            (u.code, u.start, u.end) for u in province_codes.uses(record.id or "", data)
        )
        if record.kind is RecordKind.PROVINCE
        else (),
        withheld=tuple(
            dict.fromkeys(
                p.pointer
                for p in redact.withheld_parts(
                    record,
                    policy=policy,
                    in_shape=valid and policy.complete(record.kind),
                    contacts=False,  # (findings never quote a contact)
                )
            )
        ),
    )


def check(entries: list[IndexEntry], *, unquote: bool = True) -> list[Finding]:
    """Every cross-record finding of the inventory (with `unquote`, those about a withheld
    part without their words: see unquoted_refs)."""
    findings: list[Finding] = []
    by_kind: dict[RecordKind, dict[str, list[IndexEntry]]] = {
        k: defaultdict(list) for k in RecordKind
    }
    for entry in entries:
        # Only ids of an id's form: findings quote them, and any other text may be anything
        # (an e-mail address); the schema reports those (`schema.pattern`).
        well_formed = is_element_id if entry.kind is RecordKind.ELEMENT else is_province_id
        if well_formed(entry.id):
            assert entry.id is not None
            by_kind[entry.kind][entry.id].append(entry)
    for kind, ids in by_kind.items():
        for record_id, holders in ids.items():
            if len(holders) < 2:
                continue
            # The file every answer uses (named by the id) keeps it; `renumber` gives each
            # other file an id of its own (and refuses the file named by the id).
            kept = min(holders, key=lambda h: used_first(record_id, h.path))
            for holder in holders:
                others = ", ".join(h.path for h in holders if h is not holder)
                if kind is not RecordKind.ELEMENT:
                    hint = _("keep one record per province")
                elif holder is kept and PurePosixPath(holder.path).stem == record_id:
                    hint = _(
                        "this file is named by the id and keeps it; give the other file an id "
                        "of its own: `ichinv renumber {path}`"
                    ).format(path=shlex.quote(next(h for h in holders if h is not kept).path))
                else:
                    hint = _(
                        "two editors probably created elements on different branches; run "
                        "`ichinv renumber {path}` on the newer one"
                    ).format(path=shlex.quote(holder.path))
                findings.append(
                    rule("id.unique").finding(
                        holder.path,
                        _("the id {id} is also used by {others}").format(
                            id=record_id, others=others
                        ),
                        pointer="/id",
                        hint=hint,
                    )
                )
    provinces = {pid: holders[0] for pid, holders in by_kind[RecordKind.PROVINCE].items()}
    elements = {eid: holders[0] for eid, holders in by_kind[RecordKind.ELEMENT].items()}
    merged_from: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for ref in entry.refs:
            if ref.kind == "related" and ref.relation == "merged-from":
                merged_from[entry.id or ""].add(ref.target)
    for entry in entries:
        for ref in entry.refs:
            found = _check_ref(entry, ref, provinces, elements, merged_from)
            if entry.withheld and hidden(ref.pointer, entry.withheld):
                # Reported on the element it leads to, a finding would name a reference its
                # own record withholds (a restricted merger): there, it keeps no words.
                found = (f if f.path == entry.path else unquoted(f, f.pointer) for f in found)
            findings.extend(found)
    return unquoted_refs(findings, entries) if unquote else findings


def unquoted_refs(findings: list[Finding], entries: list[IndexEntry]) -> list[Finding]:
    """The findings, those about a reference inside a part the public view withholds without
    their words (they would quote it: `there is no province …`), named down to that part."""
    withheld = {entry.path: entry.withheld for entry in entries if entry.withheld}
    return [
        unquoted(f, covering(f.pointer, withheld[f.path]) or f.pointer)
        if f.path in withheld and f.pointer and hidden(f.pointer, withheld[f.path])
        else f
        for f in findings
    ]


def _check_ref(
    entry: IndexEntry,
    ref: Ref,
    provinces: Mapping[str, IndexEntry],
    elements: Mapping[str, IndexEntry],
    merged_from: Mapping[str, set[str]],
) -> Iterator[Finding]:
    if ref.kind in ("province", "successor"):
        target = provinces.get(ref.target)
        rule_id = "ref.province" if ref.kind == "province" else "ref.successor"
        if target is None:
            former = province_codes.hint(
                ref.target,
                province_codes.holders(
                    ref.target,
                    (
                        province_codes.CodeUse(code, pid, start, end)
                        for pid, holder in provinces.items()
                        for code, start, end in holder.iso_codes
                    ),
                ),
            )
            guess = difflib.get_close_matches(ref.target, list(provinces), n=1)
            yield rule(rule_id).finding(
                entry.path,
                _("there is no province {target} in provinces/").format(target=ref.target),
                pointer=ref.pointer,
                hint=former
                or (
                    _("did you mean {guess}?").format(guess=guess[0])
                    if guess
                    else _("see provinces/ for the identifiers")
                ),
            )
        elif ref.kind == "successor" and ref.target == entry.id:
            yield rule(rule_id).finding(
                entry.path, _("a province cannot succeed itself"), pointer=ref.pointer
            )
        elif ref.kind == "province" and target.valid_until and entry.status == "active":
            successors = ", ".join(target.successors) or _("none recorded")
            yield rule("ref.province-historical").finding(
                entry.path,
                _("{target} ceased to exist after {valid_until} (successors: {successors})").format(
                    target=ref.target, valid_until=target.valid_until, successors=successors
                ),
                pointer=ref.pointer,
                hint=_("when revising the record, name the current province(s) instead"),
            )
        return
    missing = list(_leads_nowhere(entry, ref, elements))
    if missing:
        yield from missing
        return
    target = elements[ref.target]
    if ref.kind == "merged-into":
        if target.status != "active":
            yield rule("ref.merged-into").finding(
                entry.path,
                _("the element was merged into {target}, which is itself {status}").format(
                    target=ref.target,
                    status=shown_word(target.status),
                ),
                pointer=ref.pointer,
                hint=_("merge into the element that is active now"),
            )
        elif entry.id not in merged_from.get(ref.target, set()) and not kept_elsewhere(target):
            yield merger_unrecorded(target.path, str(entry.id))


def merger_unrecorded(path: str, merger: str) -> Finding:
    """The finding that the element of `path` does not record `merger` in `related`, though
    `merger` says it was merged into it."""
    return rule("ref.merged-from").finding(
        path,
        _("{id} was merged into this element, but related does not record it").format(id=merger),
        pointer="/related",
        hint=_(
            "add to related: - id: {id} / relation: merged-from (`ichinv merge` does both sides)"
        ).format(id=merger),
    )


def kept_elsewhere(entry: IndexEntry) -> bool:
    """Whether the element's `related` may be kept in the private overlay, where the rules
    across records do not look (ichinv.validate.overlay checks it on the merged record when
    the overlay is at hand): its record holds no entry of it, and its public view withholds
    it (as a restricted part, or with all but the identification: a record whose listed
    parts are all kept in the overlay shows the public nothing more)."""
    return not any(r.kind == "related" for r in entry.refs) and hidden("/related", entry.withheld)


def _leads_nowhere(entry: IndexEntry, ref: Ref, elements: Collection[str]) -> Iterator[Finding]:
    """The finding of a reference to an element that is the record itself, or none of
    `elements` (ids)."""
    rule_id = "ref.merged-into" if ref.kind == "merged-into" else "ref.related"
    if ref.target == entry.id:
        yield rule(rule_id).finding(
            entry.path,
            _("an element cannot refer to itself"),
            pointer=ref.pointer,
            hint=_("name another element"),
        )
    elif ref.target not in elements:
        guess = difflib.get_close_matches(ref.target, list(elements), n=1)
        yield rule(rule_id).finding(
            entry.path,
            _("there is no element {target} in elements/").format(target=ref.target),
            pointer=ref.pointer,
            hint=(_("did you mean {guess}?").format(guess=guess[0]) if guess else None),
        )


def dangling(entry: IndexEntry, elements: Collection[str]) -> list[Finding]:
    """The findings of `entry`'s references to elements (in an id's form: the schema reports
    others) that lead to none of `elements`, or to itself: those the private overlay keeps,
    which the rules across records, reading records only, do not see."""
    return [
        finding
        for ref in entry.refs
        if ref.kind in ("related", "merged-into") and is_element_id(ref.target)
        for finding in _leads_nowhere(entry, ref, elements)
    ]
