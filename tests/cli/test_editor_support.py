"""Editors get the schemas: each record's yaml-language-server modeline, or the VS Code settings.

The modeline `# yaml-language-server: $schema=…` takes a path relative to the YAML file (not
to the workspace), so a record in elements/ names `../schema/element.schema.json`. Files
without one are covered by `yaml.schemas` in .vscode/settings.json, whose globs are relative
to the workspace root.
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT

MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")
SETTINGS = REPO_ROOT / ".vscode" / "settings.json"
SCHEMA_OF = {"elements": "schema/element.schema.json", "provinces": "schema/province.schema.json"}


def _settings() -> dict[str, object]:
    return dict(json.loads(SETTINGS.read_text(encoding="utf-8")))


def _mapped_schema(relative: str) -> str | None:
    """The schema .vscode/settings.json gives a file (workspace-relative path), if any."""
    schemas = _settings()["yaml.schemas"]
    assert isinstance(schemas, dict)
    for schema, globs in schemas.items():
        for glob in [globs] if isinstance(globs, str) else globs:
            if fnmatch.fnmatch(relative, glob.lstrip("/")):
                return str(Path(schema).as_posix()).removeprefix("./")
    return None


def _modeline_schema(path: Path, root: Path = REPO_ROOT) -> str | None:
    """The schema a record's modeline names, as a path relative to `root` (resolved as the
    language server does: against the folder of the YAML file)."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = MODELINE.match(first)
    if not match:
        return None
    target = (path.parent / match.group(1)).resolve()
    return target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)


RECORDS = sorted(p for folder in SCHEMA_OF for p in (REPO_ROOT / folder).glob("*.yaml"))


def test_the_settings_map_each_folder_to_its_schema() -> None:
    for folder, schema in SCHEMA_OF.items():
        assert _mapped_schema(f"{folder}/KZ-0000-0000.yaml") == schema
        assert (REPO_ROOT / schema).is_file()
    assert _mapped_schema("README.md") is None


def test_vs_code_recommends_the_yaml_extension() -> None:
    extensions = json.loads((REPO_ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


@pytest.mark.parametrize("path", RECORDS, ids=[p.name for p in RECORDS])
def test_every_record_gets_its_schema(path: Path) -> None:
    relative = path.relative_to(REPO_ROOT).as_posix()
    expected = SCHEMA_OF[relative.split("/")[0]]
    named = _modeline_schema(path)
    if named is not None:
        assert named == expected, f"{relative}: the modeline names {named}, not {expected}"
    else:
        assert _mapped_schema(relative) == expected, f"{relative}: no modeline and no mapping"


def test_a_root_relative_modeline_is_caught(tmp_path: Path) -> None:
    """`$schema=schema/element.schema.json` in elements/ points at elements/schema/…: wrong."""
    (tmp_path / "schema").mkdir()
    (tmp_path / "elements").mkdir()
    record = tmp_path / "elements" / "KZ-2013-0001.yaml"
    record.write_text(
        "# yaml-language-server: $schema=schema/element.schema.json\n", encoding="utf-8"
    )
    assert _modeline_schema(record, tmp_path) == "elements/schema/element.schema.json"
    record.write_text(
        "# yaml-language-server: $schema=../schema/element.schema.json\n", encoding="utf-8"
    )
    assert _modeline_schema(record, tmp_path) == "schema/element.schema.json"
