"""Shortcuts taken for speed change no answer: each is compared with the plain way it replaced.

* `scripts.mixed_words` skips texts and words that cannot mix scripts;
* `check_texts` settles most records with one search, before building a pointer per text;
* `records.read` asks for the file's size, not for the size limit;
* `validate` checks large inventories in worker processes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core import alphabets as scripts
from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import record_files as records
from ichinv.io import settings as settings_module
from ichinv.schemas.loader import Schema
from ichinv.validate import engine as validation
from ichinv.validate import rules as record
from ichinv.validate import workers
from ichinv.validate.file_check import FileCheck
from tests.support.helpers import examples

_WORD = re.compile(r"\w+", re.UNICODE)


def plain_mixed_words(text: str) -> Iterator[scripts.StrayLetter]:
    """`mixed_words` as it was written before its shortcuts."""
    for match in _WORD.finditer(text):
        word = match.group()
        kinds = [scripts.script_of(c) for c in word]
        if "Cyrillic" in kinds and "Latin" in kinds:
            cyrillic = kinds.count("Cyrillic") >= kinds.count("Latin")
            minority = "Latin" if cyrillic else "Cyrillic"
            offset = kinds.index(minority)
            char = word[offset]
            yield scripts.StrayLetter(
                word,
                char,
                match.start() + offset,
                scripts.LATIN_LOOKALIKES.get(char) if cyrillic else None,
            )


def plain_check_texts(ctx: record.RecordContext) -> Iterator[Finding]:
    """`check_texts` as it was written before its shortcut."""
    for pointer, text in pointers.texts(ctx.data):
        body = text.rstrip("\n")
        bad = scripts.invisible_character(body, multiline="\n" in body)
        if bad is not None:
            yield rule("text.control-character").finding(
                ctx.path,
                f"the text holds the invisible character U+{ord(bad):04X}",
                pointer=pointer,
                hint="retype the text; invisible characters come from copying out of other "
                "documents and can hide or reorder what reviewers see",
            )
        elif not pointer.startswith("/names/"):
            mixed = next(plain_mixed_words(text), None)
            if mixed is not None:
                yield rule("text.mixed-script").finding(
                    ctx.path,
                    f"a word mixes scripts: {mixed.describe()}",
                    pointer=pointer,
                    hint="retype the word in one script",
                )


letters = st.sampled_from(
    list("abcxyzAOPÉéəƏɵ")  # Latin, look-alikes, accented, schwa, barred o
    + list("абвгдежзийкәғқңөұүһіЁё")  # Cyrillic, Kazakh letters
    + list("ԀᲀᴫꙁꚚ\u2de0")  # Cyrillic outside its first block (supplement, extensions)
    + list("²½٣")  # word characters that are no letter: a superscript, a fraction, a digit
    + list("ͰΩαⅧ𝐀ｆ")  # Greek, Roman numeral, mathematical and full-width letters
    + list("0123456789_ -.,\n\t\r\x00\x0b\u200b\u202e\u2028\ufeff\x85")
)
texts = st.lists(letters, max_size=40).map("".join)
keys = st.sampled_from(["names", "description", "kk", "ru", "en", "note", "a/b", "x~y"])
data = st.recursive(
    texts | st.integers() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(200, 500), deadline=None)
@given(texts)
def test_mixed_words_finds_what_the_plain_way_finds(text: str) -> None:
    assert list(scripts.mixed_words(text)) == list(plain_mixed_words(text))


@settings(max_examples=examples(100, 300), deadline=None)
@given(st.dictionaries(keys, data, max_size=5))
def test_check_texts_finds_what_the_plain_way_finds(document: dict[str, Any]) -> None:
    schema = Schema(RecordKind.ELEMENT, {}, "test")
    ctx = record.RecordContext(
        Record(RecordKind.ELEMENT, "elements/KZ-2013-0001.yaml", document),
        schema,
        Path("."),
        dt.date(2026, 11, 25),
    )
    assert list(record.check_texts(ctx)) == list(plain_check_texts(ctx))


def test_read_gives_the_bytes_up_to_the_limit_and_refuses_beyond(tmp_path: Path) -> None:
    folder = tmp_path / "elements"
    folder.mkdir()
    for size in (0, 1, 1023, 1024):
        path = folder / f"KZ-2013-{size:04d}.yaml"
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        file = records.SourceFile(RecordKind.ELEMENT, str(path), f"elements/{path.name}")
        assert records.read(file, 1024) == path.read_bytes()
    path = folder / "KZ-2013-1025.yaml"
    path.write_bytes(b"x" * 1025)
    refused = records.read(records.SourceFile(RecordKind.ELEMENT, str(path), "elements/x"), 1024)
    assert isinstance(refused, Finding) and refused.rule == "file.too-large"
    gone = records.read(records.SourceFile(RecordKind.ELEMENT, str(folder / "no.yaml"), "n"), 1024)
    assert isinstance(gone, Finding) and gone.rule == "file.missing"


def _alone_and_with_workers(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    seed: int,
    batch: int,
    handed: Callable[[list[int]], object] = lambda sizes: None,
) -> tuple[Any, Any, list[int]]:
    """A generated inventory of `count` elements validated in this process alone, then with
    two workers, `batch` files at a time: both reports, and the sizes of the batches handed
    to the workers. `handed(sizes)` runs as each batch has been handed out."""
    from benchmarks.generate import generate

    made = generate(root, count, seed=seed, defects=0.2)
    config = settings_module.load(made.root)
    day = dt.date(2026, 11, 25)
    monkeypatch.setenv("ICHINV_WORKERS", "1")
    alone = validation.validate(config, day=day)
    sizes: list[int] = []
    original = workers.Workers.map

    def watched(self: Any, items: list[Any]) -> Iterator[FileCheck]:
        verdicts = original(self, items)  # handed out: the workers hold some of these now
        sizes.append(len(items))
        handed(sizes)
        return verdicts

    monkeypatch.setattr(workers.Workers, "map", watched)
    monkeypatch.setattr(validation, "BATCH", batch)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    together = validation.validate(config, day=day)
    return alone, together, sizes


def test_checking_in_worker_processes_gives_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "inv"
    # Several batches through the workers.
    alone, together, sizes = _alone_and_with_workers(root, monkeypatch, 120, seed=5, batch=16)
    assert sum(sizes) == 120 + len(list((root / "provinces").iterdir()))
    assert together == alone
    assert not alone.ok and len(alone.findings) >= 24


@pytest.mark.parametrize("killed", [1, 2], ids=["one worker", "every worker"])
def test_a_worker_that_dies_mid_run_costs_time_never_a_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed: int
) -> None:
    # The system's out-of-memory killer, say. The run used to end with "internal error:
    # WorkerLost" (exit 3); the files the dead worker held are checked by the parent.
    import multiprocessing
    import os
    import signal

    def kill_at_the_second(sizes: list[int]) -> None:
        if len(sizes) == 2:
            for child in multiprocessing.active_children()[:killed]:
                os.kill(child.pid or 0, signal.SIGKILL)

    alone, together, sizes = _alone_and_with_workers(
        tmp_path / "inv", monkeypatch, 200, seed=7, batch=64, handed=kill_at_the_second
    )
    assert len(sizes) > 2  # work was handed out after the kill too
    assert together == alone
