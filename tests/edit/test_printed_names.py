"""A record file's name is printed as `validate` prints it, by every command that names it.

An outside attacker's report: a file named `x` + line break + `::error title=FAKE::everything
is fine.yaml` made `fmt --check` print a line of its own, `::error title=FAKE::…`, which GitHub
Actions takes for a workflow command, and an escape sequence in a name reached the terminal;
`validate` printed the same names escaped (`\\n`, `\\x1b`). fmt's `would reformat`, `cannot
format` and diff, migrate's `cannot migrate`, retire's `wrote` and import's rows now print them
so too (ichinv.render.plain.one_line).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import Result, element_yaml

Run = Callable[..., Result]

HOSTILE = "KZ-2026-0009\n::error title=FAKE::everything is fine\x1b[31m.yaml"
SHOWN = "KZ-2026-0009\\n::error title=FAKE::everything is fine\\x1b[31m.yaml"


def assert_escaped(text: str) -> None:
    """No line of `text` is a workflow command, no escape reaches the terminal, and the name
    is there as validate shows it."""
    assert not any(line.startswith("::") for line in text.splitlines()), text
    assert "\x1b" not in text, text
    assert SHOWN in text, text


@pytest.fixture
def hostile(inventory: Path) -> Path:
    """An untidy record (fmt would rewrite it) in a file of a hostile name."""
    path = inventory / "elements" / HOSTILE
    path.write_text(element_yaml("KZ-2026-0009").replace("status: active", "status:   active"))
    return path


@pytest.mark.parametrize("args", [("fmt", "--check"), ("fmt", "--diff"), ("fmt",)], ids=" ".join)
def test_fmt_prints_the_name_escaped(hostile: Path, run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert_escaped(result.stdout)
    if "--diff" in args:
        assert f"--- a/elements/{SHOWN}\n+++ b/elements/{SHOWN}\n@@ " in result.stdout


@pytest.mark.parametrize("command", ["fmt", "migrate"])
def test_a_record_that_cannot_be_read_is_named_escaped(
    hostile: Path, run: Run, command: str
) -> None:
    hostile.write_text("id: [\n", encoding="utf-8")
    result = run(command, "--check")
    assert result.exit_code == 1
    assert f"cannot {'format' if command == 'fmt' else 'migrate'} elements/{SHOWN}" in result.stdout
    assert_escaped(result.stdout)


def test_retire_prints_the_name_escaped(hostile: Path, run: Run) -> None:
    result = run(
        "retire", "KZ-2026-0009", "--reason", "No longer practised.", "--date", "2026-01-01"
    )
    assert result.exit_code == 0, result.stderr
    assert_escaped(result.stdout)


def test_import_prints_the_name_escaped(hostile: Path, run: Run) -> None:
    exported = run("export", "--audience", "committee", "-f", "csv")
    rows = list(csv.reader(io.StringIO(exported.stdout.lstrip("\ufeff"))))
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("id")] == "KZ-2026-0009")
    row[header.index("names.en")] = "Aitys anew"
    table = hostile.parent.parent.parent / "edited.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, row])
    result = run("import", "--dry-run", str(table))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert_escaped(result.stdout)
