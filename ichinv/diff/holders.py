"""Which elements the problems of a comparison may hold: what in elements/ cannot be read, on
either side, leaves the elements it may hold without a status."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from ichinv.core.model import Finding
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.unreadable import holdings
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
