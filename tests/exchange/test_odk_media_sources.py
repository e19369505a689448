"""`ichinv import --from odk`: an attachment comes from the export's own media, and from the
submission's own folder of it, or not at all (found by an outside attack: a submitter's answer
copied the editor's `.git-credentials`, a committee export or the export itself into the
inventory, and two submissions that both answered `IMG_0002.jpg` got the same photo)."""

from __future__ import annotations

import copy
import io
import json
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.exchange.test_odk_import import KAZAKH, Run
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

SECRET = b"https://committee:FAKE-TOKEN-000@git.example.org\n"
COMMITTEE = 'id,contacts\nKZ-2013-0001,"Айгүл, +7 700 000 00 00, aigul@example.org"\n'


def _sent(number: int, files: dict[str, bytes], **answers: Any) -> Sent:
    """The Kazakh submission, answered in English, under its own instance id, its consent
    form photographed as `evidence` and its one photo `photo` (None: not answered)."""
    tree = copy.deepcopy(dict(KAZAKH.answers))
    tree["form_language"] = "en"
    evidence = answers.get("evidence")
    if evidence is None:
        tree["consent"].pop("evidence")
    else:
        tree["consent"]["evidence"] = evidence
    photo = answers.get("photo")
    if photo is None:
        tree.pop("documentation")
    else:
        tree["documentation"][0]["photo"] = photo
    return Sent(f"uuid:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d{number:04d}", tree, files=files)


def _copied(root: Path) -> dict[str, bytes]:
    """Every file the import put in documentation/ and evidence/."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for top in ("documentation", "evidence")
        for p in sorted((root / top).rglob("*"))
        if p.is_file()
    }


def _main_csv(form: bytes, sent: list[Sent]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(central_zip(form, sent, media=False))) as archive:
        (main,) = [n for n in archive.namelist() if "-" not in n]
        return archive.read(main)


@pytest.mark.parametrize("kind", ["central-csv", "central-json", "kobo-json"])
def test_a_file_beside_the_export_is_never_an_attachment(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    """Only the `media/` folder beside the export holds attachments: an answer naming a file
    beside it (the editor's credentials, a committee export holding contacts, the export
    itself) is a file missing from the export."""
    home = tmp_path / "home"
    home.mkdir()
    export = home / ("ichinv_element.csv" if kind == "central-csv" else "submissions.json")
    (home / ".git-credentials").write_bytes(SECRET)
    (home / "committee.csv").write_text(COMMITTEE, "utf-8")
    (home / "media").mkdir()
    (home / "media" / "1759390000001.jpg").write_bytes(b"\xff\xd8 the signed form")
    sent = [
        _sent(1, {}, evidence=".git-credentials"),
        _sent(2, {}, evidence="committee.csv"),
        _sent(3, {}, evidence=export.name),
        _sent(4, {}, evidence="1759390000001.jpg"),
    ]
    writer = {"central-csv": _main_csv, "central-json": central_json, "kobo-json": kobo_json}
    export.write_bytes(writer[kind](form, sent))

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    if kind == "central-csv":  # given alone, without the tables of the form's repeats
        assert _copied(field_inventory) == {}
        assert (  # (its digits may be a phone number's: not shown)
            "a file whose name is not shown (it is not a plain file name) may be answered by a "
            "submission the export does not show whole"
        ) in result.stdout
    else:
        assert _copied(field_inventory) == {
            "evidence/KZ-2026-0004/evidence-1.jpg": b"\xff\xd8 the signed form"
        }
    assert "the file committee.csv is not in the export" in result.stdout
    assert f"the file {export.name} is not in the export" in result.stdout
    assert "a file whose name is not shown (it is not a plain file name) is not in the export" in (
        result.stdout
    )
    for leak in ("FAKE-TOKEN", "aigul", "000 00 00"):
        assert leak not in result.stdout + result.stderr
    for element in ("KZ-2026-0001", "KZ-2026-0002", "KZ-2026-0003"):
        record = (field_inventory / "elements" / f"{element}.yaml").read_text("utf-8")
        assert "evidence:" not in record


def test_a_zip_member_outside_its_media_folder_is_never_an_attachment(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """In a ZIP, the members of `media/` are the attachments, no other: not a file put beside
    the tables, nor a table itself."""
    sent = [
        _sent(1, {}, evidence="notes.txt"),
        _sent(2, {}, evidence="ichinv_element.csv"),
        _sent(3, {"1759390000003.jpg": b"\xff\xd8 the third's form"}, evidence="1759390000003.jpg"),
    ]
    data = io.BytesIO(central_zip(form, sent))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("notes.txt", SECRET)
        archive.writestr("extra/notes.txt", SECRET)
    export = tmp_path / "export.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {
        "evidence/KZ-2026-0003/evidence-1.jpg": b"\xff\xd8 the third's form"
    }
    assert "the file notes.txt is not in the export" in result.stdout
    assert "the file ichinv_element.csv is not in the export" in result.stdout


A_UUID = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa"
B_UUID = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb"
A_PHOTO = b"\xff\xd8 the public photo of A"
B_PHOTO = b"\xff\xd8 the restricted rite of B"


def _same_names(form: bytes) -> tuple[bytes, list[Sent]]:
    """KoboToolbox's data.json of two submissions that both answered their photo with the
    name a phone gives (`IMG_0002.jpg`): A public, B restricted."""
    a = _sent(1, {"IMG_0002.jpg": A_PHOTO}, photo="IMG_0002.jpg")
    b = _sent(2, {"IMG_0002.jpg": B_PHOTO}, photo="IMG_0002.jpg")
    a = Sent(f"uuid:{A_UUID}", a.answers, files=a.files)
    b_answers = copy.deepcopy(dict(b.answers))
    b_answers["consent"]["status"] = "pending"
    b = Sent(f"uuid:{B_UUID}", b_answers, files=b.files)
    return kobo_json(form, [a, b]), [a, b]


def _kobo_media(files: dict[str, bytes], *, without: str = "") -> dict[str, bytes]:
    """The media download of KoboToolbox: `<user>/attachments/<form>/<uuid>/<name>`."""
    return {
        f"media/inventory_team/attachments/0f3b4a5c6d7e/{uuid}/IMG_0002.jpg": content
        for uuid, content in files.items()
        if uuid != without
    }


@pytest.mark.parametrize("layout", ["folder", "zip"])
def test_each_kobo_submission_gets_the_file_of_its_own_folder(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, layout: str
) -> None:
    data, __ = _same_names(form)
    media = _kobo_media({A_UUID: A_PHOTO, B_UUID: B_PHOTO})
    export = _kobo_export(tmp_path, data, media, layout)  # (in a ZIP, B's file first)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {
        "documentation/KZ-2026-0001/photo-1.jpg": A_PHOTO,
        "documentation/KZ-2026-0002/photo-1.jpg": B_PHOTO,
    }


@pytest.mark.parametrize("layout", ["folder", "zip"])
def test_a_kobo_submission_whose_file_is_missing_never_gets_another_ones(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, layout: str
) -> None:
    """A's photo is missing from the media download: A's draft refers to no photo, rather
    than to B's restricted one (which went into the public draft)."""
    data, __ = _same_names(form)
    media = _kobo_media({A_UUID: A_PHOTO, B_UUID: B_PHOTO}, without=A_UUID)
    export = _kobo_export(tmp_path, data, media, layout)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {"documentation/KZ-2026-0002/photo-1.jpg": B_PHOTO}
    assert "the file IMG_0002.jpg is not in the export" in result.stdout
    record = json.dumps((field_inventory / "elements" / "KZ-2026-0001.yaml").read_text("utf-8"))
    assert "documentation/KZ-2026-0001" not in record


@pytest.mark.parametrize("members", [1, 2])
def test_a_name_two_submissions_answer_is_given_to_neither_from_a_flat_media_folder(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, members: int
) -> None:
    """ODK Central keeps every attachment in `media/` itself, by the name the device gave: a
    name two submissions answered (Enketo keeps a phone's `IMG_0002.jpg`) may be either's, so
    it is neither's, be there one file of that name or two."""
    __, (a, b) = _same_names(form)
    data = io.BytesIO(central_zip(form, [a, b], media=False))
    with zipfile.ZipFile(data, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a second member of the same name, as Central writes
        for content in (B_PHOTO, A_PHOTO)[:members]:
            archive.writestr("media/IMG_0002.jpg", content)
    export = tmp_path / "central.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    # Found by a review: the report said the file was not in the export, and it is.
    assert "is not in the export" not in result.stdout
    for other in (b, a):  # each names the other, by its instance id, and quotes no answer
        assert (
            f"warning [import.file] the file IMG_0002.jpg is answered by more than one "
            f"submission (this one and {other.instance_id}), so whose it is cannot be told; the "
            "record does not refer to it"
        ) in result.stdout, result.stdout
    assert result.stdout.count("[import.file]") == 2


def test_a_name_many_submissions_answer_names_three_of_them(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """A web form names every photo taken on an iPhone `image.jpg`: the warning names three
    other submissions, not hundreds."""
    sent = [_sent(n, {}, photo="image.jpg") for n in range(1, 6)]
    data = io.BytesIO(central_zip(form, sent, media=False))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("media/image.jpg", A_PHOTO)
    export = tmp_path / "central.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export), "--dry-run")

    assert result.exit_code in (0, 1), result.stderr
    first = next(line for line in result.stdout.splitlines() if "[import.file]" in line)
    others = ", ".join(s.instance_id for s in sent[1:4])
    assert f"(this one and {others}, …)" in first, first


def test_two_files_of_one_name_in_the_media_are_given_to_none(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """Two files named `IMG_0002.jpg` in folders of the media named by no instance id, one
    submission answering that name: which is its own cannot be told, and the report says so
    (it said the file was not in the export)."""
    a = _sent(1, {}, photo="IMG_0002.jpg")
    data = io.BytesIO(central_zip(form, [a], media=False))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("media/first/IMG_0002.jpg", A_PHOTO)
        archive.writestr("media/second/IMG_0002.jpg", B_PHOTO)
    export = tmp_path / "central.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert (
        "warning [import.file] more than one file of the export is named IMG_0002.jpg, so which "
        "one is this submission's cannot be told"
    ) in result.stdout, result.stdout


def test_a_name_only_one_submission_answers_is_taken_from_a_flat_media_folder(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    __, (a, b) = _same_names(form)
    b = _sent(2, {"1759390000002.jpg": B_PHOTO}, photo="1759390000002.jpg")
    export = tmp_path / "central.zip"
    export.write_bytes(central_zip(form, [a, b]))

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {
        "documentation/KZ-2026-0001/photo-1.jpg": A_PHOTO,
        "documentation/KZ-2026-0002/photo-1.jpg": B_PHOTO,
    }


def _kobo_export(tmp_path: Path, data: bytes, media: dict[str, bytes], layout: str) -> Path:
    """KoboToolbox's data.json with its media folders beside it (`folder`), or both in one ZIP
    (`zip`, its members in reverse order of their names: B's file before A's)."""
    if layout == "folder":
        for name, content in media.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(content)
        export = tmp_path / "data.json"
        export.write_bytes(data)
        return export
    export = tmp_path / "kobo.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("data.json", data)
        for name, content in sorted(media.items(), reverse=True):
            archive.writestr(name, content)
    return export


def test_a_withheld_file_named_like_a_contact_is_not_named(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """The warning on a name two submissions answer names the other submission by its
    instance id, and never the name itself when it may be a contact."""
    name = "aigul@example.org.jpg"
    a = _sent(1, {}, photo=name)
    b = _sent(2, {}, photo=name)
    data = io.BytesIO(central_zip(form, [a, b], media=False))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr(f"media/{name}", A_PHOTO)
    export = tmp_path / "central.zip"
    export.write_bytes(data.getvalue())

    result = run("import", "--from", "odk", str(export), "--dry-run")

    printed = result.stdout + result.stderr
    assert "example.org" not in printed and "aigul" not in printed, printed
    assert (
        "a file whose name is not shown (it is not a plain file name) is answered by more than "
        f"one submission (this one and {b.instance_id})"
    ) in printed, printed


@pytest.mark.parametrize("kind", ["central-csv", "kobo-json"])
def test_a_media_folder_that_is_a_link_is_not_read_and_said_so_once(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    """`media/` beside the export is a symbolic link (it could lead anywhere on the editor's
    computer): nothing is read through it, as before, but the report says so once, with what
    to do. It yielded no file without a word: each photo was only 'not in the export'."""
    home = tmp_path / "home"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "1759390000001.jpg").write_bytes(A_PHOTO)
    (tmp_path / "elsewhere" / "1759390000002.jpg").write_bytes(B_PHOTO)
    home.mkdir()
    (home / "media").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    export = home / ("ichinv_element.csv" if kind == "central-csv" else "data.json")
    sent = [
        _sent(1, {}, photo="1759390000001.jpg"),
        _sent(2, {}, photo="1759390000002.jpg"),
    ]
    export.write_bytes((_main_csv if kind == "central-csv" else kobo_json)(form, sent))

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    note = (
        f"note: the media folder {home / 'media'} is a symbolic link, so it was not read and no "
        "attachment was taken from it (a link may lead anywhere on this computer); put the "
        "folder itself beside the export, not a link to it"
    )
    assert result.stdout.count(note) == 1, result.stdout
    assert result.stdout.count("symbolic link") == 1, result.stdout


A_EARLIER = "aaaaaaaa-0000-4000-8000-aaaaaaaa0002"
"""The instance id of an earlier version of A (edited since on KoboToolbox)."""


def _edited(form: bytes, a_folder: str) -> bytes:
    """KoboToolbox's data.json of A and B (both answered `IMG_0002.jpg`), A's `_attachments`
    placing its file in the folder `a_folder`."""
    data, __ = _same_names(form)
    document = json.loads(data)
    attachment = document["results"][0]["_attachments"][0]
    attachment["filename"] = f"inventory/attachments/0f3b4a5c/{a_folder}/IMG_0002.jpg"
    return json.dumps(document).encode("utf-8")


@pytest.mark.parametrize("layout", ["folder", "zip"])
def test_an_edited_kobo_submission_gets_its_file_from_the_folder_its_attachments_name(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, layout: str
) -> None:
    """KoboToolbox gives an edited submission the instance id of its new version and leaves
    a file in the folder of the version it came with, which none of `_uuid`,
    `meta/instanceID` (and `meta/rootUuid`, the first version) names when the photo was
    added in an edit before the last. `_attachments[].filename` names that folder: A's photo
    was 'not in the export'."""
    data = _edited(form, A_EARLIER)
    media = _kobo_media({A_EARLIER: A_PHOTO, B_UUID: B_PHOTO})
    export = _kobo_export(tmp_path, data, media, layout)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {
        "documentation/KZ-2026-0001/photo-1.jpg": A_PHOTO,
        "documentation/KZ-2026-0002/photo-1.jpg": B_PHOTO,
    }


@pytest.mark.parametrize("layout", ["folder", "zip"])
def test_attachments_naming_another_submissions_folder_never_give_its_file(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, layout: str
) -> None:
    """An export edited by hand (or hostile): A's `_attachments` name B's folder. B's
    restricted photo never goes to A's public draft: a folder two submissions name is
    neither's (B's draft loses it too, and the report says whose it cannot be told: an export edited
    so can keep a file from its owner, never give it to another)."""
    data = _edited(form, B_UUID)
    media = _kobo_media({B_UUID: B_PHOTO})
    export = _kobo_export(tmp_path, data, media, layout)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert "documentation/KZ-2026-0001/photo-1.jpg" not in _copied(field_inventory)
    assert (
        f"the file IMG_0002.jpg is answered by more than one submission (this one and "
        f"uuid:{A_UUID})"
    ) in result.stdout, result.stdout


def _flat_kobo(tmp_path: Path, form: bytes, sent: list[Sent], name: str, edit: Any = None) -> Path:
    """KoboToolbox's data.json of `sent` (its results changed by `edit`, as a hand-made or
    converted export may hold them), with one file `name` (A's photo) directly in the media
    folder beside it."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / name).write_bytes(A_PHOTO)
    data = json.loads(kobo_json(form, sent))
    if edit is not None:
        edit(data["results"])
    export = tmp_path / "data.json"
    export.write_text(json.dumps(data), "utf-8")
    return export


@pytest.mark.parametrize("where", ["photo_v1", "documentation/photo_v1"])
def test_a_name_another_submission_answers_to_a_question_the_form_lacks_is_given_to_neither(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, where: str
) -> None:
    """B answered `IMG_0002.jpg` to a file question of an earlier version of the form (renamed
    since: the import leaves the answer out): the file may be B's, so it is not A's (an
    outside attack found it in A's draft, without a word)."""
    a = _sent(1, {}, photo="IMG_0002.jpg")
    b = _sent(2, {}, photo=None)

    def renamed(results: list[dict[str, Any]]) -> None:
        if "/" in where:
            results[1]["documentation"] = [{where: "IMG_0002.jpg"}]
        else:
            results[1][where] = "IMG_0002.jpg"

    export = _flat_kobo(tmp_path, form, [a, b], "IMG_0002.jpg", renamed)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert f"is answered by more than one submission (this one and {b.instance_id})" in (
        result.stdout
    ), result.stdout


@pytest.mark.parametrize("number", [0, 1])
def test_a_name_written_as_a_number_is_the_same_name(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, number: int
) -> None:
    """A file answered as a number by one submission and as text by the other (a hand-made or
    converted export): the same name, given to neither (one of them got it, while the other
    was told it was withheld)."""
    sent = [_sent(1, {}, photo="1712345"), _sent(2, {}, photo="1712345")]

    def as_number(results: list[dict[str, Any]]) -> None:
        (item,) = results[number]["documentation"]
        (key,) = [k for k in item if k.endswith("photo")]
        item[key] = 1712345

    export = _flat_kobo(tmp_path, form, sent, "1712345", as_number)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert result.stdout.count("is answered by more than one submission") == 2, result.stdout


def test_a_name_answered_in_a_column_the_form_lacks_is_given_to_neither(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """The same in ODK Central's CSV ZIP: B's row answers `IMG_0002.jpg` in a column of an
    earlier version of the form, which the import leaves out."""
    a = _sent(1, {}, photo="IMG_0002.jpg")
    b = _sent(2, {}, photo=None)
    made = zipfile.ZipFile(io.BytesIO(central_zip(form, [a, b], media=False)))
    export = tmp_path / "central.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for name in made.namelist():
            content = made.read(name)
            if "-" not in name:  # the main CSV: a column of another version, B's answer in it
                head, *rows = content.decode("utf-8").splitlines()
                rows = [
                    f"{row}," + ("IMG_0002.jpg" if b.instance_id in row else "") for row in rows
                ]
                content = "\n".join([f"{head},photo_v1", *rows, ""]).encode("utf-8")
            archive.writestr(name, content)
        archive.writestr("media/IMG_0002.jpg", A_PHOTO)

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert f"is answered by more than one submission (this one and {b.instance_id})" in (
        result.stdout
    ), result.stdout


def _central_zip_with(form: bytes, sent: list[Sent], extra: dict[str, str]) -> bytes:
    """ODK Central's CSV ZIP of `sent`, with the CSV files `extra` (name → text) beside its
    tables and A's photo as `media/IMG_0002.jpg`."""
    data = io.BytesIO(central_zip(form, sent, media=False))
    with zipfile.ZipFile(data, "a") as archive:
        for name, text in extra.items():
            archive.writestr(name, text)
        archive.writestr("media/IMG_0002.jpg", A_PHOTO)
    return data.getvalue()


@pytest.mark.parametrize("table", ["a repeat the form lacks", "a table without KEY"])
def test_a_name_answered_in_a_table_the_form_lacks_is_given_to_neither(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, table: str
) -> None:
    """B answered `IMG_0002.jpg` in the table of a repeat of an earlier version of the form
    (left out: an outside review found its rows never heard, and A given the file); or in a
    table whose rows name no submission (then whose answer it is cannot be told)."""
    a = _sent(1, {}, photo="IMG_0002.jpg")
    b = _sent(2, {}, photo=None)
    main = next(
        n
        for n in zipfile.ZipFile(io.BytesIO(central_zip(form, [a], media=False))).namelist()
        if "-" not in n
    )
    stem = main.removesuffix(".csv")
    if table == "a repeat the form lacks":
        text = f"photo,PARENT_KEY,KEY\nIMG_0002.jpg,{b.instance_id},{b.instance_id}/photos_v1[1]\n"
    else:
        text = "photo,note\nIMG_0002.jpg,from the old form\n"
    export = tmp_path / "central.zip"
    export.write_bytes(_central_zip_with(form, [a, b], {f"{stem}-photos_v1.csv": text}))

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    said = (
        f"is answered by more than one submission (this one and {b.instance_id})"
        if table == "a repeat the form lacks"
        else "may be answered by a submission the export does not show whole"
    )
    assert f"the file IMG_0002.jpg {said}" in result.stdout, result.stdout


def test_a_json_export_without_its_repeats_gives_no_file_of_the_flat_media(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """ODK Central's OData feed without $expand=*: the answers of the repeats are not in it,
    and any of them may name a file of the media."""
    a = _sent(1, {}, evidence="IMG_0002.jpg")
    data = json.loads(central_json(form, [a]))
    for item in data["value"]:
        for key in [k for k, v in item.items() if isinstance(v, list)]:
            item[f"{key}@odata.navigationLink"] = f"Submissions('{a.instance_id}')/{key}"
            del item[key]
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "IMG_0002.jpg").write_bytes(A_PHOTO)
    export = tmp_path / "submissions.json"
    export.write_text(json.dumps(data), "utf-8")

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert (
        "the file IMG_0002.jpg may be answered by a submission the export does not show whole"
        in (result.stdout)
    ), result.stdout


def test_names_that_differ_only_in_case_are_one_name(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    """Unpacked on a disk that tells no case apart, `IMG_0002.jpg` and `img_0002.JPG` are one
    file, holding either's bytes: neither submission gets it."""
    a = _sent(1, {}, photo="IMG_0002.jpg")
    b = _sent(2, {}, photo="img_0002.JPG")
    export = _flat_kobo(tmp_path, form, [a, b], "IMG_0002.jpg")

    result = run("import", "--from", "odk", str(export))

    assert result.exit_code in (0, 1), result.stderr
    assert _copied(field_inventory) == {}
    assert f"(this one and {b.instance_id})" in result.stdout, result.stdout
