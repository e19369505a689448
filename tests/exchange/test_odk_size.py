"""No draft is ever larger than the inventory's `max_file_size`: an answer too long for a
record is left out of its draft with a warning at its cell (the rest of the submission is
kept), and a submission that would need more than a few answers left out is not imported (an
outside attack: a 2 MiB description made a record nobody could read, and every later import
stopped with exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_odk_hostile import _quiet
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import Sent, central_json, central_zip

pytest.importorskip("pyxform")

LIMIT = 8192
LONG = "word " * 3000  # 15,000 bytes: within the form's 20,000 characters
OTHER = "uuid:3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b0a"


def _limited(root: Path, settings: str = "") -> None:
    (root / "pyproject.toml").write_text(
        f"[tool.ichinv]\nmax_file_size = {LIMIT}\n{settings}", "utf-8"
    )


def _answers(**changes: Any) -> dict[str, Any]:
    answers = json.loads(json.dumps(SENT.answers))
    answers["form_language"] = "en"
    for key, value in changes.items():
        answers[key] = value
    return answers


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if "KZ-2026-" in p.name)


@pytest.mark.parametrize("maker", [central_zip, central_json])
def test_an_answer_too_long_for_a_record_is_left_out_and_said(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, maker: Any
) -> None:
    _limited(field_inventory)
    description = {"kk": "Қысқа сипаттама.", "en": LONG}
    sent = Sent(SENT.instance_id, _answers(description=description), files=SENT.files)
    path = tmp_path / ("export.zip" if maker is central_zip else "export.json")
    path.write_bytes(maker(form, [sent]))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    warned = [line for line in result.stdout.splitlines() if "[import.too_large]" in line]
    assert len(warned) == 1 and "description" in warned[0], result.stdout
    assert "word word" not in result.stdout
    assert "14,999 bytes" in warned[0], warned[0]  # its last space trimmed, as all answers'
    assert f"{LIMIT:,} bytes" in warned[0], warned[0]
    record = field_inventory / "elements" / "KZ-2026-0001.yaml"
    assert record.stat().st_size <= LIMIT
    text = record.read_text("utf-8")
    assert "Қысқа сипаттама." in text and "word word" not in text
    assert "erlan.zhaksybekov@example.org" in text  # the rest of the submission is kept
    # the record is read like any other, and the next import goes on
    assert run("show", "KZ-2026-0001").exit_code == 0
    assert run("validate", str(record)).exit_code in (0, 1)
    path.write_bytes(maker(form, [sent, Sent(OTHER, _answers())]))
    again = run("import", "--from", "odk", str(path))
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "1 new draft, 1 already imported" in again.stdout, again.stdout


def test_the_private_overlay_file_is_held_to_the_limit_too(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """In a public repository a restricted draft's texts go to the private overlay."""
    _limited(field_inventory, 'visibility = "public"\nprivate_overlay = "../private"\n')
    answers = _answers(description={"kk": "Қысқа.", "en": LONG})
    answers["consent"] = {"status": "pending", "date": "2026-10-02"}
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [Sent(SENT.instance_id, answers)]))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "[import.too_large]" in result.stdout, result.stdout
    written = _files(field_inventory) + _files(field_inventory.parent / "private")
    assert len(written) == 2 and all(p.stat().st_size <= LIMIT for p in written)


def test_a_submission_that_fits_only_without_many_answers_is_not_imported(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """Forty contacts with long notes: which of them to leave out is anyone's guess."""
    _limited(field_inventory)
    contacts = [{"name": f"Bearer {n}", "role": "bearer", "note": "note " * 60} for n in range(40)]
    big = Sent(SENT.instance_id, _answers(contacts=contacts))
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [big, Sent(OTHER, _answers())]))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 1, result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.endswith(
        f"its answers make a record larger than the {LIMIT:,} bytes a record may hold "
        "(max_file_size), even without its longest answers; not imported"
    ), first
    assert "1 not importable" in result.stdout
    assert [p.name for p in _files(field_inventory)] == ["KZ-2026-0001.yaml"]
    assert "Bearer" not in (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
