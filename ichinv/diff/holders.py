"""Which elements the problems of a comparison may hold: what in elements/ cannot be read, on
either side, leaves the elements it may hold without a status; and an answer about some
elements only (`diff --element`) names, and fails on, a problem that may hold one of them or
whose element cannot be told, never one that provably holds others only (a broken record of
another element in the baseline, a file whose `id:` line names another)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from ichinv.core.model import ElementDiff, Finding
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.unreadable import about_elements, holdings
from ichinv.io.settings import Settings

Holding = Mapping[Finding, Collection[str]]
"""Problem → the ids of the elements it may hold."""


def holding(
    settings: Settings, side: snapshot.Snapshot, problems: Iterable[Finding] | None = None
) -> dict[Finding, frozenset[str]]:
    """ichinv.inventory.unreadable.holdings on `side`, the working tree or a commit: of
    `problems`, by default what its elements/ holds that is no record."""
    found = side.problems if problems is None else tuple(problems)
    if isinstance(side, snapshot.CommitSnapshot):
        return side.holdings(found)
    return holdings(settings, found)


def about(
    settings: Settings,
    ids: Collection[str],
    sides: Sequence[tuple[snapshot.Snapshot, Holding]],
    unknown: Mapping[str, Iterable[Finding]],
    elements: Iterable[ElementDiff],
    whole: Collection[Finding | None],
) -> Callable[[Finding], bool]:
    """Whether a problem of the comparison may hold an element of `ids`: the elements its
    file's or folder's names and `id:` lines say it may hold on either side (`sides`: each
    snapshot with the holding of what is no record there, found already), and those the
    comparison gave it to (`unknown`: id → the problems that leave it without a status;
    `elements`, each with its problems). A problem none of these ties to an element (a file
    whose id cannot be read, a problem not about elements/) may hold any, as elements/ itself
    (`whole`) may."""
    found: dict[Finding, set[str]] = defaultdict(set)
    for element_id, problems in unknown.items():
        for problem in problems:
            found[problem].add(element_id)
    for element in elements:
        for problem in element.problems:
            found[problem].add(element.id)
    for __, held in sides:
        for problem, held_ids in held.items():
            found[problem].update(held_ids)
    rest = [p for p in found if about_elements(p) and not any(p in h for __, h in sides)]
    for side in (s for s, __ in sides):
        for problem, held_ids in holding(settings, side, rest).items():
            found[problem].update(held_ids)
        # a record file's `id:` line, which its name does not make unread here
        lines = side.facts(p.path for p in rest if side.kind_of(p.path) is not None)
        for problem in rest:
            named = lines.get(problem.path, (None, None))[0]
            if named is not None:
                found[problem].add(named)
    wanted = frozenset(ids)

    def may_hold(problem: Finding) -> bool:
        held = {i for i in found.get(problem, ()) if is_element_id(i)}
        return problem in whole or not held or bool(held & wanted)

    return may_hold
