"""One pass over the inventory per command: `ICHINV_TRACE=1` counts, and these tests hold them.

Each command runs as a user runs it (the console-script entry point, in a fresh interpreter)
on a small generated inventory in git, with an empty cache and then again with the caches it
filled. A command reads each record file at most once, parses each version of a record at most
once, decodes each schema once, and compares two states of the inventory at most once; a
second run parses nothing that did not change. A regression (a second full read, a packet
validating everything afresh, two identical diffs) fails here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import generate, revise
from tests.support.helpers import REPO_ROOT, commit, init_repo

COUNT = 24
EDITED = [1, 5, 9]
"""Elements edited in the working tree after the baseline commit."""


def traced(
    root: Path, cache: Path, *args: str, caches: bool = True, asked: Path | None = None
) -> dict[str, tuple[int, int]]:
    """Run `ichinv ARGS` with ICHINV_TRACE=1: each counter's (total, most for one file). With
    `asked`, the git commands it runs are written there (`git_asked` reads them)."""
    env = os.environ | {"ICHINV_TRACE": "1", "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}
    env.pop("ICHINV_NO_CACHE", None)
    if asked is not None:
        wrapper = asked.with_suffix(".sh")
        wrapper.write_text(
            f"#!/bin/sh\nprintf '%s\\0' \"$@\" >> '{asked}'\nprintf '\\1' >> '{asked}'\n"
            f"exec '{shutil.which('git')}' \"$@\"\n"
        )
        wrapper.chmod(0o755)
        env["GIT_PYTHON_GIT_EXECUTABLE"] = str(wrapper)
    if not caches:
        env["ICHINV_NO_CACHE"] = "1"
    done = subprocess.run(
        [sys.executable, "-P", "-m", "ichinv", *args],
        cwd=root,
        env=env | {"PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("trace: "))
    return {
        name: (int(total), int(most) if most else min(int(total), 1))
        for name, total, most in re.findall(r"([\w-]+)=(\d+)(?: \(max (\d+) per file\))?", line)
    }


def git_asked(asked: Path) -> Counter[tuple[str, ...]]:
    """The git commands a run asked (`traced`), each with how many times it was asked."""
    calls = asked.read_bytes().split(b"\1")[:-1] if asked.exists() else []
    return Counter(tuple(a.decode() for a in call.split(b"\0")[:-1]) for call in calls)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trace") / "inventory"
    made = generate(root, COUNT, defects=0.1)
    formatted(root)
    repo = init_repo(root)
    commit(repo, "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    revise(root, EDITED)
    (root / ".defects").write_text(str(len(made.defective)), encoding="utf-8")
    # As old as an editor's files are when a run starts: none "racily" new (record_files.RACY_NS), which
    # every run reads again. Without it, the warm `validate` of a test run within two
    # seconds of this fixture (after `packet --province`, say) read half the inventory.
    time.sleep(2.1)
    return root


def formatted(root: Path) -> None:
    """Records in canonical form, as a real inventory keeps them (`ichinv fmt`)."""
    subprocess.run(
        [sys.executable, "-P", "-m", "ichinv", "fmt"],
        cwd=root,
        env=os.environ | {"ICHINV_NO_CACHE": "1", "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        check=False,  # the defective records stay as they are
    )


def reads_allowed(root: Path, name: str) -> int:
    """Files a warm run may read: those git's index does not vouch for (the edited ones);
    `log` reads the provinces and today's record of its element instead (without git's index:
    its diffs need today's successors); `fmt --check` looks at every file that is not in
    canonical form again (the edited ones, and those it cannot read: the defects)."""
    if name == "log":
        return len(list((root / "provinces").glob("*.yaml"))) + 1
    defects = root / ".defects"
    if name == "fmt check" and defects.exists():
        return len(EDITED) + int(defects.read_text("utf-8"))
    return len(EDITED)


def files(root: Path) -> int:
    return sum(1 for folder in ("elements", "provinces") for _ in (root / folder).glob("*.yaml"))


COMMANDS = {
    "validate": ["validate"],
    "list": ["list", "--format", "json"],
    "show": ["show", "KZ-2013-0002"],
    "diff-2013": ["diff-2013", "--format", "json"],
    "diff": ["diff", "--baseline", "HEAD", "--format", "json"],
    "change packet": ["packet", "--since", "inventory-2013"],
    "province packet": ["packet", "--province", "KZ-23"],
    "index packet": ["packet"],
    "element packet": ["packet", "--element", "KZ-2013-0002"],
    "new since": ["validate", "--new-since", "inventory-2013"],
    "log": ["log", "KZ-2014-0001", "--format", "json"],
    "fmt check": ["fmt", "--check"],
    "migrate check": ["migrate", "--check"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_reads_and_parses_each_file_once_and_a_second_run_nothing(
    inventory: Path, tmp_path: Path, name: str
) -> None:
    cache = tmp_path / "cache"
    cold = traced(inventory, cache, *COMMANDS[name], asked=tmp_path / "cold")
    assert cold["read"][1] <= 1 and cold["read"][0] <= files(inventory)
    assert cold["parse"][1] <= 1
    assert cold["git-read"][1] <= 1
    assert cold.get("git-resolve", (0, 0))[1] <= 1  # git asked once what each revision is
    assert cold["schema-load"] in ((0, 0), (2, 1))  # each schema decoded once, if at all
    assert cold["check"][1] <= 1
    assert cold["compare"][0] <= 1
    warm = traced(inventory, cache, *COMMANDS[name], asked=tmp_path / "warm")
    assert warm["parse"][0] == 0 and warm["check"][0] == 0
    assert warm["read"][0] <= reads_allowed(inventory, name)
    assert warm.get("git-resolve", (0, 0))[1] <= 1
    for run in ("cold", "warm"):  # git asked each question once (a process of a few ms each)
        asked = git_asked(tmp_path / run)  # (`cat-file --batch` reads what it is sent)
        again = [a for a, times in asked.items() if times > 1 and a[-1] != "--batch"]
        assert [args[-6:] for args in again] == [], run


def test_the_change_packet_compares_once_and_reuses_the_verdicts_of_validate(
    inventory: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    traced(inventory, cache, "validate")  # what CI runs first
    counts = traced(inventory, cache, "packet", "--since", "inventory-2013")
    assert counts["compare"] == (1, 1)  # the changes and the status since 2013: one diff
    assert counts["check"][0] == 0  # validate judged every file already
    assert counts["parse"][1] == 1 and counts["read"][1] <= 1


@pytest.mark.parametrize("caches", [True, False], ids=["cold cache", "no cache"])
def test_a_cold_change_packet_reads_an_unchanged_file_from_the_working_tree_alone(
    inventory: Path, tmp_path: Path, caches: bool
) -> None:
    """A change packet compares before it reads the records it shows: what the working tree
    shares with the base is read from the working tree, not from git as well (an outside
    attack found every unchanged record read twice on a cold cache)."""
    counts = traced(inventory, tmp_path / "cache", *COMMANDS["change packet"], caches=caches)
    assert counts["git-read"][0] <= len(EDITED)  # the base's versions of the edited files
    assert counts["read"][1] <= 1 and counts["parse"][1] <= 1


GROWING = {
    name: COMMANDS[name]
    for name in (
        "validate",
        "list",
        "diff-2013",
        "change packet",
        "province packet",
        "element packet",
        "new since",
        "log",
        "fmt check",
    )
}
"""One command of each way through the code (the others share them)."""


@pytest.mark.slow  # about 9 s of subprocesses: .ci/run runs it with -m slow
def test_the_work_of_a_warm_run_grows_with_the_change(tmp_path: Path) -> None:
    root = tmp_path / "inventory"
    generate(root, COUNT)
    formatted(root)
    commit(init_repo(root), "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    revise(root, EDITED)
    time.sleep(
        2.1
    )  # as old as files are when a run starts: none "racily" new (record_files.RACY_NS)
    cache = tmp_path / "cache"
    for args in GROWING.values():
        traced(root, cache, *args)
    revise(root, [13])  # one more element edited
    for name, args in GROWING.items():
        counts = traced(root, cache, *args)
        # Its new bytes, and at most its version at the baseline: nothing else is parsed.
        assert counts["parse"][0] <= 2, name
        assert counts["check"][0] <= 2, name
        assert counts["read"][0] <= reads_allowed(root, name) + 1, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_without_the_caches_a_command_still_parses_each_file_once(
    inventory: Path, tmp_path: Path, name: str
) -> None:
    counts = traced(inventory, tmp_path / "cache", *COMMANDS[name], caches=False)
    assert counts["parse"][1] <= 1 and counts["read"][1] <= 1
    assert counts["schema-load"] in ((0, 0), (2, 1)) and counts["compare"][0] <= 1


def test_a_province_packet_decodes_only_the_records_it_may_show(
    inventory: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    traced(inventory, cache, "validate")
    traced(inventory, cache, "packet", "--province", "KZ-23")  # the baseline's versions too
    every = traced(inventory, cache, "list", "--format", "json")["record-cache"][0]
    province = traced(inventory, cache, "packet", "--province", "KZ-23")
    assert province["parse"][0] == 0
    provinces = len(list((inventory / "provinces").glob("*.yaml")))
    # Every province record (for the names and the units each replaced), and of the elements
    # those practised in KZ-23 and the baseline's versions of those the working tree changed.
    assert provinces < province["record-cache"][0] < every - COUNT // 2


def test_a_province_packet_asks_git_for_its_baseline_once(inventory: Path, tmp_path: Path) -> None:
    """The statuses since the baseline found its commit: whether the clone reaches it (for a
    shallow clone's note) is not asked of git a second time, first run or later."""
    cache = tmp_path / "cache"
    for __ in range(2):
        assert traced(inventory, cache, "packet", "--province", "KZ-23")["git-resolve"] == (1, 1)


@pytest.mark.slow  # about 5 s of subprocesses and settling: .ci/run runs it with -m slow
def test_a_warm_validate_with_a_private_overlay_reads_only_what_changed(tmp_path: Path) -> None:
    """With a private overlay named, a warm `validate` read every element file twice more
    (the passes over records that list restricted parts or mergers): now the files whose
    bytes name neither are known unread, by their blob in the record cache."""
    root = tmp_path / "inventory"
    generate(root, COUNT)
    formatted(root)
    private = tmp_path / "private" / "elements"
    private.mkdir(parents=True)
    (private / "KZ-2013-0003.yaml").write_text(
        "contacts:\n  - name: A. Bearer\n    email: bearer@example.org\n", encoding="utf-8"
    )
    settings = root / "pyproject.toml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            "[tool.ichinv]\n", f'[tool.ichinv]\nprivate_overlay = "{private.parent}"\n', 1
        ),
        encoding="utf-8",
    )
    commit(init_repo(root), "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    revise(root, EDITED)
    time.sleep(2.1)  # none "racily" new (record_files.RACY_NS)
    cache = tmp_path / "cache"
    traced(root, cache, "validate")
    warm = traced(root, cache, "validate")
    # The edited files, and the record with an overlay entry (its merged record is judged).
    assert warm["read"][0] <= len(EDITED) + 2
