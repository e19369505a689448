"""Progress of the revision: new elements in each focus province against the province's target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import i18n
from ichinv.core.i18n import _
from ichinv.core.model import Record
from ichinv.core.vocabulary import DOMAINS, REVISION_CYCLE_START, Consent
from ichinv.inventory.audience import Audience
from ichinv.inventory.fields import WITHHELD, entered, name_of, state, strings
from ichinv.inventory.redaction import in_shape
from ichinv.inventory.view import Inventory

DEFAULT_SINCE = REVISION_CYCLE_START
"""Elements that entered the inventory after this day are new (the 2024 list)."""

CONSENT_STATES = tuple(c.value for c in Consent)

UNKNOWN = "unknown"
"""The consent of an element whose record has no consent state in the schema's form."""


@dataclass(frozen=True, slots=True)
class NewElement:
    """A new element, as progress lists it."""

    id: str
    name: str
    """English name (else Russian, else Kazakh)."""
    entered: str
    """When it entered the inventory as the public view shows it (`withheld`, `""`)."""
    domains: tuple[str, ...]
    consent: str
    """Consent status as the public view shows it: `withheld` when it withholds it (as `list`
    shows it), `unknown` when the record has none."""


@dataclass(frozen=True, slots=True)
class ProvinceProgress:
    """New elements of one focus province."""

    id: str
    name: str
    target: int | None
    """The province's `target`; None when it has none (validate reports that)."""
    elements: tuple[NewElement, ...]
    """Active elements entered after the cut-off and practised in the province."""
    by_domain: Mapping[str, int]
    """Count per Convention domain, every domain present (an element may count in several),
    of the domains the elements are listed with."""
    by_consent: Mapping[str, int]
    """Count per consent status, every status present (plus `withheld` and `unknown` when
    needed), of the states the elements are listed with: a count never tells more than the
    list beside it."""
    not_counted: tuple[str, ...] = ()
    """Ids of new elements since retired or merged (they do not count toward the target)."""

    @property
    def new(self) -> int:
        return len(self.elements)

    @property
    def percent(self) -> int | None:
        """Share of the target reached, rounded down; None without a target."""
        if not self.target:
            return None
        return self.new * 100 // self.target


@dataclass(frozen=True, slots=True)
class ProgressResult:
    """Progress of every focus province, and of the revision as a whole."""

    since: str
    provinces: tuple[ProvinceProgress, ...]
    total: ProvinceProgress
    """All focus provinces together (an element practised in two provinces counts once)."""


def compute(inventory: Inventory, since: dt.date) -> ProgressResult:
    """New elements (entered after `since`) of each focus province against its target."""
    # Counted from the committee's records with every value outside the schema's form set
    # aside; each element shown as the public may read it (`_tally`).
    elements = [
        in_shape(inventory.full(rec), policy=inventory.policy) for rec in inventory.answered
    ]
    public = inventory.views(Audience.PUBLIC)
    # New by the day the public view shows (the year of its id when it withholds the day, as
    # the packets count): by the committee's day, a run of `--since` days told it.
    new = [
        rec
        for rec in elements
        if (day := entered(public.get(rec.id or "", {}), rec.id)) is not None and day > since
    ]
    focus = inventory.focus_provinces()
    provinces: list[ProvinceProgress] = []
    all_counted: dict[str, Record] = {}
    all_dropped: set[str] = set()
    target_total = 0
    for province in focus:
        pid = province.id or ""
        members = [  # by the provinces the public reads: a withheld one is not revealed
            rec
            for rec in new
            if inventory.practised_in(strings(public.get(rec.id or "", {}).get("provinces")), pid)
        ]
        counted = [rec for rec in members if rec.data.get("status") == "active"]
        dropped = sorted(rec.id or rec.path for rec in members if rec not in counted)
        target = inventory.province_view(pid).get("target")
        target = target if isinstance(target, int) and not isinstance(target, bool) else None
        target_total += target or 0
        provinces.append(
            _tally(
                pid,
                inventory.province_name(pid, i18n.current()),
                target,
                counted,
                tuple(dropped),
                public,
            )
        )
        all_counted.update((rec.path, rec) for rec in counted)
        all_dropped.update(dropped)
    total = _tally(
        "total",
        _("All focus provinces"),
        target_total if focus else None,
        sorted(all_counted.values(), key=lambda r: r.id or r.path),
        tuple(sorted(all_dropped)),
        public,
    )
    return ProgressResult(since.isoformat(), tuple(provinces), total)


def _tally(
    pid: str,
    name: str,
    target: int | None,
    counted: list[Record],
    dropped: tuple[str, ...],
    public: Mapping[str, Mapping[str, Any]],
) -> ProvinceProgress:
    by_domain = dict.fromkeys(DOMAINS, 0)
    by_consent = dict.fromkeys(CONSENT_STATES, 0)
    elements = []
    for rec in counted:
        shown = public.get(rec.id or "", {})
        withheld = state(shown, "provenance.entered") == WITHHELD
        day = None if withheld else entered(shown, rec.id)
        # Named and counted as the public view shows it, as `list` shows it (a count made from
        # the committee's record would tell the consent of the one element listed `withheld`).
        domains = tuple(d for d in strings(shown.get("domains")) if d in DOMAINS)
        consent = state(shown, "consent.status") or UNKNOWN
        consent = consent if consent in (*CONSENT_STATES, WITHHELD) else UNKNOWN
        for domain in domains:
            by_domain[domain] += 1
        by_consent[consent] = by_consent.get(consent, 0) + 1
        elements.append(
            NewElement(
                id=rec.id or rec.path,
                name=name_of(shown, i18n.current()),
                entered=WITHHELD if withheld else day.isoformat() if day else "",
                domains=domains,
                consent=consent,
            )
        )
    return ProvinceProgress(pid, name, target, tuple(elements), by_domain, by_consent, dropped)
