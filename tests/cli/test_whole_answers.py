"""No silent wrong answers: a command answers over all it was asked about, or names on stderr
what it could not read and exits 1; a filter or id that names nothing is a usage error (exit 2).

One inventory, one broken record: every command that reads the inventory must say so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.support.helpers import Result, commit
from tests.support.packet_inventory import build

Run = Callable[..., Result]
BROKEN = "elements/KZ-2013-0002.yaml"


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The packet inventory (git, baselines 2013 and 2024) with one record that is no YAML."""
    root = build(tmp_path / "inventory")
    (root / BROKEN).write_text("id: KZ-2013-0002\nnames: [kk: Айтыс\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


READING = {
    "list": ["list"],
    "list json": ["list", "--format", "json"],
    "list csv": ["list", "--format", "csv"],
    "list committee": ["list", "--audience", "committee"],
    "export csv": ["export"],
    "export json": ["export", "--format", "json"],
    "show another element": ["show", "KZ-2013-0001"],
    "progress": ["progress"],
    "progress json": ["progress", "--format", "json"],
    "report periodic": ["report", "periodic"],
    "index packet": ["packet"],
    "province packet": ["packet", "--province", "KZ-23"],
    "change packet": ["packet", "--since", "inventory-2024"],
    "diff-2013": ["diff-2013"],
    "diff json": ["diff", "--baseline", "2024", "--format", "json"],
}


@pytest.mark.parametrize("args", READING.values(), ids=READING.keys())
def test_every_reading_command_names_an_unreadable_record_and_exits_1(
    broken: Path, run: Run, args: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    assert "this answer is incomplete" in result.stderr
    assert f"{BROKEN}:2:" in result.stderr  # path:line of the problem
    assert "Traceback" not in result.stderr


def test_without_the_broken_record_the_same_commands_pass(broken: Path, run: Run) -> None:
    (broken / BROKEN).unlink()
    for args in READING.values():
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "incomplete" not in result.stderr


def test_the_province_packet_says_it_is_incomplete_at_the_top(broken: Path, run: Run) -> None:
    text = run("packet", "--province", "KZ-23").stdout
    top = text.split("\n## ")[0]
    assert "This packet is incomplete" in top
    assert BROKEN in text.split("\n## ")[-1]


def test_the_periodic_report_says_inside_itself_what_it_left_out(broken: Path, run: Run) -> None:
    """An outside test: saved with `>`, the report called itself complete ("Checked for this
    report on all 83 records"), and its JSON bore no mark of the file left out; only stderr
    (gone with the terminal) and the exit code told."""
    text = run("report", "periodic").stdout
    top, *__, last = text.split("\n## ")
    assert "This report is incomplete" in top
    assert "elements in the records that could be read" in top
    assert "on all" not in text and "on the 83 records" not in text
    assert "records that could be read: no public view shows" in text
    assert last.startswith("Files that could not be read")
    assert f"| `{BROKEN}:2:8` | `yaml.syntax` |" in last
    result = run("report", "periodic", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["incomplete"] == [
        {"path": BROKEN, "line": 2, "column": 8, "rule": "yaml.syntax"}
    ]


def test_the_report_names_no_file_whose_name_may_be_a_contact(broken: Path, run: Run) -> None:
    (broken / BROKEN).rename(broken / "elements" / "aigul.k5@example.org.yaml")
    for fmt in ("markdown", "json"):
        result = run("report", "periodic", "--format", fmt)
        assert result.exit_code == 1
        assert "elements/…" in result.stdout and "aigul" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [["show", "KZ-2013-0002"], ["show", "kz-2013-0002"], ["packet", "--element", "KZ-2013-0002"]],
)
def test_asking_for_the_unreadable_element_says_it_cannot_be_read(
    broken: Path, run: Run, args: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert "the record of KZ-2013-0002 cannot be read" in result.stderr
    assert BROKEN in result.stderr
    assert "there is no element" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("id_line", "said"),
    [
        ("", "has no text id"),
        ("id: KZ-2013-002\n", "has an id not in the form KZ-YYYY-NNNN"),
        ("id: aitys.team@example.org\n", "has an id not in the form KZ-YYYY-NNNN"),
    ],
    ids=["no id", "a malformed id", "an e-mail address as id"],
)
@pytest.mark.parametrize(
    "args", [["show", "kz-2013-0002"], ["packet", "--element", "KZ-2013-0002"]]
)
def test_asking_for_an_element_whose_file_has_no_valid_id_says_so(
    broken: Path, run: Run, args: list[str], id_line: str, said: str
) -> None:
    """The file named by the id is that element's record: it said "there is no element
    KZ-2013-0002" with unrelated suggestions (exit 2) while `list` named the file."""
    (broken / BROKEN).write_text(id_line + "names: {kk: Айтыс, ru: Айтыс}\n", encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    assert "the record of KZ-2013-0002 cannot be read" in result.stderr
    assert f"{BROKEN} {said}" in result.stderr
    assert "there is no element" not in result.stderr
    assert "did you mean" not in result.stderr
    assert "example.org" not in result.stderr  # the value is never quoted
    assert result.stdout == ""


def test_an_unreadable_record_not_named_for_its_id_is_still_found(broken: Path, run: Run) -> None:
    (broken / BROKEN).rename(broken / "elements" / "aitys.yaml")
    result = run("show", "KZ-2013-0002")
    assert result.exit_code == 1
    assert "cannot be read: elements/aitys.yaml" in result.stderr


@pytest.mark.parametrize("name", ["KZ-2013-0002.yaml", "aitys.yaml"])
@pytest.mark.parametrize(
    "args", [["show", "KZ-2013-0002"], ["packet", "--element", "KZ-2013-0002"]]
)
def test_a_record_in_a_folder_inside_elements_is_said_to_be_unreadable(
    broken: Path, run: Run, args: list[str], name: str
) -> None:
    """Its file name, else its `id:` line, names the element: `list` calls the answer
    incomplete for the folder, and `show` said "there is no element", did you mean, exit 2."""
    (broken / BROKEN).write_text(
        "id: KZ-2013-0002\nnames: {kk: Айтыс, ru: Айтыс}\n", encoding="utf-8"
    )
    (broken / "elements/sub").mkdir()
    (broken / BROKEN).rename(broken / "elements/sub" / name)
    result = run(*args)
    assert result.exit_code == 1, result.stderr
    # To the public, the folder is not named (its name may be anyone's: a second review).
    assert "the record of KZ-2013-0002 cannot be read: elements/…: no record is read" in (
        result.stderr
    )
    assert "there is no element" not in result.stderr
    assert result.stdout == ""
    committee = run(*args, "--audience", "committee")
    assert committee.exit_code == 1, committee.stderr
    assert "the record of KZ-2013-0002 cannot be read: elements/sub" in committee.stderr
    assert "records are files directly inside elements/" in committee.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "KZ-2013-0002"], ["list"], ["log", "KZ-2013-0002"], ["diff", "--baseline", "2024"]],
)
def test_a_record_file_without_its_ending_is_named_in_the_words_the_committee_reads(
    broken: Path, run: Run, args: list[str]
) -> None:
    """The public read "elements/KZ-2013-0002: error [file.extension] elements/… record
    file": the record paths in a problem's words were read up to the next `.yaml`, the
    message's own ("is not a .yaml record file") included, and the lot shown as `elements/…`."""
    (broken / BROKEN).rename(broken / "elements/KZ-2013-0002")
    commit(git.Repo(broken), "the record loses its ending")
    public, committee = (run(*args, "--audience", a) for a in ("public", "committee"))
    assert public.exit_code == committee.exit_code == 1, public.stderr
    assert "elements/KZ-2013-0002 is not a .yaml record file" in public.stderr
    assert public.stderr == committee.stderr


# --- filters and ids that name nothing -----------------------------------------------------------


@pytest.fixture
def whole(broken: Path) -> Path:
    (broken / BROKEN).unlink()
    return broken


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["diff-2013", "--domain", "crafts"], "'crafts' is not one of"),
        (["diff-2013", "--province", "KZ-44"], "there is no province KZ-44"),
        (["diff-2013", "--element", "KZ-2013-0999"], "no element KZ-2013-0999 is in the baseline"),
        (["diff-2013", "--element", "dombra"], "is not an element id"),
        (["diff-2013", "--exit-code", "--province", "KZ-44"], "there is no province KZ-44"),
        (["list", "--province", "KZ-44"], "there is no province KZ-44"),
        (["list", "--domain", "crafts"], "'crafts' is not one of"),
        (["log", "KZ-2013-0999"], "no element KZ-2013-0999"),
        (["packet", "--element", "KZ-2013-0999"], "there is no element KZ-2013-0999"),
    ],
)
def test_a_filter_or_id_that_names_nothing_is_a_usage_error(
    whole: Path, run: Run, args: list[str], said: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert said in result.stderr
    assert "No differences" not in result.stdout


def test_close_ids_are_suggested(whole: Path, run: Run) -> None:
    result = run("diff-2013", "--element", "KZ-2013-0003")
    assert "did you mean" in result.stderr and "KZ-2013-0001" in result.stderr


# --- one way to name things ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "kz-2013-0001"],
        ["log", "kz-2013-0001"],
        ["packet", "--element", "kz-2013-0001"],
        ["packet", "--province", "kz-23"],
        ["list", "--province", " kz-23"],
        ["diff-2013", "--element", "kz-2013-0001"],
        ["diff-2013", "--province", "kz-23"],
        ["list", "--category", "v"],
        ["list", "--domain", "Oral-Traditions"],
        ["export", "--status", "ACTIVE"],
        ["diff-2013", "--status", "Revised"],
    ],
)
def test_ids_and_values_are_taken_in_any_case(whole: Path, run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr


def test_lifecycle_commands_take_ids_in_any_case(whole: Path, run: Run) -> None:
    result = run(
        "merge", "kz-2024-0001", "--into", "kz-2013-0001", "--reason", "One practice", "--date",
        "2026-01-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "merged_into: KZ-2013-0001" in (whole / "elements/KZ-2024-0001.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "--baseline", "2013", "--against", "2024", "--format", "json"],
        ["packet", "--since", "2024"],
        ["validate", "--new-since", "2024"],
    ],
)
def test_every_revision_option_takes_a_baseline_name(
    whole: Path, run: Run, args: list[str]
) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.stderr
    assert "not found" not in result.stderr


def test_against_a_baseline_name_is_that_baseline(whole: Path, run: Run) -> None:
    by_name = run("diff", "--baseline", "2013", "--against", "2024", "--format", "json")
    by_tag = run("diff", "--baseline", "2013", "--against", "inventory-2024", "--format", "json")
    assert by_name.stdout.replace('"2024"', '"inventory-2024"') == by_tag.stdout.replace(
        '"2024"', '"inventory-2024"'
    )


# --- the change packet ---------------------------------------------------------------------------


def test_the_change_packet_flags_a_deleted_record_in_its_checklist(whole: Path, run: Run) -> None:
    (whole / "elements/KZ-2024-0001.yaml").unlink()
    result = run("packet", "--since", "HEAD")
    assert result.exit_code == 0, result.stderr
    section = result.stdout.split("KZ-2024-0001")[1]
    assert "❌ **Retired or merged rather than deleted?**" in section
    assert "ichinv retire" in section


def test_an_unreadable_past_version_is_not_blamed_on_the_record_under_review(
    whole: Path, run: Run
) -> None:
    import git as gitpython

    from tests.support.helpers import commit

    path = whole / "elements/KZ-2013-0001.yaml"
    good = path.read_text("utf-8")
    path.write_text(good + "x: [\n", "utf-8")
    commit(gitpython.Repo(whole), "A broken record")
    path.write_text(good.replace("Nauryz", "Nauryz meirami"), "utf-8")
    result = run("packet", "--since", "HEAD")
    assert result.exit_code == 1
    assert "this answer is incomplete" in result.stderr
    section = result.stdout.split("## `KZ-2013-0001`")[1].split("\n## ")[0]
    base_note, findings = section.split("### Validation findings")
    assert "could not be read" in base_note and "yaml." in base_note
    assert "No findings." in findings  # the record under review is fine


def test_a_doubled_id_in_a_packet_is_counted_once_a_file_and_said_one_way(
    whole: Path, run: Run
) -> None:
    """The inventory uses the first file, the comparison gives the element no status: it said
    the comparison showed the second file, and counted that file twice; and both files were
    read, so they are said to hold one id, not to be unreadable (an outside review)."""
    path = whole / "elements/KZ-2013-0001.yaml"
    (whole / "elements/KZ-2013-0001b.yaml").write_bytes(path.read_bytes())
    result = run("packet", "--since", "HEAD")
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert "2 record files hold an id another file holds too, and are left out" in said
    assert "could not be read" not in said
    assert "the diff shows" not in result.stderr
    assert "KZ-2013-0001 in 2 files" in result.stderr
    assert "— added" not in result.stdout


def _with_reader_gone(root: Path, *args: str) -> tuple[int, str]:
    """Run ichinv with standard output a pipe nobody reads any more (`| head -c 10` once head
    has what it wanted): every write to it fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ichinv", *args],
            cwd=root,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["diff-2013", "--province", "KZ-23"],
        ["diff-2013", "--domain", "craftsmanship"],
        ["diff-2013", "--status", "revised", "--exit-code"],
        ["diff", "--baseline", "2024", "--province", "KZ-23"],
        ["diff", "--baseline", "2013", "--domain", "craftsmanship", "--format", "json"],
        ["diff", "--baseline", "2024", "--province", "KZ-23", "--format", "markdown"],
        ["list", "--province", "KZ-23"],
    ],
)
def test_a_filter_does_not_hide_an_added_record_that_cannot_be_read(
    whole: Path, run: Run, args: list[str]
) -> None:
    """Whether the broken record is in KZ-23 or of that domain cannot be known: diff left it
    out without a word (exit 0) while `list` and `packet` with the same filter named it."""
    added = "elements/KZ-2026-0001.yaml"
    (whole / added).write_text(
        "id: KZ-2026-0001\ndomains: [craftsmanship]\nprovinces: [KZ-23\n", encoding="utf-8"
    )
    result = run(*args)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "this answer is incomplete" in result.stderr
    assert f"{added}:" in result.stderr
    if "json" in args:
        problems = json.loads(result.stdout)["problems"]
        assert [p["path"] for p in problems] == [added]


def test_a_reader_that_goes_away_does_not_cut_the_report_on_unread_files(broken: Path) -> None:
    code, stderr = _with_reader_gone(broken, "diff", "--baseline", "2024", "--format", "json")
    assert (code, "this answer is incomplete" in stderr) == (1, True), stderr
    assert "Traceback" not in stderr


def test_a_reader_that_goes_away_does_not_change_the_exit_code(whole: Path) -> None:
    code, stderr = _with_reader_gone(
        whole, "diff", "--baseline", "2013", "--format", "json", "--exit-code"
    )
    assert code == 1, stderr  # differences, as when the whole answer is read


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"]])
def test_help_and_version_for_a_reader_gone_exit_0_without_a_word(
    whole: Path, args: list[str]
) -> None:
    # `ichinv --help | true`: click's own handling said nothing and exited 1.
    assert _with_reader_gone(whole, *args) == (0, "")


def _with_closed(root: Path, fd: int, *args: str, lang: str = "en") -> tuple[int, str, str]:
    """Run ichinv with standard output (fd 1) or standard error (fd 2) closed, as `>&-` or
    `2>&-` leave them."""
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", *args],
        cwd=root,
        stdout=subprocess.PIPE if fd != 1 else None,
        stderr=subprocess.PIPE if fd != 2 else None,
        env=os.environ | {"ICHINV_LANG": lang},
        preexec_fn=lambda: os.close(fd),
        timeout=120,
        check=False,
    )
    return done.returncode, (done.stdout or b"").decode(), (done.stderr or b"").decode()


@pytest.mark.parametrize("args", [["validate"], ["list"], ["diff-2013", "--format", "json"]])
def test_closed_standard_output_is_said_in_plain_words_and_exit_2(
    whole: Path, args: list[str]
) -> None:
    code, __, stderr = _with_closed(whole, 1, *args)
    assert code == 2, stderr
    assert "standard output is closed" in stderr and "internal error" not in stderr
    code, __, stderr = _with_closed(whole, 1, *args, lang="kk")
    assert (code, "стандартты шығыс жабық" in stderr) == (2, True), stderr


def test_closed_standard_output_is_said_in_the_language_of_lang(whole: Path) -> None:
    code, __, stderr = _with_closed(whole, 1, "list", "--lang", "ru")
    assert (code, "стандартный вывод закрыт" in stderr) == (2, True), stderr


def test_closed_standard_error_changes_nothing_but_what_is_said(whole: Path) -> None:
    code, stdout, __ = _with_closed(whole, 2, "validate", "--format", "json")
    assert (
        code
        == subprocess.run(
            [sys.executable, "-m", "ichinv", "validate"],
            cwd=whole,
            capture_output=True,
            check=False,
        ).returncode
    )
    assert '"findings"' in stdout


def _ichinv(root: Path, *args: str, **streams: Any) -> subprocess.CompletedProcess[bytes]:
    """`python -m ichinv ARGS` in `root`, messages in English, with the standard streams
    given (`stdout=`, `stderr=`)."""
    return subprocess.run(
        [sys.executable, "-m", "ichinv", *args],
        cwd=root,
        env=os.environ | {"ICHINV_LANG": "en"},
        timeout=120,
        check=False,
        **streams,
    )


@pytest.mark.parametrize("args", [["show", "KZ-2099-0001"], ["validate", "--bogus"]])
def test_a_usage_error_exits_2_with_standard_error_closed_or_full(
    whole: Path, args: list[str]
) -> None:
    # Found by an outside test: exit 1, the error message's own write having failed.
    code, __, __ = _with_closed(whole, 2, *args)
    assert code == 2
    with open("/dev/full", "wb") as full:
        done = _ichinv(whole, *args, stdout=subprocess.DEVNULL, stderr=full)
    assert done.returncode == 2


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"]])
def test_help_and_version_on_a_full_disk_are_said_in_plain_words(
    whole: Path, args: list[str]
) -> None:
    # Written before any command runs, outside the error boundary: a traceback and exit 1.
    with open("/dev/full", "wb") as full:
        done = _ichinv(whole, *args, stdout=full, stderr=subprocess.PIPE)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "no space left" in stderr and "Traceback" not in stderr


def test_standard_output_open_for_reading_only_is_said_in_plain_words(whole: Path) -> None:
    with open(os.devnull, "rb") as reading:
        done = _ichinv(whole, "validate", stdout=reading, stderr=subprocess.PIPE)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "not open for writing" in stderr and "internal error" not in stderr


@pytest.mark.parametrize(
    "args", [["show", "KZ-2024-0001"], ["list", "-f", "json"], ["packet", "--lang", "kk"]]
)
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}])
def test_standard_output_is_utf_8_whatever_the_locale_asks(
    whole: Path, args: list[str], env: dict[str, str]
) -> None:
    """An outside test: with PYTHONIOENCODING=ascii, `show`, `list -f csv` and `packet --lang
    kk` wrote the records' text as `\\u0418…` escapes and exited 0. Standard output carries
    data: it is UTF-8, as under LANG=C."""
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", *args],
        cwd=whole,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL")} | env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")
    assert "\\u04" not in text
    assert any("\u0400" <= c <= "\u04ff" for c in text)
