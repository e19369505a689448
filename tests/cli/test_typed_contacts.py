"""An error never echoes a contact typed on the command line.

Found by an outside review: `show leak@example.org`, `report periodic --from leak@…`,
`renumber leak@…` and `ICHINV_TODAY=leak@…` echoed the e-mail address in their errors (and
errors end up in CI logs). What may be a contact is shown as `…`; an id's or a date's form is
echoed as typed, since it helps to see a typo.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]

EMAIL = "leak76@example.org"
PHONE = "+7 700 000 97 97"


@pytest.mark.parametrize(
    "typed",
    [
        EMAIL,
        PHONE,
        "87000009797",
        "8.700.000.97.97",
        "8\u00a0700\u00a0000\u00a097\u00a097",  # no-break spaces
        "8/700/000/97/97",
        "leak76\uff20example.org",  # a full-width @
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        ("show", "{}"),
        ("report", "periodic", "--from", "{}"),
        ("renumber", "{}", "--allow-incomplete-history"),
        ("packet", "--element", "{}", "--templates", str(REPO_ROOT / "templates")),
        # Found by a later review: click's own refusals, and the other commands' own.
        ("list", "--domain", "{}"),
        ("list", "--format", "{}"),
        ("list", "--status", "{}"),
        ("export", "--format", "{}"),
        ("list", "extra", "{}"),
        ("log", "{}"),
        ("merge", "KZ-2013-0002", "--into", "{}", "--reason", "r", "--decision", "d"),
        ("new", "--no-input", "--name-en", "x", "--domain", "{}"),
        ("new", "--no-input", "--name-en", "x", "--category", "{}"),
        ("new", "--no-input", "--name-en", "x", "--province", "{}"),
        ("site", "--base-url", "{}"),
        ("diff", "--baseline", "{}"),
        ("validate", "--new-since", "{}"),
        ("packet", "--since", "{}", "--templates", str(REPO_ROOT / "templates")),
        ("retire", "KZ-2013-0002", "--reason", "r", "--decision", "d", "--date", "{}"),
        ("site", "--lang", "{}"),
    ],
    ids=lambda args: "-".join(a for a in args[:3] if "{}" not in a and "/" not in a),
)
def test_a_contact_typed_is_not_echoed(
    git_inventory: Path, run: Run, typed: str, args: tuple[str, ...]
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
    monkeypatch.delenv("ICHINV_TODAY")
    monkeypatch.setenv("ICHINV_LANG", EMAIL)
    result = run("validate")
    assert result.exit_code == 2
    assert EMAIL not in result.stderr and "ICHINV_LANG" in result.stderr


@pytest.mark.parametrize("typed", ["KZ-2013-0099", "kz-2013-0099", "2026-13-45"])
def test_an_ids_or_a_dates_form_is_echoed(inventory: Path, run: Run, typed: str) -> None:
    args = ("report", "periodic", "--from", typed) if typed[0].isdigit() else ("show", typed)
    result = run(*args)
    assert result.exit_code == 2
    assert typed.upper() in result.stderr.upper()


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_does_not_quote_a_number_that_may_be_a_phone(
    inventory: Path, run: Run, fmt: str
) -> None:
    """Found by an outside review: `schema_version: 87011234567` gave "must be at most 1, not
    87011234567" in every format (CI logs may be public); the limit is still said."""
    path = next((inventory / "elements").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^schema_version: .*\n", "", text)
    path.write_text(text + "schema_version: 87011234567\n", encoding="utf-8")
    result = run("validate", "-f", fmt)
    assert result.exit_code == 1
    assert "87011234567" not in result.stdout + result.stderr
    assert "must be at most" in result.stdout


def test_a_text_option_given_an_option_instead_of_its_text_is_refused(
    git_inventory: Path, run: Run
) -> None:
    """Found by an outside review: `retire X --reason --date 2026-01-01` wrote the reason
    "--date" into the record."""
    before = (git_inventory / "elements" / "KZ-2013-0002.yaml").read_bytes()
    result = run("retire", "KZ-2013-0002", "--reason", "--date", "2026-01-01", "--decision", "d")
    assert result.exit_code == 2
    assert "--reason needs a value, not the option --date" in result.stderr
    result = run("retire", "KZ-2013-0002", "--reason", "--date=2026-01-01", "--decision", "d")
    assert result.exit_code == 2
    assert "--reason needs a value, not the option --date=2026-01-01" in result.stderr
    assert (git_inventory / "elements" / "KZ-2013-0002.yaml").read_bytes() == before
    # Where to write, likewise: `site -o --base-url …` made a folder named `--base-url`.
    result = run("site", "-o", "--base-url", "https://example.org")
    assert result.exit_code == 2
    assert "--output needs a value, not the option --base-url" in result.stderr
    assert not (git_inventory / "--base-url").exists()


@pytest.mark.parametrize("option", ["--base-url", "--repository-url"])
def test_a_site_address_holding_a_password_is_refused(
    git_inventory: Path, run: Run, option: str
) -> None:
    """Found by an outside review: `--base-url http://ivan:s3cret@example.org/` was published
    in every page's canonical and hreflang links."""
    out = git_inventory.parent / "site"
    result = run("site", option, "http://ivan:s3cret@example.org/", "-o", str(out))
    assert result.exit_code == 2
    assert "s3cret" not in result.stdout + result.stderr
    assert f"{option} holds a user name or password" in result.stderr
    for address in ("https://example.org/?token=s3cret", "https://example.org/#s3cret"):
        result = run("site", option, address, "-o", str(out))
        assert result.exit_code == 2
        assert f"{option} holds a query or a fragment" in result.stderr
    assert not out.exists()
