"""`ichinv validate`: the whole check in one call, as the command and CI run it.

Loads the schemas once for the run, opens the result cache (unless asked not to), validates
the working tree and, with `new_since`, keeps only the findings that the inventory did not
already have at that revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ichinv.core import dates
from ichinv.core.model import ValidationResult
from ichinv.inventory import snapshots
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.snapshots import WorkingTreeSnapshot
from ichinv.io.git import open_repo
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import cache, engine
from ichinv.validate.engine import Progress
from ichinv.validate.new_since import NewSince, new_since


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run found, and what it was judged with."""

    result: ValidationResult
    """The findings reported (with `new_since`: the new ones only)."""
    since: NewSince | None
    """How the findings were limited to new ones; None without `new_since`."""
    schemas: SchemaSet
    """The schemas of the run (renderers link findings to their documentation)."""


def run(
    settings: Settings,
    paths: Iterable[Path] | None = None,
    *,
    use_cache: bool = True,
    since: str | None = None,
    progress: Progress | None = None,
    day: dt.date | None = None,
    tree: WorkingTreeSnapshot | None = None,
) -> Outcome:
    """Validate the inventory (or report on `paths`), from the cache where it can answer, and
    with `since` (a git revision) keep only the findings it did not have. `tree`: the run's
    snapshot of the working tree, when it has one (ichinv.validate.engine.validate)."""
    day = day or dates.today()
    with (
        cache.ResultStore.open(settings, day)
        if use_cache
        else cache.ResultStore.in_memory(settings, day)
        if since is not None
        else nullcontext() as store,
        RecordCache.open(settings) if use_cache else RecordCache.inert(settings) as notes,
    ):
        schemas = schema_loader.load(
            settings.schema_dir, checked=getattr(store, "checked_schemas", ())
        )
        if since is not None and tree is None:
            # Both states are read: the working tree once, through git's index.
            tree = snapshots.working_tree(settings, repo=open_repo(settings.root), cache=notes)
            notes.size_hint = tree.file_count
        result = engine.validate(
            settings,
            paths,
            schemas=schemas,
            cache=store,
            progress=progress,
            day=day,
            tree=tree,
            notes=notes,
        )
        # What a cold run parsed of the working tree, for the first packet of a province.
        notes.keep_outlines(snapshots.WORKING_TREE)
        if since is None:
            return Outcome(result, None, schemas)
        limited = new_since(
            settings, result, since, schemas=schemas, day=day, cache=store, tree=tree, notes=notes
        )
    return Outcome(limited.result, limited.since, schemas)
