"""A YAML mistake an editor makes by hand is named where it is, in plain words, with a hint of
its own, in English, Kazakh and Russian.

An outside review found a ':' or '- ' left out reported on the line after it, an unclosed
quotation mark reported ninety lines later (or at the next apostrophe), and libyaml's own
words ("mapping values are not allowed in this context") with one hint for every mistake,
translated word for word into Kazakh and Russian.
"""

from __future__ import annotations

import re

import pytest

from ichinv.core import i18n
from ichinv.io import strict_yaml
from ichinv.io.yaml_text import LoadError, LoadProblem

RECORD = """\
id: KZ-2013-0002
names:
  kk: Құсбегілік
  ru: Охота с ловчими птицами
  en: Hunting with birds of prey
other_names:
  - name: Саятшылық
    lang: kk
provinces:
  - KZ-10
  - KZ-11
  - KZ-15
status: active
communities:
  - name: Falconers and their families
    kind: group
    role: bearers
  - name: Falconers' clubs
    kind: association
    role: practitioners
viability:
  status: viable
  threats:
    - threat: Fewer young falconers
      kind: transmission
documentation:
  - kind: photo
    row: "2"
"""


def problem(text: str) -> LoadProblem:
    with pytest.raises(LoadError) as caught:
        strict_yaml.load(text.encode())
    return caught.value.problem


def edited(line: int, new: str, text: str = RECORD) -> str:
    """`text` with its line `line` (1-based) replaced by `new`."""
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def test_the_record_itself_is_read() -> None:
    data, _ = strict_yaml.load(RECORD.encode())
    assert data["communities"][1]["name"] == "Falconers' clubs"


# --- a ':' or a '- ' left out: the line of the mistake, not the one after it --------------------


@pytest.mark.parametrize(
    ("line", "new", "column", "says"),
    [
        (16, "    kind group", 9, "no ':' after its field name"),
        (13, "status active", 7, "no ':' after its field name"),
        (2, "names", 6, "no ':' after its field name"),
        (16, "    kind:group", 9, "must be followed by a space"),
        (13, "status:active", 7, "must be followed by a space"),
        (11, "  KZ-11", 3, "does not start with '- '"),
        (12, "  KZ-15", 3, "does not start with '- '"),
        # a list item's first field: libyaml reads the next line as the rest of its value
        (15, "  - name Falconers and their families", 9, "no ':' after its field name"),
        # the first field of a group: the same, under `viability:`
        (22, "  status viable", 9, "no ':' after its field name"),
        # an item's `- ` left out, its fields under it: read as one field indented too deep
        (15, "  name: Falconers and their families", 3, "does not start with '- '"),
        # the first field of a group out of line: told there, not at the second one
        (3, "   kk: Құсбегілік", 4, "indented differently from the fields after it"),
        (1, " id: KZ-2013-0002", 1, "the first field of the record is indented"),
    ],
)
def test_a_missing_colon_or_dash_is_named_on_its_own_line(
    line: int, new: str, column: int, says: str
) -> None:
    found = problem(edited(line, new))
    assert (found.rule, found.line, found.column) == ("yaml.syntax", line, column), found
    assert says in found.message


def test_a_missing_colon_on_the_last_line_is_named_on_that_line() -> None:
    found = problem("id: KZ-2013-0002\nstatus active")
    assert (found.line, found.column) == (2, 7)


# --- a quotation mark not closed: named where it opens --------------------------------------------


@pytest.mark.parametrize(
    ("quote", "runs_to", "hint"),
    [('"', 28, 'close it with " where the value ends'), ("'", 18, "an apostrophe")],
)
def test_an_unclosed_quotation_mark_is_named_where_it_opens(
    quote: str, runs_to: int, hint: str
) -> None:
    """The double quote swallowed the lines down to the next `"` (the review's record: 90
    lines), the single one down to the apostrophe of "Falconers' clubs"."""
    found = problem(edited(5, f"  en: {quote}Hunting with birds of prey"))
    assert (found.rule, found.line, found.column) == ("yaml.syntax", 5, 7)
    assert "opened at line 5, column 7 seems not to be closed" in found.message
    assert f"line {runs_to}" in found.message
    assert found.hint is not None and hint in found.hint


def test_an_unclosed_quotation_mark_in_a_list_item_is_named_where_it_opens() -> None:
    found = problem(edited(11, '  - "KZ-11'))
    assert (found.line, found.column) == (11, 5)


def test_a_quotation_mark_open_to_the_end_of_the_file_is_named_where_it_opens() -> None:
    found = problem(RECORD + 'note: "not closed\n')
    assert (found.line, found.column) == (29, 7)
    assert "is not closed before the end of the file" in found.message


def test_a_value_in_quotes_over_several_lines_is_not_blamed_for_a_later_mistake() -> None:
    text = edited(5, '  en: "Hunting with birds\n    of prey"')
    assert strict_yaml.load(text.encode())[0]["names"]["en"] == "Hunting with birds of prey"
    found = problem(edited(17, "    kind group", text))  # line 16 of RECORD, one line down
    assert (found.line, found.column) == (17, 9)
    assert "no ':'" in found.message


# --- each mistake its own words and hint ----------------------------------------------------------

MISTAKES = {
    # name: (line replaced, its new text, line and column told, words of the message)
    "colon in a value": (5, "  en: Aitys: the art", 5, 12, "inside a value is read as the start"),
    "@ first": (5, "  en: @Hunting", 5, 7, "cannot start with @ unless"),
    "backtick first": (5, "  en: `Hunting`", 5, 7, "cannot start with ` unless"),
    "percent first": (5, "  en: %Hunting", 5, 7, "cannot start with % unless"),
    "question mark first": (5, "  en: ? Hunting", 5, 7, "cannot start with ? unless"),
    "text after a closing quote": (
        5,
        '  en: "Hunting" with birds',
        5,
        17,
        "after the closing quotation mark",
    ),
    "text after a closing apostrophe": (
        5,
        "  en: 'Hunting' with birds",
        5,
        17,
        "after the closing quotation mark",
    ),
    "list on its key's line": (5, "  en: - Hunting", 5, 7, "same line as its field name"),
    "unclosed bracket": (5, "  en: [Hunting", 5, 7, "not closed"),
    "text after a bracket": (5, "  en: [Hunting] birds", 5, 17, "after the closing bracket"),
    "indented less": (5, " en: Hunting", 5, 2, "indented differently from the fields above"),
    "indented more": (5, "   en: Hunting", 5, 4, "indented more than the field above"),
    "an item among fields": (5, "  - Hunting", 5, 3, "list item"),
    "a field among items": (12, "  - KZ-15\n  note: x", 13, 3, "does not start with '- '"),
    "text after |": (5, "  en: |Hunting", 5, 8, "starts on the next line"),
    "unknown escape": (5, '  en: "Hunting \\q"', 5, 16, "backslash"),
    "a line of three dots": (5, "  en: Hunting\n...", 6, 1, "three dots"),
}


def _found(case: str) -> LoadProblem:
    at, new, *_ = MISTAKES[case]
    return problem(edited(at, new))


@pytest.mark.parametrize("case", MISTAKES)
def test_a_mistake_is_named_at_its_place_in_plain_words(case: str) -> None:
    *_, line, column, says = MISTAKES[case]
    found = _found(case)
    assert (found.rule, found.line, found.column) == ("yaml.syntax", line, column), found
    assert says in found.message, found.message
    assert found.hint


def test_each_kind_of_mistake_has_a_hint_of_its_own() -> None:
    kinds = {
        "colon in a value",
        "@ first",
        "text after a closing quote",
        "list on its key's line",
        "unclosed bracket",
        "text after a bracket",
        "indented less",
        "indented more",
        "an item among fields",
        "a field among items",
        "text after |",
        "unknown escape",
        "a line of three dots",
    }
    hints = [_found(case).hint for case in sorted(kinds)]
    hints += [
        problem(edited(16, "    kind group")).hint,
        problem(edited(16, "    kind:group")).hint,
        problem(edited(11, "  KZ-11")).hint,
        problem(edited(5, '  en: "Hunting')).hint,
    ]
    assert len(set(hints)) == len(hints), hints


JARGON = {
    "en": ("mapping", "scalar", "token", "stream", "YAML syntax error", "in this context"),
    "kk": ("карта", "скаляр", "токен", "ағын", "mapping"),
    "ru": ("отображени", "скаляр", "токен", "поток", "mapping"),
}


@pytest.mark.parametrize("lang", sorted(JARGON))
def test_no_mistake_is_told_in_the_parsers_jargon(lang: str) -> None:
    cases = [
        *(edited(at, new) for at, new, *_ in MISTAKES.values()),
        edited(16, "    kind group"),
        edited(5, '  en: "Hunting'),
        RECORD + 'note: "not closed\n',
        edited(1, " id: KZ-2013-0002"),
        edited(3, "   kk: Құсбегілік"),
        edited(15, "  name: Falconers and their families"),
        "a: |0\n  x\n",
        "%FOO x\n---\na: 1\n",
        "a: !x!y z\n",
        "a: * x\n",
        "a: ]\n",
    ]
    told = _told(cases, lang)
    for text in told:
        assert not [w for w in JARGON[lang] if re.search(rf"\b{w}", text, re.IGNORECASE)], text
    if lang != "en":  # in the language asked for, not English left as it was
        english = _told(cases, "en")
        assert not [ours for ours, theirs in zip(told, english, strict=True) if ours == theirs]


def _told(cases: list[str], lang: str) -> list[str]:
    i18n.use(lang)
    try:
        return [f"{found.message} {found.hint}" for found in map(problem, cases)]
    finally:
        i18n.use("en")
