"""The index packet (the revision at a glance) and the province packet, as view models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult, ElementDiff, ElementStatus
from ichinv.packets.builder import (
    ACCESS,
    CONSENT,
    CYCLE_START,
    DOMAINS,
    NOTHING,
    SINCE_ORDER,
    VIABILITY,
    Builder,
    Chart,
    Count,
    ElementRow,
    FindingRow,
    Header,
    Progress,
    strings,
    unknown,
)
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.sections import Row


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
    domain_chart: Chart
    consent: tuple[Count, ...]
    consent_chart: Chart
    access: tuple[Count, ...]
    problems: tuple[FindingRow, ...]
    ident: str = ""


@dataclass(frozen=True, slots=True)
class ProvincePacket:
    """Every element of one province, its progress and its counts (`--province ID`)."""

    header: Header
    ident: str
    name: Md
    details: tuple[Row, ...]
    elements: tuple[ElementRow, ...]
    baseline: Md
    baseline_note: Md
    since_counts: tuple[Count, ...]
    progress: Progress | None
    progress_chart: Chart | None
    cycle_start: str
    domains: tuple[Count, ...]
    domain_chart: Chart
    viability: tuple[Count, ...]
    viability_chart: Chart


# --- index packet ----------------------------------------------------------------------------------


def baseline_view(b: Builder, name: str) -> BaselineView:
    """The elements of a named baseline and what became of them."""
    found = b.compared(name)
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
        counts=b.counts("diff", Counter(e.status.value for e in present), SINCE_ORDER),
        elements=tuple(
            b.element_row(e.id, by_id) if e.id in b.inv.views else _gone(b, e)
            for e in sorted(present, key=lambda e: (rank.get(e.status.value, 9), e.id))
        ),
        added=len(found.elements) - len(present),
    )


def _gone(b: Builder, diff: ElementDiff) -> ElementRow:
    """A row for an element no longer in the working tree (removed). Its record is not read
    again, so the public sees only its id (the name might have been restricted)."""
    return ElementRow(
        id=mdsafe.code(diff.id),
        name=mdsafe.inline(diff.name) if b.committee else NOTHING,
        domains=NOTHING,
        viability=NOTHING,
        consent=NOTHING,
        status=NOTHING,
        since=b.t.value("diff", diff.status.value),
    )


def index_packet(b: Builder) -> IndexPacket:
    """The revision at a glance."""
    views = b.inv.views
    statuses = Counter(str(v.get("status")) for v in views.values())
    current = [p for p, r in b.inv.provinces.items() if "valid_until" not in r.data]
    active = [e for e, v in views.items() if v.get("status") == "active"]
    focus = [p for p, r in b.inv.provinces.items() if r.data.get("focus") is True]
    rows = tuple(
        b.progress(
            b.describe.province(p),
            [e for e in views if b.inv.practised_in(e, p)],
            b.inv.provinces[p].data.get("target"),
        )
        for p in focus
    )
    targets = [b.inv.provinces[p].data.get("target") for p in focus]
    total = (
        b.progress(
            b.t("index.all_focus"),
            sorted({e for e in views for p in focus if b.inv.practised_in(e, p)}),
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
        baselines=tuple(baseline_view(b, n) for n in b.baseline_names()),
        cycle_start=CYCLE_START,
        focus=rows,
        focus_total=total,
        domains=b.counts("domain", domains, DOMAINS),
        domain_chart=b.chart("chart.domains", "domain", domains, DOMAINS),
        consent=b.counts("consent", consent, CONSENT),
        consent_chart=b.chart("chart.consent", "consent", consent, CONSENT),
        access=b.counts("access", access, ACCESS),
        problems=b.problems(),
    )


def province_packet(b: Builder, pid: str) -> ProvincePacket:
    """Every element of province `pid`, its progress and its counts."""
    if pid not in b.inv.provinces:
        raise unknown("province", pid, b.inv.provinces, "provinces")
    data = b.inv.provinces[pid].data
    name = b.describe.province(pid)
    ids = [e for e in b.inv.views if b.inv.practised_in(e, pid)]
    baseline = b.settings.default_baseline
    found = b.compared(baseline)
    since = {e.id: e for e in found.elements} if isinstance(found, DiffResult) else None
    active = [e for e in ids if b.inv.views[e].get("status") == "active"]
    domains = Counter(d for e in active for d in strings(b.inv.views[e].get("domains")))
    viability = Counter(b.state(b.inv.views[e], "viability.status") for e in active)
    target = data.get("target")
    progress = b.progress(name, ids, target) if data.get("focus") is True or target else None
    return ProvincePacket(
        header=b.header(b.t("title.province", name=name)),
        ident=pid,
        name=name,
        details=_province_details(b, pid, data),
        elements=tuple(b.element_row(e, since) for e in ids),
        baseline=mdsafe.inline(baseline),
        baseline_note=b.unavailable(baseline, found) if isinstance(found, IchinvError) else Md(""),
        since_counts=b.counts(
            "diff", Counter(since[e].status.value for e in ids if e in since), SINCE_ORDER
        )
        if since is not None
        else (),
        progress=progress,
        progress_chart=_progress_chart(b, progress) if progress and progress.target else None,
        cycle_start=CYCLE_START,
        domains=b.counts("domain", domains, DOMAINS),
        domain_chart=b.chart("chart.domains", "domain", domains, DOMAINS),
        viability=b.counts("viability", viability, VIABILITY),
        viability_chart=b.chart("chart.viability", "viability", viability, VIABILITY),
    )


def _province_details(b: Builder, pid: str, data: Mapping[str, Any]) -> tuple[Row, ...]:
    rows = [Row(b.t("field.id"), mdsafe.code(pid))]
    names = data.get("names")
    for lang, text in names.items() if isinstance(names, Mapping) else ():
        rows.append(Row(b.sub("field.names", b.t.language(str(lang))), mdsafe.inline(text)))
    if isinstance(data.get("kind"), str):
        rows.append(Row(b.t("field.kind"), b.t.value("province_kind", data["kind"])))
    centre = data.get("centre")
    if isinstance(centre, Mapping):
        text, note = b.describe.localized(centre)
        rows.append(Row(b.t("field.centre"), Md(f"{text} {note}".strip())))
    yes_no = "value.bool.yes" if data.get("focus") is True else "value.bool.no"
    rows.append(Row(b.t("field.focus"), b.t(yes_no)))
    rows.extend(
        Row(b.t(f"field.{key}"), mdsafe.inline(data[key]))
        for key in ("target", "valid_from", "valid_until")
        if data.get(key) is not None
    )
    successors = strings(data.get("successors"))
    if successors:
        rows.append(
            Row(
                b.t("field.successors"),
                Md(", ".join(b.describe.province(s) for s in successors)),
            )
        )
    if isinstance(data.get("notes"), str):
        rows.append(Row(b.t("field.notes"), mdsafe.inline(data["notes"])))
    return tuple(rows)


def _progress_chart(b: Builder, progress: Progress) -> Chart:
    remaining = max(0, (progress.target or 0) - progress.new)
    return Chart(
        mdsafe.mermaid_label(b.t.raw("chart.progress"), width=60),
        tuple(
            (mdsafe.mermaid_label(b.t.raw(key)), count)
            for key, count in (
                ("progress.new", progress.new),
                ("progress.remaining", remaining),
            )
            if count
        ),
    )
