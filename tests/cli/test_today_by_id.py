"""Public `log` and `diff` with a record not at `elements/<id>.yaml` (an outside review,
findings 1 and 2): the name of a folder inside elements/ may be a person's (never printed,
whole or in part, nor quoted by a problem); and today's restrictions are those of the record
as the working tree reads it, found by its id wherever it is (renamed, in a folder inside
elements/: then unreadable, and all but the identification withheld)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import Result, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2013-0002"
CONTACT_FOLDER = "Aigul Kenzhebayeva +7 701 555 1234"
SECRETS = ("Aigul", "Kenzhebayeva", "555 1234", "+7 701")


def _no_contact(result: Result) -> None:
    for said in (result.stdout, result.stderr):
        for secret in SECRETS:
            assert secret not in said, (secret, said)


def test_log_and_diff_never_print_a_folder_named_for_a_person(
    git_inventory: Path, run: Run
) -> None:
    """`log` printed `elements/Aigul Kenzhebayeva +7 701 555 1234/KZ-2013-0002.yaml` as the
    path (text and JSON) and its problem quoted the folder's name, the contact half masked."""
    repo = git.Repo(git_inventory)
    (git_inventory / "elements" / CONTACT_FOLDER).mkdir()
    repo.git.mv(f"elements/{ID}.yaml", f"elements/{CONTACT_FOLDER}/")
    commit(repo, "filed under its contact")
    text = run("log", ID)
    data = run("log", ID, "--format", "json")
    assert (text.exit_code, data.exit_code) == (1, 1), text.stderr
    for result in (text, data):
        _no_contact(result)
    commits = json.loads(data.stdout)["commits"]
    assert commits[0]["path"] == f"elements/…/{ID}.yaml"
    assert f"elements/…/{ID}.yaml" in text.stdout
    assert f"the record of {ID} cannot be read: no record is read from it" in text.stdout
    for args in (("diff-2013",), ("diff-2013", "--against", "HEAD")):
        for form in ("text", "json", "markdown"):
            result = run(*args, "--format", form)
            assert result.exit_code == 1, result.stderr
            _no_contact(result)


def _restricted(description: str) -> str:
    return element_yaml(
        ID,
        description={"en": description},
        access={"level": "restricted", "restricted_parts": ["/description"], "reason": "Sacred"},
    )


@pytest.fixture
def told(git_inventory: Path) -> Path:
    """Two commits put SACRED-SITE-OLD, then SACRED-SITE-NEW, into the public description."""
    repo = git.Repo(git_inventory)
    record = git_inventory / f"elements/{ID}.yaml"
    record.write_text(element_yaml(ID, description={"en": "SACRED-SITE-OLD"}), encoding="utf-8")
    commit(repo, "old place")
    record.write_text(element_yaml(ID, description={"en": "SACRED-SITE-NEW"}), encoding="utf-8")
    commit(repo, "new place")
    return git_inventory


@pytest.mark.parametrize(
    "moved_to",
    [
        "elements/kz-draft.yaml",
        "elements/drafts/kz-draft.yaml",
        "elements/kz-broken.yaml",  # held (its `id:` line) but not readable: all withheld
        f"elements/{ID}.yaml",
        # Named as a record is, but for the ending: `log` took the committed version (a
        # second outside review), where `diff --against` withheld all.
        f"elements/{ID}.yml",
        f"elements/{ID}.YAML",
        f"elements/{ID}",
    ],
)
def test_todays_restrictions_hold_wherever_the_working_tree_keeps_the_record(
    told: Path, run: Run, moved_to: str
) -> None:
    """With the record moved (uncommitted) and restricting /description, `log` printed the
    description's texts: today's record was looked for at elements/<id>.yaml only."""
    (told / f"elements/{ID}.yaml").unlink()
    (told / moved_to).parent.mkdir(exist_ok=True)
    broken = "\nnotes: [unclosed\n" if "broken" in moved_to else ""
    (told / moved_to).write_text(_restricted("today's words") + broken, encoding="utf-8")
    outputs = [run("log", ID, "--format", form) for form in ("text", "json")]
    outputs += [
        run("diff-2013", "--against", "HEAD", "--format", form) for form in ("text", "json")
    ]
    for result in outputs:
        assert result.exit_code in (0, 1), result.stderr
        for secret in ("SACRED-SITE-OLD", "SACRED-SITE-NEW"):
            assert secret not in result.stdout + result.stderr, (moved_to, result.stdout)
    if moved_to in ("elements/kz-draft.yaml", f"elements/{ID}.yaml"):  # read today
        assert "/description" in outputs[0].stdout  # where it changed is still said
    else:  # what the record says today cannot be told: it is withheld as a whole, and its
        # history lists its commits with neither their subjects nor the fields they changed
        assert "commits, newest first" in outputs[0].stdout
        assert "/description" not in outputs[0].stdout


@pytest.mark.parametrize("name", [f"{ID}.yml", ID])
def test_a_record_whose_name_lost_its_ending_is_unreadable_not_removed(
    git_inventory: Path, run: Run, name: str
) -> None:
    """A record file renamed `KZ-2013-0002.yml` or `KZ-2013-0002` gave `removed` in the diff
    and "there is no element" (exit 2) in `show` (a second outside review): its name says
    whose it is, so it is the element's record that cannot be read (exit 1)."""
    (git_inventory / f"elements/{ID}.yaml").rename(git_inventory / "elements" / name)
    result = run("diff-2013", "--format", "json", "--audience", "committee")
    assert result.exit_code == 1, result.stderr
    assert ID not in {e["id"] for e in json.loads(result.stdout)["elements"]}
    shown = run("show", ID)
    assert shown.exit_code == 1, shown.stderr
    assert f"the record of {ID} cannot be read" in shown.stderr


def test_where_a_records_link_leads_is_never_public(
    git_inventory: Path, run: Run, tmp_path: Path
) -> None:
    """A record that is a symbolic link out of the inventory: the public diff quoted where it
    leads, a folder of someone's machine named for a person (a second outside review)."""
    away = tmp_path / CONTACT_FOLDER
    away.mkdir()
    record = git_inventory / f"elements/{ID}.yaml"
    (away / "record.yaml").write_bytes(record.read_bytes())
    record.unlink()
    record.symlink_to(away / "record.yaml")
    for form in ("text", "json", "markdown"):
        result = run("diff-2013", "--format", form)
        assert result.exit_code == 1, result.stderr
        _no_contact(result)
    committee = run("diff-2013", "--audience", "committee")
    assert "is a symbolic link to" in committee.stdout + committee.stderr


def test_public_packets_and_show_never_print_a_folder_named_for_a_person(
    git_inventory: Path, run: Run
) -> None:
    """`packet --element`, `packet --since` and `show` printed on standard error the name of a
    folder inside elements/, its phone number half masked (a second outside review): a public
    run's standard error may be a public CI log; the committee's still names it."""
    (git_inventory / "elements" / CONTACT_FOLDER).mkdir()
    git.Repo(git_inventory).git.mv(f"elements/{ID}.yaml", f"elements/{CONTACT_FOLDER}/")
    for args in (
        ("packet", "--element", ID, "--output", "-"),
        ("packet", "--since", "HEAD", "--output", "-"),
        ("show", ID),
        ("list",),
    ):
        result = run(*args)
        assert result.exit_code in (1, 2), result.stderr
        _no_contact(result)
    committee = run("show", ID, "--audience", "committee")
    assert "Kenzhebayeva" in committee.stderr


def test_a_problem_about_no_record_file_hides_a_contact_in_its_path_and_hint() -> None:
    """A problem not about a record file (a baseline git cannot give) keeps its words in
    public output, but what in its path, words or hint may be a contact is hidden (the hint
    was kept whole once such problems stopped going through the record paths' rewording)."""
    from ichinv.core.model import Finding
    from ichinv.inventory.redaction import public_problem

    seen = public_problem(
        Finding(
            "aigul@example.org",
            "baseline.unavailable",
            "the baseline of aigul@example.org could not be read",
            hint="ask aigul@example.org",
        )
    )
    assert "aigul@example.org" not in f"{seen.path} {seen.message} {seen.hint}"
    assert seen.rule == "baseline.unavailable" and seen.hint and seen.hint.startswith("ask ")
