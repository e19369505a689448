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
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ichinv.core import trace
from ichinv.core.errors import GitError, IchinvError, RevisionNotFound, ShallowClone
from ichinv.core.i18n import _
from ichinv.core.model import ElementDiff, Finding, Record
from ichinv.core.shares import percents
from ichinv.core.vocabulary import Access, Consent, Lang, Viability
from ichinv.inventory import audience as redact
from ichinv.inventory import certainty, redaction
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.fields import get, is_new, name_of, strings
from ichinv.inventory.fields import state as shown_state
from ichinv.inventory.plaindata import Lazy
from ichinv.inventory.view import Inventory
from ichinv.io import forked
from ichinv.io.settings import Settings
from ichinv.packets import row_cache
from ichinv.packets.comparisons import Comparisons
from ichinv.packets.models import Bars, Chart, Count, ElementRow, FindingRow, Header, Progress
from ichinv.packets.row_cache import RowCache, Shows
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


ROW_FIELDS = frozenset(
    ("id", "names", "domains", "viability", "consent", "status", "provenance", "provinces")
)
"""The top-level fields of a record that its row, and what packets count of it, are made from
(`Builder.shows`: views of these alone, ichinv.inventory.audience.view's `only`)."""

KEEP_APART = 200
"""Rows that `Builder.keep_shows` keeps on another core (fewer are kept here: 1,200 rows take
about 15 ms to keep, a fork about 2 ms)."""


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
        self.views: Lazy[dict[str, Any]] = Lazy(
            by_id, lambda eid: inventory.view(by_id[eid], self.audience)
        )
        """Element id → the audience's view of its record (made when first needed: a packet
        of one province or of the changes shows a few of thousands)."""
        self.row_views: Mapping[str, dict[str, Any]] = Lazy(by_id, self._row_view)
        """Element id → the audience's view of the ROW_FIELDS of its record (what `shows`
        reads: cheaper to make than the whole view, which it is when that was made)."""
        self.records: Mapping[str, Record] = Lazy(
            by_id, lambda eid: inventory.record_for(by_id[eid], self.audience)
        )
        """Element id → its record as the audience starts from (the committee's with the private
        overlay merged in)."""
        names = Lazy(by_id, lambda eid: name_of(self.row_views[eid], self.lang))
        self.describe = Describer(labels, self._province_names(), names)
        self.comparisons = Comparisons(settings, inventory, self.audience)
        """The run's comparisons with baselines and commits (ichinv.packets.comparisons)."""
        self._shows: dict[str, Shows] = {}
        """Element id → what packets show of it (`shows`), made or recalled in this run."""
        self._stored: set[str] = set()
        """The elements of `_shows` the row cache holds (recalled from it, or kept there)."""
        self._keeping: forked.Ahead[None] | None = None
        """The rows `keep_shows` keeps on another core."""

    # --- shared pieces -----------------------------------------------------------------------------

    def _row_view(self, eid: str) -> dict[str, Any]:
        whole = self.views.made(eid)
        if whole is not None:
            return whole
        return self.inventory.view(self.inventory.by_id[eid], self.audience, only=ROW_FIELDS)

    def _province_names(self) -> dict[str, str]:
        return {pid: self.inventory.province_name(pid, self.lang) for pid in self.provinces}

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
        (`added, now retired`, ElementDiff.status_now). Group `step`: the same for what a
        commit, or a comparison with any revision, did: `unchanged` there is no "not yet
        revised", which only a baseline's elements can be."""
        if isinstance(raw, Withheld):
            return mdsafe.emphasis(self.t.raw("withheld.short"))
        if raw is None:
            return NOTHING
        if group in ("since", "step"):
            status, __, now = str(raw).partition(", now ")
            words = (
                self.t("history.unchanged")
                if group == "step" and status == "unchanged"
                else self.t.value("diff", status)
            )
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
                mdsafe.mermaid_label(self.inventory.province_name(pid, self.lang) or pid, width=30)
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
        return shown_state(view, dotted) or "unknown"

    def element_row(self, eid: str, since: Mapping[str, ElementDiff] | None = None) -> ElementRow:
        view = self.row_views[eid]
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
        return is_new(self.row_views[eid], eid)

    def listed_in(self, eid: str, pid: str) -> bool:
        """Whether the element may be practised in province `pid` as the audience's view says:
        its record or its private overlay name it (or a unit it replaced). Tells without making
        the view (`practised_in` then tells for sure)."""
        inventory = self.inventory
        return eid in inventory.private or inventory.practised_in(
            strings(inventory.by_id[eid].data.get("provinces")), pid
        )

    def practised_in(self, eid: str, pid: str) -> bool:
        """Whether the element is practised in province `pid` (or a unit it replaced), as the
        audience's view says. A view's provinces are the record's, or fewer, or (for the
        committee) those of the private overlay too: an element whose record and overlay name
        none of them is left out without making its view (`listed_in`), and one whose `shows`
        are known (made, or recalled from the row cache) is judged by the provinces they hold."""
        if not self.listed_in(eid, pid):
            return False
        known = self._shows.get(eid)
        shown = (
            known.provinces if known is not None else strings(self.row_views[eid].get("provinces"))
        )
        return self.inventory.practised_in(shown, pid)

    def shows(self, eid: str) -> Shows:
        """What a packet shows of element `eid` to its audience, whatever the province: its
        row (but its status since a baseline) and what is counted of it."""
        known = self._shows.get(eid)
        if known is None:
            view = self.row_views[eid]
            row = self.element_row(eid)
            status = view.get("status")
            known = self._shows[eid] = Shows(
                eid,
                row,
                status if isinstance(status, str) else None,
                tuple(strings(view.get("domains"))),
                self.state(view, "viability.status"),
                self.describe.element(eid) if status == "active" and row.new else None,
                tuple(strings(view.get("provinces"))),
            )
        return known

    def recall_shows(self) -> set[str]:
        """Take what the public is shown of the inventory's elements from the row cache
        (ichinv.packets.row_cache), where it was kept by an earlier run; the others are made
        when asked for (`shows`). The committee's are always made. The elements recalled."""
        with self._row_cache() as cache:
            found = cache.get(
                (eid, rec.blob)
                for eid, rec in self.inventory.by_id.items()
                if eid not in self._shows
            )
        self._shows.update(found)
        self._stored.update(found)
        trace.count("row-cache", times=len(found))
        return set(found)

    def learn_shows(self, made: Iterable[Shows]) -> None:
        """What another process made of `shows` (ichinv.io.forked): not made again here."""
        for shows in made:
            self._shows.setdefault(shows.eid, shows)

    def keep_shows(self) -> None:
        """Keep in the row cache what the public was shown of elements in this run and not
        recalled from it: KEEP_APART rows or more on another core (ichinv.io.forked), while
        this one goes on (`kept` waits for them)."""
        by_id = self.inventory.by_id
        fresh = [(by_id[e].blob, s) for e, s in self._shows.items() if e not in self._stored]
        self._stored.update(self._shows)
        if not fresh:
            return
        tree = self.inventory.tree
        size = tree.file_count if tree is not None else len(by_id)
        if len(fresh) >= KEEP_APART and self._keeping is None and self._row_cache_kept():
            self._keeping = forked.Ahead(lambda: self._keep(fresh, size, through=True))
        else:
            self._keep(fresh, size)

    def kept(self) -> None:
        """Wait until the rows `keep_shows` keeps on another core are kept."""
        if self._keeping is not None:
            keeping, self._keeping = self._keeping, None
            keeping.result()

    def _keep(self, fresh: list[tuple[str, Shows]], size: int, *, through: bool = False) -> None:
        cache = self._row_cache()
        try:
            cache.size_hint = size
            for blob, shows in fresh:
                cache.put(blob, shows)
        finally:
            cache.close(through=through)

    def _row_cache_kept(self) -> bool:
        """Whether the row cache keeps anything for this run (the public's rows only)."""
        return self.audience is Audience.PUBLIC and bool(self.inventory.policy.key)

    def _row_cache(self) -> RowCache:
        if not self._row_cache_kept():
            return RowCache(None, "")
        context = row_cache.context(self.settings, self.inventory.policy.key, self.t)
        return RowCache.open(self.settings, context)

    def progress(self, name: Md, ids: Iterable[str], target: Any) -> Progress:
        new = [e for e in ids if self.is_new(e) and self.row_views[e].get("status") == "active"]
        return self.progress_of(name, [self.describe.element(e) for e in new], target)

    def progress_of(self, name: Md, new: list[Md], target: Any) -> Progress:
        """Progress towards `target` with the `new` active elements (as described)."""
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
            elements=tuple(new),
        )

    def unavailable(self, name: str, error: IchinvError) -> Md:
        """Why the comparison with baseline `name` is not in the packet."""
        return self.t("baseline.unavailable", name=name, reason=self.why_not(error))

    def why_not(self, error: IchinvError) -> str:
        """Why git could not give what a packet shows, in the same words on every machine (the
        error's own message, for standard error, names folders of this one: `not found in the
        git repository at /home/…`); in the packet's language (`packet --lang` sets that of
        messages too)."""
        if isinstance(error, ShallowClone):
            return _("this clone of the repository is shallow and does not reach it")
        if isinstance(error, RevisionNotFound):
            return _("its revision is not in this repository")
        if isinstance(error, GitError):
            return _("the git history could not be read where this packet was made")
        return error.message  # the settings name no such baseline: their file, by its name

    def finding_row(
        self, finding: Finding, data: Mapping[str, Any] | None, *, quote: bool = True
    ) -> FindingRow:
        """A finding for this audience (public: nothing about withheld parts)."""
        if not self.committee:
            finding = redaction.public_finding(finding, data, policy=self.inventory.policy)
            finding = redaction.public_problem(finding, read=data is not None)
        return FindingRow(
            severity=self.t.value("severity", finding.severity.value),
            rule=mdsafe.code(finding.rule),
            place=mdsafe.name(finding.place),
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
