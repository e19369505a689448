"""Time `ichinv site` on a generated inventory: a full build, a rebuild when nothing changed, a
rebuild after one record changed, and a warm `ichinv validate` of the same records.

    python -m benchmarks.site [--count 1000] [--rounds 5] [--workdir DIR]

Generates the inventory (benchmarks.generate, no defects), commits it in a throwaway git
repository, then, each round, runs as a user would (the console script, its own process):
the full build into an empty folder, the rebuild with nothing changed, the rebuild after
one element's record was edited (then put back, and git's index refreshed as `git status`
does), and `ichinv validate` with its cache warm. Prints the median of each, with the CPU
time and the machine's load. Not part of the test suite: the machine may be shared.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from benchmarks.generate import REPO_ROOT, element_id, generate, revise
from benchmarks.run import ICHINV, git, machine, measure, refresh

SCENARIOS = ("full build", "no-change rebuild", "one-record rebuild", "warm validate")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ichinv-site-bench-"))
    root = workdir / f"inventory-{args.count}"
    if root.exists():
        shutil.rmtree(root)
    generate(root, args.count)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "gc.auto", "0")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Inventory")
    compileall.compile_dir(REPO_ROOT / "ichinv", quiet=1)  # as installed: bytecode written
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(workdir / "cache")
    site = workdir / "site"
    build = [ICHINV, "site", "--output", str(site)]
    measure([ICHINV, "validate"], root, env)  # fills the caches, as a user's first run does
    edited = root / "elements" / f"{element_id(args.count // 2)}.yaml"
    saved = edited.read_bytes()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in SCENARIOS}

    def timed(name: str, command: list[str]) -> None:
        wall, cpu, _, _ = measure(command, root, env)
        times[name].append((wall, cpu))

    loads = [os.getloadavg()[0]]
    for number in range(args.rounds):
        shutil.rmtree(site, ignore_errors=True)
        timed("full build", build)
        timed("no-change rebuild", build)
        revise(root, [args.count // 2], revision=number + 1)
        timed("one-record rebuild", build)
        edited.write_bytes(saved)
        refresh(root)
        measure(build, root, env)  # back to the inventory as committed
        timed("warm validate", [ICHINV, "validate"])
        loads.append(os.getloadavg()[0])
    info = machine()
    print(
        f"{args.count} elements, {args.rounds} rounds; {info['nproc']} cores ({info['cpu']}), "
        f"Python {info['python']}, load average {min(loads):.1f}–{max(loads):.1f}"
    )
    for name in SCENARIOS:
        walls = [w for w, _ in times[name]]
        cpus = [c for _, c in times[name]]
        print(
            f"  {name:<20} median {statistics.median(walls):6.2f} s "
            f"(min {min(walls):.2f}, max {max(walls):.2f}; CPU {statistics.median(cpus):.2f} s)"
        )


if __name__ == "__main__":
    main()
