"""An error never echoes a contact typed on the command line.

Found by an outside review: `show leak@example.org`, `report periodic --from leak@…`,
`renumber leak@…` and `ICHINV_TODAY=leak@…` echoed the e-mail address in their errors (and
errors end up in CI logs). What may be a contact is shown as `…`; an id's or a date's form is
echoed as typed, since it helps to see a typo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]

EMAIL = "leak76@example.org"
PHONE = "+7 700 000 97 97"


@pytest.mark.parametrize("typed", [EMAIL, PHONE, "87000009797"])
@pytest.mark.parametrize(
    "args",
    [
        ("show", "{}"),
        ("report", "periodic", "--from", "{}"),
        ("renumber", "{}", "--allow-incomplete-history"),
        ("packet", "--element", "{}", "--templates", str(REPO_ROOT / "templates")),
    ],
    ids=lambda args: args[0],
)
def test_a_contact_typed_is_not_echoed(
    inventory: Path, run: Run, typed: str, args: tuple[str, ...]
) -> None:
    result = run(*(a.format(typed) for a in args))
    assert result.exit_code == 2
    assert typed not in result.stdout + result.stderr
    assert "…" in result.stderr


def test_a_contact_as_the_fixed_day_is_not_echoed(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_TODAY", EMAIL)
    result = run("validate")
    assert result.exit_code == 2
    assert EMAIL not in result.stderr and "ICHINV_TODAY" in result.stderr


@pytest.mark.parametrize("typed", ["KZ-2013-0099", "kz-2013-0099", "2026-13-45"])
def test_an_ids_or_a_dates_form_is_echoed(inventory: Path, run: Run, typed: str) -> None:
    args = ("report", "periodic", "--from", typed) if typed[0].isdigit() else ("show", typed)
    result = run(*args)
    assert result.exit_code == 2
    assert typed.upper() in result.stderr.upper()
