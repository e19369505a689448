"""Record text in Markdown: no HTML, no broken tables, no pings, links only to http(s).

Checked by parsing with markdown-it-py (CommonMark with GFM tables and strikethrough); GitHub's
mentions and references are post-processing on text, so they must not be in plain text nodes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from tests.support.helpers import examples

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PINGS = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]|#[0-9]|\bGH-[0-9]", re.IGNORECASE)
"""What GitHub turns into a mention or a reference in text (letters before `@` are ASCII)."""

HOSTILE = [
    "<script>alert(1)</script>",
    "@someone and @org/team",
    "`@someone` x`@bob` é@ana [@eve](http://example.org) ``#12``",
    "fixes #12, owner/repo#3 and GH-4",
    "a | b || c",
    "line one\nline two\r\n\n- not a list\n# not a heading\n> not a quote",
    "[click](javascript:alert(1)) ![img](http://example.org/x.png) <http://example.org>",
    "&lt;b&gt; &#64;someone $x^2$ ~~gone~~ *em* _em_ `code` \\ trailing\\",
    "1. not ordered\n---\n===\n    indented code",
    "\u202eevil\u2066 \x00 \x1b[31m",
    "<!-- comment --> <img src=x onerror=alert(1)> <a href='javascript:x'>x</a>",
]


def inline_tokens(markdown: str) -> list[Any]:
    found = []
    for token in PARSER.parse(markdown):
        found.append(token)
        found.extend(token.children or [])
    return found


def assert_harmless(markdown: str) -> None:
    tokens = inline_tokens(markdown)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image", "link_open", "s_open", "em_open",
                        "strong_open", "heading_open", "bullet_list_open", "ordered_list_open",
                        "blockquote_open", "hr", "code_block", "fence"}, kinds  # fmt: skip
    for token in tokens:
        if token.type == "text":
            assert not PINGS.search(token.content), token.content
    assert "<script" not in PARSER.render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_renders_as_text(text: str) -> None:
    assert_harmless(mdsafe.inline(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_block_text_renders_as_paragraphs_of_text(text: str) -> None:
    rendered = mdsafe.block(text)
    assert_harmless(rendered)
    assert {t.type for t in PARSER.parse(rendered)} <= {
        "paragraph_open",
        "inline",
        "paragraph_close",
    }


def test_mentions_and_references_become_code_spans() -> None:
    html = PARSER.render(mdsafe.inline("Thanks @someone, see #12 and GH-7; mail a@example.org"))
    assert "<code>@someone</code>" in html and "<code>#12</code>" in html
    assert "<code>GH-7</code>" in html and "a@example.org" in html


@pytest.mark.parametrize("before", ["`", "x`", "é", "(", "[", "\\", "*", "~"])
def test_a_mention_after_punctuation_or_a_non_ascii_letter_is_neutralised(before: str) -> None:
    """GitHub pings `@name` after anything but an ASCII letter, digit or `_`: a backtick too."""
    html = PARSER.render(mdsafe.inline(f"{before}@someone"))
    assert "<code>@someone</code>" in html


def table(cells: list[str]) -> str:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    rule = "|" + " --- |" * len(cells)
    return f"{header}\n{rule}\n| " + " | ".join(cells) + " |\n"


@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_any_text_keeps_a_table_intact_and_harmless(texts: list[str]) -> None:
    cells = [mdsafe.inline(t) or Md("-") for t in texts]
    tokens = PARSER.parse(table(cells))
    body_cells = [t for t in tokens if t.type == "td_open"]
    assert len(body_cells) == len(cells)
    for token in tokens:
        for child in token.children or []:
            assert child.type in ("text", "code_inline", "softbreak"), child.type
            if child.type == "text":
                assert not PINGS.search(child.content)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_keeps_its_words(text: str) -> None:
    """Escaping changes how text is written, not what it says."""
    rendered = "".join(
        c.content
        for t in PARSER.parse(mdsafe.inline(text))
        for c in t.children or []
        if c.type in ("text", "code_inline")
    )
    expected = " ".join(mdsafe.clean(text).split())
    assert rendered.replace(" ", "") == expected.replace(" ", "")


def escaped_the_long_way(text: str) -> str:
    """`inline` as every text was escaped before plain text took a shorter way (the oracle)."""
    flat = re.sub(r"[\s\u2028\u2029]+", " ", mdsafe.clean(text)).strip()
    out, start = [], 0
    for match in mdsafe._PINGS.finditer(flat):
        out.append(re.sub(r"([\\`*_\[\]<>|~&$#])", r"\\\1", flat[start : match.start()]))
        out.append(f"`{match.group()}`")
        start = match.end()
    out.append(re.sub(r"([\\`*_\[\]<>|~&$#])", r"\\\1", flat[start:]))
    result = "".join(out)
    marker = mdsafe._LINE_START.match(result)
    if marker:
        cut = marker.end() if marker.group()[:1].isdigit() else 0
        result = result[:cut] + "\\" + result[cut:]
    return result


PLAIN_CHARS = [*"aZ9 0-+=.,;:()'\"!?/%GHgh", "й", "Қ", "٣", "\u2013", "\u00ab"]
NASTY_CHARS = [*"#@_*`|<>~&$[]\\\t\n\r", "\u00a0", "\u2028", "\u2029", "\u202e", "\u2066",
               "\x85", "\x9b", "\x00", "\x7f", "\u0301", "\u200b", "\ufeff", "ǅ", "\u3000", "\u3164",
               "\u115f", "\x1c", "\ufff9"]  # fmt: skip
NEAR_PLAIN = st.builds(
    lambda text, extra, at: text[:at] + extra + text[at:],
    st.text(alphabet=st.sampled_from(PLAIN_CHARS), max_size=20),
    st.sampled_from(NASTY_CHARS) | st.characters() | st.just(""),
    st.integers(0, 20),
)
"""Text that escapes as it is, or nearly: one character of any kind anywhere in it."""


@given(NEAR_PLAIN | st.text(max_size=30))
@settings(max_examples=examples(700, 2000), deadline=None)
def test_plain_text_takes_a_shorter_way_to_the_same_markdown(text: str) -> None:
    """Names and dates are escaped without the patterns they need none of, and come out as
    every text did before: the same Markdown, character for character."""
    assert mdsafe.inline(text) == escaped_the_long_way(text)


@pytest.mark.parametrize(
    "text",
    ["Қазақ күресі", "Kazakh wrestling (kures)", "2013-03-01", "- a", "1. first", "---",
     "GH-12", "a  b", " a", "Nauryz, 22 March", "=== x", "+ 3"],
)  # fmt: skip
def test_names_and_dates_escape_as_before(text: str) -> None:
    assert mdsafe.inline(text) == escaped_the_long_way(text)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a_(b)|c", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html;base64,xx", False),
        ("https://exa mple.org", False),
        ("ftp://example.org", False),
    ],
)
def test_links_only_to_http_addresses(url: str, linked: bool) -> None:
    markdown = table([mdsafe.link("label", url)])
    tokens = inline_tokens(markdown)
    links = [t for t in tokens if t.type == "link_open"]
    assert len([t for t in tokens if t.type == "td_open"]) == 1
    if linked:
        assert [t.attrs["href"] for t in links][0].startswith(("http://", "https://"))
    else:
        assert links == [] and "javascript" not in "".join(t.attrs.get("href", "") for t in tokens)


def test_mermaid_labels_cannot_escape_their_quotes() -> None:
    label = mdsafe.mermaid_label('Atyrau" : 99\n%%{init: {"theme": "x"}}%% <b>#quot;')
    assert not set('"\n%{}<>#:;') & set(label)
    assert label.startswith("Atyrau")


def test_identifiers_are_code_only_when_plain() -> None:
    assert mdsafe.code("KZ-2013-0001") == "`KZ-2013-0001`"
    assert mdsafe.code("a`b|c") == mdsafe.inline("a`b|c")
