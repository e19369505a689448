"""Time ichinv and its peer on one generated inventory: same run, same files, ratios printed.

    python -m benchmarks.run --count 10000 [--rounds 3] [--peer-rounds 1] [--workdir DIR]
                             [--json FILE] [--skip-peer]

Generates the inventory (benchmarks.generate, 2 % of files with a defect), commits it as the
`inventory-2013` baseline in a throwaway git repository under --workdir, then times, as a
user would run them (the console scripts of this environment, each in its own process):

* `ichinv validate` cold (empty cache), warm (nothing changed), warm with 10 files edited,
  `--no-cache`, and `--no-cache` in one process (ICHINV_WORKERS=1);
* the floor of a cold check (benchmarks.floor: PyYAML's C parser and a compiled validator on
  every core, nothing else), in the same round;
* `ichinv diff-2013` and `ichinv diff --baseline HEAD` with 10 files changed in the working
  tree (beside `git status`, the least any answer naming every file's state costs), and
  `diff-2013` with 10 % changed (its peak memory is that of a diff of that many);
* `ichinv packet --since inventory-2013` (change packet, 10 % changed, right after the
  `diff-2013` of the same change), a warm `validate` of that state, and a province packet,
  the first in that state and then again; then the same tenth edited once more, a warm
  `validate` and the province packet of that state (the next round of a revision; the
  edits two seconds old, as an editor's are);
* `ichinv fmt` putting the generated records in canonical form, once, before the rounds
  (every record is rewritten: the generator writes flow lists), and `ichinv fmt --check` on
  the unchanged inventory, warm and cold (an empty cache: a fresh checkout's first run)
  (`--skip-fmt` leaves all three out);
* `check-jsonschema --schemafile schema/element.schema.json elements/*.yaml` (`--peer` names
  the executable, e.g. of a virtual environment with ruamel.yaml.clib);
* start-up: `python -c "import typer"`, `ichinv --help`, `ichinv --version`.

Each figure is the median of --rounds rounds (scenarios interleaved within a round), with the
CPU time and peak memory of the process. Not part of the test suite: the machine is shared,
so expect ±15 % on any single figure; read the ratios, which come from the same run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.generate import REPO_ROOT, generate, revise
from ichinv.inventory.record_files import RACY_NS

FMT_WRITE = "fmt, every record rewritten (flow lists, as generated; empty cache), once"

BIN = Path(sys.executable).parent
ICHINV = str(BIN / "ichinv")
PEER = str(BIN / "check-jsonschema")
DEFECTS = 0.02


@dataclass
class Timing:
    """One scenario's measurements over the rounds."""

    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "wall_s": round(self.median, 3),
            "cpu_s": round(statistics.median(self.cpu), 3),
            "peak_rss_mb": round(max(self.rss_mb), 1),
            "exit_codes": sorted(set(self.exit_codes)),
            "rounds": len(self.wall),
            "note": self.note,
        }


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """Wall time, CPU time (user + system), peak RSS (MB) and exit code of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:3])}… failed ({process.returncode}):\n{error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, env=quiet_git_env(), capture_output=True)


def quiet_git_env() -> dict[str, str]:
    return os.environ | {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Benchmark",
        "GIT_AUTHOR_EMAIL": "benchmark@example.org",
        "GIT_COMMITTER_NAME": "Benchmark",
        "GIT_COMMITTER_EMAIL": "benchmark@example.org",
    }


def machine() -> dict[str, object]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as info:
        total_kb = int(info.readline().split()[1])
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "ram_gib": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def prepare(
    workdir: Path, count: int, seed: int, fmt_env: dict[str, str] | None = None
) -> tuple[Path, list[int], tuple[float, float, float, int] | None]:
    """The inventory, committed and tagged as the baseline; numbers of defect-free elements.
    With `fmt_env`, the records are put in canonical form first (`ichinv fmt` in it, timed:
    the generator writes lists of single values in flow style, `[KZ-11]`, so every record is
    rewritten, as after an import from another tool)."""
    root = workdir / f"inventory-{count}"
    if root.exists():
        shutil.rmtree(root)
    made = generate(root, count, seed=seed, defects=DEFECTS)
    formatted = measure([ICHINV, "fmt"], root, fmt_env) if fmt_env is not None else None
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "gc.auto", "0")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Baseline")
    git(root, "tag", "inventory-2013")
    # Packed, as a clone is; and done now: the automatic `git gc` that a commit of thousands
    # of objects would start in the background would compete with the runs timed next.
    git(root, "gc", "--quiet")
    clean = [i for i, record_id in enumerate(made.ids) if record_id not in made.defective]
    return root, clean, formatted


def restore(root: Path, saved: dict[Path, bytes]) -> None:
    """Put back the bytes of the baseline's files that a scenario edited."""
    for path, raw in saved.items():
        path.write_bytes(raw)
    refresh(root)


def refresh(root: Path) -> None:
    """What the user's `git status` does after files are written: git's index notes the new
    times of files whose bytes are as committed (ichinv itself never writes the index)."""
    subprocess.run(
        ["git", "update-index", "-q", "--refresh"], cwd=root, env=quiet_git_env(), check=False,
        capture_output=True,
    )  # fmt: skip


def baseline_bytes(root: Path, numbers: list[int]) -> dict[Path, bytes]:
    from benchmarks.generate import element_id

    paths = [root / "elements" / f"{element_id(number)}.yaml" for number in numbers]
    return {path: path.read_bytes() for path in paths}


def run(args: argparse.Namespace) -> dict[str, object]:
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ichinv-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cache_home = workdir / "cache"
    env = os.environ | {"XDG_CACHE_HOME": str(cache_home)}
    if args.snapshot:
        # Measure one state of the code, whatever happens to the working tree meanwhile.
        code = workdir / "code"
        shutil.rmtree(code, ignore_errors=True)
        shutil.copytree(REPO_ROOT / "ichinv", code / "ichinv")
        env["PYTHONPATH"] = str(code)
    # Byte-compile the code measured, as `pip install` does for an installed package: with
    # PYTHONDONTWRITEBYTECODE set (as on CI machines), every run would compile it afresh.
    compileall.compile_dir((code if args.snapshot else REPO_ROOT) / "ichinv", quiet=1, legacy=False)
    env.pop("ICHINV_NO_CACHE", None)
    env.pop("ICHINV_WORKERS", None)
    # fmt's verdicts live in a cache of their own, filled once by formatting the records.
    fmt_cache = workdir / "cache-fmt"
    shutil.rmtree(fmt_cache, ignore_errors=True)
    fmt_env = None if args.skip_fmt else {"XDG_CACHE_HOME": str(fmt_cache)}
    started = time.perf_counter()
    root, clean, formatted = prepare(
        workdir, args.count, args.seed, env | fmt_env if fmt_env else None
    )
    setup = time.perf_counter() - started
    ten = clean[:: max(1, len(clean) // 10)][:10]
    tenth = clean[::10][: args.count // 10]
    saved = baseline_bytes(root, sorted({*ten, *tenth}))
    timings: dict[str, Timing] = {}
    if formatted is not None:
        wall, cpu, rss, code = formatted
        timings[FMT_WRITE] = Timing(FMT_WRITE, [wall], [cpu], [rss], [code])

    def time_it(name: str, command: list[str], extra: dict[str, str] | None = None) -> None:
        wall, cpu, rss, code = measure(command, root, env | (extra or {}))
        timing = timings.setdefault(name, Timing(name))
        timing.wall.append(wall)
        timing.cpu.append(cpu)
        timing.rss_mb.append(rss)
        timing.exit_codes.append(code)

    validate = [ICHINV, "validate", "--format", "json"]
    for round_number in range(args.rounds):
        print(f"round {round_number + 1}/{args.rounds}", file=sys.stderr)
        shutil.rmtree(cache_home, ignore_errors=True)
        time_it("validate, cold (fills the cache)", validate)
        time_it("validate, warm, nothing changed", validate)
        time_it("validate --no-cache", [*validate, "--no-cache"])
        time_it(
            "floor: PyYAML C parse + compiled validation, all cores",
            [sys.executable, "-m", "benchmarks.floor", str(root)],
            {"PYTHONPATH": str(REPO_ROOT)},
        )
        if args.count >= 2000:
            time_it(
                "validate --no-cache, one process",
                [*validate, "--no-cache"],
                {"ICHINV_WORKERS": "1"},
            )
        revise(root, ten, seed=args.seed)
        refresh(root)
        time_it("validate, warm, 10 files edited", validate)
        time_it("diff-2013, 10 files changed", [ICHINV, "diff-2013", "--format", "json"])
        time_it("diff-2013 (text), 10 files changed", [ICHINV, "diff-2013"])
        time_it(
            "diff --baseline HEAD --format json, 10 files changed",
            [ICHINV, "diff", "--baseline", "HEAD", "--format", "json"],
        )
        # What any answer that names every file's state costs at the least: git's own listing.
        time_it("git status --porcelain, 10 files changed", ["git", "status", "--porcelain"])
        restore(root, saved)
        if fmt_env is not None:
            time_it("fmt --check, warm, nothing changed", [ICHINV, "fmt", "--check"], fmt_env)
            # A fresh checkout's first run: no verdict kept, every record read.
            fmt_cold = workdir / "cache-fmt-cold"
            shutil.rmtree(fmt_cold, ignore_errors=True)
            time_it(
                "fmt --check, cold (empty cache), nothing changed",
                [ICHINV, "fmt", "--check"],
                {"XDG_CACHE_HOME": str(fmt_cold)},
            )
        revise(root, tenth, seed=args.seed)
        refresh(root)
        time_it(
            f"diff-2013, 10 % changed ({len(tenth)} files)",
            [ICHINV, "diff-2013", "--format", "json"],
        )
        if not args.skip_packets:
            out = workdir / "packets"
            shutil.rmtree(out, ignore_errors=True)
            time_it(
                "packet --since inventory-2013 (10 % changed)",
                [ICHINV, "packet", "--since", "inventory-2013", "--output", str(out)],
            )
            # A warm validate of this state: what a province packet is held to (issue 16:
            # "10 % changed: … at most 2× a warm validate").
            measure(validate, root, env)
            time_it("validate, warm, 10 % changed, nothing since", validate)
            time_it("packet --province KZ-23", [ICHINV, "packet", "--province", "KZ-23"])
            # Made again in the same state: from the rows and statuses the first one kept
            # (ichinv.packets.row_cache, since_cache), as a warm validate is from its verdicts.
            time_it(
                "packet --province KZ-23, made again",
                [ICHINV, "packet", "--province", "KZ-23"],
            )
            # The same tenth edited once more, as the next round of a revision goes: the first
            # packet of that state, with what the packets of the state before kept.
            revise(root, tenth, seed=args.seed, revision=2)
            refresh(root)
            # Edits seconds old, as an editor's are when they run a command: ichinv notes a
            # file's blob id by its signature only once the file has settled (RACY_NS), so a
            # run right after a script's edits reads and hashes them again.
            time.sleep(RACY_NS / 1e9 + 0.1)
            measure(validate, root, env)
            time_it("validate, warm, 10 % edited again, nothing since", validate)
            time_it(
                "packet --province KZ-23, first after 10 % edited again",
                [ICHINV, "packet", "--province", "KZ-23"],
            )
        restore(root, saved)
        if not args.skip_peer and round_number < args.peer_rounds:
            files = sorted(str(p.relative_to(root)) for p in (root / "elements").iterdir())
            name = "check-jsonschema (elements)"
            walls, cpus, rsss, codes = [], [], [], []
            for start in range(0, len(files), 20000):  # stay below the argument-list limit
                batch = files[start : start + 20000]
                command = [args.peer, "--schemafile", "schema/element.schema.json", *batch]
                wall, cpu, rss, code = measure(command, root, env)
                walls.append(wall)
                cpus.append(cpu)
                rsss.append(rss)
                codes.append(code)
            timing = timings.setdefault(name, Timing(name))
            timing.wall.append(sum(walls))
            timing.cpu.append(sum(cpus))
            timing.rss_mb.append(max(rsss))
            timing.exit_codes.append(max(codes))
    for _ in range(args.startup_runs):
        time_it("python -c 'import typer'", [sys.executable, "-c", "import typer"])
        time_it("ichinv --help", [ICHINV, "--help"])
        time_it("ichinv --version", [ICHINV, "--version"])
    return {
        "count": args.count,
        "files": args.count + len(list((root / "provinces").iterdir())),
        "seed": args.seed,
        "defects": DEFECTS,
        "machine": machine(),
        "setup_s": round(setup, 1),
        "timings": [t.summary() for t in timings.values()],
    }


def _named(timings: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    return next((t for name, t in timings.items() if name.startswith(prefix)), None)


def report(result: dict[str, Any], smaller: dict[str, Any] | None = None) -> str:
    """The figures as a Markdown table, with ratios and the acceptance checks (`smaller`: the
    result of a run at fewer records, for the checks that compare sizes)."""
    timings = {t["name"]: t for t in result["timings"]}
    cold = timings["validate, cold (fills the cache)"]["wall_s"]
    lines = [
        f"{result['count']:,} elements ({result['files']:,} files, "
        f"{result['defects']:.0%} with a defect); machine: {result['machine']}",
        "",
        "| scenario | wall s (median) | CPU s | peak RSS MB | vs cold validate |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, t in timings.items():
        lines.append(
            f"| {name} | {t['wall_s']:.2f} | {t['cpu_s']:.2f} | {t['peak_rss_mb']:.0f} | "
            f"{t['wall_s'] / cold:.2f}× |"
        )
    checks: list[tuple[str, bool, str]] = []
    peer = timings.get("check-jsonschema (elements)")
    if peer:
        ratio = peer["wall_s"] / cold
        checks.append(
            ("cold validate ≥ 3× faster than check-jsonschema", ratio >= 3, f"{ratio:.1f}×")
        )
    warm = timings["validate, warm, nothing changed"]["wall_s"]
    checks.append(("warm ≤ a tenth of cold", warm <= cold / 10, f"{warm / cold:.3f}"))
    diff = timings.get("diff-2013, 10 files changed")
    if diff and result["count"] <= 10_000:  # the target is set for 10,000 records
        checks.append(
            ("diff-2013, 10 changed < 1 s", diff["wall_s"] < 1, f"{diff['wall_s']:.2f} s")
        )
    if result["count"] >= 100_000:
        checks.append(("cold validate < 90 s", cold < 90, f"{cold:.1f} s"))
    checks.extend(_issue_16(timings, warm, cold, smaller, result["count"]))
    typer_s = timings.get("python -c 'import typer'")
    helped = timings.get("ichinv --help")
    if typer_s and helped:
        gap = (helped["wall_s"] - typer_s["wall_s"]) * 1000
        checks.append(("--help within 150 ms of import typer", gap <= 150, f"{gap:.0f} ms"))
    lines.append("")
    lines.extend(f"- {'PASS' if ok else 'FAIL'} {label}: {figure}" for label, ok, figure in checks)
    return "\n".join(lines)


def _issue_16(
    timings: dict[str, Any],
    warm: float,
    cold: float,
    smaller: dict[str, Any] | None,
    count: int,
) -> list[tuple[str, bool, str]]:
    """The acceptance figures of issue 16, each as measured in this run."""
    checks: list[tuple[str, bool, str]] = []

    def ratio(label: str, top: str, bottom: str | float, limit: float) -> None:
        upper = _named(timings, top)
        lower = _named(timings, bottom) if isinstance(bottom, str) else {"wall_s": bottom}
        if upper and lower:
            value = upper["wall_s"] / lower["wall_s"]
            checks.append((label, value <= limit, f"{value:.2f}× (limit {limit}×)"))

    ratio(
        "packet --since ≤ 1.5× diff-2013 --format json of the same change",
        "packet --since",
        "diff-2013, 10 %",
        1.5,
    )
    ratio(
        "packet --province ≤ 2× a warm validate (10 % changed)",
        "packet --province",
        "validate, warm, 10 % changed",
        2,
    )
    ratio(
        "packet --province ≤ 2× a warm validate with nothing changed", "packet --province", warm, 2
    )
    ratio(
        "packet --province made again ≤ 2× a warm validate (10 % changed)",
        "packet --province KZ-23, made again",
        "validate, warm, 10 % changed",
        2,
    )
    ratio(
        "packet --province after 10 % edited again ≤ 2× a warm validate of that state",
        "packet --province KZ-23, first after",
        "validate, warm, 10 % edited again",
        2,
    )
    ratio("cold validate ≤ 1.5× the floor", "validate, cold", "floor:", 1.5)
    ratio("fmt --check warm ≤ 2× a warm validate", "fmt --check, warm", warm, 2)
    for label, prefix in (
        ("fmt --check cold ≤ a few (3) ms of CPU a record in canonical form", "fmt --check, cold"),
        ("fmt ≤ a few (3) ms of CPU a record it rewrites (flow lists, no comments)", FMT_WRITE),
    ):
        fmt = _named(timings, prefix)
        if fmt:
            each = fmt["cpu_s"] * 1000 / count
            wall = fmt["wall_s"] * 1000 / count
            checks.append((label, each <= 3, f"{each:.2f} ms CPU, {wall:.2f} ms wall a record"))
    peer = timings.get("check-jsonschema (elements)")
    if peer:
        value = peer["wall_s"] / cold
        checks.append(
            ("cold validate ≥ 5× faster than check-jsonschema", value >= 5, f"{value:.1f}×")
        )
    diff_all = _named(timings, "diff-2013, 10 files")
    edited = _named(timings, "validate, warm, 10 files")
    if diff_all and edited:
        value = diff_all["wall_s"] / edited["wall_s"]
        checks.append(
            (
                "diff-2013 (10 changed) ≤ 2× a warm validate of the same files",
                value <= 2,
                f"{value:.2f}× ({diff_all['wall_s'] / warm:.2f}× the warm run with none changed)",
            )
        )
    tenth = _named(timings, "diff-2013, 10 %")
    changed = re.search(r"\((\d+) files\)", tenth["name"]) if tenth else None
    if tenth and changed and int(changed.group(1)) >= 9_000:
        rss = tenth["peak_rss_mb"]
        checks.append(
            (
                f"peak memory of a diff of {changed.group(1)} changed < 250 MB",
                rss < 250,
                f"{rss:.0f} MB",
            )
        )
    if smaller:
        here = _named(timings, "diff --baseline HEAD")
        there = _named({t["name"]: t for t in smaller["timings"]}, "diff --baseline HEAD")
        if here and there:
            value = here["wall_s"] / there["wall_s"]
            git_here = _named(timings, "git status")
            git_there = _named({t["name"]: t for t in smaller["timings"]}, "git status")
            listing = (
                f" (git status alone: {git_here['wall_s'] / git_there['wall_s']:.1f}×,"
                f" {git_here['wall_s']:.2f} s against {git_there['wall_s']:.2f} s)"
                if git_here and git_there
                else ""
            )
            checks.append(
                (
                    f"diff --baseline HEAD ≤ 2× its time at {smaller['count']:,} records",
                    value <= 2,
                    f"{value:.2f}×{listing}",
                )
            )
    return checks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer-rounds", type=int, default=1)
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--skip-peer", action="store_true", help="do not run check-jsonschema")
    parser.add_argument("--skip-packets", action="store_true")
    parser.add_argument(
        "--skip-fmt", action="store_true", help="leave out fmt --check (and formatting first)"
    )
    parser.add_argument(
        "--peer", default=PEER, help="the check-jsonschema executable (default: this venv's)"
    )
    parser.add_argument(
        "--no-snapshot",
        dest="snapshot",
        action="store_false",
        help="run the package as it is in the working tree (default: a copy taken at the start)",
    )
    parser.add_argument(
        "--smaller", type=Path, help="--json of a run at fewer records (checks across sizes)"
    )
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    smaller = json.loads(args.smaller.read_text("utf-8")) if args.smaller else None
    print(report(result, smaller))


if __name__ == "__main__":
    main()
