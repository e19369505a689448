"""`ichinv import --from odk` that cannot write a draft: what that draft wrote is removed (or
named, when it cannot be), and the drafts written before it are named (found by an outside
attack: with elements/ immutable, the attachments of the draft stayed behind as orphans, a
signed consent form among them, and the error did not say so)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ichinv.io import atomic
from tests.exchange.test_odk_import import Run
from tests.exchange.test_odk_media_sources import _copied, _sent
from tests.support.odk_exports import central_zip

pytest.importorskip("pyxform")


@pytest.fixture
def export(field_inventory: Path, form: bytes, tmp_path: Path) -> Path:
    """Three submissions, each with its signed consent form and a photo."""
    sent = [
        _sent(
            n,
            {
                f"consent-{n}.jpg": b"\xff\xd8 form %d" % n,
                f"photo-{n}.jpg": b"\xff\xd8 photo %d" % n,
            },
            evidence=f"consent-{n}.jpg",
            photo=f"photo-{n}.jpg",
        )
        for n in (1, 2, 3)
    ]
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, sent))
    return path


REAL_STAGE = atomic.stage
REAL_UNLINK = Path.unlink


def _failing(monkeypatch: pytest.MonkeyPatch, fail: Any) -> None:
    """Have ichinv's writes call `fail(path, draft, number)` first (`draft`: the id whose file
    it is, `number`: its how manieth file), as a file system that refuses would."""
    real = REAL_STAGE
    counts: dict[str, int] = {}

    def stage(path: Path, data: Any, **kwargs: Any) -> str:
        draft = next((p for p in (path.stem, path.parent.name) if p.startswith("KZ-")), "")
        counts[draft] = counts.get(draft, 0) + 1
        fail(path, draft, counts[draft])
        return real(path, data, **kwargs)

    monkeypatch.setattr(atomic, "stage", stage)


def _healed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system as it is again (monkeypatch.undo would leave the inventory too)."""
    monkeypatch.setattr(atomic, "stage", REAL_STAGE)
    monkeypatch.setattr(Path, "unlink", REAL_UNLINK)


def _orphans(run: Run) -> str:
    return "\n".join(line for line in run("validate").stdout.splitlines() if "path.orphan" in line)


def test_a_draft_whose_record_cannot_be_written_leaves_nothing_behind(
    field_inventory: Path, export: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """elements/ immutable (`chattr +i`), as root too: the record of the second draft is
    refused by the system, after its attachments were written."""

    def fail(path: Path, draft: str, number: int) -> None:
        if path.name == "KZ-2026-0002.yaml":
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    _failing(monkeypatch, fail)
    result = run("import", "--from", "odk", str(export))
    _healed(monkeypatch)

    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: cannot write {field_inventory}/elements/KZ-2026-0002.yaml")
    assert lines[0].endswith(
        "; nothing of the draft KZ-2026-0002 was written; 1 draft was written before and stays "
        "(listed below)"
    )
    assert lines[1] == "  elements/KZ-2026-0001.yaml (KZ-2026-0001)"
    assert "run the import again: it skips the submissions written" in lines[2]
    assert sorted(_copied(field_inventory)) == [
        "documentation/KZ-2026-0001/photo-1.jpg",
        "evidence/KZ-2026-0001/evidence-1.jpg",
    ]
    assert not (field_inventory / "elements" / "KZ-2026-0002.yaml").exists()
    assert _orphans(run) == ""

    again = run("import", "--from", "odk", str(export))
    assert again.exit_code in (0, 1), again.stderr
    assert "1 already imported" in again.stdout
    assert (field_inventory / "evidence/KZ-2026-0002/evidence-1.jpg").read_bytes() == (
        b"\xff\xd8 form 2"
    )


def test_what_cannot_be_removed_is_named(
    field_inventory: Path, export: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(path: Path, draft: str, number: int) -> None:
        if path.name == "KZ-2026-0002.yaml":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    _failing(monkeypatch, fail)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "evidence-1.jpg" and self.parent.name == "KZ-2026-0002":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        REAL_UNLINK(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    result = run("import", "--from", "odk", str(export))
    _healed(monkeypatch)

    assert result.exit_code == 2, result.stdout
    assert (
        "; these files of the draft KZ-2026-0002 were written and could not be removed: "
        "evidence/KZ-2026-0002/evidence-1.jpg; 1 draft was written before"
    ) in result.stderr
    assert "hint: delete them (`ichinv validate` reports them, path.orphan)" in result.stderr
    assert sorted(_copied(field_inventory)) == [
        "documentation/KZ-2026-0001/photo-1.jpg",
        "evidence/KZ-2026-0001/evidence-1.jpg",
        "evidence/KZ-2026-0002/evidence-1.jpg",
    ]
    assert "evidence/KZ-2026-0002" in _orphans(run)


def test_ctrl_c_while_a_draft_is_written_undoes_it_and_names_those_written(
    field_inventory: Path, export: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(path: Path, draft: str, number: int) -> None:
        if draft == "KZ-2026-0003" and number == 2:  # its first attachment is written
            raise KeyboardInterrupt

    _failing(monkeypatch, fail)
    result = run("import", "--from", "odk", str(export))
    _healed(monkeypatch)

    assert result.exit_code == 130, result.stdout
    assert result.stderr.splitlines()[:3] == [
        "error: interrupted; nothing of the draft KZ-2026-0003 was written; 2 drafts were "
        "written before and stay (listed below)",
        "  elements/KZ-2026-0001.yaml (KZ-2026-0001)",
        "  elements/KZ-2026-0002.yaml (KZ-2026-0002)",
    ]
    assert not [name for name in _copied(field_inventory) if "KZ-2026-0003" in name]
    assert _orphans(run) == ""


def test_another_commands_record_under_the_drafts_id_is_said_and_left(
    field_inventory: Path, export: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = field_inventory / "elements" / "KZ-2026-0001.yaml"

    def fail(path: Path, draft: str, number: int) -> None:
        if path == theirs:
            theirs.write_text("id: KZ-2026-0001\n", "utf-8")  # `ichinv new`, meanwhile

    _failing(monkeypatch, fail)
    result = run("import", "--from", "odk", str(export))
    _healed(monkeypatch)

    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(
        "error: elements/KZ-2026-0001.yaml was created by another command while importing; "
        "nothing of the draft KZ-2026-0001 was written; no draft was written before\n"
    )
    assert "hint: run the import again: it gives the next free id" in result.stderr
    assert theirs.read_text("utf-8") == "id: KZ-2026-0001\n"
    assert _copied(field_inventory) == {}


TERMINATED = """
import os, signal, sys
from ichinv.io import atomic
real = atomic.stage
def stage(path, data, **kwargs):
    if f"{path.parent.name}/{path.name}" == os.environ["STOP_AT"]:
        os.kill(os.getpid(), signal.SIGTERM)
    return real(path, data, **kwargs)
atomic.stage = stage
sys.argv = ["ichinv", *sys.argv[1:]]
from ichinv.cli import main
main()
"""
"""Runs ichinv stopped by SIGTERM as it writes the file STOP_AT names (`folder/name`)."""


@pytest.mark.parametrize("at", ["KZ-2026-0002/photo-1.jpg", "elements/KZ-2026-0002.yaml"])
def test_sigterm_while_a_draft_is_written_undoes_it_and_names_those_written(
    field_inventory: Path, export: Path, run: Run, at: str
) -> None:
    """Stopped as it writes the second draft's attachment, the draft is undone; as it writes
    its record, the record is written first (the signal waits), and the draft stays whole."""
    stopped = subprocess.run(
        [sys.executable, "-c", TERMINATED, "import", "--from", "odk", str(export)],
        cwd=field_inventory,
        capture_output=True,
        check=False,
        env={**os.environ, "ICHINV_LANG": "en", "STOP_AT": at},
    )
    stderr = stopped.stderr.decode("utf-8")
    assert stopped.returncode == 128 + signal.SIGTERM, stderr
    first = "  elements/KZ-2026-0001.yaml (KZ-2026-0001)\n"
    second = "  elements/KZ-2026-0002.yaml (KZ-2026-0002)\n"
    if at.endswith(".jpg"):
        assert stderr.startswith(
            "error: interrupted; nothing of the draft KZ-2026-0002 was written; 1 draft was "
            "written before and stays (listed below)\n" + first + "hint: run the import again"
        )
    else:
        assert stderr.startswith(
            "error: interrupted; 2 drafts were written and stay (listed below)\n" + first + second
        )
    copied = sorted(_copied(field_inventory))
    drafts = 1 if at.endswith(".jpg") else 2
    assert copied == sorted(
        f"{folder}/KZ-2026-000{n}/{name}"
        for n in range(1, drafts + 1)
        for folder, name in (("documentation", "photo-1.jpg"), ("evidence", "evidence-1.jpg"))
    )
    assert _orphans(run) == ""
