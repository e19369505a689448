"""Schema and record edits found by an outside review of "a public view publishes only what
the schema allows" (6 December): each made public outputs print a contact, or ended in exit 3.
Every output the public reads is asked, and none may print the planted contact."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]

ELEMENT = "KZ-2026-0001"
EMAIL = "zq41@example.org"
PHONE = 87000000041


def _public_outputs(run: Run) -> dict[str, Result]:
    return {
        " ".join(args): run(*args)
        for args in (
            ("show", ELEMENT),
            ("list",),
            ("export", "-f", "json"),
            ("export", "-f", "csv"),
            ("packet", "--output", "-"),
            ("packet", "--element", ELEMENT, "--output", "-"),
            ("packet", "--province", "KZ-23", "--output", "-"),
            ("progress",),
            ("report", "periodic"),
            ("diff-2013", "-f", "text"),
            ("diff-2013", "-f", "json"),
        )
    }


def _assert_nothing_printed(run: Run, *secrets: str) -> None:
    for name, result in _public_outputs(run).items():
        said = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (name, said)
        assert not [s for s in secrets if s in said], (name, said)


def _edit_schema(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = root / "schema" / "element.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


@pytest.fixture
def inventory(git_inventory: Path) -> Path:
    shutil.copytree(REPO_ROOT / "templates", git_inventory / "templates")
    return git_inventory


@pytest.mark.parametrize(
    "mark",
    [
        lambda s: s.update({"x-ichinv-personal-data": True}),
        lambda s: s.update({"anyOf": [{"x-ichinv-personal-data": True}]}),
        lambda s: s.update({"dependentSchemas": {"contacts": {"x-ichinv-personal-data": True}}}),
    ],
    ids=["top", "anyOf", "dependentSchemas"],
)
def test_a_schema_marking_the_whole_record_personal_cannot_be_used(
    inventory: Path, run: Run, mark: Callable[[dict[str, Any]], None]
) -> None:
    """Marked at the top, the record read as marked nowhere: every part out of shape was
    published (a contact as `viability.status`, a phone number as a community's name)."""
    _edit_schema(inventory, mark)
    d.write(inventory, d.element(ELEMENT, viability={"status": EMAIL, "assessed": "2026-04-01"}))
    for args in (("show", ELEMENT), ("export", "-f", "json"), ("validate",), ("list",)):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert "marks the whole record" in result.stderr and EMAIL not in result.stdout


KEYED = {
    "type": "object",
    "additionalProperties": False,
    "patternProperties": {"^.+$": {"type": "string"}},
}


@pytest.mark.parametrize(
    "notes",
    [
        KEYED | {"propertyNames": {"pattern": "^[a-z_]+$"}},  # the name refused: ignored before
        {**KEYED, "patternProperties": {"^.+$": {"type": "string"}, "@": {"enum": []}}},
        KEYED,  # any key allowed: a key that may be anything is not published
    ],
    ids=["propertyNames", "key-under-two-rules", "any-key"],
)
def test_a_key_that_may_be_a_contact_is_not_published_nor_its_value(
    inventory: Path, run: Run, notes: dict[str, Any]
) -> None:
    _edit_schema(inventory, lambda s: s["properties"].update({"keyed_notes": notes}))
    keyed = {EMAIL: f"call {PHONE} before visiting", "season": "spring"}
    d.write(inventory, d.element(ELEMENT, keyed_notes=keyed))
    _assert_nothing_printed(run, EMAIL, str(PHONE))
    committee = run("show", ELEMENT, "--audience", "committee")
    assert EMAIL in committee.stdout


def test_a_province_is_printed_as_the_public_may_see_it(inventory: Path, run: Run) -> None:
    """Province names and targets were read from the record: a contact typed into `names`
    titled the province packet, and an eleven-digit target stood in the index's table."""
    path = inventory / "provinces" / "KZ-23.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("target: 10", f"target: {PHONE}")
    text = text.replace("  en: Atyrau Region", f"  contact: {EMAIL}", 1)
    path.write_text(text, encoding="utf-8")
    d.write(inventory, d.element(ELEMENT))
    _assert_nothing_printed(run, EMAIL, str(PHONE))
    assert "Atyrau" in run("packet", "--province", "KZ-23", "--output", "-").stdout


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ({"type": "integer", "enum": [2008, 2016, 2024]}, "Aigerim"),
        ({"type": ["string", "null"], "enum": ["a", "b", None]}, "Aigerim"),
        ({"enum": [2016, 2024, "x", None, True]}, "Aigerim"),
    ],
)
def test_a_vocabulary_of_numbers_or_null_is_named_in_a_hint(
    inventory: Path, run: Run, field: dict[str, Any], value: str
) -> None:
    """The hint sorted and joined the allowed values as texts: exit 3 on numbers and null."""
    _edit_schema(inventory, lambda s: s["properties"].update({"season": field}))
    d.write(inventory, d.element(ELEMENT, season=value))
    result = run("validate")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "allowed values:" in result.stdout + result.stderr
    assert "Aigerim" not in result.stdout + result.stderr


# --- a second review, of the fixes above ---------------------------------------------------------


def test_findings_about_other_records_quote_them_only_in_their_forms(
    inventory: Path, run: Run
) -> None:
    """A province's end date and successors, and the status of the element another was merged
    into, were quoted raw in findings on every element referring to them."""
    path = inventory / "provinces" / "KZ-23.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"valid_until: {EMAIL}\nsuccessors: [{PHONE}]\n", encoding="utf-8")
    target = d.element(ELEMENT) | {"status": f"zqC1{EMAIL}"}
    merged = d.element("KZ-2026-0002") | {
        "status": "merged",
        "status_change": {"merged_into": ELEMENT, "date": "2026-05-01", "reason": "one practice"},
    }
    d.write(inventory, target, merged)
    for fmt in ("text", "json"):
        result = run("validate", "-f", fmt)
        said = result.stdout + result.stderr
        assert result.exit_code == 1, said
        assert EMAIL not in said and str(PHONE) not in said, said
    assert "which is itself …" in run("validate").stdout


def test_a_restricted_part_named_through_a_key_that_may_be_a_contact_is_not_printed(
    inventory: Path, run: Run
) -> None:
    _edit_schema(inventory, lambda s: s["properties"].update({"keyed_notes": KEYED}))
    record = d.element(ELEMENT, keyed_notes={EMAIL: "call before visiting"})
    record["access"] = {
        "level": "restricted",
        "restricted_parts": [f"/keyed_notes/{EMAIL}"],
        "reason": "sacred",
    }
    d.write(inventory, record)
    _assert_nothing_printed(run, EMAIL)


def test_a_key_two_patterns_match_is_withheld_and_not_quoted_by_validate(
    inventory: Path, run: Run
) -> None:
    """The shape refused the key (two rules) but said it was complete: validate took the
    valid record as in shape and quoted the value the public views withheld."""

    def edit(schema: dict[str, Any]) -> None:
        item = schema["properties"]["locations"]["items"]
        del item["properties"]["province"]
        item["patternProperties"] = {
            "^prov": {"type": "string"},
            "^pro": {"type": "string", "maxLength": 300},
        }

    _edit_schema(inventory, edit)
    record = d.element(ELEMENT, locations=[{"place": "Atyrau", "province": EMAIL}])
    d.write(inventory, record)
    result = run("validate")
    assert EMAIL not in result.stdout + result.stderr
    _assert_nothing_printed(run, EMAIL)


@pytest.mark.parametrize("where", ["propertyNames", "if", "then", "unevaluatedItems"])
def test_a_ref_to_nothing_anywhere_in_a_schema_is_said_before_it_is_used(
    inventory: Path, run: Run, where: str
) -> None:
    season = {"type": "object", "additionalProperties": False, where: {"$ref": "#/$defs/nope"}}
    _edit_schema(inventory, lambda s: s["properties"].update({"season": season}))
    d.write(inventory, d.element(ELEMENT, season={}))
    for args in (("validate",), ("show", ELEMENT)):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "names no definition" in result.stderr


def test_a_schema_that_grows_beyond_bounds_when_its_refs_are_followed_is_refused(
    inventory: Path, run: Run
) -> None:
    """Ten definitions of ten fields, each referring to the one before: 10^5 values at the
    fifth, which took every command minutes and gigabytes."""

    def edit(schema: dict[str, Any]) -> None:
        defs = schema["$defs"]
        defs["d0"] = {"type": "string"}
        for level in range(1, 6):
            fields = {f"k{n}": {"$ref": f"#/$defs/d{level - 1}"} for n in range(10)}
            defs[f"d{level}"] = {"type": "object", "additionalProperties": False} | {
                "properties": fields
            }
        schema["properties"]["season"] = {"$ref": "#/$defs/d5"}

    _edit_schema(inventory, edit)
    for args in (("validate",), ("list",)):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "element.schema.json cannot be used" in result.stderr
        assert "values once its $refs are followed" in result.stderr


def test_the_public_history_shows_no_contact_in_authors_or_subjects(
    inventory: Path, run: Run
) -> None:
    import git

    d.write(inventory, d.element(ELEMENT))
    repo = git.Repo(inventory)
    repo.git.add("--all")
    author = f"{EMAIL} +7 700 000 00 41"
    repo.git.commit(
        "-q", "-m", f"Add {ELEMENT} (2026-03-12), asked by {EMAIL}", f"--author={author} <a@b.c>"
    )
    # an outside attack: a messenger's link and an address spelt out were shown whole
    d.write(inventory, d.element(ELEMENT, description={"en": "Edited."}))
    repo.git.commit("-qam", "see https://t.me/aigul_k, or aigul dot n at gmail dot com")
    public = run("log", ELEMENT)
    packet = run("packet", "--element", ELEMENT, "--output", "-")
    for said in (public.stdout, run("log", ELEMENT, "-f", "json").stdout, packet.stdout):
        assert EMAIL not in said and "000 00 41" not in said, said
        assert "aigul" not in said, said
    assert f"Add {ELEMENT} (2026-03-12), asked by …" in public.stdout
    assert "see https://…, or …" in public.stdout
    committee = run("log", ELEMENT, "--audience", "committee")
    assert EMAIL in committee.stdout


@pytest.mark.parametrize(
    "handle",
    [
        "tg://resolve?domain=aigul_k",
        "skype:aigul.kenzhe",
        "vk.com/aigul_kenzhe",
        "instagram.com/aigul.kenzhe",
        "https://www.facebook.com/aigul.kenzhe",
        # a fifth outside attack: these were shown whole
        "https://x.com/aigul_kenzhe",
        "https://www.linkedin.com/in/aigul-kenzhe",
        "Telegram: aigul_k6",
        "instagram aigul.kenzhe8",
    ],
)
def test_a_messenger_handle_in_an_author_or_a_subject_is_not_shown(
    inventory: Path, run: Run, handle: str
) -> None:
    """An outside attack (atkX): `log` printed these whole as author and subject, and `list
    --domain` and `show` echoed them; `t.me/aigul_k`, the same Telegram contact, was `…`."""
    import git

    d.write(inventory, d.element(ELEMENT))
    repo = git.Repo(inventory)
    repo.git.add("--all")
    repo.git.commit("-q", "-m", f"from {handle}", f"--author={handle} <a@b.c>")
    said = run("log", ELEMENT).stdout
    assert "aigul" not in said and "…  from " in said, said
    for args in (("list", "--domain", handle), ("show", handle)):
        result = run(*args)
        said = result.stdout + result.stderr
        assert result.exit_code == 2 and "aigul" not in said.lower(), said


# --- a third review --------------------------------------------------------------------------------


def test_a_file_name_that_may_be_a_contact_is_not_printed_now_or_after_its_renaming(
    inventory: Path, run: Run
) -> None:
    import git

    repo = git.Repo(inventory)
    odd = inventory / "elements" / f"{EMAIL}.yaml"
    odd.write_text(json.dumps(d.element("KZ-2026-0099")), encoding="utf-8")
    twin = inventory / "elements" / "+7 700 000 00 41.yaml"
    twin.write_text(json.dumps(d.element("KZ-2026-0099")), encoding="utf-8")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "Add an element under an odd name")
    secrets = (EMAIL, "000 00 41")
    outputs = [
        run("show", "KZ-2026-0099"),
        run("list", "-f", "json"),
        run("list", "-f", "csv"),
        run("log", "KZ-2026-0099"),
        run("packet", "--since", "HEAD~1", "--output", "-"),
        *(run("diff-2013", "-f", fmt) for fmt in ("text", "markdown", "json")),
    ]
    # (Standard error names the files, for whoever runs the command to find them.)
    for result in outputs:
        assert not [s for s in secrets if s in result.stdout], result.stdout
    site = inventory.parent / "site"
    run("site", "-o", str(site))
    for page in site.rglob("*"):
        if page.is_file():
            text = page.read_text(encoding="utf-8", errors="replace")
            assert not [s for s in secrets if s in text], page
    twin.unlink()
    repo.git.mv(str(odd), str(inventory / "elements" / "KZ-2026-0099.yaml"))
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "Name it for its id")
    for args in (("diff", "--baseline", "HEAD~1", "-f", "json"), ("log", "KZ-2026-0099")):
        said = run(*args).stdout
        assert "elements/…" in said and EMAIL not in said, said


def test_a_province_code_period_the_schema_refuses_is_not_quoted_in_a_hint(
    inventory: Path, run: Run
) -> None:
    path = inventory / "provinces" / "KZ-23.yaml"
    text = path.read_text(encoding="utf-8")
    assert "iso_codes" not in text
    text += "iso_codes:\n  - code: KZ-23\n  - code: KZ-ATY\n    from: 7012-34-56\n"
    path.write_text(text + "    until: 8701-23-45\n", encoding="utf-8")
    d.write(inventory, d.element(ELEMENT, provinces=["KZ-ATY"]))
    for args in (("validate",), ("list", "--province", "KZ-ATY")):
        said = run(*args).stdout + run(*args).stderr
        assert "7012-34-56" not in said and "8701-23-45" not in said, said


def test_a_schema_with_a_long_vocabulary_is_used(inventory: Path, run: Run) -> None:
    """The bound on a schema's size counts sub-schemas, not values: an enum of 26,000
    settlements was refused by the first count."""
    places = [f"settlement {n}" for n in range(26_000)]
    _edit_schema(inventory, lambda s: s["properties"].update({"settlement": {"enum": places}}))
    d.write(inventory, d.element(ELEMENT, settlement="settlement 25999"))
    assert run("validate").exit_code == 0
    assert "settlement 25999" in run("show", ELEMENT).stdout


def test_a_long_vocabulary_referred_to_from_many_fields_is_refused(
    inventory: Path, run: Run
) -> None:
    """Counting sub-schemas alone let an enum of 26,000 values referred to from a hundred
    fields through: 20 GB (found by a fourth review)."""

    def edit(schema: dict[str, Any]) -> None:
        schema["$defs"]["place"] = {"enum": [f"settlement {n}" for n in range(26_000)]}
        for n in range(10):
            schema["properties"][f"place_{n}"] = {"$ref": "#/$defs/place"}

    _edit_schema(inventory, edit)
    result = run("validate")
    assert result.exit_code == 2 and "values once its $refs are followed" in result.stderr


@pytest.mark.parametrize("name", ["ivan'x@example.org", "ab@cd\nef", "a.yaml olga@mail.kz"])
def test_an_odd_file_name_is_not_quoted_by_another_records_problem(
    inventory: Path, run: Run, name: str
) -> None:
    d.write(inventory, d.element(ELEMENT))
    twin = inventory / "elements" / f"{name}.yaml"
    twin.write_text(json.dumps(d.element(ELEMENT)), encoding="utf-8")
    for fmt in ("text", "json"):
        said = run("diff-2013", "-f", fmt).stdout
        assert "@" not in said, said
