"""No finding quotes a contact or a withheld word, whichever rule made it.

Found by an outside review (6 December): `validate` in every format, and `ci summary` after
it, quoted a suppression's reason with its e-mail address and phone number; a word of a
wholly restricted record (also one whose `access` is misspelt) in a mixed-script warning; a
withheld text holding both kinds of quote mark; a person's name from a field the schema does
not know; a phone number run into a word; paths and file names that are e-mail addresses;
a symbolic link's target. `ichinv form` offered a province whose id was an e-mail address.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core.contacts import may_be_contact
from ichinv.core.model import Finding, Suppression
from ichinv.core.quoted import quoted_values, without_quoted_contacts
from tests.support.helpers import Result, element_yaml

Run = Callable[..., Result]

EMAIL = "zq1@example.org"
PHONE = "+7 777 900 11 22"
SECRET = "Zqs\u0430cred"  # one Cyrillic letter: a mixed-script warning quotes the word
RESTRICTED = {"level": "restricted", "reason": "Sacred knowledge of the keepers."}
FORMATS = ("text", "json", "github", "sarif")


def _write(root: Path, element_id: str, **fields: Any) -> None:
    (root / "elements" / f"{element_id}.yaml").write_text(
        element_yaml(element_id, **fields), encoding="utf-8"
    )


def _outputs(run: Run, root: Path, *leaks: str) -> str:
    """Every format of `validate`, and the CI summary made from its JSON: none holds a leak."""
    said = []
    for form in FORMATS:
        result = run("validate", "--no-cache", "--format", form)
        assert result.exit_code in (0, 1), result.stderr
        said.append(result.stdout + result.stderr)
        if form == "json":
            (root / "report.json").write_text(result.stdout, encoding="utf-8")
    summary = run("ci", "summary", str(root / "report.json"), "--output", "-")
    assert summary.exit_code in (0, 1), summary.stderr
    said.append(summary.stdout)
    everything = "\n".join(said)
    for leak in leaks:
        assert leak not in everything, leak
    return everything


def test_a_suppressions_reason_is_shown_without_its_contacts(inventory: Path, run: Run) -> None:
    suppression = {
        "rule": "category.missing",
        "reason": f"Agreed with {EMAIL}, {PHONE}",
        "until": "2099-01-01",
    }
    _write(inventory, "KZ-2026-0901", national_category=None, suppressions=[suppression])
    said = _outputs(run, inventory, EMAIL, PHONE, "zq1", "900 11 22")
    assert "Agreed with … …" in said  # the rest of the reason is kept


def test_a_restricted_records_reason_for_a_suppression_is_not_quoted(
    inventory: Path, run: Run
) -> None:
    suppression = {
        "rule": "category.missing",
        "reason": "Keepers of the rite",
        "until": "2099-01-01",
    }
    _write(
        inventory,
        "KZ-2026-0908",
        national_category=None,
        access=RESTRICTED,
        suppressions=[suppression],
    )
    said = _outputs(run, inventory, "Keepers of the rite")
    assert "see the record" in said


@pytest.mark.parametrize("level", ["restricted", "Restricted"], ids=["restricted", "misspelt"])
def test_a_word_of_a_wholly_restricted_record_is_not_quoted(
    inventory: Path, run: Run, level: str
) -> None:
    _write(
        inventory,
        "KZ-2026-0902",
        access={**RESTRICTED, "level": level},
        description={"en": f"Secret rite, keeper {SECRET} holds the words."},
    )
    said = _outputs(run, inventory, SECRET)
    assert "text.mixed-script" in said  # the warning is given, without the word


def test_a_withheld_text_with_both_quote_marks_is_not_quoted(inventory: Path, run: Run) -> None:
    measure = 'SACRED "rite" can\'t be shown to outsiders'
    _write(
        inventory,
        "KZ-2026-0904",
        access=RESTRICTED,
        safeguarding=[{"measure": measure}, {"measure": measure}],
    )
    said = _outputs(run, inventory, "SACRED", "outsiders")
    assert "list.duplicate-key" in said


def test_two_fields_missing_from_a_withheld_part_are_one_finding(inventory: Path, run: Run) -> None:
    """An outside review (atkX): latitude and longitude missing from restricted coordinates
    gave two lines alike (their names withheld), which read as one finding said twice."""
    _write(
        inventory,
        "KZ-2013-0905",
        access={**RESTRICTED, "restricted_parts": ["/locations/0/coordinates"]},
        locations=[{"place": "Turkistan", "coordinates": {"accuracy": 5}}],
    )
    result = run("validate", "--no-cache")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "KZ-2013-0905" in line]
    assert len(lines) == 1, result.stdout
    assert (
        "[schema.required] `coordinates` in item 1 of `locations` does not meet this rule; what "
        "it holds is not shown here" in lines[0]
    )
    assert "latitude" not in result.stdout and "longitude" not in result.stdout
    assert result.stdout.rstrip().endswith("1 error, 0 warnings, 0 info")
    document = json.loads(run("validate", "--no-cache", "--format", "json").stdout)
    assert [f["pointer"] for f in document["findings"]] == ["/locations/0/coordinates"]


def test_a_name_in_an_unknown_field_and_a_phone_in_a_word_are_not_quoted(
    inventory: Path, run: Run
) -> None:
    communities = [
        {"name": "Guild of masters", "contact_person": "Aigul Zqp\u0435trova, T\u0435l87779001122"}
    ]
    _write(inventory, "KZ-2013-0905", communities=communities)
    _write(
        inventory,
        "KZ-2026-0907",
        description={"en": "Masters can be reached at T\u0435l87779001122 in the village."},
    )
    said = _outputs(run, inventory, "Zqp\u0435trova", "87779001122")
    assert said.count("text.mixed-script") >= 2


def test_paths_file_names_and_link_targets_are_not_quoted(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    documentation = [
        {"title": "Interview", "path": "../zq6@example.org/interview.pdf"},
        {"title": "Photo", "path": "docs/zq6b@example.org.jpg"},
    ]
    _write(inventory, "KZ-2026-0906", documentation=documentation)
    (inventory / "elements" / "+7 777 909 09 09.yaml").write_text(
        element_yaml("KZ-2026-0909"), encoding="utf-8"
    )
    (inventory / "elements" / "zq56f@example.org.txt").write_text("x", encoding="utf-8")
    outside = tmp_path / "zq10@example.org"
    outside.write_text(element_yaml("KZ-2026-0910"), encoding="utf-8")
    os.symlink(outside, inventory / "elements" / "KZ-2026-0910.yaml")
    said = _outputs(run, inventory, "zq6", "zq10@")
    for rule in ("path.outside", "path.missing", "id.file-name", "file.extension", "file.symlink"):
        assert rule in said, rule
    # Where a file is stays said (its path locates the finding); its words do not repeat it.
    result = run("validate", "--no-cache", "--format", "json")
    words = [f["message"] + (f.get("hint") or "") for f in json.loads(result.stdout)["findings"]]
    assert not [w for w in words if "zq" in w or "777" in w]
    assert any("named '….yaml'" in w for w in words)


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_no_language_quotes_a_contact(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The Kazakh and Russian messages quote in «guillemets» (a review found them quoting the
    paths the English ones hid)."""
    monkeypatch.setenv("ICHINV_LANG", lang)
    documentation = [
        {"title": "Interview", "kind": "audio", "path": "media/ivan.petrov@mail.kz.mp3"},
        {"title": "Interview 2", "kind": "audio", "path": "media/+7 701 123 45 67.mp3"},
    ]
    _write(inventory, "KZ-2026-0912", documentation=documentation)
    said = _outputs(run, inventory, "ivan.petrov", "701 123")
    assert "path.missing" in said


def test_a_typo_of_a_vocabulary_word_is_quoted_beside_a_withheld_text_that_holds_it(
    inventory: Path, run: Run
) -> None:
    """A value a finding quotes is hidden when it is a word of a withheld text, but not a
    vocabulary word or a typo of one (a review found `"activ" is not one of …` hidden because
    a contact's note said "an active teacher")."""
    contact = {"name": "Aigerim Example", "role": "bearer", "note": "an active teacher"}
    _write(inventory, "KZ-2026-0913", status="activ", contacts=[contact])
    result = run("validate", "--no-cache", "--format", "json")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert any("activ" in m for m in messages), messages
    assert not any("Aigerim" in m or "teacher" in m for m in messages)


@pytest.mark.parametrize(
    ("value", "why", "shown"),
    [
        ("7011-23-45", "there is no month 23", "…"),
        # a day past the month's end is a date's typo, no phone number: shown (a review found
        # it hidden, '…' telling the editor nothing)
        ("2025-02-30", "month 02 has no day 30", "2025-02-30"),
        ("2025-1\u00b2-06", "", ""),  # a digit of no use to int(): a review found exit 3
    ],
)
def test_a_date_that_is_no_day_is_quoted_and_said_what_is_wrong(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, value: str, why: str, shown: str
) -> None:
    """An outside attack: `date.invalid` printed the value unquoted, out of the masking's
    reach, so a phone number typed into a date field (`7011-23-45`) was shown whole. Its eight
    digits are hidden now, and the message says which part is no month or day."""
    _write(inventory, "KZ-2026-0901", viability={"status": "viable", "assessed": value})
    said = _outputs(run, inventory, *([value] if shown == "…" else []))
    if not why:  # not in the field's form either: the public view withholds it
        assert "[date.invalid]" in said and "internal error" not in said
        return
    assert f"'{shown}' is not a date in the calendar: {why}" in said
    monkeypatch.setenv("ICHINV_LANG", "ru")
    result = run("validate", "--no-cache")
    assert f"«{shown}» — такой даты в календаре нет: " in result.stdout, result.stdout


def test_the_schemas_example_id_is_shown_and_a_withheld_value_is_said_to_be_so(
    inventory: Path, run: Run
) -> None:
    """An outside attack: for `id: KZ-2026-902` the hint was "expected something like …" (the
    schema's own example id, read as a phone number), and the finding that quoted the id said
    it was "personal data or a restricted part", which an id in a wrong form is not."""
    _write(inventory, "KZ-2026-0902", id="KZ-2026-902")
    result = run("validate", "--no-cache", "--format", "json")
    found = {f["rule"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["schema.pattern"]["hint"] == 'expected something like "KZ-2013-0001"'
    assert "personal data" not in result.stdout
    assert (
        "not shown here: the public view of a record withholds values that do not fit"
        in (found["id.file-name"]["message"])
    )
    assert "KZ-2026-902" not in result.stdout


def test_file_names_that_begin_with_an_id_are_named_as_they_are(inventory: Path, run: Run) -> None:
    for name, element_id in (
        ("KZ-2026-0914-draft.yaml", "KZ-2026-0914"),
        ("kz-2026-0915.yaml", "KZ-2026-0915"),
    ):
        (inventory / "elements" / name).write_text(element_yaml(element_id), encoding="utf-8")
    result = run("validate", "--no-cache", "--format", "json")
    words = [f["message"] + (f.get("hint") or "") for f in json.loads(result.stdout)["findings"]]
    assert any("'KZ-2026-0914-draft.yaml'" in w for w in words), words
    assert any("'kz-2026-0915.yaml'" in w for w in words), words


def test_the_form_refuses_a_province_whose_id_is_no_province_id(inventory: Path, run: Run) -> None:
    province = next((inventory / "provinces").glob("*.yaml"))
    text = province.read_text(encoding="utf-8")
    province.write_text(
        "\n".join(
            "id: zq8@example.org" if line.startswith("id:") else line for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    result = run("form", "--output", str(inventory / "form.xlsx"))
    assert result.exit_code == 2
    assert "zq8" not in result.stdout + result.stderr
    assert f"provinces/{province.name}" in result.stderr
    assert not (inventory / "form.xlsx").exists()


def test_a_json_report_keeps_the_words_of_findings_that_quote_no_contact(
    inventory: Path, run: Run
) -> None:
    """Masking is no blanket: a typo in a public field is still quoted for the editor."""
    _write(inventory, "KZ-2026-0911", domains=["craftsmanshipp"])
    result = run("validate", "--no-cache", "--format", "json")
    messages = [f["message"] + (f.get("hint") or "") for f in json.loads(result.stdout)["findings"]]
    assert any("craftsmanshipp" in m for m in messages), messages


contacts = st.sampled_from(
    [
        EMAIL,
        PHONE,
        "87779001122",
        "8\u00a0700\u00a0000\u00a097\u00a097",
        "a\uff20b.kz",
        "Tel+77001234567",
    ]
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(before=texts, contact=contacts, around=texts, after=texts, quote=st.sampled_from(["r", "`"]))
def test_law_no_finding_quotes_a_contact(
    before: str, contact: str, around: str, after: str, quote: str
) -> None:
    value = f"{around}{contact}"
    quoted = repr(value) if quote == "r" else f"`{value}`"
    finding = Finding(
        "elements/KZ-2013-0001.yaml", "x.y", f"{before} {quoted} {after}", hint=quoted
    )
    for words in (finding.message, finding.hint or ""):
        assert not any(may_be_contact(v) for v in quoted_values(words)), words


@given(text=texts)
def test_law_a_message_that_quotes_no_contact_is_left_as_it_is(text: str) -> None:
    if not any(may_be_contact(v) for v in quoted_values(text)):
        assert without_quoted_contacts(text) == text


def test_a_suppression_keeps_its_reason_but_its_contacts() -> None:
    said = Suppression("r.x", f"asked {EMAIL} on 2026-01-10 about KZ-2013-0001", "2027-01-01")
    assert said.reason == "asked … on 2026-01-10 about KZ-2013-0001"
