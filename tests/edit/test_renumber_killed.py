"""`renumber` killed (SIGKILL, a power cut) at any step of its write never leaves two live
copies of the record: the inventory is as before, as after, or in a state `validate` reports,
and running the same command again completes the change.

Found by an outside test: killed after the record's new file was placed and before the old
one was removed, renumber left `elements/KZ-2013-0022.yaml`, a whole copy of
KZ-2013-0008 under a new id, beside the old file; `validate` said "ok" once the temporary
files were removed (as its hint says to), and running renumber again made a third id.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.cli.test_new import FLAGS
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, element_yaml

Run = Callable[..., Result]

SETTINGS = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'
CONTACTS = [{"name": "Zhanar Testova", "role": "bearer", "email": "zhanar@example.org"}]
PROVENANCE = {"entered": "2026-02-01", "sources": [{"list": "community-inventory"}]}
RESTRICTED = {
    "level": "restricted",
    "restricted_parts": ["/related"],
    "reason": "The singers asked that the lineage of the school not be published.",
}

KILLED = """
import os, signal, sys
steps, root = int(sys.argv[1]), os.path.realpath(sys.argv[2])
count = [0]

def killing(real):
    def step(*args, **kwargs):
        if any(os.path.realpath(os.fsdecode(a)).startswith(root) for a in args[:2]):
            count[0] += 1
            if count[0] == steps:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return step

for name in ("link", "replace", "rename", "unlink"):
    setattr(os, name, killing(getattr(os, name)))
sys.argv = ["ichinv", *sys.argv[3:]]
from ichinv.cli import main
main()
"""
"""Runs ichinv, killed at its `steps`-th change of a file under the inventory (a hard link, a
rename or a removal: the steps at which a write can be cut between two states)."""

COMMAND = ("renumber", "KZ-2026-0002", "--force")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every record and overlay file, but ichinv's temporary files (validate names those)."""
    return {
        p.relative_to(root.parent).as_posix(): p.read_bytes()
        for base in (root / "elements", root.parent / "private" / "elements")
        for p in sorted(base.iterdir())
        if not p.name.endswith(".tmp")
    }


def remove_temporaries(root: Path) -> None:
    """What the hint of `file.temporary` says to do once the files are compared."""
    for base in (root / "elements", root.parent / "private" / "elements"):
        for path in base.glob(".*.tmp"):
            path.unlink()


@pytest.fixture
def overlaid(inventory: Path, run: Run) -> Path:
    """A public repository: KZ-2026-0002 keeps its contacts in the overlay; KZ-2026-0001
    names it in a `related` the overlay keeps, KZ-2026-0003 in its record."""
    (inventory / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001",
                provenance=PROVENANCE,
                access=RESTRICTED,
                related=[{"id": "KZ-2026-0002", "relation": "see-also"}],
            ),
            "elements/KZ-2026-0002.yaml": element_yaml(
                "KZ-2026-0002", provenance=PROVENANCE, contacts=CONTACTS
            ),
            "elements/KZ-2026-0003.yaml": element_yaml(
                "KZ-2026-0003",
                provenance=PROVENANCE,
                related=[{"id": "KZ-2026-0002", "relation": "variant-of"}],
            ),
        },
    )
    assert run("private", "split").exit_code == 0
    assert run("validate").exit_code == 0
    return inventory


def copy(source: Path, target: Path) -> None:
    """The records and overlay files at `source` put in place of those at `target` (the
    folders stay: the current folder is one of them)."""
    for name in ("inventory/elements", "private/elements"):
        (target / name).mkdir(parents=True, exist_ok=True)
        for path in (target / name).iterdir():
            path.unlink()
        shutil.copytree(source / name, target / name, dirs_exist_ok=True)
    shutil.copytree(source / "private", target / "private", dirs_exist_ok=True)


def kill_at(
    overlaid: Path, steps: int, command: tuple[str, ...] = COMMAND
) -> subprocess.CompletedProcess[bytes]:
    """`command` run in `overlaid`, killed at its `steps`-th change of a file (see KILLED)."""
    return subprocess.run(
        [sys.executable, "-c", KILLED, str(steps), str(overlaid.parent), *command],
        cwd=overlaid,
        capture_output=True,
        check=False,
    )


@pytest.mark.slow  # kill runs (about 5 s each): .ci/run runs them with -m slow
def test_renumber_killed_at_any_step_is_noticed_and_completed_by_running_it_again(
    overlaid: Path, run: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pristine = tmp_path_factory.mktemp("pristine")
    copy(overlaid.parent, pristine)
    before = snapshot(overlaid)
    done = run(*COMMAND)
    assert done.exit_code == 0, done.stderr
    after = snapshot(overlaid)
    assert "elements/KZ-2026-0004.yaml" in "".join(after)
    seen_after, between = False, 0
    for steps in range(1, 40):
        copy(pristine, overlaid.parent)
        killed = kill_at(overlaid, steps)
        remove_temporaries(overlaid)
        state = snapshot(overlaid)
        if killed.returncode == 0:
            assert state == after
            seen_after = True
            break
        assert killed.returncode < 0, killed.stderr  # killed, not failed
        if state not in (before, after):
            between += 1
            checked = run("validate", "--format", "json")
            findings = json.loads(checked.stdout)["findings"]
            assert checked.exit_code == 1, (steps, sorted(state))
            assert findings, (steps, sorted(state))
        again = run(*COMMAND) if state != after else None
        assert again is None or again.exit_code == 0, (steps, again.stderr)
        assert snapshot(overlaid) == after, steps
    assert seen_after and between  # every step was tried, and some were cut between states


@pytest.mark.slow  # kill runs (about 5 s each): .ci/run runs them with -m slow
def test_a_renumber_killed_while_renaming_is_completed_by_running_it_again(
    overlaid: Path, run: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The state a kill after the overlay file moved and before the record's renaming leaves:
    the record holds its new id under its old name, and the overlay file is under the new id
    already (which, without the note the renumber leaves first, would be another element's:
    see test_renumber_resume)."""
    record = overlaid / "elements" / "KZ-2026-0002.yaml"
    private = overlaid.parent / "private" / "elements"
    pristine = tmp_path_factory.mktemp("pristine")
    copy(overlaid.parent, pristine)
    for steps in range(1, 40):
        copy(pristine, overlaid.parent)
        assert kill_at(overlaid, steps).returncode < 0, steps  # killed before the end
        if (
            b"id: KZ-2026-0004" in record.read_bytes()
            and (private / "KZ-2026-0004.yaml").exists()
            and not (private / "KZ-2026-0002.yaml").exists()
        ):
            break
    remove_temporaries(overlaid)
    checked = run("validate")
    assert checked.exit_code == 1
    assert "error [id.file-name] the id is 'KZ-2026-0004'" in checked.stdout
    again = run(*COMMAND)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith(
        "renumbered KZ-2026-0002 → KZ-2026-0004 "
        "(elements/KZ-2026-0002.yaml → elements/KZ-2026-0004.yaml)\n"
    )
    assert "note: elements/KZ-2026-0002.yaml held the id KZ-2026-0004 already" in again.stdout
    assert not record.exists()
    assert "zhanar@example.org" in run("show", "KZ-2026-0004", "--audience", "committee").stdout
    assert run("validate").exit_code == 0
    assert sorted(p.name for p in private.parent.glob(".ichinv*")) == []


PLAIN = ("renumber", "KZ-2026-0002")
"""The renumber of an inventory without a private overlay: it gives KZ-2026-0002 the next
free id, KZ-2026-0004, and KZ-2026-0001's and KZ-2026-0003's references follow."""


@pytest.fixture
def plain(inventory: Path) -> Path:
    """No private overlay (so no note is left: none of the record's files moves there), and
    two records referring to KZ-2026-0002, so that a kill can come between them."""
    (inventory / "templates").mkdir()
    (inventory / "templates" / "new-element.yaml").write_bytes(
        (REPO_ROOT / "templates" / "new-element.yaml").read_bytes()
    )
    related = [{"id": "KZ-2026-0002", "relation": "see-also"}]
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001", provenance=PROVENANCE, related=related
            ),
            "elements/KZ-2026-0002.yaml": element_yaml("KZ-2026-0002", provenance=PROVENANCE),
            "elements/KZ-2026-0003.yaml": element_yaml(
                "KZ-2026-0003", provenance=PROVENANCE, related=related
            ),
        },
    )
    return inventory


def killed_plainly(plain: Path, pristine: Path, steps: int) -> int:
    """The records of `pristine` put back in `plain`, then PLAIN run there, killed at its
    `steps`-th change of a file; its return code."""
    shutil.rmtree(plain / "elements")
    shutil.copytree(pristine, plain / "elements")
    killed = kill_at(plain, steps, PLAIN)
    for path in (plain / "elements").glob(".*.tmp"):
        path.unlink()  # as the hint of `file.temporary` says, once compared
    return killed.returncode


def references(root: Path) -> set[str]:
    """The ids KZ-2026-0001 and KZ-2026-0003 refer to."""
    return {
        item["id"]
        for name in ("KZ-2026-0001", "KZ-2026-0003")
        for item in yaml.safe_load((root / "elements" / f"{name}.yaml").read_text())["related"]
    }


def given_by_new(run: Run, root: Path) -> str:
    """The id `ichinv new` gives now, checked to be one no other record file names (in its
    `id:` line or in a reference)."""
    created = run(*FLAGS)
    assert created.exit_code == 0, created.stderr
    given = created.stdout.split("(", 1)[1].split(")", 1)[0]
    naming = [
        p.name
        for p in sorted((root / "elements").glob("*.yaml"))
        if p.stem != given and given in p.read_text(encoding="utf-8")
    ]
    assert naming == [], (given, naming)
    return given


def completed(run: Run, root: Path, given: str) -> None:
    """PLAIN run again completes the renumber (unless it was killed once done): both
    references name the renumbered record, which is not the element `new` created (`given`),
    and no id or reference is wrong."""
    if (root / "elements" / "KZ-2026-0002.yaml").exists():
        again = run(*PLAIN)
        assert again.exit_code == 0, again.stderr
    (new_id,) = references(root)
    assert new_id not in ("KZ-2026-0002", given)
    renumbered = yaml.safe_load((root / "elements" / f"{new_id}.yaml").read_text())
    assert renumbered["names"]["en"] == "Element KZ-2026-0002"  # the record renumbered
    findings = json.loads(run("validate", "--format", "json").stdout)["findings"]
    assert [f for f in findings if f["rule"].startswith(("id.", "ref."))] == []


def test_a_renumber_killed_once_a_reference_names_its_new_id_keeps_that_id(
    plain: Path, run: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Found by a review: with no overlay file to move (none in the inventory), a renumber
    killed after it changed KZ-2026-0001's reference to KZ-2026-0004 and before the record's
    own text left no note, the record still KZ-2026-0002: `new` gave KZ-2026-0004 to another
    element, and KZ-2026-0001 referred to it. The record now holds its new id before any
    reference names it, and `new` passes by every id a record names."""
    pristine = tmp_path_factory.mktemp("pristine") / "elements"
    shutil.copytree(plain / "elements", pristine)
    for steps in range(1, 40):
        assert killed_plainly(plain, pristine, steps) < 0, steps  # killed before the end
        if references(plain) != {"KZ-2026-0002"}:
            break
    assert references(plain) == {"KZ-2026-0002", "KZ-2026-0004"}  # one changed, one not
    given = given_by_new(run, plain)
    assert given == "KZ-2026-0005"
    assert b"id: KZ-2026-0004" in (plain / "elements" / "KZ-2026-0002.yaml").read_bytes()
    completed(run, plain, given)


@pytest.mark.slow  # kill runs (about 1 s each): .ci/run runs them with -m slow
def test_new_never_gives_an_id_a_renumber_killed_at_any_step_wrote(
    plain: Path, run: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pristine = tmp_path_factory.mktemp("pristine") / "elements"
    shutil.copytree(plain / "elements", pristine)
    for steps in range(1, 40):
        code = killed_plainly(plain, pristine, steps)
        given = given_by_new(run, plain)
        if code == 0:
            assert references(plain) == {"KZ-2026-0004"}
            break
        assert code < 0, steps
        completed(run, plain, given)
    else:
        pytest.fail("the renumber was never left to finish")
