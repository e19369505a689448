"""The record reader: YAML 1.2 typing, positions, and a clean finding for every bad input."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ichinv.core import i18n
from ichinv.inventory import record_files as records
from ichinv.io import settings
from ichinv.io import strict_yaml as yamlload
from ichinv.validate import engine as validation
from tests.support.helpers import build_inventory


def problem(raw: bytes) -> yamlload.LoadProblem:
    with pytest.raises(yamlload.LoadError) as caught:
        yamlload.load(raw)
    return caught.value.problem


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("tRUE", "tRUE"),
        ("010", 10),
        ("0o10", 8),
        ("0x1F", 31),
        ("1_000", 1000),
        ("-0", 0),
        ("+12", 12),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("~", None),
        ("null", None),
        ("", None),
        ("2025-05-14", "2025-05-14"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("12:30", "12:30"),
        ("'010'", "010"),
        ('"true"', "true"),
        ("! 12", "12"),
        ("!!str 12", "12"),
        ("!!int '7'", 7),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    data, _ = yamlload.load(f"a: {text}\n".encode())
    assert data == {"a": value}
    assert type(data["a"]) is type(value)


def test_positions_point_at_keys_and_values() -> None:
    raw = "id: KZ-2013-0001\nnames:\n  kk: Айтыс\ndomains:\n  - oral-traditions\n  - performing-arts\n".encode()
    _, positions = yamlload.load(raw, positions=True)
    assert positions is not None
    assert positions["/id"] == (1, 5, 1, 1)
    assert positions["/names/kk"] == (3, 7, 3, 3)
    assert positions["/domains/1"] == (6, 5, 6, 5)


def test_columns_count_characters_not_bytes() -> None:
    _, positions = yamlload.load("қазақ: [бір, екі]\n".encode(), positions=True)
    assert positions is not None
    assert positions["/қазақ/1"][:2] == (1, 14)


@pytest.mark.parametrize(
    ("raw", "rule", "line"),
    [
        (b"a: [1, 2\nb: 3\n", "yaml.syntax", 1),
        (b"a: 1\nb:\n  c: 2\n d: 3\n", "yaml.syntax", 4),
        (b"a: 1\nb: 2\na: 3\n", "yaml.duplicate-key", 3),
        (b"a:\n\tb: 1\n", "yaml.tab", 2),
        (b"a: caf\xe9\n", "yaml.encoding", 1),
        (b"\xff\xfea\x00:\x00", "yaml.encoding", 1),
        (b"", "yaml.empty", 1),
        (b"# only a comment\n", "yaml.empty", 1),
        (b"---\n", "yaml.empty", 1),
        (b"- a\n- b\n", "yaml.not-mapping", 1),
        (b"just text\n", "yaml.not-mapping", 1),
        (b"a: 1\n---\na: 2\n", "yaml.multi-document", 2),
        (b"a: !!python/object/apply:os.system ['true']\n", "yaml.tag", 1),
        (b"a: !custom x\n", "yaml.tag", 1),
        (b"a: !!binary aGVsbG8=\n", "yaml.tag", 1),
        (b"a: &x 1\nb: *x\n", "yaml.alias", 1),
        (b"<<: {a: 1}\n", "yaml.merge-key", 1),
        (b"1: one\n", "yaml.key-type", 1),
        (b"? [a]\n: b\n", "yaml.key-type", 1),
        (b"a: .nan\n", "yaml.value", 1),
        # a float to ruamel.yaml's resolver but no number (it and `float()` failed on it:
        # `fmt --check` ended in an internal error, `validate` said only "ValueError")
        (b"a: ._\n", "yaml.value", 1),
        (b"a: -.__\n", "yaml.value", 1),
        (b"b: 1\na: ._e+1\n", "yaml.value", 2),
        # and an integer's prefix without digits (an outside review): the same
        (b"a: 0x_\n", "yaml.value", 1),
        (b"a: -0o_\n", "yaml.value", 1),
        (b"a: +0b__\n", "yaml.value", 1),
        (b"a: !!int 0x_\n", "yaml.value", 1),
        (b"a: " + b"9" * 5000 + b"\n", "yaml.value", 1),
        (b"a: \x00\n", "yaml.control-character", 1),
        (b"%YAML 1.1\n---\na: yes\n", "yaml.directive", 1),
        (b"%TAG !e! tag:example.org,2000:\n---\na: !e!x 1\n", "yaml.directive", 1),
        (b"a: " + b"[" * 70 + b"]" * 70 + b"\n", "yaml.too-deep", 1),
    ],
)
def test_bad_input_is_a_located_problem(raw: bytes, rule: str, line: int) -> None:
    found = problem(raw)
    assert found.rule == rule
    assert found.line == line
    assert found.column is not None and found.column >= 1
    assert found.message


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        # an escape that makes no character: the quote is closed (an outside review found the
        # hint said it was not)
        (b'a: 1\nstatus: "\\ud800"\n', "write the character itself, or \\\\ for a backslash"),
        (b'status: "x \\q y"\n', "write the character itself, or \\\\ for a backslash"),
        (b'note: "a \\x4 b"\n', "write the character itself, or \\\\ for a backslash"),
        (b'note: "a \\u12"\n', "write the character itself, or \\\\ for a backslash"),
        (b'status: "not closed\n', 'close it with " where the value ends'),
    ],
)
def test_a_syntax_error_says_what_to_do_in_plain_words(raw: bytes, hint: str) -> None:
    found = problem(raw)
    assert found.rule == "yaml.syntax" and found.line is not None
    assert found.hint is not None and found.hint.startswith(hint), found.hint


def test_a_merge_conflict_is_named_at_its_marker() -> None:
    """An unfinished merge was reported as an indentation error two lines below the marker
    (an outside review)."""
    raw = (
        b"id: KZ-2013-0001\ndescription:\n  ru: |\n<<<<<<< HEAD\n    one\n=======\n"
        b"    two\n>>>>>>> other\nstatus: active\n"
    )
    found = problem(raw)
    assert (found.rule, found.line, found.column) == ("yaml.syntax", 4, 1)
    assert "conflict marker of git (<<<<<<<)" in found.message
    assert found.hint is not None and "git add" in found.hint


def test_duplicate_key_names_the_first_occurrence() -> None:
    assert "first on line 1" in problem(b"a: 1\nb: 2\na: 3\n").message


def test_a_utf8_bom_is_fine() -> None:
    assert yamlload.load(b"\xef\xbb\xbfa: 1\n")[0] == {"a": 1}


def test_escaped_separators_are_content() -> None:
    """Written as escapes, they are characters of a text (the text rules judge them there)."""
    data, _ = yamlload.load(b'a: "x\\Ly\\Pz\\N"\nb: 2\n', positions=False)
    assert data == {"a": "x\u2028y\u2029z\x85", "b": 2}


def test_python_tags_never_execute(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    assert problem(raw).rule == "yaml.tag"
    assert not marker.exists()


def test_billion_laughs_finishes_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    assert problem("\n".join(lines).encode()).rule == "yaml.alias"
    assert time.perf_counter() - started < 0.5


def test_deep_nesting_finishes_at_once() -> None:
    started = time.perf_counter()
    assert problem(b"a: " + b"[" * 10_000 + b"]" * 10_000).rule == "yaml.too-deep"
    assert problem(b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 2000))).rule in {
        "yaml.too-deep",
        "yaml.syntax",
    }
    assert time.perf_counter() - started < 2


def _validate(root: Path) -> list[str]:
    result = validation.validate(settings.load(root))
    return [f"{f.path}:{f.line}:{f.rule}" for f in result.findings]


def test_files_over_the_size_limit_are_not_parsed(tmp_path: Path) -> None:
    root = build_inventory(tmp_path / "inv", "[tool.ichinv]\nmax_file_size = 2048\n")
    big = root / "elements" / "KZ-2013-0009.yaml"
    big.write_text("id: KZ-2013-0009\ndescription:\n  en: " + "x" * 4000 + "\n", encoding="utf-8")
    assert "elements/KZ-2013-0009.yaml:1:file.too-large" in _validate(root)


def test_symlinks_leaving_the_repository_are_not_read(tmp_path: Path) -> None:
    root = build_inventory(tmp_path / "inv")
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: KZ-2013-0009\n", encoding="utf-8")
    os.symlink(secret, root / "elements" / "KZ-2013-0009.yaml")
    result = validation.validate(settings.load(root))
    symlinks = [f for f in result.findings if f.rule == "file.symlink"]
    assert [f.path for f in symlinks] == ["elements/KZ-2013-0009.yaml"]
    assert not any(
        "KZ-2013-0009" in f.message for f in result.findings if f.rule.startswith("schema")
    )


def test_files_that_are_not_records(tmp_path: Path) -> None:
    root = build_inventory(tmp_path / "inv")
    (root / "elements" / "KZ-2013-0009.yml").write_text("id: KZ-2013-0009\n", encoding="utf-8")
    (root / "elements" / "README.md").write_text("notes\n", encoding="utf-8")
    found = validation.validate(settings.load(root)).findings
    assert [(f.path, f.rule) for f in found] == [
        ("elements/KZ-2013-0009.yml", "file.extension"),
        ("elements/README.md", "file.extension"),
    ]
    assert "rename it to KZ-2013-0009.yaml" in (found[0].hint or "")


def test_special_files_are_not_read(tmp_path: Path) -> None:
    root = build_inventory(tmp_path / "inv")
    os.mkfifo(root / "elements" / "KZ-2013-0009.yaml")  # reading it would block forever
    os.symlink(root / "nowhere.yaml", root / "elements" / "KZ-2013-0010.yaml")
    found = {(f.path, f.rule) for f in validation.validate(settings.load(root)).findings}
    assert found == {
        ("elements/KZ-2013-0009.yaml", "file.unreadable"),
        ("elements/KZ-2013-0010.yaml", "file.unreadable"),
    }


def test_blob_id_matches_git() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    assert records.blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ('key: "value"# invalid comment\n', 13),  # the yaml-test-suite's SU5Z
        ("key: 'it''s'#note\n", 13),
        ("block: ># comment\n  scalar\n", 8),  # X4QW
        ("block: |-2#note\n   scalar\n", 8),
    ],
)
def test_a_hash_glued_to_a_value_is_refused_where_it_stands(text: str, column: int) -> None:
    """YAML 1.2 makes it an error; libyaml reads a comment, and `fmt` (ruamel.yaml) dropped
    its text (found by an outside review): refused, so nothing reads it one way or another."""
    with pytest.raises(yamlload.LoadError) as caught:
        yamlload.load(text.encode())
    assert (caught.value.problem.rule, caught.value.problem.line) == ("yaml.syntax", 1)
    assert caught.value.problem.column == column
    assert "put a space before the #" in (caught.value.problem.hint or "")


@pytest.mark.parametrize("text", ['k: "v" # a note\n', "b: >- # a note\n  x\n", "u: a#b\n"])
def test_a_comment_after_a_space_and_a_hash_inside_a_plain_value_still_read(text: str) -> None:
    yamlload.load(text.encode())


# --- the builder's refusals in plain words (an outside review) ----------------------------------


def test_a_file_of_comments_alone_is_told_so() -> None:
    """It was told "the file is empty"."""
    found = problem("# names:\n#   kk: Құсбегілік\n\n".encode())
    assert found.rule == "yaml.empty"
    assert "only comments" in found.message


def test_an_empty_file_is_still_told_empty() -> None:
    assert "is empty" in problem(b"\n\n").message


@pytest.mark.parametrize("value", ["*Hunting", "&Hunting"])
def test_a_value_starting_with_a_star_or_an_ampersand_is_told_to_go_in_quotes(value: str) -> None:
    found = problem(f"names:\n  en: {value}\n".encode())
    assert (found.rule, found.line, found.column) == ("yaml.alias", 2, 7)
    assert "cannot start with & or * unless it is in quotes" in found.message
    assert found.hint is not None and "put the whole value in quotes" in found.hint


BUILDER_REFUSALS = [
    b"",
    b"# only a comment\n",
    b"---\n",
    b"- a\n",
    b"a: 1\nb: 2\na: 3\n",
    b"? [a]\n: b\n",
    b"? {a: 1}\n: b\n",
    b"a: !custom x\n",
    b"a: !!binary aGVsbG8=\n",
    b"a: &x 1\n",
]

BUILDER_JARGON = {
    "en": ("mapping", "scalar", "token", "stream"),
    "kk": ("карта", "скаляр", "токен", "mapping"),
    "ru": ("отображени", "скаляр", "токен", "mapping"),
}


@pytest.mark.parametrize("lang", sorted(BUILDER_JARGON))
def test_the_builders_refusals_say_fields_and_values_not_mappings(lang: str) -> None:
    """ "a record is a mapping of fields", "appears twice in the same mapping", "карта
    (mapping)", "отображение полей": the parser's word, translated word for word."""
    i18n.use(lang)
    try:
        told = [f"{p.message} {p.hint}" for p in map(problem, BUILDER_REFUSALS)]
    finally:
        i18n.use("en")
    for text in told:
        assert not [w for w in BUILDER_JARGON[lang] if w in text.lower()], text
