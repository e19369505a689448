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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from ichinv.core import trace
from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult, ElementDiff, Finding, Record
from ichinv.core.shares import percents
from ichinv.core.vocabulary import Access, Consent, Lang, Viability
from ichinv.inventory import audience as redact
from ichinv.inventory import certainty, redaction, snapshots
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.fields import get, is_new, name_of, strings
from ichinv.inventory.plaindata import Lazy
from ichinv.inventory.view import Inventory
from ichinv.io import forked
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings
from ichinv.packets import row_cache
from ichinv.packets.baseline import compare_with_baseline
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
        self._ahead: dict[str, forked.Ahead[tuple[DiffResult | IchinvError, Any]]] = {}
        """Comparisons started on another core (`compare_ahead`), by the key of `_compared`."""
        self._repo: gitrepo.GitRepo | None = None
        """The git repository of the comparisons (opened by the first)."""
        self._by_commit: dict[str, DiffResult] = {}
        """Comparisons of the working tree with a commit, by commit id: each made once."""
        self._shows: dict[str, Shows] = {}
        """Element id → what packets show of it (`shows`), made or recalled in this run."""
        self._stored: set[str] = set()
        """The elements of `_shows` the row cache holds (recalled from it, or kept there)."""

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
        shown = known.provinces if known is not None else strings(self.views[eid].get("provinces"))
        return self.inventory.practised_in(shown, pid)

    def shows(self, eid: str) -> Shows:
        """What a packet shows of element `eid` to its audience, whatever the province: its
        row (but its status since a baseline) and what is counted of it."""
        known = self._shows.get(eid)
        if known is None:
            view = self.views[eid]
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
        recalled from it."""
        by_id = self.inventory.by_id
        fresh = [(by_id[e].blob, s) for e, s in self._shows.items() if e not in self._stored]
        if not fresh:
            return
        with self._row_cache() as cache:
            tree = self.inventory.tree
            cache.size_hint = tree.file_count if tree is not None else len(by_id)
            for blob, shows in fresh:
                cache.put(blob, shows)
        self._stored.update(self._shows)

    def _row_cache(self) -> RowCache:
        policy = self.inventory.policy
        if self.audience is not Audience.PUBLIC or not policy.key:
            return RowCache(None, "")
        return RowCache.open(self.settings, row_cache.context(self.settings, policy.key, self.t))

    def progress(self, name: Md, ids: Iterable[str], target: Any) -> Progress:
        new = [e for e in ids if self.is_new(e) and self.views[e].get("status") == "active"]
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

    def compared(self, name: str, *, changes: bool = False) -> DiffResult | IchinvError:
        """The working tree compared with a named baseline, or why it could not be: each
        element's status since (and, with `changes`, its changed fields; word-level diffs only
        when the same comparison was made with them for the change packet). With an inventory
        read for a focus (ichinv.inventory.view.Focus), only its elements are compared."""
        key = f"{name}\0{changes}"
        if key not in self._compared:
            ahead = self._ahead.get(key)
            self._compared[key] = (
                ahead.result()[0] if ahead is not None else self._compared_now(name, changes)
            )
        return self._compared[key]

    def compare_ahead(self, name: str, along: Callable[[], Any] = lambda: None) -> None:
        """Start `compared(name)` on another core (ichinv.io.forked), and `along()` after it
        there (`made_along` gives what it made): a packet's views and rows are made here
        meanwhile, and `compared` waits for it. Both work on this run's inventory as it is now;
        what they cannot do there is done here when asked for."""
        key = f"{name}\0False"
        if key not in self._compared and key not in self._ahead:
            self._ahead[key] = forked.Ahead(lambda: (self._compared_now(name, False), along()))

    def made_along(self, name: str) -> Any:
        """What `along` of `compare_ahead(name)` made (None when none was started)."""
        ahead = self._ahead.get(f"{name}\0False")
        return ahead.result()[1] if ahead is not None else None

    def _compared_now(self, name: str, changes: bool) -> DiffResult | IchinvError:
        from ichinv.diff import compare as comparison  # on the other core, when ahead

        try:
            named = self.settings.baseline(comparison.named_baseline(self.settings, name))
            known = self._by_commit.get(self.repo().resolve(named.rev, what="baseline"))
            if known is not None:
                return replace(
                    known, baseline_rev=named.rev, baseline_name=name, baseline_label=named.label
                )
            among = self.inventory.by_id if self.inventory.focus else None
            tree = self.inventory.tree
            return compare_with_baseline(
                self.settings, name, self.audience, tree, among, self.repo, changes=changes
            )
        except IchinvError as exc:
            return exc

    def adopt_comparison(
        self,
        name: str,
        ahead: forked.Ahead[tuple[DiffResult | IchinvError, Any]] | None,
        repo: gitrepo.GitRepo | None,
    ) -> None:
        """`compare_ahead(name)` as started before this builder was made, while its inventory
        was read (ichinv.packets.province.Early), and the git repository opened for it."""
        if ahead is not None:
            self._ahead.setdefault(f"{name}\0False", ahead)
        self._repo = self._repo or repo

    def repo(self) -> gitrepo.GitRepo:
        """The git repository of the comparisons (GitError when there is none)."""
        self._repo = self._repo or gitrepo.open_repo(self.settings.root)
        return self._repo

    def compared_at(self, commit: str, base: snapshots.CommitSnapshot | None = None) -> DiffResult:
        """The working tree compared with `commit` (a 40-hex id; `base`: its snapshot, when
        the caller has one open), word-level diffs included."""
        if commit not in self._by_commit:
            from ichinv.diff import compare as comparison

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
