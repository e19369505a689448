"""CSV files of an export that are not as ODK Central writes them: each is refused in plain
words with its file and line (exit 2), or read with nothing dropped unsaid, and nothing quoted
that may be a contact (outside attacks)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.exchange.test_odk_hostile import _quiet, _rewrite
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_malformed import SENT
from tests.support.odk_exports import central_zip

pytest.importorskip("pyxform")

EXTRA = ',"aigul@example.org","+7 700 000 91 91"'


def _main_csv(form: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(central_zip(form, [SENT]))) as archive:
        return archive.read("ichinv_element.csv").decode("utf-8")


def _width(text: str) -> int:
    import csv

    return len(next(csv.reader(io.StringIO(text))))


def test_a_row_longer_than_the_header_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """The cells beyond the header were dropped without a word."""
    text = _main_csv(form)
    width = _width(text)
    path = tmp_path / "ichinv_element.csv"
    path.write_text(text.rstrip("\n") + EXTRA + "\n", "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (  # the line the row starts on
        f"ichinv_element.csv:2: the row has {width + 2} cells but the header only {width}"
        in result.stderr
    ), result.stderr


def test_a_row_shorter_than_the_header_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """A file cut short: its last answers were read as empty, and the answer cut in the middle
    as written (it was padded without a word)."""
    text = _main_csv(form)
    width = _width(text)
    cut = text.rstrip("\n").rsplit(",", 3)[0]  # the last three cells gone
    path = tmp_path / "ichinv_element.csv"
    path.write_text(cut + "\n", "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        f"ichinv_element.csv:2: the row has {width - 3} cells but the header {width}: "
        "the file may have been cut short" in result.stderr
    ), result.stderr


def test_a_repeat_row_longer_than_its_header_is_refused(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    def longer(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-contacts.csv"):
            lines = content.decode("utf-8").split("\n")
            lines[1] += EXTRA
            content = "\n".join(lines).encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [SENT]), longer))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "export.zip:ichinv_element-contacts.csv:2: the row has" in result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_empty_cells_beyond_the_header_are_nothing_dropped(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "ichinv_element.csv"
    path.write_text(_main_csv(form).rstrip("\n") + ",,\n", "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "1 new draft" in result.stdout


def test_the_hint_to_export_again_has_one_home() -> None:
    """The hint on a CSV whose rows are not as the server wrote them was written out five
    times in odk_csv (a change to one would leave the others behind): one constant, marked
    once for translation and translated where it is shown."""
    from ichinv.core import i18n
    from ichinv.exchange import odk_csv
    from tests.support.helpers import REPO_ROOT

    source = (REPO_ROOT / "ichinv" / "exchange" / "odk_csv.py").read_text("utf-8")
    assert source.count("export it again from the server") == 1
    assert source.count("_(REEXPORT)") == 5
    i18n.use("ru")
    try:
        assert i18n._(odk_csv.REEXPORT).startswith("выгрузите его с сервера заново")
    finally:
        i18n.use(None)
