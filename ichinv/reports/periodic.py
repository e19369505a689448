"""Figures for the inventory section of the periodic report on the 2003 Convention (ORF 7 and 8).

Everything here is an aggregate of the records: counts and shares, plus the ids and names of
elements (identification is public). No contact, no restricted part and no personal detail is
ever copied into a report; people appear only as counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.dates import parse_day
from ichinv.core.model import Finding, Record
from ichinv.core.tally import (
    NOT_IN_VOCABULARY,
    CommunityKind,
    CommunityRole,
    ConsentForm,
    ContactRole,
    Gender,
    UnescoList,
    tally,
)
from ichinv.core.vocabulary import (
    PUBLIC_IDENTIFICATION,
    Access,
    Category,
    Consent,
    Domain,
    Viability,
    is_element_id,
    is_language_tag,
    is_province_id,
)
from ichinv.inventory.audience import WHOLE_RECORD, Audience, Why, Withheld
from ichinv.inventory.fields import entered, get, mappings, name_of, source_lists, strings, value
from ichinv.inventory.redaction import in_shape, public_path
from ichinv.inventory.view import Inventory

REPORT_YEARS = 6
"""Periodic reports are due every six years: the default reporting period."""

BASELINE_YEAR = 2013
"""The year of the first national list (Order No. 50 of 1 March 2013)."""

PRACTITIONER_ROLES = (ContactRole.BEARER, ContactRole.PRACTITIONER, ContactRole.CUSTODIAN)
"""Contact roles counted as practitioners in the gender and age figures."""


@dataclass(frozen=True, slots=True)
class ElementRef:
    """An element named in a report: identification only."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class PeriodicReport:
    """The figures, organised by the indicators of the Overall Results Framework."""

    period_from: str
    period_to: str
    totals: Mapping[str, int]
    """Elements by status (active, retired, merged) and in all."""
    added: tuple[ElementRef, ...]
    """Elements that entered the inventory in the period."""
    changed_status: tuple[ElementRef, ...]
    """Elements retired or merged in the period (status_change.date)."""
    # 7.3
    viability_updated: tuple[ElementRef, ...]
    """Active elements whose viability was assessed in the period."""
    records_updated: int
    """Active elements whose record was revised (provenance.updated) in the period."""
    never_updated: tuple[ElementRef, ...]
    """Active elements listed in 2013 or before with no viability assessment or revision since."""
    viability: Mapping[str, int]
    """Active elements by viability status (`not-assessed` when the record has none)."""
    stale: int
    """Active elements whose latest viability assessment is older than six years at the end."""
    # 7.4
    access: Mapping[str, int]
    """Active elements by access level."""
    restricted_whole: int
    """Restricted elements with no parts listed: only their identification is public."""
    restricted_parts: int
    """Parts (fields) withheld from public output across restricted elements."""
    restricted_elements_with_parts: int
    with_contacts: int
    """Elements holding contacts (personal data never published)."""
    public_without_consent: int
    """Public elements without given consent (validate reports each as access.consent)."""
    public_views_checked: int
    """Records whose public view was checked to leave out contacts and restricted parts."""
    public_view_leaks: tuple[str, ...]
    """Ids whose public view still showed something it must not (a bug if ever non-empty); a
    record without an id in the form `KZ-YYYY-NNNN` by its file, as public output names it
    (ichinv.inventory.redaction.public_path: `elements/aitys_draft.yaml`, `elements/…`)."""
    # diversity (7.1/7.2)
    by_domain: Mapping[str, int]
    by_category: Mapping[str, int]
    by_province: Mapping[str, int]
    province_names: Mapping[str, str]
    by_language: Mapping[str, int]
    unesco: Mapping[str, int]
    """Active elements by UNESCO list they are inscribed on."""
    # 8.x
    consent: Mapping[str, int]
    consent_forms: Mapping[str, int]
    with_communities: int
    communities_by_kind: Mapping[str, int]
    communities_by_role: Mapping[str, int]
    community_inventoried: int
    """Active elements identified or reassessed by community-based inventorying."""
    focus: Mapping[str, int]
    """Active elements practised in a focus province of the revision and elsewhere only."""
    practitioners_by_gender: Mapping[str, int]
    practitioners_by_age: Mapping[str, int]
    """Practitioners listed in contacts, by age group at the end of the period."""
    left_out: tuple[Finding, ...] = ()
    """Record files that could not be read, left out of every figure (the same that standard
    error names), as the public is told of them (Inventory.problems_for: a file by its
    public_path); a report shows where and which rule, never the message."""
    overlay_unread: bool = False
    """The private overlay could not be read whole (a file of it, or it is not here): what it
    keeps of some elements (contacts, restricted parts) is not counted. Said without where it
    is or which of its files: the report is published, and an overlay file's name says which
    element keeps private data there."""

    @property
    def active(self) -> int:
        return self.totals.get("active", 0)


WITHHELD = "withheld"
"""The id an element is listed by when what put it in a list is withheld from the public."""


EARLIEST = dt.date(1900, 1, 1)
"""The earliest day a reporting period may reach: the Convention dates from 2003, so an
earlier date is a typing mistake (and day arithmetic near year 1 overflows)."""


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The six years up to `today`, beginning on EARLIEST at the earliest (a `--to` of 1903
    has a shorter default period, not an error about a `--from` nobody gave)."""
    try:
        start = today.replace(year=today.year - REPORT_YEARS)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - REPORT_YEARS, day=28)
    return max(start + dt.timedelta(days=1), EARLIEST), today


def compute(inventory: Inventory, start: dt.date, end: dt.date) -> PeriodicReport:
    """The report's figures for the period from `start` to `end` (both included)."""
    # Counted from the committee's records (the private overlay merged in: counts name no
    # one), with every value outside the schema's form set aside; named as the public may
    # read them (an element restricted in its name is not named by it).
    elements = [
        in_shape(inventory.full(rec), policy=inventory.policy) for rec in inventory.answered
    ]
    public = inventory.views(Audience.PUBLIC)

    def _refs(recs: list[Record], *fields: str) -> tuple[ElementRef, ...]:
        """The elements of a list, each named only when the public reads the fields that put
        it there (a withheld date must not be pinned by narrowing the period): the others
        counted, as `withheld`."""
        shown = []
        for rec in recs:
            view = public.get(rec.id or "", {})
            if all(value(view, f) == value(rec.data, f) for f in fields):
                shown.append(ElementRef(rec.id or rec.path, name_of(view)))
            else:
                shown.append(ElementRef(WITHHELD, ""))
        return tuple(shown)

    active = [rec for rec in elements if rec.data.get("status") == "active"]

    def within(given: Any) -> bool:
        day = parse_day(given)
        return day is not None and start <= day <= end

    totals = Counter(str(rec.data.get("status")) for rec in elements)
    added = [
        rec
        for rec in elements
        if (day := entered(rec.data, rec.id)) is not None and start <= day <= end
    ]
    changed = [
        rec
        for rec in elements
        if rec.data.get("status") in ("retired", "merged")
        and within(value(rec.data, "status_change.date"))
    ]
    viability_updated = [rec for rec in active if within(value(rec.data, "viability.assessed"))]
    stale_before = end - dt.timedelta(days=REPORT_YEARS * 365)
    stale = 0
    never: list[Record] = []
    for rec in active:
        assessed = parse_day(value(rec.data, "viability.assessed"))
        if assessed is not None and assessed < stale_before:
            stale += 1
        day = entered(rec.data, rec.id)
        updated = parse_day(value(rec.data, "provenance.updated"))
        if (
            day is not None
            and day.year <= BASELINE_YEAR
            and all(d is None or d.year <= BASELINE_YEAR for d in (assessed, updated))
        ):
            never.append(rec)

    whole = parts = with_parts = 0
    for rec in active:
        if value(rec.data, "access.level") != "restricted":
            continue
        listed = strings(value(rec.data, "access.restricted_parts"))
        if listed:
            with_parts += 1
            parts += len(listed)
        else:
            whole += 1
    leaks = tuple(
        rec.id if rec.id is not None and is_element_id(rec.id) else public_path(rec.path)
        for rec in inventory.elements
        if not _public_view_honours(inventory, rec)
    )

    # Every value counted by is read as it stands in the record (`get`: a value set aside as
    # out of the schema's form is a note) and counted by ichinv's own vocabulary (tally):
    # whatever a loosened schema lets into a record, no value outside it is ever a row.
    communities = [c for rec in active for c in mappings(rec.data.get("communities"))]
    practitioners = [
        contact
        for rec in active
        for contact in mappings(rec.data.get("contacts"))
        if contact.get("role") in PRACTITIONER_ROLES
    ]
    ages = Counter(_age_group(c.get("birth_year"), end.year) for c in practitioners)
    focus_ids = {rec.id for rec in inventory.focus_provinces()}
    in_focus = sum(
        any(p in focus_ids or inventory.successors(p) & focus_ids for p in provinces)
        for provinces in (strings(rec.data.get("provinces")) for rec in active)
    )
    by_province = tally(_each(active, "provinces"), form=is_province_id)
    languages = tally(_each(active, "characteristics.languages"), form=is_language_tag)

    return PeriodicReport(
        period_from=start.isoformat(),
        period_to=end.isoformat(),
        totals={
            "elements": len(elements),
            **{s: totals.get(s, 0) for s in ("active", "retired", "merged")},
        },
        added=_refs(added, "provenance.entered"),
        changed_status=_refs(changed, "status", "status_change.date"),
        viability_updated=_refs(viability_updated, "viability.assessed"),
        records_updated=sum(within(value(r.data, "provenance.updated")) for r in active),
        never_updated=_refs(
            never, "provenance.entered", "provenance.updated", "viability.assessed"
        ),
        viability=tally(
            (get(r.data, "viability.status") for r in active),
            Viability,
            absent="not-assessed",
            every=True,
        ),
        stale=stale,
        access=tally((get(r.data, "access.level") for r in active), Access, every=True),
        restricted_whole=whole,
        restricted_parts=parts,
        restricted_elements_with_parts=with_parts,
        with_contacts=sum(bool(mappings(r.data.get("contacts"))) for r in elements),
        public_without_consent=sum(
            value(r.data, "access.level") == "public" and value(r.data, "consent.status") != "given"
            for r in active
        ),
        public_views_checked=len(elements),
        public_view_leaks=leaks,
        by_domain=tally(_each(active, "domains"), Domain, every=True),
        by_category=tally(
            (r.data.get("national_category") for r in active), Category, absent="none", every=True
        ),
        by_province=by_province,
        province_names={
            pid: inventory.province_name(pid) for pid in by_province if pid != NOT_IN_VOCABULARY
        },
        by_language=dict(sorted(languages.items(), key=_most_first)),
        unesco=tally(_each(active, "unesco", "list"), UnescoList, every=True),
        consent=tally(
            (get(r.data, "consent.status") for r in active),
            Consent,
            absent="not-recorded",
            every=True,
        ),
        consent_forms=tally((get(r.data, "consent.form") for r in active), ConsentForm),
        with_communities=sum(bool(mappings(r.data.get("communities"))) for r in active),
        communities_by_kind=tally(
            (c.get("kind") for c in communities), CommunityKind, absent="not-stated"
        ),
        communities_by_role=tally(
            (c.get("role") for c in communities), CommunityRole, absent="not-stated"
        ),
        community_inventoried=sum("community-inventory" in source_lists(r.data) for r in active),
        focus={"focus": in_focus, "other": len(active) - in_focus},
        practitioners_by_gender=tally(
            (c.get("gender") for c in practitioners), Gender, absent="not-stated"
        ),
        practitioners_by_age={
            g: ages.get(g, 0) for g in ("under 30", "30–59", "60 and over", "not stated")
        },
        # Counted from the committee's records, the overlay merged in, and published.
        left_out=inventory.problems_for(Audience.PUBLIC),
        overlay_unread=bool(inventory.overlay_problems),
    )


def _each(records: list[Record], field: str, key: str | None = None) -> Iterator[object]:
    """The values of list `field` (dotted) of each of `records`, each value once per record
    (an element in two provinces counts in each, once); with `key`, the value at `key` of each
    item that is a map. Anything else than text stands as NOT_IN_VOCABULARY: counted, not
    shown; as does a field that holds no list."""
    for rec in records:
        listed = get(rec.data, field)
        if listed is None:
            continue
        if not isinstance(listed, list):
            yield NOT_IN_VOCABULARY
            continue
        items = [i.get(key) for i in mappings(listed)] if key is not None else listed
        yield from {i if isinstance(i, str) else NOT_IN_VOCABULARY for i in items if i is not None}


def _most_first(count: tuple[str, int]) -> tuple[bool, int, str]:
    """Languages by number of elements, most first; those not in the vocabulary last."""
    return count[0] == NOT_IN_VOCABULARY, -count[1], count[0]


def _age_group(birth_year: Any, year: int) -> str:
    if not isinstance(birth_year, int) or isinstance(birth_year, bool):
        return "not stated"
    age = year - birth_year
    return "under 30" if age < 30 else "30–59" if age < 60 else "60 and over"


def _public_view_honours(inventory: Inventory, rec: Record) -> bool:
    """Whether the public view of `rec` leaves out everything ichinv.inventory.audience says it
    withholds: personal data gone, each restricted part and each text holding a contact
    replaced by a note."""
    public = inventory.view(rec, Audience.PUBLIC)
    for part in inventory.withheld(rec):
        if part.contact:  # a text holding a contact: a note in its place, or in its part's
            if type(pointers.at(public, part.pointer)) is str:
                return False
        elif part.why is Why.PERSONAL:
            if _present(public, part.pointer):
                return False
        elif part.pointer == WHOLE_RECORD:
            if any(
                not isinstance(v, Withheld)
                for k, v in public.items()
                if k not in PUBLIC_IDENTIFICATION
            ):
                return False
        elif not isinstance(pointers.at(public, part.pointer), Withheld):
            return False
    return not _present(public, "/contacts")


def _present(data: Any, pointer: str) -> bool:
    return pointers.at(data, pointer) not in (None, pointers.MISSING)
