"""The province packet: every element of one province, its progress and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult
from ichinv.core.vocabulary import DOMAINS, REVISION_CYCLE_START
from ichinv.inventory.fields import strings
from ichinv.packets.builder import SINCE_ORDER, VIABILITY, Builder
from ichinv.packets.models import Bars, Chart, Count, ElementRow, FindingRow, Header, Progress
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.sections import Row


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
    progress_chart: Bars | None
    cycle_start: str
    domains: tuple[Count, ...]
    domain_chart: Chart
    viability: tuple[Count, ...]
    viability_chart: Chart
    problems: tuple[FindingRow, ...] = ()
    """Files of the inventory that could not be read: the packet is incomplete without them."""


AHEAD_SHARE = 4
"""One in this many of the elements (the first) are looked at on the core that compares the
inventory with the baseline (`start`), so that both cores finish at about the same time (at
10,000 records, measured: 3 to 6 gave the same times within the noise)."""


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the packet shows of one element practised in the province."""

    eid: str
    row: ElementRow
    """Its row, but its status since the baseline (that needs the comparison)."""
    status: Any
    domains: tuple[str, ...]
    viability: str
    progress: Md | None
    """The element as the progress lists it: new since the revision began and active."""


def start(b: Builder, pids: Sequence[str]) -> None:
    """Start, on another core, the comparison with the baseline that the packets of `pids`
    show, and what they show of the first of every AHEAD_SHARE elements."""
    first = list(b.views)[: len(b.views) // AHEAD_SHARE]
    b.compare_ahead(
        b.settings.default_baseline,
        lambda: {pid: [_shown(b, pid, e) for e in first] for pid in pids if pid in b.provinces},
    )


def _shown(b: Builder, pid: str, eid: str) -> _Shown | None:
    """What the packet of province `pid` shows of element `eid`; None when not practised there."""
    if not b.practised_in(eid, pid):
        return None
    view = b.views[eid]
    active = view.get("status") == "active"
    return _Shown(
        eid,
        b.element_row(eid),
        view.get("status"),
        tuple(strings(view.get("domains"))),
        b.state(view, "viability.status"),
        b.describe.element(eid) if active and b.is_new(eid) else None,
    )


def province_packet(b: Builder, pid: str) -> ProvincePacket:
    """Every element of province `pid`, its progress and its counts."""
    if pid not in b.provinces:
        raise b.inventory.absent_province(pid)
    data = b.provinces[pid].data
    name = b.describe.province(pid)
    baseline = b.settings.default_baseline
    eids = list(b.views)
    # The first elements may be under way on another core with the comparison (`start`); the
    # rows need the comparison only for each one's status since the baseline, put in last.
    first = len(eids) // AHEAD_SHARE if b.started_ahead(baseline) else 0
    rest = [_shown(b, pid, e) for e in eids[first:]]
    found = b.compared(baseline)
    made = (b.made_along(baseline) or {}).get(pid) if first else []
    if not isinstance(made, list) or len(made) != first:
        made = [_shown(b, pid, e) for e in eids[:first]]
    shown = [s for s in (*made, *rest) if s is not None]
    since = {e.id: e for e in found.elements} if isinstance(found, DiffResult) else None
    active = [s for s in shown if s.status == "active"]
    domains = Counter(d for s in active for d in s.domains)
    viability = Counter(s.viability for s in active)
    target = data.get("target")
    progress = (
        b.progress_of(name, [s.progress for s in shown if s.progress is not None], target)
        if data.get("focus") is True or target
        else None
    )
    return ProvincePacket(
        header=b.header(b.t("title.province", name=name)),
        ident=pid,
        name=name,
        details=_province_details(b, pid, data),
        problems=b.problems(),
        elements=tuple(
            replace(s.row, since=b.since(since.get(s.eid))) if since is not None else s.row
            for s in shown
        ),
        baseline=mdsafe.inline(baseline),
        baseline_note=b.unavailable(baseline, found) if isinstance(found, IchinvError) else Md(""),
        since_counts=b.counts(
            "since", Counter(since[s.eid].status_now for s in shown if s.eid in since), SINCE_ORDER
        )
        if since is not None
        else (),
        progress=progress,
        progress_chart=b.target_bars(progress) if progress and progress.target else None,
        cycle_start=REVISION_CYCLE_START,
        domains=b.counts("domain", domains, DOMAINS),
        domain_chart=b.chart("chart.domains", "domain", domains, DOMAINS),
        viability=b.counts("viability", viability, VIABILITY),
        viability_chart=b.chart("chart.viability", "viability", viability, VIABILITY),
    )


def _province_details(b: Builder, pid: str, data: Mapping[str, Any]) -> tuple[Row, ...]:
    rows = [Row(b.t("field.id"), mdsafe.ident(pid))]
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
