"""No command writes its output into what the inventory keeps, whatever --force says.

An outside attacker's report: `export -o elements/committee.json --audience committee` put a
file of contacts into a folder git tracks (and list, packet and export then failed on it);
`schema-docs -o . --force` replaced the inventory's README; `schema-docs`/`packet -o
elements|.git|templates/packets` wrote there, also through a link; `ci summary -o
elements/KZ-2013-0001.yaml` appended Markdown to a record and made it 0600. Only `site`
refused such places. Now every command with --output refuses them (exit 2) with a hint naming a
place it takes (ichinv.inventory.kept).
"""

from __future__ import annotations

import hashlib
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import REPO_ROOT, Result, build_inventory, commit, init_repo

Run = Callable[..., Result]

README = "# Our inventory\n"


@pytest.fixture
def root(git_inventory: Path) -> Path:
    """A git inventory with templates, a README and a private overlay beside it."""
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    (git_inventory / "README.md").write_text(README, encoding="utf-8")
    settings = git_inventory / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "[tool.ichinv]\n", '[tool.ichinv]\nprivate_overlay = "../private"\n', 1
        ),
        "utf-8",
    )
    (git_inventory.parent / "private" / "elements").mkdir(parents=True)
    return git_inventory


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the inventory and of its overlay, with a digest of its bytes and its mode."""
    found = {}
    for base in (root, root.parent / "private"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
                found[str(path)] = f"{digest} {stat.S_IMODE(path.stat().st_mode):o}"
    return found


FOLDERS = ("elements", "provinces", "schema", "templates/packets", ".git", ".", "../private")
FILES = (
    "elements/committee.json",
    "provinces/x.json",
    "schema/x.json",
    "templates/x.json",
    ".git/x.json",
    "../private/x.json",
)


def _file_writers(name: str) -> list[tuple[str, ...]]:
    """Commands that write one file at `name` (a .json path), each with --force."""
    xlsx = name.removesuffix(".json") + ".xlsx"
    md = name.removesuffix(".json") + ".md"
    return [
        ("export", "-o", name, "--audience", "committee", "--force"),
        ("export", "-o", name, "--force"),
        ("form", "-o", xlsx, "--force"),
        ("ci", "summary", "-o", md, "README.md"),
    ]


def _folder_writers(name: str) -> list[tuple[str, ...]]:
    return [
        ("packet", "-o", name, "--force"),
        ("packet", "-o", name, "--audience", "committee", "--force"),
        ("schema-docs", "-o", name, "--force"),
        ("site", "-o", name, "--force"),
    ]


CASES = [args for name in FILES for args in _file_writers(name)] + [
    args for name in FOLDERS for args in _folder_writers(name)
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_no_output_goes_into_a_folder_the_inventory_keeps(
    root: Path, run: Run, args: tuple[str, ...]
) -> None:
    before = snapshot(root)
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert (
        "which the inventory keeps" in result.stderr
        or "would write over the inventory itself" in result.stderr
    ), result.stderr
    hint = result.stderr.split("hint: ", 1)[1]
    assert "give a f" in hint and "Traceback" not in result.stderr, result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("kept", ["README.md", "pyproject.toml", ".gitignore", "LICENSE.json"])
@pytest.mark.parametrize("command", ["export", "ci"])
def test_no_output_replaces_a_file_the_inventory_keeps(
    root: Path, run: Run, kept: str, command: str
) -> None:
    (root / ".gitignore").write_text("/packets/\n", encoding="utf-8")
    (root / "LICENSE.json").write_text("{}\n", encoding="utf-8")
    before = snapshot(root)
    args = (
        ("export", "-o", kept, "-f", "json", "--force")
        if command == "export"
        else ("ci", "summary", "-o", kept, "README.md")
    )
    result = run(*args)
    assert result.exit_code == 2, (args, result.stderr)
    assert f"would replace {kept}, a file the inventory keeps" in result.stderr, result.stderr
    assert "hint: give a file of its own, e.g. --output " in result.stderr
    assert snapshot(root) == before


def test_the_job_summary_variable_is_held_to_the_same_places(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside review: GITHUB_STEP_SUMMARY=README.md appended the summary to the
    inventory's README (exit 0), which `-o README.md` refuses."""
    before = snapshot(root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(root / "README.md"))
    result = run("ci", "summary", "README.md")
    assert result.exit_code == 2, result.stderr
    assert "a file the inventory keeps" in result.stderr
    assert snapshot(root) == before
    summary = root.parent / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run("ci", "summary", "README.md").exit_code == 0
    assert summary.is_file()


def test_a_new_file_named_like_a_document_of_the_inventory_is_written(root: Path, run: Run) -> None:
    """An outside review: `export -o license.csv` and `-o changelog.xlsx` were refused as
    "would replace …, a file the inventory keeps" where no such file was."""
    for name in ("license.csv", "changelog.xlsx"):
        result = run("export", "-o", name)
        assert result.exit_code == 0, (name, result.stderr)
        assert (root / name).is_file()


def test_a_summary_is_not_added_to_a_record(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's exact case: the record kept its bytes and its mode 0644."""
    record = next((root / "elements").glob("*.yaml"))
    record.chmod(0o644)
    before = record.read_bytes()
    result = run("ci", "summary", "-o", f"elements/{record.name}", "README.md")
    assert result.exit_code == 2, result.stderr
    assert "hint: give a file of its own, e.g. --output summary.md" in result.stderr
    assert record.read_bytes() == before
    assert stat.S_IMODE(record.stat().st_mode) == 0o644
    # From outside the inventory too (ci summary needs none): the one the path lies in.
    outside = root.parent / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = run("ci", "summary", "-o", f"../{root.name}/elements/{record.name}")
    assert result.exit_code == 2 and "which the inventory keeps" in result.stderr
    assert record.read_bytes() == before


def test_an_inventory_whose_templates_lead_out_still_takes_a_summary_beside_them(
    root: Path, run: Run
) -> None:
    """An outside review: with templates/ a link leading out of the inventory, `ci summary -o
    notes/s.md` was refused (exit 2: the link "was not read"), which it wrote before the
    guard; ci summary reads no template, and notes/ is no folder the inventory keeps."""
    shutil.move(root / "templates", root.parent / "templates-elsewhere")
    (root / "templates").symlink_to(root.parent / "templates-elsewhere")
    (root / "notes").mkdir()
    result = run("ci", "summary", "-o", "notes/s.md", "README.md")
    assert result.exit_code == 0, result.stderr
    assert (root / "notes" / "s.md").is_file()
    refused = run("ci", "summary", "-o", "templates/s.md", "README.md")
    assert refused.exit_code == 2, refused.stderr  # where the link leads is kept still


def test_a_link_is_followed_to_where_it_leads(root: Path, run: Run) -> None:
    (root / "outlink").symlink_to("elements")
    (root / "notes.md").symlink_to(root / "README.md")
    before = snapshot(root)
    for args in (
        ("schema-docs", "-o", "outlink"),
        ("packet", "-o", "outlink"),
        ("export", "-o", "outlink/x.csv"),
        ("ci", "summary", "-o", "notes.md", "README.md"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "the inventory keeps" in result.stderr, result.stderr
    assert snapshot(root) == before


def test_the_place_a_hint_names_is_taken(root: Path, run: Run) -> None:
    for refused in (
        ("export", "-o", "elements/committee.json", "--audience", "committee"),
        ("packet", "-o", "elements"),
        ("schema-docs", "-o", "."),
        ("ci", "summary", "-o", "README.md", "README.md"),
    ):
        result = run(*refused)
        assert result.exit_code == 2, result.stderr
        place = result.stderr.split("e.g. --output ", 1)[1].split()[0]
        option = refused.index("-o")
        followed = run(*refused[: option + 1], place, *refused[option + 2 :])
        assert followed.exit_code == 0, (place, followed.stderr)
    assert (root.parent / f"{root.name}-elements.json").is_file()
    assert (root / "packets" / "index.md").is_file()
    assert (root / "summary.md").is_file()
    assert run("list").exit_code == 0


@pytest.mark.parametrize("command", ["site", "schema-docs"])
def test_a_folder_is_not_written_to_standard_output(root: Path, run: Run, command: str) -> None:
    """`-` is standard output for every other command: these two made a folder named `-`."""
    result = run(command, "-o", "-")
    assert result.exit_code == 2, result.stderr
    assert "--output - means standard output, but ichinv" in result.stderr, result.stderr
    assert "hint: give a folder" in result.stderr and "./-" in result.stderr
    assert not (root / "-").exists()
    assert run(command, "-o", "./-").exit_code == 0  # a folder named `-`, asked for plainly
    assert (root / "-").is_dir()


@pytest.mark.parametrize(
    "refused",
    [
        ("export", "-o", "../private/committee.csv", "--audience", "committee"),
        ("export", "-o", "README.md", "-f", "csv", "--audience", "committee"),
        ("packet", "-o", "../private/packets", "--audience", "committee"),
    ],
    ids=" ".join,
)
def test_a_committee_output_is_offered_a_place_outside_the_repository(
    root: Path, run: Run, refused: tuple[str, ...]
) -> None:
    """An outside review: a committee export refused in the private overlay was offered
    `--output committee.csv`, in the repository's root, which git does not ignore: a file of
    contacts one `git add .` away from the public history. The hint now names a place beside
    the repository, and the command writes there."""
    result = run(*refused)
    assert result.exit_code == 2, result.stderr
    place = result.stderr.split("e.g. --output ", 1)[1].split()[0]
    assert place.startswith("../"), result.stderr
    option = refused.index("-o")
    followed = run(*refused[: option + 1], place, *refused[option + 2 :])
    assert followed.exit_code == 0, (place, followed.stderr)
    written = (root / place).resolve()
    assert not written.is_relative_to(root.resolve()) and written.exists()


@pytest.mark.parametrize("layout", ["a folder of it", "a repository in its working tree"])
def test_an_inventory_in_a_folder_of_its_repository_is_offered_a_place_beside_the_repository(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    """Two outside reviews: with the inventory in `top/inv`, the hint for a committee export
    named `../inv-elements.json`, inside the repository `top`, where `git add -A` took it; and
    so with the inventory a repository of its own inside `top`'s working tree (a submodule's
    place), where no note followed the export either."""
    top = tmp_path / "top"
    inventory = build_inventory(top / "inv")
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    if layout == "a repository in its working tree":
        commit(init_repo(inventory), "The inventory")
        (top / "README.md").write_text("The project\n", "utf-8")
        outer = init_repo(top)
        outer.git.add("README.md")
        commit(outer, "A project holding the inventory's repository")
    else:
        commit(init_repo(top), "An inventory in a folder of the repository")
    monkeypatch.chdir(inventory)
    for refused in (
        ("export", "-o", "elements/committee.json", "--audience", "committee"),
        ("packet", "-o", "elements/pk", "--audience", "committee"),
    ):
        result = run(*refused)
        assert result.exit_code == 2, result.stderr
        place = result.stderr.split("e.g. --output ", 1)[1].split()[0]
        assert not (inventory / place).resolve().is_relative_to(top.resolve()), place
        followed = run(*refused[:2], place, *refused[3:])
        assert followed.exit_code == 0, followed.stderr
        assert "git add" not in followed.stderr  # no note: git does not see it
    status = git.Repo(top).git.status("--porcelain", "--untracked-files=all")
    assert "elements" not in status and "packets" not in status, status
    written = run("export", "-o", "../committee.json", "--audience", "committee")
    assert written.exit_code == 0, written.stderr
    assert "note: ../committee.json holds contacts" in written.stderr


@pytest.mark.parametrize("command", ["export", "packet"])
def test_a_committee_output_git_would_take_is_noted(root: Path, run: Run, command: str) -> None:
    """An outside review: `export --audience committee -o committee.json` wrote contacts into
    the repository's root without a word, one `git add .` away from its history. It is written
    as asked, with a note; one in an ignored folder, or a public one, gets none."""
    place = "committee.json" if command == "export" else "committee-packets"
    result = run(command, "-o", place, "--audience", "committee")
    assert result.exit_code == 0, result.stderr
    assert f"note: {place} holds contacts and restricted parts, and `git add` would take it" in (
        result.stderr
    )
    (root / ".gitignore").write_text("/private-out/\n", "utf-8")
    (root / "private-out").mkdir()
    ignored = run(command, "-o", f"private-out/{place}", "--audience", "committee")
    assert ignored.exit_code == 0 and "git add" not in ignored.stderr, ignored.stderr
    public = run(command, "-o", f"public-{place}")
    assert public.exit_code == 0 and "git add" not in public.stderr, public.stderr
