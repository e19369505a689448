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

from tests.support.helpers import Result, commit

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
