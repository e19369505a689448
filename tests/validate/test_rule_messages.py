"""Every rule's findings in English, Kazakh and Russian: the same places and rules, the words
in the language asked for.

The failing case of each rule (tests/validate/rule_cases) is validated three times; the
findings must agree in everything but their words, and the Kazakh and Russian words must be
translations: no English left but names, ids, quoted values and code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ichinv.core import i18n
from ichinv.core.catalogue import CATALOGUE
from ichinv.core.model import Finding
from ichinv.io import settings
from ichinv.render.findings import text as text_report
from ichinv.validate import engine as validation
from tests.support.helpers import RULE_CASES, build_inventory, read_case
from tests.support.languages import english_words

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
