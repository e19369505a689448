"""`ichinv validate` through the CLI: formats, exit codes, subsets, and never a traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result

Run = Callable[..., Result]
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) \[(?P<rule>[\w.-]+)\] .+$"
)


def break_domain(root: Path) -> None:
    path = root / "elements" / "KZ-2013-0002.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("oral-traditions, ", "oral-tradition, "),
        encoding="utf-8",
    )


def test_a_valid_inventory_exits_0(inventory: Path, run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.strip() == "ok: 6 files checked, 0 errors, 0 warnings, 0 info"


def test_text_lines_name_path_line_column_severity_rule(inventory: Path, run: Run) -> None:
    break_domain(inventory)
    result = run("validate")
    assert result.exit_code == 1
    first, summary = result.stdout.splitlines()
    match = LINE.match(first)
    assert match, first
    assert match.groupdict() | {} == {
        "path": "elements/KZ-2013-0002.yaml",
        "line": "6",
        "col": "11",
        "sev": "error",
        "rule": "schema.enum",
    }
    assert 'did you mean "oral-traditions"' in first
    assert summary.startswith("failed: 6 files checked, 1 error")


def test_json_follows_the_spec(inventory: Path, run: Run) -> None:
    break_domain(inventory)
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["checked"] == 6
    [finding] = document["findings"]
    assert {k: finding[k] for k in ("path", "line", "column", "rule", "severity", "pointer")} == {
        "path": "elements/KZ-2013-0002.yaml",
        "line": 6,
        "column": 11,
        "rule": "schema.enum",
        "severity": "error",
        "pointer": "/domains/0",
    }
    assert isinstance(finding["message"], str) and finding["message"]


def test_github_annotations(inventory: Path, run: Run) -> None:
    break_domain(inventory)
    result = run("validate", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "::error file=elements/KZ-2013-0002.yaml,line=6,col=11,title=schema.enum::"
    )


def test_validating_one_file_still_checks_references_against_all(inventory: Path, run: Run) -> None:
    element = inventory / "elements" / "KZ-2013-0002.yaml"
    element.write_text(
        element.read_text(encoding="utf-8").replace("[KZ-43]", "[KZ-44]"), encoding="utf-8"
    )
    (inventory / "elements" / "KZ-2013-0003.yaml").write_text(
        "id: KZ-2013-0003\n", encoding="utf-8"
    )
    result = run("validate", "elements/KZ-2013-0002.yaml", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert document["checked"] == 1
    assert [(f["path"], f["rule"]) for f in document["findings"]] == [
        ("elements/KZ-2013-0002.yaml", "ref.province")
    ]


def test_a_duplicate_id_names_the_other_file(inventory: Path, run: Run) -> None:
    source = (inventory / "elements" / "KZ-2013-0002.yaml").read_text(encoding="utf-8")
    (inventory / "elements" / "KZ-2013-0003.yaml").write_text(source, encoding="utf-8")
    result = run("validate", "elements/KZ-2013-0002.yaml")
    assert (
        "[id.unique] the id KZ-2013-0002 is also used by elements/KZ-2013-0003.yaml"
        in result.stdout
    )


def test_the_hints_of_a_doubled_id_name_the_file_to_renumber(inventory: Path, run: Run) -> None:
    """An outside review: the file named by the id was told to renumber itself, which
    `renumber` refuses (its id is published); the copy is the one to renumber."""
    source = (inventory / "elements" / "KZ-2013-0002.yaml").read_text(encoding="utf-8")
    (inventory / "elements" / "KZ-2026-0099.yaml").write_text(source, encoding="utf-8")
    result = run("validate", "--format", "json")
    hints = {
        f["path"]: f["hint"]
        for f in json.loads(result.stdout)["findings"]
        if f["rule"] == "id.unique"
    }
    assert hints.keys() == {"elements/KZ-2013-0002.yaml", "elements/KZ-2026-0099.yaml"}
    for hint in hints.values():
        assert "`ichinv renumber elements/KZ-2026-0099.yaml`" in hint
        assert "renumber elements/KZ-2013-0002.yaml" not in hint


def test_warnings_alone_exit_0(inventory: Path, run: Run) -> None:
    element = inventory / "elements" / "KZ-2013-0002.yaml"
    element.write_text(
        element.read_text(encoding="utf-8").replace(
            "  evidence: Committee archive, consent file 2025/002\n", ""
        ),
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 0
    assert "warning [consent.evidence]" in result.stdout


def test_usage_errors_exit_2(inventory: Path, run: Run, tmp_path: Path) -> None:
    assert run("validate", "--format", "xml").exit_code == 2
    outside = run("validate", str(tmp_path))
    assert outside.exit_code == 2
    assert "is not inside the inventory" in outside.stderr


def test_no_inventory_exits_2_with_a_hint(tmp_path: Path, run: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no inventory found")
    assert "hint: " in result.stderr


def test_a_current_folder_deleted_meanwhile_is_an_environment_error(
    inventory: Path, tmp_path: Path
) -> None:
    """Started in a folder that was then deleted: exit 2 in plain words, not a bug (3);
    --repo with an absolute path still works."""
    script = 'mkdir gone && cd gone && rmdir ../gone && exec "$0" -m ichinv validate "$@"'
    for extra, code in (([], 2), (["--repo", "elsewhere"], 2), (["--repo", str(inventory)], 0)):
        done = subprocess.run(
            ["sh", "-c", script, sys.executable, *extra],
            cwd=tmp_path, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == code, done.stderr
        if code == 2:
            assert done.stderr.startswith("error: the current folder no longer exists")
            assert "Traceback" not in done.stderr


def test_repo_option(inventory: Path, run: Run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert run("validate", "--repo", str(inventory)).exit_code == 0


def test_a_missing_file_has_no_position(inventory: Path, run: Run) -> None:
    document = json.loads(run("validate", "elements/KZ-2013-0077.yaml", "-f", "json").stdout)
    [finding] = document["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("file.missing", None, None)


def test_a_file_of_the_inventory_that_is_no_record_is_said_to_be_none(
    inventory: Path, run: Run
) -> None:
    """pyproject.toml exists: it was reported as `file.missing`, a rule for missing files."""
    document = json.loads(run("validate", "pyproject.toml", "-f", "json").stdout)
    [finding] = document["findings"]
    assert (finding["rule"], finding["path"]) == ("file.not-record", "pyproject.toml")
    assert finding["message"] == (
        "pyproject.toml is not a record file under elements/ or provinces/"
    )
    missing = json.loads(run("validate", "elements/KZ-2013-0077.yaml", "-f", "json").stdout)
    assert missing["findings"][0]["message"] == "elements/KZ-2013-0077.yaml does not exist"


def test_broken_settings_exit_2(inventory: Path, run: Run) -> None:
    (inventory / "pyproject.toml").write_text(
        "[tool.ichinv]\nvisibility = 'secret'\n", encoding="utf-8"
    )
    result = run("validate")
    assert result.exit_code == 2
    assert "visibility must be 'public' or 'private'" in result.stderr


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ("[tool.ichinv]\nmax_file_size = 1" + "0" * 5000 + "\n", "a number in it is too long"),
        ("[tool.ichinv]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "its arrays nest too deeply"),
        ('[tool.ichinv]\nbaselines = "x"\n', "baselines must be a table of names and git"),
        ("[tool.ichinv]\nprivate_overlay = 5\n", "private_overlay must be text, in quotes"),
        ('[tool.ichinv]\nprivate_overlay = "a\\u0000b"\n', "private_overlay holds a NUL character"),
        ('[tool.ichinv]\nprivate_overlay = ["a"]\n', "private_overlay must be text"),
        ("[tool.ichinv]\ndefault_baseline = 2013\n", "default_baseline must be text"),
        ("[tool.ichinv]\nmain_branch = {x = 1}\n", "main_branch must be text"),
        (
            '[tool.ichinv.baselines]\n2013 = { rev = "v1", label = { a = 1 } }\n',
            "baseline '2013' needs a git revision",
        ),
        (
            '[tool.ichinv.baselines]\n2013 = { rev = "v1", extra = [1] }\n',
            "baseline '2013' needs a git revision",
        ),
    ],
)
def test_settings_of_another_form_are_a_configuration_error(
    inventory: Path, run: Run, settings: str, said: str
) -> None:
    """Found by an outside review: each was an internal error (exit 3) in every command."""
    (inventory / "pyproject.toml").write_text(settings, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2, result.stderr
    assert said in result.stderr
    assert "internal error" not in result.stderr


def test_console_script_never_shows_a_traceback(inventory: Path) -> None:
    (inventory / "elements" / "KZ-2013-0009.yaml").write_bytes(b"\xff\xfe\x00garbage: [\n")
    (inventory / "elements" / "KZ-2013-0010.yaml").write_bytes(
        b"a: !!python/object/apply:os.system ['true']\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", "validate"],
        cwd=inventory,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "[yaml.encoding]" in done.stdout and "[yaml.tag]" in done.stdout


def test_an_expired_suppression_in_settings_is_reported_at_its_table(
    inventory: Path, run: Run
) -> None:
    break_domain(inventory)
    settings = inventory / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\n[[tool.ichinv.suppress]]\nrule = "id.year"\npath = "elements/*"\n'
        + 'reason = "Numbers kept from the 2013 order"\nuntil = "2099-12-31"\n'
        + '\n[[tool.ichinv.suppress]]\nrule = "schema.enum"\npath = "elements/KZ-2013-*.yaml"\n'
        + 'reason = "Domain names under review"\nuntil = "2020-01-01"\n',
        encoding="utf-8",
    )
    lines = settings.read_text(encoding="utf-8").splitlines()
    table = [n for n, line in enumerate(lines, start=1) if line == "[[tool.ichinv.suppress]]"][1]
    result = run("validate")
    assert result.exit_code == 1
    expired = [line for line in result.stdout.splitlines() if "[suppression.expired]" in line]
    # Not at the glob (no such file): at the suppression's own table in the settings file.
    assert expired == [
        f"pyproject.toml:{table}:1: error [suppression.expired] the suppression of schema.enum "
        "for elements/KZ-2013-*.yaml expired on 2020-01-01 (reason given: Domain names under "
        "review); hint: fix what the rule reports, or renew the suppression with a new date and "
        "the committee's reason"
    ]


def test_a_records_folder_that_is_a_file_is_not_ok(inventory: Path, run: Run) -> None:
    shutil.rmtree(inventory / "provinces")
    (inventory / "provinces").write_text("id: KZ-23\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert (
        "provinces: error [file.record-folder] provinces/ is a file, not a folder" in result.stdout
    )
    assert not result.stdout.startswith("ok")


def test_a_folder_named_like_a_record_is_reported_not_passed_over(
    inventory: Path, run: Run
) -> None:
    folder = inventory / "elements" / "KZ-2013-0009.yaml"
    folder.mkdir()
    (folder / "KZ-2013-0009.yaml").write_text("id: KZ-2013-0009\n", encoding="utf-8")
    result = run("validate", "elements/KZ-2013-0009.yaml")
    assert result.exit_code == 1
    assert "elements/KZ-2013-0009.yaml: error [file.folder]" in result.stdout
    assert "ok: 0 files" not in result.stdout


def test_a_folder_inside_elements_that_holds_nothing_is_no_problem(
    inventory: Path, run: Run
) -> None:
    """`git mv` out of a folder leaves it behind, empty, and git does not keep it: it failed
    every run on the editor's machine (and made every packet incomplete) but not in CI. One
    that holds anything, at any depth, may hold a record: still an error."""
    (inventory / "elements" / "old" / "older").mkdir(parents=True)
    assert run("validate").exit_code == 0
    (inventory / "elements" / "KZ-2013-0009.yaml").mkdir()  # named as a record: one?
    assert "elements/KZ-2013-0009.yaml: error" in run("validate").stdout
    (inventory / "elements" / "KZ-2013-0009.yaml").rmdir()
    (inventory / "elements" / "old" / "older" / "notes.txt").write_text("x\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1 and "elements/old: error [file.folder]" in result.stdout


def test_a_folder_git_mv_emptied_is_no_problem_and_a_file_it_replaced_is(
    git_inventory: Path, run: Run
) -> None:
    import git

    repo = git.Repo(git_inventory)
    (git_inventory / "elements" / "old").mkdir()
    repo.git.mv("elements/KZ-2013-0002.yaml", "elements/old/KZ-2013-0002.yaml")
    repo.git.commit("-qm", "moved into a folder")
    repo.git.mv("elements/old/KZ-2013-0002.yaml", "elements/KZ-2013-0002.yaml")
    assert (git_inventory / "elements" / "old").is_dir()  # left behind, empty
    (git_inventory / "elements" / "K*").mkdir()  # git is asked of its name, not of a pattern
    assert run("validate").exit_code == 0
    # A record replaced by an empty folder of its name: git's index holds a file there.
    repo.git.commit("-qm", "moved back")
    (git_inventory / "elements" / "KZ-2013-0002.yaml").unlink()
    (git_inventory / "elements" / "KZ-2013-0002.yaml").mkdir()
    assert run("validate").exit_code == 1


def test_a_folder_without_records_is_never_ok(inventory: Path, run: Run) -> None:
    (inventory / "docs").mkdir()
    document = json.loads(run("validate", "docs", "-f", "json").stdout)
    assert document["ok"] is False
    [finding] = document["findings"]
    assert (finding["path"], finding["rule"]) == ("docs", "file.missing")
    assert "holds no record file" in finding["message"]


def test_a_folder_named_reports_what_is_not_a_record_in_it(inventory: Path, run: Run) -> None:
    (inventory / "elements" / ".KZ-2013-0009.yaml").write_text("id: x\n", encoding="utf-8")
    (inventory / "elements" / "notes.txt").write_text("x\n", encoding="utf-8")
    for named in ("elements", "elements/", ".", str(inventory)):
        document = json.loads(run("validate", named, "-f", "json").stdout)
        assert {(f["path"], f["rule"]) for f in document["findings"]} == {
            ("elements/.KZ-2013-0009.yaml", "file.hidden"),
            ("elements/notes.txt", "file.extension"),
        }, named
    provinces = json.loads(run("validate", "provinces", "-f", "json").stdout)
    assert (provinces["ok"], provinces["findings"]) == (True, [])
    assert provinces["checked"] == len(list((inventory / "provinces").glob("*.yaml")))


def test_a_record_format_newer_than_this_ichinv_says_to_update(inventory: Path, run: Run) -> None:
    path = next((inventory / "elements").glob("*.yaml"))
    path.write_text("schema_version: 2\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert "[schema.maximum]" in result.stdout
    assert "newer record format than this ichinv knows: update ichinv" in result.stdout


def test_a_suppression_whose_field_is_not_text_is_a_schema_finding(
    inventory: Path, run: Run
) -> None:
    """A record's suppression with `pointer: 5` suppresses nothing: the schema names it (found
    by an outside review: it ended `validate` with an internal error)."""
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "suppressions:\n  - rule: schema.type\n    pointer: 5\n    reason: Checking.\n"
        + "    until: 2099-12-31\n",
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "[schema.type]" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("field", ["pointer = 5", "pointer = []", "path = 5", 'path = ["a"]'])
def test_a_settings_suppression_whose_path_or_field_is_not_text_is_refused(
    inventory: Path, run: Run, field: str
) -> None:
    """Found by an outside review: a number ended `validate` with an internal error, a list
    was taken without a word and suppressed nothing."""
    settings = inventory / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\n[[tool.ichinv.suppress]]\nrule = "ref.province"\nreason = "r"\n'
        + f'until = "2099-12-31"\n{field}\n',
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "a path and pointer only as text" in result.stderr


def test_a_settings_suppression_until_no_day_of_the_calendar_is_refused(
    inventory: Path, run: Run
) -> None:
    """`until = "2099-02-30"` was taken, and the suppression was active."""
    settings = inventory / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\n[[tool.ichinv.suppress]]\nrule = "ref.province"\nreason = "r"\n'
        + 'until = "2099-02-30"\n',
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert 'suppression 1: until = "2099-02-30" is no day of the calendar' in result.stderr


@pytest.mark.parametrize(
    ("named", "hint"),
    [("*", "docs/en/rules.md lists every rule"), ("date.ordr", "did you mean `date.order`?")],
)
def test_a_settings_suppression_of_no_rule_is_refused(
    inventory: Path, run: Run, named: str, hint: str
) -> None:
    """`rule = "*"` (or a typo) matched nothing, without a word: the settings' suppressions
    are never reported unused, so the committee believed its findings accepted."""
    settings = inventory / "pyproject.toml"
    before = settings.read_text(encoding="utf-8")
    settings.write_text(
        before + f'\n[[tool.ichinv.suppress]]\nrule = "{named}"\nreason = "r"\n'
        'until = "2099-12-31"\n',
        encoding="utf-8",
    )
    line = len(before.splitlines()) + 2
    for command in (["validate"], ["validate", "--format", "sarif"]):
        result = run(*command)
        assert result.exit_code == 2, result.stdout + result.stderr
        said = " ".join(result.stderr.split())
        assert (
            f"pyproject.toml:{line}: suppression 1: rule = '{named}' is no rule of ichinv" in said
        )
        assert hint in said
        assert "Traceback" not in said
    for named in ("schema.enum", "date.order"):  # the schema's rules and ichinv's own
        settings.write_text(
            before + f'\n[[tool.ichinv.suppress]]\nrule = "{named}"\nreason = "r"\n'
            'until = "2099-12-31"\n',
            encoding="utf-8",
        )
        assert run("validate").exit_code == 0


def test_a_record_suppression_of_no_rule_says_so(inventory: Path, run: Run) -> None:
    """It was "no longer covers any finding", of a suppression that never could."""
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "suppressions:\n  - rule: date.ordr\n    reason: Checking.\n    until: 2099-12-31\n",
        encoding="utf-8",
    )
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    [found] = json.loads(result.stdout)["findings"]
    assert found["rule"] == "suppression.unused"
    assert found["pointer"] == "/suppressions/0/rule"
    assert found["message"] == (
        "the suppression of date.ordr covers nothing: ichinv has no such rule"
    )
    assert found["hint"].startswith("did you mean `date.order`?")


@pytest.mark.parametrize("value", ["garbage", "2099-02-30"])
def test_today_fixed_to_no_day_is_refused_by_every_command(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """ICHINV_TODAY=garbage was ignored without a word: the dates were judged as of today."""
    monkeypatch.setenv("ICHINV_TODAY", value)
    for command in (["validate"], ["list"]):
        result = run(*command)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert result.stdout == ""
        assert f"ICHINV_TODAY is '{value}'" in result.stderr


def test_a_record_suppression_until_no_date_hides_nothing(inventory: Path, run: Run) -> None:
    """`until: forever` never expired (it was compared as text) and hid the schema's finding
    about itself: the suppression is not taken, and the schema names the value."""
    path = inventory / "elements" / "KZ-2013-0002.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "suppressions:\n  - rule: schema.pattern\n    reason: Checking.\n    until: forever\n",
        encoding="utf-8",
    )
    result = run("validate")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "[schema.pattern]" in result.stdout and "suppressed" not in result.stdout
