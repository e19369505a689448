"""A corpus of hostile record files of our own: each case is bytes, a file name, and the rule
that must report it.

Generated rather than stored: a 10,000-level nesting or a file just over the size limit is a
line of Python but a megabyte on disk. `python -m tests.support.hostile_corpus DIR` writes the corpus
to DIR, to feed it to other tools by hand.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.helpers import element_yaml

LIMIT = 1024 * 1024
"""The default max_file_size (ichinv.settings.DEFAULT_MAX_FILE_SIZE)."""

DEPTH = 10_000


@dataclass(frozen=True)
class Case:
    """One hostile file placed in elements/ of a valid inventory."""

    name: str
    content: bytes
    rule: str
    """A rule that must report the file (its severity is error unless `warning`)."""
    file: str = "KZ-2013-0099.yaml"
    warning: bool = False


def valid(**fields: object) -> str:
    return element_yaml("KZ-2013-0099", **fields)


def _laughs(levels: int, *, flow: bool = False, merge: bool = False) -> bytes:
    lines = ["a: &a [lol]" if flow else "a: &a lol"]
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        if merge:
            lines.append(f"{name}: &{name} {{<<: *{previous}, x{level}: 1}}")
        elif flow:
            lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
        else:
            lines.append(f"{name}: &{name}")
            lines.extend(f"  - *{previous}" for _ in range(9))
    return ("\n".join(lines) + "\n").encode()


def _block_mapping(depth: int) -> bytes:
    return "".join(" " * level + "a:\n" for level in range(depth)).encode() + b" " * depth + b"x\n"


def cases() -> list[Case]:
    base = valid()
    ok = base.encode()
    found = [
        # --- nesting
        Case(
            "flow sequences 10,000 deep",
            b"id: " + b"[" * DEPTH + b"]" * DEPTH + b"\n",
            "yaml.too-deep",
        ),
        Case(
            "flow mappings 10,000 deep",
            b"id: " + b"{a: " * DEPTH + b"}" * DEPTH + b"\n",
            "yaml.too-deep",
        ),
        Case("block sequences 10,000 deep", b"id:\n" + b"- " * DEPTH + b"x\n", "yaml.too-deep"),
        Case("unclosed flow 10,000 deep", b"id: " + b"[" * DEPTH + b"\n", "yaml.too-deep"),
        Case("block mappings 1,400 deep (1 MiB)", _block_mapping(1400), "yaml.too-deep"),
        Case("block mappings 10,000 deep (50 MB)", _block_mapping(DEPTH), "file.too-large"),
        # --- size
        Case(
            "description just under the size limit",
            base.replace(
                "Improvised poetic contest", "Improvised " + "poetic " * ((LIMIT - 2000) // 7)
            ).encode(),
            "schema.maxLength",
        ),
        Case("file one byte over the limit", ok + b"#" * (LIMIT + 1 - len(ok)), "file.too-large"),
        Case("a 5 MB single line", b"id: " + b"x" * 5_000_000 + b"\n", "file.too-large"),
        Case("a 900 kB key", b"k" * 900_000 + b": 1\n", "yaml.syntax"),
        # --- aliases
        Case("billion laughs, 9 levels", _laughs(9), "yaml.alias"),
        Case("billion laughs, flow", _laughs(9, flow=True), "yaml.alias"),
        Case("billion laughs, merge keys", _laughs(9, merge=True), "yaml.alias"),
        Case("alias to an undefined anchor", b"id: *nowhere\n", "yaml.alias"),
        Case("anchor on the record itself", b"&root\nid: KZ-2013-0099\n", "yaml.alias"),
        Case("merge key without alias", b"<<: {id: KZ-2013-0099}\n", "yaml.merge-key"),
        # --- tags
        Case(
            "python object/apply",
            b"id: !!python/object/apply:os.system ['touch /tmp/ichinv-pwned']\n",
            "yaml.tag",
        ),
        Case("python name", b"id: !!python/name:os.system\n", "yaml.tag"),
        Case("python object new", b"id: !!python/object/new:os.system [x]\n", "yaml.tag"),
        Case("local tag on a scalar", b"id: !secret KZ-2013-0099\n", "yaml.tag"),
        Case("local tag on a mapping", b"names: !lang {kk: x}\n", "yaml.tag"),
        Case("local tag on a sequence", b"domains: !list [a]\n", "yaml.tag"),
        Case("verbatim tag", b"id: !<tag:example.org,2002:id> x\n", "yaml.tag"),
        Case(
            "%TAG directive", b"%TAG !e! tag:example.org,2002:\n---\nid: !e!x y\n", "yaml.directive"
        ),
        Case("!!binary", b"id: !!binary aGVsbG8=\n", "yaml.tag"),
        Case("!!set", b"domains: !!set {a, b}\n", "yaml.tag"),
        Case("!!omap", b"names: !!omap [kk: x]\n", "yaml.tag"),
        Case("!!timestamp", b"id: !!timestamp 2001-12-14\n", "yaml.tag"),
        Case("!!int on text", b"id: !!int KZ\n", "yaml.value"),
        Case("%YAML 1.1", b"%YAML 1.1\n---\n" + ok, "yaml.directive"),
        Case("%YAML 1.3", b"%YAML 1.3\n---\n" + ok, "yaml.syntax"),
        # --- bytes and characters
        Case("a NUL byte", ok.replace(b"Element", b"Ele\x00ment"), "yaml.control-character"),
        Case(
            "an escaped NUL",
            ok.replace(b"status: active", b'status: "act\\0ive"'),
            "text.control-character",
        ),
        Case("a lone surrogate escape", b'id: "\\ud800"\n', "yaml.syntax"),
        Case(
            "ESC and DEL", ok.replace(b"Element", b"Ele\x1b[31m\x7fment"), "yaml.control-character"
        ),
        Case("CRLF line endings", ok.replace(b"\n", b"\r\n"), "", file="KZ-2013-0099.yaml"),
        Case("CR line endings", ok.replace(b"\n", b"\r"), "", file="KZ-2013-0099.yaml"),
        # NEL, LS and PS end lines for libyaml (YAML 1.1) only: refused wherever they stand
        Case("NEL line endings", base.replace("\n", "\u0085").encode(), "yaml.line-break"),
        Case("LS line endings", base.replace("\n", "\u2028").encode(), "yaml.line-break"),
        Case(
            "a key hidden behind LS in a comment",
            ok.replace(b"status: active", "status: active  # ok\u2028suppressions: []".encode()),
            "yaml.line-break",
        ),
        Case(
            "PS folded into a name",
            ok.replace(b"en: Element KZ-2013-0099", "en: Element\u2029    KZ-2013-0099".encode()),
            "yaml.line-break",
        ),
        Case(
            "NEL in a quoted text",
            ok.replace(b"status: active", "status: 'act\u0085ive'".encode()),
            "yaml.line-break",
        ),
        Case(
            "mixed line endings",
            b"".join(
                line + (b"\r\n", b"\n", b"\r")[i % 3]
                for i, line in enumerate(ok.rstrip(b"\n").split(b"\n"))
            ),
            "",
        ),
        Case("invalid UTF-8", ok.replace(b"Element", b"\xc9l\xe9ment"), "yaml.encoding"),
        Case(
            "Windows-1251", ok.replace("Айтыс".encode(), "Айтыс".encode("cp1251")), "yaml.encoding"
        ),
        Case("UTF-16 LE with BOM", base.encode("utf-16"), "yaml.encoding"),
        Case("UTF-16 BE with BOM", b"\xfe\xff" + base.encode("utf-16-be"), "yaml.encoding"),
        Case("UTF-16 LE without BOM", base.encode("utf-16-le"), "yaml.encoding"),
        Case("UTF-16 BE without BOM", base.encode("utf-16-be"), "yaml.encoding"),
        Case("UTF-32 with BOM", base.encode("utf-32"), "yaml.encoding"),
        Case("UTF-32 BE without BOM", base.encode("utf-32-be"), "yaml.encoding"),
        Case("UTF-8 with BOM", b"\xef\xbb\xbf" + ok, ""),
        Case("UTF-8 with two BOMs", b"\xef\xbb\xbf" * 2 + ok, "yaml.bom"),
        Case("a BOM before a key", ok + b"\xef\xbb\xbfnotes: x\n", "yaml.bom"),
        Case(
            "a BOM inside a value",
            ok.replace(b"status: act", b"status: act\xef\xbb\xbf"),
            "yaml.bom",
        ),
        Case("a huge integer", b"id: " + b"9" * 5000 + b"\n", "yaml.value"),
        Case("infinity", b"id: .inf\n", "yaml.value"),
        Case(
            "a schema_version no schema has",
            b"schema_version: 900000000000000000000\n" + ok,
            "schema.maximum",
        ),
        Case("keys 1 and '1'", b"1: a\n'1': b\n", "yaml.key-type"),
        Case("duplicate keys", ok + b"id: KZ-2013-0098\n", "yaml.duplicate-key"),
        Case("an empty file", b"", "yaml.empty"),
        Case("only a comment", b"# nothing\n", "yaml.empty"),
        Case("two documents", ok + b"---\n" + ok, "yaml.multi-document"),
        Case("a top-level list", b"- id\n", "yaml.not-mapping"),
        Case("a complex key", b"? [a, b]\n: c\n", "yaml.key-type"),
        Case("tab indentation", b"names:\n\tkk: x\n", "yaml.tab"),
        # --- names and paths
        Case(
            "a name with a bidi override",
            valid(names={"kk": "Айтыс", "ru": "Айтыс", "en": "Ai\u202etys"}).encode(),
            "text.control-character",
        ),
        Case(
            "a name with an escaped bell",
            ok.replace(b"en: Element KZ-2013-0099", b'en: "Ai\\atys"'),
            "text.control-character",
        ),
        Case(
            "a name with a zero-width joiner",
            valid(names={"kk": "Ай\u200dтыс", "ru": "Айтыс"}).encode(),
            "text.control-character",
        ),
        Case(
            "documentation path with ..",
            valid(
                documentation=[{"title": "Passwords", "path": "docs/../../../etc/passwd"}]
            ).encode(),
            "path.outside",
        ),
        Case(
            "documentation path absolute",
            valid(documentation=[{"title": "Passwords", "path": "/etc/passwd"}]).encode(),
            "schema.pattern",
        ),
        Case(
            "documentation path with a drive",
            valid(documentation=[{"title": "Passwords", "path": "C:/Windows/win.ini"}]).encode(),
            "path.outside",
        ),
        Case(
            "consent evidence path with ..",
            valid(
                consent={
                    "status": "given",
                    "date": "2025-04-01",
                    "evidence": "evidence/../../secret/consent.pdf",
                }
            ).encode(),
            "path.outside",
        ),
        # --- file names
        Case("a space in the file name", ok, "id.file-name", file="KZ-2013-0099 .yaml"),
        Case("spaces in the file name", ok, "id.file-name", file="my record.yaml"),
        Case("a newline in the file name", ok, "id.file-name", file="KZ-2013\n-0099.yaml"),
        Case("a carriage return in the file name", ok, "id.file-name", file="KZ\r.yaml"),
        Case("a bidi override in the file name", ok, "id.file-name", file="KZ-\u202e.yaml"),
        Case("not .yaml", ok, "file.extension", file="KZ-2013-0099.yml"),
        # hidden files: no reader looks at them, `ls` does not list them, git commits them
        Case("a hidden record", ok, "file.hidden", file=".KZ-2013-0099.yaml"),
        Case("a record saved as .gitkeep", ok, "file.hidden", file=".gitkeep"),
        Case("a hidden editor swap file", ok, "file.hidden", file=".KZ-2013-0099.yaml.swp"),
        Case(
            "a temporary file left by a killed write",
            ok,
            "file.temporary",
            file=".KZ-2013-0099.yaml.k2j4x9a1.tmp",
        ),
        Case("the file name is :: workflow syntax", ok, "id.file-name", file="::error x::y.yaml"),
    ]
    return found


def write(folder: Path) -> None:
    """Write every case to `folder`, one file each (named after the case)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, case in enumerate(cases(), start=1):
        (folder / f"{number:03d}.yaml").write_bytes(case.content)


if __name__ == "__main__":  # pragma: no cover - a helper for manual runs
    write(Path(sys.argv[1]))
