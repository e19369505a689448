"""Every command that writes either succeeds or says plainly why (exit 2), never exit 3.

Each writing command (its --output, or the records it changes) is taken through the ways a
write fails: a folder where a file goes, a missing folder, a place that cannot be written, a
file that exists without --force, a full disk and a read-only file system. Each ends in exit 2
with one `error:` line naming the path, a `hint:`, no traceback, no temporary file left and no
file changed. Files that may hold personal data are 0600 whatever the umask.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.faults import permissions_enforced, refuse, temporaries
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, element_data, element_yaml

Run = Callable[..., Result]

SETTINGS = '[tool.ichinv]\nprivate_overlay = "../private"\n'
CONTACTS = [{"name": "Zhanar Testova", "role": "bearer", "email": "zhanar@example.org"}]
PROVENANCE = {"entered": "2026-10-01", "sources": [{"list": "community-inventory"}]}


def _untidy(element_id: str) -> str:
    """A valid record `fmt` rewrites: keys in reverse order, values in flow style."""
    data = element_data(element_id, provenance=PROVENANCE)
    return "".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in reversed(data.items())
    )


@pytest.fixture
def root(inventory: Path) -> Path:
    """The test inventory with templates, a private overlay in its settings (not yet made),
    three elements of 2026 (one with contacts, one untidy) and an empty folder `out` beside it."""
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    (inventory / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            "elements/KZ-2026-0001.yaml": element_yaml(
                "KZ-2026-0001", provenance=PROVENANCE, contacts=CONTACTS
            ),
            "elements/KZ-2026-0002.yaml": element_yaml("KZ-2026-0002", provenance=PROVENANCE),
            "elements/KZ-2026-0003.yaml": _untidy("KZ-2026-0003"),
        },
    )
    (inventory.parent / "out").mkdir()
    return inventory


@dataclass(frozen=True)
class Writer:
    """A command that writes, and the name its error must give."""

    args: tuple[str, ...]
    """Its arguments; {out} stands for the folder `out` beside the inventory."""
    names: str
    """What the `error:` line names: the file (or folder) that could not be written."""
    replaces: bool = False
    """Whether it replaces files that exist (records, pages), rather than making new ones."""

    def argv(self, out: Path) -> list[str]:
        return [arg.replace("{out}", str(out)) for arg in self.args]


NEW = (
    "new", "--no-input", "--name-kk", "Домбыра жасау", "--name-ru", "Изготовление домбры",
    "--domain", "craftsmanship", "--province", "KZ-43",
)  # fmt: skip

WRITERS = {
    "export": Writer(("export", "-o", "{out}/list.csv"), "list.csv"),
    "export-committee": Writer(
        ("export", "--audience", "committee", "-o", "{out}/committee.xlsx"), "committee.xlsx"
    ),
    "packet": Writer(("packet", "-o", "{out}/packets"), "packets"),
    "packet-committee": Writer(
        ("packet", "--audience", "committee", "--element", "KZ-2026-0001", "-o", "{out}/packets"),
        "packets",
    ),
    "schema-docs": Writer(("schema-docs", "-o", "{out}/docs"), "docs"),
    "ci-summary": Writer(("ci", "summary", "-o", "{out}/summary.md"), "summary.md"),
    "new": Writer(NEW, "KZ-2026-0004.yaml"),
    "fmt": Writer(("fmt",), "/elements/KZ-20", replaces=True),
    "retire": Writer(
        ("retire", "KZ-2026-0002", "--reason", "Withdrawn"), "KZ-2026-0002.yaml", replaces=True
    ),
    "merge": Writer(
        ("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "One practice"),
        "KZ-2026-000",
        replaces=True,
    ),
    # The record's new text is written in place first, then it is renamed (see renumber).
    "renumber": Writer(("renumber", "KZ-2026-0002"), "KZ-2026-0002.yaml"),
    "private-split": Writer(("private", "split"), "/private"),
    "import": Writer(("import", "{out}/edited.json"), "KZ-2026-0002.yaml", replaces=True),
}


def _prepare(name: str, root: Path, out: Path, run: Run) -> None:
    """What a command needs before it can write: an edited committee export to import."""
    if name in ("import", "renumber"):
        # the overlay, mounted (renumber renames an element's file in it, so it needs it)
        (root.parent / "private" / "elements").mkdir(parents=True)
    if name == "import":
        path = out / "edited.json"
        exported = run("export", "-f", "json", "--audience", "committee", "-o", str(path))
        assert exported.exit_code == 0, exported.stderr
        document = json.loads(path.read_text(encoding="utf-8"))
        element = next(e for e in document["elements"] if e["id"] == "KZ-2026-0002")
        element["viability"]["status"] = "at-risk"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def assert_plain_failure(result: Result, names: str) -> str:
    """Exit 2 with one `error:` line naming `names`, a `hint:`, and no traceback; the error."""
    assert result.exit_code == 2, result
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert names in errors[0], result.stderr
    assert any(line.startswith("hint: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert [line for line in lines if not line.startswith(("error: ", "hint: "))] == []
    return errors[0]


# --- the system refuses: full disk, read-only, permission, immutable ----------------------------

EVERYWHERE = ("open", "mkdir", "link", "replace")
"""A read-only file system or a folder without write permission refuses every creation."""

REFUSALS = {
    "disk-full-on-write": (errno.ENOSPC, ("write",), "no space left on the device"),
    "disk-full-on-flush": (errno.ENOSPC, ("fsync",), "no space left on the device"),
    "read-only": (errno.EROFS, EVERYWHERE, "the file system is read-only"),
    "permission-denied": (errno.EACCES, EVERYWHERE, "permission denied"),
}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_the_system_refusing_a_write_is_exit_2_and_changes_nothing(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch, name: str, refusal: str
) -> None:
    writer, (code, at, words) = WRITERS[name], REFUSALS[refusal]
    out = root.parent / "out"
    _prepare(name, root, out, run)
    before = _files(root.parent)
    refused = refuse(monkeypatch, root.parent, code, *at)
    result = run(*writer.argv(out))
    monkeypatch.undo()
    assert refused, "the fault was never reached"
    error = assert_plain_failure(result, writer.names)
    assert words in error
    assert temporaries(root.parent) == []
    assert _files(root.parent) == before


@pytest.mark.parametrize("name", sorted(n for n, w in WRITERS.items() if w.replaces))
def test_an_immutable_file_is_exit_2(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    writer = WRITERS[name]
    out = root.parent / "out"
    _prepare(name, root, out, run)
    before = _files(root.parent)
    refuse(monkeypatch, root.parent, errno.EPERM, "replace")
    result = run(*writer.argv(out))
    monkeypatch.undo()
    error = assert_plain_failure(result, writer.names)
    assert "not permitted" in error
    assert "chattr -i" in result.stderr
    assert temporaries(root.parent) == [] and _files(root.parent) == before


@pytest.mark.parametrize(
    ("args", "locked", "names"),
    [
        (("export", "-o", "{out}/list.csv"), "out", "list.csv"),
        (("fmt",), "inventory/elements", "/elements/KZ-20"),
        (NEW, "inventory/elements", "KZ-2026-0004.yaml"),
    ],
)
def test_a_folder_without_write_permission_is_exit_2(
    root: Path, run: Run, args: tuple[str, ...], locked: str, names: str
) -> None:
    if not permissions_enforced(root.parent):
        pytest.skip(
            "file permissions do not stop this user (root): the simulated EACCES cases cover it"
        )
    folder = root.parent / locked
    folder.chmod(0o500)
    try:
        result = run(*Writer(args, names).argv(root.parent / "out"))
    finally:
        folder.chmod(0o755)
    assert "permission denied" in assert_plain_failure(result, names)
    assert temporaries(root.parent) == []


# --- the user's mistakes about output paths ------------------------------------------------------


def _folder_where_a_file_goes(root: Path, out: Path) -> None:
    (out / "list.csv").mkdir()
    (out / "summary.md").mkdir()
    (out / "packets" / "index.md").mkdir(parents=True)
    (out / "docs").write_text("a file, not a folder", encoding="utf-8")
    (root.parent / "private" / "elements").parent.mkdir()
    (root.parent / "private" / "elements").write_text("a file", encoding="utf-8")


FOLDER_WHERE_A_FILE_GOES = [
    (("export", "-o", "{out}/list.csv"), "list.csv: it is a folder"),
    (("export", "-o", "{out}/list.csv", "--force"), "list.csv: it is a folder"),
    (("export", "-o", "{out}"), "out: it is a folder"),
    (("packet", "-o", "{out}/packets", "--force"), "index.md: it is a folder"),
    (("packet", "-o", "{out}/docs"), "docs is a file, not a folder"),
    (("schema-docs", "-o", "{out}/docs"), "docs: a file of that name is in the way"),
    (("ci", "summary", "-o", "{out}/summary.md"), "summary.md: it is a folder"),
    (("private", "split"), "elements: a file of that name is in the way"),
]


@pytest.mark.parametrize(("args", "names"), FOLDER_WHERE_A_FILE_GOES, ids=lambda v: str(v))
def test_a_folder_where_a_file_goes_and_the_reverse_are_exit_2(
    root: Path, run: Run, args: tuple[str, ...], names: str
) -> None:
    out = root.parent / "out"
    _folder_where_a_file_goes(root, out)
    before = _files(root.parent)
    result = run(*Writer(args, names).argv(out))
    assert_plain_failure(result, names)
    assert temporaries(root.parent) == [] and _files(root.parent) == before


def test_new_when_elements_is_a_file_stops_before_asking(root: Path, run: Run) -> None:
    shutil.rmtree(root / "elements")
    (root / "elements").write_text("not a folder", encoding="utf-8")
    result = run("new", input="Домбыра жасау\n")
    assert_plain_failure(result, "elements is a file, not a folder")
    assert "Name in Kazakh" not in result.stdout


def test_new_makes_the_elements_folder_of_a_new_inventory(root: Path, run: Run) -> None:
    shutil.rmtree(root / "elements")
    result = run(*NEW)
    assert result.exit_code == 0, result.stderr
    assert (root / "elements" / "KZ-2026-0001.yaml").is_file()


MISSING_FOLDER = [
    ("export", "-o", "{out}/typo/list.csv"),
    ("export", "--audience", "committee", "-o", "{out}/typo/deeper/list.csv"),
    ("packet", "-o", "{out}/typo/packets"),
    ("schema-docs", "-o", "{out}/typo/docs"),
    ("ci", "summary", "-o", "{out}/typo/summary.md"),
]


@pytest.mark.parametrize("args", MISSING_FOLDER, ids=lambda v: " ".join(v))
def test_a_missing_folder_is_refused_never_created(
    root: Path, run: Run, args: tuple[str, ...]
) -> None:
    out = root.parent / "out"
    result = run(*Writer(args, "").argv(out))
    error = assert_plain_failure(result, f"the folder {out / 'typo'} does not exist")
    assert "typo" in error
    assert not (out / "typo").exists()


def test_a_missing_folder_above_the_private_overlay_is_refused(root: Path, run: Run) -> None:
    settings = SETTINGS.replace("../private", "../typo/private")
    (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    before = _files(root)
    result = run("private", "split")
    assert_plain_failure(result, "typo does not exist")
    assert not (root.parent / "typo").exists() and _files(root) == before


EXISTING = [
    (("export", "-o", "{out}/list.csv"), "list.csv already exists", "list.csv"),
    (("packet", "-o", "{out}/packets"), "index.md already exists", "packets/index.md"),
    (("schema-docs", "-o", "{out}/docs"), "would change", "docs/README.md"),
]


@pytest.mark.parametrize(("args", "names", "existing"), EXISTING, ids=lambda v: str(v))
def test_an_existing_file_is_kept_without_force(
    root: Path, run: Run, args: tuple[str, ...], names: str, existing: str
) -> None:
    out = root.parent / "out"
    build_file_tree(out, {existing: "keep me\n"})
    result = run(*Writer(args, names).argv(out))
    assert_plain_failure(result, names)
    assert "--force" in result.stderr
    assert (out / existing).read_text(encoding="utf-8") == "keep me\n"
    assert temporaries(root.parent) == []


# --- personal data: 0600 whatever the umask ------------------------------------------------------


@pytest.fixture(params=[0o022, 0o000], ids=lambda m: f"umask-{m:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_committee_files_are_0600_and_public_ones_follow_the_umask(
    root: Path, run: Run, umask: int
) -> None:
    out = root.parent / "out"
    public = 0o666 & ~umask
    for args in (
        ("private", "split"),  # first: a committee view needs the overlay the settings name
        ("export", "--audience", "committee", "-o", f"{out}/committee.csv"),
        ("export", "--audience", "committee", "-f", "json", "-o", f"{out}/committee.json"),
        ("export", "-o", f"{out}/public.csv"),
        ("packet", "--audience", "committee", "-o", f"{out}/committee"),
        ("packet", "-o", f"{out}/public"),
        ("ci", "summary", "-o", f"{out}/summary.md"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    assert _mode(out / "committee.csv") == 0o600
    assert _mode(out / "committee.json") == 0o600
    assert _mode(out / "public.csv") == public
    assert _mode(out / "committee") == 0o700
    assert {_mode(p) for p in (out / "committee").iterdir()} == {0o600}
    assert {_mode(p) for p in (out / "public").iterdir()} == {public}
    assert _mode(out / "summary.md") == 0o600  # its reports may be committee packets
    overlay = root.parent / "private"
    assert _mode(overlay) == 0o700 and _mode(overlay / "elements") == 0o700
    assert _mode(overlay / "elements" / "KZ-2026-0001.yaml") == 0o600
    assert _mode(root / "elements" / "KZ-2026-0001.yaml") == 0o644  # the record keeps its mode
    assert run(*NEW).exit_code == 0
    assert _mode(root / "elements" / "KZ-2026-0004.yaml") == public  # records: as before


def test_a_committee_export_over_a_public_one_is_0600(root: Path, run: Run) -> None:
    out = root.parent / "out"
    assert run("private", "split").exit_code == 0
    assert run("export", "-o", f"{out}/list.csv").exit_code == 0
    (out / "list.csv").chmod(0o644)
    assert (
        run("export", "--audience", "committee", "-o", f"{out}/list.csv", "--force").exit_code == 0
    )
    assert _mode(out / "list.csv") == 0o600


@pytest.mark.parametrize(
    "args",
    [
        ("packet",),
        ("export",),
        ("form",),
        ("schema-docs",),
        ("site",),
        ("ci", "summary", "report.json"),
    ],
    ids=" ".join,
)
def test_an_empty_output_is_a_usage_error_and_writes_nothing(
    inventory: Path, run: Run, args: tuple[str, ...]
) -> None:
    """Found by an outside review: `--output ''` was read as the current folder, and
    `schema-docs` wrote its pages into the inventory's root, `packet` its index.md."""
    before = sorted(p.name for p in inventory.iterdir())
    result = run(*args, "--output", "")
    assert result.exit_code == 2
    assert "--output needs the name of a file or folder, not empty text" in result.stderr
    assert sorted(p.name for p in inventory.iterdir()) == before
