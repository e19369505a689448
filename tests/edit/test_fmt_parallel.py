"""`fmt` shares the formatting of many records with a process for each other core.

ruamel.yaml's round trip costs about 30 ms a record, so a first `fmt` (or `fmt --check`, as a
CI job runs it on a fresh checkout) of a large inventory is bound by it: from PARALLEL_FROM
records on, each core takes a share. The answer must not depend on it: the same files, the
same report, in the same order, whatever the number of processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ichinv.edit import fmt
from ichinv.io.editor import KeyOrder
from tests.io.test_crash_safety import _unformatted
from tests.support.helpers import build_inventory

COUNT = fmt.PARALLEL_FROM + 12


@pytest.fixture(scope="module")
def untidy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_inventory(tmp_path_factory.mktemp("fmt") / "inventory")
    for number in range(100, 100 + COUNT):
        (root / "elements" / f"KZ-2013-{number:04d}.yaml").write_text(
            _unformatted(number), encoding="utf-8"
        )
    # Two records fmt cannot open, among the others: named in the order of the listing.
    (root / "elements" / "KZ-2013-0120.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (root / "elements" / "KZ-2013-0150.yaml").write_text('id: "KZ-2013-0150"# x\n', "utf-8")
    return root


def _fmt(root: Path, workers: int, *args: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "ICHINV_WORKERS": str(workers), "ICHINV_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", "fmt", *args], cwd=root, env=env, capture_output=True
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="fmt"),
        pytest.param(("--check",), id="check", marks=pytest.mark.slow),
        pytest.param(("--diff",), id="diff", marks=pytest.mark.slow),
    ],
)
def test_the_answer_does_not_depend_on_the_number_of_processes(
    untidy: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    answers = []
    for workers in (1, 2):
        root = tmp_path / f"workers-{workers}"
        shutil.copytree(untidy, root)
        code, out, err = _fmt(root, workers, *args)
        files = {p.name: p.read_bytes() for p in sorted((root / "elements").iterdir())}
        answers.append((code, out, err, files))
    assert answers[0] == answers[1]
    code, out, err, __ = answers[0]
    assert code == 1  # the two records that cannot be opened
    text = (out + err).decode()
    assert text.index("KZ-2013-0120") < text.index("KZ-2013-0150")


def test_many_records_are_shared_with_another_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from ichinv.io import forked

    started: list[object] = []
    real = forked.Ahead

    def counted(*args: object, **kwargs: object) -> object:
        started.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setenv("ICHINV_WORKERS", "2")
    monkeypatch.setattr(forked, "Ahead", counted)
    order: KeyOrder = {}
    items = [(b"id: x\n", order, f"elements/{n}.yaml") for n in range(fmt.PARALLEL_FROM)]
    assert fmt._tidy_all(items) == fmt._tidy_each(items)
    assert len(started) == 1
    started.clear()
    assert fmt._tidy_all(items[:-1]) == fmt._tidy_each(items[:-1])
    assert started == []  # fewer: a fork would cost more than it saves
