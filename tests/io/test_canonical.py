"""`fmt` tells a canonical record, and writes one laid out otherwise, without ruamel.yaml, and
is never wrong when it does.

The law: whenever `canonical_text(raw, order)` or `formatted_text(raw, order)` gives a text,
`tidy(raw, order)` gives the same text (so `fmt` writes and reports exactly what it did when it
asked ruamel.yaml every time).
Tried on texts nobody here wrote (the official YAML test suite), on the repository's records,
and on generated records in canonical form with a few random edits each (indentation, order,
quotes, comments, blank lines, block headers, single characters): near the canonical form is
where a shortcut would go wrong.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ichinv.core.errors import IchinvError
from ichinv.core.model import RecordKind
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml
from ichinv.io.editor.canonical import canonical_text, formatted_text
from ichinv.schemas import loader as schemas
from tests.io.test_strict_yaml_differential import suite_cases
from tests.support.helpers import REPO_ROOT, examples
from tests.support.hostile_corpus import cases as hostile_cases

ELEMENT = schemas.load_schema(
    RecordKind.ELEMENT, REPO_ROOT / "schema" / "element.schema.json", check=False
).property_order
PROVINCE = schemas.load_schema(
    RecordKind.PROVINCE, REPO_ROOT / "schema" / "province.schema.json", check=False
).property_order
RECORDS = [(path, ELEMENT) for path in sorted((REPO_ROOT / "elements").glob("*.yaml"))] + [
    (path, PROVINCE) for path in sorted((REPO_ROOT / "provinces").glob("*.yaml"))
]


def assert_law(raw: bytes, order: yamlio.KeyOrder) -> str | None:
    """`canonical_text`'s answer, after checking it, and `formatted_text`'s, against
    ruamel.yaml's."""
    found = canonical_text(raw, order)
    made = formatted_text(raw, order)
    if found is not None:
        assert found == raw.decode("utf-8")
        assert made == found
    if made is not None:
        assert yamlio.tidy(raw, order) == made
    return found


def assert_formatted(raw: bytes, order: yamlio.KeyOrder) -> str | None:
    """`formatted_text`'s answer, after checking it against ruamel.yaml's (which must not
    refuse a record it answers for)."""
    made = formatted_text(raw, order)
    if made is not None:
        assert yamlio.tidy(raw, order) == made
        assert canonical_text(made.encode(), order) == made
    return made


def test_the_repository_records_are_told_canonical_without_ruamel() -> None:
    told = [path.name for path, order in RECORDS if assert_law(path.read_bytes(), order)]
    # One record writes a note in double quotes with escapes: ruamel.yaml is asked.
    assert len(told) >= len(RECORDS) - 3, sorted({p.name for p, __ in RECORDS} - set(told))


@pytest.mark.parametrize("order", [{}, ELEMENT], ids=["no order", "element order"])
def test_the_yaml_test_suite(order: yamlio.KeyOrder) -> None:
    cases = suite_cases()
    if not cases:
        pytest.skip("yaml-test-suite corpus not present")
    told = [case for case in cases if assert_law((case / "in.yaml").read_bytes(), order)]
    assert told  # the shortcut is taken on some of them


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a: 1\nb: x  # note\n", "a comment after a value"),
        ("a: 1\n\nb: x\n", "a blank line"),
        ("a: 1\n# about b\nb: x\n", "a comment among the fields"),
        ("a: [1, 2]\n", "a flow list"),
        ("a:\n- 1\n", "a list not indented under its key"),
        ("a:\n   b: 1\n", "three spaces"),
        ('a: "it\\"s"\n', "an escaped quote"),
        ('a: "x\\ty"\n', "an escape"),
        ("a: >\n  folded\n", "a folded block"),
        ("a: |+\n  kept\n\n", "kept line breaks"),
        ("a: null\n", "a null"),
        ("a: 1.50\n", "a float Python writes otherwise"),
        ("a: x   \n", "trailing spaces"),
        ("a: 1\r\nb: 2\r\n", "CRLF"),
        ("\ufeffa: 1\n", "a byte-order mark"),
        ("a: 1", "no final line break"),
        ("a: 1\n\n", "a blank last line"),
        ("--- \na: 1\n", "a document marker"),
    ],
)
def test_what_the_shortcut_leaves_to_ruamel(text: str, why: str) -> None:
    assert canonical_text(text.encode(), {}) is None, why


@pytest.mark.parametrize(
    "text",
    [
        "a: |-\n  x\n  \u00a0\nb: 1\n",
        "a:\n  - |-\n    x\n    \u2003\n  - y\n",
        "\u2009#a: 1\nb: 2\n",
        "a:\n  \u3000# b: 1\n",
        # a second review: spaces beyond the indentation on a literal block's last line are
        # its text (each `fmt` added a blank line, for ever)
        "a: |-\n  x\n   \nb: 1\n",
        "a:\n  - |-\n    x\n     \n  - y\n",
        "a: |\n  x\n    \nb: 1\n",
    ],
)
def test_white_space_the_formatter_misread(text: str) -> None:
    """Found by an outside review: the formatter took a literal line of one no-break space for a
    blank line, and a key starting with a thin space and `#` for a comment (each `fmt` added
    a line), where the shortcut, rightly, changed nothing."""
    assert yamlio.tidy(text.encode(), {}) == text
    assert assert_law(text.encode(), {}) in (text, None)


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ('a: "0\\u049A\\\n  #"\n', 'a: "0Қ#"\n'),
        ('a: "x\n  #y"\nb: 1\n', 'a: "x #y"\nb: 1\n'),
        ("a: 'x\n  #y'\n", "a: 'x #y'\n"),
        ('a: ["x\n  #y"]\n', 'a:\n  - "x #y"\n'),
        # an outside review's
        ('a: ["x\n  #y", z]\n', 'a:\n  - "x #y"\n  - z\n'),
        ('a:\n  - "x\n    #y"\n  - z\n', 'a:\n  - "x #y"\n  - z\n'),
        ('a: "x\n#y"\n', 'a: "x #y"\n'),
        ("a: '-\n\n  #-|'''\n", "a: |-\n  -\n  #-|'\n"),
    ],
)
def test_a_hash_on_the_last_line_of_quoted_text_is_text(text: str, tidied: str) -> None:
    """Found by the law's test of records PyYAML laid out: the formatter took the last line of
    text in quotes for a comment line when it began with `#`, and wrote it again after the
    record, one more line each run."""
    assert yamlio.tidy(text.encode(), {}) == tidied
    assert assert_formatted(text.encode(), {}) in (tidied, None)
    assert yamlio.tidy(tidied.encode(), {}) == tidied


def test_keys_out_of_their_schema_order_are_not_canonical() -> None:
    raw = (REPO_ROOT / "elements" / "KZ-2013-0001.yaml").read_bytes()
    lines = raw.decode().split("\n")
    first = next(n for n, line in enumerate(lines) if line.startswith("schema_version:"))
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    swapped = "\n".join(lines).encode()
    assert canonical_text(swapped, ELEMENT) is None
    assert yamlio.tidy(swapped, ELEMENT) == raw.decode()


# --- generated records, canonical and edited near it ------------------------------------------

LETTERS = [
    "a", "Қ", "z", "0", "1", " ", ":", "#", "'", '"', "\\", "-", "?", ".", "e", "|", ">", "{",
    "[", ",", "&", "*", "!", "%", "@", "`", "~", "\t", "\xa0", "\u2028", "\x85", "\ufeff", "😀",
    "\n", "n", "u", "l", "t", "r", "y", "o", "x", "+", "_",
]  # fmt: skip
TAME = ["a", "Қ", "z", "0", " ", "-", ".", "'", ":", "\n", "\u2009"]
"""Letters of most records: a text of them is often one the shortcut writes."""
texts = st.one_of(
    st.text(st.sampled_from(TAME), max_size=12),
    st.text(st.sampled_from(LETTERS), max_size=12),
)
names = st.one_of(
    st.sampled_from([*ELEMENT[""], "en", "kk", "ru", "name", "lang", "note", "kind", "role"]),
    st.from_regex(r"[a-z][a-z_0-9]{0,7}", fullmatch=True),
)
keys = st.one_of(names, st.text(st.sampled_from(LETTERS), min_size=1, max_size=6))
singles = st.one_of(
    texts,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.sampled_from(["2025-05-14", "KZ-23", "+7 700 000 00 00", "00996", "1", "true", "null"]),
)
fields: st.SearchStrategy[dict[str, object]] = st.deferred(
    lambda: st.dictionaries(names, st.one_of(singles, fields, items), min_size=1, max_size=4)
)
items = st.lists(st.one_of(singles, fields), min_size=1, max_size=3)
typical = fields
"""Records as most are: keys read as field names, nothing empty, no nulls."""
wild = st.dictionaries(
    keys,
    st.recursive(
        st.one_of(singles, st.none()),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)
        ),
        max_leaves=12,
    ),
    min_size=1,
    max_size=6,
)
records = st.one_of(typical, wild)

EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["indent", "outdent", "swap", "quote", "unquote", "trail", "comment", "blank",
             "header", "char", "delete", "end comment"]
        ),
        st.integers(0, 200),
        st.integers(0, 200),
        st.sampled_from(LETTERS),
    ),
    max_size=3,
)  # fmt: skip


def edited(text: str, edits: list[tuple[str, int, int, str]]) -> str:
    """`text` with each edit made to one of its lines."""
    lines = text.split("\n")[:-1]
    for kind, at, other, letter in edits:
        if not lines:
            break
        n, m = at % len(lines), other % len(lines)
        line = lines[n]
        if kind == "indent":
            lines[n] = " " + line
        elif kind == "outdent":
            lines[n] = line[1:] if line.startswith(" ") else line
        elif kind == "swap":
            lines[n], lines[m] = lines[m], line
        elif kind == "quote":
            lines[n] = re.sub(r"(: |- )(.+)$", lambda g: f'{g[1]}"{g[2]}"', line, count=1)
        elif kind == "unquote":
            lines[n] = line.replace('"', "").replace("'", "")
        elif kind == "trail":
            lines[n] = line + " "
        elif kind == "comment":
            lines.insert(n, " " * (m % 5) + "# note")
        elif kind == "blank":
            lines.insert(n, "")
        elif kind == "header":
            lines[n] = line.replace("|", ["|-", "|+", ">", "|2", "|"][m % 5], 1)
        elif kind == "char":
            lines[n] = line[: m % (len(line) + 1)] + letter + line[m % (len(line) + 1) + 1 :]
        elif kind == "delete":
            del lines[n]
        else:
            lines[n] = line + "  # note"
    return "".join(line + "\n" for line in lines)


@settings(
    max_examples=examples(300, 3000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(records, st.sampled_from(["element", "province"]), EDITS)
def test_the_shortcut_agrees_with_ruamel_on_records_near_canonical(
    data: dict[str, object], kind: str, edits: list[tuple[str, int, int, str]]
) -> None:
    order = ELEMENT if kind == "element" else PROVINCE
    try:
        text = yamlio.dump_new(data, kind, order)
    except IchinvError:
        return  # data the writer refuses (then `fmt` never meets it written this way)
    assert_law(text.encode(), order)
    assert_law(edited(text, edits).encode(), order)


def test_the_hostile_corpus() -> None:
    for case in hostile_cases():
        try:
            assert_law(case.content, ELEMENT)
        except IchinvError:
            # tidy refuses the file (too large, unreadable): the shortcuts must have said None
            assert canonical_text(case.content, ELEMENT) is None, case.name
            assert formatted_text(case.content, ELEMENT) is None, case.name


@settings(max_examples=examples(500, 5000), deadline=None)
@given(st.text(st.sampled_from([*LETTERS, "N", "T", "F", "o", "b", "=", "<", "2"]), max_size=8))
def test_needs_quotes_asks_ruamel_only_about_texts_that_may_be_typed(text: str) -> None:
    from ruamel.yaml.nodes import ScalarNode

    from ichinv.io.editor.style import _RESOLVER

    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    assert yamlio.needs_quotes(text) == (str(getattr(tag, "value", tag)) != "tag:yaml.org,2002:str")


# --- records laid out otherwise: written anew without ruamel.yaml ---------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a: [1, two]\n", "a:\n  - 1\n  - two\n"),
        ("b: x\na: 1\n", "a: 1\nb: x\n"),
        ("a:\n- 1\n", "a:\n  - 1\n"),
        ("a:\n    b: 1\n", "a:\n  b: 1\n"),
        ("b: 'q'\na: \"r\"\n", "a: \"r\"\nb: 'q'\n"),
        ("a: a long\n  text\n", "a: a long text\n"),
        ('a: "x\\ny"\n', "a: |-\n  x\n  y\n"),
        ("b: 'the team''s'\na:\n- 'don''t'\n", "a:\n  - 'don''t'\nb: 'the team''s'\n"),
        ("# head\nb: [KZ-11,\n  KZ-23]\na: |\n   x\n\n   y\n", "# head\na: |\n  x\n\n  y\nb:\n  - KZ-11\n  - KZ-23\n"),
    ],
)  # fmt: skip
def test_a_record_laid_out_otherwise_is_written_as_tidy_writes_it(text: str, written: str) -> None:
    order = {"": ["a", "b"]}
    assert assert_formatted(text.encode(), order) == written
    assert canonical_text(text.encode(), order) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a: 1 # c\n", "a comment after a value"),
        ("a: 1\n# about b\nb: x\n", "a comment among the fields"),
        ("a: 1\nb: x\n# at the end\n", "a comment at the end"),
        ("a: [1,  # one\n  2]\n", "a comment in a flow list"),
        ("a: |  # note\n  x\n", "a comment after a block header"),
        ("a: 1\n\nb: x\n", "a blank line"),
        ("a:\n\n  b: 1\n", "a blank line before a value"),
        ("a: |\n  x\n\nb: 1\n", "a blank line after a literal block"),
        ("a: x   \n", "spaces after a value"),
        ("a:   \n  b: 1\n", "spaces after a key"),
        ("a: >\n  folded\n", "a folded block"),
        ("a: |2\n   x\n", "an indentation indicator"),
        ("a: |+\n  x\n\n", "kept line breaks"),
        ("a: |-\n  one line\n", "one line in a literal block"),
        ("a: 1.50\n", "a float written otherwise"),
        ("a: 0x1F\n", "a hexadecimal number"),
        ("a: +5\n", "a number with its sign"),
        ("a: True\n", "a capitalised boolean"),
        ("a: ~\n", "a null"),
        ("? a\n: 1\n", "an explicit key"),
        ("'a': 1\n", "a quoted key"),
        ("a: {b: 1}\n", "a flow mapping"),
        ("a: !!str 1\n", "a tag"),
        ("--- \na: 1\n", "a document marker"),
        ("%YAML 1.2\n---\na: 1\n", "a directive"),
        ("a: 1\n...\n", "a document end marker"),
        ('a: "it\\"s"\n', "an escaped quote"),
        ("a:\t1\n", "a tab"),
        ("a: []\n", "an empty list"),
        ("a: 1", "no final line break"),
    ],
)
def test_what_formatted_text_leaves_to_ruamel(text: str, why: str) -> None:
    assert formatted_text(text.encode(), {}) is None, why


def _other_writer() -> type:
    """PyYAML's writer, with lists of single values in flow style (`[KZ-11, KZ-23]`) and dates
    written plain (YAML 1.1 would quote them)."""
    yaml = pytest.importorskip("yaml")

    class Other(yaml.SafeDumper):
        yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(":timestamp")]
            for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
        }

    def flow_lists(dumper: yaml.SafeDumper, items: list[object]) -> object:
        flat = all(not isinstance(item, dict | list) for item in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)

    Other.add_representer(list, flow_lists)
    return Other


def test_the_repository_records_laid_out_otherwise_are_written_without_ruamel() -> None:
    """Each record written by another YAML writer (flow lists, keys sorted, four spaces, text
    wrapped over several lines, quotes where PyYAML puts them): `fmt` writes what ruamel.yaml
    would, without it."""
    yaml = pytest.importorskip("yaml")
    other = _other_writer()
    written = 0
    for path, order in RECORDS:
        raw = path.read_bytes()
        head = "".join(line + "\n" for line in raw.decode().split("\n") if line.startswith("#"))
        data, __ = strict_yaml.load(raw)
        text = head + yaml.dump(
            data, Dumper=other, allow_unicode=True, sort_keys=True, indent=4, width=60
        )
        assert canonical_text(text.encode(), order) is None
        made = assert_formatted(text.encode(), order)
        written += made is not None
    assert written >= len(RECORDS) * 0.9, written


LAYOUTS = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([None, True, False]),
        "indent": st.sampled_from([2, 3, 4]),
        "width": st.sampled_from([20, 80, 1000]),
        "sort_keys": st.booleans(),
        "allow_unicode": st.booleans(),
        "default_style": st.sampled_from([None, None, "'", '"']),
    }
)


@settings(
    max_examples=examples(300, 3000),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(records, st.sampled_from(["element", "province"]), LAYOUTS, EDITS)
def test_formatted_text_agrees_with_ruamel_on_records_laid_out_by_another_writer(
    data: dict[str, object],
    kind: str,
    layout: dict[str, object],
    edits: list[tuple[str, int, int, str]],
) -> None:
    """Records written by PyYAML in many layouts (flow and block, indentation, line width,
    quotes of every kind, keys sorted), with a few random edits: text nobody here laid out."""
    yaml = pytest.importorskip("yaml")
    order = ELEMENT if kind == "element" else PROVINCE
    text = yaml.safe_dump(data, **layout)
    assert_formatted(text.encode(), order)
    assert_formatted(edited(text, edits).encode(), order)
