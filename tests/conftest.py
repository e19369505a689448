"""Fixtures: throwaway inventories and git repositories in tmp_path, and the CLI runner."""

from __future__ import annotations

import atexit
import compileall
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from tests.support.helpers import (
    REPO_ROOT,
    Result,
    build_inventory,
    commit,
    copy_repository,
    init_repo,
)

FIXED_TODAY = "2026-11-25"

# typer's test runner builds the click command of the application anew on every call: every
# command's parameters read from its signature and type hints, about 25 ms, more than most
# commands take on a test inventory. The application does not change within a test run, so
# each process builds it once (the console script builds it once per run as well).
typer.testing._get_command = functools.cache(typer.main.get_command)


def _import_the_cli_in_english() -> None:
    """The help texts of the application and of each command are translated when their module
    is imported, once per process. Imported first by a test that speaks Russian, they stayed
    Russian for every later test of that worker (`ichinv --help` compared with the console
    script's failed now and then); so they are imported here, in English, before any test."""
    import importlib

    from ichinv.cli.commands import COMMANDS
    from ichinv.core import i18n

    i18n.use("en")
    for module in sorted({"app", *(module for module, _summary in COMMANDS.values())}):
        importlib.import_module(f"ichinv.cli.{module}")
    i18n.use(None)


_import_the_cli_in_english()


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's git config or writes to their home or cache."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Editor")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "editor@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Editor")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "editor@example.org")
    monkeypatch.setenv("ICHINV_TODAY", FIXED_TODAY)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in English whatever the developer's locale; a test that wants another
    language sets ICHINV_LANG (or the locale) itself. The language chosen in a test does
    not outlive it."""
    from ichinv.core import i18n

    monkeypatch.setenv("ICHINV_LANG", "en")
    i18n.use(None)
    yield
    i18n.use(None)


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small valid inventory (tests/cases/_base plus the real schemas), as the current folder."""
    root = build_inventory(tmp_path / "inventory")
    monkeypatch.chdir(root)
    return root


BASELINE_SETTINGS = """[tool.ichinv]

[tool.ichinv.baselines]
2013 = { rev = "inventory-2013", label = "National list, Order No. 50 of 1 March 2013" }
"""


@pytest.fixture
def git_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `inventory` in a new git repository (the current folder): its first commit is tagged
    `inventory-2013`, the 2013 baseline of its settings. `git.Repo(root)` gives the repository.
    A copy of one made once in this process (6 ms, where making it takes 28 ms)."""
    if not _GIT_INVENTORY or not _GIT_INVENTORY[0].is_dir():
        made = Path(tempfile.mkdtemp(prefix="ichinv-git-inventory-")) / "inventory"
        atexit.register(shutil.rmtree, made.parent, ignore_errors=True)
        build_inventory(made, settings=BASELINE_SETTINGS)
        commit(init_repo(made), "2013 baseline", tag="inventory-2013", date=BASELINE_DATE)
        _GIT_INVENTORY[:] = [made]
    root = copy_repository(_GIT_INVENTORY[0], tmp_path / "inventory")
    monkeypatch.chdir(root)
    return root


_GIT_INVENTORY: list[Path] = []
BASELINE_DATE = "2013-03-01T12:00:00+05:00"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run `ichinv ARGS…` in-process; returns exit code, stdout and stderr."""
    from ichinv.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        outcome = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return invoke


@pytest.fixture
def repo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of this repository's own inventory (records, schemas, templates, settings)."""
    root = tmp_path / "copy"
    root.mkdir()
    for name in ("elements", "provinces", "schema", "templates"):
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, root / name)
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    monkeypatch.chdir(root)
    yield root
    os.chdir(REPO_ROOT)


MEMORY_FOLDER = Path("/dev/shm")
"""A file system in memory, which Linux offers: where the run's throwaway files go when it has
room for them (`_in_memory`)."""

MEMORY_NEEDED = 2 << 30
"""Free bytes `MEMORY_FOLDER` must have to be used: a run writes about 2 GB, of which about
350 MB stay till its end (most of a passed test's files are removed as it ends:
`tmp_path_retention_policy`); Docker's default /dev/shm of 64 MB is left alone."""


def _in_memory(config: pytest.Config) -> None:
    """The run's throwaway inventories, repositories and caches in memory, not on disk: each
    test writes files, commits and fills caches, with fsync as the commands do, and on a
    machine whose disk was busy the same run took 4 min 37 s on disk and 2 min 56 s in
    memory. Only in the run's first process (the xdist workers take their folders in it),
    only when `--basetemp` was not given, and removed when the run has passed (a failed run's
    folder is kept for its failed tests, as pytest's own would be)."""
    if hasattr(config, "workerinput") or config.option.basetemp:
        return
    try:
        free = os.statvfs(MEMORY_FOLDER)
        if free.f_bavail * free.f_frsize < MEMORY_NEEDED or not os.access(MEMORY_FOLDER, os.W_OK):
            return
        _prune_memory()
        folder = tempfile.mkdtemp(prefix="ichinv-tests-", dir=MEMORY_FOLDER)
    except OSError:  # no such folder (not Linux), or no room after all: pytest's own, on disk
        return
    config.option.basetemp = folder
    config.stash[_MEMORY_KEY] = Path(folder)


_MEMORY_KEY = pytest.StashKey[Path]()

MEMORY_KEPT = 2
"""Folders of earlier runs that failed or were stopped, kept in memory for their failed tests
(the newest; pytest keeps three of its own on disk): older ones are removed as a run starts,
so that runs failing one after another do not fill the machine's memory; but none made in
the last MEMORY_GRACE seconds, which may be a run still going on beside this one."""

MEMORY_GRACE = 600


def _prune_memory() -> None:
    mine = [
        (folder.stat().st_mtime, folder)
        for folder in MEMORY_FOLDER.glob("ichinv-tests-*")
        if folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
    ]
    mine.sort(reverse=True)
    for made, folder in mine[MEMORY_KEPT:]:
        if time.time() - made > MEMORY_GRACE:
            shutil.rmtree(folder, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(_MEMORY_KEY, None)
    if folder is not None and exitstatus == 0:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)  # before pytest's tmp_path plugin reads --basetemp
def pytest_configure(config: pytest.Config) -> None:
    """Bytecode caches, also where PYTHONDONTWRITEBYTECODE is set (as on many CI machines):
    without them each xdist worker compiled every module it imported, and pytest rewrote every
    test module's assertions, afresh in every run (~5 s a worker), and every `python -m ichinv`
    a test runs compiled ichinv's modules (~0.3 s a process). ichinv is compiled once, before
    the workers start, as `pip install` does for an installed package; __pycache__ is ignored
    by git."""
    _in_memory(config)
    sys.dont_write_bytecode = False
    if not hasattr(config, "workerinput"):  # the run's first process, not an xdist worker
        compileall.compile_dir(REPO_ROOT / "ichinv", quiet=2, workers=0)


ON_REQUEST = {
    "slow": "long run: `python -m pytest -m slow` (.ci/run does)",
    "browser": "browser test: `python -m pytest -m browser` (.ci/run does; it starts Chromium)",
}
"""Markers of tests the plain `python -m pytest` leaves out, to stay within about 2.5 minutes
on 2 cores: each runs when `-m` names its marker."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    asked = config.getoption("markexpr", "") or ""
    for marker, reason in ON_REQUEST.items():
        if marker in asked:
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(skip)
