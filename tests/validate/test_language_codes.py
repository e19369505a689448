"""Rule lang.code: a language written with a country's code or three letters (an outside
review: `kz:` in `names` and `rus:` in `description` passed, and those texts were missing for
every reader of Kazakh and Russian)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("old", "new", "code", "meant"),
    [
        ("  en: Aitys", "  kz: Aitys", "kz", "kk"),
        ("  en: Aitys", "  rus: Aitys", "rus", "ru"),
        ("  en: Aitys", "  eng: Aitys", "eng", "en"),
    ],
)
def test_a_language_written_with_a_code_taken_for_its_own_is_warned_of_at_its_key(
    inventory: Path, run: Run, old: str, new: str, code: str, meant: str
) -> None:
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    line = next(n for n, row in enumerate(path.read_text("utf-8").splitlines(), 1) if new in row)
    result = run("validate", "elements/KZ-2013-0002.yaml", "--format", "json")
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "lang.code"]
    assert len(found) == 1, found
    assert found[0]["severity"] == "warning"
    assert (found[0]["line"], found[0]["column"]) == (line, 3)
    assert f"did you mean {meant!r}?" in found[0]["message"] and repr(code) in found[0]["message"]


def test_a_language_field_with_a_countrys_code_is_warned_of_at_its_value() -> None:
    from ichinv.validate.rules.languages import _mistaken

    data = {"documentation": [{"path": "a.pdf", "lang": "kz"}, {"lang": "kk"}], "kk": "x"}
    assert list(_mistaken(data)) == [("/documentation/0/lang", "kz", False)]
