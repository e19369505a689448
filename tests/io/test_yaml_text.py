"""Decoding a record file: UTF-8, one BOM at the start, no control characters, and lines that
end with LF, CRLF or CR only, each refusal located at its line and column."""

from __future__ import annotations

import pytest

from ichinv.io import strict_yaml as yamlload
from ichinv.io import yaml_text


def problem_of(raw: bytes) -> yaml_text.LoadProblem:
    """The problem of `raw`, from decoding or (when it decodes) from parsing it."""
    with pytest.raises(yaml_text.LoadError) as caught:
        yamlload.load(raw)
    return caught.value.problem


# --- line breaks: LF, CRLF and CR only --------------------------------------------------------

SEPARATORS = {"NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
"""Line breaks to libyaml (YAML 1.1), ordinary characters to YAML 1.2, ruamel.yaml and git."""

PLACES = {
    "between two keys": "a: one{c}b: two\n",
    "in a plain scalar": "a: one{c}two\n",
    "before a plain continuation": "a: one{c}  two\n",
    "in a single-quoted scalar": "a: 'one{c}two'\n",
    "in a double-quoted scalar": 'a: "one{c}two"\n',
    "in a literal block": "a: |\n  one{c}two\n",
    "in a comment, before a key": "a: 1  # checked{c}b: 2\n",
    "in a key": "o{c}ne: 1\n",
    "in a list item": "a:\n  - one{c}  - two\n",
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("separator", SEPARATORS)
def test_nel_ls_and_ps_are_refused_wherever_they_stand(separator: str, place: str) -> None:
    """libyaml would break the line there and give other data, other keys or other line numbers
    than ruamel.yaml and git; so the file is refused, at the character."""
    text = "id: x\r\n" + PLACES[place].format(c=SEPARATORS[separator]) + "z: end\n"
    found = problem_of(text.encode())
    index = text.index(SEPARATORS[separator])
    before = text[:index].replace("\r\n", "\n")
    assert found.rule == "yaml.line-break"
    assert (found.line, found.column) == (
        before.count("\n") + 1,
        len(before) - before.rfind("\n"),
    )
    assert f"U+{ord(SEPARATORS[separator]):04X}" in found.message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\rb: \x01\r", 2, 4),
        ("a: 1\r\nb: 2\r\nc: \x01\n", 3, 4),
        ("a: 1\r\rb: \x01", 3, 4),
        ("a: 1\n\rb: \x01", 3, 4),
    ],
)
def test_positions_count_lf_crlf_and_cr_as_the_parser_does(
    text: str, line: int, column: int
) -> None:
    found = problem_of(text.encode())
    assert (found.rule, found.line, found.column) == ("yaml.control-character", line, column)
    mark = problem_of(text.replace("\x01", "@").encode())  # the parser's own mark, for comparison
    assert (mark.rule, mark.line, mark.column) == ("yaml.syntax", line, column)


# --- byte-order marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n", 1, 1),
        (b"\xef\xbb\xbfa: 1\n\xef\xbb\xbfb: 2\n", 2, 1),
        (b"a: x\xef\xbb\xbfy\n", 1, 5),
        (b"a: 'x\xef\xbb\xbf'\n", 1, 6),
        (b"a: 1 # \xef\xbb\xbf\n", 1, 8),
        (b"a: 1\n\xef\xbb\xbf", 2, 1),
    ],
)
def test_a_bom_anywhere_but_at_the_start_is_refused(raw: bytes, line: int, column: int) -> None:
    found = problem_of(raw)
    assert (found.rule, found.line, found.column) == ("yaml.bom", line, column)


# --- UTF-16 and UTF-32, with or without a byte-order mark ------------------------------------------

RECORD = (
    "id: KZ-2013-0002\nnames:\n  kk: Құсбегілік\n  ru: Охота с ловчими птицами\nstatus: active\n"
)


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-16", "UTF-16"),  # with its byte-order mark
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
        ("utf-32", "UTF-32"),
    ],
)
def test_a_file_in_utf_16_or_utf_32_is_named_so_with_or_without_a_bom(
    encoding: str, name: str
) -> None:
    """Without a byte-order mark an outside review's file was told "byte 0x9A is not valid
    UTF-8", with a hint about Windows-1251 (an ASCII one: a control character U+0000)."""
    for text in (RECORD, "id: KZ-2013-0002\nstatus: active\n", RECORD.replace("\n", "\r\n")):
        found = problem_of(text.encode(encoding))
        assert (found.rule, found.line, found.column) == ("yaml.encoding", 1, 1)
        assert f"saved as {name};" in found.message
        assert found.hint is not None and "UTF-8" in found.hint and "1251" not in found.hint


@pytest.mark.parametrize(
    "raw",
    [
        RECORD.replace("Құс", "Құс\x00").encode(),
        b"a: \x00\n",
        b"a: 1\nb: '\x00\x00\x00\x00\x00\x00\x00\x00'\n",  # NULs together, not every other byte
    ],
)
def test_nul_bytes_of_a_utf_8_file_are_control_characters(raw: bytes) -> None:
    assert problem_of(raw).rule == "yaml.control-character"
