"""Packets and reports a reviewer reads in one pass: every chart has its numbers in a table,
every share table adds up to 100 %, ids never break in a table cell, one state per checklist
item, legends said once, and no Markdown meant for a comment is longer than a comment without
saying what it left out."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ichinv.core.model import Change, ChangeKind, DiffResult, ElementDiff, ElementStatus
from ichinv.render import diff as diff_report
from tests.support.helpers import Result

Run = Callable[..., Result]

KINDS = {
    "index": [],
    "province": ["--province", "KZ-23"],
    "element": ["--element", "KZ-2013-0001"],
}
MERMAID = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """Every packet kind of the repository's own inventory, in every language."""
    import shutil

    from typer.testing import CliRunner

    from ichinv.cli.app import app
    from tests.support.helpers import REPO_ROOT

    root = tmp_path_factory.mktemp("copy")
    for name in ("elements", "provinces", "schema", "templates"):
        shutil.copytree(REPO_ROOT / name, root / name)
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    found = {}
    for kind, args in KINDS.items():
        for lang in ("en", "kk", "ru"):
            result = CliRunner().invoke(app, ["packet", "--repo", str(root), "--lang", lang, *args])
            assert result.exit_code == 0, result.stderr
            found[(kind, lang)] = result.stdout
    return found


def tables(text: str) -> Iterator[tuple[int, list[str], list[list[str]]]]:
    """(offset, header cells, rows of cells) of every Markdown table."""
    lines = text.split("\n")
    offset = 0
    i = 0
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    while i < len(lines) - 1:
        if lines[i].startswith("| ") and re.match(r"^\| -", lines[i + 1]):
            header = _cells(lines[i])
            j = i + 2
            rows = []
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(_cells(lines[j]))
                j += 1
            yield starts[i], header, rows
            i = j
        else:
            i += 1


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def test_every_share_table_adds_up_to_100(packets: dict[tuple[str, str], str]) -> None:
    checked = 0
    for (kind, lang), text in packets.items():
        for _, header, rows in tables(text):
            shares = [r[-1] for r in rows if r and r[-1].endswith("%")]
            if len(header) == 3 and shares and not any("▓" in r[-1] for r in rows):
                total = sum(int(s.rstrip(" %")) for s in shares)
                counts = sum(int(r[1].strip("*")) for r in rows)
                assert total == (100 if counts else 0), (kind, lang, header, rows)
                checked += 1
    assert checked > 10


def test_every_chart_has_its_numbers_in_the_table_before_it(
    packets: dict[tuple[str, str], str],
) -> None:
    charts = 0
    for (kind, lang), text in packets.items():
        found = list(tables(text))
        for chart in MERMAID.finditer(text):
            before = [t for t in found if t[0] < chart.start()]
            assert before, (kind, lang)
            _, _, rows = before[-1]
            in_table = {re.sub(r"\D", "", cell) for row in rows for cell in row}
            body = chart.group(1)
            numbers = re.findall(r":\s*(\d+)\s*$", body, re.MULTILINE)  # pie slices
            for series in re.findall(r"^\s*(?:bar|line) \[([^\]]*)\]", body, re.MULTILINE):
                numbers += [n.strip() for n in series.split(",")]
            assert numbers, body
            assert set(numbers) <= in_table, (kind, lang, body, rows)
            charts += 1
    assert charts >= 9


def test_progress_to_a_target_is_a_bar_chart_never_a_pie(
    packets: dict[tuple[str, str], str],
) -> None:
    for lang in ("en", "kk", "ru"):
        province = packets[("province", lang)]
        progress = province.split("\n## ")[3]  # details, elements, progress
        assert "xychart-beta" in progress, progress
        assert "pie" not in progress
        assert "xychart-beta" in packets[("index", lang)]


def test_ids_never_break_in_a_table_cell(packets: dict[tuple[str, str], str]) -> None:
    for (kind, lang), text in packets.items():
        for _, _, rows in tables(text):
            for row in rows:
                for cell in row:
                    assert not re.search(r"`KZ-\d", cell), (kind, lang, cell)


def test_ids_copied_from_a_packet_work_on_the_command_line(repo_copy: Path, run: Run) -> None:
    copied = "KZ\u20112013\u20110001"  # as a packet's table prints it
    result = run("show", copied)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("KZ-2013-0001")


def test_domain_lists_use_one_separator(packets: dict[tuple[str, str], str]) -> None:
    text = packets[("province", "en")]
    rows = [r for _, h, rs in tables(text) if "Domains" in h for r in rs]
    assert rows
    for row in rows:
        domains = row[2]
        if "Social practices" in domains and "Performing arts" in domains:
            assert "Social practices, rituals and festive events; " in domains or domains.endswith(
                "Social practices, rituals and festive events"
            )
            assert ", Performing arts" not in domains


# --- size ------------------------------------------------------------------------------------------


def _big_result(count: int) -> DiffResult:
    text = "word " * 400
    changes = (Change("/description/en", ChangeKind.CHANGED, text, text + "more"),)
    return DiffResult(
        baseline_rev="inventory-2013",
        baseline_commit="a" * 40,
        against="working-tree",
        elements=tuple(
            ElementDiff(
                f"KZ-2026-{i:04d}",
                ElementStatus.REVISED,
                f"elements/KZ-2026-{i:04d}.yaml",
                changes,
                name=f"Element {i}",
                now="active",
            )
            for i in range(1, count + 1)
        ),  # fmt: skip
    )


def test_markdown_for_a_comment_never_exceeds_the_limit_without_saying_what_it_left_out() -> None:
    result = _big_result(300)
    whole = diff_report.render_markdown(result)
    assert len(whole) > diff_report.COMMENT_LIMIT
    cut = diff_report.render_markdown(result, max_chars=diff_report.COMMENT_LIMIT)
    assert len(cut) <= diff_report.COMMENT_LIMIT
    note = cut.rstrip("\n").rsplit("\n", 1)[-1]
    assert note.startswith("> **Shortened to 65,536 characters:**")
    assert "`--max-chars 0`" in note
    shown = set(re.findall(r"^### (KZ-\d{4}-\d{4})", cut, re.MULTILINE))
    left = set(re.findall(r"`(KZ-\d{4}-\d{4})`", note))
    assert shown and left and not shown & left
    assert f"{300 - len(shown)} of 300 elements" in note


def test_the_diff_command_cuts_markdown_to_a_comment_by_default(repo_copy: Path, run: Run) -> None:
    from tests.support.helpers import commit, init_repo

    repo = init_repo(repo_copy)
    commit(repo, "inventory")
    for path in sorted((repo_copy / "elements").glob("*.yaml"))[:40]:
        text = path.read_text("utf-8")
        path.write_text(text.replace("status: active", "status: active\nnotes: edited"), "utf-8")
    small = run("diff", "--baseline", "HEAD", "--format", "markdown", "--max-chars", "2000")
    assert small.exit_code == 0, small.stderr
    assert len(small.stdout) <= 2000
    assert "Shortened to 2,000 characters" in small.stdout


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_least_limit_leaves_room_for_the_note_that_says_what_was_cut(lang: str) -> None:
    from ichinv.core import i18n
    from ichinv.render.findings.limits import LEAST_CHARS

    i18n.use(lang)
    cut = diff_report.render_markdown(_big_result(300), max_chars=LEAST_CHARS)
    assert len(cut) <= LEAST_CHARS
    assert "`--max-chars 0`" in cut.rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.parametrize("value", ["1", "999"])
def test_a_limit_too_small_to_say_anything_is_refused(
    git_inventory: Path, run: Run, value: str
) -> None:
    """An outside review (atkX): `diff --max-chars 1` printed `…` alone, with no word of a
    cut, and exited 0."""
    result = run("diff-2013", "--format", "markdown", "--max-chars", value)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"--max-chars {value} leaves no room for the report" in result.stderr
    assert "hint: give --max-chars 1000 or more, or 0 for no limit" in result.stderr
    assert run("diff-2013", "--format", "markdown", "--max-chars", "1000").exit_code == 0
    # Markdown only: the other formats take no limit, and never refused one (a review).
    assert run("diff-2013", "--format", "json", "--max-chars", value).exit_code == 0
    assert run("diff-2013", "--max-chars", value).exit_code == 0


def test_word_diffs_are_explained_once() -> None:
    words = (("=", "a long text "), ("-", "old"), ("+", "new"))
    change = Change("/description/en", ChangeKind.CHANGED, "x" * 50, "y" * 50, words=words)
    result = DiffResult(
        baseline_rev="r",
        baseline_commit="a" * 40,
        against="working-tree",
        elements=tuple(
            ElementDiff(f"KZ-2026-000{i}", ElementStatus.REVISED, "p", (change,), now="active")
            for i in (1, 2)
        ),
    )
    markdown = diff_report.render_markdown(result)
    assert markdown.count(diff_report.WORDS_LEGEND) == 1
    text = diff_report.render_text(result)
    assert text.count("Word-level changes:") == 1


# --- reports name what they count ----------------------------------------------------------------


def test_reports_name_domains_and_languages_instead_of_codes(repo_copy: Path, run: Run) -> None:
    report = run("report", "periodic")
    assert report.exit_code == 0, report.stderr
    assert "| Oral traditions and expressions |" in report.stdout
    assert "| Kazakh |" in report.stdout
    assert "| oral-traditions |" not in report.stdout
    progress = run("progress", "--format", "markdown")
    assert "Traditional craftsmanship" in progress.stdout
    assert "| craftsmanship |" not in progress.stdout
    # Machines still get codes.
    assert '"craftsmanship"' in run("progress", "--format", "json").stdout
