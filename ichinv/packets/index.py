"""The index packet: the revision at a glance (no selector)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult, ElementDiff, ElementStatus
from ichinv.core.vocabulary import DOMAINS, REVISION_CYCLE_START
from ichinv.inventory.fields import strings
from ichinv.packets.builder import ACCESS, CONSENT, NOTHING, SINCE_ORDER, Builder
from ichinv.packets.models import Bars, Chart, Count, ElementRow, FindingRow, Header, Progress
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md


@dataclass(frozen=True, slots=True)
class BaselineView:
    """The inventory compared with one named baseline (2013, 2024)."""

    name: Md
    label: Md
    commit: Md
    available: bool
    note: Md = Md("")
    """Why the comparison is not available (no git history, no such baseline)."""
    counts: tuple[Count, ...] = ()
    elements: tuple[ElementRow, ...] = ()
    """Every element of the baseline, with its status since."""
    added: int = 0
    added_since_gone: Md = Md("")
    """Of the elements added since, how many were retired or merged since (empty when none):
    the count of additions alone would read as growth of the list."""


@dataclass(frozen=True, slots=True)
class IndexPacket:
    """The revision at a glance (no selector)."""

    header: Header
    totals: tuple[Count, ...]
    baselines: tuple[BaselineView, ...]
    cycle_start: str
    focus: tuple[Progress, ...]
    focus_total: Progress | None
    domains: tuple[Count, ...]
    focus_chart: Bars
    domain_chart: Chart
    consent: tuple[Count, ...]
    consent_chart: Chart
    access: tuple[Count, ...]
    problems: tuple[FindingRow, ...]
    ident: str = ""


# --- index packet ----------------------------------------------------------------------------------


def baseline_view(b: Builder, name: str) -> BaselineView:
    """The elements of a named baseline and what became of them."""
    found = b.comparisons.compared(name)
    baseline = b.settings.baselines.get(name)
    label = mdsafe.inline(baseline.label) if baseline and baseline.label else Md("")
    if isinstance(found, IchinvError):
        return BaselineView(mdsafe.inline(name), label, Md(""), False, b.unavailable(name, found))
    present = [e for e in found.elements if e.status is not ElementStatus.ADDED]
    by_id = {e.id: e for e in found.elements}
    rank = {s: i for i, s in enumerate(SINCE_ORDER)}
    return BaselineView(
        name=mdsafe.inline(name),
        label=label,
        commit=mdsafe.code(found.baseline_commit[:12]),
        available=True,
        counts=b.counts("since", Counter(e.status_now for e in present), SINCE_ORDER),
        elements=tuple(
            b.element_row(e.id, by_id) if e.id in b.views else _gone(b, e)
            for e in sorted(present, key=lambda e: (rank.get(e.status.value, 9), e.id))
        ),
        added=len(found.elements) - len(present),
        added_since_gone=_added_since_gone(b, found),
    )


def _added_since_gone(b: Builder, found: DiffResult) -> Md:
    now = Counter(e.now for e in found.elements if e.status is ElementStatus.ADDED)
    if not (now["retired"] or now["merged"]):
        return Md("")
    return b.t("baseline.added_gone", retired=now["retired"], merged=now["merged"])


def _gone(b: Builder, diff: ElementDiff) -> ElementRow:
    """A row for an element no longer in the working tree (removed). Its record is not read
    again, so the public sees only its id (the name might have been restricted)."""
    return ElementRow(
        id=mdsafe.ident(diff.id),
        name=mdsafe.inline(diff.name) if b.committee else NOTHING,
        domains=NOTHING,
        viability=NOTHING,
        consent=NOTHING,
        status=NOTHING,
        since=b.since(diff),
    )


def index_packet(b: Builder) -> IndexPacket:
    """The revision at a glance."""
    views = b.views
    statuses = Counter(str(v.get("status")) for v in views.values())
    current = [p for p, r in b.provinces.items() if "valid_until" not in r.data]
    active = [e for e, v in views.items() if v.get("status") == "active"]
    focus = [p for p, r in b.provinces.items() if r.data.get("focus") is True]
    rows = tuple(
        b.progress(
            b.describe.province(p),
            [e for e in views if b.practised_in(e, p)],
            b.inventory.province_view(p).get("target"),
        )
        for p in focus
    )
    focus_chart = b.focus_bars(zip(focus, rows, strict=True))
    targets = [b.inventory.province_view(p).get("target") for p in focus]
    total = (
        b.progress(
            b.t("index.all_focus"),
            sorted({e for e in views for p in focus if b.practised_in(e, p)}),
            sum(t for t in targets if isinstance(t, int) and not isinstance(t, bool)),
        )
        if focus
        else None
    )
    domains = Counter(d for e in active for d in strings(views[e].get("domains")))
    consent = Counter(b.state(views[e], "consent.status") for e in active)
    access = Counter(b.state(views[e], "access.level") for e in active)
    return IndexPacket(
        header=b.header(b.t("title.index")),
        totals=(
            Count(b.t("index.elements"), len(views)),
            *(Count(b.t.value("status", s), statuses[s]) for s in ("active", "retired", "merged")),
            Count(b.t("index.provinces"), len(current)),
        ),
        baselines=tuple(baseline_view(b, n) for n in b.comparisons.baseline_names()),
        cycle_start=REVISION_CYCLE_START,
        focus=rows,
        focus_total=total,
        focus_chart=focus_chart,
        domains=b.counts("domain", domains, DOMAINS),
        domain_chart=b.chart("chart.domains", "domain", domains, DOMAINS),
        consent=b.counts("consent", consent, CONSENT),
        consent_chart=b.chart("chart.consent", "consent", consent, CONSENT),
        access=b.counts("access", access, ACCESS),
        problems=b.problems(),
    )
