"""`ichinv import --from odk` writes attachments only inside the inventory (or its private
overlay), within limits, and never holds one whole in memory (found by an outside attack:
documentation/ and evidence/ as links leading out received signed consent forms; a 2 MB ZIP
wrote 2 GB into evidence/ and took 1 GB of memory)."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tests.exchange.test_odk_import import SENT, Run, _tree
from tests.exchange.test_odk_media_sources import _copied, _sent
from tests.support.odk_exports import central_zip

pytest.importorskip("pyxform")

PUBLIC = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'


@pytest.mark.parametrize(
    "where", ["documentation", "evidence", "overlay evidence", "overlay documentation"]
)
def test_an_attachment_folder_leading_out_of_the_inventory_stops_the_import(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, where: str
) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(central_zip(form, SENT))
    base = field_inventory
    if where.startswith("overlay"):
        (field_inventory / "pyproject.toml").write_text(PUBLIC, "utf-8")
        base = field_inventory.parent / "private"
        base.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (base / where.split()[-1]).symlink_to(outside, target_is_directory=True)
    before = _tree(field_inventory)

    for dry in ((), ("--dry-run",)):
        result = run("import", "--from", "odk", str(export), *dry)

        assert result.exit_code == 2, result.stdout
        assert f"{where.split()[-1]} is a symbolic link to {outside}, outside {base}" in (
            result.stderr
        )
        assert "nothing was written" in result.stderr
        assert list(outside.iterdir()) == []
        assert _tree(field_inventory) == before


def test_an_attachment_folder_that_leads_nowhere_or_is_a_file_stops_the_import(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(central_zip(form, SENT))
    (field_inventory / "evidence").symlink_to(tmp_path / "gone", target_is_directory=True)
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 2
    assert "evidence is a symbolic link that leads nowhere; nothing was written" in result.stderr
    (field_inventory / "evidence").unlink()
    (field_inventory / "evidence").write_text("not a folder\n", "utf-8")
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 2
    assert "evidence is a file, not a folder" in result.stderr
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_a_link_inside_the_inventory_is_followed(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    (field_inventory / "media" / "photos").mkdir(parents=True)
    (field_inventory / "documentation").symlink_to(Path("media/photos"), target_is_directory=True)
    export = tmp_path / "export.zip"
    export.write_bytes(central_zip(form, SENT))
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 1, result.stderr
    assert (field_inventory / "media/photos/KZ-2026-0001/photo-1.jpg").is_file()


def _zeros_zip(form: bytes, size: int) -> bytes:
    """An export whose one submission's consent form is `size` bytes of zeros, deflated."""
    sent = _sent(1, {}, evidence="consent-form.jpg")
    data = io.BytesIO(central_zip(form, [sent]))
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("media/consent-form.jpg", bytes(size))
    return data.getvalue()


def test_a_zip_member_that_expands_beyond_the_limit_stops_the_import(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """A ZIP bomb: 2 MiB of zeros deflate to 2 KiB, a thousand times less."""
    export = tmp_path / "bomb.zip"
    export.write_bytes(_zeros_zip(form, 2 << 20))
    before = _tree(field_inventory)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(
        "error: bomb.zip:media/consent-form.jpg, an attachment of the submission at "
        "bomb.zip:ichinv_element.csv:2, expands "
    )
    assert "more than the 100 times a photograph, recording or document does" in result.stderr
    assert "pass --max-expansion" in result.stderr
    assert _tree(field_inventory) == before

    allowed = run("import", "--from", "odk", str(export), "--max-expansion", "5000")
    assert allowed.exit_code in (0, 1), allowed.stderr
    assert _copied(field_inventory) == {"evidence/KZ-2026-0001/evidence-1.jpg": bytes(2 << 20)}


def test_attachments_beyond_the_total_limit_stop_the_import(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    photo = os.urandom(3 << 19)  # 1.5 MiB that no compression shrinks
    sent = [
        _sent(n, {f"17593900000{n:02d}.jpg": photo}, evidence=f"17593900000{n:02d}.jpg")
        for n in (1, 2)
    ]
    export = tmp_path / "export.zip"
    export.write_bytes(central_zip(form, sent))
    before = _tree(field_inventory)

    result = run("import", "--from", "odk", str(export), "--max-attachments-mib", "2")

    assert result.exit_code == 2, result.stdout
    assert (
        "error: the attachments of the new drafts hold 3 MiB, more than the 2 MiB an import "
        "writes; nothing was written"
    ) in result.stderr
    assert "pass --max-attachments-mib 3" in result.stderr
    assert _tree(field_inventory) == before
    allowed = run("import", "--from", "odk", str(export), "--max-attachments-mib", "3")
    assert allowed.exit_code in (0, 1), allowed.stderr
    assert len(_copied(field_inventory)) == 2


def test_the_limits_apply_to_odk_exports_only(field_inventory: Path, run: Run) -> None:
    for option in ("--max-attachments-mib", "--max-expansion"):
        result = run("import", "elements.csv", option, "10")
        assert result.exit_code == 2
        assert f"{option} applies to --from odk only" in result.stderr


def test_an_attachment_is_copied_without_being_held_whole_in_memory(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    film = os.urandom(24 << 20)
    sent = [_sent(1, {"1759390000001.mp4": film}, evidence="1759390000001.mp4")]
    export = tmp_path / "export.zip"
    export.write_bytes(central_zip(form, sent))
    del film

    tracemalloc.start()
    try:
        result = run("import", "--from", "odk", str(export))
        __, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.exit_code in (0, 1), result.stderr
    copied = field_inventory / "evidence" / "KZ-2026-0001" / "evidence-1.mp4"
    assert copied.stat().st_size == 24 << 20
    assert peak < 16 << 20, peak


def _encrypted(data: bytes, member: str) -> bytes:
    """The ZIP `data` with `member` marked encrypted (as a ZIP with a password makes it)."""
    raw = bytearray(data)
    name = member.encode()
    for signature, flags, length in ((b"PK\x03\x04", 6, 26), (b"PK\x01\x02", 8, 28)):
        at = raw.find(signature)
        while at >= 0:
            size = int.from_bytes(raw[at + length : at + length + 2], "little")
            start = at + length + (2 if signature == b"PK\x03\x04" else 18)
            if raw[start : start + size] == name:
                raw[at + flags] |= 1
            at = raw.find(signature, at + 4)
    return bytes(raw)


@pytest.mark.parametrize("member", ["media/consent-form.jpg", "ichinv_element.csv"])
def test_an_encrypted_member_is_said_plainly(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, member: str
) -> None:
    """zipfile raises RuntimeError for an encrypted member: it was an internal error (exit 3),
    after the drafts before it were written."""
    sent = [_sent(1, {"consent-form.jpg": b"\xff\xd8 form"}, evidence="consent-form.jpg")]
    export = tmp_path / "locked.zip"
    export.write_bytes(_encrypted(central_zip(form, sent), member))
    before = _tree(field_inventory)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code == 2, result.stdout
    assert (
        f"error: locked.zip:{member} cannot be read from the ZIP file (it is compressed or "
        "encrypted in a way that cannot be read)"
    ) in result.stderr
    assert _tree(field_inventory) == before


def test_a_zip_made_on_windows_gives_its_attachments(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    sent = [_sent(1, {"consent-form.jpg": b"\xff\xd8 form"}, evidence="consent-form.jpg")]
    data = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(central_zip(form, sent))) as source,
        zipfile.ZipFile(data, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename.replace("/", "\\"), source.read(info))
    export = tmp_path / "windows.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {"evidence/KZ-2026-0001/evidence-1.jpg": b"\xff\xd8 form"}
