"""A submission changed on the server after it was imported (edited: a new version of it; or
rejected) is still left as the record holds it, but the report says so for each, and says
plainly when consent is withdrawn in the server's copy, which the committee must act on (an
outside attack: "already imported … left as it is", exit 0)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_odk_hostile import _quiet
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

VERSION = "uuid:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
EDITED = (
    "the server's copy was edited after the import (it is now version "
    f"{VERSION}): compare it with the record"
)
WITHDRAWN = (
    "consent is withdrawn in the server's copy: the committee must record the withdrawal in "
    "the record (consent.status: withdrawn) and restrict it"
)
REJECTED = "it was rejected on the server after the import"
RECORD = "KZ-2026-0001"


def _zip(form: bytes, **cells: str) -> bytes:
    """The ODK Central ZIP of SENT, its main row's `cells` (by column) changed."""
    source = zipfile.ZipFile(io.BytesIO(central_zip(form, [SENT])))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "ichinv_element.csv":
                rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
                for column, value in cells.items():
                    rows[1][rows[0].index(column)] = value
                text = io.StringIO(newline="")
                csv.writer(text, lineterminator="\n").writerows(rows)
                data = text.getvalue().encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def _edited_zip(form: bytes, consent: str = "withdrawn") -> bytes:
    return _zip(
        form,
        **{"meta-instanceID": VERSION, "Edits": "1", "ReviewState": "edited"},
        **{"consent-status": consent},
    )


def _import(run: Run, path: Path, data: bytes) -> Any:
    path.write_bytes(data)
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    return result


def _heading(result: Any) -> str:
    return result.stdout.splitlines()[0]


def test_consent_withdrawn_on_the_server_after_the_import_is_said_plainly(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    assert _import(run, path, central_zip(form, [SENT])).exit_code == 0
    record = field_inventory / "elements" / f"{RECORD}.yaml"
    before = record.read_bytes()
    for dry in ([], ["--dry-run"]):
        path.write_bytes(_edited_zip(form))
        result = run("import", "--from", "odk", str(path), *dry)
        assert result.exit_code == 1, result.stdout + result.stderr  # the committee must act
        heading = _heading(result)
        assert f"already imported as {RECORD}" in heading and "left as it is" in heading
        assert EDITED in heading and WITHDRAWN in heading, heading
        assert "1 changed on the server since imported (1 with consent withdrawn there)" in (
            result.stdout
        )
    assert record.read_bytes() == before  # left as the record holds it
    # Once the record says consent is withdrawn, the withdrawal is no longer news.
    record.write_text(record.read_text("utf-8").replace("status: given", "status: withdrawn"))
    result = _import(run, path, _edited_zip(form))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert EDITED in _heading(result) and WITHDRAWN not in _heading(result)


def test_a_submission_rejected_on_the_server_after_the_import_is_said(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    assert _import(run, path, central_zip(form, [SENT])).exit_code == 0
    result = _import(run, path, _zip(form, ReviewState="rejected"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert REJECTED in _heading(result) and "edited" not in _heading(result), result.stdout
    assert "1 changed on the server since imported" in result.stdout


def test_a_submission_edited_before_the_import_is_no_change(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """The draft notes the version it was made from."""
    path = tmp_path / "export.zip"
    first = _import(run, path, _edited_zip(form, consent="given"))
    assert first.exit_code == 0, first.stdout + first.stderr
    note = (field_inventory / "elements" / f"{RECORD}.yaml").read_text("utf-8")
    assert f"(version {VERSION})" in note
    again = _import(run, path, _edited_zip(form, consent="given"))
    assert again.exit_code == 0, again.stdout + again.stderr
    assert _heading(again).endswith("left as it is"), again.stdout
    assert "changed on the server" not in again.stdout


@pytest.mark.parametrize("kind", ["central-json", "kobo-json"])
def test_the_json_exports_say_it_too(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "export.json"
    maker = central_json if kind == "central-json" else kobo_json
    assert _import(run, path, maker(form, [SENT])).exit_code == 0
    document = json.loads(maker(form, [SENT]))
    if kind == "central-json":
        item = document["value"][0]
        item["meta"]["instanceID"] = VERSION
        item["__system"].update(edits=1, reviewState="edited")
        item["consent"]["status"] = "withdrawn"
    else:
        item = document["results"][0]
        item["meta/rootUuid"], item["meta/instanceID"] = SENT.instance_id, VERSION
        item["_uuid"] = VERSION.removeprefix("uuid:")
        item["consent/status"] = "withdrawn"
    result = _import(run, path, json.dumps(document, ensure_ascii=False).encode("utf-8"))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert EDITED in _heading(result) and WITHDRAWN in _heading(result), result.stdout


def test_a_version_that_is_no_instance_id_is_neither_used_nor_printed(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    assert _import(run, path, central_zip(form, [SENT])).exit_code == 0
    result = _import(run, path, _zip(form, **{"meta-instanceID": "uuid:leak@example.org"}))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _heading(result).endswith("left as it is"), result.stdout
