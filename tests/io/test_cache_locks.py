"""A cache database another run holds locked, longer than a run waits for it, is left as it is
by every cache: this run keeps nothing there and answers as without one. It used to be deleted
as if damaged (found from outside: `diff` run while another process wrote the cache deleted the
database under it, with every other cache's entries); only a damaged one is deleted and made
again (ichinv.io.cache_files.damaged)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.diff import change_cache
from ichinv.diff.fields import DiffRules
from ichinv.edit.verdicts import Verdicts
from ichinv.inventory import view
from ichinv.io import cache_files
from ichinv.io import settings as settings_module
from ichinv.io.settings import Settings
from ichinv.validate import cache as results


def _verdicts(config: Settings) -> bool:
    with Verdicts.open(config, "fmt") as verdicts:
        return verdicts.active


def _changes(config: Settings) -> bool:
    with change_cache.ChangeCache.open(config, DiffRules()) as cache:
        return cache._db is not None


def _results(config: Settings) -> bool:
    with results.ResultStore.open(config, dt.date(2026, 11, 25)) as store:
        return store._path is not None


CACHES: dict[str, tuple[tuple[str, ...], Callable[[Settings], bool]]] = {
    "fmt and migrate verdicts": (("verdicts",), _verdicts),
    "field changes": (("changes",), _changes),
    "validate's verdicts": (("results", "inventories", "checked_schemas"), _results),
}


def _content(database: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(database) as connection:
        names = [
            n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return [(n, connection.execute(f"SELECT count(*) FROM '{n}'").fetchone()[0]) for n in names]


@pytest.mark.parametrize("name", sorted(CACHES))
def test_a_cache_another_run_holds_locked_is_left_as_it_is(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    tables, opened = CACHES[name]
    config = settings_module.load(inventory)
    view.load(config)  # the database, with the parsed records in it
    database = cache_files.database_path(inventory)
    with sqlite3.connect(database) as connection:
        for table in tables:  # as an older ichinv left it: opening must create them
            connection.execute(f"DROP TABLE IF EXISTS {table}")
    before = _content(database)
    inode = database.stat().st_ino
    monkeypatch.setattr(cache_files, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert not opened(config)  # nothing kept by this run
    finally:
        holder.close()
    assert database.stat().st_ino == inode
    assert _content(database) == before
    assert not cache_files.any_open()
    assert opened(config)  # once the other run is done, it is used again


@pytest.mark.parametrize("name", sorted(CACHES))
def test_a_damaged_cache_is_made_again(inventory: Path, name: str) -> None:
    __, opened = CACHES[name]
    config = settings_module.load(inventory)
    database = cache_files.database_path(inventory)
    view.load(config)
    database.write_bytes(b"not a database " * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert opened(config)
    assert not cache_files.any_open()
