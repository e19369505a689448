"""Personal data at rest: a public repository keeps contacts and restricted parts in the
private overlay; committee output merges them in, public output never shows them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ichinv.core.pointers import matches as values_at
from tests.support.helpers import (
    REPO_ROOT,
    Result,
    build_file_tree,
    commit,
    element_yaml,
    init_repo,
)

Run = Callable[..., Result]

CONTACT = "Zhanar Testova"
EMAIL = "zhanar@example.org"
SECRET = "the grove behind the old well"
PUBLIC_SETTINGS = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'
RECORD = "elements/KZ-2013-0005.yaml"


def restricted_record() -> str:
    return "# kept by the Kyzylorda team\n" + element_yaml(
        "KZ-2013-0005",
        contacts=[{"name": CONTACT, "role": "bearer", "email": EMAIL, "phone": "+7 700 000 00 00"}],
        locations=[{"place": SECRET, "province": "KZ-43"}],
        access={
            "level": "restricted",
            "restricted_parts": ["/locations"],
            "reason": "The community asked that the place of the rite not be published.",
        },
    )


@pytest.fixture
def public_inventory(inventory: Path) -> Path:
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    (inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    build_file_tree(inventory, {RECORD: restricted_record()})
    return inventory


def findings(run: Run, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run("validate", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_a_contact_committed_to_a_public_repository_fails_validate(
    public_inventory: Path, run: Run
) -> None:
    commit(init_repo(public_inventory), "add an element")
    code, found = findings(run)
    assert code == 1
    privacy = [f for f in found if f["rule"] == "privacy.public-repository"]
    assert {(f["path"], f["pointer"]) for f in privacy} == {
        (RECORD, "/contacts"),
        (RECORD, "/locations"),
    }
    assert all(f["line"] for f in privacy)


def test_the_same_record_in_a_private_repository_is_fine(inventory: Path, run: Run) -> None:
    build_file_tree(inventory, {RECORD: restricted_record()})
    code, found = findings(run)
    assert (code, found) == (0, [])


def test_split_moves_private_fields_and_validate_passes(public_inventory: Path, run: Run) -> None:
    before = (public_inventory / RECORD).read_text(encoding="utf-8")
    result = run("private", "split", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"{RECORD}: would move contacts, locations to" in result.stdout
    assert (public_inventory / RECORD).read_text(encoding="utf-8") == before

    result = run("private", "split")
    assert result.exit_code == 0, result.stderr
    text = (public_inventory / RECORD).read_text(encoding="utf-8")
    assert CONTACT not in text and SECRET not in text and EMAIL not in text
    assert text.startswith("# kept by the Kyzylorda team\n")  # comments stay
    assert "restricted_parts:" in text
    kept = public_inventory.parent / "private" / "elements" / "KZ-2013-0005.yaml"
    data = yaml.safe_load(kept.read_text(encoding="utf-8"))
    assert data["id"] == "KZ-2013-0005"
    assert data["contacts"][0]["email"] == EMAIL
    assert data["locations"] == [{"place": SECRET, "province": "KZ-43"}]
    assert findings(run) == (0, [])
    # A second run finds nothing left to move.
    again = run("private", "split")
    assert "nothing to move" in again.stdout


def test_validate_passes_in_ci_without_the_overlay(public_inventory: Path, run: Run) -> None:
    assert run("private", "split").exit_code == 0
    overlay = public_inventory.parent / "private"
    overlay.rename(public_inventory.parent / "elsewhere")
    assert findings(run) == (0, [])


def test_committee_output_merges_the_overlay_public_output_never(
    public_inventory: Path, run: Run
) -> None:
    assert run("private", "split").exit_code == 0
    committee = run("packet", "--element", "KZ-2013-0005", "--audience", "committee")
    assert committee.exit_code == 0, committee.stderr
    assert CONTACT in committee.stdout and SECRET in committee.stdout
    public = run("packet", "--element", "KZ-2013-0005")
    assert public.exit_code == 0, public.stderr
    assert CONTACT not in public.stdout and EMAIL not in public.stdout
    assert SECRET not in public.stdout
    assert "withheld" in public.stdout.lower()
    index = run("packet")
    assert CONTACT not in index.stdout and SECRET not in index.stdout
    shown = run("show", "KZ-2013-0005", "--audience", "committee")
    assert shown.exit_code == 0, shown.stderr
    assert CONTACT in shown.stdout
    shown_public = run("show", "KZ-2013-0005")
    assert CONTACT not in shown_public.stdout and SECRET not in shown_public.stdout
    exported = run("export", "--format", "json", "--audience", "committee")
    assert exported.exit_code == 0, exported.stderr
    assert EMAIL in exported.stdout
    exported_public = run("export", "--format", "json")
    assert EMAIL not in exported_public.stdout and SECRET not in exported_public.stdout


def test_public_output_without_the_overlay_withholds_only_the_part(
    public_inventory: Path, run: Run
) -> None:
    assert run("private", "split").exit_code == 0
    (public_inventory.parent / "private").rename(public_inventory.parent / "elsewhere")
    public = run("packet", "--element", "KZ-2013-0005")
    assert public.exit_code == 0, public.stderr
    # The description is public; only the locations are withheld, with the published reason.
    assert "Improvised poetic contest" in public.stdout
    assert "place of the rite not be published" in public.stdout


def test_an_overlay_inside_the_repository_must_be_git_ignored(inventory: Path, run: Run) -> None:
    (inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "private"\n', encoding="utf-8"
    )
    build_file_tree(inventory, {"private/elements/.keep": ""})
    code, found = findings(run)
    assert code == 1
    assert [f["rule"] for f in found] == ["privacy.overlay-ignored"]
    build_file_tree(inventory, {RECORD: restricted_record()})
    result = run("private", "split")
    assert "added /private/ to .gitignore" in result.stdout
    assert "/private/" in (inventory / ".gitignore").read_text(encoding="utf-8")
    assert findings(run) == (0, [])


def test_overlay_files_are_validated(public_inventory: Path, run: Run) -> None:
    assert run("private", "split").exit_code == 0
    overlay = public_inventory.parent / "private" / "elements"
    kept = overlay / "KZ-2013-0005.yaml"
    kept.write_text(
        kept.read_text(encoding="utf-8").replace(EMAIL, "not an address")
        + "viability:\n  status: viable\n",
        encoding="utf-8",
    )
    (overlay / "KZ-2013-0777.yaml").write_text("contacts: []\n", encoding="utf-8")
    (overlay / "notes.txt").write_text("x", encoding="utf-8")
    (overlay / "KZ-2013-0006.yaml").write_text("contacts: [\n", encoding="utf-8")
    code, found = findings(run)
    assert code == 1
    got = {(f["path"], f["rule"], f["pointer"]) for f in found}
    shown = "../private/elements/"
    assert any(p.endswith(shown + "KZ-2013-0005.yaml") and r == "schema.pattern" for p, r, _ in got)
    assert any(
        p.endswith(shown + "KZ-2013-0005.yaml")
        and r == "privacy.overlay-field"
        and q == "/viability/status"
        for p, r, q in got
    )
    assert any(
        p.endswith(shown + "KZ-2013-0777.yaml") and r == "privacy.overlay" for p, r, _ in got
    )
    assert any(p.endswith(shown + "notes.txt") and r == "privacy.overlay" for p, r, _ in got)
    assert any(p.endswith(shown + "KZ-2013-0006.yaml") and r == "yaml.syntax" for p, r, _ in got)
    located = [f for f in found if f["rule"] == "schema.pattern"]
    assert located and located[0]["line"] is not None


def test_an_overlay_key_that_may_be_personal_data_is_never_named(
    public_inventory: Path, run: Run
) -> None:
    # An outside test: a key that is an e-mail address or a person's name was quoted by the
    # privacy.overlay-field finding, in its words and its pointer.
    assert run("private", "split").exit_code == 0
    kept = public_inventory.parent / "private" / "elements" / "KZ-2013-0005.yaml"
    kept.write_text(
        kept.read_text(encoding="utf-8")
        + "keyleak5@example.org: x\nviability:\n  Zhanar_Keyleak6: y\n",
        encoding="utf-8",
    )
    other = kept.with_name("KZ-2013-0006.yaml")
    other.write_text("id: idleak7@example.org\n", encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        out = run("validate", "-f", fmt).stdout
        assert "keyleak5" not in out and "Keyleak6" not in out, fmt
        assert "idleak7" not in out and "KZ-2013-0006.yaml holds an id that is not" in out, fmt
    __, found = findings(run)
    named = {f["pointer"]: f["line"] for f in found if f["rule"] == "privacy.overlay-field"}
    assert set(named) == {"", "/viability"} and all(named.values())


def test_an_overlay_file_must_be_named_after_an_element_id(
    public_inventory: Path, run: Run
) -> None:
    # The overlay once took any KZ-NNNN-NNNN; ids follow the schema's pattern everywhere now.
    assert run("private", "split").exit_code == 0
    overlay = public_inventory.parent / "private" / "elements"
    (overlay / "KZ-1850-0001.yaml").write_text("contacts: []\n", encoding="utf-8")
    _, found = findings(run)
    assert any(
        str(f["path"]).endswith("KZ-1850-0001.yaml")
        and f["rule"] == "privacy.overlay"
        and "not named after an element id" in str(f["message"])
        for f in found
    )


def test_split_refuses_a_wholly_restricted_record(inventory: Path, run: Run) -> None:
    (inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    build_file_tree(
        inventory,
        {
            RECORD: element_yaml(
                "KZ-2013-0005", access={"level": "restricted", "reason": "Sacred knowledge."}
            )
        },
    )
    code, found = findings(run)
    assert code == 1 and [f["pointer"] for f in found] == ["/access"]
    result = run("private", "split")
    assert result.exit_code == 2
    assert "does not say which fields" in result.stderr


def test_split_names_every_record_it_cannot_split_and_moves_nothing(
    inventory: Path, run: Run
) -> None:
    (inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    wholly = {"level": "restricted", "reason": "Sacred knowledge."}
    build_file_tree(
        inventory,
        {
            RECORD: restricted_record(),
            "elements/KZ-2013-0006.yaml": element_yaml("KZ-2013-0006", access=wholly),
            "elements/KZ-2013-0007.yaml": element_yaml("KZ-2013-0007", access=wholly),
        },
    )
    before = (inventory / RECORD).read_bytes()
    result = run("private", "split")
    assert result.exit_code == 2
    assert "2 records cannot be split, so nothing was moved" in result.stderr
    assert "KZ-2013-0006.yaml" in result.stderr and "KZ-2013-0007.yaml" in result.stderr
    assert (inventory / RECORD).read_bytes() == before
    assert not (inventory.parent / "private").exists()


@pytest.mark.parametrize(
    "overlay", [".", "./", "..", "elements", "elements/private", "provinces", "../other", "../link"]
)
def test_an_overlay_that_is_the_inventory_or_another_is_refused(
    public_inventory: Path, run: Run, overlay: str
) -> None:
    """An outside attack: with `private_overlay = "."` `private split` wrote the overlay file
    over the record itself: its contacts were gone from everywhere. Another inventory as the
    overlay had its records rewritten."""
    other = public_inventory.parent / "other"
    (other / "provinces").mkdir(parents=True)
    (other / "elements").mkdir()
    (public_inventory.parent / "link").mkdir()
    (public_inventory.parent / "link" / "elements").symlink_to(public_inventory / "elements")
    record = public_inventory / RECORD
    before = record.read_bytes()
    settings = PUBLIC_SETTINGS.replace('"../private"', f'"{overlay}"')
    (public_inventory / "pyproject.toml").write_text(settings, encoding="utf-8")
    for args in (["private", "split"], ["validate"], ["show", "KZ-2013-0005"]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stdout + result.stderr)
        said = " ".join(result.stderr.split())
        assert f"private_overlay = '{overlay}' names the inventory itself" in said, said
        assert "Traceback" not in said
    assert record.read_bytes() == before
    # a folder of its own is taken, inside the repository (git-ignored) or beside it
    (public_inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    assert run("private", "split").exit_code == 0
    assert b"contacts" not in record.read_bytes()


def test_a_committee_export_without_an_overlay_entry_imports_as_no_change(
    public_inventory: Path, run: Run, tmp_path: Path
) -> None:
    """A review: where the overlay lacks an element's entry, the committee view holds its
    own note, which the export writes; importing that file back refused it as a public
    export's note, and sent the user to the committee export they had made."""
    assert run("private", "split").exit_code == 0
    (public_inventory.parent / "private" / "elements" / "KZ-2013-0005.yaml").unlink()
    exported = tmp_path / "committee.csv"
    run("export", "--audience", "committee", "-o", str(exported))
    assert "[withheld" in exported.read_text("utf-8")
    result = run("import", str(exported), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "nothing written" in result.stdout


def test_split_needs_an_overlay(inventory: Path, run: Run) -> None:
    result = run("private", "split")
    assert result.exit_code == 2
    assert "names no private overlay" in result.stderr


def test_restricted_parts_resolve_list_indices_and_escapes() -> None:
    data = {
        "locations": [{"place": SECRET}, {"place": "the square"}],
        "notes": {"a/b": 1, "c~d": 2},
    }
    assert list(values_at(data, "/locations/0/place")) == [("/locations/0/place", SECRET)]
    assert list(values_at(data, "/locations/*/place"))[1] == ("/locations/1/place", "the square")
    assert list(values_at(data, "/notes/a~1b")) == [("/notes/a~1b", 1)]
    assert list(values_at(data, "/notes/c~0d")) == [("/notes/c~0d", 2)]
    # RFC 6901: no leading zeros, nothing past the end, no index into a map.
    assert list(values_at(data, "/locations/00")) == []
    assert list(values_at(data, "/locations/2")) == []
    assert list(values_at(data, "/notes/0")) == []


def test_a_list_item_as_restricted_part_is_no_false_missing(inventory: Path, run: Run) -> None:
    access = {
        "level": "restricted",
        "restricted_parts": ["/locations/0/place"],
        "reason": "The community asked that the place of the rite not be published.",
    }
    record = element_yaml(
        "KZ-2013-0005", locations=[{"place": SECRET, "province": "KZ-43"}], access=access
    )
    build_file_tree(inventory, {RECORD: record})
    assert findings(run) == (0, [])
    # In a public repository the same item, left in the record, is found and reported.
    (inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    code, found = findings(run)
    assert code == 1
    assert [(f["rule"], f["pointer"]) for f in found] == [
        ("privacy.public-repository", "/locations/0/place")
    ]


def test_committee_output_without_the_overlay_says_what_it_is_missing(
    public_inventory: Path, run: Run
) -> None:
    """On a machine where the overlay folder is not (yet) mounted, a committee view must not
    pass for the whole record; public output and validate do not need the overlay."""
    assert run("private", "split").exit_code == 0
    (public_inventory.parent / "private").rename(public_inventory.parent / "elsewhere")
    for args in (
        ["show", "KZ-2013-0005", "--audience", "committee"],
        ["export", "--format", "json", "--audience", "committee"],
        ["packet", "--element", "KZ-2013-0005", "--audience", "committee"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "private overlay" in result.stderr and "is not here" in result.stderr
    assert run("show", "KZ-2013-0005").exit_code == 0
    assert findings(run) == (0, [])
    # A folder that is there but holds no elements/ (`/etc`, an outside review found called
    # "not here") says what it lacks.
    (public_inventory.parent / "private").mkdir()
    result = run("show", "KZ-2013-0005", "--audience", "committee")
    assert result.exit_code == 1
    assert "holds no elements/ folder" in result.stderr, result.stderr


def test_an_overlay_far_from_the_inventory_is_named_by_its_whole_path(
    public_inventory: Path, run: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An outside attack: `private_overlay = "/etc"` was shown as `../../../etc`, a path the
    editor has to work out; a sibling folder stays `../private`."""
    far = tmp_path_factory.mktemp("far") / "a" / "b" / "private"
    far.mkdir(parents=True)
    settings = PUBLIC_SETTINGS.replace('"../private"', f'"{far.as_posix()}"')
    (public_inventory / "pyproject.toml").write_text(settings, encoding="utf-8")
    result = run("show", "KZ-2013-0005", "--audience", "committee")
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert f"private overlay {far.as_posix()} named in the settings holds no elements/" in said
    assert "../../" not in result.stderr
    (public_inventory / "pyproject.toml").write_text(PUBLIC_SETTINGS, encoding="utf-8")
    (public_inventory.parent / "private").mkdir()
    assert "private overlay ../private named in the settings holds no elements/" in " ".join(
        run("show", "KZ-2013-0005", "--audience", "committee").stderr.split()
    )


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (
            "/locations/0/+7 700 000 91 91",
            "entry 2 of access.restricted_parts names items of a list",
        ),
        ("/contacts/*/x@example.org", "entry 2 of access.restricted_parts names items of a list"),
        ("leak8@example.org", "entry 2 of access.restricted_parts is not a field's pointer"),
    ],
)
def test_split_names_an_entry_by_its_place_never_its_words(
    public_inventory: Path, run: Run, entry: str, said: str
) -> None:
    """Found by an outside review: the entry was quoted, and one that is no pointer at all
    ended in exit 3 (ValueError: not a JSON pointer)."""
    data = yaml.safe_load((public_inventory / RECORD).read_text(encoding="utf-8"))
    data["access"]["restricted_parts"].append(entry)
    (public_inventory / RECORD).write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run("private", "split", "--dry-run")
    assert result.exit_code == 2
    assert said in result.stderr
    assert "example.org" not in result.stderr and "91 91" not in result.stderr


def test_a_restricted_item_of_a_public_repository_is_named_counting_from_1(
    public_inventory: Path, run: Run
) -> None:
    """Editors count from 1 in every message (an outside review found `locations/0` beside
    `item 1 of …`)."""
    text = (public_inventory / RECORD).read_text(encoding="utf-8")
    (public_inventory / RECORD).write_text(
        text.replace("- /locations\n", "- /locations/0\n"), encoding="utf-8"
    )
    __, found = findings(run)
    said = [f["message"] for f in found if f["pointer"] == "/locations/0"]
    assert said == ["item 1 of `locations` is a restricted part, but the repository is public"]
