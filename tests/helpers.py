"""Helpers for tests: build inventories from file trees, read rule cases."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


@dataclass(frozen=True)
class Result:
    """Outcome of one CLI run."""

    exit_code: int
    stdout: str
    stderr: str


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
    """A valid inventory at `root`: the base records of tests/cases/_base and the real schemas."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CASES / "_base", root, dirs_exist_ok=True)
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
