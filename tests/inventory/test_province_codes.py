"""Former ISO 3166-2 codes (`iso_codes`): a code of another date names the unit that had it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ichinv.inventory import province_codes
from ichinv.inventory.province_codes import CodeUse
from tests.support.helpers import Result

Run = Callable[..., Result]

ATYRAU_CODES = """iso_codes:
  - code: KZ-ATY
    until: 2022
    note: Alphabetic code of the first edition of ISO 3166-2.
  - code: KZ-23
    from: 2022
"""


def _give_atyrau_its_codes(root: Path) -> None:
    path = root / "provinces" / "KZ-23.yaml"
    text = path.read_text(encoding="utf-8").replace("focus: true\n", ATYRAU_CODES + "focus: true\n")
    path.write_text(text, encoding="utf-8")


def test_the_period_of_a_code_reads_as_words() -> None:
    assert CodeUse("KZ-ATY", "KZ-23", end="2022").period == "until 2022"
    assert CodeUse("KZ-23", "KZ-23", start="2022").period == "since 2022"
    assert CodeUse("KZ-AST", "KZ-71", "2002-05-21", "2022").period == "from 2002-05-21 until 2022"
    assert CodeUse("KZ-X", "KZ-1").period == ""


def test_uses_reads_the_codes_of_a_record_and_skips_malformed_entries() -> None:
    data = {"iso_codes": [{"code": "KZ-ATY", "until": 2022}, {"until": 2022}, "KZ-23", 7]}
    assert province_codes.uses("KZ-23", data) == (CodeUse("KZ-ATY", "KZ-23", "", "2022"),)
    assert province_codes.uses("KZ-23", {"iso_codes": "KZ-ATY"}) == ()


def test_a_unit_whose_id_is_the_code_is_no_former_holder() -> None:
    uses = [CodeUse("KZ-YUZ", "KZ-YUZ", end="2022"), CodeUse("KZ-ATY", "KZ-23", end="2022")]
    assert province_codes.holders("kz-yuz", uses) == ()
    assert province_codes.holders(" kz-aty ", uses) == (uses[1],)
    assert province_codes.hint("KZ-ATY", ()) is None
    assert province_codes.hint("kz-aty", uses[1:]) == (
        "KZ-ATY is a former ISO 3166-2 code of KZ-23 (until 2022); provinces are named by "
        "their identifier, so use KZ-23"
    )


def test_validate_names_the_unit_that_had_an_old_code(inventory: Path, run: Run) -> None:
    _give_atyrau_its_codes(inventory)
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("provinces: [KZ-43]", "provinces: [KZ-ATY]"), encoding="utf-8")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "ref.province"]
    assert finding["message"] == "there is no province KZ-ATY in provinces/"
    assert "former ISO 3166-2 code of KZ-23 (until 2022)" in finding["hint"]
    assert finding["hint"].endswith("use KZ-23")


def test_a_filter_with_an_old_code_is_a_usage_error_that_names_the_unit(
    inventory: Path, run: Run
) -> None:
    _give_atyrau_its_codes(inventory)
    result = run("list", "--province", "kz-aty")
    assert result.exit_code == 2
    assert "there is no province KZ-ATY in provinces/" in result.stderr
    assert "former ISO 3166-2 code of KZ-23 (until 2022)" in result.stderr
    assert run("list", "--province", "KZ-23").exit_code == 0


def test_the_repository_resolves_every_code_a_2013_document_uses(repo_copy: Path, run: Run) -> None:
    """Each alphabetic code of the units of 2013 names a province record, by id or by iso_codes."""
    codes_2013 = (
        "KZ-AKM KZ-AKT KZ-ALA KZ-ALM KZ-AST KZ-ATY KZ-KAR KZ-KUS KZ-KZY KZ-MAN KZ-PAV "
        "KZ-SEV KZ-VOS KZ-YUZ KZ-ZAP KZ-ZHA"
    ).split()
    for code in codes_2013:
        result = run("list", "--province", code, "--format", "json")
        if result.exit_code == 0:
            continue
        assert result.exit_code == 2, (code, result.stderr)
        assert "former ISO 3166-2 code of KZ-" in result.stderr, (code, result.stderr)
