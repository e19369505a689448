"""Helpers for tests: build inventories from file trees, read rule cases."""

from __future__ import annotations

import ast
import functools
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


@functools.cache
def package_trees() -> dict[str, ast.Module]:
    """Every module of the ichinv package, parsed once per test process (its path from the
    repository's root, `ichinv/core/model.py` → its syntax tree), in the order of the paths:
    the tests that read the code itself (layers, messages, writes) share them. Read only."""
    package = REPO_ROOT / "ichinv"
    return {
        path.relative_to(REPO_ROOT).as_posix(): ast.parse(path.read_text("utf-8"), str(path))
        for path in sorted(package.rglob("*.py"))
    }


BASE_INVENTORY = Path(__file__).resolve().parent / "base_inventory"
"""A small valid inventory (records only) every test inventory starts from."""
RULE_CASES = REPO_ROOT / "tests" / "validate" / "rule_cases"
"""One file per rule case: a record and the exact findings it must give."""


@dataclass(frozen=True)
class Result:
    """Outcome of one CLI run."""

    exit_code: int
    stdout: str
    stderr: str


def keep_some_elements(root: Path, every: int = 10, also: tuple[str, ...] = ()) -> Path:
    """Leave every `every`-th element record of the inventory at `root` (by name, the first
    one included), those named in `also`, and every element the ones left name (so that no
    reference dangles): for tests whose answer does not change with the number of records, a
    tenth of the repository's costs a tenth of the time."""
    paths = sorted((root / "elements").glob("*.yaml"))
    kept = {p.name for number, p in enumerate(paths) if number % every == 0 or p.name in also}
    todo = list(kept)
    while todo:
        text = (root / "elements" / todo.pop()).read_text("utf-8")
        for named in re.findall(r"KZ-\d{4}-\d{4}", text):
            if f"{named}.yaml" not in kept and (root / "elements" / f"{named}.yaml").exists():
                kept.add(f"{named}.yaml")
                todo.append(f"{named}.yaml")
    for path in paths:
        if path.name not in kept:
            path.unlink()
    return root


def build_file_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Write `files` (relative path → content) under `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def build_inventory(root: Path, settings: str = "[tool.ichinv]\n") -> Path:
    """A valid inventory at `root`: the base records of tests/support/base_inventory and the
    real schemas."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BASE_INVENTORY, root, dirs_exist_ok=True)
    shutil.copytree(REPO_ROOT / "schema", root / "schema", dirs_exist_ok=True)
    (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Case:
    """A rule case: files placed over the base inventory, and the exact findings expected."""

    name: str
    note: str
    files: dict[str, bytes]
    expected: list[str]


def read_case(path: Path) -> Case:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n--- ")
    lines = head.decode("utf-8").splitlines()
    note = lines[0].removeprefix("# ")
    expected = [
        line.removeprefix("# expect: ")
        for line in lines[1:]
        if line.startswith("# expect: ") and line != "# expect: nothing"
    ]
    files: dict[str, bytes] = {}
    chunks = (b"--- " + body).split(b"\n--- ") if body else []
    for number, chunk in enumerate(chunks, start=1):
        name, _, content = chunk.removeprefix(b"--- ").partition(b"\n")
        # Splitting took the newline that ended every file but the last; give it back.
        files[name.decode("utf-8")] = content + (b"\n" if number < len(chunks) else b"")
    return Case(path.stem, note, files, expected)


# --- git (throwaway repositories in tmp_path) -------------------------------------------------


def copy_repository(made: Path, root: Path) -> Path:
    """A copy at `root` of the git repository in the working tree `made`, as if made there
    now: its files written now (not with the times of `made`'s) and git's index refreshed,
    so that git vouches for the files as it did in `made` (ichinv trusts its index)."""
    import git

    shutil.copytree(made, root, symlinks=True, copy_function=shutil.copy)
    git.Repo(root).git.update_index("-q", "--refresh", with_exceptions=False)
    return root


def init_repo(root: Path) -> Any:
    """A new git repository at `root` (branch `main`), isolated by conftest's `_isolate`."""
    import git

    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test Editor")
        config.set_value("user", "email", "editor@example.org")
        config.set_value("commit", "gpgsign", "false")
    return repo


def commit(
    repo: Any,
    message: str,
    tag: str | None = None,
    *,
    date: str | None = None,
    author: str | None = None,
) -> str:
    """Stage everything in the working tree, commit, optionally tag; the new commit's id."""
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    if author:
        env["GIT_AUTHOR_NAME"] = author
    repo.git.add("--all")
    repo.git.commit("--allow-empty", "--no-verify", "-q", "-m", message, env=env)
    if tag:
        repo.create_tag(tag)
    return str(repo.head.commit.hexsha)


def element_data(element_id: str, **fields: Any) -> dict[str, Any]:
    """A valid element record as data (like those of tests/support/base_inventory), with top-level `fields`
    replaced (a field given as None is left out)."""
    data: dict[str, Any] = {
        "id": element_id,
        "names": {"kk": "Айтыс", "ru": "Айтыс", "en": f"Element {element_id}"},
        "domains": ["oral-traditions", "performing-arts"],
        "national_category": "I",
        "provinces": ["KZ-43"],
        "status": "active",
        "description": {"en": "Improvised poetic contest between two akyns, on the dombra."},
        "viability": {"status": "viable", "assessed": "2025-05-14"},
        "consent": {"status": "given", "date": "2025-04-01", "form": "written",
                    "evidence": "Committee archive, consent file 2025/002"},
        "access": {"level": "public"},
        "provenance": {"entered": "2013-03-01",
                       "sources": [{"list": "order-50-2013", "order": "Order No. 50 of 1 March 2013"}]},
    }  # fmt: skip
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def element_yaml(element_id: str, **fields: Any) -> str:
    """`element_data` as the text of a record file."""
    import yaml

    return yaml.safe_dump(element_data(element_id, **fields), sort_keys=False, allow_unicode=True)


def parse_calls(monkeypatch: Any) -> list[str]:
    """The paths ichinv parses from now on (records.parse counted, still parsing)."""
    from ichinv.inventory import record_files as records

    parsed: list[str] = []
    real = records.parse

    def counted(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "parse", counted)
    return parsed


def open_databases() -> set[tuple[str, str]]:
    """(descriptor, path) of each SQLite database file this process holds open (the test is
    skipped where /proc cannot list them)."""
    import contextlib
    import os

    import pytest

    proc = Path("/proc/self/fd")
    if not proc.is_dir():
        pytest.skip("no /proc here to list open files")
    found = set()
    for fd in proc.iterdir():
        with contextlib.suppress(OSError):  # the descriptor of the listing itself
            found.add((fd.name, os.readlink(fd)))
    return {(fd, name) for fd, name in found if ".sqlite" in name}


LONG_PROPERTIES = int(os.environ.get("ICHINV_FUZZ_EXAMPLES", "20")) > 20
"""Whether this is a long run of the property tests (`.ci/run`'s fuzzing line sets
ICHINV_FUZZ_EXAMPLES): the costliest laws then try their full number of examples."""


def examples(quick: int, long: int) -> int:
    """The examples a costly property test tries: `quick` in the README's test command,
    `long` in a long run (LONG_PROPERTIES)."""
    return long if LONG_PROPERTIES else quick


def judged_in_linear_time(hostile: Iterable[str], limit: float = 1.0) -> None:
    """Each text is judged a contact or not, and hidden, within `limit` seconds of this
    process's own time (a busy machine's other work is not counted: the wall clock failed the
    test now and then while the suite shared two cores): a pattern that backtracks over what
    it passed takes minutes over tens of kilobytes."""
    import time

    from ichinv.core import contacts

    for text in hostile:
        started = time.process_time()
        contacts.sure_contact(text)
        contacts.may_be_contact(text)
        contacts.without_contacts(text)
        took = time.process_time() - started
        assert took < limit, (text[:20], took)
