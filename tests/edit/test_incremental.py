"""`fmt --check` and `migrate --check` are incremental: a file found canonical (or current) is
not read by the round-trip editor again while its bytes, the schemas and ichinv are the same;
the answers are the ones a run without the cache gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.edit import fmt as formatting
from ichinv.edit import migrate as migrations
from ichinv.edit import verdicts
from tests.edit.test_fmt import UNTIDY
from tests.support.helpers import Result, keep_some_elements

Run = Callable[..., Result]


def records(root: Path) -> int:
    return sum(1 for folder in ("elements", "provinces") for _ in (root / folder).glob("*.yaml"))


@pytest.fixture
def some_records(repo_copy: Path) -> Path:
    """The repository's inventory with a tenth of its elements (and the one a test edits):
    what these tests count is each record, whatever their number."""
    return keep_some_elements(repo_copy, also=("KZ-2026-0001.yaml",))


@pytest.fixture
def tidied(some_records: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every record `fmt` reads to put in canonical form (by the shortcut or by the
    round-trip editor), by file."""
    calls: list[str] = []
    real = formatting._tidy_each

    def counted(items: list[tuple[bytes, object, str]]) -> list[object]:
        calls.extend(rel for __, __, rel in items)
        return real(items)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "_tidy_each", counted)
    return calls


def test_a_second_fmt_check_reads_no_unchanged_record(
    some_records: Path, run: Run, tidied: list[str]
) -> None:
    first = run("fmt", "--check")
    assert first.exit_code == 0, first.stdout
    assert len(tidied) == records(some_records)
    tidied.clear()
    again = run("fmt", "--check")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert tidied == []


def test_every_verdict_of_a_first_run_is_kept_however_many_records(
    some_records: Path, run: Run, tidied: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table keeps a few times the inventory's records, at least MIN_ENTRIES (1,000): the
    first run's verdicts were kept to that floor alone, so at 10,000 records 9,000 were
    read again by every run."""
    monkeypatch.setattr(verdicts, "MIN_ENTRIES", 5)
    assert run("fmt", "--check").exit_code == 0
    assert len(tidied) == records(some_records) > 5
    tidied.clear()
    assert run("fmt", "--check").exit_code == 0
    assert tidied == []


def test_an_edited_record_is_looked_at_again_and_reported(
    some_records: Path, run: Run, tidied: list[str]
) -> None:
    assert run("fmt", "--check").exit_code == 0
    tidied.clear()
    (some_records / "elements" / "KZ-2026-0001.yaml").write_text(UNTIDY, encoding="utf-8")
    result = run("fmt", "--check")
    assert result.exit_code == 1 and "KZ-2026-0001.yaml" in result.stdout
    assert tidied == ["elements/KZ-2026-0001.yaml"]
    # Formatted, it is canonical: the next check reads nothing.
    assert run("fmt").exit_code == 0
    tidied.clear()
    assert run("fmt", "--check").exit_code == 0
    assert tidied == []


def test_a_formatter_that_changes_its_own_output_is_not_hidden_by_the_cache(
    some_records: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by an outside review: a written file was remembered as canonical unchecked, so a
    formatter fault (each run adding a line) showed only without the cache."""
    real = formatting.yamlio.tidy

    def growing(raw: bytes, order: object, path: str = "<record>") -> str:
        return real(raw, order, path) + "# again\n"  # type: ignore[arg-type]

    monkeypatch.setattr(formatting.yamlio, "tidy", growing)
    (some_records / "elements" / "KZ-2026-0001.yaml").write_text(UNTIDY, encoding="utf-8")
    assert run("fmt").exit_code == 0
    again = run("fmt", "--check")
    assert again.exit_code == 1 and "KZ-2026-0001.yaml" in again.stdout


def test_another_schema_key_order_checks_every_record_again(
    some_records: Path, run: Run, tidied: list[str]
) -> None:
    assert run("fmt", "--check").exit_code == 0
    tidied.clear()
    schema = some_records / "schema" / "province.schema.json"
    schema.write_text(schema.read_text("utf-8") + "\n", encoding="utf-8")
    run("fmt", "--check")
    assert len(tidied) == records(some_records)


def test_without_the_cache_every_record_is_read(
    some_records: Path, run: Run, tidied: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    run("fmt", "--check")
    tidied.clear()
    run("fmt", "--check")
    assert len(tidied) == records(some_records)


def test_a_second_migrate_check_reads_no_current_record(
    some_records: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[bytes] = []
    opened: list[str] = []
    plainly, load = migrations._version_read_plainly, migrations.yamlio.load

    def counted(raw: bytes) -> int | None:
        read.append(raw)
        return plainly(raw)

    def counted_load(raw: bytes, path: str, order: object) -> object:
        opened.append(path)
        return load(raw, path, order)  # type: ignore[arg-type]

    monkeypatch.setattr(migrations, "_version_read_plainly", counted)
    monkeypatch.setattr(migrations.yamlio, "load", counted_load)
    first = run("migrate", "--check")
    assert first.exit_code == 0 and len(read) == records(some_records)
    # Every record is current: none is opened for editing (ruamel.yaml's round trip).
    assert opened == []
    read.clear()
    again = run("migrate", "--check")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert read == []
