"""A community asks, after publication, that a text be withheld: the commit moves a sentence
of the public description into a restricted part, and renames the element. Every public view
of changes (`diff`, `diff-2013`, `log`, `packet --since`; text, JSON, Markdown) printed the
old description and names as the earlier values of that very change, and `log` printed them
in the commits before it (attack of 7 December 2026, item 2: ziyarat, KZ-2026-0007, 0032)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git
import pytest

from tests.support.helpers import REPO_ROOT, Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2026-0901"
PATH = f"elements/{ID}.yaml"
TEMPLATES = REPO_ROOT / "templates"
SENTENCE = "a full ziyarat may include a sacrifice and a night spent near the mazar"
OPENING = "Visiting the mazars of the Syr region to pray and remember ancestors"
PLACE = {"place": "Lesser-known mazars of Aral district", "province": "KZ-43"}
RESTRICTED = {"level": "restricted", "restricted_parts": ["/locations"], "reason": "Sacred"}
SECRETS = ("sacrifice", "Belukha", "spent near")


def write(root: Path, *, description: str, name: str, note: str | None, access: dict) -> None:
    place = PLACE | ({"note": note} if note else {})
    names = {"kk": "Зиярат", "ru": "Зиярат", "en": name}
    text = element_yaml(
        ID, names=names, description={"en": description}, locations=[place], access=access
    )
    build_file_tree(root, {PATH: text})


@pytest.fixture
def history(git_inventory: Path) -> dict[str, str]:
    """Published, edited while public, then restricted: the commits by name."""
    repo = git.Repo(git_inventory)
    public = {"level": "public"}
    write(git_inventory, description=OPENING + ".", name="Ziyarat", note=None, access=public)
    made = {"published": commit(repo, "published")}
    write(
        git_inventory,
        description=f"{OPENING}; {SENTENCE}.",
        name="Ziyarat to the mazars near Belukha",
        note=None,
        access=public,
    )
    made["edited"] = commit(repo, "edited")
    write(
        git_inventory,
        description=OPENING + ".",
        name="Ziyarat of the Syr region",
        note=SENTENCE[0].upper() + SENTENCE[1:] + ".",
        access=RESTRICTED,
    )
    made["restricted"] = commit(repo, "the keepers asked that the rites be withheld")
    return made


def outputs(run: Run, made: dict[str, str], *extra: str) -> dict[str, str]:
    said: dict[str, str] = {}
    for form in ("text", "json", "markdown"):
        for args in (
            ("diff", "--baseline", made["published"]),
            ("diff", "--baseline", made["edited"], "--against", made["restricted"]),
            ("diff", "--baseline", made["published"], "--against", made["edited"]),
            ("diff-2013",),
        ):
            result = run(*args, "--element", ID, "-f", form, *extra)
            assert result.exit_code == 0, result.stderr
            said[" ".join((*args, form))] = result.stdout
    result = run("log", ID, *extra)
    assert result.exit_code == 0, result.stderr
    said["log"] = result.stdout
    result = run(
        "packet", "--since", made["edited"], "--templates", str(TEMPLATES), "--output", "-", *extra
    )
    assert result.exit_code == 0, result.stderr
    said["packet --since"] = result.stdout
    return said


def test_public_views_of_changes_hold_no_word_the_record_now_withholds(
    history: dict[str, str], run: Run
) -> None:
    for output, said in outputs(run, history).items():
        for secret in SECRETS:
            assert secret not in said, (output, secret, said)
    text = run("diff", "--baseline", history["edited"], "--element", ID).stdout
    assert "(earlier value not shown: the record withholds more since) → " in text
    assert '"Ziyarat of the Syr region"' in text  # what the public reads now is shown


def test_the_committee_still_sees_every_value(history: dict[str, str], run: Run) -> None:
    said = outputs(run, history, "--audience", "committee")
    moved = f"diff --baseline {history['edited']} --against {history['restricted']} text"
    for output in ("log", moved):
        assert "sacrifice" in said[output] and "Belukha" in said[output], output


def test_a_later_change_quoting_what_is_withheld_shows_not_that_value(
    git_inventory: Path, history: dict[str, str], run: Run
) -> None:
    """A value that quotes a restricted text (here: kept by mistake in the summary) is not
    shown, in a commit that restricts nothing more."""
    repo = git.Repo(git_inventory)
    write(
        git_inventory,
        description=f"{OPENING}. Pilgrims say {SENTENCE}.",
        name="Ziyarat of the Syr region",
        note=SENTENCE + ".",
        access=RESTRICTED,
    )
    commit(repo, "slipped back")
    write(
        git_inventory,
        description=OPENING + ", as the keepers tell.",
        name="Ziyarat of the Syr region",
        note=SENTENCE + ".",
        access=RESTRICTED,
    )
    commit(repo, "fixed")
    for output, said in outputs(run, history).items():
        assert "sacrifice" not in said, (output, said)
    assert "as the keepers tell" in run("log", ID).stdout


def test_a_sentence_moved_in_other_words_into_a_part_already_restricted_is_not_reprinted(
    git_inventory: Path, history: dict[str, str], run: Run
) -> None:
    """Found by an outside review: the record already restricted /locations, a public
    description gained a sentence, and a later commit took it out and wrote it, reworded, in
    the restricted note: nothing restricted more and nothing was quoted, so the removed
    sentence was printed by diff, log and packet --since."""
    repo = git.Repo(git_inventory)
    leaky = "Pilgrims climb towards Belukha at night, where a ram is offered for the sick."
    write(
        git_inventory,
        description=f"{OPENING}. {leaky}",
        name="Ziyarat of the Syr region",
        note=SENTENCE + ".",
        access=RESTRICTED,
    )
    made = dict(history, edited=commit(repo, "leaky description"))
    write(
        git_inventory,
        description=OPENING + ".",
        name="Ziyarat of the Syr region",
        note=f"{SENTENCE}. At night a ram is offered near the mountain for the sick.",
        access=RESTRICTED,
    )
    made["restricted"] = commit(repo, "the rite moved into the restricted note")
    for output, said in outputs(run, made).items():
        assert "Belukha" not in said and "a ram" not in said, (output, said)
    committee = run("log", ID, "--audience", "committee").stdout
    assert "Belukha" in committee and "a ram" in committee


def test_public_log_shows_no_subject_quoting_a_withheld_text(
    git_inventory: Path, history: dict[str, str], run: Run
) -> None:
    """Found by an outside review: `log` printed a commit's subject that quoted, word for word,
    the text the commit moved into a restricted part."""
    repo = git.Repo(git_inventory)
    write(
        git_inventory,
        description=OPENING + ", as the keepers tell.",
        name="Ziyarat of the Syr region",
        note=SENTENCE + ".",
        access=RESTRICTED,
    )
    commit(repo, f"Withhold: {SENTENCE}")
    public = run("log", ID).stdout
    assert "sacrifice" not in public
    assert "(the subject is not shown: it quotes a text the record withholds)" in public
    assert f"Withhold: {SENTENCE}" in run("log", ID, "--audience", "committee").stdout
