"""The working tree compared with a baseline as packets compare it (ichinv.diff.compare is
imported when a comparison is made: on the other core, when it is made ahead)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from ichinv.core.model import DiffResult
from ichinv.inventory import snapshots
from ichinv.inventory.audience import Audience
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings


def compare_with_baseline(
    settings: Settings,
    name: str,
    audience: Audience,
    tree: snapshots.WorkingTreeSnapshot | None,
    among: Collection[str] | None,
    repo: Callable[[], gitrepo.GitRepo],
    *,
    changes: bool = False,
) -> DiffResult:
    """The working tree (`tree`, when read already) compared with baseline `name` for
    `audience`, as a packet compares it: each element's status since (with `changes`, its
    changed fields too, without word-level diffs); with `among`, only those elements. `repo`
    opens the git repository, once the settings are known to name the baseline (so that a
    packet says the same of a baseline it cannot compare with, however it got there)."""
    from ichinv.diff import compare as comparison  # on the other core, when ahead

    named = settings.named_baseline(name)
    return comparison.compare(
        settings,
        named.name,
        audience=audience,
        words=False,
        summary=not changes,
        tree=tree,
        among=among,
        repo=repo(),
    )
