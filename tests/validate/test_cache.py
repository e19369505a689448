"""The validation cache: a warm run says exactly what a cold one says, and only skips work.

Every rule case runs cold, then warm from the cache, and must give the findings a run without
cache gives. Then what must end a cached verdict: an edit, another schema, another day, a
referenced file appearing, other settings; and what the cache must survive: damage,
concurrent runs, growth.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core.model import Finding, RecordKind, Severity, Suppression, ValidationResult
from ichinv.inventory import record_files as records
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import settings as settings_module
from ichinv.validate import cache
from ichinv.validate import engine as validation
from ichinv.validate.file_check import FileCheck
from ichinv.validate.rules.cross import IndexEntry, Ref
from tests.cli.test_validate import Run
from tests.support.helpers import RULE_CASES, build_inventory, read_case

DAY = dt.date(2026, 11, 25)
CASE_FILES = sorted(RULE_CASES.glob("*.case"))
REAL_CODE_DIGEST = cache._code_digest


@pytest.fixture(autouse=True)
def _steady_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Others may edit ichinv's source while these tests run: each edit rightly starts a new
    context, so in-process runs here pin the code digest (test_edited_code_starts_afresh
    checks the real one)."""
    monkeypatch.setattr(cache, "_code_digest", lambda: "pinned")


def run_validate(
    root: Path, *, day: dt.date = DAY, use_cache: bool = True
) -> tuple[ValidationResult, cache.ResultStore | None]:
    config = settings_module.load(root)
    if not use_cache:
        return validation.validate(config, day=day), None
    with cache.ResultStore.open(config, day) as store, RecordCache.open(config) as notes:
        return validation.validate(config, day=day, cache=store, notes=notes), store


def lines(result: ValidationResult) -> list[str]:
    return [
        f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.pointer} {f.message} {f.hint}"
        for f in result.findings
    ] + [f"suppressed {s.finding.rule} {s.finding.path}" for s in result.suppressed]


def database(root: Path) -> Path:
    return cache.database_path(root)


def forget_inventories(root: Path) -> None:
    connection = sqlite3.connect(database(root))
    connection.execute("DELETE FROM inventories")
    connection.commit()
    connection.close()


def rows(root: Path) -> list[tuple[str, str, str]]:
    return list(cache.entries(database(root)))


@pytest.mark.parametrize("case_file", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_warm_runs_report_what_uncached_runs_report(case_file: Path, tmp_path: Path) -> None:
    case = read_case(case_file)
    root = build_inventory(tmp_path / "inv")
    for rel, content in case.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    expected = lines(run_validate(root, use_cache=False)[0])
    cold, cold_store = run_validate(root)
    warm, warm_store = run_validate(root)  # the whole inventory's verdict, as it was
    forget_inventories(root)
    per_file, per_file_store = run_validate(root)  # each file's verdict, as it was
    assert lines(cold) == expected
    assert lines(warm) == expected
    assert lines(per_file) == expected
    assert cold_store is not None and warm_store is not None and per_file_store is not None
    assert cold_store.hits == 0 and cold_store.inventory_hits == 0
    assert warm_store.inventory_hits == 1 and warm_store.misses == 0
    assert per_file_store.misses == 0 and per_file_store.hits == cold_store.misses


def test_a_warm_run_checks_no_file_again(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("validate", "--format", "json")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was checked again")

    monkeypatch.setattr(validation, "check_and_keep", refuse)
    again = run("validate", "--format", "json")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)


def test_no_cache_option_and_environment_bypass_the_cache(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("validate", "--no-cache").exit_code == 0
    assert not database(inventory).exists()
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    assert run("validate").exit_code == 0
    assert not database(inventory).exists()
    monkeypatch.setenv("ICHINV_NO_CACHE", "0")
    assert run("validate").exit_code == 0
    assert database(inventory).exists()


def test_the_cache_lives_in_the_users_cache_folder_private_to_them(
    inventory: Path, run: Run
) -> None:
    run("validate")
    path = database(inventory)
    assert path.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]) / "ichinv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert cache.database_path(inventory / ".." / inventory.name) == path
    assert cache.database_path(inventory.parent) != path


FOREIGN_GROUP = 65534
"""`nogroup`: a group that is not the user's own."""


def test_a_cache_folder_others_can_write_is_not_used(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Parsed records may hold personal data, and what is kept is believed (compiled templates
    are run): no cache where someone else could read it or put another in its place."""
    expected = run("validate", "--format", "json")
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    modes = [0o777]  # anyone may rename what is in it
    with contextlib.suppress(OSError):
        os.chown(shared, -1, FOREIGN_GROUP)  # needs the administrator
        modes.append(0o775)  # a group with others in it may
    for mode in modes:
        shared.chmod(mode)
        for _time in range(2):
            result = run("validate", "--format", "json")
            assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
        assert list(shared.iterdir()) == []
    shared.chmod(0o1777)  # sticky, as /tmp is: no one may replace what another put there
    run("validate")
    assert database(inventory).is_relative_to(shared)
    # Through a link to a private folder, the cache is that folder's.
    linked = tmp_path / "linked"
    linked.symlink_to(shared)
    monkeypatch.setenv("XDG_CACHE_HOME", str(linked))
    database(inventory).unlink()
    run("validate")
    assert database(inventory).resolve().is_relative_to(shared)
    assert database(inventory).exists()


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="making another user's link needs root"
)
def test_links_another_user_made_steer_no_cache(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Links in a sticky folder (as in /tmp) that another user made could point the cache at
    any file of the user's: it would be deleted as a damaged database, or fed parsed records."""
    expected = run("validate", "--format", "json")
    share, mine = tmp_path / "share", tmp_path / "mine"
    share.mkdir(mode=0o1777)
    share.chmod(0o1777)
    mine.mkdir(mode=0o700)
    precious = mine / "results.sqlite"
    precious.write_text("not a database\n", encoding="utf-8")
    folder = database(inventory).parent.name
    links = {
        share / "ichinv": mine.parent,  # the cache folder, another's link
        share / "steered": share,  # the folder chosen for caches, another's link
    }
    (mine.parent / folder).symlink_to(mine)
    for link, target in links.items():
        link.symlink_to(target)
        os.lchown(link, 65534, 65534)
    for chosen in (share, share / "steered"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(chosen))
        result = run("validate", "--format", "json")
        assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
        assert precious.read_text(encoding="utf-8") == "not a database\n"
        assert sorted(p.name for p in mine.iterdir()) == ["results.sqlite"]


def test_a_database_that_is_a_link_is_neither_used_nor_deleted(inventory: Path, run: Run) -> None:
    run("validate")
    path = database(inventory)
    precious = path.parent.parent.parent / "precious"
    precious.write_text("not a database\n", encoding="utf-8")
    path.unlink()
    path.symlink_to(precious)
    for _time in range(2):
        assert run("validate").exit_code == 0
    assert path.is_symlink()
    assert precious.read_text(encoding="utf-8") == "not a database\n"


def test_with_a_umask_that_opens_files_to_the_group_the_cache_stays_private(
    inventory: Path, run: Run
) -> None:
    old = os.umask(0o002)
    try:
        run("validate")
    finally:
        os.umask(old)
    path = database(inventory)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700


def test_an_edited_file_is_checked_again(inventory: Path, run: Run) -> None:
    run("validate")
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("oral-traditions,", "oral-tradition,"),
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 1
    assert "[schema.enum]" in result.stdout


def test_cross_record_rules_run_on_cached_entries(inventory: Path, run: Run) -> None:
    run("validate")
    original = inventory / "elements" / "KZ-2013-0002.yaml"
    (inventory / "elements" / "KZ-2013-0003.yaml").write_bytes(original.read_bytes())
    result = run("validate")
    # The unchanged, cached record is told about the new one holding its id.
    assert "elements/KZ-2013-0002.yaml:1:5: error [id.unique]" in result.stdout
    assert "elements/KZ-2013-0003.yaml:1:5: error [id.unique]" in result.stdout


def test_another_schema_starts_afresh(inventory: Path, run: Run) -> None:
    assert run("validate").exit_code == 0
    schema_file = inventory / "schema" / "element.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["national_category"]["enum"] = ["II", "III"]
    schema_file.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert "[schema.enum]" in result.stdout


def test_another_day_starts_afresh(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("assessed: 2025-05-14", "assessed: 2026-12-01"),
        encoding="utf-8",
    )
    assert "[date.future]" in run("validate").stdout
    monkeypatch.setenv("ICHINV_TODAY", "2026-12-02")
    assert run("validate").exit_code == 0


def test_edited_code_starts_afresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cache, "_code_digest", REAL_CODE_DIGEST)
    package = tmp_path / "ichinv"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "record.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    config = settings_module.from_table(build_inventory(tmp_path / "inv"), {})
    before = cache.context_key(config, DAY)
    assert cache.context_key(config, DAY) == before
    (package / "rules" / "record.py").write_text("RULES = 2\n", encoding="utf-8")
    assert cache.context_key(config, DAY) != before


def test_the_code_digest_covers_every_package_that_decides_a_verdict() -> None:
    # The digest once covered the folder of the cache module only; once modules moved into
    # packages, a rule, the vocabulary or the YAML reader would have fallen outside it.
    import ichinv

    assert Path(ichinv.__file__).resolve().parent == cache._PACKAGE
    covered = {p.relative_to(cache._PACKAGE).parts[0] for p in cache._PACKAGE.rglob("*.py")}
    assert {"core", "io", "schemas", "inventory", "validate"} <= covered


def test_other_settings_start_afresh(inventory: Path, run: Run) -> None:
    assert run("validate").exit_code == 0
    (inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\nvisibility = "public"\n', encoding="utf-8"
    )
    before = rows(inventory)
    run("validate")
    after = rows(inventory)
    assert {context for context, _, _ in before}.isdisjoint({c for c, _, _ in after})


def test_unchanged_files_are_known_by_their_signature_and_edits_are_seen(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "RACY_NS", 0)  # these files are seconds old, not minutes
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    run_validate(inventory)
    reads: list[str] = []
    read = records.read

    def counted(file: records.SourceFile, limit: int) -> object:
        reads.append(file.rel)
        return read(file, limit)

    monkeypatch.setattr(records, "read", counted)
    result, _ = run_validate(inventory)
    assert result.ok and reads == []
    # Same size, same modification time, other bytes: the change time still tells.
    before = record.stat()
    record.write_text(
        record.read_text(encoding="utf-8").replace("oral-traditions,", "oral-traditionz,"),
        encoding="utf-8",
    )
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size
    result, _ = run_validate(inventory)
    assert [f.rule for f in result.findings] == ["schema.enum"]
    assert set(reads) == {"elements/KZ-2013-0002.yaml"}


def test_files_changed_in_the_last_seconds_are_always_read(inventory: Path) -> None:
    run_validate(inventory)
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    taken = records.signature(str(path))
    assert taken is not None and taken[1] is False  # seconds old: not settled
    with RecordCache.open(settings_module.load(inventory)) as notes:
        assert notes.blob_notes.known_blob("elements/KZ-2013-0002.yaml", taken[0]) is None
    with sqlite3.connect(cache.database_path(inventory)) as connection:
        assert connection.execute("SELECT count(*) FROM blobs").fetchone() == (0,)


def test_suppressions_in_settings_keep_the_cached_verdicts(inventory: Path) -> None:
    run_validate(inventory)
    (inventory / "pyproject.toml").write_text(
        '[tool.ichinv]\n\n[[tool.ichinv.suppress]]\nrule = "id.year"\npath = "elements/*"\n'
        'reason = "ids of 2013 kept"\nuntil = "2030-01-01"\n',
        encoding="utf-8",
    )
    result, store = run_validate(inventory)
    assert store is not None and store.misses == 0
    assert [f.rule for f in result.findings] == []


def test_a_referenced_file_appearing_ends_the_cached_verdict(inventory: Path, run: Run) -> None:
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    record.write_text(
        record.read_text(encoding="utf-8")
        + "documentation:\n  - title: Field recording\n    path: media/aitys.txt\n",
        encoding="utf-8",
    )
    assert "[path.missing]" in run("validate").stdout
    (inventory / "media").mkdir()
    (inventory / "media" / "aitys.txt").write_text("recording notes\n", encoding="utf-8")
    assert run("validate").exit_code == 0
    (inventory / "media" / "aitys.txt").unlink()
    (inventory / "media" / "aitys.txt").symlink_to("/etc/hostname")
    assert "[path.outside]" in run("validate").stdout


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"this is not a database at all\n" * 100,
        b"SQLite format 3\x00" + b"\xff" * 5000,
    ],
    ids=["empty", "text", "torn-header"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(inventory: Path, run: Run, damage: bytes) -> None:
    first = run("validate", "--format", "json")
    path = database(inventory)
    path.write_bytes(damage)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    again = run("validate", "--format", "json")
    assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, "")
    assert len(rows(inventory)) == 6


def test_a_database_damaged_inside_is_removed_and_rebuilt(inventory: Path, run: Run) -> None:
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    for number in range(3, 120):  # enough entries for the table to span many pages
        (inventory / "elements" / f"KZ-2013-{number:04d}.yaml").write_text(
            record.read_text(encoding="utf-8").replace("KZ-2013-0002", f"KZ-2013-{number:04d}"),
            encoding="utf-8",
        )
    first = run("validate", "--format", "json")
    path = database(inventory)
    data = bytearray(path.read_bytes())
    assert len(data) >= 16 * 4096
    data[8 * 4096 : len(data) - 4096] = b"\xa5" * (len(data) - 9 * 4096)  # pages, not header
    path.write_bytes(bytes(data))
    # A run that finds the inventory as it was may never read the damaged part; one that
    # needs the entries of single files finds it, and the database is removed.
    record.write_text(record.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    for _ in range(2):
        again = run("validate", "--format", "json")
        assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, "")
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    result, store = run_validate(inventory)
    assert store is not None and store.inventory_hits == 1


@pytest.mark.parametrize(
    ("result", "whole"),
    [
        ("[1, 2", '[[["a"]], 3'),
        # Whole JSON, but file states that are not pairs of texts (found by an outside review:
        # the whole inventory's verdict then ended `validate` with an internal error).
        ("[[], null, [], 5]", "[[], [], 5]"),
        ('[[], null, [], ["abc"]]', '[[], [], ["abc"]]'),
        ('[[], null, [], [[null, "x"]]]', '[[], [], [[null, "x"]]]'),
        ('[[], null, [], [[1, "x"]]]', "[[], [], [[1]]]"),
        # Values of the wrong type inside (found by a second review: sorting or matching them
        # ended the run with an internal error, and the row was never judged again).
        (
            '[[["a", "r", 5, "error", "", null, null, null, false]], null, [], []]',
            '[[], [["x.y", "r", 5, null, null, "record"]], []]',
        ),
        (
            '[[["a", "r", "m", "error", "", "x", null, null, false]], null, [], []]',
            '[[["a", "r", "m", "error", [], null, null, null, false]], [], []]',
        ),
        (
            '[[], {"kind": "element", "path": null, "id": null, "status": null, '
            '"valid_until": null, "successors": [], "refs": []}, [], []]',
            '[[], [["x.y", "r", "2099-12-31", 5, null, "settings"]], []]',
        ),
        (
            '[[], {"kind": "province", "path": "p", "id": ["x"], "status": null, '
            '"valid_until": null, "successors": [], "refs": [], "iso_codes": [[1]]}, [], []]',
            '[[], [], "x"]',
        ),
    ],
)
def test_a_damaged_entry_is_checked_again(
    inventory: Path, run: Run, result: str, whole: str
) -> None:
    first = run("validate", "--format", "json")
    run("validate")  # keeps the whole inventory's verdict
    connection = sqlite3.connect(database(inventory))
    connection.execute("UPDATE results SET value = ?", (result,))
    connection.execute("UPDATE inventories SET value = ?", (whole,))
    connection.commit()
    connection.close()
    again = run("validate", "--format", "json")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    run("validate")
    with sqlite3.connect(database(inventory)) as connection:  # judged again, and kept again
        assert [value for (value,) in connection.execute("SELECT value FROM inventories")] != [
            whole
        ]


def test_an_unusable_cache_folder_does_not_stop_validation(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")


def test_concurrent_runs_agree_and_leave_a_sound_cache(inventory: Path) -> None:
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    for number in range(3, 40):
        (inventory / "elements" / f"KZ-2013-{number:04d}.yaml").write_text(
            record.read_text(encoding="utf-8").replace("KZ-2013-0002", f"KZ-2013-{number:04d}"),
            encoding="utf-8",
        )
    command = [sys.executable, "-m", "ichinv", "validate", "--format", "json"]
    runs = [
        subprocess.Popen(command, cwd=inventory, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outcomes = [(*p.communicate(timeout=120), p.returncode) for p in runs]
    assert len(set(outcomes)) == 1, outcomes
    stdout, stderr, code = outcomes[0]
    assert (code, stderr) == (0, b"")
    connection = sqlite3.connect(database(inventory))
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    assert len(rows(inventory)) == 6 + 37
    warm = subprocess.run(command, cwd=inventory, capture_output=True, check=False)
    assert (warm.returncode, warm.stdout) == (code, stdout)


def test_the_cache_stays_bounded(inventory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_ENTRIES", 4)
    record = inventory / "elements" / "KZ-2013-0002.yaml"
    text = record.read_text(encoding="utf-8")
    for edit in range(30):
        record.write_text(text + f"# edit {edit}\n", encoding="utf-8")
        run_validate(inventory)
    # 6 files seen by the latest run: at most 3 × 6 + 4 entries are kept, the newest ones.
    kept = rows(inventory)
    assert len(kept) <= cache.MAX_ENTRIES_FACTOR * 6 + 4
    result, store = run_validate(inventory)
    assert store is not None and store.misses == 0
    assert result.ok


def test_a_warm_run_does_not_check_the_schemas_again(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jsonschema import Draft202012Validator

    from ichinv.schemas import loader as schemas

    checked: list[str] = []
    original = Draft202012Validator.check_schema.__func__

    def spy(cls: type, schema: dict[str, object], **kwargs: object) -> None:
        checked.append(str(schema.get("$id")))
        original(cls, schema, **kwargs)

    monkeypatch.setattr(Draft202012Validator, "check_schema", classmethod(spy))
    monkeypatch.setattr(schemas, "_CHECKED", set())
    run_validate(inventory)
    assert len(checked) == 2
    monkeypatch.setattr(schemas, "_CHECKED", set())
    run_validate(inventory)
    assert len(checked) == 2


# --- encoding ------------------------------------------------------------------------------------

texts = st.text(max_size=30)
optional_texts = st.none() | texts
findings = st.builds(
    Finding,
    path=texts,
    rule=texts,
    message=texts,
    severity=st.sampled_from(Severity),
    pointer=texts,
    line=st.none() | st.integers(1, 10**6),
    column=st.none() | st.integers(1, 10**6),
    hint=optional_texts,
    at_key=st.booleans(),
)
entries = st.builds(
    IndexEntry,
    kind=st.sampled_from(RecordKind),
    path=texts,
    id=optional_texts,
    status=optional_texts,
    valid_until=optional_texts,
    successors=st.lists(texts, max_size=3).map(tuple),
    refs=st.lists(st.builds(Ref, texts, texts, texts, texts), max_size=4).map(tuple),
)
suppressions = st.builds(
    Suppression,
    rule=texts,
    reason=texts,
    until=texts,
    path=optional_texts,
    pointer=optional_texts,
    source=st.sampled_from(["record", "settings"]),
)
checks = st.builds(
    FileCheck,
    findings=st.lists(findings, max_size=3).map(tuple),
    entry=st.none() | entries,
    suppressions=st.lists(suppressions, max_size=2).map(tuple),
    depends=st.lists(texts, max_size=2, unique=True).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(checks)
def test_entries_decode_to_what_was_encoded(check: FileCheck) -> None:
    states = [[path, "0:"] for path in check.depends]
    assert cache.decode(cache.encode(check, states)) == (check, states)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "[1, 2, 3, 4]",
        '[[["a"]], null, [], []]',
        "{}",
        '[[], null, [], [["a", 1]]]',
        '[[["a", "r", "m", "error", "", true, null, null, false]], null, [], []]',
        '[[], null, [["r", "why", "2099-12-31", null, 5, "record"]], []]',
        '[[], {"kind": "element", "path": "p", "id": null, "status": null, '
        '"valid_until": null, "successors": [1], "refs": []}, [], []]',
        '[[], {"kind": "element", "path": "p", "id": null, "status": null, '
        '"valid_until": null, "successors": [], "refs": [["a", "b"]]}, [], []]',
    ],
)
def test_damaged_entries_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        cache.decode(text)


def _share_by_access_list(folder: Path) -> None:
    """Give user 65534 write on `folder` through an access list (skip where none can be set)."""

    def entry(tag: int, perm: int, who: int = 0xFFFFFFFF) -> bytes:
        return struct.pack("<HHI", tag, perm, who)

    acl = struct.pack("<I", 2) + b"".join(
        [entry(1, 7), entry(2, 7, 65534), entry(4, 5), entry(0x10, 7), entry(0x20, 5)]
    )
    try:
        os.setxattr(folder, "system.posix_acl_access", acl)
    except (OSError, AttributeError):
        pytest.skip("no access lists on this file system")


def test_a_cache_folder_shared_by_an_access_list_is_closed_once_and_kept_after(
    inventory: Path, run: Run
) -> None:
    run("validate")
    folder = database(inventory).parent
    _share_by_access_list(folder)
    _mark(database(inventory))
    run("validate")  # closed, and what it held deleted: another could have written it
    assert not _marked(database(inventory))
    _mark(database(inventory))
    run("validate")
    assert _marked(database(inventory))  # kept from then on


def _mark(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE IF NOT EXISTS marker (x)")
        db.commit()


def _marked(path: Path) -> bool:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return bool(
            db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'marker'").fetchone()[0]
        )
