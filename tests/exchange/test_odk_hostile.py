"""`ichinv import --from odk` with a hostile export: contacts planted where ids, statuses,
versions, file names and table names belong are never printed, and never written into a
public record (found by an outside review)."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.exchange.test_odk_import import KAZAKH, Run
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

PHONE = "+7 700 000 91 91"
LEAKS = ("leak", "example.org", "000 91 91", "0009191")


def _quiet(*texts: str) -> None:
    for text in texts:
        for leak in LEAKS:
            assert leak not in text, text


ANSWERS = {**KAZAKH.answers, "form_language": "en"}
"""The Kazakh submission, answered in English (so that the report is in English)."""


def _with_id(instance_id: str) -> Sent:
    return Sent(instance_id, ANSWERS, files=KAZAKH.files)


def _export(form: bytes, kind: str, sent: list[Sent]) -> bytes:
    return {"central-zip": central_zip, "central-json": central_json, "kobo-json": kobo_json}[kind](
        form, sent
    )


def _rewrite(
    data: bytes,
    edit: Callable[[str, bytes], tuple[str, bytes]],
    extra: dict[str, str] | None = None,
) -> bytes:
    """The ZIP `data` with each member passed through `edit` (its name and bytes), and the
    members of `extra` (name → text) added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name, content = edit(info.filename, source.read(info))
            target.writestr(name, content)
        for name, text in (extra or {}).items():
            target.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["central-zip", "central-json", "kobo-json"])
@pytest.mark.parametrize("planted", ["uuid:leak70@example.org", f"uuid:{PHONE}", "leak70"])
def test_an_instance_id_not_as_odk_gives_them_is_neither_printed_nor_written(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str, planted: str
) -> None:
    path = tmp_path / ("export.zip" if kind == "central-zip" else "export.json")
    path.write_bytes(_export(form, kind, [_with_id(planted)]))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "submission ?: has no instance id; not imported" in result.stdout, result.stdout
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_a_bare_uuid_of_kobotoolbox_is_an_instance_id(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document = json.loads(kobo_json(form, [KAZAKH]))
    document["results"][0].pop("meta/instanceID")  # only `_uuid`, the bare UUID, is left
    path = tmp_path / "data.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path))
    assert "KZ-2026-0001" in result.stdout, result.stdout + result.stderr
    shown = run("show", "KZ-2026-0001")
    assert "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" in shown.stdout


def test_a_status_or_format_version_not_as_the_server_gives_them_is_not_quoted(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    ids = [f"uuid:0000000{n}-4a5b-4c6d-8e7f-9a0b1c2d3e4f" for n in range(4)]
    sent = [Sent(i, ANSWERS) for i in ids[:3]]
    sent.append(Sent(ids[3], {**ANSWERS, "schema_version": "leak89@example.org"}))
    document = json.loads(central_json(form, sent))
    document["value"][0]["__system"]["status"] = "leak87@example.org"
    document["value"][1]["__system"]["status"] = PHONE
    document["value"][2]["__system"]["status"] = "notDecrypted"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.stdout.count("cannot be read (the server's reason is not quoted") == 2
    assert "cannot be read: notDecrypted" in result.stdout
    assert "another record format (not quoted" in result.stdout, result.stdout


def test_a_status_in_the_csv_not_as_the_server_gives_it_is_not_quoted(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    def edit(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith(".csv") and "-" not in name:  # the main table: Status is empty there
            rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
            rows[1][rows[0].index("Status")] = "leak87@example.org"
            text = io.StringIO(newline="")
            csv.writer(text, lineterminator="\n").writerows(rows)
            content = text.getvalue().encode("utf-8")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [_with_id(KAZAKH.instance_id)]), edit))
    result = run("import", "--from", "odk", str(path), "--dry-run")
    _quiet(result.stdout, result.stderr)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "cannot be read (the server's reason is not quoted" in result.stdout, result.stdout


def test_attachments_are_named_after_their_question(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    answers = copy.deepcopy(dict(KAZAKH.answers))
    answers["documentation"][0]["photo"] = "leak110@example.org.jpg"
    answers["consent"]["evidence"] = f"{PHONE}.jpeg"
    files = {"leak110@example.org.jpg": b"photo", f"{PHONE}.jpeg": b"consent"}
    path = tmp_path / "export.zip"
    path.write_bytes(central_zip(form, [Sent(KAZAKH.instance_id, answers, files=files)]))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stdout, result.stderr)
    written = [str(p.relative_to(field_inventory)) for p in field_inventory.rglob("*")]
    _quiet(*written)
    assert (field_inventory / "documentation/KZ-2026-0001/photo-1.jpg").read_bytes() == b"photo"
    assert (field_inventory / "evidence/KZ-2026-0001/evidence-1.jpeg").read_bytes() == b"consent"
    shown = run("show", "KZ-2026-0001")
    exported = run("export", "--format", "json")
    assert shown.exit_code == 0 and exported.exit_code == 0
    _quiet(shown.stdout, exported.stdout)
    assert "documentation/KZ-2026-0001/photo-1.jpg" in shown.stdout


def test_zip_members_with_hostile_names_are_named_by_their_place(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    base = central_zip(form, [KAZAKH])

    def not_utf8(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-communities.csv"):
            return "leak97@example.org.csv", b"\xff\xfe\x00bad"
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(base, not_utf8))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stderr, result.stdout)
    assert result.exit_code == 2 and "export.zip:#" in result.stderr, result.stderr

    # a bad CRC: zipfile's own message quotes the member's name
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(stored, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr(f"{PHONE}.csv", b"KEY,PARENT_KEY\nsome,row\n")
    damaged = stored.getvalue().replace(b"some,row", b"s0me,row")
    path.write_bytes(damaged)
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stderr, result.stdout)
    assert result.exit_code == 2 and "it is damaged" in result.stderr, result.stderr


def test_repeat_keys_and_repeated_rows_are_named_by_their_line(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    def orphan(name: str, content: bytes) -> tuple[str, bytes]:
        if name.endswith("-communities.csv"):
            content = content.replace(KAZAKH.instance_id.encode(), b"uuid:leak97@example.org")
        return name, content

    path = tmp_path / "export.zip"
    path.write_bytes(_rewrite(central_zip(form, [KAZAKH]), orphan))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stderr, result.stdout)
    assert result.exit_code == 2
    assert "ichinv_element-communities.csv:2: the KEY names no submission" in result.stderr

    # Copies under a KEY that is no instance id: neither is imported, each is said, by its
    # line (copies with an instance id: tests/exchange/test_odk_copies.py).
    twice = Sent("uuid:leak91@example.org", ANSWERS)
    other = Sent(twice.instance_id, {**ANSWERS, "names": {"kk": "Басқа", "ru": "Другое"}})
    path.write_bytes(central_zip(form, [twice, other]))
    result = run("import", "--from", "odk", str(path))
    _quiet(result.stderr, result.stdout)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout.count("has no instance id; not imported") == 2, result.stdout
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))
