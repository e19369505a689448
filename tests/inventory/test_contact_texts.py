"""A record's text that surely holds a contact (what validate warns of, `text.contact`) is
withheld from every public output as personal data, wherever it stands; the committee sees it.

Before, public outputs printed a record's texts as written and only validate's warning stood
between a phone number typed into a description and the public site (an outside attack on the
field forms published `<h1>Test aigul@example.org</h1>`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core.model import RecordKind
from ichinv.inventory import audience
from ichinv.inventory.audience import Why, Withheld
from ichinv.inventory.policy import policy_for
from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result, commit, examples, init_repo

Run = Callable[..., Result]
POLICY = policy_for(REPO_ROOT / "schema")

CONTACTS = (
    "aigul@example.org",
    "+7 700 000 00 00",
    "8 (700) 000-00-00",
    "t.me/aigul_k",
    "Telegram: @aigul_k",
)
"""Fictitious contacts, each of a form `sure_contact` takes."""

PLACES = {
    "/names/en": lambda data, text: data["names"].__setitem__("en", f"Aitys, call {text}"),
    "/description/en": lambda data, text: data["description"].__setitem__(
        "en", f"An improvised duel of poets. Write to {text} for the dates."
    ),
}


def element_with(pointer: str, contact: str) -> dict[str, Any]:
    data = d.element("KZ-2026-0001")
    PLACES[pointer](data, contact)
    return data


@pytest.mark.parametrize("contact", CONTACTS)
@pytest.mark.parametrize("pointer", sorted(PLACES))
def test_a_text_holding_a_contact_is_a_note_in_the_public_view(pointer: str, contact: str) -> None:
    data = element_with(pointer, contact)
    view, parts = audience.public_view_and_parts(data, policy=POLICY)
    field, language = pointer.split("/")[1:]
    assert isinstance(view[field][language], Withheld)
    assert view[field][language].why is Why.PERSONAL
    assert contact not in json.dumps(view, ensure_ascii=False)
    assert audience.WithheldPart(pointer, Why.PERSONAL, contact=True) in parts
    committee = audience.view(data, audience.Audience.COMMITTEE, policy=POLICY)
    assert contact in committee[field][language]


def test_a_text_without_a_contact_and_a_figure_stay_shown() -> None:
    data = d.element("KZ-2026-0001")
    data["description"]["en"] = "Inscribed in 2016 (decision 11.COM 10.B.1), 7 000 000 viewers."
    view = audience.public_view(data, policy=POLICY)
    assert view["description"]["en"] == data["description"]["en"]


def test_a_list_item_holding_a_contact_keeps_its_place() -> None:
    data = d.element("KZ-2026-0001")
    data["communities"] = [
        {"name": "Akyns of Almaty", "kind": "community"},
        {"name": "Aigul's circle, +7 700 000 00 00", "kind": "group"},
        {"name": "Zhyrau school", "kind": "group"},
    ]
    view = audience.public_view(data, policy=POLICY)
    names = [community["name"] for community in view["communities"]]
    assert names[0] == "Akyns of Almaty" and names[2] == "Zhyrau school"
    assert isinstance(names[1], Withheld)


def test_a_restricted_part_holding_a_contact_says_nothing_of_what_it_holds() -> None:
    """Its note says why it is withheld, never what it holds: no note of personal data inside
    it, nor in the fields of a record withheld as a whole but for its identification."""
    data = d.secret_element("KZ-2026-0009")
    data["transmission"]["description"]["en"] = "Ask aigul@example.org"
    view, parts = audience.public_view_and_parts(data, policy=POLICY)
    assert "aigul@example.org" not in json.dumps(view, ensure_ascii=False)
    assert view["transmission"].why is Why.RESTRICTED
    assert not any(part.contact for part in parts)
    data["consent"]["status"] = "pending"  # all but the identification withheld
    data["names"]["en"] = "Secret rite, +7 700 000 00 00"
    parts = audience.withheld_parts(data, policy=POLICY)
    assert [part.pointer for part in parts if part.contact] == ["/names/en"]


@pytest.mark.parametrize(
    "reason",
    ["The lineage asked; write aigul@example.org", "Asked by the keeper, +7 700 000 00 00"],
)
def test_a_published_reason_that_holds_a_contact_is_in_no_note(reason: str) -> None:
    """The reason for a restriction is published in every note of the record: one that holds
    a contact is in none (an outside review found it on the site, in packets and exports)."""
    data = d.secret_element("KZ-2026-0009")
    data["access"]["reason"] = reason
    view = audience.public_view(data, policy=POLICY)
    assert view["locations"].why is Why.RESTRICTED and view["locations"].reason is None
    text = json.dumps(view, ensure_ascii=False)
    assert "aigul@example.org" not in text and "700 000 00 00" not in text
    data["consent"]["status"] = "pending"
    text = json.dumps(audience.public_view(data, policy=POLICY), ensure_ascii=False)
    assert "aigul@example.org" not in text and "700 000 00 00" not in text


def test_a_published_reason_keeps_no_login_of_a_web_address() -> None:
    data = d.secret_element("KZ-2026-0009")
    data["access"]["reason"] = "See https://aigul:s3cret@archive.example.org/rite"
    view = audience.public_view(data, policy=POLICY)
    assert view["locations"].reason == "See https://archive.example.org/rite"
    assert "s3cret" not in json.dumps(view, ensure_ascii=False)


def test_what_only_findings_ask_of_a_view_costs_no_search_of_its_texts() -> None:
    """Findings never quote a contact, so what they ask (`contacts=False`) leaves the texts
    unsearched: validate asked once a finding, and a record with hundreds of numbers took
    minutes."""
    data = element_with("/description/en", "aigul@example.org")
    plain = audience.withheld_parts(data, policy=POLICY, contacts=False)
    assert not any(part.contact for part in plain)
    assert any(part.contact for part in audience.withheld_parts(data, policy=POLICY))


@given(
    contact=st.sampled_from(CONTACTS),
    before=st.text(st.characters(categories=["L", "Zs"]), max_size=40),
    after=st.text(st.characters(categories=["L", "Zs"]), max_size=40),
    pointer=st.sampled_from(sorted(PLACES)),
)
@settings(max_examples=examples(60, 300), deadline=None)
def test_law_no_public_view_holds_a_contact_typed_into_a_text(
    contact: str, before: str, after: str, pointer: str
) -> None:
    data = d.element("KZ-2026-0001")
    PLACES[pointer](data, f"{before} {contact} {after}")
    text = json.dumps(audience.public_view(data, policy=POLICY), ensure_ascii=False)
    assert contact not in text


def test_validate_warns_where_the_public_view_withholds(inventory: Path, run: Run) -> None:
    d.write(inventory, element_with("/description/en", "aigul@example.org"))
    found = json.loads(run("validate", "--format", "json").stdout)["findings"]
    warned = {f["pointer"] for f in found if f["rule"] == "text.contact"}
    data = element_with("/description/en", "aigul@example.org")
    parts = audience.withheld_parts(data, kind=RecordKind.ELEMENT, policy=POLICY)
    assert warned == {part.pointer for part in parts if part.contact} == {"/description/en"}


def test_no_public_output_prints_it_and_the_committee_sees_it(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    d.write(inventory, element_with("/names/en", "+7 700 000 00 00"))
    d.write(
        inventory,
        element_with("/description/en", "aigul@example.org") | {"id": "KZ-2026-0002"},
    )
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates", dirs_exist_ok=True)
    commit(init_repo(inventory), "records")
    outputs = {
        "show": run("show", "KZ-2026-0001").stdout,
        "list": run("list", "--format", "json").stdout,
        "packet": run("packet", "--element", "KZ-2026-0002").stdout,
        "export": run("export", "-f", "json").stdout,
    }
    assert run("site", "--output", str(tmp_path / "site")).exit_code == 0
    outputs["site"] = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (tmp_path / "site").rglob("*")
        if path.is_file()
    )
    for name, text in outputs.items():
        assert "700 000 00 00" not in text and "aigul@example.org" not in text, name
    committee = run("show", "KZ-2026-0001", "--audience", "committee").stdout
    assert "+7 700 000 00 00" in committee


def test_a_public_diff_shows_neither_the_old_nor_the_new_text_with_a_contact(
    inventory: Path, run: Run
) -> None:
    d.write(inventory, element_with("/description/en", "aigul@example.org"))
    commit(init_repo(inventory), "with a contact")
    d.write(inventory, d.element("KZ-2026-0001"))  # the contact moved out of the text
    out = run("diff", "--baseline", "HEAD", "--format", "json").stdout
    (element,) = [e for e in json.loads(out)["elements"] if e["id"] == "KZ-2026-0001"]
    (change,) = element["changes"]
    assert change["pointer"] == "/description/en" and change["old"] is None
    assert change["old_withheld"] == "personal-data"
    assert "aigul@example.org" not in out


def test_an_item_renamed_without_its_contact_is_removed_and_added_in_the_public_diff(
    inventory: Path, run: Run
) -> None:
    """The diff matches items by name: the item that held a contact is removed (its value not
    shown), the renamed one added. The public diff showed the addition alone, a community
    that seemed new (an outside review)."""
    data = d.element("KZ-2026-0001")
    data["communities"] = [
        {"name": "Akyns of Almaty", "kind": "community"},
        {"name": "Aigul's circle, aigul@example.org", "kind": "group"},
    ]
    d.write(inventory, data)
    commit(init_repo(inventory), "with a contact")
    data["communities"][1]["name"] = "Aigul's circle"
    d.write(inventory, data)
    kinds = {}
    for audience_name in ("committee", "public"):
        out = run("diff", "--baseline", "HEAD", "--format", "json", "--audience", audience_name)
        (element,) = [e for e in json.loads(out.stdout)["elements"] if e["id"] == "KZ-2026-0001"]
        kinds[audience_name] = sorted(change["kind"] for change in element["changes"])
        assert audience_name == "committee" or "aigul@example.org" not in out.stdout
    assert kinds["public"] == kinds["committee"] == ["added", "removed"]


def test_the_site_shows_another_name_that_held_a_contact_as_its_own_note(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """Not as the English words of the view's note (`[withheld: personal data]`), on a page in
    Kazakh or Russian too."""
    data = d.element("KZ-2026-0001")
    data["other_names"] = [{"name": "Aitys, +7 700 000 00 00", "lang": "kk"}]
    d.write(inventory, data)
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates", dirs_exist_ok=True)
    commit(init_repo(inventory), "records")
    assert run("site", "--output", str(tmp_path / "site")).exit_code == 0
    pages = list((tmp_path / "site").rglob("KZ-2026-0001.html"))
    assert len(pages) == 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "700 000 00 00" not in html and "[withheld" not in html, page


def test_the_site_says_a_name_withheld_in_the_page_s_language_is_withheld_not_missing(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    """The Kazakh page of an element whose Kazakh name holds a contact shows the Russian name,
    with a note that the Kazakh one is withheld (it said there was no Kazakh text)."""
    data = d.element("KZ-2026-0001")
    data["names"]["kk"] = "Айтыс, +7 700 000 00 00"
    d.write(inventory, data)
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates", dirs_exist_ok=True)
    commit(init_repo(inventory), "records")
    assert run("site", "--output", str(tmp_path / "site"), "--lang", "kk").exit_code == 0
    html = next((tmp_path / "site").rglob("KZ-2026-0001.html")).read_text(encoding="utf-8")
    assert "700 000 00 00" not in html
    assert "жасырылған (жеке деректер немесе шектеу)" in html
    assert "жасырылған (жеке деректер немесе шектеу), орысша берілген" in html
    assert "жоқ, орысша берілген" not in html  # the note of a name that does not exist


def test_a_finding_in_a_text_withheld_for_its_contact_quotes_none_of_its_words(
    inventory: Path, run: Run
) -> None:
    """Reports may be public (CI logs, packets): a finding about a text that public views
    withhold for the contact it holds names its place and rule only, as one about personal data
    does (a mixed-script warning quoted the person's name beside the phone number); the
    warning of the contact itself keeps its words."""
    data = d.element("KZ-2026-0001")
    data["description"]["en"] = "Ask \u0410igul Kenzhe, +7 700 000 00 00, for the dates."
    d.write(inventory, data)
    result = run("validate", "--format", "json")
    findings = {
        f["rule"]: f
        for f in json.loads(result.stdout)["findings"]
        if f["pointer"] == "/description/en"
    }
    assert set(findings) == {"text.contact", "text.mixed-script"}
    assert "igul" not in json.dumps(findings["text.mixed-script"], ensure_ascii=False)
    assert "is not shown here" in findings["text.mixed-script"]["message"]
    assert "e-mail address, a phone number" in findings["text.contact"]["message"]
    assert "igul" not in run("validate").stdout
