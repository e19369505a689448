"""Texts cut short by a comment (rule yaml.comment-in-text): YAML reads ` #` after a plain
value as the start of a comment, so `en: The akyns compete in pairs # or in teams` holds "The
akyns compete in pairs", and every output drops the rest without a word."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ichinv.io.yaml_comments import CutText, cut_texts, may_hold_cut_text
from tests.io.test_strict_yaml_differential import suite_cases
from tests.support import reading_data as d
from tests.support.helpers import Result

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("en: The akyns compete in pairs # or in teams\n", [CutText("/en", 1, 32)]),
        ("a:\n  - Annual festival\t# since 2015\n", [CutText("/a/0", 2, 21)]),
        ("a:\n  b: [x]\n  c/d: two words # cut\n", [CutText("/a/c~1d", 3, 18)]),
        ("en: The akyns compete\n  in pairs # or teams\n", [CutText("/en", 2, 12)]),
        ("names:\n  - {en: Two words} # a flow mapping ends before\n", []),
        ("status: active  # one word: a note after a value\n", []),
        ("en: 'Two words' # quoted: the text is whole\n", []),
        ("en: |\n  Two words # inside a block, part of the text\n", []),
        ("# Two words # a comment line\nen: x\n", []),
        ("en: Order No. 50 #12\n", [CutText("/en", 1, 18)]),
        ("en: Order No.#12\n", []),
    ],
)
def test_a_text_cut_short_is_found_where_its_comment_starts(
    text: str, found: list[CutText]
) -> None:
    assert cut_texts(text) == found
    assert may_hold_cut_text(text.encode()) or not found


def test_every_file_of_the_yaml_test_suite_is_read_without_a_failure() -> None:
    """Whatever the file (the official corpus, errors included), the walk answers."""
    cases = suite_cases()
    for case in cases:
        text = (case / "in.yaml").read_bytes().decode("utf-8", "replace")
        assert isinstance(cut_texts(text), list)


def test_validate_warns_at_the_hash_and_quotes_none_of_the_text(inventory: Path, run: Run) -> None:
    path = inventory / "elements" / "KZ-2026-0001.yaml"
    text = yaml.safe_dump(d.element("KZ-2026-0001"), sort_keys=False, allow_unicode=True)
    assert "\ndescription:\n  en: " in text
    secret = "the keeper's spring"
    head, tail = text.split("\ndescription:\n  en: ", 1)
    line, rest = tail.split("\n", 1)
    path.write_text(f"{head}\ndescription:\n  en: {line} # {secret}\n{rest}", "utf-8")
    done = run("validate", "--no-cache", "--format", "json")
    (found,) = [f for f in json.loads(done.stdout)["findings"] if f["rule"].startswith("yaml.")]
    assert (found["rule"], found["severity"], found["pointer"]) == (
        "yaml.comment-in-text",
        "warning",
        "/description/en",
    )
    written = path.read_text("utf-8").splitlines()[found["line"] - 1]
    assert written[found["column"] - 1] == "#"
    assert secret not in done.stdout and line not in done.stdout


def test_a_long_line_of_short_texts_is_read_in_linear_time() -> None:
    """Each text of several words copied the rest of its line to look for a comment: a 1 MB
    line of 200,000 such texts took 28 s (an outside attack)."""
    import time

    def took(count: int) -> float:
        text = "a: [" + ", ".join(["x y"] * count) + "] # a comment\n"
        started = time.process_time()
        assert cut_texts(text) == []
        return time.process_time() - started

    small, large = took(20_000), took(200_000)
    assert large < max(20 * small, 0.5), (small, large)
