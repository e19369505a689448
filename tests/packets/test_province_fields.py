"""A province packet shows the province's own fields as the audience's view has them.

Found by an outside review: the public province packet printed the province record's fields as
written, so that a contact written where a field's value belongs (`kind: <an e-mail>`, a name
written as a mapping holding a phone number, `target: "<a phone number>"`) was published, exit
0. A province's record goes through the one audience view as an element's does: a value not in
the schema's form is withheld, with the note saying why.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ichinv.cli.app import app
from tests.support.helpers import REPO_ROOT, build_inventory, commit, init_repo

EMAIL = "zhanar.province@example.org"
PHONE = "+7 700 000 00 43"

PROVINCE = f"""id: KZ-23
names:
  kk: Атырау облысы
  ru: Атырауская область
  en: {{text: Atyrau Region, phone: "{PHONE}"}}
  xx: {EMAIL}
kind: {EMAIL}
centre:
  kk: Атырау
  ru: Атырау
  en: Atyrau
focus: true
target: "{PHONE}"
valid_from: "{PHONE}"
successors: ["{EMAIL}"]
"""


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_inventory(tmp_path / "inventory")
    (root / "provinces" / "KZ-23.yaml").write_text(PROVINCE, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _packet(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["packet", "--province", "KZ-23", "--templates", str(REPO_ROOT / "templates"), *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_public_packet_withholds_what_is_not_in_the_schemas_form(
    inventory: Path, lang: str
) -> None:
    code, text = _packet("--lang", lang)
    assert code in (0, 1)
    assert EMAIL not in text and PHONE not in text and "example.org" not in text
    # The centre, in the schema's form, shows as before.
    assert "| Atyrau |" in text or "| Атырау |" in text


def test_each_withheld_field_says_why(inventory: Path) -> None:
    __, text = _packet()
    for field in ("Kind", "Target of new elements"):
        (row,) = [line for line in text.splitlines() if line.startswith(f"| {field} |")]
        assert re.search(r"\| \*[^*]+\* \|$", row), row  # the note, emphasised


def test_the_committee_packet_shows_the_province_as_written(inventory: Path) -> None:
    __, text = _packet("--audience", "committee")
    assert EMAIL in text


def test_a_province_whose_id_is_a_contact_is_named_by_its_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by an outside review: `id: <an e-mail>` in a province record was printed by the
    index packet, `progress`, the site (its manifest and its messages) and, in hints naming
    former ISO codes, by `validate` and `list`. A province record whose id is not a province
    id's form is left out of every answer and named by its file as a record that cannot be
    read."""
    root = build_inventory(tmp_path / "inventory")
    text = (root / "provinces" / "KZ-43.yaml").read_text(encoding="utf-8")
    (root / "provinces" / "KZ-43.yaml").write_text(
        text.replace("id: KZ-43", f"id: {EMAIL}"), encoding="utf-8"
    )
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    monkeypatch.chdir(root)
    templates: list[str] = []
    for args in (
        ["packet", *templates],
        ["packet", "--province", "KZ-23", *templates],
        ["progress"],
        ["list", "--province", "KZ-23"],
        ["validate"],
        ["validate", "--format", "json"],
        ["site", "--output", str(tmp_path / "site")],
    ):
        result = CliRunner().invoke(app, args, catch_exceptions=False)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "example.org" not in result.stdout + result.stderr, args
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert published and not [p for p in published if EMAIL.encode() in p.read_bytes()]
    result = CliRunner().invoke(app, ["progress"], catch_exceptions=False)
    assert "provinces/KZ-43.yaml" in result.stdout + result.stderr


def test_a_record_file_named_with_a_contact_is_named_by_its_folder_in_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by an outside review: `provinces/<an e-mail>.yaml` (a record that cannot be
    read) was named in the public index packet's table of unread files and in the site's
    published marker. The public sees that a file of provinces/ could not be read; the
    committee's packet names it."""
    root = build_inventory(tmp_path / "inventory")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    (root / "provinces" / f"{EMAIL}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(root)
    public = CliRunner().invoke(app, ["packet", "--output", "-"], catch_exceptions=False)
    assert "provinces/…" in public.stdout and EMAIL not in public.stdout
    committee = CliRunner().invoke(
        app, ["packet", "--output", "-", "--audience", "committee"], catch_exceptions=False
    )
    assert f"provinces/{EMAIL}.yaml" in committee.stdout
    CliRunner().invoke(app, ["site", "--output", str(tmp_path / "site")], catch_exceptions=False)
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert published and not [p for p in published if EMAIL.encode() in p.read_bytes()]


def test_a_read_record_in_a_file_named_with_a_contact_is_not_said_to_be_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its findings are shown to the public without the file's name, in words that said "no
    record is read from it" of a record the change packet shows in full (an outside attack)."""
    root = build_inventory(tmp_path / "inventory")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    commit(init_repo(root), "baseline")
    moved = root / "elements" / f"{EMAIL}.yaml"
    (root / "elements" / "KZ-2013-0002.yaml").rename(moved)
    moved.write_text(moved.read_text("utf-8").replace("improvisation", "improvised verse"), "utf-8")
    monkeypatch.chdir(root)
    public = CliRunner().invoke(
        app, ["packet", "--since", "HEAD", "--output", "-"], catch_exceptions=False
    )
    assert "`id.file-name`" in public.stdout and EMAIL not in public.stdout
    assert "the record in this file breaks this rule" in public.stdout
    assert "no record is read from it" not in public.stdout
