"""When git's word that a working file is unmodified can stand for its bytes.

`GitRepo.clean_blobs` takes the blob ids of record files from the index for the files
`git diff-files` finds unmodified, so that they are not read and hashed again. That is only
right when the index blob holds the very bytes of the file, and when git looked closely
enough to tell:

* no content filter runs (`filter_options` switches every configured driver off by name);
* no end-of-line or encoding conversion applies to the file (`core.autocrlf`, or the
  attributes `text`, `eol`, `crlf`, `ident`, `working-tree-encoding`): a checkout with
  `* text eol=crlf` holds CRLF bytes for an LF blob, and `fmt --check` answered from the blob;
* git compares the times and size of every file in full: `core.trustctime=false` or
  `core.checkStat=minimal` let a same-size edit with its modification time put back pass
  as unmodified, and `list`, `show`, `diff` and packets showed the record as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

STAT_OPTIONS: tuple[str, ...] = ("-c", "core.trustctime=true", "-c", "core.checkStat=default")
"""`-c` options with which `git diff-files` compares every time and the size in full."""

CONVERTING = ("text", "eol", "crlf", "ident", "working-tree-encoding")
"""Attributes under which a working file's bytes may differ from its blob's."""

CONFIG_PATTERN = r"^(filter\..*|core\.autocrlf|core\.attributesfile)$"
"""The settings this module reads (one `git config --get-regexp`)."""


def usable_filters(status: int, config: bytes) -> list[str] | None:
    """`filter_options` of `config` when git's index can be asked at all under it (`status`:
    the exit status of `git config -z --get-regexp CONFIG_PATTERN`); None when it cannot."""
    if status not in (0, 1) or (status == 1 and config) or converts_everything(config):
        return None
    return filter_options(config)


def filter_options(config: bytes) -> list[str] | None:
    """`-c` options that switch off every content filter driver `config` (the `-z` output of
    `git config --get-regexp CONFIG_PATTERN`) defines (`clean`, `smudge`, `process` empty,
    `required` false); None when one cannot be named on the command line (`=` in its name)."""
    drivers: set[str] = set()
    for key, __ in _entries(config):
        driver, dot, _setting = key.removeprefix("filter.").rpartition(".")
        if not key.startswith("filter.") or not dot:
            continue
        if "=" in driver or not driver.isprintable():
            return None
        drivers.add(driver)
    options: list[str] = []
    for driver in sorted(drivers):
        for setting in ("clean=", "smudge=", "process=", "required=false"):
            options += ("-c", f"filter.{driver}.{setting}")
    return options


def converts_everything(config: bytes) -> bool:
    """Whether `core.autocrlf` converts line endings of every text file (true or input)."""
    return any(
        key == "core.autocrlf" and value.strip().lower() in ("true", "input", "yes", "on", "1")
        for key, value in _entries(config)
    )


def attribute_files(config: bytes, top: Path, info: Path, folders: Iterable[str]) -> bool:
    """Whether any attributes file may apply to the record files (which lie directly in their
    folders): `.gitattributes` in the working tree's top, on the way down to the record
    folders or in them, the repository's `info/attributes` (`info`), `core.attributesFile` or
    git's default global one."""
    configured = [value for key, value in _entries(config) if key == "core.attributesfile"]
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    candidates = [
        info,
        *(Path(os.path.expanduser(v)) for v in configured),
        *([] if configured else [Path(home) / "git" / "attributes"]),
    ]
    for folder in folders:
        level = top
        candidates.append(level / ".gitattributes")
        for part in Path(folder).parts:
            level = level / part
            candidates.append(level / ".gitattributes")
    return any(_exists(path) for path in candidates)


def converted_paths(check_attr: bytes) -> set[bytes]:
    """The paths `git check-attr -z` (of the attributes CONVERTING) finds a conversion for."""
    fields = check_attr.split(b"\0")
    found: set[bytes] = set()
    for index in range(0, len(fields) - 2, 3):
        path, __, value = fields[index : index + 3]
        if value not in (b"unspecified", b"unset"):
            found.add(path)
    return found


def _entries(config: bytes) -> list[tuple[str, str]]:
    """(key, value) of each entry, the key's section and name in lower case as git reads
    them; a subsection (a filter driver's name) keeps its case: git tells `MyDrv` from `mydrv`,
    and only its own spelling switches it off."""
    pairs = []
    for entry in config.split(b"\0"):
        raw, __, value = entry.partition(b"\n")
        if raw:
            key = raw.decode("utf-8", "surrogateescape")
            section, dot, rest = key.partition(".")
            middle, dot2, name = rest.rpartition(".")
            key = f"{section.lower()}{dot}{middle}{dot2}{name.lower()}"
            pairs.append((key, value.decode("utf-8", "replace")))
    return pairs


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return True  # cannot tell: as if it were there
