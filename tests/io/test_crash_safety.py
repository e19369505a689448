"""Nothing is lost on a crash: every write goes through ichinv/io/atomic.py (temp file in the same
folder, fsync, rename), and an `ichinv fmt` killed with SIGKILL at any moment leaves every
record either its old or its new self, and a rerun completes the job.

The kill test runs 1 round by default (a few seconds); `.ci/run` runs 10, and `ICHINV_KILL_ROUNDS=20
python -m pytest tests/io/test_crash_safety.py` the 20 rounds in a row that the acceptance asks for.
(Two `ichinv new` started at the same moment: tests/test_idalloc.py.)
"""

from __future__ import annotations

import ast
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, build_inventory, element_data, package_trees

WRITER = "ichinv/io/atomic.py"

ALLOWED: dict[str, set[str]] = {
    # The caches are a SQLite database in the user's cache folder, not inventory data:
    # SQLite journals its own writes, and a lost cache only costs time.
    "ichinv/io/cache_files.py": {"os.open"},
    # A read-only handle on a cache folder of ichinv's own, to take write for others off it.
    "ichinv/io/cache_trust.py": {"os.open"},
    # A read-only handle on the inventory folder, to hold the write lock on it (flock).
    "ichinv/io/write_lock.py": {"os.open"},
    # Files opened read-only without blocking (records, configuration, a file read again
    # before it is replaced): a pipe in a file's place would hang a plain open.
    "ichinv/io/regular.py": {"os.open"},
    # Standard output redirected to os.devnull when the reader of a pipe went away.
    "ichinv/cli/output.py": {"os.open"},
    # yamlio.Document.rename: a key of a record in memory (written by files.py), not a file.
    "ichinv/edit/migrate.py": {".rename()"},
}

WRITE_MODES = set("wax+")
FORBIDDEN_ATTRIBUTES = {
    "write_text",
    "write_bytes",
    "rename",
    "replace_file",
    "symlink_to",
    "hardlink_to",
    "touch",
}
FORBIDDEN_CALLS = {
    "os.open",
    "os.replace",
    "os.rename",
    "os.link",
    "os.symlink",
    "os.truncate",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "tempfile.mkstemp",
    "tempfile.NamedTemporaryFile",
    "tempfile.TemporaryFile",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name in FORBIDDEN_CALLS:
            found.append((node.lineno, name))
        elif isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_ATTRIBUTES:
            found.append((node.lineno, f".{node.func.attr}()"))
        elif name == "open" or name.endswith(".open") and name != "os.open":
            mode = node.args[1] if len(node.args) > 1 else None
            if name.endswith(".open") and node.args:
                mode = node.args[0]  # Path.open(mode)
            for keyword in node.keywords:
                if keyword.arg == "mode":
                    mode = keyword.value
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
                if WRITE_MODES & set(mode.value):
                    found.append((node.lineno, f"{name}(mode={mode.value!r})"))
            elif mode is not None and name == "open":
                found.append((node.lineno, f"{name}(mode not a literal)"))
    return found


def test_only_files_py_writes_files() -> None:
    strays = []
    for rel, tree in package_trees().items():
        if rel == WRITER:
            continue
        for line, what in _writes(tree):
            if what not in ALLOWED.get(rel, set()):
                strays.append(f"{rel}:{line}: {what}")
    assert strays == []


def test_the_scan_sees_writes() -> None:
    sample = ast.parse(
        "open(p, 'w')\nopen(p, mode='ab')\np.write_text(t)\np.open('wb')\nos.replace(a, b)\n"
        "open(p)\np.open()\np.read_text()\n"
    )
    assert [line for line, _ in _writes(sample)] == [1, 2, 3, 4, 5]


def test_files_py_writes_through_a_temporary_file_and_a_rename() -> None:
    source = (REPO_ROOT / WRITER).read_text(encoding="utf-8")
    for needed in ("os.O_EXCL", "os.fsync", "os.replace", "path.parent"):
        assert needed in source


# --- SIGKILL during `ichinv fmt` ---------------------------------------------------------------

RECORDS = 150
"""Records `fmt` rewrites in the kill test: enough that most kills, each at a random moment of
a whole run, land among its writes (Python's start is the rest)."""
ROUNDS = int(os.environ.get("ICHINV_KILL_ROUNDS", "1"))


def _unformatted(number: int) -> str:
    """A valid record that `fmt` rewrites: keys in reverse order, lists in flow style."""
    data = element_data(f"KZ-2013-{number:04d}")
    data["description"]["en"] = f"Element {number}, " + "with a long description " * 20
    lines = []
    for key, value in reversed(list(data.items())):
        lines.append(f"{key}: {_flow(value)}")
    return "# edited by hand\n" + "\n".join(lines) + "\n"


def _flow(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _command() -> list[str]:
    script = Path(sys.executable).parent / "ichinv"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ichinv"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def formatting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """An inventory of records needing formatting, their formatted bytes, and how long a
    whole `fmt` run takes."""
    root = build_inventory(tmp_path_factory.mktemp("fmt") / "original")
    for number in range(100, 100 + RECORDS):
        (root / "elements" / f"KZ-2013-{number:04d}.yaml").write_text(
            _unformatted(number), encoding="utf-8"
        )
    probe = root.parent / "probe"
    shutil.copytree(root, probe)
    started = time.monotonic()
    done = subprocess.run([*_command(), "fmt"], cwd=probe, capture_output=True, check=False)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    formatted = _snapshot(probe / "elements")
    check = subprocess.run(
        [*_command(), "validate"], cwd=probe, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout
    assert sum(formatted[n] != p.read_bytes() for n, p in _files(root)) >= RECORDS
    return root, formatted, took


def _files(root: Path) -> list[tuple[str, Path]]:
    return [(p.name, p) for p in sorted((root / "elements").iterdir())]


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_fmt_killed_at_a_random_moment_loses_nothing(
    formatting: tuple[Path, dict[str, bytes], float], tmp_path: Path, round_number: int
) -> None:
    original, formatted, took = formatting
    before = _snapshot(original / "elements")
    root = tmp_path / "inventory"
    shutil.copytree(original, root)
    chance = random.Random(round_number)
    process = subprocess.Popen(
        [*_command(), "fmt"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(chance.uniform(0.1, max(took, 0.5)))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    after = _snapshot(root / "elements")
    assert set(after) == set(before)  # no record lost, none added
    halves = [name for name in after if after[name] not in (before[name], formatted[name])]
    assert halves == []
    leftovers = [p.name for p in (root / "elements").iterdir() if p.name.startswith(".")]
    assert all(name.endswith(".tmp") for name in leftovers)  # validate names them (file.temporary)

    done = subprocess.run([*_command(), "fmt"], cwd=root, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _snapshot(root / "elements") == formatted
