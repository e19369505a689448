"""What a change packet (`--since REV`) compares: the working tree with the merge base of REV
and HEAD, the elements that differs in, and their versions at the base.

A packet that only shows changes makes this comparison as soon as the working tree is listed,
before its records are read (`BaseFirst.focus`, given to ichinv.inventory.view.load): the
inventory then reads only the records the packet shows (ichinv.inventory.focus.Focus), not
every one. With other packets in the same run, the inventory is read whole and the change
packet compares it itself (ichinv.packets.changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ichinv.core.errors import GitError, RevisionNotFound
from ichinv.core.i18n import _
from ichinv.core.model import DiffResult, ElementDiff, ElementStatus, Record, RecordKind
from ichinv.inventory import revisions
from ichinv.inventory import snapshots as snapshot
from ichinv.inventory.audience import Audience
from ichinv.inventory.focus import Focus, mentioned_elements
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings


@dataclass(frozen=True, slots=True)
class SinceBase:
    """The working tree compared with the base of a pull request."""

    base: str
    """The merge base of REV and HEAD (a commit id)."""
    result: DiffResult
    """The comparison, word-level diffs included."""
    touched: tuple[ElementDiff, ...]
    """The elements that differ, in the comparison's order."""
    old: Mapping[str, Record]
    """The records of the touched elements at the base, by path there (those that could be
    read; an element added since has none)."""
    repo: gitrepo.GitRepo = field(compare=False, repr=False)
    """The git repository compared in."""


def compare_since(
    settings: Settings,
    since: str,
    audience: Audience,
    repo: gitrepo.GitRepo,
    tree: snapshot.WorkingTreeSnapshot | None,
) -> SinceBase:
    """The working tree (`tree`, when listed already) compared with the merge base of `since`
    and HEAD for `audience`; GitError or RevisionNotFound when there is no such base."""
    from ichinv.diff import compare as comparison

    if repo.head() is None:
        raise GitError(
            _("the repository has no commits yet, so there is nothing to compare with"),
            hint=_("commit the inventory first"),
        )
    base = repo.merge_base(revisions.resolve(settings, repo, since, what="--since"), "HEAD")
    if base is None:
        raise RevisionNotFound(
            _("{since!r} and HEAD share no history, so there is no base to compare with").format(
                since=since
            ),
            hint=_("pass the branch the pull request goes into, e.g. --since origin/main"),
        )
    with (
        RecordCache.open(settings) as cache,
        snapshot.at_commit(settings, base, repo=repo, cache=cache) as old_side,
    ):
        # One snapshot of the base for the comparison and for the versions shown.
        result = comparison.compare(
            settings, base, audience=audience, tree=tree, base=old_side, repo=repo
        )
        touched = tuple(e for e in result.elements if e.differs)
        wanted = [e.old_path or e.path for e in touched if e.status is not ElementStatus.ADDED]
        old = {
            path: rec for path, rec in old_side.records(wanted).items() if isinstance(rec, Record)
        }
    return SinceBase(base, result, touched, old, repo)


class BaseFirst:
    """The comparison of a packet that only shows changes, made once the working tree is
    listed (`focus`, which ichinv.inventory.view.load calls): what it gives is the focus of the
    inventory the packet is made from."""

    def __init__(self, settings: Settings, since: str, audience: Audience) -> None:
        self.settings = settings
        self.since = since
        self.audience = audience
        self.made: SinceBase | None = None

    def focus(self, tree: snapshot.WorkingTreeSnapshot) -> Focus:
        """The elements the change packet shows: those the change touches that the working
        tree holds, with those they refer to (Focus.elements); those the base's versions
        refer to, and those the change removed, only where the tree holds them (Focus.also)."""
        with RecordCache.open(self.settings) as cache, tree.caching(cache):
            # What the inventory reads whatever the focus is read first: the provinces, and
            # the element files the record cache has no outline of (a cold cache: all). The
            # comparison then takes the versions it shares with the working tree from here,
            # not from git: each file read and parsed once.
            elements = tree.paths(RecordKind.ELEMENT)
            outlined = tree.outlines(elements)
            tree.records(
                [*tree.paths(RecordKind.PROVINCE), *(p for p in elements if p not in outlined)]
            )
        repo = gitrepo.open_repo(self.settings.root)
        self.made = made = compare_since(self.settings, self.since, self.audience, repo, tree)
        now = {e.id for e in made.touched if e.status is not ElementStatus.REMOVED}
        also = {e.id for e in made.touched} - now
        for record in made.old.values():
            also |= mentioned_elements(record.data)
        return Focus(elements=tuple(sorted(now)), also=tuple(sorted(also - now)))
