"""The province packet: every element of one province, its progress and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult
from ichinv.core.vocabulary import DOMAINS, REVISION_CYCLE_START
from ichinv.inventory.fields import strings
from ichinv.packets.builder import (
    SINCE_ORDER,
    VIABILITY,
    Bars,
    Builder,
    Chart,
    Count,
    ElementRow,
    FindingRow,
    Header,
    Progress,
)
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


def province_packet(b: Builder, pid: str) -> ProvincePacket:
    """Every element of province `pid`, its progress and its counts."""
    if pid not in b.provinces:
        raise b.inventory.absent_province(pid)
    data = b.provinces[pid].data
    name = b.describe.province(pid)
    ids = [e for e in b.views if b.practised_in(e, pid)]
    baseline = b.settings.default_baseline
    found = b.compared(baseline)
    since = {e.id: e for e in found.elements} if isinstance(found, DiffResult) else None
    active = [e for e in ids if b.views[e].get("status") == "active"]
    domains = Counter(d for e in active for d in strings(b.views[e].get("domains")))
    viability = Counter(b.state(b.views[e], "viability.status") for e in active)
    target = data.get("target")
    progress = b.progress(name, ids, target) if data.get("focus") is True or target else None
    return ProvincePacket(
        header=b.header(b.t("title.province", name=name)),
        ident=pid,
        name=name,
        details=_province_details(b, pid, data),
        problems=b.problems(),
        elements=tuple(b.element_row(e, since) for e in ids),
        baseline=mdsafe.inline(baseline),
        baseline_note=b.unavailable(baseline, found) if isinstance(found, IchinvError) else Md(""),
        since_counts=b.counts(
            "since", Counter(since[e].status_now for e in ids if e in since), SINCE_ORDER
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
