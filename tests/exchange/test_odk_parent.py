"""`ichinv import --from odk` with copies and places that contradict each other (found by an
outside review): a repeat row of ODK Central whose PARENT_KEY names another submission than its
KEY, a KoboToolbox submission given twice with different answers, and KoboToolbox answers that
are a list or an object where the form asks for one value. Each is refused in plain words (exit
2, file and line) or left out and named in a note; none is put into another element's draft,
dropped without a word, or written as Python text, and nothing is quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import ANSWERS, _quiet, _rewrite
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import Sent, central_zip

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
