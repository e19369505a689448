"""What every review packet is built from: the request, the inventory as its audience sees it,
and the pieces several packets share (headers, count tables, charts, rows of elements and of
findings).

Every packet is built from the audience view of the records (ichinv.inventory.audience) and
turned into already-escaped Markdown pieces (`Md`) before a template sees it; templates only
arrange them. The same inputs give the same bytes: everything is sorted, no date appears
unless given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult, ElementDiff, Finding, Record
from ichinv.core.shares import percents
from ichinv.core.vocabulary import Access, Consent, Lang, Viability
from ichinv.diff import compare as comparison
from ichinv.inventory import audience as redact
from ichinv.inventory import certainty, redaction, snapshots
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.fields import get, is_new, name_of, strings
from ichinv.inventory.plaindata import Lazy
from ichinv.inventory.view import Inventory
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels
from ichinv.render.markdown.sections import IDENTIFICATION_TABLE, Describer, Row

VIABILITY = tuple(v.value for v in Viability)
CONSENT = tuple(c.value for c in Consent)
ACCESS = tuple(a.value for a in Access)
SINCE_ORDER = ("revised", "retired", "merged", "removed", "unchanged")
"""Order of the statuses of a baseline's elements (what is done first, what is left last)."""
TEMPLATE = "packets/{kind}.md.j2"
NOTHING = Md("—")


class PacketKind(StrEnum):
    """The kinds of packet, each with its template `packets/<kind>.md.j2`."""

    CHANGES = "changes"
    PROVINCE = "province"
    ELEMENT = "element"
    INDEX = "index"


@dataclass(frozen=True, slots=True)
class Request:
    """What to render: the selectors and options of `ichinv packet`."""

    since: str | None = None
    """Change packet: what changed since the merge base of this revision and HEAD."""
    provinces: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    audience: Audience = Audience.PUBLIC
    lang: Lang = Lang.EN
    templates: Path | None = None
    """Folder of templates; None: the inventory's templates/."""
    date: str | None = None
    """YYYY-MM-DD printed in the packets (and the day validation judges by); None: no date."""


def file_name(kind: PacketKind, ident: str = "") -> str:
    """The file name of a packet: `index.md`, `changes.md`, `province-KZ-23.md`…"""
    if kind in (PacketKind.INDEX, PacketKind.CHANGES):
        return f"{kind.value}.md"
    return f"{kind.value}-{re.sub(r'[^A-Za-z0-9-]', '_', ident)}.md"


# --- view models -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    """The top and bottom of every packet."""

    title: Md
    audience: str
    confidential: bool
    """True for the committee: the packet says "Confidential" at the top."""
    lang: str
    date: str
    """As given with --date; empty otherwise (no timestamps)."""
    notes: tuple[Md, ...] = ()


@dataclass(frozen=True, slots=True)
class Count:
    """One line of a count table."""

    label: Md
    count: int
    share: str = ""
    """Share of the table's total, e.g. `40 %`."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A Mermaid pie chart; labels are already safe for Mermaid."""

    title: Md
    slices: tuple[tuple[Md, int], ...]

    @property
    def empty(self) -> bool:
        return not any(n for __, n in self.slices)


@dataclass(frozen=True, slots=True)
class Bars:
    """A Mermaid bar chart, with an optional line over the bars (the targets of the
    provinces). Labels are already safe for Mermaid; the numbers are also in a table beside
    the chart (for screen readers and viewers without Mermaid)."""

    title: Md
    axis: Md
    labels: tuple[Md, ...]
    values: tuple[int, ...]
    line: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.labels

    @property
    def top(self) -> int:
        """The top of the axis: the largest number shown."""
        return max((*self.values, *self.line, 1))


@dataclass(frozen=True, slots=True)
class ElementRow:
    """One element in a table of elements."""

    id: Md
    name: Md
    domains: Md
    viability: Md
    consent: Md
    status: Md
    since: Md
    """Status since the baseline (e.g. revised since 2013)."""
    new: bool = False
    """Entered the inventory in this revision cycle."""
    entered: Md = Md("")
    """The date of entry, with its certainty when assessed (`2013-03-01 *(inferred)*`)."""


@dataclass(frozen=True, slots=True)
class Progress:
    """New elements of a province (or of all focus provinces) against the target."""

    name: Md
    new: int
    target: int | None
    percent: str
    bar: Md
    elements: tuple[Md, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding (validation, unreadable file) as the audience may read it."""

    severity: Md
    rule: Md
    place: Md
    message: Md


class Builder:
    """Builds the view models of one run: one inventory, one audience, one language."""

    def __init__(
        self, settings: Settings, request: Request, inventory: Inventory, labels: Labels
    ) -> None:
        self.settings = settings
        self.request = request
        self.inventory = inventory
        self.audience = request.audience
        self.t = labels
        self.lang = labels.lang
        self.committee = request.audience is Audience.COMMITTEE
        self.provinces = inventory.provinces
        by_id = inventory.by_id
        self.views: Mapping[str, dict[str, Any]] = Lazy(
            by_id, lambda eid: inventory.view(by_id[eid], self.audience)
        )
        """Element id → the audience's view of its record (made when first needed: a packet
        of one province or of the changes shows a few of thousands)."""
        self.records: Mapping[str, Record] = Lazy(
            by_id, lambda eid: inventory.record_for(by_id[eid], self.audience)
        )
        """Element id → its record as the audience starts from (the committee's with the private
        overlay merged in)."""
        names = Lazy(by_id, lambda eid: name_of(self.views[eid], self.lang))
        self.describe = Describer(labels, self._province_names(), names)
        self._compared: dict[str, DiffResult | IchinvError] = {}
        self._repo: gitrepo.GitRepo | None = None
        """The git repository of the comparisons (opened by the first)."""
        self._by_commit: dict[str, DiffResult] = {}
        """Comparisons of the working tree with a commit, by commit id: each made once."""

    # --- shared pieces -----------------------------------------------------------------------------

    def _province_names(self) -> dict[str, str]:
        return {pid: name_of(rec.data, self.lang) for pid, rec in self.provinces.items()}

    def header(self, title: Md) -> Header:
        return Header(
            title=title,
            audience=self.request.audience.value,
            confidential=self.committee,
            lang=self.lang,
            date=self.request.date or "",
            notes=(
                self.t("footer.committee" if self.committee else "footer.public"),
                self.t("footer.languages", lang=self.t.language(self.lang)),
            ),
        )

    def value(self, group: str, raw: Any) -> Md:
        """A vocabulary value in words (`withheld` when withheld, a dash when missing). Group
        `since`: a status since a baseline, with the status now when it differs
        (`added, now retired`, ElementDiff.status_now)."""
        if isinstance(raw, Withheld):
            return mdsafe.emphasis(self.t.raw("withheld.short"))
        if raw is None:
            return NOTHING
        if group == "since":
            status, __, now = str(raw).partition(", now ")
            words = self.t.value("diff", status)
            return (
                self.t("since.now", status=words, now=self.t.value("status", now)) if now else words
            )
        return self.t.value(group, raw)

    def since(self, diff: ElementDiff | None) -> Md:
        """What became of an element since a baseline: `revised`, `added, now retired`."""
        return self.value("since", diff.status_now) if diff is not None else NOTHING

    def counts(self, group: str, counter: Counter[str], order: Iterable[str]) -> tuple[Count, ...]:
        """Counts in a fixed order (every value of `order`, then the others alphabetically)."""
        order = tuple(order)
        total = sum(counter.values())
        keys = [*order, *sorted(k for k in counter if k not in order)]
        shares = percents([counter[k] for k in keys])  # they add up to 100 %
        return tuple(
            Count(self.value(group, k), counter[k], f"{share} %" if total else "")
            for k, share in zip(keys, shares, strict=True)
        )

    def chart(self, title: str, group: str, counter: Counter[str], order: Iterable[str]) -> Chart:
        order = tuple(order)
        keys = [*order, *sorted(k for k in counter if k not in order)]
        return Chart(
            mdsafe.mermaid_label(self.t.raw(title), width=60),
            tuple(
                (mdsafe.mermaid_label(self._raw(group, k)), counter[k]) for k in keys if counter[k]
            ),
        )

    def target_bars(self, progress: Progress) -> Bars:
        """One province's new elements beside its target, as two bars."""
        return Bars(
            mdsafe.mermaid_label(self.t.raw("chart.progress"), width=60),
            mdsafe.mermaid_label(self.t.raw("chart.progress_axis"), width=40),
            (
                mdsafe.mermaid_label(self.t.raw("col.new"), width=30),
                mdsafe.mermaid_label(self.t.raw("col.target"), width=30),
            ),
            (progress.new, progress.target or 0),
        )

    def focus_bars(self, provinces: Iterable[tuple[str, Progress]]) -> Bars:
        """The new elements of each province (id, progress) with a target as bars, and the
        targets as a line over them."""
        shown = [(pid, p) for pid, p in provinces if p.target]
        return Bars(
            mdsafe.mermaid_label(self.t.raw("chart.focus"), width=60),
            mdsafe.mermaid_label(self.t.raw("chart.progress_axis"), width=40),
            tuple(
                mdsafe.mermaid_label(name_of(self.provinces[pid].data, self.lang) or pid, width=30)
                for pid, __ in shown
            ),
            tuple(p.new for __, p in shown),
            tuple(p.target or 0 for __, p in shown),
        )

    def _raw(self, group: str, value: str) -> str:
        if group == "since":
            return str(self.value("since", value))
        key = f"value.{group}.{value}"
        return self.t.raw(key) if self.t.has(key) else value

    def state(self, view: Mapping[str, Any], dotted: str) -> str:
        """A vocabulary field for counting: its value, `withheld` or `unknown`."""
        found = get(view, dotted)
        if isinstance(found, Withheld):
            return "withheld"
        return found if isinstance(found, str) else "unknown"

    def element_row(self, eid: str, since: Mapping[str, ElementDiff] | None = None) -> ElementRow:
        view = self.views[eid]
        diff = since.get(eid) if since is not None else None
        return ElementRow(
            id=mdsafe.ident(eid),
            name=self.describe.name(view),
            domains=self.describe.value(view.get("domains", []), ("domains",)),
            viability=self.value("viability", get(view, "viability.status")),
            consent=self.value("consent", get(view, "consent.status")),
            status=self.value("status", view.get("status")),
            since=self.since(diff),
            new=self.is_new(eid),
            entered=self.entered(view),
        )

    def entered(self, view: Mapping[str, Any]) -> Md:
        """The date of entry as the audience may see it, with its certainty."""
        found = get(view, "provenance.entered")
        if isinstance(found, Withheld):
            return mdsafe.emphasis(self.t.raw("withheld.short"))
        if not isinstance(found, str):
            return NOTHING
        status = certainty.status_of(certainty.entries(view), "entered")
        return self.describe.marked(mdsafe.inline(found), status)

    def is_new(self, eid: str) -> bool:
        """Entered the inventory after the revision cycle began."""
        return is_new(self.views[eid], eid)

    def practised_in(self, eid: str, pid: str) -> bool:
        """Whether the element is practised in province `pid` (or a unit it replaced), as the
        audience's view says. A view's provinces are the record's, or fewer, or (for the
        committee) those of the private overlay too: an element whose record and overlay name
        none of them is left out without making its view."""
        inventory = self.inventory
        if eid not in inventory.private and not inventory.practised_in(
            strings(inventory.by_id[eid].data.get("provinces")), pid
        ):
            return False
        return inventory.practised_in(strings(self.views[eid].get("provinces")), pid)

    def progress(self, name: Md, ids: Iterable[str], target: Any) -> Progress:
        new = [e for e in ids if self.is_new(e) and self.views[e].get("status") == "active"]
        goal = (
            target
            if isinstance(target, int) and not isinstance(target, bool) and target > 0
            else None
        )
        filled = min(10, len(new) * 10 // goal) if goal else 0
        return Progress(
            name=name,
            new=len(new),
            target=goal,
            percent=f"{len(new) * 100 // goal} %" if goal else "",
            bar=Md("▓" * filled + "░" * (10 - filled)) if goal else Md(""),
            elements=tuple(self.describe.element(e) for e in new),
        )

    def compared(self, name: str, *, changes: bool = False) -> DiffResult | IchinvError:
        """The working tree compared with a named baseline, or why it could not be: each
        element's status since (and, with `changes`, its changed fields; word-level diffs only
        when the same comparison was made with them for the change packet). With an inventory
        read for a focus (ichinv.inventory.view.Focus), only its elements are compared."""
        key = f"{name}\0{changes}"
        if key not in self._compared:
            try:
                named = self.settings.baseline(comparison.named_baseline(self.settings, name))
                self._repo = self._repo or gitrepo.open_repo(self.settings.root)
                commit = self._repo.resolve(named.rev, what="baseline")
                known = self._by_commit.get(commit)
                self._compared[key] = (
                    replace(
                        known,
                        baseline_rev=named.rev,
                        baseline_name=name,
                        baseline_label=named.label,
                    )
                    if known is not None
                    else comparison.compare(
                        self.settings,
                        name,
                        audience=self.audience,
                        words=False,
                        summary=not changes,
                        tree=self.inventory.tree,
                        among=self.inventory.by_id if self.inventory.focus else None,
                        repo=self._repo,
                    )
                )
            except IchinvError as exc:
                self._compared[key] = exc
        return self._compared[key]

    def compared_at(self, commit: str, base: snapshots.CommitSnapshot | None = None) -> DiffResult:
        """The working tree compared with `commit` (a 40-hex id; `base`: its snapshot, when
        the caller has one open), word-level diffs included."""
        if commit not in self._by_commit:
            self._by_commit[commit] = comparison.compare(
                self.settings, commit, audience=self.audience, tree=self.inventory.tree, base=base
            )
        return self._by_commit[commit]

    def baseline_names(self) -> list[str]:
        """The baselines every packet compares with: 2013 and 2024 when named in settings."""
        names = [n for n in ("2013", "2024") if n in self.settings.baselines]
        return names or [self.settings.default_baseline]

    def unavailable(self, name: str, error: IchinvError) -> Md:
        return self.t("baseline.unavailable", name=name, reason=error.message)

    def finding_row(
        self, finding: Finding, data: Mapping[str, Any] | None, *, quote: bool = True
    ) -> FindingRow:
        """A finding for this audience (public: nothing about withheld parts)."""
        if not self.committee:
            finding = redaction.public_finding(finding, data, policy=self.inventory.policy)
        place = f"{finding.path}:{finding.line}" if finding.line else finding.path
        if finding.line and finding.column:
            place += f":{finding.column}"
        return FindingRow(
            severity=self.t.value("severity", finding.severity.value),
            rule=mdsafe.code(finding.rule),
            place=mdsafe.code(place),
            message=mdsafe.inline(finding.message) if quote else self.t("finding.unreadable"),
        )

    def problems(self) -> tuple[FindingRow, ...]:
        """Files that could not be read; their messages only for the committee (a syntax
        error may quote the file)."""
        return tuple(
            self.finding_row(f, None, quote=self.committee)
            for f in self.inventory.problems_for(self.audience)
        )

    # --- pieces of several packets -------------------------------------------------------------

    def identification_only(self, rec: Record) -> Md:
        """For the public, when only the identification of the element is published: a note
        saying so, and why (empty otherwise)."""
        if self.committee:
            return Md("")
        parts = self.inventory.withheld(rec)
        whole = next((p for p in parts if p.pointer == redact.WHOLE_RECORD), None)
        if whole is None:
            return Md("")
        return self.t("element.identification_only", why=self.describe.why(whole.why, whole.reason))

    def identification(self, eid: str, view: Mapping[str, Any]) -> tuple[Row, ...]:
        rows = [Row(self.t("field.id"), mdsafe.ident(eid))]
        names = view.get("names")
        if isinstance(names, Withheld):
            rows.append(Row(self.t("field.names"), self.describe.withheld(names)))
        elif isinstance(names, Mapping):
            for lang, text in names.items():
                rows.append(
                    Row(
                        self.sub("field.names", self.t.language(str(lang))),
                        self.describe.value(text, ("names", str(lang))),
                    )
                )
        rows.extend(
            Row(self.describe.field_label((key,)), self.describe.value(view[key], (key,)))
            for key in IDENTIFICATION_TABLE[2:]
            if key in view
        )
        summary = self.describe.certainty_summary(view)
        if summary:
            rows.append(Row(self.t("field.confidence"), summary))
        return tuple(rows)

    def sub(self, key: str, part: Md) -> Md:
        """A label and a part of it: `Name › Kazakh`."""
        return Md(f"{self.t(key)} › {part}")
