"""A submission given twice in one export: copies alike are imported once, copies that differ
are refused naming both lines and quoting no answer, in ODK Central's CSV ZIP as in the JSON
exports (an outside attack: the CSV refused copies alike, and took a copy whose KEY differed
in case only as "repeated in the export (imported once)", dropping its other answers)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import _quiet
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

MAKERS = {"central-zip": central_zip, "central-json": central_json, "kobo-json": kobo_json}
SUFFIX = {"central-zip": "zip", "central-json": "json", "kobo-json": "json"}
ONCE = "1 repeated in the export (imported once)"


def _other(instance_id: str = SENT.instance_id, **names: str) -> Sent:
    answers = json.loads(json.dumps(SENT.answers))
    answers["names"].update(names)
    return Sent(instance_id, answers)  # its files are the first copy's


def _export(form: bytes, tmp_path: Path, kind: str, sent: list[Sent]) -> Path:
    """The export of `sent`; a JSON one with each submission's object opening a line of its
    own (`  {`)."""
    path = tmp_path / f"export.{SUFFIX[kind]}"
    data = MAKERS[kind](form, sent)
    if kind != "central-zip":
        data = json.dumps(json.loads(data), ensure_ascii=False, indent=1).encode("utf-8")
    path.write_bytes(data)
    return path


def _drafts(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "elements").glob("KZ-2026-*.yaml"))


@pytest.mark.parametrize("kind", list(MAKERS))
@pytest.mark.parametrize("upper", [False, True])
def test_copies_alike_are_imported_once(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str, upper: bool
) -> None:
    # The CSV's second copy has its own row in every repeat's file too.
    copy = _other(SENT.instance_id.upper().replace("UUID:", "uuid:")) if upper else _other()
    path = _export(form, tmp_path, kind, [SENT, copy])
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ONCE in result.stdout, result.stdout
    assert _drafts(field_inventory) == ["KZ-2026-0001.yaml"]


@pytest.mark.parametrize("kind", list(MAKERS))
@pytest.mark.parametrize("upper", [False, True])
def test_copies_that_differ_are_refused_naming_both_lines(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str, upper: bool
) -> None:
    instance_id = SENT.instance_id.upper().replace("UUID:", "uuid:") if upper else SENT.instance_id
    path = _export(form, tmp_path, kind, [SENT, _other(instance_id, en="Leak other name")])
    first, second = _starts(path, kind)
    where = f"{path.name}:ichinv_element.csv" if kind == "central-zip" else path.name
    for dry in (["--dry-run"], []):
        result = run("import", "--from", "odk", str(path), *dry)
        _quiet(result.stdout, result.stderr)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert (
            f"{where}:{second}: the submission of line {first} is given again here with other "
            "answers" in result.stderr
        ), result.stderr
        assert "uuid" not in result.stderr.lower() and "Traceback" not in result.stderr
    assert _drafts(field_inventory) == []


def test_a_copy_whose_repeat_rows_differ_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """Its KEY in other case: the copy's own rows in the files of its repeats."""
    answers = json.loads(json.dumps(SENT.answers))
    answers["contacts"][0]["phone"] = "+7 700 000 91 92"
    copy = Sent(SENT.instance_id.upper().replace("UUID:", "uuid:"), answers)
    path = _export(form, tmp_path, "central-zip", [SENT, copy])
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert "91 92" not in result.stdout + result.stderr
    assert result.exit_code == 2, result.stdout + result.stderr
    first, second = _starts(path, "central-zip")
    assert f"ichinv_element.csv:{second}: the submission of line {first} is given again" in (
        result.stderr
    )


def _starts(path: Path, kind: str) -> tuple[int, int]:
    """The lines the first two submissions of the export start on."""
    if kind != "central-zip":
        lines = path.read_text("utf-8").splitlines()
        found = [n for n, line in enumerate(lines, start=1) if line == "  {"]
        return found[0], found[1]
    with zipfile.ZipFile(path) as archive:
        text = archive.read("ichinv_element.csv").decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, start = [], 1
    for _row in reader:
        starts.append(start)
        start = reader.line_num + 1
    return starts[1], starts[2]
