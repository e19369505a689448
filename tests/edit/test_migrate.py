"""`ichinv migrate`: the version-step mechanism, tried with a test-only migration (version 2
renames `national_category` to `category`) on a copy of the repository's own inventory."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ichinv.core.model import RecordKind
from ichinv.edit import migrate as migrations
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml as yamlload
from tests.support.helpers import Result, keep_some_elements

Run = Callable[..., Result]


def _rename_category(record: yamlio.Document) -> None:
    record.rename("/national_category", "category")


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test-only step from version 1 to 2 of element records."""
    steps = {**migrations.MIGRATIONS[RecordKind.ELEMENT], 1: _rename_category}
    monkeypatch.setitem(migrations.MIGRATIONS, RecordKind.ELEMENT, steps)
    yield


def bump_schema(root: Path) -> None:
    """The element schema at version 2: `national_category` is now called `category`."""
    path = root / "schema" / "element.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["x-ichinv-schema-version"] = 2
    properties = schema["properties"]
    properties["schema_version"]["maximum"] = 2  # moves with the schema's version
    schema["properties"] = {
        ("category" if key == "national_category" else key): value
        for key, value in properties.items()
    }
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.fixture(params=["a tenth", pytest.param("whole", marks=pytest.mark.slow)])
def inventory_v2(repo_copy: Path, request: pytest.FixtureRequest) -> Path:
    """The repository's inventory (a tenth of its elements; all of them in the long run) with
    element records of format 1 to migrate to format 2."""
    if request.param == "a tenth":
        keep_some_elements(repo_copy)
    # A comment on the field that is renamed, and one elsewhere, must both survive.
    first = sorted((repo_copy / "elements").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    text = re.sub(
        r"^national_category:", "# category of the 2024 list\nnational_category:", text, count=1,
        flags=re.MULTILINE,
    )  # fmt: skip
    text = text.replace("status: active\n", "status: active  # checked\n", 1)
    first.write_text(text, encoding="utf-8")
    bump_schema(repo_copy)
    return repo_copy


def test_migrate_runs_the_step_keeps_comments_and_a_second_run_changes_nothing(
    inventory_v2: Path, version_2: None, run: Run
) -> None:
    files = sorted((inventory_v2 / "elements").glob("*.yaml"))
    before = {p: p.read_text(encoding="utf-8") for p in files}
    result = run("migrate")
    assert result.exit_code == 0, result.stdout
    assert f"{len(files)} records migrated" in result.stdout
    assert "migrated elements/" in result.stdout and "(version 1 → 2)" in result.stdout
    for path, old in before.items():
        new = path.read_text(encoding="utf-8")
        assert comment_lines(new) == comment_lines(old), path
        old_data = yamlload.load(old.encode())[0]
        new_data = yamlload.load(new.encode())[0]
        assert new_data["schema_version"] == 2
        assert "national_category" not in new_data
        assert new_data.get("category") == old_data.get("national_category")
        assert list(new_data) == [
            "category" if k == "national_category" else k for k in old_data
        ]  # renamed in place, nothing moved
    first = files[0].read_text(encoding="utf-8")
    assert "# category of the 2024 list\ncategory:" in first
    assert "status: active  # checked\n" in first
    snapshot = {p: p.read_bytes() for p in files}
    again = run("migrate")
    assert again.exit_code == 0
    assert again.stdout.startswith("0 records migrated")
    assert {p: p.read_bytes() for p in files} == snapshot
    assert run("validate").exit_code == 0
    assert run("fmt", "--check").exit_code == 0


def test_check_lists_the_records_to_migrate_and_writes_nothing(
    inventory_v2: Path, version_2: None, run: Run
) -> None:
    files = sorted((inventory_v2 / "elements").glob("*.yaml"))
    snapshot = {p: p.read_bytes() for p in files}
    result = run("migrate", "--check")
    assert result.exit_code == 1
    assert f"{len(files)} records would migrate" in result.stdout
    assert {p: p.read_bytes() for p in files} == snapshot


def test_a_missing_step_stops_before_anything_is_written(inventory_v2: Path, run: Run) -> None:
    files = sorted((inventory_v2 / "elements").glob("*.yaml"))
    snapshot = {p: p.read_bytes() for p in files}
    result = run("migrate")
    assert result.exit_code == 2
    assert "no migration of element records from version 1 to 2" in result.stderr
    assert {p: p.read_bytes() for p in files} == snapshot


def test_a_record_newer_than_the_schema_is_reported(inventory: Path, run: Run) -> None:
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text("schema_version: 3\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("migrate")
    assert result.exit_code == 1
    assert "is written for format version 3, newer than the element schema (version 1)" in (
        result.stdout
    )


@pytest.mark.parametrize("version", ["2", "900000000000000000000"])
def test_validate_refuses_what_migrate_refuses(inventory: Path, run: Run, version: str) -> None:
    """A record written for a newer format than the schema's fails `validate` too, at its line."""
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text(f"schema_version: {version}\n" + path.read_text(encoding="utf-8"))
    assert run("migrate").exit_code == 1
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["pointer"], finding["line"]) == (
        "schema.maximum",
        "/schema_version",
        1,
    )


def test_a_current_record_the_writer_cannot_open_needs_no_migration(
    repo_copy: Path, run: Run
) -> None:
    """migrate answers whether records need a step: a current record is not opened for
    editing (a tab in a plain value, which ruamel.yaml refuses, made `migrate --check` fail
    until 6 December); `fmt` still names it, as the file it cannot rewrite."""
    path = repo_copy / "elements" / "KZ-2013-0002.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "status: active", "status: active\nnote: a\tb", 1
    )
    path.write_text(text, encoding="utf-8")
    checked = run("migrate", "--check")
    assert checked.exit_code == 0, checked.stdout
    assert "0 records would migrate" in checked.stdout
    assert run("fmt", "--check").exit_code == 1


def test_today_every_record_is_current(repo_copy: Path, run: Run) -> None:
    result = run("migrate", "--check")
    assert result.exit_code == 0
    assert "(format versions: element 1, province 2)" in result.stdout
    assert migrations.MIGRATIONS == {
        RecordKind.ELEMENT: {},
        RecordKind.PROVINCE: {1: migrations._province_v1_to_v2},
    }


def test_province_format_2_turns_the_one_iso_code_into_the_list_of_codes(
    repo_copy: Path, run: Run
) -> None:
    """A province record of format 1 with `iso_code` becomes format 2 with `iso_codes`."""
    path = repo_copy / "provinces" / "KZ-YUZ.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2\n", "")
    text = re.sub(r"iso_codes:\n(  .*\n)+", "", text)
    text = text.replace(
        "kind: region\n", "kind: region\n# the code of 1997\niso_code: KZ-YUZ  # until 2022\n"
    )
    path.write_text(text, encoding="utf-8")
    assert run("validate", "provinces/KZ-YUZ.yaml").exit_code == 1  # no longer a field
    result = run("migrate")
    assert result.exit_code == 0, result.stdout
    assert "migrated provinces/KZ-YUZ.yaml (version 1 → 2)" in result.stdout
    data = yamlload.load(path.read_bytes())[0]
    assert data["schema_version"] == 2
    assert "iso_code" not in data
    assert data["iso_codes"] == [{"code": "KZ-YUZ"}]
    assert run("validate", "provinces/KZ-YUZ.yaml").exit_code == 0
    # Its comments stay with it (an outside review found them dropped).
    written = path.read_text(encoding="utf-8")
    assert "# the code of 1997\niso_codes:  # until 2022\n  - code: KZ-YUZ\n" in written


@pytest.mark.parametrize(
    ("old", "listed", "migrated"),
    [
        ("iso_code: KZ-ABAI", "KZ-10", False),  # a code iso_codes does not list: kept
        ("iso_code: KZ-10  # checked", "KZ-10", False),  # listed, but with a comment
        ("iso_code: KZ-10", "KZ-10", True),  # listed, nothing to lose
        # `iso_codes` left empty (a review found an internal error): filled, its comment kept
        ("iso_code: KZ-10", None, True),
        ("iso_code: KZ-10  # checked", None, False),
        # `iso_codes: []` is as empty (an outside test found it refused as "has both")
        ("iso_code: KZ-10", "[]", True),
        ("iso_code: KZ-10  # checked", "[]", False),
    ],
)
def test_a_province_with_both_iso_code_and_iso_codes_loses_nothing(
    repo_copy: Path, run: Run, old: str, listed: str | None, migrated: bool
) -> None:
    """Found by outside reviews: an empty `iso_codes` (`iso_codes:`, `iso_codes: []`) beside
    `iso_code` was an internal error, then refused as "has both"; it is filled from it."""
    path = repo_copy / "provinces" / "KZ-10.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2\n", "")
    empty = {None: "iso_codes:  # to fill in\n", "[]": "iso_codes: []  # to fill in\n"}
    if listed in empty:
        text = re.sub(r"iso_codes:\n(  .*\n)+", empty[listed], text)
    else:
        assert f"iso_codes:\n  - code: {listed}\n" in text
    path.write_text(text.replace("iso_codes:", f"{old}\niso_codes:", 1), encoding="utf-8")
    before = path.read_bytes()
    result = run("migrate")
    if migrated:
        assert result.exit_code == 0, result.stdout + result.stderr
        data = yamlload.load(path.read_bytes())[0]
        assert "iso_code" not in data and data["iso_codes"][0]["code"] == "KZ-10"
        assert listed not in empty or "iso_codes:  # to fill in\n" in path.read_text("utf-8")
        assert run("validate", "provinces/KZ-10.yaml").exit_code == 0
    else:
        assert result.exit_code == 1
        assert path.read_bytes() == before  # left as it was, code and comment
        assert "has both iso_code and iso_codes" in result.stdout + result.stderr
        assert "provinces/KZ-10.yaml" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("[KZ-35]", "a list"),  # an internal error (RecursionError), exit 3
        ("{code: KZ-35, from: 2022}", "a group of fields"),  # written as `- code: {code: …}`
        ("~", "an empty value"),  # left in a record marked version 2
        ("", "an empty value"),
        ("35", "a number"),
        ("true", "a true/false value"),
    ],
)
@pytest.mark.parametrize("check", [True, False])
def test_an_iso_code_that_is_not_one_code_is_named_at_its_line_and_left_as_it_is(
    repo_copy: Path, run: Run, value: str, kind: str, check: bool
) -> None:
    """Found by an outside review: a format-1 `iso_code` of another form than text crashed
    migrate or was migrated into a record format 2 does not allow."""
    path = repo_copy / "provinces" / "KZ-35.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 1")
    field = f"iso_code: {value}".rstrip()
    text = re.sub(r"iso_codes:\n(  .*\n)+", field + "\n", text)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(field) + 1
    before = path.read_bytes()
    result = run("migrate", *(["--check"] if check else []))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stderr == ""
    assert (
        f"cannot migrate provinces/KZ-35.yaml:{line}:1: iso_code holds {kind}, not one ISO "
        "3166-2 code written as text, so it cannot be migrated; the record was left as it is\n"
        "  hint: write the unit's one code as text (iso_code: KZ-35), or write its codes in "
        "iso_codes yourself and delete iso_code, then run `ichinv migrate` again\n"
    ) in result.stdout
    assert "0 records" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "value",
    [
        "|\n  KZ-35\n",  # migrated as `code: |` holding "KZ-35\n", and validate said ok
        '"KZ-35\\n"',
        '"KZ-35 "',
        "' KZ-35'",
    ],
)
def test_an_iso_code_with_a_line_break_or_spaces_around_it_is_named_and_left_as_it_is(
    repo_copy: Path, run: Run, value: str
) -> None:
    """Found by an outside test: `iso_code: |` (a block scalar) was migrated into `code: |`."""
    path = repo_copy / "provinces" / "KZ-35.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 1")
    field = f"iso_code: {value}\n".replace("\n\n", "\n")
    text = re.sub(r"iso_codes:\n(  .*\n)+", lambda __: field, text)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"iso_code: {value}".splitlines()[0]) + 1
    before = path.read_bytes()
    result = run("migrate")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert (
        f"cannot migrate provinces/KZ-35.yaml:{line}:1: iso_code holds text with a line break "
        "or spaces before or after the code, not exactly one ISO 3166-2 code, so it cannot be "
        "migrated; the record was left as it is\n"
        "  hint: write the code alone on the line of iso_code (iso_code: KZ-35), then run "
        "`ichinv migrate` again\n"
    ) in result.stdout
    assert path.read_bytes() == before


def test_an_iso_code_in_a_block_without_its_line_break_is_migrated_plainly(
    repo_copy: Path, run: Run
) -> None:
    path = repo_copy / "provinces" / "KZ-35.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2", "schema_version: 1")
    path.write_text(re.sub(r"iso_codes:\n(  .*\n)+", "iso_code: |-\n  KZ-35\n", text), "utf-8")
    assert run("migrate").exit_code == 0
    assert "iso_codes:\n  - code: KZ-35\n" in path.read_text(encoding="utf-8")
    assert run("validate", "provinces/KZ-35.yaml").exit_code == 0


def test_a_refusal_of_both_codes_is_named_at_the_line_of_iso_code(
    repo_copy: Path, run: Run
) -> None:
    path = repo_copy / "provinces" / "KZ-10.yaml"
    text = path.read_text(encoding="utf-8").replace("schema_version: 2\n", "")
    path.write_text(text.replace("iso_codes:", "iso_code: KZ-ABAI\niso_codes:", 1), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("iso_code: KZ-ABAI") + 1
    result = run("migrate")
    assert result.exit_code == 1
    assert f"cannot migrate provinces/KZ-10.yaml:{line}:1: the record has both" in result.stdout
