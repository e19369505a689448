"""Hostile record files (tests/hostile/corpus.py) give clean findings, quickly, never a traceback.

Each case goes into a valid inventory on its own and is validated in-process (exceptions
propagate, so a crash fails the test); then the whole corpus goes into one inventory, with a
symlink loop, a link out of the repository and a named pipe beside it, for one run of the
console script in every output format.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.helpers import build_inventory
from tests.support.hostile_corpus import Case, cases

CASES = cases()
SECONDS = 2.0


@pytest.fixture(scope="module")
def validate_json():  # type: ignore[no-untyped-def]
    """`ichinv validate --format json` in-process."""
    from typer.testing import CliRunner

    from ichinv.cli.app import app

    runner = CliRunner()

    def invoke(root: Path) -> tuple[int, dict[str, object], float]:
        started = time.perf_counter()
        result = runner.invoke(
            app,
            ["validate", "--repo", str(root), "--format", "json", "--no-cache"],
            catch_exceptions=False,
        )
        took = time.perf_counter() - started
        return result.exit_code, json.loads(result.stdout), took

    return invoke


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case: Case, tmp_path: Path, validate_json) -> None:  # type: ignore[no-untyped-def]
    root = build_inventory(tmp_path / "inventory")
    (root / "elements" / case.file).write_bytes(case.content)
    code, report, took = validate_json(root)
    assert took < SECONDS
    mine = [f for f in report["findings"] if f["path"] == f"elements/{case.file}"]  # type: ignore[attr-defined]
    if not case.rule:  # harmless after all (line endings, a BOM): the record is valid
        assert (code, mine) == (0, [])
        return
    assert case.rule in {f["rule"] for f in mine}
    assert code == (0 if case.warning else 1)
    assert all(f["line"] is not None for f in mine if f["rule"].startswith("yaml."))


@pytest.mark.parametrize("attack", ["file", "link out", "submodule", "nested clone"])
def test_a_records_folder_that_is_not_one_is_never_ok(
    attack: str, tmp_path: Path, validate_json
) -> None:  # type: ignore[no-untyped-def]
    """elements/ replaced by a file, by a link out of the repository, or by another git
    repository: its records are not this repository's, so the inventory is not "ok"."""
    root = build_inventory(tmp_path / "inventory")
    elements = root / "elements"
    if attack == "file":
        shutil.rmtree(elements)
        elements.write_text("id: KZ-2013-0001\n", encoding="utf-8")
    elif attack == "link out":
        shutil.move(elements, tmp_path / "elsewhere")
        elements.symlink_to(tmp_path / "elsewhere")
    elif attack == "submodule":
        (root / ".git").mkdir()
        (root / ".gitmodules").write_text(
            '[submodule "elements"]\n\tpath = elements\n\turl = https://example.org/x.git\n',
            encoding="utf-8",
        )
    else:
        (elements / ".git").mkdir()
    code, report, _ = validate_json(root)
    assert code == 1
    assert report["ok"] is False
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [  # type: ignore[attr-defined]
        ("elements", "file.record-folder")
    ]


def test_nothing_was_executed() -> None:
    assert not Path("/tmp/ichinv-pwned").exists()


def test_the_whole_corpus_through_the_console_script(tmp_path: Path) -> None:
    root = build_inventory(tmp_path / "inventory")
    elements = root / "elements"
    for number, case in enumerate(CASES, start=100):
        name = case.file if case.file != "KZ-2013-0099.yaml" else f"KZ-2013-{number:04d}.yaml"
        (elements / name).write_bytes(case.content)
    (elements / "KZ-2013-0010.yaml").symlink_to(elements / "KZ-2013-0011.yaml")
    (elements / "KZ-2013-0011.yaml").symlink_to(elements / "KZ-2013-0010.yaml")
    (elements / "KZ-2013-0012.yaml").symlink_to(elements / "KZ-2013-0012.yaml")
    (elements / "KZ-2013-0013.yaml").symlink_to("/etc/passwd")
    os.mkfifo(elements / "KZ-2013-0014.yaml")
    script = Path(sys.executable).parent / "ichinv"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "ichinv"]
    for fmt in ("text", "json", "github"):
        started = time.monotonic()
        done = subprocess.run(
            [*command, "validate", "--format", fmt, "--no-cache"],
            cwd=root,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert time.monotonic() - started < 60
        out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert done.returncode == 1, err
        assert "Traceback" not in out + err
        if fmt == "json":
            report = json.loads(out)
            by_path = {f["path"] for f in report["findings"]}
            for name in ("0010", "0011", "0012", "0013", "0014"):
                assert f"elements/KZ-2013-{name}.yaml" in by_path
        else:
            # A file name cannot forge a report line: one line per finding, plus the summary.
            lines = out.splitlines()
            assert all(line.startswith(("elements/", "::", "failed:")) for line in lines), [
                line for line in lines if not line.startswith(("elements/", "::", "failed:"))
            ]


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A name git and Linux allow but no report can print: one finding, in every format,
    with the validation cache on (it stores paths as text)."""
    root = build_inventory(tmp_path / "inventory")
    elements = os.fsencode(root / "elements")
    for name in (b"KZ-2013-\xff.yaml", b"KZ-\xfe\xfe.yml"):
        with open(os.path.join(elements, name), "wb") as handle:
            handle.write(b"id: KZ-2013-0099\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = Path(sys.executable).parent / "ichinv"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "ichinv"]
    for fmt in ("text", "json", "github", "json"):
        done = subprocess.run(
            [*command, "validate", "--format", fmt],
            cwd=root,
            capture_output=True,
            env=env,
            check=False,
        )
        out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        assert done.returncode == 1, err
        if fmt == "json":
            found = json.loads(out)["findings"]
            assert {(f["path"], f["rule"]) for f in found} == {
                ("elements/KZ-2013-\\xff.yaml", "file.unreadable"),
                ("elements/KZ-\\xfe\\xfe.yml", "file.unreadable"),
            }
        else:
            assert "elements/KZ-2013-\\xff.yaml" in out and "elements/KZ-\\xfe\\xfe.yml" in out
    named = os.fsdecode(os.path.join(elements, b"KZ-2013-\xff.yaml"))
    done = subprocess.run(
        [*command, "validate", named], cwd=root, capture_output=True, env=env, check=False
    )
    assert done.returncode == 1
    assert "[file.unreadable]" in done.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "error",
    [RecursionError, MemoryError, ValueError, TypeError, AssertionError, NotImplementedError],
)
def test_a_parser_failure_of_any_kind_is_a_finding(
    error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other YAML readers crash on some inputs with these (shared/reference: 4FJ6, BEC7, P94K);
    should ours ever do so, the file gets a finding and the run goes on."""
    from ichinv.core.model import Finding, RecordKind
    from ichinv.inventory import record_files as records
    from ichinv.io import strict_yaml as yamlload

    def broken(raw: bytes, *, positions: bool = False) -> object:
        raise error("boom")

    monkeypatch.setattr(yamlload, "load", broken)
    found = records.parse(RecordKind.ELEMENT, "elements/KZ-2013-0099.yaml", b"id: x\n")
    assert isinstance(found, Finding)
    assert (found.rule, found.line, found.column) == ("yaml.unreadable", 1, 1)
    assert error.__name__ in found.message


@pytest.mark.parametrize("command", [["validate"], ["fmt", "--check"]])
def test_naming_a_loop_of_links_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from typer.testing import CliRunner

    from ichinv.cli.app import app

    root = build_inventory(tmp_path / "inventory")
    (root / "elements" / "KZ-2013-0012.yaml").symlink_to(root / "elements" / "KZ-2013-0012.yaml")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, [*command, "elements/KZ-2013-0012.yaml"])
    assert result.exit_code == 2, result.output
    assert "leads round in a loop" in result.output
