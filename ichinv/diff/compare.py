"""Comparing the inventory at a baseline (a named one from the settings, or any git revision)
with the working tree or another revision: the use case of `ichinv diff` and `diff-2013`.

Only files whose blob differs are read and parsed; the element diff engine
(ichinv.diff.engine) compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import replace

from ichinv.core import i18n, trace
from ichinv.core.errors import UsageError, typed, unknown_id
from ichinv.core.i18n import N_, _
from ichinv.core.model import (
    DiffResult,
    ElementDiff,
    ElementStatus,
    Finding,
    Record,
    RecordKind,
)
from ichinv.core.vocabulary import is_element_id
from ichinv.diff.change_cache import ChangeCache
from ichinv.diff.engine import BATCH, DiffFilter, Pairing, Side, diff_sides, file_id, pair_by_blob
from ichinv.diff.fields import DiffRules, rules_from
from ichinv.diff.holders import Holding, about, holding
from ichinv.diff.public import public_elements, todays_compared
from ichinv.inventory import audience as redact
from ichinv.inventory import overlay
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.audience import Audience
from ichinv.inventory.fields import name_of
from ichinv.inventory.list_items import PROVINCE_FIELDS
from ichinv.inventory.malformed_ids import malformed_id
from ichinv.inventory.policy import policy_for
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_entries import Outline, facts_of
from ichinv.inventory.unreadable import naming, whole_folder
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


def inventory_rules(settings: Settings, provinces: Iterable[Record]) -> DiffRules:
    """Rules from the inventory's element schema and its province records."""
    schema = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    )
    province_pattern = schema.document.get("$defs", {}).get("province_id", {}).get("pattern")
    fields = tuple(
        pattern
        for pattern, sub in schema.walk()
        if province_pattern and sub.get("pattern") == province_pattern
    )
    return rules_from(
        schema.list_keys,
        provinces,
        province_fields=fields or PROVINCE_FIELDS,
    )


def compare(
    settings: Settings,
    baseline: str | None,
    against: str | None = None,
    *,
    filters: DiffFilter | None = None,
    audience: Audience = Audience.PUBLIC,
    words: bool = True,
    summary: bool = False,
    tree: snapshot.WorkingTreeSnapshot | None = None,
    base: snapshot.CommitSnapshot | None = None,
    among: Collection[str] | None = None,
    repo: gitrepo.GitRepo | None = None,
) -> DiffResult:
    """Compare the inventory at a baseline with the working tree (or with revision `against`).

    `baseline` is a baseline named in settings (`2013`, `2024`) or any git revision; None means
    the settings' default baseline. Only files whose blob differs are read and parsed. For the
    public (the default), changes inside anything either side, or the record as it is today,
    withholds say where and what kind, never what (ichinv.inventory.redaction).
    Raises ConfigError, RevisionNotFound or GitError when the comparison cannot be made.
    `words=False` leaves out the word-level diffs of long texts (statuses and fields only);
    `summary=True` gives each element's status and `now` only: without its changes (they are
    looked at only as far as the first that makes an element revised), and for the public
    without its name, provinces or domains (so nothing needs redacting).
    `tree`: the run's snapshot of the working tree, when it has read one already; `base`:
    the run's snapshot of the baseline's commit, when it has one (both stay open).
    `among`: the ids of the only elements wanted (a packet of one province): the answer holds
    those of them either side has, as the whole comparison would, and the files the record
    cache's outlines show to hold other elements are neither read nor compared. `repo`: the
    git repository holding the inventory, when the caller opened it already.
    """
    named = settings.baseline(baseline)
    trace.count("compare", f"{named.rev}..{against or 'working-tree'}")
    repo = repo or gitrepo.open_repo(settings.root)
    filters = filters or DiffFilter()
    with RecordCache.open(settings) as cache, ExitStack() as opened:
        old = (
            base
            if base is not None and base.commit == repo.resolve(named.rev, what=N_("baseline"))
            else opened.enter_context(
                snapshot.at_commit(settings, named.rev, repo=repo, what=N_("baseline"), cache=cache)
            )
        )
        current = (
            snapshot.at_commit(
                settings, settings.revision(against), repo=repo, what="--against", cache=cache
            )
            if against is not None
            else tree
            if tree is not None
            else snapshot.working_tree(settings, repo=repo, cache=cache)
        )
        with current:
            # A snapshot read earlier in the run (the inventory's) outlived its cache: records
            # it has not parsed yet come from this one.
            opened.enter_context(current.caching(cache))
            cache.size_hint = current.file_count
            pairing = pair_by_blob(old.blobs(), current.blobs())
            if among is not None:
                pairing = _among(
                    pairing, frozenset(among), old, current, read_all=filters.needs_data
                )
            want_current = list(pairing.current_only)
            if filters.needs_data:
                want_current += [c for __, c in pairing.unchanged]
            else:
                # Unchanged files are named by their file name (validate checks that it is the
                # id); one whose name is not an id is read for its id.
                want_current += [
                    c for __, c in pairing.unchanged if not (current.hints.get(c) or _named(c))
                ]
            # Records are read as they are compared, a batch at a time (ichinv.diff.engine):
            # with the record cache, memory holds one batch of them, not every changed one.
            old_parsed = old.lazy(pairing.base_only)
            new_parsed = current.lazy(want_current)
            # The same bytes are parsed once, on either side.
            old.adopt(
                current.by_blob(current.paths(RecordKind.PROVINCE)), old.paths(RecordKind.PROVINCE)
            )
            old_provinces = old.records(old.paths(RecordKind.PROVINCE))
            current.adopt(
                old.by_blob(old.paths(RecordKind.PROVINCE)), current.paths(RecordKind.PROVINCE)
            )
            new_provinces = current.records(current.paths(RecordKind.PROVINCE))
            # Baseline provinces first, so that the current records win (successors are
            # added to a province when it ceases to exist, after the baseline).
            provinces = [
                r
                for r in [*old_provinces.values(), *new_provinces.values()]
                if isinstance(r, Record)
            ]
            rules = replace(inventory_rules(settings, provinces), words=words)
            memo = opened.enter_context(ChangeCache.open(settings, rules))
            memo.size_hint = current.file_count
            known_provinces = {r.id for r in provinces if r.id is not None}
            compared = diff_sides(
                Side(old.blobs(), old_parsed, old.hints, old_parsed.prefetch, old_parsed.release),
                Side(
                    current.blobs(),
                    new_parsed,
                    current.hints,
                    new_parsed.prefetch,
                    new_parsed.release,
                ),
                rules,
                pairing,
                memo,
                status_only=summary,
            )
            # What in the records folders is no record (a folder named X.yaml or holding
            # records, a link, a hidden file), on either side, may hold an element: a record
            # there would otherwise read as removed, or as added. Its status is not known, as
            # of an unreadable file; the same at a revision (`--against`) as in the working
            # tree, and in the baseline.
            then, now = _holding(settings, old), _holding(settings, current)
            held = _held(compared.elements, then, now)
            # Of the baseline's, only what keeps an element's status unknown: the baseline is
            # history, and a stray file in it (notes.txt) would fail every run, unfixable.
            keeping = {f for problems in held.values() for f in problems}
            unread = (*(p for p in old.problems if p in keeping), *current.problems)
            elements = tuple(e for e in compared.elements if e.id not in held)
            elements = _with_status_now(elements, old, current, pairing)
            unknown = {
                e: tuple(dict.fromkeys((*held.get(e, ()), *compared.unknown.get(e, ()))))
                for e in {**held, **compared.unknown}
            }
            _check_filters(
                filters, elements, unknown, known_provinces, against or _("the working tree")
            )
            # An answer about some elements names what may hold them, not what holds others.
            wanted = (
                about(
                    settings,
                    filters.elements,
                    ((old, then[0]), (current, now[0])),
                    unknown,
                    compared.elements,
                    whole=(then[1], now[1]),
                )
                if filters.elements
                else lambda problem: True
            )
            problems = _naming_elements(
                (
                    *(r for r in new_provinces.values() if isinstance(r, Finding)),
                    *(p for p in (*unread, *compared.problems) if wanted(p)),
                ),
                {e: f for e, f in unknown.items() if filters.wants(e)},
                whole=(then[1], now[1]),
            )
            against_label = current.label
            if summary:
                elements = tuple(
                    replace(e, changes=(), name="", provinces=(), domains=())
                    if audience is Audience.PUBLIC
                    else replace(e, changes=())
                    for e in elements
                )
            elif audience is Audience.PUBLIC:
                today = (
                    todays_compared(settings, elements, current, tree, cache)
                    if against is not None
                    else None
                )
                policy, elsewhere = policy_for(settings.schema_dir), overlay.for_public(settings)
                elements = _in_batches(
                    elements,
                    old_parsed,
                    new_parsed,
                    lambda batch: public_elements(
                        batch, old_parsed, new_parsed, today, policy, rules, elsewhere
                    ),
                )
    odd = (
        [e for e in elements if not is_element_id(e.id) and filters.wants(e.id)]
        if audience is Audience.PUBLIC
        else []
    )
    if odd:
        # An id in no id's form may be anything (an e-mail address): left out, named by file.
        elements = tuple(e for e in elements if is_element_id(e.id))
        problems = tuple(
            sorted(
                {
                    *problems,
                    *(malformed_id(e.path) for e in odd),
                    *(p for e in odd for p in e.problems),
                },
                key=Finding.sort_key,
            )
        )
    lang = i18n.current()  # province names in the language of the reports, as anyone may
    policy = policy_for(settings.schema_dir)
    views = {r.id: redact.public_view(r, policy=policy) for r in provinces if r.id is not None}
    names = {pid: name for pid, view in views.items() if (name := name_of(view, lang))}
    kept = tuple(e for e in elements if filters.keeps(e, rules))
    if len(kept) < len(elements):
        # A record the filter leaves out may be left out only for what could not be read of
        # it (the provinces of an added element whose YAML is broken): its problems are the
        # answer's, named on stderr as `list` names them, never dropped with it.
        shown = {id(e) for e in kept}
        problems = tuple(
            sorted(
                {
                    *problems,
                    *(p for e in elements if id(e) not in shown for p in e.problems if wanted(p)),
                },
                key=Finding.sort_key,
            )
        )
    return DiffResult(
        baseline_rev=named.rev,
        baseline_commit=old.label,
        against=against_label,
        elements=kept,
        baseline_name=named.name if named.name in settings.baselines else None,
        problems=problems,
        baseline_label=named.label,
        against_rev=against,
        province_names=names,
        filtered=bool(filters.elements or filters.provinces or filters.domains or filters.statuses),
    )


def _among(
    pairing: Pairing,
    ids: frozenset[str],
    old: snapshot.Snapshot,
    current: snapshot.Snapshot,
    *,
    read_all: bool,
) -> Pairing:
    """`pairing` without the files that hold none of the elements `ids`, as far as known
    without reading. A file whose bytes did not change goes by the name the engine gives it
    unread (its `id:` line, else its file name: see `compare`); one it reads is kept. Any other
    goes by the id of its record's outline, when the other side's file at the same path is
    readable too or absent (an unreadable file is matched by path). Files no outline is known
    of are kept: they are read and matched by id, as always."""

    def unread_name(base_path: str, path: str) -> str | None:
        if read_all:
            return None  # read for its id
        hint = current.hints.get(path)
        if hint:
            return hint
        name = file_id(path)
        return (old.hints.get(base_path) or name) if is_element_id(name) else None

    unchanged = tuple(
        (b, c) for b, c in pairing.unchanged if (name := unread_name(b, c)) is None or name in ids
    )
    olds = old.outlines(pairing.base_only)
    news = current.outlines(pairing.current_only)

    def elsewhere(
        path: str,
        mine: Mapping[str, Outline],
        other: snapshot.Snapshot,
        theirs: Mapping[str, Outline],
    ) -> bool:
        eid = mine[path][0] if path in mine else None
        if eid is None or eid in ids:
            return False
        return other.kind_of(path) is None or path in theirs

    return Pairing(
        unchanged,
        tuple(p for p in pairing.base_only if not elsewhere(p, olds, current, news)),
        tuple(p for p in pairing.current_only if not elsewhere(p, news, old, olds)),
    )


def _holding(
    settings: Settings, side: snapshot.Snapshot
) -> tuple[dict[Finding, frozenset[str]], Finding | None]:
    """What of `side`'s elements/ is no record and may hold an element: the problem of each
    such thing → the ids of the elements it may hold, and the problem of elements/ itself
    when none of its records was read (which may hold any)."""
    return holding(settings, side), whole_folder(side.problems)


def _held(
    elements: Sequence[ElementDiff],
    then: tuple[Holding, Finding | None],
    now: tuple[Holding, Finding | None],
) -> dict[str, tuple[Finding, ...]]:
    """Element id → the problems of what may hold it, in the baseline (`then`) or the
    compared state (`now`), where that side has no record of it: `added`, `revised` or
    `removed` may each be untrue. A record of the id on that side (read, or named so unread)
    is the element's, whatever a name in elements/ guesses."""
    found: dict[str, list[Finding]] = {}
    for (guessed, whole), absent in ((then, ElementStatus.ADDED), (now, ElementStatus.REMOVED)):
        recorded = {e.id for e in elements if e.status is not absent}
        for problem, ids in guessed.items():
            for element_id in sorted(ids):
                if element_id not in recorded:
                    found.setdefault(element_id, []).append(problem)
        if whole is not None:
            for e in elements:
                if e.id not in recorded:
                    found.setdefault(e.id, []).append(whole)
    return {e: tuple(dict.fromkeys(problems)) for e, problems in found.items()}


def _naming_elements(
    problems: Iterable[Finding],
    unknown: Mapping[str, Sequence[Finding]],
    whole: Collection[Finding | None] = (),
) -> tuple[Finding, ...]:
    """`problems`, each once and sorted, where a problem that keeps an element out of the
    answer (`unknown`: id → its problems) names the element when its path does not (a file
    whose name is no id, a folder holding records): so that the element is named. A problem
    of elements/ itself (`whole`), no record of which was read, may hold any element: it is
    said once, as it is."""
    named: dict[Finding, list[Finding]] = {}
    for element_id, found in unknown.items():
        for problem in found:
            if problem in whole:
                continue
            said = naming(element_id, problem)
            if said is not problem:
                named.setdefault(problem, []).append(said)
    return tuple(
        sorted(
            {
                *(p for p in problems if p not in named),
                *(n for p in problems for n in named.get(p, ())),
            },
            key=Finding.sort_key,
        )
    )


def _check_filters(
    filters: DiffFilter,
    elements: Sequence[ElementDiff],
    unknown: Collection[str],
    provinces: set[str],
    against: str,
) -> None:
    """A usage error for an element or province filter that names nothing on either side:
    an answer of "no differences" would be a wrong one. An element whose status is not known
    (`unknown`: its record cannot be read) is there: the answer names its problem."""
    ids = {e.id for e in elements}
    for element_id in filters.elements:
        if element_id in ids or element_id in unknown:
            continue
        if not is_element_id(element_id):
            raise UsageError(
                _("--element {id} is not an element id").format(id=typed(element_id)),
                hint=_("element ids look like KZ-2013-0001 (`ichinv list` shows them)"),
            )
        guess = unknown_id("element", element_id, ids, "elements").hint
        raise UsageError(
            _("no element {id} is in the baseline nor in {against}").format(
                id=element_id, against=against
            ),
            hint=guess,
        )
    for province_id in filters.provinces:
        if province_id not in provinces:
            raise unknown_id(
                "province",
                province_id,
                provinces,
                "provinces",
                otherwise=_("province ids are ISO 3166-2 codes such as KZ-23; see provinces/"),
            )


def _named(path: str) -> bool:
    """Whether the file name is an element id."""
    return is_element_id(file_id(path))


def _in_batches(
    elements: Sequence[ElementDiff],
    old_parsed: snapshot.Parsed,
    new_parsed: snapshot.Parsed,
    apply: Callable[[Sequence[ElementDiff]], Sequence[ElementDiff]],
) -> tuple[ElementDiff, ...]:
    """`apply` to the elements a batch at a time, with the records of each batch read ahead
    and let go afterwards."""
    result: list[ElementDiff] = []
    for start in range(0, len(elements), BATCH):
        batch = elements[start : start + BATCH]
        olds = [e.old_path or e.path for e in batch]
        news = [e.path for e in batch]
        old_parsed.prefetch(olds)
        new_parsed.prefetch(news)
        result.extend(apply(batch))
        old_parsed.release(olds)
        new_parsed.release(news)
    return tuple(result)


def _with_status_now(
    elements: Sequence[ElementDiff],
    old: snapshot.Snapshot,
    current: snapshot.Snapshot,
    pairing: Pairing,
) -> tuple[ElementDiff, ...]:
    """`now` for the elements whose files did not change (so were not parsed): read from the
    `status:` line of the bytes, which are the same on both sides (or from the record cache,
    which noted that line under the same blob id)."""
    unread = [e.path for e in elements if not e.now]
    if not unread:
        return tuple(elements)
    base_of = {now: base for base, now in pairing.unchanged}
    held = getattr(current, "held", lambda path: None)  # bytes the working tree has read
    now: dict[str, str] = {}
    for start in range(0, len(unread), FACTS_BATCH):  # what is looked up is held a batch at a time
        where = {p: base_of.get(p, p) for p in unread[start : start + FACTS_BATCH]}
        facts = {where[p]: facts_of(raw) for p in where if (raw := held(p)) is not None}
        facts.update(old.facts(b for b in where.values() if b not in facts))
        for path, base in where.items():
            now[path] = facts.get(base, (None, None))[1] or "unknown"
    return tuple(_now(e, now[e.path]) if e.path in now else e for e in elements)


FACTS_BATCH = 4000
"""Unchanged files whose `status:` line is looked up together."""


def _now(e: ElementDiff, now: str) -> ElementDiff:
    """`replace(e, now=now)`, made directly (dataclasses.replace costs 6 µs an element)."""
    return ElementDiff(
        e.id, e.status, e.path, e.changes, e.old_path, e.problems, e.name, e.provinces,
        e.domains, now,
    )  # fmt: skip
