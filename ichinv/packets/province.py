"""The province packet: every element of one province, its progress and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ichinv.core.errors import IchinvError
from ichinv.core.model import DiffResult
from ichinv.core.vocabulary import DOMAINS, REVISION_CYCLE_START
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.fields import strings
from ichinv.inventory.policy import policy_for
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io import forked
from ichinv.io.git import GitRepo, open_repo
from ichinv.io.settings import Settings
from ichinv.packets import since_cache
from ichinv.packets.baseline import compare_with_baseline
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


COMPARISON_ROWS = 0.14
"""While the other core compares the inventory with its baseline, this one makes the rows of
about this share of the inventory's elements (at 10,000 records, measured: 0.11 s, about 1,400
rows)."""

AHEAD_COST = 2
"""A row made on the other core costs about this many made here (it is sent back)."""


APART_FILES = 1000
"""Record files from which a province packet looks up its statuses since the baseline on
another core, and compiles its templates on a spare one, while its records are read
(`Early`). In a smaller inventory the run is short: a fork costs more than it saves, and the
templates would be needed before the spare core is done (a comparison still runs apart)."""

Statuses = Mapping[str, str] | IchinvError
"""Element id → its status since the baseline (`revised`, `added, now retired`), or why the
comparison could not be made."""


@dataclass(slots=True)
class Started:
    """What `start` began for the packets of some provinces."""

    key: str | None
    """Where the statuses since the baseline are kept (ichinv.packets.since_cache)."""
    ahead: frozenset[str]
    """The elements whose `shows` the other core makes (none when nothing was started)."""
    statuses: Mapping[str, str] | None
    """Element id → its status since the baseline, when known (kept by an earlier run, or
    compared by the first packet)."""
    pending: forked.Ahead[tuple[DiffResult | IchinvError | None, Statuses]] | None = None
    """Where the statuses are being recalled or compared, when `early` began it."""


class Early:
    """The province packets' statuses since the baseline, looked for while their inventory is
    read (ichinv.inventory.view.load calls it, `started`): once the working tree is listed and
    the ids of the elements to show are known, before their records are read, and so about a
    tenth of a second sooner than `start` could at 10,000 records. On another core
    (ichinv.io.forked), they are recalled from the cache (ichinv.packets.since_cache) or, when
    it does not know them, compared and kept there: only the statuses come back, unless the
    comparison itself is wanted (`whole`: an element dossier of the same run shows it)."""

    def __init__(
        self,
        settings: Settings,
        audience: Audience,
        *,
        whole: bool = False,
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.audience = audience
        self.whole = whole
        self.meanwhile = meanwhile
        """Started too, once the statuses' process is forked, in an inventory of APART_FILES
        record files or more (the templates compiled on a spare core: Renderer.prepare_ahead)."""
        self.told = False
        """Whether the inventory was read with the call (a focus that needs every record is
        read without one: `start` does it all then)."""
        self.statuses: Mapping[str, str] | None = None
        """The statuses, when looked up here (in a small inventory)."""
        self.ahead: forked.Ahead[tuple[DiffResult | IchinvError | None, Statuses]] | None = None
        self._opened: GitRepo | None = None

    def __call__(self, tree: WorkingTreeSnapshot, ids: frozenset[str]) -> None:
        self.told = True
        policy = policy_for(self.settings.schema_dir).key  # as the inventory will hold it
        large = tree.file_count >= APART_FILES
        if not large and not self.whole:  # looked up here: a fork would cost more
            self.statuses = since_cache.recall(self.settings.root, self._key(tree, ids, policy))
            if self.statuses is not None:
                return
        self.ahead = forked.Ahead(lambda: self._statuses(tree, ids, policy))
        if self.meanwhile is not None and large:
            self.meanwhile()

    def _key(self, tree: WorkingTreeSnapshot, ids: frozenset[str], policy: str) -> str | None:
        settings = self.settings
        return since_cache.key_for(
            settings, tree, settings.default_baseline, self._repo, self.audience, policy, ids
        )

    def _statuses(
        self, tree: WorkingTreeSnapshot, ids: frozenset[str], policy: str
    ) -> tuple[DiffResult | IchinvError | None, Statuses]:
        settings, name = self.settings, self.settings.default_baseline
        key = self._key(tree, ids, policy)
        statuses = None if self.whole else since_cache.recall(settings.root, key)
        if statuses is not None:
            return None, statuses
        try:
            found: DiffResult | IchinvError = compare_with_baseline(
                settings, name, self.audience, tree, ids, self._repo
            )
        except IchinvError as exc:
            found = exc
        if not isinstance(found, DiffResult):
            return found, found
        statuses = since_cache.statuses_of(found)
        since_cache.keep(settings.root, key, statuses)
        return (found if self.whole else None), statuses

    def _repo(self) -> GitRepo:
        self._opened = self._opened or open_repo(self.settings.root)
        return self._opened


def start(b: Builder, pids: Sequence[str], early: Early | None = None) -> Started:
    """Recall what the packets of `pids` show from the caches (ichinv.packets.row_cache and
    since_cache). When the statuses since the baseline are not recalled, start the comparison
    with the baseline on another core; when the packets have more rows to make than this core
    makes meanwhile, that core makes a share of the rest after it, so that both finish about
    together (COMPARISON_ROWS, AHEAD_COST); else everything is made here. With `early`, which
    was told while the inventory was read, the statuses come from it, and every row is made
    here (it was started before the rows could be shared)."""
    baseline = b.settings.default_baseline
    recalled = b.recall_shows()
    if early is not None and early.told:
        if early.whole:
            b.comparisons.adopt(baseline, early.ahead)
        return Started(None, frozenset(), early.statuses, early.ahead)
    at = since_cache.key(b, baseline)
    statuses = since_cache.recall(b.settings.root, at)
    last: list[str] = []
    if statuses is None:
        todo = [e for e in b.views if e not in recalled and _shown_anywhere(b, e, pids, True)]
        tree = b.inventory.tree
        size = tree.file_count if tree is not None else len(b.views)
        spare = len(todo) - int(COMPARISON_ROWS * size)
        last = todo[len(todo) - spare // (1 + AHEAD_COST) :] if spare > 0 else []
        b.comparisons.compare_ahead(
            baseline, lambda: [b.shows(e) for e in last if _shown_anywhere(b, e, pids)]
        )
    return Started(at, frozenset(last), statuses)


def _shown_anywhere(b: Builder, eid: str, pids: Sequence[str], listed: bool = False) -> bool:
    """Whether the element is shown in the packet of one of `pids`; with `listed`, whether it
    may be, told without making its view (Builder.listed_in)."""
    test = b.listed_in if listed else b.practised_in
    return any(test(eid, pid) for pid in pids if pid in b.provinces)


def province_packet(b: Builder, pid: str, started: Started | None = None) -> ProvincePacket:
    """Every element of province `pid`, its progress and its counts (after `start`, with what
    it began)."""
    if pid not in b.provinces:
        raise b.inventory.absent_province(pid)
    # What the audience may see of the province's record: for the public, a value not in the
    # schema's form (a contact written as its kind or target) is withheld, as in an element's.
    data = b.inventory.view(b.provinces[pid], b.audience)
    name = b.describe.province(pid)
    baseline = b.settings.default_baseline
    # The elements the other core looks at (`start`), if any, are left to it meanwhile; what each
    # row says of the element since the baseline (the comparison) is put in last.
    ahead = started.ahead if started is not None else frozenset()
    mine = {e: b.shows(e) for e in b.views if e not in ahead and b.practised_in(e, pid)}
    if ahead:
        b.learn_shows(b.comparisons.made_along(baseline) or ())
    shown = [
        mine[e] if e in mine else b.shows(e)
        for e in b.views
        if e in mine or e in ahead and b.practised_in(e, pid)
    ]
    b.keep_shows()
    since = _statuses(b, started)
    b.comparisons.learn(baseline, since)
    said = (  # each status in words once, for a thousand rows
        {status: b.value("since", status) for status in {since.get(s.eid) for s in shown}}
        if not isinstance(since, IchinvError)
        else {}
    )
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
            s.row.with_since(said[since.get(s.eid)])
            if not isinstance(since, IchinvError)
            else s.row
            for s in shown
        ),
        baseline=mdsafe.inline(baseline),
        baseline_note=b.unavailable(baseline, since) if isinstance(since, IchinvError) else Md(""),
        since_counts=b.counts(
            "since", Counter(since[s.eid] for s in shown if s.eid in since), SINCE_ORDER
        )
        if not isinstance(since, IchinvError)
        else (),
        progress=progress,
        progress_chart=b.target_bars(progress) if progress and progress.target else None,
        cycle_start=REVISION_CYCLE_START,
        domains=b.counts("domain", domains, DOMAINS),
        domain_chart=b.chart("chart.domains", "domain", domains, DOMAINS),
        viability=b.counts("viability", viability, VIABILITY),
        viability_chart=b.chart("chart.viability", "viability", viability, VIABILITY),
    )


def _statuses(b: Builder, started: Started | None) -> Statuses:
    """Element id → its status since the default baseline (`revised`, `added, now retired`),
    or why the comparison could not be made: as `start` recalled it or `early` found it, else
    compared (and then kept for the next run in the same state)."""
    if started is not None and started.statuses is None and started.pending is not None:
        found = started.pending.result()[1]
        if isinstance(found, IchinvError):
            return found
        started.statuses = found
    if started is not None and started.statuses is not None:
        return started.statuses
    compared = b.comparisons.compared(b.settings.default_baseline)
    if not isinstance(compared, DiffResult):
        return compared
    statuses = since_cache.statuses_of(compared)
    if started is not None:
        since_cache.keep(b.settings.root, started.key, statuses)
        started.statuses = statuses
    return statuses


def _province_details(b: Builder, pid: str, data: Mapping[str, Any]) -> tuple[Row, ...]:
    """The rows of the province's own fields, from the audience's view of its record (a
    withheld value shows as the note saying why)."""
    rows = [Row(b.t("field.id"), mdsafe.ident(pid))]
    names = data.get("names")
    if isinstance(names, Withheld):
        rows.append(Row(b.t("field.names"), b.describe.withheld(names)))
    for lang, text in names.items() if isinstance(names, Mapping) else ():
        rows.append(Row(b.sub("field.names", b.t.language(str(lang))), _shown(b, text)))
    if isinstance(data.get("kind"), str):
        rows.append(Row(b.t("field.kind"), b.value("province_kind", data["kind"])))
    centre = data.get("centre")
    if isinstance(centre, Withheld):
        rows.append(Row(b.t("field.centre"), b.describe.withheld(centre)))
    elif isinstance(centre, Mapping):
        text, note = b.describe.localized(centre)
        rows.append(Row(b.t("field.centre"), Md(f"{text} {note}".strip())))
    yes_no = "value.bool.yes" if data.get("focus") is True else "value.bool.no"
    rows.append(Row(b.t("field.focus"), b.t(yes_no)))
    rows.extend(
        Row(b.t(f"field.{key}"), _shown(b, data[key]))
        for key in ("target", "valid_from", "valid_until")
        if data.get(key) is not None
    )
    successors = strings(data.get("successors"))
    if successors:
        rows.append(
            Row(
                b.t("field.successors"),
                Md(
                    ", ".join(
                        b.describe.withheld(s)
                        if isinstance(s, Withheld)
                        else b.describe.province(s)
                        for s in successors
                    )
                ),
            )
        )
    if isinstance(data.get("notes"), str):
        rows.append(Row(b.t("field.notes"), _shown(b, data["notes"])))
    return tuple(rows)


def _shown(b: Builder, value: Any) -> Md:
    """A single value of the view on one line; a withheld one as the note saying why."""
    return b.describe.withheld(value) if isinstance(value, Withheld) else mdsafe.inline(value)
