"""`ichinv import --from odk` with exports that are not as the servers write them (found by an
outside review): a repeat row numbered far beyond the rows of the export, a repeat given as one
object, repeat answers keyed without their group, a repeat file the form does not have, a
column or a key given twice, numbers no record can hold. Each is refused in plain words (exit
2) or said in a note or a located finding; none is dropped without a word, none ends in a
traceback, and what may be a contact is never quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import ANSWERS, _quiet, _rewrite
from tests.exchange.test_odk_import import KAZAKH, Run
from tests.support.odk_exports import Sent, central_zip

pytest.importorskip("pyxform")

PHONE = "+7 700 000 91 91"
SENT = Sent(KAZAKH.instance_id, ANSWERS, files=KAZAKH.files)
"""The Kazakh submission, answered in English (so that the report is in English)."""


def _contacts_key(form: bytes, tmp_path: Path, index: str) -> Path:
    """The export with the first contact's row numbered `index` in its KEY."""

    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            content = content.replace(b"/contacts[1]", f"/contacts[{index}]".encode(), 1)
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    return path


@pytest.mark.parametrize("index", ["9" * 5000, str(10**15), str(10**7), "0"])
def test_a_repeat_row_numbered_beyond_the_rows_of_the_export_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, index: str
) -> None:
    # A 400-byte file must not exhaust memory: `contacts[10000000]` took 38 s and 750 MB, a
    # number of 5,000 digits ended in exit 3, and 10**15 in MemoryError.
    result = run("import", "--from", "odk", str(_contacts_key(form, tmp_path, index)))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "export.zip:ichinv_element-contacts.csv:2: the KEY numbers the row" in result.stderr
    assert len(index) == 1 or index[:6] not in result.stderr, result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_repeat_rows_are_placed_by_their_order_among_the_rows_present(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    # The second contact's row alone: it is the draft's first contact, with no empty one.
    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            lines = content.decode("utf-8").splitlines(keepends=True)
            content = "".join([lines[0], *lines[2:]]).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), edit))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr
    text = (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8")
    assert "team.turkistan@example.org" in text and "erlan" not in text
    assert text.count("- name:") == 3  # two communities, one contact
