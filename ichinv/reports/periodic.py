"""Figures for the inventory section of the periodic report on the 2003 Convention (ORF 7 and 8).

Everything here is an aggregate of the records: counts and shares, plus the ids and names of
elements (identification is public). No contact, no restricted part and no personal detail is
ever copied into a report; people appear only as counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.dates import parse_day
from ichinv.core.model import Record
from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION, Access, Category, Consent, Domain
from ichinv.inventory.audience import WHOLE_RECORD, Audience, Why, Withheld
from ichinv.inventory.fields import entered, mappings, name_of, source_lists, strings, value
from ichinv.inventory.redaction import in_shape
from ichinv.inventory.view import Inventory

REPORT_YEARS = 6
"""Periodic reports are due every six years: the default reporting period."""

BASELINE_YEAR = 2013
"""The year of the first national list (Order No. 50 of 1 March 2013)."""

VIABILITY_STATES = ("viable", "at-risk", "in-danger", "unknown", "not-assessed")
CONSENT_STATES = (*(c.value for c in Consent), "not-recorded")
PRACTITIONER_ROLES = ("bearer", "practitioner", "custodian")
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
    """Ids whose public view still showed something it must not (a bug if ever non-empty)."""
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
    viability: Counter[str] = Counter()
    stale = 0
    never: list[Record] = []
    for rec in active:
        status = value(rec.data, "viability.status")
        viability[status if isinstance(status, str) else "not-assessed"] += 1
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

    access = Counter(str(value(rec.data, "access.level")) for rec in active)
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
        rec.id or rec.path for rec in inventory.elements if not _public_view_honours(inventory, rec)
    )

    by_province: Counter[str] = Counter()
    by_domain: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    unesco: Counter[str] = Counter()
    consent: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    focus_ids = {rec.id for rec in inventory.focus_provinces()}
    in_focus = 0
    with_communities = 0
    community = 0
    for rec in active:
        data = rec.data
        by_domain.update(set(strings(data.get("domains"))))
        by_province.update(set(strings(data.get("provinces"))))
        by_language.update(set(strings(value(data, "characteristics.languages"))))
        unesco.update(
            {u["list"] for u in mappings(data.get("unesco")) if isinstance(u.get("list"), str)}
        )
        status = value(data, "consent.status")
        consent[status if isinstance(status, str) else "not-recorded"] += 1
        form = value(data, "consent.form")
        if isinstance(form, str):
            forms[form] += 1
        communities = mappings(data.get("communities"))
        with_communities += bool(communities)
        kinds.update(str(c.get("kind", "not-stated")) for c in communities)
        roles.update(str(c.get("role", "not-stated")) for c in communities)
        community += "community-inventory" in source_lists(data)
        provinces = strings(data.get("provinces"))
        in_focus += any(p in focus_ids or inventory.successors(p) & focus_ids for p in provinces)
        for contact in mappings(data.get("contacts")):
            if contact.get("role") not in PRACTITIONER_ROLES:
                continue
            gender = contact.get("gender")
            genders[gender if isinstance(gender, str) else "not-stated"] += 1
            ages[_age_group(contact.get("birth_year"), end.year)] += 1

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
        viability={s: viability.get(s, 0) for s in VIABILITY_STATES},
        stale=stale,
        access={a.value: access.get(a.value, 0) for a in Access},
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
        by_domain={d.value: by_domain.get(d.value, 0) for d in Domain},
        by_category={
            **{
                c.value: sum(r.data.get("national_category") == c.value for r in active)
                for c in Category
            },
            "none": sum(r.data.get("national_category") is None for r in active),
        },
        by_province=dict(sorted(by_province.items())),
        province_names={pid: inventory.province_name(pid) for pid in sorted(by_province)},
        by_language=dict(sorted(by_language.items(), key=lambda kv: (-kv[1], kv[0]))),
        unesco={k: unesco.get(k, 0) for k in ("representative", "urgent", "register")},
        consent={s: consent.get(s, 0) for s in CONSENT_STATES},
        consent_forms=dict(sorted(forms.items())),
        with_communities=with_communities,
        communities_by_kind=dict(sorted(kinds.items())),
        communities_by_role=dict(sorted(roles.items())),
        community_inventoried=community,
        focus={"focus": in_focus, "other": len(active) - in_focus},
        practitioners_by_gender=dict(sorted(genders.items())),
        practitioners_by_age={
            g: ages.get(g, 0) for g in ("under 30", "30–59", "60 and over", "not stated")
        },
    )


def _age_group(birth_year: Any, year: int) -> str:
    if not isinstance(birth_year, int) or isinstance(birth_year, bool):
        return "not stated"
    age = year - birth_year
    return "under 30" if age < 30 else "30–59" if age < 60 else "60 and over"


def _public_view_honours(inventory: Inventory, rec: Record) -> bool:
    """Whether the public view of `rec` leaves out everything ichinv.inventory.audience says it
    withholds: personal data gone, each restricted part replaced by a note."""
    public = inventory.view(rec, Audience.PUBLIC)
    for part in inventory.withheld(rec):
        if part.why is Why.PERSONAL:
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
