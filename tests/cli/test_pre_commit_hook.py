"""The pre-commit hook in .pre-commit-hooks.yaml: which files it takes, and its entry at work.

pre-commit runs `entry` with the staged files that match `files` appended (pass_filenames),
from the repository's root. The test does the same with the hook as declared.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.support.helpers import REPO_ROOT

HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    [found] = [h for h in hooks if h["id"] == "ichinv-validate"]
    return dict(found)


def test_the_hook_is_declared_as_pre_commit_expects() -> None:
    declared = hook()
    assert declared["language"] == "python"
    assert declared["pass_filenames"] is True
    assert declared["require_serial"] is True  # every run checks against the whole inventory
    assert declared["files"] == r"^(elements|provinces)/.*\.yaml$"
    assert shlex.split(declared["entry"])[0] == "ichinv"


def test_the_hook_takes_records_and_nothing_else() -> None:
    files = re.compile(hook()["files"])
    taken = [
        "elements/KZ-2013-0001.yaml",
        "provinces/KZ-31.yaml",
    ]
    left = [
        "README.md",
        "schema/element.schema.json",
        "pyproject.toml",
        "docs/en/element.md",
        "elements/notes.txt",
        "templates/new-element.yaml",
        "tests/cases/_base/elements/KZ-2013-0002.yaml",
    ]
    assert all(files.search(name) for name in taken)
    assert not any(files.search(name) for name in left)


def _run_hook(root: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "ICHINV_NO_CACHE": "1",
    }
    return subprocess.run(
        [*shlex.split(hook()["entry"]), *hook().get("args", []), *names],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _staged(root: Path) -> list[str]:
    files = re.compile(hook()["files"])
    every = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return [name for name in every if files.search(name)]


def test_the_entry_passes_on_valid_records(repo_copy: Path) -> None:
    names = _staged(repo_copy)
    assert len(names) > 100
    done = _run_hook(repo_copy, names)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"^ok: {len(names)} files checked", done.stdout, re.MULTILINE)


def test_the_entry_fails_on_a_broken_record_and_names_it(repo_copy: Path) -> None:
    path = repo_copy / "elements" / "KZ-2013-0003.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: active", "status: actve"),
        encoding="utf-8",
    )
    done = _run_hook(repo_copy, ["elements/KZ-2013-0003.yaml", "provinces/KZ-31.yaml"])
    assert done.returncode == 1
    assert re.search(
        r"^elements/KZ-2013-0003\.yaml:\d+:\d+: error \[schema\.enum\]", done.stdout, re.MULTILINE
    )
    assert "2 files checked" in done.stdout
    # Another staged record is still checked against the whole inventory: it passes.
    assert _run_hook(repo_copy, ["elements/KZ-2013-0004.yaml"]).returncode == 0
