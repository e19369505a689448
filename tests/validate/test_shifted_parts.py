"""`validate --new-since REV` and an item restricted by its position (rule `access.shifted`).

`access.restricted_parts: [/provenance/sources/1]` withholds the second source. An editor who
inserts a source above it (or deletes or reorders the ones before it) makes the entry name
another source, and the one it withheld, now the third, was published by `show --audience
public`, the packets, export and the site, with no word from `validate` (KZ-2026-0036: the
article naming the village the tazy breeders asked not to publish)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support.helpers import Result, build_file_tree, commit, element_yaml

Run = Callable[..., Result]
ID = "KZ-2026-0901"
PATH = f"elements/{ID}.yaml"
ORDER = {"list": "order-50-2013", "order": "Order No. 50 of 1 March 2013"}
VILLAGE = {
    "list": "other",
    "url": "https://news.example.kz/village-of-tazy-breeders",
    "note": "SECRET village article",
}
NEW = {"list": "other", "url": "https://example.org/new-article", "note": "A new article."}
LATER = {"list": "other", "url": "https://example.org/later-article", "note": "A later one."}


def access(*parts: str) -> dict[str, Any]:
    return {"level": "restricted", "restricted_parts": list(parts), "reason": "Sacred"}


def write(
    root: Path, sources: list[dict[str, Any]], restricted: dict[str, Any], **more: Any
) -> None:
    provenance = {"entered": "2026-05-21", "sources": sources}
    text = element_yaml(ID, provenance=provenance, access=restricted, **more)
    build_file_tree(root, {PATH: text})


@pytest.fixture
def restricted(git_inventory: Path) -> Path:
    """The element withholding its second source by position, committed."""
    write(git_inventory, [ORDER, VILLAGE], access("/provenance/sources/1"))
    commit(git.Repo(git_inventory), "A record withholding its second source")
    return git_inventory


def where(latitude: float, longitude: float) -> dict[str, float]:
    return {"latitude": latitude, "longitude": longitude}


def findings(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("validate", "--format", "json", "--new-since", "HEAD", *args)
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "access.shifted"]


def test_a_source_inserted_above_a_restricted_one_is_an_error(restricted: Path, run: Run) -> None:
    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/1"))

    result = run("validate", "--new-since", "HEAD")

    assert result.exit_code == 1, result.stdout
    [line] = [line for line in result.stdout.splitlines() if "[access.shifted]" in line]
    assert line.startswith(f"{PATH}:"), line
    assert "/provenance/sources/1" in line and "/provenance/sources/2" in line, line
    assert ID in line and "/provenance/sources" in line, line
    assert "SECRET" not in result.stdout + result.stderr
    assert "village" not in result.stdout + result.stderr
    # The working tree alone cannot tell: each version is consistent in itself.
    assert "access.shifted" not in run("validate").stdout
    # The public view shows it meanwhile: what the finding is about.
    assert "SECRET" in run("show", ID, "--audience", "public").stdout


def test_naming_the_new_position_clears_it(restricted: Path, run: Run) -> None:
    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/2"))
    assert findings(run) == []
    assert run("validate", "--new-since", "HEAD").exit_code == 0
    assert "SECRET" not in run("show", ID, "--audience", "public").stdout


def test_a_source_added_at_the_end_is_no_finding(restricted: Path, run: Run) -> None:
    write(restricted, [ORDER, VILLAGE, LATER], access("/provenance/sources/1"))
    assert findings(run) == []
    assert run("validate", "--new-since", "HEAD").exit_code == 0


def test_reordered_sources_are_an_error_at_the_entry(restricted: Path, run: Run) -> None:
    write(restricted, [VILLAGE, ORDER], access("/provenance/sources/1"))
    [finding] = findings(run)
    assert finding["path"] == PATH
    assert finding["pointer"] == "/access/restricted_parts/0"
    assert finding["line"] is not None
    assert "(/provenance/sources/1)" in finding["message"]
    assert "/provenance/sources/0" in finding["message"]
    assert "(/provenance/sources/0)" in finding["hint"]


def test_a_position_counted_wrong_is_an_error_and_a_lifted_restriction_is_not(
    restricted: Path, run: Run
) -> None:
    # The editor renumbered the entry, to the wrong item of the list.
    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/0"))
    [finding] = findings(run)
    assert "/provenance/sources/2" in finding["message"]
    # The editor took the entry out (and restricted something else): a decision the reviewer
    # sees in the diff.
    write(restricted, [NEW, ORDER, VILLAGE], access("/transmission"), transmission={"modes": []})
    assert findings(run) == []


def test_a_removed_item_or_a_public_record_is_no_finding(restricted: Path, run: Run) -> None:
    write(restricted, [NEW, ORDER], access("/provenance/sources/1"))
    assert findings(run) == []
    write(restricted, [NEW, ORDER, VILLAGE], {"level": "public"})
    assert findings(run) == []


def test_a_record_renamed_is_followed_by_its_id(restricted: Path, run: Run) -> None:
    (restricted / PATH).unlink()
    text = element_yaml(
        ID,
        provenance={"entered": "2026-05-21", "sources": [NEW, ORDER, VILLAGE]},
        access=access("/provenance/sources/1"),
    )
    build_file_tree(restricted, {"elements/tazy-breeding.yaml": text})
    [finding] = findings(run)
    assert finding["path"] == "elements/tazy-breeding.yaml"
    assert "/provenance/sources/2" in finding["message"]


def test_a_part_of_an_item_follows_its_item(git_inventory: Path, run: Run) -> None:
    """`/locations/0/coordinates` passes through a position: the place moved, its coordinates
    with it."""
    place = {"place": "Sacred spring", "province": "KZ-43", "coordinates": where(43.21, 76.93)}
    other = {"place": "Town square", "province": "KZ-43", "coordinates": where(43.25, 76.95)}
    restricted = access("/locations/0/coordinates")
    write(git_inventory, [ORDER], restricted, locations=[place])
    commit(git.Repo(git_inventory), "A record withholding where its place lies")
    write(git_inventory, [ORDER], restricted, locations=[other, place])
    [finding] = findings(run)
    assert "(/locations/0/coordinates)" in finding["message"]
    assert "/locations/1/coordinates" in finding["message"]
    assert "Sacred" not in json.dumps(finding) and "43.21" not in json.dumps(finding)


def test_an_entry_naming_what_the_record_does_not_hold_is_left_to_access_parts(
    git_inventory: Path, run: Run
) -> None:
    """A restricted part absent from the committed record (kept in the private overlay, or a
    typo) has no item to follow."""
    write(git_inventory, [ORDER], access("/provenance/sources/1"))
    commit(git.Repo(git_inventory), "A part the record does not hold")
    write(git_inventory, [NEW, ORDER], access("/provenance/sources/1"))
    assert findings(run) == []


def test_every_format_names_the_rule(restricted: Path, run: Run) -> None:
    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/1"))
    sarif = json.loads(run("validate", "-f", "sarif", "--new-since", "HEAD").stdout)
    driver = sarif["runs"][0]["tool"]["driver"]
    assert "access.shifted" in {r["id"] for r in driver["rules"]}
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["access.shifted"]
    github = run("validate", "-f", "github", "--new-since", "HEAD").stdout
    assert f"::error file={PATH}," in github and "title=access.shifted::" in github
    assert "SECRET" not in json.dumps(sarif) + github


def test_the_finding_speaks_kazakh_and_russian(
    restricted: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.languages import english_words

    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/1"))
    for lang in ("kk", "ru"):
        monkeypatch.setenv("ICHINV_LANG", lang)
        [finding] = findings(run)
        assert "/provenance/sources/2" in finding["message"]
        assert english_words(finding["message"]) == [], finding["message"]
        assert english_words(finding["hint"]) == [], finding["hint"]


def test_records_restricting_nothing_by_position_are_not_parsed_for_it(
    restricted: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check costs nothing for a changed record that lists no restricted parts: its bytes
    are not parsed (a record unchanged since REV is not even read)."""
    from ichinv.validate import shifted

    looked_at: list[str] = []
    positional = shifted.positional

    def counted(data: Any) -> list[str]:
        looked_at.append(str(data.get("id")))
        return positional(data)

    monkeypatch.setattr(shifted, "positional", counted)
    other = restricted / "elements" / "KZ-2013-0002.yaml"
    other.write_text(other.read_text("utf-8").replace("Айтыс", "Айтыс өнері", 1), "utf-8")
    assert findings(run) == []
    assert looked_at == []
    write(restricted, [NEW, ORDER, VILLAGE], access("/provenance/sources/1"))
    assert len(findings(run)) == 1
    assert looked_at == [ID]


def test_a_restricted_source_whose_address_was_edited_is_followed_where_it_moved(
    restricted: Path, run: Run
) -> None:
    """Found by an outside review: a source inserted above the restricted one, whose address
    got a slash at its end in the same change (its key fields: the diff cannot tell it is the
    same), was published with no error. It is followed to the one new item like it (most of
    its fields unchanged); an address edited where it stands gives nothing."""
    edited = VILLAGE | {"url": VILLAGE["url"] + "/"}
    write(restricted, [ORDER, edited], access("/provenance/sources/1"))
    assert findings(run) == []
    write(restricted, [ORDER, NEW, edited], access("/provenance/sources/1"))
    [found] = findings(run)
    assert (
        "/provenance/sources/1" in found["message"] and "/provenance/sources/2" in found["message"]
    )
    write(restricted, [ORDER, NEW, edited], access("/provenance/sources/2"))
    assert findings(run) == []
