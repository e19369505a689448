"""`retire`, `merge` and `renumber` refuse what they cannot do well, in words that quote no
contact and change nothing (found by an outside test)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, element_yaml

Run = Callable[..., Result]

PHONE = "+7 701 555 1234"
EMAIL = "aigul@mail.kz"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "elements").iterdir())}


@pytest.fixture
def elements(inventory: Path) -> Path:
    """The base inventory's KZ-2013-0002, plus active KZ-2026-0001 and KZ-2026-0002."""
    folder = inventory / "elements"
    for element_id in ("KZ-2026-0001", "KZ-2026-0002"):
        (folder / f"{element_id}.yaml").write_text(element_yaml(element_id), encoding="utf-8")
    return inventory


def _rewrite(root: Path, element_id: str, old: str, new: str) -> None:
    path = root / "elements" / f"{element_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_status_not_in_its_form_is_never_quoted(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """It was: `KZ-2013-0004 is 'ask Aigul +7 701 555 1234', not active`."""
    monkeypatch.setenv("ICHINV_LANG", lang)
    _rewrite(elements, "KZ-2026-0001", "status: active", f'status: "ask Aigul {PHONE}"')
    before = snapshot(elements)
    for args in (
        ("retire", "KZ-2026-0001", "--reason", "x"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002", "--reason", "x"),
        ("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x"),
    ):
        result = run(*args)
        assert result.exit_code == 2, result.stderr
        assert "KZ-2026-0001" in result.stderr and "…" in result.stderr
        assert "555" not in result.stderr and "Aigul" not in result.stderr
    assert snapshot(elements) == before


def test_a_status_that_reads_as_a_word_is_still_quoted(elements: Path, run: Run) -> None:
    _rewrite(elements, "KZ-2026-0001", "status: active", "status: retird")
    result = run("retire", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "error: KZ-2026-0001 is 'retird', not active" in result.stderr


def test_an_absent_status_is_said_in_words(elements: Path, run: Run) -> None:
    """It was: `KZ-2013-0004 is None, not active`."""
    _rewrite(elements, "KZ-2026-0001", "status: active\n", "")
    result = run("retire", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "error: KZ-2026-0001 has no status, so it is not active" in result.stderr
    assert "None" not in result.stderr and "add `status: active`" in result.stderr


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_merged_into_that_is_no_id_is_never_quoted(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """It was: `--into KZ-2026-0044 is merged into aigul@mail.kz, not active / hint: merge
    into aigul@mail.kz`."""
    monkeypatch.setenv("ICHINV_LANG", lang)
    _rewrite(
        elements,
        "KZ-2026-0001",
        "status: active\n",
        f"status: merged\nstatus_change:\n  reason: x\n  date: 2026-11-01\n  merged_into: {EMAIL}\n",
    )
    result = run("merge", "KZ-2026-0002", "--into", "KZ-2026-0001", "--reason", "x")
    assert result.exit_code == 2
    assert "KZ-2026-0001" in result.stderr
    assert "aigul" not in result.stderr and "mail.kz" not in result.stderr
    if lang == "en":
        assert "error: --into KZ-2026-0001 is merged, not active" in result.stderr


CONTACT_TEXTS = [
    f"Asked by Aigul, call {PHONE} or {EMAIL}",
    f"Write to {EMAIL}",
    "Order 12, ask 8 701 555 12 34",
]


@pytest.mark.parametrize("option", ["--reason", "--decision"])
@pytest.mark.parametrize("text", CONTACT_TEXTS)
def test_a_reason_or_decision_holding_a_contact_is_refused_unquoted(
    elements: Path, run: Run, option: str, text: str
) -> None:
    """`show`, the packets and the site publish the reason and the decision: a contact in
    them was written into the record (exit 0)."""
    before = snapshot(elements)
    for command in (
        ("retire", "KZ-2026-0001"),
        ("merge", "KZ-2026-0001", "--into", "KZ-2026-0002"),
    ):
        args = [*command, "--reason", "Withdrawn", "--decision", "Order 12", option, text]
        result = run(*args)
        assert result.exit_code == 2, result.stdout
        assert (
            f"error: the value of {option} may hold an e-mail address or a phone number"
            in result.stderr
        )
        assert "keep contacts in the record's contacts field" in result.stderr
        assert "555" not in result.stderr and "aigul" not in result.stderr.lower()
    assert snapshot(elements) == before


def test_a_reason_naming_ids_and_dates_is_no_contact(elements: Path, run: Run) -> None:
    result = run(
        "merge",
        "KZ-2026-0001",
        "--into",
        "KZ-2026-0002",
        "--reason",
        "The same practice as KZ-2026-0002, as the committee found on 2026-11-10.",
        "--decision",
        "Order No. 50 of 1 March 2026",
    )
    assert result.exit_code == 0, result.stderr
