"""Every rule's findings in English, Kazakh and Russian: the same places and rules, the words
in the language asked for.

The failing case of each rule (tests/validate/rule_cases) is validated three times; the
findings must agree in everything but their words, and the Kazakh and Russian words must be
translations: no English left but names, ids, quoted values and code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.core import i18n
from ichinv.core.catalogue import CATALOGUE
from ichinv.core.model import Finding
from ichinv.io import settings
from ichinv.render.findings import text as text_report
from ichinv.validate import engine as validation
from tests.support.helpers import RULE_CASES, Result, build_inventory, read_case
from tests.support.languages import english_words

Run = Callable[..., Result]

FAILING = sorted(RULE_CASES.glob("*--fail.case"))


def _findings(root: Path, lang: str) -> list[Finding]:
    i18n.use(lang)
    result = validation.validate(settings.load(root), day=dt.date(2026, 11, 25), cache=None)
    return list(result.findings)


def _where(finding: Finding) -> tuple[object, ...]:
    return (finding.path, finding.line, finding.column, finding.rule, finding.severity)


@pytest.mark.parametrize("case_file", FAILING, ids=[p.stem for p in FAILING])
def test_a_rule_speaks_every_language(case_file: Path, tmp_path: Path) -> None:
    case = read_case(case_file)
    root = build_inventory(tmp_path / "inv")
    for rel, content in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    english = _findings(root, "en")
    assert english, case.note
    for lang in ("kk", "ru"):
        translated = _findings(root, lang)
        assert [_where(f) for f in translated] == [_where(f) for f in english]
        for ours, theirs in zip(translated, english, strict=True):
            line = text_report.finding_line(ours)
            assert ours.message != theirs.message, line
            assert (ours.hint is None) == (theirs.hint is None), line
            if ours.hint:
                assert ours.hint != theirs.hint, line
            assert english_words(line) == [], line
            assert "{" not in ours.message.replace("{{", ""), line


def test_every_rule_of_the_catalogue_has_a_summary_in_every_language() -> None:
    for lang in ("kk", "ru"):
        i18n.use(lang)
        for rule in CATALOGUE.values():
            assert i18n._(rule.summary) != rule.summary, (lang, rule.id)


def _spoken(run: Run, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, list[dict]]:
    """The JSON findings of `ichinv ARGS` in each language."""
    found = {}
    for lang in ("en", "kk", "ru"):
        monkeypatch.setenv("ICHINV_LANG", lang)
        found[lang] = json.loads(run(*args, "--format", "json").stdout)["findings"]
    return found


def _assert_spoken(found: dict[str, list[dict]], rule: str) -> None:
    english = [f for f in found["en"] if f["rule"] == rule]
    assert english, rule
    for lang in ("kk", "ru"):
        ours = [f for f in found[lang] if f["rule"] == rule]
        assert [(f["path"], f["line"], f["column"]) for f in ours] == [
            (f["path"], f["line"], f["column"]) for f in english
        ]
        for finding, original in zip(ours, english, strict=True):
            assert finding["message"] != original["message"]
            assert english_words(finding["message"]) == [], finding["message"]
            assert english_words(finding["hint"] or "") == [], finding["hint"]


def test_the_rules_of_files_and_history_speak_every_language(
    git_inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The rules no case file can show: a missing file, one too large, a link leading out, a
    deleted element."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: KZ-2013-0007\n", encoding="utf-8")
    (git_inventory / "elements" / "KZ-2013-0007.yaml").symlink_to(outside)
    (git_inventory / "elements" / "KZ-2013-0008.yaml").write_text(
        "id: KZ-2013-0008\n" + "# padding\n" * 110_000, encoding="utf-8"
    )
    (git_inventory / "elements" / "KZ-2013-0002.yaml").unlink()
    found = _spoken(run, monkeypatch, "validate", "--no-cache", "--new-since", "HEAD")
    for rule in ("file.symlink", "file.too-large", "status.deleted"):
        _assert_spoken(found, rule)
    found = _spoken(run, monkeypatch, "validate", "--no-cache", "elements/KZ-2013-0099.yaml")
    _assert_spoken(found, "file.missing")
