"""`ichinv import --from odk` with copies and places that contradict each other (found by an
outside review): a repeat row of ODK Central whose PARENT_KEY names another submission than its
KEY, a KoboToolbox submission given twice with different answers, and KoboToolbox answers that
are a list or an object where the form asks for one value. Each is refused in plain words (exit
2, file and line) or left out and named in a note; none is put into another element's draft,
dropped without a word, or written as Python text, and nothing is quoted."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import ANSWERS, _quiet, _rewrite
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import PHONE, SENT, _document
from tests.support.odk_exports import Sent, central_zip, kobo_json

pytest.importorskip("pyxform")

OTHER = Sent("uuid:5b0e2f4a-9c1d-4e7b-8a36-2d4f6e8a0c13", ANSWERS)
"""A second submission, of another element (its photographs not in the export)."""


def test_a_repeat_row_whose_parent_key_names_another_submission_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # The second submission's first contact, its KEY made the first one's third contact: it was
    # put into the first element's draft without a word (exit 0).
    first = SENT.instance_id

    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            lines = content.decode("utf-8").splitlines(keepends=True)
            at = next(n for n, x in enumerate(lines) if f",{OTHER.instance_id}," in x)
            head, parent, __ = lines[at].rstrip("\r\n").rsplit(",", 2)
            lines[at] = f"{head},{parent},{first}/contacts[3]\r\n"
            content = "".join(lines).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT, OTHER]), edit))
    for dry in (["--dry-run"], []):
        result = run("import", "--from", "odk", str(path), *dry)
        _quiet(result.stdout, result.stderr)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert (
            "export.zip:ichinv_element-contacts.csv:4: the PARENT_KEY of this row does not name "
            "the submission (or repeat) its KEY places it in" in result.stderr
        ), result.stderr
        assert "uuid:" not in result.stderr and "Traceback" not in result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def _twice(form: bytes, tmp_path: Path, phone: str) -> Path:
    """The KoboToolbox export with a copy of its submission (its own `_uuid`, `_id`) whose
    first contact's phone is `phone`."""
    document = json.loads(kobo_json(form, [SENT]))
    second = copy.deepcopy(document["results"][0])
    second["_uuid"], second["_id"] = "5b0e2f4a-9c1d-4e7b-8a36-2d4f6e8a0c13", 2001
    second["contacts"][0]["contacts/phone"] = phone
    document["results"].append(second)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), "utf-8")
    return path


def test_a_kobotoolbox_submission_given_twice_with_other_answers_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # "repeated in the export; imported once", exit 0: the second copy's phone was dropped
    # without a word. ODK Central's CSV refuses a submission given twice.
    path = _twice(form, tmp_path, PHONE)
    lines = path.read_text("utf-8").splitlines()
    first, second = (n for n, x in enumerate(lines, start=1) if x == "  {")
    for dry in (["--dry-run"], []):
        result = run("import", "--from", "odk", str(path), *dry)
        _quiet(result.stdout, result.stderr)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert (
            f"data.json:{second}: the submission of line {first} is given again here with other "
            "answers" in result.stderr
        ), result.stderr
        assert "uuid" not in result.stderr and "Traceback" not in result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_a_kobotoolbox_submission_given_twice_alike_is_imported_once(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document = json.loads(kobo_json(form, [SENT]))
    phone = document["results"][0]["contacts"][0]["contacts/phone"]
    result = run("import", "--from", "odk", str(_twice(form, tmp_path, phone)))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "1 repeated in the export (imported once)" in result.stdout, result.stdout
    assert len(list((field_inventory / "elements").glob("KZ-2026-*"))) == 1


SINGLE = "note: answers that should be one value, and are a list or an object, were left out: "


def test_kobotoolbox_answers_that_are_a_list_or_an_object_are_left_out_and_named(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # Written into the draft as Python text (`['+7 …']`, `{'a': …}`).
    document, submission = _document(form, "kobo-json")
    submission["contacts"][0]["contacts/phone"] = [PHONE]
    submission["contacts"][1]["contacts/name"] = {"a": "leak@example.org"}
    submission["names/en"] = []
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    for dry in (["--dry-run"], []):
        result = run("import", "--from", "odk", str(path), *dry)
        _quiet(result.stdout, result.stderr)
        assert result.exit_code in (0, 1), result.stdout + result.stderr
        found = [x for x in result.stdout.splitlines() if x.startswith(SINGLE)]
        assert found == [SINGLE + "contacts/name, contacts/phone, names/en"], result.stdout
    record = (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
    assert "['" not in record and "{'" not in record and "leak" not in record, record
    assert "000 91 91" not in record
