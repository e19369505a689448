"""A schema read from the same bytes in another folder (another inventory in the same process,
as a test run reads thousands) is not decoded again: it shares what was derived from them, and
keeps its own folder's translation tables (ichinv.schemas.loader._twin)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ichinv.core import jsontext
from ichinv.core.model import RecordKind
from ichinv.schemas import loader
from tests.support.helpers import REPO_ROOT


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many schema documents are decoded from now on (none kept from earlier tests)."""
    count = [0]
    read = jsontext.read

    def counted(raw: bytes) -> object:
        if b'"$schema"' in raw:
            count[0] += 1
        return read(raw)

    monkeypatch.setattr(jsontext, "read", counted)
    monkeypatch.setattr(loader, "_LOADED", {})
    monkeypatch.setattr(loader, "_DECODED", {})
    return count


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name / "schema"
    shutil.copytree(REPO_ROOT / "schema", folder)
    return folder


def test_the_same_bytes_elsewhere_are_decoded_once_and_say_the_same(
    tmp_path: Path, decoded: list[int]
) -> None:
    first = loader.load(_folder(tmp_path, "one"))
    __ = first[RecordKind.ELEMENT].personal_fields, first[RecordKind.ELEMENT].shape
    assert decoded == [2]
    second = loader.load(_folder(tmp_path, "two"))
    assert decoded == [2]
    for kind in RecordKind:
        one, two = first[kind], second[kind]
        assert two is not one
        assert two.folder == tmp_path / "two" / "schema"
        assert (two.digest, two.document) == (one.digest, one.document)
        assert two.personal_fields == one.personal_fields
        assert two.shape == one.shape
        assert two.list_keys == one.list_keys
        assert two.date_fields == one.date_fields
        assert two.property_order == one.property_order
    assert second.digest == first.digest


def test_a_twin_reads_its_own_folders_translations(tmp_path: Path, decoded: list[int]) -> None:
    one, two = _folder(tmp_path, "one"), _folder(tmp_path, "two")
    table = json.loads((two / "i18n" / "kk.json").read_text("utf-8"))
    fields = table["fields"]
    fields["element:/status"] = {**fields.get("element:/status", {}), "title": "Басқа атау"}
    (two / "i18n" / "kk.json").write_text(json.dumps(table, ensure_ascii=False), "utf-8")
    first = loader.load(one)[RecordKind.ELEMENT]
    said = first.title("/status", "kk")
    second = loader.load(two)[RecordKind.ELEMENT]
    assert second.title("/status", "kk") == "Басқа атау" != said
    assert first.title("/status", "kk") == said


def test_other_bytes_are_decoded(tmp_path: Path, decoded: list[int]) -> None:
    loader.load(_folder(tmp_path, "one"))
    changed = _folder(tmp_path, "two")
    path = changed / "element.schema.json"
    document = json.loads(path.read_text("utf-8"))
    document["description"] = "Another description."
    path.write_text(json.dumps(document), "utf-8")
    second = loader.load(changed)
    assert decoded == [3]  # the element schema again, not the province schema
    assert second[RecordKind.ELEMENT].document["description"] == "Another description."


def test_a_schema_no_command_can_use_is_refused_in_every_folder(
    tmp_path: Path, decoded: list[int]
) -> None:
    """Nothing of a schema refused is kept for a twin to take: each folder is told."""
    from ichinv.core.errors import ConfigError

    for name in ("one", "two"):
        folder = _folder(tmp_path, name)
        path = folder / "element.schema.json"
        document = json.loads(path.read_text("utf-8"))
        document["x-ichinv-personal-data"] = True
        path.write_text(json.dumps(document), "utf-8")
        with pytest.raises(ConfigError, match="marks the whole record"):
            loader.load(folder)
