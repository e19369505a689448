"""`ichinv import --from odk`: field submissions become draft records, once, located, private."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ichinv.io import strict_yaml
from tests.support.helpers import REPO_ROOT, Result, build_file_tree, element_yaml, init_repo
from tests.support.odk_exports import Sent, central_json, central_zip, kobo_json

pytest.importorskip("pyxform")

Run = Callable[..., Result]

CONSENT_PHOTO = b"\xff\xd8\xff\xe0 signed consent form of the Kentau masters"
WORKSHOP_PHOTO = b"\xff\xd8\xff\xe0 a dombra on the workbench"

KAZAKH = Sent(
    "uuid:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    {
        "form_language": "kk",
        "schema_version": "1",
        "consent": {
            "status": "given",
            "date": "2026-10-02",
            "form": "written",
            "evidence": "1759390000001.jpg",
            "scope": "Түгендеу, жазбаны және фотосуреттерді жариялау.",
        },
        "provenance": {
            "inventoried_by": "Түркістан облысының түгендеу тобы",
            "entered": "2026-10-02",
        },
        "names": {
            "kk": "Домбыра жасау шеберлігі",
            "ru": "Мастерство изготовления домбры",
            "en": "Dombra making",
        },
        "domains": "craftsmanship performing-arts",
        "national_category": "V",
        "provinces": "KZ-61",
        "description": {
            "kk": "Кентау шеберлері домбыраны қарағайдан қолмен жасайды.\nШеберлік ұстаздан шәкіртке беріледі.",
            "en": "Masters in Kentau make the dombra by hand from pine wood.",
        },
        "communities": [
            {
                "name": "Кентау шеберлері",
                "kind": "group",
                "role": "practitioners",
                "provinces": "KZ-61",
            },
            {"name": "Кентау музыка мектебі", "kind": "organisation", "role": "transmitters"},
        ],
        "locations": [
            {
                "place": "Кентау қаласы, шеберхана",
                "province": "KZ-61",
                "coordinates": "43.5167 68.5167 312.0 4.9",
                "note": "Шеберлер осында жұмыс істейді.",
            }
        ],
        "transmission": {"modes": "master-apprentice family"},
        "viability": {
            "status": "viable",
            "assessed": "2026-10-02",
            "assessed_by": "Түгендеу тобы мен шеберлер",
            "threats": [{"threat": "Сапалы ағаштың тапшылығы", "kind": "resources"}],
        },
        "safeguarding": [
            {
                "measure": "Мектептегі үйірме",
                "kind": "transmission",
                "status": "ongoing",
                "since": "2019-09-01",
            }
        ],
        "access": {"level": "public"},
        "contacts": [
            {
                "name": "Ерлан Жақсыбеков",
                "role": "bearer",
                "phone": "+7 700 000 00 01",
                "email": "erlan.zhaksybekov@example.org",
                "gender": "male",
                "birth_year": "1968",
            },
            {
                "name": "Гүлназ Әбдіқадырова",
                "role": "inventory-team",
                "email": "team.turkistan@example.org",
            },
        ],
        "documentation": [
            {
                "title": "Шеберханадағы домбыра",
                "kind": "photo",
                "photo": "1759390000002.jpg",
                "year": "2026",
            }
        ],
    },
    files={"1759390000001.jpg": CONSENT_PHOTO, "1759390000002.jpg": WORKSHOP_PHOTO},
)

RUSSIAN_BAD_DATE = Sent(
    "uuid:7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    {
        "form_language": "ru",
        "schema_version": "1",
        "consent": {"status": "pending", "date": "2026-11-18"},
        "provenance": {"inventoried_by": "Группа инвентаризации Атырау", "entered": "2026-11-18"},
        "names": {"kk": "Қазақ күресі", "ru": "Казахская борьба"},
        "domains": "social-practices",
        "provinces": "KZ-23",
        "description": {"ru": "Борьба на праздниках в сёлах Атырауской области."},
        "viability": {"status": "at-risk", "assessed": "2026-02-30"},
        "access": {"level": "public"},
        "contacts": [{"name": "Марат Есенов", "role": "practitioner", "phone": "+7 700 000 00 02"}],
    },
    submitter="Марат Сейітов",
)

ENGLISH_NO_CONSENT = Sent(
    "uuid:8b3c4d5e-6f70-4b8c-9dae-1f2a3b4c5d6e",
    {
        "form_language": "en",
        "schema_version": "1",
        "provenance": {"inventoried_by": "Almaty Region inventory team", "entered": "2027-01-15"},
        "names": {"kk": "Киіз үй тігу", "ru": "Изготовление юрты"},
        "domains": "craftsmanship",
        "provinces": "KZ-23 KZ-43",
        "description": {"en": "Making the felt and frame of the yurt."},
        "access": {"level": "public"},
        "documentation": [
            {"title": "Interview with the masters", "kind": "audio", "audio": "interview.m4a"}
        ],
    },
)

REJECTED = Sent(
    "uuid:9c4d5e6f-7081-4c9d-aebf-2a3b4c5d6e7f",
    {
        "form_language": "ru",
        "schema_version": "1",
        "consent": {"status": "given", "date": "2026-11-01"},
        "provenance": {"inventoried_by": "Тест", "entered": "2026-11-01"},
        "names": {"kk": "Сынақ", "ru": "Проба"},
        "domains": "craftsmanship",
        "provinces": "KZ-23",
        "description": {"ru": "Пробная анкета."},
        "access": {"level": "public"},
    },
    review="rejected",
)

SENT = (KAZAKH, RUSSIAN_BAD_DATE, ENGLISH_NO_CONSENT, REJECTED)
PERSONAL = (
    "Ерлан Жақсыбеков",
    "+7 700 000 00 01",
    "erlan.zhaksybekov@example.org",
    "Гүлназ Әбдіқадырова",
    "team.turkistan@example.org",
    "Марат Есенов",
    "+7 700 000 00 02",
)
SERVER_ONLY = ("Айгүл Сейітова", "Марат Сейітов", "collect:Xy12AbCdEfGh3456")
"""Who sent the submissions from which device: the server's data, never the inventory's."""


@pytest.fixture
def export(field_inventory: Path, form: bytes) -> Path:
    path = field_inventory.parent / "ichinv_element.zip"
    path.write_bytes(central_zip(form, SENT))
    return path


def _load(path: Path) -> dict[str, Any]:
    """A record as ichinv reads it (dates stay text)."""
    data, _ = strict_yaml.load(path.read_bytes())
    return json.loads(json.dumps(data))


def _record(root: Path, element_id: str) -> dict[str, Any]:
    return _load(root / "elements" / f"{element_id}.yaml")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_each_submission_becomes_a_draft_under_the_next_free_id(
    field_inventory: Path, export: Path, run: Run
) -> None:
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 1, result.stdout + result.stderr  # drafts with errors to fix
    created = sorted(p.name for p in (field_inventory / "elements").glob("KZ-2026-*.yaml"))
    assert created == ["KZ-2026-0001.yaml", "KZ-2026-0002.yaml", "KZ-2026-0003.yaml"]
    kazakh = _record(field_inventory, "KZ-2026-0001")
    assert kazakh["names"] == KAZAKH.answers["names"]
    assert kazakh["domains"] == ["craftsmanship", "performing-arts"]
    assert kazakh["status"] == "active"
    assert kazakh["communities"][1] == {
        "name": "Кентау музыка мектебі",
        "kind": "organisation",
        "role": "transmitters",
    }
    assert kazakh["locations"][0]["coordinates"] == {
        "latitude": 43.5167,
        "longitude": 68.5167,
        "accuracy": 4.9,
    }
    assert kazakh["viability"]["threats"] == [
        {"threat": "Сапалы ағаштың тапшылығы", "kind": "resources"}
    ]
    assert kazakh["contacts"][0]["birth_year"] == 1968
    assert kazakh["provenance"]["sources"] == [
        {
            "list": "community-inventory",
            "row": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "note": "Community-based inventorying: submission uuid:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f "
            "to ODK Central by Түркістан облысының түгендеу тобы on 2026-10-02.",
        }
    ]
    assert kazakh["access"] == {"level": "public"}
    # the rejected submission is not imported; the summary says what happened
    assert "rejected" in result.stdout


def test_drafts_pass_by_a_mistyped_id_and_are_not_numbered_above_it(
    field_inventory: Path, export: Path, run: Run
) -> None:
    """An outside review: `new` numbered the next id above the mistyped id of a record file
    named by another (KZ-2026-9999 in elements/KZ-2026-0001.yaml); drafts too (and past
    KZ-2026-9999, a draft KZ-2026-10000)."""
    build_file_tree(field_inventory, {"elements/KZ-2026-0001.yaml": element_yaml("KZ-2026-9999")})
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 1, result.stdout + result.stderr
    created = sorted(p.name for p in (field_inventory / "elements").glob("KZ-2026-*.yaml"))
    assert created == [f"KZ-2026-000{n}.yaml" for n in range(1, 5)]
    assert (
        "4 submissions: 3 new drafts (2 with errors), 0 already imported, 1 rejected"
        in result.stdout
    )


def test_attachments_are_copied_and_referenced(
    field_inventory: Path, export: Path, run: Run
) -> None:
    run("import", "--from", "odk", str(export))
    kazakh = _record(field_inventory, "KZ-2026-0001")
    photo = kazakh["documentation"][0]["path"]
    assert photo == "documentation/KZ-2026-0001/photo-1.jpg"
    assert (field_inventory / photo).read_bytes() == WORKSHOP_PHOTO
    evidence = kazakh["consent"]["evidence"]
    assert evidence == "evidence/KZ-2026-0001/evidence-1.jpg"
    assert (field_inventory / evidence).read_bytes() == CONSENT_PHOTO
    # A consent form names its bearers: its photograph is for the owner's eyes only, in a
    # private repository too (it was written with the umask's mode there, 0644).
    assert (field_inventory / evidence).stat().st_mode & 0o077 == 0
    validated = run("validate", "elements/KZ-2026-0001.yaml")
    assert validated.exit_code == 0, validated.stdout
    assert "0 errors, 0 warnings" in validated.stdout


def test_without_consent_given_a_draft_is_restricted(
    field_inventory: Path, export: Path, run: Run
) -> None:
    result = run("import", "--from", "odk", str(export))
    pending = _record(field_inventory, "KZ-2026-0002")
    assert pending["consent"] == {"status": "pending", "date": "2026-11-18"}
    assert pending["access"] == {"level": "restricted"}  # the team asked for public
    missing = _record(field_inventory, "KZ-2026-0003")
    assert "consent" not in missing
    assert missing["access"]["level"] == "restricted"
    assert "no consent" in missing["access"]["reason"]
    public = run("export", "--format", "json")
    assert public.exit_code == 0, public.stderr
    shown = {e["id"]: e for e in json.loads(public.stdout)["elements"]}
    assert shown["KZ-2026-0002"]["description"].startswith("[withheld")
    assert shown["KZ-2026-0003"]["description"].startswith("[withheld")
    assert "Борьба на праздниках" not in public.stdout and "felt and frame" not in public.stdout
    assert shown["KZ-2026-0001"]["description"]["en"].startswith("Masters in Kentau")
    assert "ограниченная: согласие — запрашивается" in result.stdout
    assert "restricted: no consent was recorded" in result.stdout


def test_each_problem_is_located_in_the_export_in_the_form_language(
    field_inventory: Path, export: Path, run: Run
) -> None:
    result = run("import", "--from", "odk", str(export))
    lines = result.stdout.splitlines()
    heading = next(line for line in lines if "KZ-2026-0001" in line and "6f1c2d3e" in line)
    assert heading.startswith(f"{export.name}:ichinv_element.csv:2: ")
    assert "жаңа жазба жобасы KZ-2026-0001" in heading and "ашық: келісім берілген" in heading
    # the bad date of the Russian submission, at its row (line 4: the Kazakh description above
    # holds a line break) and question, with the Russian label
    bad_date = next(line for line in lines if "[date.invalid]" in line)
    assert bad_date.startswith(
        f"  {export.name}:ichinv_element.csv:4: viability-assessed «Дата оценки»: ошибка"
    )
    # the submission with no consent: the missing field, a date in the future, a missing file
    missing = [line for line in lines if line.startswith(f"  {export.name}:ichinv_element.csv:5")]
    assert any("[schema.required]" in line and "consent" in line for line in missing), missing
    assert any(
        "provenance-entered «Date of entry»: error [date.future]" in line for line in missing
    ), missing
    attachment = next(line for line in lines if "[import.file]" in line)
    assert attachment.startswith(
        f"  {export.name}:ichinv_element-documentation.csv:3: audio «Audio recording»: warning"
    )
    assert "the file interview.m4a is not in the export" in attachment


def test_personal_data_lands_only_in_contacts(
    field_inventory: Path, export: Path, run: Run
) -> None:
    result = run("import", "--from", "odk", str(export))
    for value in PERSONAL + SERVER_ONLY:
        assert value not in result.stdout + result.stderr
    for path in (field_inventory / "elements").glob("KZ-2026-*.yaml"):
        data = _load(path)
        contacts = json.dumps(data.pop("contacts", []), ensure_ascii=False)
        rest = json.dumps(data, ensure_ascii=False)
        for value in SERVER_ONLY:
            assert value not in rest and value not in contacts, (path.name, value)
        for value in PERSONAL:
            assert value not in rest, (path.name, value)
    assert "Ерлан Жақсыбеков" in (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text(
        "utf-8"
    )


def test_importing_twice_creates_nothing_and_never_overwrites(
    field_inventory: Path, export: Path, run: Run
) -> None:
    run("import", "--from", "odk", str(export))
    edited = field_inventory / "elements" / "KZ-2026-0001.yaml"
    edited.write_text(
        edited.read_text("utf-8").replace("Dombra making", "Making the dombra"), "utf-8"
    )
    before = _tree(field_inventory)
    again = run("import", "--from", "odk", str(export))
    assert again.exit_code == 0, again.stdout
    assert _tree(field_inventory) == before
    assert "3 already imported" in again.stdout and "0 new drafts" in again.stdout
    assert "бұрын KZ-2026-0001 ретінде импортталған" in again.stdout


KILLED_AT_THE_RECORD = """
import os, signal, sys
from ichinv.io import atomic
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
atomic.write_text_atomic = killed
sys.argv = ["ichinv", *sys.argv[1:]]
from ichinv.cli import main
main()
"""
"""Runs ichinv killed as it writes its first record: the import's attachments are written."""


def test_files_an_import_killed_before_the_record_left_are_never_taken_over(
    field_inventory: Path, export: Path, run: Run
) -> None:
    """Found by an outside test: `ichinv new` took the id of the draft whose record was never
    written, and with it the folders of its attachments (a signed consent form, personal
    data); validate said nothing."""
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_THE_RECORD, "import", "--from", "odk", str(export)],
        cwd=field_inventory,
        capture_output=True,
        check=False,
    )
    assert killed.returncode < 0, killed.stderr
    evidence = field_inventory / "evidence" / "KZ-2026-0001" / "evidence-1.jpg"
    assert evidence.read_bytes() == CONSENT_PHOTO
    assert not (field_inventory / "elements" / "KZ-2026-0001.yaml").exists()
    checked = run("validate")
    assert checked.exit_code == 1
    for folder in ("documentation/KZ-2026-0001", "evidence/KZ-2026-0001"):
        assert (
            f"{folder}: error [path.orphan] {folder}/ is named by KZ-2026-0001, but no element "
            "has that id and no record names a file in it; hint: an interrupted `ichinv import "
            "--from odk` leaves such a folder"
        ) in checked.stdout
    created = run("new", "--no-input", "--name-kk", "Сынақ", "--name-ru", "Проба", "--year", "2026")
    assert created.exit_code == 0, created.stderr
    assert created.stdout.startswith("created elements/KZ-2026-0002.yaml (KZ-2026-0002)")
    again = run("import", "--from", "odk", str(export))
    assert "жаңа жазба жобасы KZ-2026-0003 (elements/KZ-2026-0003.yaml)" in again.stdout
    kazakh = _record(field_inventory, "KZ-2026-0003")
    assert kazakh["consent"]["evidence"] == "evidence/KZ-2026-0003/evidence-1.jpg"
    assert evidence.read_bytes() == CONSENT_PHOTO  # left for the editor to delete
    assert "[path.orphan]" in run("validate").stdout


@pytest.mark.parametrize("kind", ["central-json", "kobo-json"])
def test_json_exports_give_the_same_drafts(
    field_inventory: Path, form: bytes, export: Path, run: Run, tmp_path: Path, kind: str
) -> None:
    run("import", "--from", "odk", str(export))
    expected = {
        p.name: _record(field_inventory, p.stem)
        for p in (field_inventory / "elements").glob("KZ-2026-*")
    }
    other = tmp_path / "other"
    shutil.copytree(
        field_inventory,
        other,
        ignore=shutil.ignore_patterns("KZ-2026-*", "documentation", "evidence"),
    )
    folder = tmp_path / "download"
    for sent in SENT:
        for name, content in sent.files.items():
            # KoboToolbox's media ZIP keeps a folder per submission; ODK Central's is flat
            nested = (
                ("inventory", sent.instance_id.removeprefix("uuid:")) if kind == "kobo-json" else ()
            )
            target = folder.joinpath("media", *nested, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    writer = central_json if kind == "central-json" else kobo_json
    (folder / "submissions.json").write_bytes(writer(form, SENT))
    result = run("import", "--from", "odk", str(folder / "submissions.json"), "--repo", str(other))
    assert result.exit_code == 1, result.stdout
    for name, record in expected.items():
        got = _load(other / "elements" / name)
        for data in (got, record):
            for source in data["provenance"]["sources"]:
                source.pop("note")
        assert got == record, name
    assert (other / "documentation" / "KZ-2026-0001" / "photo-1.jpg").read_bytes() == WORKSHOP_PHOTO


def test_dry_run_writes_nothing(field_inventory: Path, export: Path, run: Run) -> None:
    before = _tree(field_inventory)
    result = run("import", "--from", "odk", str(export), "--dry-run")
    assert result.exit_code == 1
    assert _tree(field_inventory) == before
    assert "KZ-2026-0001 жазба жобасы болар еді" in result.stdout
    assert result.stdout.rstrip().endswith("nothing written")


@pytest.mark.parametrize("how", ["link out", "own repository"])
def test_an_elements_folder_whose_records_are_not_read_stops_the_import(
    field_inventory: Path, export: Path, run: Run, tmp_path: Path, how: str
) -> None:
    """With elements/ a link leading out of the inventory, the drafts were written through it,
    outside the repository (its records, which may hold these submissions, unread)."""
    folder = field_inventory / "elements"
    if how == "link out":
        moved = tmp_path / "r-elements"
        shutil.move(folder, moved)
        folder.symlink_to(moved)
    else:
        init_repo(folder)
        moved = folder
    before = _tree(moved)
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("error: elements:1: elements/ is ")
    assert "a record that cannot be read may hold a submission of this export" in result.stderr
    assert _tree(moved) == before


def test_a_public_repository_keeps_personal_data_and_restricted_parts_in_the_overlay(
    field_inventory: Path, export: Path, run: Run
) -> None:
    (field_inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n', "utf-8"
    )
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 1, result.stdout
    overlay = field_inventory.parent / "private"
    for path in (field_inventory / "elements").glob("KZ-2026-*.yaml"):
        text = path.read_text("utf-8")
        for value in PERSONAL:
            assert value not in text, (path.name, value)
    kazakh_private = _load(overlay / "elements" / "KZ-2026-0001.yaml")
    assert kazakh_private["contacts"][0]["name"] == "Ерлан Жақсыбеков"
    kazakh = _record(field_inventory, "KZ-2026-0001")
    assert kazakh["consent"]["evidence"] == "private overlay: evidence/KZ-2026-0001/evidence-1.jpg"
    assert (overlay / "evidence" / "KZ-2026-0001" / "evidence-1.jpg").read_bytes() == CONSENT_PHOTO
    assert not (field_inventory / "evidence").exists()
    assert (field_inventory / "documentation" / "KZ-2026-0001" / "photo-1.jpg").is_file()
    pending = _record(field_inventory, "KZ-2026-0002")
    assert "description" not in pending and "viability" not in pending
    # contacts are personal data, never published: in the overlay, not a restricted part
    assert pending["access"]["restricted_parts"] == ["/description", "/viability"]
    assert "contacts" not in pending
    pending_private = _load(overlay / "elements" / "KZ-2026-0002.yaml")
    assert pending_private["description"] == {
        "ru": "Борьба на праздниках в сёлах Атырауской области."
    }
    validated = run("validate", "--format", "json")
    findings = json.loads(validated.stdout)["findings"]
    assert not [f for f in findings if f["rule"].startswith("privacy.")], findings


def test_a_public_repository_needs_a_private_overlay(
    field_inventory: Path, export: Path, run: Run
) -> None:
    (field_inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\n', "utf-8"
    )
    before = _tree(field_inventory)
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 2
    assert "names no private overlay" in result.stderr
    assert _tree(field_inventory) == before


def test_an_overlay_whose_files_git_would_commit_is_refused(
    field_inventory: Path, export: Path, run: Run
) -> None:
    """A `.gitignore` that ignores the overlay folder's entries and includes its `elements/`
    again (`/private/*`, `!/private/elements/`) made the folder look ignored: the drafts'
    personal data went where git would commit them (an outside attack on private split;
    the import asked git the same question)."""
    import git

    (field_inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "private"\n', "utf-8"
    )
    (field_inventory / ".gitignore").write_text("/private/*\n!/private/elements/\n", "utf-8")
    (field_inventory / "private" / "elements").mkdir(parents=True)
    git.Repo.init(field_inventory)
    before = _tree(field_inventory)
    result = run("import", "--from", "odk", str(export))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "private/elements/" in result.stderr
    assert _tree(field_inventory) == before


def test_usage_errors(field_inventory: Path, export: Path, run: Run, tmp_path: Path) -> None:
    forced = run("import", "--from", "odk", str(export), "--force")
    assert forced.exit_code == 2 and "--force does not apply" in forced.stderr
    missing = run("import", "--from", "odk", str(tmp_path / "nothing.zip"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    refused = run("import", "--from", "odk", str(broken))
    assert refused.exit_code == 2 and "cannot be read as a ZIP" in refused.stderr
    wrong = tmp_path / "export.json"
    wrong.write_text('{"elements": []}', "utf-8")
    assert run("import", "--from", "odk", str(wrong)).exit_code == 2
    deep = tmp_path / "deep.json"
    deep.write_text('{"value": [' + "[" * 100_000 + "]" * 100_000 + "]}", "utf-8")
    nested = run("import", "--from", "odk", str(deep))
    assert nested.exit_code == 2 and "too deeply" in nested.stderr
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text('{"value": [{"__id": "uuid:1", "names": {"kk": "\\ud800"}}]}', "utf-8")
    broken_text = run("import", "--from", "odk", str(surrogate))
    assert broken_text.exit_code == 2 and "no Unicode character" in broken_text.stderr
    outputs = forced.stderr + missing.stderr + refused.stderr + nested.stderr + broken_text.stderr
    assert "Traceback" not in outputs and "internal error" not in outputs


def test_allow_incomplete_history_is_refused_as_not_applying(
    field_inventory: Path, export: Path, run: Run
) -> None:
    """A review: --from odk took --allow-incomplete-history and did nothing with it (drafts
    take the next free id as far as the history can be read, with or without it)."""
    before = _tree(field_inventory)
    result = run("import", "--from", "odk", str(export), "--allow-incomplete-history")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "--allow-incomplete-history applies to --from ichinv only" in result.stderr
    assert "hint: leave out --allow-incomplete-history" in result.stderr
    assert _tree(field_inventory) == before


def test_what_cannot_be_imported_is_said_and_fails_the_run(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    newer = Sent(
        "uuid:aa00bb11-cc22-4d33-8e44-ff5566778899", {**REJECTED.answers, "schema_version": "2"}
    )
    path = tmp_path / "newer.zip"
    path.write_bytes(central_zip(form, [newer]))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 1
    assert (
        "заполнена по анкете для формата записей 2, а записи инвентаря в формате 1" in result.stdout
    )
    assert not list((field_inventory / "elements").glob("KZ-2026-*"))


def test_an_odata_feed_without_its_repeats_says_how_to_export_them(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    document = json.loads(central_json(form, [KAZAKH]))
    submission = document["value"][0]
    for repeat in ("communities", "locations", "contacts", "documentation", "safeguarding"):
        submission.pop(repeat, None)
        submission[f"{repeat}@odata.navigationLink"] = (
            f"Submissions('{KAZAKH.instance_id}')/{repeat}"
        )
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert "the export holds no repeats" in result.stdout and "$expand=*" in result.stdout


@pytest.mark.parametrize("kind", ["central-json", "kobo-json"])
def test_a_repeat_answered_with_what_is_no_list_of_groups_is_said_to_be_left_out(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    # Found by an outside test: `contacts: "notalist"` was dropped without a word.
    document = json.loads((central_json if kind == "central-json" else kobo_json)(form, [KAZAKH]))
    submission = document["value"][0] if kind == "central-json" else document["results"][0]
    submission["contacts"] = "notalist"
    submission["communities"] = [7, *submission.get("communities", [])]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    assert (
        "note: answers that should be a group of answers or a list of them, and are not, were "
        "left out: communities, contacts" in result.stdout
    ), result.stdout
    plain = run("import", "--from", "odk", str(_written(tmp_path, form, kind)), "--dry-run")
    assert "should be a group of answers" not in plain.stdout


def _written(tmp_path: Path, form: bytes, kind: str) -> Path:
    path = tmp_path / "plain.json"
    path.write_bytes((central_json if kind == "central-json" else kobo_json)(form, [KAZAKH]))
    return path


@pytest.mark.parametrize("link", ["file", "folder"])
def test_an_attachment_that_is_a_symbolic_link_is_never_copied(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, link: str
) -> None:
    # A media archive unpacked beside the export can hold links to any file of the machine.
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(b"root:*:20228:0:99999:7:::\n")
    folder = tmp_path / "download"
    for sent in SENT:
        for name in sent.files:
            if link == "file":
                target = folder / "media" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(secret)
            else:
                real = tmp_path / "elsewhere" / "media"
                real.mkdir(exist_ok=True)
                (real / name).write_bytes(secret.read_bytes())
                folder.mkdir(exist_ok=True)
                if not (folder / "media").exists():
                    (folder / "media").symlink_to(real, target_is_directory=True)
    (folder / "submissions.json").write_bytes(kobo_json(form, SENT))

    result = run("import", "--from", "odk", str(folder / "submissions.json"))

    assert "Traceback" not in result.stderr
    copied = [
        p
        for top in ("documentation", "evidence")
        for p in (field_inventory / top).rglob("*")
        if p.is_file()
    ]
    assert all(b"root:" not in p.read_bytes() for p in copied), copied
    assert "is not in the export" in result.stdout  # said, not silently dropped


def test_a_submission_repeated_in_one_export_is_imported_once_and_said_so(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path
) -> None:
    export = tmp_path / "submissions.json"
    export.write_bytes(kobo_json(form, (KAZAKH, KAZAKH)))
    before = _tree(field_inventory)
    dry = run("import", "--from", "odk", str(export), "--dry-run")
    assert "repeated in the export" in dry.stdout
    assert "already imported" not in dry.stdout.replace("0 already imported", "")
    assert _tree(field_inventory) == before
    run("import", "--from", "odk", str(export))
    assert len(list((field_inventory / "elements").glob("KZ-2026-*"))) == 1


@pytest.mark.parametrize("kind", ["central-json", "kobo-json"])
def test_what_cannot_be_read_or_placed_is_never_quoted(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    """Found by an outside review: an unreadable answer, the name of an answer the form does
    not have and an attachment's name were printed as the export gave them, so that a contact
    written there reached the terminal and CI logs. The line and the question say where each
    is; names that are question names and plain file names are still printed."""
    document = json.loads((central_json if kind == "central-json" else kobo_json)(form, [KAZAKH]))
    submission = document["value"][0] if kind == "central-json" else document["results"][0]
    contact = "+7 700 000 09 09 odk30@example.org"
    if kind == "central-json":
        submission["locations"][0]["coordinates"] = contact
        submission["documentation"][0]["photo"] = "odk27@example.org.jpg"
    else:
        submission["locations"][0]["locations/coordinates"] = contact
        submission["documentation"][0]["documentation/photo"] = "odk27@example.org.jpg"
    submission["odk31@example.org"] = "x"
    submission["an_old_question"] = "y"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("import", "--from", "odk", str(path), "--dry-run")
    printed = result.stdout + result.stderr
    assert "example.org" not in printed and "09 09" not in printed, printed
    assert "[import.unreadable]" in printed and "[import.file]" in printed, printed
    assert "an_old_question, 1 other whose name is not a question's name" in printed, printed
    # Found by an outside review: "the file a file whose name is not shown … is not in the
    # export". The submission is in Kazakh: so is the report.
    assert (
        "[import.file] атауы көрсетілмейтін файл (ол қарапайым файл атауы емес) экспортта жоқ; "
        "жазба оған сілтеме жасамайды"
    ) in printed, printed


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_file_whose_name_is_not_shown_is_said_in_a_sentence(lang: str) -> None:
    """Each text about an attachment has a twin for one whose name is not shown, with the
    same placeholders but the name: the name is not put into a sentence made for a name."""
    labels = strict_yaml.load((REPO_ROOT / "templates" / "i18n" / f"{lang}.yaml").read_bytes())[0]
    submission = labels["submission"]
    for key in (
        "missing_file",
        "large_file",
        "ambiguous_file",
        "same_name_files",
        "unknown_owner_file",
    ):
        named, unnamed = submission[key], submission[f"{key}_unnamed"]
        assert "{name}" in named and "{name}" not in unnamed
        assert set(re.findall(r"\{\w+\}", unnamed)) == set(re.findall(r"\{\w+\}", named)) - {
            "{name}"
        }
    assert "unnamed_file" not in submission


@pytest.mark.parametrize("kind", ["central-json", "kobo-json"])
def test_a_multi_line_answer_typed_on_windows_is_kept_with_plain_line_breaks(
    field_inventory: Path, form: bytes, run: Run, tmp_path: Path, kind: str
) -> None:
    """Found by an outside review: an answer whose lines end with CRLF (typed on Windows, or
    in Enketo) stopped the whole import with "rewriting the record would change its data"."""
    answers = dict(KAZAKH.answers)
    answers["description"] = {"en": "First paragraph.\r\nSecond line.\rThird line."}
    sent = Sent(KAZAKH.instance_id, answers, files=KAZAKH.files)
    path = tmp_path / "export.json"
    path.write_bytes((central_json if kind == "central-json" else kobo_json)(form, [sent]))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert "bug" not in result.stderr
    record = _record(field_inventory, "KZ-2026-0001")
    assert record["description"]["en"] == "First paragraph.\nSecond line.\nThird line."


def test_a_contact_typed_into_a_public_text_is_warned_of_never_quoted(
    field_inventory: Path, form: bytes, run: Run
) -> None:
    # An outside review: an e-mail address and a phone number typed into the description went
    # into the public record, and onto the site, without a word.
    answers = json.loads(json.dumps(KAZAKH.answers))
    answers["form_language"] = "en"
    answers["description"]["en"] = "Masters of Kentau; call +7 701 555 1234 or ivan@example.org"
    # Read as a phone number by the broad test of what output hides (`211-2024`): no contact
    # for validate's `text.contact`, nor for the import, which warns as validate does.
    answers["safeguarding"][0]["measure"] = "Workshops under order-211-2024"
    sent = Sent("uuid:0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", answers, files=KAZAKH.files)
    path = field_inventory.parent / "ichinv_element.zip"
    path.write_bytes(central_zip(form, (sent,)))
    result = run("import", "--from", "odk", str(path))
    assert result.exit_code == 0, result.stdout + result.stderr  # a warning, not an error
    warned = [line for line in result.stdout.splitlines() if "[import.contact]" in line]
    words = (
        "warning [import.contact] the answer may hold an e-mail address or a phone number (not "
        "shown here), and it goes into the record's text, which may be published: contacts "
        "belong in the contacts questions"
    )
    assert warned == [
        f"  {path.name}:ichinv_element.csv:2: description-en «Description (English)»: {words}",
    ], result.stdout
    for secret in ("ivan@example.org", "555", "1234"):
        assert secret not in result.stdout + result.stderr
    kobo = field_inventory.parent / "kobo.json"  # KoboToolbox: the same code, the same words
    other = Sent("uuid:1e2f3a4b-5c6d-4e7f-8091-a2b3c4d5e6f7", answers, files=KAZAKH.files)
    kobo.write_bytes(kobo_json(form, (other,)))
    again = run("import", "--from", "odk", "--dry-run", str(kobo))
    assert again.stdout.count(words) == 1, again.stdout
    assert "ivan@example.org" not in again.stdout and "555" not in again.stdout
    assert "1 new draft, 0 already imported, 1 warning" in result.stdout
    assert "order-211-2024" in (field_inventory / "elements" / "KZ-2026-0001.yaml").read_text()
