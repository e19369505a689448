"""What of a Kazakh or Russian message is still English: words outside names, ids, quoted
values and code."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from tests.support.helpers import REPO_ROOT

TECHNICAL = frozenset(
    """
    yaml json sarif utf bom nel lf crlf cr git github actions ichinv toml ci pdf iso kz url
    http https id ids md pyproject gitignore gitkeep gitmodules gitlink shallow unshallow
    tags tag branch merge base head ls lsattr chattr mkdir cat file blob safe directory
    config global add rm cached checkout fetch depth clone init log oneline
    latin cyrillic windows unesco ichcap ala lc schema draft mapping line separator
    paragraph debug ichinv_debug ichinv_lang rev dir text true false null int float bool str
    yyyy mm dd nnnn id yes no en kk ru enter
    """.split()
)
"""Words that are names in every language (formats, tools, commands, codes)."""

_NOT_PROSE = re.compile(
    r"`[^`]*`"  # code
    r"|«[^»]*»"  # quoted values (Kazakh and Russian quotation marks)
    r"|'[^']*'|\"[^\"]*\""  # quoted values as YAML or JSON writes them
    r"|\[[a-z0-9.-]+\]"  # rule ids in a finding line
    r"|\S*[/\\]\S*"  # paths, folders, pointers
    r"|\S+\.(?:yaml|yml|json|toml|md|tmp|xlsx|csv)\b"  # file names
    r"|--?[A-Za-z][\w-]*"  # options
    r"|\b[A-Z]{2}-[\w-]+"  # ids: KZ-2013-0001, KZ-31
    r"|\bU\+[0-9A-F]{4,6}\b|0x[0-9A-F]+"  # code points, bytes
    r"|!!\w+|%\w+|&\w+|\*\w+"  # YAML tags, directives, anchors, aliases
    r"|\b\w+(?:[._]\w+)+"  # field paths: consent.status, restricted_parts
)


@cache
def names() -> frozenset[str]:
    """Field names of the schemas and the values of their vocabularies: records keep them."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name in ("properties", "patternProperties") and isinstance(value, dict):
                    found.update(str(key) for key in value)
                if name == "enum" and isinstance(value, list):
                    found.update(str(v) for v in value)
                if name == "required" and isinstance(value, list):
                    found.update(str(v) for v in value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for kind in ("element", "province"):
        walk(json.loads((REPO_ROOT / "schema" / f"{kind}.schema.json").read_text("utf-8")))
    words: set[str] = set()
    for name in found:
        words.update(w.lower() for w in re.split(r"[^A-Za-z]+", name) if w)
    return frozenset(words)


def english_words(text: str, also: Iterable[str] = ()) -> list[str]:
    """The English words of `text` that are not names, ids, quoted values or code."""
    prose = _NOT_PROSE.sub(" ", text)
    allowed = TECHNICAL | names() | {w.lower() for w in also}
    return [w for w in re.findall(r"[A-Za-z]{2,}", prose) if w.lower() not in allowed]


def lines_with_english(lines: Iterable[str], also: Iterable[str] = ()) -> Iterator[str]:
    for line in lines:
        if english_words(line, also):
            yield f"{line}  <- {english_words(line, also)}"
