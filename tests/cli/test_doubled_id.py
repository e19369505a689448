"""Two files holding one element id (`id.unique`, a `validate` error): which of them says what
is restricted cannot be told, so public output shows only the identification of that element
(an outside review: `log`, `diff --against`, `show`, `list`, packets and the site showed the
text of the file they took, while the other restricted it). The committee still sees all."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import Result, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2013-0002"
SECRET = "SACRED-SPRING-OF-THE-ANCESTORS"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def doubled(git_inventory: Path) -> Path:
    """The record at elements/<ID>.yaml shows SECRET in its description, committed; an
    uncommitted copy (as when a record is copied to start another) restricts /description."""
    repo = git.Repo(git_inventory)
    record = git_inventory / f"elements/{ID}.yaml"
    record.write_text(element_yaml(ID, description={"en": SECRET}), encoding="utf-8")
    shutil.copytree(TEMPLATES, git_inventory / "templates")  # for packets and the site
    commit(repo, "the description")
    return git_inventory


def _copy(root: Path, name: str, *, names: dict[str, str] | None = None) -> None:
    fields: dict[str, object] = {
        "description": {"en": SECRET},
        "access": {
            "level": "restricted",
            "restricted_parts": ["/description", *(["/names/en"] if names else [])],
            "reason": "Sacred",
        },
    }
    if names:
        fields["names"] = names
    (root / name).parent.mkdir(exist_ok=True)
    (root / name).write_text(element_yaml(ID, **fields), encoding="utf-8")


# The copy named for another id is the common mistake: a record copied to begin a new one.
COPIES = ["elements/KZ-2024-0100.yaml", "elements/kz-copy.yaml"]


@pytest.mark.parametrize("copy", COPIES)
def test_history_and_comparisons_withhold_a_doubled_element(
    doubled: Path, run: Run, copy: str
) -> None:
    _copy(doubled, copy)
    outputs = [run("log", ID, "--format", form) for form in ("text", "json")]
    outputs += [
        run("diff-2013", "--against", "HEAD", "--format", form)
        for form in ("text", "json", "markdown")
    ]
    for result in outputs:
        assert result.exit_code in (0, 1), result.stderr
        assert SECRET not in result.stdout + result.stderr, (copy, result.stdout)
    # What the record says today cannot be told: it is withheld as a whole, and its history
    # lists its commits with neither their subjects nor the fields they changed.
    assert "commits, newest first" in outputs[0].stdout
    assert "/description" not in outputs[0].stdout
    committee = run("log", ID, "--audience", "committee")
    assert SECRET in committee.stdout


@pytest.mark.parametrize("copy", COPIES)
def test_reading_commands_show_only_the_identification_of_a_doubled_element(
    doubled: Path, run: Run, copy: str, tmp_path: Path
) -> None:
    _copy(doubled, copy, names={"en": "HIDDEN-NAME-OF-THE-RITE", "kk": "Атау"})
    site = tmp_path / "site"
    for args in (
        ("show", ID),
        ("show", ID, "--lang", "kk"),
        ("list", "--format", "json"),
        ("list", "--format", "csv"),
        ("export", "--format", "json", "--output", "-"),
        ("packet", "--element", ID, "--output", "-"),
        ("packet", "--since", "HEAD", "--output", "-"),
        ("site", "--output", str(site)),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.stderr)  # the doubled id is named
        assert "id.unique" in result.stderr or "also the id of" in result.stderr, args
        said = result.stdout + result.stderr
        assert SECRET not in said, (args, said)
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file())
    assert pages and SECRET not in pages
    listed = {e["id"]: e for e in json.loads(run("list", "--format", "json").stdout)["elements"]}
    assert ID in listed  # the identification is still there
    committee = run("show", ID, "--audience", "committee")
    assert SECRET in committee.stdout
    # The note says why, the second file among the reasons (an outside review: it named
    # only the access section).
    assert "another file holds its id" in " ".join(run("show", ID).stdout.split())


def test_an_identification_field_the_other_file_restricts_is_withheld(
    doubled: Path, run: Run
) -> None:
    """The copy restricts /names/en; the file taken shows the same name unrestricted."""
    record = doubled / f"elements/{ID}.yaml"
    record.write_text(
        element_yaml(ID, names={"en": "HIDDEN-NAME-OF-THE-RITE", "kk": "Атау"}),
        encoding="utf-8",
    )
    _copy(doubled, "elements/kz-copy.yaml", names={"en": "HIDDEN-NAME-OF-THE-RITE"})
    for args in (("show", ID), ("list", "--format", "csv"), ("list", "--format", "json")):
        result = run(*args)
        assert "HIDDEN-NAME-OF-THE-RITE" not in result.stdout + result.stderr, args
    assert "HIDDEN-NAME-OF-THE-RITE" in run("show", ID, "--audience", "committee").stdout


# A name that holds `.yaml` before its end, after (own's prefix) and before the record's own
# name (the file an answer uses): an outside review found the rest of it printed by a public
# diff ("elements/KZ-2013-0002.yaml, elements/KZ-2013-0002.yaml Aigul Kenzhebayeva.yaml").
NAMED_COPIES = [
    f"elements/{ID}.yaml Aigul Kenzhebayeva.yaml",
    "elements/KZ-2013-0001.yaml Aigul Kenzhebayeva.yaml",
]


@pytest.mark.parametrize("copy", NAMED_COPIES)
def test_public_outputs_never_print_the_name_of_a_copy_holding_yaml_before_its_end(
    doubled: Path, run: Run, copy: str, tmp_path: Path
) -> None:
    shutil.copy(doubled / f"elements/{ID}.yaml", doubled / copy)
    for args in (
        ("diff-2013", "--element", ID),
        ("diff-2013", "--format", "json"),
        ("show", ID),
        ("list", "--format", "json"),
        ("export", "--format", "json", "--output", "-"),
        ("packet", "--since", "HEAD", "--output", "-"),
        ("site", "--output", str(tmp_path / "site")),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.stderr)
        said = result.stdout + result.stderr
        assert "id.unique" in said, args
        assert "Aigul" not in said and "Kenzhebayeva" not in said, (args, said)
    # the committee is told which file it is (each is named by a finding of its own)
    committee = run("diff-2013", "--element", ID, "--audience", "committee")
    assert copy in committee.stdout + committee.stderr
    assert f"{copy}:" in run("validate").stdout


@pytest.mark.parametrize("copy", ["elements/KZ-2013-0001.yaml", "elements/KZ-2024-0100.yaml"])
def test_the_file_named_by_the_id_is_the_one_used(doubled: Path, run: Run, copy: str) -> None:
    """An outside attack: a copy whose name sorts first (elements/KZ-2013-0001.yaml holding
    `id: KZ-2013-0002`) was the file `show`, `list` and packets used, and the record named
    by the id was the one "left out"; whichever sorts first, the file named by the id is used
    now, and the copy named as left out."""
    _copy(doubled, copy, names={"kk": "Көшірме", "ru": "Копия", "en": "The copy"})
    for args in (("show", ID, "--audience", "committee"), ("list", "--audience", "committee")):
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert "The copy" not in result.stdout, args
        assert f"this answer uses elements/{ID}.yaml and leaves {copy} out" in result.stderr, (
            result.stderr
        )
