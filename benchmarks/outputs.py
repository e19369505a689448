"""Record what every reading command prints, to prove that a refactoring changed nothing.

Runs a fixed list of commands (validate in every format, diff-2013, list, export, show, log,
progress, report periodic, and every packet kind in en/kk/ru for both audiences) on two
inventories, and writes each command's exit code, standard output and standard error to a
file of its own under OUT:

* `repo/`: this repository's inventory at git revision `--data-rev` (a throwaway clone, so
  that its history, baselines included, is the real one);
* `generated/`: a synthetic inventory of `--count` elements (benchmarks.generate, with
  defects) committed as its baseline, then revised in a second commit and in the working tree.

The code that runs is the `ichinv` package at `--code-rev` (default: the working tree), put
first on PYTHONPATH. Compare two runs with `diff -r`:

    python -m benchmarks.outputs /tmp/before --code-rev HEAD
    python -m benchmarks.outputs /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

Commands run with every cache off (`ICHINV_NO_CACHE=1`). With `--cache` they run with the
caches on, each twice (the first run fills the caches, the second answers from them): the
second run's output is recorded, and the first's too (as NAME.first.out) when it differs. So

    python -m benchmarks.outputs /tmp/cached --cache
    diff -r /tmp/before /tmp/cached && echo identical

proves that answers from the caches are the answers without them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

from benchmarks.generate import element_id, generate, revise

REPO_ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-01"
LANGS = ("en", "kk", "ru")
AUDIENCES = ("public", "committee")


def git(root: Path, *args: str) -> str:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "ichinv",
        "GIT_AUTHOR_EMAIL": "ichinv@example.org",
        "GIT_COMMITTER_NAME": "ichinv",
        "GIT_COMMITTER_EMAIL": "ichinv@example.org",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, check=True, env=env, capture_output=True, text=True
    )
    return done.stdout.strip()


def code_at(rev: str | None, workdir: Path) -> Path:
    """A folder holding the `ichinv` package at `rev` (None: the working tree)."""
    target = workdir / "code"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if rev is None:
        shutil.copytree(REPO_ROOT / "ichinv", target / "ichinv")
    else:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", rev, "ichinv"],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def repo_inventory(rev: str, workdir: Path) -> Path:
    root = workdir / "repo"
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(
        ["git", "clone", "-q", "--no-hardlinks", str(REPO_ROOT), str(root)],
        check=True,
        capture_output=True,
    )
    git(root, "checkout", "-q", "--detach", rev)
    return root


def generated_inventory(count: int, workdir: Path) -> Path:
    root = workdir / "generated"
    shutil.rmtree(root, ignore_errors=True)
    generate(root, count, seed=2003, defects=0.02)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Baseline")
    git(root, "tag", "inventory-2013")
    revise(root, list(range(0, count, 7)))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Revision")
    revise(root, list(range(3, count, 11)), revision=2)
    (root / "elements" / f"{element_id(5)}.yaml").unlink()
    return root


def commands(root: Path, *, generated: bool) -> Iterator[tuple[str, list[str]]]:
    """(name, arguments) of every command recorded for the inventory at `root`."""
    settings = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["ichinv"]
    since = "HEAD~1" if generated else settings["baselines"]["2024"]["rev"]
    elements = sorted(p.stem for p in (root / "elements").glob("KZ-*.yaml"))
    restricted = [
        p.stem
        for p in sorted((root / "elements").glob("KZ-*.yaml"))
        if "level: restricted" in p.read_text("utf-8", "replace")
    ]
    picked = list(dict.fromkeys([elements[0], elements[len(elements) // 2], *restricted[:2]]))
    provinces = ["KZ-23", "KZ-YUZ"] if not generated else ["KZ-23"]
    for fmt in ("text", "json", "sarif", "github"):
        yield f"validate-{fmt}", ["validate", "--format", fmt]
    for fmt in ("text", "json", "markdown"):
        yield f"diff-2013-{fmt}", ["diff-2013", "--format", fmt]
    yield "diff-since-json", ["diff", "--baseline", since, "--format", "json"]
    for audience in AUDIENCES:
        yield f"list-json-{audience}", ["list", "--format", "json", "--audience", audience]
        yield f"list-csv-{audience}", ["list", "--format", "csv", "--audience", audience]
        for fmt in ("csv", "json"):
            yield f"export-{fmt}-{audience}", ["export", "--format", fmt, "--audience", audience]
    yield "list-table", ["list"]
    for fmt in ("text", "markdown", "json"):
        yield f"progress-{fmt}", ["progress", "--format", fmt]
    for fmt in ("markdown", "json"):
        yield f"report-{fmt}", ["report", "periodic", "--to", TODAY, "--format", fmt]
    for eid in picked:
        yield f"log-{eid}", ["log", eid, "--format", "json"]
        for lang in LANGS:
            for audience in AUDIENCES:
                yield f"show-{eid}-{lang}-{audience}", [
                    "show", eid, "--lang", lang, "--audience", audience,
                ]  # fmt: skip
    for lang in LANGS:
        for audience in AUDIENCES:
            common = ["--lang", lang, "--audience", audience, "--date", TODAY]
            yield f"packet-index-{lang}-{audience}", ["packet", *common]
            yield f"packet-changes-{lang}-{audience}", ["packet", "--since", since, *common]
            for pid in provinces:
                yield f"packet-{pid}-{lang}-{audience}", ["packet", "--province", pid, *common]
            for eid in picked:
                yield f"packet-{eid}-{lang}-{audience}", ["packet", "--element", eid, *common]


def record(root: Path, code: Path, out: Path, *, generated: bool, cache: bool = False) -> int:
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ICHINV_")},
        "PYTHONPATH": str(code),
        "ICHINV_TODAY": TODAY,
        **({} if cache else {"ICHINV_NO_CACHE": "1"}),
        "XDG_CACHE_HOME": str(out.parent / ".cache"),
        "COLUMNS": "100",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
    }
    count = 0
    for name, args in commands(root, generated=generated):
        texts = [_run(root, env, args) for _ in range(2 if cache else 1)]
        (out / f"{name}.out").write_bytes(texts[-1])
        if texts[0] != texts[-1]:
            (out / f"{name}.first.out").write_bytes(texts[0])
        count += 1
    return count


def _run(root: Path, env: dict[str, str], args: list[str]) -> bytes:
    done = subprocess.run(
        # -P: the inventory's own folder (this repository holds an ichinv/ package too) is
        # not put before PYTHONPATH, so the code measured is the one asked for.
        [sys.executable, "-P", "-m", "ichinv", *args],
        cwd=root,
        env=env,
        capture_output=True,
    )
    return (
        f"$ ichinv {' '.join(args)}\nexit {done.returncode}\n".encode()
        + b"--- stdout\n"
        + done.stdout
        + b"--- stderr\n"
        + done.stderr
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the outputs to (emptied first)")
    parser.add_argument("--code-rev", help="git revision of the code (default: working tree)")
    parser.add_argument(
        "--data-rev", default="HEAD", help="git revision of this repository's inventory"
    )
    parser.add_argument("--count", type=int, default=300, help="elements of the generated one")
    parser.add_argument(
        "--cache", action="store_true", help="run with the caches on, twice (see above)"
    )
    args = parser.parse_args(argv)
    data_rev = subprocess.run(
        ["git", "rev-parse", args.data_rev], cwd=REPO_ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    shutil.rmtree(args.out, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="ichinv-outputs-") as temporary:
        workdir = Path(temporary)
        code = code_at(args.code_rev, workdir)
        total = record(
            repo_inventory(data_rev, workdir),
            code,
            args.out / "repo",
            generated=False,
            cache=args.cache,
        )
        total += record(
            generated_inventory(args.count, workdir),
            code,
            args.out / "generated",
            generated=True,
            cache=args.cache,
        )
    shutil.rmtree(args.out / ".cache", ignore_errors=True)
    print(
        f"{total} outputs in {args.out} (code: {args.code_rev or 'working tree'}, data: {data_rev[:12]})"
    )


if __name__ == "__main__":
    main()
