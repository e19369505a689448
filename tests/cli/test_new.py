"""`ichinv new`: a commented skeleton with the next id, the fields left to fill, prompts and flags."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml as yamlload
from tests.support.helpers import Result

Run = Callable[..., Result]

FLAGS = [
    "new",
    "--no-input",
    "--name-kk",
    "Домбыра жасау",
    "--name-ru",
    "Изготовление домбры",
    "--name-en",
    "Dombra making",
    "--domain",
    "craftsmanship",
    "--domain",
    "knowledge-nature",
    "--category",
    "V",
    "--province",
    "KZ-43",
]

FILLED = {
    "communities[1].name": ("/communities/0/name", "Dombra makers of Kyzylorda"),
    "description.en": ("/description/en", "Making the two-stringed dombra by hand."),
    "description.ru": ("/description/ru", "Изготовление двухструнной домбры вручную."),
    "description.kk": ("/description/kk", "Екі ішекті домбыраны қолдан жасау."),
    "viability.assessed": ("/viability/assessed", "2026-10-01"),
    "provenance.inventoried_by": ("/provenance/inventoried_by", "Community inventory team"),
    "provenance.entered": ("/provenance/entered", "2013-03-01"),
}


def listed(stdout: str) -> list[str]:
    """The fields `new` says are still to fill in (required ones)."""
    section = stdout.split("Still to fill in", 1)[1].split("\n\n", 1)[0]
    fields: list[str] = []
    for line in section.splitlines()[1:]:
        label = re.split(r"\s{2,}", line.strip())[0]
        fields.extend(part.strip() for part in label.split(","))
    return fields


def read(root: Path, element_id: str) -> dict[str, object]:
    return yamlload.load((root / "elements" / f"{element_id}.yaml").read_bytes())[0]


def fill(root: Path, rel: str, fields: list[str]) -> None:
    path = root / rel
    document = yamlio.load(path.read_bytes())
    for name in fields:
        pointer, value = FILLED[name]
        document.set(pointer, value)
    path.write_text(yamlio.dump(document), encoding="utf-8")


def test_new_with_flags_writes_a_record_that_validates_once_the_listed_fields_are_filled(
    inventory_with_template: Path, run: Run
) -> None:
    result = run(*FLAGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("created elements/KZ-2026-0001.yaml (KZ-2026-0001)\n")
    fields = listed(result.stdout)
    assert fields == [
        "communities[1].name",
        "description.en",
        "description.ru",
        "description.kk",
        "viability.assessed",
        "provenance.inventoried_by",
    ]
    before = run("validate", "elements/KZ-2026-0001.yaml")
    assert before.exit_code == 1
    fill(inventory_with_template, "elements/KZ-2026-0001.yaml", fields)
    after = run("validate")
    assert after.exit_code == 0, after.stdout


def test_the_skeleton_holds_the_given_values_and_explains_the_fields(
    inventory_with_template: Path, run: Run
) -> None:
    run(*FLAGS)
    text = (inventory_with_template / "elements" / "KZ-2026-0001.yaml").read_text()
    data = yamlload.load(text.encode())[0]
    assert data["id"] == "KZ-2026-0001"
    assert data["names"] == {
        "kk": "Домбыра жасау",
        "ru": "Изготовление домбры",
        "en": "Dombra making",
    }
    assert data["domains"] == ["craftsmanship", "knowledge-nature"]
    assert data["national_category"] == "V"
    assert data["provinces"] == ["KZ-43"]
    assert data["provenance"]["entered"] == "2026-11-25"  # ICHINV_TODAY in conftest
    # Restricted until consent is given; the consent status is the reason, which packets
    # give in every language (no English-only reason in a Kazakh packet).
    assert data["access"] == {"level": "restricted"}
    assert data["consent"]["status"] == "pending"
    assert text.startswith("# yaml-language-server: $schema=../schema/element.schema.json\n")
    assert "  # The name as the community uses it" in text


def test_new_records_are_already_in_canonical_form(inventory_with_template: Path, run: Run) -> None:
    run(*FLAGS)
    assert run("fmt", "--check", "elements/KZ-2026-0001.yaml").exit_code == 0


def test_prompts_ask_for_what_no_flag_gave_and_ask_again_after_a_wrong_value(
    inventory_with_template: Path, run: Run
) -> None:
    answers = (
        "Айтыс\nАйтыс\n\nperforming-art\nperforming-arts, oral-traditions\nI\nKZ-44\nKZ-43 KZ-23\n"
    )
    result = run("new", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "did you mean 'performing-arts'?" in result.stdout
    assert "did you mean 'KZ-43'?" in result.stdout
    data = read(inventory_with_template, "KZ-2026-0001")
    assert data["names"] == {"kk": "Айтыс", "ru": "Айтыс"}
    assert data["domains"] == ["performing-arts", "oral-traditions"]
    assert data["national_category"] == "I"
    assert data["provinces"] == ["KZ-43", "KZ-23"]  # spaces separate as well as commas
    # The province prompt names the provinces, not only their ids.
    assert "  KZ-43  Kyzylorda Region" in result.stdout


def test_input_that_ends_before_the_last_question_writes_nothing_and_says_so(
    inventory_with_template: Path, run: Run
) -> None:
    result = run("new", input="Айтыс\nАйтыс\n")  # standard input ends at the English name
    assert result.exit_code == 2
    assert "standard input ended before every question was answered" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Aborted" not in result.stdout + result.stderr
    assert not list((inventory_with_template / "elements").glob("KZ-2026-*"))


def test_ctrl_c_at_a_question_is_an_interruption(inventory_with_template: Path) -> None:
    command = [sys.executable, "-m", "ichinv", "new"]
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | {"ICHINV_LANG": "ru"},
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        asked = b""
        while b":" not in asked:  # the first question, waiting for its answer
            more = process.stdout.read1(100)
            assert more, asked  # it ended without asking
            asked += more
        process.send_signal(signal.SIGINT)
        err = process.stderr.read().decode()
        assert process.wait(timeout=30) == 130
    assert "прервано" in err  # in the language of messages
    assert "Aborted" not in err and "Traceback" not in err
    assert not list((inventory_with_template / "elements").glob("KZ-2026-*"))


def test_no_input_leaves_what_is_missing_to_be_filled(
    inventory_with_template: Path, run: Run
) -> None:
    result = run("new", "--no-input", "--year", "2013")
    assert result.exit_code == 0, result.stderr
    assert "created elements/KZ-2013-0003.yaml" in result.stdout
    fields = listed(result.stdout)
    assert {"names.kk", "names.ru", "domains", "provinces", "provenance.entered"} <= set(fields)
    data = read(inventory_with_template, "KZ-2013-0003")
    assert "en" not in data["names"] and "national_category" not in data


@pytest.mark.parametrize(
    ("flag", "value", "hint"),
    [
        ("--domain", "performing-art", "did you mean 'performing-arts'?"),
        ("--category", "VI", "--category takes one of: I, II, III, IV, V"),
        ("--province", "KZ-44", "did you mean 'KZ-43'? --province takes one of: KZ-"),
        ("--year", "1850", "from 1900 to 2099"),
    ],
)
def test_a_wrong_value_is_a_usage_error_with_a_hint(
    inventory_with_template: Path, run: Run, flag: str, value: str, hint: str
) -> None:
    result = run("new", "--no-input", flag, value)
    assert result.exit_code == 2
    assert hint in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (inventory_with_template / "elements").iterdir()) == [
        "KZ-2013-0002.yaml"
    ]


def test_a_missing_template_is_a_configuration_error(inventory: Path, run: Run) -> None:
    result = run("new", "--no-input")
    assert result.exit_code == 2
    assert "templates/new-element.yaml is missing" in result.stderr
    assert "hint: copy templates/new-element.yaml" in result.stderr
    assert not any(p.name.startswith(".") for p in (inventory / "elements").iterdir())


def test_the_next_call_gets_the_next_id(inventory_with_template: Path, run: Run) -> None:
    assert "KZ-2026-0001" in run(*FLAGS).stdout
    assert "KZ-2026-0002" in run(*FLAGS).stdout
    assert run("validate").stdout.count("id.unique") == 0


CP1251 = "Домбыра".encode("cp1251").decode("utf-8", "surrogateescape")
"""Kazakh typed on a terminal set to Windows-1251, as Python hands such bytes to a command."""


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--name-kk", CP1251, "the value of --name-kk is not UTF-8 text"),
        (
            "--name-ru",
            "Айтыс\u202e",
            "the value of --name-ru holds an invisible or control character (U+202E)",
        ),
        (
            "--name-en",
            "Aitys\x07",
            "the value of --name-en holds an invisible or control character (U+0007)",
        ),
    ],
)
def test_a_name_that_validate_would_refuse_is_refused_before_anything_is_written(
    inventory_with_template: Path, run: Run, option: str, value: str, said: str
) -> None:
    """Found by an outside review: bytes of another encoding ended in "this is a bug in
    ichinv", and a direction-changing character was written into a record that validate then
    refused (exit 0)."""
    args = list(FLAGS)
    if option in args:
        at = args.index(option)
        args[at + 1] = value
    else:
        args += [option, value]
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert said in result.stderr
    assert not list((inventory_with_template / "elements").glob("KZ-2026-*.yaml"))


def test_a_name_typed_at_the_prompt_is_checked_too(inventory_with_template: Path) -> None:
    typed = "Домбыра\n".encode("cp1251")
    result = subprocess.run(
        [sys.executable, "-m", "ichinv", "new"],
        cwd=inventory_with_template,
        input=typed,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert b"the value of --name-kk is not UTF-8 text" in result.stderr
    assert not list((inventory_with_template / "elements").glob("KZ-2026-*.yaml"))
