"""A change whose new value alone is withheld, until the record is fixed: a value not in the
schema's form (`status: Viable`, null, a word outside the vocabulary) or a text that now holds a
contact. Public views of changes hid both values and said "personal data or a restricted part";
the old value was public (an outside check against SPEC). Now the old value is shown, and why
the new one is not."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.diff.fields import diff_records
from ichinv.inventory.changes_view import public_changes
from tests.diff.test_engine import RULES
from tests.support.helpers import REPO_ROOT, Result, commit, element_data, examples

Run = Callable[..., Result]
PATH = "elements/KZ-2013-0002.yaml"
ADDRESS = "aigul.bearer@example.org"
OLD_TEXT = "Improvised poetic contest between two akyns, accompanied on the dombra."


def edit(root: Path, **fields: Any) -> None:
    """The record of the inventory with its top-level `fields` replaced."""
    path = root / PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8")) | fields
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def changes(run: Run, *args: str) -> list[dict[str, Any]]:
    done = run("diff-2013", "--format", "json", *args)
    assert done.exit_code == 0, done.stderr
    (element,) = [e for e in json.loads(done.stdout)["elements"] if e["changes"]]
    return list(element["changes"])


@pytest.mark.parametrize("status", ["Viable", None, ""], ids=["capitalised", "null", "empty"])
def test_a_value_not_in_the_schemas_form_shows_the_old_value(
    git_inventory: Path, run: Run, status: str | None
) -> None:
    edit(git_inventory, viability={"status": status, "assessed": "2025-05-14"})
    assert changes(run) == [
        {
            "pointer": "/viability/status",
            "kind": "changed",
            "old": "viable",
            "new": None,
            "new_withheld": "unknown-field",
        }
    ]
    text = run("diff-2013").stdout
    assert '/viability/status: "viable" → (new value not shown: it is not in the schema' in text
    assert "personal data or a restricted part" not in text
    markdown = run("diff-2013", "--format", "markdown").stdout
    assert "| viable | *new value not shown: it is not in the schema's form* |" in markdown


def test_a_value_not_in_the_schemas_form_hides_no_other_change(
    git_inventory: Path, run: Run
) -> None:
    """Its text is withheld for its form, not restricted: the old values of the other fields
    are not taken to say it in other words (they were all hidden as "withheld since")."""
    reworded = "Improvised poetic contest of two akyns with the dombra."
    edit(
        git_inventory,
        description={"en": reworded},
        viability={"status": "Viable", "assessed": "2025-05-14"},
    )
    assert [(c["pointer"], c["old"], c["new"]) for c in changes(run)] == [
        ("/description/en", OLD_TEXT, reworded),
        ("/viability/status", "viable", None),
    ]


def test_a_text_that_now_holds_a_contact_shows_the_old_text_never_the_contact(
    git_inventory: Path, run: Run
) -> None:
    edit(git_inventory, description={"en": f"{OLD_TEXT} Write to {ADDRESS}."})
    assert changes(run) == [
        {
            "pointer": "/description/en",
            "kind": "changed",
            "old": OLD_TEXT,
            "new": None,
            "new_withheld": "personal-data",
        }
    ]
    for output in ("text", "markdown", "json"):
        assert "aigul" not in run("diff-2013", "--format", output).stdout
    assert "(new value not shown: it holds personal data)" in run("diff-2013").stdout
    assert changes(run, "--audience", "committee")[0]["new"].endswith(f"{ADDRESS}.")


def test_an_added_item_holding_a_contact_is_shown_without_it(git_inventory: Path, run: Run) -> None:
    community = {"name": "Akyns of Almaty", "kind": "group", "role": "bearers"}
    edit(git_inventory, communities=[{**community, "description": f"Write to {ADDRESS}."}])
    (added,) = changes(run)
    assert added["pointer"] == "/communities"
    assert added["kind"] == "added"
    assert added["new"][0]["name"] == "Akyns of Almaty"
    assert "withheld" not in added
    assert "aigul" not in json.dumps(added)
    assert "aigul" not in run("diff-2013").stdout


def test_a_part_restricted_now_hides_both_values_whatever_its_form(
    git_inventory: Path, run: Run
) -> None:
    edit(
        git_inventory,
        viability={"status": "Viable", "assessed": "2025-05-14"},
        access={"level": "restricted", "restricted_parts": ["/viability"], "reason": "Sacred."},
    )
    (hidden,) = [c for c in changes(run) if c["pointer"].startswith("/viability")]
    assert hidden == {
        "pointer": "/viability",
        "kind": "changed",
        "old": None,
        "new": None,
        "withheld": True,
    }


def test_a_text_restricted_then_stays_hidden_when_it_now_holds_a_contact(
    git_inventory: Path, run: Run
) -> None:
    repo = git.Repo(git_inventory)
    restricted = {"level": "restricted", "restricted_parts": ["/description"], "reason": "Sacred."}
    edit(git_inventory, access=restricted)
    commit(repo, "restricted", tag="restricted")
    edit(git_inventory, description={"en": f"{OLD_TEXT} Write to {ADDRESS}."})
    done = run("diff", "--baseline", "restricted", "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert OLD_TEXT not in done.stdout
    assert "aigul" not in done.stdout


def test_the_change_packet_shows_the_old_value_and_says_the_new_waits_for_a_fix(
    git_inventory: Path, run: Run
) -> None:
    edit(git_inventory, viability={"status": "Viable", "assessed": "2025-05-14"})
    templates = str(REPO_ROOT / "templates")
    done = run("packet", "--since", "inventory-2013", "--templates", templates, "-o", "-")
    assert done.exit_code in (0, 1), done.stderr
    row = next(line for line in done.stdout.splitlines() if "(not shown until" in line)
    assert "viable" in row.lower()
    assert "(withheld)" not in row


CONTACTS = ("aigul@example.org", "+7 700 000 00 00", "t.me/aigul_k", "Telegram: @aigul_k")
"""Fictitious contacts, each of a form `sure_contact` takes."""
TEXTS = ("/names/en", "/description/en", "/viability/status", "/consent/evidence")


@given(
    contact=st.sampled_from(CONTACTS),
    pointer=st.sampled_from(TEXTS),
    words=st.text(st.characters(categories=["L", "Zs"]), max_size=30),
    typed_in=st.booleans(),
)
@settings(max_examples=examples(40, 200), deadline=None)
def test_law_a_contact_typed_into_or_out_of_a_text_is_in_no_public_change(
    contact: str, pointer: str, words: str, typed_in: bool
) -> None:
    """Whichever version holds it, no value of a public change quotes the contact; the other
    version's text, which holds none, is shown."""
    plain = element_data("KZ-2013-0001")
    with_contact = copy.deepcopy(plain)
    group, key = pointer.strip("/").split("/")
    with_contact[group][key] = f"{words} {contact}"
    before, after = (plain, with_contact) if typed_in else (with_contact, plain)
    found = public_changes(diff_records(before, after, RULES), before=before, after=after)
    assert contact not in json.dumps([(c.old, c.new, c.words) for c in found], ensure_ascii=False)
    (change,) = found
    assert not change.withheld
    shown, why = (
        (change.old, change.new_withheld) if typed_in else (change.new, change.old_withheld)
    )
    assert (shown, why) == (plain[group][key], "personal-data")


def test_a_text_restricted_now_that_holds_a_contact_hides_both_values() -> None:
    """The part is withheld for its contact and for its restriction at one place: the
    restriction hides the old value too."""
    before = element_data("KZ-2013-0001")
    access = {"level": "restricted", "restricted_parts": ["/description/en"], "reason": "Sacred."}
    after = element_data(
        "KZ-2013-0001", access=access, description={"en": f"Ask {CONTACTS[0]} for the rite."}
    )
    found = public_changes(diff_records(before, after, RULES), before=before, after=after)
    (text,) = [c for c in found if c.pointer.startswith("/description")]
    assert (text.withheld, text.old, text.new, text.new_withheld) == (True, None, None, "")


# --- an outside attack on the change above --------------------------------------------------

SENTENCE = "The elders who keep the white camel rite at Akbulak spring"
OTHER_NOTE = "Another restricted note on the lineage of the keepers."
RESTRICT_NOTES = {
    "level": "restricted",
    "restricted_parts": ["/viability/notes/en"],
    "reason": "Sacred.",
}


def viability(**fields: Any) -> dict[str, Any]:
    return {"status": "viable", "assessed": "2025-05-14", **fields}


def test_log_never_shows_a_text_a_later_version_restricted_however_reworded_since(
    git_inventory: Path, run: Run
) -> None:
    """Versions that restrict the same parts were judged once, by the texts of the last: a
    sentence that an earlier one restricted, reworded since, was printed as an old value."""
    repo = git.Repo(git_inventory)
    notes = {"notes": {"en": OTHER_NOTE}}
    edit(git_inventory, access=RESTRICT_NOTES, viability=viability(assessed_by=SENTENCE, **notes))
    commit(repo, "restricted")
    phone = f"{SENTENCE}, call +7 700 000 00 00"
    edit(git_inventory, viability=viability(assessed_by=phone, **notes))
    commit(repo, "v1 add phone of the keeper")
    moved = {"notes": {"en": SENTENCE}}
    edit(git_inventory, viability=viability(assessed_by="The community", **moved))
    commit(repo, "v2 move the sentence into the restricted note")
    edit(git_inventory, viability=viability(assessed_by="The community", **notes))
    commit(repo, "v3 reword the restricted note")
    for output in ("text", "json"):
        done = run("log", "KZ-2013-0002", "--format", output)
        assert done.exit_code == 0, done.stderr
        assert "white camel" not in done.stdout and "000 00 00" not in done.stdout
        assert "add phone" not in done.stdout  # the subject of a change it withholds


def test_log_hides_the_subject_of_a_commit_that_only_wrote_a_contact(
    git_inventory: Path, run: Run
) -> None:
    repo = git.Repo(git_inventory)
    edit(git_inventory, viability=viability(assessed_by=f"Aigul Bekova ({ADDRESS})"))
    commit(repo, f"Name the healer Aigul Bekova as assessor, {ADDRESS}")
    edit(git_inventory, viability=viability(assessed_by="The community inventory team"))
    commit(repo, "Fix the assessor")
    for output in ("text", "json"):
        done = run("log", "KZ-2013-0002", "--format", output)
        assert done.exit_code == 0, done.stderr
        assert "Bekova" not in done.stdout and "Fix the assessor" in done.stdout


def test_a_sentence_moved_into_a_misspelt_key_keeps_its_old_place_hidden(
    git_inventory: Path, run: Run
) -> None:
    """Translated into `notes: {RU: …}` beside a restricted `notes/en`, it is no quote of
    the old description; the old description is hidden as a sentence may have moved."""
    repo = git.Repo(git_inventory)
    rite = "At dawn the elders lead the hidden rite of the white camel at the spring of Akbulak."
    edit(
        git_inventory,
        access=RESTRICT_NOTES,
        description={"en": f"{OLD_TEXT} {rite}"},
        viability=viability(notes={"en": OTHER_NOTE}),
    )
    commit(repo, "restricted", tag="restricted")
    translated = "На рассвете старейшины проводят тайный обряд белой верблюдицы у родника Акбулак."
    notes = {"notes": {"en": OTHER_NOTE, "RU": translated}}
    edit(git_inventory, description={"en": OLD_TEXT}, viability=viability(**notes))
    done = run("diff", "--baseline", "restricted", "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert "white camel" not in done.stdout and "верблюдицы" not in done.stdout


def test_notes_inside_a_shown_value_are_in_the_language_of_messages(
    git_inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    community = {"name": "Akyns of Almaty", "kind": "group", "description": f"Write to {ADDRESS}"}
    edit(git_inventory, communities=[community])
    monkeypatch.setenv("ICHINV_LANG", "kk")
    for output in ("text", "markdown"):
        shown = run("diff-2013", "--format", output).stdout
        assert "жасырылған: жеке деректер" in shown and "withheld" not in shown
    assert "[withheld: personal data]" in run("diff-2013", "--format", "json").stdout


def test_a_public_item_whose_key_became_malformed_is_removed_with_its_value_shown(
    git_inventory: Path, run: Run
) -> None:
    """Its new place cannot be told, but what `after` withholds for its own value hides no
    removed value: the older version published it."""
    data = yaml.safe_load((git_inventory / PATH).read_text("utf-8"))
    sources = data["provenance"]["sources"]
    edit(
        git_inventory,
        provenance={**data["provenance"], "sources": [{**sources[0], "url": "nmrk.kz/en/x"}]},
    )
    found = {c["kind"]: c for c in changes(run) if c["pointer"].startswith("/provenance")}
    assert found["removed"]["old"] == sources[0]
    assert "withheld" not in found["removed"]


# --- a second outside attack --------------------------------------------------------------------


def test_a_version_withheld_for_its_consent_hides_no_later_change(
    git_inventory: Path, run: Run
) -> None:
    """`log` took every text of a version withheld as a whole (consent pending, as `ichinv
    new` makes a record) for a restricted one: each later change of a text was hidden, and
    its subject too, as quoting what the record withholds."""
    repo = git.Repo(git_inventory)
    consent = yaml.safe_load((git_inventory / PATH).read_text("utf-8"))["consent"]
    edit(git_inventory, consent={"status": "pending"})
    commit(repo, "c1 consent pending")
    edit(git_inventory, consent=consent)
    commit(repo, "c2 consent given")
    edit(git_inventory, description={"en": OLD_TEXT.replace("dombra", "dombra, in pairs")})
    commit(repo, "c3 contests in pairs")
    done = run("log", "KZ-2013-0002", "--format", "json")
    assert done.exit_code == 0, done.stderr
    (entry,) = [e for e in json.loads(done.stdout)["commits"] if "c3" in e["subject"]]
    (change,) = entry["changes"]
    assert (change["old"], change.get("withheld")) == (OLD_TEXT, None)


def test_log_shows_the_old_value_of_a_value_still_not_in_the_schemas_form(
    git_inventory: Path, run: Run
) -> None:
    """The record as it is today withheld the value for its form, and so hid the published
    old value of the change that wrote it, in `log` and `diff --against`."""
    repo = git.Repo(git_inventory)
    edit(git_inventory, viability=viability(status="Viable"))
    commit(repo, "viability written as a heading")
    expected = {"old": "viable", "new": None, "new_withheld": "unknown-field"}
    done = run("log", "KZ-2013-0002", "--format", "json")
    assert done.exit_code == 0, done.stderr
    (entry,) = [e for e in json.loads(done.stdout)["commits"] if e["changes"]]
    (change,) = entry["changes"]
    assert {k: change.get(k) for k in expected} == expected
    assert "heading" not in entry["subject"]  # it speaks of the value withheld
    against = run("diff", "--baseline", "inventory-2013", "--against", "HEAD", "--format", "json")
    (element,) = [e for e in json.loads(against.stdout)["elements"] if e["changes"]]
    assert [{k: c.get(k) for k in expected} for c in element["changes"]] == [expected]


def test_a_record_that_restricts_nothing_hides_no_old_value_for_a_malformed_one(
    git_inventory: Path, run: Run
) -> None:
    """`at risk` for `at-risk` (several words withheld for their form) was taken for a
    sentence moved into a restricted part, in a record that restricts none."""
    reworded = OLD_TEXT.replace("dombra", "dombra, in pairs")
    edit(git_inventory, description={"en": reworded}, viability=viability(status="at risk"))
    shown = {c["pointer"]: c for c in changes(run)}
    assert shown["/description/en"]["old"] == OLD_TEXT
    assert shown["/viability/status"]["new_withheld"] == "unknown-field"


def test_an_item_that_gained_a_key_the_schema_does_not_know_shows_its_published_value(
    git_inventory: Path, run: Run
) -> None:
    """The whole item is withheld for its form; the change inside it was told as hiding
    "personal data or a restricted part", and the item's published value was hidden."""
    repo = git.Repo(git_inventory)
    community = {"name": "Akyns of Almaty", "kind": "group", "role": "practitioners"}
    edit(git_inventory, communities=[community])
    commit(repo, "a community", tag="with-community")
    edit(git_inventory, communities=[{**community, "note": "x"}])
    done = run("diff", "--baseline", "with-community", "--format", "json")
    (element,) = [e for e in json.loads(done.stdout)["elements"] if e["changes"]]
    assert element["changes"] == [
        {
            "pointer": "/communities/0",
            "kind": "changed",
            "old": community,
            "new": None,
            "new_withheld": "unknown-field",
        }
    ]


# --- a third outside attack ------------------------------------------------------------------

SHRINE = "Night pilgrimage to the secret shrine"


def test_diff_against_names_an_added_element_as_today_publishes_it(
    git_inventory: Path, run: Run
) -> None:
    """An element added between the two revisions compared was named, and placed, as the newer
    one named it, though the record today restricts its English name and a province."""
    repo = git.Repo(git_inventory)
    base = commit(repo, "v0")
    added = git_inventory / "elements" / "KZ-2026-0007.yaml"
    data = element_data("KZ-2026-0007", provinces=["KZ-43", "KZ-71"])
    data["names"]["en"] = SHRINE
    added.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    newer = commit(repo, "v1")
    data["access"] = {"level": "restricted", "restricted_parts": ["/names/en", "/provinces/1"],
                      "reason": "Sacred."}  # fmt: skip
    added.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    for output in ("text", "markdown", "json"):
        done = run("diff", "--baseline", base, "--against", newer, "--format", output)
        assert done.exit_code == 0, done.stderr
        assert "secret shrine" not in done.stdout and "KZ-71" not in done.stdout


@pytest.mark.parametrize(
    ("then", "today"),
    [
        ({"level": "public"}, {"level": "Restricted", "restricted_parts": ["/names/en"]}),
        ({"level": "restricted", "reason": "Sacred."},
         {"level": "restricted", "restricted_parts": ["/names/en"], "reason": "Sacred."}),
    ],
    ids=["access-unreadable-today", "whole-then-parts-today"],
)  # fmt: skip
def test_diff_against_names_a_revised_element_as_today_publishes_it(
    git_inventory: Path, run: Run, then: dict[str, Any], today: dict[str, Any]
) -> None:
    repo = git.Repo(git_inventory)
    edit(git_inventory, access=then)
    base = commit(repo, "v0")
    names = yaml.safe_load((git_inventory / PATH).read_text("utf-8"))["names"]
    edit(git_inventory, names={**names, "en": SHRINE})
    newer = commit(repo, "v1")
    edit(git_inventory, access=today)
    done = run("diff", "--baseline", base, "--against", newer, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert "secret shrine" not in done.stdout


def test_a_sentence_once_under_a_malformed_key_and_restricted_since_stays_hidden(
    git_inventory: Path, run: Run
) -> None:
    """A text withheld only for its form was taken for one the older version restricted: its
    sentence, moved (translated) into a restricted part, was printed again as an old value."""
    repo = git.Repo(git_inventory)
    sentence = "Pilgrims spend the night by the spring and tie white cloth to the old tree."
    translated = "Паломники проводят ночь у родника и привязывают белую ткань к старому дереву."
    restricted = {"level": "restricted", "restricted_parts": ["/transmission"], "reason": "Sacred."}
    edit(
        git_inventory,
        access=restricted,
        description={"en": sentence},
        viability=viability(notes={"RU": translated}),
        transmission={"modes": ["community"]},
    )
    base = commit(repo, "v0")
    edit(
        git_inventory,
        description={"en": "Pilgrims visit the mazars of the Syr region."},
        viability=viability(),
        transmission={"modes": ["community"], "description": {"ru": translated}},
    )
    done = run("diff", "--baseline", base, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert "white cloth" not in done.stdout and "привязывают" not in done.stdout


def test_an_item_that_gained_an_unknown_key_in_a_restricting_record_shows_its_old_value(
    git_inventory: Path, run: Run
) -> None:
    """Its published name, beside the unknown key, was taken for a sentence moved into a
    restricted part: "earlier value not shown: the record withholds more since"."""
    repo = git.Repo(git_inventory)
    restricted = {"level": "restricted", "restricted_parts": ["/transmission"], "reason": "Sacred."}
    community = {"name": "Pilgrims of the Syr region", "kind": "group", "role": "practitioners"}
    edit(git_inventory, access=restricted, communities=[community],
         transmission={"modes": ["community"]})  # fmt: skip
    base = commit(repo, "v0")
    edit(git_inventory, communities=[{**community, "role": "custodians", "extra": "x1"}])
    done = run("diff", "--baseline", base, "--format", "json")
    (element,) = [e for e in json.loads(done.stdout)["elements"] if e["changes"]]
    (change,) = element["changes"]
    assert change["old"] == community and "old_withheld" not in change
    assert change["new_withheld"] == "unknown-field"
